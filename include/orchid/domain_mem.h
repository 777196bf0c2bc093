/* SPDX-License-Identifier: MIT */
/*
 * Who owns each page of RAM (common/mm/domain_mem.c): a frame table with one
 * entry per page of every RAM bank, saying which domain a page belongs to
 * and how many foreign and grant mappings reference it. A page is freed
 * only once its owner has let it go and no mapping is left; every page is
 * zeroed before a domain sees it and when it is freed.
 *
 * The domain life cycle (common/domain.c, domctl.c) uses the first four
 * functions; memory_op (common/xen/memory.c) and the grant tables
 * (common/xen/grant_table.c, grant_map.c) the rest.
 *
 * Locks, outermost first: a grant table's lock, a domain's physmap lock
 * (here), a domain's p2m lock, the frame table's lock, the page
 * allocator's. At most one of each kind is held at a time.
 */
#ifndef ORCHID_DOMAIN_MEM_H
#define ORCHID_DOMAIN_MEM_H

#include <orchid/p2m.h>
#include <orchid/types.h>
#include <public/xen.h>

struct bootinfo;
struct domain;

/*
 * Boot: build the frame table for every RAM bank of @bi (about 0.4% of
 * RAM, from the page allocator). Once, after bootmem_init and before the
 * first domain is created; panics when the memory is not there.
 */
void domain_mem_init(const struct bootinfo *bi);

/*
 * XEN_DOMCTL_max_mem: the most pages @d may own from now on. As in Xen, a
 * limit below what it owns is accepted; further allocations then fail
 * until it is back under. 0 or a negative errno.
 */
int domain_mem_set_max(struct domain *d, uint64_t max_pages);

/*
 * The domain is dying: no vCPU of it runs again. Remove every mapping
 * from its stage 2, drop the references its foreign and grant mappings
 * hold on other domains' pages, and scrub and free every RAM page it owns
 * that nothing else maps (a page another domain still maps is freed when
 * that mapping goes). Afterwards the domain owns nothing: tot_pages is 0.
 * Call it before gnttab_domain_destroy and p2m_destroy; calling it again
 * does nothing.
 */
void domain_mem_release_all(struct domain *d);
/*
 * domain_mem_release_all in steps, for a destroy that can be preempted:
 * domain_mem_release_begin empties the stage 2 and drops the references
 * its foreign mappings hold; the caller then drops its grant mappings
 * (gnttab_release_mappings_from, preemptible too);
 * domain_mem_release_frames then gives back the pages from
 * frame *@cursor (0 first) on, and returns -ERESTART when it stopped for
 * pending work (call it again with the same cursor) or 0 when done.
 */
void domain_mem_release_begin(struct domain *d);
int domain_mem_release_frames(struct domain *d, uint64_t *cursor);

/* The pages @d owns now (XEN_DOMCTL_getdomaininfo's tot_pages). */
uint64_t domain_mem_tot_pages(const struct domain *d);

/*
 * Domain build: the block of 2^@order pages at @va, from alloc_pages,
 * becomes @d's RAM (counted in tot_pages; max_pages is raised to cover
 * it). For Dom0's memory, so that its balloon driver can give pages back
 * and take them again, and grant copies can reach them. 0, or -EINVAL
 * when the block is not RAM of the frame table or already owned.
 */
int domain_mem_assign(struct domain *d, void *va, unsigned int order);

/* ---- static memory (xen,static-mem) -------------------------------- */

/*
 * Boot, after domain_mem_init: the @nr pages at @pa (RAM the page
 * allocator never got) are static memory, kept for one domain.
 */
void domain_mem_mark_static(paddr_t pa, uint64_t nr);
/*
 * Domain build: those @nr pages become @d's RAM, zeroed, in tot_pages (as
 * domain_mem_assign). When @d lets them go (its death; a guest's
 * decrease_reservation does not, @d->static_mem) they are kept again,
 * never freed. 0, or -EBUSY when one is not free static memory (another
 * owner, or a mapping of a dead incarnation still held).
 */
