/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of common/mm/domain_mem.c: the frame table over a fake RAM bank
 * (the fake page allocator's arena), allocation against max_pages,
 * zeroing and scrubbing, blocks given back page by page, references held
 * by mappings, Orchid's lent pages, the physmap helpers and their foreign
 * mapping records, and a domain's death, checked leak-free against the
 * arena's free count.
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
#include <orchid/mm.h>

#include "fake_domain.h"
#include "fake_mem.h"

#define ARENA_PAGES 4096

static struct fake_domain dom0, domu, dom2, dom5;
static uint64_t free0; /* arena pages free once the domains exist */

static int setup(void **state)
{
	fake_mem_init(ARENA_PAGES);
	fake_domain_get(&dom0, 0, true, 1, 1);
	dom0.d.direct_mapped = true;
	fake_domain_get(&domu, 1, false, 1, 1);
	fake_domain_get(&dom2, 2, false, 1, 1);
	fake_p2m_clear();
	fake_reset_records();
	fake_alloc_budget = -1;
	fake_current = &dom0.vcpu[0];
	free0 = fake_mem_free();
	return 0;
}

static int teardown(void **state)
{
	domain_mem_release_all(&dom0.d);
	domain_mem_release_all(&domu.d);
	domain_mem_release_all(&dom2.d);
	assert_int_equal(dom0.d.tot_pages, 0);
	assert_int_equal(domu.d.tot_pages, 0);
	assert_int_equal(dom2.d.tot_pages, 0);
	assert_int_equal(fake_p2m_locked, 0);
	fake_domain_put(&dom0);
	fake_domain_put(&domu);
	fake_domain_put(&dom2);
	fake_alloc_budget = -1;
	fake_mem_fini(); /* fails on any page not given back */
	return 0;
}

static bool all_bytes(const void *p, uint8_t v, size_t len)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < len; i++)
		if (b[i] != v)
			return false;
	return true;
}

static void *va_of(paddr_t pa)
{
	return (void *)(uintptr_t)pa_addr(pa);
}

static paddr_t page_at(paddr_t pa, uint64_t i)
{
	return pa_add(pa, i * PAGE_SIZE);
}

/* A RAM block of @order for @d (max_pages raised as needed). */
static paddr_t give(struct fake_domain *fd, unsigned int order)
{
	paddr_t pa;

	if (fd->d.max_pages < fd->d.tot_pages + (1ULL << order))
		domain_mem_set_max(&fd->d, fd->d.tot_pages + (1ULL << order));
	assert_int_equal(domain_mem_alloc(&fd->d, order, 0, &pa), 0);
	return pa;
}

/* ---- the frame table ------------------------------------------------ */

static void test_table_covers_the_bank(void **state)
{
	void *outside = aligned_alloc(4096, 4096);
	paddr_t pa = give(&domu, 0);
	domid_t owner = 77;

	/* One 16-byte entry per page, in whole pages, from the bank itself. */
	assert_int_equal(ARENA_PAGES - free0, ARENA_PAGES * 16 / PAGE_SIZE);
	assert_int_equal(fake_mem_free(), free0 - 1);
	assert_true(domain_mem_page_owner(pa, &owner));
	assert_int_equal(owner, 1);
	/* Memory outside every bank has no frame and no owner. */
	assert_false(
		domain_mem_page_owner(pa_init((uintptr_t)outside), &owner));
	assert_int_equal(domain_mem_assign(&dom0.d, outside, 0), -EINVAL);
	assert_int_equal(domain_mem_get_page(&domu.d,
					     pa_init((uintptr_t)outside),
					     DM_GET_RAM),
			 -EINVAL);
	free(outside);
}

/* ---- allocation and accounting --------------------------------------- */

