// SPDX-License-Identifier: MIT
/*
 * Xen's vpl011 (xen/arch/arm/vpl011.c) with Xen as the backend: the
 * registers of an SBSA generic UART, which Linux drives as "arm,sbsa-uart"
 * and earlycon=pl011. Transmission is immediate, so the transmit FIFO is
 * always empty and its interrupt (TXI) always raised; received bytes wait
 * in a small FIFO, raising RXI and the receive timeout (RTI) until read.
 * The interrupt is a level on GUEST_VPL011_SPI: (RIS & IMSC) != 0.
 *
 * Output goes to Orchid's console as Xen prints it (see vpl011_put).
 */
#include <asm/mmio.h>
#include <asm/vgic.h>
#include <asm/vpl011.h>
#include <orchid/arch.h>
#include <orchid/bootinfo.h>
#include <orchid/console.h>
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/mm.h>
#include <orchid/printk.h>
#include <orchid/setup.h>
#include <orchid/spinlock.h>
#include <orchid/string.h>
#include <public/arch-arm.h>

/* Register offsets. */
#define UARTDR	 0x00
#define UARTRSR	 0x04
#define UARTFR	 0x18
#define UARTIMSC 0x38
#define UARTRIS	 0x3c
#define UARTMIS	 0x40
#define UARTICR	 0x44

/* UARTFR bits. */
#define FR_RXFE (1U << 4)
#define FR_TXFF (1U << 5)
#define FR_RXFF (1U << 6)
#define FR_TXFE (1U << 7)

/* Interrupt bits (RIS, IMSC, MIS, ICR). */
#define INT_RX	 (1U << 4)
#define INT_TX	 (1U << 5)
#define INT_RT	 (1U << 6)
#define INT_MASK 0x7ffU

#define VPL011_RX_SIZE	32 /* the SBSA UART's FIFO; a power of two */
#define VPL011_LINE_MAX 128

struct vpl011 {
	spinlock_t lock;
	uint64_t base;	    /* GUEST_PL011_BASE, or the host UART's */
	unsigned int intid; /* GUEST_VPL011_SPI, or the host UART's */
	uint32_t imsc, ris;
	uint32_t rx_head, rx_tail; /* free-running */
	char rx[VPL011_RX_SIZE];
	unsigned int len;
	char line[VPL011_LINE_MAX + 2]; /* + '\n' + NUL */
};

static uint32_t vpl011_rx_used(const struct vpl011 *u)
{
	return u->rx_head - u->rx_tail;
}

static uint32_t vpl011_fr(const struct vpl011 *u)
{
	uint32_t fr = FR_TXFE;

	if (vpl011_rx_used(u) == 0)
		fr |= FR_RXFE;
	if (vpl011_rx_used(u) == VPL011_RX_SIZE)
		fr |= FR_RXFF;
	return fr;
}

/* Under u->lock: drive the SPI from the masked status. */
static void vpl011_update_irq(struct domain *d, struct vpl011 *u)
{
	u->ris |= INT_TX;
	if (vpl011_rx_used(u))
		u->ris |= INT_RX | INT_RT;
	else
		u->ris &= ~(INT_RX | INT_RT);
	vgic_set_level(d->vcpus[0], u->intid, (u->ris & u->imsc) != 0);
}

/*
 * As Xen 4.17 prints a DomU's vpl011 (vpl011_write_data_xen): while serial
 * input is switched to the domain, each byte at once, as it comes (a
 * prompt shows before its line ends); otherwise whole lines, each tagged
 * "DOM<id>: " so that domains printing together never mix in a line.
 * Both go through printk, with Orchid's own "(XEN) " line prefix.
 */
static void vpl011_put(struct domain *d, struct vpl011 *u, char c)
{
	u->line[u->len++] = c;
	if (console_input_domid() == (int)d->domain_id) {
		if (u->len == 1) {
			printk("%c", c);
		} else {
			if (c != '\n')
				u->line[u->len++] = '\n';
			u->line[u->len] = '\0';
			printk("%s", u->line);
		}
		u->len = 0;
		return;
	}
	if (c != '\n' && u->len < VPL011_LINE_MAX)
		return;
	if (c != '\n')
		u->line[u->len++] = '\n';
	u->line[u->len] = '\0';
	printk("DOM%u: %s", d->domain_id, u->line);
	u->len = 0;
}

static char vpl011_get(struct vpl011 *u)
{
	if (!vpl011_rx_used(u))
		return 0;
	return u->rx[u->rx_tail++ % VPL011_RX_SIZE];
}

