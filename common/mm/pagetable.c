// SPDX-License-Identifier: MIT
/*
 * The generic page-table engine (<orchid/pagetable.h>).
 *
 * Every change goes through two stores: pt_break (a valid entry becomes
 * invalid; its range joins the call's pending flush) and pt_make (an
 * invalid entry becomes valid). pt_make refuses a slot that is not empty
 * and a range whose break is still unflushed, so break-before-make holds
 * by construction and is checked at every store.
 *
 * pt_map is "unmap, flush, fill": the first pass clears the range (splitting
 * blocks that straddle its ends), one flush covers everything it broke, the
 * second pass only ever writes into empty slots. Remapping is rare next to
 * mapping into holes, where the first pass finds nothing and costs a walk.
 *
 * Prepare, then commit (as Hafnium's mm.c): before the first store, pt_need
 * walks the tree read-only and counts every table page the call will take,
 * and pt_reserve takes that many from the tree's pool (or the page
 * allocator) at once. The passes that change the tree then take tables
 * from that reserve only and cannot fail, so a call that runs out of
 * memory fails before it has changed anything: there is no half-mapped
 * state to undo.
 */
#include <orchid/arch.h>
#include <orchid/errno.h>
#include <orchid/mm.h>
#include <orchid/page_pool.h>
#include <orchid/pagetable.h>
#include <orchid/panic.h>
#include <orchid/string.h>

/* Tables unlinked by one call wait here for the flush that covers them. */
#define PT_DEAD_MAX 16

struct pt_dead {
	uint64_t *table;
	unsigned int level;
};

/* One pt_map or pt_unmap in progress. */
struct pt_op {
	struct pt *pt;
	/* Entries broken and not yet flushed: [flush_start, flush_end). */
	uint64_t flush_start;
	uint64_t flush_end;
	struct pt_dead dead[PT_DEAD_MAX];
	unsigned int nr_dead;
	/* Table pages pt_reserve took for this call, linked by first word. */
	void *spare;
	/* pt_map keeps tables it partly clears: it fills them again. */
	bool prune;
};

/*
 * A call's state without zeroing @dead (256 bytes), which is only read
 * below nr_dead: the initialiser's memset was ~75 instructions a call
 * (bench-micro's grant-map-unmap rows map and unmap one page a call).
 */
static void pt_op_init(struct pt_op *op, struct pt *pt, bool prune)
{
	op->pt = pt;
	op->flush_start = 0;
	op->flush_end = 0;
	op->nr_dead = 0;
	op->spare = NULL;
	op->prune = prune;
}

/* ---- the description ----------------------------------------------------- */

static unsigned int pt_last_level(const struct pt_desc *d)
{
	return d->first_level + d->nr_levels - 1;
}

static unsigned int pt_shift(const struct pt_desc *d, unsigned int level)
{
	return PAGE_SHIFT + d->bits_per_level * (pt_last_level(d) - level);
}

static uint64_t pt_level_size(const struct pt_desc *d, unsigned int level)
{
	return 1ULL << pt_shift(d, level);
}

/* Entries of a table at @level; the root spans the whole input space. */
static uint64_t pt_nr_entries(const struct pt_desc *d, unsigned int level)
{
	if (level == d->first_level)
		return 1ULL << (d->ia_bits - pt_shift(d, level));
	return 1ULL << d->bits_per_level;
}

static uint64_t pt_ia_limit(const struct pt_desc *d)
{
	return 1ULL << d->ia_bits;
}

/* One past the highest output address: addr_mask is contiguous from bit 12. */
static uint64_t pt_oa_limit(const struct pt_desc *d)
{
	return (d->addr_mask | (PAGE_SIZE - 1)) + 1;
}

static bool pt_level_has_blocks(const struct pt_desc *d, unsigned int level)
{
	return level < 32 && (d->block_levels >> level) & 1;
}

