// SPDX-License-Identifier: MIT
/*
 * The vGIC's pure state machine (see vgic_common.h): the pending state of
 * a domain's interrupts, what the list registers of one vCPU hold, and how
 * one turns into the other on guest entry and back on guest exit.
 *
 * Invariants kept here:
 *  - an INTID is in at most one list register of the whole domain (an SPI
 *    in one vCPU's, a private INTID in its owner's): bank.in_lr;
 *  - a pending bit in a bank means "pending and not yet in an LR", except
 *    for a re-triggered interrupt whose LR cannot take it (a GICv2 SGI
 *    from another source), which waits for its LR to free up;
 *  - an active interrupt is never taken out of its LR: the guest's EOI
 *    (or deactivation) must find it there.
 */
#include "vgic_common.h"

struct vgic_bank *vgic_bank_get(struct vgic_dist_state *d,
				struct vgic_cpu_state *c, unsigned int intid)
{
	unsigned int n;

	if (intid < VGIC_NR_PRIVATE)
		return c ? &c->local : NULL;
	n = intid / VGIC_BANK_SIZE - 1;
	if (n >= d->nr_spi_banks)
		return NULL;
	return &d->spi[n];
}

void vgic_bank_init(struct vgic_bank *b, bool private)
{
	*b = (struct vgic_bank){0};
	/* SGIs are always edge-triggered; PPIs and SPIs reset to level. */
	if (private)
		b->edge = 0xffffU;
	for (unsigned int i = 0; i < VGIC_BANK_SIZE; i++)
		b->owner[i] = VGIC_NO_VCPU;
}

static bool vgic_is_v2_sgi(const struct vgic_dist_state *d, unsigned int intid)
{
	return d->v2 && intid < VGIC_NR_SGIS;
}

_Static_assert(VGIC_MAX_SPIS / VGIC_BANK_SIZE <= 32,
	       "vgic_dist_state.spi_maybe has a bit per SPI bank");

/* Pending bits of @intid's bank are set: the scans must look there. */
static void vgic_mark_pending(struct vgic_dist_state *d, unsigned int intid)
{
	if (intid >= VGIC_NR_PRIVATE)
		d->spi_maybe |= 1U << (intid / VGIC_BANK_SIZE - 1);
}

/* Each SPI bank that may hold pending bits, lowest first; *@m shrinks. */
static unsigned int vgic_maybe_next(uint32_t *m)
{
	unsigned int i = (unsigned int)__builtin_ctz(*m);

	*m &= *m - 1;
	return i;
}

bool vgic_state_set_pending(struct vgic_dist_state *d, struct vgic_cpu_state *c,
			    unsigned int intid, unsigned int source)
{
	struct vgic_bank *b = vgic_bank_get(d, c, intid);
	uint32_t bit = vgic_bit(intid);

	if (!b)
		return false;
	if (intid < VGIC_NR_PRIVATE)
		return vgic_state_set_pending_private(d, c, intid, source);
	b->pending |= bit;
	vgic_mark_pending(d, intid);
	return d->enabled && (b->enabled & bit);
}

bool vgic_state_clear_pending(struct vgic_dist_state *d,
			      struct vgic_cpu_state *c, unsigned int intid)
{
	struct vgic_bank *b = vgic_bank_get(d, c, intid);
	uint32_t bit = vgic_bit(intid);
	bool hw_sw;

	if (!b)
		return false;
	hw_sw = (b->hw & bit) && (b->pending & bit);
	b->pending &= ~bit;
	if (vgic_is_v2_sgi(d, intid))
		c->sgi_src[intid] = 0;
	if (b->in_lr & bit)
		b->unqueue |= bit;
	return hw_sw;
}

/* ---- list registers --------------------------------------------------- */

static void vgic_lr_note_state(struct vgic_bank *b, const struct vgic_lr *lr)
{
	uint32_t bit = vgic_bit(lr->intid);

	b->lr_pending &= ~bit;
	b->lr_active &= ~bit;
	if (lr->state & VGIC_LR_PENDING)
		b->lr_pending |= bit;
	if (lr->state & VGIC_LR_ACTIVE)
		b->lr_active |= bit;
}

/*
 * LR @i no longer holds anything: forget every request about its INTID in
 * @b, its bank (NULL: none), and free the LR.
 */
