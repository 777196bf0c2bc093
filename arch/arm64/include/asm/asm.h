/* SPDX-License-Identifier: MIT */
#ifndef ASM_ASM_H
#define ASM_ASM_H

#ifdef __ASSEMBLY__
/* Assembler macros, not C: */
/* clang-format off */
/* PC-relative address of a symbol anywhere in the image (+/- 4 GiB). */
.macro adr_l, reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm

.macro ENTRY name
	.globl \name
	.type \name, %function
	.balign 4
\name:
.endm

.macro END name
	.size \name, . - \name
.endm
/* clang-format on */
#endif

#endif /* ASM_ASM_H */
