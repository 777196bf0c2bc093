/* SPDX-License-Identifier: MIT */
/* Unit tests of common/mm/range_set.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <orchid/mm.h>

static struct range_set set;

static int setup(void **state)
{
	memset(&set, 0, sizeof(set));
	return 0;
}

static bool add(uint64_t base, uint64_t size)
{
	return range_set_add(&set, pa_init(base), size);
}

static bool del(uint64_t base, uint64_t size)
{
	return range_set_remove(&set, pa_init(base), size);
}

static bool overlaps(uint64_t base, uint64_t size)
{
	return range_set_overlaps(&set, pa_init(base), size);
}

static void expect_range(unsigned int i, uint64_t base, uint64_t size)
{
	assert_true(i < set.n);
	assert_int_equal(pa_addr(set.r[i].base), base);
	assert_int_equal(set.r[i].size, size);
}

/* Sorted, disjoint, never adjacent, never empty. */
static void check_invariants(void)
{
	unsigned int i;

	assert_true(set.n <= RANGE_SET_MAX);
	for (i = 0; i < set.n; i++) {
		uint64_t base = pa_addr(set.r[i].base);

		assert_true(set.r[i].size > 0);
		assert_false(range_overflows(base, set.r[i].size));
		if (i == 0)
			continue;
		/* Strictly after the previous range's end, with a gap. */
		assert_true(base >
			    pa_addr(set.r[i - 1].base) + set.r[i - 1].size);
	}
}

/* Compare what a set holds, not its padding. */
static void expect_same(const struct range_set *before)
{
	assert_int_equal(before->n, set.n);
	assert_memory_equal(before->r, set.r, sizeof(set.r));
}

static void test_add_sorted(void **state)
{
	assert_true(add(0x3000, 0x1000));
	assert_true(add(0x1000, 0x1000));
	assert_true(add(0x5000, 0x1000));
	assert_int_equal(set.n, 3);
	expect_range(0, 0x1000, 0x1000);
	expect_range(1, 0x3000, 0x1000);
	expect_range(2, 0x5000, 0x1000);
	check_invariants();
}

static void test_add_merges_overlap(void **state)
{
	assert_true(add(0x1000, 0x2000));
	assert_true(add(0x2000, 0x2000));
	assert_int_equal(set.n, 1);
	expect_range(0, 0x1000, 0x3000);
	/* Contained: no change. */
	assert_true(add(0x1800, 0x100));
	assert_int_equal(set.n, 1);
	expect_range(0, 0x1000, 0x3000);
}

static void test_add_merges_adjacent(void **state)
{
	assert_true(add(0x2000, 0x1000));
	assert_true(add(0x3000, 0x1000)); /* right after */
	assert_true(add(0x1000, 0x1000)); /* right before */
	assert_int_equal(set.n, 1);
	expect_range(0, 0x1000, 0x3000);
}

static void test_add_bridges_many(void **state)
{
	assert_true(add(0x1000, 0x1000));
	assert_true(add(0x3000, 0x1000));
	assert_true(add(0x5000, 0x1000));
	assert_true(add(0x9000, 0x1000));
	assert_true(add(0x1800, 0x4000)); /* touches the first three */
	assert_int_equal(set.n, 2);
	expect_range(0, 0x1000, 0x5000);
	expect_range(1, 0x9000, 0x1000);
	check_invariants();
}

static void test_zero_size(void **state)
{
	assert_true(add(0x1000, 0));
	assert_int_equal(set.n, 0);
	assert_true(add(0x1000, 0x1000));
	assert_true(del(0x1000, 0));
	assert_int_equal(set.n, 1);
	assert_false(overlaps(0x1000, 0));
}

static void test_wrap_around(void **state)
{
	assert_false(add(UINT64_MAX - 0xfff, 0x2000));
	assert_int_equal(set.n, 0);
	assert_false(del(UINT64_MAX - 0xfff, 0x2000));
	assert_true(overlaps(UINT64_MAX - 0xfff, 0x2000));

	/* A range ending exactly at 2^64 is fine. */
	assert_true(add(UINT64_MAX - 0xfff, 0x1000));
	assert_true(add(UINT64_MAX - 0x1fff, 0x1000));
	assert_int_equal(set.n, 1);
	expect_range(0, UINT64_MAX - 0x1fff, 0x2000);
	assert_true(overlaps(UINT64_MAX, 1));
	assert_true(del(UINT64_MAX - 0xfff, 0x1000));
	expect_range(0, UINT64_MAX - 0x1fff, 0x1000);
	assert_true(del(0, UINT64_MAX));
	assert_int_equal(set.n, 0);
}