static void vgic_lr_free(struct vgic_cpu_state *c, struct vgic_bank *b,
			 unsigned int i)
{
	struct vgic_lr *lr = &c->lr[i];
	uint32_t bit = vgic_bit(lr->intid);

	if (b) {
		b->in_lr &= ~bit;
		b->lr_pending &= ~bit;
		b->lr_active &= ~bit;
		b->unqueue &= ~bit;
		b->deact &= ~bit;
		b->owner[lr->intid % VGIC_BANK_SIZE] = VGIC_NO_VCPU;
	}
	*lr = (struct vgic_lr){0};
	c->lr_used &= ~(1ULL << i);
	c->lr_dirty |= 1ULL << i;
}

/* The same, the bank looked up. */
static void vgic_lr_release(struct vgic_dist_state *d, struct vgic_cpu_state *c,
			    unsigned int i)
{
	vgic_lr_free(c, vgic_bank_get(d, c, c->lr[i].intid), i);
}

/* Take a pending-only interrupt out of LR @i, back to software pending. */
static void vgic_lr_requeue(struct vgic_dist_state *d, struct vgic_cpu_state *c,
			    unsigned int i)
{
	struct vgic_lr *lr = &c->lr[i];
	struct vgic_bank *b = vgic_bank_get(d, c, lr->intid);

	if (b) {
		b->pending |= vgic_bit(lr->intid);
		vgic_mark_pending(d, lr->intid);
		if (vgic_is_v2_sgi(d, lr->intid))
			c->sgi_src[lr->intid] |=
				(uint8_t)(1U << (lr->source & 7));
	}
	vgic_lr_release(d, c, i);
}

static void vgic_lr_place(struct vgic_dist_state *d, struct vgic_cpu_state *c,
			  unsigned int i, unsigned int vcpu_id,
			  unsigned int intid)
{
	struct vgic_bank *b = vgic_bank_get(d, c, intid);
	uint32_t bit = vgic_bit(intid);
	unsigned int n = intid % VGIC_BANK_SIZE;
	struct vgic_lr lr = {
		.intid = intid,
		.priority = b->priority[n],
		.state = VGIC_LR_PENDING,
		.group1 = !d->v2,
	};

	if (b->hw & bit) {
		lr.hw = true;
		lr.pintid = (uint16_t)intid;
	}
	if (vgic_is_v2_sgi(d, intid) && c->sgi_src[intid]) {
		lr.source = (uint8_t)__builtin_ctz(c->sgi_src[intid]);
		c->sgi_src[intid] &= (uint8_t) ~(1U << lr.source);
		if (!c->sgi_src[intid])
			b->pending &= ~bit;
	} else {
		b->pending &= ~bit;
	}
	b->in_lr |= bit;
	b->unqueue &= ~bit;
	b->deact &= ~bit;
	b->owner[n] = (uint16_t)vcpu_id;
	vgic_lr_note_state(b, &lr);
	c->lr[i] = lr;
	c->lr_used |= 1ULL << i;
	c->lr_dirty |= 1ULL << i;
}

static void vgic_deact_add(struct vgic_fill_result *res, unsigned int pintid)
{
	if (res->nr_deact < VGIC_MAX_LRS)
		res->deact[res->nr_deact++] = (uint16_t)pintid;
}

static void vgic_lr_set_state(struct vgic_cpu_state *c, unsigned int i,
			      uint8_t state)
{
	if (c->lr[i].state == state)
		return;
	c->lr[i].state = state;
	c->lr_dirty |= 1ULL << i;
}

/*
 * Apply the guest's ICACTIVER/ICPENDR writes to LR @i. Returns false when
 * the LR was released. Clearing the active state of a forwarded interrupt
 * deactivates the physical one, which cannot stay pending behind it.
 */
static bool vgic_lr_apply_requests(struct vgic_dist_state *d,
				   struct vgic_cpu_state *c, unsigned int i,
				   struct vgic_bank *b,
				   struct vgic_fill_result *res)
{
	struct vgic_lr *lr = &c->lr[i];
	uint32_t bit = vgic_bit(lr->intid);

