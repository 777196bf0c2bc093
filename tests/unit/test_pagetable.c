/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of common/mm/pagetable.c driven by the arm64 stage-2 format of
 * arch/arm64/p2m_pte.c: the encoding itself, block and page choices,
 * splitting, break-before-make, out-of-memory paths, and a random
 * model-based test (map/unmap/lookup against a per-page reference map).
 *
 * The test owns the page allocator: it counts live pages (every one is a
 * table page), fills new pages with garbage (the engine must zero them)
 * and can fail on demand. Its TLB-flush hook checks that every flushed
 * range is already unmapped in the tables, and records the ranges so each
 * operation can check that every translation it changed was flushed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <asm/fake.h>
#include <orchid/errno.h>
#include <orchid/mm.h>
#include <orchid/page_pool.h>
#include <orchid/pagetable.h>

#include "../../arch/arm64/p2m_pte.h"

/* EXPECT_PANIC's flag cannot really be clobbered (see test_page_alloc.c). */
#pragma GCC diagnostic ignored "-Wclobbered"

#define KiB (1ULL << 10)
#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

/* ---- the page allocator -------------------------------------------------- */

static uint64_t live_pages;
static int fail_after = -1; /* allocations left before failing; -1: never */

void *alloc_pages(unsigned int order)
{
	size_t size = PAGE_SIZE << order;
	void *p;

	if (fail_after == 0)
		return NULL;
	if (fail_after > 0)
		fail_after--;
	p = aligned_alloc(size, size);
	assert_non_null(p);
	memset(p, 0xa5, size); /* pages are not zeroed: the engine must */
	live_pages += 1ULL << order;
	return p;
}

void free_pages(void *va, unsigned int order)
{
	assert_true(live_pages >= 1ULL << order);
	live_pages -= 1ULL << order;
	free(va);
}

/* ---- hooks --------------------------------------------------------------- */

#define FLUSH_LOG_MAX 4096

struct flush {
	uint64_t ia, size;
};

static struct flush flush_log[FLUSH_LOG_MAX];
static unsigned int nr_flushes;
static unsigned int nr_publishes;

static void test_publish(const struct pt *pt)
{
	nr_publishes++;
}

/* Break-before-make: when a range is flushed, nothing in it is mapped. */
static void test_flush(const struct pt *pt, uint64_t ia, uint64_t size)
{
	uint64_t end = ia + size;
	struct pt_entry e;

	assert_true(size > 0 && is_aligned(ia, PAGE_SIZE) &&
		    is_aligned(size, PAGE_SIZE));
	while (ia < end) {
		if (pt_lookup(pt, ia, &e))
			fail_msg("flush of [%#lx, %#lx): %#lx is still mapped",
				 end - size, end, ia);
		ia = align_down(ia, e.size) + e.size;
	}
	assert_true(nr_flushes < FLUSH_LOG_MAX);
	flush_log[nr_flushes].ia = end - size;
	flush_log[nr_flushes].size = size;
	nr_flushes++;
}

static const struct pt_hooks hooks = {
	.publish = test_publish,
	.tlb_flush = test_flush,
};

static bool in_flush(unsigned int i, uint64_t ia)
{
	return ia >= flush_log[i].ia &&
	       ia - flush_log[i].ia < flush_log[i].size;
}

static bool flushed(uint64_t ia)
{
	static unsigned int last; /* pages are asked in order: try it first */

	if (last < nr_flushes && in_flush(last, ia))
		return true;
	for (unsigned int i = 0; i < nr_flushes; i++) {
		if (in_flush(i, ia)) {
			last = i;
			return true;
		}
	}
	return false;
}

/* ---- fixtures ------------------------------------------------------------ */

static struct pt_desc desc40, desc44;
static struct pt pt;

static uint64_t attrs_rw, attrs_ro, attrs_dev, attrs_grant_ro;

static int setup_group(void **state)
{
	assert_true(p2m_pte_desc(40, &desc40));
	assert_true(p2m_pte_desc(44, &desc44));
	attrs_rw = p2m_pte_attrs(p2m_ram_rw);
	attrs_ro = p2m_pte_attrs(p2m_ram_ro);
	attrs_dev = p2m_pte_attrs(p2m_mmio_direct_dev);
	attrs_grant_ro = p2m_pte_attrs(p2m_grant_map_ro);
	return 0;
}

static void reset_counters(void)
{
	nr_flushes = 0;
	nr_publishes = 0;
	fail_after = -1;
}

static int setup40(void **state)
{
	reset_counters();
	live_pages = 0;
	assert_int_equal(pt_init(&pt, &desc40, &hooks, NULL), 0);
	return 0;
}

static int setup44(void **state)
{
	reset_counters();
	live_pages = 0;
	assert_int_equal(pt_init(&pt, &desc44, &hooks, NULL), 0);
	return 0;
}

/* Every test ends with no table page left behind. */
static int teardown(void **state)
{
	fail_after = -1;
	assert_int_equal(pt_table_pages(&pt), live_pages);
	pt_destroy(&pt);
	assert_int_equal(pt_table_pages(&pt), 0);
	assert_int_equal(live_pages, 0);
	return 0;
}

static int map(uint64_t ia, uint64_t pa, uint64_t size, uint64_t attrs)
{
	return pt_map(&pt, ia, pa_init(pa), size, attrs);
}

/* @ia maps to @pa with @attrs by an entry at @level. */
static void expect_mapped(uint64_t ia, uint64_t pa, uint64_t attrs,
			  unsigned int level)
{
	struct pt_entry e;

	if (!pt_lookup(&pt, ia, &e))
		fail_msg("%#lx is not mapped", ia);
	assert_int_equal(pa_addr(e.pa), pa);
	assert_int_equal(e.attrs, attrs);
	assert_int_equal(e.level, level);
	assert_int_equal(e.pte & S2_TYPE_MASK,
			 level == 3 ? S2_TYPE_PAGE : S2_TYPE_BLOCK);
	assert_int_equal(e.pte, align_down(pa, e.size) | attrs |
					(e.pte & S2_TYPE_MASK));
}

