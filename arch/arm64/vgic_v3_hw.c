// SPDX-License-Identifier: MIT
/*
 * The GICv3 virtual CPU interface at EL2: list registers ICH_LR<n>_EL2,
 * active priorities ICH_AP0R<n>/ICH_AP1R<n>_EL2, ICH_VMCR_EL2 (the
 * guest's view of its ICC_* control registers) and ICH_HCR_EL2. How many
 * LRs and active-priority registers exist comes from ICH_VTR_EL2.
 *
 * System registers are named in the instruction, so each indexed one is
 * reached through a switch.
 */
#include <asm/sysreg.h>
#include <orchid/errno.h>
#include <orchid/printk.h>

#include "vgic_internal.h"

#define ICH_AP0R0_EL2 S3_4_C12_C8_0
#define ICH_AP0R1_EL2 S3_4_C12_C8_1
#define ICH_AP0R2_EL2 S3_4_C12_C8_2
#define ICH_AP0R3_EL2 S3_4_C12_C8_3
#define ICH_AP1R0_EL2 S3_4_C12_C9_0
#define ICH_AP1R1_EL2 S3_4_C12_C9_1
#define ICH_AP1R2_EL2 S3_4_C12_C9_2
#define ICH_AP1R3_EL2 S3_4_C12_C9_3
#define ICH_ELRSR_EL2 S3_4_C12_C11_5
#define ICH_VMCR_EL2  S3_4_C12_C11_7

#define ICH_HCR_EN	(1UL << 0)
#define ICH_HCR_UIE	(1UL << 1)
#define ICH_HCR_LRENPIE (1UL << 2)
#define ICH_HCR_NPIE	(1UL << 3)
#define ICH_HCR_MAINT	(ICH_HCR_UIE | ICH_HCR_LRENPIE | ICH_HCR_NPIE)

#define ICH_VTR_LISTREGS_MASK 0x1f
#define ICH_VTR_PREBITS_SHIFT 26
#define ICH_VTR_PRIBITS_SHIFT 29

#define ICH_VMCR_VPMR_SHIFT 24

#define VGIC_V3_MAX_LRS 16

/* Active-priority registers per group: 1, 2 or 4 for 5, 6 or 7 bits. */
#define VGIC_V3_MAX_APRS 4
static unsigned int vgic_v3_nr_aprs;

static uint64_t vgic_v3_read_lr(unsigned int i)
{
	switch (i) {
	case 0: return READ_SYSREG(S3_4_C12_C12_0);
	case 1: return READ_SYSREG(S3_4_C12_C12_1);
	case 2: return READ_SYSREG(S3_4_C12_C12_2);
	case 3: return READ_SYSREG(S3_4_C12_C12_3);
	case 4: return READ_SYSREG(S3_4_C12_C12_4);
	case 5: return READ_SYSREG(S3_4_C12_C12_5);
	case 6: return READ_SYSREG(S3_4_C12_C12_6);
	case 7: return READ_SYSREG(S3_4_C12_C12_7);
	case 8: return READ_SYSREG(S3_4_C12_C13_0);
	case 9: return READ_SYSREG(S3_4_C12_C13_1);
	case 10: return READ_SYSREG(S3_4_C12_C13_2);
	case 11: return READ_SYSREG(S3_4_C12_C13_3);
	case 12: return READ_SYSREG(S3_4_C12_C13_4);
	case 13: return READ_SYSREG(S3_4_C12_C13_5);
	case 14: return READ_SYSREG(S3_4_C12_C13_6);
	case 15: return READ_SYSREG(S3_4_C12_C13_7);
	default: return 0;
	}
}

