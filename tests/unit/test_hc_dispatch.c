/* SPDX-License-Identifier: MIT */
/*
 * The hypercall table and its dispatcher (common/xen/hypercall.c): every
 * number reaches its handler, unknown ones get -ENOSYS and a bounded
 * number of log lines, and debug builds clobber the argument registers a
 * call used, as Xen does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <orchid/errno.h>
#include <orchid/hypercall.h>
#include <orchid/hypercalls.h>
#include <public/hvm/params.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/version.h>

#include "fake_guest.h"
#include "printk_stub.h"
#include "test_hypercalls.h"

#define CLOBBER 0xdeadbeefUL

static struct fake_guest dom0, domu;

static int setup(void **state)
{
	fake_reset();
	fake_guest_create(&dom0, 0, true, 1);
	fake_guest_create(&domu, 1, false, 1);
	hardware_domain = &dom0.d;
	fake_run_as(&domu, 0);
	return 0;
}

static int teardown(void **state)
{
	fake_check_unlocked();
	fake_guest_destroy(&domu);
	fake_guest_destroy(&dom0);
	return 0;
}

/* The implemented hypercalls and the argument registers each reads. */
static const struct {
	unsigned long nr;
	unsigned int nargs;
} implemented[] = {
	{__HYPERVISOR_platform_op, 1},	    {__HYPERVISOR_memory_op, 2},
	{__HYPERVISOR_xen_version, 2},	    {__HYPERVISOR_console_io, 3},
	{__HYPERVISOR_grant_table_op, 3},   {__HYPERVISOR_vm_assist, 2},
	{__HYPERVISOR_vcpu_op, 3},	    {__HYPERVISOR_sched_op, 2},
	{__HYPERVISOR_event_channel_op, 2}, {__HYPERVISOR_physdev_op, 2},
	{__HYPERVISOR_hvm_op, 2},	    {__HYPERVISOR_multicall, 2},
	{__HYPERVISOR_sysctl, 1},	    {__HYPERVISOR_domctl, 1},
	{__HYPERVISOR_xsm_op, 1},
};

static bool is_implemented(unsigned long nr)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(implemented); i++)
		if (implemented[i].nr == nr)
			return true;
	return false;
}

static long call(unsigned long nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	uint64_t args[5] = {a0, a1, a2, 0, 0};

	return hypercall_dispatch(nr, args);
}

static void test_routing(void **state)
{
	struct xen_hvm_param p = {.domid = DOMID_SELF,
				  .index = HVM_PARAM_CALLBACK_IRQ};
	uint64_t va = fake_va(0, 0x10);
	unsigned int logged;

	assert_int_equal(call(__HYPERVISOR_xen_version, XENVER_version, 0, 0),
			 0x40011);
	fake_ctl.max_pfn = 0x4321;
	assert_int_equal(
		call(__HYPERVISOR_memory_op, XENMEM_maximum_ram_page, 0, 0),
		0x4322); /* Xen's max_page: one past the last page */
	/* Routed: a zeroed argument fails platform_op's version check. */
	assert_int_equal(call(__HYPERVISOR_platform_op, va, 0, 0), -EACCES);
	assert_int_equal(call(__HYPERVISOR_console_io, CONSOLEIO_write, 1, va),
			 -EPERM);
	assert_int_equal(call(__HYPERVISOR_vm_assist, VMASST_CMD_enable,
			      VMASST_TYPE_runstate_update_flag, 0),
			 0);
	assert_int_equal(domu.d.vm_assist,
			 1U << VMASST_TYPE_runstate_update_flag);
	assert_int_equal(call(__HYPERVISOR_vcpu_op,
			      VCPUOP_register_runstate_memory_area, 9, 0),
			 -ENOENT);
	assert_int_equal(call(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0), 0);
	assert_int_equal(fake_rec.yields, 1);
	domu.d.hvm_params[HVM_PARAM_CALLBACK_IRQ] = 0x0200000000000010ULL;
	fake_poke(va, &p, sizeof(p));
	assert_int_equal(call(__HYPERVISOR_hvm_op, HVMOP_get_param, va, 0), 0);
	fake_peek(va, &p, sizeof(p));
	assert_int_equal(p.value, 0x0200000000000010ULL);
	/* physdev_op exists and says -ENOSYS itself: nothing is logged. */
	logged = printk_stub_count;
	assert_int_equal(call(__HYPERVISOR_physdev_op, 0, 0, 0), -ENOSYS);
	assert_int_equal(printk_stub_count, logged);
	/* Dom0's console. */
	fake_run_as(&dom0, 0);
	fake_poke(va, "ok", 2);
	assert_int_equal(call(__HYPERVISOR_console_io, CONSOLEIO_write, 2, va),
			 0);
	assert_memory_equal(fake_rec.console, "ok", 2);
}

