/* SPDX-License-Identifier: MIT */
/*
 * Entry of a bare-metal test guest, booted as Dom0 or as a DomU: Xen and
 * Orchid (or xl's domain builder) enter an arm64 Linux Image at its first
 * byte at EL1h, x0 = DTB, MMU and caches off, at an address of their
 * choosing (bank start + text_offset; a DomU's RAM base, 0x40000000). So
 * the guest is a PIE linked at 0 that applies its own relocations.
 *
 * Until mmu_enable() (mmu.c, first thing in guest_main) every data access
 * is Device-nGnRnE, hence -mstrict-align and no atomics or DC ZVA here.
 */
#define R_AARCH64_RELATIVE 1027

/* Image header flags: little-endian, 4 KiB pages, load anywhere. */
#define IMAGE_FLAGS ((0 << 0) | (1 << 1) | (1 << 3))
#define STACK_SIZE  (16 * 1024)

	.section .text.head, "ax"
	.globl _start
_start:
	b	entry			/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset from a 2 MiB boundary */
	.quad	_image_size		/* memory footprint, bss included */
	.quad	IMAGE_FLAGS
	.quad	0, 0, 0			/* reserved */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* no PE/COFF header */

entry:
	/*
	 * The virtual counter, which Xen and Orchid start at the domain's
	 * creation, as the guest starts: bench/toolstack.py's row "xl create
	 * to the DomU's first instruction" (mode=first prints it). The
	 * physical counter counts from reset: bench/dom0less_boot.py's
	 * "reset to a boot-time DomU's first instruction".
	 */
	mrs	x21, cntvct_el0
	mrs	x22, cntpct_el0
	msr	daifset, #0xf
	mov	x19, x0			/* DTB */

	/* Relocate: *(base + r_offset) = base + r_addend for RELATIVE. */
	adr	x20, _start
	adrp	x1, __rela_start
	add	x1, x1, :lo12:__rela_start
	adrp	x2, __rela_end
	add	x2, x2, :lo12:__rela_end
1:	cmp	x1, x2
	b.hs	2f
	ldp	x3, x4, [x1], #16	/* r_offset, r_info */
	ldr	x5, [x1], #8		/* r_addend */
	cmp	w4, #R_AARCH64_RELATIVE
	b.ne	1b
	add	x5, x5, x20
	str	x5, [x20, x3]
	b	1b

	/* Neither Xen nor Orchid promises to zero what follows the file. */
2:	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
3:	cmp	x1, x2
	b.hs	4f
	str	xzr, [x1], #8
	b	3b

4:	adrp	x0, stack
	add	x0, x0, :lo12:stack
	add	sp, x0, #STACK_SIZE
	mov	x29, xzr
	mov	x30, xzr

	adrp	x0, vectors
	add	x0, x0, :lo12:vectors
	msr	vbar_el1, x0
	isb

	adrp	x1, entry_cntvct
	str	x21, [x1, :lo12:entry_cntvct]
	adrp	x1, entry_cntpct
	str	x22, [x1, :lo12:entry_cntpct]
	mov	x0, x19
	bl	guest_main		/* powers off; never returns */
5:	wfi
	b	5b

	.data
	.balign	8
	.globl	entry_cntvct
entry_cntvct:
	.quad	0
	.globl	entry_cntpct
entry_cntpct:
	.quad	0

	.bss
	.balign	16
stack:
	.space	STACK_SIZE