static uint32_t vpl011_read_reg(struct domain *d, struct vpl011 *u,
				uint64_t offset)
{
	switch (offset) {
	case UARTDR: {
		uint32_t c = (uint8_t)vpl011_get(u);

		vpl011_update_irq(d, u);
		return c;
	}
	case UARTFR: return vpl011_fr(u);
	case UARTIMSC: return u->imsc;
	case UARTRIS: return u->ris;
	case UARTMIS: return u->ris & u->imsc;
	default: return 0; /* RSR: no errors; the rest reads as zero */
	}
}

static void vpl011_write_reg(struct domain *d, struct vpl011 *u,
			     uint64_t offset, uint32_t val)
{
	switch (offset) {
	case UARTDR: vpl011_put(d, u, (char)(val & 0xff)); break;
	case UARTIMSC: u->imsc = val & INT_MASK; break;
	case UARTICR: u->ris &= ~val; break;
	default: return; /* RSR: nothing to clear; FR, RIS, MIS: read only */
	}
	vpl011_update_irq(d, u);
}

/* 8, 16 and 32-bit accesses, as Xen; 64-bit ones are a data abort. */
static bool vpl011_read(struct vcpu *v, uint64_t offset, unsigned int size,
			uint64_t *val, void *priv)
{
	struct vpl011 *u = priv;
	unsigned long flags;

	if (size > 4)
		return false;
	flags = spin_lock_irqsave(&u->lock);
	*val = vpl011_read_reg(v->domain, u, offset & ~3ULL);
	spin_unlock_irqrestore(&u->lock, flags);
	*val = (*val >> ((offset & 3) * 8)) &
	       (size == 4 ? 0xffffffffU : (1U << size * 8) - 1);
	return true;
}

static bool vpl011_write(struct vcpu *v, uint64_t offset, unsigned int size,
			 uint64_t val, void *priv)
{
	struct vpl011 *u = priv;
	unsigned long flags;

	if (size > 4)
		return false;
	/* A narrow write to the low byte lane is what matters (DR). */
	if (offset & 3)
		return true;
	flags = spin_lock_irqsave(&u->lock);
	vpl011_write_reg(v->domain, u, offset, (uint32_t)val);
	spin_unlock_irqrestore(&u->lock, flags);
	return true;
}

static const struct mmio_ops vpl011_ops = {
	.read = vpl011_read,
	.write = vpl011_write,
};

/* A byte from the physical UART, Ctrl-a having switched input to @d. */
bool arch_vuart_rx_char(struct domain *d, char c)
{
	struct vpl011 *u = d->arch.vpl011;
	unsigned long flags;

	if (!u)
		return false;
	flags = spin_lock_irqsave(&u->lock);
	/* A full FIFO drops the byte, as a real UART overruns. */
	if (vpl011_rx_used(u) < VPL011_RX_SIZE)
		u->rx[u->rx_head++ % VPL011_RX_SIZE] = c;
	vpl011_update_irq(d, u);
	spin_unlock_irqrestore(&u->lock, flags);
	return true;
}

/*
 * Where: the guest layout's, but for a direct-mapped DomU the host UART's
 * frame and interrupt, as Xen 4.17's domain_vpl011_init (the guest layout
 * could clash with its host-addressed RAM); its region must be a whole
 * page, as there.
 */
static int vpl011_place(const struct domain *d, struct vpl011 *u)
{
	const struct uart_info *host = &bootinfo.uart;

	u->base = GUEST_PL011_BASE;
	u->intid = GUEST_VPL011_SPI;
	if (!d->direct_mapped)
		return 0;
	if (!host->region.size || host->irq < 32) {
		pr_err("d%u: vpl011: no host UART to take the place of\n",
		       d->domain_id);
		return -EINVAL;
	}
	if (host->region.size < GUEST_PL011_SIZE) {
		pr_err("d%u: vpl011: the host UART's region is under a page\n",
		       d->domain_id);
		return -EINVAL;
	}
	u->base = pa_addr(host->region.base);
	u->intid = host->irq;
	return 0;
}

uint64_t vpl011_base(const struct domain *d)
{
	return d->arch.vpl011 ? d->arch.vpl011->base : GUEST_PL011_BASE;
}

unsigned int vpl011_intid(const struct domain *d)
{
	return d->arch.vpl011 ? d->arch.vpl011->intid : GUEST_VPL011_SPI;
}

int vpl011_init(struct domain *d)
{
	struct vpl011 *u = xzalloc(sizeof(*u));
	int ret;

	if (!u)
		return -ENOMEM;
	spin_lock_init(&u->lock);
	u->ris = INT_TX;
	ret = vpl011_place(d, u);
	if (!ret)
		ret = mmio_register(d, u->base, GUEST_PL011_SIZE, &vpl011_ops,
				    u);
	if (ret) {
		xfree(u);
		return ret;
	}
	d->arch.vpl011 = u;
	return 0;
}

void vpl011_destroy(struct domain *d)
{
	xfree(d->arch.vpl011);
	d->arch.vpl011 = NULL;
}
