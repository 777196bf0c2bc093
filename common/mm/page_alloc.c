/* SPDX-License-Identifier: MIT */
/*
 * The buddy page allocator.
 *
 * Each range given to page_alloc_add_range keeps a frame table in its own
 * last pages: one byte per page saying whether the page starts a free block,
 * starts an allocated block (and for whom), or lies inside a block, plus the
 * block's order. Every decision -- which blocks may merge, whether a free is
 * valid -- is taken from that table, never from the memory of a block, so a
 * caller scribbling over its pages cannot corrupt the allocator's view.
 * Only free blocks carry data of ours: the list node that links them into the
 * free list of their order, checked against the frame table when used.
 *
 * Blocks are naturally aligned in physical address space, so a block's
 * buddy is at pa ^ (PAGE_SIZE << order). Blocks never span two ranges.
 *
 * Pages are handed out as they were left: NOT zeroed. Callers that need
 * zeroed memory clear it themselves. The exception is memory a domain had:
 * free_pages_dirty puts it on separate "dirty" free lists, and no page of
 * a dirty block leaves the allocator before it was zeroed -- by the idle
 * loop (page_scrub_idle), or by alloc_pages itself when no clean block is
 * left. Dirty pages count as free, as in Xen's free_memory. Dirty blocks
 * merge only with dirty buddies and clean with clean, so a domain's death
 * never makes clean memory need scrubbing again.
 */
#include <orchid/arch.h>
#include <orchid/list.h>
#include <orchid/mm.h>
#include <orchid/panic.h>
#include <orchid/printk.h>
#include <orchid/spinlock.h>
#include <orchid/string.h>

#include "page_alloc.h"

/* Boot hands over RAM minus reserved ranges: at most a range_set's worth. */
#define PAGE_ALLOC_MAX_RANGES RANGE_SET_MAX

/* A frame byte: the state in the top three bits, the block's order below. */
#define FRAME_ORDER_BITS 5
_Static_assert(PAGE_ORDER_MAX < (1 << FRAME_ORDER_BITS),
	       "a block order must fit in a frame byte");

enum frame_state {
	FRAME_TAIL = 0,	 /* inside a block whose first page is elsewhere */
	FRAME_FREE = 1,	 /* first page of a free block */
	FRAME_PAGES = 2, /* first page of a block from alloc_pages */
	FRAME_SLAB = 3,	 /* first page of a heap slab */
	FRAME_HEAP = 4,	 /* first page of a large xmalloc block */
	FRAME_DIRTY = 5, /* first page of a free block with a domain's data */
	FRAME_SCRUB = 6, /* first page of a dirty block being scrubbed */
};

/*
 * The idle loop scrubs this much per call: about 5k instructions (DC ZVA),
 * so a vCPU that becomes runnable waits at most that long for its pCPU.
 */
#define SCRUB_CHUNK_ORDER 5

/* Pages [base, base + nr_pages * PAGE_SIZE), described by @frames. */
struct page_range {
	uintpaddr_t base;
	uint64_t nr_pages;
	u8 *frames;
	/* All the range's pages, frame table included, as page numbers. */
	uint64_t span_first_pfn;
	uint64_t span_end_pfn;
};

struct buddy {
	spinlock_t lock;
	/* Everything below is guarded by @lock. */
	bool ready; /* free lists initialised */
	unsigned int nr_ranges;
	struct page_range ranges[PAGE_ALLOC_MAX_RANGES];
	struct list_head free[PAGE_ORDER_MAX + 1];
	struct list_head dirty[PAGE_ORDER_MAX + 1];
	uint64_t free_pages;  /* clean, dirty and being scrubbed */
	uint64_t dirty_pages; /* on the dirty lists */
	uint64_t scrub_pages; /* off them, being scrubbed */
	uint64_t total_pages;
};

/* Proof that the caller holds buddy.lock; only buddy_lock makes one. */
struct buddy_locked {
	struct buddy *b;
	unsigned long flags;
};

static struct buddy buddy = {.lock = SPINLOCK_INIT};

