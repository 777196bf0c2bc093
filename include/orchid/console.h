/* SPDX-License-Identifier: MIT */
/* The hypervisor console as guests see it: console_io and serial input. */
#ifndef ORCHID_CONSOLE_H
#define ORCHID_CONSOLE_H

#include <orchid/types.h>

/* A character arrived on the serial console (interrupt context). */
void console_rx_char(char c);

#endif
