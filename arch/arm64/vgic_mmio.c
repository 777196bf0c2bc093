// SPDX-License-Identifier: MIT
/*
 * Emulated GIC registers that the GICv2 distributor, the GICv3
 * distributor and the GICv3 redistributors' SGI frames share: the bit
 * arrays (enable, pending, active, group), priorities and trigger
 * configuration. Each handler gets the byte offset into its register
 * array; register n of an array covers bank n, which vgic_mmio_bank turns
 * into the accessing vCPU's private bank (n == 0) or an SPI bank.
 *
 * The per-INTID arrays are one table (vgic_mmio_bank_regs), sized by bank
 * and scaled to the frame, that every frame's access goes through first;
 * vgic_v2.c and vgic_v3.c list only the registers that differ.
 *
 * Writes to a forwarded physical SPI reach the physical GIC: enabling,
 * disabling, trigger changes, set-pending and deactivation.
 */
#include <asm/gic.h>
#include <orchid/irq.h>

#include "vgic_internal.h"

struct vgic_bank *vgic_mmio_bank(struct vgic_mmio_ctx *ctx, unsigned int n)
{
	struct vgic_cpu *c;

	if (n >= ctx->nr_banks)
		return NULL;
	if (n == 0) {
		c = ctx->owner ? vgic_cpu_of(ctx->owner) : NULL;
		return c ? &c->s.local : NULL;
	}
	if (n - 1 >= ctx->dist->s.nr_spi_banks)
		return NULL;
	return &ctx->dist->spi[n - 1];
}

static struct vgic_cpu_state *vgic_mmio_owner_state(struct vgic_mmio_ctx *ctx)
{
	struct vgic_cpu *c = ctx->owner ? vgic_cpu_of(ctx->owner) : NULL;

	return c ? &c->s : NULL;
}

/* Who must look at INTID @n of bank @idx: its target, or its LR holder. */
static void vgic_mmio_kick(struct vgic_mmio_ctx *ctx, unsigned int idx,
			   const struct vgic_bank *b, unsigned int n,
			   bool holder)
{
	if (idx == 0) {
		if (ctx->owner)
			vgic_kick_add(&ctx->kick, ctx->owner->vcpu_id);
		return;
	}
	vgic_kick_add(&ctx->kick, holder ? b->owner[n] : b->target[n]);
}

static bool vgic_is_v2_sgi(const struct vgic_mmio_ctx *ctx, unsigned int intid)
{
	return ctx->dist->s.v2 && intid < VGIC_NR_SGIS;
}

/* ---- GICD_ISENABLER / GICD_ICENABLER ---------------------------------- */

static uint64_t vgic_mmio_read_enable(void *ctx, uint32_t off,
				      unsigned int size)
{
	struct vgic_bank *b = vgic_mmio_bank(ctx, off / 4);

	return b ? b->enabled : 0;
}

/* The physical twin follows: its trigger and pCPU, then on. */
static void vgic_hw_spi_enable(struct vgic_mmio_ctx *ctx,
			       const struct vgic_bank *b, unsigned int intid)
{
	unsigned int n = intid % VGIC_BANK_SIZE;
	struct vcpu *t = domain_vcpu(ctx->d, b->target[n]);

	gic_irq_set_edge(intid, b->edge & (1U << n));
	if (t)
		gic_irq_set_affinity(intid, t->processor);
	irq_enable(intid);
}

static void vgic_mmio_write_senable(void *ctx_, uint32_t off, unsigned int size,
				    uint64_t val)
{
	struct vgic_mmio_ctx *ctx = ctx_;
	unsigned int idx = off / 4;
	struct vgic_bank *b = vgic_mmio_bank(ctx, idx);
	uint32_t newly;

	if (!b) {
		ctx->unchanged = true;
		return;
	}
	newly = (uint32_t)val & ~b->enabled;
	if (!newly) {
		ctx->unchanged = true;
		return;
	}
	b->enabled |= newly;
	while (newly) {
		unsigned int n = (unsigned int)__builtin_ctz(newly);
		uint32_t bit = 1U << n;

		newly &= newly - 1;
		if (b->hw & bit)
			vgic_hw_spi_enable(ctx, b, idx * VGIC_BANK_SIZE + n);
		if (b->pending & bit)
			vgic_mmio_kick(ctx, idx, b, n, false);
	}
}

