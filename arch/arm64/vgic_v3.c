// SPDX-License-Identifier: MIT
/*
 * The GICv3 a domain sees: a distributor with affinity routing always on,
 * one redistributor (RD_base + SGI_base, 128 KiB) per vCPU, and SGIs sent
 * through ICC_SGI1R_EL1, which traps to EL2 because HCR_EL2.IMO is set.
 * The rest of the CPU interface is the hardware's virtual one.
 *
 * Like Xen 4.17: no security extensions, no LPIs and no ITS; every
 * interrupt Group 1 (IGROUPR RAZ/WI all the same, as for a Non-secure
 * access); GICR_WAKER RAZ/WI; GICD_IIDR/GICR_IIDR 0x34c; an SPI goes to one vCPU
 * (IRM routes to vCPU 0); a route naming no vCPU is ignored. Direct-mapped
 * domains (Dom0) use the host's distributor and redistributor addresses,
 * taking as many redistributor regions as their vCPUs need; others
 * Xen's guest layout (GUEST_GICV3_*).
 */
#include <asm/vcpu.h>
#include <orchid/errno.h>
#include <orchid/printk.h>
#include <public/arch-arm.h>

#include <asm/mmio.h>
#include <asm/sysreg.h>

#include "vgic_internal.h"

/* Distributor */
#define GICD_CTLR      0x0000
#define GICD_TYPER     0x0004
#define GICD_IIDR      0x0008
#define GICD_TYPER2    0x000c
#define GICD_STATUSR   0x0010
#define GICD_IGROUPR   0x0080
#define GICD_ITARGETSR 0x0800
#define GICD_IGRPMODR  0x0d00
#define GICD_NSACR     0x0e00
#define GICD_SGIR      0x0f00
#define GICD_CPENDSGIR 0x0f10
#define GICD_SPENDSGIR 0x0f20
#define GICD_IROUTER   0x6000
#define GICD_PIDR2     0xffe8

/* Seen from a Non-secure guest: ARE_NS is fixed, EnableGrp1A is ours. */
#define GICD_CTLR_ENABLE_G1A (1U << 1)
#define GICD_CTLR_ARE_NS     (1U << 4)

#define GICD_TYPER_CPUS_SHIFT	5
#define GICD_TYPER_IDBITS_SHIFT 19
#define VGIC_V3_INTID_BITS	10 /* Xen: SPIs only, no LPIs */

#define GICD_IROUTER_IRM (1ULL << 31)
#define GICD_IROUTER_AFF 0xff00ffffffULL

/* Redistributor, RD_base frame */
#define GICR_CTLR      0x0000
#define GICR_IIDR      0x0004
#define GICR_TYPER     0x0008
#define GICR_STATUSR   0x0010
#define GICR_WAKER     0x0014
#define GICR_PROPBASER 0x0070
#define GICR_PENDBASER 0x0078
#define GICR_SYNCR     0x00c0
#define GICR_PIDR2     0xffe8

#define GICR_TYPER_LAST		   (1ULL << 4)
#define GICR_TYPER_PROC_SHIFT	   8
#define GICR_TYPER_AFF_SHIFT	   32
#define GICR_WAKER_PROCESSOR_SLEEP (1U << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1U << 2)

/* Redistributor, SGI_base frame */
#define GICR_IGROUPR0  0x0080
#define GICR_IGRPMODR0 0x0d00
#define GICR_NSACR     0x0e00

#define GICV3_IIDR  0x34c /* Xen's GICV3_GICD_IIDR_VAL */
#define GICV3_PIDR2 0x30  /* ArchRev 3 */

/* ICC_SGI1R_EL1 and its siblings (IHI 0069 12.2). */
#define ISS_ICC_SGI1R  sysreg_iss(3, 0, 12, 11, 5)
#define ISS_ICC_ASGI1R sysreg_iss(3, 0, 12, 11, 6)
#define ISS_ICC_SGI0R  sysreg_iss(3, 0, 12, 11, 7)

#define ACC_32	  VGIC_ACC_32
#define ACC_8_32  (VGIC_ACC_8 | VGIC_ACC_32)
#define ACC_32_64 (VGIC_ACC_32 | VGIC_ACC_64)

