/* SPDX-License-Identifier: MIT */
/* Unit tests of common/mm/heap.c over the real page allocator. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include <asm/fake.h>
#include <orchid/arch.h>
#include <orchid/mm.h>

#include "../../common/mm/page_alloc.h"

/* See test_page_alloc.c: EXPECT_PANIC's flag cannot really be clobbered. */
#pragma GCC diagnostic ignored "-Wclobbered"

#define MiB	   (1ULL << 20)
#define ARENA_SIZE (64 * MiB)

static char *arena;
static uint64_t start_free;

static int setup_group(void **state)
{
	arena = mmap(NULL, ARENA_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	return arena == MAP_FAILED ? -1 : 0;
}

static int teardown_group(void **state)
{
	munmap(arena, ARENA_SIZE);
	return 0;
}

static int setup(void **state)
{
	page_alloc_reset();
	heap_reset();
	page_alloc_add_range(arch_va_to_pa(arena), ARENA_SIZE);
	start_free = page_alloc_free_bytes();
	return 0;
}

/* Every test frees what it took: empty slabs must go back to the pages. */
static void expect_all_returned(void)
{
	assert_int_equal(page_alloc_free_bytes(), start_free);
}

static void fill(void *p, size_t size, unsigned int seed)
{
	unsigned char *b = p;
	size_t i;

	for (i = 0; i < size; i++)
		b[i] = (unsigned char)(seed * 31 + i);
}

static void check(const void *p, size_t size, unsigned int seed)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < size; i++) {
		if (b[i] != (unsigned char)(seed * 31 + i))
			fail_msg("object %p (%zu bytes) overwritten at %zu", p,
				 size, i);
	}
}

static void expect_panic_msg(const char *msg)
{
	if (!strstr(fake_panic_msg, msg))
		fail_msg("panic message \"%s\" lacks \"%s\"", fake_panic_msg,
			 msg);
}

/* Every size up to two pages, all live at once, none overlapping. */
static void test_every_size(void **state)
{
	enum { MAX_SIZE = 2 * 4096 };
	void **p = calloc(MAX_SIZE + 1, sizeof(*p));
	size_t size;

	assert_non_null(p);
	for (size = 0; size <= MAX_SIZE; size++) {
		p[size] = xmalloc(size);
		assert_non_null(p[size]);
		assert_true(is_aligned((uintptr_t)p[size], 16));
		fill(p[size], size, (unsigned int)size);
	}
	for (size = 0; size <= MAX_SIZE; size++)
		check(p[size], size, (unsigned int)size);
	for (size = 0; size <= MAX_SIZE; size += 2)
		xfree(p[size]);
	for (size = 1; size <= MAX_SIZE; size += 2) {
		check(p[size], size, (unsigned int)size);
		xfree(p[size]);
	}
	expect_all_returned();
	free(p);
}

/* Many objects of one class span several slabs and stay distinct. */
static void test_many_objects(void **state)
{
	static const size_t sizes[] = {16, 48, 100, 500, 2016};
	enum { COUNT = 3000 };
	void **p = calloc(COUNT, sizeof(*p));
	unsigned int s, i;

	assert_non_null(p);
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		for (i = 0; i < COUNT; i++) {
			assert_non_null(p[i] = xmalloc(sizes[s]));
			fill(p[i], sizes[s], i);
		}
		for (i = 0; i < COUNT; i++)
			check(p[i], sizes[s], i);
		for (i = 0; i < COUNT; i++)
			xfree(p[(i * 7) % COUNT]); /* 7 is prime to COUNT */
		expect_all_returned();
	}
	free(p);
}

static void test_large(void **state)
{
	static const size_t sizes[] = {2017, 4096,    4097,
				       8192, 1 * MiB, 3 * MiB + 1};
	static const unsigned int orders[] = {0, 0, 1, 1, 8, 10};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		char *p = xmalloc(sizes[i]);

		assert_non_null(p);
		assert_true(is_aligned((uintptr_t)p, PAGE_SIZE));
		assert_int_equal(page_alloc_free_bytes(),
				 start_free - (PAGE_SIZE << orders[i]));
		fill(p, sizes[i], i);
		check(p, sizes[i], i);
		xfree(p);
		expect_all_returned();
	}
}

static void test_reuse(void **state)
{
	void *a = xmalloc(32);
	void *b = xmalloc(32);

	assert_ptr_not_equal(a, b);
	xfree(a);
	assert_ptr_equal(xmalloc(32), a);
	xfree(a);
	xfree(b);
	expect_all_returned();
}

static void test_zero_size(void **state)
{
	void *a = xmalloc(0);
	void *b = xmalloc(0);

	/* Minimal, distinct, freeable objects. */
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	xfree(a);
	xfree(b);
	xfree(NULL);
	expect_all_returned();
}

static void test_xzalloc(void **state)
{
	static const size_t sizes[] = {1, 40, 1000, 2016, 5000, 70000};
	unsigned int i;
	size_t j;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned char *p = xmalloc(sizes[i]);

		memset(p, 0xff, sizes[i]);
		xfree(p);
		p = xzalloc(sizes[i]);
		assert_non_null(p);
		for (j = 0; j < sizes[i]; j++)
			assert_int_equal(p[j], 0);
		xfree(p);
	}
	expect_all_returned();
}