	if (b->deact & bit) {
		b->deact &= ~bit;
		if (lr->hw) {
			vgic_deact_add(res, lr->pintid);
			vgic_lr_release(d, c, i);
			return false;
		}
		vgic_lr_set_state(c, i, lr->state & ~VGIC_LR_ACTIVE);
	}
	if (b->unqueue & bit) {
		b->unqueue &= ~bit;
		vgic_lr_set_state(c, i, lr->state & ~VGIC_LR_PENDING);
		if (lr->hw && !lr->state)
			vgic_deact_add(res, lr->pintid);
	}
	if (!lr->state) {
		vgic_lr_release(d, c, i);
		return false;
	}
	return true;
}

/*
 * Bring LR @i up to date with the software state before new interrupts
 * are placed: requests, disabled interrupts withdrawn, re-triggers merged.
 */
static void vgic_lr_revisit(struct vgic_dist_state *d, struct vgic_cpu_state *c,
			    unsigned int i, struct vgic_fill_result *res)
{
	struct vgic_lr *lr = &c->lr[i];
	struct vgic_bank *b = vgic_bank_get(d, c, lr->intid);
	uint32_t bit = vgic_bit(lr->intid);

	if (!b) {
		vgic_lr_release(d, c, i);
		return;
	}
	if (!vgic_lr_apply_requests(d, c, i, b, res))
		return;
	if (lr->state == VGIC_LR_PENDING &&
	    (!d->enabled || !(b->enabled & bit))) {
		vgic_lr_requeue(d, c, i);
		return;
	}
	if (!lr->hw && !vgic_is_v2_sgi(d, lr->intid)) {
		bool line_high = !(b->edge & bit) && (b->level & bit);

		/* Re-triggered, or a level line still high behind the EOI. */
		if ((b->pending & bit) || line_high) {
			b->pending &= ~bit;
			vgic_lr_set_state(c, i, lr->state | VGIC_LR_PENDING);
		}
	}
	vgic_lr_note_state(b, lr);
}

/* The best pending candidates, sorted by priority then INTID. */
struct vgic_topk {
	unsigned int k, n, total;
	struct {
		uint16_t intid;
		uint8_t priority;
	} c[VGIC_MAX_LRS];
};

static void vgic_topk_add(struct vgic_topk *t, unsigned int intid,
			  uint8_t priority)
{
	unsigned int pos;

	t->total++;
	if (t->n == t->k && (t->k == 0 || t->c[t->n - 1].priority <= priority))
		return;
	pos = t->n < t->k ? t->n++ : t->n - 1;
	/* INTIDs come in ascending order: equal priorities keep theirs. */
	while (pos > 0 && t->c[pos - 1].priority > priority) {
		t->c[pos] = t->c[pos - 1];
		pos--;
	}
	t->c[pos].intid = (uint16_t)intid;
	t->c[pos].priority = priority;
}

static void vgic_collect_bank(struct vgic_topk *t, const struct vgic_bank *b,
			      unsigned int base, unsigned int vcpu_id, bool spi)
{
	uint32_t cand = b->pending & b->enabled & ~b->in_lr;

	while (cand) {
		unsigned int n = (unsigned int)__builtin_ctz(cand);

		cand &= cand - 1;
		if (spi && b->target[n] != vcpu_id)
			continue;
		vgic_topk_add(t, base + n, b->priority[n]);
	}
}

static void vgic_collect(struct vgic_dist_state *d, struct vgic_cpu_state *c,
			 unsigned int vcpu_id, struct vgic_topk *t)
{
	uint32_t m = d->spi_maybe;

	vgic_collect_bank(t, &c->local, 0, vcpu_id, false);
	while (m) {
		unsigned int i = vgic_maybe_next(&m);

		/* Under the lock: a bank found empty leaves the summary. */
		if (i >= d->nr_spi_banks || !d->spi[i].pending) {
			d->spi_maybe &= ~(1U << i);
			continue;
		}
		vgic_collect_bank(t, &d->spi[i], (i + 1) * VGIC_BANK_SIZE,
				  vcpu_id, true);
	}
}

/* Bit i set for each of the @nr_lrs implemented LRs. */
static uint64_t vgic_lr_mask(unsigned int nr_lrs)
{
	return nr_lrs >= 64 ? ~0ULL : (1ULL << nr_lrs) - 1;
}

/* The lowest LR in use, removed from *@m; callers loop while *@m. */
static unsigned int vgic_lr_next(uint64_t *m)
{
	unsigned int i = (unsigned int)__builtin_ctzll(*m);

	*m &= *m - 1;
	return i;
}