/* A 64-bit register read whole or as either 32-bit half. */
static uint64_t vgic_v3_reg64_read(uint64_t reg, uint32_t off,
				   unsigned int size)
{
	if (size == 8)
		return reg;
	return (uint32_t)(reg >> (8 * (off % 8)));
}

static uint64_t vgic_v3_reg64_write(uint64_t reg, uint32_t off,
				    unsigned int size, uint64_t val)
{
	unsigned int shift = 8 * (off % 8);

	if (size == 8)
		return val;
	return (reg & ~(0xffffffffULL << shift)) |
	       ((val & 0xffffffffULL) << shift);
}

/* ---- distributor -------------------------------------------------------- */

/* Lock or none (vgic_v3_dist_read): the word is written whole. */
static uint64_t vgic_v3_ctlr_value(const struct vgic_dist *dist)
{
	return GICD_CTLR_ARE_NS |
	       (__atomic_load_n(&dist->ctlr, __ATOMIC_RELAXED) &
		GICD_CTLR_ENABLE_G1A);
}

static uint64_t vgic_v3_ctlr_read(void *ctx_, uint32_t off, unsigned int size)
{
	struct vgic_mmio_ctx *ctx = ctx_;

	return vgic_v3_ctlr_value(ctx->dist);
}

/* Turning the distributor on or off concerns every vCPU's LRs. */
static void vgic_v3_ctlr_write(void *ctx_, uint32_t off, unsigned int size,
			       uint64_t val)
{
	struct vgic_mmio_ctx *ctx = ctx_;
	bool on = val & GICD_CTLR_ENABLE_G1A;

	if (on == ctx->dist->s.enabled)
		return;
	__atomic_store_n(&ctx->dist->ctlr, on ? GICD_CTLR_ENABLE_G1A : 0,
			 __ATOMIC_RELAXED);
	ctx->dist->s.enabled = on;
	for (unsigned int i = 0; i < ctx->d->max_vcpus; i++)
		vgic_kick_add(&ctx->kick, i);
}

static uint64_t vgic_v3_typer_read(void *ctx_, uint32_t off, unsigned int size)
{
	struct vgic_mmio_ctx *ctx = ctx_;
	unsigned int cpus = ctx->d->max_vcpus < 8 ? ctx->d->max_vcpus : 8;

	return (ctx->dist->nr_spis / VGIC_BANK_SIZE) |
	       ((cpus - 1) << GICD_TYPER_CPUS_SHIFT) |
	       ((ctx->dist->intid_bits - 1) << GICD_TYPER_IDBITS_SHIFT);
}

static uint64_t vgic_v3_iidr_read(void *ctx, uint32_t off, unsigned int size)
{
	return GICV3_IIDR;
}

static uint64_t vgic_v3_pidr2_read(void *ctx, uint32_t off, unsigned int size)
{
	return GICV3_PIDR2;
}

/* A vCPU's affinity as GICD_IROUTER and GICR_TYPER lay it out. */
static uint64_t vgic_v3_vcpu_aff(unsigned int vcpu_id)
{
	return vcpu_id_to_mpidr(vcpu_id) & GICD_IROUTER_AFF;
}

static uint64_t vgic_v3_irouter_get(struct vgic_mmio_ctx *ctx,
				    unsigned int intid)
{
	struct vgic_bank *b = vgic_bank_get(&ctx->dist->s, NULL, intid);
	unsigned int spi = intid - VGIC_NR_PRIVATE;
	uint64_t val;

	if (!b || intid < VGIC_NR_PRIVATE)
		return 0;
	val = vgic_v3_vcpu_aff(b->target[intid % VGIC_BANK_SIZE]);
	if (ctx->dist->irm[spi / 32] & (1U << (spi % 32)))
		val |= GICD_IROUTER_IRM;
	return val;
}

static uint64_t vgic_v3_irouter_read(void *ctx, uint32_t off, unsigned int size)
{
	return vgic_v3_reg64_read(vgic_v3_irouter_get(ctx, off / 8), off, size);
}

/*
 * Xen's routing: IRM sends to vCPU 0; an affinity naming no vCPU is
 * ignored rather than leaving the interrupt nowhere.
 */
