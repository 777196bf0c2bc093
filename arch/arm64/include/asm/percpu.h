/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU data. TPIDR_EL2 holds the running CPU's struct cpu_data, so
 * finding it costs one register read on every path, trap paths included.
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#ifndef __ASSEMBLY__
#include <asm/sysreg.h>
#include <orchid/types.h>

struct vcpu;

struct cpu_data {
	unsigned int id; /* logical index */
	uint64_t mpidr;
	uintptr_t stack_top; /* top of this CPU's hypervisor stack */
	volatile bool online;
	struct vcpu *current; /* what this pCPU runs: a guest vCPU or idle */
	struct vcpu *loaded;  /* the guest vCPU whose state is in hardware */
	struct vcpu *idle;    /* this pCPU's idle vCPU */
};

extern struct cpu_data cpu_data[CONFIG_NR_CPUS];

static inline struct cpu_data *this_cpu(void)
{
	return (struct cpu_data *)READ_SYSREG(tpidr_el2);
}
#endif

#define CPU_STACK_SHIFT 14 /* 16 KiB per CPU */
#define CPU_STACK_SIZE	(1 << CPU_STACK_SHIFT)

#endif /* ASM_PERCPU_H */