static int vgic_lr_find_free(const struct vgic_cpu_state *c,
			     unsigned int nr_lrs)
{
	uint64_t free = ~c->lr_used & vgic_lr_mask(nr_lrs);

	return free ? (int)__builtin_ctzll(free) : -1;
}

/* The pending-only LR of lowest priority, if lower than @priority. */
static int vgic_lr_find_victim(const struct vgic_cpu_state *c,
			       unsigned int nr_lrs, uint8_t priority)
{
	uint64_t m = c->lr_used & vgic_lr_mask(nr_lrs);
	int victim = -1;
	uint8_t worst = priority;

	while (m) {
		unsigned int i = vgic_lr_next(&m);
		const struct vgic_lr *lr = &c->lr[i];

		if (lr->state != VGIC_LR_PENDING)
			continue;
		if (lr->priority > worst) {
			worst = lr->priority;
			victim = (int)i;
		}
	}
	return victim;
}

void vgic_lrs_fill(struct vgic_dist_state *d, struct vgic_cpu_state *c,
		   unsigned int vcpu_id, unsigned int nr_lrs,
		   struct vgic_fill_result *res)
{
	/*
	 * Not zeroed: c[] is only read below index n, which counts what was
	 * written (zeroing it was ~70 of bench-micro's sgi-self row).
	 */
	struct vgic_topk t;
	unsigned int placed = 0;
	bool evicted = false;
	uint64_t m = c->lr_used;

	t.k = nr_lrs;
	t.n = 0;
	t.total = 0;
	res->overflow = false;
	res->nr_deact = 0;
	if (nr_lrs > VGIC_MAX_LRS)
		nr_lrs = t.k = VGIC_MAX_LRS;
	while (m)
		vgic_lr_revisit(d, c, vgic_lr_next(&m), res);
	if (!d->enabled)
		return;

	vgic_collect(d, c, vcpu_id, &t);
	for (unsigned int k = 0; k < t.n; k++) {
		int i = vgic_lr_find_free(c, nr_lrs);

		if (i < 0) {
			i = vgic_lr_find_victim(c, nr_lrs, t.c[k].priority);
			if (i < 0)
				break;
			vgic_lr_requeue(d, c, (unsigned int)i);
			evicted = true;
		}
		vgic_lr_place(d, c, (unsigned int)i, vcpu_id, t.c[k].intid);
		placed++;
	}
	res->overflow = evicted || placed < t.total;
}

/* No SPI bank holds an interrupt that could go into an LR now. */
static bool vgic_spis_quiet(const struct vgic_dist_state *d)
{
	for (uint32_t m = d->spi_maybe; m;) {
		unsigned int i = vgic_maybe_next(&m);

		if (i < d->nr_spi_banks &&
		    (d->spi[i].pending & d->spi[i].enabled & ~d->spi[i].in_lr))
			return false;
	}
	return true;
}

/*
 * vgic_lr_place for a private, not forwarded INTID into the free LR 0,
 * its fields written one by one (the general one was ~65 of bench-micro's
 * sgi-self row). GICv2 SGIs come here from one source only.
 */
/* The LR 0 half of vgic_lr_place_private: its fields, the SGI's source. */
static inline void vgic_lr0_set_private(struct vgic_dist_state *d,
					struct vgic_cpu_state *c,
					unsigned int intid)
{
	struct vgic_lr *lr = &c->lr[0];

	lr->intid = intid;
	lr->pintid = 0;
	lr->priority = c->local.priority[intid];
	lr->state = VGIC_LR_PENDING;
	lr->source = 0;
	lr->hw = false;
	lr->group1 = !d->v2;
	if (vgic_is_v2_sgi(d, intid) && c->sgi_src[intid]) {
		lr->source = (uint8_t)__builtin_ctz(c->sgi_src[intid]);
		c->sgi_src[intid] = 0;
	}
	c->lr_used |= 1;
	c->lr_dirty |= 1;
}

static void vgic_lr_place_private(struct vgic_dist_state *d,
				  struct vgic_cpu_state *c,
				  unsigned int vcpu_id, unsigned int intid)
{
	struct vgic_bank *b = &c->local;
	uint32_t bit = vgic_bit(intid);

	vgic_lr0_set_private(d, c, intid);
	b->pending &= ~bit;
	b->in_lr |= bit;
	b->unqueue &= ~bit;
	b->deact &= ~bit;
	b->lr_pending |= bit;
	b->lr_active &= ~bit;
	b->owner[intid] = (uint16_t)vcpu_id;
}

