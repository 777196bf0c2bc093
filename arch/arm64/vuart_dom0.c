// SPDX-License-Identifier: MIT
/*
 * Xen 4.17 keeps its console UART to itself but leaves Dom0 a stand-in at
 * the same IPA (xen/arch/arm/vuart.c), so that a Dom0 kernel whose early
 * console is that UART (Linux's earlycon=pl011,0x9000000) can print before
 * it finds the Xen console. Orchid does the same for the PL011: every
 * register reads 0, which for UARTFR means "transmit FIFO not full, not
 * busy"; a byte written to UARTDR goes to Orchid's console, collected
 * into lines (Xen prints them at guest debug level, hidden by default;
 * Orchid shows them like Dom0's console_io output); any other write is
 * ignored. There is no input and no interrupt, as on Xen.
 */
#include <asm/mmio.h>
#include <asm/vuart_dom0.h>
#include <orchid/printk.h>
#include <orchid/spinlock.h>

#define UARTDR	       0x00
#define VUART_LINE_MAX 128

/* One hardware domain, so one line buffer. */
static struct {
	spinlock_t lock;
	unsigned int len;
	char line[VUART_LINE_MAX];
} vuart = {.lock = SPINLOCK_INIT};

static bool vuart_read(struct vcpu *v, uint64_t offset, unsigned int size,
		       uint64_t *val, void *priv)
{
	*val = 0;
	return true;
}

/* Printable ASCII, newline and tab, as Xen's vuart_print_char. */
static bool vuart_char_ok(char c)
{
	return (c >= 0x20 && c < 0x7f) || c == '\n' || c == '\t';
}

static void vuart_put(char c)
{
	spin_lock(&vuart.lock);
	vuart.line[vuart.len++] = c;
	if (c == '\n' || vuart.len == VUART_LINE_MAX - 1) {
		if (c != '\n')
			vuart.line[vuart.len++] = '\n';
		console_write_guest(vuart.line, vuart.len);
		vuart.len = 0;
	}
	spin_unlock(&vuart.lock);
}

static bool vuart_write(struct vcpu *v, uint64_t offset, unsigned int size,
			uint64_t val, void *priv)
{
	char c = (char)(val & 0xff);

	if (offset == UARTDR && vuart_char_ok(c))
		vuart_put(c);
	return true;
}

static const struct mmio_ops vuart_ops = {
	.read = vuart_read,
	.write = vuart_write,
};

int vuart_dom0_init(struct domain *d, uint64_t base, uint64_t size)
{
	return mmio_register(d, base, size, &vuart_ops, NULL);
}