static void test_alloc_zeroed_counted_limited(void **state)
{
	paddr_t pa, pa2;

	/* No limit set: a new domain may own nothing (Xen's max_pages 0). */
	assert_int_equal(domain_mem_alloc(&domu.d, 0, 0, &pa), -ENOMEM);
	assert_int_equal(domain_mem_set_max(&domu.d, 8), 0);
	assert_int_equal(domain_mem_alloc(&domu.d, 3, 0, &pa), 0);
	assert_int_equal(domain_mem_tot_pages(&domu.d), 8);
	assert_true(all_bytes(va_of(pa), 0, 8 * PAGE_SIZE));
	assert_true(is_aligned(pa_addr(pa), 8 * PAGE_SIZE));
	/* Cleaned to the point of coherency for a guest with caches off. */
	assert_ptr_equal(fake_flush.va, va_of(pa));
	assert_int_equal(fake_flush.len, 8 * PAGE_SIZE);
	assert_true(fake_flush.clean && fake_flush.invalidate);
	for (unsigned int i = 0; i < 8; i++)
		assert_true(domain_mem_owns(&domu.d, page_at(pa, i)));
	assert_false(domain_mem_owns(&dom2.d, pa));

	/* Full: one more page is too many. */
	assert_int_equal(domain_mem_alloc(&domu.d, 0, 0, &pa2), -ENOMEM);
	assert_int_equal(domain_mem_tot_pages(&domu.d), 8);
	/* A limit below what it owns is taken; nothing more comes. */
	assert_int_equal(domain_mem_set_max(&domu.d, 4), 0);
	assert_int_equal(domain_mem_alloc(&domu.d, 0, 0, &pa2), -ENOMEM);
	assert_int_equal(domain_mem_set_max(&domu.d, 1ULL << 40), 0);

	/* Orders beyond the allocator's, and huge counts. */
	assert_int_equal(domain_mem_alloc(&domu.d, PAGE_ORDER_MAX + 1, 0, &pa2),
			 -EINVAL);
	assert_int_equal(domain_mem_alloc(&domu.d, 13, 0, &pa2), -ENOMEM);
	assert_int_equal(domain_mem_tot_pages(&domu.d), 8);

	/* Out of memory: the reservation is undone. */
	fake_alloc_budget = 0;
	assert_int_equal(domain_mem_alloc(&domu.d, 0, 0, &pa2), -ENOMEM);
	fake_alloc_budget = -1;
	assert_int_equal(domain_mem_tot_pages(&domu.d), 8);

	/* Below 2^addr_bits: the arena is far above 1 MiB. */
	assert_int_equal(domain_mem_alloc(&domu.d, 0, 20, &pa2), -ENOMEM);
	assert_int_equal(domain_mem_tot_pages(&domu.d), 8);
	assert_int_equal(domain_mem_alloc(&domu.d, 0, 63, &pa2), 0);
	assert_int_equal(domain_mem_tot_pages(&domu.d), 9);

	/* A dying domain gets nothing. */
	dom2.d.is_dying = true;
	domain_mem_set_max(&dom2.d, 100);
	assert_int_equal(domain_mem_alloc(&dom2.d, 0, 0, &pa2), -EINVAL);
	assert_int_equal(domain_mem_tot_pages(&dom2.d), 0);
}

static void test_release_page_by_page(void **state)
{
	paddr_t pa = give(&domu, 2);
	uint64_t free_before = fake_mem_free();

	memset(va_of(pa), 0x5a, 4 * PAGE_SIZE); /* the guest's data */
	for (unsigned int i = 0; i < 3; i++) {
		assert_int_equal(domain_mem_release(&domu.d, page_at(pa, i)),
				 0);
		assert_int_equal(domain_mem_tot_pages(&domu.d), 3 - i);
		/* The block goes back only as a whole. */
		assert_int_equal(fake_mem_free(), free_before);
	}
	/* Given back twice, or by a domain that does not own it. */
	assert_int_equal(domain_mem_release(&domu.d, pa), -ENXIO);
	assert_int_equal(domain_mem_release(&dom2.d, page_at(pa, 3)), -ENXIO);
	assert_int_equal(domain_mem_release(&domu.d, page_at(pa, 3)), 0);
	assert_int_equal(domain_mem_tot_pages(&domu.d), 0);
	assert_int_equal(fake_mem_free(), free_before + 4);
	/*
	 * Given back dirty, as one block: the page allocator scrubs it before
	 * anyone gets it (tests/unit/test_page_scrub.c).
	 */
	assert_int_equal(fake_dirty_pages, 4);
	assert_false(domain_mem_owns(&domu.d, pa));
	assert_int_equal(domain_mem_release(&domu.d, pa), -ENXIO);
}

static void test_no_data_between_domains(void **state)
{
	paddr_t pa = give(&domu, 0), again;

	memset(va_of(pa), 0x77, PAGE_SIZE);
	assert_int_equal(domain_mem_release(&domu.d, pa), 0);
	/* The fake allocator fills what it hands out with 0xa5. */
	domain_mem_set_max(&dom2.d, 1);
	assert_int_equal(domain_mem_alloc(&dom2.d, 0, 0, &again), 0);
	assert_int_equal(pa_addr(again), pa_addr(pa)); /* the same page */
	assert_true(all_bytes(va_of(again), 0, PAGE_SIZE));
}

