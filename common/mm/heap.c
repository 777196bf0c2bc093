/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor heap: xmalloc, xzalloc, xfree.
 *
 * Small requests (up to SLAB_OBJ_MAX bytes) come from slabs: single pages
 * that start with a struct slab header followed by equal-sized objects of
 * one size class. Larger requests get whole pages from the page allocator,
 * rounded up to a power-of-two number of pages.
 *
 * xfree never trusts the pointer's surroundings: it asks the page allocator's
 * frame table who owns the page the pointer lies in. A slab page's header is
 * only then read, its magic checked, and the object's bit in the header's
 * bitmap tells whether it is allocated; a large block's order comes from the
 * frame table too. Object memory itself holds no metadata, so a caller
 * overrunning an object cannot corrupt the heap's bookkeeping of others.
 *
 * xmalloc(0) returns a minimal (16-byte) object rather than NULL, so NULL
 * always means "out of memory" and every xmalloc result can be passed to
 * xfree. Requests too large to ever satisfy return NULL.
 */
#include <orchid/arch.h>
#include <orchid/list.h>
#include <orchid/mm.h>
#include <orchid/panic.h>
#include <orchid/spinlock.h>
#include <orchid/string.h>

#include "page_alloc.h"

#define SLAB_MAGIC	 0x51ab0c1dU
#define SLAB_HEADER_SIZE 64
#define SLAB_OBJ_MAX	 2016
#define SLAB_MAX_OBJS	 256
#define HEAP_MAX_BYTES	 (PAGE_SIZE << PAGE_ORDER_MAX)

/*
 * Multiples of 16 (the alignment xmalloc promises) picked so most classes
 * fill the 4032 bytes after the header exactly: 4032 = 64 * 63.
 */
static const u16 slab_sizes[] = {
	16, 32, 48, 64, 96, 128, 192, 256, 336, 448, 672, 1008, 1344, 2016,
};
#define NR_SLAB_CLASSES ARRAY_SIZE(slab_sizes)

/* The first SLAB_HEADER_SIZE bytes of every slab page. */
struct slab {
	u32 magic;
	u16 cls; /* index into slab_sizes */
	u16 nr_used;
	struct list_head node; /* on its class's list while it has room */
	u64 used[SLAB_MAX_OBJS / 64];
};

_Static_assert(sizeof(struct slab) <= SLAB_HEADER_SIZE,
	       "the slab header must fit before the first object");
_Static_assert(SLAB_HEADER_SIZE % 16 == 0, "objects must be 16-byte aligned");
_Static_assert((PAGE_SIZE - SLAB_HEADER_SIZE) / 16 <= SLAB_MAX_OBJS,
	       "the bitmap must cover the smallest class");

struct heap {
	spinlock_t lock;
	/* Guarded by @lock, as is every slab header. */
	bool ready;
	/* Per class, the slabs with at least one free object. */
	struct list_head partial[NR_SLAB_CLASSES];
};

/* Proof that the caller holds heap.lock. */
struct heap_locked {
	struct heap *h;
	unsigned long flags;
};

static struct heap heap = {.lock = SPINLOCK_INIT};

/* List heads cannot be initialised statically in an array; see buddy_lock. */
static struct heap_locked heap_lock(void)
{
	struct heap_locked hl = {&heap, 0};
	unsigned int i;

	hl.flags = spin_lock_irqsave(&heap.lock);
	if (heap.ready)
		return hl;
	for (i = 0; i < NR_SLAB_CLASSES; i++)
		list_init(&heap.partial[i]);
	heap.ready = true;
	return hl;
}

static void heap_unlock(struct heap_locked hl)
{
	spin_unlock_irqrestore(&hl.h->lock, hl.flags);
}

static unsigned int slab_capacity(unsigned int cls)
{
	return (PAGE_SIZE - SLAB_HEADER_SIZE) / slab_sizes[cls];
}

static char *slab_object(struct slab *s, unsigned int i)
{
	return (char *)s + SLAB_HEADER_SIZE + i * slab_sizes[s->cls];
}

static bool slab_test(const struct slab *s, unsigned int i)
{
	return s->used[i / 64] & (1ULL << (i % 64));
}

static void slab_flip(struct slab *s, unsigned int i)
{
	s->used[i / 64] ^= 1ULL << (i % 64);
}

/* The smallest class that holds @size bytes; @size <= SLAB_OBJ_MAX. */
static unsigned int slab_class_of(size_t size)
{
	unsigned int cls = 0;

	while (slab_sizes[cls] < size)
		cls++;
	return cls;
}