static void vgic_v3_write_lr(unsigned int i, uint64_t val)
{
	switch (i) {
	case 0: WRITE_SYSREG(S3_4_C12_C12_0, val); break;
	case 1: WRITE_SYSREG(S3_4_C12_C12_1, val); break;
	case 2: WRITE_SYSREG(S3_4_C12_C12_2, val); break;
	case 3: WRITE_SYSREG(S3_4_C12_C12_3, val); break;
	case 4: WRITE_SYSREG(S3_4_C12_C12_4, val); break;
	case 5: WRITE_SYSREG(S3_4_C12_C12_5, val); break;
	case 6: WRITE_SYSREG(S3_4_C12_C12_6, val); break;
	case 7: WRITE_SYSREG(S3_4_C12_C12_7, val); break;
	case 8: WRITE_SYSREG(S3_4_C12_C13_0, val); break;
	case 9: WRITE_SYSREG(S3_4_C12_C13_1, val); break;
	case 10: WRITE_SYSREG(S3_4_C12_C13_2, val); break;
	case 11: WRITE_SYSREG(S3_4_C12_C13_3, val); break;
	case 12: WRITE_SYSREG(S3_4_C12_C13_4, val); break;
	case 13: WRITE_SYSREG(S3_4_C12_C13_5, val); break;
	case 14: WRITE_SYSREG(S3_4_C12_C13_6, val); break;
	case 15: WRITE_SYSREG(S3_4_C12_C13_7, val); break;
	default: break;
	}
}

static uint32_t vgic_v3_read_apr(unsigned int group, unsigned int n)
{
	switch (group * 4 + n) {
	case 0: return (uint32_t)READ_SYSREG(ICH_AP0R0_EL2);
	case 1: return (uint32_t)READ_SYSREG(ICH_AP0R1_EL2);
	case 2: return (uint32_t)READ_SYSREG(ICH_AP0R2_EL2);
	case 3: return (uint32_t)READ_SYSREG(ICH_AP0R3_EL2);
	case 4: return (uint32_t)READ_SYSREG(ICH_AP1R0_EL2);
	case 5: return (uint32_t)READ_SYSREG(ICH_AP1R1_EL2);
	case 6: return (uint32_t)READ_SYSREG(ICH_AP1R2_EL2);
	case 7: return (uint32_t)READ_SYSREG(ICH_AP1R3_EL2);
	default: return 0;
	}
}

static void vgic_v3_write_apr(unsigned int group, unsigned int n, uint32_t val)
{
	switch (group * 4 + n) {
	case 0: WRITE_SYSREG(ICH_AP0R0_EL2, val); break;
	case 1: WRITE_SYSREG(ICH_AP0R1_EL2, val); break;
	case 2: WRITE_SYSREG(ICH_AP0R2_EL2, val); break;
	case 3: WRITE_SYSREG(ICH_AP0R3_EL2, val); break;
	case 4: WRITE_SYSREG(ICH_AP1R0_EL2, val); break;
	case 5: WRITE_SYSREG(ICH_AP1R1_EL2, val); break;
	case 6: WRITE_SYSREG(ICH_AP1R2_EL2, val); break;
	case 7: WRITE_SYSREG(ICH_AP1R3_EL2, val); break;
	default: break;
	}
}

static void vgic_v3_cpu_reset(void)
{
	WRITE_SYSREG(ICH_HCR_EL2, 0);
	WRITE_SYSREG(ICH_VMCR_EL2, 0);
	for (unsigned int n = 0; n < vgic_v3_nr_aprs && n < VGIC_V3_MAX_APRS;
	     n++) {
		vgic_v3_write_apr(0, n, 0);
		vgic_v3_write_apr(1, n, 0);
	}
	for (unsigned int i = 0; i < vgic_nr_lrs; i++)
		vgic_v3_write_lr(i, 0);
	isb();
}

static uint64_t vgic_v3_read_elrsr(void)
{
	return READ_SYSREG(ICH_ELRSR_EL2);
}

static void vgic_v3_set_underflow(bool on)
{
	WRITE_SYSREG(ICH_HCR_EL2, ICH_HCR_EN | (on ? ICH_HCR_UIE : 0));
	isb();
}

static void vgic_v3_clear_maintenance(void)
{
	WRITE_SYSREG(ICH_HCR_EL2, READ_SYSREG(ICH_HCR_EL2) & ~ICH_HCR_MAINT);
	isb();
}