static void test_evtchn_and_gnttab_arguments(void **state)
{
	/* Their commands and counts are 32-bit, as in Xen's prototypes. */
	fake_ctl.evtchn_op_ret = -EINVAL;
	assert_int_equal(call(__HYPERVISOR_event_channel_op, (1ULL << 32) | 7,
			      0x1234567890ULL, 0),
			 -EINVAL);
	assert_int_equal(fake_rec.evtchn_ops, 1);
	assert_int_equal(fake_rec.op_cmd, 7);
	assert_int_equal(fake_rec.op_arg, 0x1234567890ULL);
	fake_ctl.gnttab_op_ret = 3;
	assert_int_equal(call(__HYPERVISOR_grant_table_op, (5ULL << 32) | 2,
			      UINT64_MAX, (1ULL << 32) | 9),
			 3);
	assert_int_equal(fake_rec.gnttab_ops, 1);
	assert_int_equal(fake_rec.op_cmd, 2);
	assert_int_equal(fake_rec.op_arg, UINT64_MAX);
	assert_int_equal(fake_rec.op_count, 9);
}

/* A batch runs each entry and writes each result; nesting is refused. */
static void test_multicall(void **state)
{
	struct multicall_entry e[3];
	uint64_t va = fake_va(1, 0x100);

	memset(e, 0, sizeof(e));
	e[0].op = __HYPERVISOR_xen_version; /* XENVER_version */
	e[1].op = __HYPERVISOR_multicall;
	e[2].op = __HYPERVISOR_physdev_op; /* -ENOSYS, and logs nothing */
	fake_poke(va, e, sizeof(e));
	assert_int_equal(call(__HYPERVISOR_multicall, va, 3, 0), 0);
	fake_peek(va, e, sizeof(e));
	assert_int_equal(e[0].result, (4 << 16) | 17);
	assert_int_equal((long)e[1].result, -EINVAL);
	assert_int_equal((long)e[2].result, -ENOSYS);
	assert_int_equal(call(__HYPERVISOR_multicall, 0, 1, 0), -EFAULT);
	/* The count is 32 bits, as Xen's nr_calls (big ones: test_preempt). */
	assert_int_equal(call(__HYPERVISOR_multicall, 0, 1ULL << 32, 0), 0);
}

static void test_unknown_numbers(void **state)
{
	for (unsigned long nr = 0; nr < NR_HYPERCALLS; nr++) {
		uint64_t args[5] = {1, 2, 3, 4, 5};
		unsigned int logged = printk_stub_count;

		if (is_implemented(nr))
			continue;
		assert_int_equal(hypercall_dispatch(nr, args), -ENOSYS);
		/* Logged once, naming the number and the domain. */
		assert_int_equal(printk_stub_count, logged + 1);
		assert_non_null(strstr(printk_stub_last, "d1: "));
		assert_non_null(strstr(printk_stub_last, "hypercall"));
		assert_int_equal(hypercall_dispatch(nr, args), -ENOSYS);
		fake_run_as(&dom0, 0);
		assert_int_equal(hypercall_dispatch(nr, args), -ENOSYS);
		fake_run_as(&domu, 0);
		assert_int_equal(printk_stub_count, logged + 1);
		/* Nothing to clobber. */
		for (unsigned int i = 0; i < 5; i++)
			assert_int_equal(args[i], i + 1);
	}
	assert_int_equal(
		fake_rec.yields + fake_rec.evtchn_ops + fake_rec.gnttab_ops, 0);
}

/*
 * Numbers past the table are refused without indexing it, and a guest
 * looping on them cannot flood Orchid's console: they are logged a
 * bounded number of times.
 */
static void test_huge_numbers(void **state)
{
	static const unsigned long nrs[] = {
		NR_HYPERCALLS, NR_HYPERCALLS + 1, 100,	1000,
		1UL << 32,     1UL << 63,	  ~0UL,
	};
	unsigned int logged = printk_stub_count;

	for (unsigned int round = 0; round < 100; round++) {
		for (unsigned int i = 0; i < ARRAY_SIZE(nrs); i++) {
			uint64_t args[5] = {1, 2, 3, 4, 5};

			assert_int_equal(hypercall_dispatch(nrs[i], args),
					 -ENOSYS);
			for (unsigned int a = 0; a < 5; a++)
				assert_int_equal(args[a], a + 1);
		}
	}
	assert_in_range(printk_stub_count - logged, 1, ARRAY_SIZE(nrs));
}