/* ---- references ------------------------------------------------------ */

static void test_references_keep_pages(void **state)
{
	paddr_t pa = give(&domu, 0);
	uint64_t free_before = fake_mem_free();
	domid_t owner;

	assert_int_equal(domain_mem_get_page(&domu.d, pa, DM_GET_RAM), 0);
	assert_int_equal(domain_mem_get_page(&domu.d, pa, DM_GET_RAM), 0);
	/* Only the owner's, only the kinds asked for. */
	assert_int_equal(domain_mem_get_page(&dom2.d, pa, DM_GET_RAM), -EINVAL);
	assert_int_equal(domain_mem_get_page(&domu.d, pa, DM_GET_XEN), -EINVAL);
	assert_int_equal(
		domain_mem_get_page(&domu.d, pa_add(pa, 8), DM_GET_RAM),
		0); /* any byte of the page */
	domain_mem_put_page(pa);

	/* Given back while mapped: it stays until the mappings go. */
	assert_int_equal(domain_mem_release(&domu.d, pa), 0);
	assert_int_equal(domain_mem_tot_pages(&domu.d), 0);
	assert_int_equal(fake_mem_free(), free_before);
	assert_true(domain_mem_page_owner(pa, &owner));
	assert_int_equal(owner, 1);
	/* Nobody may take a new reference on it now. */
	assert_int_equal(domain_mem_get_page(&domu.d, pa, DM_GET_RAM), -EINVAL);
	domain_mem_put_page(pa);
	assert_int_equal(fake_mem_free(), free_before);
	domain_mem_put_page(pa);
	assert_int_equal(fake_mem_free(), free_before + 1);
	assert_false(domain_mem_page_owner(pa, &owner));
}

/*
 * What a restart waits for (arch/arm64/dom0less_restart.c): the pages of
 * a dead domain's ID that mappings keep, by that ID only, until the last
 * mapping goes; pages still owned do not count.
 */
static void test_held_of_dead_domain(void **state)
{
	paddr_t kept = give(&domu, 0), owned = give(&domu, 0);
	paddr_t other = give(&dom2, 0);
	void *xen = domain_mem_alloc_xen_page(&domu.d);
	paddr_t xen_pa = pa_init((uintptr_t)xen);

	assert_int_equal(domain_mem_held_of(1, 0, 0), 0);
	assert_int_equal(domain_mem_get_page(&domu.d, kept, DM_GET_RAM), 0);
	assert_int_equal(domain_mem_get_page(&domu.d, kept, DM_GET_RAM), 0);
	assert_int_equal(domain_mem_get_page(&domu.d, owned, DM_GET_RAM), 0);
	assert_int_equal(domain_mem_get_page(&domu.d, xen_pa, DM_GET_XEN), 0);
	assert_int_equal(domain_mem_get_page(&dom2.d, other, DM_GET_RAM), 0);
	/* Mapped but still owned: nothing held yet. */
	assert_int_equal(domain_mem_held_of(1, 0, 0), 0);

	assert_int_equal(domain_mem_release(&domu.d, kept), 0);
	assert_int_equal(domain_mem_held_of(1, 0, 0), 1);
	domain_mem_release_all(&domu.d); /* its death: owned and xen go too */
	domain_mem_free_xen_page(xen);
	assert_int_equal(domain_mem_held_of(1, 0, 0), 3);
	assert_int_equal(domain_mem_held_of(2, 0, 0), 0); /* by ID only */
	/* Within the span it was given, its Orchid pages included. */
	assert_int_equal(
		domain_mem_held_of(1, domu.d.ram_pfn_lo, domu.d.ram_pfn_hi), 3);
	assert_int_equal(domain_mem_held_of(1, pa_addr(kept) >> PAGE_SHIFT,
					    (pa_addr(kept) >> PAGE_SHIFT) + 1),
			 1);

	domain_mem_put_page(kept);
	assert_int_equal(domain_mem_held_of(1, 0, 0), 3); /* one mapping left */
	domain_mem_put_page(kept);
	domain_mem_put_page(xen_pa);
	assert_int_equal(domain_mem_held_of(1, 0, 0), 1);
	domain_mem_put_page(owned);
	assert_int_equal(domain_mem_held_of(1, 0, 0), 0);
	domain_mem_put_page(other);
}