/* A table at @level can be filled with leaves: pages or blocks. */
static bool pt_level_has_leaves(const struct pt_desc *d, unsigned int level)
{
	return level == pt_last_level(d) || pt_level_has_blocks(d, level);
}

static unsigned int pt_root_order(const struct pt_desc *d)
{
	return (unsigned int)__builtin_ctz(d->root_pages);
}

static bool pt_blocks_valid(const struct pt_desc *d)
{
	unsigned int last = pt_last_level(d);

	if (pt_level_has_blocks(d, last))
		return false;
	/* A block splits into entries of the next level: leaves too. */
	for (unsigned int l = d->first_level; l < last; l++) {
		if (pt_level_has_blocks(d, l) && !pt_level_has_leaves(d, l + 1))
			return false;
	}
	return true;
}

/* A description the engine can walk; anything else is a hypervisor bug. */
static bool pt_desc_valid(const struct pt_desc *d)
{
	uint64_t oa_limit = pt_oa_limit(d);
	unsigned int root_shift;

	if (d->nr_levels == 0 || d->bits_per_level == 0 ||
	    d->bits_per_level > PAGE_SHIFT - 3 || d->ia_bits >= 64)
		return false;
	if (PAGE_SHIFT + d->bits_per_level * (d->nr_levels - 1) >= d->ia_bits)
		return false;
	if (d->root_pages == 0 || (d->root_pages & (d->root_pages - 1)))
		return false;
	/* The root's entries fit its pages (8-byte entries). */
	root_shift = pt_shift(d, d->first_level);
	if (d->ia_bits - root_shift > pt_root_order(d) + PAGE_SHIFT - 3)
		return false;
	if ((d->addr_mask & (PAGE_SIZE - 1)) || (oa_limit & (oa_limit - 1)))
		return false;
	return pt_blocks_valid(d);
}

/* ---- entries ------------------------------------------------------------- */

static bool pte_is_table(const struct pt_desc *d, uint64_t pte,
			 unsigned int level)
{
	return level < pt_last_level(d) &&
	       (pte & d->type_mask) == d->type_table;
}

static bool pte_is_leaf(const struct pt_desc *d, uint64_t pte,
			unsigned int level)
{
	if (level == pt_last_level(d))
		return (pte & d->type_mask) == d->type_page;
	return pt_level_has_blocks(d, level) &&
	       (pte & d->type_mask) == d->type_block;
}

static uint64_t *pte_table(const struct pt_desc *d, uint64_t pte)
{
	return arch_pa_to_va(pa_init(pte & d->addr_mask));
}

static uint64_t pte_make_table(const struct pt_desc *d, uint64_t *table)
{
	return pa_addr(arch_va_to_pa(table)) | d->type_table;
}

static uint64_t pte_make_leaf(const struct pt_desc *d, unsigned int level,
			      uintpaddr_t pa, uint64_t attrs)
{
	uint64_t type =
		level == pt_last_level(d) ? d->type_page : d->type_block;

	return pa | attrs | type;
}

static uint64_t pte_leaf_attrs(const struct pt_desc *d, uint64_t pte)
{
	return pte & ~(d->addr_mask | d->type_mask);
}

/* Inlined: a few instructions at every level of every walk (bench-micro's
 * grant rows walk the p2m several times a page). */
static inline __attribute__((always_inline)) uint64_t *
pt_slot(const struct pt_desc *d, uint64_t *table, unsigned int level,
	uint64_t ia)
{
	uint64_t idx =
		(ia >> pt_shift(d, level)) & (pt_nr_entries(d, level) - 1);

	return &table[idx];
}

/* One single-copy-atomic access: the walker never sees half an entry. */
static uint64_t pte_read(const uint64_t *ptep)
{
	return *(const volatile uint64_t *)ptep;
}

static void pte_write(uint64_t *ptep, uint64_t pte)
{
	*(volatile uint64_t *)ptep = pte;
}

/* ---- table pages --------------------------------------------------------- */

