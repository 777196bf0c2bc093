/* SPDX-License-Identifier: MIT */
/*
 * vcpu_op (common/xen/vcpu_op.c): registering a vCPU's vcpu_info in guest RAM
 * and its runstate area, VCPUOP_is_up, and everything else refused as Xen
 * on Arm refuses it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <orchid/arch.h>
#include <orchid/errno.h>
#include <orchid/hypercalls.h>
#include <orchid/vcpu_op.h>
#include <orchid/domain.h>
#include <public/vcpu.h>

#include "fake_guest.h"
#include "test_hypercalls.h"

#define VCPU_INFO_SIZE sizeof(struct vcpu_info)

static struct fake_guest domu, dom2;

static int setup(void **state)
{
	fake_reset();
	/* vCPU 0 up, 1 down, 2 up, 3 never created. */
	fake_guest_create(&domu, 1, false, 4);
	domu.vcpu[2].pause_flags = 0;
	domu.vcpus[3] = NULL;
	fake_guest_create(&dom2, 2, true, 1);
	fake_run_as(&domu, 0);
	fake_ctl.get_page_ret = 0; /* the registered page is the guest's RAM */
	return 0;
}

static int teardown(void **state)
{
	fake_check_unlocked();
	fake_guest_destroy(&dom2);
	fake_guest_destroy(&domu);
	return 0;
}

static long vcpu_op(uint64_t cmd, uint64_t vcpu, uint64_t arg)
{
	return HC(hc_vcpu_op, cmd, vcpu, arg);
}

/*
 * register_vcpu_info for @vcpu: the vcpu_info at @offset into page @gfn.
 * Guest memory is snapshot after the argument is written.
 */
static long register_info(uint64_t vcpu, uint64_t gfn, uint32_t offset)
{
	struct vcpu_register_vcpu_info info = {.mfn = gfn, .offset = offset};
	uint64_t va = fake_va(0, 0x40);

	fake_poke(va, &info, sizeof(info));
	fake_snapshot();
	return vcpu_op(VCPUOP_register_vcpu_info, vcpu, va);
}

static uint64_t gfn_of(unsigned int page)
{
	return fake_va(page, 0) >> PAGE_SHIFT;
}

static void test_bad_vcpu_ids(void **state)
{
	static const uint64_t ids[] = {3, 4, UINT32_MAX, UINT64_MAX};
	static const unsigned int cmds[] = {
		VCPUOP_register_vcpu_info,
		VCPUOP_register_runstate_memory_area,
	};

	fake_snapshot();
	for (unsigned int i = 0; i < ARRAY_SIZE(ids); i++) {
		for (unsigned int c = 0; c < ARRAY_SIZE(cmds); c++)
			assert_int_equal(
				vcpu_op(cmds[c], ids[i], fake_va(0, 0)),
				-ENOENT);
		/*
		 * Xen on Arm looks the vCPU up before it refuses other
		 * commands (seen on Xen 4.17 by tests/baremetal).
		 */
		assert_int_equal(vcpu_op(VCPUOP_is_up, ids[i], 0), -ENOENT);
		assert_int_equal(vcpu_op(VCPUOP_initialise, ids[i], 0),
				 -ENOENT);
	}
	/* The vCPU ID is 32-bit: 1 << 32 names vCPU 0. */
	assert_int_equal(vcpu_op(VCPUOP_is_up, 1ULL << 32, 0), -EINVAL);
	fake_unchanged();
	/* Only the caller's own domain's vCPUs are named. */
	fake_run_as(&dom2, 0);
	assert_int_equal(vcpu_op(VCPUOP_register_runstate_memory_area, 1, 0),
			 -ENOENT);
}

