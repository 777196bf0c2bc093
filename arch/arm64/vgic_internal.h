/* SPDX-License-Identifier: MIT */
/*
 * What the vGIC's files share among themselves: the per-domain and
 * per-vCPU structures behind struct arch_domain.vgic and
 * struct arch_vcpu.vgic, the hardware back ends (ICH_* system registers or
 * the GICH frame), and the register-table plumbing of the emulated
 * distributor and redistributors.
 *
 * Locking: one lock per domain vGIC (struct vgic_dist.lock, IRQ-safe)
 * guards every bank and the register state. A vCPU's list-register shadow
 * (struct vgic_cpu_state.lr) is only changed by that vCPU's own pCPU
 * (flush, sync, save), under the same lock because it updates banks. Never
 * wake or kick a vCPU with the lock held: the scheduler calls back into
 * vgic_vcpu_pending_irq.
 */
#ifndef ARM64_VGIC_INTERNAL_H
#define ARM64_VGIC_INTERNAL_H

#include <orchid/bootinfo.h>
#include <orchid/domain.h>
#include <orchid/spinlock.h>
#include <orchid/types.h>

#include "vgic_common.h"

#define VGIC_MAX_RDIST_REGIONS 4
#define VGIC_V3_RDIST_SIZE     0x20000UL /* RD_base + SGI_base frames */
#define VGIC_V3_SGI_FRAME      0x10000UL
/*
 * Banks a distributor's per-INTID arrays span (1024 INTIDs, so GICD
 * ISENABLER0-31): those beyond the domain's SPIs are RAZ/WI.
 */
#define VGIC_GICD_BANKS 32

struct vgic_rdist_region {
	uint64_t base, size;
	unsigned int first_vcpu;
};

struct vgic_dist {
	spinlock_t lock;
	/*
	 * Bumped by every vgic_unlock(): the banks may have changed. A vCPU
	 * whose last entry found nothing to deliver at this generation skips
	 * the bank scan (vgic_flush; bench-micro's trap rows).
	 */
	uint64_t gen;
	struct vgic_dist_state s;
	unsigned int version; /* 2 or 3 */
	unsigned int nr_spis;
	uint32_t ctlr;
	unsigned int intid_bits; /* GICv3 GICD_TYPER.IDbits + 1 */
	uint64_t dbase, dsize;	 /* distributor IPA range */
	uint64_t cbase, csize;	 /* GICv2: CPU interface IPA range */
	unsigned int nr_regions; /* GICv3 redistributor regions */
	struct vgic_rdist_region regions[VGIC_MAX_RDIST_REGIONS];
	/* GICv3: the IRM bit of each SPI's GICD_IROUTER, for read-back. */
	uint32_t irm[VGIC_MAX_SPIS / VGIC_BANK_SIZE];
	struct vgic_bank spi[];
};

struct vgic_cpu {
	struct vgic_cpu_state s;
	bool lrs_in_hw; /* flushed to hardware, guest may have changed them */
	/*
	 * Loaded here with ICH_HCR_EL2.UIE (GICH_HCR.UIE) set: the register
	 * is only written when that changes (vgic_underflow).
	 */
	bool uie;
	uint64_t
		idle_gen; /* dist->gen at which this vCPU had nothing: 0 none */
	uint64_t vmcr;	  /* saved ICH_VMCR_EL2 / GICH_VMCR */
	uint64_t hcr;	  /* saved ICH_HCR_EL2 / GICH_HCR */
	uint32_t apr0[4],
		apr1[4];     /* ICH_AP0R/AP1R; GICv2: GICH_APR in apr1[0] */
	uint64_t rdist_base; /* GICv3: IPA of its redistributor */
	uint64_t sgi1r_self; /* GICv3: vgic_sgi1r_self() of its MPIDR */
	bool rdist_last;     /* GICR_TYPER.Last */
};

/* The virtual CPU interface hardware of this host (v3 or v2). */
struct vgic_hw_ops {
	void (*cpu_reset)(
		void); /* this pCPU: no LR, APR or control left over */
	uint64_t (*read_lr)(unsigned int i);
	void (*write_lr)(unsigned int i, uint64_t val);
	uint64_t (*read_elrsr)(void);	/* bit i: LR i holds nothing */
	void (*set_underflow)(bool on); /* En, plus UIE when @on */
	void (*clear_maintenance)(void);
	void (*save)(struct vgic_cpu *c); /* VMCR, APRs, HCR; then off */
	void (*restore)(const struct vgic_cpu *c);
	uint8_t (*vmcr_pmr)(uint64_t vmcr);
	uint64_t (*read_vmcr)(void);
	uint64_t (*lr_encode)(const struct vgic_lr *lr);
	/*
	 * LR 0 from @lr, encoded: the fast fills' one write, without the
	 * index switch and the second call (bench-micro's interrupt rows).
	 */
	void (*write_lr0)(const struct vgic_lr *lr);
	void (*lr_decode)(uint64_t val, struct vgic_lr *lr);
};

/* Filled by the back end's init: the host's LRs and priority bits. */
extern unsigned int vgic_nr_lrs;
extern uint8_t vgic_prio_mask;

#ifdef CONFIG_GICV3
extern const struct vgic_hw_ops vgic_v3_hw_ops;
int vgic_v3_hw_init(void);
int vgic_v3_domain_init(struct domain *d, struct vgic_dist *dist,
			const struct gic_info *host);
