// SPDX-License-Identifier: MIT
/*
 * The scheduler core: per-pCPU run queues, blocking and waking, the
 * switch bookkeeping, the idle loop, hard and soft affinity, and vCPU
 * migration between pCPUs. The policy (which runnable vCPU next, for how
 * long) sits behind struct scheduler (sched_priv.h), one per cpupool:
 * credit2, null and RTDS are built in.
 *
 * Migration rule: a vCPU changes pCPU (v->processor) only while it is not
 * running, not queued and its state is in no pCPU's hardware, with the
 * run-queue locks of both pCPUs held (taken in increasing pCPU order).
 * Two paths do it:
 *  - sched_migrate_finish, for a vCPU that carries VPF_MIGRATING (an
 *    affinity or pool change): finished by the caller when the vCPU was
 *    not running, else by its pCPU right after switching away from it;
 *  - load balancing (sched_balance): a pCPU with little to do takes a
 *    queued vCPU from a busier one, if the vCPU's state is not loaded there.
 * Whatever followed the old pCPU (soft timers, forwarded SPIs) is moved
 * by arch_vcpu_migrated; pending interrupts live in the vGIC's software
 * state and follow by themselves.
 */
#include <orchid/arch.h>
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/irq.h>
#include <orchid/keyhandler.h>
#include <orchid/mm.h>
#include <orchid/panic.h>
#include <orchid/printk.h>
#include <orchid/smp.h>
#include <orchid/string.h>
#include <orchid/trace.h>
#include <public/domctl.h>

#include "sched_priv.h"

struct sched_cpu sched_cpus[CONFIG_NR_CPUS];
static struct domain idle_domain;
static unsigned int next_placement;
static const struct scheduler *sched_ops; /* sched=, sched_init */
static bool sched_dom0_vcpus_pin;

static const struct scheduler *const sched_builtin[] = {
#ifdef CONFIG_SCHED_CREDIT2
	&sched_credit2,
#endif
#ifdef CONFIG_SCHED_CREDIT
	&sched_credit,
#endif
#ifdef CONFIG_SCHED_ARINC653
	&sched_arinc653,
#endif
#ifdef CONFIG_SCHED_NULL
	&sched_null,
#endif
#ifdef CONFIG_SCHED_RTDS
	&sched_rtds,
#endif
};

const struct scheduler *sched_by_name(const char *name)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(sched_builtin); i++)
		if (strcmp(sched_builtin[i]->name, name) == 0)
			return sched_builtin[i];
	return NULL;
}

const struct scheduler *sched_by_id(unsigned int id)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(sched_builtin); i++)
		if (sched_builtin[i]->sched_id == id)
			return sched_builtin[i];
	return NULL;
}

const struct scheduler *sched_default(void)
{
	return sched_ops;
}

/* ---- locks --------------------------------------------------------------- */

/* Lock the pCPU @v is on, following it if it moves meanwhile. */
static struct sched_cpu *sched_lock_vcpu(const struct vcpu *v,
					 unsigned long *flags)
{
	for (;;) {
		unsigned int cpu =
			__atomic_load_n(&v->processor, __ATOMIC_ACQUIRE);
		struct sched_cpu *sc = &sched_cpus[cpu];

		*flags = spin_lock_irqsave(&sc->lock);
		if (v->processor == cpu)
			return sc;
		spin_unlock_irqrestore(&sc->lock, *flags);
	}
}

unsigned long sched_lock_pair(unsigned int a, unsigned int b)
{
	unsigned long flags;

	if (a > b)
		return sched_lock_pair(b, a);
	flags = spin_lock_irqsave(&sched_cpus[a].lock);
	if (a != b)
		spin_lock(&sched_cpus[b].lock);
	return flags;
}

void sched_unlock_pair(unsigned int a, unsigned int b, unsigned long flags)
{
	if (a != b)
		spin_unlock(&sched_cpus[a > b ? a : b].lock);
	spin_unlock_irqrestore(&sched_cpus[a < b ? a : b].lock, flags);
}

void sched_runq_add(struct sched_cpu *sc, struct vcpu *v)
{
	list_add_tail(&v->runq_node, &sc->runq);
	sc->nr_queued++;
}