static void test_register_vcpu_info(void **state)
{
	struct vcpu *v = &domu.vcpu[0];
	struct vcpu_info *old = v->vcpu_info, *new;
	uint8_t *page = fake_host(&domu, fake_va(2, 0));
	uint8_t before[PAGE_SIZE];

	assert_ptr_equal(old, &domu.d.shared_info->vcpu_info[0]);
	old->evtchn_upcall_mask = 1;
	old->evtchn_pending_sel = 0x5;
	old->time.version = 6;
	old->time.system_time = 123456789;
	memcpy(before, page, PAGE_SIZE);

	assert_int_equal(register_info(0, gfn_of(2), 64), 0);
	new = v->vcpu_info;
	assert_ptr_equal(new, page + 64);
	assert_int_equal(pa_addr(v->vcpu_info_page),
			 pa_addr(arch_va_to_pa(page)));
	/* The old content moved, with everything marked pending. */
	assert_int_equal(new->evtchn_upcall_mask, 1);
	assert_int_equal(new->time.version, 6);
	assert_int_equal(new->time.system_time, 123456789);
	assert_int_equal(new->evtchn_pending_sel, ~0UL);
	assert_int_equal(new->evtchn_upcall_pending, 1);
	assert_int_equal(fake_rec.upcalls, 1);
	assert_ptr_equal(fake_rec.upcall_v, v);
	/* Only those 48 bytes of the page changed. */
	assert_memory_equal(page, before, 64);
	assert_memory_equal(page + 64 + VCPU_INFO_SIZE,
			    before + 64 + VCPU_INFO_SIZE,
			    PAGE_SIZE - 64 - VCPU_INFO_SIZE);
}

static void test_register_twice(void **state)
{
	struct vcpu *v = &domu.vcpu[0];
	struct vcpu_info *registered;

	assert_int_equal(register_info(0, gfn_of(2), 0), 0);
	registered = v->vcpu_info;
	assert_int_equal(register_info(0, gfn_of(3), 0), -EINVAL);
	fake_unchanged();
	assert_int_equal(register_info(0, gfn_of(2), 0), -EINVAL);
	fake_unchanged();
	assert_ptr_equal(v->vcpu_info, registered);
	assert_int_equal(fake_rec.upcalls, 1);
}

static void test_register_offsets(void **state)
{
	static const uint32_t bad[] = {
		PAGE_SIZE - VCPU_INFO_SIZE + 8, /* runs off the page */
		PAGE_SIZE - VCPU_INFO_SIZE + 1,
		PAGE_SIZE,
		4,  /* misaligned */
		60, /* misaligned */
		UINT32_MAX,
		0x80000000U,
	};
	struct vcpu_info *old = domu.vcpu[0].vcpu_info;

	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(register_info(0, gfn_of(2), bad[i]), -ENXIO);
		fake_unchanged();
		/* Checked before the page is looked at. */
		assert_int_equal(register_info(0, UINT64_MAX, bad[i]), -ENXIO);
	}
	assert_ptr_equal(domu.vcpu[0].vcpu_info, old);
	assert_int_equal(fake_rec.upcalls, 0);
	/* The last slot that fits. */
	assert_int_equal(
		register_info(0, gfn_of(2), PAGE_SIZE - VCPU_INFO_SIZE), 0);
	assert_ptr_equal(
		domu.vcpu[0].vcpu_info,
		fake_host(&domu, fake_va(2, PAGE_SIZE - VCPU_INFO_SIZE)));
}

static void test_register_not_ram(void **state)
{
	const uint64_t bad[] = {
		gfn_of(FAKE_PAGE_RO),	/* read-only RAM */
		gfn_of(FAKE_PAGE_HOLE), /* nothing */
		gfn_of(FAKE_RAM_PAGES), /* past RAM */
		0,
		1ULL << 40,
		(UINT64_MAX >> PAGE_SHIFT),	/* the last page there is */
		(UINT64_MAX >> PAGE_SHIFT) + 1, /* its address overflows */
		UINT64_MAX,
	};
	struct vcpu_info *old = domu.vcpu[0].vcpu_info;

	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(register_info(0, bad[i], 0), -EINVAL);
		fake_unchanged();
	}
	/* Not even Orchid's own pages shared with the guest. */
	assert_int_equal(p2m_map(&domu.d, ipa_init(0x38000000),
				 arch_va_to_pa(domu.d.shared_info), 1,
				 p2m_xen_page),
			 0);
	assert_int_equal(register_info(0, 0x38000, 0), -EINVAL);
	fake_unchanged();
	assert_ptr_equal(domu.vcpu[0].vcpu_info, old);
	assert_int_equal(fake_rec.upcalls, 0);
	/* A gfn is guest-physical: the guest's stage 1 does not matter. */
	assert_int_equal(register_info(0, gfn_of(FAKE_PAGE_S1_FAULT), 0), 0);
}

