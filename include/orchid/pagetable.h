/* SPDX-License-Identifier: MIT */
/*
 * A generic page-table engine for 4 KiB-granule tables of 8-byte entries
 * (the Arm VMSAv8-64 kind). It knows nothing of any descriptor format: a
 * struct pt_desc tells it the levels and which bits mean table, block and
 * page, and the architecture gives it its barrier and TLB invalidation as
 * struct pt_hooks. Stage 2 (arch/arm64/p2m.c) is built on it, and it is
 * unit-tested on the host against the same descriptions.
 *
 * Break-before-make: the engine never stores a valid entry over another
 * valid one. An entry that must change is first made invalid ("broken"),
 * then pt_hooks.tlb_flush is called for its range, and only then is the new
 * entry written; a table page unlinked from the tree is freed only after
 * that flush too. Both rules are checked on every store (a violation is a
 * hypervisor bug and panics). Flushes are batched: every entry broken by
 * one pt_map or pt_unmap is covered by one flush, made before the first
 * store that needs it and at the end of the call at the latest.
 *
 * Table pages (all but the root) come from the tree's struct page_pool, so
 * a domain's tables are bounded by its pool; a tree without a pool takes
 * them from the page allocator. Each pt_map and pt_unmap takes every table
 * page it needs before its first store, so running out of memory fails
 * the call before anything has changed.
 *
 * The engine does no locking: the owner of a struct pt serialises calls.
 */
#ifndef ORCHID_PAGETABLE_H
#define ORCHID_PAGETABLE_H

#include <orchid/types.h>

/*
 * The shape of a tree and its descriptor encoding. Levels are numbered as
 * the architecture numbers them: the root is @first_level, the leaves
 * (pages) are first_level + nr_levels - 1. Every table but the root is one
 * page of 1 << bits_per_level entries; the root covers the whole input
 * space and may be @root_pages concatenated pages.
 */
struct pt_desc {
	unsigned int first_level; /* level number of the root */
	unsigned int nr_levels;	  /* levels walked, root and leaves included */
	unsigned int bits_per_level; /* input bits resolved per level (9) */
	unsigned int ia_bits;	     /* input address bits the tree covers */
	unsigned int root_pages;     /* concatenated root pages, a power of 2 */
	uint32_t block_levels;	     /* bit n: level n may hold block entries */

	/* Descriptor encoding: (entry & type_mask) gives the entry's kind. */
	uint64_t type_mask;
	uint64_t type_table; /* a next-level table (any level but the last) */
	uint64_t type_block; /* a block (a level in block_levels) */
	uint64_t type_page;  /* a page (the last level) */
	uint64_t addr_mask;  /* output address bits of every kind */
};

struct pt;
struct page_pool;

/* What the architecture does around the engine's stores. */
struct pt_hooks {
	/*
	 * Make every entry stored so far visible to the hardware table
	 * walker (arm64: DSB ISHST). Called before a new table is linked
	 * into the tree and at the end of each pt_map/pt_unmap.
	 */
	void (*publish)(const struct pt *pt);
	/*
	 * Invalidate every cached translation (TLB, walk cache) of
	 * [ia, ia + size). Called after the entries of that range were made
	 * invalid in memory and before any of them is written again; must
	 * itself order those stores before the invalidation. A no-op on the
	 * host.
	 */
	void (*tlb_flush)(const struct pt *pt, uint64_t ia, uint64_t size);
};

/* One tree. */
struct pt {
	const struct pt_desc *desc;
	const struct pt_hooks *hooks;
	uint64_t *root;		/* hypervisor VA of the root, NULL when none */
	paddr_t root_pa;	/* physical address of the root */
	uint64_t nr_tables;	/* table pages in use, root pages included */
	struct page_pool *pool; /* where tables come from; NULL: the heap */
};

/* What pt_lookup found at an input address. */
struct pt_entry {
	uint64_t pte;	    /* the leaf entry; 0 for a hole */
	unsigned int level; /* level the walk stopped at */
	uint64_t size;	    /* bytes that entry (or hole) covers */
	paddr_t pa;	    /* output address of the byte asked for */
	uint64_t attrs;	    /* leaf bits outside addr_mask and type_mask */
};

/*
 * An empty tree whose tables will come from @pool (NULL: the page
 * allocator): allocate and zero the root, from the page allocator as Xen
 * does (it is concatenated and aligned). 0 or -ENOMEM.
 */
int pt_init(struct pt *pt, const struct pt_desc *desc,
	    const struct pt_hooks *hooks, struct page_pool *pool);

/*
 * Free every table, root included; tables go back to the pool. No TLB
 * invalidation: the owner flushes whatever the hardware may still cache of
 * the tree before reusing it.
 */
void pt_destroy(struct pt *pt);

/*
 * Map [ia, ia + size) to [pa, pa + size) with leaf bits @attrs (neither
 * address nor type bits), replacing whatever was mapped there. Blocks are
 * used wherever ia and pa are aligned alike and a whole block fits.
 * 0, -EINVAL (unaligned, outside the input space or the output mask) or
 * -ENOMEM (not enough table pages); after an error nothing has changed.
 */
int pt_map(struct pt *pt, uint64_t ia, paddr_t pa, uint64_t size,
	   uint64_t attrs);

/*
 * Unmap [ia, ia + size); holes are fine. A block only partly inside the
 * range is split into smaller entries, which needs table pages. 0, -EINVAL
 * or -ENOMEM; after an error nothing has changed.
 */
int pt_unmap(struct pt *pt, uint64_t ia, uint64_t size);

/* Walk to @ia. True and *@e filled when mapped; false (and *@e the hole). */
bool pt_lookup(const struct pt *pt, uint64_t ia, struct pt_entry *e);

/* Table pages in use, root pages included. */
static inline uint64_t pt_table_pages(const struct pt *pt)
{
	return pt->nr_tables;
}

#endif /* ORCHID_PAGETABLE_H */