/* A page for a table: from the tree's pool, or the page allocator. */
static void *pt_page_get(struct pt *pt)
{
	return pt->pool ? page_pool_alloc(pt->pool) : alloc_page();
}

static void pt_page_put(struct pt *pt, void *page)
{
	if (pt->pool)
		page_pool_free(pt->pool, page);
	else
		free_page(page);
}

/* Give back the pages pt_reserve took and the call did not use. */
static void pt_release(struct pt_op *op)
{
	while (op->spare) {
		void *page = op->spare;

		op->spare = *(void **)page;
		pt_page_put(op->pt, page);
	}
}

/* Take @n table pages for this call, all or none: 0 or -ENOMEM. */
static int pt_reserve(struct pt_op *op, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		void *page = pt_page_get(op->pt);

		if (!page) {
			pt_release(op);
			return -ENOMEM;
		}
		*(void **)page = op->spare;
		op->spare = page;
	}
	return 0;
}

/* A zeroed table from the reserve, which pt_need made big enough. */
static uint64_t *pt_alloc_table(struct pt_op *op)
{
	uint64_t *t = op->spare;

	BUG_ON(!t);
	op->spare = *(void **)t;
	memset(t, 0, PAGE_SIZE);
	op->pt->nr_tables++;
	return t;
}

/* Free a table at @level (not the root) and every table below it. */
static void pt_free_tree(struct pt *pt, uint64_t *table, unsigned int level)
{
	const struct pt_desc *d = pt->desc;
	uint64_t n = pt_nr_entries(d, level);

	for (uint64_t i = 0; i < n; i++) {
		if (pte_is_table(d, table[i], level))
			pt_free_tree(pt, pte_table(d, table[i]), level + 1);
	}
	pt_page_put(pt, table);
	pt->nr_tables--;
}

static bool pt_table_empty(const struct pt_desc *d, const uint64_t *table,
			   unsigned int level)
{
	uint64_t n = pt_nr_entries(d, level);

	for (uint64_t i = 0; i < n; i++) {
		if (table[i])
			return false;
	}
	return true;
}

/*
 * pt_table_empty after the slot of @ia was cleared: its neighbours first.
 * Pages unmapped one at a time in a row (a batch of grant unmaps) leave
 * the next or the previous slot full, so the answer is found at once
 * instead of after a scan over the slots emptied before (bench-micro's
 * grant-map-unmap rows: the scan was a third of a map+unmap).
 */
static bool pt_table_empty_after(const struct pt_desc *d, const uint64_t *table,
				 unsigned int level, uint64_t ia)
{
	uint64_t i =
		(uint64_t)(pt_slot(d, (uint64_t *)table, level, ia) - table);

	if (i + 1 < pt_nr_entries(d, level) && table[i + 1])
		return false;
	if (i > 0 && table[i - 1])
		return false;
	return pt_table_empty(d, table, level);
}

/* ---- break, flush, make -------------------------------------------------- */

static bool pt_op_pending(const struct pt_op *op, uint64_t ia, uint64_t size)
{
	return ia < op->flush_end && op->flush_start < ia + size;
}

/* Invalidate the entry for [ia, ia + size); flushed later by pt_sync. */
static void pt_break(struct pt_op *op, uint64_t *ptep, uint64_t ia,
		     uint64_t size)
{
	pte_write(ptep, 0);
	if (op->flush_start == op->flush_end) {
		op->flush_start = ia;
		op->flush_end = ia + size;
		return;
	}
	op->flush_start = min_u64(op->flush_start, ia);
	op->flush_end = max_u64(op->flush_end, ia + size);
}

/*
 * Write a valid entry for [ia, ia + size): only into an empty slot, and
 * never while a break of the same addresses waits for its flush.
 */
static void pt_make(struct pt_op *op, uint64_t *ptep, uint64_t ia,
		    uint64_t size, uint64_t pte)
{
	BUG_ON(pte_read(ptep) != 0);
	BUG_ON(pt_op_pending(op, ia, size));
	pte_write(ptep, pte);
}

