// SPDX-License-Identifier: MIT
/* Per-CPU state and the small CPU services of include/orchid/arch.h. */
#include <asm/cpu.h>
#include <asm/gic.h>
#include <asm/percpu.h>
#include <asm/psci.h>
#include <asm/sysreg.h>
#include <orchid/arch.h>
#include <orchid/irq.h>

struct cpu_data cpu_data[CONFIG_NR_CPUS];
/* Hypervisor stacks; head.S picks CPU n's from its index. */
uint8_t cpu_stacks[CONFIG_NR_CPUS][CPU_STACK_SIZE] __aligned(PAGE_SIZE);

static volatile bool system_halting;

unsigned int arch_cpu_id(void)
{
	return this_cpu()->id;
}

unsigned long arch_irq_save(void)
{
	unsigned long flags = READ_SYSREG(daif);

	__asm__ volatile("msr daifset, #2" : : : "memory");
	return flags;
}

void arch_irq_restore(unsigned long flags)
{
	WRITE_SYSREG(daif, flags);
}

void arch_irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" : : : "memory");
}

void arch_irq_disable(void)
{
	__asm__ volatile("msr daifset, #2" : : : "memory");
}

/*
 * ISR_EL1 read at EL2 shows the physical IRQ line as the GIC drives it,
 * whatever PSTATE.I says: an SGI (cross-call, kick), the EL2 timer or a
 * device interrupt that this CPU will take once it unmasks.
 */
#define ISR_EL1_I (1UL << 7)

bool arch_irq_pending(void)
{
	return READ_SYSREG(isr_el1) & ISR_EL1_I;
}

void arch_cpu_relax(void)
{
	__asm__ volatile("yield" : : : "memory");
}

/*
 * Make the calling CPU the one described by cpu_data[@id], and set up the
 * EL2 controls Orchid runs with: physical IRQs, FIQs and SErrors are taken
 * to EL2 (HCR_EL2.IMO/FMO/AMO), lower ELs are AArch64.
 */
void cpu_init_this(unsigned int id)
{
	struct cpu_data *cpu = &cpu_data[id];

	cpu->id = id;
	cpu->mpidr = READ_SYSREG(mpidr_el1) & 0xff00ffffffUL;
	cpu->stack_top = (uintptr_t)cpu_stacks[id] + CPU_STACK_SIZE;
	WRITE_SYSREG(tpidr_el2, (uintptr_t)cpu);
	WRITE_SYSREG(hcr_el2, HCR_RW | HCR_IMO | HCR_FMO | HCR_AMO);
	isb();
}

static void __noreturn cpu_stop_here(void)
{
	arch_irq_disable();
	this_cpu()->online = false;
	for (;;)
		wfi();
}

static void sgi_stop(unsigned int irq, void *data)
{
	cpu_stop_here();
}

void cpu_stop_init(void)
{
	irq_request(SGI_STOP, sgi_stop, NULL);
}

void arch_system_off(void)
{
	psci_system_off();
}

void arch_system_reset(void)
{
	psci_system_reset();
}

void arch_halt_system(void)
{
	arch_irq_disable();
	if (!system_halting && gic_version() != 0) {
		system_halting = true;
		irq_send_sgi_allbutself(SGI_STOP);
	}
	cpu_stop_here();
}
