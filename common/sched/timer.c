/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU timer queues.
 *
 * A queue is a list sorted by deadline; a new timer goes after every timer
 * with the same or an earlier deadline, which keeps equal deadlines in the
 * order they were set. Hypervisor timers are few per CPU (a handful per
 * vCPU), so the insertion walk, done from the back where later deadlines
 * cluster, is cheaper than maintaining a heap.
 *
 * A timer's CPU can change (timer_migrate), so locking a timer means locking
 * the queue its cpu field names, then checking the field did not change
 * meanwhile: the field is only written with both queues locked.
 */
#include <orchid/arch.h>
#include <orchid/irq.h>
#include <orchid/list.h>
#include <orchid/panic.h>
#include <orchid/spinlock.h>
#include <orchid/timer.h>

struct timer_queue {
	spinlock_t lock;
	/* Guarded by @lock. */
	bool ready;		 /* @timers initialised */
	bool processing;	 /* timer_process will reprogram when done */
	struct list_head timers; /* sorted by expires, FIFO among equals */
	/*
	 * The timer whose function runs now. Written under @lock, read by
	 * timer_kill without it.
	 */
	struct timer *running;
};

/* Proof that the caller holds the queue lock of @cpu. */
struct timer_queue_locked {
	struct timer_queue *q;
	unsigned int cpu;
	unsigned long flags;
};

static struct timer_queue timer_queues[CONFIG_NR_CPUS] = {
	[0 ... CONFIG_NR_CPUS - 1] = {.lock = SPINLOCK_INIT},
};

/* The list heads are set up on first use so no boot-time call is needed. */
static struct timer_queue_locked timer_queue_lock(unsigned int cpu)
{
	struct timer_queue_locked ql = {&timer_queues[cpu], cpu, 0};

	ql.flags = spin_lock_irqsave(&ql.q->lock);
	if (ql.q->ready)
		return ql;
	list_init(&ql.q->timers);
	ql.q->ready = true;
	return ql;
}

static void timer_queue_unlock(struct timer_queue_locked ql)
{
	spin_unlock_irqrestore(&ql.q->lock, ql.flags);
}

static unsigned int timer_cpu(const struct timer *t)
{
	return __atomic_load_n(&t->cpu, __ATOMIC_RELAXED);
}

/* Lock the queue @t is on, following it if it migrates meanwhile. */
static struct timer_queue_locked timer_lock(const struct timer *t)
{
	for (;;) {
		unsigned int cpu = timer_cpu(t);
		struct timer_queue_locked ql = timer_queue_lock(cpu);

		if (timer_cpu(t) == cpu)
			return ql;
		timer_queue_unlock(ql);
	}
}

/* Lock two different queues, lower CPU first so that no two CPUs deadlock. */
static void timer_queue_lock_pair(unsigned int a, unsigned int b,
				  struct timer_queue_locked *qa,
				  struct timer_queue_locked *qb)
{
	if (a < b) {
		*qa = timer_queue_lock(a);
		*qb = timer_queue_lock(b);
	} else {
		*qb = timer_queue_lock(b);
		*qa = timer_queue_lock(a);
	}
}

static void timer_queue_unlock_pair(struct timer_queue_locked qa,
				    struct timer_queue_locked qb)
{
	if (qa.cpu < qb.cpu) {
		timer_queue_unlock(qb);
		timer_queue_unlock(qa);
	} else {
		timer_queue_unlock(qa);
		timer_queue_unlock(qb);
	}
}

/*
 * The queue's next deadline, or 0 when it is empty. A deadline of 0 is
 * reported as 1 because arch_timer_program(0) means "disarm".
 */
static uint64_t timer_queue_deadline(struct timer_queue_locked ql)
{
	struct timer *first =
		list_first_entry_or_null(&ql.q->timers, struct timer, node);

	if (!first)
		return 0;
	return max_u64(first->expires, 1);
}

/*
 * The queue's next deadline may have moved from @before: follow it. The
 * calling CPU reprograms its own timer, unless timer_process is about to.
 * Another CPU is kicked only when its deadline got earlier: a timer
 * interrupt that comes too early finds nothing due and reprograms.
 */
static void timer_queue_update(struct timer_queue_locked ql, uint64_t before)
{
	uint64_t after = timer_queue_deadline(ql);

	if (after == before)
		return;
	if (ql.cpu == arch_cpu_id()) {
		if (!ql.q->processing)
			arch_timer_program(after);
		return;
	}
	if (after != 0 && (before == 0 || after < before))
		irq_send_sgi(ql.cpu, SGI_KICK);
}

/* Insert @t after every queued timer due no later than it. */
static void timer_enqueue(struct timer_queue_locked ql, struct timer *t)
{
	struct list_head *pos = ql.q->timers.prev;

	while (pos != &ql.q->timers &&
	       list_entry(pos, struct timer, node)->expires > t->expires)
		pos = pos->prev;
	list_add(&t->node, pos);
	t->state = TIMER_QUEUED;
}

static void timer_dequeue(struct timer *t)
{
	if (t->state != TIMER_QUEUED)
		return;
	list_del(&t->node);
	t->state = TIMER_INACTIVE;
}

