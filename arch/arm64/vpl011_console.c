// SPDX-License-Identifier: MIT
/*
 * The vpl011 backend in Orchid itself (Xen's vpl011_xen_backend), for a
 * dom0less DomU whose node says "vpl011": what the guest writes goes to
 * Orchid's console at once, so "out" is always empty; what the physical
 * UART receives while Ctrl-a switched input to the domain waits in a
 * 32-byte "in" FIFO (the SBSA UART's) until the guest reads it.
 */
#include <asm/vpl011.h>
#include <orchid/arch.h>
#include <orchid/console.h>
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/mm.h>
#include <orchid/printk.h>

#include "vpl011_backend.h"

#define VPL011_RX_SIZE	32 /* a power of two */
#define VPL011_LINE_MAX 128

struct vpl011_console {
	uint32_t rx_head, rx_tail; /* free-running */
	char rx[VPL011_RX_SIZE];
	unsigned int len;
	char line[VPL011_LINE_MAX + 2]; /* + '\n' + NUL */
};

static uint32_t vpl011_console_rx_used(const struct vpl011_console *c)
{
	return c->rx_head - c->rx_tail;
}

static void vpl011_console_levels(void *be, struct vpl011_levels *l)
{
	const struct vpl011_console *c = be;

	l->in = vpl011_console_rx_used(c);
	l->in_size = VPL011_RX_SIZE;
	l->out = 0;
	l->out_size = VPL011_RX_SIZE;
}

/*
 * As Xen 4.17 prints a DomU's vpl011 (vpl011_write_data_xen): while serial
 * input is switched to the domain, each byte at once, as it comes (a
 * prompt shows before its line ends); otherwise whole lines, each tagged
 * "DOM<id>: " so that domains printing together never mix in a line.
 * Both go through printk, with Orchid's own "(XEN) " line prefix.
 */
static bool vpl011_console_put(struct domain *d, void *be, uint8_t ch)
{
	struct vpl011_console *c = be;

	c->line[c->len++] = (char)ch;
	if (console_input_domid() == (int)d->domain_id) {
		if (c->len == 1) {
			printk("%c", ch);
		} else {
			if (ch != '\n')
				c->line[c->len++] = '\n';
			c->line[c->len] = '\0';
			printk("%s", c->line);
		}
		c->len = 0;
		return true;
	}
	if (ch != '\n' && c->len < VPL011_LINE_MAX)
		return true;
	if (ch != '\n')
		c->line[c->len++] = '\n';
	c->line[c->len] = '\0';
	printk("DOM%u: %s", d->domain_id, c->line);
	c->len = 0;
	return true;
}

static bool vpl011_console_get(void *be, uint8_t *ch)
{
	struct vpl011_console *c = be;

	if (!vpl011_console_rx_used(c))
		return false;
	*ch = (uint8_t)c->rx[c->rx_tail++ % VPL011_RX_SIZE];
	return true;
}

static void vpl011_console_destroy(struct domain *d, void *be)
{
	(void)d;
	xfree(be);
}

static const struct vpl011_backend_ops vpl011_console_ops = {
	.levels = vpl011_console_levels,
	.put = vpl011_console_put,
	.get = vpl011_console_get,
	.destroy = vpl011_console_destroy,
};

/* A full FIFO drops the byte, as a real UART overruns. */
static void vpl011_console_push(void *be, void *arg)
{
	struct vpl011_console *c = be;

	if (vpl011_console_rx_used(c) < VPL011_RX_SIZE)
		c->rx[c->rx_head++ % VPL011_RX_SIZE] = *(const char *)arg;
}

/* A byte from the physical UART, Ctrl-a having switched input to @d. */
bool arch_vuart_rx_char(struct domain *d, char c)
{
	return vpl011_backend_update(d, &vpl011_console_ops,
				     vpl011_console_push, &c);
}

int vpl011_init(struct domain *d)
{
	struct vpl011_console *c = xzalloc(sizeof(*c));
	int ret;

	if (!c)
		return -ENOMEM;
	ret = vpl011_attach(d, &vpl011_console_ops, c);
	if (ret)
		xfree(c);
	return ret;
}
