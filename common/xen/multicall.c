// SPDX-License-Identifier: MIT
/*
 * multicall: a batch of hypercalls, each result written back to its
 * entry. As Xen 4.17 (xen/common/xen/multicall.c), any number of entries is
 * accepted and the batch is preemptible: it stops between two entries
 * when this pCPU has work waiting, and continues with the list advanced
 * past the entries done and the count reduced. A sub-call that itself
 * stops leaves its continuation's arguments in its own entry, which the
 * multicall's continuation then re-issues first.
 */
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/guest_access.h>
#include <orchid/hypercall.h>

/* Continue the batch at entry @at with @left entries still to run. */
static long multicall_continue(uint64_t at, uint32_t left)
{
	return hypercall_create_continuation(2, (const uint64_t[]){at, left});
}

/*
 * Run one entry, already copied in. True when the sub-call stopped
 * early: its updated arguments are then in @e.
 */
static bool multicall_run_one(struct multicall_entry *e)
{
	uint64_t args[5];

	/* A nested multicall is refused, so the recursion stays one deep. */
	if (e->op == __HYPERVISOR_multicall) {
		e->result = (xen_ulong_t)-EINVAL;
		return false;
	}
	for (unsigned int j = 0; j < 5; j++)
		args[j] = e->args[j];
	e->result = (xen_ulong_t)hypercall_dispatch(e->op, args);
	if (!hypercall_preempted(current_vcpu()))
		return false;
	for (unsigned int j = 0; j < 5; j++)
		e->args[j] = args[j];
	return true;
}

static long multicall_run(uint64_t list, uint32_t nr)
{
	for (uint32_t i = 0; i < nr; i++) {
		uint64_t at =
			list + (uint64_t)i * sizeof(struct multicall_entry);
		struct multicall_entry e;

		if (i && hypercall_preempt_due(1))
			return multicall_continue(at, nr - i);
		if (copy_from_guest(&e, at, sizeof(e)))
			return -EFAULT;
		if (!multicall_run_one(&e)) {
			if (copy_to_guest(at + offsetof(struct multicall_entry,
							result),
					  &e.result, sizeof(e.result)))
				return -EFAULT;
			continue;
		}
		/* The sub-call's continuation goes back into its entry. */
		if (copy_to_guest(at, &e, sizeof(e))) {
			hypercall_cancel_continuation();
			return -EFAULT;
		}
		return multicall_continue(at, nr - i);
	}
	return 0;
}

long hc_multicall(const uint64_t a[5])
{
	struct hypercall_state *h = &current_vcpu()->hcall;
	long rc;

	h->in_multicall = true;
	rc = multicall_run(a[0], (uint32_t)a[1]); /* Xen's uint32_t nr_calls */
	h->in_multicall = false;
	return rc;
}
