/* SPDX-License-Identifier: MIT */
/*
 * EL1 exception vectors of a test guest. Only a synchronous exception
 * taken from EL1 itself (SP_ELx) is expected: it saves x0-x30 and ELR,
 * calls trap_sync(), which records ESR/FAR and may move ELR past the
 * faulting instruction, and returns to the (possibly moved) ELR. An IRQ
 * taken from EL1 (SP_ELx) goes to irq_handle() (gic.c) with the same
 * frame plus SPSR, which a nested synchronous exception would overwrite.
 * Anything else ends the test with an ERROR line (trap_unexpected).
 */
#define FRAME_SIZE (32 * 8)

/* The caller-saved registers both frames start with. */
.macro	save_x0_x17
	stp	x0, x1, [sp, #16 * 0]
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
.endm

.macro	restore_x0_x17
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
.endm

.macro	slot handler
	.balign	0x80
	b	\handler
.endm

.macro	unexpected kind
	.balign	0x80
	mov	x0, #\kind
	mrs	x1, esr_el1
	mrs	x2, far_el1
	mrs	x3, elr_el1
	b	trap_unexpected
.endm

	.bss
	.balign	8
	.globl	irq_entry_ticks
irq_entry_ticks:
	.quad	0

	.text
	.balign	0x800
	.globl	vectors
vectors:
	unexpected 0		/* current EL, SP_EL0: sync */
	unexpected 1		/* IRQ */
	unexpected 2		/* FIQ */
	unexpected 3		/* SError */
	slot	sync_spx	/* current EL, SP_ELx: sync */
	slot	irq_spx		/* current EL, SP_ELx: IRQ (gic.c) */
	unexpected 6
	unexpected 7
	unexpected 8		/* lower EL, AArch64 */
	unexpected 9
	unexpected 10
	unexpected 11
	unexpected 12		/* lower EL, AArch32 */
	unexpected 13
	unexpected 14
	unexpected 15

sync_spx:
	sub	sp, sp, #FRAME_SIZE
	save_x0_x17
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	mrs	x0, elr_el1
	stp	x30, x0, [sp, #16 * 15]
	mov	x0, sp
	bl	trap_sync
	ldp	x30, x0, [sp, #16 * 15]
	msr	elr_el1, x0
	restore_x0_x17
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	add	sp, sp, #FRAME_SIZE
	eret

irq_spx:
	sub	sp, sp, #FRAME_SIZE + 16
	save_x0_x17
	/* When the IRQ arrived, for mode=bench's latency rows (bench.c). */
	mrs	x0, cntvct_el0
	adrp	x1, irq_entry_ticks
	str	x0, [x1, :lo12:irq_entry_ticks]
	stp	x18, x29, [sp, #16 * 9]
	mrs	x0, elr_el1
	mrs	x1, spsr_el1
	stp	x30, x0, [sp, #16 * 10]
	str	x1, [sp, #16 * 11]
	bl	irq_handle
	ldr	x1, [sp, #16 * 11]
	ldp	x30, x0, [sp, #16 * 10]
	msr	spsr_el1, x1
	msr	elr_el1, x0
	restore_x0_x17
	ldp	x18, x29, [sp, #16 * 9]
	add	sp, sp, #FRAME_SIZE + 16
	eret
