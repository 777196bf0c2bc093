/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of common/mm/page_alloc.c. Host memory from mmap stands in for
 * RAM: the fake arch maps "physical" addresses 1:1 to host pointers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include <asm/fake.h>
#include <orchid/arch.h>
#include <orchid/list.h>
#include <orchid/mm.h>

#include "../../common/mm/page_alloc.h"
#include "printk_stub.h"

/*
 * EXPECT_PANIC's result flag is only written after the longjmp returns, so
 * it cannot be clobbered, but GCC cannot tell.
 */
#pragma GCC diagnostic ignored "-Wclobbered"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

/* A reservation of host address space, handed out in aligned pieces. */
static char *arena_map;
static size_t arena_len;

/* @size bytes of fresh host memory aligned to @align, as "RAM". */
static char *arena_get(uint64_t size, uint64_t align)
{
	char *p;

	arena_len = size + align;
	arena_map = mmap(NULL, arena_len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	assert_true(arena_map != MAP_FAILED);
	p = (char *)align_up((uintptr_t)arena_map, align);
	return p;
}

static int setup(void **state)
{
	page_alloc_reset();
	arena_map = NULL;
	return 0;
}

static int teardown(void **state)
{
	page_alloc_reset();
	if (arena_map)
		munmap(arena_map, arena_len);
	return 0;
}

static void add_range(const void *base, uint64_t size)
{
	page_alloc_add_range(arch_va_to_pa(base), size);
}

/* Pages of frame table a range of @pages pages keeps (page_alloc.c). */
static uint64_t meta_pages(uint64_t pages)
{
	return (pages + PAGE_SIZE) / (PAGE_SIZE + 1);
}

static bool is_block_aligned(const void *p, unsigned int order)
{
	return is_aligned((uintptr_t)p, PAGE_SIZE << order);
}

static void test_empty(void **state)
{
	assert_null(alloc_pages(0));
	assert_int_equal(page_alloc_free_bytes(), 0);
	assert_int_equal(page_alloc_total_bytes(), 0);
	free_pages(NULL, 0); /* no-op */
}

static void test_unaligned_range(void **state)
{
	char *a = arena_get(1 * MiB, PAGE_SIZE);
	char *p;

	/* 64 pages plus odd bytes, starting 123 bytes into a page. */
	add_range(a + 123, 64 * PAGE_SIZE + 1000);
	/* Whole pages: a+4K .. a+64K, 63 of them, one holding the table. */
	assert_int_equal(page_alloc_total_bytes(), 62 * PAGE_SIZE);
	assert_int_equal(page_alloc_free_bytes(), 62 * PAGE_SIZE);
	while ((p = alloc_pages(0))) {
		assert_true(p >= a + PAGE_SIZE);
		assert_true(p < a + 63 * PAGE_SIZE);
		memset(p, 0xa5, PAGE_SIZE);
	}
	assert_int_equal(page_alloc_free_bytes(), 0);
}

static void test_tiny_ranges_ignored(void **state)
{
	char *a = arena_get(1 * MiB, PAGE_SIZE);

	printk_stub_count = 0;
	add_range(a + 100, PAGE_SIZE);		 /* no whole page */
	add_range(a + 2 * PAGE_SIZE, PAGE_SIZE); /* one page: no room */
	add_range(a + 4 * PAGE_SIZE, 0);	 /* nothing, silently */
	assert_int_equal(page_alloc_total_bytes(), 0);
	assert_int_equal(printk_stub_count, 2);
	assert_non_null(strstr(printk_stub_last, "ignoring"));
	/* Two pages: one for the table, one to hand out. */
	add_range(a + 8 * PAGE_SIZE, 2 * PAGE_SIZE);
	assert_int_equal(page_alloc_total_bytes(), PAGE_SIZE);
	assert_ptr_equal(alloc_pages(0), a + 8 * PAGE_SIZE);
	assert_null(alloc_pages(0));
}

static void test_overlapping_range_panics(void **state)
{
	char *a = arena_get(1 * MiB, PAGE_SIZE);

	add_range(a, 16 * PAGE_SIZE);
	/* The frame table's pages count as taken too. */
	assert_true(EXPECT_PANIC(add_range(a + 15 * PAGE_SIZE, 4 * PAGE_SIZE)));
	assert_non_null(strstr(fake_panic_msg, "overlaps"));
}

static void test_exhaustion(void **state)
{
	char *a = arena_get(4 * MiB, PAGE_SIZE);
	uint64_t total, count = 0;
	void *p, *last = NULL;

	add_range(a, 4 * MiB);
	total = page_alloc_total_bytes() / PAGE_SIZE;
	assert_int_equal(total, 1024 - meta_pages(1024));
	while ((p = alloc_pages(0))) {
		last = p;
		count++;
	}
	assert_int_equal(count, total);
	assert_null(alloc_pages(0));
	assert_null(alloc_pages(3));
	free_pages(last, 0);
	assert_ptr_equal(alloc_pages(0), last);
	assert_null(alloc_pages(PAGE_ORDER_MAX + 1));
}

static void test_every_order(void **state)
{
	/* 2 GiB aligned to 1 GiB: the first GiB is one order-18 block. */
	char *a = arena_get(2 * GiB, GiB);
	uint64_t start;
	unsigned int order;

	add_range(a, 2 * GiB);
	start = page_alloc_free_bytes();
	for (order = 0; order <= PAGE_ORDER_MAX; order++) {
		char *p = alloc_pages(order);
		uint64_t size = PAGE_SIZE << order;

		assert_non_null(p);
		assert_true(is_block_aligned(p, order));
		assert_true(p >= a && p + size <= a + 2 * GiB);
		assert_int_equal(page_alloc_free_bytes(), start - size);
		p[0] = 1;
		p[size - 1] = 2;
		free_pages(p, order);
		assert_int_equal(page_alloc_free_bytes(), start);
	}
	assert_null(alloc_pages(PAGE_ORDER_MAX + 1));
	/* Only one GiB block exists; the table sits in the other GiB. */
	assert_ptr_equal(alloc_pages(PAGE_ORDER_MAX), a);
	assert_null(alloc_pages(PAGE_ORDER_MAX));
}

static void shuffle(void **v, size_t n)
{
	size_t i;

	for (i = n - 1; i > 0; i--) {
		size_t j = (size_t)rand() % (i + 1);
		void *t = v[i];

		v[i] = v[j];
		v[j] = t;
	}
}

static void test_coalesce_random_order(void **state)
{
	/* 4096 pages plus one for the table: exactly one order-12 block. */
	const uint64_t pages = 4096;
	char *a = arena_get((pages + 1) * PAGE_SIZE, PAGE_SIZE << 12);
	void **v = calloc(pages, sizeof(*v));
	unsigned int round;
	uint64_t i;

	assert_non_null(v);
	add_range(a, (pages + 1) * PAGE_SIZE);
	assert_int_equal(page_alloc_total_bytes(), pages * PAGE_SIZE);
	srand(42);
	for (round = 0; round < 4; round++) {
		for (i = 0; i < pages; i++)
			assert_non_null(v[i] = alloc_pages(0));
		assert_null(alloc_pages(0));
		shuffle(v, pages);
		for (i = 0; i < pages; i++)
			free_pages(v[i], 0);
		assert_int_equal(page_alloc_free_bytes(), pages * PAGE_SIZE);
		/* Everything merged back into the single largest block. */
		assert_ptr_equal(v[0] = alloc_pages(12), a);
		free_pages(v[0], 12);
	}
	free(v);
}

/* A block the stress test holds, filled with a pattern of its own. */
struct held {
	u64 *p;
	unsigned int order;
	u64 tag;
};

static void pattern_fill(const struct held *h)
{
	size_t i, n = (PAGE_SIZE << h->order) / sizeof(u64);

	for (i = 0; i < n; i++)
		h->p[i] = h->tag ^ i;
}

static void pattern_check(const struct held *h)
{
	size_t i, n = (PAGE_SIZE << h->order) / sizeof(u64);

	for (i = 0; i < n; i++) {
		if (h->p[i] != (h->tag ^ i))
			fail_msg("block %p order %u overwritten at word %zu",
				 (void *)h->p, h->order, i);
	}
}

static void test_random_stress(void **state)
{
	enum { MAX_HELD = 512, ROUNDS = 20000 };
	/* Unaligned on purpose, in two ranges. */
	char *a = arena_get(48 * MiB, PAGE_SIZE);
	struct held *held = calloc(MAX_HELD, sizeof(*held));
	unsigned int n = 0, round;
	uint64_t start, used = 0;

	assert_non_null(held);
	add_range(a + 3 * PAGE_SIZE + 17, 20 * MiB);
	add_range(a + 24 * MiB + 5 * PAGE_SIZE, 23 * MiB);
	start = page_alloc_free_bytes();
	assert_int_equal(start, page_alloc_total_bytes());
	srand(7);
	for (round = 0; round < ROUNDS; round++) {
		bool do_alloc = n == 0 || (n < MAX_HELD && rand() % 2);

		if (do_alloc) {
			struct held h = {.order = (unsigned int)rand() % 6,
					 .tag = (u64)rand() << 32 | round};

			h.p = alloc_pages(h.order);
			if (!h.p)
				continue; /* fragmented: fine, try again */
			assert_true(is_block_aligned(h.p, h.order));
			pattern_fill(&h);
			held[n++] = h;
			used += PAGE_SIZE << h.order;
		} else {
			unsigned int i = (unsigned int)rand() % n;

			pattern_check(&held[i]);
			free_pages(held[i].p, held[i].order);
			used -= PAGE_SIZE << held[i].order;
			held[i] = held[--n];
		}
		assert_int_equal(page_alloc_free_bytes(), start - used);
	}
	while (n > 0) {
		pattern_check(&held[--n]);
		free_pages(held[n].p, held[n].order);
	}
	assert_int_equal(page_alloc_free_bytes(), start);
	/* Fragmentation is gone: the largest blocks are whole again. */
	assert_non_null(alloc_pages(11));
	free(held);
}

/*
 * A fresh allocator over a 1 MiB-aligned 1 MiB range, for one bad free each:
 * a panic inside the allocator leaves its lock held.
 */
static char *fresh(void)
{
	static char *a;

	if (!arena_map)
		a = arena_get(1 * MiB, 1 * MiB);
	page_alloc_reset();
	add_range(a, 1 * MiB);
	return a;
}

static void expect_free_panics(void *p, unsigned int order, const char *msg)
{
	assert_true(EXPECT_PANIC(free_pages(p, order)));
	if (!strstr(fake_panic_msg, msg))
		fail_msg("panic message \"%s\" lacks \"%s\"", fake_panic_msg,
			 msg);
}

static void test_double_free(void **state)
{
	char *a, *p;

	fresh();
	p = alloc_pages(3);
	free_pages(p, 3);
	expect_free_panics(p, 3, "double free");

	/*
	 * With every page allocated, free the buddies a and a + 4K: they merge
	 * into one order-1 block, so a second free of either is caught, the
	 * first as a free block, the second as a page inside one.
	 */
	a = fresh();
	while (alloc_pages(0))
		;
	free_pages(a, 0);
	free_pages(a + PAGE_SIZE, 0);
	assert_int_equal(page_alloc_free_bytes(), 2 * PAGE_SIZE);
	assert_ptr_equal(p = alloc_pages(1), a);
	free_pages(p, 1);
	expect_free_panics(a, 0, "double free");
	expect_free_panics(a + PAGE_SIZE, 0, "not the start of a block");
}

static void test_bad_pointers(void **state)
{
	static char foreign[3 * PAGE_SIZE];
	char *a, *p;

	a = fresh();
	p = alloc_pages(2);
	expect_free_panics(p + 1, 2, "not page-aligned");
	expect_free_panics(p, PAGE_ORDER_MAX + 1, "order");
	expect_free_panics(p, 1,
			   "order 1: allocated with another order (frame state "
			   "2, order 2)");

	fresh();
	p = alloc_pages(2);
	expect_free_panics(p + PAGE_SIZE, 0, "not the start of a block");

	fresh();
	expect_free_panics((void *)align_up((uintptr_t)foreign, PAGE_SIZE), 0,
			   "never handed out");

	/* The frame table is the range's last page: never handed out. */
	fresh();
	expect_free_panics(a + 1 * MiB - PAGE_SIZE, 0, "never handed out");
}

static void test_owners_kept_apart(void **state)
{
	unsigned int order;
	char *p;

	fresh();
	p = page_alloc_owned(1, PAGE_OWNER_HEAP);
	assert_int_equal(page_alloc_owner(p, &order), PAGE_OWNER_HEAP);
	assert_int_equal(order, 1);
	assert_int_equal(page_alloc_owner(p + PAGE_SIZE, &order),
			 PAGE_OWNER_NONE);
	expect_free_panics(p, 1, "allocated by xmalloc");

	fresh();
	p = alloc_pages(0);
	assert_int_equal(page_alloc_owner(p, &order), PAGE_OWNER_PAGES);
	assert_int_equal(page_alloc_owner(p + 16, &order), PAGE_OWNER_NONE);
	free_pages(p, 0);
	assert_int_equal(page_alloc_owner(p, &order), PAGE_OWNER_NONE);
	p = alloc_pages(0);
	assert_true(EXPECT_PANIC(page_free_owned(p, 0, PAGE_OWNER_SLAB)));
	assert_non_null(strstr(fake_panic_msg, "allocated by alloc_pages"));
}

static void test_too_many_ranges(void **state)
{
	char *a = arena_get((RANGE_SET_MAX + 1) * 3 * PAGE_SIZE, PAGE_SIZE);
	unsigned int i;

	printk_stub_count = 0;
	for (i = 0; i <= RANGE_SET_MAX; i++)
		add_range(a + i * 3 * PAGE_SIZE, 2 * PAGE_SIZE);
	assert_int_equal(page_alloc_total_bytes(), RANGE_SET_MAX * PAGE_SIZE);
	assert_int_equal(printk_stub_count, 1);
	assert_non_null(strstr(printk_stub_last, "too many ranges"));
	/* Blocks never span ranges, even adjacent ones. */
	assert_null(alloc_pages(1));
}

static void test_write_after_free(void **state)
{
	struct list_head bogus = {NULL, NULL};
	struct list_head *node;

	fresh();
	node = alloc_pages(3);
	free_pages(node, 3);
	/* The caller kept a stale pointer and wrote through it. */
	node->next = &bogus;
	assert_true(EXPECT_PANIC(alloc_pages(3)));
	assert_non_null(strstr(fake_panic_msg, "free list corrupted"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unaligned_range, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tiny_ranges_ignored, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_overlapping_range_panics,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_exhaustion, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_every_order, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_coalesce_random_order,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_stress, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_double_free, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_pointers, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_owners_kept_apart, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_too_many_ranges, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_write_after_free, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("page_alloc", tests, NULL, NULL);
}
