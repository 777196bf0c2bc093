/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of common/xen/grant_map.c: GNTTABOP_map_grant_ref,
 * unmap_grant_ref and copy between a DomU granting its pages and Dom0
 * (or another DomU) using them, with the real frame table and grant
 * tables underneath: the grant entries' flags as the granter sees them,
 * the mapper's stage 2, every GNTST_* status Xen gives for bad requests,
 * and pages outliving granters that give them back or die. The XSM
 * policy is silo, Orchid's default, unless a test says otherwise.
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
#include <orchid/mm.h>
#include <orchid/xsm.h>
#include <public/grant_table.h>

#include "../../common/xen/grant_table_priv.h"
#include "fake_domain.h"
#include "fake_mem.h"

#define ARENA_PAGES 2048
#define ARG_VA	    (FAKE_GUEST_VA + 0x100)
#define HOST	    0x90000ULL /* Dom0's GFN for mappings (ballooned) */
#define RAM	    0x40000ULL /* DomU's first GFN */

static struct fake_domain dom0, domu, dom2;
static uint64_t ram_pa;	   /* DomU's 4 pages at RAM.. */
static uint64_t dom0_page; /* a page of Dom0's own RAM, at GFN == page */
static uint64_t free0;

static void as(struct fake_domain *fd)
{
	fake_current = &fd->vcpu[0];
}

static int setup(void **state)
{
	paddr_t pa;
	void *block;

	fake_mem_init(ARENA_PAGES);
	fake_domain_get(&dom0, 0, true, 1, 1);
	dom0.d.direct_mapped = true;
	fake_domain_get(&domu, 1, false, 1, 1);
	fake_domain_get(&dom2, 2, false, 1, 1);
	assert_int_equal(gnttab_domain_init(&dom0.d, -1), 0);
	assert_int_equal(gnttab_domain_init(&domu.d, 4), 0);
	assert_int_equal(gnttab_domain_init(&dom2.d, 1), 0);
	fake_p2m_clear();
	fake_ipa_bits = 48; /* Dom0's GFNs are host page numbers */
	fake_reset_records();
	fake_alloc_budget = -1;

	domain_mem_set_max(&domu.d, 4);
	assert_int_equal(domain_mem_alloc(&domu.d, 2, 0, &pa), 0);
	assert_int_equal(domain_mem_map(&domu.d, RAM, pa, 4, p2m_ram_rw), 0);
	ram_pa = pa_addr(pa);
	block = alloc_pages(0);
	assert_int_equal(domain_mem_assign(&dom0.d, block, 0), 0);
	dom0_page = (uintptr_t)block;
	assert_int_equal(domain_mem_map(&dom0.d, dom0_page >> PAGE_SHIFT,
					pa_init(dom0_page), 1, p2m_ram_rw),
			 0);
	free0 = fake_mem_free();
	as(&dom0);
	xsm_init(XSM_POLICY_DEFAULT);
	return 0;
}

static int teardown(void **state)
{
	struct fake_domain *all[] = {&dom0, &domu, &dom2};

	for (unsigned int i = 0; i < ARRAY_SIZE(all); i++)
		domain_mem_release_all(&all[i]->d);
	for (unsigned int i = 0; i < ARRAY_SIZE(all); i++) {
		gnttab_domain_destroy(&all[i]->d);
		fake_domain_put(all[i]);
	}
	assert_int_equal(fake_p2m_locked, 0);
	fake_alloc_budget = -1;
	fake_mem_fini();
	return 0;
}

/* ---- helpers ----------------------------------------------------------- */

static struct grant_entry_v1 *entry(struct fake_domain *fd, grant_ref_t ref)
{
	paddr_t pa;

	assert_int_equal(gnttab_get_shared_frame(&fd->d, ref / 512, &pa), 0);
	return (struct grant_entry_v1 *)(uintptr_t)pa_addr(pa) + ref % 512;
}

/* @fd grants its page at GFN @gfn to @to as grant @ref. */
static void grant(struct fake_domain *fd, grant_ref_t ref, domid_t to,
		  uint32_t gfn, uint16_t flags)
{
	struct grant_entry_v1 *e = entry(fd, ref);

	e->domid = to;
	e->frame = gfn;
	e->flags = GTF_permit_access | flags;
}

static uint16_t flags_of(struct fake_domain *fd, grant_ref_t ref)
{
	return entry(fd, ref)->flags;
}

static int16_t map(domid_t dom, grant_ref_t ref, uint32_t flags, uint64_t gfn,
		   struct gnttab_map_grant_ref *out)
{
	struct gnttab_map_grant_ref op = {.host_addr = gfn << PAGE_SHIFT,
					  .flags = flags,
					  .ref = ref,
					  .dom = dom,
					  .status = 0x7777,
					  .handle = 0xdead,
					  .dev_bus_addr = 0xbad};

	memcpy(fake_guest_ptr(ARG_VA), &op, sizeof(op));
	assert_int_equal(do_grant_table_op(GNTTABOP_map_grant_ref, ARG_VA, 1),
			 0);
	memcpy(&op, fake_guest_ptr(ARG_VA), sizeof(op));
	if (out)
		*out = op;
	return op.status;
}

static int16_t unmap(grant_handle_t handle, uint64_t host_addr)
{
	struct gnttab_unmap_grant_ref op = {
		.host_addr = host_addr, .handle = handle, .status = 0x7777};

	memcpy(fake_guest_ptr(ARG_VA), &op, sizeof(op));
	assert_int_equal(do_grant_table_op(GNTTABOP_unmap_grant_ref, ARG_VA, 1),
			 0);
	memcpy(&op, fake_guest_ptr(ARG_VA), sizeof(op));
	return op.status;
}

static int16_t copy(const struct gnttab_copy *in)
{
	struct gnttab_copy op = *in;

	op.status = 0x7777;
	memcpy(fake_guest_ptr(ARG_VA), &op, sizeof(op));
	assert_int_equal(do_grant_table_op(GNTTABOP_copy, ARG_VA, 1), 0);
	memcpy(&op, fake_guest_ptr(ARG_VA), sizeof(op));
	return op.status;
}