static void test_xen_pages(void **state)
{
	uint64_t free_before = fake_mem_free();
	void *va = domain_mem_alloc_xen_page(&domu.d);
	paddr_t pa = pa_init((uintptr_t)va);

	assert_non_null(va);
	assert_true(all_bytes(va, 0, PAGE_SIZE));
	assert_int_equal(domain_mem_tot_pages(&domu.d), 0); /* not RAM */
	assert_false(domain_mem_owns(&domu.d, pa));
	assert_int_equal(domain_mem_get_page(&domu.d, pa, DM_GET_RAM), -EINVAL);
	assert_int_equal(domain_mem_get_page(&domu.d, pa, DM_GET_XEN), 0);
	domain_mem_free_xen_page(va);
	assert_int_equal(fake_mem_free(), free_before - 1); /* still mapped */
	domain_mem_put_page(pa);
	assert_int_equal(fake_mem_free(), free_before);

	fake_alloc_budget = 0;
	assert_null(domain_mem_alloc_xen_page(&domu.d));
	fake_alloc_budget = -1;
	/* A domain's death leaves Orchid's pages to their user. */
	va = domain_mem_alloc_xen_page(&domu.d);
	domain_mem_release_all(&domu.d);
	assert_int_equal(fake_mem_free(), free_before - 1);
	domain_mem_free_xen_page(va);
	assert_int_equal(fake_mem_free(), free_before);
}

void domain_mem_reset(void);

static void test_xen_pages_before_init(void **state)
{
	void *va;

	domain_mem_reset(); /* as before domain_mem_init */
	va = domain_mem_alloc_xen_page(&domu.d);
	assert_non_null(va);
	assert_true(all_bytes(va, 0, PAGE_SIZE));
	/* Untracked: Orchid's alone. */
	assert_int_equal(domain_mem_get_page(&domu.d, pa_init((uintptr_t)va),
					     DM_GET_XEN),
			 -EINVAL);
	domain_mem_free_xen_page(va);
}

static void test_assign(void **state)
{
	void *block = alloc_pages(4);
	void *odd = alloc_pages(1);

	fake_ipa_bits = 48; /* the arena's host addresses as GFNs */
	assert_int_equal(domain_mem_assign(&dom0.d, block, 4), 0);
	assert_int_equal(domain_mem_tot_pages(&dom0.d), 16);
	assert_int_equal(dom0.d.max_pages, 16);
	assert_true(domain_mem_owns(&dom0.d, pa_init((uintptr_t)block)));
	/* Direct-mapped: its GFNs are its pages' numbers. */
	assert_int_equal(domain_mem_max_gfn(&dom0.d),
			 ((uintptr_t)block >> PAGE_SHIFT) + 15);
	/* Not twice, not unaligned, not beyond the allocator's orders. */
	assert_int_equal(domain_mem_assign(&dom0.d, block, 4), -EINVAL);
	assert_int_equal(domain_mem_assign(&domu.d, (uint8_t *)block + 4096, 0),
			 -EINVAL);
	assert_int_equal(domain_mem_assign(&dom0.d, (uint8_t *)odd + 4096, 1),
			 -EINVAL);
	assert_int_equal(domain_mem_assign(&dom0.d, odd, PAGE_ORDER_MAX + 1),
			 -EINVAL);
	free_pages(odd, 1);
	/* Its death frees the block like any other. */
}

/*
 * Static memory (xen,static-mem): only free static pages are assigned,
 * zeroed; a static domain never takes heap pages; its death keeps them
 * (never to the heap) for the next build, which finds them zeroed.
 */
static void test_static_memory(void **state)
{
	void *bank = alloc_pages(2);
	paddr_t pa = pa_init((uintptr_t)bank), p;
	uint64_t free_before;

	memset(bank, 0xa5, 4 * PAGE_SIZE);
	domain_mem_mark_static(pa, 4);
	free_before = fake_mem_free();
	assert_int_equal(domain_mem_assign(&domu.d, bank, 2), -EINVAL);
	assert_int_equal(domain_mem_assign_static(&domu.d, pa, 4), 0);
	assert_true(all_bytes(bank, 0, 4 * PAGE_SIZE));
	assert_int_equal(domain_mem_tot_pages(&domu.d), 4);
	assert_true(domain_mem_owns(&domu.d, page_at(pa, 3)));
	assert_int_equal(domain_mem_assign_static(&dom2.d, pa, 4), -EBUSY);
	assert_int_equal(domain_mem_assign_static(&dom2.d, page_at(pa, 3), 1),
			 -EBUSY);
	domu.d.static_mem = true;
	domain_mem_set_max(&domu.d, 64);
	assert_int_equal(domain_mem_alloc(&domu.d, 0, 0, &p), -ENOMEM);
	memset(bank, 0x5a, 4 * PAGE_SIZE);
	domain_mem_release_all(&domu.d);
	domu.d.static_mem = false;
	assert_int_equal(domain_mem_tot_pages(&domu.d), 0);
	assert_int_equal(fake_mem_free(), free_before);
	assert_false(domain_mem_owns(&domu.d, pa));
	/* Rebuilt from the same bank, as a restart does. */
	assert_int_equal(domain_mem_assign_static(&dom2.d, pa, 4), 0);
	assert_true(all_bytes(bank, 0, 4 * PAGE_SIZE));
	domain_mem_release_all(&dom2.d);
	assert_int_equal(fake_mem_free(), free_before);
	free_pages(bank, 2); /* the arena's, for teardown's count */
}

