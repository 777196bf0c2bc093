/* SPDX-License-Identifier: MIT */
/* Unit tests of common/mm/region_walk.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <orchid/region_walk.h>

#define MIB (1ULL << 20)

static struct mem_region region(uint64_t base, uint64_t size)
{
	struct mem_region r = {.base = pa_init(base), .size = size};

	return r;
}

static void expect_piece(struct region_walk *w, const struct mem_region *r,
			 unsigned int nr, uint64_t max, uint64_t base,
			 uint64_t size)
{
	struct mem_region p;

	assert_true(region_walk_next(w, r, nr, max, &p));
	assert_int_equal(pa_addr(p.base), base);
	assert_int_equal(p.size, size);
}

/* Pieces of @max, a shorter last one per region, never across two. */
static void test_pieces_stay_in_regions(void **state)
{
	struct mem_region r[2] = {region(0x40000000, 5 * MIB),
				  region(0x80000000, 2 * MIB)};
	struct region_walk w;
	struct mem_region p = region(1, 1);

	(void)state;
	region_walk_init(&w);
	expect_piece(&w, r, 2, 2 * MIB, 0x40000000, 2 * MIB);
	expect_piece(&w, r, 2, 2 * MIB, 0x40200000, 2 * MIB);
	expect_piece(&w, r, 2, 2 * MIB, 0x40400000, 1 * MIB);
	expect_piece(&w, r, 2, 2 * MIB, 0x80000000, 2 * MIB);
	assert_false(region_walk_next(&w, r, 2, 2 * MIB, &p));
	/* Done stays done; the piece is left alone. */
	assert_false(region_walk_next(&w, r, 2, 2 * MIB, &p));
	assert_int_equal(pa_addr(p.base), 1);
}

static void test_empty_regions_skipped(void **state)
{
	struct mem_region r[4] = {region(0x1000, 0), region(0x2000, 0x1000),
				  region(0x9000, 0), region(0xa000, 0x2000)};
	struct region_walk w;
	struct mem_region p;

	(void)state;
	region_walk_init(&w);
	expect_piece(&w, r, 4, 0x10000, 0x2000, 0x1000);
	expect_piece(&w, r, 4, 0x10000, 0xa000, 0x2000);
	assert_false(region_walk_next(&w, r, 4, 0x10000, &p));
	region_walk_init(&w);
	assert_false(region_walk_next(&w, r, 0, 0x10000, &p));
}

/* No progress can be asked for: a zero budget hands nothing out. */
static void test_zero_max(void **state)
{
	struct mem_region r[1] = {region(0x1000, 0x3000)};
	struct region_walk w;
	struct mem_region p;

	(void)state;
	region_walk_init(&w);
	assert_false(region_walk_next(&w, r, 1, 0, &p));
	/* ... and keeps its place. */
	expect_piece(&w, r, 1, 0x10000, 0x1000, 0x3000);
}

/* Random regions and budgets: every byte once, in order, within @max. */
static void test_random_cover(void **state)
{
	(void)state;
	srand(7);
	for (int round = 0; round < 200; round++) {
		struct mem_region r[8];
		unsigned int nr = (unsigned int)(rand() % 9);
		uint64_t total = 0, seen = 0,
			 max = 1 + (uint64_t)(rand() % 5000);
		unsigned int idx = 0;
		uint64_t off = 0;
		struct region_walk w;
		struct mem_region p;

		for (unsigned int i = 0; i < nr; i++) {
			r[i] = region(0x100000ULL * (i + 1),
				      (uint64_t)(rand() % 3) * (rand() % 9000));
			total += r[i].size;
		}
		region_walk_init(&w);
		while (region_walk_next(&w, r, nr, max, &p)) {
			assert_true(p.size >= 1 && p.size <= max);
			while (off >= r[idx].size) {
				idx++;
				off = 0;
			}
			assert_int_equal(pa_addr(p.base),
					 pa_addr(r[idx].base) + off);
			assert_true(off + p.size <= r[idx].size);
			off += p.size;
			seen += p.size;
		}
		assert_int_equal(seen, total);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pieces_stay_in_regions),
		cmocka_unit_test(test_empty_regions_skipped),
		cmocka_unit_test(test_zero_max),
		cmocka_unit_test(test_random_cover),
	};

	return cmocka_run_group_tests_name("region_walk", tests, NULL, NULL);
}