static void test_register_other_vcpus(void **state)
{
	struct vcpu *v1 = &domu.vcpu[1];

	/* vCPU 1 is down: another vCPU may register for it. */
	v1->dummy_vcpu_info.evtchn_upcall_mask = 1;
	assert_int_equal(register_info(1, gfn_of(3), 128), 0);
	assert_ptr_equal(v1->vcpu_info, fake_host(&domu, fake_va(3, 128)));
	assert_int_equal(v1->vcpu_info->evtchn_upcall_mask, 1);
	assert_int_equal(v1->vcpu_info->evtchn_upcall_pending, 1);
	assert_ptr_equal(fake_rec.upcall_v, v1);
	/* vCPU 2 is up: only it may. */
	assert_int_equal(register_info(2, gfn_of(3), 256), -EINVAL);
	fake_unchanged();
	assert_ptr_equal(domu.vcpu[2].vcpu_info, &domu.vcpu[2].dummy_vcpu_info);
	fake_run_as(&domu, 2);
	assert_int_equal(register_info(2, gfn_of(3), 256), 0);
	assert_int_equal(fake_rec.upcalls, 2);
}

static void test_register_bad_pointers(void **state)
{
	uint64_t bad[FAKE_BAD_MAX];
	unsigned int n =
		fake_bad_read(sizeof(struct vcpu_register_vcpu_info), bad);

	fake_snapshot();
	for (unsigned int i = 0; i < n; i++)
		assert_int_equal(vcpu_op(VCPUOP_register_vcpu_info, 0, bad[i]),
				 -EFAULT);
	fake_unchanged();
	assert_ptr_equal(domu.vcpu[0].vcpu_info,
			 &domu.d.shared_info->vcpu_info[0]);
	assert_int_equal(pa_addr(domu.vcpu[0].vcpu_info_page), 0);
	assert_int_equal(fake_rec.upcalls, 0);
}

/* Xen on Arm: VCPUOP_is_up is not one of the two commands it accepts. */
static void test_is_up(void **state)
{
	fake_snapshot();
	assert_int_equal(vcpu_op(VCPUOP_is_up, 0, 0), -EINVAL);
	assert_int_equal(vcpu_op(VCPUOP_is_up, 1, 0), -EINVAL);
	assert_int_equal(vcpu_op(VCPUOP_is_up, 2, ~0ULL), -EINVAL);
	fake_unchanged();
}

/*
 * Guest-safety item 2: the registered page holds a reference for as long
 * as the vCPU lives, so a DomU that gives it back (decrease_reservation)
 * cannot make Orchid write into a page given to someone else.
 */
static void test_vcpu_info_holds_its_page(void **state)
{
	struct vcpu *v = &domu.vcpu[0];
	uint8_t *page = fake_host(&domu, fake_va(2, 0));

	assert_int_equal(register_info(0, gfn_of(2), 0), 0);
	assert_int_equal(fake_rec.page_gets, 1);
	assert_int_equal(fake_rec.page_pa, pa_addr(arch_va_to_pa(page)));
	assert_int_equal(fake_rec.page_puts, 0);
	/* Refused registrations take nothing. */
	assert_int_equal(register_info(0, gfn_of(3), 0), -EINVAL);
	assert_int_equal(fake_rec.page_gets, 1);
	/* Destroyed: the reference goes, and nothing writes there again. */
	vcpu_info_release(v);
	assert_int_equal(fake_rec.page_puts, 1);
	assert_ptr_equal(v->vcpu_info, &v->dummy_vcpu_info);
	vcpu_info_release(v);
	assert_int_equal(fake_rec.page_puts, 1);
	/* A page the frame table will not hand out: -EINVAL, as Xen. */
	fake_ctl.get_page_ret = -EINVAL;
	assert_int_equal(register_info(1, gfn_of(3), 0), -EINVAL);
	assert_ptr_not_equal(
		domu.vcpu[1].vcpu_info,
		(struct vcpu_info *)fake_host(&domu, fake_va(3, 0)));
	fake_unchanged();
}

