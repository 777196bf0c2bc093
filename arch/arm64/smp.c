// SPDX-License-Identifier: MIT
/* Bringing the secondary CPUs up with PSCI CPU_ON. */
#include <asm/cpu.h>
#include <asm/gic.h>
#include <asm/percpu.h>
#include <asm/psci.h>
#include <asm/smp_boot.h>
#include <asm/sysreg.h>
#include <asm/time.h>
#include <orchid/arch.h>
#include <orchid/printk.h>
#include <orchid/sched.h>
#include <orchid/setup.h>
#include <orchid/smp.h>

#define CPU_ON_TIMEOUT_NS 2000000000ULL /* 2 s: QEMU's TCG is slow */

uint64_t cpu_mpidr[CONFIG_NR_CPUS];
unsigned int nr_cpu_ids = 1;

extern char secondary_entry[];

/*
 * Logical CPU 0 is the CPU that booted; the others follow in device-tree
 * order, so CPU numbers match Xen's on the same board.
 */
void smp_init_cpu_map(const struct bootinfo *bi)
{
	uint64_t self = READ_SYSREG(mpidr_el1) & 0xff00ffffffUL;
	unsigned int n = 1;

	cpu_mpidr[0] = self;
	for (unsigned int i = 0; i < bi->nr_cpus && n < CONFIG_NR_CPUS; i++) {
		if (bi->cpu_mpidr[i] == self)
			continue;
		cpu_mpidr[n++] = bi->cpu_mpidr[i];
	}
	nr_cpu_ids = n;
	if (bi->nr_cpus_found > CONFIG_NR_CPUS)
		pr_warn("SMP: %u CPUs in the device tree, CONFIG_NR_CPUS is "
			"%d: the rest stay off\n",
			bi->nr_cpus_found, CONFIG_NR_CPUS);
}

bool cpu_is_online(unsigned int cpu)
{
	return cpu < nr_cpu_ids && cpu_data[cpu].online;
}

unsigned int cpus_online(void)
{
	unsigned int n = 0;

	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		n += cpu_is_online(cpu);
	return n;
}

static bool wait_online(unsigned int cpu)
{
	uint64_t deadline = arch_now_ns() + CPU_ON_TIMEOUT_NS;

	while (!cpu_data[cpu].online) {
		if (arch_now_ns() > deadline)
			return false;
		arch_cpu_relax();
	}
	return true;
}

void smp_boot_secondaries(void)
{
	paddr_t entry = arch_va_to_pa(secondary_entry);

	for (unsigned int cpu = 1; cpu < nr_cpu_ids; cpu++) {
		int ret = psci_cpu_on(cpu_mpidr[cpu], entry, cpu);

		if (ret != PSCI_SUCCESS) {
			pr_err("CPU%u (MPIDR %#lx): PSCI CPU_ON failed (%d)\n",
			       cpu, cpu_mpidr[cpu], ret);
			continue;
		}
		if (!wait_online(cpu))
			pr_err("CPU%u (MPIDR %#lx) did not come online\n", cpu,
			       cpu_mpidr[cpu]);
	}
}

/* C entry of a secondary CPU, MMU on, on its own stack. */
void secondary_start(unsigned int cpu)
{
	cpu_init_this(cpu);
	gic_cpu_init();
	time_cpu_init();
	guest_support_init_cpu(cpu);
	printk("CPU%u online (MPIDR %#lx)\n", cpu, cpu_data[cpu].mpidr);
	dsb_ish();
	cpu_data[cpu].online = true;
	arch_irq_enable();
	sched_idle_loop();
}