static struct fake_p2m_entry *p2m_at(struct fake_domain *fd, uint64_t gfn)
{
	return fake_p2m_find(&fd->d, gfn << PAGE_SHIFT);
}

static uint8_t *page(uint64_t pa)
{
	return (uint8_t *)(uintptr_t)pa;
}

/* ---- map and unmap ----------------------------------------------------- */

static void test_map_unmap(void **state)
{
	struct gnttab_map_grant_ref op;

	grant(&domu, 8, 0, RAM + 1, 0);
	assert_int_equal(map(1, 8, GNTMAP_host_map, HOST, &op), GNTST_okay);
	assert_int_equal(op.handle, 0);
	/* The machine address, for a direct-mapped Dom0's swiotlb-xen. */
	assert_int_equal(op.dev_bus_addr, ram_pa + PAGE_SIZE);
	assert_int_equal(p2m_at(&dom0, HOST)->pa, ram_pa + PAGE_SIZE);
	assert_int_equal(p2m_at(&dom0, HOST)->type, p2m_grant_map_rw);
	assert_int_equal(flags_of(&domu, 8),
			 GTF_permit_access | GTF_reading | GTF_writing);
	page(ram_pa + PAGE_SIZE)[0] = 0x5a; /* the granter's data */

	assert_int_equal(unmap(op.handle, HOST << PAGE_SHIFT), GNTST_okay);
	assert_null(p2m_at(&dom0, HOST)); /* a hole, as Xen leaves */
	assert_int_equal(flags_of(&domu, 8), GTF_permit_access);
	/* Twice, or a handle never given. */
	assert_int_equal(unmap(op.handle, HOST << PAGE_SHIFT),
			 GNTST_bad_handle);
	assert_int_equal(unmap(12345, HOST << PAGE_SHIFT), GNTST_bad_handle);
	assert_int_equal(unmap(0xffffffff, HOST << PAGE_SHIFT),
			 GNTST_bad_handle);
	assert_int_equal(fake_mem_free(), free0);
}

/*
 * A boot-time DomU's console entry, seeded by Orchid (dom0less_console)
 * as libxl seeds it: Dom0 maps the page by GNTTAB_RESERVED_CONSOLE as
 * xenconsoled does; another DomU may not; a reference past the table's
 * maximum is refused and leaves the table as it was.
 */
static void test_seeded_console_entry(void **state)
{
	struct gnttab_map_grant_ref op;

	assert_int_equal(
		gnttab_seed_entry(&domu.d, GNTTAB_RESERVED_CONSOLE, 0, RAM + 2),
		0);
	assert_int_equal(flags_of(&domu, GNTTAB_RESERVED_CONSOLE),
			 GTF_permit_access);
	xsm_init(XSM_POLICY_DUMMY); /* the entry's domid refuses, not silo */
	as(&dom2);
	assert_int_equal(
		map(1, GNTTAB_RESERVED_CONSOLE, GNTMAP_host_map, 0x80, NULL),
		GNTST_general_error); /* Xen's "Bad flags or dom" */
	as(&dom0);
	assert_int_equal(
		map(1, GNTTAB_RESERVED_CONSOLE, GNTMAP_host_map, HOST, &op),
		GNTST_okay);
	assert_int_equal(p2m_at(&dom0, HOST)->pa, ram_pa + 2 * PAGE_SIZE);
	assert_int_equal(unmap(op.handle, HOST << PAGE_SHIFT), GNTST_okay);
	/* domu's table has at most 4 frames of 512 entries. */
	assert_int_equal(gnttab_seed_entry(&domu.d, 4 * 512, 0, RAM), -EINVAL);
	assert_int_equal(fake_mem_free(), free0);
}

static void test_map_readonly(void **state)
{
	struct gnttab_map_grant_ref op;

	grant(&domu, 9, 0, RAM, GTF_readonly);
	/* A read-only grant cannot be mapped writable; nothing changes. */
	assert_int_equal(map(1, 9, GNTMAP_host_map, HOST, &op),
			 GNTST_general_error);
	assert_int_equal(flags_of(&domu, 9), GTF_permit_access | GTF_readonly);
	assert_null(p2m_at(&dom0, HOST));
	assert_int_equal(
		map(1, 9, GNTMAP_host_map | GNTMAP_readonly, HOST, &op),
		GNTST_okay);
	assert_int_equal(p2m_at(&dom0, HOST)->type, p2m_grant_map_ro);
	assert_int_equal(flags_of(&domu, 9),
			 GTF_permit_access | GTF_readonly | GTF_reading);
	/* Pinned read-only: still no writer. */
	assert_int_equal(map(1, 9, GNTMAP_host_map, HOST + 1, NULL),
			 GNTST_general_error);
	assert_int_equal(unmap(op.handle, HOST << PAGE_SHIFT), GNTST_okay);
	assert_int_equal(flags_of(&domu, 9), GTF_permit_access | GTF_readonly);
}