/* IHI 0069 4.8: what a vCPU switch must carry, LRs aside (vgic.c). */
static void vgic_v3_save(struct vgic_cpu *c)
{
	/* GIC accesses through memory must reach it before the registers. */
	dsb_sy();
	c->vmcr = READ_SYSREG(ICH_VMCR_EL2);
	for (unsigned int n = 0; n < vgic_v3_nr_aprs && n < VGIC_V3_MAX_APRS;
	     n++) {
		c->apr0[n] = vgic_v3_read_apr(0, n);
		c->apr1[n] = vgic_v3_read_apr(1, n);
	}
	c->hcr = READ_SYSREG(ICH_HCR_EL2);
	WRITE_SYSREG(ICH_HCR_EL2, 0);
	isb();
}

static void vgic_v3_restore(const struct vgic_cpu *c)
{
	WRITE_SYSREG(ICH_VMCR_EL2, c->vmcr);
	for (unsigned int n = 0; n < vgic_v3_nr_aprs && n < VGIC_V3_MAX_APRS;
	     n++) {
		vgic_v3_write_apr(0, n, c->apr0[n]);
		vgic_v3_write_apr(1, n, c->apr1[n]);
	}
	/* Maintenance requests are the next flush's to make. */
	WRITE_SYSREG(ICH_HCR_EL2, (c->hcr & ~ICH_HCR_MAINT) | ICH_HCR_EN);
	isb();
	dsb_sy();
}

static uint8_t vgic_v3_vmcr_pmr(uint64_t vmcr)
{
	return (uint8_t)(vmcr >> ICH_VMCR_VPMR_SHIFT);
}

static uint64_t vgic_v3_read_vmcr(void)
{
	return READ_SYSREG(ICH_VMCR_EL2);
}

static void vgic_v3_write_lr0(const struct vgic_lr *lr)
{
	WRITE_SYSREG(S3_4_C12_C12_0, vgic_v3_lr_encode(lr));
}

const struct vgic_hw_ops vgic_v3_hw_ops = {
	.cpu_reset = vgic_v3_cpu_reset,
	.read_lr = vgic_v3_read_lr,
	.write_lr = vgic_v3_write_lr,
	.read_elrsr = vgic_v3_read_elrsr,
	.set_underflow = vgic_v3_set_underflow,
	.clear_maintenance = vgic_v3_clear_maintenance,
	.save = vgic_v3_save,
	.restore = vgic_v3_restore,
	.vmcr_pmr = vgic_v3_vmcr_pmr,
	.read_vmcr = vgic_v3_read_vmcr,
	.lr_encode = vgic_v3_lr_encode,
	.lr_decode = vgic_v3_lr_decode,
	.write_lr0 = vgic_v3_write_lr0,
};

int vgic_v3_hw_init(void)
{
	uint64_t vtr = READ_SYSREG(ICH_VTR_EL2);
	unsigned int prebits = ((vtr >> ICH_VTR_PREBITS_SHIFT) & 7) + 1;
	unsigned int pribits = ((vtr >> ICH_VTR_PRIBITS_SHIFT) & 7) + 1;

	vgic_nr_lrs = (unsigned int)(vtr & ICH_VTR_LISTREGS_MASK) + 1;
	if (vgic_nr_lrs > VGIC_V3_MAX_LRS)
		vgic_nr_lrs = VGIC_V3_MAX_LRS;
	/* The architecture allows 5 to 7 preemption bits. */
	if (prebits < 5 || prebits > 7) {
		pr_err("vGIC: ICH_VTR_EL2 %#lx: %u preemption bits?\n", vtr,
		       prebits);
		return -ENODEV;
	}
	vgic_v3_nr_aprs = 1U << (prebits - 5);
	if (vgic_v3_nr_aprs > VGIC_V3_MAX_APRS)
		vgic_v3_nr_aprs = VGIC_V3_MAX_APRS;
	vgic_prio_mask = (uint8_t)(0xff << (8 - pribits));
	return 0;
}