void sched_runq_del(struct sched_cpu *sc, struct vcpu *v)
{
	list_del(&v->runq_node);
	list_init(&v->runq_node);
	sc->nr_queued--;
}

/* ---- runstate -------------------------------------------------------------- */

/*
 * @now: the caller's one counter read for the whole switch or wake-up
 * (bench-sched's event ping-pong rows read it five times a hop before).
 */
static void runstate_change(struct vcpu *v, int state, uint64_t now)
{
	struct vcpu_runstate_info *r = &v->runstate;

	if (r->state == state)
		return;
	/* Xen's record: vCPU | domain << 16, old state | new state << 4. */
	trace_2d(TRC_SCHED_RUNSTATE_CHANGE,
		 trace_dv(v->domain->domain_id, v->vcpu_id),
		 (uint32_t)r->state | (uint32_t)state << 4);
	r->time[r->state] += now - r->state_entry_time;
	r->state = state;
	r->state_entry_time = now;
}

/* ---- where a vCPU may run ---------------------------------------------------- */

/* Online, in @v's domain's pool and in its hard affinity. */
bool sched_cpu_allowed(const struct vcpu *v, unsigned int cpu)
{
	return cpu_is_online(cpu) &&
	       sched_cpus[cpu].pool == v->domain->cpupool_id &&
	       cpumap_test(v->cpu_hard_affinity, cpu);
}

bool sched_cpu_preferred(const struct vcpu *v, unsigned int cpu)
{
	return sched_cpu_allowed(v, cpu) &&
	       cpumap_test(v->cpu_soft_affinity, cpu);
}

/* In its pool at least: where a vCPU whose hard affinity misses it goes. */
static bool sched_cpu_in_pool(const struct vcpu *v, unsigned int cpu)
{
	return cpu_is_online(cpu) &&
	       sched_cpus[cpu].pool == v->domain->cpupool_id;
}

void sched_domain_cpumap(const struct domain *d, uint8_t *map)
{
	memset(map, 0, CPUMAP_BYTES);
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		if (cpu_is_online(cpu) && sched_cpus[cpu].pool == d->cpupool_id)
			map[cpu / 8] |= 1U << (cpu % 8);
}

/* Work on @cpu: queued vCPUs, plus one if it runs a guest vCPU. */
static unsigned int sched_load(unsigned int cpu)
{
	const struct sched_cpu *sc = &sched_cpus[cpu];
	const struct vcpu *curr = __atomic_load_n(&sc->curr, __ATOMIC_RELAXED);

	return __atomic_load_n(&sc->nr_queued, __ATOMIC_RELAXED) +
	       (curr && !curr->is_idle);
}

/*
 * Where @v should be: its pCPU if allowed (and in its soft affinity when
 * the soft affinity names an allowed pCPU), else the least loaded allowed
 * pCPU, soft ones first. When its pool has no pCPU in its hard affinity,
 * any pCPU of the pool (Xen breaks the affinity then); with no pCPU in
 * its pool at all, it stays.
 */
unsigned int sched_pick_cpu(const struct vcpu *v)
{
	bool (*const tests[3])(const struct vcpu *, unsigned int) = {
		sched_cpu_preferred, sched_cpu_allowed, sched_cpu_in_pool};
	const struct scheduler *ops = cpupool_sched(v->domain->cpupool_id);

	if (ops->pick_cpu) {
		unsigned int cpu = ops->pick_cpu(v);

		if (cpu != SCHED_NO_CPU)
			return cpu;
	}
	for (unsigned int t = 0; t < 3; t++) {
		unsigned int best = SCHED_NO_CPU, best_load = ~0U;

		if (tests[t](v, v->processor))
			return v->processor;
		for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
			unsigned int load;

			if (!tests[t](v, cpu))
				continue;
			load = sched_load(cpu);
			if (load < best_load) {
				best = cpu;
				best_load = load;
			}
		}
		if (best != SCHED_NO_CPU)
			return best;
	}
	return v->processor;
}

/* Does @v have to leave its pCPU (or would it rather, for soft affinity)? */
static bool sched_should_move(const struct vcpu *v)
{
	return sched_pick_cpu(v) != v->processor;
}

/* ---- raising and kicking ------------------------------------------------------ */

