// SPDX-License-Identifier: MIT
/* sched_op: yield, block, poll and shutdown, as Xen defines them. */
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/event.h>
#include <orchid/guest_access.h>
#include <orchid/hypercalls.h>
#include <orchid/sched.h>
#include <orchid/timer.h>
#include <public/sched.h>

/* More ports than one poll may name (Xen: the domain's port limit). */
#define POLL_PORTS_MAX 128

/* End @v's poll; true for the one caller that ended it (and must wake it). */
static bool poll_stop(struct vcpu *v)
{
	if (!__atomic_exchange_n(&v->polling, false, __ATOMIC_SEQ_CST))
		return false;
	__atomic_sub_fetch(&v->domain->nr_polling, 1, __ATOMIC_SEQ_CST);
	return true;
}

static void poll_timeout(void *data)
{
	struct vcpu *v = data;

	if (poll_stop(v))
		vcpu_wake(v);
}

void sched_poll_init(struct vcpu *v)
{
	timer_init(&v->poll_timer, poll_timeout, v, v->processor);
}

void sched_poll_destroy(struct vcpu *v)
{
	timer_kill(&v->poll_timer);
	poll_stop(v);
}

void sched_poll_notify(struct domain *d, uint32_t port)
{
	if (!__atomic_load_n(&d->nr_polling, __ATOMIC_SEQ_CST))
		return;
	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpus[i];

		if (!v || !__atomic_load_n(&v->polling, __ATOMIC_SEQ_CST))
			continue;
		if (v->poll_port != VCPU_POLL_ANY && v->poll_port != port)
			continue;
		if (poll_stop(v))
			vcpu_wake(v);
	}
}

/*
 * Xen's do_poll: block until one of the ports is pending (masked or not),
 * an event is delivered to the vCPU, or the absolute timeout (system time,
 * ns; 0: none) passes. The vCPU is marked polling and blocked before the
 * ports are looked at, so an event that arrives meanwhile either is seen
 * here or wakes it (sched_poll_notify).
 */
static long sched_poll(struct vcpu *v, uint64_t arg)
{
	struct domain *d = v->domain;
	struct sched_poll poll;
	uint32_t ports[POLL_PORTS_MAX];
	long rc = 0;

	if (copy_from_guest(&poll, arg, sizeof(poll)))
		return -EFAULT;
	if (poll.nr_ports > POLL_PORTS_MAX)
		return -EINVAL;
	if (copy_from_guest(ports, poll.ports,
			    poll.nr_ports * sizeof(ports[0])))
		return -EFAULT;

	timer_stop(&v->poll_timer);
	poll_stop(v); /* a poll that ended some other way */
	v->poll_port = poll.nr_ports == 1 ? ports[0] : VCPU_POLL_ANY;
	__atomic_add_fetch(&d->nr_polling, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&v->polling, true, __ATOMIC_SEQ_CST);
	/* Woken at once when an event is already there for the vCPU. */
	vcpu_block(v);
	if (!(__atomic_load_n(&v->pause_flags, __ATOMIC_SEQ_CST) & VPF_BLOCKED))
		goto out;
	for (unsigned int i = 0; i < poll.nr_ports; i++) {
		int pending = evtchn_port_poll(d, ports[i]);

		if (pending) {
			rc = pending < 0 ? pending : 0;
			goto out;
		}
	}
	if (poll.timeout)
		timer_set(&v->poll_timer, poll.timeout);
	return 0;

out:
	poll_stop(v);
	vcpu_wake(v);
	return rc;
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
	case SCHEDOP_watchdog: {
		struct sched_watchdog w;

		if (copy_from_guest(&w, a[1], sizeof(w)))
			return -EFAULT;
		return domain_watchdog(d, w.id, w.timeout);
	}
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
