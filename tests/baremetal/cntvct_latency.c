// SPDX-License-Identifier: MIT
/*
 * `mode=cntvct latency=1` (test_cntvct.c, then this): how late vCPU 0's
 * virtual timer interrupt comes (CNTVCT in its handler - CVAL; 50 periods
 * of 4 ms, Linux's HZ=250 tick), first with the other vCPUs idle, then
 * with them spinning on their pCPUs for `busy=` ms (default 400); and,
 * with `spin0=MS`, vCPU 0 spinning too first. Each spinner reports the
 * longest gap between two of its CNTVCT reads (time its CPU did not run),
 * and vCPU 0 its runstate times meanwhile (unchanged: the hypervisor never
 * descheduled it). `poll=1`: vCPU 0 polls its masked timer instead, so
 * its lateness is QEMU's alone. `nohop=1` skips test_cntvct.c's pCPU hops
 * (which sched=null cannot do). A measurement for bench notes (the
 * dom0less Linux DomUs' uptime under -icount -smp 3), not a check.
 */
#include "gic.h"
#include "guest.h"
#include "xen.h"

static uint64_t vct(void)
{
	return timer_now();
}

static volatile uint64_t fired_at;

static unsigned int this_vcpu(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(v));
	return (unsigned int)(v & 0xff);
}

static void tick_irq(unsigned int cpu, unsigned int intid)
{
	fired_at = vct();
	timer_virt_stop();
}

static volatile uint64_t busy_gap[MAX_CPUS], busy_gap_at[MAX_CPUS];

/* Spin @ms; note the longest gap between two reads (not running). */
static void busy(unsigned long ms)
{
	unsigned int cpu = this_vcpu();
	uint64_t last = vct(), end = last + timer_ms(ms), gap = 0, at = 0;

	while (last < end) {
		uint64_t now = vct();

		if (now - last > gap) {
			gap = now - last;
			at = last;
		}
		last = now;
	}
	busy_gap[cpu] = gap;
	busy_gap_at[cpu] = at;
}

/*
 * One tick @cval: the CNTVCT its handler read (or, @poll, the first read
 * at or past @cval with the timer armed but masked: no interrupt, so no
 * hypervisor on the way, only QEMU's scheduling of this CPU). *@spins:
 * loop turns before it came (0: this CPU did not run meanwhile).
 */
static uint64_t one_tick(uint64_t cval, int poll, uint64_t *spins)
{
	uint64_t now;

	*spins = 0;
	if (poll) {
		__asm__ volatile("msr cntv_cval_el0, %0" ::"r"(cval));
		__asm__ volatile("msr cntv_ctl_el0, %0; isb" ::"r"(3ul));
		while ((now = vct()) < cval)
			(*spins)++;
		timer_virt_stop();
		return now;
	}
	fired_at = 0;
	timer_virt_arm(cval);
	irq_on();
	while (!fired_at)
		(*spins)++;
	irq_off();
	return fired_at;
}

static void tick_latency(const char *others)
{
	uint64_t sum = 0, max = 0, us = timer_ms(1) / 1000;
	int poll = bootarg_ulong("poll", 0) == 1;

	for (int i = 0; i < 50; i++) {
		uint64_t cval = vct() + timer_ms(4), spins;
		uint64_t late = one_tick(cval, poll, &spins) - cval;

		if (late > timer_ms(1))
			printf("cntvct: tick %d late %lu us, %lu spins\n", i,
			       (unsigned long)(late / us),
			       (unsigned long)spins);
		sum += late;
		max = late > max ? late : max;
	}
	printf("cntvct: timer %s latency, others %s: mean %lu us, max %lu us "
	       "(50 x 4 ms)\n",
	       poll ? "poll" : "interrupt", others,
	       (unsigned long)(sum / 50 / us), (unsigned long)(max / us));
}

struct runstate {
	int32_t state;
	uint64_t entry;
	uint64_t time[4]; /* running, runnable, blocked, offline: ns */
};

static void runstate_get(struct runstate *r)
{
	HC3(__HYPERVISOR_vcpu_op, 4 /* VCPUOP_get_runstate_info */, 0, r);
}

void cntvct_latency_probe(unsigned int nr)
{
	static struct runstate r0, r1;
	uint64_t t0, us = timer_ms(1) / 1000;

	gic_irq_hook(IRQ_VTIMER, tick_irq);
	gic_irq_enable(0, IRQ_VTIMER, 1);
	tick_latency("idle");
	for (unsigned int cpu = 1; cpu < nr; cpu++)
		smp_post(cpu, busy, bootarg_ulong("busy", 400));
	t0 = vct();
	runstate_get(&r0);
	if (bootarg_ulong("spin0", 0)) {
		busy(bootarg_ulong("spin0", 0));
		printf("cntvct: vCPU 0 spinning: longest stall %lu us, from "
		       "%lu "
		       "us\n",
		       (unsigned long)(busy_gap[0] / us),
		       (unsigned long)((busy_gap_at[0] - t0) / us));
	}
	tick_latency("busy");
	runstate_get(&r1);
	printf("cntvct: vCPU 0 meanwhile: running %lu us, runnable %lu us, "
	       "blocked %lu us\n",
	       (unsigned long)((r1.time[0] - r0.time[0]) / 1000),
	       (unsigned long)((r1.time[1] - r0.time[1]) / 1000),
	       (unsigned long)((r1.time[2] - r0.time[2]) / 1000));
	for (unsigned int cpu = 1; cpu < nr; cpu++) {
		smp_done(cpu, 4000);
		printf("cntvct: busy vCPU %u: longest stall %lu us, from %lu "
		       "us "
		       "after the posting\n",
		       cpu, (unsigned long)(busy_gap[cpu] / us),
		       (unsigned long)((busy_gap_at[cpu] - t0) / us));
	}
}
