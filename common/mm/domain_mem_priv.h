/* SPDX-License-Identifier: MIT */
/*
 * Between the frame table (domain_mem.c) and the physmap
 * (domain_physmap.c), the two halves of <orchid/domain_mem.h>.
 */
#ifndef COMMON_MM_DOMAIN_MEM_PRIV_H
#define COMMON_MM_DOMAIN_MEM_PRIV_H

#include <orchid/types.h>
#include <public/xen.h>

struct domain;

/*
 * A direct-mapped domain's pages are mapped where they lie: its highest
 * GFN (domain_mem_max_gfn) grows with each page it is given.
 */
void domain_physmap_raise_max_gfn(struct domain *d, xen_pfn_t gfn);

#endif