static void vgic_v3_irouter_write(void *ctx_, uint32_t off, unsigned int size,
				  uint64_t val)
{
	struct vgic_mmio_ctx *ctx = ctx_;
	unsigned int intid = off / 8;
	unsigned int spi = intid - VGIC_NR_PRIVATE;
	uint64_t route;
	int id;

	if (intid < VGIC_NR_PRIVATE ||
	    !vgic_bank_get(&ctx->dist->s, NULL, intid))
		return;
	route = vgic_v3_reg64_write(vgic_v3_irouter_get(ctx, intid), off, size,
				    val);
	id = (route & GICD_IROUTER_IRM)
		     ? 0
		     : vcpu_mpidr_to_id(ctx->d, route & GICD_IROUTER_AFF);
	if (id < 0) {
		vgic_log(ctx->v, "GICD_IROUTER%u = %#lx names no vCPU: ignored",
			 intid, route);
		return;
	}
	if (route & GICD_IROUTER_IRM)
		ctx->dist->irm[spi / 32] |= 1U << (spi % 32);
	else
		ctx->dist->irm[spi / 32] &= ~(1U << (spi % 32));
	vgic_spi_retarget(ctx, intid, (unsigned int)id);
}

static const struct vgic_reg vgic_v3_dist_regs[] = {
	{GICD_CTLR, 4, ACC_32, vgic_v3_ctlr_read, vgic_v3_ctlr_write},
	{GICD_TYPER, 4, ACC_32, vgic_v3_typer_read, NULL},
	{GICD_IIDR, 4, ACC_32, vgic_v3_iidr_read, NULL},
	{GICD_TYPER2, 4, ACC_32, NULL, NULL}, /* no vPEs, no ESPIs */
	{GICD_STATUSR, 4, ACC_32, NULL, NULL},
	/* Secure from a Non-secure guest's view (DS 0): RAZ/WI, as Xen. */
	{GICD_IGROUPR, 0x80, ACC_32, NULL, NULL},
	/* Affinity routing: ITARGETSR, SGIR and the SGI pending sets RAZ/WI. */
	{GICD_ITARGETSR, 0x400, ACC_8_32, NULL, NULL},
	{GICD_IGRPMODR, 0x80, ACC_32, NULL, NULL},
	{GICD_NSACR, 0x100, ACC_32, NULL, NULL},
	{GICD_SGIR, 4, ACC_32, NULL, NULL},
	{GICD_CPENDSGIR, 0x10, ACC_8_32, NULL, NULL},
	{GICD_SPENDSGIR, 0x10, ACC_8_32, NULL, NULL},
	{GICD_IROUTER, VGIC_MAX_INTIDS * 8, ACC_32_64, vgic_v3_irouter_read,
	 vgic_v3_irouter_write},
	{GICD_PIDR2, 4, ACC_32, vgic_v3_pidr2_read, NULL},
};

/*
 * The SGI/PPI bank of the GICD arrays (ISENABLER0, IPRIORITYR0-7, ...) is
 * the accessing vCPU's, as on Xen 4.17, although the architecture makes it
 * RAZ/WI with affinity routing: a guest that enables its PPIs through
 * the GICD works on Xen, so it must work here.
 */
static bool vgic_v3_dist_access(struct vcpu *v, uint64_t offset,
				unsigned int size, bool write, uint64_t *val)
{
	struct vgic_mmio_ctx ctx = {
		.v = v,
		.d = v->domain,
		.dist = vgic_dist_of(v->domain),
		.owner = v,
		.nr_banks = VGIC_GICD_BANKS,
	};

	return vgic_mmio_run(&ctx, "GICD", vgic_v3_dist_regs,
			     ARRAY_SIZE(vgic_v3_dist_regs), offset, size, write,
			     val);
}

/*
 * A GICD_CTLR read needs no lock: it is one word, written whole under the
 * lock, and reading it changes nothing. Linux polls it (RWP) after every
 * distributor write; bench-micro's gicd_ctlr-read row (the locked table
 * walk was ~130). Any other size goes the table's way (and is refused).
 */
static bool vgic_v3_dist_read(struct vcpu *v, uint64_t offset,
			      unsigned int size, uint64_t *val, void *priv)
{
	if (offset == GICD_CTLR && size == 4) {
		*val = vgic_v3_ctlr_value(vgic_dist_of(v->domain));
		return true;
	}
	return vgic_v3_dist_access(v, offset, size, false, val);
}

