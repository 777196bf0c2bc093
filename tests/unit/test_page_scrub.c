/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of deferred scrubbing in common/mm/page_alloc.c: memory freed
 * with a domain's data (free_pages_dirty) counts as free at once, is
 * scrubbed in bounded chunks by page_scrub_idle or on demand by
 * alloc_pages, and no byte of it ever comes out of alloc_pages unscrubbed.
 * Host memory from mmap stands in for RAM, as in test_page_alloc.c.
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
#include <orchid/mm.h>

#include "../../common/mm/page_alloc.h"
#include "printk_stub.h"

#pragma GCC diagnostic ignored "-Wclobbered" /* see test_page_alloc.c */

#define MiB	 (1ULL << 20)
#define GUEST	 0xd5		  /* a dead domain's data */
#define ORCHID	 0x3c		  /* Orchid's own data: need not be scrubbed */
#define CHUNK	 (32 * PAGE_SIZE) /* page_alloc.c's SCRUB_CHUNK_ORDER */
#define MAX_BLKS 4096

static char *arena_map;
static size_t arena_len;
static char *ram;

/* @size bytes of RAM aligned to @size, given to the allocator. */
static char *add_ram(uint64_t size)
{
	arena_len = 2 * size;
	arena_map = mmap(NULL, arena_len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	assert_true(arena_map != MAP_FAILED);
	ram = (char *)align_up((uintptr_t)arena_map, size);
	page_alloc_add_range(arch_va_to_pa(ram), size);
	return ram;
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

/*
 * Does any word of [p, p + len) still hold a dead domain's data? Words,
 * not bytes: a free block's list node (a pointer, never all GUEST bytes)
 * may stay in memory the allocator hands out, and that is Orchid's.
 */
static bool has_guest_data(const void *p, size_t len)
{
	const uint64_t *w = p;

	for (size_t i = 0; i < len / sizeof(*w); i++)
		if (w[i] == GUEST * 0x0101010101010101ULL)
			return true;
	return false;
}

/* Free a block a domain filled with its data, the way domain death does. */
static void free_guest(void *p, unsigned int order)
{
	memset(p, GUEST, PAGE_SIZE << order);
	free_pages_dirty(p, order);
}

struct blk {
	void *p;
	unsigned int order;
};

/* Allocate all memory in blocks of @order; the number of blocks. */
static unsigned int take_all(struct blk *b, unsigned int order)
{
	unsigned int n = 0;
	void *p;

	while (n < MAX_BLKS && (p = alloc_pages(order)))
		b[n++] = (struct blk){p, order};
	assert_true(n < MAX_BLKS);
	return n;
}

/*
 * A domain owned all of RAM and died: every page counts as free at once,
 * and whatever order the next user asks for, it gets zeros.
 */
static void test_dead_domain_memory_comes_back_zeroed(void **state)
{
	static struct blk b[MAX_BLKS];
	uint64_t total;
	unsigned int n;

	add_ram(8 * MiB);
	total = page_alloc_total_bytes();
	n = take_all(b, 0);
	assert_int_equal(page_alloc_free_bytes(), 0);
	for (unsigned int i = 0; i < n; i++)
		free_guest(b[i].p, 0);
	/* Xen's free_memory: dirty pages are free. */
	assert_int_equal(page_alloc_free_bytes(), total);
	assert_int_equal(page_alloc_dirty_bytes(), total);
	assert_true(page_scrub_pending());

	/* Dirty buddies merged: large blocks come out, scrubbed on demand. */
	for (int order = 9; order >= 0; order -= 3) {
		void *p;

		while ((p = alloc_pages((unsigned int)order)))
			assert_false(has_guest_data(p, PAGE_SIZE << order));
	}
	assert_int_equal(page_alloc_free_bytes(), 0);
	assert_int_equal(page_alloc_dirty_bytes(), 0);
	assert_false(page_scrub_pending());
}

/*
 * Clean memory goes first, so a destroy followed by a create scrubs
 * nothing in the create while clean memory is left; then dirty memory,
 * scrubbed. No block ever shows the dead domain's bytes.
 */
static void test_clean_first_never_dirty(void **state)
{
	static struct blk b[MAX_BLKS];
	unsigned int n, clean = 0;
	uint64_t dirty;
	void *p;

	add_ram(4 * MiB);
	n = take_all(b, 2);
	for (unsigned int i = 0; i < n; i++) {
		if (i % 3) {
			free_guest(b[i].p, 2);
			continue;
		}
		memset(b[i].p, ORCHID, 4 * PAGE_SIZE);
		free_pages(b[i].p, 2);
		clean++;
	}
	dirty = page_alloc_dirty_bytes();
	assert_int_equal(dirty, (uint64_t)(n - clean) * 4 * PAGE_SIZE);
	for (unsigned int i = 0; i < clean; i++) {
		p = alloc_pages(0);
		assert_non_null(p);
		assert_false(has_guest_data(p, PAGE_SIZE));
	}
	assert_int_equal(page_alloc_dirty_bytes(), dirty); /* none scrubbed */
	while ((p = alloc_pages(0)))
		assert_false(has_guest_data(p, PAGE_SIZE));
	assert_int_equal(page_alloc_dirty_bytes(), 0);
}

/*
 * The idle loop's share: at most one chunk per call, the pages counted
 * free all along, and once all is scrubbed the chunks merge back into the
 * block they came from.
 */
static void test_idle_scrub_bounded_chunks(void **state)
{
	uint64_t free_before, dirty, calls = 0;
	void *p;

	add_ram(8 * MiB);
	p = alloc_pages(9);
	assert_non_null(p);
	free_before = page_alloc_free_bytes();
	free_guest(p, 9);
	assert_int_equal(page_alloc_free_bytes(), free_before + 2 * MiB);
	dirty = page_alloc_dirty_bytes();
	assert_int_equal(dirty, 2 * MiB);
	while (page_scrub_idle()) {
		uint64_t now = page_alloc_dirty_bytes();

		assert_true(dirty - now <= CHUNK && now < dirty);
		assert_int_equal(page_alloc_free_bytes(),
				 free_before + 2 * MiB);
		dirty = now;
		calls++;
	}
	assert_int_equal(calls, 2 * MiB / CHUNK);
	assert_false(page_scrub_pending());
	assert_false(has_guest_data(p, 2 * MiB));
	/* Merged back: the same 2 MiB block is there to be had, clean. */
	assert_ptr_equal(alloc_pages(9), p);
}

/*
 * A dirty block and its clean buddy do not merge (that would scrub clean
 * memory again), so no block of their joint order exists; asking for one
 * scrubs the dirty half on the spot and hands out the merged block.
 */
static void test_split_clean_dirty_buddies(void **state)
{
	struct blk b[MAX_BLKS];
	char *lo = NULL, *hi;
	unsigned int n;

	add_ram(4 * MiB);
	n = take_all(b, 8);
	/* Two buddies: the first 2 MiB of RAM, in two halves. */
	for (unsigned int i = 0; i < n; i++)
		if (b[i].p == ram)
			lo = ram;
	assert_non_null(lo);
	hi = lo + (PAGE_SIZE << 8);
	free_pages(lo, 8);
	free_guest(hi, 8);
	assert_null(alloc_pages(10)); /* nothing that large, dirty or not */
	assert_ptr_equal(alloc_pages(9), lo);
	assert_false(has_guest_data(hi, PAGE_SIZE << 8));
	assert_int_equal(page_alloc_dirty_bytes(), 0);
}

/* Freeing a dirty block twice is caught as any double free is. */
static void test_dirty_double_free(void **state)
{
	void *p;

	add_ram(1 * MiB);
	p = alloc_pages(1);
	free_guest(p, 1);
	assert_true(EXPECT_PANIC(free_pages_dirty(p, 1)));
	assert_non_null(strstr(fake_panic_msg, "double free"));
	page_alloc_reset();
	munmap(arena_map, arena_len);
	add_ram(1 * MiB);
	p = alloc_pages(1);
	free_pages(p, 1);
	assert_true(EXPECT_PANIC(free_pages_dirty(p, 1)));
	assert_non_null(strstr(fake_panic_msg, "double free"));
}

/*
 * Random allocations, clean and dirty frees and idle scrubs: no block ever
 * holds a dead domain's byte, and the free count always adds up.
 */
static void test_random_never_dirty(void **state)
{
	static struct blk live[MAX_BLKS];
	unsigned int n = 0;
	uint64_t total, used = 0;

	add_ram(8 * MiB);
	total = page_alloc_total_bytes();
	srand(13);
	for (unsigned int step = 0; step < 20000; step++) {
		unsigned int r = (unsigned int)rand();

		if (r % 7 == 0) {
			page_scrub_idle();
		} else if (r % 2 && n < MAX_BLKS) {
			unsigned int order = r / 7 % 6;
			void *p = alloc_pages(order);

			if (!p)
				continue;
			assert_false(has_guest_data(p, PAGE_SIZE << order));
			live[n++] = (struct blk){p, order};
			used += PAGE_SIZE << live[n - 1].order;
		} else if (n) {
			unsigned int i = r / 2 % n;

			used -= PAGE_SIZE << live[i].order;
			if (r & 4) {
				free_guest(live[i].p, live[i].order);
			} else {
				memset(live[i].p, ORCHID,
				       PAGE_SIZE << live[i].order);
				free_pages(live[i].p, live[i].order);
			}
			live[i] = live[--n];
		}
		assert_int_equal(page_alloc_free_bytes() + used, total);
	}
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_dead_domain_memory_comes_back_zeroed),
		T(test_clean_first_never_dirty),
		T(test_idle_scrub_bounded_chunks),
		T(test_split_clean_dirty_buddies),
		T(test_dirty_double_free),
		T(test_random_never_dirty),
	};

	return cmocka_run_group_tests_name("page_scrub", tests, NULL, NULL);
}
