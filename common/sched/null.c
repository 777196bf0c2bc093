// SPDX-License-Identifier: MIT
/*
 * The null scheduler, as Xen 4.17 defines it for its users: each pCPU of
 * a null pool is given to at most one vCPU and runs only that vCPU (or
 * idles while it is blocked): no time slices, no load balancing, no
 * parameters (XEN_DOMCTL_scheduler_op and XEN_SYSCTL_scheduler_op answer
 * 0 and change nothing, as Xen's, which has no adjust hooks).
 *
 *  - A vCPU that comes up (or joins the pool, or moves for its affinity)
 *    gets a free pCPU of its pool and hard affinity, soft affinity first;
 *    with none free it waits in the pool's wait queue (FIFO).
 *  - A vCPU gives its pCPU back only when it goes down (PSCI CPU_OFF),
 *    leaves the pCPU (affinity, pool) or its domain dies; blocked or
 *    paused, it keeps it. The freed pCPU takes the first waiter allowed
 *    there (soft affinity first), as Xen's unit_deassign.
 *
 * Orchid's core moves a vCPU between pCPUs only under both run-queue
 * locks: a free pCPU takes a waiter from another pCPU in its pick, which
 * holds its own lock, by trying the waiter's pCPU lock (as Xen's
 * null_schedule), and leaves it for later when it cannot (lock busy, or
 * the waiter's registers still loaded there).
 */
#include <orchid/domain.h>
#include <orchid/smp.h>
#include <public/domctl.h>

#include "sched_priv.h"

/* Does @v give its pCPU back: going down, leaving it, or dying? */
static bool null_leaving(const struct vcpu *v)
{
	return v->pause_flags & SCHED_VPF_LEAVING;
}

static unsigned int null_cpu_of(const struct sched_cpu *sc)
{
	return (unsigned int)(sc - sched_cpus);
}

/* ---- the wait queue -------------------------------------------------- */

void null_unwait(struct vcpu *v)
{
	struct cpupool *c = __atomic_load_n(&v->waitq_pool, __ATOMIC_ACQUIRE);
	unsigned long flags;

	if (!c)
		return;
	flags = spin_lock_irqsave(&c->waitq_lock);
	if (v->waitq_pool == c) {
		list_del(&v->waitq_node);
		list_init(&v->waitq_node);
		v->waitq_pool = NULL;
	}
	spin_unlock_irqrestore(&c->waitq_lock, flags);
}

/* Wake the free pCPUs of @c that @v may run on: one of them takes it. */
static void null_tickle_free(const struct cpupool *c, const struct vcpu *v)
{
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		if (sched_cpus[cpu].cp == c && !sched_cpus[cpu].null_owner &&
		    sched_cpu_allowed(v, cpu))
			sched_raise(cpu);
}

/* Under @sc's lock: @v waits in @sc's pool's queue (if not already). */
static void null_wait(struct sched_cpu *sc, struct vcpu *v)
{
	struct cpupool *c = sc->cp;

	if (!c || v->waitq_pool)
		return;
	spin_lock(&c->waitq_lock);
	list_add_tail(&v->waitq_node, &c->waitq);
	v->waitq_pool = c;
	spin_unlock(&c->waitq_lock);
	null_tickle_free(c, v);
}

/* ---- assignment ------------------------------------------------------ */

/* Under @sc's lock: @sc is @v's (which is on it); queue it if runnable. */
static void null_assign(struct sched_cpu *sc, struct vcpu *v)
{
	sc->null_owner = v;
	if (sched_vcpu_runnable(v) && !v->is_running &&
	    list_empty(&v->runq_node))
		sched_runq_add(sc, v);
}

/*
 * How soon a free pCPU looks at the wait queue again when it could not
 * take a waiter it may run (its pCPU's lock was busy: the waiter's
 * insertion tickled us while holding it, or its registers were still
 * loaded there).
 */
#define NULL_RETRY_NS 100000ULL

/*
 * Under @sc's lock, @sc free: take the first waiter allowed here (soft
 * affinity first) whose pCPU lock can be had and whose registers are not
 * loaded elsewhere; move it here. Returns whether one was taken; sets
 * *@missed when one allowed here could not be taken now.
 */
