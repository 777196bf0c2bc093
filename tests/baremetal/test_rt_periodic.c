// SPDX-License-Identifier: MIT
/*
 * A periodic real-time task and the CPU hog it must withstand (issue 10's
 * RTDS check), as boot-time DomUs sharing one pCPU of an RTDS cpupool.
 *
 * `mode=rt-periodic period_ms=P work_us=W periods=N`: N times, sleep in
 * WFI until the next period start (the virtual timer), measure how late
 * the wake-up came with the virtual counter, then compute W us of CPU
 * time. A job that ends after the next period's start missed its
 * deadline. Prints
 * "RT-PERIODIC periods=N misses=M max_late_us=L ..." and the check
 * lines; with `max_late_ms=B` the latest wake-up must also be within B.
 * `period_us=` and `max_late_us=` give them in microseconds instead, for
 * the interrupt-latency cases (a hypervisor's work on the task's pCPU
 * delays its timer interrupt: dom0less-build-latency). The line also
 * gives max_held_us, the longest the hypervisor itself held the task's
 * pCPU: a wake-up's lateness (when it went to sleep in time) or a job's
 * time beyond its work, less the time it waited runnable meanwhile (its
 * runstate: another vCPU had the pCPU, the scheduler's choice).
 * `max_held_us=B` bounds it, `max_misses=M` allows M misses (those the
 * other vCPUs caused).
 *
 * `mode=hog`: spin forever, printing "HOG: beat n" each second of
 * virtual time, so a run shows it had the pCPU meanwhile.
 */
#include "gic.h"
#include "guest.h"
#include "xen.h"

/* Its runstate area: how long it ran, waited runnable, slept. */
static volatile struct {
	int32_t state;
	uint64_t state_entry_time;
	uint64_t time[4];
} rt_runstate __attribute__((aligned(64)));

static void rt_timer_quiet(unsigned int cpu, unsigned int intid)
{
	(void)cpu;
	(void)intid;
	timer_virt_stop();
}

/* Sleep until the virtual counter reaches @when (WFI, timer masked). */
static void rt_sleep_until(uint64_t when)
{
	irq_off();
	timer_virt_arm(when);
	while (timer_now() < when)
		__asm__ volatile("dsb sy; wfi" ::: "memory");
	irq_on(); /* the handler quiets the timer */
}

/* The work: @n reads of the counter (rt_rate's loop, without its test). */
static void rt_compute(uint64_t n)
{
	while (n--)
		(void)timer_now();
}

/*
 * How many loops of rt_compute make @ticks of uninterrupted work: the
 * best of 20 tries of a tenth of it (a try that lost the pCPU meanwhile
 * counts fewer), so the work is CPU time, not time on the clock.
 */
static uint64_t rt_rate(uint64_t ticks)
{
	uint64_t best = 0;

	for (int i = 0; i < 20; i++) {
		uint64_t n = 0, end = timer_now() + ticks / 10;

		while (timer_now() < end)
			n++;
		if (n > best)
			best = n;
	}
	return best * 10;
}

/*
 * @periods times: sleep until the next period start, note how late the
 * wake-up came, run @work ticks of CPU work. A job that ends after the
 * next period starts (its deadline) is a miss. Prints the lateness and
 * response line; returns the misses, the latest wake-up in *@max_late
 * (ticks).
 */
/* Its runstate's time runnable so far, in counter ticks (0 unregistered). */
static uint64_t rt_runnable_ticks(void)
{
	return rt_runstate.time[1] * (timer_freq() / 1000) / 1000000;
}

/* The longest the hypervisor held its pCPU (rt_held), in ticks. */
static uint64_t rt_max_held;

/* @took ticks of which @waited runnable and @own its own: note the rest. */
static void rt_held(uint64_t took, uint64_t waited, uint64_t own)
{
	if (took > waited + own && took - waited - own > rt_max_held)
		rt_max_held = took - waited - own;
}

