/* SPDX-License-Identifier: MIT */
/*
 * vCPU scheduling. One policy is built in now (round robin with time
 * slices); the interface is shaped for credit2, RTDS and null: a policy
 * only chooses, the core does the switching.
 */
#ifndef ORCHID_SCHED_H
#define ORCHID_SCHED_H

#include <orchid/types.h>

struct domain;
struct vcpu;

struct scheduler {
	const char *name;      /* as xl shows it: "credit2", "rtds", "null" */
	unsigned int sched_id; /* XEN_SCHEDULER_* */
	void (*insert)(struct vcpu *v); /* v became runnable */
	void (*remove)(struct vcpu *v); /* v stopped being runnable */
	/* Pick the next vCPU for @cpu, NULL for idle; @prev is running. */
	struct vcpu *(*pick)(unsigned int cpu, struct vcpu *prev, uint64_t now,
			     uint64_t *slice_ns);
};

void sched_init(void);
/* Create @cpu's idle vCPU; each pCPU calls it for itself. */
void sched_init_cpu(unsigned int cpu);

/* Put a new vCPU on a pCPU (round robin over online pCPUs). */
void sched_add_vcpu(struct vcpu *v);
void sched_remove_vcpu(struct vcpu *v);

/* Set/clear a pause flag (VPF_*); the vCPU runs when none is set. */
void vcpu_pause_flag_set(struct vcpu *v, unsigned int flag);
void vcpu_pause_flag_clear(struct vcpu *v, unsigned int flag);
/* Block the current vCPU unless @wake_check says it has work. */
void vcpu_block(struct vcpu *v);
/* Make a blocked vCPU runnable (no-op otherwise). */
void vcpu_wake(struct vcpu *v);
/* Make sure @v notices new interrupts soon: IPI its pCPU if needed. */
void vcpu_kick(struct vcpu *v);
/* Give up the rest of the slice. */
void vcpu_yield(struct vcpu *v);

/* SCHEDOP_poll (common/sched/sched_op.c). */
#define VCPU_POLL_ANY UINT32_MAX
/* Prepare and end @v's poll state (vCPU creation, destruction). */
void sched_poll_init(struct vcpu *v);
void sched_poll_destroy(struct vcpu *v);
/*
 * @port of @d just became pending: wake the vCPUs polling it (masked or
 * not, as Xen's evtchn_check_pollers). Cheap when nobody polls.
 */
void sched_poll_notify(struct domain *d, uint32_t port);

/* Decide what this pCPU runs next; called on every exit path. */
struct vcpu *schedule(void);
/* Ask this pCPU to reschedule at its next exit. */
void sched_raise(unsigned int cpu);
/* Has this pCPU been asked to reschedule (sched_raise, a slice's end)? */
bool sched_resched_pending(void);
/* Run vCPUs on this pCPU forever (boot CPUs end here). */
void sched_idle_loop(void) __noreturn;
/* The policy's name and Xen scheduler id, for sysctl. */
const char *sched_name(void);
unsigned int sched_id(void);

#endif /* ORCHID_SCHED_H */
