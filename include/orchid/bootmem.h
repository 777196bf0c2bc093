/* SPDX-License-Identifier: MIT */
#ifndef ORCHID_BOOTMEM_H
#define ORCHID_BOOTMEM_H

#include <orchid/bootinfo.h>

/* RAM minus the image, DTB, boot modules and reserved regions. */
void bootmem_free_ranges(const struct bootinfo *bi,
			 const struct mem_region *image, struct range_set *out);
/* Give that free RAM to the page allocator. */
void bootmem_init(const struct bootinfo *bi, const struct mem_region *image);

/* The highest RAM page frame number (XENMEM_maximum_ram_page). */
uint64_t bootmem_max_pfn(void);

#endif