/* ---- physmap ------------------------------------------------------- */

static void test_map_unmap(void **state)
{
	paddr_t pa = give(&domu, 2);
	struct fake_p2m_entry *e;

	assert_int_equal(domain_mem_map(&domu.d, 0x40000, pa, 4, p2m_ram_rw),
			 0);
	assert_int_equal(fake_p2m_count(&domu.d), 4);
	e = fake_p2m_find(&domu.d, 0x40003000ULL);
	assert_non_null(e);
	assert_int_equal(e->pa, pa_addr(pa) + 3 * PAGE_SIZE);
	assert_int_equal(e->type, p2m_ram_rw);
	assert_int_equal(domain_mem_max_gfn(&domu.d), 0x40003);

	/* Outside the IPA space (40 bits), empty ranges, wrapping ones. */
	assert_int_equal(domain_mem_map(&domu.d, 1ULL << 28, pa, 1, p2m_ram_rw),
			 -EINVAL);
	assert_int_equal(
		domain_mem_map(&domu.d, (1ULL << 28) - 1, pa, 2, p2m_ram_rw),
		-EINVAL);
	assert_int_equal(domain_mem_map(&domu.d, 0x40000, pa, 0, p2m_ram_rw),
			 -EINVAL);
	assert_int_equal(domain_mem_map(&domu.d, ~0ULL, pa, 1, p2m_ram_rw),
			 -EINVAL);
	assert_int_equal(domain_mem_unmap(&domu.d, 1ULL << 28, 1), -EINVAL);

	/*
	 * An empty table pool: p2m_map fails having changed nothing, so the
	 * error is the guest's -ENOMEM and what was mapped stays, untouched.
	 */
	fake_p2m_map_error = -ENOMEM;
	assert_int_equal(domain_mem_map(&domu.d, 0x50000, pa, 1, p2m_ram_rw),
			 -ENOMEM);
	assert_int_equal(domain_mem_map(&domu.d, 0x40000, pa, 1, p2m_xen_page),
			 -ENOMEM);
	fake_p2m_map_error = 0;
	assert_int_equal(fake_p2m_unmaps, 0);
	assert_int_equal(fake_p2m_count(&domu.d), 4);
	assert_int_equal(fake_p2m_find(&domu.d, 0x40000000ULL)->type,
			 p2m_ram_rw);
	assert_int_equal(domain_mem_max_gfn(&domu.d), 0x40003);

	assert_int_equal(domain_mem_unmap(&domu.d, 0x40001, 2), 0);
	assert_int_equal(fake_p2m_count(&domu.d), 2);
	assert_int_equal(domain_mem_unmap(&domu.d, 0x40001, 2), 0); /* holes */
	assert_int_equal(domain_mem_unmap(&domu.d, 0x40000, 4), 0);
	assert_int_equal(fake_p2m_count(&domu.d), 0);
}

/* Dom0 maps DomU's page @pa at @gfn as privcmd does. */
static void map_foreign(xen_pfn_t gfn, paddr_t pa)
{
	assert_int_equal(domain_mem_get_page(&domu.d, pa, DM_GET_RAM), 0);
	assert_int_equal(
		domain_mem_map(&dom0.d, gfn, pa, 1, p2m_map_foreign_rw), 0);
}