static void pt_publish(const struct pt *pt)
{
	pt->hooks->publish(pt);
}

/* Flush what was broken, then free the tables that were unlinked. */
static void pt_sync(struct pt_op *op)
{
	if (op->flush_start != op->flush_end) {
		op->pt->hooks->tlb_flush(op->pt, op->flush_start,
					 op->flush_end - op->flush_start);
		op->flush_start = 0;
		op->flush_end = 0;
	}
	while (op->nr_dead) {
		struct pt_dead *dead = &op->dead[--op->nr_dead];

		pt_free_tree(op->pt, dead->table, dead->level);
	}
}

/* A table just unlinked by pt_break: free it after the flush. */
static void pt_defer_free(struct pt_op *op, uint64_t *table, unsigned int level)
{
	if (op->nr_dead == PT_DEAD_MAX)
		pt_sync(op);
	op->dead[op->nr_dead].table = table;
	op->dead[op->nr_dead].level = level;
	op->nr_dead++;
}

/* The end of a call: publish, flush, free what was unlinked. */
static void pt_finish(struct pt_op *op)
{
	pt_publish(op->pt);
	pt_sync(op);
#ifdef HOST_TEST
	/* pt_need is exact: the unit tests hold it to that. */
	BUG_ON(op->spare);
#endif
	pt_release(op);
}

/* ---- counting ------------------------------------------------------------ */

static uint64_t pt_need(const struct pt_desc *d, const uint64_t *table,
			bool leaves, unsigned int level, uint64_t ia,
			uint64_t end, uintpaddr_t pa, bool fill);

/* [ia, stop) at @level can be one leaf mapping @pa. */
static bool pt_leaf_fits(const struct pt_desc *d, unsigned int level,
			 uint64_t ia, uint64_t stop, uintpaddr_t pa)
{
	uint64_t size = pt_level_size(d, level);

	if (level == pt_last_level(d))
		return true;
	return pt_level_has_blocks(d, level) && stop - ia == size &&
	       is_aligned(ia, size) && is_aligned(pa, size);
}

/*
 * Tables the passes below take for [ia, stop), inside one slot at @level
 * that holds @pte (or a leaf, if @leaf): the same decisions as pt_clear
 * and pt_fill, made on the tree as it is now.
 */
static uint64_t pt_need_slot(const struct pt_desc *d, uint64_t pte, bool leaf,
			     unsigned int level, uint64_t ia, uint64_t stop,
			     uintpaddr_t pa, bool fill)
{
	uint64_t size = pt_level_size(d, level);
	bool whole = is_aligned(ia, size) && stop - ia == size;

	/* The slot is emptied and then (pt_map) gets one leaf. */
	if (whole && (!fill || pt_leaf_fits(d, level, ia, stop, pa)))
		return 0;
	/* Emptied, then a new table is built under it. */
	if (whole)
		return 1 +
		       pt_need(d, NULL, false, level + 1, ia, stop, pa, fill);
	if (pte_is_table(d, pte, level))
		return pt_need(d, pte_table(d, pte), false, level + 1, ia, stop,
			       pa, fill);
	/* A block cut into: split into a table of leaves (pt_split). */
	if (leaf || pte_is_leaf(d, pte, level))
		return 1 +
		       pt_need(d, NULL, true, level + 1, ia, stop, pa, fill);
	/* A hole: pt_map builds a table there, pt_unmap has nothing to do. */
	return fill ? 1 + pt_need(d, NULL, false, level + 1, ia, stop, pa, fill)
		    : 0;
}

/*
 * Table pages pt_map (@fill, to @pa) or pt_unmap needs for [ia, end) in a
 * table at @level: @table, or with NULL one not built yet, empty or (if
 * @leaves) all leaves. Exact, so pt_reserve takes no page it need not.
 */
