// SPDX-License-Identifier: MIT
/*
 * credit (credit1), as Xen 4.17 defines it for its users:
 *
 *  - every accounting period (one time slice, 30 ms unless set with
 *    `xl sched-credit -s -t`), the pCPU time of the period is handed out
 *    as credit to the vCPUs competing for it, in proportion to their
 *    domains' weights; a running vCPU burns its credit at real time;
 *  - a vCPU with credit left is UNDER, one without is OVER; UNDER vCPUs run
 *    before OVER ones, first come first served within a priority, each for
 *    a whole time slice; a vCPU that wakes with credit left is BOOSTed
 *    ahead of both (and preempts) until it has run for a tick (a third of
 *    a slice), which keeps I/O-bound domains responsive;
 *  - credit is bounded by one slice either way: a vCPU that saves more than
 *    a slice loses half of it, debt beyond a slice is forgiven;
 *  - a cap (% of one pCPU for the whole domain, 0 for none) limits the
 *    credit a domain earns per period, and a vCPU whose debt passes its
 *    share of the cap is parked (not run) until its credit is positive;
 *  - a vCPU that started running keeps its pCPU for at least the rate limit
 *    (1 ms by default, `xl sched-credit -s -r`, 0 turns it off).
 *
 * Differences from Xen (on one pCPU, the case the tests measure, there are
 * none but the third): Xen's accounting hands out the whole pool's time
 * at once from a master ticker; Orchid hands out each pCPU's time among
 * the vCPUs queued on it, and moves vCPUs between pCPUs by the core's pull
 * balancing, as for credit2. A domain's weight counts per vCPU (Xen's
 * counts per domain, split among its active vCPUs). Priorities follow
 * credit as it is burned (Xen's are recomputed at accounting only).
 */
#include <orchid/errno.h>
#include <public/domctl.h>
#include <public/sysctl.h>

#include "sched_priv.h"

#define NS_PER_MS	  1000000ULL
#define DEFAULT_TSLICE_MS 30	 /* Xen's CSCHED_DEFAULT_TSLICE_MS */
#define TICKS_PER_TSLICE  3	 /* Xen's CSCHED_TICKS_PER_TSLICE */
#define TSLICE_MIN_MS	  1	 /* XEN_SYSCTL_CSCHED_TSLICE_MIN */
#define TSLICE_MAX_MS	  1000	 /* XEN_SYSCTL_CSCHED_TSLICE_MAX */
#define MIGR_DELAY_MAX_US 100000 /* XEN_SYSCTL_CSCHED_MGR_DLY_MAX_US */
#define CAP_KEEP	  0xffff /* putinfo's "leave the cap as it is" */

/* Xen's CSCHED_PRI_TS_*: a higher value runs first. */
enum credit_pri { PRI_OVER = -2, PRI_UNDER = -1, PRI_BOOST = 0 };

static uint32_t credit_tslice_ms(const struct cpupool *c)
{
	return c && c->tslice_ms ? c->tslice_ms : DEFAULT_TSLICE_MS;
}

static uint64_t credit_tslice_ns(const struct sched_cpu *sc)
{
	return credit_tslice_ms(sc->cp) * NS_PER_MS;
}

static uint64_t credit_ratelimit_ns(const struct sched_cpu *sc)
{
	return sc->cp ? sc->cp->ratelimit_us * 1000ULL : 0;
}

static unsigned int credit_weight(const struct vcpu *v)
{
	return v->domain->sched_weight ? v->domain->sched_weight : 1;
}

static enum credit_pri credit_pri(const struct vcpu *v)
{
	if (v->cs_boost)
		return PRI_BOOST;
	return v->credit >= 0 ? PRI_UNDER : PRI_OVER;
}

/* Parked by its cap, which still holds (removing the cap unparks). */
static bool credit_parked(const struct vcpu *v)
{
	return v->cs_parked && v->domain->sched_cap;
}

/* ---- accounting -------------------------------------------------------- */

/* Charge @v, running until @now; a boost ends after a tick of running. */
static void credit_burn(const struct sched_cpu *sc, struct vcpu *v,
			uint64_t now)
{
	uint64_t delta = now > v->acct_ns ? now - v->acct_ns : 0;

	v->acct_ns = now;
	v->credit -= (int64_t)delta;
	if (v->cs_boost && v->run_start_ns &&
	    now - v->run_start_ns >= credit_tslice_ns(sc) / TICKS_PER_TSLICE)
		v->cs_boost = false;
}

static unsigned int credit_nr_vcpus(const struct domain *d)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < d->max_vcpus; i++)
		n += d->vcpus[i] != NULL;
	return n ? n : 1;
}

/* A vCPU's share of its domain's cap per period, in ns (0: no cap). */
static int64_t credit_cap_ns(const struct vcpu *v, uint64_t tslice)
{
	const struct domain *d = v->domain;
	uint64_t cap = (d->sched_cap * tslice + 99) / 100;

	if (!d->sched_cap)
		return 0;
	return (int64_t)((cap + credit_nr_vcpus(d) - 1) / credit_nr_vcpus(d));
}

