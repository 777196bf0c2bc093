/* SPDX-License-Identifier: MIT */
/*
 * Hypervisor timers. Each CPU keeps a queue of timers ordered by deadline
 * (first come, first served for equal deadlines) and its hardware timer
 * armed for the earliest one. A timer belongs to one CPU and its function
 * runs there, from timer_process in that CPU's timer interrupt, with no
 * queue lock held: it may set, stop or re-arm any timer, its own included.
 */
#ifndef ORCHID_TIMER_H
#define ORCHID_TIMER_H

#include <orchid/list.h>
#include <orchid/types.h>

typedef void (*timer_fn_t)(void *data);

enum timer_state {
	TIMER_INACTIVE, /* not queued: never set, stopped, or already fired */
	TIMER_QUEUED,	/* waiting in its CPU's queue */
	TIMER_KILLED,	/* timer_kill'ed: timer_set ignores it */
};

/*
 * Fields are private to common/sched/timer.c; they are guarded by the queue lock
 * of the timer's CPU.
 */
struct timer {
	struct list_head node; /* in its CPU's queue while TIMER_QUEUED */
	uint64_t expires;      /* deadline in arch_now_ns() nanoseconds */
	timer_fn_t fn;
	void *data;
	unsigned int cpu;
	enum timer_state state;
};

/* Prepare @t to call @fn(@data) on @cpu; @t must not be queued. */
void timer_init(struct timer *t, timer_fn_t fn, void *data, unsigned int cpu);

/*
 * Arm @t to fire at @expires_ns, moving it if it was already queued. A
 * deadline in the past fires at the next timer_process on the timer's CPU.
 * Callable from any CPU; a killed timer stays unarmed.
 */
void timer_set(struct timer *t, uint64_t expires_ns);

/*
 * Dequeue @t if queued. Its function may still be running on its CPU when
 * this returns; use timer_kill before freeing the timer.
 */
void timer_stop(struct timer *t);

/* True while @t is queued, i.e. set and neither fired nor stopped. */
bool timer_is_active(const struct timer *t);

/* The deadline @t was last set to. */
uint64_t timer_expires(const struct timer *t);

/* Make @t fire on @cpu from now on, keeping its deadline if queued. */
void timer_migrate(struct timer *t, unsigned int cpu);

/*
 * Stop @t for good and wait until its function is not running on any CPU,
 * so the timer can be freed. timer_set ignores it until the next timer_init.
 * Must not be called from @t's own function.
 */
void timer_kill(struct timer *t);

/*
 * Run every expired timer of the calling CPU, then program the CPU's
 * hardware timer for the next deadline (0, disarmed, when none is left).
 * Called from the timer interrupt, and on SGI_KICK: timer_set from another
 * CPU sends SGI_KICK when it moves the target CPU's next deadline earlier.
 */
void timer_process(void);

#endif /* ORCHID_TIMER_H */
