/* SPDX-License-Identifier: MIT */
/*
 * The vGIC's pure state machine: interrupt banks, list-register contents,
 * which pending interrupts go into which list registers, LR encodings and
 * the register-table dispatcher. Nothing here touches hardware, locks or
 * domains, so it builds on the host and is unit-tested there
 * (tests/unit/test_vgic.c). vgic.c wraps it with locking and hardware.
 */
#ifndef ARM64_VGIC_COMMON_H
#define ARM64_VGIC_COMMON_H

#include <orchid/types.h>

#define VGIC_NR_SGIS	16
#define VGIC_NR_PRIVATE 32
#define VGIC_BANK_SIZE	32
/* Xen's limit: 1020 INTIDs minus the private ones, whole banks only. */
#define VGIC_MAX_SPIS	960
#define VGIC_MAX_INTIDS (VGIC_NR_PRIVATE + VGIC_MAX_SPIS)
#define VGIC_MAX_LRS	64 /* GICv2 allows 64, GICv3 16 */
#define VGIC_MAX_VCPUS	128
#define VGIC_NO_VCPU	0xffff

/*
 * 32 consecutive INTIDs: a vCPU's SGIs and PPIs, or 32 SPIs of a domain.
 * One bit per interrupt in each mask, bit n being INTID 32 * bank + n, so
 * that GICD_ISENABLER<n> and friends map onto it word for word.
 */
struct vgic_bank {
	uint32_t enabled;
	uint32_t pending;    /* pending and in no list register */
	uint32_t level;	     /* line level Orchid drives (vgic_set_level) */
	uint32_t edge;	     /* ICFGR: 1 edge-triggered, 0 level-sensitive */
	uint32_t hw;	     /* a physical SPI forwarded with the same INTID */
	uint32_t in_lr;	     /* held by a list register of some vCPU */
	uint32_t lr_pending; /* state of those LRs when last looked at, */
	uint32_t lr_active;  /* for ISPENDR/ISACTIVER reads */
	uint32_t unqueue;    /* pending state cleared while in an LR */
	uint32_t deact;	     /* active state cleared while in an LR */
	uint8_t priority[VGIC_BANK_SIZE];
	uint16_t target[VGIC_BANK_SIZE]; /* SPIs: vCPU it is routed to */
	uint16_t owner[VGIC_BANK_SIZE];	 /* SPIs: vCPU whose LR holds it */
};

enum {
	VGIC_LR_PENDING = 1U << 0,
	VGIC_LR_ACTIVE = 1U << 1,
};

/* One list register, decoded. State 0 means the LR is free. */
struct vgic_lr {
	uint32_t intid;
	uint16_t pintid; /* physical INTID when @hw */
	uint8_t priority;
	uint8_t state;	/* VGIC_LR_* */
	uint8_t source; /* GICv2 SGIs: the vCPU that sent it */
	bool hw;
	bool group1;
};

/* The per-vCPU part: its private bank and its list registers. */
struct vgic_cpu_state {
	struct vgic_bank local;
	uint8_t sgi_src[VGIC_NR_SGIS]; /* GICv2: sources of pending SGIs */
	struct vgic_lr lr[VGIC_MAX_LRS];
	uint64_t lr_used;  /* LRs holding an interrupt */
	uint64_t lr_dirty; /* LRs changed since hardware last saw them */
};

/* The per-domain part: the SPI banks and what the distributor says. */
struct vgic_dist_state {
	struct vgic_bank *spi; /* bank i holds INTIDs 32 * (i + 1) ... */
	unsigned int nr_spi_banks;
	/*
	 * Bit i: SPI bank i may have pending bits (set wherever a pending
	 * bit is, cleared by the scan under the lock that finds the bank
	 * empty), so scans skip the banks with nothing pending. bench-micro's
	 * sgi-self, vtimer-deadline, evtchn-send-upcall and
	 * gicd_isenabler-write rows (each scanned every bank of Dom0).
	 */
	uint32_t spi_maybe;
	bool enabled; /* GICD_CTLR: the group the guest uses is enabled */
	bool v2;      /* GICv2 LRs: group 0, SGIs carry their source */
};

struct vgic_fill_result {
	bool overflow; /* pending interrupts did not fit: want underflow IRQ */
	unsigned int nr_deact;
	uint16_t deact[VGIC_MAX_LRS]; /* physical INTIDs to deactivate */
};

static inline uint32_t vgic_bit(unsigned int intid)
{
	return 1U << (intid % VGIC_BANK_SIZE);
}