/*
 * The free lists need their heads pointing to themselves, which a static
 * initialiser cannot do for an array; doing it on first use lets alloc_pages
 * be called (and fail cleanly) before any RAM was added.
 */
static struct buddy_locked buddy_lock(void)
{
	struct buddy_locked bl = {&buddy, 0};
	unsigned int order;

	bl.flags = spin_lock_irqsave(&buddy.lock);
	if (buddy.ready)
		return bl;
	for (order = 0; order <= PAGE_ORDER_MAX; order++) {
		list_init(&buddy.free[order]);
		list_init(&buddy.dirty[order]);
	}
	buddy.ready = true;
	return bl;
}

/*
 * buddy_lock for the idle scrubber: false, nothing taken, when the lock
 * is held or waited for. Idle pCPUs queueing on the ticket lock made a
 * pCPU freeing a dead domain's tables wait for each of them in turn: on
 * an oversubscribed host (QEMU's vCPU threads descheduled while they
 * hold a ticket) a few hundred frees took tens of seconds.
 */
static bool buddy_trylock(struct buddy_locked *bl)
{
	bl->b = &buddy;
	bl->flags = arch_irq_save();
	if (buddy.ready && spin_trylock(&buddy.lock))
		return true;
	arch_irq_restore(bl->flags);
	return false;
}

static void buddy_unlock(struct buddy_locked bl)
{
	spin_unlock_irqrestore(&bl.b->lock, bl.flags);
}

static inline u8 frame_make(enum frame_state state, unsigned int order)
{
	return (u8)((unsigned int)state << FRAME_ORDER_BITS | order);
}

static inline enum frame_state frame_state(u8 frame)
{
	return (enum frame_state)(frame >> FRAME_ORDER_BITS);
}

static inline unsigned int frame_order(u8 frame)
{
	return frame & ((1U << FRAME_ORDER_BITS) - 1);
}

static enum frame_state frame_state_of(enum page_owner owner)
{
	switch (owner) {
	case PAGE_OWNER_PAGES: return FRAME_PAGES;
	case PAGE_OWNER_SLAB: return FRAME_SLAB;
	case PAGE_OWNER_HEAP: return FRAME_HEAP;
	default: panic("page_alloc: no frame state for owner %d", (int)owner);
	}
}

static enum page_owner frame_owner(u8 frame)
{
	switch (frame_state(frame)) {
	case FRAME_PAGES: return PAGE_OWNER_PAGES;
	case FRAME_SLAB: return PAGE_OWNER_SLAB;
	case FRAME_HEAP: return PAGE_OWNER_HEAP;
	default: return PAGE_OWNER_NONE;
	}
}

/* The function that frees memory of @owner, for messages. */
static const char *owner_free_name(enum page_owner owner)
{
	return owner == PAGE_OWNER_PAGES ? "free_pages" : "xfree";
}

static uintpaddr_t range_pa(const struct page_range *r, uint64_t idx)
{
	return r->base + (idx << PAGE_SHIFT);
}

static void *range_va(const struct page_range *r, uint64_t idx)
{
	return arch_pa_to_va(pa_init(range_pa(r, idx)));
}

/* The range whose allocatable pages contain @pa, or NULL. */
static struct page_range *buddy_range_of(struct buddy_locked bl, uintpaddr_t pa)
{
	unsigned int i;

	for (i = 0; i < bl.b->nr_ranges; i++) {
		struct page_range *r = &bl.b->ranges[i];

		if (pa >= r->base && (pa - r->base) >> PAGE_SHIFT < r->nr_pages)
			return r;
	}
	return NULL;
}

/* The free lists of blocks in @state: FRAME_FREE or FRAME_DIRTY. */
static struct list_head *buddy_lists(struct buddy_locked bl,
				     enum frame_state state)
{
	return state == FRAME_DIRTY ? bl.b->dirty : bl.b->free;
}

/* Put the block of @order at page @idx of @r on the free list of @state. */
static void buddy_push_as(struct buddy_locked bl, struct page_range *r,
			  uint64_t idx, unsigned int order,
			  enum frame_state state)
{
	struct list_head *node = range_va(r, idx);