void sched_raise(unsigned int cpu)
{
	sched_cpus[cpu].need_resched = true;
	if (cpu != arch_cpu_id())
		irq_send_sgi(cpu, SGI_KICK);
}

bool sched_resched_pending_on(unsigned int cpu)
{
	return sched_cpus[cpu].need_resched;
}

bool sched_resched_pending(void)
{
	return sched_resched_pending_on(arch_cpu_id());
}

static void sched_slice_end(void *data)
{
	struct sched_cpu *sc = data;
	unsigned long irq = spin_lock_irqsave(&sc->lock);

	sc->slice_armed = 0; /* it fired: nothing is armed any more */
	sc->need_resched = true;
	spin_unlock_irqrestore(&sc->lock, irq);
}

/*
 * Under @sc's lock, on its pCPU: look again at @deadline (0: never). The
 * slice timer is only ever brought forward: a later or no deadline leaves
 * an earlier one armed, which then fires early, and schedule() picks
 * again (the policies' pick decides from the time alone, so an early look
 * changes nothing but the cost of one look). bench-sched's event
 * ping-pong rows: credit2 stopped the timer at every switch and re-armed
 * it at every wake-up, credit1 moved it at every switch (~300 a hop);
 * now one timer operation every ~1 ms of switching.
 */
static void sched_slice_arm(struct sched_cpu *sc, uint64_t deadline)
{
	if (!deadline || (sc->slice_armed && sc->slice_armed <= deadline))
		return;
	sc->slice_armed = deadline;
	timer_set(&sc->slice_timer, deadline);
}

static void sgi_kick(unsigned int irq, void *data)
{
	/* A kick may also mean "your timer queue's head changed". */
	timer_process();
}

/*
 * @v was queued on a busy pCPU: wake an idle pCPU it may run on (soft
 * affinity first), which will take it over in sched_balance.
 */
static void sched_tickle_idler(const struct vcpu *v)
{
	unsigned int fallback = SCHED_NO_CPU;

	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		if (cpu == v->processor || !sched_cpu_allowed(v, cpu) ||
		    sched_load(cpu) != 0)
			continue;
		if (sched_cpu_preferred(v, cpu)) {
			sched_raise(cpu);
			return;
		}
		if (fallback == SCHED_NO_CPU)
			fallback = cpu;
	}
	if (fallback != SCHED_NO_CPU)
		sched_raise(fallback);
}

/* ---- vCPU state --------------------------------------------------------------- */

/*
 * Under @sc's lock: @v was just queued on @sc. When @sc is this pCPU and
 * its policy would keep the running vCPU anyway (its rate limit), no
 * reschedule is raised: the slice timer is brought forward to when the
 * policy would choose again, and the running vCPU goes back to its guest
 * without a scheduler call. bench-sched's event ping-pong rows: the
 * sender's EVTCHNOP_send went through schedule() and pick only to be
 * kept (~500 a hop). Xen's tickling likewise leaves a pCPU alone whose
 * vCPU the woken one would not displace.
 */
static bool sched_wake_deferred(struct sched_cpu *sc, const struct vcpu *v,
				uint64_t now)
{
	const struct scheduler *ops = sched_cpu_ops(sc);
	const struct vcpu *curr = sc->curr;
	uint64_t until;

	if (!ops->keeps_running || curr->is_idle || !curr->is_running ||
	    !sched_vcpu_runnable(curr) || v->processor != arch_cpu_id() ||
	    !ops->keeps_running(sc, curr, now, &until))
		return false;
	sched_slice_arm(sc, until);
	return true;
}