static void test_pin_counts(void **state)
{
	struct gnttab_map_grant_ref rw, ro;
	grant_handle_t h[128];

	grant(&domu, 10, 0, RAM, 0);
	assert_int_equal(map(1, 10, GNTMAP_host_map, HOST, &rw), GNTST_okay);
	assert_int_equal(
		map(1, 10, GNTMAP_host_map | GNTMAP_readonly, HOST + 1, &ro),
		GNTST_okay);
	assert_int_not_equal(rw.handle, ro.handle);
	/* The writer goes: GTF_writing with it; the reader keeps reading. */
	assert_int_equal(unmap(rw.handle, HOST << PAGE_SHIFT), GNTST_okay);
	assert_int_equal(flags_of(&domu, 10), GTF_permit_access | GTF_reading);
	/* A writer again: GTF_writing back (the entry is re-checked). */
	assert_int_equal(map(1, 10, GNTMAP_host_map, HOST, &rw), GNTST_okay);
	assert_int_equal(flags_of(&domu, 10),
			 GTF_permit_access | GTF_reading | GTF_writing);
	assert_int_equal(unmap(rw.handle, HOST << PAGE_SHIFT), GNTST_okay);
	assert_int_equal(unmap(ro.handle, (HOST + 1) << PAGE_SHIFT),
			 GNTST_okay);
	assert_int_equal(flags_of(&domu, 10), GTF_permit_access);

	/* Xen's counter limit: 127 readers more than that is refused. */
	for (unsigned int i = 0; i < 128; i++) {
		assert_int_equal(map(1, 10, GNTMAP_host_map | GNTMAP_readonly,
				     HOST + i, &ro),
				 GNTST_okay);
		h[i] = ro.handle;
	}
	assert_int_equal(
		map(1, 10, GNTMAP_host_map | GNTMAP_readonly, HOST, NULL),
		GNTST_general_error);
	for (unsigned int i = 0; i < 128; i++)
		assert_int_equal(unmap(h[i], (HOST + i) << PAGE_SHIFT),
				 GNTST_okay);
	assert_int_equal(flags_of(&domu, 10), GTF_permit_access);
	assert_int_equal(fake_mem_free(), free0);
}

static void test_map_bad_requests(void **state)
{
	grant(&domu, 11, 0, RAM, 0);
	/* Flags: neither host nor device; device/PTE/app maps on Arm. */
	assert_int_equal(map(1, 11, 0, HOST, NULL), GNTST_bad_gntref);
	assert_int_equal(map(1, 11, GNTMAP_readonly, HOST, NULL),
			 GNTST_bad_gntref);
	assert_int_equal(map(1, 11, GNTMAP_device_map, HOST, NULL),
			 GNTST_general_error);
	assert_int_equal(
		map(1, 11, GNTMAP_host_map | GNTMAP_contains_pte, HOST, NULL),
		GNTST_general_error);
	assert_int_equal(map(1, 11, GNTMAP_host_map | GNTMAP_application_map,
			     HOST, NULL),
			 GNTST_general_error);
	/* Granters: unknown, DOMID_SELF (not a domain here), dying. */
	assert_int_equal(map(9, 11, GNTMAP_host_map, HOST, NULL),
			 GNTST_bad_domain);
	assert_int_equal(map(DOMID_SELF, 11, GNTMAP_host_map, HOST, NULL),
			 GNTST_bad_domain);
	domu.d.is_dying = true;
	assert_int_equal(map(1, 11, GNTMAP_host_map, HOST, NULL),
			 GNTST_bad_domain);
	domu.d.is_dying = false;
	/* References beyond the table (one frame: 512 entries). */
	assert_int_equal(map(1, 512, GNTMAP_host_map, HOST, NULL),
			 GNTST_bad_gntref);
	assert_int_equal(map(1, 0xffffffff, GNTMAP_host_map, HOST, NULL),
			 GNTST_bad_gntref);
	/* Entries: not granted, to someone else, a transfer, a sub-page. */
	entry(&domu, 12)->flags = GTF_invalid;
	assert_int_equal(map(1, 12, GNTMAP_host_map, HOST, NULL),
			 GNTST_general_error);
	grant(&domu, 12, 2, RAM, 0);
	assert_int_equal(map(1, 12, GNTMAP_host_map, HOST, NULL),
			 GNTST_general_error);
	entry(&domu, 12)->domid = 0;
	entry(&domu, 12)->flags = GTF_accept_transfer;
	assert_int_equal(map(1, 12, GNTMAP_host_map, HOST, NULL),
			 GNTST_general_error);
	grant(&domu, 12, 0, RAM, GTF_sub_page);
	assert_int_equal(map(1, 12, GNTMAP_host_map, HOST, NULL),
			 GNTST_general_error);
	assert_int_equal(flags_of(&domu, 12), GTF_permit_access | GTF_sub_page);
	/* Frames: not mapped, a device, not the granter's, beyond IPAs. */
	grant(&domu, 13, 0, RAM + 100, 0);
	assert_int_equal(map(1, 13, GNTMAP_host_map, HOST, NULL),
			 GNTST_bad_page);
	assert_int_equal(flags_of(&domu, 13), GTF_permit_access); /* undone */
	fake_p2m_add(&domu.d, (RAM + 100) << PAGE_SHIFT, 0x9000000,
		     p2m_mmio_direct_dev);
	assert_int_equal(map(1, 13, GNTMAP_host_map, HOST, NULL),
			 GNTST_bad_page);
	fake_p2m_add(&domu.d, (RAM + 100) << PAGE_SHIFT, dom0_page, p2m_ram_rw);
	assert_int_equal(map(1, 13, GNTMAP_host_map, HOST, NULL),
			 GNTST_bad_page);
	fake_p2m_add(&domu.d, (RAM + 100) << PAGE_SHIFT, dom0_page,
		     p2m_map_foreign_rw);
	assert_int_equal(map(1, 13, GNTMAP_host_map, HOST, NULL),
			 GNTST_bad_page);
	grant(&domu, 13, 0, 0xffffffff, 0);
	assert_int_equal(map(1, 13, GNTMAP_host_map, HOST, NULL),
			 GNTST_bad_page);
	/* The mapper's address outside its IPA space: all undone. */
	assert_int_equal(map(1, 11, GNTMAP_host_map, 1ULL << 40, NULL),
			 GNTST_general_error);
	assert_int_equal(flags_of(&domu, 11), GTF_permit_access);
	assert_int_equal(fake_p2m_count(&dom0.d), 1); /* its own page only */
	assert_int_equal(fake_mem_free(), free0);
	/* A pinned grant is the pinner's alone (DomU to DomU: xsm=dummy). */
	grant(&domu, 14, 0, RAM, 0);
	assert_int_equal(map(1, 14, GNTMAP_host_map, HOST, NULL), GNTST_okay);
	as(&dom2);
	entry(&domu, 14)->domid = 2;
	xsm_init(XSM_POLICY_DUMMY);
	assert_int_equal(map(1, 14, GNTMAP_host_map, 0x100, NULL),
			 GNTST_general_error);
	/* Batches: statuses per element; a fault ends the call. */
	as(&dom0);
	assert_int_equal(do_grant_table_op(GNTTABOP_map_grant_ref,
					   FAKE_GUEST_VA + FAKE_GUEST_SIZE - 16,
					   1),
			 -EFAULT);
	assert_int_equal(
		do_grant_table_op(GNTTABOP_map_grant_ref, FAKE_GUEST_RO_VA, 1),
		-EFAULT);
}