/* A level-sensitive line that Orchid drives high (vgic_set_level). */
static inline bool vgic_line_high(const struct vgic_bank *b, uint32_t bit)
{
	return !(b->edge & bit) && (b->level & bit);
}

static inline unsigned int vgic_nr_intids(const struct vgic_dist_state *d)
{
	return VGIC_NR_PRIVATE + d->nr_spi_banks * VGIC_BANK_SIZE;
}

/* The bank holding @intid, or NULL when the domain has no such INTID. */
struct vgic_bank *vgic_bank_get(struct vgic_dist_state *d,
				struct vgic_cpu_state *c, unsigned int intid);

/* Reset state: everything off, SGIs edge-triggered, SPIs to vCPU 0. */
void vgic_bank_init(struct vgic_bank *b, bool private);

/*
 * Make @intid pending (edge, or a rising line). GICv2 SGIs record
 * @source; true when the interrupt could be delivered now (enabled).
 */
bool vgic_state_set_pending(struct vgic_dist_state *d, struct vgic_cpu_state *c,
			    unsigned int intid, unsigned int source);

/*
 * The same for a private @intid of @c, inline: no bank lookup
 * (bench-micro's vtimer-deadline row, through vgic_inject_irq).
 */
static inline bool vgic_state_set_pending_private(struct vgic_dist_state *d,
						  struct vgic_cpu_state *c,
						  unsigned int intid,
						  unsigned int source)
{
	uint32_t bit = 1U << (intid % VGIC_BANK_SIZE);

	if (d->v2 && intid < VGIC_NR_SGIS)
		c->sgi_src[intid] |= (uint8_t)(1U << (source & 7));
	c->local.pending |= bit;
	return d->enabled && (c->local.enabled & bit);
}
/*
 * Drop the pending state of @intid (ICPENDR, a falling level). An LR
 * holding it is told so at the next fill. True when the interrupt is a
 * forwarded physical SPI that was pending only in software: its physical
 * active state must then be cleared by the caller.
 */
bool vgic_state_clear_pending(struct vgic_dist_state *d,
			      struct vgic_cpu_state *c, unsigned int intid);

/*
 * Entry: update the list registers of the vCPU @vcpu_id (@c) from the
 * pending state, at most @nr_lrs of them: withdraw what was disabled or
 * cleared, merge re-triggered interrupts into their LR, place the
 * highest-priority pending enabled interrupts in free LRs and evict
 * lower-priority pending-only ones for better ones.
 */
void vgic_lrs_fill(struct vgic_dist_state *d, struct vgic_cpu_state *c,
		   unsigned int vcpu_id, unsigned int nr_lrs,
		   struct vgic_fill_result *res);
/*
 * Entry, the common case first: with no LR in use and one deliverable
 * private interrupt, place it in LR 0 and return true (what
 * vgic_lrs_fill would do, with no overflow and nothing to deactivate);
 * false: nothing changed, vgic_lrs_fill is needed.
 */
bool vgic_lrs_fill_one(struct vgic_dist_state *d, struct vgic_cpu_state *c,
		       unsigned int vcpu_id, unsigned int nr_lrs);
/*
 * Entry, the commonest case of all: LR 0 alone in use, the guest done
 * with it (@done, ELRSR, has bit 0), one private interrupt deliverable:
 * vgic_lrs_fold_done(@done) and vgic_lrs_fill_one in one pass, true;
 * false: nothing changed, the general path is needed.
 */
bool vgic_lrs_refill_one(struct vgic_dist_state *d, struct vgic_cpu_state *c,
			 unsigned int vcpu_id, unsigned int nr_lrs,
			 uint64_t done);
/*
 * Exit: c->lr[] was just read back from hardware. Free what the guest
 * deactivated; a level-sensitive line still high becomes pending again.
 */
void vgic_lrs_fold(struct vgic_dist_state *d, struct vgic_cpu_state *c);
/*
 * Exit, the common case: the LRs in @done were read back empty (ELRSR);
 * the same as clearing their state and vgic_lrs_fold, for those LRs only.
 */
void vgic_lrs_fold_done(struct vgic_dist_state *d, struct vgic_cpu_state *c,
			uint64_t done);

/* Nothing in @c's LRs and nothing deliverable pending (racy, see .c). */
bool vgic_state_idle(const struct vgic_dist_state *d,
		     const struct vgic_cpu_state *c);

/*
 * Could vCPU @vcpu_id take an interrupt: one pending in its LRs or
 * deliverable to it, of a priority the mask @pmr lets through (priorities
 * compared through @prio_mask, the bits the hardware implements).
 */
