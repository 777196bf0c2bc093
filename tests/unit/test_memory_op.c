/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of common/xen/memory.c, issued as guests issue them (arguments
 * in the fake guest memory of the calling vCPU): the toolstack in Dom0
 * building and tearing down a DomU (populate_physmap, foreign mappings,
 * acquire_resource), a DomU ballooning itself, a direct-mapped Dom0
 * ballooning for privcmd, and every sub-op with bad arguments. The real
 * frame table (common/mm/domain_mem.c) and grant tables run underneath, so
 * leaks show as arena pages not given back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <orchid/domain_mem.h>
#include <orchid/errno.h>
#include <orchid/grant_table.h>
#include <orchid/hypercalls.h>
#include <orchid/mm.h>
#include <public/memory.h>

#include "fake_domain.h"
#include "fake_mem.h"

#define ARENA_PAGES 4096

/* Where the arguments go in the caller's (fake) virtual memory. */
#define ARG_VA	    (FAKE_GUEST_VA + 0x000)
#define LIST_VA	    (FAKE_GUEST_VA + 0x400) /* up to 1024 xen_pfn_t */
#define IDX_VA	    (FAKE_GUEST_VA + 0x2400)
#define GPFN_VA	    (FAKE_GUEST_VA + 0x2800)
#define ERRS_VA	    (FAKE_GUEST_VA + 0x2c00)
#define BAD_VA	    (FAKE_GUEST_VA + FAKE_GUEST_SIZE) /* faults */
#define INVALID_GFN (~(xen_pfn_t)0)

static struct fake_domain dom0, domu, dom2, dom7;
static uint64_t free0;

static void as(struct fake_domain *fd)
{
	fake_current = &fd->vcpu[0];
}

static int setup(void **state)
{
	fake_mem_init(ARENA_PAGES);
	fake_domain_get(&dom0, 0, true, 1, 1);
	dom0.d.direct_mapped = true;
	fake_domain_get(&domu, 1, false, 1, 1);
	fake_domain_get(&dom2, 2, false, 1, 1);
	assert_int_equal(gnttab_domain_init(&dom0.d, -1), 0);
	assert_int_equal(gnttab_domain_init(&domu.d, 32), 0);
	assert_int_equal(gnttab_domain_init(&dom2.d, 4), 0);
	fake_p2m_clear();
	fake_reset_records();
	fake_alloc_budget = -1;
	memset(fake_guest_mem, 0, sizeof(fake_guest_mem));
	free0 = fake_mem_free();
	as(&dom0);
	return 0;
}

static int teardown(void **state)
{
	struct fake_domain *all[] = {&dom0, &domu, &dom2, &dom7};

	for (unsigned int i = 0; i < ARRAY_SIZE(all); i++)
		domain_mem_release_all(&all[i]->d);
	for (unsigned int i = 0; i < ARRAY_SIZE(all); i++) {
		gnttab_domain_destroy(&all[i]->d);
		fake_domain_put(all[i]);
	}
	assert_int_equal(fake_p2m_locked, 0);
	fake_alloc_budget = -1;
	fake_mem_fini(); /* every page back */
	return 0;
}

/* ---- calling memory_op ----------------------------------------------- */

static long memop(unsigned long cmd, const void *arg, size_t size)
{
	memcpy(fake_guest_ptr(ARG_VA), arg, size);
	return hc_memory_op((const uint64_t[5]){cmd, ARG_VA});
}

static long reservation(unsigned long cmd, domid_t domid, unsigned int order,
			const xen_pfn_t *pfns, uint64_t nr, unsigned int flags)
{
	struct xen_memory_reservation r = {.extent_start.p = LIST_VA,
					   .nr_extents = nr,
					   .extent_order = order,
					   .mem_flags = flags,
					   .domid = domid};

	if (pfns)
		memcpy(fake_guest_ptr(LIST_VA), pfns,
		       (nr < 1024 ? nr : 1024) * sizeof(*pfns));
	return memop(cmd, &r, sizeof(r));
}

static long populate(domid_t domid, unsigned int order, const xen_pfn_t *pfns,
		     uint64_t nr)
{
	return reservation(XENMEM_populate_physmap, domid, order, pfns, nr, 0);
}

static long decrease(domid_t domid, unsigned int order, const xen_pfn_t *pfns,
		     uint64_t nr)
{
	return reservation(XENMEM_decrease_reservation, domid, order, pfns, nr,
			   0);
}

static long query(unsigned long cmd, domid_t domid)
{
	struct xen_memory_domain md = {.domid = domid};

	return memop(cmd, &md, sizeof(md));
}

static long add_to_physmap(domid_t domid, unsigned int space, xen_ulong_t idx,
			   xen_pfn_t gpfn)
{
	struct xen_add_to_physmap x = {
		.domid = domid, .space = space, .idx = idx, .gpfn = gpfn};

	return memop(XENMEM_add_to_physmap, &x, sizeof(x));
}

static long remove_from_physmap(domid_t domid, xen_pfn_t gpfn)
{
	struct xen_remove_from_physmap x = {.domid = domid, .gpfn = gpfn};

	return memop(XENMEM_remove_from_physmap, &x, sizeof(x));
}

/* A batch of @n; errs[] gets the per-entry results. */
static long batch(unsigned long cmd, domid_t domid, unsigned int space,
		  domid_t foreign, const xen_ulong_t *idxs,
		  const xen_pfn_t *gpfns, unsigned int n, int32_t *errs)
{
	struct xen_add_to_physmap_batch b = {.domid = domid,
					     .space = space,
					     .size = n,
					     .u.foreign_domid = foreign,
					     .idxs.p = IDX_VA,
					     .gpfns.p = GPFN_VA,
					     .errs.p = ERRS_VA};
	long rc;

	memcpy(fake_guest_ptr(IDX_VA), idxs, n * sizeof(*idxs));
	memcpy(fake_guest_ptr(GPFN_VA), gpfns, n * sizeof(*gpfns));
	memset(fake_guest_ptr(ERRS_VA), 0x55, n * sizeof(*errs));
	rc = memop(cmd, &b, sizeof(b));
	if (errs)
		memcpy(errs, fake_guest_ptr(ERRS_VA), n * sizeof(*errs));
	return rc;
}

static long map_foreign(domid_t foreign, const xen_ulong_t *idxs,
			const xen_pfn_t *gpfns, unsigned int n, int32_t *errs)
{
	return batch(XENMEM_add_to_physmap_batch, DOMID_SELF,
		     XENMAPSPACE_gmfn_foreign, foreign, idxs, gpfns, n, errs);
}

static long acquire(domid_t domid, uint16_t type, uint32_t id, uint64_t frame,
		    uint32_t nr, const xen_pfn_t *gfns,
		    struct xen_mem_acquire_resource *out)
{
	struct xen_mem_acquire_resource x = {.domid = domid,
					     .type = type,
					     .id = id,
					     .nr_frames = nr,
					     .frame = frame,
					     .frame_list.p =
						     gfns ? LIST_VA : 0};
	long rc;

