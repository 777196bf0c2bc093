/* SPDX-License-Identifier: MIT */
/*
 * Tasklets: work that must not run in interrupt context (it allocates or
 * frees memory, whose locks a context with interrupts on may hold), run
 * instead on its pCPU at a point where that pCPU holds no lock: the end of
 * a guest trap, or the idle loop. A timer function queues one (Xen's
 * tasklets, run from its softirq on the way back to the guest).
 */
#ifndef ORCHID_TASKLET_H
#define ORCHID_TASKLET_H

#include <orchid/list.h>
#include <orchid/types.h>

struct tasklet {
	struct list_head node; /* in its pCPU's list while queued */
	void (*fn)(void *data);
	void *data;
	unsigned int cpu;
	bool queued;
};

void tasklet_init(struct tasklet *t, void (*fn)(void *data), void *data,
		  unsigned int cpu);
/* Queue @t on its pCPU (from any context); queued once until it runs. */
void tasklet_schedule(struct tasklet *t);
/* Something queued on this pCPU (one load: the guest trap path's test). */
bool tasklet_pending(void);
/* Per pCPU: its list is not empty. Read without the lock. */
extern bool tasklet_queued_on[CONFIG_NR_CPUS];

/*
 * tasklet_pending() for pCPU @cpu, inline: the trap path knows its id
 * and tests this on every trap (a call was ~12 of every bench-micro row).
 */
static inline bool tasklet_pending_on(unsigned int cpu)
{
	return __atomic_load_n(&tasklet_queued_on[cpu], __ATOMIC_ACQUIRE);
}
/* Run what is queued on this pCPU; interrupts masked, no lock held. */
void tasklet_run_pending(void);

#endif