static void expect_unmapped(uint64_t ia)
{
	struct pt_entry e;

	if (pt_lookup(&pt, ia, &e))
		fail_msg("%#lx is mapped to %#lx", ia, pa_addr(e.pa));
}

/* ---- the arm64 encoding -------------------------------------------------- */

static void test_geometry(void **state)
{
	static const struct {
		unsigned int bits, first, levels, root_pages;
	} want[] = {
		{32, 1, 3, 1}, {36, 1, 3, 1}, {40, 1, 3, 2},
		{42, 1, 3, 8}, {44, 0, 4, 1}, {48, 0, 4, 1},
	};
	struct pt_desc d;

	for (unsigned int i = 0; i < ARRAY_SIZE(want); i++) {
		assert_true(p2m_pte_desc(want[i].bits, &d));
		assert_int_equal(d.ia_bits, want[i].bits);
		assert_int_equal(d.first_level, want[i].first);
		assert_int_equal(d.nr_levels, want[i].levels);
		assert_int_equal(d.root_pages, want[i].root_pages);
		assert_int_equal(d.bits_per_level, 9);
		assert_int_equal(d.block_levels, (1U << 1) | (1U << 2));
	}
	assert_false(p2m_pte_desc(39, &d));
	assert_false(p2m_pte_desc(52, &d));
}

static void test_ipa_size_choice(void **state)
{
	/* PARange 0..6 = 32, 36, 40, 42, 44, 48, 52 bits; capped at 44. */
	static const unsigned int want[] = {32, 36, 40, 42, 44, 44, 44};

	for (unsigned int i = 0; i < ARRAY_SIZE(want); i++)
		assert_int_equal(p2m_choose_ipa_bits(i), want[i]);
	assert_int_equal(p2m_choose_ipa_bits(15), 44);
	assert_int_equal(p2m_parange_bits(4), 44);
	assert_int_equal(p2m_parange_bits(6), 48); /* no LPA2 */
	assert_int_equal(p2m_parange_ps(6), 5);
}

static void test_vtcr(void **state)
{
	/*
	 * T0SZ | SL0 << 6 | IRGN0 WBWA << 8 | ORGN0 WBWA << 10 |
	 * SH0 inner << 12 | TG0 4K << 14 | PS << 16 | RES1 << 31.
	 */
	assert_int_equal(p2m_vtcr(44, 4), 0x80043594UL); /* 20, SL0 2, PS 4 */
	assert_int_equal(p2m_vtcr(40, 4), 0x80043558UL); /* 24, SL0 1, PS 4 */
	assert_int_equal(p2m_vtcr(40, 2), 0x80023558UL); /* PS 2 */
	assert_int_equal(p2m_vtcr(44, 6), 0x80053594UL); /* PS 5: 48 bits */
	assert_int_equal(p2m_vtcr(32, 0), 0x80003560UL); /* 32, SL0 1 */
	assert_int_equal(p2m_vtcr(39, 4), 0);
}

static void test_attr_encoding(void **state)
{
	/* AF | SH | S2AP | MemAttr, XN, the type in bits 55-58. */
	assert_int_equal(p2m_pte_attrs(p2m_ram_rw), 0x00800000000007fcUL);
	assert_int_equal(p2m_pte_attrs(p2m_ram_ro), 0x010000000000077cUL);
	assert_int_equal(p2m_pte_attrs(p2m_mmio_direct_dev),
			 0x01c00000000006c4UL);
	assert_int_equal(p2m_pte_attrs(p2m_mmio_direct_c),
			 0x02400000000006fcUL);
	assert_int_equal(p2m_pte_attrs(p2m_map_foreign_rw),
			 0x02c00000000007fcUL);
	assert_int_equal(p2m_pte_attrs(p2m_grant_map_rw), 0x03400000000007fcUL);
	assert_int_equal(p2m_pte_attrs(p2m_grant_map_ro), 0x03c000000000077cUL);
	assert_int_equal(p2m_pte_attrs(p2m_xen_page), 0x04400000000007fcUL);
	assert_int_equal(p2m_pte_attrs(p2m_invalid), 0);
	assert_int_equal(p2m_pte_attrs((enum p2m_type)42), 0);

	for (int t = p2m_ram_rw; t <= p2m_xen_page; t++) {
		uint64_t a = p2m_pte_attrs((enum p2m_type)t);

		assert_int_equal(a & (S2_ADDR_MASK | S2_TYPE_MASK), 0);
		assert_true(a & S2_AF);
		assert_int_equal(p2m_pte_type(a | 0x1234000UL | S2_TYPE_PAGE),
				 t);
		/* Only the domain's RAM is executable. */
		assert_int_equal(!(a & S2_XN), p2m_is_ram((enum p2m_type)t));
		/* Writable exactly when the type says so. */
		assert_int_equal(!!(a & S2_AP_WRITE),
				 p2m_is_writable((enum p2m_type)t) ||
					 t == p2m_mmio_direct_dev ||
					 t == p2m_mmio_direct_c);
	}
	assert_int_equal(p2m_pte_type(0), p2m_invalid);
	assert_int_equal(p2m_pte_type(0xfUL << S2_SW_SHIFT), p2m_invalid);
}

/* ---- blocks, pages, splits ----------------------------------------------- */