/* Under @sc's lock: v's flags changed from @was to its current value. */
static void vcpu_flags_changed(struct sched_cpu *sc, struct vcpu *v,
			       unsigned int was)
{
	bool now_runnable = sched_vcpu_runnable(v);
	const struct scheduler *ops = sched_cpu_ops(sc);
	uint64_t now = arch_now_ns();

	/*
	 * As Xen: blocked only while waiting for an event, offline when
	 * paused, down or dying (guests count offline time as stolen).
	 */
	if (!now_runnable)
		runstate_change(v,
				(v->pause_flags & VPF_BLOCKED)
					? RUNSTATE_blocked
					: RUNSTATE_offline,
				now);
	/*
	 * Already off the queues, it now leaves (pool, affinity), goes down or
	 * dies: a policy that keeps something for it (null's pCPU) lets go.
	 */
	if (was && !now_runnable && !v->is_running &&
	    (v->pause_flags & ~was & SCHED_VPF_LEAVING)) {
		ops->remove(sc, v);
		sched_raise(v->processor);
	}
	if ((was == 0) == now_runnable)
		return;
	if (now_runnable) {
		runstate_change(v, RUNSTATE_runnable, now);
		if (!v->is_running) {
			ops->insert(sc, v, now);
			if (ops->balance && nr_cpu_ids > 1 &&
			    sched_load(v->processor) > 1)
				sched_tickle_idler(v);
			if (sched_wake_deferred(sc, v, now))
				return;
		}
	} else if (!v->is_running) {
		ops->remove(sc, v);
	}
	sched_raise(v->processor);
}

void vcpu_pause_flag_set(struct vcpu *v, unsigned int flag)
{
	unsigned long irq;
	struct sched_cpu *sc = sched_lock_vcpu(v, &irq);
	unsigned int was = v->pause_flags;

	v->pause_flags |= flag;
	vcpu_flags_changed(sc, v, was);
	spin_unlock_irqrestore(&sc->lock, irq);
}

void vcpu_pause_flag_clear(struct vcpu *v, unsigned int flag)
{
	unsigned long irq;
	struct sched_cpu *sc = sched_lock_vcpu(v, &irq);
	unsigned int was = v->pause_flags;

	v->pause_flags &= ~flag;
	vcpu_flags_changed(sc, v, was);
	spin_unlock_irqrestore(&sc->lock, irq);
}

void vcpu_wake(struct vcpu *v)
{
	if (!(v->pause_flags & VPF_BLOCKED))
		return;
	trace_2d(TRC_SCHED_WAKE, v->domain->domain_id, v->vcpu_id);
	vcpu_pause_flag_clear(v, VPF_BLOCKED);
}

void vcpu_block(struct vcpu *v)
{
	trace_2d(TRC_SCHED_BLOCK, v->domain->domain_id, v->vcpu_id);
	vcpu_pause_flag_set(v, VPF_BLOCKED);
	/* An event that raced with blocking must not be slept through. */
	if (arch_vcpu_has_work(v))
		vcpu_wake(v);
}

void vcpu_kick(struct vcpu *v)
{
	unsigned int cpu = __atomic_load_n(&v->processor, __ATOMIC_RELAXED);

	if (v->is_running && cpu != arch_cpu_id())
		irq_send_sgi(cpu, SGI_KICK);
}

void vcpu_yield(struct vcpu *v)
{
	trace_2d(TRC_SCHED_YIELD, v->domain->domain_id, v->vcpu_id);
	v->slice_end_ns = 0;
	v->run_start_ns = 0; /* a yield is not held back by the rate limit */
	sched_cpus[v->processor].need_resched = true;
}

/* ---- migration ---------------------------------------------------------------- */

void sched_migrate_finish(struct vcpu *v)
{
	unsigned int from = v->processor;
	unsigned long flags;
	unsigned int to;

	for (;;) {
		to = sched_pick_cpu(v);
		if (to == from)
			break;
		flags = sched_lock_pair(from, to);
		/* A pool change may have taken the pCPU meanwhile. */
		if (sched_cpu_in_pool(v, to)) {
			__atomic_store_n(&v->processor, to, __ATOMIC_RELEASE);
			sched_unlock_pair(from, to, flags);
			break;
		}
		sched_unlock_pair(from, to, flags);
	}
	if (to != from) {
		timer_migrate(&v->poll_timer, to);
		arch_vcpu_migrated(v);
	}
	/* A null wait queue is the old pool's or the old pCPU's business. */
	null_unwait(v);
	vcpu_pause_flag_clear(v, VPF_MIGRATING);
}

/*
 * Set @v's affinity maps (NULL: keep that one) and move it if it must.
 * When @v is running elsewhere this returns before it moved: its pCPU
 * finishes the move when it switches away, at its next exit.
 */