/* Guest memory is snapshot after the argument is written. */
static long register_runstate(uint64_t vcpu, uint64_t area)
{
	struct vcpu_register_runstate_memory_area a = {.addr = area};
	uint64_t va = fake_va(0, 0x80);

	fake_poke(va, &a, sizeof(a));
	fake_snapshot();
	return vcpu_op(VCPUOP_register_runstate_memory_area, vcpu, va);
}

static void test_runstate(void **state)
{
	struct vcpu *v = &domu.vcpu[0];
	struct vcpu_runstate_info r;
	uint64_t area = fake_va(4, 0x100);

	v->runstate = (struct vcpu_runstate_info){
		.state = RUNSTATE_running,
		.state_entry_time = 1000,
		.time = {5, 6, 7, 8},
	};
	assert_int_equal(register_runstate(0, area), 0);
	assert_int_equal(v->runstate_guest_va, area);
	fake_peek(area, &r, sizeof(r));
	assert_memory_equal(&r, &v->runstate, sizeof(r));
	/* Kept current from then on. */
	v->runstate.state = RUNSTATE_blocked;
	v->runstate.state_entry_time = 2000;
	runstate_update_guest(v);
	fake_peek(area, &r, sizeof(r));
	assert_int_equal(r.state, RUNSTATE_blocked);
	assert_int_equal(r.state_entry_time, 2000);
	/* With VMASST_TYPE_runstate_update_flag the flag ends up clear. */
	domu.d.vm_assist = 1U << VMASST_TYPE_runstate_update_flag;
	v->runstate.state_entry_time = 3000;
	runstate_update_guest(v);
	fake_peek(area, &r, sizeof(r));
	assert_int_equal(r.state_entry_time, 3000);
	/* Only for the current vCPU, whose address space it is. */
	fake_run_as(&domu, 2);
	fake_snapshot();
	runstate_update_guest(v);
	fake_unchanged();
	/* Address 0 unregisters. */
	fake_run_as(&domu, 0);
	assert_int_equal(register_runstate(0, 0), 0);
	assert_int_equal(v->runstate_guest_va, 0);
	fake_snapshot();
	runstate_update_guest(v);
	fake_unchanged();
}

static void test_runstate_other_vcpu(void **state)
{
	struct vcpu *v1 = &domu.vcpu[1];

	v1->runstate.state = RUNSTATE_offline;
	fake_poke(fake_va(0, 0x80), (uint64_t[1]){fake_va(4, 0x200)}, 8);
	fake_snapshot();
	assert_int_equal(vcpu_op(VCPUOP_register_runstate_memory_area, 1,
				 fake_va(0, 0x80)),
			 0);
	/* Written when vCPU 1 next runs, not now. */
	assert_int_equal(v1->runstate_guest_va, fake_va(4, 0x200));
	fake_unchanged();
	fake_run_as(&domu, 1);
	runstate_update_guest(v1);
	assert_int_equal(*(int *)fake_host(&domu, fake_va(4, 0x200)),
			 RUNSTATE_offline);
}