static void test_blocks_and_pages(void **state)
{
	/* 1 GiB: a level-1 block in the root, no table needed. */
	assert_int_equal(map(1 * GiB, 3 * GiB, GiB, attrs_rw), 0);
	assert_int_equal(pt_table_pages(&pt), 2);
	expect_mapped(1 * GiB, 3 * GiB, attrs_rw, 1);
	expect_mapped(2 * GiB - PAGE_SIZE, 4 * GiB - PAGE_SIZE, attrs_rw, 1);
	expect_mapped(1 * GiB + 12345, 3 * GiB + 12345, attrs_rw, 1);
	expect_unmapped(2 * GiB);
	expect_unmapped(1 * GiB - PAGE_SIZE);

	/* 2 MiB: a level-2 block. */
	assert_int_equal(map(4 * GiB + 2 * MiB, 8 * MiB, 2 * MiB, attrs_dev),
			 0);
	assert_int_equal(pt_table_pages(&pt), 3);
	expect_mapped(4 * GiB + 2 * MiB, 8 * MiB, attrs_dev, 2);
	expect_mapped(4 * GiB + 4 * MiB - 1, 10 * MiB - 1, attrs_dev, 2);

	/* 4 KiB: a page. */
	assert_int_equal(map(4 * GiB + 12 * KiB, 0x7000, PAGE_SIZE, attrs_ro),
			 0);
	assert_int_equal(pt_table_pages(&pt), 4);
	expect_mapped(4 * GiB + 12 * KiB, 0x7000, attrs_ro, 3);
	expect_unmapped(4 * GiB + 8 * KiB);
	expect_unmapped(4 * GiB + 16 * KiB);

	/* Nothing was replaced, so nothing was flushed. */
	assert_int_equal(nr_flushes, 0);
	assert_true(nr_publishes > 0);
}

static void test_misaligned_pa_uses_pages(void **state)
{
	/* The IPA is 2 MiB aligned but the PA is not: 512 pages. */
	assert_int_equal(map(2 * MiB, 64 * MiB + PAGE_SIZE, 2 * MiB, attrs_rw),
			 0);
	for (uint64_t off = 0; off < 2 * MiB; off += PAGE_SIZE)
		expect_mapped(2 * MiB + off, 64 * MiB + PAGE_SIZE + off,
			      attrs_rw, 3);
	assert_int_equal(pt_table_pages(&pt), 2 + 2);

	/* Aligned alike but larger than a block: blocks in the middle. */
	assert_int_equal(map(1 * GiB - PAGE_SIZE, 5 * GiB - PAGE_SIZE,
			     GiB + 2 * PAGE_SIZE, attrs_rw),
			 0);
	expect_mapped(1 * GiB - PAGE_SIZE, 5 * GiB - PAGE_SIZE, attrs_rw, 3);
	expect_mapped(1 * GiB, 5 * GiB, attrs_rw, 1);
	expect_mapped(2 * GiB, 6 * GiB, attrs_rw, 3);
	expect_unmapped(2 * GiB + PAGE_SIZE);
}

static void test_concatenated_root(void **state)
{
	/* 40 bits from level 1: entry 512 is in the second root page. */
	assert_int_equal(
		map(512 * GiB - 2 * MiB, 0x40000000, 4 * MiB, attrs_rw), 0);
	assert_int_not_equal(pt.root[511], 0);
	assert_int_not_equal(pt.root[512], 0);
	expect_mapped(512 * GiB - 2 * MiB, 0x40000000, attrs_rw, 2);
	expect_mapped(512 * GiB, 0x40200000, attrs_rw, 2);
	expect_mapped(512 * GiB + PAGE_SIZE, 0x40200000 + PAGE_SIZE, attrs_rw,
		      2);
	assert_int_equal(
		map(1024 * GiB - PAGE_SIZE, 0x1000, PAGE_SIZE, attrs_rw), 0);
	expect_mapped(1024 * GiB - PAGE_SIZE, 0x1000, attrs_rw, 3);
	assert_int_not_equal(pt.root[1023], 0);
}

static void test_level0_root(void **state)
{
	/* 44 bits from level 0: 32 entries of 512 GiB. */
	assert_int_equal(map(31 * 512 * GiB, 2 * GiB, GiB, attrs_rw), 0);
	assert_int_not_equal(pt.root[31], 0);
	expect_mapped(31 * 512 * GiB + 7, 2 * GiB + 7, attrs_rw, 1);
	assert_int_equal(pt_table_pages(&pt), 2);
	assert_int_equal(map(32 * 512 * GiB, 0, PAGE_SIZE, attrs_rw), -EINVAL);
	expect_unmapped(32 * 512 * GiB);
	assert_int_equal(pt_unmap(&pt, 31 * 512 * GiB, GiB), 0);
	assert_int_equal(pt_table_pages(&pt), 1);
}

static void test_split_block(void **state)
{
	uint64_t hole = 1 * GiB + 300 * MiB + 5 * PAGE_SIZE;

	assert_int_equal(map(1 * GiB, 3 * GiB, GiB, attrs_rw), 0);
	assert_int_equal(pt_unmap(&pt, hole, PAGE_SIZE), 0);
	expect_unmapped(hole);
	expect_mapped(hole - PAGE_SIZE, 3 * GiB + 300 * MiB + 4 * PAGE_SIZE,
		      attrs_rw, 3);
	expect_mapped(hole + PAGE_SIZE, 3 * GiB + 300 * MiB + 6 * PAGE_SIZE,
		      attrs_rw, 3);
	expect_mapped(1 * GiB, 3 * GiB, attrs_rw, 2);
	expect_mapped(2 * GiB - 1, 4 * GiB - 1, attrs_rw, 2);
	/* The root, one level-2 table, one level-3 table. */
	assert_int_equal(pt_table_pages(&pt), 4);
	assert_true(flushed(hole));
	assert_true(flushed(1 * GiB)); /* the block was broken */

	/* Unmapping the rest frees both tables again. */
	assert_int_equal(pt_unmap(&pt, 1 * GiB, hole - 1 * GiB), 0);
	assert_int_equal(pt_unmap(&pt, hole, 2 * GiB - hole), 0);
	assert_int_equal(pt_table_pages(&pt), 2);
	expect_unmapped(1 * GiB);
	expect_unmapped(2 * GiB - PAGE_SIZE);
}

/*
 * Pages unmapped one by one, upwards and downwards: the last-level table
 * goes when its last page does, not before (pt_clear_table checks the
 * neighbours of the slot it cleared first).
 */