	if (gfns)
		memcpy(fake_guest_ptr(LIST_VA), gfns, nr * sizeof(*gfns));
	rc = memop(XENMEM_acquire_resource, &x, sizeof(x));
	if (out)
		memcpy(out, fake_guest_ptr(ARG_VA), sizeof(*out));
	return rc;
}

static struct fake_p2m_entry *p2m_at(struct fake_domain *fd, xen_pfn_t gfn)
{
	return fake_p2m_find(&fd->d, gfn << PAGE_SHIFT);
}

static bool zeroed(uint64_t pa, size_t len)
{
	const uint8_t *p = (const uint8_t *)(uintptr_t)pa;

	for (size_t i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

/* ---- populate_physmap ------------------------------------------------- */

static void test_populate_for_a_domu(void **state)
{
	const xen_pfn_t ram[] = {0x40000, 0x40200};
	const xen_pfn_t magic[] = {0x39000, 0x39001, 0x39002, 0x39003};
	struct fake_p2m_entry *e;

	domain_mem_set_max(&domu.d, 1024 + 4);
	/* libxc's 2 MiB extents at GUEST_RAM0_BASE, then the magic pages. */
	assert_int_equal(populate(1, 9, ram, 2), 2);
	assert_int_equal(populate(1, 0, magic, 4), 4);
	assert_int_equal(domain_mem_tot_pages(&domu.d), 1028);
	assert_int_equal(fake_p2m_count(&domu.d), 1028);
	e = p2m_at(&domu, 0x40000);
	assert_non_null(e);
	assert_int_equal(e->type, p2m_ram_rw);
	assert_true(is_aligned(e->pa, 2 << 20));
	assert_true(zeroed(e->pa, 2 << 20));
	assert_int_equal(p2m_at(&domu, 0x401ff)->pa, e->pa + 0x1ff000);
	assert_true(zeroed(p2m_at(&domu, 0x39003)->pa, PAGE_SIZE));
	assert_int_equal(query(XENMEM_maximum_gpfn, 1), 0x403ff);

	/* Beyond max_pages: nothing more, and nothing leaked. */
	assert_int_equal(populate(1, 0, (xen_pfn_t[]){0x50000}, 1), 0);
	domain_mem_set_max(&domu.d, 1030);
	assert_int_equal(
		populate(1, 0, (xen_pfn_t[]){0x50000, 0x50001, 0x50002}, 3), 2);
	assert_int_equal(domain_mem_tot_pages(&domu.d), 1030);
	assert_int_equal(fake_mem_free(), free0 - 1030);
}

static void test_populate_bad_arguments(void **state)
{
	xen_pfn_t one[] = {0x40000};
	struct xen_memory_reservation r = {
		.extent_start.p = LIST_VA, .nr_extents = 1, .domid = 1};

	domain_mem_set_max(&domu.d, 1 << 20);
	/* Orders beyond the caller's maximum: 18 for Dom0, 9 for a DomU. */
	assert_int_equal(populate(1, 19, one, 1), 0);
	as(&domu);
	assert_int_equal(populate(DOMID_SELF, 10, one, 1), 0);
	assert_int_equal(populate(DOMID_SELF, 9, one, 1), 1);
	as(&dom0);
	/* An order the allocator cannot satisfy (16 MiB arena). */
	assert_int_equal(populate(1, 13, (xen_pfn_t[]){0x80000}, 1), 0);

	/* GFNs outside the 40-bit IPA space end the batch there. */
	assert_int_equal(
		populate(1, 0, (xen_pfn_t[]){0x50000, 1ULL << 28, 0x50001}, 3),
		1);
	assert_int_equal(populate(1, 9, (xen_pfn_t[]){(1ULL << 28) - 0x100}, 1),
			 0);
	assert_int_equal(populate(1, 0, (xen_pfn_t[]){INVALID_GFN}, 1), 0);

	/* Bad handles: NULL, unmapped, and a list that runs into a fault. */
	r.extent_start.p = 0;
	assert_int_equal(memop(XENMEM_populate_physmap, &r, sizeof(r)), 0);
	r.extent_start.p = BAD_VA;
	assert_int_equal(memop(XENMEM_populate_physmap, &r, sizeof(r)), 0);
	r.extent_start.p = BAD_VA - 8;
	r.nr_extents = 2;
	memcpy(fake_guest_ptr(BAD_VA - 8), &(xen_pfn_t){0x60000}, 8);
	assert_int_equal(memop(XENMEM_populate_physmap, &r, sizeof(r)), 1);
	/* The reservation itself unreadable: the start extent comes back. */
	assert_int_equal(hc_memory_op((const uint64_t[5]){
				 XENMEM_populate_physmap, BAD_VA}),
			 0);

	/* Huge counts are refused before anything is done. */
	assert_int_equal(populate(1, 0, NULL, 1ULL << 26), 0);
	assert_int_equal(populate(1, 0, NULL, ~0ULL), 0);
	/* A start extent in cmd: counted from there, or returned as is. */
	assert_int_equal(reservation(XENMEM_populate_physmap | (5 << 6), 1, 0,
				     NULL, 3, 0),
			 5);
	assert_int_equal(reservation(XENMEM_populate_physmap | (1 << 6), 1, 0,
				     (xen_pfn_t[]){0x70000, 0x70001}, 2, 0),
			 2);
	assert_null(p2m_at(&domu, 0x70000));
	assert_non_null(p2m_at(&domu, 0x70001));

	/* Unknown domains, and other domains for a DomU: no extent done. */
	assert_int_equal(populate(9, 0, one, 1), 0);
	as(&domu);
	assert_int_equal(populate(2, 0, one, 1), 0);
	assert_int_equal(populate(0, 0, one, 1), 0);
	as(&dom0);

	/* No populate-on-demand on Arm. */
	assert_int_equal(reservation(XENMEM_populate_physmap, 1, 0,
				     (xen_pfn_t[]){0x71000}, 1,
				     XENMEMF_populate_on_demand),
			 0);
	/* Address limits: at most a page (bad), 1 MiB (none there), 2^63. */
	assert_int_equal(reservation(XENMEM_populate_physmap, 1, 0,
				     (xen_pfn_t[]){0x71000}, 1,
				     XENMEMF_address_bits(12)),
			 0);
	assert_int_equal(reservation(XENMEM_populate_physmap, 1, 0,
				     (xen_pfn_t[]){0x71000}, 1,
				     XENMEMF_address_bits(20)),
			 0);
	assert_int_equal(reservation(XENMEM_populate_physmap, 1, 0,
				     (xen_pfn_t[]){0x71000}, 1,
				     XENMEMF_address_bits(63)),
			 1);
	/* NUMA nodes: only node 0 exists. */
	assert_int_equal(reservation(XENMEM_populate_physmap, 1, 0,
				     (xen_pfn_t[]){0x72000}, 1,
				     XENMEMF_exact_node(0)),
			 1);
	assert_int_equal(reservation(XENMEM_populate_physmap, 1, 0,
				     (xen_pfn_t[]){0x72001}, 1,
				     XENMEMF_node(1)),
			 0);
	as(&domu);
	assert_int_equal(reservation(XENMEM_populate_physmap, DOMID_SELF, 0,
				     (xen_pfn_t[]){0x72002}, 1,
				     XENMEMF_exact_node(0)),
			 0);
	assert_int_equal(reservation(XENMEM_populate_physmap, DOMID_SELF, 0,
				     (xen_pfn_t[]){0x72002}, 1,
				     XENMEMF_node(3) | XENMEMF_vnode),
			 1);
	/* Out of memory for the page tables: the pages go back. */
	as(&dom0);
	fake_p2m_map_error = -ENOMEM;
	assert_int_equal(populate(1, 0, (xen_pfn_t[]){0x73000}, 1), 0);
	fake_p2m_map_error = 0;
	assert_null(p2m_at(&domu, 0x73000));
	assert_int_equal(domain_mem_tot_pages(&domu.d),
			 fake_p2m_count(&domu.d));
}

static void test_populate_over_a_populated_gfn(void **state)
{
	uint64_t first;

	domain_mem_set_max(&domu.d, 2);
	assert_int_equal(populate(1, 0, (xen_pfn_t[]){0x40000}, 1), 1);
	first = p2m_at(&domu, 0x40000)->pa;
	/* As Xen on Arm: replaced; the old page stays the domain's. */
	assert_int_equal(populate(1, 0, (xen_pfn_t[]){0x40000}, 1), 1);
	assert_int_not_equal(p2m_at(&domu, 0x40000)->pa, first);
	assert_int_equal(domain_mem_tot_pages(&domu.d), 2);
	assert_true(domain_mem_owns(&domu.d, pa_init(first)));
}

/* ---- decrease/increase_reservation ---------------------------------------- */

static void test_domu_balloon(void **state)
{
	const xen_pfn_t pages[] = {0x40000, 0x40001, 0x40002, 0x40003};
	uint64_t pa1;

	domain_mem_set_max(&domu.d, 512 + 4);
	as(&domu);
	assert_int_equal(populate(DOMID_SELF, 9, (xen_pfn_t[]){0x41000}, 1), 1);
	assert_int_equal(populate(DOMID_SELF, 0, pages, 4), 4);
	pa1 = p2m_at(&domu, 0x40001)->pa;
	memset((void *)(uintptr_t)pa1, 0x33, PAGE_SIZE);

	/* Linux's balloon: single pages, its own. */
	assert_int_equal(decrease(DOMID_SELF, 0, &pages[1], 2), 2);
	assert_int_equal(domain_mem_tot_pages(&domu.d), 514);
	assert_null(p2m_at(&domu, 0x40001));
	/* Back dirty, for the page allocator to scrub before reuse. */
	assert_int_equal(fake_dirty_pages, 2);
	/* One page of a 2 MiB extent: the rest stays mapped. */
	assert_int_equal(decrease(DOMID_SELF, 0, (xen_pfn_t[]){0x41005}, 1), 1);
	assert_non_null(p2m_at(&domu, 0x41006));
	assert_int_equal(domain_mem_tot_pages(&domu.d), 513);

	/* A hole ends the batch; so does an order above the DomU's 9. */
	assert_int_equal(decrease(DOMID_SELF, 0,
				  (xen_pfn_t[]){0x40000, 0x40001, 0x40003}, 3),
			 1);
	assert_int_equal(decrease(DOMID_SELF, 10, (xen_pfn_t[]){0x41000}, 1),
			 0);
	/* An extent missing a page: not counted, its pages up to it gone. */
	assert_int_equal(decrease(DOMID_SELF, 9, (xen_pfn_t[]){0x41000}, 1), 0);
	assert_null(p2m_at(&domu, 0x41004));
	assert_non_null(p2m_at(&domu, 0x41006));
	/* Not a DomU's to give back: Dom0's pages, devices, others' grants. */
	fake_p2m_add(&domu.d, 0x50000000, 0x9000000, p2m_mmio_direct_dev);
	assert_int_equal(decrease(DOMID_SELF, 0, (xen_pfn_t[]){0x50000}, 1), 0);
	assert_int_equal(decrease(0, 0, (xen_pfn_t[]){0x40003}, 1), 0);

	/* Increase: counted, never mapped (a translated guest), freed later. */
	assert_int_equal(reservation(XENMEM_increase_reservation, DOMID_SELF, 0,
				     NULL, 3, 0),
			 3);
	assert_int_equal(reservation(XENMEM_increase_reservation, DOMID_SELF,
				     10, NULL, 1, 0),
			 0);
	/* 516, less 2 + 1 + 1 + the extent's first 5 pages, plus 3. */
	assert_int_equal(domain_mem_tot_pages(&domu.d), 510);
}

static void test_dom0_balloon_direct_mapped(void **state)
{
	void *block = alloc_pages(2);
	xen_pfn_t pfn = (uintptr_t)block >> PAGE_SHIFT;
	void *other = alloc_pages(0);

	fake_ipa_bits = 48; /* GFN == host page number */
	assert_int_equal(domain_mem_assign(&dom0.d, block, 2), 0);
	assert_int_equal(domain_mem_map(&dom0.d, pfn, pa_init((uintptr_t)block),
					4, p2m_ram_rw),
			 0);
	/* privcmd's pages: out of the p2m, still Dom0's, still counted. */
	assert_int_equal(
		decrease(DOMID_SELF, 0, (xen_pfn_t[]){pfn + 1, pfn + 2}, 2), 2);
	assert_null(p2m_at(&dom0, pfn + 1));
	assert_int_equal(domain_mem_tot_pages(&dom0.d), 4);
	/* Back, 1:1, and only its own. */
	assert_int_equal(populate(DOMID_SELF, 0, (xen_pfn_t[]){pfn + 1}, 1), 1);
	assert_int_equal(p2m_at(&dom0, pfn + 1)->pa, (uintptr_t)block + 4096);
	assert_int_equal(populate(DOMID_SELF, 1, (xen_pfn_t[]){pfn + 2}, 1), 1);
	assert_int_equal(populate(DOMID_SELF, 0,
				  (xen_pfn_t[]){(uintptr_t)other >> PAGE_SHIFT},
				  1),
			 0);
	assert_int_equal(populate(DOMID_SELF, 2, (xen_pfn_t[]){pfn + 2}, 1), 0);
	free_pages(other, 0);
}

/* ---- add_to_physmap ---------------------------------------------------- */

static void test_add_to_physmap(void **state)
{
	paddr_t frame;

	as(&domu);
	assert_int_equal(
		add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x38800),
		0);
	assert_int_equal(p2m_at(&domu, 0x38800)->pa,
			 (uintptr_t)domu.d.shared_info);
	assert_int_equal(p2m_at(&domu, 0x38800)->type, p2m_xen_page);
	assert_int_equal(
		add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, 1, 0x38001),
		0);
	assert_int_equal(gnttab_get_shared_frame(&domu.d, 1, &frame), 0);
	assert_int_equal(p2m_at(&domu, 0x38001)->pa, pa_addr(frame));

	assert_int_equal(
		add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 1, 0x38800),
		-EINVAL);
	assert_int_equal(add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table,
					XENMAPIDX_grant_table_status, 0x38002),
			 -EINVAL);
	assert_int_equal(add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, 32,
					0x38002),
			 -EINVAL);
	assert_int_equal(add_to_physmap(DOMID_SELF, XENMAPSPACE_gmfn_foreign, 0,
					0x38002),
			 -ENOSYS);
	assert_int_equal(
		add_to_physmap(DOMID_SELF, XENMAPSPACE_gmfn, 0, 0x38002),
		-ENOSYS);
	assert_int_equal(fake_unimplemented, 1);
	assert_int_equal(add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0,
					INVALID_GFN),
			 -EINVAL);
	assert_int_equal(add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0,
					1ULL << 28),
			 -EINVAL);
	assert_int_equal(add_to_physmap(9, XENMAPSPACE_shared_info, 0, 1),
			 -ESRCH);
	assert_int_equal(add_to_physmap(2, XENMAPSPACE_shared_info, 0, 1),
			 -EPERM);
	assert_int_equal(hc_memory_op((const uint64_t[5]){
				 XENMEM_add_to_physmap | (1UL << 22), ARG_VA}),
			 -XEN_EDOM);
	assert_int_equal(hc_memory_op((const uint64_t[5]){XENMEM_add_to_physmap,
							  BAD_VA}),
			 -EFAULT);
	/* Dom0 may place a DomU's frames (the toolstack's compat path). */
	as(&dom0);
	assert_int_equal(add_to_physmap(1, XENMAPSPACE_grant_table, 0, 0x38000),
			 0);
	assert_non_null(p2m_at(&domu, 0x38000));
	assert_int_equal(remove_from_physmap(1, 0x38000), 0);
	assert_null(p2m_at(&domu, 0x38000));
}

