/* SPDX-License-Identifier: MIT */
/*
 * Guest-physical memory: each domain's stage-2 map from IPAs to host
 * physical pages, with a type per mapping.
 */
#ifndef ORCHID_P2M_H
#define ORCHID_P2M_H

#include <orchid/types.h>

struct domain;

enum p2m_type {
	p2m_invalid = 0,
	p2m_ram_rw,	     /* the domain's own RAM */
	p2m_ram_ro,	     /* its RAM, read-only */
	p2m_mmio_direct_dev, /* a device passed through (Device-nGnRE) */
	p2m_mmio_direct_c,   /* cacheable device memory (e.g. shared SRAM) */
	p2m_map_foreign_rw,  /* another domain's page, mapped by privcmd */
	p2m_grant_map_rw,    /* a granted page, writable */
	p2m_grant_map_ro,    /* a granted page, read-only */
	p2m_xen_page,	     /* a page Orchid owns and shares (shared_info,
				grant frames) */
};

/* Stage-2 setup and teardown (VMID, root table). */
int p2m_init(struct domain *d);
void p2m_destroy(struct domain *d);

/*
 * Map @nr pages at @ipa to @pa with @type, replacing whatever was there.
 * 0, -ENOMEM (the domain's table pool, d->paging_pool, is short) or
 * -EINVAL (range outside the IPA space); after an error nothing changed.
 */
int p2m_map(struct domain *d, ipaddr_t ipa, paddr_t pa, uint64_t nr,
	    enum p2m_type type);
/*
 * Unmap @nr pages at @ipa (holes are fine). Cutting into a block takes
 * table pages: -ENOMEM when the pool is short, and nothing changed.
 */
int p2m_unmap(struct domain *d, ipaddr_t ipa, uint64_t nr);
/*
 * Translate @ipa. Returns true and sets *@pa (the byte's address) and
 * *@type (either may be NULL) when mapped; false otherwise.
 */
bool p2m_lookup(struct domain *d, ipaddr_t ipa, paddr_t *pa,
		enum p2m_type *type);
/*
 * Hold @d's stage 2 still: between p2m_lock and p2m_unlock no mapping of @d
 * changes, so a page found with p2m_lookup_locked stays mapped; and as a
 * page is only freed after the p2m_unmap that removed it returned, it also
 * stays allocated. For short accesses to guest memory (guest_access.c);
 * never taken in interrupt handlers, nothing else is locked inside it.
 */
void p2m_lock(struct domain *d);
void p2m_unlock(struct domain *d);
bool p2m_lookup_locked(struct domain *d, ipaddr_t ipa, paddr_t *pa,
		       enum p2m_type *type);

/* Bits of IPA the domain's stage 2 covers. */
unsigned int p2m_ipa_bits(void);

static inline bool p2m_is_ram(enum p2m_type t)
{
	return t == p2m_ram_rw || t == p2m_ram_ro;
}

static inline bool p2m_is_writable(enum p2m_type t)
{
	return t == p2m_ram_rw || t == p2m_map_foreign_rw ||
	       t == p2m_grant_map_rw || t == p2m_xen_page;
}

#endif /* ORCHID_P2M_H */
