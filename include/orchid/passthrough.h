/* SPDX-License-Identifier: MIT */
/*
 * Platform device passthrough without an IOMMU, as Xen 4.17 does it on Arm
 * with "xen,force-assign-without-iommu": a domain may be permitted MMIO
 * frames and interrupts (iomem_caps, irq_caps), and the frames it maps and
 * the SPIs routed to it are its own. Orchid adds what Xen leaves to the
 * toolstack: one device's frames are mapped into one domain at a time
 * (Dom0's boot mappings included), so a DomU never shares a device with
 * Dom0 or another DomU. docs/ARCHITECTURE.md, "Passthrough".
 */
#ifndef ORCHID_PASSTHROUGH_H
#define ORCHID_PASSTHROUGH_H

#include <orchid/types.h>

struct domain;
struct xen_domctl;

/* Xen's iomem_access_permitted: all of [@mfn, @mfn + @nr) granted to @d. */
bool iomem_access_permitted(const struct domain *d, uint64_t mfn, uint64_t nr);
/* Xen's irq_access_permitted. */
bool irq_access_permitted(const struct domain *d, unsigned int irq);
/* Grant or revoke (Xen's iomem_permit_access/deny_access): 0 or -errno. */
int iomem_permit(struct domain *d, uint64_t mfn, uint64_t nr, bool allow);
int irq_permit(struct domain *d, unsigned int irq, bool allow);

/*
 * Record that @d maps [@mfn, @mfn + @nr): -EBUSY when another domain maps
 * any of it, -ENOSPC when the table of claims is full.
 */
int iomem_claim(struct domain *d, uint64_t mfn, uint64_t nr);
/* Drop @d's claims on [@mfn, @mfn + @nr). */
void iomem_unclaim(struct domain *d, uint64_t mfn, uint64_t nr);
/* Everything @d claimed (its stage 2 is gone). */
void iomem_unclaim_all(struct domain *d);

/*
 * Map device frames [@mfn, @mfn + @nr) at @gfn of @d as Device memory,
 * claiming them (Xen's map_mmio_regions plus the claim). 0, -EBUSY (the
 * frames are another domain's, or @gfn is in use), -ENOMEM, -EINVAL.
 */
int iomem_map_device(struct domain *d, uint64_t gfn, uint64_t mfn, uint64_t nr);

/*
 * XEN_DOMCTL_{iomem,irq}_permission, memory_mapping, bind_pt_irq and
 * unbind_pt_irq on @d, from the privileged caller.
 */
long domctl_passthrough(struct domain *d, struct xen_domctl *op);

/*
 * The architecture's half of XEN_DOMCTL_bind_pt_irq / unbind_pt_irq for
 * SPI @irq (virtual == physical), with Xen's errnos (vgic_reserve_virq,
 * route_irq_to_guest, release_guest_irq): arch/arm64/vgic_passthrough.c.
 */
int arch_pt_irq_bind(struct domain *d, unsigned int irq);
int arch_pt_irq_unbind(struct domain *d, unsigned int irq);

#endif /* ORCHID_PASSTHROUGH_H */
