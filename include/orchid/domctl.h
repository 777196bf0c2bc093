/* SPDX-License-Identifier: MIT */
/*
 * What the toolstack hypercalls (common/xen/domctl.c, common/xen/sysctl.c) share:
 * a domain's report and Xen's guest bitmaps. The handlers themselves are
 * hc_domctl and hc_sysctl in <orchid/hypercalls.h>.
 */
#ifndef ORCHID_DOMCTL_H
#define ORCHID_DOMCTL_H

#include <orchid/arch.h>
#include <orchid/spinlock.h>
#include <orchid/types.h>
#include <public/domctl.h>

struct domain;

/* XEN_DOMCTL_getdomaininfo's report of @d (also getdomaininfolist's). */
void domain_getinfo(struct domain *d, struct xen_domctl_getdomaininfo *info);

/*
 * Copy the @nbits-bit byte map @bytes out to @b: as many bytes as both
 * sides have, the guest's further bytes zeroed (Xen's
 * bitmap_to_xenctl_bitmap). 0 or -EFAULT.
 */
int xenctl_bitmap_to_guest(const struct xenctl_bitmap *b, const uint8_t *bytes,
			   unsigned int nbits);
/*
 * Read @b into the @nbits-bit byte map @bytes: bits the guest has not got
 * are 0, bits beyond its nr_bits are dropped (xenctl_bitmap_to_bitmap).
 * 0 or -EFAULT.
 */
int xenctl_bitmap_from_guest(uint8_t *bytes, const struct xenctl_bitmap *b,
			     unsigned int nbits);

/*
 * Take domctl's or sysctl's lock on a hypercall's way in. Its holder may
 * be waiting for this pCPU to run a cross-call (to unload a vCPU, or to
 * pass a destroyed domain's grace period), so interrupts are let in
 * between attempts. The caller holds no other lock and no domain pointer.
 */
static inline void toolstack_lock(spinlock_t *l)
{
	while (!spin_trylock(l)) {
		arch_irq_enable();
		arch_cpu_relax();
		arch_irq_disable();
	}
}

/* The online pCPUs as a byte map of CPUMAP_BYTES bytes (bit n: pCPU n). */
void cpumap_online(uint8_t *map);

#endif /* ORCHID_DOMCTL_H */