	r->frames[idx] = frame_make(state, order);
	list_add(node, &buddy_lists(bl, state)[order]);
}

static void buddy_push(struct buddy_locked bl, struct page_range *r,
		       uint64_t idx, unsigned int order)
{
	buddy_push_as(bl, r, idx, order, FRAME_FREE);
}

/*
 * Take the free block at page @idx of @r off its list. The node lives in
 * free memory, so check it still links both ways before trusting it.
 */
static void buddy_unlink(struct page_range *r, uint64_t idx)
{
	struct list_head *node = range_va(r, idx);

	if (node->next->prev != node || node->prev->next != node)
		panic("page_alloc: free list corrupted at %p (use after free?)",
		      (void *)node);
	list_del(node);
}

/*
 * Take the first block off the free list of @order for @state; the list is
 * not empty.
 */
static struct page_range *buddy_pop_as(struct buddy_locked bl,
				       unsigned int order,
				       enum frame_state state, uint64_t *idx)
{
	struct list_head *node = list_first(&buddy_lists(bl, state)[order]);
	uintpaddr_t pa = pa_addr(arch_va_to_pa(node));
	struct page_range *r = buddy_range_of(bl, pa);

	if (!r || !is_aligned(pa, PAGE_SIZE))
		panic("page_alloc: free list of order %u holds foreign %p",
		      order, (void *)node);
	*idx = (pa - r->base) >> PAGE_SHIFT;
	if (r->frames[*idx] != frame_make(state, order))
		panic("page_alloc: free list of order %u holds %p, frame 0x%x",
		      order, (void *)node, r->frames[*idx]);
	buddy_unlink(r, *idx);
	return r;
}

/* The buddy of the block of @order at @idx, when it lies inside @r. */
static bool range_buddy(const struct page_range *r, uint64_t idx,
			unsigned int order, uint64_t *buddy_idx)
{
	uintpaddr_t pa = range_pa(r, idx) ^ (PAGE_SIZE << order);

	if (pa < r->base)
		return false;
	*buddy_idx = (pa - r->base) >> PAGE_SHIFT;
	return *buddy_idx + (1ULL << order) <= r->nr_pages;
}

/*
 * Free the block of @order at @idx as @state (FRAME_FREE or FRAME_DIRTY),
 * merging it with free buddies in the same state.
 */
static void buddy_merge_as(struct buddy_locked bl, struct page_range *r,
			   uint64_t idx, unsigned int order,
			   enum frame_state state)
{
	uint64_t other;

	while (order < PAGE_ORDER_MAX && range_buddy(r, idx, order, &other)) {
		if (r->frames[other] != frame_make(state, order))
			break;
		buddy_unlink(r, other);
		r->frames[max_u64(idx, other)] = frame_make(FRAME_TAIL, 0);
		idx = min_u64(idx, other);
		order++;
	}
	buddy_push_as(bl, r, idx, order, state);
}

/* The largest block order that starts at @pa and fits in @pages pages. */
static unsigned int buddy_fit_order(uintpaddr_t pa, uint64_t pages)
{
	unsigned int order = 0;

	while (order < PAGE_ORDER_MAX &&
	       is_aligned(pa, PAGE_SIZE << (order + 1)) &&
	       (2ULL << order) <= pages)
		order++;
	return order;
}

/* Hand every page of a new range to the free lists, largest blocks first. */
static void buddy_carve(struct buddy_locked bl, struct page_range *r)
{
	uint64_t idx = 0;

	while (idx < r->nr_pages) {
		unsigned int order =
			buddy_fit_order(range_pa(r, idx), r->nr_pages - idx);

		buddy_push(bl, r, idx, order);
		idx += 1ULL << order;
	}
	bl.b->free_pages += r->nr_pages;
	bl.b->total_pages += r->nr_pages;
}

static bool buddy_overlaps(struct buddy_locked bl, uint64_t first_pfn,
			   uint64_t end_pfn)
{
	unsigned int i;

	for (i = 0; i < bl.b->nr_ranges; i++) {
		const struct page_range *r = &bl.b->ranges[i];

		if (first_pfn < r->span_end_pfn && r->span_first_pfn < end_pfn)
			return true;
	}
	return false;
}