int vgic_v3_vcpu_init(struct vcpu *v);
bool vgic_v3_emulate_sysreg(struct vcpu *v, uint32_t iss, uint64_t *val);
#endif
#ifdef CONFIG_GICV2
extern const struct vgic_hw_ops vgic_v2_hw_ops;
int vgic_v2_hw_init(const struct gic_info *host);
int vgic_v2_domain_init(struct domain *d, struct vgic_dist *dist,
			const struct gic_info *host);
#endif

/* The distributor lock; unlocking bumps dist->gen (see there). */
static inline unsigned long vgic_lock(struct vgic_dist *dist)
{
	return spin_lock_irqsave(&dist->lock);
}

static inline void vgic_unlock(struct vgic_dist *dist, unsigned long flags)
{
	__atomic_store_n(&dist->gen, dist->gen + 1, __ATOMIC_RELEASE);
	spin_unlock_irqrestore(&dist->lock, flags);
}

/* For a section that changed no state (an emulated register read). */
static inline void vgic_unlock_unchanged(struct vgic_dist *dist,
					 unsigned long flags)
{
	spin_unlock_irqrestore(&dist->lock, flags);
}

static inline struct vgic_dist *vgic_dist_of(const struct domain *d)
{
	return d->arch.vgic;
}

static inline struct vgic_cpu *vgic_cpu_of(const struct vcpu *v)
{
	return v->arch.vgic;
}

/* vCPUs to wake and kick once the vGIC lock is dropped. */
struct vgic_kick {
	uint64_t mask[VGIC_MAX_VCPUS / 64];
};

static inline void vgic_kick_add(struct vgic_kick *k, unsigned int vcpu_id)
{
	if (vcpu_id < VGIC_MAX_VCPUS)
		k->mask[vcpu_id / 64] |= 1ULL << (vcpu_id % 64);
}

void vgic_kick_walk(struct domain *d, const struct vgic_kick *k);

/*
 * Notify the vCPUs in @k. Most register accesses notify no one: that test
 * is inline (bench-micro's gicd_ctlr-read and gicd_isenabler-write rows:
 * the call and walk were ~20).
 */
static inline void vgic_kick_run(struct domain *d, const struct vgic_kick *k)
{
	uint64_t any = 0;

	for (unsigned int w = 0; w < VGIC_MAX_VCPUS / 64; w++)
		any |= k->mask[w];
	if (any)
		vgic_kick_walk(d, k);
}

/*
 * Under the lock: make @intid pending for @target (private INTIDs) or
 * along its routing (SPIs, @target ignored); @source is the sending vCPU
 * of a GICv2 SGI. The vCPU to notify goes into @k. False when it was
 * lost: no such INTID, or its vCPU absent or down.
 */
bool vgic_inject_locked(struct domain *d, struct vcpu *target,
			unsigned int intid, unsigned int source,
			struct vgic_kick *k);

/*
 * Under the lock: fold back the LRs @v (the trapping vCPU) left in
 * hardware, which vgic_sync leaves for later; true when it did, and so
 * changed the state.
 */
bool vgic_collect_current_slow(struct vgic_dist *dist, struct vcpu *v);

/* Nothing left in hardware is one inline test (bench-micro's gicd rows). */
static inline bool vgic_collect_current(struct vgic_dist *dist, struct vcpu *v)
{
	struct vgic_cpu *c = v ? vgic_cpu_of(v) : NULL;

	if (!c || !c->lrs_in_hw)
		return false;
	return vgic_collect_current_slow(dist, v);
}

/* Guest mistakes, logged at a thinning rate so a guest cannot flood. */
void vgic_log(const struct vcpu *v, const char *fmt, ...) __printf(2, 3);

/* ---- emulated registers (vgic_mmio.c) ----------------------------------- */

/* One access to the distributor or a redistributor. */
struct vgic_mmio_ctx {
	struct vcpu *v; /* the vCPU making the access */
	struct domain *d;
	struct vgic_dist *dist;
	struct vcpu *owner;    /* whose SGIs/PPIs bank 0 is; NULL: RAZ/WI */
	unsigned int nr_banks; /* banks the register arrays reach; 0: none */
	struct vgic_kick kick;
	bool refuse; /* set by a handler: the access gets a data abort */
	/*
	 * Set by a write handler that found nothing to change: the lock is
	 * dropped without bumping the generation, so the next entry skips
	 * its bank scan (bench-micro's gicd_isenabler-write row, which sets
	 * a bit already set: ~20).
	 */
	bool unchanged;
};

/*
 * Run one access under the vGIC lock, then notify: through the per-INTID
 * arrays both GIC versions share (ISENABLER ... ICFGR, ctx->nr_banks of
 * them), then through @regs, what only this frame has.
 */
bool vgic_mmio_run(struct vgic_mmio_ctx *ctx, const char *what,
		   const struct vgic_reg *regs, size_t nr_regs, uint64_t offset,
		   unsigned int size, bool write, uint64_t *val);

/* The bank of register index @n (GICD_xxxR<n>), or NULL: RAZ/WI. */
struct vgic_bank *vgic_mmio_bank(struct vgic_mmio_ctx *ctx, unsigned int n);

/* GICv3 IGROUPR: every interrupt is Group 1 (RAO/WI). */

/* An SPI's routing changed to @vcpu_id: move its physical twin along. */
void vgic_spi_retarget(struct vgic_mmio_ctx *ctx, unsigned int intid,
		       unsigned int vcpu_id);

#endif /* ARM64_VGIC_INTERNAL_H */