static void test_whole_space_rejected(void **state)
{
	assert_true(add(0, 0x8000000000000000ULL));
	assert_false(add(0x8000000000000000ULL, 0x8000000000000000ULL));
	assert_int_equal(set.n, 1);
	expect_range(0, 0, 0x8000000000000000ULL);
}

static void test_remove_split(void **state)
{
	assert_true(add(0x1000, 0x4000));
	assert_true(del(0x2000, 0x1000));
	assert_int_equal(set.n, 2);
	expect_range(0, 0x1000, 0x1000);
	expect_range(1, 0x3000, 0x2000);
	check_invariants();
}

static void test_remove_trim_and_drop(void **state)
{
	assert_true(add(0x1000, 0x1000));
	assert_true(add(0x3000, 0x1000));
	assert_true(add(0x5000, 0x1000));
	assert_true(add(0x7000, 0x1000));
	/* Trims the first's tail, drops two, trims the last's head. */
	assert_true(del(0x1800, 0x6000));
	assert_int_equal(set.n, 2);
	expect_range(0, 0x1000, 0x800);
	expect_range(1, 0x7800, 0x800);
	/* Removing what is absent changes nothing. */
	assert_true(del(0x2000, 0x5000));
	assert_int_equal(set.n, 2);
	assert_true(del(0, 0x10000));
	assert_int_equal(set.n, 0);
}

static void fill_set(void)
{
	unsigned int i;

	for (i = 0; i < RANGE_SET_MAX; i++)
		assert_true(add(0x10000 * (i + 1), 0x1000));
	assert_int_equal(set.n, RANGE_SET_MAX);
}

static void test_full(void **state)
{
	struct range_set before;

	fill_set();
	before = set;
	/* A new separate range does not fit... */
	assert_false(add(0x100000000ULL, 0x1000));
	/* ...nor does a split... */
	assert_false(del(0x10400, 0x100));
	expect_same(&before);
	/* ...but merging, trimming and dropping do. */
	assert_true(add(0x11000, 0x1000));
	expect_range(0, 0x10000, 0x2000);
	assert_true(del(0x10000, 0x800));
	expect_range(0, 0x10800, 0x1800);
	assert_true(del(0x20000, 0x1000));
	assert_int_equal(set.n, RANGE_SET_MAX - 1);
	check_invariants();
}

static void test_overlaps(void **state)
{
	assert_true(add(0x1000, 0x1000));
	assert_true(add(0x4000, 0x1000));
	assert_true(overlaps(0x1fff, 1));
	assert_true(overlaps(0, 0x1001));
	assert_true(overlaps(0x3000, 0x2000));
	assert_false(overlaps(0x2000, 0x2000)); /* adjacent on both sides */
	assert_false(overlaps(0, 0x1000));
	assert_false(overlaps(0x5000, 0x1000));
}

/*
 * Random adds and removes over a small space, checked byte by byte against
 * a plain array.
 */
#define MODEL_SIZE 512
static void check_model(const bool *model)
{
	unsigned int a;

	check_invariants();
	for (a = 0; a < MODEL_SIZE; a++)
		assert_int_equal(overlaps(a, 1), model[a]);
}

static void test_random_against_model(void **state)
{
	bool model[MODEL_SIZE] = {false};
	unsigned int round;

	srand(1234);
	for (round = 0; round < 4000; round++) {
		uint64_t base = rand() % MODEL_SIZE;
		uint64_t size = rand() % (MODEL_SIZE - base + 1) % 64;
		bool adding = rand() % 3 != 0;
		struct range_set before = set;
		uint64_t a;
		bool ok;

		ok = adding ? add(base, size) : del(base, size);
		if (!ok) {
			/* Only a full set refuses, and then changes nothing. */
			expect_same(&before);
			continue;
		}
		for (a = base; a < base + size; a++)
			model[a] = adding;
		if (round % 16 == 0)
			check_model(model);
	}
	check_model(model);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_add_sorted, setup),
		cmocka_unit_test_setup(test_add_merges_overlap, setup),
		cmocka_unit_test_setup(test_add_merges_adjacent, setup),
		cmocka_unit_test_setup(test_add_bridges_many, setup),
		cmocka_unit_test_setup(test_zero_size, setup),
		cmocka_unit_test_setup(test_wrap_around, setup),
		cmocka_unit_test_setup(test_whole_space_rejected, setup),
		cmocka_unit_test_setup(test_remove_split, setup),
		cmocka_unit_test_setup(test_remove_trim_and_drop, setup),
		cmocka_unit_test_setup(test_full, setup),
		cmocka_unit_test_setup(test_overlaps, setup),
		cmocka_unit_test_setup(test_random_against_model, setup),
	};

	return cmocka_run_group_tests_name("range_set", tests, NULL, NULL);
}