bool vgic_state_deliverable(struct vgic_dist_state *d, struct vgic_cpu_state *c,
			    unsigned int vcpu_id, uint8_t pmr,
			    uint8_t prio_mask);

/* List register encodings (IHI 0069 ICH_LR<n>_EL2, IHI 0048 GICH_LR<n>). */
uint64_t vgic_v3_lr_encode(const struct vgic_lr *lr);
void vgic_v3_lr_decode(uint64_t val, struct vgic_lr *lr);
uint32_t vgic_v2_lr_encode(const struct vgic_lr *lr);
void vgic_v2_lr_decode(uint32_t val, struct vgic_lr *lr);

/* Register fields on banks, shared by the GICv2 and GICv3 distributors. */
uint64_t vgic_priority_read(const struct vgic_bank *b, unsigned int byte,
			    unsigned int size);
void vgic_priority_write(struct vgic_bank *b, unsigned int byte,
			 unsigned int size, uint64_t val);
/* ICFGR<2 * bank + @half>: bit 2i + 1 is INTID i's edge bit. */
uint32_t vgic_icfgr_read(const struct vgic_bank *b, unsigned int half);
/* Returns the edge bits that changed; @writable masks INTIDs (bank bits). */
uint32_t vgic_icfgr_write(struct vgic_bank *b, unsigned int half, uint32_t val,
			  uint32_t writable);

/* ICC_SGI1R_EL1 (IHI 0069 12.2.21), decoded. */
struct vgic_sgi1r {
	unsigned int intid;
	bool broadcast;	  /* IRM: every PE but the sender */
	uint64_t aff;	  /* Aff3.Aff2.Aff1 in MPIDR layout, Aff0 zero */
	unsigned int rs;  /* range selector: Aff0 = 16 * rs + bit */
	uint16_t targets; /* target list */
};
void vgic_sgi1r_decode(uint64_t val, struct vgic_sgi1r *sgi);

/* The ICC_SGI1R_EL1 bits that choose targets: list, Aff1-3, IRM, RS. */
#define VGIC_SGI1R_ROUTE                                                       \
	(0xffffULL | (0xffULL << 16) | (0xffULL << 32) | (1ULL << 40) |        \
	 (0xfULL << 44) | (0xffULL << 48))

/* The routing bits of an ICC_SGI1R_EL1 write naming only PE @mpidr. */
uint64_t vgic_sgi1r_self(uint64_t mpidr);

/*
 * Does @val send to exactly the PE whose vgic_sgi1r_self() is @self (no
 * IRM, one bit in the list)? One compare, for the sender's own SGI
 * (bench-micro's sgi-self row); the decode agrees (tests/unit).
 */
static inline bool vgic_sgi1r_is_self(uint64_t val, uint64_t self)
{
	return (val & VGIC_SGI1R_ROUTE) == self;
}

/*
 * Register tables (habit 12): each entry covers @len bytes from @offset,
 * accessed with the sizes in @access; handlers get the byte offset from
 * the entry's start. A NULL read reads as zero, a NULL write is ignored.
 */
enum {
	VGIC_ACC_8 = 1U << 0,
	VGIC_ACC_16 = 1U << 1,
	VGIC_ACC_32 = 1U << 2,
	VGIC_ACC_64 = 1U << 3,
};

struct vgic_reg {
	uint32_t offset;
	uint32_t len;
	uint8_t access;
	uint64_t (*read)(void *ctx, uint32_t off, unsigned int size);
	void (*write)(void *ctx, uint32_t off, unsigned int size, uint64_t val);
};

enum vgic_mmio_result {
	VGIC_MMIO_OK,
	VGIC_MMIO_BAD_ACCESS, /* size not allowed or unaligned: data abort */
	VGIC_MMIO_UNKNOWN,    /* no such register: read as zero, ignored */
};

enum vgic_mmio_result vgic_mmio_access(const struct vgic_reg *regs,
				       size_t nr_regs, void *ctx,
				       uint64_t offset, unsigned int size,
				       bool write, uint64_t *val);
/*
 * The same with each entry's @len multiplied by @scale: one table of
 * per-bank arrays serves frames with 32 banks (GICD) or one (GICR SGI_base);
 * @scale 0 makes every entry miss (a frame without the arrays).
 */
enum vgic_mmio_result
vgic_mmio_access_scaled(const struct vgic_reg *regs, size_t nr_regs,
			unsigned int scale, void *ctx, uint64_t offset,
			unsigned int size, bool write, uint64_t *val);

#endif /* ARM64_VGIC_COMMON_H */
