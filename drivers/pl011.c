// SPDX-License-Identifier: MIT
/*
 * Arm PL011 UART as Orchid's console: polled output. The firmware (QEMU, or
 * U-Boot on hardware) has already set the baud rate; Orchid keeps it.
 */
#include <asm/io.h>
#include <orchid/console.h>
#include <orchid/irq.h>
#include <orchid/mm.h>
#include <orchid/pl011.h>
#include <orchid/printk.h>

#define UARTDR	 0x00
#define UARTFR	 0x18
#define UARTCR	 0x30
#define UARTIMSC 0x38
#define UARTMIS	 0x40
#define UARTICR	 0x44

#define FR_RXFE	  (1U << 4)
#define FR_TXFF	  (1U << 5)
#define INT_RX	  (1U << 4)
#define INT_RT	  (1U << 6)
#define FR_BUSY	  (1U << 3)
#define CR_UARTEN (1U << 0)
#define CR_TXE	  (1U << 8)
#define CR_RXE	  (1U << 9)

static volatile uint8_t *pl011_base;

static void pl011_putc(char c)
{
	while (readl_relaxed(pl011_base + UARTFR) & FR_TXFF)
		;
	writel_relaxed((uint8_t)c, pl011_base + UARTDR);
}

static void pl011_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			pl011_putc('\r');
		pl011_putc(s[i]);
	}
}

static struct console pl011_console = {.write = pl011_write};

void pl011_console_init(paddr_t base)
{
	volatile uint8_t *regs = ioremap(base, 0x1000);

	/* Interrupts stay masked: output is polled, input comes later. */
	writel(0, regs + UARTIMSC);
	writel(CR_UARTEN | CR_TXE | CR_RXE, regs + UARTCR);
	if (pl011_base) {
		pl011_base = regs;
		return;
	}
	pl011_base = regs;
	console_register(&pl011_console);
}

/*
 * Drain the receive FIFO into the console input queue. The interrupt is
 * cleared first: a character landing after the drain raises it again,
 * while clearing after the drain could swallow that character's interrupt.
 */
static void pl011_rx_irq(unsigned int irq, void *data)
{
	writel(INT_RX | INT_RT, pl011_base + UARTICR);
	while (!(readl_relaxed(pl011_base + UARTFR) & FR_RXFE))
		console_rx_char(
			(char)(readl_relaxed(pl011_base + UARTDR) & 0xff));
}

void pl011_enable_rx(unsigned int irq)
{
	if (!pl011_base || irq_request(irq, pl011_rx_irq, NULL))
		return;
	writel(INT_RX | INT_RT, pl011_base + UARTIMSC);
	irq_enable(irq);
}