int domain_mem_assign_static(struct domain *d, paddr_t pa, uint64_t nr);

/* ---- RAM pages ------------------------------------------------------ */

/*
 * New RAM for @d: 2^@order pages, zeroed and cleaned to the point of
 * coherency, counted against max_pages, below 2^@addr_bits when that is
 * not 0. 0 (*@pa their address), -ENOMEM (over max_pages, or no memory)
 * or -EINVAL (@d is dying).
 */
int domain_mem_alloc(struct domain *d, unsigned int order,
		     unsigned int addr_bits, paddr_t *pa);

/*
 * @d gives back its RAM page at @pa, which no longer appears in its p2m:
 * scrubbed and freed when nothing maps it (its whole allocation block
 * once every page of the block is given back). 0, or -ENXIO when @pa is
 * not RAM @d owns.
 */
int domain_mem_release(struct domain *d, paddr_t pa);

/*
 * Does @d still hold the page at @pa: its RAM, or one of Orchid's pages
 * lent to it? A page it gave back is not, though its frame still names it
 * while others map it.
 */
bool domain_mem_holds(const struct domain *d, paddr_t pa);
/* Is @pa a RAM page @d owns (not one of Orchid's pages lent to it)? */
bool domain_mem_owns(const struct domain *d, paddr_t pa);
/*
 * For a page the caller found mapped in @d's stage 2 and holds there
 * (under @d's p2m lock): is it @d's own RAM, mapped as RAM (p2m_ram_rw or
 * p2m_ram_ro), not a grant or foreign mapping? True only when sure; false
 * also for RAM of @d's that holds a page reference. Takes no lock.
 */
bool domain_mem_mapped_ram_of(const struct domain *d, paddr_t pa);

/* ---- Orchid's pages lent to a domain (grant-table frames) ------------- */

/*
 * A zeroed page that Orchid owns on behalf of @d: not counted in its
 * tot_pages, but others may map it (XENMEM_acquire_resource). NULL when
 * out of memory. Before domain_mem_init the page is not tracked, and
 * nobody else may map it.
 */
void *domain_mem_alloc_xen_page(struct domain *d);
/* Free it; the page goes back once the last mapping of it is gone. */
void domain_mem_free_xen_page(void *va);
/*
 * 2^@order zeroed pages Orchid shares with the control domain as
 * DOMID_XEN's (the trace buffers xentrace maps by MFN), never freed. NULL
 * when out of memory or before domain_mem_init.
 */
void *domain_mem_alloc_xen_shared(unsigned int order);

/* ---- references --------------------------------------------------- */

enum domain_mem_get {
	DM_GET_RAM = 1U << 0, /* a RAM page @owner owns */
	DM_GET_XEN = 1U << 1, /* one of Orchid's pages lent to @owner */
};

/*
 * Take a reference on the page at @pa for a mapping of it, if it is a
 * page of @owner of one of the kinds in @kinds. 0, or -EINVAL (not such a
 * page, or too many references).
 */
int domain_mem_get_page(const struct domain *owner, paddr_t pa,
			unsigned int kinds);
/* The same by the owner's id (DOMID_XEN for domain_mem_alloc_xen_shared). */
int domain_mem_get_page_of(domid_t owner, paddr_t pa, unsigned int kinds);
/* Drop it; may free the page (see domain_mem_release). */
void domain_mem_put_page(paddr_t pa);

/* The owner's domain id of the page at @pa; false when it has none. */
bool domain_mem_page_owner(paddr_t pa, domid_t *owner);

/*
 * Pages of a domain with ID @owner that it (or an earlier domain with
 * that ID) gave back or left when it died, which other domains' mappings
 * still keep: 0 once nothing of it is in use by anyone. Cheap when no
 * such page exists at all; else a walk of the host frames [@pfn_lo,
 * @pfn_hi) (its struct domain's ram_pfn_lo/hi, which also hold the pages
 * Orchid lent it), or of all RAM when that is empty.
 */
