/* SPDX-License-Identifier: MIT */
/*
 * The inside of a grant table, shared by common/xen/grant_table.c (shared
 * frames, the hypercall, set-up queries) and common/xen/grant_map.c (mapping,
 * unmapping and copying grants).
 */
#ifndef COMMON_GRANT_TABLE_PRIV_H
#define COMMON_GRANT_TABLE_PRIV_H

#include <orchid/domain_mem.h>
#include <orchid/grant_table.h>
#include <orchid/spinlock.h>
#include <public/grant_table.h>

#define GNTTAB_ENTRIES_PER_FRAME (PAGE_SIZE / sizeof(struct grant_entry_v1))

/*
 * Pin counts of a grant in use (Xen's GNTPIN_*): 8 bits each for host
 * mappings (and copies) that write and that only read. Device mappings do
 * not exist on Arm. A count never goes past 127 (Xen's overflow check).
 */
#define GNTPIN_hstw_inc	 0x0001U
#define GNTPIN_hstw_mask 0x00ffU
#define GNTPIN_hstr_inc	 0x0100U
#define GNTPIN_hstr_mask 0xff00U

/* A grant some domain uses: Xen's active_grant_entry. */
struct gnttab_active {
	uint32_t pin;  /* GNTPIN_*; 0: not in use */
	domid_t domid; /* the domain using it, while pinned */
	paddr_t pa;    /* the granted page, while pinned */
};

/* One mapping this domain made of another's grant: Xen's grant_mapping. */
struct gnttab_maptrack {
	uint32_t flags;	    /* GNTMAP_* as mapped; 0: free or being made */
	grant_ref_t ref;    /* in the granter's table */
	uint32_t gen;	    /* the granter's table (grant_table.gen) */
	uint32_t next_free; /* free entries: the next one */
	paddr_t pa;	    /* the page, holding a reference */
	domid_t domid;	    /* the granter */
	bool busy;	    /* being made, or being unmapped */
};
#define GNTTAB_MAPTRACK_NONE UINT32_MAX

/* A shared frame, and where the guest mapped it (GNTTAB_INVALID_GFN: not). */
struct gnttab_frame {
	void *page; /* GNTTAB_ENTRIES_PER_FRAME entries */
	xen_pfn_t gfn;
	struct gnttab_active *active; /* one per entry */
};
#define GNTTAB_INVALID_GFN DOMAIN_MEM_NO_GFN

struct grant_table {
	spinlock_t lock;
	unsigned int version; /* 1: the only version Arm has */
	unsigned int max_frames;
	unsigned int nr_frames; /* frames[0..nr_frames) are allocated */
	/*
	 * Tells this table from a later one of a domain with the same id:
	 * mappings of a dead granter's grants find it changed.
	 */
	uint32_t gen;
	struct gnttab_maptrack *maptrack;
	uint32_t maptrack_size;
	uint32_t maptrack_free; /* first free entry, or GNTTAB_MAPTRACK_NONE */
	struct gnttab_frame frames[];
};

/* Proof that the caller holds @gt's lock (one grant-table lock at a time). */
struct gnttab_locked {
	struct domain *d;
	struct grant_table *gt;
};

struct gnttab_locked gnttab_lock(struct domain *d);
void gnttab_unlock(struct gnttab_locked l);

static inline unsigned int gnttab_nr_entries(const struct grant_table *gt)
{
	return gt->nr_frames * GNTTAB_ENTRIES_PER_FRAME;
}

static inline struct grant_entry_v1 *gnttab_entry(const struct grant_table *gt,
						  grant_ref_t ref)
{
	return (struct grant_entry_v1 *)gt
		       ->frames[ref / GNTTAB_ENTRIES_PER_FRAME]
		       .page +
	       ref % GNTTAB_ENTRIES_PER_FRAME;
}

static inline struct gnttab_active *
gnttab_active_entry(const struct grant_table *gt, grant_ref_t ref)
{
	return &gt->frames[ref / GNTTAB_ENTRIES_PER_FRAME]
			.active[ref % GNTTAB_ENTRIES_PER_FRAME];
}

/* grant_map.c: one element of GNTTABOP_map/unmap_grant_ref, copy. */
int16_t gnttab_map_one(struct domain *ld, struct gnttab_map_grant_ref *op);
int16_t gnttab_unmap_one(struct domain *ld,
			 const struct gnttab_unmap_grant_ref *op);
/*
 * One side of a GNTTABOP_copy: a pinned grant or a frame of the caller's
 * own, with a reference on its page, kept from one element of a batch to
 * the next while they name the same one (Xen's struct gnttab_copy_buf).
 */
struct gnttab_copy_buf {
	struct domain *d;
	uint32_t gen;	 /* with a grant: the granter's table */
	bool gref;	 /* @key is a grant ref, else a GFN of the caller */
	bool have_grant; /* pinned (released with gnttab_unpin) */
	bool have_page;	 /* holds a reference on @pa */
	uint64_t key;
	paddr_t pa;
};

struct gnttab_copy_cache {
	struct gnttab_copy_buf src, dst;
};

int16_t gnttab_copy_one(struct domain *ld, const struct gnttab_copy *op,
			struct gnttab_copy_cache *c);
/* What @c still holds, let go: at the end of a batch or its preemption. */
void gnttab_copy_cache_release(struct domain *ld, struct gnttab_copy_cache *c);
/*
 * Does @ld map (or copy) the page at @pa by a grant? (cache_flush, Xen's
 * grant_map_exists) The owner's entries are searched from *@cur_ref on,
 * GNTTAB_SEARCH_SLICE of them per call, so that a long search can be
 * preempted: 1 found; 0 not in this slice, *@cur_ref is where to go on;
 * -EINVAL nowhere.
 */
#define GNTTAB_SEARCH_SLICE (1U << 12) /* Xen's CONTINUATION_ARG_SHIFT */
int gnttab_grant_map_find(const struct domain *ld, paddr_t pa,
			  grant_ref_t *cur_ref);

#endif /* COMMON_GRANT_TABLE_PRIV_H */
