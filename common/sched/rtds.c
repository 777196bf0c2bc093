// SPDX-License-Identifier: MIT
/*
 * RTDS, the real-time deferrable-server scheduler, as Xen 4.17 defines it
 * for its users:
 *
 *  - every vCPU has a period and a budget (10 ms and 4 ms unless set with
 *    `xl sched-rtds`): in each period it may run for its budget; its
 *    deadline is the end of the current period, and when the period ends
 *    the budget is given back in full (nothing is carried over);
 *  - the runnable vCPU with the earliest deadline runs (EDF); a vCPU out
 *    of budget waits for its next period, unless it has the extratime
 *    flag (the default): then it goes on with a fresh budget at a lower
 *    priority level, behind every vCPU of a lower level, until its next
 *    period starts from level 0 again (Xen's priority_level).
 *
 * Difference from Xen: Xen keeps one EDF queue per pool (global EDF);
 * Orchid keeps one per pCPU (partitioned EDF) and evens out the pCPUs by
 * the core's pull balancing, as for credit2. On one pCPU, or with vCPUs
 * pinned, the two are the same.
 */
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/guest_access.h>
#include <orchid/hypercall.h>
#include <public/domctl.h>

#include "sched_priv.h"

#define NS_PER_US	    1000ULL
#define RTDS_DEFAULT_PERIOD (10000 * NS_PER_US)
#define RTDS_DEFAULT_BUDGET (4000 * NS_PER_US)
#define RTDS_MIN_PERIOD	    (10 * NS_PER_US)
#define RTDS_MIN_BUDGET	    (10 * NS_PER_US)
/* Xen's STIME_DELTA_MAX: periods are added to s_time_t deadlines. */
#define RTDS_MAX_PERIOD ((uint64_t)INT64_MAX / 2)

void rtds_vcpu_init(struct vcpu *v)
{
	v->rt_period = RTDS_DEFAULT_PERIOD;
	v->rt_budget = RTDS_DEFAULT_BUDGET;
	v->rt_extratime = true;
	v->rt_cur_budget = 0;
	v->rt_deadline = 0;
	v->rt_level = 0;
}

/* ---- budget ------------------------------------------------------------ */

/* A new period if the current one is over: full budget, level 0. */
static void rtds_replenish(struct vcpu *v, uint64_t now)
{
	if (now < v->rt_deadline)
		return;
	v->rt_deadline +=
		((now - v->rt_deadline) / v->rt_period + 1) * v->rt_period;
	v->rt_cur_budget = (int64_t)v->rt_budget;
	v->rt_level = 0;
}

/* Charge @v, which ran until @now; out of budget, extra time or wait. */
static void rtds_burn(struct vcpu *v, uint64_t now)
{
	uint64_t delta = now > v->acct_ns ? now - v->acct_ns : 0;

	v->acct_ns = now;
	v->rt_cur_budget -= (int64_t)delta;
	if (v->rt_cur_budget > 0)
		return;
	if (v->rt_extratime) {
		v->rt_level++;
		v->rt_cur_budget = (int64_t)v->rt_budget;
	} else {
		v->rt_cur_budget = 0;
	}
}

/* Is @a to run before @b: lower level, then earlier deadline? */
static bool rtds_before(const struct vcpu *a, const struct vcpu *b)
{
	if (a->rt_level != b->rt_level)
		return a->rt_level < b->rt_level;
	return a->rt_deadline < b->rt_deadline;
}

/* ---- hooks ------------------------------------------------------------- */

static void rtds_insert(struct sched_cpu *sc, struct vcpu *v, uint64_t now)
{
	rtds_replenish(v, now);
	v->acct_ns = now;
	sched_runq_add(sc, v);
}

static void rtds_remove(struct sched_cpu *sc, struct vcpu *v)
{
	if (!list_empty(&v->runq_node))
		sched_runq_del(sc, v);
}

/* Keep the earlier of *@at and @t (0: none yet). */
static void rtds_earliest(uint64_t *at, uint64_t t)
{
	if (!*at || t < *at)
		*at = t;
}

/*
 * EDF among the queue and @prev (kept on a tie); choose again when the
 * chosen vCPU's budget runs out or the next period of another starts
 * (it may come back with budget, or at a better level).
 */
static struct vcpu *rtds_pick(struct sched_cpu *sc, struct vcpu *prev,
			      uint64_t now, uint64_t *deadline)
{
	bool prev_runnable =
		prev && !prev->is_idle && sched_vcpu_runnable(prev);
	struct vcpu *v, *best = NULL;
	uint64_t next_period = 0;

	if (prev && !prev->is_idle)
		rtds_burn(prev, now);
	if (prev_runnable) {
		rtds_replenish(prev, now);
		if (prev->rt_cur_budget > 0)
			best = prev;
		else
			rtds_earliest(&next_period, prev->rt_deadline);
	}
	list_for_each_entry(v, &sc->runq, runq_node)
	{
		rtds_replenish(v, now);
		rtds_earliest(&next_period, v->rt_deadline);
		if (v->rt_cur_budget > 0 && (!best || rtds_before(v, best)))
			best = v;
	}
	if (best && best != prev)
		sched_runq_del(sc, best);
	if (prev_runnable && best != prev)
		sched_runq_add(sc, prev);
	*deadline = next_period;
	if (!best)
		return NULL;
	best->acct_ns = now;
	rtds_earliest(deadline, now + (uint64_t)best->rt_cur_budget);
	return best;
}

