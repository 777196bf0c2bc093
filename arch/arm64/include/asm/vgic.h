/* SPDX-License-Identifier: MIT */
/*
 * The virtual GIC each domain sees: v3 (distributor + redistributors, the
 * CPU interface through ICH_* list registers) or v2 (distributor, with the
 * host's GICV frame mapped as the guest's CPU interface).
 */
#ifndef ASM_VGIC_H
#define ASM_VGIC_H

#include <orchid/types.h>

struct domain;
struct vcpu;
struct gic_info;

/*
 * @version 2 or 3; @nr_spis SPIs after the 32 private INTIDs. A
 * direct-mapped domain (Dom0) gets the host's GIC addresses (@host), others
 * Xen's guest layout (GUEST_GICV3_* / GUEST_GICD/GICC).
 */
int vgic_domain_init(struct domain *d, unsigned int version,
		     unsigned int nr_spis, const struct gic_info *host);
void vgic_domain_destroy(struct domain *d);
int vgic_vcpu_init(struct vcpu *v);
void vgic_vcpu_destroy(struct vcpu *v);
/*
 * @v moved to v->processor: the physical SPIs forwarded to it follow, so
 * they are taken where it runs (pending state is in software and follows
 * by itself).
 */
void vgic_vcpu_migrated(struct vcpu *v);

/*
 * Make virtual INTID @virq pending. For SGIs/PPIs @v is the target vCPU;
 * for SPIs @v is ignored (the SPI's routing decides). Kicks the target.
 */
void vgic_inject_irq(struct domain *d, struct vcpu *v, unsigned int virq);
/* Level-sensitive lines (the event-channel PPI): set the line level. */
void vgic_set_level(struct vcpu *v, unsigned int virq, bool level);
/*
 * Wake @v if blocked and make it notice new interrupts if running; nothing
 * for the vCPU whose trap this is, unless blocked (vgic.c).
 */
void vgic_notify(struct vcpu *v);
/*
 * May an emulated device of @d take SPI @irq (Xen's vgic_reserve_virq)?
 * Not when @d's vGIC lacks it, it is routed to a device, or the vpl011
 * has it.
 */
bool vgic_virq_available(struct domain *d, unsigned int irq);

/*
 * Give physical SPI @irq to @d as the same virtual INTID (Dom0's 1:1
 * routing). The guest's deactivation deactivates the physical interrupt.
 */
int vgic_route_hw_spi(struct domain *d, unsigned int irq);

/* Entering the guest: move pending interrupts into list registers. */
void vgic_flush(struct vcpu *v);
/* Back from the guest: read list registers back. */
void vgic_sync(struct vcpu *v);
/* vCPU switch: hardware CPU-interface state out and in. */
void vgic_save(struct vcpu *v);
void vgic_restore(struct vcpu *v);

/* Does @v have an interrupt it could take (WFI wake-up test)? */
bool vgic_vcpu_pending_irq(struct vcpu *v);

/*
 * A trapped EL1 access to a GIC system register (ICC_SGI1R_EL1 and the
 * like). @iss is ESR_EL2.ISS of an EC 0x18 trap; @val the value written or
 * the place for the value read. False: not a GIC register.
 */
bool vgic_emulate_sysreg(struct vcpu *v, uint32_t iss, uint64_t *val);

/* Maintenance interrupt (INTID from the DTB), installed by vgic init. */
void vgic_maintenance_init(unsigned int irq);
/* Per-pCPU: enable the maintenance PPI and the virtual CPU interface. */
void vgic_init_cpu(void);

#endif /* ASM_VGIC_H */