static bool vgic_v3_dist_write(struct vcpu *v, uint64_t offset,
			       unsigned int size, uint64_t val, void *priv)
{
	return vgic_v3_dist_access(v, offset, size, true, &val);
}

static const struct mmio_ops vgic_v3_dist_ops = {
	.read = vgic_v3_dist_read,
	.write = vgic_v3_dist_write,
};

/* ---- redistributors ----------------------------------------------------- */

static uint64_t vgic_v3_rd_typer_read(void *ctx_, uint32_t off,
				      unsigned int size)
{
	struct vgic_mmio_ctx *ctx = ctx_;
	struct vcpu *v = ctx->owner;
	uint64_t mpidr = v->arch.vmpidr;
	uint64_t aff = (((mpidr >> 32) & 0xff) << 24) | (mpidr & 0xffffff);
	uint64_t typer = (aff << GICR_TYPER_AFF_SHIFT) |
			 ((uint64_t)v->vcpu_id << GICR_TYPER_PROC_SHIFT);

	if (vgic_cpu_of(v)->rdist_last)
		typer |= GICR_TYPER_LAST;
	return vgic_v3_reg64_read(typer, off, size);
}

static const struct vgic_reg vgic_v3_rd_regs[] = {
	{GICR_CTLR, 4, ACC_32, NULL, NULL}, /* no LPIs; RWP reads 0 */
	{GICR_IIDR, 4, ACC_32, vgic_v3_iidr_read, NULL},
	{GICR_TYPER, 8, ACC_32_64, vgic_v3_rd_typer_read, NULL},
	{GICR_STATUSR, 4, ACC_32, NULL, NULL},
	/*
	 * Xen's GICR_WAKER: RAZ/WI, a redistributor that is always awake. A
	 * guest may poll ChildrenAsleep without writing ProcessorSleep first.
	 */
	{GICR_WAKER, 4, ACC_32, NULL, NULL},
	{GICR_PROPBASER, 8, ACC_32_64, NULL, NULL},
	{GICR_PENDBASER, 8, ACC_32_64, NULL, NULL},
	{GICR_SYNCR, 4, ACC_32, NULL, NULL},
	{GICR_PIDR2, 4, ACC_32, vgic_v3_pidr2_read, NULL},
};

static const struct vgic_reg vgic_v3_sgi_regs[] = {
	{GICR_IGROUPR0, 4, ACC_32, NULL, NULL}, /* as GICD_IGROUPR */
	{GICR_IGRPMODR0, 4, ACC_32, NULL, NULL},
	{GICR_NSACR, 4, ACC_32, NULL, NULL},
};

/*
 * One handler per region: the frame number picks the vCPU. Frames beyond
 * the domain's vCPUs (a host region bigger than Dom0 needs) are RAZ/WI.
 */
static bool vgic_v3_rdist_access(struct vcpu *v, uint64_t offset,
				 unsigned int size, bool write, uint64_t *val,
				 const struct vgic_rdist_region *r)
{
	struct vgic_mmio_ctx ctx = {
		.v = v,
		.d = v->domain,
		.dist = vgic_dist_of(v->domain),
	};
	uint64_t frame = offset / VGIC_V3_RDIST_SIZE;
	uint64_t off = offset % VGIC_V3_RDIST_SIZE;
	struct vcpu *owner =
		frame < VGIC_MAX_VCPUS
			? domain_vcpu(v->domain,
				      r->first_vcpu + (unsigned int)frame)
			: NULL;

	if (!owner || !vgic_cpu_of(owner)) {
		vgic_log(v, "GICR: %s at %#lx: no redistributor there, RAZ/WI",
			 write ? "write" : "read", r->base + offset);
		if (!write)
			*val = 0;
		return true;
	}
	ctx.owner = owner;
	/* RD_base has none of the per-INTID arrays; SGI_base has bank 0. */
	if (off < VGIC_V3_SGI_FRAME)
		return vgic_mmio_run(&ctx, "GICR", vgic_v3_rd_regs,
				     ARRAY_SIZE(vgic_v3_rd_regs), off, size,
				     write, val);
	ctx.nr_banks = 1;
	return vgic_mmio_run(&ctx, "GICR SGI", vgic_v3_sgi_regs,
			     ARRAY_SIZE(vgic_v3_sgi_regs),
			     off - VGIC_V3_SGI_FRAME, size, write, val);
}

