// SPDX-License-Identifier: MIT
/*
 * The console of a dom0less DomU (`mode=dom0less`): the SBSA UART Xen
 * 4.17 gives a domain whose node says "vpl011", at GUEST_PL011_BASE
 * (0x22000000, in the first GiB, which mmu.c maps as Device memory), or
 * for a direct-mapped DomU at the host UART's address: where the DTB's
 * sbsa-uart node says.
 * Polled: transmit waits while the FIFO is full, receive while empty.
 */
#include "gic.h"
#include "guest.h"

#define VPL011_BASE 0x22000000ul
#define UARTDR	    0x00
#define UARTFR	    0x18
#define FR_RXFE	    (1u << 4)
#define FR_TXFF	    (1u << 5)

static int vpl011_on;
static unsigned long vpl011_base = VPL011_BASE;

static volatile uint32_t *vpl011_reg(unsigned long off)
{
	return (volatile uint32_t *)(vpl011_base + off);
}

void vpl011_enable(const void *dtb)
{
	gic_dt_find(dtb);
	if (dt_layout.sbsa_uart)
		vpl011_base = (unsigned long)dt_layout.sbsa_uart;
	vpl011_on = 1;
}

int vpl011_ready(void)
{
	return vpl011_on;
}

void vpl011_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		while (*vpl011_reg(UARTFR) & FR_TXFF)
			;
		*vpl011_reg(UARTDR) = (uint8_t)s[i];
	}
}

char vpl011_getc(void)
{
	while (*vpl011_reg(UARTFR) & FR_RXFE)
		__asm__ volatile("yield");
	return (char)(*vpl011_reg(UARTDR) & 0xff);
}