static void test_foreign_references(void **state)
{
	paddr_t pa = give(&domu, 1);
	uint64_t free_before = fake_mem_free();

	/* Only single pages. */
	assert_int_equal(
		domain_mem_map(&dom0.d, 0x100, pa, 2, p2m_map_foreign_rw),
		-EINVAL);
	map_foreign(0x100, pa);
	map_foreign(0x101, page_at(pa, 1));
	/* The same page at the same place again: still one reference. */
	map_foreign(0x100, pa);
	assert_int_equal(domain_mem_release(&domu.d, pa), 0);
	assert_int_equal(domain_mem_release(&domu.d, page_at(pa, 1)), 0);
	assert_int_equal(fake_mem_free(), free_before);

	/* Replacing a foreign mapping drops its reference. */
	assert_int_equal(domain_mem_map(&dom0.d, 0x100, pa_init(0x100000), 1,
					p2m_mmio_direct_dev),
			 0);
	assert_int_equal(fake_mem_free(), free_before);
	/* So does removing it; the block is back once both pages are. */
	assert_int_equal(domain_mem_remove(&dom0.d, 0x101), 0);
	assert_int_equal(fake_mem_free(), free_before + 2);
	assert_int_equal(domain_mem_remove(&dom0.d, 0x101), -ENOENT);
	assert_int_equal(domain_mem_remove(&dom0.d, 0x100), -ENOENT); /* MMIO */
}

static void test_many_foreign_mappings(void **state)
{
	paddr_t pa = give(&domu, 8); /* 256 pages */
	uint64_t free_before = fake_mem_free();

	for (unsigned int i = 0; i < 256; i++)
		map_foreign(0x80000 + i * 7, page_at(pa, i));
	for (unsigned int i = 0; i < 256; i++)
		assert_int_equal(domain_mem_release(&domu.d, page_at(pa, i)),
				 0);
	assert_int_equal(fake_mem_free(), free_before);
	/* Remove every other one, then the rest with one range. */
	for (unsigned int i = 0; i < 256; i += 2)
		assert_int_equal(domain_mem_remove(&dom0.d, 0x80000 + i * 7),
				 0);
	assert_int_equal(fake_mem_free(), free_before);
	assert_int_equal(domain_mem_unmap(&dom0.d, 0x80000, 256 * 7), 0);
	assert_int_equal(fake_mem_free(), free_before + 256);
	assert_int_equal(fake_p2m_count(&dom0.d), 0);
}

static void test_unmap_grant(void **state)
{
	paddr_t pa = give(&domu, 1);

	assert_int_equal(
		domain_mem_map(&dom0.d, 0x200, pa, 1, p2m_grant_map_rw), 0);
	/* Another page there: refuse (Xen's -EILSEQ), nothing changes. */
	assert_int_equal(domain_mem_unmap_grant(&dom0.d, 0x200, page_at(pa, 1)),
			 -XEN_EILSEQ);
	assert_int_equal(fake_p2m_count(&dom0.d), 1);
	assert_int_equal(domain_mem_unmap_grant(&dom0.d, 0x200, pa), 0);
	assert_int_equal(fake_p2m_count(&dom0.d), 0);
	/* Nothing there, a device, the page as RAM: refused as well. */
	assert_int_equal(domain_mem_unmap_grant(&dom0.d, 0x200, pa),
			 -XEN_EILSEQ);
	fake_p2m_add(&dom0.d, 0x201000, 0x9000000, p2m_mmio_direct_dev);
	assert_int_equal(domain_mem_unmap_grant(&dom0.d, 0x201, pa),
			 -XEN_EILSEQ);
	assert_int_equal(domain_mem_map(&dom0.d, 0x202, pa, 1, p2m_ram_rw), 0);
	assert_int_equal(domain_mem_unmap_grant(&dom0.d, 0x202, pa),
			 -XEN_EILSEQ);
	assert_int_equal(fake_p2m_count(&dom0.d), 2);
	assert_int_equal(domain_mem_unmap_grant(&dom0.d, 1ULL << 30, pa),
			 -EINVAL);
	/* Read-only grant mappings too. */
	assert_int_equal(
		domain_mem_map(&dom0.d, 0x200, pa, 1, p2m_grant_map_ro), 0);
	assert_int_equal(domain_mem_unmap_grant(&dom0.d, 0x200, pa), 0);
}