static uint64_t pt_need(const struct pt_desc *d, const uint64_t *table,
			bool leaves, unsigned int level, uint64_t ia,
			uint64_t end, uintpaddr_t pa, bool fill)
{
	uint64_t size = pt_level_size(d, level);
	uint64_t n = 0;

	/* Every slot of the last level is a whole page: no table below. */
	if (level == pt_last_level(d))
		return 0;
	while (ia < end) {
		uint64_t stop = min_u64(align_down(ia, size) + size, end);
		uint64_t pte = 0;

		if (table)
			pte = pte_read(
				pt_slot(d, (uint64_t *)table, level, ia));
		n += pt_need_slot(d, pte, leaves, level, ia, stop, pa, fill);
		pa += stop - ia;
		ia = stop;
	}
	return n;
}

/* ---- unmapping ----------------------------------------------------------- */

/*
 * A new, unlinked table at @level holding what the leaf @leaf (covering
 * [base, base + its size)) mapped, less [lo, hi). Children straddling lo
 * or hi are split further.
 */
static uint64_t *pt_build_split(struct pt_op *op, uint64_t leaf,
				unsigned int level, uint64_t base, uint64_t lo,
				uint64_t hi)
{
	const struct pt_desc *d = op->pt->desc;
	uint64_t size = pt_level_size(d, level);
	uint64_t n = pt_nr_entries(d, level);
	uintpaddr_t pa = leaf & d->addr_mask;
	uint64_t attrs = pte_leaf_attrs(d, leaf);
	uint64_t *t = pt_alloc_table(op);

	for (uint64_t i = 0; i < n; i++) {
		uint64_t ia = base + i * size;
		uint64_t child = pte_make_leaf(d, level, pa + i * size, attrs);
		uint64_t *sub;

		if (ia + size <= lo || ia >= hi) {
			pt_make(op, &t[i], ia, size, child);
			continue;
		}
		if (ia >= lo && ia + size <= hi)
			continue; /* inside the hole */
		sub = pt_build_split(op, child, level + 1, ia, lo, hi);
		pt_make(op, &t[i], ia, size, pte_make_table(d, sub));
	}
	return t;
}

/*
 * The block at *@ptep (level @level, at @base) loses [lo, hi): replace it
 * by a table mapping the rest, break-before-make.
 */
static void pt_split(struct pt_op *op, uint64_t *ptep, unsigned int level,
		     uint64_t base, uint64_t lo, uint64_t hi)
{
	const struct pt_desc *d = op->pt->desc;
	uint64_t size = pt_level_size(d, level);
	uint64_t *sub =
		pt_build_split(op, pte_read(ptep), level + 1, base, lo, hi);

	pt_publish(op->pt);
	pt_break(op, ptep, base, size);
	pt_sync(op);
	pt_make(op, ptep, base, size, pte_make_table(d, sub));
}

static void pt_clear(struct pt_op *op, uint64_t *table, unsigned int level,
		     uint64_t ia, uint64_t end);

/*
 * The table entry *@ptep for [base, base + size) loses [ia, stop). A table
 * only partly cleared is unlinked if that emptied it, unless pt_map is
 * about to fill it again (pt_need counted on its staying).
 */
static void pt_clear_table(struct pt_op *op, uint64_t *ptep, unsigned int level,
			   uint64_t ia, uint64_t stop)
{
	const struct pt_desc *d = op->pt->desc;
	uint64_t size = pt_level_size(d, level);
	uint64_t base = align_down(ia, size);
	uint64_t *sub = pte_table(d, pte_read(ptep));

	if (ia != base || stop != base + size) {
		pt_clear(op, sub, level + 1, ia, stop);
		if (!op->prune || !pt_table_empty_after(d, sub, level + 1, ia))
			return;
	}
	pt_break(op, ptep, base, size);
	pt_defer_free(op, sub, level + 1);
}

