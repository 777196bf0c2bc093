// SPDX-License-Identifier: MIT
/*
 * A boot-time check of the machinery every later feature depends on: each
 * online CPU must run a cross-CPU call and take its own timer interrupt.
 */
#include <orchid/arch.h>
#include <orchid/printk.h>
#include <orchid/selftest.h>
#include <orchid/smp.h>
#include <orchid/timer.h>

#define CHECK_TIMEOUT_NS 2000000000ULL
/* Any delay proves the timer path; each microsecond of it is spent
 * spinning before the first guest runs (bench/results/dom0less-boot.md). */
#define CHECK_TIMER_DELAY_NS 20000ULL

static volatile unsigned int calls_seen[CONFIG_NR_CPUS];
static volatile unsigned int timers_seen[CONFIG_NR_CPUS];
static struct timer check_timers[CONFIG_NR_CPUS];

static void check_timer_fired(void *data)
{
	unsigned int cpu = (unsigned int)(uintptr_t)data;

	timers_seen[cpu] = arch_cpu_id() == cpu;
}

static void check_call(void *data)
{
	unsigned int cpu = arch_cpu_id();

	calls_seen[cpu] = 1;
	timer_set(&check_timers[cpu], arch_now_ns() + CHECK_TIMER_DELAY_NS);
}

static unsigned int count_seen(volatile unsigned int *seen)
{
	unsigned int n = 0;

	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		n += seen[cpu];
	return n;
}

void boot_check_smp(void)
{
	unsigned int online = cpus_online();
	uint64_t deadline;

	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		if (!cpu_is_online(cpu))
			continue;
		timer_init(&check_timers[cpu], check_timer_fired,
			   (void *)(uintptr_t)cpu, cpu);
		smp_call_function_single(cpu, check_call, NULL);
	}
	deadline = arch_now_ns() + CHECK_TIMEOUT_NS;
	while (count_seen(timers_seen) < online && arch_now_ns() < deadline)
		arch_cpu_relax();
	printk("SMP: %u of %u CPUs answered cross-CPU calls, %u took their "
	       "timer interrupt\n",
	       count_seen(calls_seen), online, count_seen(timers_seen));
	if (count_seen(timers_seen) < online)
		pr_err("SMP: some CPUs' timers did not fire\n");
}
