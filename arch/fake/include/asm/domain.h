/* SPDX-License-Identifier: MIT */
/*
 * The host halves of struct domain and struct vcpu, for unit tests of
 * common code. Common code never looks inside them; they carry the few
 * architecture-neutral facts arch/arm64's version has (the event upcall's
 * interrupt, the grant-table window) and a guest's general registers, so
 * that a test can set them the way arch code would.
 */
#ifndef ASM_DOMAIN_H
#define ASM_DOMAIN_H

#include <orchid/types.h>

struct arch_domain {
	unsigned int evtchn_irq; /* INTID of the event upcall */
	uint64_t gnttab_base;	 /* IPA of the grant-table window */
	uint64_t gnttab_size;
};

struct arch_vcpu {
	uint64_t x[31]; /* guest x0-x30 */
	uint64_t pc;
};

#endif /* ASM_DOMAIN_H */