/*
 * The whole pages inside [base, base + size), size > 0, as page numbers.
 * Page 0 is left out: its 1:1 virtual address is NULL, meaning "no memory".
 */
static bool page_span(uint64_t base, uint64_t size, uint64_t *first_pfn,
		      uint64_t *end_pfn)
{
	uint64_t last;

	last = range_overflows(base, size) ? UINT64_MAX : base + size - 1;
	*first_pfn = (base >> PAGE_SHIFT) + !is_aligned(base, PAGE_SIZE);
	*end_pfn = (last >> PAGE_SHIFT) + ((last & ~PAGE_MASK) == ~PAGE_MASK);
	if (*first_pfn == 0)
		*first_pfn = 1;
	return *first_pfn < *end_pfn;
}

/*
 * Give RAM to the allocator. Only whole pages inside the range are used;
 * the last ceil(pages / 4097) of them hold the range's frame table, so a
 * range needs at least two whole pages. Ranges must not overlap.
 */
void page_alloc_add_range(paddr_t base, uint64_t size)
{
	uint64_t first_pfn, end_pfn, pages, meta;
	struct buddy_locked bl;
	struct page_range *r;

	if (size == 0)
		return;
	if (!page_span(pa_addr(base), size, &first_pfn, &end_pfn) ||
	    end_pfn - first_pfn < 2) {
		pr_warn("page_alloc: ignoring 0x%llx+0x%llx: under two pages\n",
			(unsigned long long)pa_addr(base),
			(unsigned long long)size);
		return;
	}
	pages = end_pfn - first_pfn;
	meta = (pages + PAGE_SIZE) / (PAGE_SIZE + 1);

	bl = buddy_lock();
	if (buddy_overlaps(bl, first_pfn, end_pfn)) {
		buddy_unlock(bl);
		panic("page_alloc: 0x%llx+0x%llx overlaps RAM already added",
		      (unsigned long long)pa_addr(base),
		      (unsigned long long)size);
	}
	if (bl.b->nr_ranges == PAGE_ALLOC_MAX_RANGES) {
		buddy_unlock(bl);
		pr_warn("page_alloc: too many ranges, dropping 0x%llx+0x%llx\n",
			(unsigned long long)pa_addr(base),
			(unsigned long long)size);
		return;
	}

	r = &bl.b->ranges[bl.b->nr_ranges++];
	r->base = first_pfn << PAGE_SHIFT;
	r->nr_pages = pages - meta;
	r->frames = range_va(r, r->nr_pages);
	r->span_first_pfn = first_pfn;
	r->span_end_pfn = end_pfn;
	memset(r->frames, frame_make(FRAME_TAIL, 0), r->nr_pages);
	buddy_carve(bl, r);
	buddy_unlock(bl);
}

/*
 * The lowest order from @order up with a block on the lists of @state;
 * above PAGE_ORDER_MAX when there is none.
 */
static unsigned int buddy_find(struct buddy_locked bl, unsigned int order,
			       enum frame_state state)
{
	const struct list_head *lists = buddy_lists(bl, state);

	while (order <= PAGE_ORDER_MAX && list_empty(&lists[order]))
		order++;
	return order;
}

/*
 * Take a block of @order off the lists of @state, splitting a larger one:
 * keep the lower half, put the upper one back (in @state), until it fits.
 * NULL when there is none.
 */
static struct page_range *buddy_take(struct buddy_locked bl, unsigned int order,
				     enum frame_state state, uint64_t *idx)
{
	unsigned int found = buddy_find(bl, order, state);
	struct page_range *r;

	if (found > PAGE_ORDER_MAX)
		return NULL;
	r = buddy_pop_as(bl, found, state, idx);
	while (found > order) {
		found--;
		buddy_push_as(bl, r, *idx + (1ULL << found), found, state);
	}
	return r;
}