/* ---- foreign mappings ---------------------------------------------------- */

static void test_foreign_mapping(void **state)
{
	const xen_ulong_t idxs[] = {0x40000, 0x40001, 0x99999};
	const xen_pfn_t gpfns[] = {0x100, 0x101, 0x102};
	int32_t errs[3];
	uint64_t pa, free_before;

	domain_mem_set_max(&domu.d, 2);
	assert_int_equal(populate(1, 1, (xen_pfn_t[]){0x40000}, 1), 1);
	pa = p2m_at(&domu, 0x40000)->pa;
	free_before = fake_mem_free();

	/* privcmd's mmapbatch: per-entry results; a hole is -EINVAL. */
	assert_int_equal(map_foreign(1, idxs, gpfns, 3, errs), 0);
	assert_int_equal(errs[0], 0);
	assert_int_equal(errs[1], 0);
	assert_int_equal(errs[2], -EINVAL);
	assert_int_equal(p2m_at(&dom0, 0x100)->pa, pa);
	assert_int_equal(p2m_at(&dom0, 0x100)->type, p2m_map_foreign_rw);
	assert_null(p2m_at(&dom0, 0x102));
	memset((void *)(uintptr_t)pa, 0x42, 16); /* Dom0 writes the kernel */

	/* The DomU gives the pages back: Dom0's mappings keep them alive. */
	as(&domu);
	assert_int_equal(
		decrease(DOMID_SELF, 0, (xen_pfn_t[]){0x40000, 0x40001}, 2), 2);
	assert_int_equal(fake_mem_free(), free_before);
	as(&dom0);
	assert_int_equal(remove_from_physmap(DOMID_SELF, 0x100), 0);
	assert_int_equal(fake_mem_free(), free_before);
	assert_int_equal(remove_from_physmap(DOMID_SELF, 0x101), 0);
	assert_int_equal(fake_mem_free(), free_before + 2);
	assert_int_equal(remove_from_physmap(DOMID_SELF, 0x101), -ENOENT);
}