static void unmap_one_by_one(int step)
{
	uint64_t base = 10 * MiB;
	int first = step > 0 ? 0 : 7;

	assert_int_equal(map(base, 0x100000, 8 * PAGE_SIZE, attrs_rw), 0);
	assert_int_equal(pt_table_pages(&pt), 4); /* root x2, L2, L3 */
	for (int i = first, done = 0; done < 8; i += step, done++) {
		assert_int_equal(pt_table_pages(&pt), 4);
		assert_int_equal(pt_unmap(&pt, base + i * PAGE_SIZE, PAGE_SIZE),
				 0);
		expect_unmapped(base + i * PAGE_SIZE);
	}
	assert_int_equal(pt_table_pages(&pt), 2); /* L2 and L3 gone */
}

static void test_unmap_pages_upwards_frees_table(void **state)
{
	unmap_one_by_one(1);
}

static void test_unmap_pages_downwards_frees_table(void **state)
{
	unmap_one_by_one(-1);
}

/* A page in the middle of a table gone first: the others keep it. */
static void test_unmap_middle_page_keeps_table(void **state)
{
	assert_int_equal(map(10 * MiB, 0x100000, 3 * PAGE_SIZE, attrs_rw), 0);
	assert_int_equal(pt_unmap(&pt, 10 * MiB + PAGE_SIZE, PAGE_SIZE), 0);
	assert_int_equal(pt_table_pages(&pt), 4);
	expect_mapped(10 * MiB, 0x100000, attrs_rw, 3);
	expect_mapped(10 * MiB + 2 * PAGE_SIZE, 0x102000, attrs_rw, 3);
	assert_int_equal(pt_unmap(&pt, 10 * MiB + 2 * PAGE_SIZE, PAGE_SIZE), 0);
	assert_int_equal(pt_table_pages(&pt), 4);
	assert_int_equal(pt_unmap(&pt, 10 * MiB, PAGE_SIZE), 0);
	assert_int_equal(pt_table_pages(&pt), 2);
}

/*
 * One page into a hole of a table that exists (the one-walk path of
 * grant maps): no flush, no table taken; one page out of a table that
 * keeps others: exactly that page flushed, once.
 */
static void test_single_page_in_and_out(void **state)
{
	assert_int_equal(map(10 * MiB, 0x100000, PAGE_SIZE, attrs_rw), 0);
	assert_int_equal(pt_table_pages(&pt), 4);
	nr_flushes = 0;
	assert_int_equal(
		map(10 * MiB + 5 * PAGE_SIZE, 0x200000, PAGE_SIZE, attrs_ro),
		0);
	assert_int_equal(pt_table_pages(&pt), 4);
	assert_int_equal(nr_flushes, 0);
	expect_mapped(10 * MiB + 5 * PAGE_SIZE, 0x200000, attrs_ro, 3);
	assert_int_equal(pt_unmap(&pt, 10 * MiB + 5 * PAGE_SIZE, PAGE_SIZE), 0);
	assert_int_equal(nr_flushes, 1);
	assert_int_equal(flush_log[0].ia, 10 * MiB + 5 * PAGE_SIZE);
	assert_int_equal(flush_log[0].size, PAGE_SIZE);
	assert_int_equal(pt_table_pages(&pt), 4);
	expect_unmapped(10 * MiB + 5 * PAGE_SIZE);
	expect_mapped(10 * MiB, 0x100000, attrs_rw, 3);
}

static void test_remap_breaks_first(void **state)
{
	assert_int_equal(map(8 * MiB, 0x10000, PAGE_SIZE, attrs_rw), 0);
	assert_int_equal(nr_flushes, 0);
	assert_int_equal(map(8 * MiB, 0x20000, PAGE_SIZE, attrs_ro), 0);
	assert_int_equal(nr_flushes, 1);
	assert_true(flushed(8 * MiB));
	expect_mapped(8 * MiB, 0x20000, attrs_ro, 3);
}

static void test_pages_become_block(void **state)
{
	assert_int_equal(map(6 * MiB, 0x100000, 16 * PAGE_SIZE, attrs_rw), 0);
	assert_int_equal(pt_table_pages(&pt), 4); /* root x2, L2, L3 */
	assert_int_equal(map(6 * MiB, 0x600000, 2 * MiB, attrs_rw), 0);
	expect_mapped(6 * MiB, 0x600000, attrs_rw, 2);
	assert_int_equal(pt_table_pages(&pt), 3); /* the L3 table is gone */
	assert_true(flushed(6 * MiB + 15 * PAGE_SIZE));
}

static void test_holes_and_zero_sizes(void **state)
{
	assert_int_equal(pt_unmap(&pt, 0, 1024 * GiB), 0); /* all holes */
	assert_int_equal(nr_flushes, 0);
	assert_int_equal(map(0, 0, 0, attrs_rw), 0);
	assert_int_equal(pt_unmap(&pt, 0, 0), 0);
	assert_int_equal(pt_table_pages(&pt), 2);
	/* The whole input space, one call. */
	assert_int_equal(map(0, 0, 1024 * GiB, attrs_rw), 0);
	expect_mapped(1024 * GiB - 1, 1024 * GiB - 1, attrs_rw, 1);
	assert_int_equal(pt_table_pages(&pt), 2);
	assert_int_equal(pt_unmap(&pt, 0, 1024 * GiB), 0);
	expect_unmapped(0);
}

static void test_bad_arguments(void **state)
{
	assert_int_equal(map(PAGE_SIZE + 1, 0, PAGE_SIZE, attrs_rw), -EINVAL);
	assert_int_equal(map(0, 1, PAGE_SIZE, attrs_rw), -EINVAL);
	assert_int_equal(map(0, 0, 100, attrs_rw), -EINVAL);
	assert_int_equal(map(1024 * GiB, 0, PAGE_SIZE, attrs_rw), -EINVAL);
	assert_int_equal(
		map(1024 * GiB - PAGE_SIZE, 0, 2 * PAGE_SIZE, attrs_rw),
		-EINVAL);
	assert_int_equal(map(PAGE_SIZE, 0, UINT64_MAX & PAGE_MASK, attrs_rw),
			 -EINVAL);
	assert_int_equal(map(0, 1ULL << 48, PAGE_SIZE, attrs_rw), -EINVAL);
	assert_int_equal(
		map(0, (1ULL << 48) - PAGE_SIZE, 2 * PAGE_SIZE, attrs_rw),
		-EINVAL);
	assert_int_equal(
		map(0, UINT64_MAX & PAGE_MASK, 2 * PAGE_SIZE, attrs_rw),
		-EINVAL);
	assert_int_equal(pt_unmap(&pt, 1, PAGE_SIZE), -EINVAL);
	assert_int_equal(pt_unmap(&pt, 0, 1024 * GiB + PAGE_SIZE), -EINVAL);
	assert_int_equal(pt_unmap(&pt, PAGE_SIZE, UINT64_MAX & PAGE_MASK),
			 -EINVAL);
	expect_unmapped(1024 * GiB + 5);
	assert_int_equal(pt_table_pages(&pt), 2);
	/* The last page of both spaces is fine. */
	assert_int_equal(map(1024 * GiB - PAGE_SIZE, (1ULL << 48) - PAGE_SIZE,
			     PAGE_SIZE, attrs_rw),
			 0);
	expect_mapped(1024 * GiB - 1, (1ULL << 48) - 1, attrs_rw, 3);
}