/* Break every entry of @table inside [ia, end); unlink emptied tables. */
static void pt_clear(struct pt_op *op, uint64_t *table, unsigned int level,
		     uint64_t ia, uint64_t end)
{
	const struct pt_desc *d = op->pt->desc;
	uint64_t size = pt_level_size(d, level);

	while (ia < end) {
		uint64_t base = align_down(ia, size);
		uint64_t stop = min_u64(base + size, end);
		uint64_t *ptep = pt_slot(d, table, level, ia);
		uint64_t pte = pte_read(ptep);

		if (pte_is_table(d, pte, level))
			pt_clear_table(op, ptep, level, ia, stop);
		else if (!pte_is_leaf(d, pte, level))
			; /* a hole */
		else if (ia == base && stop == base + size)
			pt_break(op, ptep, base, size);
		else
			pt_split(op, ptep, level, base, ia, stop);
		ia = stop;
	}
}

/* ---- mapping ------------------------------------------------------------- */

static void pt_fill(struct pt_op *op, uint64_t *table, unsigned int level,
		    uint64_t ia, uint64_t end, uintpaddr_t pa, uint64_t attrs);

/* An empty slot that needs a table: build it unlinked, then link it. */
static void pt_fill_new_table(struct pt_op *op, uint64_t *ptep,
			      unsigned int level, uint64_t ia, uint64_t stop,
			      uintpaddr_t pa, uint64_t attrs)
{
	const struct pt_desc *d = op->pt->desc;
	uint64_t size = pt_level_size(d, level);
	uint64_t *sub = pt_alloc_table(op);

	pt_fill(op, sub, level + 1, ia, stop, pa, attrs);
	pt_publish(op->pt);
	pt_make(op, ptep, align_down(ia, size), size, pte_make_table(d, sub));
}

/* Map [ia, end) to @pa in @table, whose range pt_clear has emptied. */
static void pt_fill(struct pt_op *op, uint64_t *table, unsigned int level,
		    uint64_t ia, uint64_t end, uintpaddr_t pa, uint64_t attrs)
{
	const struct pt_desc *d = op->pt->desc;
	uint64_t size = pt_level_size(d, level);

	while (ia < end) {
		uint64_t base = align_down(ia, size);
		uint64_t stop = min_u64(base + size, end);
		uint64_t *ptep = pt_slot(d, table, level, ia);
		uint64_t pte = pte_read(ptep);

		if (pte_is_table(d, pte, level))
			pt_fill(op, pte_table(d, pte), level + 1, ia, stop, pa,
				attrs);
		else if (pt_leaf_fits(d, level, ia, stop, pa))
			pt_make(op, ptep, base, size,
				pte_make_leaf(d, level, pa, attrs));
		else
			pt_fill_new_table(op, ptep, level, ia, stop, pa, attrs);
		pa += stop - ia;
		ia = stop;
	}
}

/* ---- single pages ------------------------------------------------------- */

/*
 * The last-level slot of @ia, when every table above it exists (and
 * @ia is inside the tree): *@table is the table that holds it. NULL
 * otherwise. The walk of pt_lookup, for the one-page fast paths below.
 */
static uint64_t *pt_leaf_slot(const struct pt *pt, uint64_t ia,
			      uint64_t **table)
{
	const struct pt_desc *d = pt->desc;
	unsigned int last = pt_last_level(d);
	unsigned int shift = pt_shift(d, d->first_level);
	uint64_t idx_mask = UINT64_MAX; /* the root's: ia is below the limit */
	uint64_t *t = pt->root;

	if (ia >= pt_ia_limit(d))
		return NULL;
	for (unsigned int level = d->first_level; level < last; level++) {
		uint64_t pte = pte_read(&t[(ia >> shift) & idx_mask]);

		if ((pte & d->type_mask) != d->type_table)
			return NULL;
		t = pte_table(d, pte);
		idx_mask = (1ULL << d->bits_per_level) - 1;
		shift -= d->bits_per_level;
	}
	*table = t;
	return &t[(ia >> shift) & idx_mask];
}

