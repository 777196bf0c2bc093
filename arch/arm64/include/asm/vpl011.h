/* SPDX-License-Identifier: MIT */
/*
 * The virtual SBSA UART (a PL011 subset) Xen 4.17 gives a DomU that asks
 * for one ("vpl011" in its dom0less node), with Orchid as the backend:
 * output goes to Orchid's console, input comes from the physical UART
 * when Ctrl-a switched it to the domain (common/console.c).
 */
#ifndef ASM_VPL011_H
#define ASM_VPL011_H

#include <orchid/errno.h>
#include <orchid/types.h>

struct domain;

#ifdef CONFIG_VPL011
/*
 * Emulate it at GUEST_PL011_BASE, interrupt GUEST_VPL011_SPI; for a
 * direct-mapped domain at the host UART's address and interrupt.
 */
int vpl011_init(struct domain *d);
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