/* Zero 2^@order pages that held a domain's data. */
static void scrub_block(void *va, unsigned int order)
{
	arch_zero_pages(va, PAGE_SIZE << order, false);
}

/*
 * A block of @order for @owner: a clean one if any is left, else a dirty
 * one, scrubbed here (after the lock is dropped: the block is already
 * ours, and interrupts wait for no scrubbing). NULL when neither is left.
 */
static void *buddy_alloc(unsigned int order, enum page_owner owner)
{
	struct buddy_locked bl = buddy_lock();
	bool dirty = false;
	struct page_range *r;
	uint64_t idx;
	void *va;

	r = buddy_take(bl, order, FRAME_FREE, &idx);
	if (!r) {
		r = buddy_take(bl, order, FRAME_DIRTY, &idx);
		dirty = r != NULL;
	}
	if (!r) {
		buddy_unlock(bl);
		return NULL;
	}
	r->frames[idx] = frame_make(frame_state_of(owner), order);
	bl.b->free_pages -= 1ULL << order;
	if (dirty)
		bl.b->dirty_pages -= 1ULL << order;
	buddy_unlock(bl);
	va = range_va(r, idx);
	if (dirty)
		scrub_block(va, order);
	return va;
}

void *page_alloc_owned(unsigned int order, enum page_owner owner)
{
	void *va;

	if (order > PAGE_ORDER_MAX)
		return NULL;
	va = buddy_alloc(order, owner);
	/*
	 * Free memory split between clean and dirty blocks, none large enough
	 * alone: scrub chunks now, so that they merge with their clean
	 * buddies, until a block is large enough or nothing is dirty.
	 */
	while (!va && page_scrub_idle())
		va = buddy_alloc(order, owner);
	return va;
}

/*
 * Why page @idx of @r cannot be freed as a block of @order from @owner, or
 * NULL when it can.
 */
static const char *buddy_free_error(const struct page_range *r, uint64_t idx,
				    unsigned int order, enum page_owner owner)
{
	u8 frame = r->frames[idx];

	if (frame_state(frame) == FRAME_FREE ||
	    frame_state(frame) == FRAME_DIRTY ||
	    frame_state(frame) == FRAME_SCRUB)
		return "double free";
	if (frame_state(frame) == FRAME_TAIL)
		return "not the start of a block (double free? inner page?)";
	if (frame_owner(frame) != owner)
		return frame_owner(frame) == PAGE_OWNER_PAGES
			       ? "allocated by alloc_pages"
			       : "allocated by xmalloc";
	if (frame_order(frame) != order)
		return "allocated with another order";
	return NULL;
}

/*
 * Errors are reported after dropping the lock, so that nothing the panic
 * path does can deadlock on the allocator.
 */
static void page_free_as(void *va, unsigned int order, enum page_owner owner,
			 enum frame_state state)
{
	const char *fn = owner_free_name(owner);
	struct buddy_locked bl;
	struct page_range *r;
	const char *error;
	uintpaddr_t pa;
	uint64_t idx;
	u8 frame;

	if (!va)
		return;
	pa = pa_addr(arch_va_to_pa(va));
	if (!is_aligned(pa, PAGE_SIZE))
		panic("%s: %p is not page-aligned", fn, va);
	if (order > PAGE_ORDER_MAX)
		panic("%s: %p freed with order %u > %u", fn, va, order,
		      PAGE_ORDER_MAX);

	bl = buddy_lock();
	r = buddy_range_of(bl, pa);
	if (!r) {
		buddy_unlock(bl);
		panic("%s: %p was never handed out by the page allocator", fn,
		      va);
	}
	idx = (pa - r->base) >> PAGE_SHIFT;
	frame = r->frames[idx];
	error = buddy_free_error(r, idx, order, owner);
	if (error) {
		buddy_unlock(bl);
		panic("%s: %p, order %u: %s (frame state %u, order %u)", fn, va,
		      order, error, frame_state(frame), frame_order(frame));
	}
	buddy_merge_as(bl, r, idx, order, state);
	bl.b->free_pages += 1ULL << order;
	if (state == FRAME_DIRTY)
		bl.b->dirty_pages += 1ULL << order;
	buddy_unlock(bl);
}