void sched_set_affinity(struct vcpu *v, const uint8_t *hard,
			const uint8_t *soft)
{
	unsigned long irq;
	struct sched_cpu *sc = sched_lock_vcpu(v, &irq);
	unsigned int was = v->pause_flags;
	bool running;

	if (hard)
		memcpy(v->cpu_hard_affinity, hard, CPUMAP_BYTES);
	if (soft)
		memcpy(v->cpu_soft_affinity, soft, CPUMAP_BYTES);
	/* Already on its way: the finisher reads the new maps. */
	if ((was & VPF_MIGRATING) || !sched_should_move(v)) {
		spin_unlock_irqrestore(&sc->lock, irq);
		return;
	}
	v->pause_flags |= VPF_MIGRATING;
	vcpu_flags_changed(sc, v, was);
	running = v->is_running;
	spin_unlock_irqrestore(&sc->lock, irq);
	if (running)
		return;
	arch_vcpu_unload(v);
	sched_migrate_finish(v);
}

/*
 * Move every vCPU of @d that is not where its pool and affinity allow
 * (after a pool change). Same paths as sched_set_affinity.
 */
void sched_domain_replace(struct domain *d)
{
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i])
			sched_set_affinity(d->vcpus[i], NULL, NULL);
}

/* ---- load balancing ----------------------------------------------------------- */

/* The queued vCPU of @from that @cpu should take, if any. */
static struct vcpu *sched_steal_candidate(struct sched_cpu *from,
					  unsigned int cpu)
{
	struct vcpu *v, *best = NULL;

	list_for_each_entry(v, &from->runq, runq_node)
	{
		unsigned int loaded =
			__atomic_load_n(&v->loaded_cpu, __ATOMIC_ACQUIRE);

		if (!sched_cpu_allowed(v, cpu) ||
		    (loaded != SCHED_NO_CPU && loaded != cpu))
			continue;
		/* Soft affinity: a vCPU that prefers us first. */
		if (sched_cpu_preferred(v, cpu))
			return v;
		if (!best)
			best = v;
	}
	return best;
}

/*
 * Take a queued vCPU from the busiest pCPU of our pool when it has at
 * least two more vCPUs to run than we do (per-pCPU run queues balanced
 * by pulling, within hard affinity, soft affinity preferred).
 */
void sched_balance(unsigned int cpu, const struct vcpu *prev)
{
	unsigned int busiest = SCHED_NO_CPU, most = 0;
	unsigned int mine = sched_cpus[cpu].nr_queued;
	unsigned long flags;
	struct vcpu *v;

	if (prev && !prev->is_idle && sched_vcpu_runnable(prev))
		mine++;
	for (unsigned int o = 0; o < nr_cpu_ids; o++) {
		unsigned int load = sched_load(o);

		if (o == cpu || !cpu_is_online(o) ||
		    sched_cpus[o].pool != sched_cpus[cpu].pool ||
		    !sched_cpus[o].nr_queued || load < mine + 2 || load <= most)
			continue;
		busiest = o;
		most = load;
	}
	if (busiest == SCHED_NO_CPU)
		return;
	flags = sched_lock_pair(cpu, busiest);
	v = sched_steal_candidate(&sched_cpus[busiest], cpu);
	if (v) {
		sched_cpu_ops(&sched_cpus[busiest])
			->remove(&sched_cpus[busiest], v);
		__atomic_store_n(&v->processor, cpu, __ATOMIC_RELEASE);
		sched_cpu_ops(&sched_cpus[cpu])
			->insert(&sched_cpus[cpu], v, arch_now_ns());
	}
	sched_unlock_pair(cpu, busiest, flags);
	if (!v)
		return;
	timer_migrate(&v->poll_timer, cpu);
	arch_vcpu_migrated(v);
}

/* ---- the decision -------------------------------------------------------------- */

/* Under @sc's lock: @prev stops running, @next starts. */
static void sched_switch(struct sched_cpu *sc, struct vcpu *prev,
			 struct vcpu *next, uint64_t now)
{
	if (prev)
		trace_4d(TRC_SCHED_SWITCH, prev->domain->domain_id,
			 prev->vcpu_id, next->domain->domain_id, next->vcpu_id);
	if (prev) {
		prev->is_running = false;
		if (!prev->is_idle && sched_vcpu_runnable(prev))
			runstate_change(prev, RUNSTATE_runnable, now);
	}
	next->is_running = true;
	if (!next->is_idle) {
		runstate_change(next, RUNSTATE_running, now);
		next->run_start_ns = now;
	}
	__atomic_store_n(&sc->curr, next, __ATOMIC_RELAXED);
}

