/* SPDX-License-Identifier: MIT */
/*
 * Grant tables (common/xen/grant_table.c, grant_map.c) as the rest of Orchid
 * uses them, and the one architecture hook they need. Version 1 only: Arm
 * has no v2 (Xen's GNTTAB_MAX_VERSION 1).
 */
#ifndef ORCHID_GRANT_TABLE_H
#define ORCHID_GRANT_TABLE_H

#include <orchid/errno.h>
#include <orchid/types.h>
#include <public/grant_table.h>
#include <public/xen.h>

struct domain;

/* Xen 4.17's default and limit of shared frames (opt_max_grant_frames). */
#define GNTTAB_MAX_FRAMES_DEFAULT 64

#ifdef CONFIG_GRANT_TABLE

/*
 * Give @d a grant table of at most @max_frames shared frames (negative:
 * the default), with its first frame allocated as Xen does. 0, -EINVAL
 * (0 or above the limit) or -ENOMEM.
 */
int gnttab_domain_init(struct domain *d, int max_frames);
/* Free the frames; @d's vCPUs never run again and its stage 2 is gone. */
void gnttab_domain_destroy(struct domain *d);

/*
 * Grant @backend access to @d's page at @gfn in entry @ref, as libxl's
 * xc_dom_gnttab_seed does for a domain it builds: for a boot-time DomU,
 * whose reserved entries no toolstack writes (GNTTAB_RESERVED_CONSOLE:
 * xenconsoled maps the console ring through it). Before @d runs only.
 * 0, -EINVAL (@ref beyond the table's maximum) or -ENOMEM.
 */
int gnttab_seed_entry(struct domain *d, grant_ref_t ref, domid_t backend,
		      xen_pfn_t gfn);
/*
 * The host address of shared frame @idx, allocating frames up to it.
 * 0, -EINVAL (beyond the domain's maximum) or -ENOMEM.
 */
int gnttab_get_shared_frame(struct domain *d, unsigned long idx, paddr_t *pa);
/*
 * XENMEM_add_to_physmap with XENMAPSPACE_grant_table: map shared frame
 * @idx at @gfn (p2m_xen_page) and remember @gfn for GNTTABOP_setup_table.
 * As Xen 4.17 on Arm, a frame already mapped must be unmapped first
 * (-EBUSY). Otherwise the errors of gnttab_get_shared_frame and p2m_map.
 */
int gnttab_map_shared_frame(struct domain *d, unsigned long idx, xen_pfn_t gfn);
/*
 * XENMEM_remove_from_physmap of @gfn: when a shared frame is mapped there,
 * unmap it and forget @gfn. 0, or -ENOENT when no frame is at @gfn.
 */
int gnttab_unmap_shared_frame(struct domain *d, xen_pfn_t gfn);

/*
 * Drop every grant mapping @d made of other domains' grants (or of its
 * own): the pages' references go, the granters' entries are unpinned. Its
 * stage 2 is being torn down (domain_mem_release_all), so the mappings
 * themselves are not removed one by one. Idempotent.
 */
void gnttab_release_mappings(struct domain *d);
/*
 * The same from maptrack entry *@cursor on; when @preemptible, stops for
 * pending work with -ERESTART and *@cursor saying where to go on from
 * (destroydomain's continuation). 0 once none is left.
 */
int gnttab_release_mappings_from(struct domain *d, uint64_t *cursor,
				 bool preemptible);

/* XENMEM_acquire_resource: @d's grant-table frames (0 without a table). */
unsigned int gnttab_max_frames(const struct domain *d);
/*
 * The host addresses of shared frames [@frame, @frame + @nr) of @d (id
 * XENMEM_resource_grant_table_id_shared only), allocating them as needed:
 * @nr, or -EINVAL (a bad id; beyond the maximum; out of memory, as Xen).
 */
long gnttab_acquire_resource(struct domain *d, unsigned int id,
			     unsigned int frame, unsigned int nr, paddr_t *pas);

/* The grant_table_op hypercall. */
long do_grant_table_op(unsigned int cmd, uint64_t uop, unsigned int count);

#else /* !CONFIG_GRANT_TABLE */

/*
 * Built without grant tables, as Xen 4.17 without CONFIG_GRANT_TABLE: a
 * domain gets none whatever its limits ask, the grant-table space of
 * add_to_physmap and its resource are -EINVAL, and nothing is mapped.
 */
static inline int gnttab_domain_init(struct domain *d, int max_frames)
{
	(void)d;
	(void)max_frames;
	return 0;
}
static inline void gnttab_domain_destroy(struct domain *d)
{
	(void)d;
}
/* No table: xenconsoled maps the ring by its GFN instead. */
static inline int gnttab_seed_entry(struct domain *d, grant_ref_t ref,
				    domid_t backend, xen_pfn_t gfn)
{
	(void)d;
	(void)ref;
	(void)backend;
	(void)gfn;
	return 0;
}
static inline int gnttab_map_shared_frame(struct domain *d, unsigned long idx,
					  xen_pfn_t gfn)
{
	(void)d;
	(void)idx;
	(void)gfn;
	return -EINVAL;
}
static inline int gnttab_unmap_shared_frame(struct domain *d, xen_pfn_t gfn)
{
	(void)d;
	(void)gfn;
	return -ENOENT;
}
static inline void gnttab_release_mappings(struct domain *d)
{
	(void)d;
}
static inline int gnttab_release_mappings_from(struct domain *d,
					       uint64_t *cursor,
					       bool preemptible)
{
	(void)d;
	(void)cursor;
	(void)preemptible;
	return 0;
}
static inline unsigned int gnttab_max_frames(const struct domain *d)
{
	(void)d;
	return 0;
}
static inline long gnttab_acquire_resource(struct domain *d, unsigned int id,
					   unsigned int frame, unsigned int nr,
					   paddr_t *pas)
{
	(void)d;
	(void)id;
	(void)frame;
	(void)nr;
	(void)pas;
	return -EINVAL;
}

#endif /* CONFIG_GRANT_TABLE */

/*
 * Architecture: clean and/or invalidate the data cache to the point of
 * coherency over [@va, @va + @len), for GNTTABOP_cache_flush.
 */
void arch_flush_dcache_range(void *va, size_t len, bool clean, bool invalidate);

#endif /* ORCHID_GRANT_TABLE_H */