/*
 * The common delivery, without the general fill's revisit, collect and
 * top-k (bench-micro's sgi-self, vtimer-deadline and evtchn-send-upcall
 * rows: ~100 of each): no LR in use and exactly one deliverable
 * interrupt, a private one, goes into LR 0. Anything else (an LR still
 * held, several candidates, an SPI, a GICv2 SGI from several sources)
 * returns false and is left to vgic_lrs_fill, whose result this equals.
 */
bool vgic_lrs_fill_one(struct vgic_dist_state *d, struct vgic_cpu_state *c,
		       unsigned int vcpu_id, unsigned int nr_lrs)
{
	uint32_t cand = c->local.pending & c->local.enabled & ~c->local.in_lr;
	unsigned int intid;

	if (c->lr_used || !nr_lrs || !d->enabled || !cand ||
	    (cand & (cand - 1)))
		return false;
	intid = (unsigned int)__builtin_ctz(cand);
	if (vgic_is_v2_sgi(d, intid) &&
	    (c->sgi_src[intid] & (c->sgi_src[intid] - 1)))
		return false;
	if ((c->local.hw & cand) || !vgic_spis_quiet(d))
		return false;
	vgic_lr_place_private(d, c, vcpu_id, intid);
	return true;
}

/*
 * vgic_lrs_fold_done then vgic_lrs_fill_one, in one pass, for the
 * commonest delivery: LR 0, the only LR in use, held a private interrupt
 * the guest is done with (@done: ELRSR), and one private interrupt is
 * deliverable (the same one again, as a timer tick or an IPI, or another).
 * bench-micro's sgi-self, vtimer-deadline and evtchn-send-upcall rows
 * (the fold's loop and lookups, and a second pass over LR 0: ~60).
 * False, having changed nothing, when either step would not do exactly
 * that: the general path runs instead.
 */
bool vgic_lrs_refill_one(struct vgic_dist_state *d, struct vgic_cpu_state *c,
			 unsigned int vcpu_id, unsigned int nr_lrs,
			 uint64_t done)
{
	struct vgic_bank *b = &c->local;
	const struct vgic_lr *lr = &c->lr[0];
	uint32_t old, new, pending, cand;
	unsigned int intid;

	if (c->lr_used != 1 || !(done & 1) || lr->intid >= VGIC_NR_PRIVATE ||
	    lr->hw || !nr_lrs || !d->enabled)
		return false;
	old = vgic_bit(lr->intid);
	/* What the fold leaves: a level line still high pending again. */
	pending = b->pending;
	if (!(b->edge & old) && (b->level & old))
		pending |= old;
	cand = pending & b->enabled & ~(b->in_lr & ~old);
	if (!cand || (cand & (cand - 1)) || (b->hw & cand))
		return false;
	intid = (unsigned int)__builtin_ctz(cand);
	if (vgic_is_v2_sgi(d, intid) &&
	    (c->sgi_src[intid] & (c->sgi_src[intid] - 1)))
		return false;
	if (!vgic_spis_quiet(d))
		return false;
	/*
	 * vgic_lr_free(c, b, 0), the re-pend, vgic_lr_place_private: both
	 * INTIDs are in @b, so each field is written once (the three calls
	 * were ~80 of the rows above; tests/unit compares).
	 */
	new = vgic_bit(intid);
	b->owner[lr->intid] = VGIC_NO_VCPU;
	b->owner[intid] = (uint16_t)vcpu_id;
	b->pending = pending & ~new;
	b->in_lr = (b->in_lr & ~old) | new;
	b->lr_pending = (b->lr_pending & ~old) | new;
	b->lr_active &= ~(old | new);
	b->unqueue &= ~(old | new);
	b->deact &= ~(old | new);
	vgic_lr0_set_private(d, c, intid);
	return true;
}

/*
 * The LRs in @done hold nothing any more (ELRSR): free them, as
 * vgic_lrs_fold does for an LR read back empty, without decoding them
 * (bench-micro's interrupt rows: the previous interrupt, EOIed).
 */