/*
 * Dom0 mapping "foreign" pages of the system domain DOMID_IO: no such
 * domain to Orchid. Xen 4.17.7 resolves it and panics walking dom_io's
 * empty p2m (p2m_get_entry), found by the guest-side fuzzer (seed 8,
 * operation 35883 on Xen; bench/results/fuzz.md): refused here. DOMID_XEN
 * names Orchid's pages by MFN: only those shared with the control domain
 * (the trace buffers xentrace maps) can be mapped, anything else is
 * -EINVAL as on Xen (get_page_from_gfn of dom_xen finds no such page).
 */
static void test_foreign_mapping_of_system_domains(void **state)
{
	uint8_t *shared = domain_mem_alloc_xen_shared(0);
	xen_pfn_t mfn = pa_addr(arch_va_to_pa(shared)) >> PAGE_SHIFT;
	int32_t errs[3];

	errs[0] = errs[1] = 0x5555;
	assert_int_equal(map_foreign(DOMID_IO, (xen_ulong_t[]){0, 0x40000},
				     (xen_pfn_t[]){0x100, 0x101}, 2, errs),
			 0);
	assert_int_equal(errs[0], -ESRCH);
	assert_int_equal(errs[1], -ESRCH);
	assert_int_equal(fake_p2m_count(&dom0.d), 0);

	assert_non_null(shared);
	assert_int_equal(
		map_foreign(DOMID_XEN, (xen_ulong_t[]){0, mfn, 0x40000},
			    (xen_pfn_t[]){0x100, 0x101, 0x102}, 3, errs),
		0);
	assert_int_equal(errs[0], -EINVAL);
	assert_int_equal(errs[1], 0);
	assert_int_equal(errs[2], -EINVAL);
	assert_int_equal(p2m_at(&dom0, 0x101)->pa, mfn << PAGE_SHIFT);
	assert_int_equal(p2m_at(&dom0, 0x101)->type, p2m_map_foreign_rw);
	assert_int_equal(fake_p2m_count(&dom0.d), 1);
	/* A DomU may not, even into itself. */
	as(&domu);
	assert_int_equal(map_foreign(DOMID_XEN, (xen_ulong_t[]){mfn},
				     (xen_pfn_t[]){0x100}, 1, errs),
			 0);
	assert_int_equal(errs[0], -EPERM);
	as(&dom0);
	/* Unmapped, the page stays Orchid's (never freed) and mappable. */
	assert_int_equal(remove_from_physmap(DOMID_SELF, 0x101), 0);
	assert_int_equal(map_foreign(DOMID_XEN, (xen_ulong_t[]){mfn},
				     (xen_pfn_t[]){0x101}, 1, errs),
			 0);
	assert_int_equal(errs[0], 0);
	assert_int_equal(remove_from_physmap(DOMID_SELF, 0x101), 0);
	/* Orchid never frees them; the test's arena wants its page back. */
	domain_mem_free_xen_page(shared);
}