void timer_init(struct timer *t, timer_fn_t fn, void *data, unsigned int cpu)
{
	BUG_ON(cpu >= CONFIG_NR_CPUS);
	BUG_ON(!fn);
	list_init(&t->node);
	t->expires = 0;
	t->fn = fn;
	t->data = data;
	t->cpu = cpu;
	t->state = TIMER_INACTIVE;
}

void timer_set(struct timer *t, uint64_t expires_ns)
{
	struct timer_queue_locked ql = timer_lock(t);
	uint64_t before = timer_queue_deadline(ql);

	if (t->state != TIMER_KILLED) {
		timer_dequeue(t);
		t->expires = expires_ns;
		timer_enqueue(ql, t);
		timer_queue_update(ql, before);
	}
	timer_queue_unlock(ql);
}

void timer_stop(struct timer *t)
{
	struct timer_queue_locked ql;
	uint64_t before;

	/*
	 * Not queued: nothing to do, without the lock. A racing timer_set
	 * elsewhere is ordered after this stop, as it would be with the lock.
	 * vtimer_restore stops an idle stand-in at every switch (bench-sched's
	 * event ping-pong rows: ~100 a hop).
	 */
	if (__atomic_load_n(&t->state, __ATOMIC_ACQUIRE) != TIMER_QUEUED)
		return;
	ql = timer_lock(t);
	before = timer_queue_deadline(ql);

	timer_dequeue(t);
	timer_queue_update(ql, before);
	timer_queue_unlock(ql);
}

bool timer_is_active(const struct timer *t)
{
	struct timer_queue_locked ql = timer_lock(t);
	bool active = t->state == TIMER_QUEUED;

	timer_queue_unlock(ql);
	return active;
}

uint64_t timer_expires(const struct timer *t)
{
	struct timer_queue_locked ql = timer_lock(t);
	uint64_t expires = t->expires;

	timer_queue_unlock(ql);
	return expires;
}

void timer_migrate(struct timer *t, unsigned int cpu)
{
	struct timer_queue_locked from, to;
	uint64_t from_before, to_before;
	bool queued;

	BUG_ON(cpu >= CONFIG_NR_CPUS);
	for (;;) {
		unsigned int old = timer_cpu(t);

		if (old == cpu)
			return;
		timer_queue_lock_pair(old, cpu, &from, &to);
		if (timer_cpu(t) == old)
			break;
		timer_queue_unlock_pair(from, to);
	}

	from_before = timer_queue_deadline(from);
	to_before = timer_queue_deadline(to);
	queued = t->state == TIMER_QUEUED;
	timer_dequeue(t);
	__atomic_store_n(&t->cpu, cpu, __ATOMIC_RELAXED);
	if (queued)
		timer_enqueue(to, t);
	timer_queue_update(from, from_before);
	timer_queue_update(to, to_before);
	timer_queue_unlock_pair(from, to);
}

static struct timer *timer_running_on(unsigned int cpu)
{
	return __atomic_load_n(&timer_queues[cpu].running, __ATOMIC_ACQUIRE);
}

void timer_kill(struct timer *t)
{
	struct timer_queue_locked ql = timer_lock(t);
	uint64_t before = timer_queue_deadline(ql);
	unsigned int cpu;

	timer_dequeue(t);
	t->state = TIMER_KILLED;
	timer_queue_update(ql, before);
	timer_queue_unlock(ql);

	/* Waiting for ourselves would never end. */
	if (timer_running_on(arch_cpu_id()) == t)
		panic("timer_kill: timer %p killed from its own function",
		      (void *)t);
	/* Its function may have been started before the kill; let it end. */
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		while (timer_running_on(cpu) == t)
			arch_cpu_relax();
	}
}

/*
 * Time is sampled once, so a function that re-arms its timer at or before
 * that moment runs again in this pass, but one re-armed for later cannot
 * keep this loop spinning.
 */
void timer_process(void)
{
	unsigned int cpu = arch_cpu_id();
	struct timer_queue_locked ql = timer_queue_lock(cpu);
	uint64_t now = arch_now_ns();
	struct timer *t;

	ql.q->processing = true;
	for (;;) {
		t = list_first_entry_or_null(&ql.q->timers, struct timer, node);
		if (!t || t->expires > now)
			break;
		timer_dequeue(t);
		__atomic_store_n(&ql.q->running, t, __ATOMIC_RELAXED);
		timer_queue_unlock(ql);

		/* The function may re-arm @t: @t is not touched after it. */
		t->fn(t->data);

		ql = timer_queue_lock(cpu);
		__atomic_store_n(&ql.q->running, NULL, __ATOMIC_RELEASE);
	}
	ql.q->processing = false;
	arch_timer_program(timer_queue_deadline(ql));
	timer_queue_unlock(ql);
}

#ifdef HOST_TEST
/* Forget every queued timer and unlock every queue, for unit tests. */
void timer_reset(void);
void timer_reset(void)
{
	unsigned int cpu;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		timer_queues[cpu] = (struct timer_queue){.lock = SPINLOCK_INIT};
}
#endif
