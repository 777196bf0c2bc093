/* SPDX-License-Identifier: MIT */
/*
 * Reading and writing guest memory on the guest's behalf. Hypercall
 * arguments are guest virtual addresses (XEN_GUEST_HANDLE): they go
 * through the current vCPU's stage 1, then its domain's stage 2, and only
 * RAM the domain owns (or pages Orchid shares with it) is ever touched.
 * Every function returns 0 or -EFAULT; none can fault Orchid.
 */
#ifndef ORCHID_GUEST_ACCESS_H
#define ORCHID_GUEST_ACCESS_H

#include <orchid/types.h>

struct domain;
struct vcpu;

/*
 * All or nothing: every page is checked before the first byte moves, so a
 * failed copy_to_guest or clear_guest has written nothing. Only a guest
 * changing its own mappings meanwhile (another vCPU, or a p2m change) can
 * make one fail part way, with a prefix done, as Xen's copies can.
 * A length of 0 always succeeds and touches nothing; a range that wraps
 * around fails.
 */

/*
 * The longest access to virtual addresses: hypercall arguments are small,
 * so a longer length is a guest's or a handler's mistake (an nr * size
 * overflow), and it keeps the time one call can take bounded.
 */
#define GUEST_COPY_MAX (64UL << 20)

/* Current vCPU's virtual addresses: its RAM, read-only RAM for reads. */
int copy_from_guest(void *dst, uint64_t guest_va, size_t len);
int copy_to_guest(uint64_t guest_va, const void *src, size_t len);
int clear_guest(uint64_t guest_va, size_t len);

/* A domain's guest-physical addresses (no length limit). */
int copy_from_guest_phys(struct domain *d, void *dst, ipaddr_t ipa, size_t len);
int copy_to_guest_phys(struct domain *d, ipaddr_t ipa, const void *src,
		       size_t len);

/*
 * The hypervisor address of the guest RAM page holding @ipa (the page's
 * start; *@pa its physical address if @pa is not NULL), for structures
 * Orchid keeps updating (vcpu_info, runstate). NULL when @ipa is not
 * writable RAM of @d. Orchid keeps no page references: the pointer is only
 * good while the page stays in @d's p2m, which its user must ensure.
 */
void *guest_ram_page(struct domain *d, ipaddr_t ipa, paddr_t *pa);

/*
 * Architecture: translate a virtual address of @v (its current stage 1)
 * to an IPA. 0 or -EFAULT.
 */
int arch_guest_va_to_ipa(struct vcpu *v, uint64_t va, bool write,
			 ipaddr_t *ipa);

/*
 * Architecture: the IPA and the machine address a virtual address of @v
 * reaches through its stage 1 and its domain's stage 2, readable (and
 * writable when @write) by the guest at both stages. 0 or -EFAULT. What
 * the page is (whose, RAM or not) is the caller's to check.
 */
int arch_guest_va_to_pa(struct vcpu *v, uint64_t va, bool write, ipaddr_t *ipa,
			paddr_t *pa);

/*
 * Architecture: the machine address only of a virtual address of the
 * current vCPU, a guest's (the caller checks), as the MMU sees it: any
 * mapping the guest may read, or write when @write. The caller holds the
 * domain's p2m lock, so that the answer stays true while used. 0 or
 * -EFAULT.
 */
int arch_guest_va_to_pa_locked(uint64_t va, bool write, paddr_t *pa);

#endif /* ORCHID_GUEST_ACCESS_H */
