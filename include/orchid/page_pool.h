/* SPDX-License-Identifier: MIT */
/*
 * A bounded pool of pages: each domain's stage-2 tables come from one, so
 * the memory a guest can make Orchid spend on its tables is what the
 * toolstack gave it (XEN_DOMCTL_set_paging_mempool_size), never the host's.
 * Xen 4.17 keeps the same pool as d->arch.paging (xen/arch/arm/p2m.c).
 *
 * The pool's size is the pages it holds, free or handed out. Handing out
 * never allocates: an empty pool is -ENOMEM for its owner alone. The one
 * exception is a pool made with @from_heap (the hardware domain's, as
 * Xen's p2m_alloc_page does for it): when empty it takes pages from the
 * page allocator, and gives them back when they are freed.
 *
 * Every function takes the pool's own lock, so it may be called under the
 * owner's locks (the p2m lock); no other lock is taken inside it but the
 * page allocator's.
 */
#ifndef ORCHID_PAGE_POOL_H
#define ORCHID_PAGE_POOL_H

#include <orchid/spinlock.h>
#include <orchid/types.h>

struct page_pool {
	spinlock_t lock;
	void *free;	   /* free pages, each holding the next one's VA */
	uint64_t nr_free;  /* pages on @free */
	uint64_t total;	   /* the pool's size: free + handed out */
	uint64_t borrowed; /* handed out beyond @total (@from_heap only) */
	bool from_heap;	   /* empty: fall back to the page allocator */
};

/* An empty pool (size 0). */
void page_pool_init(struct page_pool *pool, bool from_heap);

/*
 * Grow or shrink the pool to @pages, as Xen's p2m_set_allocation: growing
 * takes pages from the page allocator and keeps what it got if the host
 * runs out (-ENOMEM); shrinking frees only free pages, so a size below what
 * is handed out frees every free page and fails with -ENOMEM. 0 or -ENOMEM.
 */
int page_pool_resize(struct page_pool *pool, uint64_t pages);

/* The pool's size in pages (what XEN_DOMCTL_get_paging_mempool_size says). */
uint64_t page_pool_size(struct page_pool *pool);

/* Pages handed out and not yet freed. */
uint64_t page_pool_in_use(struct page_pool *pool);

/* A page (contents undefined), or NULL when the pool is empty. */
void *page_pool_alloc(struct page_pool *pool);

/* Give back a page from page_pool_alloc. */
void page_pool_free(struct page_pool *pool, void *page);

/*
 * Free every page to the page allocator; the pool is then empty. Every
 * page handed out must have come back (a leak is a hypervisor bug).
 */
void page_pool_destroy(struct page_pool *pool);

#endif /* ORCHID_PAGE_POOL_H */
