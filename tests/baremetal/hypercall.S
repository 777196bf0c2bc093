/* SPDX-License-Identifier: MIT */
/*
 * Xen hypercalls on Arm: HVC #0xEA1, the number in x16, up to five
 * arguments in x0-x4, the result in x0. Xen may clobber x1-x4 and x16.
 *
 *   long hypercall(unsigned long nr, unsigned long a0, ..., a4);
 *   void hvc_bad_imm(void);        HVC with an immediate no one defines
 */
	.text
	.globl	hypercall
hypercall:
	mov	x16, x0
	mov	x0, x1
	mov	x1, x2
	mov	x2, x3
	mov	x3, x4
	mov	x4, x5
	hvc	#0xEA1
	ret

	/*
	 * An UNDEF's ELR is the HVC itself; the trap handler resumes 4 bytes
	 * after ELR, so the nop keeps this right even if a hypervisor gave
	 * the address after the HVC (the test reports which).
	 */
	.globl	hvc_bad_imm, hvc_bad_imm_insn
hvc_bad_imm:
hvc_bad_imm_insn:
	hvc	#0x1234
	nop
	ret

	/* One load the test expects to fault; ELR is moved past it. */
	.globl	probe_load
probe_load:
	mov	x1, x0
	mov	x0, #0
	ldr	x0, [x1]
	ret

	/*
	 * SMCCC through HVC #0 or SMC #0: function ID in w0, arguments in
	 * x1-x3, result in x0 (SMCCC 1.1 may clobber x0-x17).
	 *   long smccc_hvc(unsigned long fid, a1, a2, a3);
	 */
	.globl	smccc_hvc, smccc_smc
smccc_hvc:
	hvc	#0
	ret
smccc_smc:
	smc	#0
	ret
