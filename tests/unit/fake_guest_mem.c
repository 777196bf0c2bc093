/* SPDX-License-Identifier: MIT */
/*
 * Page ownership (<orchid/domain_mem.h>) as the hypercall tests' fake
 * world (tests/unit/fake_guest.h) needs it under the real memory.c: the
 * physmap changes go straight to the fake stage 2, every page a guest has
 * mapped as RAM counts as its own, and no RAM is ever handed out. The
 * real thing is tested in tests/unit/test_domain_mem.c and
 * test_memory_op.c, against the real frame table.
 */
#include <orchid/domain.h>
#include <orchid/domain_mem.h>
#include <orchid/errno.h>
#include <orchid/grant_table.h>
#include <orchid/mm.h>

#include "fake_guest.h"

bool domain_mem_gfn_ok(xen_pfn_t gfn, uint64_t nr)
{
	uint64_t limit = 1ULL << (p2m_ipa_bits() - PAGE_SHIFT);

	return nr && gfn < limit && nr <= limit - gfn;
}

static ipaddr_t gfn_ipa(xen_pfn_t gfn)
{
	return ipa_init(gfn << PAGE_SHIFT);
}

int domain_mem_map(struct domain *d, xen_pfn_t gfn, paddr_t pa, uint64_t nr,
		   enum p2m_type type)
{
	if (!domain_mem_gfn_ok(gfn, nr))
		return -EINVAL;
	return p2m_map(d, gfn_ipa(gfn), pa, nr, type);
}

int domain_mem_unmap(struct domain *d, xen_pfn_t gfn, uint64_t nr)
{
	if (!domain_mem_gfn_ok(gfn, nr))
		return -EINVAL;
	return p2m_unmap(d, gfn_ipa(gfn), nr);
}

int domain_mem_remove(struct domain *d, xen_pfn_t gfn)
{
	enum p2m_type t;
	paddr_t pa;

	if (!domain_mem_gfn_ok(gfn, 1))
		return -EINVAL;
	if (!p2m_lookup(d, gfn_ipa(gfn), &pa, &t) ||
	    !(p2m_is_ram(t) || t == p2m_map_foreign_rw || t == p2m_xen_page))
		return -ENOENT;
	return p2m_unmap(d, gfn_ipa(gfn), 1);
}

int domain_mem_decrease(struct domain *d, xen_pfn_t gfn)
{
	enum p2m_type t;
	paddr_t pa;

	if (!domain_mem_gfn_ok(gfn, 1) || !p2m_lookup(d, gfn_ipa(gfn), &pa, &t))
		return -EINVAL;
	if (!p2m_is_ram(t))
		return -ENXIO;
	return p2m_unmap(d, gfn_ipa(gfn), 1);
}

int domain_mem_alloc(struct domain *d, unsigned int order,
		     unsigned int addr_bits, paddr_t *pa)
{
	return -ENOMEM;
}

int domain_mem_release(struct domain *d, paddr_t pa)
{
	return -ENXIO;
}

bool domain_mem_owns(const struct domain *d, paddr_t pa)
{
	return false;
}

/* Xen's one-GFN rule, without looking whether the mapping is still there. */
int domain_mem_map_xen_page(struct domain *d, xen_pfn_t *where, paddr_t pa,
			    xen_pfn_t gfn)
{
	int rc;

	if (*where != DOMAIN_MEM_NO_GFN)
		return -EBUSY;
	rc = domain_mem_map(d, gfn, pa, 1, p2m_xen_page);
	if (!rc)
		*where = gfn;
	return rc;
}

int domain_mem_get_page(const struct domain *owner, paddr_t pa,
			unsigned int kinds)
{
	if (fake_ctl.get_page_ret)
		return fake_ctl.get_page_ret;
	fake_rec.page_gets++;
	fake_rec.page_pa = pa_addr(pa);
	return 0;
}

int domain_mem_get_page_of(domid_t owner, paddr_t pa, unsigned int kinds)
{
	return -EINVAL; /* no page of Orchid's is shared here */
}

void domain_mem_put_page(paddr_t pa)
{
	fake_rec.page_puts++;
	fake_rec.page_pa = pa_addr(pa);
}

uint64_t domain_mem_tot_pages(const struct domain *d)
{
	return d->tot_pages;
}

xen_pfn_t domain_mem_max_gfn(struct domain *d)
{
	return 0;
}

uint64_t page_alloc_free_bytes(void)
{
	return 0;
}

unsigned int gnttab_max_frames(const struct domain *d)
{
	return 0;
}

long gnttab_acquire_resource(struct domain *d, unsigned int id,
			     unsigned int frame, unsigned int nr, paddr_t *pas)
{
	return -EINVAL;
}
