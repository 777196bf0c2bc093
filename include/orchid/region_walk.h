/* SPDX-License-Identifier: MIT */
/*
 * Walking a list of memory regions a bounded piece at a time, for work
 * that must give its pCPU back between pieces (a deferred DomU build
 * scrubbing its RAM: arch/arm64/dom0less_prep.c). The walk is a cursor
 * only: the regions stay the caller's, unchanged.
 */
#ifndef ORCHID_REGION_WALK_H
#define ORCHID_REGION_WALK_H

#include <orchid/bootinfo.h>
#include <orchid/types.h>

struct region_walk {
	unsigned int idx; /* the region the next piece starts in */
	uint64_t off;	  /* ... at this offset into it */
};

static inline void region_walk_init(struct region_walk *w)
{
	w->idx = 0;
	w->off = 0;
}

/*
 * The next piece of @r[0..@nr) from @w on, in *@piece: at most @max bytes
 * (at least 1), never across two regions; @w moves past it. False, and
 * *@piece untouched, once every byte was handed out (empty regions are
 * skipped). Each byte is handed out once, in order.
 */
bool region_walk_next(struct region_walk *w, const struct mem_region *r,
		      unsigned int nr, uint64_t max, struct mem_region *piece);

#endif
