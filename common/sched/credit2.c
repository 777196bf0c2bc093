// SPDX-License-Identifier: MIT
/*
 * credit2, as Xen 4.17 defines it for its users:
 *
 *  - every vCPU has credit, in nanoseconds of run time; a running vCPU
 *    burns it at a rate inversely proportional to its domain's weight
 *    (the heaviest vCPU on the run queue burns at real time), so over
 *    time CPU shares follow weights;
 *  - the vCPU with the most credit runs; when the best has none left, every
 *    vCPU of the run queue gets CREDIT_INIT more (clipped: a vCPU carries
 *    at most CARRYOVER_MAX over), and a vCPU that missed resets while
 *    blocked starts again from CREDIT_INIT;
 *  - a running vCPU keeps its pCPU for at least the rate limit (1 ms by
 *    default, `xl sched-credit2 -s -r`), and its slice lasts until its
 *    credit falls to the next-best one's (500 us to 10 ms);
 *  - a cap (% of one pCPU, up to 100 per vCPU) gives the domain a budget
 *    of cap% of each 10 ms period; a vCPU of a domain out of budget is
 *    parked until the next period.
 *
 * Orchid keeps one run queue per pCPU (Xen's credit2_runqueue=cpu) and
 * balances them by pulling (sched.c's sched_balance); Xen's default shares
 * one run queue among the pCPUs of a socket.
 */
#include <orchid/errno.h>
#include <public/domctl.h>
#include <public/sysctl.h>

#include "sched_priv.h"

#define CREDIT_INIT	 10000000LL  /* 10 ms, Xen's CSCHED2_CREDIT_INIT */
#define CARRYOVER_MAX	 500000LL    /* Xen's CSCHED2_CARRYOVER_MAX */
#define MIN_SLICE_NS	 500000ULL   /* Xen's CSCHED2_MIN_TIMER */
#define MAX_SLICE_NS	 10000000ULL /* Xen's CSCHED2_MAX_TIMER */
#define BUDGET_PERIOD_NS 10000000ULL /* Xen's CSCHED2_BDGT_REPL_PERIOD */
#define YIELD_BIAS_NS	 1000000LL   /* Xen's CSCHED2_YIELD_BIAS */

/* The rate limit of @sc's pool, in ns. */
static uint64_t credit2_ratelimit_ns(const struct sched_cpu *sc)
{
	return sc->cp ? sc->cp->ratelimit_us * 1000ULL : 0;
}

static unsigned int credit2_weight(const struct vcpu *v)
{
	return v->domain->sched_weight ? v->domain->sched_weight : 1;
}

/* ---- caps ---------------------------------------------------------------- */

static int64_t credit2_quota(const struct domain *d)
{
	return (int64_t)(d->sched_cap * BUDGET_PERIOD_NS / 100);
}