unsigned long rt_periodic_run(uint64_t period, uint64_t work,
			      unsigned long periods, uint64_t *max_late)
{
	unsigned long misses = 0, over_1ms = 0, over_5ms = 0;
	uint64_t loops = rt_rate(work), max_resp = 0;
	uint64_t next = timer_now() + period;

	gic_irq_hook(IRQ_VTIMER, rt_timer_quiet);
	gic_irq_enable(0, IRQ_VTIMER, 1);
	*max_late = 0;
	rt_max_held = 0;
	for (unsigned long i = 0; i < periods; i++, next += period) {
		uint64_t late, resp, wake, runnable = rt_runnable_ticks();
		int in_time = timer_now() < next;

		rt_sleep_until(next);
		wake = timer_now();
		late = wake - next;
		if (in_time)
			rt_held(late, rt_runnable_ticks() - runnable, 0);
		runnable = rt_runnable_ticks();
		if (late > *max_late)
			*max_late = late;
		over_1ms += late > timer_ms(1);
		over_5ms += late > timer_ms(5);
		rt_compute(loops);
		rt_held(timer_now() - wake, rt_runnable_ticks() - runnable,
			work);
		resp = timer_now() - next;
		if (resp > max_resp)
			max_resp = resp;
		misses += resp > period;
	}
	printf("RT-PERIODIC periods=%lu misses=%lu max_late_us=%lu "
	       "late_over_1ms=%lu late_over_5ms=%lu max_response_us=%lu "
	       "max_held_us=%lu\n",
	       periods, misses,
	       (unsigned long)(*max_late * 1000000 / timer_freq()), over_1ms,
	       over_5ms, (unsigned long)(max_resp * 1000000 / timer_freq()),
	       (unsigned long)(rt_max_held * 1000000 / timer_freq()));
	return misses;
}

/* @name_us if given, else @name_ms (default @ms), in microseconds. */
static uint64_t rt_arg_us(const char *name_us, const char *name_ms,
			  unsigned long ms)
{
	unsigned long us = bootarg_ulong(name_us, 0);

	return us ? us : 1000ULL * bootarg_ulong(name_ms, ms);
}

void rt_periodic_main(void)
{
	uint64_t period_us = rt_arg_us("period_us", "period_ms", 10);
	uint64_t max_late_us = rt_arg_us("max_late_us", "max_late_ms", 0);
	uint64_t max_held_us = bootarg_ulong("max_held_us", 0);
	uint64_t work = timer_freq() / 1000000 * bootarg_ulong("work_us", 1000);
	unsigned long periods = bootarg_ulong("periods", 200), misses;
	uint64_t max_late;
	uint64_t area = (uint64_t)(unsigned long)&rt_runstate;

	HC3(__HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 0,
	    &area);
	printf("RT-PERIODIC start period_us=%lu\n", (unsigned long)period_us);
	misses = rt_periodic_run(timer_freq() / 1000000 * period_us, work,
				 periods, &max_late);
	irq_off();
	/* Where its time went (ms): running, runnable (waiting), blocked. */
	printf("RT-PERIODIC running_ms=%lu runnable_ms=%lu blocked_ms=%lu\n",
	       (unsigned long)(rt_runstate.time[0] / 1000000),
	       (unsigned long)(rt_runstate.time[1] / 1000000),
	       (unsigned long)(rt_runstate.time[2] / 1000000));
	check_true("rt-deadline-misses",
		   misses <= bootarg_ulong("max_misses", 0),
		   "(misses vs max_misses, default 0)");
	if (max_late_us)
		check_true("rt-lateness-bound",
			   max_late <= timer_freq() / 1000000 * max_late_us,
			   "(latest wake-up vs max_late_us/ms)");
	if (max_held_us)
		check_true(
			"rt-held-bound",
			rt_max_held <= timer_freq() / 1000000 * max_held_us,
			"(latest wake-up less runnable time vs max_held_us)");
	test_result();
}

void hog_main(void)
{
	uint64_t second = timer_ms(1000), next = timer_now() + second;

	printf("HOG: spinning\n");
	for (unsigned long beat = 1;; beat++, next += second) {
		while (timer_now() < next)
			;
		printf("HOG: beat %lu\n", beat);
	}
}