static void test_maptrack_out_of_memory(void **state)
{
	grant(&domu, 15, 0, RAM, 0);
	fake_alloc_budget = 0;
	assert_int_equal(map(1, 15, GNTMAP_host_map, HOST, NULL),
			 GNTST_no_space);
	fake_alloc_budget = -1;
	assert_int_equal(flags_of(&domu, 15), GTF_permit_access);
}

static void test_unmap_cases(void **state)
{
	struct gnttab_map_grant_ref op;

	grant(&domu, 16, 0, RAM + 2, 0);
	assert_int_equal(map(1, 16, GNTMAP_host_map, HOST, &op), GNTST_okay);
	/* No host address: nothing done, the handle still good (Xen). */
	assert_int_equal(unmap(op.handle, 0), GNTST_okay);
	assert_non_null(p2m_at(&dom0, HOST));
	/* Another page at that address: refused, the handle kept. */
	assert_int_equal(unmap(op.handle, dom0_page), GNTST_general_error);
	assert_int_equal(flags_of(&domu, 16),
			 GTF_permit_access | GTF_reading | GTF_writing);
	/*
	 * A hole where the mapping was: refused, the pin and the page kept
	 * (Xen 4.17 accepts this and drops both while the mapping may live
	 * on at another address: see test_unmap_names_its_mapping).
	 */
	assert_int_equal(domain_mem_unmap(&dom0.d, HOST, 1), 0);
	assert_int_equal(unmap(op.handle, (HOST << PAGE_SHIFT) + 0x123),
			 GNTST_general_error);
	assert_int_equal(flags_of(&domu, 16),
			 GTF_permit_access | GTF_reading | GTF_writing);
	/* Mapped again where it was, it unmaps with its handle. */
	assert_int_equal(domain_mem_map(&dom0.d, HOST,
					pa_init(ram_pa + 2 * PAGE_SIZE), 1,
					p2m_grant_map_rw),
			 0);
	assert_int_equal(unmap(op.handle, (HOST << PAGE_SHIFT) + 0x123),
			 GNTST_okay);
	assert_int_equal(flags_of(&domu, 16), GTF_permit_access);
	assert_int_equal(fake_mem_free(), free0);
}

/*
 * Item 1 of the guest-safety issue: a DomU maps its own grant at G1, then
 * names another address in the unmap (an empty GFN, or the page's own RAM
 * GFN). Were the pin and the page reference dropped, the DomU could give
 * the page back and keep writing to it at G1 after Orchid reused it.
 */
static void test_unmap_names_its_mapping(void **state)
{
	const uint64_t g1 = RAM + 0x100, g2 = RAM + 0x101;
	struct gnttab_map_grant_ref op;
	uint64_t pa = ram_pa + PAGE_SIZE;

	as(&domu);
	grant(&domu, 20, 1, RAM + 1, 0);
	assert_int_equal(map(1, 20, GNTMAP_host_map, g1, &op), GNTST_okay);
	assert_int_equal(p2m_at(&domu, g1)->pa, pa);
	/* An empty GFN, the page's own RAM GFN, an unrelated RAM GFN. */
	assert_int_equal(unmap(op.handle, g2 << PAGE_SHIFT),
			 GNTST_general_error);
	assert_int_equal(unmap(op.handle, (RAM + 1) << PAGE_SHIFT),
			 GNTST_general_error);
	assert_int_equal(unmap(op.handle, RAM << PAGE_SHIFT),
			 GNTST_general_error);
	/* Nothing changed: mapping, own RAM, pin. */
	assert_int_equal(p2m_at(&domu, g1)->pa, pa);
	assert_int_equal(p2m_at(&domu, g1)->type, p2m_grant_map_rw);
	assert_int_equal(p2m_at(&domu, RAM + 1)->type, p2m_ram_rw);
	assert_int_equal(p2m_at(&domu, RAM)->type, p2m_ram_rw);
	assert_int_equal(flags_of(&domu, 20),
			 GTF_permit_access | GTF_reading | GTF_writing);
	/* Given back: gone from its RAM, but still referenced at G1. */
	assert_int_equal(domain_mem_decrease(&domu.d, RAM + 1), 0);
	domain_mem_decrease(&domu.d, RAM);
	domain_mem_decrease(&domu.d, RAM + 2);
	domain_mem_decrease(&domu.d, RAM + 3);
	assert_int_equal(fake_mem_free(), free0); /* the block stays */
	/* The real unmap: the block goes back now. */
	assert_int_equal(unmap(op.handle, g1 << PAGE_SHIFT), GNTST_okay);
	assert_null(p2m_at(&domu, g1));
	assert_int_equal(fake_mem_free(), free0 + 4);
}

/* ---- lifetimes --------------------------------------------------------- */