/* A fresh slab page for @cls, put on its class's list, or NULL. */
static struct slab *slab_create(struct heap_locked hl, unsigned int cls)
{
	struct slab *s = page_alloc_owned(0, PAGE_OWNER_SLAB);

	if (!s)
		return NULL;
	*s = (struct slab){.magic = SLAB_MAGIC, .cls = (u16)cls};
	list_add(&s->node, &hl.h->partial[cls]);
	return s;
}

/* The first free object of @s, which has room. */
static unsigned int slab_find_free(const struct slab *s)
{
	unsigned int w;

	for (w = 0; w < ARRAY_SIZE(s->used); w++) {
		if (~s->used[w])
			return w * 64 +
			       (unsigned int)__builtin_ctzll(~s->used[w]);
	}
	panic("xmalloc: slab %p on the partial list is full", (const void *)s);
}

static void *heap_alloc_small(size_t size)
{
	unsigned int cls = slab_class_of(size);
	struct heap_locked hl = heap_lock();
	struct slab *s;
	unsigned int i;

	s = list_first_entry_or_null(&hl.h->partial[cls], struct slab, node);
	if (!s)
		s = slab_create(hl, cls);
	if (!s) {
		heap_unlock(hl);
		return NULL;
	}

	i = slab_find_free(s);
	BUG_ON(i >= slab_capacity(cls));
	slab_flip(s, i);
	if (++s->nr_used == slab_capacity(cls))
		list_del(&s->node);
	heap_unlock(hl);
	return slab_object(s, i);
}

/* The order of the smallest power-of-two run of pages holding @size. */
static unsigned int heap_order_of(size_t size)
{
	uint64_t pages = align_up(size, PAGE_SIZE) >> PAGE_SHIFT;
	unsigned int order = 0;

	while ((1ULL << order) < pages)
		order++;
	return order;
}

void *xmalloc(size_t size)
{
	if (size > HEAP_MAX_BYTES)
		return NULL;
	if (size > SLAB_OBJ_MAX)
		return page_alloc_owned(heap_order_of(size), PAGE_OWNER_HEAP);
	/* Size 0 gets the smallest class; see the top of the file. */
	return heap_alloc_small(size);
}

void *xzalloc(size_t size)
{
	void *p = xmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

/*
 * Free object @p of slab @s, or say why it cannot be freed. The caller
 * holds the heap lock, which keeps the slab alive while we look at it.
 */
static const char *slab_free(struct heap_locked hl, struct slab *s,
			     const char *p)
{
	size_t offset = (size_t)(p - (const char *)s);
	unsigned int cls = s->cls;
	unsigned int i;

	if (s->magic != SLAB_MAGIC || cls >= NR_SLAB_CLASSES)
		return "slab header corrupted";
	if (offset < SLAB_HEADER_SIZE ||
	    (offset - SLAB_HEADER_SIZE) % slab_sizes[cls] != 0)
		return "not the start of an object";
	i = (offset - SLAB_HEADER_SIZE) / slab_sizes[cls];
	if (i >= slab_capacity(cls))
		return "past the last object of its slab";
	if (!slab_test(s, i))
		return "double free";

	slab_flip(s, i);
	if (s->nr_used-- == slab_capacity(cls))
		list_add(&s->node, &hl.h->partial[cls]);
	if (s->nr_used > 0)
		return NULL;
	/* Empty slabs go back to the page allocator at once. */
	list_del(&s->node);
	s->magic = 0;
	page_free_owned(s, 0, PAGE_OWNER_SLAB);
	return NULL;
}

/* Errors are reported after dropping the lock; see page_free_owned. */
void xfree(void *p)
{
	char *page = (char *)p - ((uintptr_t)p & ~PAGE_MASK);
	struct heap_locked hl;
	enum page_owner owner;
	unsigned int order;
	const char *error;

	if (!p)
		return;

	hl = heap_lock();
	owner = page_alloc_owner(page, &order);
	if (owner == PAGE_OWNER_SLAB) {
		error = slab_free(hl, (struct slab *)(void *)page, p);
		heap_unlock(hl);
		if (error)
			panic("xfree: %p: %s", p, error);
		return;
	}
	heap_unlock(hl);

	if (owner != PAGE_OWNER_HEAP)
		panic("xfree: %p not from xmalloc, or freed already", p);
	if ((char *)p != page)
		panic("xfree: %p points inside a large allocation", p);
	page_free_owned(page, order, PAGE_OWNER_HEAP);
}

#ifdef HOST_TEST
void heap_reset(void)
{
	heap = (struct heap){.lock = SPINLOCK_INIT};
}
#endif
