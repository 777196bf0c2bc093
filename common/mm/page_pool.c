// SPDX-License-Identifier: MIT
/*
 * Bounded page pools (<orchid/page_pool.h>). Free pages are kept on a
 * list threaded through their own first word, so the pool needs no memory
 * of its own besides struct page_pool.
 */
#include <orchid/errno.h>
#include <orchid/mm.h>
#include <orchid/page_pool.h>
#include <orchid/panic.h>

static void pool_push(struct page_pool *pool, void *page)
{
	*(void **)page = pool->free;
	pool->free = page;
	pool->nr_free++;
}

static void *pool_pop(struct page_pool *pool)
{
	void *page = pool->free;

	if (!page)
		return NULL;
	pool->free = *(void **)page;
	pool->nr_free--;
	return page;
}

void page_pool_init(struct page_pool *pool, bool from_heap)
{
	*pool = (struct page_pool){.from_heap = from_heap};
	spin_lock_init(&pool->lock);
}

/* One step of a resize, under the lock: 1 progress, 0 done, <0 stuck. */
static int pool_resize_step(struct page_pool *pool, uint64_t pages)
{
	void *page;

	if (pool->total < pages) {
		page = alloc_page();
		if (!page)
			return -ENOMEM; /* the host is out: keep what we got */
		pool_push(pool, page);
		pool->total++;
		return 1;
	}
	if (pool->total > pages) {
		page = pool_pop(pool);
		if (!page)
			return -ENOMEM; /* the rest is in use */
		free_page(page);
		pool->total--;
		return 1;
	}
	return 0;
}

/*
 * Xen grows and shrinks with preemption and -ERESTART continuations;
 * Orchid does not preempt hypercalls, so a resize runs to its end.
 */
int page_pool_resize(struct page_pool *pool, uint64_t pages)
{
	int ret;

	spin_lock(&pool->lock);
	do
		ret = pool_resize_step(pool, pages);
	while (ret > 0);
	spin_unlock(&pool->lock);
	return ret;
}

uint64_t page_pool_size(struct page_pool *pool)
{
	uint64_t total;

	spin_lock(&pool->lock);
	total = pool->total;
	spin_unlock(&pool->lock);
	return total;
}

uint64_t page_pool_in_use(struct page_pool *pool)
{
	uint64_t n;

	spin_lock(&pool->lock);
	n = pool->total - pool->nr_free + pool->borrowed;
	spin_unlock(&pool->lock);
	return n;
}

void *page_pool_alloc(struct page_pool *pool)
{
	void *page;

	spin_lock(&pool->lock);
	page = pool_pop(pool);
	if (!page && pool->from_heap) {
		page = alloc_page();
		if (page)
			pool->borrowed++;
	}
	spin_unlock(&pool->lock);
	return page;
}

/*
 * Pages are alike, so whichever page comes back first repays a borrowed
 * one: the pool never holds more than its size.
 */
void page_pool_free(struct page_pool *pool, void *page)
{
	spin_lock(&pool->lock);
	if (pool->borrowed) {
		pool->borrowed--;
		free_page(page);
	} else {
		BUG_ON(pool->nr_free >= pool->total);
		pool_push(pool, page);
	}
	spin_unlock(&pool->lock);
}

void page_pool_destroy(struct page_pool *pool)
{
	void *page;

	spin_lock(&pool->lock);
	BUG_ON(pool->borrowed || pool->nr_free != pool->total);
	while ((page = pool_pop(pool)))
		free_page(page);
	pool->total = 0;
	spin_unlock(&pool->lock);
}
