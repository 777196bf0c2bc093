/* SPDX-License-Identifier: MIT */
/*
 * The virtual SBSA UART (a PL011 subset) Xen 4.17 gives a DomU that asks
 * for one: "vpl011" in its dom0less node (Orchid as the backend: output
 * to Orchid's console, input from the physical UART when Ctrl-a switched
 * it to the domain, common/console.c), or vuart = "sbsa_uart" in an xl
 * config (a backend domain through a ring page, XEN_DOMCTL_vuart_op).
 */
#ifndef ASM_VPL011_H
#define ASM_VPL011_H

#include <orchid/errno.h>
#include <orchid/types.h>
#include <public/xen.h>

struct domain;

#ifdef CONFIG_VPL011
/*
 * Emulate it at GUEST_PL011_BASE, interrupt GUEST_VPL011_SPI (for a
 * direct-mapped domain the host UART's address and interrupt), with
 * Orchid's console as the backend (vpl011_console.c); or with a ring in
 * the guest's page at @gfn served by domain @backend through event
 * channel *@port (vpl011_ring.c, XEN_DOMCTL_vuart_op; errors as
 * arch_vuart_init's). vpl011_destroy at domain teardown releases either.
 */
int vpl011_init(struct domain *d);
int vpl011_init_ring(struct domain *d, uint64_t gfn, domid_t backend,
		     unsigned int *port);
void vpl011_destroy(struct domain *d);
/* Where @d's is (the guest layout's when it has none). */
uint64_t vpl011_base(const struct domain *d);
unsigned int vpl011_intid(const struct domain *d);
#else
static inline int vpl011_init(struct domain *d)
{
	(void)d;
	return -EOPNOTSUPP;
}

static inline int vpl011_init_ring(struct domain *d, uint64_t gfn,
				   domid_t backend, unsigned int *port)
{
	(void)d;
	(void)gfn;
	(void)backend;
	(void)port;
	return -EOPNOTSUPP;
}

static inline void vpl011_destroy(struct domain *d)
{
	(void)d;
}

static inline uint64_t vpl011_base(const struct domain *d)
{
	(void)d;
	return 0;
}

static inline unsigned int vpl011_intid(const struct domain *d)
{
	(void)d;
	return 0;
}
#endif

#endif