static void vgic_mmio_write_cenable(void *ctx_, uint32_t off, unsigned int size,
				    uint64_t val)
{
	struct vgic_mmio_ctx *ctx = ctx_;
	unsigned int idx = off / 4;
	struct vgic_bank *b = vgic_mmio_bank(ctx, idx);
	uint32_t gone;

	if (!b)
		return;
	gone = (uint32_t)val & b->enabled;
	b->enabled &= ~gone;
	while (gone) {
		unsigned int n = (unsigned int)__builtin_ctz(gone);
		uint32_t bit = 1U << n;

		gone &= gone - 1;
		if (b->hw & bit)
			irq_disable(idx * VGIC_BANK_SIZE + n);
		/* A pending LR is withdrawn at its holder's next entry. */
		if (b->in_lr & bit)
			vgic_mmio_kick(ctx, idx, b, n, true);
	}
}

/* ---- GICD_ISPENDR / GICD_ICPENDR -------------------------------------- */

static uint64_t vgic_mmio_read_pending(void *ctx, uint32_t off,
				       unsigned int size)
{
	struct vgic_bank *b = vgic_mmio_bank(ctx, off / 4);

	return b ? b->pending | b->lr_pending : 0;
}

/* Pending in software only: the physical one is active. */
static void vgic_mmio_unpend(struct vgic_mmio_ctx *ctx, unsigned int idx,
			     const struct vgic_bank *b, unsigned int n)
{
	unsigned int intid = idx * VGIC_BANK_SIZE + n;

	/*
	 * A level-sensitive line Orchid still drives high stays pending:
	 * ICPENDR clears only the latch (GIC architecture; Xen 4.17 ignores
	 * ICPENDR altogether). The upcall PPI: a guest's GIC setup clearing
	 * its PPIs while upcall_pending is set would leave the line high and
	 * never pending, and every later EVTCHNOP_send to it lost
	 * (tests/baremetal/test_upcall_remote.c).
	 */
	if (vgic_line_high(b, 1U << n))
		return;
	if (vgic_state_clear_pending(&ctx->dist->s, vgic_mmio_owner_state(ctx),
				     intid))
		gic_irq_clear_active(intid);
	if (b->in_lr & (1U << n))
		vgic_mmio_kick(ctx, idx, b, n, true);
}

/*
 * GICD_ISPENDR and GICD_ICPENDR walk the same INTIDs: those written as 1,
 * but GICv2 SGIs (made pending through GICD_[CS]PENDSGIR). Setting a
 * forwarded SPI makes it pending in the physical GIC (as Xen does): it
 * then arrives through its handler like any other.
 */
static void vgic_mmio_write_pend(struct vgic_mmio_ctx *ctx, uint32_t off,
				 uint64_t val, bool set)
{
	unsigned int idx = off / 4;
	struct vgic_bank *b = vgic_mmio_bank(ctx, idx);
	uint32_t bits = (uint32_t)val;

	if (!b)
		return;
	while (bits) {
		unsigned int n = (unsigned int)__builtin_ctz(bits);
		unsigned int intid = idx * VGIC_BANK_SIZE + n;

		bits &= bits - 1;
		if (vgic_is_v2_sgi(ctx, intid))
			continue;
		if (!set)
			vgic_mmio_unpend(ctx, idx, b, n);
		else if (b->hw & (1U << n))
			gic_irq_set_pending(intid);
		else
			vgic_inject_locked(ctx->d, ctx->owner, intid,
					   ctx->v->vcpu_id, &ctx->kick);
	}
}

static void vgic_mmio_write_spending(void *ctx, uint32_t off, unsigned int size,
				     uint64_t val)
{
	vgic_mmio_write_pend(ctx, off, val, true);
}

static void vgic_mmio_write_cpending(void *ctx, uint32_t off, unsigned int size,
				     uint64_t val)
{
	vgic_mmio_write_pend(ctx, off, val, false);
}

/* ---- GICD_ISACTIVER / GICD_ICACTIVER ---------------------------------- */

static uint64_t vgic_mmio_read_active(void *ctx, uint32_t off,
				      unsigned int size)
{
	struct vgic_bank *b = vgic_mmio_bank(ctx, off / 4);

	return b ? b->lr_active : 0;
}

/* Nothing real sets an interrupt active but its acknowledgement. */
static void vgic_mmio_write_sactive(void *ctx_, uint32_t off, unsigned int size,
				    uint64_t val)
{
	struct vgic_mmio_ctx *ctx = ctx_;

	if (val && vgic_mmio_bank(ctx, off / 4))
		vgic_log(ctx->v, "ISACTIVER%u write %#lx ignored", off / 4,
			 val);
}

