/* SPDX-License-Identifier: MIT */
/* Physical interrupts as common code sees them: INTIDs and handlers. */
#ifndef ORCHID_IRQ_H
#define ORCHID_IRQ_H

#include <orchid/types.h>

#define NR_SGIS	      16
#define NR_LOCAL_IRQS 32 /* SGIs and PPIs, banked per CPU */
#define IRQ_SPURIOUS  1023

/* SGIs Orchid uses between its own CPUs. */
enum sgi {
	SGI_CALL_FUNCTION = 0, /* run smp_call_function requests */
	SGI_STOP = 1,	       /* halt this CPU for good */
	SGI_KICK = 2,	       /* wake up and reconsider what to run */
};

typedef void (*irq_handler_t)(unsigned int irq, void *data);

/*
 * Install @handler for INTID @irq. SGIs and PPIs share one handler across
 * CPUs; each CPU enables them for itself with irq_enable.
 */
int irq_request(unsigned int irq, irq_handler_t handler, void *data);
/* Enable/disable an SPI, or an SGI/PPI on the calling CPU. */
void irq_enable(unsigned int irq);
void irq_disable(unsigned int irq);
void irq_send_sgi(unsigned int cpu, enum sgi sgi);
void irq_send_sgi_allbutself(enum sgi sgi);

#endif /* ORCHID_IRQ_H */
