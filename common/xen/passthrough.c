// SPDX-License-Identifier: MIT
/*
 * Platform device passthrough: the permissions the toolstack grants
 * (XEN_DOMCTL_iomem_permission, irq_permission), the MMIO it maps
 * (memory_mapping) and the SPIs it routes (bind_pt_irq), as Xen 4.17's
 * xen/common/domctl.c and xen/arch/arm/domctl.c check them: the caller must
 * itself hold what it hands out, and a mapping needs both the caller's and
 * the target's permission. No IOMMU: a device's DMA is not confined, as in
 * Xen with "xen,force-assign-without-iommu".
 *
 * Orchid's addition: a claim table says which domain maps each device
 * frame. Dom0's boot mappings are claims too, so a device Dom0 uses (not
 * marked "xen,passthrough" in the host DT) is refused to a DomU with
 * -EBUSY, and no two DomUs ever map one frame. SPIs need no table: a line
 * is routed to one domain only (gic.c), as in Xen.
 */
#include <orchid/arch_domain.h>
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/mm.h>
#include <orchid/p2m.h>
#include <orchid/passthrough.h>
#include <orchid/printk.h>
#include <orchid/spinlock.h>
#include <public/domctl.h>

/* Xen's paddr_bits on arm64: MFNs above are refused by memory_mapping. */
#define PT_PADDR_BITS 48
/* Xen's Arm limit per memory_mapping; libxl splits bigger ranges. */
#define PT_MAP_MAX_PAGES 64
/* Device ranges mapped at once, all domains: QEMU virt's Dom0 has ~45. */
#define PT_MAX_CLAIMS 128

struct iomem_claim {
	uint64_t mfn, nr; /* nr == 0: a free slot */
	const struct domain *owner;
};

static struct iomem_claim claims[PT_MAX_CLAIMS];
static spinlock_t claims_lock = SPINLOCK_INIT;

/* ---- permissions --------------------------------------------------------- */

bool iomem_access_permitted(const struct domain *d, uint64_t mfn, uint64_t nr)
{
	const struct range_set *s = d->iomem_caps;
	uint64_t first = mfn << PAGE_SHIFT;

	if (!s || !nr || mfn + nr < mfn ||
	    mfn + nr > (1ULL << (64 - PAGE_SHIFT)))
		return false;
	/* The set is merged: one entry covers the range or none does. */
	for (unsigned int i = 0; i < s->n; i++) {
		uint64_t base = pa_addr(s->r[i].base);

		if (first >= base &&
		    (first - base) >> PAGE_SHIFT < s->r[i].size >> PAGE_SHIFT &&
		    nr <= (s->r[i].size - (first - base)) >> PAGE_SHIFT)
			return true;
	}
	return false;
}

bool irq_access_permitted(const struct domain *d, unsigned int irq)
{
	return irq < DOMAIN_NR_IRQS &&
	       (d->irq_caps[irq / 32] & (1U << (irq % 32)));
}

int iomem_permit(struct domain *d, uint64_t mfn, uint64_t nr, bool allow)
{
	struct range_set *set = NULL;
	unsigned long flags;
	bool ok = true;

	if (allow && !d->iomem_caps) {
		set = xzalloc(sizeof(*set));
		if (!set)
			return -ENOMEM;
	}
	flags = spin_lock_irqsave(&d->lock);
	if (!d->iomem_caps) {
		d->iomem_caps = set;
		set = NULL;
	}
	if (allow)
		ok = range_set_add(d->iomem_caps, pa_init(mfn << PAGE_SHIFT),
				   nr << PAGE_SHIFT);
	else if (d->iomem_caps)
		ok = range_set_remove(d->iomem_caps, pa_init(mfn << PAGE_SHIFT),
				      nr << PAGE_SHIFT);
	spin_unlock_irqrestore(&d->lock, flags);
	xfree(set);
	return ok ? 0 : -ENOMEM;
}

int irq_permit(struct domain *d, unsigned int irq, bool allow)
{
	uint32_t bit = 1U << (irq % 32);
	unsigned long flags;

	if (irq >= DOMAIN_NR_IRQS)
		return -EINVAL;
	flags = spin_lock_irqsave(&d->lock);
	if (allow)
		d->irq_caps[irq / 32] |= bit;
	else
		d->irq_caps[irq / 32] &= ~bit;
	spin_unlock_irqrestore(&d->lock, flags);
	return 0;
}

/* ---- claims ---------------------------------------------------------- */

static bool claim_overlaps(const struct iomem_claim *c, uint64_t mfn,
			   uint64_t nr)
{
	return c->nr && c->mfn < mfn + nr && mfn < c->mfn + c->nr;
}

