/* SPDX-License-Identifier: MIT */
/* The hypervisor console as guests see it: console_io and serial input. */
#ifndef ORCHID_CONSOLE_H
#define ORCHID_CONSOLE_H

#include <orchid/types.h>

/* A character arrived on the serial console (interrupt context). */
void console_rx_char(char c);
/* The highest boot-time domain ID, the last stop of Ctrl-a switching. */
void console_set_max_init_domid(unsigned int domid);
/* The domain serial input goes to, or -1 (Orchid). */
int console_input_domid(void);
/* Boot is over: serial input goes to Dom0, as Xen's console_endboot. */
void console_endboot(void);

#endif