/* Start a new budget period if it is due (any pCPU may, once). */
static void credit2_replenish(struct domain *d, uint64_t now)
{
	uint64_t next =
		__atomic_load_n(&d->sched_budget_next_ns, __ATOMIC_ACQUIRE);
	uint64_t periods;

	if (!d->sched_cap || now < next)
		return;
	periods = (now - next) / BUDGET_PERIOD_NS + 1;
	if (!__atomic_compare_exchange_n(&d->sched_budget_next_ns, &next,
					 next + periods * BUDGET_PERIOD_NS,
					 false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		return;
	/* No saving up: a fresh period starts from its quota. */
	__atomic_store_n(&d->sched_budget_ns, credit2_quota(d),
			 __ATOMIC_RELEASE);
}

/* Is @v's domain out of budget (so @v is parked)? */
static bool credit2_parked(const struct vcpu *v, uint64_t now)
{
	struct domain *d = v->domain;

	if (!d->sched_cap)
		return false;
	credit2_replenish(d, now);
	return __atomic_load_n(&d->sched_budget_ns, __ATOMIC_ACQUIRE) <= 0;
}

/* ---- credit ----------------------------------------------------------------- */

/* Charge @v (running until @now) its credit and its domain's budget. */
static void credit2_burn(struct vcpu *v, uint64_t now, unsigned int max_w)
{
	uint64_t delta = now > v->acct_ns ? now - v->acct_ns : 0;

	v->acct_ns = now;
	if (!delta)
		return;
	v->credit -= (int64_t)(delta * max_w / credit2_weight(v));
	if (v->domain->sched_cap)
		__atomic_sub_fetch(&v->domain->sched_budget_ns, (int64_t)delta,
				   __ATOMIC_ACQ_REL);
}

/* The heaviest weight among @sc's queued vCPUs and @prev. */
static unsigned int credit2_max_weight(struct sched_cpu *sc,
				       const struct vcpu *prev)
{
	unsigned int max_w = 1;
	struct vcpu *v;

	if (prev && !prev->is_idle)
		max_w = credit2_weight(prev);
	list_for_each_entry(v, &sc->runq, runq_node)
	{
		if (credit2_weight(v) > max_w)
			max_w = credit2_weight(v);
	}
	return max_w;
}

static void credit2_refill(struct vcpu *v, int64_t amount)
{
	v->credit += amount;
	if (v->credit > CREDIT_INIT + CARRYOVER_MAX)
		v->credit = CREDIT_INIT + CARRYOVER_MAX;
}

/* The best has no credit: give everyone enough for it to have some. */
static void credit2_reset(struct sched_cpu *sc, struct vcpu *prev, int64_t best)
{
	int64_t m = best <= 0 ? -best / CREDIT_INIT + 1 : 1;
	struct vcpu *v;

	sc->credit_epoch++;
	list_for_each_entry(v, &sc->runq, runq_node)
	{
		credit2_refill(v, m * CREDIT_INIT);
		v->credit_epoch = sc->credit_epoch;
	}
	if (prev && !prev->is_idle) {
		credit2_refill(prev, m * CREDIT_INIT);
		prev->credit_epoch = sc->credit_epoch;
	}
}

/* ---- hooks ------------------------------------------------------------------ */

static void credit2_insert(struct sched_cpu *sc, struct vcpu *v, uint64_t now)
{
	/* It slept through a reset here, or comes from another pCPU. */
	if (v->credit_epoch != sc->credit_epoch) {
		v->credit = CREDIT_INIT;
		v->credit_epoch = sc->credit_epoch;
	}
	v->acct_ns = now;
	sched_runq_add(sc, v);
}

static void credit2_remove(struct sched_cpu *sc, struct vcpu *v)
{
	/* Not queued: another policy's vCPU, its pCPU changed pool. */
	if (!list_empty(&v->runq_node))
		sched_runq_del(sc, v);
}

/*
 * Slice for @v with @other the next-best credit: until they are level,
 * never shorter than the rate limit.
 */
static uint64_t credit2_slice(const struct sched_cpu *sc, const struct vcpu *v,
			      int64_t other, unsigned int max_w)
{
	uint64_t slice = MAX_SLICE_NS;
	uint64_t min = credit2_ratelimit_ns(sc);

	if (other != INT64_MIN && v->credit > other)
		slice = (uint64_t)(v->credit - other) * credit2_weight(v) /
			max_w;
	else if (other != INT64_MIN)
		slice = MIN_SLICE_NS;
	if (min < MIN_SLICE_NS)
		min = MIN_SLICE_NS;
	if (slice < min)
		slice = min;
	if (slice > MAX_SLICE_NS)
		slice = MAX_SLICE_NS;
	return slice;
}

/* The slice's end, shortened by the budget or a parked vCPU's release. */
static uint64_t credit2_deadline(struct vcpu *next, uint64_t now,
				 uint64_t slice, uint64_t wake_parked)
{
	uint64_t deadline = slice ? now + slice : 0;
	int64_t budget;

	if (next && next->domain->sched_cap) {
		budget = __atomic_load_n(&next->domain->sched_budget_ns,
					 __ATOMIC_ACQUIRE);
		if (budget < (int64_t)MIN_SLICE_NS / 5)
			budget = MIN_SLICE_NS / 5;
		if (!deadline || now + (uint64_t)budget < deadline)
			deadline = now + (uint64_t)budget;
	}
	if (wake_parked && (!deadline || wake_parked < deadline))
		deadline = wake_parked;
	return deadline;
}

/* Remember when the earliest parked vCPU gets its budget back. */
static void credit2_note_parked(const struct vcpu *v, uint64_t *wake)
{
	uint64_t at = __atomic_load_n(&v->domain->sched_budget_next_ns,
				      __ATOMIC_ACQUIRE);

	if (!*wake || at < *wake)
		*wake = at;
}

/* Keep the best and the second-best credit seen (@credit is @v's, biased). */
static void credit2_rank(struct vcpu *v, int64_t credit, struct vcpu **best,
			 int64_t *second)
{
	if (!*best || credit > (*best)->credit) {
		if (*best && (*best)->credit > *second)
			*second = (*best)->credit;
		*best = v;
	} else if (v->credit > *second) {
		*second = v->credit;
	}
}

static struct vcpu *credit2_pick(struct sched_cpu *sc, struct vcpu *prev,
				 uint64_t now, uint64_t *deadline)
{
	unsigned int max_w = credit2_max_weight(sc, prev);
	bool prev_runnable =
		prev && !prev->is_idle && sched_vcpu_runnable(prev);
	bool prev_ok = prev_runnable;
	uint64_t wake = 0, ratelimit = credit2_ratelimit_ns(sc);
	struct vcpu *v, *best = NULL;
	int64_t second = INT64_MIN;

	if (prev && !prev->is_idle)
		credit2_burn(prev, now, max_w);
	if (prev_runnable && credit2_parked(prev, now)) {
		prev_ok = false;
		credit2_note_parked(prev, &wake);
	}
	/* Rate limit: a vCPU that just started keeps running a little. */
	if (prev_ok && ratelimit && prev->run_start_ns && sc->nr_queued &&
	    now - prev->run_start_ns < ratelimit) {
		*deadline = prev->run_start_ns + ratelimit;
		return prev;
	}
	/* The waiters, first come first served among equals... */
	list_for_each_entry(v, &sc->runq, runq_node)
	{
		if (credit2_parked(v, now)) {
			credit2_note_parked(v, &wake);
			continue;
		}
		credit2_rank(v, v->credit, &best, &second);
	}
	/* ...then @prev, which must have more to stay (less if it yielded). */
	if (prev_ok)
		credit2_rank(prev,
			     prev->credit -
				     (prev->run_start_ns ? 0 : YIELD_BIAS_NS) -
				     1,
			     &best, &second);
	if (best && best->credit <= 0) {
		int64_t gap = second != INT64_MIN ? best->credit - second : 0;

		credit2_reset(sc, prev, best->credit);
		if (second != INT64_MIN)
			second = best->credit - gap;
	}
	if (best && best != prev)
		sched_runq_del(sc, best);
	/* Not chosen, or parked until its domain's next period. */
	if (prev_runnable && best != prev)
		sched_runq_add(sc, prev);
	if (best)
		best->acct_ns = now;
	/* A yield is over once it has been taken into account. */
	if (best && best == prev && !prev->run_start_ns)
		prev->run_start_ns = now;
	*deadline = credit2_deadline(
		best, now,
		best && sc->nr_queued ? credit2_slice(sc, best, second, max_w)
				      : 0,
		wake);
	return best;
}

/*
 * A vCPU was queued while @curr runs: pick keeps @curr until its rate
 * limit is over (whatever the newcomer's credit), unless @curr yielded or
 * its domain has a cap (pick may park it). The wake-up fast path of
 * bench-sched's credit2 event ping-pong row (sched_wake_deferred).
 *
 * Like Xen 4.17 (runq_tickle: a vCPU within its rate limit is not
 * preemptable, nobody is tickled and no timer changes), @curr then runs
 * on to the end of the slice it was given at its pick, not just to its
 * rate limit's end. bench-pvio's "TCP DomU -> Dom0" row: a DomU that
 * kicked netback 0.1 ms into its turn lost the pCPU at 1 ms, before it
 * had filled the ring, and every kick became a round trip (5x Xen's
 * event upcalls, Dom0's receive window closing 100 times).
 *
 * Picked alone (no deadline armed), Xen's csched2_runtime gave it its
 * credit (clamped to 1-10 ms); only pick burns, so credit and acct_ns
 * are still the pick's, and pick leaves credit > 0. Picked with someone
 * waiting, the armed slice ends no later (it runs until the credits are
 * level), and the core only ever brings the timer forward. Unclamped:
 * under the rate limit the timer fires early and pick keeps @curr to
 * the limit's end (rare: credit under 1 ms); above 10 ms it is 0.5 ms
 * at most (CARRYOVER_MAX). A yield (run_start_ns 0) or a rate limit of
 * 0 fails the time test, as nobody runs in the first ms after boot:
 * bench-sched's ping-pong rows pay two loads and an add here.
 */
static bool credit2_keeps_running(const struct sched_cpu *sc,
				  const struct vcpu *curr, uint64_t now,
				  uint64_t *until)
{
	if (curr->domain->sched_cap ||
	    now - curr->run_start_ns >= credit2_ratelimit_ns(sc))
		return false;
	*until = curr->acct_ns + (uint64_t)curr->credit;
	return true;
}

/* ---- xl sched-credit2 ---------------------------------------------------- */

static unsigned int credit2_nr_vcpus(const struct domain *d)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < d->max_vcpus; i++)
		n += d->vcpus[i] != NULL;
	return n;
}