static void test_remove(void **state)
{
	paddr_t pa = give(&domu, 0);
	void *xen = domain_mem_alloc_xen_page(&domu.d);

	assert_int_equal(domain_mem_map(&domu.d, 0x40000, pa, 1, p2m_ram_rw),
			 0);
	assert_int_equal(domain_mem_map(&domu.d, 0x38000,
					pa_init((uintptr_t)xen), 1,
					p2m_xen_page),
			 0);
	/* Its own RAM goes from the p2m but stays its (as in Xen). */
	assert_int_equal(domain_mem_remove(&domu.d, 0x40000), 0);
	assert_true(domain_mem_owns(&domu.d, pa));
	assert_int_equal(domain_mem_tot_pages(&domu.d), 1);
	assert_int_equal(domain_mem_remove(&domu.d, 0x38000), 0);
	assert_int_equal(fake_p2m_count(&domu.d), 0);
	/* Nothing, or nothing it may remove. */
	assert_int_equal(domain_mem_remove(&domu.d, 0x40000), -ENOENT);
	fake_p2m_add(&domu.d, 0x41000000, 0x9000000, p2m_mmio_direct_dev);
	assert_int_equal(domain_mem_remove(&domu.d, 0x41000), -ENOENT);
	fake_p2m_add(&domu.d, 0x42000000, pa_addr(pa), p2m_grant_map_rw);
	assert_int_equal(domain_mem_remove(&domu.d, 0x42000), -ENOENT);
	assert_int_equal(domain_mem_remove(&domu.d, 1ULL << 28), -EINVAL);
	domain_mem_free_xen_page(xen);
}

static void test_decrease(void **state)
{
	paddr_t pa = give(&domu, 1), d0;
	void *block = alloc_pages(1);

	fake_ipa_bits = 48; /* the arena's host addresses as GFNs */
	assert_int_equal(domain_mem_map(&domu.d, 0x40000, pa, 2, p2m_ram_rw),
			 0);
	assert_int_equal(domain_mem_decrease(&domu.d, 0x40001), 0);
	assert_int_equal(domain_mem_tot_pages(&domu.d), 1);
	assert_null(fake_p2m_find(&domu.d, 0x40001000));
	/* Nothing mapped: -EINVAL; not its RAM: -ENXIO. */
	assert_int_equal(domain_mem_decrease(&domu.d, 0x40001), -EINVAL);
	assert_int_equal(domain_mem_decrease(&domu.d, 1ULL << 28), -EINVAL);
	fake_p2m_add(&domu.d, 0x50000000, 0x9000000, p2m_mmio_direct_dev);
	assert_int_equal(domain_mem_decrease(&domu.d, 0x50000), -ENXIO);
	assert_int_equal(domain_mem_map(&dom2.d, 0x40000, pa, 1, p2m_ram_rw),
			 0);
	assert_int_equal(domain_mem_decrease(&dom2.d, 0x40000), -ENXIO);
	map_foreign(0x300, pa);
	assert_int_equal(domain_mem_decrease(&dom0.d, 0x300), -ENXIO);
	assert_non_null(fake_p2m_find(&dom0.d, 0x300000));

	/* Direct-mapped: out of the p2m, but kept to come back 1:1. */
	assert_int_equal(domain_mem_assign(&dom0.d, block, 1), 0);
	d0 = pa_init((uintptr_t)block);
	assert_int_equal(domain_mem_map(&dom0.d, pa_addr(d0) >> PAGE_SHIFT, d0,
					2, p2m_ram_rw),
			 0);
	assert_int_equal(
		domain_mem_decrease(&dom0.d, pa_addr(d0) >> PAGE_SHIFT), 0);
	assert_null(fake_p2m_find(&dom0.d, pa_addr(d0)));
	assert_true(domain_mem_owns(&dom0.d, d0));
	assert_int_equal(domain_mem_tot_pages(&dom0.d), 2);
}

/* ---- a domain's death --------------------------------------------------- */