/* Give @v its @income for the period, then bound it, park or unpark it. */
static void credit_earn(struct vcpu *v, int64_t income, uint64_t tslice)
{
	int64_t cap = credit_cap_ns(v, tslice);

	if (cap && income > cap)
		income = cap;
	v->credit += income;
	v->cs_boost = false; /* Xen's accounting sets UNDER or OVER */
	if (v->credit < 0) {
		if (cap && v->credit < -cap)
			v->cs_parked = true;
		if (v->credit < -(int64_t)tslice)
			v->credit = -(int64_t)tslice;
		return;
	}
	v->cs_parked = false;
	/* It saved up more than it can use: Xen halves it. */
	if (v->credit > (int64_t)tslice)
		v->credit /= 2;
}

/*
 * The period is over: hand out one slice of this pCPU's time among the
 * vCPUs competing for it (queued, parked or @running) by weight.
 */
static void credit_account(struct sched_cpu *sc, struct vcpu *running,
			   uint64_t now)
{
	uint64_t tslice = credit_tslice_ns(sc), total_w = 0;
	struct vcpu *v;

	if (sc->csched_acct_ns)
		sc->csched_acct_ns +=
			((now - sc->csched_acct_ns) / tslice + 1) * tslice;
	else
		sc->csched_acct_ns = now + tslice;
	if (running)
		total_w += credit_weight(running);
	list_for_each_entry(v, &sc->runq, runq_node) total_w +=
		credit_weight(v);
	if (!total_w)
		return;
	if (running)
		credit_earn(
			running,
			(int64_t)(tslice * credit_weight(running) / total_w),
			tslice);
	list_for_each_entry(v, &sc->runq, runq_node) credit_earn(
		v, (int64_t)(tslice * credit_weight(v) / total_w), tslice);
}

/* ---- hooks ------------------------------------------------------------- */

static void credit_insert(struct sched_cpu *sc, struct vcpu *v, uint64_t now)
{
	/* Xen's csched_unit_wake: credit left, not parked: boosted. */
	if (v->credit >= 0 && !credit_parked(v))
		v->cs_boost = true;
	v->acct_ns = now;
	sched_runq_add(sc, v);
}

static void credit_remove(struct sched_cpu *sc, struct vcpu *v)
{
	/* Not queued: another policy's vCPU, its pCPU changed pool. */
	if (!list_empty(&v->runq_node))
		sched_runq_del(sc, v);
}

/* The first queued vCPU of the highest priority, parked ones skipped. */
static struct vcpu *credit_best(struct sched_cpu *sc)
{
	struct vcpu *v, *best = NULL;

	list_for_each_entry(v, &sc->runq, runq_node)
	{
		if (credit_parked(v))
			continue;
		if (!best || credit_pri(v) > credit_pri(best))
			best = v;
	}
	return best;
}

static uint64_t credit_min_deadline(uint64_t a, uint64_t b)
{
	if (!a)
		return b;
	return b && b < a ? b : a;
}

/*
 * Does @prev, runnable and not parked, go on running? It does within its
 * slice unless a vCPU of a higher priority waits; at the end of its slice
 * it goes behind the vCPUs of its own priority; and within the rate limit
 * whatever waits. After a yield it gives way to whatever waits: Xen's
 * __runq_insert puts a yielder behind one vCPU of a lower priority too
 * (so a BOOSTed vCPU that yields lets an UNDER one run). *@until: when to
 * choose again, 0 when @prev starts a new slice.
 */
static bool credit_keep_prev(const struct sched_cpu *sc,
			     const struct vcpu *prev, const struct vcpu *best,
			     uint64_t now, uint64_t *until)
{
	uint64_t ratelimit = credit_ratelimit_ns(sc);
	bool yielded = !prev->run_start_ns;
	bool slice_left = !yielded && now < prev->cs_slice_end;

	*until = slice_left ? prev->cs_slice_end : 0;
	if (!best)
		return true;
	if (yielded)
		return false;
	if (slice_left ? credit_pri(best) <= credit_pri(prev)
		       : credit_pri(best) < credit_pri(prev))
		return true;
	if (!yielded && ratelimit && now - prev->run_start_ns < ratelimit) {
		*until = prev->run_start_ns + ratelimit;
		return true;
	}
	return false;
}