/* ---- xl sched-rtds ----------------------------------------------------- */

/* Xen's checks for one vCPU's parameters (in us), -EINVAL when out. */
static bool rtds_params_ok(uint64_t period, uint64_t budget)
{
	return period <= RTDS_MAX_PERIOD && budget >= RTDS_MIN_BUDGET &&
	       budget <= period && period >= RTDS_MIN_PERIOD;
}

static void rtds_get_vcpu(const struct vcpu *v,
			  struct xen_domctl_schedparam_vcpu *p)
{
	p->u.rtds.budget = (uint32_t)(v->rt_budget / NS_PER_US);
	p->u.rtds.period = (uint32_t)(v->rt_period / NS_PER_US);
	if (v->rt_extratime)
		p->u.rtds.flags |= XEN_DOMCTL_SCHEDRT_extra;
	else
		p->u.rtds.flags &= ~XEN_DOMCTL_SCHEDRT_extra;
}

static long rtds_put_vcpu(struct vcpu *v,
			  const struct xen_domctl_schedparam_vcpu *p)
{
	uint64_t period = p->u.rtds.period * NS_PER_US;
	uint64_t budget = p->u.rtds.budget * NS_PER_US;

	if (!rtds_params_ok(period, budget))
		return -EINVAL;
	/* Its pCPU reads them in pick: one store each, new period next. */
	__atomic_store_n(&v->rt_period, period, __ATOMIC_RELAXED);
	__atomic_store_n(&v->rt_budget, budget, __ATOMIC_RELAXED);
	__atomic_store_n(&v->rt_extratime,
			 !!(p->u.rtds.flags & XEN_DOMCTL_SCHEDRT_extra),
			 __ATOMIC_RELAXED);
	return 0;
}

/*
 * The per-vCPU array, as Xen's rt_dom_cntl: a bad vCPU ID is -EINVAL, a
 * bad element -EFAULT (both stop there); after 64 elements it stops when
 * other work is pending and reports in nr_vcpus how many it did.
 */
static long rtds_vcpu_array(struct domain *d,
			    struct xen_domctl_scheduler_op *op)
{
	struct xen_domctl_schedparam_vcpu p;
	uint64_t base = op->u.v.vcpus.p;
	uint32_t index = 0;
	long rc = 0;

	while (index < op->u.v.nr_vcpus) {
		uint64_t at = base + (uint64_t)index * sizeof(p);

		if (copy_from_guest(&p, at, sizeof(p))) {
			rc = -EFAULT;
			break;
		}
		if (p.vcpuid >= d->max_vcpus || !d->vcpus[p.vcpuid]) {
			rc = -EINVAL;
			break;
		}
		if (op->cmd == XEN_DOMCTL_SCHEDOP_getvcpuinfo) {
			rtds_get_vcpu(d->vcpus[p.vcpuid], &p);
			if (copy_to_guest(at, &p, sizeof(p))) {
				rc = -EFAULT;
				break;
			}
		} else {
			rc = rtds_put_vcpu(d->vcpus[p.vcpuid], &p);
			if (rc)
				break;
		}
		if (++index > 63 && hypercall_preempt_check())
			break;
	}
	if (!rc)
		op->u.v.nr_vcpus = index;
	return rc;
}

/*
 * Xen's rt_dom_cntl: getinfo gives the defaults (not the domain's),
 * putinfo sets every vCPU's period and budget with only a zero check
 * (extratime unchanged).
 */
static long rtds_dom_cntl(struct domain *d, struct xen_domctl_scheduler_op *op)
{
	switch (op->cmd) {
	case XEN_DOMCTL_SCHEDOP_getinfo:
		op->u.rtds.period = (uint32_t)(RTDS_DEFAULT_PERIOD / NS_PER_US);
		op->u.rtds.budget = (uint32_t)(RTDS_DEFAULT_BUDGET / NS_PER_US);
		return 0;
	case XEN_DOMCTL_SCHEDOP_putinfo:
		if (!op->u.rtds.period || !op->u.rtds.budget)
			return -EINVAL;
		for (unsigned int i = 0; i < d->max_vcpus; i++) {
			if (!d->vcpus[i])
				continue;
			__atomic_store_n(&d->vcpus[i]->rt_period,
					 op->u.rtds.period * NS_PER_US,
					 __ATOMIC_RELAXED);
			__atomic_store_n(&d->vcpus[i]->rt_budget,
					 op->u.rtds.budget * NS_PER_US,
					 __ATOMIC_RELAXED);
		}
		return 0;
	default: return rtds_vcpu_array(d, op);
	}
}

const struct scheduler sched_rtds = {
	.name = "rtds",
	.long_name = "SMP RTDS Scheduler",
	.sched_id = XEN_SCHEDULER_RTDS,
	.insert = rtds_insert,
	.remove = rtds_remove,
	.pick = rtds_pick,
	.balance = sched_balance,
	.dom_cntl = rtds_dom_cntl,
};