static void test_death_is_leak_free(void **state)
{
	struct fake_domain *g = &dom5;

	for (unsigned int cycle = 0; cycle < 10; cycle++) {
		paddr_t a, b, c;

		fake_domain_get(g, 5, false, 1, 1);
		domain_mem_set_max(&g->d, 600);
		assert_int_equal(domain_mem_alloc(&g->d, 9, 0, &a), 0);
		assert_int_equal(domain_mem_alloc(&g->d, 2, 0, &b), 0);
		assert_int_equal(domain_mem_alloc(&g->d, 0, 0, &c), 0);
		assert_int_equal(
			domain_mem_map(&g->d, 0x40000, a, 512, p2m_ram_rw), 0);
		assert_int_equal(
			domain_mem_map(&g->d, 0x40200, b, 4, p2m_ram_rw), 0);
		/* The balloon gave one back; Dom0 maps two of its pages. */
		assert_int_equal(domain_mem_decrease(&g->d, 0x40201), 0);
		assert_int_equal(domain_mem_get_page(&g->d, c, DM_GET_RAM), 0);
		assert_int_equal(domain_mem_map(&dom0.d, 0x100, c, 1,
						p2m_map_foreign_rw),
				 0);
		assert_int_equal(
			domain_mem_get_page(&g->d, page_at(a, 7), DM_GET_RAM),
			0);
		assert_int_equal(domain_mem_map(&dom0.d, 0x101, page_at(a, 7),
						1, p2m_map_foreign_rw),
				 0);
		assert_int_equal(domain_mem_tot_pages(&g->d), 516);

		domain_mem_release_all(&g->d);
		assert_int_equal(domain_mem_tot_pages(&g->d), 0);
		assert_int_equal(fake_p2m_count(&g->d), 0);
		assert_true(g->d.is_dying);
		/* Dom0's mappings keep their pages (and so their blocks). */
		assert_int_equal(fake_mem_free(), free0 - 513);
		assert_int_equal(domain_mem_alloc(&g->d, 0, 0, &a), -EINVAL);
		assert_int_equal(domain_mem_map(&g->d, 1, c, 1, p2m_ram_rw),
				 -EINVAL);
		domain_mem_release_all(&g->d); /* again: nothing */
		fake_domain_put(g);

		assert_int_equal(domain_mem_remove(&dom0.d, 0x100), 0);
		assert_int_equal(fake_mem_free(), free0 - 512);
		assert_int_equal(domain_mem_remove(&dom0.d, 0x101), 0);
		assert_int_equal(fake_mem_free(), free0);
	}
}

/*
 * A death lets go of whole untouched blocks in one step (dm_release_block)
 * and of the rest frame by frame: the two end alike, and a block with a
 * mapped page or a page given back already is never freed in one step.
 */
static void test_death_frees_whole_blocks(void **state)
{
	struct fake_domain *g = &dom5;
	paddr_t big, mid, small, mapped, ballooned;

	fake_domain_get(g, 5, false, 1, 1);
	domain_mem_set_max(&g->d, 600);
	assert_int_equal(domain_mem_alloc(&g->d, 9, 0, &big), 0);
	assert_int_equal(domain_mem_alloc(&g->d, 3, 0, &mid), 0);
	assert_int_equal(domain_mem_alloc(&g->d, 1, 0, &small), 0);
	assert_int_equal(domain_mem_alloc(&g->d, 3, 0, &mapped), 0);
	assert_int_equal(domain_mem_alloc(&g->d, 2, 0, &ballooned), 0);
	assert_int_equal(
		domain_mem_map(&g->d, 0x40000, ballooned, 4, p2m_ram_rw), 0);
	assert_int_equal(domain_mem_decrease(&g->d, 0x40003), 0);
	assert_int_equal(
		domain_mem_get_page(&g->d, page_at(mapped, 5), DM_GET_RAM), 0);
	assert_int_equal(domain_mem_tot_pages(&g->d), 512 + 8 + 2 + 8 + 3);

	domain_mem_release_all(&g->d);
	assert_int_equal(domain_mem_tot_pages(&g->d), 0);
	/* All back but the block whose page is still referenced. */
	assert_int_equal(fake_mem_free(), free0 - 8);
	assert_int_equal(domain_mem_held_of(5, 0, 0), 1);
	fake_domain_put(g);
	domain_mem_put_page(page_at(mapped, 5));
	assert_int_equal(fake_mem_free(), free0);
}

static void test_mapper_death_drops_references(void **state)
{
	paddr_t pa = give(&domu, 0);
	uint64_t free_before = fake_mem_free();

	map_foreign(0x100, pa);
	assert_int_equal(domain_mem_release(&domu.d, pa), 0);
	assert_int_equal(fake_mem_free(), free_before);
	domain_mem_release_all(&dom0.d);
	assert_int_equal(fake_mem_free(), free_before + 1);
	assert_int_equal(fake_p2m_count(&dom0.d), 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_table_covers_the_bank),
		T(test_alloc_zeroed_counted_limited),
		T(test_release_page_by_page),
		T(test_no_data_between_domains),
		T(test_references_keep_pages),
		T(test_held_of_dead_domain),
		T(test_xen_pages),
		T(test_xen_pages_before_init),
		T(test_assign),
		T(test_static_memory),
		T(test_map_unmap),
		T(test_foreign_references),
		T(test_many_foreign_mappings),
		T(test_unmap_grant),
		T(test_remove),
		T(test_decrease),
		T(test_death_is_leak_free),
		T(test_death_frees_whole_blocks),
		T(test_mapper_death_drops_references),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