static void test_page_outlives_its_granter(void **state)
{
	struct gnttab_map_grant_ref op;

	grant(&domu, 17, 0, RAM + 3, 0);
	assert_int_equal(map(1, 17, GNTMAP_host_map, HOST, &op), GNTST_okay);
	/* The granter balloons the page out: Dom0 still has it. */
	assert_int_equal(domain_mem_decrease(&domu.d, RAM + 3), 0);
	assert_int_equal(fake_mem_free(), free0);
	/* ... and dies: its table goes, the page stays mapped. */
	domain_mem_release_all(&domu.d);
	gnttab_domain_destroy(&domu.d);
	fake_domain_put(&domu);
	/* Its grant frame went; the mapped page's block did not. */
	assert_int_equal(fake_mem_free(), free0 + 1);
	/* A new domain 1 must not be touched by the old mapping's unmap. */
	fake_domain_get(&domu, 1, false, 1, 1);
	assert_int_equal(gnttab_domain_init(&domu.d, 1), 0);
	grant(&domu, 17, 0, 0x1234, 0);
	entry(&domu, 17)->flags |= GTF_reading | GTF_writing;
	assert_int_equal(unmap(op.handle, HOST << PAGE_SHIFT), GNTST_okay);
	assert_int_equal(flags_of(&domu, 17),
			 GTF_permit_access | GTF_reading | GTF_writing);
	/* The block is back; the new table took a frame. */
	assert_int_equal(fake_mem_free(), free0 + 1 + 4 - 1);
}

static void test_mapper_death(void **state)
{
	/* A DomU mapping another DomU's grant needs xsm=dummy. */
	xsm_init(XSM_POLICY_DUMMY);
	grant(&domu, 18, 2, RAM, 0);
	as(&dom2);
	assert_int_equal(map(1, 18, GNTMAP_host_map, 0x80, NULL), GNTST_okay);
	assert_int_equal(flags_of(&domu, 18),
			 GTF_permit_access | GTF_reading | GTF_writing);
	/* A DomU that mapped a grant dies: its pins go. */
	domain_mem_release_all(&dom2.d);
	assert_int_equal(flags_of(&domu, 18), GTF_permit_access);
	assert_int_equal(fake_p2m_count(&dom2.d), 0);
	gnttab_release_mappings(&dom2.d); /* again: nothing */
}

/* ---- copy -------------------------------------------------------------- */

static void test_copy(void **state)
{
	struct gnttab_copy op = {
		.source = {.u.ref = 20, .domid = 1, .offset = 100},
		.dest = {.u.gmfn = dom0_page >> PAGE_SHIFT,
			 .domid = DOMID_SELF,
			 .offset = 200},
		.len = 50,
		.flags = GNTCOPY_source_gref};

	/* netback's copy from a frontend's grant into Dom0's own page. */
	memset(page(dom0_page), 0, PAGE_SIZE);
	grant(&domu, 20, 0, RAM + 1, GTF_readonly);
	memset(page(ram_pa + PAGE_SIZE) + 100, 0xab, 50);
	assert_int_equal(copy(&op), GNTST_okay);
	assert_int_equal(page(dom0_page)[200], 0xab);
	assert_int_equal(page(dom0_page)[249], 0xab);
	assert_int_equal(page(dom0_page)[250], 0);
	assert_int_equal(flags_of(&domu, 20), GTF_permit_access | GTF_readonly);

	/* And back into a writable grant. */
	grant(&domu, 21, 0, RAM + 2, 0);
	op = (struct gnttab_copy){
		.source = {.u.gmfn = dom0_page >> PAGE_SHIFT,
			   .domid = DOMID_SELF,
			   .offset = 200},
		.dest = {.u.ref = 21, .domid = 1, .offset = 4000},
		.len = 96,
		.flags = GNTCOPY_dest_gref};
	assert_int_equal(copy(&op), GNTST_okay);
	assert_int_equal(page(ram_pa + 2 * PAGE_SIZE)[4000], 0xab);
	assert_int_equal(flags_of(&domu, 21), GTF_permit_access);
	/* Into a read-only grant: no. */
	op.dest.u.ref = 20;
	assert_int_equal(copy(&op), GNTST_general_error);
	assert_int_equal(flags_of(&domu, 20), GTF_permit_access | GTF_readonly);
	/* Beyond the page. */
	op.dest.u.ref = 21;
	op.len = 97;
	assert_int_equal(copy(&op), GNTST_bad_copy_arg);
	op.len = 0;
	assert_int_equal(copy(&op), GNTST_okay);
	op.source.offset = 4097;
	assert_int_equal(copy(&op), GNTST_bad_copy_arg);
	assert_int_equal(flags_of(&domu, 21), GTF_permit_access);
	assert_int_equal(fake_mem_free(), free0);
}

static void test_copy_bad_requests(void **state)
{
	struct gnttab_copy op = {.source = {.u.ref = 22, .domid = 1},
				 .dest = {.u.gmfn = dom0_page >> PAGE_SHIFT,
					  .domid = DOMID_SELF},
				 .len = 8,
				 .flags = GNTCOPY_source_gref};

	grant(&domu, 22, 0, RAM, 0);
	/*
	 * Only DOMID_SELF may name a frame, not even the caller's own ID,
	 * and only once the domain is found: an unknown one is bad_domain
	 * (seen on Xen 4.17 by tests/baremetal).
	 */
	op.dest.domid = 1;
	assert_int_equal(copy(&op), GNTST_permission_denied);
	op.dest.domid = 9;
	assert_int_equal(copy(&op), GNTST_bad_domain);
	op.dest.domid = DOMID_INVALID;
	assert_int_equal(copy(&op), GNTST_bad_domain);
	op.dest.domid = 0;
	assert_int_equal(copy(&op), GNTST_permission_denied);
	op.dest.domid = DOMID_SELF;
	/* Unknown or dying domains; the source is looked at first. */
	op.source.domid = 9;
	op.dest.domid = 8;
	op.flags |= GNTCOPY_dest_gref;
	assert_int_equal(copy(&op), GNTST_bad_domain);
	op.flags = GNTCOPY_source_gref;
	op.dest.domid = DOMID_SELF;
	domu.d.is_dying = true;
	op.source.domid = 1;
	assert_int_equal(copy(&op), GNTST_bad_domain);
	domu.d.is_dying = false;
	/* Bad references, frames, grants. */
	op.source.u.ref = 4096;
	assert_int_equal(copy(&op), GNTST_bad_gntref);
	op.source.u.ref = 22;
	op.dest.u.gmfn = 0x123;
	assert_int_equal(copy(&op), GNTST_bad_page);
	assert_int_equal(flags_of(&domu, 22), GTF_permit_access); /* unpinned */
	op.dest.u.gmfn = dom0_page >> PAGE_SHIFT;
	entry(&domu, 22)->domid = 2;
	assert_int_equal(copy(&op), GNTST_general_error);
	/* A frame of someone else's mapped by Dom0 is not Dom0's to copy. */
	assert_int_equal(
		domain_mem_get_page(&domu.d, pa_init(ram_pa), DM_GET_RAM), 0);
	assert_int_equal(domain_mem_map(&dom0.d, 0x300, pa_init(ram_pa), 1,
					p2m_map_foreign_rw),
			 0);
	op = (struct gnttab_copy){
		.source = {.u.gmfn = 0x300, .domid = DOMID_SELF},
		.dest = {.u.gmfn = dom0_page >> PAGE_SHIFT,
			 .domid = DOMID_SELF},
		.len = 8};
	assert_int_equal(copy(&op), GNTST_bad_page);
	/* Both sides local. */
	op.source.u.gmfn = dom0_page >> PAGE_SHIFT;
	op.dest.offset = 8;
	assert_int_equal(copy(&op), GNTST_okay);
	assert_int_equal(domain_mem_remove(&dom0.d, 0x300), 0);
}

