/* SPDX-License-Identifier: MIT */
/*
 * The architecture's policy for domains the toolstack creates: which
 * interrupt controller a guest gets, how many vCPUs and interrupts it may
 * ask for, and where its fixed guest layout puts things. Common code
 * (domctl) decides nothing of this itself, so another architecture brings
 * its own rules without touching it. arch/arm64 implements Xen 4.17's Arm
 * rules (arch/arm64/domain_config.c).
 */
#ifndef ORCHID_ARCH_DOMAIN_H
#define ORCHID_ARCH_DOMAIN_H

#include <orchid/types.h>

struct domain;
struct vcpu_guest_context;
struct xen_arch_domainconfig;

/*
 * Xen's arch_sanitise_domain_config: resolve what the toolstack left to
 * the hypervisor in @cfg (the "native" vGIC version) and check the rest
 * for a guest of @max_vcpus vCPUs. 0, or -EINVAL as Xen refuses it.
 * Called after every common check, so Xen's order of errors holds.
 */
int arch_domain_config_check(struct xen_arch_domainconfig *cfg,
			     unsigned int max_vcpus);

/*
 * Fill in what the hypervisor tells the toolstack back in @cfg (Xen's
 * domain_vtimer_init: the DT's timer frequency the guest DT must repeat).
 */
void arch_domain_config_report(struct xen_arch_domainconfig *cfg);

/*
 * Give a toolstack-built guest the fixed guest layout of the public ABI
 * (event-channel interrupt, grant-table window); Dom0's builder sets its
 * own instead.
 */
void arch_domain_guest_layout(struct domain *d);

/* A short name of @d's interrupt controller for the log ("GICv3"). */
const char *arch_domain_irq_model(const struct domain *d);

/*
 * May the toolstack load @c into a vCPU (XEN_DOMCTL_setvcpucontext)? Only
 * a processor state the guest could be in legitimately, never one that
 * would make its entry misbehave; arch_set_vcpu_context relies on it.
 */
bool arch_vcpu_context_ok(const struct vcpu_guest_context *c);

/*
 * Interrupt numbers below this may be granted to a domain
 * (XEN_DOMCTL_irq_permission); at most DOMAIN_NR_IRQS.
 */
unsigned int arch_domain_nr_irqs(void);

#endif /* ORCHID_ARCH_DOMAIN_H */