/*
 * Grow a claim of @d that overlaps or touches [@mfn, @mfn + @nr) to cover
 * it too (Dom0's devices share pages: one slot for neighbours).
 */
static bool claim_merge(const struct domain *d, uint64_t mfn, uint64_t nr)
{
	for (unsigned int i = 0; i < PT_MAX_CLAIMS; i++) {
		struct iomem_claim *c = &claims[i];
		uint64_t lo, hi;

		if (!c->nr || c->owner != d || c->mfn > mfn + nr ||
		    mfn > c->mfn + c->nr)
			continue;
		lo = min_u64(c->mfn, mfn);
		hi = max_u64(c->mfn + c->nr, mfn + nr);
		c->mfn = lo;
		c->nr = hi - lo;
		return true;
	}
	return false;
}

int iomem_claim(struct domain *d, uint64_t mfn, uint64_t nr)
{
	struct iomem_claim *free = NULL;
	unsigned long flags;
	int ret = 0;

	flags = spin_lock_irqsave(&claims_lock);
	for (unsigned int i = 0; i < PT_MAX_CLAIMS; i++) {
		struct iomem_claim *c = &claims[i];

		if (!c->nr) {
			free = free ? free : c;
			continue;
		}
		if (claim_overlaps(c, mfn, nr) && c->owner != d) {
			pr_warn("d%u: MFNs %#lx+%#lx are domain %u's\n",
				d->domain_id, mfn, nr, c->owner->domain_id);
			ret = -EBUSY;
			break;
		}
	}
	if (!ret && claim_merge(d, mfn, nr))
		free = NULL;
	else if (!ret && !free)
		ret = -ENOSPC;
	else if (!ret)
		*free = (struct iomem_claim){mfn, nr, d};
	spin_unlock_irqrestore(&claims_lock, flags);
	return ret;
}

/*
 * Cut [@mfn, @mfn + @nr) out of @c; a hole in the middle needs a free slot
 * for the upper part. Without one the claim stays whole: refusing others a
 * frame @d gave back is the safe side.
 */
static void claim_cut(struct iomem_claim *c, uint64_t mfn, uint64_t nr)
{
	uint64_t end = c->mfn + c->nr, cut_end = mfn + nr;

	if (mfn <= c->mfn && cut_end >= end) {
		c->nr = 0;
	} else if (mfn <= c->mfn) {
		c->nr = end - cut_end;
		c->mfn = cut_end;
	} else if (cut_end >= end) {
		c->nr = mfn - c->mfn;
	} else {
		for (unsigned int i = 0; i < PT_MAX_CLAIMS; i++) {
			if (claims[i].nr)
				continue;
			claims[i] = (struct iomem_claim){cut_end, end - cut_end,
							 c->owner};
			c->nr = mfn - c->mfn;
			return;
		}
	}
}

void iomem_unclaim(struct domain *d, uint64_t mfn, uint64_t nr)
{
	unsigned long flags = spin_lock_irqsave(&claims_lock);

	for (unsigned int i = 0; i < PT_MAX_CLAIMS; i++)
		if (claims[i].owner == d && claim_overlaps(&claims[i], mfn, nr))
			claim_cut(&claims[i], mfn, nr);
	spin_unlock_irqrestore(&claims_lock, flags);
}

void iomem_unclaim_all(struct domain *d)
{
	unsigned long flags = spin_lock_irqsave(&claims_lock);

	for (unsigned int i = 0; i < PT_MAX_CLAIMS; i++)
		if (claims[i].owner == d)
			claims[i] = (struct iomem_claim){0};
	spin_unlock_irqrestore(&claims_lock, flags);
}

/* ---- mappings ---------------------------------------------------------- */

/*
 * May @gfn..+@nr of @d take device frames from @mfn on? Free pages, or
 * this very mapping again (as Xen, mapping twice is no error). Xen would
 * replace RAM there; Orchid refuses, a RAM page must not go missing.
 */
static bool gfns_free_for(struct domain *d, uint64_t gfn, uint64_t mfn,
			  uint64_t nr)
{
	for (uint64_t i = 0; i < nr; i++) {
		enum p2m_type t;
		paddr_t pa;

		if (!p2m_lookup(d, ipa_init((gfn + i) << PAGE_SHIFT), &pa, &t))
			continue;
		if (t != p2m_mmio_direct_dev ||
		    pa_addr(pa) != (mfn + i) << PAGE_SHIFT)
			return false;
	}
	return true;
}

