// SPDX-License-Identifier: MIT
/*
 * The GICv2 a domain sees on a GICv2 host: an emulated distributor (one
 * 4 KiB frame of registers) and, where it expects its CPU interface, the
 * host's GICV frame mapped straight in: the guest's GICC accesses go to
 * the virtual CPU interface in hardware, fed by the GICH list registers.
 *
 * Like Xen 4.17: at most 8 vCPUs; every interrupt Group 0 (IGROUPR RAZ/WI:
 * a Linux guest enables Group 0 only at its CPU interface); GICD_IIDR
 * 0x43b; each SPI goes to the lowest vCPU its ITARGETSR byte names, and a
 * byte naming none is ignored. Direct-mapped domains (Dom0) find GICD and
 * GICC at the host's addresses, others at Xen's GUEST_GICD/GUEST_GICC.
 */
#include <asm/mmio.h>
#include <orchid/errno.h>
#include <orchid/p2m.h>
#include <orchid/printk.h>
#include <public/arch-arm.h>

#include "vgic_internal.h"

#define GICD_CTLR	 0x000
#define GICD_TYPER	 0x004
#define GICD_IIDR	 0x008
#define GICD_IGROUPR	 0x080
#define GICD_ITARGETSR	 0x800
#define GICD_NSACR	 0xe00
#define GICD_SGIR	 0xf00
#define GICV2_DIST_FRAME 0x1000
#define GICD_CPENDSGIR	 0xf10
#define GICD_SPENDSGIR	 0xf20
#define GICD_ICPIDR2	 0xfe8

#define GICD_CTLR_ENABLE      (1U << 0)
#define GICD_TYPER_CPUS_SHIFT 5
#define GICV2_IIDR	      0x43b /* what Xen reports */
#define GICV2_PIDR2	      0x20  /* ArchRev 2 */

#define GICD_SGIR_FILTER_SHIFT 24
#define GICD_SGIR_LIST_SHIFT   16
enum {
	SGIR_TO_LIST = 0,
	SGIR_TO_OTHERS = 1,
	SGIR_TO_SELF = 2,
};

#define ACC_32	 VGIC_ACC_32
#define ACC_8_32 (VGIC_ACC_8 | VGIC_ACC_32)

static uint64_t vgic_v2_ctlr_read(void *ctx_, uint32_t off, unsigned int size)
{
	struct vgic_mmio_ctx *ctx = ctx_;

	return ctx->dist->ctlr & GICD_CTLR_ENABLE;
}

static void vgic_v2_ctlr_write(void *ctx_, uint32_t off, unsigned int size,
			       uint64_t val)
{
	struct vgic_mmio_ctx *ctx = ctx_;
	bool on = val & GICD_CTLR_ENABLE;

	if (on == ctx->dist->s.enabled)
		return;
	ctx->dist->ctlr = on ? GICD_CTLR_ENABLE : 0;
	ctx->dist->s.enabled = on;
	for (unsigned int i = 0; i < ctx->d->max_vcpus; i++)
		vgic_kick_add(&ctx->kick, i);
}

static uint64_t vgic_v2_typer_read(void *ctx_, uint32_t off, unsigned int size)
{
	struct vgic_mmio_ctx *ctx = ctx_;

	return (ctx->dist->nr_spis / VGIC_BANK_SIZE) |
	       ((ctx->d->max_vcpus - 1) << GICD_TYPER_CPUS_SHIFT);
}

static uint64_t vgic_v2_iidr_read(void *ctx, uint32_t off, unsigned int size)
{
	return GICV2_IIDR;
}

static uint64_t vgic_v2_pidr2_read(void *ctx, uint32_t off, unsigned int size)
{
	return GICV2_PIDR2;
}

/* One ITARGETSR byte: SGIs and PPIs read back the reader's own bit. */
static uint8_t vgic_v2_target_byte(struct vgic_mmio_ctx *ctx,
				   unsigned int intid)
{
	struct vgic_bank *b;

	if (intid < VGIC_NR_PRIVATE)
		return (uint8_t)(1U << ctx->v->vcpu_id);
	b = vgic_bank_get(&ctx->dist->s, NULL, intid);
	return b ? (uint8_t)(1U << b->target[intid % VGIC_BANK_SIZE]) : 0;
}