static void test_foreign_mapping_refused(void **state)
{
	int32_t errs[1];
	uint64_t dom2_page;
	void *frame;

	domain_mem_set_max(&domu.d, 1);
	domain_mem_set_max(&dom2.d, 1);
	assert_int_equal(populate(2, 0, (xen_pfn_t[]){0x40000}, 1), 1);
	dom2_page = p2m_at(&dom2, 0x40000)->pa;

	/* DomU's p2m shows a page it does not own: not mapped for Dom0. */
	fake_p2m_add(&domu.d, 0x45000000, dom2_page, p2m_ram_rw);
	assert_int_equal(map_foreign(1, (xen_ulong_t[]){0x45000},
				     (xen_pfn_t[]){0x100}, 1, errs),
			 0);
	assert_int_equal(errs[0], -EINVAL);
	/* Devices, a hole, a GFN beyond the IPA space. */
	fake_p2m_add(&domu.d, 0x46000000, 0x9000000, p2m_mmio_direct_dev);
	assert_int_equal(map_foreign(1, (xen_ulong_t[]){0x46000},
				     (xen_pfn_t[]){0x100}, 1, errs),
			 0);
	assert_int_equal(errs[0], -EINVAL);
	assert_int_equal(map_foreign(1, (xen_ulong_t[]){1ULL << 40},
				     (xen_pfn_t[]){0x100}, 1, errs),
			 0);
	assert_int_equal(errs[0], -EINVAL);
	/* Mapping at a GFN outside Dom0's space: the reference goes back. */
	assert_int_equal(map_foreign(2, (xen_ulong_t[]){0x40000},
				     (xen_pfn_t[]){1ULL << 28}, 1, errs),
			 0);
	assert_int_equal(errs[0], -EINVAL);
	assert_int_equal(domain_mem_release(&dom2.d, pa_init(dom2_page)), 0);
	assert_false(domain_mem_page_owner(pa_init(dom2_page), &(domid_t){0}));
	/* Itself, by DOMID_SELF (-EINVAL) or by number (-ESRCH); nobody. */
	assert_int_equal(map_foreign(DOMID_SELF, (xen_ulong_t[]){0},
				     (xen_pfn_t[]){0x100}, 1, errs),
			 0);
	assert_int_equal(errs[0], -EINVAL);
	assert_int_equal(map_foreign(0, (xen_ulong_t[]){0},
				     (xen_pfn_t[]){0x100}, 1, errs),
			 0);
	assert_int_equal(errs[0], -ESRCH);
	assert_int_equal(map_foreign(9, (xen_ulong_t[]){0},
				     (xen_pfn_t[]){0x100}, 1, errs),
			 0);
	assert_int_equal(errs[0], -ESRCH);
	/* A dying domain's pages. */
	dom2.d.is_dying = true;
	assert_int_equal(map_foreign(2, (xen_ulong_t[]){0x40000},
				     (xen_pfn_t[]){0x100}, 1, errs),
			 0);
	assert_int_equal(errs[0], -EINVAL);
	dom2.d.is_dying = false;
	/* An unprivileged domain maps nobody's pages. */
	as(&domu);
	assert_int_equal(map_foreign(2, (xen_ulong_t[]){0x40000},
				     (xen_pfn_t[]){0x100}, 1, errs),
			 0);
	assert_int_equal(errs[0], -EPERM);
	as(&dom0);
	assert_int_equal(fake_p2m_count(&dom0.d), 0);

	/* Grant-table frames may be mapped (the compat seeding path). */
	frame = NULL;
	assert_int_equal(add_to_physmap(1, XENMAPSPACE_grant_table, 0, 0x38000),
			 0);
	assert_int_equal(map_foreign(1, (xen_ulong_t[]){0x38000},
				     (xen_pfn_t[]){0x200}, 1, errs),
			 0);
	assert_int_equal(errs[0], 0);
	assert_int_equal(p2m_at(&dom0, 0x200)->pa, p2m_at(&domu, 0x38000)->pa);
	(void)frame;
	/* shared_info is not a page others may map. */
	assert_int_equal(add_to_physmap(1, XENMAPSPACE_shared_info, 0, 0x38800),
			 0);
	assert_int_equal(map_foreign(1, (xen_ulong_t[]){0x38800},
				     (xen_pfn_t[]){0x201}, 1, errs),
			 0);
	assert_int_equal(errs[0], -EINVAL);
}

/*
 * Xen maps shared_info at one GFN at a time (as its grant-table frames):
 * a second mapping is -EBUSY until the guest removes the first, so a
 * guest cannot scatter Orchid's page over its address space.
 */
static void test_shared_info_mapped_once(void **state)
{
	as(&domu);
	assert_int_equal(
		add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x38800),
		0);
	assert_int_equal(
		add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x38801),
		-EBUSY);
	assert_null(p2m_at(&domu, 0x38801));
	assert_int_equal(
		add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x38800),
		-EBUSY);
	/* Removed, it may go elsewhere. */
	assert_int_equal(remove_from_physmap(DOMID_SELF, 0x38800), 0);
	assert_null(p2m_at(&domu, 0x38800));
	assert_int_equal(
		add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x38801),
		0);
	/* Replaced by RAM (populate over it): forgotten, as Xen does. */
	domain_mem_set_max(&domu.d, 1);
	assert_int_equal(populate(DOMID_SELF, 0, (xen_pfn_t[]){0x38801}, 1), 1);
	assert_int_equal(p2m_at(&domu, 0x38801)->type, p2m_ram_rw);
	assert_int_equal(
		add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x38802),
		0);
	assert_int_equal(p2m_at(&domu, 0x38802)->pa,
			 (uintptr_t)domu.d.shared_info);
}

/*
 * Guest-safety issue 8: a DomU acting on another domain's memory through
 * memory_op gets -EPERM for every sub-op that names a domain, and the other
 * domain's memory, stage 2 and accounting do not change.
 */
static void test_domu_cannot_touch_another_domain(void **state)
{
	uint64_t before_pages, before_free, before_maps;
	int32_t errs[1];
	paddr_t pa;

	domain_mem_set_max(&dom2.d, 4);
	assert_int_equal(domain_mem_alloc(&dom2.d, 0, 0, &pa), 0);
	assert_int_equal(domain_mem_map(&dom2.d, 0x40000, pa, 1, p2m_ram_rw),
			 0);
	before_pages = domain_mem_tot_pages(&dom2.d);
	before_free = fake_mem_free();
	before_maps = fake_p2m_count(&dom2.d);
	as(&domu);
	assert_int_equal(populate(2, 0, (xen_pfn_t[]){0x40001}, 1), 0);
	assert_int_equal(decrease(2, 0, (xen_pfn_t[]){0x40000}, 1), 0);
	assert_int_equal(
		reservation(XENMEM_increase_reservation, 2, 0, NULL, 1, 0), 0);
	assert_int_equal(add_to_physmap(2, XENMAPSPACE_shared_info, 0, 0x38800),
			 -EPERM);
	assert_int_equal(add_to_physmap(2, XENMAPSPACE_grant_table, 0, 0x38000),
			 -EPERM);
	assert_int_equal(remove_from_physmap(2, 0x40000), -EPERM);
	assert_int_equal(query(XENMEM_current_reservation, 2), -EPERM);
	assert_int_equal(query(XENMEM_maximum_gpfn, 2), -EPERM);
	/* Dom0's memory too (no extent done, as Xen 4.17 answers). */
	assert_int_equal(decrease(0, 0, (xen_pfn_t[]){0x40000}, 1), 0);
	/* Nor through a foreign mapping into its own space. */
	assert_int_equal(map_foreign(2, (xen_ulong_t[]){0x40000},
				     (xen_pfn_t[]){0x100}, 1, errs),
			 0);
	assert_int_equal(errs[0], -EPERM);
	assert_null(p2m_at(&domu, 0x100));
	/* Nothing of dom2 changed. */
	assert_int_equal(domain_mem_tot_pages(&dom2.d), before_pages);
	assert_int_equal(fake_mem_free(), before_free);
	assert_int_equal(fake_p2m_count(&dom2.d), before_maps);
	assert_int_equal(p2m_at(&dom2, 0x40000)->pa, pa_addr(pa));
	assert_null(p2m_at(&dom2, 0x38800));
}

