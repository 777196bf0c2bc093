// SPDX-License-Identifier: MIT
/*
 * Structure offsets for assembly. Compiled to assembly only; the markers it
 * leaves are turned into asm-offsets.h by tools/gen-asm-offsets.sh.
 */
#include <asm/percpu.h>
#include <asm/regs.h>
#include <orchid/domain.h>

#define DEFINE(sym, val)                                                       \
	__asm__ volatile("\n.ascii \"->" #sym " %0\"" : : "i"(val))
#define OFFSET(sym, type, member) DEFINE(sym, offsetof(type, member))

void asm_offsets(void);

void asm_offsets(void)
{
	DEFINE(REGS_SIZE, sizeof(struct cpu_regs));
	OFFSET(REGS_X0, struct cpu_regs, x[0]);
	OFFSET(REGS_X30, struct cpu_regs, x[30]);
	OFFSET(REGS_SP, struct cpu_regs, sp);
	OFFSET(REGS_PC, struct cpu_regs, pc);
	OFFSET(REGS_PSTATE, struct cpu_regs, pstate);
	OFFSET(REGS_ESR, struct cpu_regs, esr);
	OFFSET(REGS_FAR, struct cpu_regs, far);
	DEFINE(CPU_DATA_SIZE, sizeof(struct cpu_data));
	OFFSET(CPU_DATA_CURRENT, struct cpu_data, current);
	OFFSET(CPU_DATA_STACK_TOP, struct cpu_data, stack_top);
	OFFSET(VCPU_REGS, struct vcpu, arch.regs);
	OFFSET(VCPU_FP, struct vcpu, arch.fp);
}
