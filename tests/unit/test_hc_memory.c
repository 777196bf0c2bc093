/* SPDX-License-Identifier: MIT */
/*
 * memory_op (common/xen/memory.c): placing shared_info and grant frames in a
 * guest's physical address space, taking pages out of it, and the
 * reservation queries; who may do it to which domain. memory_op never
 * writes guest memory here: every call checks that none changed. The
 * page ownership underneath is faked (tests/unit/fake_guest_mem.c); RAM,
 * foreign mappings and acquire_resource are tests/unit/test_memory_op.c's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <orchid/arch.h>
#include <orchid/domain_mem.h>
#include <orchid/errno.h>
#include <orchid/guest_access.h>
#include <orchid/hypercalls.h>
#include <public/memory.h>

#include "fake_guest.h"
#include "test_hypercalls.h"

static struct fake_guest dom0, domu, domu2;

static int setup(void **state)
{
	fake_reset();
	fake_guest_create(&dom0, 0, true, 1);
	fake_guest_create(&domu, 1, false, 1);
	fake_guest_create(&domu2, 2, false, 1);
	hardware_domain = &dom0.d;
	domu.d.tot_pages = 0x1234;
	domu.d.max_pages = 0x5678;
	dom0.d.tot_pages = 0x20000;
	dom0.d.max_pages = 0x20000;
	fake_run_as(&domu, 0);
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

/* memory_op(@cmd) with @arg in guest memory, which must stay as it was. */
static long memop(uint64_t cmd, const void *arg, size_t size)
{
	uint64_t va = fake_va(1, 0x80);
	long rc;

	fake_poke(va, arg, size);
	fake_snapshot();
	rc = HC(hc_memory_op, cmd, va);
	fake_unchanged();
	return rc;
}

static long add(domid_t domid, unsigned int space, xen_ulong_t idx,
		xen_pfn_t gpfn)
{
	struct xen_add_to_physmap x = {
		.domid = domid, .space = space, .idx = idx, .gpfn = gpfn};

	return memop(XENMEM_add_to_physmap, &x, sizeof(x));
}

static long remove_page(domid_t domid, xen_pfn_t gpfn)
{
	struct xen_remove_from_physmap x = {.domid = domid, .gpfn = gpfn};

	return memop(XENMEM_remove_from_physmap, &x, sizeof(x));
}

static long reservation(unsigned int cmd, domid_t domid)
{
	return memop(cmd, &domid, sizeof(domid));
}

/* What @d's stage 2 has at page @gpfn: its type, p2m_invalid if nothing. */
static enum p2m_type mapping(struct fake_guest *g, xen_pfn_t gpfn, paddr_t *pa)
{
	enum p2m_type t;
	paddr_t where;

	if (!p2m_lookup(&g->d, ipa_init(gpfn << PAGE_SHIFT), &where, &t))
		return p2m_invalid;
	if (pa)
		*pa = where;
	return t;
}

/* Every address where a @size-byte argument cannot be read: -EFAULT. */
static void expect_bad_args(uint64_t cmd, size_t size)
{
	uint64_t bad[FAKE_BAD_MAX];
	unsigned int n = fake_bad_read(size, bad);

	fake_snapshot();
	for (unsigned int i = 0; i < n; i++)
		assert_int_equal(HC(hc_memory_op, cmd, bad[i]), -EFAULT);
	fake_unchanged();
}