/* Debug builds clobber the argument registers 1..nargs-1 (x0 returns). */
static void test_debug_clobbering(void **state)
{
	/* Arguments on which every handler fails early or does nothing. */
	const uint64_t a0[NR_HYPERCALLS] = {
		[__HYPERVISOR_platform_op] = 0,
		[__HYPERVISOR_memory_op] = 63,
		[__HYPERVISOR_xen_version] = XENVER_version,
		[__HYPERVISOR_console_io] = CONSOLEIO_write,
		[__HYPERVISOR_grant_table_op] = 0,
		[__HYPERVISOR_vm_assist] = VMASST_CMD_enable,
		[__HYPERVISOR_vcpu_op] = VCPUOP_is_up,
		[__HYPERVISOR_sched_op] = SCHEDOP_yield,
		[__HYPERVISOR_event_channel_op] = 0,
		[__HYPERVISOR_physdev_op] = 0,
		[__HYPERVISOR_hvm_op] = 99,
	};

	fake_snapshot();
	for (unsigned int i = 0; i < ARRAY_SIZE(implemented); i++) {
		unsigned long nr = implemented[i].nr;
		unsigned int nargs = implemented[i].nargs;
		uint64_t args[5] = {a0[nr], 0x1111, 0x2222, 0x3333, 0x4444};

		hypercall_dispatch(nr, args);
		assert_int_equal(args[0], a0[nr]);
		for (unsigned int a = 1; a < 5; a++) {
			if (a < nargs)
				assert_int_equal(args[a], CLOBBER);
			else
				assert_int_equal(args[a], 0x1111 * a);
		}
	}
	fake_unchanged();
}

static void test_unimplemented_sub_ops(void **state)
{
	static const char hc_a[] = "test_a", hc_b[] = "test_b";
	unsigned int logged = printk_stub_count;

	/* Once per (hypercall, sub-op). */
	assert_int_equal(hypercall_unimplemented(hc_a, 5), -ENOSYS);
	assert_int_equal(printk_stub_count, logged + 1);
	assert_non_null(strstr(printk_stub_last, "d1: "));
	assert_non_null(strstr(printk_stub_last, "test_a"));
	assert_non_null(strstr(printk_stub_last, "5"));
	assert_int_equal(hypercall_unimplemented(hc_a, 5), -ENOSYS);
	assert_int_equal(printk_stub_count, logged + 1);
	assert_int_equal(hypercall_unimplemented(hc_a, 6), -ENOSYS);
	assert_int_equal(hypercall_unimplemented(hc_b, 5), -ENOSYS);
	assert_int_equal(printk_stub_count, logged + 3);
}

/*
 * A guest naming ever new sub-ops (add_to_physmap's space is any 32-bit
 * number) cannot flood the console either.
 */
static void test_unimplemented_sub_ops_bounded(void **state)
{
	static const char hc_c[] = "test_c";
	unsigned int logged = printk_stub_count;

	for (unsigned long cmd = 0; cmd < 1000; cmd++)
		assert_int_equal(hypercall_unimplemented(hc_c, cmd), -ENOSYS);
	assert_in_range(printk_stub_count - logged, 0, 64);
	logged = printk_stub_count;
	for (unsigned long cmd = 0; cmd < 1000; cmd++)
		assert_int_equal(hypercall_unimplemented(hc_c, cmd), -ENOSYS);
	assert_int_equal(printk_stub_count, logged);
}

static void test_current_domain_id(void **state)
{
	assert_int_equal(current_domain_id(), 1);
	fake_run_as(&dom0, 0);
	assert_int_equal(current_domain_id(), 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int test_hc_dispatch(void)
{
	const struct CMUnitTest tests[] = {
		T(test_routing),
		T(test_evtchn_and_gnttab_arguments),
		T(test_multicall),
		T(test_unknown_numbers),
		T(test_huge_numbers),
		T(test_debug_clobbering),
		T(test_unimplemented_sub_ops),
		T(test_unimplemented_sub_ops_bounded),
		T(test_current_domain_id),
	};

	return cmocka_run_group_tests_name("hypercall_dispatch", tests, NULL,
					   NULL);
}