static void test_hypervisor_bugs_panic(void **state)
{
	struct pt other;
	struct pt_desc bad = desc40;

	/* Leaf bits that overlap the address or the type are a bug. */
	assert_true(EXPECT_PANIC(map(0, 0, PAGE_SIZE, attrs_rw | 0x1000)));
	assert_true(EXPECT_PANIC(map(0, 0, PAGE_SIZE, attrs_rw | 1)));
	expect_unmapped(0);

	/* So are descriptions the engine can not walk. */
	bad.root_pages = 1; /* 40 bits from level 1 need two pages */
	assert_true(EXPECT_PANIC(pt_init(&other, &bad, &hooks, NULL)));
	bad = desc40;
	bad.root_pages = 3;
	assert_true(EXPECT_PANIC(pt_init(&other, &bad, &hooks, NULL)));
	bad = desc40;
	bad.block_levels = 1U << 3; /* a page level can not hold blocks */
	assert_true(EXPECT_PANIC(pt_init(&other, &bad, &hooks, NULL)));
	bad = desc40;
	bad.block_levels = 1U << 1; /* level-1 blocks split into level 2 */
	assert_true(EXPECT_PANIC(pt_init(&other, &bad, &hooks, NULL)));
	bad = desc40;
	bad.addr_mask = 0x0000fffffffff800UL;
	assert_true(EXPECT_PANIC(pt_init(&other, &bad, &hooks, NULL)));
	assert_int_equal(live_pages, 2);
}

/* ---- out of memory ------------------------------------------------------- */

static void test_init_enomem(void **state)
{
	struct pt other;

	fail_after = 0;
	assert_int_equal(pt_init(&other, &desc44, &hooks, NULL), -ENOMEM);
	assert_int_equal(live_pages, 2); /* only the fixture's root */
}

static void test_map_enomem(void **state)
{
	/* A page needs an L2 and an L3 table: the second one fails. */
	fail_after = 1;
	assert_int_equal(map(3 * GiB + 5 * MiB, 0x5000, PAGE_SIZE, attrs_rw),
			 -ENOMEM);
	expect_unmapped(3 * GiB + 5 * MiB);
	assert_int_equal(pt_table_pages(&pt), 2);
	assert_int_equal(live_pages, 2);
}

/*
 * A map that cannot get every table it needs changes nothing: the tables
 * are taken before the first store, so there is no half-mapped range.
 */
static void test_failed_map_leaves_no_partial_mapping(void **state)
{
	/* Across a 1 GiB boundary: two L2 and two L3 tables; two are there. */
	fail_after = 2;
	assert_int_equal(
		map(4 * GiB - 2 * PAGE_SIZE, 0x8000, 4 * PAGE_SIZE, attrs_rw),
		-ENOMEM);
	for (uint64_t i = 0; i < 4; i++)
		expect_unmapped(4 * GiB - 2 * PAGE_SIZE + i * PAGE_SIZE);
	assert_int_equal(pt_table_pages(&pt), 2);
	assert_int_equal(live_pages, 2);
	assert_int_equal(nr_flushes, 0);
	fail_after = -1;
	assert_int_equal(
		map(4 * GiB - 2 * PAGE_SIZE, 0x8000, 4 * PAGE_SIZE, attrs_rw),
		0);
	expect_mapped(4 * GiB + PAGE_SIZE, 0xb000, attrs_rw, 3);
}

/*
 * A failed remap keeps what was mapped: here the block's end could be split
 * (two tables) but the rest of the range, past the block, could not get its
 * own two; the block stays whole, unbroken and unflushed.
 */
static void test_failed_remap_keeps_old_mapping(void **state)
{
	uint64_t flushes;

	assert_int_equal(map(1 * GiB, 3 * GiB, GiB, attrs_rw), 0);
	fail_after = 2;
	flushes = nr_flushes;
	assert_int_equal(
		map(2 * GiB - PAGE_SIZE, 0x7000, 2 * PAGE_SIZE, attrs_ro),
		-ENOMEM);
	assert_int_equal(nr_flushes, flushes);
	expect_mapped(2 * GiB - PAGE_SIZE, 4 * GiB - PAGE_SIZE, attrs_rw, 1);
	expect_unmapped(2 * GiB);
	assert_int_equal(live_pages, 2);
	fail_after = -1;
	assert_int_equal(
		map(2 * GiB - PAGE_SIZE, 0x7000, 2 * PAGE_SIZE, attrs_ro), 0);
	expect_mapped(2 * GiB - PAGE_SIZE, 0x7000, attrs_ro, 3);
	expect_mapped(2 * GiB, 0x8000, attrs_ro, 3);
	expect_mapped(2 * GiB - 2 * PAGE_SIZE, 4 * GiB - 2 * PAGE_SIZE,
		      attrs_rw, 3);
	expect_mapped(1 * GiB, 3 * GiB, attrs_rw, 2);
}

/* ---- the per-domain pool ------------------------------------------------- */