static uint64_t vgic_v2_itargets_read(void *ctx, uint32_t off,
				      unsigned int size)
{
	uint64_t val = 0;

	for (unsigned int i = 0; i < size; i++)
		val |= (uint64_t)vgic_v2_target_byte(ctx, off + i) << (8 * i);
	return val;
}

static void vgic_v2_itargets_write(void *ctx_, uint32_t off, unsigned int size,
				   uint64_t val)
{
	struct vgic_mmio_ctx *ctx = ctx_;
	uint32_t vcpus = (1U << ctx->d->max_vcpus) - 1;

	for (unsigned int i = 0; i < size; i++) {
		unsigned int intid = off + i;
		uint32_t mask = (uint32_t)(val >> (8 * i)) & 0xff & vcpus;

		if (intid < VGIC_NR_PRIVATE ||
		    !vgic_bank_get(&ctx->dist->s, NULL, intid))
			continue;
		if (!mask) {
			vgic_log(ctx->v,
				 "GICD_ITARGETSR: SPI %u to no vCPU "
				 "ignored",
				 intid);
			continue;
		}
		vgic_spi_retarget(ctx, intid,
				  (unsigned int)__builtin_ctz(mask));
	}
}

static void vgic_v2_sgir_write(void *ctx_, uint32_t off, unsigned int size,
			       uint64_t val)
{
	struct vgic_mmio_ctx *ctx = ctx_;
	unsigned int sgi = val & 0xf;
	unsigned int list = (val >> GICD_SGIR_LIST_SHIFT) & 0xff;
	unsigned int self = ctx->v->vcpu_id;

	switch ((val >> GICD_SGIR_FILTER_SHIFT) & 3) {
	case SGIR_TO_LIST: break;
	case SGIR_TO_OTHERS:
		list = ((1U << ctx->d->max_vcpus) - 1) & ~(1U << self);
		break;
	case SGIR_TO_SELF: list = 1U << self; break;
	default:
		/* Xen refuses the write: the guest gets a data abort. */
		vgic_log(ctx->v, "GICD_SGIR %#lx: reserved filter", val);
		ctx->refuse = true;
		return;
	}
	while (list) {
		unsigned int id = (unsigned int)__builtin_ctz(list);
		struct vcpu *t = domain_vcpu(ctx->d, id);

		list &= list - 1;
		if (t)
			vgic_inject_locked(ctx->d, t, sgi, self, &ctx->kick);
	}
}

/* GICD_[CS]PENDSGIR: a byte per SGI of the reader, one bit per source. */
static uint64_t vgic_v2_sgi_pend_read(void *ctx_, uint32_t off,
				      unsigned int size)
{
	struct vgic_mmio_ctx *ctx = ctx_;
	struct vgic_cpu *c = vgic_cpu_of(ctx->v);
	uint64_t val = 0;

	for (unsigned int i = 0; i < size && off + i < VGIC_NR_SGIS; i++)
		val |= (uint64_t)c->s.sgi_src[off + i] << (8 * i);
	return val;
}

static void vgic_v2_sgi_pend_write(struct vgic_mmio_ctx *ctx, uint32_t off,
				   unsigned int size, uint64_t val, bool set)
{
	struct vgic_cpu *c = vgic_cpu_of(ctx->v);
	uint8_t vcpus = (uint8_t)((1U << ctx->d->max_vcpus) - 1);

	for (unsigned int i = 0; i < size && off + i < VGIC_NR_SGIS; i++) {
		unsigned int sgi = off + i;
		uint8_t bits = (uint8_t)(val >> (8 * i)) & vcpus;

		if (set)
			c->s.sgi_src[sgi] |= bits;
		else
			c->s.sgi_src[sgi] &= (uint8_t)~bits;
		if (c->s.sgi_src[sgi])
			c->s.local.pending |= 1U << sgi;
		else
			c->s.local.pending &= ~(1U << sgi);
		if (set && bits && (c->s.local.enabled & (1U << sgi)))
			vgic_kick_add(&ctx->kick, ctx->v->vcpu_id);
	}
}

static void vgic_v2_spendsgi_write(void *ctx, uint32_t off, unsigned int size,
				   uint64_t val)
{
	vgic_v2_sgi_pend_write(ctx, off, size, val, true);
}

static void vgic_v2_cpendsgi_write(void *ctx, uint32_t off, unsigned int size,
				   uint64_t val)
{
	vgic_v2_sgi_pend_write(ctx, off, size, val, false);
}