void vgic_lrs_fold_done(struct vgic_dist_state *d, struct vgic_cpu_state *c,
			uint64_t done)
{
	uint64_t m = c->lr_used & done;

	while (m) {
		unsigned int i = vgic_lr_next(&m);
		struct vgic_lr *lr = &c->lr[i];
		uint32_t bit = vgic_bit(lr->intid);
		struct vgic_bank *b = vgic_bank_get(d, c, lr->intid);
		bool refire;

		/* Physical lines re-fire by themselves; ours we re-pend. */
		refire = b && !lr->hw && !(b->edge & bit) && (b->level & bit);
		if (refire)
			vgic_mark_pending(d, lr->intid);
		vgic_lr_free(c, b, i);
		if (refire)
			b->pending |= bit;
	}
}

void vgic_lrs_fold(struct vgic_dist_state *d, struct vgic_cpu_state *c)
{
	uint64_t m = c->lr_used;

	while (m) {
		unsigned int i = vgic_lr_next(&m);
		struct vgic_lr *lr = &c->lr[i];
		struct vgic_bank *b;
		uint32_t bit;
		bool refire;

		b = vgic_bank_get(d, c, lr->intid);
		bit = vgic_bit(lr->intid);
		if (!b) {
			vgic_lr_release(d, c, i);
			continue;
		}
		if (lr->state) {
			vgic_lr_note_state(b, lr);
			continue;
		}
		/* Physical lines re-fire by themselves; ours we re-pend. */
		refire = !lr->hw && !(b->edge & bit) && (b->level & bit);
		if (refire) /* before the release clears *lr */
			vgic_mark_pending(d, lr->intid);
		vgic_lr_release(d, c, i);
		if (refire)
			b->pending |= bit;
	}
}

static bool vgic_bank_deliverable(const struct vgic_bank *b,
				  unsigned int vcpu_id, bool spi, uint8_t pmr,
				  uint8_t prio_mask)
{
	uint32_t cand = b->pending & b->enabled & ~b->in_lr;

	while (cand) {
		unsigned int n = (unsigned int)__builtin_ctz(cand);

		cand &= cand - 1;
		if (spi && b->target[n] != vcpu_id)
			continue;
		if ((b->priority[n] & prio_mask) < pmr)
			return true;
	}
	return false;
}

bool vgic_state_deliverable(struct vgic_dist_state *d, struct vgic_cpu_state *c,
			    unsigned int vcpu_id, uint8_t pmr,
			    uint8_t prio_mask)
{
	uint64_t m = c->lr_used;

	while (m) {
		const struct vgic_lr *lr = &c->lr[vgic_lr_next(&m)];

		if ((lr->state & VGIC_LR_PENDING) &&
		    (lr->priority & prio_mask) < pmr)
			return true;
	}
	if (!d->enabled)
		return false;
	if (vgic_bank_deliverable(&c->local, vcpu_id, false, pmr, prio_mask))
		return true;
	for (uint32_t banks = d->spi_maybe; banks;) {
		unsigned int i = vgic_maybe_next(&banks);

		if (i < d->nr_spi_banks &&
		    vgic_bank_deliverable(&d->spi[i], vcpu_id, true, pmr,
					  prio_mask))
			return true;
	}
	return false;
}

/* ---- encodings ---------------------------------------------------------- */

#define ICH_LR_VINTID_MASK  0xffffffffULL
#define ICH_LR_PINTID_SHIFT 32
#define ICH_LR_PINTID_MASK  0x1fffULL
#define ICH_LR_PRIO_SHIFT   48
#define ICH_LR_GROUP1	    (1ULL << 60)
#define ICH_LR_HW	    (1ULL << 61)
#define ICH_LR_STATE_SHIFT  62

uint64_t vgic_v3_lr_encode(const struct vgic_lr *lr)
{
	uint64_t val = lr->intid & ICH_LR_VINTID_MASK;

	if (!lr->state)
		return 0;
	val |= (uint64_t)lr->priority << ICH_LR_PRIO_SHIFT;
	val |= (uint64_t)(lr->state & 3) << ICH_LR_STATE_SHIFT;
	if (lr->group1)
		val |= ICH_LR_GROUP1;
	if (lr->hw)
		val |= ICH_LR_HW | ((lr->pintid & ICH_LR_PINTID_MASK)
				    << ICH_LR_PINTID_SHIFT);
	return val;
}