static void test_shared_info_self(void **state)
{
	uint32_t wc_sec;
	paddr_t pa;

	assert_int_equal(add(DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x38000),
			 0);
	assert_int_equal(mapping(&domu, 0x38000, &pa), p2m_xen_page);
	assert_ptr_equal(arch_pa_to_va(pa), domu.d.shared_info);
	assert_int_equal(fake_rec.p2m_nr, 1);
	/* The guest now reads its shared_info there. */
	domu.d.shared_info->wc_sec = 42;
	assert_int_equal(
		copy_from_guest(&wc_sec,
				(0x38000ULL << PAGE_SHIFT) +
					offsetof(struct shared_info, wc_sec),
				sizeof(wc_sec)),
		0);
	assert_int_equal(wc_sec, 42);
	/* Its own id works as DOMID_SELF; a second mapping is -EBUSY (Xen). */
	assert_int_equal(add(1, XENMAPSPACE_shared_info, 0, 0x38001), -EBUSY);
	assert_int_equal(mapping(&domu, 0x38001, NULL), p2m_invalid);
	assert_int_equal(fake_rec.p2m_maps, 1);
	/* Over RAM, like Xen: the page is replaced. */
	domu.d.shared_info_gfn = DOMAIN_MEM_NO_GFN; /* as if removed */
	assert_int_equal(
		add(1, XENMAPSPACE_shared_info, 0, fake_va(2, 0) >> PAGE_SHIFT),
		0);
	assert_int_equal(mapping(&domu, fake_va(2, 0) >> PAGE_SHIFT, NULL),
			 p2m_xen_page);
}

static void test_shared_info_for_other_domains(void **state)
{
	paddr_t pa;

	/* A DomU acts only on itself, and learns nothing about others. */
	assert_int_equal(add(0, XENMAPSPACE_shared_info, 0, 0x38000), -EPERM);
	assert_int_equal(add(2, XENMAPSPACE_shared_info, 0, 0x38000), -EPERM);
	/* A domain that does not exist is -ESRCH for anyone, as on Xen. */
	assert_int_equal(add(7, XENMAPSPACE_shared_info, 0, 0x38000), -ESRCH);
	assert_int_equal(add(DOMID_IO, XENMAPSPACE_grant_table, 0, 0x38000),
			 -ESRCH);
	assert_int_equal(fake_rec.p2m_maps + fake_rec.gnttab_maps, 0);
	assert_int_equal(mapping(&dom0, 0x38000, NULL), p2m_invalid);
	assert_int_equal(mapping(&domu2, 0x38000, NULL), p2m_invalid);

	/* Dom0 acts on anyone that exists. */
	fake_run_as(&dom0, 0);
	assert_int_equal(add(1, XENMAPSPACE_shared_info, 0, 0x38000), 0);
	assert_int_equal(mapping(&domu, 0x38000, &pa), p2m_xen_page);
	assert_ptr_equal(arch_pa_to_va(pa), domu.d.shared_info);
	assert_int_equal(mapping(&dom0, 0x38000, NULL), p2m_invalid);
	assert_int_equal(add(7, XENMAPSPACE_shared_info, 0, 0x38000), -ESRCH);
	assert_int_equal(add(DOMID_IO, XENMAPSPACE_shared_info, 0, 0x38000),
			 -ESRCH);
	assert_int_equal(add(DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x38000),
			 0);
	assert_int_equal(mapping(&dom0, 0x38000, &pa), p2m_xen_page);
	assert_ptr_equal(arch_pa_to_va(pa), dom0.d.shared_info);
}

static void test_shared_info_index(void **state)
{
	assert_int_equal(add(DOMID_SELF, XENMAPSPACE_shared_info, 1, 0x38000),
			 -EINVAL);
	assert_int_equal(
		add(DOMID_SELF, XENMAPSPACE_shared_info, ~0UL, 0x38000),
		-EINVAL);
	assert_int_equal(fake_rec.p2m_maps, 0);
	/* A stage-2 failure comes back as is. */
	fake_ctl.p2m_map_ret = -ENOMEM;
	assert_int_equal(add(DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x38000),
			 -ENOMEM);
	assert_int_equal(mapping(&domu, 0x38000, NULL), p2m_invalid);
}

