/* SPDX-License-Identifier: MIT */
/*
 * A stand-in boot loader for tests of bad boot environments: QEMU boots
 * this as the arm64 Image and it jumps to Orchid (loaded raw elsewhere)
 * with x0 = SHIM_DTB, which may point at a broken device tree, or be 0.
 */
	.text
	.globl _start
_start:
	b	1f
	.long	0
	.quad	0		/* text_offset */
	.quad	0x1000		/* image_size */
	.quad	0xa		/* LE, 4 KiB, anywhere */
	.quad	0, 0, 0
	.ascii	"ARM\x64"
	.long	0
1:	ldr	x0, =SHIM_DTB
	ldr	x1, =SHIM_TARGET
	br	x1
	.ltorg