void vgic_v3_lr_decode(uint64_t val, struct vgic_lr *lr)
{
	*lr = (struct vgic_lr){
		.intid = (uint32_t)(val & ICH_LR_VINTID_MASK),
		.priority = (uint8_t)(val >> ICH_LR_PRIO_SHIFT),
		.state = (uint8_t)((val >> ICH_LR_STATE_SHIFT) & 3),
		.group1 = !!(val & ICH_LR_GROUP1),
		.hw = !!(val & ICH_LR_HW),
	};
	if (lr->hw)
		lr->pintid = (uint16_t)((val >> ICH_LR_PINTID_SHIFT) &
					ICH_LR_PINTID_MASK);
}

#define GICH_LR_VID_MASK    0x3ffU
#define GICH_LR_PID_SHIFT   10
#define GICH_LR_PID_MASK    0x3ffU
#define GICH_LR_CPUID_SHIFT 10
#define GICH_LR_CPUID_MASK  0x7U
#define GICH_LR_PRIO_SHIFT  23 /* the top five priority bits */
#define GICH_LR_PRIO_MASK   0x1fU
#define GICH_LR_STATE_SHIFT 28
#define GICH_LR_GROUP1	    (1U << 30)
#define GICH_LR_HW	    (1U << 31)

uint32_t vgic_v2_lr_encode(const struct vgic_lr *lr)
{
	uint32_t val = lr->intid & GICH_LR_VID_MASK;

	if (!lr->state)
		return 0;
	val |= (uint32_t)((lr->priority >> 3) & GICH_LR_PRIO_MASK)
	       << GICH_LR_PRIO_SHIFT;
	val |= (uint32_t)(lr->state & 3) << GICH_LR_STATE_SHIFT;
	if (lr->group1)
		val |= GICH_LR_GROUP1;
	if (lr->hw)
		val |= GICH_LR_HW |
		       ((lr->pintid & GICH_LR_PID_MASK) << GICH_LR_PID_SHIFT);
	else if (lr->intid < VGIC_NR_SGIS)
		val |= (uint32_t)(lr->source & GICH_LR_CPUID_MASK)
		       << GICH_LR_CPUID_SHIFT;
	return val;
}

void vgic_v2_lr_decode(uint32_t val, struct vgic_lr *lr)
{
	*lr = (struct vgic_lr){
		.intid = val & GICH_LR_VID_MASK,
		.priority = (uint8_t)(((val >> GICH_LR_PRIO_SHIFT) &
				       GICH_LR_PRIO_MASK)
				      << 3),
		.state = (uint8_t)((val >> GICH_LR_STATE_SHIFT) & 3),
		.group1 = !!(val & GICH_LR_GROUP1),
		.hw = !!(val & GICH_LR_HW),
	};
	if (lr->hw)
		lr->pintid = (uint16_t)((val >> GICH_LR_PID_SHIFT) &
					GICH_LR_PID_MASK);
	else if (lr->intid < VGIC_NR_SGIS)
		lr->source = (uint8_t)((val >> GICH_LR_CPUID_SHIFT) &
				       GICH_LR_CPUID_MASK);
}

/* ---- register fields ---------------------------------------------------- */

uint64_t vgic_priority_read(const struct vgic_bank *b, unsigned int byte,
			    unsigned int size)
{
	uint64_t val = 0;

	for (unsigned int i = 0; i < size && i < 8; i++)
		val |= (uint64_t)b->priority[(byte + i) % VGIC_BANK_SIZE]
		       << (8 * i);
	return val;
}

void vgic_priority_write(struct vgic_bank *b, unsigned int byte,
			 unsigned int size, uint64_t val)
{
	for (unsigned int i = 0; i < size && i < 8; i++)
		b->priority[(byte + i) % VGIC_BANK_SIZE] =
			(uint8_t)(val >> (8 * i));
}

uint32_t vgic_icfgr_read(const struct vgic_bank *b, unsigned int half)
{
	uint32_t edges = (b->edge >> (16 * (half & 1))) & 0xffffU;
	uint32_t val = 0;

	for (unsigned int i = 0; i < 16; i++)
		if (edges & (1U << i))
			val |= 2U << (2 * i);
	return val;
}

