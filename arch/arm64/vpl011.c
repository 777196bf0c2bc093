// SPDX-License-Identifier: MIT
/*
 * Xen's vpl011 (xen/arch/arm/vpl011.c): the registers of an SBSA generic
 * UART, which Linux drives as "arm,sbsa-uart" and earlycon=pl011, for a
 * DomU at GUEST_PL011_BASE with its interrupt on GUEST_VPL011_SPI (a
 * direct-mapped one's at the host UART's, vpl011_place). One
 * emulation for both of Xen's backends (vpl011_backend.h): the flags and
 * interrupt status follow from how full the backend's two FIFOs are, as
 * Xen sets them:
 *   FR   RXFE in empty, RXFF in full, TXFE out empty, TXFF and BUSY out
 *        full;
 *   RIS  TXI while out has room for half a hardware FIFO (16 bytes), RXI
 *        while in lacks less than that, RTI while in is not empty (no
 *        timing is emulated).
 * The interrupt is a level: (RIS & IMSC) != 0. Computing the flags from
 * the levels on each access (Xen keeps them as state updated on events)
 * gives the same values and cannot drift from a ring whose indices the
 * guest or the backend changed behind Orchid's back.
 */
#include <asm/mmio.h>
#include <asm/sbsa_uart.h>
#include <asm/vgic.h>
#include <asm/vpl011.h>
#include <orchid/bootinfo.h>
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/mm.h>
#include <orchid/printk.h>
#include <orchid/setup.h>
#include <orchid/spinlock.h>
#include <public/arch-arm.h>

#include "vpl011_backend.h"

/* Xen's SBSA_UART_FIFO_LEVEL: half the 32-byte hardware FIFO. */
#define VPL011_FIFO_LEVEL 16

struct vpl011 {
	spinlock_t lock;
	uint64_t base;	    /* GUEST_PL011_BASE, or the host UART's */
	unsigned int intid; /* GUEST_VPL011_SPI, or the host UART's */
	uint32_t imsc;
	const struct vpl011_backend_ops *ops;
	void *be;
};

static struct vpl011_levels vpl011_levels(const struct vpl011 *u)
{
	struct vpl011_levels l;

	u->ops->levels(u->be, &l);
	return l;
}

static uint32_t vpl011_fr(const struct vpl011_levels *l)
{
	uint32_t fr = 0;

	if (l->in == 0)
		fr |= FR_RXFE;
	if (l->in == l->in_size)
		fr |= FR_RXFF;
	if (l->out == 0)
		fr |= FR_TXFE;
	if (l->out == l->out_size)
		fr |= FR_TXFF | FR_BUSY;
	return fr;
}

static uint32_t vpl011_ris(const struct vpl011_levels *l)
{
	uint32_t ris = 0;

	if (l->out + VPL011_FIFO_LEVEL <= l->out_size)
		ris |= INT_TX;
	if (l->in + VPL011_FIFO_LEVEL >= l->in_size)
		ris |= INT_RX;
	if (l->in > 0)
		ris |= INT_RT;
	return ris;
}

/* Under u->lock: drive the SPI from the masked status. */
static void vpl011_update_irq(struct domain *d, struct vpl011 *u)
{
	struct vpl011_levels l = vpl011_levels(u);

	vgic_set_level(d->vcpus[0], u->intid, (vpl011_ris(&l) & u->imsc) != 0);
}

/* Under u->lock; *@moved: a byte left the backend's "in" FIFO. */
static uint32_t vpl011_read_reg(struct domain *d, struct vpl011 *u,
				uint64_t offset, bool *moved)
{
	struct vpl011_levels l = vpl011_levels(u);
	uint8_t c = 0;

	switch (offset) {
	case UARTDR:
		/* Nothing received: 0, as Xen's. */
		*moved = u->ops->get(u->be, &c);
		vpl011_update_irq(d, u);
		return c;
	case UARTFR: return vpl011_fr(&l);
	case UARTIMSC: return u->imsc;
	case UARTRIS: return vpl011_ris(&l);
	case UARTMIS: return vpl011_ris(&l) & u->imsc;
	default: return 0; /* RSR: no errors; the rest reads as zero */
	}
}

/*
 * Under u->lock; *@moved: a byte entered "out". ICR clears nothing for
 * long: every status bit is a level of the FIFOs, raised again at once.
 */
static void vpl011_write_reg(struct domain *d, struct vpl011 *u,
			     uint64_t offset, uint32_t val, bool *moved)
{
	switch (offset) {
	case UARTDR:
		/* Full: dropped, as Xen drops it. */
		*moved = u->ops->put(d, u->be, (uint8_t)(val & 0xff));
		break;
	case UARTIMSC: u->imsc = val & INT_MASK; break;
	default: return; /* RSR, ICR: nothing to clear; FR, RIS, MIS: RO */
	}
	vpl011_update_irq(d, u);
}

/* 8, 16 and 32-bit accesses, as Xen; 64-bit ones are a data abort. */
static bool vpl011_read(struct vcpu *v, uint64_t offset, unsigned int size,
			uint64_t *val, void *priv)
{
	struct vpl011 *u = priv;
	unsigned long flags;
	bool moved = false;

	if (size > 4)
		return false;
	flags = spin_lock_irqsave(&u->lock);
	*val = vpl011_read_reg(v->domain, u, offset & ~3ULL, &moved);
	spin_unlock_irqrestore(&u->lock, flags);
	if (moved && u->ops->kick)
		u->ops->kick(v->domain, u->be);
	*val = (*val >> ((offset & 3) * 8)) &
	       (size == 4 ? 0xffffffffU : (1U << size * 8) - 1);
	return true;
}

static bool vpl011_write(struct vcpu *v, uint64_t offset, unsigned int size,
			 uint64_t val, void *priv)
{
	struct vpl011 *u = priv;
	unsigned long flags;
	bool moved = false;

	if (size > 4)
		return false;
	/* A narrow write to the low byte lane is what matters (DR). */
	if (offset & 3)
		return true;
	flags = spin_lock_irqsave(&u->lock);
	vpl011_write_reg(v->domain, u, offset, (uint32_t)val, &moved);
	spin_unlock_irqrestore(&u->lock, flags);
	if (moved && u->ops->kick)
		u->ops->kick(v->domain, u->be);
	return true;
}

static const struct mmio_ops vpl011_ops = {
	.read = vpl011_read,
	.write = vpl011_write,
};

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

int vpl011_attach(struct domain *d, const struct vpl011_backend_ops *ops,
		  void *be)
{
	struct vpl011 *u;
	int ret;

	if (d->arch.vpl011)
		return -EINVAL;
	u = xzalloc(sizeof(*u));
	if (!u)
		return -ENOMEM;
	spin_lock_init(&u->lock);
	u->ops = ops;
	u->be = be;
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

bool vpl011_backend_update(struct domain *d,
			   const struct vpl011_backend_ops *ops,
			   void (*fn)(void *be, void *arg), void *arg)
{
	struct vpl011 *u = d->arch.vpl011;
	unsigned long flags;

	if (!u || u->ops != ops)
		return false;
	flags = spin_lock_irqsave(&u->lock);
	if (fn)
		fn(u->be, arg);
	vpl011_update_irq(d, u);
	spin_unlock_irqrestore(&u->lock, flags);
	return true;
}

void vpl011_destroy(struct domain *d)
{
	struct vpl011 *u = d->arch.vpl011;

	if (!u)
		return;
	u->ops->destroy(d, u->be);
	xfree(u);
	d->arch.vpl011 = NULL;
}