/*
 * A guest mapping single pages 2 MiB apart costs one table page each; with
 * a pool its tables stop at the pool's size with -ENOMEM, and the host
 * gives nothing beyond the pool. Unmapping and destroying return every
 * table to the pool, and the pool to the host.
 */
static void test_pool_bounds_tables(void **state)
{
	struct page_pool pool;
	struct pt tree;
	uint64_t n = 0, live;
	int ret;

	reset_counters();
	live_pages = 0;
	page_pool_init(&pool, false);
	assert_int_equal(page_pool_resize(&pool, 64), 0);
	assert_int_equal(pt_init(&tree, &desc40, &hooks, &pool), 0);
	live = live_pages;
	assert_int_equal(live, 64 + 2);
	for (;;) {
		ret = pt_map(&tree, n * 2 * MiB, pa_init(n * PAGE_SIZE),
			     PAGE_SIZE, attrs_rw);
		if (ret)
			break;
		n++;
	}
	assert_int_equal(ret, -ENOMEM);
	/* One L2 table for the first GiB, then one L3 table per page. */
	assert_int_equal(n, 63);
	assert_int_equal(live_pages, live);
	assert_int_equal(page_pool_in_use(&pool), 64);
	assert_false(pt_lookup(&tree, n * 2 * MiB, &(struct pt_entry){0}));
	/* A 2 MiB block needs no new table: still possible at the bound. */
	assert_int_equal(
		pt_map(&tree, n * 2 * MiB, pa_init(0), 2 * MiB, attrs_rw), 0);
	/* Tables emptied by an unmap go back to the pool, not the host. */
	assert_int_equal(pt_unmap(&tree, 0, GiB), 0);
	assert_int_equal(page_pool_in_use(&pool), 0);
	assert_int_equal(live_pages, live);
	assert_int_equal(pt_map(&tree, 0, pa_init(0), PAGE_SIZE, attrs_rw), 0);
	pt_destroy(&tree);
	assert_int_equal(page_pool_in_use(&pool), 0);
	assert_int_equal(live_pages, 64);
	page_pool_destroy(&pool);
	assert_int_equal(live_pages, 0);
}

/* An empty pool is -ENOMEM for its tree, whatever the host has. */
static void test_empty_pool_is_enomem(void **state)
{
	struct page_pool pool;
	struct pt tree;

	reset_counters();
	live_pages = 0;
	page_pool_init(&pool, false);
	assert_int_equal(pt_init(&tree, &desc44, &hooks, &pool), 0);
	assert_int_equal(
		pt_map(&tree, 5 * GiB, pa_init(0), PAGE_SIZE, attrs_rw),
		-ENOMEM);
	assert_int_equal(live_pages, 1);
	/* A 512 GiB-aligned GiB is one block in a new L1 table. */
	assert_int_equal(page_pool_resize(&pool, 1), 0);
	assert_int_equal(pt_map(&tree, 512 * GiB, pa_init(GiB), GiB, attrs_rw),
			 0);
	assert_int_equal(page_pool_in_use(&pool), 1);
	pt_destroy(&tree);
	page_pool_destroy(&pool);
	assert_int_equal(live_pages, 0);
}

static void test_split_enomem_keeps_block(void **state)
{
	uint64_t flushes;

	assert_int_equal(map(1 * GiB, 3 * GiB, GiB, attrs_rw), 0);
	/* Splitting to a page needs two tables; the second fails. */
	fail_after = 1;
	flushes = nr_flushes;
	assert_int_equal(pt_unmap(&pt, 1 * GiB + 8 * MiB, PAGE_SIZE), -ENOMEM);
	assert_int_equal(nr_flushes, flushes); /* nothing was broken */
	expect_mapped(1 * GiB + 8 * MiB, 3 * GiB + 8 * MiB, attrs_rw, 1);
	assert_int_equal(live_pages, 2);
	fail_after = -1;
	assert_int_equal(pt_unmap(&pt, 1 * GiB + 8 * MiB, PAGE_SIZE), 0);
	expect_unmapped(1 * GiB + 8 * MiB);
}

static void test_destroy_frees_everything(void **state)
{
	for (uint64_t i = 0; i < 64; i++)
		assert_int_equal(map(i * 3 * GiB + i * 5 * MiB + i * PAGE_SIZE,
				     i * PAGE_SIZE, 3 * PAGE_SIZE, attrs_rw),
				 0);
	assert_true(pt_table_pages(&pt) > 64);
	/* teardown destroys the tree and checks that every page came back */
}

/*
 * libxl's pool for a 128 MiB, 1-vCPU guest (4 * (256 + 128 + 128) KiB = 512
 * pages) holds its whole stage 2 with room to spare, in Xen's guest layout
 * at a 44-bit IPA: GICv2 CPU interface, grant frames, magic pages, its RAM
 * in 4 KiB pages and then in 2 MiB blocks, and 256 grant or foreign pages
 * mapped 2 MiB apart (each its own table).
 */
static void test_pool_fits_a_128mib_domu(void **state)
{
	const uint64_t ram0 = 0x40000000, ram1 = 0x0200000000;
	struct page_pool pool;
	struct pt tree;

	reset_counters();
	live_pages = 0;
	page_pool_init(&pool, false);
	assert_int_equal(page_pool_resize(&pool, 512), 0);
	assert_int_equal(pt_init(&tree, &desc44, &hooks, &pool), 0);
	assert_int_equal(pt_map(&tree, 0x03002000, pa_init(0x8000000),
				2 * PAGE_SIZE, attrs_dev),
			 0);
	assert_int_equal(pt_map(&tree, 0x38000000, pa_init(0x100000),
				64 * PAGE_SIZE, attrs_rw),
			 0);
	assert_int_equal(pt_map(&tree, 0x39000000, pa_init(0x200000),
				6 * PAGE_SIZE, attrs_rw),
			 0);
	/* RAM from pages that are not 2 MiB-aligned: 4 KiB entries. */
	assert_int_equal(pt_map(&tree, ram0, pa_init(64 * GiB + PAGE_SIZE),
				128 * MiB, attrs_rw),
			 0);
	for (uint64_t i = 0; i < 256; i++)
		assert_int_equal(pt_map(&tree, ram1 + i * 2 * MiB,
					pa_init(i * PAGE_SIZE), PAGE_SIZE,
					attrs_grant_ro),
				 0);
	assert_true(page_pool_in_use(&pool) < 400);
	/* The same RAM in 2 MiB blocks gives its last-level tables back. */
	assert_int_equal(
		pt_map(&tree, ram0, pa_init(64 * GiB), 128 * MiB, attrs_rw), 0);
	assert_true(page_pool_in_use(&pool) < 300);
	assert_int_equal(live_pages, 512 + 1);
	pt_destroy(&tree);
	page_pool_destroy(&pool);
	assert_int_equal(live_pages, 0);
}