uint32_t vgic_icfgr_write(struct vgic_bank *b, unsigned int half, uint32_t val,
			  uint32_t writable)
{
	unsigned int shift = 16 * (half & 1);
	uint32_t mask = (0xffffU << shift) & writable;
	uint32_t edges = 0, old = b->edge;

	for (unsigned int i = 0; i < 16; i++)
		if (val & (2U << (2 * i)))
			edges |= 1U << i;
	b->edge = (b->edge & ~mask) | ((edges << shift) & mask);
	return old ^ b->edge;
}

/* ---- ICC_SGI1R_EL1 ------------------------------------------------------ */

void vgic_sgi1r_decode(uint64_t val, struct vgic_sgi1r *sgi)
{
	sgi->targets = (uint16_t)(val & 0xffff);
	sgi->intid = (unsigned int)((val >> 24) & 0xf);
	sgi->broadcast = (val >> 40) & 1;
	sgi->rs = (unsigned int)((val >> 44) & 0xf);
	sgi->aff = (((val >> 16) & 0xff) << 8) |  /* Aff1 */
		   (((val >> 32) & 0xff) << 16) | /* Aff2 */
		   (((val >> 48) & 0xff) << 32);  /* Aff3 */
}

uint64_t vgic_sgi1r_self(uint64_t mpidr)
{
	uint64_t aff0 = mpidr & 0xff;

	return (1ULL << (aff0 % 16)) | (((mpidr >> 8) & 0xff) << 16) |
	       (((mpidr >> 16) & 0xff) << 32) | ((aff0 / 16) << 44) |
	       (((mpidr >> 32) & 0xff) << 48);
}

/* ---- register tables ---------------------------------------------------- */

static bool vgic_size_allowed(uint8_t access, unsigned int size)
{
	switch (size) {
	case 1: return access & VGIC_ACC_8;
	case 2: return access & VGIC_ACC_16;
	case 4: return access & VGIC_ACC_32;
	case 8: return access & VGIC_ACC_64;
	default: return false;
	}
}

enum vgic_mmio_result
vgic_mmio_access_scaled(const struct vgic_reg *regs, size_t nr_regs,
			unsigned int scale, void *ctx, uint64_t offset,
			unsigned int size, bool write, uint64_t *val)
{
	for (size_t i = 0; i < nr_regs; i++) {
		const struct vgic_reg *r = &regs[i];
		uint64_t len = (uint64_t)r->len * scale;
		uint64_t off;

		if (offset < r->offset || offset - r->offset >= len)
			continue;
		off = offset - r->offset;
		if (!vgic_size_allowed(r->access, size) ||
		    (offset & (size - 1)) || off + size > len)
			return VGIC_MMIO_BAD_ACCESS;
		if (!write) {
			*val = r->read ? r->read(ctx, (uint32_t)off, size) : 0;
			return VGIC_MMIO_OK;
		}
		if (r->write) {
			uint64_t v = *val;

			if (size < 8)
				v &= (1ULL << (8 * size)) - 1;
			r->write(ctx, (uint32_t)off, size, v);
		}
		return VGIC_MMIO_OK;
	}
	if (!write)
		*val = 0;
	return VGIC_MMIO_UNKNOWN;
}

enum vgic_mmio_result vgic_mmio_access(const struct vgic_reg *regs,
				       size_t nr_regs, void *ctx,
				       uint64_t offset, unsigned int size,
				       bool write, uint64_t *val)
{
	return vgic_mmio_access_scaled(regs, nr_regs, 1, ctx, offset, size,
				       write, val);
}

/*
 * Cheap and lock-free, for the common entry with nothing to do: no LR in
 * use and nothing pending that could be delivered. A racing injection is
 * followed by a kick, which brings the vCPU back through vgic_flush.
 */
bool vgic_state_idle(const struct vgic_dist_state *d,
		     const struct vgic_cpu_state *c)
{
	uint32_t m = __atomic_load_n(&d->spi_maybe, __ATOMIC_RELAXED);

	if (c->lr_used || (c->local.pending & c->local.enabled))
		return false;
	while (m) {
		unsigned int i = vgic_maybe_next(&m);
		const struct vgic_bank *b = &d->spi[i];

		if (i < d->nr_spi_banks &&
		    (b->pending & b->enabled & ~b->in_lr))
			return false;
	}
	return true;
}
