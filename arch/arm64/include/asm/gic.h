/* SPDX-License-Identifier: MIT */
/* The physical GIC, one front end over the v2 and v3 drivers. */
#ifndef ASM_GIC_H
#define ASM_GIC_H

#include <orchid/bootinfo.h>
#include <orchid/irq.h>

/* What each GIC version's driver provides to the front end (gic.c). */
struct gic_ops {
	const char *name;
	void (*init)(const struct gic_info *info);     /* distributor, boot CPU */
	void (*cpu_init)(void);                         /* this CPU's interface */
	void (*enable)(unsigned int irq, bool enable);
	void (*send_sgi)(unsigned int cpu, unsigned int sgi);
	unsigned int (*ack)(void);                      /* INTID or 1023 */
	void (*eoi)(unsigned int irq);
	unsigned int (*nr_lines)(void);
};

extern const struct gic_ops gicv2_ops;
extern const struct gic_ops gicv3_ops;

/* Pick the driver the DTB asks for and set up the distributor. */
void gic_init(const struct gic_info *info);
/* Bring up the calling CPU's interface (every CPU, boot CPU included). */
void gic_cpu_init(void);
/* Called from the IRQ vector: acknowledge, dispatch and EOI until idle. */
void gic_handle_irq(void);
unsigned int gic_version(void);

#endif /* ASM_GIC_H */