void page_free_owned(void *va, unsigned int order, enum page_owner owner)
{
	page_free_as(va, order, owner, FRAME_FREE);
}

/*
 * A domain's memory: no scrubbing here, so that destroying a domain costs
 * the same whatever its size (bench/results/toolstack.md, row "xl destroy
 * of a 128 MiB DomU"). The pages count as free at once.
 */
void free_pages_dirty(void *va, unsigned int order)
{
	page_free_as(va, order, PAGE_OWNER_PAGES, FRAME_DIRTY);
}

bool page_scrub_pending(void)
{
	/* Unlocked: a stale answer only moves one scrub to the next pass. */
	return __atomic_load_n(&buddy.dirty_pages, __ATOMIC_RELAXED) != 0;
}

/*
 * One chunk, at most 2^SCRUB_CHUNK_ORDER pages, off the dirty lists: the
 * smallest dirty block, or a piece of one. It stays counted as free while
 * it is scrubbed outside the lock, then joins the clean lists.
 */
bool page_scrub_idle(void)
{
	struct buddy_locked bl;
	unsigned int order;
	struct page_range *r;
	uint64_t idx;

	/* Idle work never queues behind real work: see buddy_trylock. */
	if (!buddy_trylock(&bl))
		return true;
	order = buddy_find(bl, 0, FRAME_DIRTY);
	if (order > PAGE_ORDER_MAX) {
		buddy_unlock(bl);
		return false;
	}
	if (order > SCRUB_CHUNK_ORDER)
		order = SCRUB_CHUNK_ORDER;
	r = buddy_take(bl, order, FRAME_DIRTY, &idx);
	r->frames[idx] = frame_make(FRAME_SCRUB, order);
	bl.b->dirty_pages -= 1ULL << order;
	bl.b->scrub_pages += 1ULL << order;
	buddy_unlock(bl);

	scrub_block(range_va(r, idx), order);

	bl = buddy_lock();
	bl.b->scrub_pages -= 1ULL << order;
	buddy_merge_as(bl, r, idx, order, FRAME_FREE);
	buddy_unlock(bl);
	return true;
}

uint64_t page_alloc_dirty_bytes(void)
{
	struct buddy_locked bl = buddy_lock();
	uint64_t pages = bl.b->dirty_pages + bl.b->scrub_pages;

	buddy_unlock(bl);
	return pages << PAGE_SHIFT;
}

enum page_owner page_alloc_owner(const void *va, unsigned int *order)
{
	uintpaddr_t pa = pa_addr(arch_va_to_pa(va));
	enum page_owner owner = PAGE_OWNER_NONE;
	struct buddy_locked bl;
	struct page_range *r;

	if (!va || !is_aligned(pa, PAGE_SIZE))
		return PAGE_OWNER_NONE;

	bl = buddy_lock();
	r = buddy_range_of(bl, pa);
	if (r) {
		u8 frame = r->frames[(pa - r->base) >> PAGE_SHIFT];

		owner = frame_owner(frame);
		*order = frame_order(frame);
	}
	buddy_unlock(bl);
	return owner;
}

void *alloc_pages(unsigned int order)
{
	return page_alloc_owned(order, PAGE_OWNER_PAGES);
}

void free_pages(void *va, unsigned int order)
{
	page_free_owned(va, order, PAGE_OWNER_PAGES);
}

uint64_t page_alloc_free_bytes(void)
{
	struct buddy_locked bl = buddy_lock();
	uint64_t pages = bl.b->free_pages;

	buddy_unlock(bl);
	return pages << PAGE_SHIFT;
}

uint64_t page_alloc_total_bytes(void)
{
	struct buddy_locked bl = buddy_lock();
	uint64_t pages = bl.b->total_pages;

	buddy_unlock(bl);
	return pages << PAGE_SHIFT;
}

#ifdef HOST_TEST
void page_alloc_reset(void)
{
	buddy = (struct buddy){.lock = SPINLOCK_INIT};
}
#endif