static void test_batch_arguments(void **state)
{
	const xen_ulong_t idxs[] = {0, 0, 0};
	const xen_pfn_t gpfns[] = {0x100, INVALID_GFN, 0x102};
	struct xen_add_to_physmap_batch b = {0};
	int32_t errs[3];

	/* gmfn_range is add_to_physmap's only; dev_mmio's res0 must be 0. */
	assert_int_equal(batch(XENMEM_add_to_physmap_batch, DOMID_SELF,
			       XENMAPSPACE_gmfn_range, 0, idxs, gpfns, 1, NULL),
			 -EOPNOTSUPP);
	assert_int_equal(batch(XENMEM_add_to_physmap_batch, DOMID_SELF,
			       XENMAPSPACE_dev_mmio, 1, idxs, gpfns, 1, NULL),
			 -EOPNOTSUPP);
	/* Domains: unknown, not ours to change. */
	assert_int_equal(batch(XENMEM_add_to_physmap_batch, 9,
			       XENMAPSPACE_shared_info, 0, idxs, gpfns, 1,
			       NULL),
			 -ESRCH);
	as(&domu);
	assert_int_equal(batch(XENMEM_add_to_physmap_batch, 2,
			       XENMAPSPACE_shared_info, 0, idxs, gpfns, 1,
			       NULL),
			 -EPERM);
	/* A DomU may use it for itself. */
	assert_int_equal(batch(XENMEM_add_to_physmap_batch, DOMID_SELF,
			       XENMAPSPACE_shared_info, 0, idxs, gpfns, 1,
			       errs),
			 0);
	assert_int_equal(errs[0], 0);
	/* shared_info lives at one GFN: taken away before each batch below. */
	assert_int_equal(remove_from_physmap(DOMID_SELF, gpfns[0]), 0);
	as(&dom0);
	/* An invalid GFN ends the call; entries before it are done. */
	assert_int_equal(batch(XENMEM_add_to_physmap_batch, 1,
			       XENMAPSPACE_shared_info, 0, idxs, gpfns, 3,
			       errs),
			 -EINVAL);
	assert_int_equal(errs[0], 0);
	assert_int_equal(errs[1], 0x55555555); /* untouched */
	assert_int_equal(remove_from_physmap(1, gpfns[0]), 0);
	/* A start extent: from there; beyond the size, -EILSEQ. */
	assert_int_equal(batch(XENMEM_add_to_physmap_batch | (2 << 6), 1,
			       XENMAPSPACE_shared_info, 0, idxs, gpfns, 3,
			       errs),
			 0);
	assert_int_equal(errs[0], 0x55555555);
	assert_int_equal(errs[2], 0);
	assert_int_equal(batch(XENMEM_add_to_physmap_batch | (4 << 6), 1,
			       XENMAPSPACE_shared_info, 0, idxs, gpfns, 3,
			       errs),
			 -XEN_EILSEQ);
	assert_int_equal(batch(XENMEM_add_to_physmap_batch | (3 << 6), 1,
			       XENMAPSPACE_shared_info, 0, idxs, gpfns, 3,
			       errs),
			 -XEN_EILSEQ);
	assert_int_equal(batch(XENMEM_add_to_physmap_batch, 1,
			       XENMAPSPACE_shared_info, 0, idxs, gpfns, 0,
			       errs),
			 0);
	assert_int_equal(
		hc_memory_op((const uint64_t[5]){
			XENMEM_add_to_physmap_batch | (1UL << 22), ARG_VA}),
		-XEN_EDOM);
	/* Handles: the structure, idxs, gpfns, errs (read-only). */
	assert_int_equal(hc_memory_op((const uint64_t[5]){
				 XENMEM_add_to_physmap_batch, BAD_VA}),
			 -EFAULT);
	b = (struct xen_add_to_physmap_batch){.domid = 1,
					      .space = XENMAPSPACE_shared_info,
					      .size = 1,
					      .idxs.p = BAD_VA,
					      .gpfns.p = GPFN_VA,
					      .errs.p = ERRS_VA};
	assert_int_equal(memop(XENMEM_add_to_physmap_batch, &b, sizeof(b)),
			 -EFAULT);
	b.idxs.p = IDX_VA;
	b.gpfns.p = 0;
	assert_int_equal(memop(XENMEM_add_to_physmap_batch, &b, sizeof(b)),
			 -EFAULT);
	b.gpfns.p = GPFN_VA;
	b.errs.p = FAKE_GUEST_RO_VA;
	assert_int_equal(memop(XENMEM_add_to_physmap_batch, &b, sizeof(b)),
			 -EFAULT);
}

static void test_remove_from_physmap(void **state)
{
	uint64_t pa;

	domain_mem_set_max(&domu.d, 1);
	assert_int_equal(populate(1, 0, (xen_pfn_t[]){0x40000}, 1), 1);
	pa = p2m_at(&domu, 0x40000)->pa;
	/* A DomU's own RAM: out of the p2m, still its (Xen). */
	assert_int_equal(remove_from_physmap(1, 0x40000), 0);
	assert_true(domain_mem_owns(&domu.d, pa_init(pa)));
	assert_int_equal(remove_from_physmap(1, 0x40000), -ENOENT);
	assert_int_equal(remove_from_physmap(1, 1ULL << 28), -ENOENT);
	fake_p2m_add(&domu.d, 0x50000000, 0x9000000, p2m_mmio_direct_dev);
	assert_int_equal(remove_from_physmap(1, 0x50000), -ENOENT);
	assert_int_equal(remove_from_physmap(9, 0x50000), -ESRCH);
	as(&domu);
	assert_int_equal(remove_from_physmap(0, 0x50000), -EPERM);
	assert_int_equal(hc_memory_op((const uint64_t[5]){
				 XENMEM_remove_from_physmap, BAD_VA}),
			 -EFAULT);
	assert_int_equal(
		hc_memory_op((const uint64_t[5]){
			XENMEM_remove_from_physmap | (1 << 6), ARG_VA}),
		-EINVAL);
}

