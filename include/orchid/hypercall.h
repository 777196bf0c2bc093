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
 * When the call ends in a continuation (hypercall_preempted), @args hold
 * its new arguments instead and nothing is to be written to x0: the trap
 * path moves the guest's PC back so that it re-executes the HVC.
 */
long hypercall_dispatch(unsigned long nr, uint64_t args[5]);

/* Log an unimplemented sub-op once per (hypercall, cmd). */
long hypercall_unimplemented(const char *hypercall, unsigned long cmd);

/* The multicall hypercall (common/xen/multicall.c). */
long hc_multicall(const uint64_t args[5]);

/*
 * ---- Preemption (common/xen/preempt.c) ----
 *
 * No hypercall may hold a pCPU for long: Orchid runs hypercalls with
 * interrupts masked, so a pCPU inside one answers no cross-call, timer or
 * reschedule. Every loop whose length a guest chooses counts its work in
 * units (one batch element, one multicall entry, one event channel, one
 * 4 KiB page of a memory extent or scrubbed by destroydomain, a whole
 * budget per 4096 grant entries searched) and calls
 * hypercall_preempt_due() between two items. Once HYPERCALL_PREEMPT_UNITS units have been done since the
 * last check, it checks for pending work; when there is some, the handler
 * records how far it got with hypercall_create_continuation() and returns:
 * the guest re-executes its HVC with the updated arguments, as on Xen.
 */
#define HYPERCALL_PREEMPT_UNITS 64U

/*
 * Does this pCPU have work waiting (an interrupt, a reschedule), or is
 * its deadline (preempt_deadline_set) past?
 */
bool hypercall_preempt_check(void);

/*
 * For deferred work (a tasklet) run at a vCPU's trap end: the same loops
 * also stop at hypervisor time @ns, so that the vCPU held meanwhile, which
 * has no interrupt of its own pending, gets its pCPU back. 0: no deadline
 * (a hypercall's own time is its caller's). Set and cleared by the tasklet
 * around its work.
 */
void preempt_deadline_set(uint64_t ns);

/*
 * @units of work were just done by the current hypercall. True when it
 * must stop before its next item and continue later. Never true before a
 * call's first item is done, so every call makes progress.
 */
bool hypercall_preempt_due(unsigned int units);

/*
 * Make the current hypercall re-issue itself with @args[0..@nargs) in its
 * first argument registers (the others keep their values) instead of
 * returning; the hypercall number stays. Returns @args[0], the value the
 * caller returns from its handler (as Xen's continuation returns x0).
 */
long hypercall_create_continuation(unsigned int nargs, const uint64_t *args);
/* Drop the continuation just made: the call completes after all. */
void hypercall_cancel_continuation(void);

/*
 * Dispatcher and trap path: hypercall_begin() before a handler runs;
 * hypercall_end() after it, which writes a continuation's arguments into
 * @args (the guest's x0-x4, or a multicall entry's) and returns true when
 * there is one: then the call must be re-issued, not completed.
 */
void hypercall_begin(void);
bool hypercall_end(uint64_t args[5]);
/* Did the last hypercall of @v end in a continuation? */
bool hypercall_preempted(const struct vcpu *v);
/*
 * The trap path: hypercall @nr of @v held its pCPU for @ns (one HVC, up
 * to its result or continuation). The longest per domain is logged when
 * the domain is destroyed: the preemption rule, measured (under QEMU's
 * -icount shift=0 one nanosecond is one instruction).
 */
void hypercall_account(struct vcpu *v, unsigned long nr, uint64_t ns);

#endif /* ORCHID_HYPERCALL_H */
