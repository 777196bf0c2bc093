/* SPDX-License-Identifier: MIT */
#ifndef ORCHID_MM_H
#define ORCHID_MM_H

#include <orchid/types.h>

/* A physical range [base, base + size). */
struct mem_region {
	paddr_t base;
	uint64_t size;
};

static inline paddr_t mem_region_end(const struct mem_region *r)
{
	return pa_add(r->base, r->size);
}

/*
 * A small sorted set of disjoint physical ranges. Boot code builds RAM minus
 * every reserved range with it before handing memory to the page allocator.
 */
#define RANGE_SET_MAX 64
struct range_set {
	struct mem_region r[RANGE_SET_MAX];
	unsigned int n;
};

/* Add a range, merging neighbours; false if the set is full. */
bool range_set_add(struct range_set *set, paddr_t base, uint64_t size);
/* Remove a range, splitting where needed; false if the set is full. */
bool range_set_remove(struct range_set *set, paddr_t base, uint64_t size);
bool range_set_overlaps(const struct range_set *set, paddr_t base,
			uint64_t size);

/* Page allocator (buddy) over the RAM given with page_alloc_add_range. */
#define PAGE_ORDER_MAX 18 /* 1 GiB blocks */
void page_alloc_add_range(paddr_t base, uint64_t size);
void *alloc_pages(unsigned int order); /* NULL when exhausted */
void free_pages(void *va, unsigned int order);
uint64_t page_alloc_free_bytes(void); /* dirty pages included, as Xen's */
uint64_t page_alloc_total_bytes(void);

/*
 * Deferred scrubbing. A domain's memory is freed dirty: it counts as free at
 * once, and is zeroed before any page of it is handed out again -- by
 * page_scrub_idle, which the idle loop of each pCPU calls (one bounded
 * chunk per call; false when nothing was left to scrub), or by alloc_pages
 * when no clean block is left.
 */
void free_pages_dirty(void *va, unsigned int order);
bool page_scrub_pending(void);
bool page_scrub_idle(void);
uint64_t page_alloc_dirty_bytes(void);

static inline void *alloc_page(void)
{
	return alloc_pages(0);
}

static inline void free_page(void *va)
{
	free_pages(va, 0);
}

/* Small objects, 16-byte aligned; large ones come from whole pages. */
void *xmalloc(size_t size);
void *xzalloc(size_t size);
void xfree(void *p);

/* Map a device's registers (Device-nGnRE, never executable). */
void *ioremap(paddr_t pa, uint64_t size);

#endif /* ORCHID_MM_H */