static bool vgic_v3_rdist_read(struct vcpu *v, uint64_t offset,
			       unsigned int size, uint64_t *val, void *priv)
{
	return vgic_v3_rdist_access(v, offset, size, false, val, priv);
}

static bool vgic_v3_rdist_write(struct vcpu *v, uint64_t offset,
				unsigned int size, uint64_t val, void *priv)
{
	return vgic_v3_rdist_access(v, offset, size, true, &val, priv);
}

static const struct mmio_ops vgic_v3_rdist_ops = {
	.read = vgic_v3_rdist_read,
	.write = vgic_v3_rdist_write,
};

/* ---- ICC_SGI1R_EL1 ------------------------------------------------------ */

static void vgic_v3_sgi_target(struct vcpu *v, struct vcpu *t,
			       unsigned int intid, struct vgic_kick *k)
{
	if (t)
		vgic_inject_locked(v->domain, t, intid, v->vcpu_id, k);
}

/*
 * An SGI the sender names as its only target: what the general path
 * below does (vgic_inject_locked of a GICv3 SGI: the pending bit of its
 * own bank), without the decode, the target-list loop and the MPIDR
 * lookup, and without a notification: the sender is the vCPU whose trap
 * this is, so vgic_needs_notify is false. bench-micro's sgi-self row
 * (~80 instructions).
 */
static void vgic_v3_send_sgi_self(struct vcpu *v, unsigned int intid)
{
	struct vgic_dist *dist = vgic_dist_of(v->domain);
	struct vgic_cpu *c = vgic_cpu_of(v);
	unsigned long flags = vgic_lock(dist);

	/* As vgic_inject_locked: a vCPU that is down loses it. */
	if (!(v->pause_flags & VPF_DOWN))
		c->s.local.pending |= vgic_bit(intid);
	vgic_unlock(dist, flags);
}

/*
 * Xen's vgic_to_sgi: a target list (every vCPU named by Aff3.Aff2.Aff1
 * and the list's Aff0 bits) or, with IRM, every vCPU but the sender.
 * Names of vCPUs that do not exist are dropped.
 */
static void vgic_v3_send_sgi(struct vcpu *v, uint64_t val)
{
	struct domain *d = v->domain;
	struct vgic_dist *dist = vgic_dist_of(d);
	struct vgic_kick k = {0};
	struct vgic_sgi1r sgi;
	unsigned long flags;

	if (vgic_sgi1r_is_self(val, vgic_cpu_of(v)->sgi1r_self)) {
		vgic_v3_send_sgi_self(v, (unsigned int)(val >> 24) & 0xf);
		return;
	}
	vgic_sgi1r_decode(val, &sgi);
	flags = vgic_lock(dist);
	if (sgi.broadcast) {
		for (unsigned int i = 0; i < d->max_vcpus; i++)
			if (i != v->vcpu_id)
				vgic_v3_sgi_target(v, domain_vcpu(d, i),
						   sgi.intid, &k);
	} else {
		uint32_t list = sgi.targets;

		while (list) {
			unsigned int bit = (unsigned int)__builtin_ctz(list);
			int id = vcpu_mpidr_to_id(
				d, sgi.aff | (sgi.rs * 16 + bit));

			list &= list - 1;
			if (id >= 0)
				vgic_v3_sgi_target(
					v, domain_vcpu(d, (unsigned int)id),
					sgi.intid, &k);
		}
	}
	vgic_unlock(dist, flags);
	vgic_kick_run(d, &k);
}

/*
 * Group 0 SGIs (ICC_SGI0R_EL1) and the other security state's Group 1
 * (ICC_ASGI1R_EL1) reach nothing in a guest whose interrupts are all
 * Non-secure Group 1: writes are ignored. All three are write-only.
 */
bool vgic_v3_emulate_sysreg(struct vcpu *v, uint32_t iss, uint64_t *val)
{
	uint32_t reg = iss & ESR_SYSREG_MASK;
	bool read = iss & ESR_SYSREG_READ;

	if (reg != ISS_ICC_SGI1R && reg != ISS_ICC_ASGI1R &&
	    reg != ISS_ICC_SGI0R)
		return false;
	if (read) {
		vgic_log(v, "read of a write-only SGI register (ISS %#x)", iss);
		return false;
	}
	if (reg == ISS_ICC_SGI1R)
		vgic_v3_send_sgi(v, *val);
	return true;
}

