/* SPDX-License-Identifier: MIT */
#ifndef ORCHID_PL011_H
#define ORCHID_PL011_H

#include <orchid/types.h>

/* Use the PL011 at @base as Orchid's console (replacing a previous one). */
void pl011_console_init(paddr_t base);

/* Take console input by interrupt (INTID @irq). */
void pl011_enable_rx(unsigned int irq);

#endif
