// SPDX-License-Identifier: MIT
/*
 * A cursor over a list of memory regions (orchid/region_walk.h).
 */
#include <orchid/region_walk.h>

bool region_walk_next(struct region_walk *w, const struct mem_region *r,
		      unsigned int nr, uint64_t max, struct mem_region *piece)
{
	uint64_t len;

	while (w->idx < nr && w->off >= r[w->idx].size) {
		w->idx++;
		w->off = 0;
	}
	if (w->idx >= nr || max == 0)
		return false;
	len = r[w->idx].size - w->off;
	if (len > max)
		len = max;
	piece->base = pa_init(pa_addr(r[w->idx].base) + w->off);
	piece->size = len;
	w->off += len;
	return true;
}
