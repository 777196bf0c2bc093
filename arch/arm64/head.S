/* SPDX-License-Identifier: MIT */
/*
 * Entry from the boot loader, as an arm64 Linux "Image" (QEMU -kernel,
 * U-Boot booti): x0 = DTB physical address, MMU off, at EL2.
 * Also the PSCI CPU_ON entry point of the secondary CPUs.
 */
#include <asm/asm.h>
#include <asm/percpu.h>
#include <asm/sysreg.h>

#define R_AARCH64_RELATIVE 1027
#define CURRENT_EL_EL2 (2 << 2)

/* Image header flags: little-endian, 4 KiB pages, load anywhere. */
#define IMAGE_FLAGS ((0 << 0) | (1 << 1) | (1 << 3))

	.section .text.head, "ax"
	.globl _start_header
_start_header:
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset from a 2 MiB boundary */
	.quad	_image_size		/* memory footprint, bss included */
	.quad	IMAGE_FLAGS
	.quad	0, 0, 0			/* reserved */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* no PE/COFF header */

ENTRY primary_entry
	msr	daifset, #0xf
	mov	x19, x0			/* DTB */
	mrs	x1, CurrentEL
	cmp	x1, #CURRENT_EL_EL2
	b.ne	wrong_el
	bl	el2_reset_controls

	adr_l	x20, _start		/* where we were loaded */
	bl	apply_relocations
	bl	zero_bss

	/* CPU 0's stack */
	adr_l	x0, cpu_stacks
	mov	x1, #CPU_STACK_SIZE
	add	sp, x0, x1
	mov	x29, xzr
	mov	x30, xzr

	bl	mmu_early_init		/* C, MMU off: build the boot tables */
	adr_l	x0, _start
	adr_l	x1, _end
	bl	dcache_inval_range	/* drop stale lines of what we wrote */
	bl	mmu_prepare_cpu
	bl	mmu_turn_on

	adr_l	x0, exception_vectors
	msr	vbar_el2, x0
	isb
	mov	x0, x19
	bl	start_orchid		/* never returns */
	b	halt_loop
END primary_entry

/*
 * PSCI CPU_ON lands here with x0 = context_id = the logical CPU index, MMU
 * off. Nothing written by CPU 0 with caches on may be read before the MMU
 * is on: only registers and PC-relative addresses are used until then.
 */
ENTRY secondary_entry
	msr	daifset, #0xf
	mov	x19, x0
	mrs	x1, CurrentEL
	cmp	x1, #CURRENT_EL_EL2
	b.ne	halt_loop
	bl	el2_reset_controls

	adr_l	x0, cpu_stacks
	add	x1, x19, #1
	lsl	x1, x1, #CPU_STACK_SHIFT
	add	sp, x0, x1
	mov	x29, xzr
	mov	x30, xzr

	bl	mmu_prepare_cpu
	bl	mmu_turn_on
	adr_l	x0, exception_vectors
	msr	vbar_el2, x0
	isb
	mov	x0, x19
	bl	secondary_start		/* never returns */
	b	halt_loop
END secondary_entry

/*
 * Known EL2 controls before anything else: HCR_EL2 (E2H and TGE clear, so
 * this is the non-VHE EL2 regime Orchid is written for), MMU off.
 */
ENTRY el2_reset_controls
	mov	x0, #HCR_RW
	msr	hcr_el2, x0
	ldr	x0, =SCTLR_EL2_RES1
	msr	sctlr_el2, x0
	isb
	ret
END el2_reset_controls

/* Patch every absolute pointer in the image by the load address (x20). */
ENTRY apply_relocations
	adr_l	x1, __rela_start
	adr_l	x2, __rela_end
1:	cmp	x1, x2
	b.hs	3f
	ldp	x3, x4, [x1], #16	/* r_offset, r_info */
	ldr	x5, [x1], #8		/* r_addend */
	cbz	w4, 1b			/* R_AARCH64_NONE: nothing to do */
	cmp	w4, #R_AARCH64_RELATIVE
	b.ne	2f
	add	x5, x5, x20
	str	x5, [x20, x3]
	b	1b
2:	b	halt_loop		/* the link left a relocation we can't do */
3:	ret
END apply_relocations

ENTRY zero_bss
	adr_l	x1, __bss_start
	adr_l	x2, __bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:	ret
END zero_bss

/* x0 = start, x1 = end: invalidate the data cache lines to PoC. */
ENTRY dcache_inval_range
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4		/* DminLine: log2(words) */
	mov	x2, #4
	lsl	x2, x2, x3		/* line size in bytes */
	sub	x3, x2, #1
	bic	x0, x0, x3
1:	cmp	x0, x1
	b.hs	2f
	dc	ivac, x0
	add	x0, x0, x2
	b	1b
2:	dsb	sy
	ret
END dcache_inval_range

/*
 * Turn on the MMU and caches with the registers mmu_prepare_cpu set.
 * SCTLR_EL2 is written whole: its reset value is UNKNOWN, and its RES1
 * bits (EIS/EOS among them) must be set for exceptions to synchronise.
 */
ENTRY mmu_turn_on
	tlbi	alle2
	dsb	nsh
	isb
	ldr	x0, =(SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_I | SCTLR_WXN)
	msr	sctlr_el2, x0
	isb
	ic	iallu
	dsb	nsh
	isb
	ret
END mmu_turn_on

/*
 * Entered at EL1 (a boot loader that dropped us there): Orchid cannot run.
 * Say so on the early UART, if there is one, and stop.
 */
wrong_el:
#ifdef CONFIG_EARLY_PRINTK
	ldr	x1, =CONFIG_EARLY_UART_BASE
	adr_l	x2, wrong_el_msg
1:	ldrb	w3, [x2], #1
	cbz	w3, halt_loop
2:	ldr	w4, [x1, #0x18]		/* UARTFR */
	tbnz	w4, #5, 2b		/* TXFF */
	str	w3, [x1]		/* UARTDR */
	b	1b
#endif
ENTRY halt_loop
	msr	daifset, #0xf
1:	wfi
	b	1b
END halt_loop

	.section .rodata
wrong_el_msg:
	.asciz	"Orchid: entered at EL1, but a hypervisor must be entered at EL2.\r\nBoot with -machine virt,virtualization=on (QEMU) or from EL2 firmware. Halting.\r\n"