/*
 * Deactivating what an LR holds is done by its holder at its next entry
 * (vgic_lrs_fill); a forwarded SPI's physical side goes along.
 */
static void vgic_mmio_write_cactive(void *ctx_, uint32_t off, unsigned int size,
				    uint64_t val)
{
	struct vgic_mmio_ctx *ctx = ctx_;
	unsigned int idx = off / 4;
	struct vgic_bank *b = vgic_mmio_bank(ctx, idx);
	uint32_t bits;

	if (!b)
		return;
	bits = (uint32_t)val & b->in_lr;
	b->deact |= bits;
	while (bits) {
		unsigned int n = (unsigned int)__builtin_ctz(bits);

		bits &= bits - 1;
		vgic_mmio_kick(ctx, idx, b, n, true);
	}
}

/* ---- GICD_IPRIORITYR ---------------------------------------------------- */

static uint64_t vgic_mmio_read_priority(void *ctx, uint32_t off,
					unsigned int size)
{
	struct vgic_bank *b = vgic_mmio_bank(ctx, off / VGIC_BANK_SIZE);

	return b ? vgic_priority_read(b, off % VGIC_BANK_SIZE, size) : 0;
}

static void vgic_mmio_write_priority(void *ctx, uint32_t off, unsigned int size,
				     uint64_t val)
{
	struct vgic_bank *b = vgic_mmio_bank(ctx, off / VGIC_BANK_SIZE);

	if (b)
		vgic_priority_write(b, off % VGIC_BANK_SIZE, size, val);
}

/* ---- GICD_ICFGR --------------------------------------------------------- */

static uint64_t vgic_mmio_read_config(void *ctx, uint32_t off,
				      unsigned int size)
{
	unsigned int reg = off / 4;
	struct vgic_bank *b = vgic_mmio_bank(ctx, reg / 2);

	return b ? vgic_icfgr_read(b, reg % 2) : 0;
}

/* A live physical line is turned off around its trigger change. */
static void vgic_hw_spi_set_edge(const struct vgic_bank *b, unsigned int intid)
{
	uint32_t bit = vgic_bit(intid);
	bool on = b->enabled & bit;

	if (on)
		irq_disable(intid);
	gic_irq_set_edge(intid, b->edge & bit);
	if (on)
		irq_enable(intid);
}

static void vgic_mmio_write_config(void *ctx, uint32_t off, unsigned int size,
				   uint64_t val)
{
	unsigned int reg = off / 4;
	unsigned int idx = reg / 2;
	struct vgic_bank *b = vgic_mmio_bank(ctx, idx);
	/* SGIs are edge-triggered for good; PPIs and SPIs are ours to set. */
	uint32_t writable = idx == 0 ? 0xffff0000U : 0xffffffffU;
	uint32_t changed;

	if (!b)
		return;
	changed = vgic_icfgr_write(b, reg % 2, (uint32_t)val, writable) & b->hw;
	while (changed) {
		unsigned int n = (unsigned int)__builtin_ctz(changed);

		changed &= changed - 1;
		vgic_hw_spi_set_edge(b, idx * VGIC_BANK_SIZE + n);
	}
}

/* ---- the register table both GIC versions share --------------------- */

/*
 * The per-INTID arrays, at the same offsets in the GICv2 and GICv3
 * distributors and in a GICv3 redistributor's SGI_base frame, each entry
 * sized for one bank: vgic_mmio_run scales them by the frame's nr_banks.
 * IGROUPR is not here: GICv2 makes every interrupt Group 0, GICv3 Group 1.
 */
#define VGIC_ISENABLER	0x100
#define VGIC_ICENABLER	0x180
#define VGIC_ISPENDR	0x200
#define VGIC_ICPENDR	0x280
#define VGIC_ISACTIVER	0x300
#define VGIC_ICACTIVER	0x380
#define VGIC_IPRIORITYR 0x400
#define VGIC_ICFGR	0xc00

