// SPDX-License-Identifier: MIT
/*
 * Preemptible hypercalls. A hypercall runs with interrupts masked, so
 * while a guest keeps a pCPU in one, that pCPU answers no cross-call, no
 * timer and no reschedule. Long guest-driven loops therefore stop when
 * this pCPU has work waiting and leave a continuation: the guest's PC is
 * moved back onto its HVC and the arguments it passes are rewritten to
 * say how far the call got, so the guest re-issues the rest of it once
 * the pending work is done (Xen's hypercall_create_continuation; Linux
 * and libxc expect exactly this and need no change).
 *
 * The bound: a loop checks once it has done HYPERCALL_PREEMPT_UNITS (64)
 * units since the last check (include/orchid/hypercall.h). Between two
 * checks a pCPU does less than 64 units plus one item, and the most one
 * item costs is one grant copy of 4 KiB, one cache flush of 4 KiB after
 * a search of 4096 grant entries, one event channel closed, or one memory
 * extent (2 MiB for a DomU, Xen's own per-extent limit).
 * docs/ARCHITECTURE.md ("Preemption rule") has the whole rule.
 */
#include <orchid/arch.h>
#include <orchid/domain.h>
#include <orchid/hypercall.h>
#include <orchid/panic.h>
#include <orchid/sched.h>

/*
 * Per pCPU: when deferred work run at a vCPU's trap end must stop
 * (preempt_deadline_set), 0 for none. That vCPU has no interrupt of its
 * own pending while it is held there (dom0less-build-latency).
 */
static uint64_t preempt_deadline[CONFIG_NR_CPUS];

void preempt_deadline_set(uint64_t ns)
{
	preempt_deadline[arch_cpu_id()] = ns;
}

bool hypercall_preempt_check(void)
{
	uint64_t deadline = preempt_deadline[arch_cpu_id()];

	return sched_resched_pending() || arch_irq_pending() ||
	       (deadline && arch_now_ns() >= deadline);
}

bool hypercall_preempt_due(unsigned int units)
{
	struct hypercall_state *h = &current_vcpu()->hcall;

	h->work += units;
	if (h->work < HYPERCALL_PREEMPT_UNITS)
		return false;
	h->work = 0;
	return hypercall_preempt_check();
}

long hypercall_create_continuation(unsigned int nargs, const uint64_t *args)
{
	struct hypercall_state *h = &current_vcpu()->hcall;

	BUG_ON(nargs == 0 || nargs > ARRAY_SIZE(h->args));
	h->preempted = true;
	h->nargs = nargs;
	for (unsigned int i = 0; i < nargs; i++)
		h->args[i] = args[i];
	return (long)args[0];
}

void hypercall_cancel_continuation(void)
{
	current_vcpu()->hcall.preempted = false;
}

void hypercall_begin(void)
{
	hypercall_state_begin(&current_vcpu()->hcall);
}

bool hypercall_end(uint64_t args[5])
{
	return hypercall_state_end(&current_vcpu()->hcall, args);
}

bool hypercall_preempted(const struct vcpu *v)
{
	return v->hcall.preempted;
}

void hypercall_account(struct vcpu *v, unsigned long nr, uint64_t ns)
{
	struct domain *d = v->domain;

	if (ns <= d->hcall_longest_ns)
		return;
	d->hcall_longest_ns = ns;
	d->hcall_longest_nr = (unsigned int)nr;
}