/* ---- domain and vCPU setup ---------------------------------------------- */

/* Host regions, in order, until every vCPU has its frame (Xen's way). */
static void vgic_v3_host_layout(struct domain *d, struct vgic_dist *dist,
				const struct gic_info *host)
{
	unsigned int first = 0;

	dist->dbase = pa_addr(host->dist.base);
	dist->dsize = host->dist.size;
	for (unsigned int i = 0;
	     i < host->nr_redist && i < VGIC_MAX_RDIST_REGIONS &&
	     first < d->max_vcpus;
	     i++) {
		struct vgic_rdist_region *r = &dist->regions[i];

		r->base = pa_addr(host->redist[i].base);
		r->size = host->redist[i].size;
		r->first_vcpu = first;
		first += (unsigned int)(r->size / VGIC_V3_RDIST_SIZE);
		dist->nr_regions = i + 1;
	}
}

static void vgic_v3_guest_layout(struct vgic_dist *dist)
{
	dist->dbase = GUEST_GICV3_GICD_BASE;
	dist->dsize = GUEST_GICV3_GICD_SIZE;
	dist->regions[0] = (struct vgic_rdist_region){
		.base = GUEST_GICV3_GICR0_BASE,
		.size = GUEST_GICV3_GICR0_SIZE,
		.first_vcpu = 0,
	};
	dist->nr_regions = 1;
}

static unsigned int vgic_v3_nr_frames(const struct vgic_dist *dist)
{
	const struct vgic_rdist_region *last =
		&dist->regions[dist->nr_regions - 1];

	return last->first_vcpu +
	       (unsigned int)(last->size / VGIC_V3_RDIST_SIZE);
}

int vgic_v3_domain_init(struct domain *d, struct vgic_dist *dist,
			const struct gic_info *host)
{
	int ret;

	if (d->direct_mapped) {
		if (!host || host->version != 3 || !host->nr_redist)
			return -EINVAL;
		vgic_v3_host_layout(d, dist, host);
	} else {
		vgic_v3_guest_layout(dist);
	}
	if (dist->dsize < 0x10000 || !dist->nr_regions ||
	    vgic_v3_nr_frames(dist) < d->max_vcpus) {
		pr_err("d%u: no room for %u redistributors\n", d->domain_id,
		       d->max_vcpus);
		return -EINVAL;
	}
	dist->intid_bits = VGIC_V3_INTID_BITS;
	dist->ctlr = 0;

	ret = mmio_register(d, dist->dbase, dist->dsize, &vgic_v3_dist_ops,
			    NULL);
	for (unsigned int i = 0; !ret && i < dist->nr_regions; i++)
		ret = mmio_register(d, dist->regions[i].base,
				    dist->regions[i].size, &vgic_v3_rdist_ops,
				    &dist->regions[i]);
	return ret;
}

/* Its frame, and GICR_TYPER.Last on the last frame the guest may walk. */
int vgic_v3_vcpu_init(struct vcpu *v)
{
	struct vgic_dist *dist = vgic_dist_of(v->domain);
	struct vgic_cpu *c = vgic_cpu_of(v);

	c->sgi1r_self = vgic_sgi1r_self(vcpu_id_to_mpidr(v->vcpu_id));
	for (unsigned int i = 0; i < dist->nr_regions; i++) {
		const struct vgic_rdist_region *r = &dist->regions[i];
		unsigned int frames =
			(unsigned int)(r->size / VGIC_V3_RDIST_SIZE);

		if (v->vcpu_id < r->first_vcpu ||
		    v->vcpu_id >= r->first_vcpu + frames)
			continue;
		c->rdist_base =
			r->base + (uint64_t)(v->vcpu_id - r->first_vcpu) *
					  VGIC_V3_RDIST_SIZE;
		c->rdist_last = v->vcpu_id == r->first_vcpu + frames - 1 ||
				v->vcpu_id == v->domain->max_vcpus - 1;
		return 0;
	}
	return -EINVAL;
}