static bool null_take_waiter(struct sched_cpu *sc, bool *missed)
{
	unsigned int cpu = null_cpu_of(sc);
	struct cpupool *c = sc->cp;
	bool taken = false;
	struct vcpu *w;

	if (!c || list_empty(&c->waitq))
		return false;
	spin_lock(&c->waitq_lock);
	for (unsigned int pass = 0; pass < 2 && !taken; pass++) {
		list_for_each_entry(w, &c->waitq, waitq_node)
		{
			unsigned int from = w->processor;
			unsigned int loaded = w->loaded_cpu;

			if (pass == 0 ? !sched_cpu_preferred(w, cpu)
				      : !sched_cpu_allowed(w, cpu))
				continue;
			if (w->is_running ||
			    (loaded != SCHED_NO_CPU && loaded != cpu)) {
				*missed = true;
				continue;
			}
			if (from != cpu &&
			    !spin_trylock(&sched_cpus[from].lock)) {
				*missed = true;
				continue;
			}
			list_del(&w->waitq_node);
			list_init(&w->waitq_node);
			w->waitq_pool = NULL;
			if (from != cpu) {
				__atomic_store_n(&w->processor, cpu,
						 __ATOMIC_RELEASE);
				spin_unlock(&sched_cpus[from].lock);
				sc->pulled = w;
			}
			null_assign(sc, w);
			taken = true;
			break;
		}
	}
	spin_unlock(&c->waitq_lock);
	return taken;
}

/* ---- hooks ----------------------------------------------------------- */

static void null_insert(struct sched_cpu *sc, struct vcpu *v, uint64_t now)
{
	/* Back from the queue of another pool or pCPU: place it afresh. */
	null_unwait(v);
	if (sc->null_owner == v) {
		null_assign(sc, v);
		return;
	}
	if (!sc->null_owner && sched_cpu_allowed(v, null_cpu_of(sc))) {
		null_assign(sc, v);
		return;
	}
	null_wait(sc, v);
}

static void null_remove(struct sched_cpu *sc, struct vcpu *v)
{
	if (!list_empty(&v->runq_node))
		sched_runq_del(sc, v);
	if (!null_leaving(v))
		return; /* blocked or paused: it keeps its pCPU */
	null_unwait(v);
	if (sc->null_owner == v) {
		sc->null_owner = NULL;
		sched_raise(null_cpu_of(sc)); /* to take a waiter */
	}
}

/*
 * The pCPU's vCPU when it can run, else idle; a free pCPU first looks
 * for a waiter. No deadline (nothing is ever preempted) but a free
 * pCPU's retry.
 */
static struct vcpu *null_pick(struct sched_cpu *sc, struct vcpu *prev,
			      uint64_t now, uint64_t *deadline)
{
	bool missed = false;
	struct vcpu *owner;

	*deadline = 0;
	if (prev && !prev->is_idle && sc->null_owner == prev &&
	    null_leaving(prev))
		sc->null_owner = NULL;
	/* Moved away without telling us: never run a vCPU of another pCPU. */
	if (sc->null_owner && sc->null_owner->processor != null_cpu_of(sc))
		sc->null_owner = NULL;
	/* Runnable but not ours (this pCPU just joined the pool): place it. */
	if (prev && !prev->is_idle && sc->null_owner != prev &&
	    sched_vcpu_runnable(prev))
		null_insert(sc, prev, now);
	if (!sc->null_owner && !null_take_waiter(sc, &missed) && missed)
		*deadline = now + NULL_RETRY_NS;
	owner = sc->null_owner;
	if (!owner || !sched_vcpu_runnable(owner))
		return NULL;
	if (!list_empty(&owner->runq_node))
		sched_runq_del(sc, owner);
	return owner;
}

/*
 * Where @v should be: its pCPU if free (or its) and allowed, else the
 * first free pCPU it may use, soft affinity first; SCHED_NO_CPU when
 * none is free (the core keeps it where its pool allows, and it waits).
 */
static unsigned int null_pick_cpu(const struct vcpu *v)
{
	bool (*const ok[2])(const struct vcpu *, unsigned int) = {
		sched_cpu_preferred, sched_cpu_allowed};

	for (unsigned int t = 0; t < 2; t++) {
		const struct vcpu *owner = sched_cpus[v->processor].null_owner;

		if (ok[t](v, v->processor) && (!owner || owner == v))
			return v->processor;
		for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
			if (ok[t](v, cpu) && !sched_cpus[cpu].null_owner)
				return cpu;
	}
	return SCHED_NO_CPU;
}

void null_forget(struct vcpu *v)
{
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct sched_cpu *sc = &sched_cpus[cpu];
		unsigned long flags;

		if (__atomic_load_n(&sc->null_owner, __ATOMIC_RELAXED) != v)
			continue;
		flags = spin_lock_irqsave(&sc->lock);
		if (sc->null_owner == v) {
			sc->null_owner = NULL;
			sched_raise(cpu);
		}
		spin_unlock_irqrestore(&sc->lock, flags);
	}
}

const struct scheduler sched_null = {
	.name = "null",
	.long_name = "null Scheduler",
	.sched_id = XEN_SCHEDULER_NULL,
	.insert = null_insert,
	.remove = null_remove,
	.pick = null_pick,
	.pick_cpu = null_pick_cpu,
};