struct vcpu *schedule(void)
{
	unsigned int cpu = arch_cpu_id();
	struct sched_cpu *sc = &sched_cpus[cpu];
	struct vcpu *prev = current_vcpu();
	struct vcpu *next, *leaving = NULL, *pulled;
	const struct scheduler *ops;
	uint64_t now, deadline;
	unsigned long irq;

	if (!sc->need_resched && prev && !prev->is_idle &&
	    sched_vcpu_runnable(prev))
		return prev;

	ops = sched_cpu_ops(sc);
	/* One pCPU: no other queue to pull from (bench-sched, -smp 1). */
	if (ops->balance && nr_cpu_ids > 1)
		ops->balance(cpu, prev);
	irq = spin_lock_irqsave(&sc->lock);
	sc->need_resched = false;
	now = arch_now_ns();
	sc->pulled = NULL;
	next = sched_cpu_ops(sc)->pick(sc, prev, now, &deadline);
	pulled = sc->pulled;
	if (!next)
		next = sc->idle;
	if (next != prev) {
		sched_switch(sc, prev, next, now);
		/* Its move waited for it to stop running: finish it below. */
		if (prev && !prev->is_idle &&
		    (prev->pause_flags & VPF_MIGRATING))
			leaving = prev;
	}
	if (!next->is_idle)
		next->slice_end_ns = deadline;
	sched_slice_arm(sc, deadline);
	spin_unlock_irqrestore(&sc->lock, irq);
	/* What followed the pCPU it came from follows it here. */
	if (pulled) {
		timer_migrate(&pulled->poll_timer, cpu);
		arch_vcpu_migrated(pulled);
	}
	if (leaving) {
		arch_vcpu_save_here(leaving);
		sched_migrate_finish(leaving);
	}
	return next;
}

/* The idle vCPU's life: run whatever becomes runnable, else sleep. */
void sched_idle_loop(void)
{
	for (;;) {
		struct vcpu *next;

		arch_irq_disable();
		next = schedule();
		if (!next->is_idle)
			arch_vcpu_enter(next);
		arch_cpu_wait();
	}
}

/* ---- setup -------------------------------------------------------------------- */

/* sched= as Xen's scheduler_init: an unknown name keeps the default. */
void sched_init(const char *name, bool dom0_vcpus_pin)
{
	idle_domain.domain_id = DOMID_IDLE;
	idle_domain.max_vcpus = 0;
	sched_dom0_vcpus_pin = dom0_vcpus_pin;
	sched_ops = sched_by_name(CONFIG_SCHED_DEFAULT);
	if (name && name[0]) {
		if (sched_by_name(name))
			sched_ops = sched_by_name(name);
		else
			printk("Could not find scheduler: %s\n", name);
	}
	cpupool_init0(sched_ops);
	irq_request(SGI_KICK, sgi_kick, NULL);
	printk("Using scheduler: %s (%s)\n", sched_ops->long_name,
	       sched_ops->name);
	sched_params_report();
}

void sched_init_cpu(unsigned int cpu)
{
	struct sched_cpu *sc = &sched_cpus[cpu];
	struct vcpu *idle = xzalloc(sizeof(*idle));

	if (!idle)
		panic("sched: no memory for CPU%u's idle vCPU", cpu);
	spin_lock_init(&sc->lock);
	list_init(&sc->runq);
	sc->nr_queued = 0;
	sc->need_resched = false;
	sc->pool = 0; /* every pCPU starts in Pool-0 */
	sc->cp = cpupool0;
	sc->null_owner = NULL;
	sc->csched_acct_ns = 0;
	timer_init(&sc->slice_timer, sched_slice_end, sc, cpu);
	sc->slice_armed = 0;
	idle->domain = &idle_domain;
	idle->vcpu_id = cpu;
	idle->processor = cpu;
	idle->loaded_cpu = SCHED_NO_CPU;
	idle->is_idle = true;
	idle->is_running = true;
	sc->idle = idle;
	sc->curr = idle;
	arch_set_current(idle);
}

