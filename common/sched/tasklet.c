// SPDX-License-Identifier: MIT
/*
 * Tasklets (orchid/tasklet.h): one list per pCPU under an irqsave lock;
 * each runs with the lock dropped, so it may queue itself or others.
 */
#include <orchid/arch.h>
#include <orchid/spinlock.h>
#include <orchid/tasklet.h>

struct tasklet_queue {
	spinlock_t lock;
	struct list_head list;
};

bool tasklet_queued_on[CONFIG_NR_CPUS];

static struct tasklet_queue queues[CONFIG_NR_CPUS] = {
	[0 ... CONFIG_NR_CPUS - 1] = {.lock = SPINLOCK_INIT},
};

void tasklet_init(struct tasklet *t, void (*fn)(void *data), void *data,
		  unsigned int cpu)
{
	list_init(&t->node);
	t->fn = fn;
	t->data = data;
	t->cpu = cpu;
	t->queued = false;
}

static struct list_head *queue_list(struct tasklet_queue *q)
{
	/* Zero-initialised: made a list on first use. */
	if (!q->list.next)
		list_init(&q->list);
	return &q->list;
}

void tasklet_schedule(struct tasklet *t)
{
	struct tasklet_queue *q = &queues[t->cpu];
	unsigned long flags = spin_lock_irqsave(&q->lock);

	if (!t->queued) {
		t->queued = true;
		list_add_tail(&t->node, queue_list(q));
		__atomic_store_n(&tasklet_queued_on[t->cpu], true,
				 __ATOMIC_RELEASE);
	}
	spin_unlock_irqrestore(&q->lock, flags);
	/* Its pCPU passes a run point at its next trap or idle turn. */
}

bool tasklet_pending(void)
{
	return tasklet_pending_on(arch_cpu_id());
}

void tasklet_run_pending(void)
{
	unsigned int cpu = arch_cpu_id();
	struct tasklet_queue *q = &queues[cpu];

	for (;;) {
		unsigned long flags = spin_lock_irqsave(&q->lock);
		struct list_head *l = queue_list(q);
		struct tasklet *t;

		if (list_empty(l)) {
			__atomic_store_n(&tasklet_queued_on[cpu], false,
					 __ATOMIC_RELEASE);
			spin_unlock_irqrestore(&q->lock, flags);
			return;
		}
		t = list_entry(l->next, struct tasklet, node);
		list_del(&t->node);
		t->queued = false;
		spin_unlock_irqrestore(&q->lock, flags);
		t->fn(t->data);
	}
}
