/* SPDX-License-Identifier: MIT */
/*
 * The small hypercalls of common/xen/platform_op.c: platform_op (Dom0 sets
 * the wall clock every domain reads from its shared_info), vm_assist and
 * physdev_op.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <orchid/errno.h>
#include <orchid/hypercalls.h>
#include <orchid/wallclock.h>
#include <public/platform.h>

#include "fake_guest.h"
#include "test_hypercalls.h"

#define NSEC 1000000000ULL

static struct fake_guest dom0, domu, domu2;

static int setup(void **state)
{
	fake_reset();
	fake_guest_create(&dom0, 0, true, 1);
	fake_guest_create(&domu, 1, false, 1);
	fake_guest_create(&domu2, 2, false, 1);
	hardware_domain = &dom0.d;
	/* DomU was created 5 s after boot: its time starts then. */
	domu.d.creation_ns = 5 * NSEC + 123;
	domu2.d.shared_info->wc_version = 10;
	fake_run_as(&dom0, 0);
	return 0;
}

static int teardown(void **state)
{
	fake_check_unlocked();
	fake_guest_destroy(&domu2);
	fake_guest_destroy(&domu);
	fake_guest_destroy(&dom0);
	return 0;
}

#define ARG_VA fake_va(4, 0x40)

/* platform_op with @op in guest memory, snapshot after it is written. */
static long platform(const struct xen_platform_op *op)
{
	fake_poke(ARG_VA, op, sizeof(*op));
	fake_snapshot();
	return HC(hc_platform_op, ARG_VA);
}

static long settime(uint64_t secs, uint32_t nsecs, uint32_t mbz,
		    uint64_t system_time)
{
	struct xen_platform_op op = {
		.cmd = XENPF_settime64,
		.interface_version = XENPF_INTERFACE_VERSION,
		.u.settime64 = {.secs = secs,
				.nsecs = nsecs,
				.mbz = mbz,
				.system_time = system_time},
	};

	return platform(&op);
}

static void expect_wallclock(struct fake_guest *g, uint64_t sec, uint32_t nsec,
			     uint32_t version)
{
	const struct shared_info *s = g->d.shared_info;

	assert_int_equal(s->wc_sec, (uint32_t)sec);
	assert_int_equal(s->wc_sec_hi, (uint32_t)(sec >> 32));
	assert_int_equal(s->wc_nsec, nsec);
	assert_int_equal(s->wc_version, version);
}

static void test_unprivileged(void **state)
{
	fake_run_as(&domu, 0);
	assert_int_equal(settime(1700000000, 0, 0, 0), -EPERM);
	fake_unchanged();
	/* As Xen: the argument is read and its version checked first. */
	assert_int_equal(HC(hc_platform_op, 0), -EFAULT);
	assert_int_equal(HC(hc_platform_op, ~0ULL), -EFAULT);
}

static void test_interface_version(void **state)
{
	static const uint32_t bad[] = {0, XENPF_INTERFACE_VERSION - 1,
				       XENPF_INTERFACE_VERSION + 1, UINT32_MAX};

	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		struct xen_platform_op op = {.cmd = XENPF_settime64,
					     .interface_version = bad[i]};

		assert_int_equal(platform(&op), -EACCES);
		fake_unchanged();
	}
}

static void test_settime64(void **state)
{
	/* 1700000000.5 s when Orchid's clock read 2 s. */
	assert_int_equal(settime(1700000000, 500, 0, 2 * NSEC), 0);
	expect_wallclock(&dom0, 1699999998, 500, 2);
	expect_wallclock(&domu, 1700000003, 623, 2);
	expect_wallclock(&domu2, 1699999998, 500, 12);
	/* Seconds past 32 bits, nanoseconds that carry. */
	assert_int_equal(settime((1ULL << 33) + 1, 999999999, 0, 0), 0);
	expect_wallclock(&dom0, (1ULL << 33) + 1, 999999999, 4);
	expect_wallclock(&domu, (1ULL << 33) + 7, 122, 4);
	expect_wallclock(&domu2, (1ULL << 33) + 1, 999999999, 14);
	assert_int_equal(settime(0, 0, 0, 0), 0);
	expect_wallclock(&dom0, 0, 0, 6);
	expect_wallclock(&domu, 5, 123, 6);
}

static void test_settime64_invalid(void **state)
{
	static const struct xenpf_settime64 bad[] = {
		{.secs = 1700000000, .mbz = 1},
		{.secs = 1700000000, .mbz = UINT32_MAX},
		{.secs = 1700000000, .nsecs = NSEC},
		{.secs = 1700000000, .nsecs = UINT32_MAX},
		{.secs = UINT64_MAX / NSEC},
		{.secs = UINT64_MAX},
	};

	assert_int_equal(settime(1700000000, 0, 0, 0), 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(settime(bad[i].secs, bad[i].nsecs, bad[i].mbz,
					 bad[i].system_time),
				 -EINVAL);
		fake_unchanged();
	}
	/* The largest time there is. */
	assert_int_equal(settime(UINT64_MAX / NSEC - 1, NSEC - 1, 0, 0), 0);
	expect_wallclock(&dom0, UINT64_MAX / NSEC - 1, NSEC - 1, 4);
}

