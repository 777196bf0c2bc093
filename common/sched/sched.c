// SPDX-License-Identifier: MIT
/*
 * The scheduler core: per-pCPU run queues, blocking and waking, time
 * slices, the idle loop. The policy (which runnable vCPU next) sits behind
 * struct scheduler; the one built in is round robin with 10 ms slices.
 *
 * vCPUs stay on the pCPU they were placed on. A pCPU's queue, and the
 * pause flags and running state of its vCPUs, are guarded by its lock.
 */
#include <orchid/arch.h>
#include <orchid/domain.h>
#include <orchid/irq.h>
#include <orchid/keyhandler.h>
#include <orchid/mm.h>
#include <orchid/panic.h>
#include <orchid/printk.h>
#include <orchid/sched.h>
#include <orchid/smp.h>
#include <orchid/timer.h>

#define SCHED_SLICE_NS	      10000000ULL /* 10 ms */
#define XEN_SCHEDULER_CREDIT2 6		  /* what `xl info` shows for credit2 */

struct sched_cpu {
	spinlock_t lock;
	struct list_head runq; /* runnable vCPUs, not running */
	struct vcpu *idle;
	struct timer slice_timer;
	volatile bool need_resched;
};

static struct sched_cpu sched_cpus[CONFIG_NR_CPUS];
static struct domain idle_domain;
static unsigned int next_placement;

static struct sched_cpu *sched_cpu_of(const struct vcpu *v)
{
	return &sched_cpus[v->processor];
}

static bool vcpu_runnable(const struct vcpu *v)
{
	return v->pause_flags == 0;
}

/* ---- runstate ---------------------------------------------------------- */

static void runstate_change(struct vcpu *v, int state)
{
	uint64_t now = arch_now_ns();
	struct vcpu_runstate_info *r = &v->runstate;

	if (r->state == state)
		return;
	r->time[r->state] += now - r->state_entry_time;
	r->state = state;
	r->state_entry_time = now;
}

/* ---- round robin ------------------------------------------------------- */

static void rr_insert(struct vcpu *v)
{
	list_add_tail(&v->runq_node, &sched_cpu_of(v)->runq);
}

static void rr_remove(struct vcpu *v)
{
	list_del(&v->runq_node);
}

static struct vcpu *rr_pick(unsigned int cpu, struct vcpu *prev, uint64_t now,
			    uint64_t *slice_ns)
{
	struct sched_cpu *sc = &sched_cpus[cpu];
	bool prev_ok = prev && !prev->is_idle && vcpu_runnable(prev);
	struct vcpu *next;

	*slice_ns = SCHED_SLICE_NS;
	if (list_empty(&sc->runq))
		return prev_ok ? prev : NULL;
	if (prev_ok && now < prev->slice_end_ns)
		return prev;
	next = list_first_entry(&sc->runq, struct vcpu, runq_node);
	list_del(&next->runq_node);
	if (prev_ok)
		list_add_tail(&prev->runq_node, &sc->runq);
	return next;
}

static const struct scheduler sched_rr = {
	.name = "credit2",
	.sched_id = XEN_SCHEDULER_CREDIT2,
	.insert = rr_insert,
	.remove = rr_remove,
	.pick = rr_pick,
};

static const struct scheduler *sched_ops = &sched_rr;

/* ---- raising and kicking ---------------------------------------------- */

void sched_raise(unsigned int cpu)
{
	sched_cpus[cpu].need_resched = true;
	if (cpu != arch_cpu_id())
		irq_send_sgi(cpu, SGI_KICK);
}

bool sched_resched_pending(void)
{
	return sched_cpus[arch_cpu_id()].need_resched;
}

static void sched_slice_end(void *data)
{
	sched_cpus[arch_cpu_id()].need_resched = true;
}

static void sgi_kick(unsigned int irq, void *data)
{
	/* A kick may also mean "your timer queue's head changed". */
	timer_process();
}

/* ---- vCPU state -------------------------------------------------------- */

/* Under the pCPU lock: v's flags changed from @was to its current value. */
static void vcpu_flags_changed(struct vcpu *v, unsigned int was)
{
	bool now_runnable = vcpu_runnable(v);

	/*
	 * As Xen: blocked only while waiting for an event, offline when
	 * paused, down or dying (guests count offline time as stolen).
	 */
	if (!now_runnable)
		runstate_change(v, (v->pause_flags & VPF_BLOCKED)
					   ? RUNSTATE_blocked
					   : RUNSTATE_offline);
	if ((was == 0) == now_runnable)
		return;
	if (now_runnable) {
		runstate_change(v, RUNSTATE_runnable);
		if (!v->is_running)
			sched_ops->insert(v);
	} else if (!v->is_running) {
		sched_ops->remove(v);
	}
	sched_raise(v->processor);
}

void vcpu_pause_flag_set(struct vcpu *v, unsigned int flag)
{
	struct sched_cpu *sc = sched_cpu_of(v);
	unsigned long irq = spin_lock_irqsave(&sc->lock);
	unsigned int was = v->pause_flags;

	v->pause_flags |= flag;
	vcpu_flags_changed(v, was);
	spin_unlock_irqrestore(&sc->lock, irq);
}

