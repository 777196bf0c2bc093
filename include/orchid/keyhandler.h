/* SPDX-License-Identifier: MIT */
/*
 * Debug keys (common/keyhandler.c), as Xen's: `xl debug-keys KEYS`
 * (XEN_SYSCTL_debug_keys) or the serial console while its input goes to
 * Orchid (Ctrl-a three times, common/console.c) press a key; its handler prints to the console ring, which
 * `xl dmesg` reads. With CONFIG_DEBUG_KEYS off none of this is built.
 */
#ifndef ORCHID_KEYHANDLER_H
#define ORCHID_KEYHANDLER_H

#include <orchid/types.h>

struct domain;
struct vcpu;

/* Run @key's handler; a key without one does nothing, as on Xen. */
void keyhandler_press(unsigned char key);

/* The dumps the keys print, each owned by its subsystem. */
void sched_dump_runq(void);			/* 'r', common/sched */
void evtchn_dump(struct domain *d);		/* 'e', evtchn.c */
void gnttab_dump(struct domain *d);		/* 'g', grant_table.c */
void arch_vcpu_dump_regs(const struct vcpu *v); /* '0', arch */

#endif /* ORCHID_KEYHANDLER_H */