static void test_copy_batch(void **state)
{
	struct gnttab_copy ops[2] = {
		{.source = {.u.ref = 23, .domid = 1},
		 .dest = {.u.gmfn = dom0_page >> PAGE_SHIFT,
			  .domid = DOMID_SELF},
		 .len = 4,
		 .flags = GNTCOPY_source_gref},
		{.source = {.u.ref = 600, .domid = 1},
		 .dest = {.u.gmfn = dom0_page >> PAGE_SHIFT,
			  .domid = DOMID_SELF},
		 .len = 4,
		 .flags = GNTCOPY_source_gref},
	};

	grant(&domu, 23, 0, RAM, 0);
	memcpy(fake_guest_ptr(ARG_VA), ops, sizeof(ops));
	assert_int_equal(do_grant_table_op(GNTTABOP_copy, ARG_VA, 2), 0);
	memcpy(ops, fake_guest_ptr(ARG_VA), sizeof(ops));
	assert_int_equal(ops[0].status, GNTST_okay);
	assert_int_equal(ops[1].status, GNTST_bad_gntref);
	assert_int_equal(do_grant_table_op(GNTTABOP_copy, 0, 1), -EFAULT);
}

/*
 * A batch keeps a grant or page the next element names again claimed
 * (as Xen's gnttab_copy does), and lets everything go when an element
 * fails and when the batch ends: no pin, no page reference left behind.
 */
static void test_copy_batch_same_pages(void **state)
{
	uint64_t self = dom0_page >> PAGE_SHIFT;
	struct gnttab_copy ops[4] = {
		{.source = {.u.ref = 24, .domid = 1},
		 .dest = {.u.gmfn = self, .domid = DOMID_SELF},
		 .len = 8,
		 .flags = GNTCOPY_source_gref},
		{.source = {.u.ref = 24, .domid = 1, .offset = 8},
		 .dest = {.u.gmfn = self, .domid = DOMID_SELF, .offset = 8},
		 .len = 8,
		 .flags = GNTCOPY_source_gref},
		{.source = {.u.ref = 24, .domid = 1},
		 .dest = {.u.gmfn = 0x123, .domid = DOMID_SELF},
		 .len = 8,
		 .flags = GNTCOPY_source_gref},
		{.source = {.u.ref = 24, .domid = 1, .offset = 16},
		 .dest = {.u.gmfn = self, .domid = DOMID_SELF, .offset = 16},
		 .len = 8,
		 .flags = GNTCOPY_source_gref},
	};

	memset(page(dom0_page), 0, PAGE_SIZE);
	memset(page(ram_pa + 3 * PAGE_SIZE), 0xcd, 24);
	grant(&domu, 24, 0, RAM + 3, GTF_readonly);
	memcpy(fake_guest_ptr(ARG_VA), ops, sizeof(ops));
	assert_int_equal(do_grant_table_op(GNTTABOP_copy, ARG_VA, 4), 0);
	memcpy(ops, fake_guest_ptr(ARG_VA), sizeof(ops));
	assert_int_equal(ops[0].status, GNTST_okay);
	assert_int_equal(ops[1].status, GNTST_okay);
	assert_int_equal(ops[2].status, GNTST_bad_page);
	assert_int_equal(ops[3].status, GNTST_okay);
	for (unsigned int i = 0; i < 24; i++)
		assert_int_equal(page(dom0_page)[i], 0xcd);
	assert_int_equal(page(dom0_page)[24], 0);
	/* Unpinned at the end: the granter sees no reader. */
	assert_int_equal(flags_of(&domu, 24), GTF_permit_access | GTF_readonly);
	/*
	 * No reference left on Dom0's page: giving it back frees it (as a
	 * DomU would: a direct-mapped Dom0 keeps its memory).
	 */
	dom0.d.direct_mapped = false;
	assert_int_equal(domain_mem_decrease(&dom0.d, self), 0);
	assert_int_equal(fake_mem_free(), free0 + 1);
}

/* ---- XSM: silo (the default) and dummy --------------------------------- */

/* Gives DomU 2 one page of RAM at GFN @gfn; returns its address. */
static uint64_t dom2_page(uint64_t gfn)
{
	paddr_t pa;

	domain_mem_set_max(&dom2.d, 1);
	assert_int_equal(domain_mem_alloc(&dom2.d, 0, 0, &pa), 0);
	assert_int_equal(domain_mem_map(&dom2.d, gfn, pa, 1, p2m_ram_rw), 0);
	return pa_addr(pa);
}

/* Another page of Dom0's at a GFN that fits a v1 entry's frame. */
static uint64_t dom0_low_page(uint64_t gfn)
{
	void *block = alloc_pages(0);

	assert_int_equal(domain_mem_assign(&dom0.d, block, 0), 0);
	assert_int_equal(domain_mem_map(&dom0.d, gfn, pa_init((uintptr_t)block),
					1, p2m_ram_rw),
			 0);
	return (uintptr_t)block;
}