/* ---- the random model test ----------------------------------------------- */

/* A 4 GiB window across the 512 GiB boundary (root page / level-0 entry). */
#define WIN_BASE  (510 * GiB)
#define WIN_SIZE  (4 * GiB)
#define WIN_PAGES (WIN_SIZE >> PAGE_SHIFT)

/* Per page of the window: the PA it maps to (0: unmapped), its attrs. */
static uint64_t model_pa[WIN_PAGES];
static uint8_t model_attr[WIN_PAGES];
static uint64_t attr_of[4];
static uint64_t rng_state;

/* What the random test went through, so it can tell it tested enough. */
static struct {
	uint64_t enomem;    /* calls that ran out of memory */
	uint64_t changed;   /* mapped pages remapped or unmapped */
	uint64_t leaves[4]; /* leaves seen at each level */
	uint64_t splits;    /* unmaps that cut into a block */
} seen;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static uint64_t rnd_below(uint64_t n)
{
	return rnd() % n;
}

static uint64_t page_of(uint64_t ia)
{
	return (ia - WIN_BASE) >> PAGE_SHIFT;
}

/* What the tree maps page by page: one lookup per entry, not per page. */
struct walker {
	uint64_t end;	/* of the entry found last */
	uint64_t first; /* the address it was looked up with */
	bool mapped;
	unsigned int attr; /* attribute index of that entry */
	struct pt_entry e;
};

/* The page at @ia: its PA (0: unmapped) and its attribute index. */
static uint64_t walk_page(struct walker *w, uint64_t ia, unsigned int *attr)
{
	unsigned int i;

	if (ia >= w->end || ia < w->first) {
		w->mapped = pt_lookup(&pt, ia, &w->e);
		w->first = ia;
		w->end = align_down(ia, w->e.size) + w->e.size;
	}
	*attr = 0;
	if (!w->mapped)
		return 0;
	if (ia != w->first) { /* the same entry as the page before */
		*attr = w->attr;
		return pa_addr(w->e.pa) + (ia - w->first);
	}
	for (i = 0; i < ARRAY_SIZE(attr_of); i++) {
		if (attr_of[i] == w->e.attrs)
			break;
	}
	if (i == ARRAY_SIZE(attr_of))
		fail_msg("%#lx: unknown attributes %#lx", ia, w->e.attrs);
	*attr = i;
	w->attr = i;
	seen.leaves[w->e.level]++;
	return pa_addr(w->e.pa) + (ia - w->first);
}

/* The tree agrees with the model over [start, end) of the window. */
static void verify(uint64_t start, uint64_t end)
{
	struct walker w = {0};

	for (uint64_t ia = start; ia < end; ia += PAGE_SIZE) {
		uint64_t p = page_of(ia);
		unsigned int attr;
		uint64_t pa = walk_page(&w, ia, &attr);

		if (pa != model_pa[p] || (pa && attr != model_attr[p]))
			fail_msg("%#lx: maps %#lx (attrs %u), want %#lx (%u)",
				 ia, pa, attr, model_pa[p], model_attr[p]);
	}
}

/* Around an operation's range, nothing changed. */
static void verify_around(uint64_t ia, uint64_t size)
{
	uint64_t start = ia > WIN_BASE + 4 * MiB ? ia - 4 * MiB : WIN_BASE;
	uint64_t end = min_u64(ia + size + 4 * MiB, WIN_BASE + WIN_SIZE);

	verify(start, ia);
	verify(ia + size, end);
}

/* A random range in the window, favouring block sizes and alignments. */
static void random_range(uint64_t *ia, uint64_t *size)
{
	static const uint64_t grains[] = {PAGE_SIZE, PAGE_SIZE, PAGE_SIZE,
					  2 * MiB,   2 * MiB,	2 * MiB,
					  GiB};
	uint64_t grain = grains[rnd_below(ARRAY_SIZE(grains))];
	uint64_t n = grain == GiB ? 1 : 1 + rnd_below(8);
	uint64_t start, pages;

	start = WIN_BASE + align_down(rnd_below(WIN_SIZE), grain);
	*size = n * grain;
	if (rnd_below(3) == 0) /* ragged ends */
		start += rnd_below(512) * PAGE_SIZE;
	if (rnd_below(3) == 0)
		*size += rnd_below(512) * PAGE_SIZE;
	pages = *size >> PAGE_SHIFT;
	if (rnd_below(4) == 0 && pages > 1)
		*size -= rnd_below(min_u64(pages - 1, 512)) * PAGE_SIZE;
	if (start >= WIN_BASE + WIN_SIZE)
		start = WIN_BASE + WIN_SIZE - PAGE_SIZE;
	if (start + *size > WIN_BASE + WIN_SIZE)
		*size = WIN_BASE + WIN_SIZE - start;
	*ia = start;
}

/*
 * After one operation over [ia, ia + size): every page that changed was
 * flushed if it had been mapped; the model learns the new state, which
 * must be @want_pa (0: unmapped) unless the call failed (@failed), when
 * every page is as it was.
 */
