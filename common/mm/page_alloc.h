/* SPDX-License-Identifier: MIT */
/*
 * What the heap needs from the page allocator beyond <orchid/mm.h>. The page
 * allocator's frame table records who asked for each block, so xfree can
 * tell a slab page from a large allocation, and either from a pointer it never
 * handed out, without reading anything a caller could have written; and
 * free_pages rejects heap memory (and xfree page-allocator memory).
 */
#ifndef COMMON_PAGE_ALLOC_H
#define COMMON_PAGE_ALLOC_H

#include <orchid/mm.h>

enum page_owner {
	PAGE_OWNER_NONE,  /* not the start of an allocated block */
	PAGE_OWNER_PAGES, /* alloc_pages */
	PAGE_OWNER_SLAB,  /* a page of small heap objects */
	PAGE_OWNER_HEAP,  /* a large xmalloc allocation */
};

/* alloc_pages/free_pages for @owner; a free by the wrong owner panics. */
void *page_alloc_owned(unsigned int order, enum page_owner owner);
void page_free_owned(void *va, unsigned int order, enum page_owner owner);

/*
 * Who allocated the block that starts at @va, and its order; NONE when @va
 * is not the first byte of an allocated block. The answer is only stable
 * while the caller keeps the block from being freed.
 */
enum page_owner page_alloc_owner(const void *va, unsigned int *order);

#ifdef HOST_TEST
/* Forget every range and unlock, so each unit test starts afresh. */
void page_alloc_reset(void);
void heap_reset(void);
#endif

#endif /* COMMON_PAGE_ALLOC_H */