/* Does the last-level @table hold an entry other than *@ptep? */
static bool pt_table_has_other(const struct pt_desc *d, const uint64_t *table,
			       const uint64_t *ptep)
{
	uint64_t i = (uint64_t)(ptep - table);
	uint64_t n = pt_nr_entries(d, pt_last_level(d));

	/* Neighbours first: see pt_table_empty_after. */
	if ((i + 1 < n && table[i + 1]) || (i > 0 && table[i - 1]))
		return true;
	for (uint64_t j = 0; j < n; j++) {
		if (j != i && table[j])
			return true;
	}
	return false;
}

/*
 * One page into a hole whose tables exist: one walk and one store, no
 * flush (nothing valid was there), instead of the count, clear and fill
 * passes (bench-micro's grant-map-unmap rows map one page at a time).
 * False: the general path must do it.
 */
static bool pt_map_page_fast(struct pt_op *op, uint64_t ia, uintpaddr_t pa,
			     uint64_t attrs)
{
	const struct pt_desc *d = op->pt->desc;
	uint64_t *table;
	uint64_t *ptep = pt_leaf_slot(op->pt, ia, &table);

	if (!ptep || pte_read(ptep))
		return false;
	pt_make(op, ptep, ia, PAGE_SIZE,
		pte_make_leaf(d, pt_last_level(d), pa, attrs));
	pt_publish(op->pt);
	return true;
}

/*
 * One page mapped in a table that keeps other entries: break it and
 * flush that page, no table is unlinked (bench-micro's grant-map-unmap
 * rows unmap one page at a time). False: the general path must do it.
 */
static bool pt_unmap_page_fast(struct pt_op *op, uint64_t ia)
{
	const struct pt_desc *d = op->pt->desc;
	uint64_t *table;
	uint64_t *ptep = pt_leaf_slot(op->pt, ia, &table);

	if (!ptep || !pte_is_leaf(d, pte_read(ptep), pt_last_level(d)) ||
	    !pt_table_has_other(d, table, ptep))
		return false;
	pt_break(op, ptep, ia, PAGE_SIZE);
	pt_finish(op);
	return true;
}

/* ---- the interface ------------------------------------------------------- */

static bool pt_ia_range_ok(const struct pt_desc *d, uint64_t ia, uint64_t size)
{
	return is_aligned(ia, PAGE_SIZE) && is_aligned(size, PAGE_SIZE) &&
	       ia <= pt_ia_limit(d) && size <= pt_ia_limit(d) - ia;
}

static bool pt_oa_range_ok(const struct pt_desc *d, uintpaddr_t pa,
			   uint64_t size)
{
	return is_aligned(pa, PAGE_SIZE) && pa <= pt_oa_limit(d) &&
	       size <= pt_oa_limit(d) - pa;
}

int pt_init(struct pt *pt, const struct pt_desc *desc,
	    const struct pt_hooks *hooks, struct page_pool *pool)
{
	unsigned int order = pt_root_order(desc);

	BUG_ON(!pt_desc_valid(desc));
	pt->desc = desc;
	pt->hooks = hooks;
	pt->pool = pool;
	pt->nr_tables = 0;
	/* As in Xen, the (concatenated, aligned) root is not the pool's. */
	pt->root = alloc_pages(order);
	if (!pt->root)
		return -ENOMEM;
	pt->root_pa = arch_va_to_pa(pt->root);
	/* The hardware finds a concatenated root by its aligned base. */
	BUG_ON(!is_aligned(pa_addr(pt->root_pa), PAGE_SIZE << order));
	memset(pt->root, 0, PAGE_SIZE << order);
	pt->nr_tables = desc->root_pages;
	return 0;
}

