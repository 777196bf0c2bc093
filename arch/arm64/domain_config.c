// SPDX-License-Identifier: MIT
/*
 * Xen 4.17's Arm rules for a toolstack-created domain (arch_domain.h):
 * the vGIC version and its vCPU limit, the SPIs, no TEE, the timer
 * frequency reported back, the guest layout of public/arch-arm.h, the
 * processor states the toolstack may load and the interrupts it may grant.
 * Pure policy over bootinfo and the public ABI, with no hardware access,
 * so the host unit tests run it as it is (tests/unit/domctl.mk).
 */
#include <orchid/arch_domain.h>
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/setup.h>
#include <public/domctl.h>

/* Xen's vgic_max_vcpus for GICv2 (GICv3: GUEST_MAX_VCPUS). */
#define GICV2_MAX_VCPUS 8
/* GIC INTIDs end at 1019; SPIs are 32..1019. */
#define GIC_NR_INTIDS 1020
#define MAX_SPIS      (GIC_NR_INTIDS - 32)

/* The guest PSTATE the toolstack may set: AArch64 EL0t, EL1t or EL1h. */
#define GUEST_PSR_MODE_MASK 0x1fULL
#define GUEST_PSR_EL0t	    0x00ULL
#define GUEST_PSR_EL1t	    0x04ULL
#define GUEST_PSR_EL1h	    0x05ULL
/* NZCV, DIT, UAO, PAN, SSBS, DAIF, M: never IL, SS or unknown bits. */
#define GUEST_PSR_ALLOWED                                                      \
	(0xf0000000ULL | (1ULL << 24) | (1ULL << 23) | (1ULL << 22) |          \
	 (1ULL << 12) | 0x3c0ULL | GUEST_PSR_MODE_MASK)

/* The vGIC a "native" guest gets: the host's. */
static uint8_t domain_config_native_gic(void)
{
	return bootinfo.gic.version == 2 ? XEN_DOMCTL_CONFIG_GIC_V2
					 : XEN_DOMCTL_CONFIG_GIC_V3;
}

int arch_domain_config_check(struct xen_arch_domainconfig *cfg,
			     unsigned int max_vcpus)
{
	unsigned int limit;

	if (cfg->gic_version == XEN_DOMCTL_CONFIG_GIC_NATIVE)
		cfg->gic_version = domain_config_native_gic();
	switch (cfg->gic_version) {
	case XEN_DOMCTL_CONFIG_GIC_V2: limit = GICV2_MAX_VCPUS; break;
	case XEN_DOMCTL_CONFIG_GIC_V3: limit = GUEST_MAX_VCPUS; break;
	default: return -EINVAL;
	}
	if (max_vcpus > limit)
		return -EINVAL;
	if (cfg->tee_type != XEN_DOMCTL_CONFIG_TEE_NONE)
		return -EINVAL;
	if (align_up(cfg->nr_spis, 32) > MAX_SPIS)
		return -EINVAL;
	return 0;
}

void arch_domain_config_report(struct xen_arch_domainconfig *cfg)
{
	cfg->clock_frequency = bootinfo.timer.clock_frequency;
}

void arch_domain_guest_layout(struct domain *d)
{
	d->arch.evtchn_irq = GUEST_EVTCHN_PPI;
	d->arch.gnttab_base = GUEST_GNTTAB_BASE;
	d->arch.gnttab_size = GUEST_GNTTAB_SIZE;
}

const char *arch_domain_irq_model(const struct domain *d)
{
	return d->arch_config.gic_version == XEN_DOMCTL_CONFIG_GIC_V2 ? "GICv2"
								      : "GICv3";
}

static bool domain_config_psr_ok(uint64_t psr)
{
	uint64_t mode = psr & GUEST_PSR_MODE_MASK;

	if (psr & ~GUEST_PSR_ALLOWED)
		return false;
	return mode == GUEST_PSR_EL1h || mode == GUEST_PSR_EL1t ||
	       mode == GUEST_PSR_EL0t;
}

/* cpsr, and spsr_el1 unless 0 (never taken an exception yet). */
bool arch_vcpu_context_ok(const struct vcpu_guest_context *c)
{
	return domain_config_psr_ok(c->user_regs.cpsr) &&
	       (!c->user_regs.spsr_el1 ||
		domain_config_psr_ok(c->user_regs.spsr_el1));
}

unsigned int arch_domain_nr_irqs(void)
{
	return GIC_NR_INTIDS;
}