static struct vcpu *credit_pick(struct sched_cpu *sc, struct vcpu *prev,
				uint64_t now, uint64_t *deadline)
{
	bool prev_runnable =
		prev && !prev->is_idle && sched_vcpu_runnable(prev);
	struct vcpu *next, *best;
	uint64_t until = 0;

	if (prev && !prev->is_idle)
		credit_burn(sc, prev, now);
	if (now >= sc->csched_acct_ns)
		credit_account(sc, prev_runnable ? prev : NULL, now);
	best = credit_best(sc);
	if (prev_runnable && !credit_parked(prev) &&
	    credit_keep_prev(sc, prev, best, now, &until)) {
		next = prev;
		if (!prev->run_start_ns)
			prev->run_start_ns = now; /* the yield is over */
	} else {
		next = best;
		if (best)
			sched_runq_del(sc, best);
		if (prev_runnable)
			sched_runq_add(sc, prev);
	}
	if (next && !until) {
		next->cs_slice_end = now + credit_tslice_ns(sc);
		until = next->cs_slice_end;
	}
	if (next)
		next->acct_ns = now;
	/* Accounting goes on while anything runs or waits here. */
	*deadline = 0;
	if (next || sc->nr_queued)
		*deadline = credit_min_deadline(until, sc->csched_acct_ns);
	/* Xen's tick ends a boost: look again after a tick of running. */
	if (next && next->cs_boost)
		*deadline = credit_min_deadline(
			*deadline,
			(next->run_start_ns ? next->run_start_ns : now) +
				credit_tslice_ns(sc) / TICKS_PER_TSLICE);
	return next;
}

/*
 * A vCPU was queued while @curr runs: within its rate limit pick keeps
 * @curr whatever waits (credit_keep_prev), unless @curr yielded or is
 * parked. Looking again at the rate limit's end is never later than pick
 * would. The wake-up fast path of bench-sched's credit1 event ping-pong
 * row (sched_wake_deferred): a BOOSTed wake-up would have called the
 * scheduler only to be held back by the rate limit.
 */
static bool credit_keeps_running(const struct sched_cpu *sc,
				 const struct vcpu *curr, uint64_t now,
				 uint64_t *until)
{
	uint64_t ratelimit = credit_ratelimit_ns(sc);

	if (!ratelimit || !curr->run_start_ns || credit_parked(curr) ||
	    now - curr->run_start_ns >= ratelimit)
		return false;
	*until = curr->run_start_ns + ratelimit;
	return true;
}

/* ---- xl sched-credit ---------------------------------------------------- */

/*
 * Xen's csched_dom_cntl: weight 0 keeps the weight, cap 0xffff keeps the
 * cap, nothing else is checked (xl checks the ranges); no per-vCPU
 * parameters.
 */
static long credit_dom_cntl(struct domain *d,
			    struct xen_domctl_scheduler_op *op)
{
	struct xen_domctl_sched_credit *c = &op->u.credit;

	switch (op->cmd) {
	case XEN_DOMCTL_SCHEDOP_getinfo:
		c->weight = d->sched_weight;
		c->cap = d->sched_cap;
		return 0;
	case XEN_DOMCTL_SCHEDOP_putinfo:
		if (c->weight)
			d->sched_weight = c->weight;
		if (c->cap != CAP_KEEP)
			d->sched_cap = c->cap;
		return 0;
	default: return -EINVAL;
	}
}

/* Xen's csched_sys_cntl checks, -EINVAL when any fails. */
static bool credit_params_ok(const struct xen_sysctl_credit_schedule *p)
{
	if (p->tslice_ms > TSLICE_MAX_MS || p->tslice_ms < TSLICE_MIN_MS)
		return false;
	if (p->ratelimit_us &&
	    (p->ratelimit_us > XEN_SYSCTL_SCHED_RATELIMIT_MAX ||
	     p->ratelimit_us < XEN_SYSCTL_SCHED_RATELIMIT_MIN))
		return false;
	/* A rate limit longer than the slice would make no sense. */
	if ((uint64_t)p->ratelimit_us * 1000 > p->tslice_ms * NS_PER_MS)
		return false;
	return p->vcpu_migr_delay_us <= MIGR_DELAY_MAX_US;
}

/* The pool's slice and rate limit; a put answers with what holds now. */
static long credit_sys_cntl(struct cpupool *c,
			    struct xen_sysctl_scheduler_op *op)
{
	struct xen_sysctl_credit_schedule *p = &op->u.sched_credit;

	switch (op->cmd) {
	case XEN_SYSCTL_SCHEDOP_putinfo:
		if (!credit_params_ok(p))
			return -EINVAL;
		c->tslice_ms = p->tslice_ms;
		c->ratelimit_us = p->ratelimit_us;
		c->migr_delay_us = p->vcpu_migr_delay_us;
		/* fall through */
	case XEN_SYSCTL_SCHEDOP_getinfo:
		p->tslice_ms = credit_tslice_ms(c);
		p->ratelimit_us = c->ratelimit_us;
		p->vcpu_migr_delay_us = c->migr_delay_us;
		return 0;
	default: return -EINVAL;
	}
}

const struct scheduler sched_credit = {
	.name = "credit",
	.long_name = "SMP Credit Scheduler",
	.sched_id = XEN_SCHEDULER_CREDIT,
	.insert = credit_insert,
	.remove = credit_remove,
	.pick = credit_pick,
	.keeps_running = credit_keeps_running,
	.balance = sched_balance,
	.dom_cntl = credit_dom_cntl,
	.sys_cntl = credit_sys_cntl,
};