/* ---- acquire_resource ------------------------------------------------- */

static void test_acquire_grant_table(void **state)
{
	struct xen_mem_acquire_resource out;
	const xen_pfn_t gfns[] = {0x500, 0x501};
	paddr_t f0, f1;
	uint64_t free_before;

	/* The size query libxenforeignmemory makes first. */
	assert_int_equal(acquire(1, XENMEM_resource_grant_table,
				 XENMEM_resource_grant_table_id_shared, 0, 0,
				 NULL, &out),
			 0);
	assert_int_equal(out.nr_frames, 32);
	assert_int_equal(acquire(1, XENMEM_resource_grant_table,
				 XENMEM_resource_grant_table_id_shared, 0, 1,
				 NULL, NULL),
			 -EINVAL);

	/* Frames 0 and 1 at Dom0's GFNs; frame 1 comes into being. */
	assert_int_equal(acquire(1, XENMEM_resource_grant_table,
				 XENMEM_resource_grant_table_id_shared, 0, 2,
				 gfns, NULL),
			 0);
	assert_int_equal(gnttab_get_shared_frame(&domu.d, 0, &f0), 0);
	assert_int_equal(gnttab_get_shared_frame(&domu.d, 1, &f1), 0);
	assert_int_equal(p2m_at(&dom0, 0x500)->pa, pa_addr(f0));
	assert_int_equal(p2m_at(&dom0, 0x501)->pa, pa_addr(f1));
	assert_int_equal(p2m_at(&dom0, 0x500)->type, p2m_map_foreign_rw);

	/* The DomU dies; its frames live until Dom0 lets them go. */
	domain_mem_release_all(&domu.d);
	gnttab_domain_destroy(&domu.d);
	free_before = fake_mem_free();
	assert_int_equal(remove_from_physmap(DOMID_SELF, 0x500), 0);
	assert_int_equal(fake_mem_free(), free_before + 1);
	assert_int_equal(remove_from_physmap(DOMID_SELF, 0x501), 0);
	assert_int_equal(fake_mem_free(), free_before + 2);
}

static void test_acquire_resource_errors(void **state)
{
	const xen_pfn_t gfns[] = {0x500, 1ULL << 28};
	struct xen_mem_acquire_resource x = {
		.domid = 1, .type = XENMEM_resource_grant_table, .pad = 1};

	assert_int_equal(memop(XENMEM_acquire_resource, &x, sizeof(x)),
			 -EINVAL);
	x.pad = 0;
	x.frame = 1ULL << 32;
	assert_int_equal(memop(XENMEM_acquire_resource, &x, sizeof(x)),
			 -EINVAL);
	x.frame = 0xffffffffULL;
	x.nr_frames = 1;
	assert_int_equal(memop(XENMEM_acquire_resource, &x, sizeof(x)),
			 -EINVAL);
	assert_int_equal(hc_memory_op((const uint64_t[5]){
				 XENMEM_acquire_resource, BAD_VA}),
			 -EFAULT);
	/* Who: another domain, and only for Dom0. */
	assert_int_equal(
		acquire(9, XENMEM_resource_grant_table, 0, 0, 0, NULL, NULL),
		-ESRCH);
	assert_int_equal(acquire(DOMID_SELF, XENMEM_resource_grant_table, 0, 0,
				 0, NULL, NULL),
			 -ESRCH);
	assert_int_equal(
		acquire(0, XENMEM_resource_grant_table, 0, 0, 0, NULL, NULL),
		-EPERM);
	as(&domu);
	assert_int_equal(
		acquire(2, XENMEM_resource_grant_table, 0, 0, 0, NULL, NULL),
		-EPERM);
	as(&dom0);
	/* What: unknown types, no ioreq servers, no status frames (v1). */
	assert_int_equal(acquire(1, 7, 0, 0, 0, NULL, NULL), -EOPNOTSUPP);
	assert_int_equal(
		acquire(1, XENMEM_resource_ioreq_server, 0, 0, 0, NULL, NULL),
		-EINVAL);
	assert_int_equal(
		acquire(1, XENMEM_resource_vmtrace_buf, 0, 0, 0, NULL, NULL),
		-EINVAL);
	assert_int_equal(acquire(1, XENMEM_resource_grant_table,
				 XENMEM_resource_grant_table_id_status, 0, 0,
				 NULL, NULL),
			 -EINVAL);
	/* Beyond the table's 32 frames; a start extent past the end. */
	assert_int_equal(
		acquire(1, XENMEM_resource_grant_table, 0, 31, 2, gfns, NULL),
		-EINVAL);
	assert_int_equal(hc_memory_op((const uint64_t[5]){
				 XENMEM_acquire_resource | (1 << 6), ARG_VA}),
			 -EINVAL);
	/* The list: unreadable; a bad GFN first (its error) or later (-EIO). */
	x = (struct xen_mem_acquire_resource){
		.domid = 1,
		.type = XENMEM_resource_grant_table,
		.nr_frames = 1,
		.frame_list.p = BAD_VA};
	assert_int_equal(memop(XENMEM_acquire_resource, &x, sizeof(x)),
			 -EFAULT);
	assert_int_equal(acquire(1, XENMEM_resource_grant_table, 0, 0, 1,
				 &gfns[1], NULL),
			 -EINVAL);
	assert_int_equal(
		acquire(1, XENMEM_resource_grant_table, 0, 0, 2, gfns, NULL),
		-EIO);
	assert_non_null(p2m_at(&dom0, 0x500)); /* the first stays mapped */
}

/* ---- queries and the rest --------------------------------------------- */

static void test_queries(void **state)
{
	domain_mem_set_max(&domu.d, 5);
	assert_int_equal(populate(1, 0, (xen_pfn_t[]){0x40000, 0x48000}, 2), 2);
	assert_int_equal(query(XENMEM_current_reservation, 1), 2);
	assert_int_equal(query(XENMEM_maximum_reservation, 1), 5);
	assert_int_equal(query(XENMEM_maximum_gpfn, 1), 0x48000);
	assert_int_equal(query(XENMEM_maximum_gpfn, 2), 0);
	as(&domu);
	assert_int_equal(query(XENMEM_current_reservation, DOMID_SELF), 2);
	assert_int_equal(query(XENMEM_maximum_reservation, 0), -EPERM);
	assert_int_equal(query(XENMEM_maximum_gpfn, 9), -ESRCH);
	assert_int_equal(hc_memory_op((const uint64_t[5]){
				 XENMEM_current_reservation, BAD_VA}),
			 -EFAULT);
	assert_int_equal(
		hc_memory_op((const uint64_t[5]){
			XENMEM_current_reservation | (1 << 6), ARG_VA}),
		-EINVAL);
	/* Xen's max_page: one past the highest RAM page. */
	assert_int_equal(
		hc_memory_op((const uint64_t[5]){XENMEM_maximum_ram_page, 0}),
		fake_max_pfn + 1);
	assert_int_equal(hc_memory_op((const uint64_t[5]){
				 XENMEM_maximum_ram_page | (1 << 6), 0}),
			 -EINVAL);
}

