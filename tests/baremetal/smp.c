// SPDX-License-Identifier: MIT
/*
 * Secondary vCPUs of a test guest. smp_start() hands PSCI CPU_ON the
 * physical address of smp_entry (smp_entry.S; VA == IPA) and, as context
 * ID, the vCPU's struct smp_boot: the boot vCPU's stage 1 registers and
 * the new vCPU's own stack. The vCPU brings up its GIC CPU interface and
 * waits, interrupts on, for work posted with smp_post()/smp_call().
 */
#include "gic.h"
#include "guest.h"

#define STACK_SIZE (16 * 1024)

struct smp_boot {
	uint64_t mair, tcr, ttbr0, sctlr, vbar, sp, cpu;
};

static struct smp_boot boot[MAX_CPUS] __attribute__((aligned(64)));
static char stacks[MAX_CPUS][STACK_SIZE] __attribute__((aligned(16)));

struct smp_work {
	void (*fn)(unsigned long);
	unsigned long arg;
	unsigned long posted, done;
	int online;
};
static volatile struct smp_work work[MAX_CPUS];

void smp_entry(void);
void smp_secondary(unsigned long cpu);

static long psci(unsigned long fid, unsigned long a1, unsigned long a2,
		 unsigned long a3)
{
	return smccc_hvc(fid, a1, a2, a3);
}

#define READ_SYSREG(r)                                                         \
	({                                                                     \
		uint64_t v_;                                                   \
		__asm__ volatile("mrs %0, " #r : "=r"(v_));                    \
		v_;                                                            \
	})

static void boot_fill(unsigned int cpu)
{
	struct smp_boot *b = &boot[cpu];

	b->mair = READ_SYSREG(mair_el1);
	b->tcr = READ_SYSREG(tcr_el1);
	b->ttbr0 = READ_SYSREG(ttbr0_el1);
	b->sctlr = READ_SYSREG(sctlr_el1);
	b->vbar = READ_SYSREG(vbar_el1);
	b->sp = (uintptr_t)stacks[cpu] + STACK_SIZE;
	b->cpu = cpu;
	/* Read with the MMU off: push it to the point of coherency. */
	__asm__ volatile("dc civac, %0; dsb sy" ::"r"(b) : "memory");
}

long smp_cpu_on_raw(uint64_t mpidr)
{
	unsigned int cpu = (unsigned int)(mpidr & 0xff);

	if (cpu >= MAX_CPUS)
		cpu = MAX_CPUS - 1;
	boot_fill(cpu);
	return psci(PSCI_CPU_ON_64, mpidr, (uintptr_t)smp_entry,
		    (uintptr_t)&boot[cpu]);
}

static int wait_flag(volatile int *flag, int want, unsigned int ms)
{
	uint64_t end = timer_now() + timer_ms(ms);

	while (*flag != want) {
		if (timer_now() >= end)
			return -1;
		/* Under QEMU -icount (one thread, round-robin) the new vCPU's
		 * pCPU runs only when this one yields or halts. */
		__asm__ volatile("yield" ::: "memory");
	}
	return 0;
}

int smp_start(unsigned int cpu)
{
	long r;

	if (cpu == 0 || cpu >= MAX_CPUS)
		return -1;
	if (work[cpu].online)
		return 0;
	r = smp_cpu_on_raw(cpu);
	if (r != PSCI_SUCCESS) {
		printf("CPU_ON vCPU %u: %ld\n", cpu, r);
		return -1;
	}
	return wait_flag(&work[cpu].online, 1, 2000);
}

int smp_online(unsigned int cpu)
{
	return cpu < MAX_CPUS && work[cpu].online;
}

void smp_mark_offline(unsigned int cpu)
{
	work[cpu].online = 0;
}

void smp_mark_online(unsigned int cpu)
{
	work[cpu].online = 1;
}

int smp_wait_off(unsigned int cpu)
{
	uint64_t end = timer_now() + timer_ms(2000);

	while (psci(PSCI_AFFINITY_INFO, cpu, 0, 0) != PSCI_AFF_OFF)
		if (timer_now() >= end)
			return -1;
	return 0;
}

void smp_post(unsigned int cpu, void (*fn)(unsigned long), unsigned long arg)
{
	work[cpu].fn = fn;
	work[cpu].arg = arg;
	__asm__ volatile("dmb ish" ::: "memory");
	work[cpu].posted++;
	__asm__ volatile("dsb ish; sev" ::: "memory");
}

int smp_done(unsigned int cpu, unsigned int timeout_ms)
{
	uint64_t end = timer_now() + timer_ms(timeout_ms);

	while (work[cpu].done != work[cpu].posted) {
		if (timer_now() >= end)
			return -1;
		__asm__ volatile("yield" ::: "memory"); /* as in wait_flag */
	}
	__asm__ volatile("dmb ish" ::: "memory");
	return 0;
}

int smp_call(unsigned int cpu, void (*fn)(unsigned long), unsigned long arg,
	     unsigned int timeout_ms)
{
	if (!smp_online(cpu))
		return -1;
	smp_post(cpu, fn, arg);
	return smp_done(cpu, timeout_ms);
}

void smp_secondary(unsigned long cpu)
{
	volatile struct smp_work *w = &work[cpu];

	gic_cpu_init((unsigned int)cpu);
	w->done = w->posted;
	__asm__ volatile("dmb ish" ::: "memory");
	w->online = 1;
	for (;;) {
		irq_on();
		while (w->done == w->posted)
			__asm__ volatile("wfe" ::: "memory");
		irq_off();
		__asm__ volatile("dmb ish" ::: "memory");
		w->fn(w->arg);
		__asm__ volatile("dmb ish" ::: "memory");
		w->done = w->posted;
		__asm__ volatile("dsb ish; sev" ::: "memory");
	}
}
