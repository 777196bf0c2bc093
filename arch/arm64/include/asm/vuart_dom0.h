/* SPDX-License-Identifier: MIT */
/* Dom0's view of Orchid's console UART (arch/arm64/vuart_dom0.c). */
#ifndef ASM_VUART_DOM0_H
#define ASM_VUART_DOM0_H

#include <orchid/types.h>

struct domain;

/*
 * Emulate, for the hardware domain @d, the PL011 Orchid keeps as its
 * console at [@base, @base + @size): what Xen 4.17 gives Dom0 there for
 * its early printk. 0, or mmio_register's error.
 */
int vuart_dom0_init(struct domain *d, uint64_t base, uint64_t size);

#endif /* ASM_VUART_DOM0_H */