/*
 * Xen's sched_select_initial_cpu for dom0_vcpus_pin: Dom0's vCPU n on the
 * n-th online pCPU of its pool (cycling), SCHED_NO_CPU when it has none.
 */
static unsigned int sched_dom0_pin_cpu(const struct vcpu *v)
{
	unsigned int nr = 0, nth;

	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		nr += sched_cpu_in_pool(v, cpu);
	if (!nr)
		return SCHED_NO_CPU;
	nth = v->vcpu_id % nr;
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		if (sched_cpu_in_pool(v, cpu) && nth-- == 0)
			return cpu;
	return SCHED_NO_CPU;
}

/*
 * Put a new vCPU on a pCPU: round robin over the pCPUs of its pool, or
 * with dom0_vcpus_pin Dom0's vCPUs pinned in turn to its pool's pCPUs
 * (as Xen: vCPU n on the n-th, whatever the pCPUs' numbers).
 */
void sched_add_vcpu(struct vcpu *v)
{
	unsigned int start = next_placement++;
	unsigned int pin = sched_dom0_vcpus_pin && v->domain->domain_id == 0
				   ? sched_dom0_pin_cpu(v)
				   : SCHED_NO_CPU;

	v->processor = 0;
	while (v->processor < nr_cpu_ids && !cpu_is_online(v->processor))
		v->processor++;
	if (pin != SCHED_NO_CPU) {
		v->processor = pin;
		memset(v->cpu_hard_affinity, 0, CPUMAP_BYTES);
		v->cpu_hard_affinity[pin / 8] = 1U << (pin % 8);
	} else {
		for (unsigned int i = 0; i < nr_cpu_ids; i++) {
			unsigned int cpu = (start + i) % nr_cpu_ids;

			if (sched_cpu_allowed(v, cpu)) {
				v->processor = cpu;
				break;
			}
		}
	}
	list_init(&v->runq_node);
	list_init(&v->waitq_node);
	v->waitq_pool = NULL;
	rtds_vcpu_init(v);
	v->loaded_cpu = SCHED_NO_CPU;
	v->credit_epoch = ~0ULL;
	v->runstate.state = RUNSTATE_offline;
	v->runstate.state_entry_time = arch_now_ns();
}

void sched_remove_vcpu(struct vcpu *v)
{
	vcpu_pause_flag_set(v, VPF_DYING);
	null_unwait(v);
	null_forget(v);
}

const char *sched_name(void)
{
	return sched_ops->name;
}

unsigned int sched_id(void)
{
	return sched_ops->sched_id;
}

/* Xen's sched_adjust: the domain's pool's policy, then the command. */
long sched_dom_cntl(struct domain *d, struct xen_domctl_scheduler_op *op)
{
	const struct scheduler *ops = cpupool_sched(d->cpupool_id);

	if (op->sched_id != ops->sched_id)
		return -EINVAL;
	if (op->cmd > XEN_DOMCTL_SCHEDOP_getvcpuinfo)
		return -EINVAL;
	return ops->dom_cntl ? ops->dom_cntl(d, op) : 0;
}

#ifdef CONFIG_DEBUG_KEYS
/* One pCPU's line of the 'r' dump: pool, policy, null owner, queue. */
void sched_dump_cpu(unsigned int cpu)
{
	struct sched_cpu *sc = &sched_cpus[cpu];
	unsigned long flags = spin_lock_irqsave(&sc->lock);
	struct vcpu *v;

	printk("CPU[%02u] pool %d %s", cpu, sc->cp ? (int)sc->cp->id : -1,
	       sched_cpu_ops(sc)->name);
	if (sc->null_owner)
		printk(" given to d%uv%u", sc->null_owner->domain->domain_id,
		       sc->null_owner->vcpu_id);
	printk(" runq:");
	list_for_each_entry(v, &sc->runq, runq_node)
		printk(" d%uv%u", v->domain->domain_id, v->vcpu_id);
	printk("\n");
	spin_unlock_irqrestore(&sc->lock, flags);
}

/* The 'r' debug key, as Xen's dump_runq: the time, then pool by pool. */
void sched_dump_runq(void)
{
	printk("NOW=%llu\n", (unsigned long long)arch_now_ns());
	cpupool_dump();
}
#endif