static const struct vgic_reg vgic_mmio_bank_regs[] = {
	{VGIC_ISENABLER, 4, VGIC_ACC_32, vgic_mmio_read_enable,
	 vgic_mmio_write_senable},
	{VGIC_ICENABLER, 4, VGIC_ACC_32, vgic_mmio_read_enable,
	 vgic_mmio_write_cenable},
	{VGIC_ISPENDR, 4, VGIC_ACC_32, vgic_mmio_read_pending,
	 vgic_mmio_write_spending},
	{VGIC_ICPENDR, 4, VGIC_ACC_32, vgic_mmio_read_pending,
	 vgic_mmio_write_cpending},
	{VGIC_ISACTIVER, 4, VGIC_ACC_32, vgic_mmio_read_active,
	 vgic_mmio_write_sactive},
	{VGIC_ICACTIVER, 4, VGIC_ACC_32, vgic_mmio_read_active,
	 vgic_mmio_write_cactive},
	{VGIC_IPRIORITYR, VGIC_BANK_SIZE, VGIC_ACC_8 | VGIC_ACC_32,
	 vgic_mmio_read_priority, vgic_mmio_write_priority},
	{VGIC_ICFGR, 8, VGIC_ACC_32, vgic_mmio_read_config,
	 vgic_mmio_write_config},
};

/* The shared arrays first, then what only this frame has (@regs). */
static enum vgic_mmio_result vgic_mmio_dispatch(struct vgic_mmio_ctx *ctx,
						const struct vgic_reg *regs,
						size_t nr_regs, uint64_t offset,
						unsigned int size, bool write,
						uint64_t *val)
{
	enum vgic_mmio_result r;

	/*
	 * The arrays start at ISENABLER (the lowest offset of the table
	 * above): control registers below it skip their scan (~100 of
	 * bench-micro's gicd_ctlr-read row).
	 */
	if (offset < VGIC_ISENABLER)
		return vgic_mmio_access(regs, nr_regs, ctx, offset, size, write,
					val);
	r = vgic_mmio_access_scaled(
		vgic_mmio_bank_regs, ARRAY_SIZE(vgic_mmio_bank_regs),
		ctx->nr_banks, ctx, offset, size, write, val);
	if (r != VGIC_MMIO_UNKNOWN)
		return r;
	return vgic_mmio_access(regs, nr_regs, ctx, offset, size, write, val);
}

bool vgic_mmio_run(struct vgic_mmio_ctx *ctx, const char *what,
		   const struct vgic_reg *regs, size_t nr_regs, uint64_t offset,
		   unsigned int size, bool write, uint64_t *val)
{
	enum vgic_mmio_result r;
	unsigned long flags;
	bool folded;

	flags = vgic_lock(ctx->dist);
	/* ISPENDR/ISACTIVER and the requests see what the guest just did. */
	folded = vgic_collect_current(ctx->dist, ctx->v);
	r = vgic_mmio_dispatch(ctx, regs, nr_regs, offset, size, write, val);
	if (ctx->refuse)
		r = VGIC_MMIO_BAD_ACCESS;
	/*
	 * Distributor and redistributor reads have no side effects (GICv2's
	 * CPU interface is the hardware's GICV, not emulated): a read keeps
	 * the generation, so the next entry skips the bank scan (~70 of
	 * bench-micro's gicd_ctlr-read row).
	 */
	if ((write && !ctx->unchanged) || folded)
		vgic_unlock(ctx->dist, flags);
	else
		vgic_unlock_unchanged(ctx->dist, flags);
	vgic_kick_run(ctx->d, &ctx->kick);

	switch (r) {
	case VGIC_MMIO_OK: return true;
	case VGIC_MMIO_UNKNOWN:
		vgic_log(ctx->v,
			 "%s: %s of unimplemented offset %#lx (%u "
			 "bytes): RAZ/WI",
			 what, write ? "write" : "read", offset, size);
		return true;
	default:
		vgic_log(ctx->v, "%s: bad %u-byte %s at offset %#lx", what,
			 size, write ? "write" : "read", offset);
		return false;
	}
}

/* ---- SPI routing -------------------------------------------------------- */

void vgic_spi_retarget(struct vgic_mmio_ctx *ctx, unsigned int intid,
		       unsigned int vcpu_id)
{
	struct vgic_bank *b = vgic_bank_get(&ctx->dist->s, NULL, intid);
	unsigned int n = intid % VGIC_BANK_SIZE;
	uint32_t bit = vgic_bit(intid);
	struct vcpu *t = domain_vcpu(ctx->d, vcpu_id);

	if (!b || intid < VGIC_NR_PRIVATE || !t || b->target[n] == vcpu_id)
		return;
	b->target[n] = (uint16_t)vcpu_id;
	/* The physical SPI is taken where its vCPU runs (vgic_vcpu_migrated
	 * follows it when the vCPU moves). */
	if ((b->hw & bit) && (b->enabled & bit))
		gic_irq_set_affinity(intid, t->processor);
	if (b->pending & bit)
		vgic_kick_add(&ctx->kick, vcpu_id);
}