static void check_op(uint64_t ia, uint64_t size, uint64_t want_pa,
		     unsigned int want_attr, bool failed)
{
	struct walker w = {0};

	for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
		uint64_t p = page_of(ia + off);
		uint64_t old = model_pa[p];
		unsigned int old_attr = model_attr[p];
		uint64_t want = want_pa ? want_pa + off : 0;
		unsigned int now_attr;
		uint64_t now = walk_page(&w, ia + off, &now_attr);

		if (failed) {
			if (now != old || (now && now_attr != old_attr))
				fail_msg("%#lx: %#lx after a failed call, was "
					 "%#lx",
					 ia + off, now, old);
		} else if (now != want || (want && now_attr != want_attr)) {
			fail_msg("%#lx: maps %#lx, want %#lx", ia + off, now,
				 want);
		}
		if (old && (now != old || now_attr != old_attr)) {
			seen.changed++;
			if (!flushed(ia + off))
				fail_msg("%#lx changed without a TLB flush",
					 ia + off);
		}
		model_pa[p] = now;
		model_attr[p] = (uint8_t)now_attr;
	}
}

static void random_model(unsigned int rounds, uint64_t seed)
{
	rng_state = seed;
	memset(&seen, 0, sizeof(seen));
	memset(model_pa, 0, sizeof(model_pa));
	memset(model_attr, 0, sizeof(model_attr));
	attr_of[0] = attrs_rw;
	attr_of[1] = attrs_ro;
	attr_of[2] = attrs_dev;
	attr_of[3] = attrs_grant_ro;

	for (unsigned int round = 0; round < rounds; round++) {
		uint64_t ia, size, pa = 0;
		unsigned int attr = 0;
		bool do_map = rnd_below(3) != 0;
		int ret;

		random_range(&ia, &size);
		reset_counters();
		if (rnd_below(8) == 0)
			fail_after = (int)rnd_below(4);
		if (do_map) {
			attr = (unsigned int)rnd_below(4);
			/* Mostly aligned like the IPA, so blocks fit. */
			pa = 64 * GiB + align_down(rnd_below(1024 * GiB), GiB) +
			     (ia & (GiB - 1));
			if (rnd_below(4) == 0)
				pa += rnd_below(512) * PAGE_SIZE;
			ret = map(ia, pa, size, attr_of[attr]);
		} else {
			struct pt_entry e;

			if ((pt_lookup(&pt, ia, &e) && e.level < 3 &&
			     !is_aligned(ia, e.size)) ||
			    (pt_lookup(&pt, ia + size, &e) && e.level < 3 &&
			     !is_aligned(ia + size, e.size)))
				seen.splits++;
			ret = pt_unmap(&pt, ia, size);
		}
		fail_after = -1;
		seen.enomem += ret == -ENOMEM;
		if (ret != 0 && ret != -ENOMEM)
			fail_msg("round %u: %d", round, ret);
		check_op(ia, size, pa, attr, ret != 0);
		verify_around(ia, size);
		assert_int_equal(pt_table_pages(&pt), live_pages);
		if (round % 128 == 0)
			verify(WIN_BASE, WIN_BASE + WIN_SIZE);
	}
	verify(WIN_BASE, WIN_BASE + WIN_SIZE);
	assert_true(seen.enomem > 10 && seen.changed > 1000 &&
		    seen.splits > 10);
	assert_true(seen.leaves[1] && seen.leaves[2] > 100 &&
		    seen.leaves[3] > 1000);

	/* Emptying the window frees every table but the root. */
	reset_counters();
	assert_int_equal(pt_unmap(&pt, WIN_BASE, WIN_SIZE), 0);
	memset(model_pa, 0, sizeof(model_pa));
	verify(WIN_BASE, WIN_BASE + WIN_SIZE);
	assert_int_equal(pt_table_pages(&pt), pt.desc->root_pages);
}

static void test_random_40(void **state)
{
	random_model(1000, 0x9e3779b97f4a7c15ULL);
}

static void test_random_44(void **state)
{
	random_model(1000, 0xd1b54a32d192ed03ULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_geometry),
		cmocka_unit_test(test_ipa_size_choice),
		cmocka_unit_test(test_vtcr),
		cmocka_unit_test(test_attr_encoding),
		cmocka_unit_test_setup_teardown(test_blocks_and_pages, setup40,
						teardown),
		cmocka_unit_test_setup_teardown(test_misaligned_pa_uses_pages,
						setup40, teardown),
		cmocka_unit_test_setup_teardown(test_concatenated_root, setup40,
						teardown),
		cmocka_unit_test_setup_teardown(test_level0_root, setup44,
						teardown),
		cmocka_unit_test_setup_teardown(test_split_block, setup40,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_unmap_pages_upwards_frees_table, setup40,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_unmap_pages_downwards_frees_table, setup40,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_unmap_middle_page_keeps_table, setup40, teardown),
		cmocka_unit_test_setup_teardown(test_single_page_in_and_out,
						setup40, teardown),
		cmocka_unit_test_setup_teardown(test_remap_breaks_first,
						setup40, teardown),
		cmocka_unit_test_setup_teardown(test_pages_become_block,
						setup40, teardown),
		cmocka_unit_test_setup_teardown(test_holes_and_zero_sizes,
						setup40, teardown),
		cmocka_unit_test_setup_teardown(test_bad_arguments, setup40,
						teardown),
		cmocka_unit_test_setup_teardown(test_hypervisor_bugs_panic,
						setup40, teardown),
		cmocka_unit_test_setup_teardown(test_init_enomem, setup40,
						teardown),
		cmocka_unit_test_setup_teardown(test_map_enomem, setup40,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_failed_map_leaves_no_partial_mapping, setup40,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_failed_remap_keeps_old_mapping, setup40, teardown),
		cmocka_unit_test_setup_teardown(test_split_enomem_keeps_block,
						setup40, teardown),
		cmocka_unit_test_setup_teardown(test_destroy_frees_everything,
						setup44, teardown),
		cmocka_unit_test(test_pool_bounds_tables),
		cmocka_unit_test(test_empty_pool_is_enomem),
		cmocka_unit_test(test_pool_fits_a_128mib_domu),
		cmocka_unit_test_setup_teardown(test_random_40, setup40,
						teardown),
		cmocka_unit_test_setup_teardown(test_random_44, setup44,
						teardown),
	};

	return cmocka_run_group_tests_name("pagetable", tests, setup_group,
					   NULL);
}
