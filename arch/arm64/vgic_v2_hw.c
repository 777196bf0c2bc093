// SPDX-License-Identifier: MIT
/*
 * The GICv2 virtual CPU interface control frame (GICH, IHI 0048 5.3):
 * banked per CPU at one address, it holds the list registers, the active
 * priorities, GICH_VMCR (the guest's view of its GICV_* controls) and
 * GICH_HCR. The guest reaches the matching virtual CPU interface (GICV)
 * where it expects its GICC (vgic_v2.c maps it there).
 */
#include <asm/io.h>
#include <asm/sysreg.h>
#include <orchid/errno.h>
#include <orchid/mm.h>
#include <orchid/printk.h>

#include "vgic_internal.h"

#define GICH_HCR    0x000
#define GICH_VTR    0x004
#define GICH_VMCR   0x008
#define GICH_ELRSR0 0x030
#define GICH_ELRSR1 0x034
#define GICH_APR    0x0f0
#define GICH_LR0    0x100

#define GICH_HCR_EN	 (1U << 0)
#define GICH_HCR_UIE	 (1U << 1)
#define GICH_HCR_LRENPIE (1U << 2)
#define GICH_HCR_NPIE	 (1U << 3)
#define GICH_HCR_MAINT	 (GICH_HCR_UIE | GICH_HCR_LRENPIE | GICH_HCR_NPIE)

#define GICH_VTR_LISTREGS_MASK	0x3f
#define GICH_VMCR_PRIMASK_SHIFT 27 /* five bits: priority[7:3] */

#define GICH_MIN_SIZE 0x1000

static uint8_t *vgic_gich;

static uint64_t vgic_v2_read_lr(unsigned int i)
{
	return readl_relaxed(vgic_gich + GICH_LR0 + 4 * (i % VGIC_MAX_LRS));
}

static void vgic_v2_write_lr(unsigned int i, uint64_t val)
{
	writel_relaxed((uint32_t)val,
		       vgic_gich + GICH_LR0 + 4 * (i % VGIC_MAX_LRS));
}

static void vgic_v2_cpu_reset(void)
{
	writel_relaxed(0, vgic_gich + GICH_HCR);
	writel_relaxed(0, vgic_gich + GICH_VMCR);
	writel_relaxed(0, vgic_gich + GICH_APR);
	for (unsigned int i = 0; i < vgic_nr_lrs; i++)
		vgic_v2_write_lr(i, 0);
	dsb_sy();
}

static uint64_t vgic_v2_read_elrsr(void)
{
	return readl_relaxed(vgic_gich + GICH_ELRSR0) |
	       ((uint64_t)readl_relaxed(vgic_gich + GICH_ELRSR1) << 32);
}

static void vgic_v2_set_underflow(bool on)
{
	writel(GICH_HCR_EN | (on ? GICH_HCR_UIE : 0), vgic_gich + GICH_HCR);
}

static void vgic_v2_clear_maintenance(void)
{
	uint32_t hcr = readl_relaxed(vgic_gich + GICH_HCR);

	writel(hcr & ~GICH_HCR_MAINT, vgic_gich + GICH_HCR);
}

static void vgic_v2_save(struct vgic_cpu *c)
{
	c->vmcr = readl_relaxed(vgic_gich + GICH_VMCR);
	c->apr1[0] = readl_relaxed(vgic_gich + GICH_APR);
	c->hcr = readl_relaxed(vgic_gich + GICH_HCR);
	writel(0, vgic_gich + GICH_HCR);
}

static void vgic_v2_restore(const struct vgic_cpu *c)
{
	writel_relaxed((uint32_t)c->vmcr, vgic_gich + GICH_VMCR);
	writel_relaxed(c->apr1[0], vgic_gich + GICH_APR);
	writel(((uint32_t)c->hcr & ~GICH_HCR_MAINT) | GICH_HCR_EN,
	       vgic_gich + GICH_HCR);
}

static uint8_t vgic_v2_vmcr_pmr(uint64_t vmcr)
{
	return (uint8_t)(((vmcr >> GICH_VMCR_PRIMASK_SHIFT) & 0x1f) << 3);
}

static uint64_t vgic_v2_read_vmcr(void)
{
	return readl_relaxed(vgic_gich + GICH_VMCR);
}

static uint64_t vgic_v2_lr_encode64(const struct vgic_lr *lr)
{
	return vgic_v2_lr_encode(lr);
}

static void vgic_v2_lr_decode64(uint64_t val, struct vgic_lr *lr)
{
	vgic_v2_lr_decode((uint32_t)val, lr);
}

static void vgic_v2_write_lr0(const struct vgic_lr *lr)
{
	vgic_v2_write_lr(0, vgic_v2_lr_encode(lr));
}

const struct vgic_hw_ops vgic_v2_hw_ops = {
	.cpu_reset = vgic_v2_cpu_reset,
	.read_lr = vgic_v2_read_lr,
	.write_lr = vgic_v2_write_lr,
	.read_elrsr = vgic_v2_read_elrsr,
	.set_underflow = vgic_v2_set_underflow,
	.clear_maintenance = vgic_v2_clear_maintenance,
	.save = vgic_v2_save,
	.restore = vgic_v2_restore,
	.vmcr_pmr = vgic_v2_vmcr_pmr,
	.read_vmcr = vgic_v2_read_vmcr,
	.lr_encode = vgic_v2_lr_encode64,
	.lr_decode = vgic_v2_lr_decode64,
	.write_lr0 = vgic_v2_write_lr0,
};

int vgic_v2_hw_init(const struct gic_info *host)
{
	uint32_t vtr;

	if (host->hyp.size < GICH_MIN_SIZE || !host->vcpu.size) {
		pr_warn("vGIC: the device tree gives no GICH/GICV frames\n");
		return -ENODEV;
	}
	vgic_gich = ioremap(host->hyp.base, host->hyp.size);
	vtr = readl_relaxed(vgic_gich + GICH_VTR);
	vgic_nr_lrs = (vtr & GICH_VTR_LISTREGS_MASK) + 1;
	/* GICH_LR holds five priority bits. */
	vgic_prio_mask = 0xf8;
	return 0;
}
