/* SPDX-License-Identifier: MIT */
/* The Xen hypercall table (HVC #0xEA1, number in x16, arguments x0-x4). */
#ifndef ORCHID_HYPERCALL_H
#define ORCHID_HYPERCALL_H

#include <orchid/types.h>

struct vcpu;

typedef long (*hypercall_fn_t)(const uint64_t args[5]);

struct hypercall {
	unsigned int nr;
	hypercall_fn_t fn;
	unsigned int nargs; /* argument registers it reads (and may clobber) */
	const char *name;
};

/*
 * Run hypercall @nr with @args (the guest's x0-x4); returns the value for
 * x0. Unknown numbers get -ENOSYS and one log line naming them. Debug
 * builds then clobber the argument registers the call used, as Xen does.
 */
long hypercall_dispatch(unsigned long nr, uint64_t args[5]);

/* Log an unimplemented sub-op once per (hypercall, cmd). */
long hypercall_unimplemented(const char *hypercall, unsigned long cmd);

#endif /* ORCHID_HYPERCALL_H */