static void test_wallclock_without_shared_info(void **state)
{
	struct shared_info *s = domu.d.shared_info;

	domu.d.shared_info = NULL;
	wallclock_update_domain(&domu.d);
	assert_int_equal(settime(1700000000, 0, 0, 0), 0);
	domu.d.shared_info = s;
	assert_int_equal(s->wc_version, 0);
	expect_wallclock(&dom0, 1700000000, 0, 2);
}

static void test_unknown_commands(void **state)
{
	static const uint32_t cmds[] = {0, 1, XENPF_settime32, 63, UINT32_MAX};

	for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++) {
		struct xen_platform_op op = {
			.cmd = cmds[i],
			.interface_version = XENPF_INTERFACE_VERSION,
		};

		assert_int_equal(platform(&op), -ENOSYS);
		fake_unchanged();
	}
}

static void test_bad_pointers(void **state)
{
	uint64_t bad[FAKE_BAD_MAX];
	unsigned int n = fake_bad_read(sizeof(struct xen_platform_op), bad);

	fake_snapshot();
	for (unsigned int i = 0; i < n; i++)
		assert_int_equal(HC(hc_platform_op, bad[i]), -EFAULT);
	fake_unchanged();
	assert_int_equal(dom0.d.shared_info->wc_version, 0);
}

static long vm_assist(uint64_t cmd, uint64_t type)
{
	return HC(hc_vm_assist, cmd, type);
}

static void test_vm_assist(void **state)
{
	const unsigned int flag = 1U << VMASST_TYPE_runstate_update_flag;

	fake_run_as(&domu, 0);
	assert_int_equal(
		vm_assist(VMASST_CMD_enable, VMASST_TYPE_runstate_update_flag),
		0);
	assert_int_equal(domu.d.vm_assist, flag);
	assert_int_equal(dom0.d.vm_assist, 0);
	assert_int_equal(
		vm_assist(VMASST_CMD_enable, VMASST_TYPE_runstate_update_flag),
		0);
	assert_int_equal(domu.d.vm_assist, flag);
	assert_int_equal(
		vm_assist(VMASST_CMD_disable, VMASST_TYPE_runstate_update_flag),
		0);
	assert_int_equal(domu.d.vm_assist, 0);
	/* Both arguments are ints: the upper halves are ignored. */
	assert_int_equal(
		vm_assist((1ULL << 32) | VMASST_CMD_enable,
			  (1ULL << 32) | VMASST_TYPE_runstate_update_flag),
		0);
	assert_int_equal(domu.d.vm_assist, flag);
}

static void test_vm_assist_invalid(void **state)
{
	fake_run_as(&domu, 0);
	domu.d.vm_assist = 1U << VMASST_TYPE_runstate_update_flag;
	/* Types Arm does not have, or none at all. */
	for (unsigned int t = 0; t < 40; t++) {
		if (t == VMASST_TYPE_runstate_update_flag)
			continue;
		assert_int_equal(vm_assist(VMASST_CMD_enable, t), -EINVAL);
		assert_int_equal(vm_assist(VMASST_CMD_disable, t), -EINVAL);
	}
	assert_int_equal(vm_assist(VMASST_CMD_enable, UINT32_MAX), -EINVAL);
	assert_int_equal(vm_assist(VMASST_CMD_enable, 0x80000005U), -EINVAL);
	/* Commands other than enable and disable. */
	assert_int_equal(vm_assist(2, VMASST_TYPE_runstate_update_flag),
			 -ENOSYS);
	assert_int_equal(
		vm_assist(UINT32_MAX, VMASST_TYPE_runstate_update_flag),
		-ENOSYS);
	/* The type is checked first, as Xen does. */
	assert_int_equal(vm_assist(2, 0), -EINVAL);
	assert_int_equal(domu.d.vm_assist,
			 1U << VMASST_TYPE_runstate_update_flag);
}

static void test_physdev_op(void **state)
{
	fake_snapshot();
	for (unsigned int cmd = 0; cmd < 64; cmd++) {
		fake_run_as(&dom0, 0);
		assert_int_equal(HC(hc_physdev_op, cmd, fake_va(0, 0)),
				 -ENOSYS);
		fake_run_as(&domu, 0);
		assert_int_equal(HC(hc_physdev_op, cmd, 0), -ENOSYS);
	}
	assert_int_equal(HC(hc_physdev_op, UINT64_MAX, UINT64_MAX), -ENOSYS);
	fake_unchanged();
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int test_hc_platform_op(void)
{
	const struct CMUnitTest tests[] = {
		T(test_unprivileged),
		T(test_interface_version),
		T(test_settime64),
		T(test_settime64_invalid),
		T(test_wallclock_without_shared_info),
		T(test_unknown_commands),
		T(test_bad_pointers),
		T(test_vm_assist),
		T(test_vm_assist_invalid),
		T(test_physdev_op),
	};

	return cmocka_run_group_tests_name("platform_op, vm_assist, physdev_op",
					   tests, NULL, NULL);
}