static const struct vgic_reg vgic_v2_dist_regs[] = {
	{GICD_CTLR, 4, ACC_32, vgic_v2_ctlr_read, vgic_v2_ctlr_write},
	{GICD_TYPER, 4, ACC_32, vgic_v2_typer_read, NULL},
	{GICD_IIDR, 4, ACC_32, vgic_v2_iidr_read, NULL},
	{GICD_IGROUPR, 0x80, ACC_32, NULL, NULL},
	{GICD_ITARGETSR, 0x400, ACC_8_32, vgic_v2_itargets_read,
	 vgic_v2_itargets_write},
	{GICD_NSACR, 0x100, ACC_32, NULL, NULL},
	{GICD_SGIR, 4, ACC_32, NULL, vgic_v2_sgir_write},
	{GICD_CPENDSGIR, 0x10, ACC_8_32, vgic_v2_sgi_pend_read,
	 vgic_v2_cpendsgi_write},
	{GICD_SPENDSGIR, 0x10, ACC_8_32, vgic_v2_sgi_pend_read,
	 vgic_v2_spendsgi_write},
	{GICD_ICPIDR2, 4, ACC_32, vgic_v2_pidr2_read, NULL},
};

/*
 * The private bank of the GICv2 arrays is the accessing vCPU's. Xen
 * emulates the architected 4 KiB of the distributor only: an access
 * beyond, in a larger host frame Dom0 sees, gets a data abort.
 */
static bool vgic_v2_dist_access(struct vcpu *v, uint64_t offset,
				unsigned int size, bool write, uint64_t *val)
{
	struct vgic_mmio_ctx ctx = {
		.v = v,
		.d = v->domain,
		.dist = vgic_dist_of(v->domain),
		.owner = v,
		.nr_banks = VGIC_GICD_BANKS,
	};

	if (offset >= GICV2_DIST_FRAME) {
		vgic_log(v, "GICD: %s at offset %#lx, past the 4 KiB frame",
			 write ? "write" : "read", offset);
		return false;
	}
	return vgic_mmio_run(&ctx, "GICD", vgic_v2_dist_regs,
			     ARRAY_SIZE(vgic_v2_dist_regs), offset, size, write,
			     val);
}

static bool vgic_v2_dist_read(struct vcpu *v, uint64_t offset,
			      unsigned int size, uint64_t *val, void *priv)
{
	return vgic_v2_dist_access(v, offset, size, false, val);
}

static bool vgic_v2_dist_write(struct vcpu *v, uint64_t offset,
			       unsigned int size, uint64_t val, void *priv)
{
	return vgic_v2_dist_access(v, offset, size, true, &val);
}

static const struct mmio_ops vgic_v2_dist_ops = {
	.read = vgic_v2_dist_read,
	.write = vgic_v2_dist_write,
};

int vgic_v2_domain_init(struct domain *d, struct vgic_dist *dist,
			const struct gic_info *host)
{
	int ret;

	if (!host || host->version != 2 || !host->vcpu.size)
		return -EINVAL;
	if (d->direct_mapped) {
		/* Dom0 keeps the host DT's GIC node: whole host frames. */
		dist->dbase = pa_addr(host->dist.base);
		dist->dsize = max_u64(host->dist.size, PAGE_SIZE);
		dist->cbase = pa_addr(host->cpu.base);
		dist->csize = min_u64(host->cpu.size, host->vcpu.size);
	} else {
		dist->dbase = GUEST_GICD_BASE;
		dist->dsize = GUEST_GICD_SIZE;
		dist->cbase = GUEST_GICC_BASE;
		dist->csize = GUEST_GICC_SIZE;
	}
	dist->csize = align_down(dist->csize, PAGE_SIZE);
	if (dist->csize < 2 * PAGE_SIZE || dist->csize > host->vcpu.size) {
		pr_err("d%u: the host's GICV frame cannot back an 8 KiB GICC\n",
		       d->domain_id);
		return -EINVAL;
	}
	ret = p2m_map(d, ipa_init(dist->cbase), host->vcpu.base,
		      dist->csize >> PAGE_SHIFT, p2m_mmio_direct_dev);
	if (ret)
		return ret;
	return mmio_register(d, dist->dbase, dist->dsize, &vgic_v2_dist_ops,
			     NULL);
}