static void test_gpfn_range(void **state)
{
	const xen_pfn_t top = (1ULL << (40 - PAGE_SHIFT)) - 1;
	static const xen_pfn_t bad[] = {
		1ULL << (40 - PAGE_SHIFT),
		1ULL << 52,
		1ULL << 63,
		UINT64_MAX,
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(
			add(DOMID_SELF, XENMAPSPACE_shared_info, 0, bad[i]),
			-EINVAL);
		assert_int_equal(
			add(DOMID_SELF, XENMAPSPACE_grant_table, 0, bad[i]),
			-EINVAL);
		/* Nothing Xen's get_page_from_gfn finds there. */
		assert_int_equal(remove_page(DOMID_SELF, bad[i]), -ENOENT);
	}
	assert_int_equal(fake_rec.p2m_maps + fake_rec.p2m_unmaps, 0);
	assert_int_equal(fake_rec.gnttab_maps + fake_rec.gnttab_unmaps, 0);
	/* The last page of the IPA space is fine. */
	assert_int_equal(add(DOMID_SELF, XENMAPSPACE_shared_info, 0, top), 0);
	assert_int_equal(mapping(&domu, top, NULL), p2m_xen_page);
	/* The limit follows the stage 2's size. */
	fake_ctl.ipa_bits = 48;
	domu.d.shared_info_gfn = DOMAIN_MEM_NO_GFN; /* as if removed */
	assert_int_equal(add(DOMID_SELF, XENMAPSPACE_shared_info, 0, top + 1),
			 0);
	fake_ctl.ipa_bits = 32;
	assert_int_equal(add(DOMID_SELF, XENMAPSPACE_shared_info, 0, top),
			 -EINVAL);
}

static void test_grant_table(void **state)
{
	assert_int_equal(add(DOMID_SELF, XENMAPSPACE_grant_table, 0, 0x38010),
			 0);
	assert_int_equal(fake_rec.gnttab_maps, 1);
	assert_ptr_equal(fake_rec.gnttab_d, &domu.d);
	assert_int_equal(fake_rec.gnttab_idx, 0);
	assert_int_equal(fake_rec.gnttab_gfn, 0x38010);
	assert_int_equal(add(1, XENMAPSPACE_grant_table, 63, 0x38011), 0);
	assert_int_equal(fake_rec.gnttab_idx, 63);
	/* grant_table.c's answers come back as they are. */
	fake_ctl.gnttab_map_ret = -EINVAL;
	assert_int_equal(add(1, XENMAPSPACE_grant_table, 64, 0x38012), -EINVAL);
	fake_ctl.gnttab_map_ret = -EBUSY;
	assert_int_equal(add(1, XENMAPSPACE_grant_table, 0, 0x38013), -EBUSY);
	assert_int_equal(fake_rec.gnttab_maps, 4);
	/* Dom0 places another domain's frames. */
	fake_ctl.gnttab_map_ret = 0;
	fake_run_as(&dom0, 0);
	assert_int_equal(add(2, XENMAPSPACE_grant_table, 1, 0x38014), 0);
	assert_ptr_equal(fake_rec.gnttab_d, &domu2.d);
	assert_int_equal(fake_rec.p2m_maps, 0);
}

static void test_grant_status_frames(void **state)
{
	/* Status frames are grant tables v2's, which Arm does not have. */
	assert_int_equal(add(DOMID_SELF, XENMAPSPACE_grant_table,
			     XENMAPIDX_grant_table_status, 0x38000),
			 -EINVAL);
	assert_int_equal(add(DOMID_SELF, XENMAPSPACE_grant_table,
			     XENMAPIDX_grant_table_status | 3, 0x38000),
			 -EINVAL);
	assert_int_equal(fake_rec.gnttab_maps, 0);
	/* The flag is bit 31; higher bits are part of the index. */
	assert_int_equal(
		add(DOMID_SELF, XENMAPSPACE_grant_table, 1ULL << 32, 0x38000),
		0);
	assert_int_equal(fake_rec.gnttab_idx, 1ULL << 32);
}

static void test_unknown_space(void **state)
{
	static const unsigned int spaces[] = {
		XENMAPSPACE_gmfn,
		XENMAPSPACE_gmfn_range,
		XENMAPSPACE_gmfn_foreign,
		XENMAPSPACE_dev_mmio,
		6,
		~0U,
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(spaces); i++) {
		assert_int_equal(add(DOMID_SELF, spaces[i], 0, 0x38000),
				 -ENOSYS);
		/* Foreign pages: add_to_physmap_batch's alone, said first. */
		assert_int_equal(add(DOMID_SELF, spaces[i], 0, UINT64_MAX),
				 spaces[i] == XENMAPSPACE_gmfn_foreign
					 ? -ENOSYS
					 : -EINVAL);
	}
	assert_int_equal(fake_rec.p2m_maps + fake_rec.gnttab_maps, 0);
}