void pt_destroy(struct pt *pt)
{
	const struct pt_desc *d = pt->desc;
	uint64_t n;

	if (!pt->root)
		return;
	n = pt_nr_entries(d, d->first_level);
	for (uint64_t i = 0; i < n; i++) {
		if (pte_is_table(d, pt->root[i], d->first_level))
			pt_free_tree(pt, pte_table(d, pt->root[i]),
				     d->first_level + 1);
	}
	free_pages(pt->root, pt_root_order(d));
	pt->nr_tables -= d->root_pages;
	BUG_ON(pt->nr_tables != 0);
	pt->root = NULL;
}

int pt_map(struct pt *pt, uint64_t ia, paddr_t pa, uint64_t size,
	   uint64_t attrs)
{
	const struct pt_desc *d = pt->desc;
	struct pt_op op;
	uint64_t end = ia + size;
	int ret;

	BUG_ON(attrs & (d->addr_mask | d->type_mask));
	pt_op_init(&op, pt, false);
	if (!pt_ia_range_ok(d, ia, size) ||
	    !pt_oa_range_ok(d, pa_addr(pa), size))
		return -EINVAL;
	if (!size)
		return 0;
	if (size == PAGE_SIZE && pt_map_page_fast(&op, ia, pa_addr(pa), attrs))
		return 0;
	ret = pt_reserve(&op, pt_need(d, pt->root, false, d->first_level, ia,
				      end, pa_addr(pa), true));
	if (ret)
		return ret;
	pt_clear(&op, pt->root, d->first_level, ia, end);
	pt_sync(&op);
	pt_fill(&op, pt->root, d->first_level, ia, end, pa_addr(pa), attrs);
	pt_finish(&op);
	return 0;
}

int pt_unmap(struct pt *pt, uint64_t ia, uint64_t size)
{
	const struct pt_desc *d = pt->desc;
	struct pt_op op;
	int ret;

	pt_op_init(&op, pt, true);
	if (!pt_ia_range_ok(d, ia, size))
		return -EINVAL;
	if (!size)
		return 0;
	if (size == PAGE_SIZE && pt_unmap_page_fast(&op, ia))
		return 0;
	ret = pt_reserve(&op, pt_need(d, pt->root, false, d->first_level, ia,
				      ia + size, 0, false));
	if (ret)
		return ret;
	pt_clear(&op, pt->root, d->first_level, ia, ia + size);
	pt_finish(&op);
	return 0;
}

/*
 * The walk with the description's fields in registers: every guest copy
 * and grant operation walks the p2m at least once (bench-micro's
 * grant-map-unmap and grant-copy-4k rows: ~130 instructions a walk done
 * through the generic helpers, about a third of that here).
 */
bool pt_lookup(const struct pt *pt, uint64_t ia, struct pt_entry *e)
{
	const struct pt_desc *d = pt->desc;
	unsigned int last = pt_last_level(d);
	unsigned int level = d->first_level;
	unsigned int shift = pt_shift(d, level);
	uint64_t type_mask = d->type_mask, type_table = d->type_table;
	uint64_t addr_mask = d->addr_mask;
	/* The root's index needs no mask: ia is below the limit. */
	uint64_t idx_mask = UINT64_MAX;
	const uint64_t *table = pt->root;
	uint64_t pte, size;

	*e = (struct pt_entry){.level = level, .size = 1ULL << shift};
	if (ia >= pt_ia_limit(d))
		return false;
	for (;;) {
		pte = pte_read(&table[(ia >> shift) & idx_mask]);
		if (level == last || (pte & type_mask) != type_table)
			break;
		table = arch_pa_to_va(pa_init(pte & addr_mask));
		idx_mask = (1ULL << d->bits_per_level) - 1;
		shift -= d->bits_per_level;
		level++;
	}
	size = 1ULL << shift;
	e->level = level;
	e->size = size;
	if (!pte_is_leaf(d, pte, level))
		return false;
	e->pte = pte;
	e->attrs = pte_leaf_attrs(d, pte);
	e->pa = pa_init((pte & addr_mask) + (ia & (size - 1)));
	return true;
}