static void test_silo_map_between_domus(void **state)
{
	uint64_t pa0 = dom0_low_page(0x200);
	struct gnttab_map_grant_ref op;

	grant(&domu, 30, 2, RAM, 0);
	as(&dom2);
	/* Xen's status, before any maptrack handle or pin is taken. */
	assert_int_equal(map(1, 30, GNTMAP_host_map, 0x80, NULL),
			 GNTST_permission_denied);
	assert_int_equal(
		map(1, 30, GNTMAP_host_map | GNTMAP_readonly, 0x80, NULL),
		GNTST_permission_denied);
	assert_int_equal(flags_of(&domu, 30), GTF_permit_access);
	assert_null(p2m_at(&dom2, 0x80));
	/* Checks that come first in Xen still do. */
	assert_int_equal(map(1, 30, 0, 0x80, NULL), GNTST_bad_gntref);
	assert_int_equal(map(9, 30, GNTMAP_host_map, 0x80, NULL),
			 GNTST_bad_domain);
	/* Dom0's grant is fine, and gets the first handle. */
	grant(&dom0, 5, 2, 0x200, 0);
	assert_int_equal(map(0, 5, GNTMAP_host_map, 0x81, &op), GNTST_okay);
	assert_int_equal(op.handle, 0);
	assert_int_equal(p2m_at(&dom2, 0x81)->pa, pa0);
	assert_int_equal(unmap(op.handle, 0x81 << PAGE_SHIFT), GNTST_okay);
	/* So is Dom0 mapping a DomU's, and a DomU its own. */
	as(&dom0);
	grant(&domu, 31, 0, RAM, 0);
	assert_int_equal(map(1, 31, GNTMAP_host_map, HOST, &op), GNTST_okay);
	assert_int_equal(unmap(op.handle, HOST << PAGE_SHIFT), GNTST_okay);
	as(&domu);
	grant(&domu, 32, 1, RAM, 0);
	assert_int_equal(map(1, 32, GNTMAP_host_map, RAM + 0x10, &op),
			 GNTST_okay);
	assert_int_equal(unmap(op.handle, (RAM + 0x10) << PAGE_SHIFT),
			 GNTST_okay);
	assert_int_equal(fake_mem_free(), free0 - 1); /* Dom0's new page */
}

static void test_dummy_map_between_domus(void **state)
{
	struct gnttab_map_grant_ref op;

	xsm_init(XSM_POLICY_DUMMY);
	grant(&domu, 30, 2, RAM + 1, 0);
	as(&dom2);
	assert_int_equal(map(1, 30, GNTMAP_host_map, 0x80, &op), GNTST_okay);
	assert_int_equal(p2m_at(&dom2, 0x80)->pa, ram_pa + PAGE_SIZE);
	assert_int_equal(flags_of(&domu, 30),
			 GTF_permit_access | GTF_reading | GTF_writing);
	assert_int_equal(unmap(op.handle, 0x80 << PAGE_SHIFT), GNTST_okay);
	assert_int_equal(flags_of(&domu, 30), GTF_permit_access);
}

static void test_silo_copy_between_domus(void **state)
{
	uint64_t pa2 = dom2_page(0x80);
	struct gnttab_copy op = {.source = {.u.ref = 33, .domid = 1},
				 .dest = {.u.gmfn = 0x80, .domid = DOMID_SELF},
				 .len = 8,
				 .flags = GNTCOPY_source_gref};

	grant(&domu, 33, 2, RAM, 0);
	grant(&domu, 34, 2, RAM + 1, 0);
	memset(page(ram_pa), 0x11, 8);
	memset(page(pa2), 0, PAGE_SIZE);
	as(&dom2);
	/* Either direction between two DomUs, nothing pinned or copied. */
	assert_int_equal(copy(&op), GNTST_permission_denied);
	assert_int_equal(page(pa2)[0], 0);
	assert_int_equal(flags_of(&domu, 33), GTF_permit_access);
	op = (struct gnttab_copy){
		.source = {.u.gmfn = 0x80, .domid = DOMID_SELF},
		.dest = {.u.ref = 34, .domid = 1},
		.len = 8,
		.flags = GNTCOPY_dest_gref};
	assert_int_equal(copy(&op), GNTST_permission_denied);
	assert_int_equal(flags_of(&domu, 34), GTF_permit_access);
	/* Bad domains are found first, as in Xen. */
	op.dest.domid = 9;
	assert_int_equal(copy(&op), GNTST_bad_domain);
	/* Within one DomU, even through another's hands, silo allows it. */
	op = (struct gnttab_copy){.source = {.u.ref = 33, .domid = 1},
				  .dest = {.u.ref = 34, .domid = 1},
				  .len = 8,
				  .flags = GNTCOPY_source_gref |
					   GNTCOPY_dest_gref};
	assert_int_equal(copy(&op), GNTST_okay);
	assert_int_equal(page(ram_pa + PAGE_SIZE)[7], 0x11);
	/* A DomU with Dom0: fine. */
	dom0_low_page(0x200);
	grant(&dom0, 6, 2, 0x200, 0);
	op = (struct gnttab_copy){
		.source = {.u.gmfn = 0x80, .domid = DOMID_SELF},
		.dest = {.u.ref = 6, .domid = 0},
		.len = 8,
		.flags = GNTCOPY_dest_gref};
	assert_int_equal(copy(&op), GNTST_okay);
	/* Dom0 as caller may copy from one DomU's grant into another's. */
	as(&dom0);
	grant(&domu, 35, 0, RAM, 0);
	grant(&dom2, 1, 0, 0x80, 0);
	op = (struct gnttab_copy){
		.source = {.u.ref = 35, .domid = 1},
		.dest = {.u.ref = 1, .domid = 2, .offset = 100},
		.len = 8,
		.flags = GNTCOPY_source_gref | GNTCOPY_dest_gref};
	assert_int_equal(copy(&op), GNTST_okay);
	assert_int_equal(page(pa2)[100], 0x11);
}