static void test_claim_vnuma_sharing(void **state)
{
	struct xen_memory_reservation r = {.nr_extents = 4, .domid = 1};
	struct xen_vnuma_topology_info t = {.domid = 0};

	domain_mem_set_max(&domu.d, 100);
	assert_int_equal(populate(1, 0, (xen_pfn_t[]){0x40000}, 1), 1);
	assert_int_equal(memop(XENMEM_claim_pages, &r, sizeof(r)), 0);
	r.nr_extents = 0; /* cancel */
	assert_int_equal(memop(XENMEM_claim_pages, &r, sizeof(r)), 0);
	r.nr_extents = 1; /* not above what it has */
	assert_int_equal(memop(XENMEM_claim_pages, &r, sizeof(r)), -EINVAL);
	r.nr_extents = 101; /* above its maximum */
	assert_int_equal(memop(XENMEM_claim_pages, &r, sizeof(r)), -EINVAL);
	domain_mem_set_max(&domu.d, 1ULL << 30);
	r.nr_extents = 1ULL << 29; /* more than there is */
	assert_int_equal(memop(XENMEM_claim_pages, &r, sizeof(r)), -ENOMEM);
	r.nr_extents = 4;
	r.extent_start.p = LIST_VA;
	assert_int_equal(memop(XENMEM_claim_pages, &r, sizeof(r)), -EINVAL);
	r.extent_start.p = 0;
	r.extent_order = 1;
	assert_int_equal(memop(XENMEM_claim_pages, &r, sizeof(r)), -EINVAL);
	r.extent_order = 0;
	r.mem_flags = 1;
	assert_int_equal(memop(XENMEM_claim_pages, &r, sizeof(r)), -EINVAL);
	r.mem_flags = 0;
	r.domid = DOMID_SELF; /* by id only */
	assert_int_equal(memop(XENMEM_claim_pages, &r, sizeof(r)), -EINVAL);
	r.domid = 1;
	as(&domu);
	assert_int_equal(memop(XENMEM_claim_pages, &r, sizeof(r)), -EPERM);
	assert_int_equal(
		hc_memory_op((const uint64_t[5]){XENMEM_claim_pages, BAD_VA}),
		-EFAULT);

	/* No virtual NUMA on Arm. */
	assert_int_equal(memop(XENMEM_get_vnumainfo, &t, sizeof(t)), -EPERM);
	t.domid = DOMID_SELF;
	assert_int_equal(memop(XENMEM_get_vnumainfo, &t, sizeof(t)),
			 -EOPNOTSUPP);
	t.pad = 1;
	assert_int_equal(memop(XENMEM_get_vnumainfo, &t, sizeof(t)), -EINVAL);
	t.pad = 0;
	t.domid = 9;
	assert_int_equal(memop(XENMEM_get_vnumainfo, &t, sizeof(t)), -ESRCH);
	assert_int_equal(
		hc_memory_op((const uint64_t[5]){XENMEM_get_vnumainfo, BAD_VA}),
		-EFAULT);

	/* xl info asks about memory sharing: none. */
	assert_int_equal(hc_memory_op((const uint64_t[5]){
				 XENMEM_get_sharing_freed_pages, 0}),
			 0);
	assert_int_equal(hc_memory_op((const uint64_t[5]){
				 XENMEM_get_sharing_shared_pages, 0}),
			 0);
	assert_int_equal(
		hc_memory_op((const uint64_t[5]){XENMEM_exchange, ARG_VA}),
		-ENOSYS);
	assert_int_equal(fake_unimplemented_cmd, XENMEM_exchange);
	assert_int_equal(hc_memory_op((const uint64_t[5]){63, ARG_VA}),
			 -ENOSYS);
}

/* ---- a DomU's life, ten times ---------------------------------------- */

static void test_create_destroy_leak_free(void **state)
{
	for (unsigned int cycle = 0; cycle < 10; cycle++) {
		const xen_ulong_t idxs[] = {0x40000, 0x40001, 0x39000};
		const xen_pfn_t gpfns[] = {0x100, 0x101, 0x102};
		int32_t errs[3];

		/* xl create: the toolstack builds domain 7. */
		fake_domain_get(&dom7, 7, false, 1, 1);
		assert_int_equal(gnttab_domain_init(&dom7.d, 32), 0);
		as(&dom0);
		domain_mem_set_max(&dom7.d, 1024 + 4);
		assert_int_equal(
			populate(7, 9, (xen_pfn_t[]){0x40000, 0x40200}, 2), 2);
		assert_int_equal(populate(7, 0,
					  (xen_pfn_t[]){0x39000, 0x39001,
							0x39002, 0x39003},
					  4),
				 4);
		assert_int_equal(map_foreign(7, idxs, gpfns, 3, errs), 0);
		assert_int_equal(errs[0] | errs[1] | errs[2], 0);
		assert_int_equal(acquire(7, XENMEM_resource_grant_table, 0, 0,
					 1, (xen_pfn_t[]){0x103}, NULL),
				 0);
		/* libxc unmaps the kernel's pages; the console stays mapped. */
		assert_int_equal(remove_from_physmap(DOMID_SELF, 0x100), 0);
		assert_int_equal(remove_from_physmap(DOMID_SELF, 0x103), 0);

		/* The guest runs: its tables, a balloon. */
		as(&dom7);
		assert_int_equal(add_to_physmap(DOMID_SELF,
						XENMAPSPACE_shared_info, 0,
						0x38800),
				 0);
		assert_int_equal(add_to_physmap(DOMID_SELF,
						XENMAPSPACE_grant_table, 0,
						0x38000),
				 0);
		assert_int_equal(decrease(DOMID_SELF, 0,
					  (xen_pfn_t[]){0x40010, 0x40011}, 2),
				 2);

		/* xl destroy, Dom0 still mapping two pages. */
		domain_mem_release_all(&dom7.d);
		gnttab_domain_destroy(&dom7.d);
		fake_domain_put(&dom7);
		as(&dom0);
		assert_int_equal(remove_from_physmap(DOMID_SELF, 0x101), 0);
		assert_int_equal(remove_from_physmap(DOMID_SELF, 0x102), 0);
		assert_int_equal(fake_mem_free(), free0);
		assert_int_equal(fake_p2m_count(&dom0.d), 0);
	}
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_populate_for_a_domu),
		T(test_populate_bad_arguments),
		T(test_populate_over_a_populated_gfn),
		T(test_domu_balloon),
		T(test_dom0_balloon_direct_mapped),
		T(test_add_to_physmap),
		T(test_shared_info_mapped_once),
		T(test_domu_cannot_touch_another_domain),
		T(test_foreign_mapping),
		T(test_foreign_mapping_refused),
		T(test_foreign_mapping_of_system_domains),
		T(test_batch_arguments),
		T(test_remove_from_physmap),
		T(test_acquire_grant_table),
		T(test_acquire_resource_errors),
		T(test_queries),
		T(test_claim_vnuma_sharing),
		T(test_create_destroy_leak_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