static void test_remove(void **state)
{
	/* A grant frame: grant_table.c unmaps it. */
	fake_ctl.gnttab_unmap_ret = 0;
	assert_int_equal(remove_page(DOMID_SELF, 0x38010), 0);
	assert_int_equal(fake_rec.gnttab_unmaps, 1);
	assert_ptr_equal(fake_rec.gnttab_d, &domu.d);
	assert_int_equal(fake_rec.gnttab_gfn, 0x38010);
	assert_int_equal(fake_rec.p2m_unmaps, 0);
	/* One of Orchid's pages (shared_info) is simply unmapped. */
	fake_ctl.gnttab_unmap_ret = -ENOENT;
	assert_int_equal(add(DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x38000),
			 0);
	assert_int_equal(remove_page(1, 0x38000), 0);
	assert_int_equal(fake_rec.p2m_unmaps, 1);
	assert_int_equal(fake_rec.p2m_ipa, 0x38000000);
	assert_int_equal(fake_rec.p2m_nr, 1);
	assert_int_equal(mapping(&domu, 0x38000, NULL), p2m_invalid);
	/* A hole, a device: nothing to remove (Xen's -ENOENT). */
	assert_int_equal(remove_page(DOMID_SELF, 0x38000), -ENOENT);
	assert_int_equal(fake_rec.p2m_unmaps, 1);
	/* Its own RAM too. */
	assert_int_equal(remove_page(DOMID_SELF, fake_va(7, 0) >> PAGE_SHIFT),
			 0);
	assert_int_equal(mapping(&domu, fake_va(7, 0) >> PAGE_SHIFT, NULL),
			 p2m_invalid);
}

static void test_remove_other_domains(void **state)
{
	assert_int_equal(remove_page(0, fake_va(0, 0) >> PAGE_SHIFT), -EPERM);
	assert_int_equal(remove_page(2, fake_va(0, 0) >> PAGE_SHIFT), -EPERM);
	assert_int_equal(remove_page(7, 0x38000), -ESRCH);
	assert_int_equal(fake_rec.gnttab_unmaps + fake_rec.p2m_unmaps, 0);
	assert_int_equal(mapping(&dom0, fake_va(0, 0) >> PAGE_SHIFT, NULL),
			 p2m_ram_rw);
	fake_run_as(&dom0, 0);
	assert_int_equal(remove_page(7, 0x38000), -ESRCH);
	assert_int_equal(remove_page(2, fake_va(0, 0) >> PAGE_SHIFT), 0);
	assert_ptr_equal(fake_rec.p2m_d, &domu2.d);
	assert_int_equal(mapping(&domu2, fake_va(0, 0) >> PAGE_SHIFT, NULL),
			 p2m_invalid);
	assert_int_equal(mapping(&dom0, fake_va(0, 0) >> PAGE_SHIFT, NULL),
			 p2m_ram_rw);
}

static void test_reservations(void **state)
{
	assert_int_equal(reservation(XENMEM_current_reservation, DOMID_SELF),
			 0x1234);
	assert_int_equal(reservation(XENMEM_maximum_reservation, DOMID_SELF),
			 0x5678);
	assert_int_equal(reservation(XENMEM_current_reservation, 1), 0x1234);
	assert_int_equal(reservation(XENMEM_current_reservation, 0), -EPERM);
	assert_int_equal(reservation(XENMEM_maximum_reservation, 2), -EPERM);
	assert_int_equal(reservation(XENMEM_maximum_reservation, 7), -ESRCH);
	fake_run_as(&dom0, 0);
	assert_int_equal(reservation(XENMEM_current_reservation, DOMID_SELF),
			 0x20000);
	assert_int_equal(reservation(XENMEM_maximum_reservation, 1), 0x5678);
	assert_int_equal(reservation(XENMEM_current_reservation, 7), -ESRCH);
	assert_int_equal(reservation(XENMEM_current_reservation, DOMID_XEN),
			 -ESRCH);
}

