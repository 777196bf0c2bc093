// SPDX-License-Identifier: MIT
/*
 * Xen 4.17's Arm rules for a toolstack-created domain (arch_domain.h):
 * the vGIC version and its vCPU limit, the SPIs, no TEE, the timer
 * frequency reported back, and the guest layout of public/arch-arm.h.
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
/* SPIs are INTIDs 32..1019. */
#define MAX_SPIS (1020 - 32)

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
