// SPDX-License-Identifier: MIT
/* sched_op: yield, block, poll and shutdown, as Xen defines them. */
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/event.h>
#include <orchid/guest_access.h>
#include <orchid/hypercalls.h>
#include <orchid/sched.h>
#include <public/sched.h>

/* More ports than one poll may name (Xen: the domain's port limit). */
#define POLL_PORTS_MAX 128

static long sched_poll(struct vcpu *v, uint64_t arg)
{
	struct sched_poll poll;
	uint32_t ports[POLL_PORTS_MAX];

	if (copy_from_guest(&poll, arg, sizeof(poll)))
		return -EFAULT;
	if (poll.nr_ports > POLL_PORTS_MAX)
		return -EINVAL;
	if (copy_from_guest(ports, poll.ports,
			    poll.nr_ports * sizeof(ports[0])))
		return -EFAULT;
	for (unsigned int i = 0; i < poll.nr_ports; i++)
		if (evtchn_port_is_pending(v->domain, ports[i]))
			return 0;
	/*
	 * Returning at once is a valid wake-up (callers re-check their ports);
	 * give the pCPU away so a spinning poller does not starve its peer.
	 */
	vcpu_yield(v);
	return 0;
}

static long sched_shutdown(struct domain *d, uint64_t arg)
{
	struct sched_shutdown s;

	if (copy_from_guest(&s, arg, sizeof(s)))
		return -EFAULT;
	if (s.reason > SHUTDOWN_MAX)
		return -EINVAL;
	domain_shutdown(d, s.reason);
	return 0;
}

static long sched_remote_shutdown(struct domain *d, uint64_t arg)
{
	struct sched_remote_shutdown s;
	struct domain *target;

	if (!d->is_privileged)
		return -EPERM;
	if (copy_from_guest(&s, arg, sizeof(s)))
		return -EFAULT;
	if (s.reason > SHUTDOWN_MAX)
		return -EINVAL;
	target = domain_lookup(s.domain_id);
	if (!target)
		return -ESRCH;
	domain_shutdown(target, s.reason);
	return 0;
}

long hc_sched_op(const uint64_t a[5])
{
	struct vcpu *v = current_vcpu();
	struct domain *d = v->domain;

	switch ((unsigned int)a[0]) {
	case SCHEDOP_yield: vcpu_yield(v); return 0;
	case SCHEDOP_block:
		if (!v->vcpu_info || !v->vcpu_info->evtchn_upcall_pending)
			vcpu_block(v);
		return 0;
	case SCHEDOP_shutdown: return sched_shutdown(d, a[1]);
	case SCHEDOP_poll: return sched_poll(v, a[1]);
	case SCHEDOP_remote_shutdown: return sched_remote_shutdown(d, a[1]);
	case SCHEDOP_shutdown_code: {
		struct sched_shutdown s;

		if (copy_from_guest(&s, a[1], sizeof(s)))
			return -EFAULT;
		if (s.reason > SHUTDOWN_MAX)
			return -EINVAL;
		/* As Xen: the first code set is the one the toolstack sees. */
		__atomic_compare_exchange_n(
			&d->shutdown_code,
			&(unsigned int){SHUTDOWN_CODE_INVALID}, s.reason, false,
			__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
		return 0;
	}
	default: return -ENOSYS;
	}
}