static void test_runstate_bad_areas(void **state)
{
	struct vcpu *v = &domu.vcpu[0];
	uint64_t bad[FAKE_BAD_MAX];
	unsigned int n;

	/* A bad pointer to the argument: nothing registered. */
	n = fake_bad_read(sizeof(struct vcpu_register_runstate_memory_area),
			  bad);
	fake_snapshot();
	for (unsigned int i = 0; i < n; i++)
		assert_int_equal(vcpu_op(VCPUOP_register_runstate_memory_area,
					 0, bad[i]),
				 -EFAULT);
	fake_unchanged();
	assert_int_equal(v->runstate_guest_va, 0);
	/*
	 * A bad area is accepted, as Xen does (the guest may map it later),
	 * and never written while it stays bad.
	 */
	n = fake_bad_read(sizeof(struct vcpu_runstate_info), bad);
	for (unsigned int i = 0; i < n; i++) {
		assert_int_equal(register_runstate(0, bad[i]), 0);
		fake_unchanged();
		assert_int_equal(v->runstate_guest_va, bad[i]);
	}
	n = fake_bad_write(sizeof(struct vcpu_runstate_info), bad);
	for (unsigned int i = 0; i < n; i++) {
		assert_int_equal(register_runstate(0, bad[i]), 0);
		fake_unchanged();
		runstate_update_guest(v);
		fake_unchanged();
	}
}

/*
 * With VMASST_TYPE_runstate_update_flag, the flag's byte (the top byte of
 * state_entry_time) is written on its own before and after the whole
 * area, exactly as Xen's update_runstate_area does: an area writable only
 * where that field is gets that one byte, and nothing else (the fuzzer's
 * seed 401 had a whole 8-byte write land on the guest's own data).
 */
static void test_runstate_flag_partial_area(void **state)
{
	struct vcpu *v = &domu.vcpu[0];
	uint64_t area = fake_va(FAKE_PAGE_RO, 0) - 16, entry_time, old;
	uint64_t entry_va =
		area + offsetof(struct vcpu_runstate_info, state_entry_time);

	v->runstate.state_entry_time = 0x5600000000001234ULL;
	domu.d.vm_assist = 1U << VMASST_TYPE_runstate_update_flag;
	fake_peek(entry_va, &old, sizeof(old));
	assert_int_equal(register_runstate(0, area), 0);
	fake_peek(entry_va, &entry_time, sizeof(entry_time));
	assert_int_equal(entry_time,
			 (old & 0x00ffffffffffffffULL) | 0x5600000000000000ULL);
	fake_poke(entry_va, &old, sizeof(old));
	fake_unchanged();
}

static void test_other_commands(void **state)
{
	static const unsigned int cmds[] = {
		VCPUOP_initialise,
		VCPUOP_up,
		VCPUOP_down,
		VCPUOP_get_runstate_info,
		VCPUOP_set_periodic_timer,
		VCPUOP_stop_periodic_timer,
		VCPUOP_set_singleshot_timer,
		VCPUOP_stop_singleshot_timer,
		VCPUOP_send_nmi,
		VCPUOP_get_physid,
		VCPUOP_register_vcpu_time_memory_area,
		14,
		~0U,
	};

	fake_snapshot();
	for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++) {
		assert_int_equal(vcpu_op(cmds[i], 0, fake_va(0, 0)), -EINVAL);
		assert_int_equal(vcpu_op(cmds[i], 1, 0), -EINVAL);
	}
	fake_unchanged();
	assert_int_equal(domu.vcpu[1].pause_flags, VPF_DOWN);
	/* The command is an int: the upper half of x0 is ignored. */
	assert_int_equal(
		vcpu_op((1ULL << 32) | VCPUOP_register_runstate_memory_area, 3,
			0),
		-ENOENT);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int test_hc_vcpu_op(void)
{
	const struct CMUnitTest tests[] = {
		T(test_bad_vcpu_ids),
		T(test_register_vcpu_info),
		T(test_register_twice),
		T(test_register_offsets),
		T(test_register_not_ram),
		T(test_register_other_vcpus),
		T(test_register_bad_pointers),
		T(test_is_up),
		T(test_vcpu_info_holds_its_page),
		T(test_runstate),
		T(test_runstate_other_vcpu),
		T(test_runstate_bad_areas),
		T(test_runstate_flag_partial_area),
		T(test_other_commands),
	};

	return cmocka_run_group_tests_name("vcpu_op", tests, NULL, NULL);
}