uint64_t domain_mem_held_of(domid_t owner, uint64_t pfn_lo, uint64_t pfn_hi);

/* ---- a domain's physmap ------------------------------------------- */

/*
 * Every change Orchid makes to a domain's p2m on its or the toolstack's
 * behalf goes through these, under the domain's physmap lock: the pages a
 * mapping replaces or removes lose the reference it held (foreign
 * mappings), and the highest GFN ever mapped is kept for
 * XENMEM_maximum_gpfn.
 *
 * Map @nr pages at @gfn to @pa with @type, replacing what was there. For
 * p2m_map_foreign_rw (@nr 1) the caller's reference on the page passes
 * to the mapping, and is dropped when the mapping goes. 0, -EINVAL
 * (outside the IPA space) or -ENOMEM (its stage-2 table pool is empty);
 * after an error nothing has changed and the caller keeps its reference.
 */
int domain_mem_map(struct domain *d, xen_pfn_t gfn, paddr_t pa, uint64_t nr,
		   enum p2m_type type);
/*
 * One of Orchid's pages (shared_info, a grant-table frame) mapped at @gfn,
 * at one GFN at a time as Xen maps a xenheap page: -EBUSY while it is
 * still mapped where *@where says (the guest must remove it first, so it
 * cannot scatter the page over its address space). *@where is the page's
 * GFN, DOMAIN_MEM_NO_GFN when unmapped, changed under @d's physmap lock.
 * 0, -EBUSY or the errors of domain_mem_map.
 */
#define DOMAIN_MEM_NO_GFN (~(xen_pfn_t)0)
int domain_mem_map_xen_page(struct domain *d, xen_pfn_t *where, paddr_t pa,
			    xen_pfn_t gfn);
/*
 * Where that page is mapped now: *@where, unless a removal or another
 * mapping replaced it since (then *@where becomes DOMAIN_MEM_NO_GFN).
 */
xen_pfn_t domain_mem_xen_page_gfn(struct domain *d, xen_pfn_t *where,
				  paddr_t pa);
/* Unmap @nr pages at @gfn (holes are fine). 0, -EINVAL or -ENOMEM. */
int domain_mem_unmap(struct domain *d, xen_pfn_t gfn, uint64_t nr);
/*
 * GNTTABOP_unmap_grant_ref: remove the grant mapping of the page at @pa
 * at @gfn. Only that: -EILSEQ when @gfn holds anything else (a hole, RAM,
 * another page), and nothing changes. Unlike Xen 4.17, which accepts a
 * hole, since the caller then drops the reference the mapping held. 0,
 * -EILSEQ, or the errors of domain_mem_unmap.
 */
int domain_mem_unmap_grant(struct domain *d, xen_pfn_t gfn, paddr_t pa);
/*
 * XENMEM_decrease_reservation of the page at @gfn (Xen's
 * guest_remove_page): it must be RAM @d owns; it leaves the p2m and, but
 * for a direct-mapped domain (which keeps its pages to get them back at
 * the same place), goes back as domain_mem_release says. 0, -EINVAL
 * (nothing mapped there), -ENXIO (not @d's RAM) or the errors of
 * domain_mem_unmap.
 */
int domain_mem_decrease(struct domain *d, xen_pfn_t gfn);
/*
 * XENMEM_remove_from_physmap of a page the domain may remove: its own RAM
 * (which it keeps owning, as in Xen), a foreign mapping (whose reference
 * goes) or one of Orchid's pages. 0, -ENOENT (nothing removable there)
 * or the errors of domain_mem_unmap.
 */
int domain_mem_remove(struct domain *d, xen_pfn_t gfn);
/* The highest GFN Orchid ever mapped in @d (0 when none). */
xen_pfn_t domain_mem_max_gfn(struct domain *d);
/* Is @gfn (@nr pages) inside the IPA space? */
bool domain_mem_gfn_ok(xen_pfn_t gfn, uint64_t nr);

#endif /* ORCHID_DOMAIN_MEM_H */
