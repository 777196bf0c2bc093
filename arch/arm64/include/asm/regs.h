/* SPDX-License-Identifier: MIT */
#ifndef ASM_REGS_H
#define ASM_REGS_H

#include <orchid/types.h>

/* Registers saved on every exception taken to EL2 (see entry.S). */
struct cpu_regs {
	uint64_t x[31];
	uint64_t sp;
	uint64_t pc;	 /* ELR_EL2 */
	uint64_t pstate; /* SPSR_EL2 */
	uint64_t esr;	 /* ESR_EL2 */
	uint64_t far;	 /* FAR_EL2 */
};

/* Which vector an exception came through, for reports. */
enum trap_vector {
	VEC_SYNC_SP0,
	VEC_IRQ_SP0,
	VEC_FIQ_SP0,
	VEC_SERROR_SP0,
	VEC_SYNC_SPX,
	VEC_IRQ_SPX,
	VEC_FIQ_SPX,
	VEC_SERROR_SPX,
	VEC_SYNC_A64,
	VEC_IRQ_A64,
	VEC_FIQ_A64,
	VEC_SERROR_A64,
	VEC_SYNC_A32,
	VEC_IRQ_A32,
	VEC_FIQ_A32,
	VEC_SERROR_A32,
};

void show_registers(const struct cpu_regs *regs);
/* Frame-pointer backtrace from @fp, first printing @pc if non-zero. */
void show_backtrace(uint64_t pc, uint64_t fp);

/* C side of entry.S. */
void trap_sync(struct cpu_regs *regs);
void trap_irq(struct cpu_regs *regs);
void trap_unexpected(struct cpu_regs *regs, unsigned long vector);

#endif /* ASM_REGS_H */