void vcpu_pause_flag_clear(struct vcpu *v, unsigned int flag)
{
	struct sched_cpu *sc = sched_cpu_of(v);
	unsigned long irq = spin_lock_irqsave(&sc->lock);
	unsigned int was = v->pause_flags;

	v->pause_flags &= ~flag;
	vcpu_flags_changed(v, was);
	spin_unlock_irqrestore(&sc->lock, irq);
}

void vcpu_wake(struct vcpu *v)
{
	if (v->pause_flags & VPF_BLOCKED)
		vcpu_pause_flag_clear(v, VPF_BLOCKED);
}

void vcpu_block(struct vcpu *v)
{
	vcpu_pause_flag_set(v, VPF_BLOCKED);
	/* An event that raced with blocking must not be slept through. */
	if (arch_vcpu_has_work(v))
		vcpu_wake(v);
}

void vcpu_kick(struct vcpu *v)
{
	if (v->is_running && v->processor != arch_cpu_id())
		irq_send_sgi(v->processor, SGI_KICK);
}

void vcpu_yield(struct vcpu *v)
{
	v->slice_end_ns = 0;
	sched_cpus[v->processor].need_resched = true;
}

/* ---- the decision ------------------------------------------------------ */

struct vcpu *schedule(void)
{
	unsigned int cpu = arch_cpu_id();
	struct sched_cpu *sc = &sched_cpus[cpu];
	struct vcpu *prev = current_vcpu();
	struct vcpu *next;
	uint64_t now, slice;
	unsigned long irq;

	if (!sc->need_resched && prev && !prev->is_idle && vcpu_runnable(prev))
		return prev;

	irq = spin_lock_irqsave(&sc->lock);
	sc->need_resched = false;
	now = arch_now_ns();
	next = sched_ops->pick(cpu, prev, now, &slice);
	if (!next)
		next = sc->idle;
	if (next != prev) {
		if (prev) {
			prev->is_running = false;
			if (!prev->is_idle && vcpu_runnable(prev))
				runstate_change(prev, RUNSTATE_runnable);
		}
		next->is_running = true;
		if (!next->is_idle) {
			runstate_change(next, RUNSTATE_running);
			next->slice_end_ns = now + slice;
		}
	} else if (!next->is_idle && now >= next->slice_end_ns) {
		next->slice_end_ns = now + slice;
	}
	/* Only time-slice when someone is waiting for this pCPU. */
	if (!list_empty(&sc->runq) && !next->is_idle)
		timer_set(&sc->slice_timer, next->slice_end_ns);
	else
		timer_stop(&sc->slice_timer);
	spin_unlock_irqrestore(&sc->lock, irq);
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

/* ---- setup ------------------------------------------------------------- */

void sched_init(void)
{
	idle_domain.domain_id = DOMID_IDLE;
	idle_domain.max_vcpus = 0;
	irq_request(SGI_KICK, sgi_kick, NULL);
	printk("Scheduler: round robin, %llu ms slices (reported as %s)\n",
	       SCHED_SLICE_NS / 1000000, sched_ops->name);
}

void sched_init_cpu(unsigned int cpu)
{
	struct sched_cpu *sc = &sched_cpus[cpu];
	struct vcpu *idle = xzalloc(sizeof(*idle));

	if (!idle)
		panic("sched: no memory for CPU%u's idle vCPU", cpu);
	spin_lock_init(&sc->lock);
	list_init(&sc->runq);
	timer_init(&sc->slice_timer, sched_slice_end, NULL, cpu);
	idle->domain = &idle_domain;
	idle->vcpu_id = cpu;
	idle->processor = cpu;
	idle->is_idle = true;
	idle->is_running = true;
	sc->idle = idle;
	arch_set_current(idle);
}

void sched_add_vcpu(struct vcpu *v)
{
	unsigned int online = cpus_online();

	v->processor = online ? next_placement++ % online : 0;
	while (!cpu_is_online(v->processor))
		v->processor = (v->processor + 1) % nr_cpu_ids;
	list_init(&v->runq_node);
	v->runstate.state = RUNSTATE_offline;
	v->runstate.state_entry_time = arch_now_ns();
}

void sched_remove_vcpu(struct vcpu *v)
{
	vcpu_pause_flag_set(v, VPF_DYING);
}

const char *sched_name(void)
{
	return sched_ops->name;
}

unsigned int sched_id(void)
{
	return sched_ops->sched_id;
}

#ifdef CONFIG_DEBUG_KEYS
/*
 * The 'r' debug key: each pCPU's queue. Kept to the queues themselves so
 * that another policy can keep this function as it is.
 */
void sched_dump_runq(void)
{
	printk("NOW=%llu\n", (unsigned long long)arch_now_ns());
	printk("Scheduler: %s\n", sched_ops->name);
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct sched_cpu *sc = &sched_cpus[cpu];
		unsigned long flags;
		struct vcpu *v;

		if (!cpu_is_online(cpu))
			continue;
		flags = spin_lock_irqsave(&sc->lock);
		printk("CPU[%02u] runq:", cpu);
		list_for_each_entry(v, &sc->runq, runq_node)
			printk(" d%uv%u", v->domain->domain_id, v->vcpu_id);
		printk("\n");
		spin_unlock_irqrestore(&sc->lock, flags);
	}
}
#endif