static void test_too_large(void **state)
{
	assert_null(xmalloc(SIZE_MAX));
	assert_null(xmalloc(SIZE_MAX - 15));
	assert_null(xzalloc(SIZE_MAX - 4095));
	assert_null(xmalloc((PAGE_SIZE << PAGE_ORDER_MAX) + 1));
	/* Possible in principle, but more than this arena holds. */
	assert_null(xmalloc(PAGE_SIZE << PAGE_ORDER_MAX));
	expect_all_returned();
}

static void test_exhaustion(void **state)
{
	enum { MAX = (ARENA_SIZE / 64) + 1 };
	void **p = calloc(MAX, sizeof(*p));
	unsigned int n = 0;

	assert_non_null(p);
	while ((p[n] = xmalloc(64)))
		n++;
	assert_true(n > 0 && n < MAX);
	assert_true(page_alloc_free_bytes() < PAGE_SIZE);
	assert_null(xmalloc(5000));
	while (n > 0)
		xfree(p[--n]);
	expect_all_returned();
	free(p);
}

static void test_bad_frees(void **state)
{
	static char foreign[3 * 4096];
	char *small = xmalloc(100);
	char *large = xmalloc(3 * 4096);
	char *pages = alloc_pages(0);
	char *f = (char *)align_up((uintptr_t)foreign, PAGE_SIZE);
	char *other;

	assert_true(EXPECT_PANIC(xfree(small + 8)));
	expect_panic_msg("not the start of an object");
	assert_true(EXPECT_PANIC(xfree(small - 64)));
	expect_panic_msg("not the start of an object");
	assert_true(EXPECT_PANIC(xfree(large + 16)));
	expect_panic_msg("inside a large allocation");
	assert_true(EXPECT_PANIC(xfree(large + PAGE_SIZE)));
	expect_panic_msg("not from xmalloc");
	assert_true(EXPECT_PANIC(xfree(f + 64)));
	expect_panic_msg("not from xmalloc");
	assert_true(EXPECT_PANIC(xfree(pages)));
	expect_panic_msg("not from xmalloc");
	assert_true(EXPECT_PANIC(free_pages(large, 2)));
	expect_panic_msg("allocated by xmalloc");

	/*
	 * Nothing was harmed by the attempts. A double free is named as such
	 * while the slab lives on, here thanks to @other.
	 */
	other = xmalloc(100);
	xfree(small);
	assert_true(EXPECT_PANIC(xfree(small)));
	expect_panic_msg("double free");
	xfree(other);
	assert_true(EXPECT_PANIC(xfree(other)));
	expect_panic_msg("or freed already");
	xfree(large);
	assert_true(EXPECT_PANIC(xfree(large)));
	expect_panic_msg("or freed already");
	free_pages(pages, 0);
	expect_all_returned();
}

/* The last object of a slab whose size leaves a gap before the page end. */
static void test_slab_tail(void **state)
{
	void *p[15];
	unsigned int i;
	char *page;

	/* 256-byte objects: 15 fit after the 64-byte header, 192 bytes stay. */
	for (i = 0; i < 15; i++)
		p[i] = xmalloc(256);
	page = (char *)align_down((uintptr_t)p[0], PAGE_SIZE);
	for (i = 1; i < 15; i++)
		assert_ptr_equal(align_down((uintptr_t)p[i], PAGE_SIZE), page);
	assert_true(EXPECT_PANIC(xfree(page + 64 + 15 * 256)));
	expect_panic_msg("past the last object");
	for (i = 0; i < 15; i++)
		xfree(p[i]);
	expect_all_returned();
}

static void test_random_stress(void **state)
{
	enum { MAX_HELD = 1024, ROUNDS = 30000 };
	struct {
		void *p;
		size_t size;
		unsigned int seed;
	} *held = calloc(MAX_HELD, sizeof(*held));
	unsigned int n = 0, round;

	assert_non_null(held);
	srand(99);
	for (round = 0; round < ROUNDS; round++) {
		if (n == 0 || (n < MAX_HELD && rand() % 2)) {
			size_t size = rand() % 8 ? (size_t)rand() % 2100
						 : (size_t)rand() % 40000;

			held[n].p = xmalloc(size);
			assert_non_null(held[n].p);
			held[n].size = size;
			held[n].seed = round;
			fill(held[n].p, size, round);
			n++;
		} else {
			unsigned int i = (unsigned int)rand() % n;

			check(held[i].p, held[i].size, held[i].seed);
			xfree(held[i].p);
			held[i] = held[--n];
		}
	}
	while (n > 0) {
		n--;
		check(held[n].p, held[n].size, held[n].seed);
		xfree(held[n].p);
	}
	expect_all_returned();
	free(held);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_every_size, setup),
		cmocka_unit_test_setup(test_many_objects, setup),
		cmocka_unit_test_setup(test_large, setup),
		cmocka_unit_test_setup(test_reuse, setup),
		cmocka_unit_test_setup(test_zero_size, setup),
		cmocka_unit_test_setup(test_xzalloc, setup),
		cmocka_unit_test_setup(test_too_large, setup),
		cmocka_unit_test_setup(test_exhaustion, setup),
		cmocka_unit_test_setup(test_bad_frees, setup),
		cmocka_unit_test_setup(test_slab_tail, setup),
		cmocka_unit_test_setup(test_random_stress, setup),
	};

	return cmocka_run_group_tests_name("heap", tests, setup_group,
					   teardown_group);
}
