/* SPDX-License-Identifier: MIT */
/*
 * A domain's RAM as the domain life cycle (common/domain.c, domctl.c)
 * needs it: its limit, its size, and giving it all back when the domain
 * dies. Implemented with the page ownership of common/memory.c.
 */
#ifndef ORCHID_DOMAIN_MEM_H
#define ORCHID_DOMAIN_MEM_H

#include <orchid/types.h>

struct domain;

/*
 * XEN_DOMCTL_max_mem: the most pages @d may own from now on. As in Xen, a
 * limit below what it owns is accepted; further allocations then fail
 * until it is back under. 0 or a negative errno.
 */
int domain_mem_set_max(struct domain *d, uint64_t max_pages);

/*
 * The domain is dying: no vCPU of it runs and no pCPU has its stage 2
 * loaded. Scrub and free every RAM page it owns and remove its p2m
 * mappings of other domains' pages (foreign and grant mappings), so that
 * the page allocator's free count is back to what it was before the
 * domain got its memory. Its stage-2 tables themselves are freed after,
 * by p2m_destroy.
 */
void domain_mem_release_all(struct domain *d);

/* The pages @d owns now (XEN_DOMCTL_getdomaininfo's tot_pages). */
uint64_t domain_mem_tot_pages(const struct domain *d);

#endif /* ORCHID_DOMAIN_MEM_H */