/* Xen's csched2_dom_cntl: weight 0 keeps it, cap 0 removes the cap. */
static long credit2_dom_cntl(struct domain *d,
			     struct xen_domctl_scheduler_op *op)
{
	struct xen_domctl_sched_credit2 *c = &op->u.credit2;

	switch (op->cmd) {
	case XEN_DOMCTL_SCHEDOP_getinfo:
		c->weight = d->sched_weight;
		c->cap = d->sched_cap;
		return 0;
	case XEN_DOMCTL_SCHEDOP_putinfo:
		if (c->weight)
			d->sched_weight = (uint16_t)c->weight;
		if (c->cap > 100 * credit2_nr_vcpus(d))
			return -EINVAL; /* at most 100% of each vCPU */
		if (c->cap && !d->sched_cap) {
			__atomic_store_n(
				&d->sched_budget_ns,
				(int64_t)(c->cap * BUDGET_PERIOD_NS / 100),
				__ATOMIC_RELEASE);
			__atomic_store_n(&d->sched_budget_next_ns,
					 arch_now_ns() + BUDGET_PERIOD_NS,
					 __ATOMIC_RELEASE);
		}
		d->sched_cap = (uint16_t)c->cap;
		return 0;
	default:
		/* credit2 has no per-vCPU parameters. */
		return -EINVAL;
	}
}

/* Xen's csched2_sys_cntl: the pool's rate limit, 0 turning it off. */
static long credit2_sys_cntl(struct cpupool *c,
			     struct xen_sysctl_scheduler_op *op)
{
	uint32_t rl = op->u.sched_credit2.ratelimit_us;

	if (op->cmd == XEN_SYSCTL_SCHEDOP_putinfo) {
		if (rl && (rl > XEN_SYSCTL_SCHED_RATELIMIT_MAX ||
			   rl < XEN_SYSCTL_SCHED_RATELIMIT_MIN))
			return -EINVAL;
		c->ratelimit_us = rl;
	}
	op->u.sched_credit2.ratelimit_us = c->ratelimit_us;
	return 0;
}

const struct scheduler sched_credit2 = {
	.name = "credit2",
	.long_name = "SMP Credit Scheduler rev2",
	.sched_id = XEN_SCHEDULER_CREDIT2,
	.insert = credit2_insert,
	.remove = credit2_remove,
	.pick = credit2_pick,
	.keeps_running = credit2_keeps_running,
	.balance = sched_balance,
	.dom_cntl = credit2_dom_cntl,
	.sys_cntl = credit2_sys_cntl,
};