static void test_maximum_ram_page(void **state)
{
	fake_ctl.max_pfn = 0x123456;
	/* No argument is read; Xen's max_page is one past the last page. */
	fake_snapshot();
	assert_int_equal(HC(hc_memory_op, XENMEM_maximum_ram_page, 0),
			 0x123457);
	assert_int_equal(HC(hc_memory_op, XENMEM_maximum_ram_page, ~0ULL),
			 0x123457);
	fake_run_as(&dom0, 0);
	assert_int_equal(HC(hc_memory_op, XENMEM_maximum_ram_page, 0),
			 0x123457);
	fake_unchanged();
}

static void test_bad_pointers(void **state)
{
	expect_bad_args(XENMEM_add_to_physmap,
			sizeof(struct xen_add_to_physmap));
	expect_bad_args(XENMEM_remove_from_physmap,
			sizeof(struct xen_remove_from_physmap));
	expect_bad_args(XENMEM_current_reservation, sizeof(domid_t));
	expect_bad_args(XENMEM_maximum_reservation, sizeof(domid_t));
	fake_run_as(&dom0, 0);
	expect_bad_args(XENMEM_add_to_physmap,
			sizeof(struct xen_add_to_physmap));
	assert_int_equal(fake_rec.p2m_maps + fake_rec.p2m_unmaps, 0);
	assert_int_equal(fake_rec.gnttab_maps + fake_rec.gnttab_unmaps, 0);
}

static void test_unknown_commands(void **state)
{
	/* The rest are tests/unit/test_memory_op.c's. */
	static const unsigned int cmds[] = {
		XENMEM_machphys_mfn_list,
		XENMEM_exchange,
		XENMEM_set_memory_map,
		XENMEM_set_pod_target,
		XENMEM_access_op,
		XENMEM_sharing_op,
		XENMEM_reserved_device_memory_map,
		63,
	};
	uint64_t zero[4] = {0};

	for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++) {
		assert_int_equal(memop(cmds[i], zero, sizeof(zero)), -ENOSYS);
		fake_run_as(&dom0, 0);
		assert_int_equal(memop(cmds[i], zero, sizeof(zero)), -ENOSYS);
		fake_run_as(&domu, 0);
	}
}

static void test_continuation_bits(void **state)
{
	struct xen_add_to_physmap x = {.domid = DOMID_SELF,
				       .space = XENMAPSPACE_shared_info,
				       .gpfn = 0x38000};
	domid_t self = DOMID_SELF;

	/*
	 * Only the low 6 bits name the sub-op; the rest is a start extent,
	 * which sub-ops without one refuse, as Xen does.
	 */
	fake_ctl.max_pfn = 77;
	assert_int_equal(
		HC(hc_memory_op, XENMEM_maximum_ram_page | (5 << 6), 0),
		-EINVAL);
	assert_int_equal(memop((UINT64_MAX & ~(uint64_t)MEMOP_CMD_MASK) |
				       XENMEM_current_reservation,
			       &self, sizeof(self)),
			 -EINVAL);
	/* add_to_physmap's must fit its 16-bit size (-EDOM). */
	assert_int_equal(
		memop((1ULL << 40) | XENMEM_add_to_physmap, &x, sizeof(x)),
		-XEN_EDOM);
	assert_int_equal(mapping(&domu, 0x38000, NULL), p2m_invalid);
	assert_int_equal(
		memop((5ULL << 6) | XENMEM_add_to_physmap, &x, sizeof(x)), 0);
	assert_int_equal(mapping(&domu, 0x38000, NULL), p2m_xen_page);
	assert_int_equal(memop((1 << 6) | 63, &x, sizeof(x)), -ENOSYS);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int test_hc_memory(void)
{
	const struct CMUnitTest tests[] = {
		T(test_shared_info_self),
		T(test_shared_info_for_other_domains),
		T(test_shared_info_index),
		T(test_gpfn_range),
		T(test_grant_table),
		T(test_grant_status_frames),
		T(test_unknown_space),
		T(test_remove),
		T(test_remove_other_domains),
		T(test_reservations),
		T(test_maximum_ram_page),
		T(test_bad_pointers),
		T(test_unknown_commands),
		T(test_continuation_bits),
	};

	return cmocka_run_group_tests_name("memory_op", tests, NULL, NULL);
}
