/* SPDX-License-Identifier: MIT */
/*
 * Where a secondary vCPU starts after PSCI CPU_ON (smp.c): at EL1, MMU
 * and caches off, x0 = the context ID, which is the address of its
 * struct smp_boot. smp.c cleaned that to the point of coherency, so it
 * reads right with the MMU off. The vCPU takes the boot vCPU's stage 1
 * (the same tables, VA == IPA), its own stack, and calls smp_secondary().
 *
 *   struct smp_boot { mair, tcr, ttbr0, sctlr, vbar, sp, cpu };
 *
 * Two MMIO probes for the vGIC sweeps, like probe_load (hypercall.S):
 * the access is the instruction a test expects may fault, and its
 * destination is zeroed first so a skipped load reads 0.
 */
	.text
	.globl	smp_entry
smp_entry:
	msr	daifset, #0xf
	ldp	x1, x2, [x0, #0]	/* mair, tcr */
	ldp	x3, x4, [x0, #16]	/* ttbr0, sctlr */
	ldp	x5, x6, [x0, #32]	/* vbar, sp */
	ldr	x7, [x0, #48]		/* cpu */
	msr	mair_el1, x1
	msr	tcr_el1, x2
	msr	ttbr0_el1, x3
	msr	vbar_el1, x5
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	msr	sctlr_el1, x4
	isb
	mov	sp, x6
	msr	tpidr_el1, x7
	mov	x29, xzr
	mov	x30, xzr
	mov	x0, x7
	bl	smp_secondary		/* never returns */
1:	wfi
	b	1b

	/* uint32_t mmio_probe_read32(uint64_t addr) */
	.globl	mmio_probe_read32
mmio_probe_read32:
	mov	x1, x0
	mov	x0, #0
	ldr	w0, [x1]
	ret

	/* uint64_t mmio_probe_read64(uint64_t addr) */
	.globl	mmio_probe_read64
mmio_probe_read64:
	mov	x1, x0
	mov	x0, #0
	ldr	x0, [x1]
	ret

	/* void mmio_probe_write32(uint64_t addr, uint32_t val) */
	.globl	mmio_probe_write32
mmio_probe_write32:
	str	w1, [x0]
	ret

	/* void mmio_probe_write64(uint64_t addr, uint64_t val) */
	.globl	mmio_probe_write64
mmio_probe_write64:
	str	x1, [x0]
	ret
