/* SPDX-License-Identifier: MIT */
/*
 * Static memory of boot-time DomUs: Xen 4.17's "xen,static-mem"
 * (docs/misc/arm/device-tree/booting.txt, "Static Allocation";
 * common/boot/static_mem.c). A domain node lists host RAM banks as
 * <address size> pairs, in the cells of its parent (/chosen): those banks
 * never reach the page allocator, and only that domain ever gets them,
 * at every (re)build. Without CONFIG_STATIC_MEMORY such a node is refused
 * by dom0less.c (as Xen built without it would panic).
 */
#ifndef ORCHID_STATIC_MEM_H
#define ORCHID_STATIC_MEM_H

#include <orchid/bootinfo.h>

#ifdef CONFIG_STATIC_MEMORY
/*
 * Read every dom0less domain's xen,static-mem into bi->domus[].smem and
 * check it against RAM, @image (Orchid's), the DTB, the boot modules,
 * the reserved regions and the banks taken before it. A bad one is
 * logged and refused whole (smem.refused; that domain must not start);
 * the banks of the others are kept. Before bootmem_init.
 */
void static_mem_parse(struct bootinfo *bi, const struct fdt *fdt,
		      const struct mem_region *image);
/* After domain_mem_init: the kept banks in the frame table, as static. */
void static_mem_mark(const struct bootinfo *bi);
#else
static inline void static_mem_parse(struct bootinfo *bi, const struct fdt *fdt,
				    const struct mem_region *image)
{
	(void)bi;
	(void)fdt;
	(void)image;
}

static inline void static_mem_mark(const struct bootinfo *bi)
{
	(void)bi;
}
#endif

#endif