int iomem_map_device(struct domain *d, uint64_t gfn, uint64_t mfn, uint64_t nr)
{
	int ret;

	if (!gfns_free_for(d, gfn, mfn, nr))
		return -EBUSY;
	ret = iomem_claim(d, mfn, nr);
	if (ret)
		return ret;
	ret = p2m_map(d, ipa_init(gfn << PAGE_SHIFT),
		      pa_init(mfn << PAGE_SHIFT), nr, p2m_mmio_direct_dev);
	if (ret)
		iomem_unclaim(d, mfn, nr);
	return ret;
}

/*
 * Xen's unmap_mmio_regions: -EILSEQ where the GFNs hold RAM (Xen: RAM of
 * another MFN; Orchid refuses any RAM, grant or foreign page, which only a
 * caller permitted RAM frames could name, and none is).
 */
static int iomem_unmap_device(struct domain *d, uint64_t gfn, uint64_t mfn,
			      uint64_t nr)
{
	int ret;

	for (uint64_t i = 0; i < nr; i++) {
		enum p2m_type t;

		if (p2m_lookup(d, ipa_init((gfn + i) << PAGE_SHIFT), NULL,
			       &t) &&
		    t != p2m_mmio_direct_dev && t != p2m_mmio_direct_c)
			return -EILSEQ;
	}
	ret = p2m_unmap(d, ipa_init(gfn << PAGE_SHIFT), nr);
	if (!ret)
		iomem_unclaim(d, mfn, nr);
	return ret;
}

/* ---- the domctls ------------------------------------------------------- */

static long domctl_irq_permission(struct domain *d,
				  const struct xen_domctl_irq_permission *ip)
{
	if (ip->pirq >= arch_domain_nr_irqs())
		return -EINVAL;
	if (!irq_access_permitted(current_domain(), ip->pirq))
		return -EPERM;
	return irq_permit(d, ip->pirq, ip->allow_access);
}

static long
domctl_iomem_permission(struct domain *d,
			const struct xen_domctl_iomem_permission *ip)
{
	uint64_t mfn = ip->first_mfn, nr = ip->nr_mfns;

	/* Xen: a wrap is -EINVAL; the caller's own rights decide the rest. */
	if (mfn + nr - 1 < mfn)
		return -EINVAL;
	if (!iomem_access_permitted(current_domain(), mfn, nr))
		return -EPERM;
	return iomem_permit(d, mfn, nr, ip->allow_access);
}

static long domctl_memory_mapping(struct domain *d,
				  const struct xen_domctl_memory_mapping *mm)
{
	uint64_t gfn = mm->first_gfn, mfn = mm->first_mfn, nr = mm->nr_mfns;
	uint64_t mfn_end = mfn + nr - 1;

	if (mfn_end < mfn ||
	    ((mfn | mfn_end) >> (PT_PADDR_BITS - PAGE_SHIFT)) ||
	    gfn + nr - 1 < gfn)
		return -EINVAL;
	if (nr > PT_MAP_MAX_PAGES)
		return -E2BIG;
	if (!iomem_access_permitted(current_domain(), mfn, nr) ||
	    !iomem_access_permitted(d, mfn, nr))
		return -EPERM;
	if (mm->add_mapping)
		return iomem_map_device(d, gfn, mfn, nr);
	return iomem_unmap_device(d, gfn, mfn, nr);
}

/* Xen's order: type, 1:1, the caller's right, then the vGIC and the GIC. */
static long domctl_pt_irq(struct domain *d, uint32_t cmd,
			  const struct xen_domctl_bind_pt_irq *b)
{
	unsigned int irq = b->u.spi.spi;

	if (b->irq_type != PT_IRQ_TYPE_SPI)
		return -EOPNOTSUPP;
	if (irq != b->machine_irq)
		return -EINVAL;
	if (!irq_access_permitted(current_domain(), irq))
		return -EPERM;
	if (cmd == XEN_DOMCTL_bind_pt_irq)
		return arch_pt_irq_bind(d, irq);
	return arch_pt_irq_unbind(d, irq);
}

long domctl_passthrough(struct domain *d, struct xen_domctl *op)
{
	switch (op->cmd) {
	case XEN_DOMCTL_irq_permission:
		return domctl_irq_permission(d, &op->u.irq_permission);
	case XEN_DOMCTL_iomem_permission:
		return domctl_iomem_permission(d, &op->u.iomem_permission);
	case XEN_DOMCTL_memory_mapping:
		return domctl_memory_mapping(d, &op->u.memory_mapping);
	case XEN_DOMCTL_bind_pt_irq:
	case XEN_DOMCTL_unbind_pt_irq:
		return domctl_pt_irq(d, op->cmd, &op->u.bind_pt_irq);
	default: return -ENOSYS;
	}
}