static void test_dummy_copy_between_domus(void **state)
{
	uint64_t pa2 = dom2_page(0x80);
	struct gnttab_copy op = {
		.source = {.u.ref = 33, .domid = 1, .offset = 16},
		.dest = {.u.gmfn = 0x80, .domid = DOMID_SELF, .offset = 32},
		.len = 8,
		.flags = GNTCOPY_source_gref};

	xsm_init(XSM_POLICY_DUMMY);
	grant(&domu, 33, 2, RAM, GTF_readonly);
	memset(page(ram_pa) + 16, 0x22, 8);
	memset(page(pa2), 0, PAGE_SIZE);
	as(&dom2);
	assert_int_equal(copy(&op), GNTST_okay);
	assert_int_equal(page(pa2)[32], 0x22);
	assert_int_equal(page(pa2)[39], 0x22);
	assert_int_equal(page(pa2)[40], 0);
}

static void test_cache_flush_of_a_grant(void **state)
{
	struct gnttab_map_grant_ref op;
	struct gnttab_cache_flush f = {.a.dev_bus_addr = ram_pa,
				       .length = 64,
				       .op = GNTTAB_CACHE_CLEAN};

	/* swiotlb-xen flushes a page it maps by grant, by machine address. */
	memcpy(fake_guest_ptr(ARG_VA), &f, sizeof(f));
	assert_int_equal(do_grant_table_op(GNTTABOP_cache_flush, ARG_VA, 1),
			 -EINVAL);
	grant(&domu, 24, 0, RAM, 0);
	assert_int_equal(map(1, 24, GNTMAP_host_map, HOST, &op), GNTST_okay);
	memcpy(fake_guest_ptr(ARG_VA), &f, sizeof(f));
	assert_int_equal(do_grant_table_op(GNTTABOP_cache_flush, ARG_VA, 1), 0);
	assert_ptr_equal(fake_flush.va, page(ram_pa));
	assert_int_equal(unmap(op.handle, HOST << PAGE_SHIFT), GNTST_okay);
	memcpy(fake_guest_ptr(ARG_VA), &f, sizeof(f));
	assert_int_equal(do_grant_table_op(GNTTABOP_cache_flush, ARG_VA, 1),
			 -EINVAL);
}

/*
 * A handle whose mapping another vCPU is making or unmapping right now
 * (busy) cannot be unmapped meanwhile: GNTST_bad_handle, nothing changes.
 */
static void test_unmap_busy_handle(void **state)
{
	struct gnttab_map_grant_ref op;

	grant(&domu, 26, 0, RAM, 0);
	assert_int_equal(map(1, 26, GNTMAP_host_map, HOST, &op), GNTST_okay);
	dom0.d.grant_table->maptrack[op.handle].busy = true;
	assert_int_equal(unmap(op.handle, HOST << PAGE_SHIFT),
			 GNTST_bad_handle);
	assert_int_equal(p2m_at(&dom0, HOST)->type, p2m_grant_map_rw);
	assert_int_equal(flags_of(&domu, 26),
			 GTF_permit_access | GTF_reading | GTF_writing);
	dom0.d.grant_table->maptrack[op.handle].busy = false;
	assert_int_equal(unmap(op.handle, HOST << PAGE_SHIFT), GNTST_okay);
	assert_int_equal(flags_of(&domu, 26), GTF_permit_access);
}

/*
 * Guest-safety item 6: a page the DomU gave back (decrease_reservation)
 * while Dom0 still maps it by grant is no longer the DomU's to flush:
 * its frame still names the DomU, but the DomU does not own it.
 */
static void test_cache_flush_of_a_page_given_back(void **state)
{
	struct gnttab_map_grant_ref op;
	struct gnttab_cache_flush f = {.a.dev_bus_addr = ram_pa + PAGE_SIZE,
				       .length = 64,
				       .op = GNTTAB_CACHE_INVAL};

	as(&domu);
	memcpy(fake_guest_ptr(ARG_VA), &f, sizeof(f));
	assert_int_equal(do_grant_table_op(GNTTABOP_cache_flush, ARG_VA, 1), 0);
	as(&dom0);
	grant(&domu, 25, 0, RAM + 1, 0);
	assert_int_equal(map(1, 25, GNTMAP_host_map, HOST, &op), GNTST_okay);
	assert_int_equal(domain_mem_decrease(&domu.d, RAM + 1), 0);
	as(&domu);
	fake_flush.va = NULL;
	memcpy(fake_guest_ptr(ARG_VA), &f, sizeof(f));
	assert_int_equal(do_grant_table_op(GNTTABOP_cache_flush, ARG_VA, 1),
			 -EINVAL);
	assert_null(fake_flush.va);
	/* Dom0, which maps it by grant, still may. */
	as(&dom0);
	memcpy(fake_guest_ptr(ARG_VA), &f, sizeof(f));
	assert_int_equal(do_grant_table_op(GNTTABOP_cache_flush, ARG_VA, 1), 0);
	assert_ptr_equal(fake_flush.va, page(ram_pa + PAGE_SIZE));
	assert_int_equal(unmap(op.handle, HOST << PAGE_SHIFT), GNTST_okay);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_map_unmap),
		T(test_seeded_console_entry),
		T(test_map_readonly),
		T(test_pin_counts),
		T(test_map_bad_requests),
		T(test_maptrack_out_of_memory),
		T(test_unmap_cases),
		T(test_unmap_names_its_mapping),
		T(test_page_outlives_its_granter),
		T(test_mapper_death),
		T(test_copy),
		T(test_copy_bad_requests),
		T(test_copy_batch),
		T(test_copy_batch_same_pages),
		T(test_cache_flush_of_a_grant),
		T(test_cache_flush_of_a_page_given_back),
		T(test_unmap_busy_handle),
		T(test_silo_map_between_domus),
		T(test_dummy_map_between_domus),
		T(test_silo_copy_between_domus),
		T(test_dummy_copy_between_domus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
