/* SPDX-License-Identifier: MIT */
/*
 * EL2 exception vectors. Every exception saves a full struct cpu_regs on
 * the current stack and calls C; the C handler decides everything else.
 */
#include <asm/asm.h>
#include <generated/asm-offsets.h>

/*
 * A vector slot holds 32 instructions: it saves x0/x1, puts its number in
 * x1 and branches here to save the rest.
 */
.macro save_rest
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	add	x2, sp, #REGS_SIZE
	stp	x30, x2, [sp, #REGS_X30]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [sp, #REGS_PC]
	mrs	x2, esr_el2
	mrs	x3, far_el2
	stp	x2, x3, [sp, #REGS_ESR]
	mov	x0, sp
.endm

.macro restore_regs
	ldp	x0, x1, [sp, #REGS_PC]
	msr	elr_el2, x0
	msr	spsr_el2, x1
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	ldr	x30, [sp, #REGS_X30]
	add	sp, sp, #REGS_SIZE
.endm

.macro vector num, target
	.balign 128
	sub	sp, sp, #REGS_SIZE
	stp	x0, x1, [sp, #16 * 0]
	mov	x1, #\num
	b	\target
.endm

/*
 * A guest trapped: its registers go straight into its struct vcpu (the
 * pCPU's current vCPU), so the scheduler can later resume any vCPU from
 * its own copy. x0/x1 are parked on the hypervisor stack meanwhile.
 */
.macro guest_vector num
	.balign 128
	stp	x0, x1, [sp, #-16]!
	mov	x1, #\num
	b	guest_exit
.endm

	.section .text.entry, "ax"
	.balign 2048
	.globl exception_vectors
exception_vectors:
	/* Current EL with SP_EL0: Orchid never runs on SP_EL0. */
	vector 0, vec_unexpected
	vector 1, vec_unexpected
	vector 2, vec_unexpected
	vector 3, vec_unexpected
	/* Current EL with SP_EL2: Orchid itself. */
	vector 4, vec_hyp_sync
	vector 5, vec_hyp_irq
	vector 6, vec_unexpected
	vector 7, vec_unexpected
	/* Lower EL, AArch64: guests. */
	guest_vector 8
	guest_vector 9
	guest_vector 10
	guest_vector 11
	/* Lower EL, AArch32: Orchid runs no AArch32 guests. */
	vector 12, vec_unexpected
	vector 13, vec_unexpected
	vector 14, vec_unexpected
	vector 15, vec_unexpected

vec_hyp_sync:
	save_rest
	bl	trap_sync
	b	exception_return

vec_hyp_irq:
	save_rest
	bl	trap_irq
	b	exception_return

/* A vector Orchid never expects: dump everything and halt. */
vec_unexpected:
	save_rest
	bl	trap_unexpected
	b	halt_loop

guest_exit:
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #CPU_DATA_CURRENT]
	add	x0, x0, #VCPU_REGS
	stp	x2, x3, [x0, #16 * 1]
	stp	x4, x5, [x0, #16 * 2]
	stp	x6, x7, [x0, #16 * 3]
	stp	x8, x9, [x0, #16 * 4]
	stp	x10, x11, [x0, #16 * 5]
	stp	x12, x13, [x0, #16 * 6]
	stp	x14, x15, [x0, #16 * 7]
	stp	x16, x17, [x0, #16 * 8]
	stp	x18, x19, [x0, #16 * 9]
	stp	x20, x21, [x0, #16 * 10]
	stp	x22, x23, [x0, #16 * 11]
	stp	x24, x25, [x0, #16 * 12]
	stp	x26, x27, [x0, #16 * 13]
	stp	x28, x29, [x0, #16 * 14]
	str	x30, [x0, #REGS_X30]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0, #16 * 0]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [x0, #REGS_PC]
	mrs	x2, esr_el2
	mrs	x3, far_el2
	stp	x2, x3, [x0, #REGS_ESR]
	mov	x29, xzr		/* backtraces stop at the guest */
	mov	x0, x1
	bl	guest_trap		/* returns the registers to resume */
	b	guest_resume

/*
 * Enter (or return to) a guest: x0 = the struct cpu_regs of the vCPU to
 * run. The hypervisor stack is reset, whatever was on it.
 */
ENTRY guest_resume
	mrs	x1, tpidr_el2
	ldr	x1, [x1, #CPU_DATA_STACK_TOP]
	mov	sp, x1
	ldp	x2, x3, [x0, #REGS_PC]
	msr	elr_el2, x2
	msr	spsr_el2, x3
	ldp	x2, x3, [x0, #16 * 1]
	ldp	x4, x5, [x0, #16 * 2]
	ldp	x6, x7, [x0, #16 * 3]
	ldp	x8, x9, [x0, #16 * 4]
	ldp	x10, x11, [x0, #16 * 5]
	ldp	x12, x13, [x0, #16 * 6]
	ldp	x14, x15, [x0, #16 * 7]
	ldp	x16, x17, [x0, #16 * 8]
	ldp	x18, x19, [x0, #16 * 9]
	ldp	x20, x21, [x0, #16 * 10]
	ldp	x22, x23, [x0, #16 * 11]
	ldp	x24, x25, [x0, #16 * 12]
	ldp	x26, x27, [x0, #16 * 13]
	ldp	x28, x29, [x0, #16 * 14]
	ldr	x30, [x0, #REGS_X30]
	ldp	x0, x1, [x0, #16 * 0]
	eret
	dsb	nsh
	isb
END guest_resume

ENTRY exception_return
	restore_regs
	eret
	dsb	nsh
	isb
END exception_return
