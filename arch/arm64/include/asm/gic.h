/* SPDX-License-Identifier: MIT */
/* The physical GIC, one front end over the v2 and v3 drivers. */
#ifndef ASM_GIC_H
#define ASM_GIC_H

#include <orchid/bootinfo.h>
#include <orchid/irq.h>

/* What each GIC version's driver provides to the front end (gic.c). */
struct gic_ops {
	const char *name;
	void (*init)(const struct gic_info *info); /* distributor, boot CPU */
	void (*cpu_init)(void);			   /* this CPU's interface */
	void (*enable)(unsigned int irq, bool enable);
	void (*send_sgi)(unsigned int cpu, unsigned int sgi);
	unsigned int (*ack)(void); /* INTID or 1023 */
	/* EOImode 1: eoi drops the priority, deactivate ends the interrupt. */
	void (*eoi)(unsigned int irq);
	void (*deactivate)(unsigned int irq); /* this CPU, after eoi */
	unsigned int (*nr_lines)(void);
	/* SPIs forwarded to guests; callable from any CPU. */
	void (*clear_active)(unsigned int irq);
	void (*set_pending)(unsigned int irq);
	void (*set_edge)(unsigned int irq, bool edge); /* line disabled */
	void (*set_affinity)(unsigned int irq, unsigned int cpu);
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
unsigned int gic_nr_lines(void);

/*
 * SPIs given to a guest (the vGIC's forwarded interrupts). @handler runs
 * with the priority dropped and the interrupt still active: the guest's
 * deactivation of the virtual interrupt ends the physical one.
 */
int gic_route_irq_to_guest(unsigned int irq, irq_handler_t handler, void *data);
void gic_release_guest_irq(unsigned int irq);
/* ICFGR: the caller has the line disabled (changing it live is UNPREDICTABLE). */
void gic_irq_set_edge(unsigned int irq, bool edge);
void gic_irq_set_affinity(unsigned int irq, unsigned int cpu);
void gic_irq_set_pending(unsigned int irq);
/* Deactivate through the distributor, from whichever CPU. */
void gic_irq_clear_active(unsigned int irq);

#endif /* ASM_GIC_H */
