/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of common/xen/evtchn.c: every event_channel_op with good and bad
 * arguments, issued as a guest would (arguments in fake guest memory), on
 * two fake domains (privileged Dom0 and an unprivileged DomU, 2 vCPUs
 * each), and 2-level delivery into their shared_info and vcpu_info. The
 * XSM policy is silo, Orchid's default, unless a test says otherwise.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <orchid/errno.h>
#include <orchid/event.h>
#include <orchid/xsm.h>
#include <public/event_channel.h>

#include "fake_domain.h"

static struct fake_domain dom0, domu, dom3;

/* ---- helpers ----------------------------------------------------------- */

static void as(struct fake_domain *fd, unsigned int vcpu)
{
	fake_current = &fd->vcpu[vcpu];
}

/* event_channel_op(@cmd) by the current vCPU, @arg in guest memory. */
static long call(unsigned int cmd, void *arg, size_t size)
{
	uint64_t va = FAKE_GUEST_VA + 0x100;
	long rc;

	memcpy(fake_guest_ptr(va), arg, size);
	rc = do_event_channel_op(cmd, va);
	memcpy(arg, fake_guest_ptr(va), size);
	return rc;
}

/* The port, or the negative error. */
static long alloc_unbound(domid_t dom, domid_t remote)
{
	struct evtchn_alloc_unbound op = {.dom = dom, .remote_dom = remote};
	long rc = call(EVTCHNOP_alloc_unbound, &op, sizeof(op));

	return rc ? rc : op.port;
}

static long bind_interdomain(domid_t remote, evtchn_port_t rport)
{
	struct evtchn_bind_interdomain op = {.remote_dom = remote,
					     .remote_port = rport};
	long rc = call(EVTCHNOP_bind_interdomain, &op, sizeof(op));

	return rc ? rc : op.local_port;
}

static long bind_virq(uint32_t virq, uint32_t vcpu)
{
	struct evtchn_bind_virq op = {.virq = virq, .vcpu = vcpu};
	long rc = call(EVTCHNOP_bind_virq, &op, sizeof(op));

	return rc ? rc : op.port;
}

static long bind_ipi(uint32_t vcpu)
{
	struct evtchn_bind_ipi op = {.vcpu = vcpu};
	long rc = call(EVTCHNOP_bind_ipi, &op, sizeof(op));

	return rc ? rc : op.port;
}

static long port_op(unsigned int cmd, evtchn_port_t port)
{
	struct evtchn_send op = {.port = port}; /* close/unmask: same layout */

	return call(cmd, &op, sizeof(op));
}

static long send(evtchn_port_t port)
{
	return port_op(EVTCHNOP_send, port);
}

static long close_port(evtchn_port_t port)
{
	return port_op(EVTCHNOP_close, port);
}

static long unmask(evtchn_port_t port)
{
	return port_op(EVTCHNOP_unmask, port);
}

static long bind_vcpu(evtchn_port_t port, uint32_t vcpu)
{
	struct evtchn_bind_vcpu op = {.port = port, .vcpu = vcpu};

	return call(EVTCHNOP_bind_vcpu, &op, sizeof(op));
}

static long status(domid_t dom, evtchn_port_t port, struct evtchn_status *st)
{
	memset(st, 0, sizeof(*st));
	st->dom = dom;
	st->port = port;
	return call(EVTCHNOP_status, st, sizeof(*st));
}

static long reset(unsigned int cmd, domid_t dom)
{
	struct evtchn_reset op = {.dom = dom};

	return call(cmd, &op, sizeof(op));
}

static bool bit(const xen_ulong_t *words, unsigned int nr)
{
	return (words[nr / 64] >> (nr % 64)) & 1;
}

static bool pending(struct fake_domain *fd, unsigned int port)
{
	return bit(fd->d.shared_info->evtchn_pending, port);
}

static void set_mask(struct fake_domain *fd, unsigned int port)
{
	fd->d.shared_info->evtchn_mask[port / 64] |= 1UL << (port % 64);
}

static bool masked(struct fake_domain *fd, unsigned int port)
{
	return bit(fd->d.shared_info->evtchn_mask, port);
}

static struct vcpu_info *vi(struct fake_domain *fd, unsigned int vcpu)
{
	return fd->vcpu[vcpu].vcpu_info;
}

/* What a guest's upcall handler does: take everything, clear it. */
static void ack_all(struct fake_domain *fd)
{
	struct shared_info *s = fd->d.shared_info;
	unsigned int i;

	for (i = 0; i < 2; i++) {
		if (!vi(fd, i))
			continue;
		vi(fd, i)->evtchn_upcall_pending = 0;
		vi(fd, i)->evtchn_pending_sel = 0;
	}
	memset(s->evtchn_pending, 0, sizeof(s->evtchn_pending));
	fake_reset_records();
}

static int setup(void **state)
{
	fake_domain_get(&dom0, 0, true, 2, 2);
	fake_domain_get(&domu, 1, false, 2, 2);
	assert_int_equal(evtchn_domain_init(&dom0.d, 4095), 0);
	assert_int_equal(evtchn_domain_init(&domu.d, 1023), 0);
	fake_alloc_budget = -1;
	fake_reset_records();
	as(&dom0, 0);
	xsm_init(XSM_POLICY_DEFAULT);
	return 0;
}

static int teardown(void **state)
{
	evtchn_domain_destroy(&dom0.d);
	evtchn_domain_destroy(&domu.d);
	evtchn_domain_destroy(&dom3.d);
	fake_domain_put(&dom0);
	fake_domain_put(&domu);
	fake_domain_put(&dom3);
	fake_alloc_budget = -1;
	return 0;
}

/* ---- argument handling ------------------------------------------------- */

static void test_bad_argument_pointers(void **state)
{
	struct evtchn_alloc_unbound op = {.dom = DOMID_SELF,
					  .remote_dom = DOMID_SELF};

	assert_int_equal(do_event_channel_op(EVTCHNOP_alloc_unbound, 0),
			 -EFAULT);
	assert_int_equal(do_event_channel_op(EVTCHNOP_send, 0x1000), -EFAULT);
	assert_int_equal(do_event_channel_op(EVTCHNOP_status, ~0ULL), -EFAULT);
	/* Straddling the end of guest memory. */
	assert_int_equal(
		do_event_channel_op(EVTCHNOP_alloc_unbound,
				    FAKE_GUEST_VA + FAKE_GUEST_SIZE - 4),
		-EFAULT);
	/* Readable but not writable: the port is taken, the result lost. */
	memcpy(fake_guest_ptr(FAKE_GUEST_RO_VA), &op, sizeof(op));
	assert_int_equal(
		do_event_channel_op(EVTCHNOP_alloc_unbound, FAKE_GUEST_RO_VA),
		-EFAULT);
	assert_int_equal(alloc_unbound(DOMID_SELF, DOMID_SELF), 2);
	/* Ops without OUT fields never write back. */
	assert_int_equal(do_event_channel_op(EVTCHNOP_close, FAKE_GUEST_RO_VA),
			 -EINVAL); /* port DOMID_SELF|SELF<<16: invalid */
}

static void test_unimplemented_ops(void **state)
{
	struct evtchn_bind_pirq bp = {.pirq = 1};

	/* The FIFO ops are test_evtchn_fifo.c's. */
	assert_int_equal(call(EVTCHNOP_bind_pirq, &bp, sizeof(bp)), -ENOSYS);
	assert_int_equal(do_event_channel_op(15, FAKE_GUEST_VA), -ENOSYS);
	assert_int_equal(do_event_channel_op(~0U, FAKE_GUEST_VA), -ENOSYS);
}

/* ---- alloc_unbound ----------------------------------------------------- */

static void test_alloc_unbound_self(void **state)
{
	struct evtchn_status st;

	/* Port 0 is reserved; the lowest free port comes first. */
	assert_int_equal(alloc_unbound(DOMID_SELF, DOMID_SELF), 1);
	assert_int_equal(alloc_unbound(0, 1), 2);
	assert_int_equal(status(DOMID_SELF, 1, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 0);
	assert_int_equal(st.vcpu, 0);
	assert_int_equal(status(0, 2, &st), 0);
	assert_int_equal(st.u.unbound.dom, 1);
	assert_int_equal(status(DOMID_SELF, 0, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_closed);
}

static void test_alloc_unbound_other_domain(void **state)
{
	struct evtchn_status st;
	long port;

	/* Dom0 allocates for DomU; DOMID_SELF as remote names Dom0. */
	port = alloc_unbound(1, DOMID_SELF);
	assert_int_equal(port, 1);
	as(&domu, 0);
	assert_int_equal(status(DOMID_SELF, port, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 0);
	/* DomU may not act on Dom0. */
	assert_int_equal(alloc_unbound(0, DOMID_SELF), -EPERM);
	assert_int_equal(alloc_unbound(7, DOMID_SELF), -ESRCH);
	assert_int_equal(alloc_unbound(DOMID_IO, DOMID_SELF), -ESRCH);
	/* Its own ID works like DOMID_SELF. */
	assert_int_equal(alloc_unbound(1, 0), 2);
}

static void test_port_exhaustion(void **state)
{
	struct evtchn_status st;
	unsigned int i;

	/* Ports 1..70 across the first bucket boundary, then none. */
	fake_domain_get(&dom3, 3, false, 2, 2);
	assert_int_equal(evtchn_domain_init(&dom3.d, 70), 0);
	as(&dom3, 0);
	for (i = 1; i <= 70; i++)
		assert_int_equal(alloc_unbound(DOMID_SELF, 0), i);
	assert_int_equal(alloc_unbound(DOMID_SELF, 0), -ENOSPC);
	assert_int_equal(bind_ipi(0), -ENOSPC);
	/* The rest of the last bucket exists but is closed; beyond is invalid. */
	assert_int_equal(status(DOMID_SELF, 100, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_closed);
	assert_int_equal(status(DOMID_SELF, 128, &st), -EINVAL);
	/*
	 * Every op at the edges: the last port given (70) works, the last
	 * valid one (127, closed) is valid but not bound, one past (128) and
	 * the far end are no ports at all.
	 */
	assert_int_equal(unmask(70), 0);
	assert_int_equal(status(DOMID_SELF, 127, &st), 0);
	assert_int_equal(unmask(127), 0);
	assert_int_equal(send(127), -EINVAL);
	assert_int_equal(close_port(127), -EINVAL);
	for (i = 128; i != 0; i = i == 128 ? 4096 : i == 4096 ? ~0U : 0) {
		assert_int_equal(send(i), -EINVAL);
		assert_int_equal(unmask(i), -EINVAL);
		assert_int_equal(close_port(i), -EINVAL);
		assert_int_equal(status(DOMID_SELF, i, &st), -EINVAL);
		assert_int_equal(evtchn_port_poll(&dom3.d, i), -EINVAL);
	}
	/* A closed port is reused. */
	assert_int_equal(close_port(33), 0);
	assert_int_equal(alloc_unbound(DOMID_SELF, 0), 33);
}

static void test_out_of_memory(void **state)
{
	unsigned int i;

	for (i = 1; i < 64; i++)
		assert_int_equal(alloc_unbound(DOMID_SELF, 1), i);
	fake_alloc_budget = 0;
	assert_int_equal(alloc_unbound(DOMID_SELF, 1), -ENOMEM);
	fake_alloc_budget = -1;
	assert_int_equal(alloc_unbound(DOMID_SELF, 1), 64);

	fake_domain_get(&dom3, 3, false, 2, 2);
	fake_alloc_budget = 1; /* the table, not its first bucket */
	assert_int_equal(evtchn_domain_init(&dom3.d, 100), -ENOMEM);
	assert_null(dom3.d.evtchn);
	fake_alloc_budget = -1;
}

static void test_dying_domain_gets_no_ports(void **state)
{
	domu.d.is_dying = true;
	assert_int_equal(alloc_unbound(1, DOMID_SELF), -EINVAL);
	domu.d.is_dying = false;
}

/* ---- interdomain ------------------------------------------------------- */

static void test_bind_interdomain(void **state)
{
	struct evtchn_status st;
	long uport, dport;

	as(&domu, 0);
	uport = alloc_unbound(DOMID_SELF, 0);
	assert_int_equal(uport, 1);
	/* Dom0 (lower ID) binds: its new port is pending at once. */
	as(&dom0, 0);
	alloc_unbound(DOMID_SELF, DOMID_SELF); /* move Dom0's next port on */
	dport = bind_interdomain(1, uport);
	assert_int_equal(dport, 2);
	assert_true(pending(&dom0, dport));
	assert_int_equal(fake_upcalls, 1);
	assert_ptr_equal(fake_last_upcall, &dom0.vcpu[0]);
	assert_int_equal(status(DOMID_SELF, dport, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_interdomain);
	assert_int_equal(st.u.interdomain.dom, 1);
	assert_int_equal(st.u.interdomain.port, uport);
	/* Dom0 may look at DomU's end. */
	assert_int_equal(status(1, uport, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_interdomain);
	assert_int_equal(st.u.interdomain.dom, 0);
	assert_int_equal(st.u.interdomain.port, dport);
	assert_false(pending(&domu, uport));

	/* Each side's send lands in the other domain only. */
	ack_all(&dom0);
	as(&domu, 0);
	assert_int_equal(send(uport), 0);
	assert_true(pending(&dom0, dport));
	assert_false(pending(&domu, uport));
	as(&dom0, 0);
	assert_int_equal(send(dport), 0);
	assert_true(pending(&domu, uport));
	assert_ptr_equal(fake_last_upcall, &domu.vcpu[0]);
}

static void test_bind_interdomain_from_higher_id(void **state)
{
	long dport, uport;

	/* DomU (higher ID) binds to Dom0's offer: the other lock order. */
	dport = alloc_unbound(DOMID_SELF, 1);
	as(&domu, 0);
	uport = bind_interdomain(0, dport);
	assert_int_equal(uport, 1);
	assert_true(pending(&domu, uport));
	as(&dom0, 0);
	assert_int_equal(send(dport), 0);
	assert_ptr_equal(fake_last_upcall, &domu.vcpu[0]);
}

static void test_bind_interdomain_errors(void **state)
{
	long p0, p1;

	as(&domu, 0);
	p1 = alloc_unbound(DOMID_SELF, 0);
	/* Offered to Dom0, not to DomU itself. */
	assert_int_equal(bind_interdomain(DOMID_SELF, p1), -EINVAL);
	as(&dom0, 0);
	p0 = alloc_unbound(DOMID_SELF, DOMID_SELF); /* offered to Dom0 */
	as(&domu, 0);
	assert_int_equal(bind_interdomain(0, p0), -EINVAL);
	assert_int_equal(bind_interdomain(0, 0), -EINVAL);    /* reserved */
	assert_int_equal(bind_interdomain(0, 50), -EINVAL);   /* free */
	assert_int_equal(bind_interdomain(0, 5000), -EINVAL); /* beyond */
	assert_int_equal(bind_interdomain(0, ~0U), -EINVAL);
	assert_int_equal(bind_interdomain(9, 1), -ESRCH);
	/* Already bound: not unbound any more. */
	as(&dom0, 0);
	assert_true(bind_interdomain(1, p1) > 0);
	assert_int_equal(bind_interdomain(1, p1), -EINVAL);
	/* Failures leave no port behind. */
	as(&domu, 0);
	assert_int_equal(alloc_unbound(DOMID_SELF, 0), p1 + 1);
}

/* The loopback Linux's /dev/xen/evtchn self-test builds. */
static void test_self_loop(void **state)
{
	struct evtchn_status st;
	long a, b;

	as(&domu, 0);
	a = alloc_unbound(DOMID_SELF, DOMID_SELF);
	b = bind_interdomain(DOMID_SELF, a);
	assert_int_equal(a, 1);
	assert_int_equal(b, 2);
	assert_int_equal(status(DOMID_SELF, a, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_interdomain);
	assert_int_equal(st.u.interdomain.dom, 1);
	assert_int_equal(st.u.interdomain.port, b);
	assert_true(pending(&domu, b));
	ack_all(&domu);

	assert_int_equal(send(b), 0);
	assert_true(pending(&domu, a));
	assert_false(pending(&domu, b));
	assert_int_equal(fake_upcalls, 1);
	ack_all(&domu);
	assert_int_equal(send(a), 0);
	assert_true(pending(&domu, b));
	assert_false(pending(&domu, a));

	/* Closing one end leaves the other unbound, offered to ourselves. */
	assert_int_equal(close_port(a), 0);
	assert_false(pending(&domu, a));
	assert_int_equal(status(DOMID_SELF, b, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 1);
	assert_int_equal(status(DOMID_SELF, a, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_closed);
	/* ... and it can be bound again. */
	assert_int_equal(bind_interdomain(1, b), a);
	assert_int_equal(close_port(b), 0);
	assert_int_equal(close_port(a), 0);
	assert_int_equal(close_port(a), -EINVAL);
}

static void test_close_interdomain(void **state)
{
	struct evtchn_status st;
	long uport, dport;

	as(&domu, 0);
	uport = alloc_unbound(DOMID_SELF, 0);
	as(&dom0, 0);
	dport = bind_interdomain(1, uport);
	assert_true(pending(&dom0, dport));

	/* Dom0 closes: DomU's end is unbound again, offered to Dom0. */
	assert_int_equal(close_port(dport), 0);
	assert_false(pending(&dom0, dport)); /* cleared for a clean re-bind */
	assert_int_equal(status(1, uport, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 0);
	as(&domu, 0);
	assert_int_equal(send(uport), 0); /* dropped silently */
	assert_false(pending(&dom0, dport));

	/* Re-bind, and this time the higher-ID side closes. */
	as(&dom0, 0);
	dport = bind_interdomain(1, uport);
	as(&domu, 0);
	assert_int_equal(close_port(uport), 0);
	as(&dom0, 0);
	assert_int_equal(status(DOMID_SELF, dport, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 1);
	assert_int_equal(close_port(dport), 0);
}

static void test_close_errors(void **state)
{
	assert_int_equal(close_port(0), -EINVAL);  /* reserved */
	assert_int_equal(close_port(5), -EINVAL);  /* free */
	assert_int_equal(close_port(64), -EINVAL); /* no bucket yet */
	assert_int_equal(close_port(~0U), -EINVAL);
	assert_int_equal(close_port(0x80000000U), -EINVAL);
}

/* ---- ports of other domains are out of reach --------------------------- */

static void test_ports_are_per_domain(void **state)
{
	struct evtchn_status st;
	long ipi;

	ipi = bind_ipi(1);
	assert_int_equal(ipi, 1);
	/* The same number in DomU is DomU's own, free, port. */
	as(&domu, 0);
	assert_int_equal(send(ipi), -EINVAL);
	assert_int_equal(close_port(ipi), -EINVAL);
	assert_int_equal(bind_vcpu(ipi, 0), -EINVAL);
	assert_int_equal(unmask(ipi), 0); /* valid number, nothing to do */
	assert_int_equal(status(0, ipi, &st), -EPERM);
	assert_int_equal(reset(EVTCHNOP_reset, 0), -EPERM);
	assert_int_equal(fake_upcalls, 0);
	as(&dom0, 0);
	assert_int_equal(status(DOMID_SELF, ipi, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_ipi);
	assert_int_equal(st.vcpu, 1);
}

/* ---- VIRQs ------------------------------------------------------------- */

static void test_bind_virq(void **state)
{
	struct evtchn_status st;
	long timer1, console;

	timer1 = bind_virq(VIRQ_TIMER, 1);
	assert_int_equal(timer1, 1);
	assert_int_equal(bind_virq(VIRQ_TIMER, 1), -EEXIST);
	assert_int_equal(bind_virq(VIRQ_TIMER, 0), 2); /* per vCPU */
	/* Global VIRQs only on vCPU 0, once. */
	assert_int_equal(bind_virq(VIRQ_CONSOLE, 1), -EINVAL);
	console = bind_virq(VIRQ_CONSOLE, 0);
	assert_int_equal(console, 3);
	assert_int_equal(bind_virq(VIRQ_CONSOLE, 0), -EEXIST);
	assert_int_equal(bind_virq(VIRQ_DOM_EXC, 0), 4);
	/* Bad VIRQs and vCPUs. */
	assert_int_equal(bind_virq(NR_VIRQS, 0), -EINVAL);
	assert_int_equal(bind_virq(~0U, 0), -EINVAL);
	assert_int_equal(bind_virq(VIRQ_DEBUG, 2), -ENOENT);
	assert_int_equal(bind_virq(VIRQ_DEBUG, ~0U), -ENOENT);
	assert_int_equal(bind_virq(VIRQ_CONSOLE, ~0U), -EINVAL);

	assert_int_equal(status(DOMID_SELF, timer1, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_virq);
	assert_int_equal(st.u.virq, VIRQ_TIMER);
	assert_int_equal(st.vcpu, 1);
	/* Guests cannot send on VIRQ ports. */
	assert_int_equal(send(timer1), -EINVAL);
	/* Closing frees the VIRQ for a new binding. */
	assert_int_equal(close_port(console), 0);
	assert_int_equal(bind_virq(VIRQ_CONSOLE, 0), console);
}

static void test_bind_virq_missing_vcpu(void **state)
{
	/* vCPU 2 is within max_vcpus but was never created. */
	fake_domain_get(&dom3, 3, false, 3, 2);
	assert_int_equal(evtchn_domain_init(&dom3.d, 100), 0);
	as(&dom3, 0);
	assert_int_equal(bind_virq(VIRQ_TIMER, 2), -ENOENT);
	assert_int_equal(bind_ipi(2), -ENOENT);
	assert_int_equal(bind_vcpu(1, 2), -ENOENT);
}

static void test_send_virq(void **state)
{
	long t0, t1, con;

	t1 = bind_virq(VIRQ_TIMER, 1);
	t0 = bind_virq(VIRQ_TIMER, 0);
	con = bind_virq(VIRQ_CONSOLE, 0);

	evtchn_send_virq(&dom0.vcpu[1], VIRQ_TIMER);
	assert_true(pending(&dom0, t1));
	assert_false(pending(&dom0, t0));
	assert_int_equal(vi(&dom0, 1)->evtchn_upcall_pending, 1);
	assert_int_equal(vi(&dom0, 0)->evtchn_upcall_pending, 0);
	assert_ptr_equal(fake_last_upcall, &dom0.vcpu[1]);

	evtchn_send_global_virq(&dom0.d, VIRQ_CONSOLE);
	assert_true(pending(&dom0, con));
	assert_ptr_equal(fake_last_upcall, &dom0.vcpu[0]);

	/* A global VIRQ follows its port to another vCPU. */
	ack_all(&dom0);
	assert_int_equal(bind_vcpu(con, 1), 0);
	evtchn_send_global_virq(&dom0.d, VIRQ_CONSOLE);
	assert_ptr_equal(fake_last_upcall, &dom0.vcpu[1]);
	/* Unbound, wrong-kind and out-of-range VIRQs raise nothing. */
	ack_all(&dom0);
	evtchn_send_virq(&dom0.vcpu[0], VIRQ_DEBUG);
	evtchn_send_virq(&dom0.vcpu[0], VIRQ_CONSOLE);
	evtchn_send_global_virq(&dom0.d, VIRQ_TIMER);
	evtchn_send_global_virq(&dom0.d, VIRQ_DOM_EXC);
	evtchn_send_virq(&dom0.vcpu[0], NR_VIRQS);
	evtchn_send_global_virq(&dom0.d, 1000);
	evtchn_send_global_virq(NULL, VIRQ_CONSOLE);
	assert_int_equal(fake_upcalls, 0);
	/* After close, the VIRQ is gone. */
	assert_int_equal(close_port(t1), 0);
	evtchn_send_virq(&dom0.vcpu[1], VIRQ_TIMER);
	assert_false(pending(&dom0, t1));
	assert_int_equal(fake_upcalls, 0);
}

/* ---- IPIs and delivery ------------------------------------------------- */

static void test_bind_ipi(void **state)
{
	long p;

	assert_int_equal(bind_ipi(2), -ENOENT);
	assert_int_equal(bind_ipi(~0U), -ENOENT);
	p = bind_ipi(1);
	assert_int_equal(p, 1);
	assert_int_equal(send(p), 0);
	assert_true(pending(&dom0, p));
	assert_ptr_equal(fake_last_upcall, &dom0.vcpu[1]);
	assert_int_equal(vi(&dom0, 1)->evtchn_pending_sel, 1);
	/* IPIs stay on their vCPU. */
	assert_int_equal(bind_vcpu(p, 0), -EINVAL);
}

static void test_delivery_bits(void **state)
{
	struct shared_info *s = dom0.d.shared_info;
	struct vcpu_info *v0 = vi(&dom0, 0);
	unsigned int i;
	long p = 0;

	/* A port in the second selector group. */
	for (i = 0; i < 70; i++)
		p = bind_ipi(0);
	assert_int_equal(p, 70);

	assert_int_equal(send(p), 0);
	assert_true(pending(&dom0, p));
	assert_int_equal(v0->evtchn_pending_sel, 1UL << 1);
	assert_int_equal(v0->evtchn_upcall_pending, 1);
	assert_int_equal(fake_upcalls, 1);
	/* Already pending: nothing more. */
	assert_int_equal(send(p), 0);
	assert_int_equal(fake_upcalls, 1);
	/* Guest acknowledged the upcall but not the port: still nothing. */
	v0->evtchn_upcall_pending = 0;
	v0->evtchn_pending_sel = 0;
	assert_int_equal(send(p), 0);
	assert_int_equal(v0->evtchn_pending_sel, 0);
	assert_int_equal(fake_upcalls, 1);
	/* Selector already set: the upcall is the guest's to find. */
	s->evtchn_pending[1] = 0;
	v0->evtchn_pending_sel = 1UL << 1;
	assert_int_equal(send(p), 0);
	assert_int_equal(v0->evtchn_upcall_pending, 0);
	assert_int_equal(fake_upcalls, 1);
	/* Upcall already pending: the selector is set, no second upcall. */
	s->evtchn_pending[1] = 0;
	v0->evtchn_pending_sel = 0;
	v0->evtchn_upcall_pending = 1;
	assert_int_equal(send(p), 0);
	assert_int_equal(v0->evtchn_pending_sel, 1UL << 1);
	assert_int_equal(fake_upcalls, 1);
	/* Other bits in the same words are left alone. */
	ack_all(&dom0);
	s->evtchn_pending[1] = 1UL << 63;
	v0->evtchn_pending_sel = 1UL << 5;
	assert_int_equal(send(p), 0);
	assert_int_equal(s->evtchn_pending[1], (1UL << 63) | (1UL << 6));
	assert_int_equal(v0->evtchn_pending_sel, (1UL << 5) | (1UL << 1));
	assert_int_equal(fake_upcalls, 1);
}

static void test_mask_and_unmask(void **state)
{
	struct vcpu_info *v0 = vi(&dom0, 0);
	long p = bind_ipi(0);

	set_mask(&dom0, p);
	assert_int_equal(send(p), 0);
	assert_true(pending(&dom0, p));
	assert_int_equal(v0->evtchn_pending_sel, 0);
	assert_int_equal(v0->evtchn_upcall_pending, 0);
	assert_int_equal(fake_upcalls, 0);
	/* Unmasking a pending port raises it. */
	assert_int_equal(unmask(p), 0);
	assert_false(masked(&dom0, p));
	assert_int_equal(v0->evtchn_pending_sel, 1);
	assert_int_equal(v0->evtchn_upcall_pending, 1);
	assert_int_equal(fake_upcalls, 1);
	/* Unmasking again, or a port that is not pending, raises nothing. */
	assert_int_equal(unmask(p), 0);
	ack_all(&dom0);
	set_mask(&dom0, p);
	assert_int_equal(unmask(p), 0);
	assert_int_equal(fake_upcalls, 0);
	assert_int_equal(unmask(0), 0); /* reserved: valid, nothing done */
	assert_int_equal(unmask(64), -EINVAL);
	assert_int_equal(unmask(~0U), -EINVAL);
}

static void test_unmask_other_vcpu(void **state)
{
	long uport, dport;

	as(&domu, 0);
	uport = alloc_unbound(DOMID_SELF, 0);
	as(&dom0, 0);
	dport = bind_interdomain(1, uport);
	assert_int_equal(bind_vcpu(dport, 1), 0);
	ack_all(&dom0);
	set_mask(&dom0, dport);
	as(&domu, 0);
	assert_int_equal(send(uport), 0);
	assert_int_equal(fake_upcalls, 0);
	as(&dom0, 0);
	assert_int_equal(unmask(dport), 0);
	assert_ptr_equal(fake_last_upcall, &dom0.vcpu[1]);
	assert_int_equal(vi(&dom0, 1)->evtchn_pending_sel, 1);
}

static void test_unregistered_vcpu_info(void **state)
{
	long p = bind_ipi(1);

	/* Before VCPUOP_register_vcpu_info: the port bit only. */
	dom0.vcpu[1].vcpu_info = NULL;
	assert_int_equal(send(p), 0);
	assert_true(pending(&dom0, p));
	assert_int_equal(fake_upcalls, 0);
}

static void test_port_poll(void **state)
{
	long p = bind_ipi(0);
	unsigned int notifies = fake_poll_notifies;

	dom0.d.nr_polling = 1; /* a vCPU in SCHEDOP_poll */
	assert_int_equal(evtchn_port_poll(&dom0.d, p), 0);
	assert_int_equal(send(p), 0);
	assert_int_equal(evtchn_port_poll(&dom0.d, p), 1);
	/* Pollers hear of it (SCHEDOP_poll). */
	assert_int_equal(fake_poll_notifies, notifies + 1);
	assert_int_equal(fake_poll_port, p);
	/* Port 0 is valid but never pending; beyond the ports: -EINVAL. */
	assert_int_equal(evtchn_port_poll(&dom0.d, 0), 0);
	assert_int_equal(evtchn_port_poll(&dom0.d, 4096), -EINVAL);
	assert_int_equal(evtchn_port_poll(&dom0.d, ~0U), -EINVAL);
	/* A free port's stale bit does not count. */
	dom0.d.shared_info->evtchn_pending[0] |= 1UL << 9;
	assert_int_equal(evtchn_port_poll(&dom0.d, 9), 0);
}

/* A masked port wakes its pollers too (Linux's spinlock kick). */
static void test_masked_port_notifies_pollers(void **state)
{
	long p = bind_ipi(0);

	dom0.d.shared_info->evtchn_mask[0] |= 1UL << p;
	fake_reset_records();
	dom0.d.nr_polling = 1; /* a vCPU in SCHEDOP_poll */
	assert_int_equal(send(p), 0);
	assert_int_equal(fake_upcalls, 0);
	assert_int_equal(fake_poll_notifies, 1);
	assert_int_equal(fake_poll_port, p);
	/* Already pending: nothing new to tell. */
	assert_int_equal(send(p), 0);
	assert_int_equal(fake_poll_notifies, 1);
}

/* Nobody polls: no poller is looked for. */
static void test_no_poller_no_notify(void **state)
{
	long p = bind_ipi(0);

	fake_reset_records();
	dom0.d.nr_polling = 0;
	assert_int_equal(send(p), 0);
	assert_int_equal(fake_upcalls, 1);
	assert_int_equal(fake_poll_notifies, 0);
}

/* ---- bind_vcpu, status ------------------------------------------------- */

static void test_bind_vcpu(void **state)
{
	long unbound, timer, dom_exc, ipi;

	unbound = alloc_unbound(DOMID_SELF, 1);
	timer = bind_virq(VIRQ_TIMER, 0);
	dom_exc = bind_virq(VIRQ_DOM_EXC, 0);
	ipi = bind_ipi(0);
	assert_int_equal(bind_vcpu(unbound, 1), 0);
	assert_int_equal(bind_vcpu(dom_exc, 1), 0);
	assert_int_equal(bind_vcpu(timer, 1), -EINVAL);
	assert_int_equal(bind_vcpu(ipi, 1), -EINVAL);
	assert_int_equal(bind_vcpu(0, 1), -EINVAL);
	assert_int_equal(bind_vcpu(30, 1), -EINVAL);
	assert_int_equal(bind_vcpu(9999, 1), -EINVAL);
	assert_int_equal(bind_vcpu(unbound, 2), -ENOENT);
	assert_int_equal(bind_vcpu(9999, 2), -ENOENT); /* vCPU checked first */

	/* The binding carries over when the port is connected. */
	as(&domu, 0);
	assert_true(bind_interdomain(0, unbound) > 0);
	ack_all(&dom0);
	assert_int_equal(send(1), 0);
	assert_ptr_equal(fake_last_upcall, &dom0.vcpu[1]);
	assert_int_equal(vi(&dom0, 1)->evtchn_upcall_pending, 1);
	assert_int_equal(vi(&dom0, 0)->evtchn_upcall_pending, 0);
}

static void test_status_permissions(void **state)
{
	struct evtchn_status st;
	long p;

	as(&domu, 0);
	p = bind_ipi(1);
	assert_int_equal(status(0, 1, &st), -EPERM);
	assert_int_equal(status(0, 9999, &st), -EPERM);
	assert_int_equal(status(5, 1, &st), -ESRCH);
	assert_int_equal(status(DOMID_SELF, 64, &st), -EINVAL);
	assert_int_equal(status(DOMID_SELF, ~0U, &st), -EINVAL);
	as(&dom0, 0);
	assert_int_equal(status(1, p, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_ipi);
	assert_int_equal(st.vcpu, 1);
	assert_int_equal(status(1, 64, &st), -EINVAL);
}

/* ---- XSM: silo (the default) and dummy --------------------------------- */

/* A second DomU, 3, with event channels. */
static void get_dom3(void)
{
	fake_domain_get(&dom3, 3, false, 2, 2);
	assert_int_equal(evtchn_domain_init(&dom3.d, 127), 0);
}

static void test_silo_alloc_unbound_between_domus(void **state)
{
	get_dom3();
	as(&dom3, 0);
	/* Silo: an offer to another DomU is refused, to Dom0 allowed. */
	assert_int_equal(alloc_unbound(DOMID_SELF, 1), -EPERM);
	/* Silo looks the remote domain up first: unknown is -ESRCH. */
	assert_int_equal(alloc_unbound(DOMID_SELF, 9), -ESRCH);
	assert_int_equal(alloc_unbound(DOMID_SELF, 0), 1);
	assert_int_equal(alloc_unbound(DOMID_SELF, DOMID_SELF), 2);
	assert_int_equal(alloc_unbound(3, 3), 3);
	/* The refusals left no port behind. */
	assert_int_equal(alloc_unbound(DOMID_SELF, 0), 4);
	/* Still XSM_TARGET: a DomU may not allocate in another DomU. */
	assert_int_equal(alloc_unbound(1, 3), -EPERM);
	/* The control domain as caller may pair two DomUs. */
	as(&dom0, 0);
	assert_int_equal(alloc_unbound(3, 1), 5);
	/* ... but not with a domain that does not exist. */
	assert_int_equal(alloc_unbound(3, 9), -ESRCH);
	assert_int_equal(alloc_unbound(DOMID_SELF, 9), -ESRCH);
}

static void test_silo_bind_interdomain_between_domus(void **state)
{
	struct evtchn_status st;
	long p3, p0;

	get_dom3();
	/* Dom0 offers a port of DomU 3 to DomU 1 (allowed to the caller). */
	p3 = alloc_unbound(3, 1);
	assert_int_equal(p3, 1);
	as(&domu, 0);
	assert_int_equal(bind_interdomain(3, p3), -EPERM);
	/* Checked after the port and its offer, as Xen does. */
	assert_int_equal(bind_interdomain(3, 2), -EINVAL);
	assert_int_equal(status(DOMID_SELF, 1, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_closed);
	as(&dom0, 0);
	assert_int_equal(status(3, p3, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	/* DomU <-> Dom0 keeps working both ways. */
	p0 = alloc_unbound(DOMID_SELF, 3);
	as(&dom3, 0);
	assert_true(bind_interdomain(0, p0) > 0);
	as(&domu, 0);
	p0 = alloc_unbound(DOMID_SELF, 0);
	as(&dom0, 0);
	assert_true(bind_interdomain(1, p0) > 0);
	/* So does the loopback within one DomU. */
	as(&dom3, 0);
	p3 = alloc_unbound(DOMID_SELF, DOMID_SELF);
	assert_true(bind_interdomain(DOMID_SELF, p3) > 0);
}

static void test_silo_is_the_default(void **state)
{
	xsm_init(XSM_POLICY_SILO);
	assert_int_equal(xsm_active_policy(), XSM_POLICY_SILO);
	xsm_init(XSM_POLICY_DEFAULT);
	assert_int_equal(xsm_active_policy(), XSM_POLICY_SILO);
}

static void test_dummy_allows_domu_to_domu(void **state)
{
	long p3, p1;

	xsm_init(XSM_POLICY_DUMMY);
	get_dom3();
	as(&dom3, 0);
	p3 = alloc_unbound(DOMID_SELF, 1);
	assert_int_equal(p3, 1);
	/* No lookup of the remote domain without silo. */
	assert_int_equal(alloc_unbound(DOMID_SELF, 9), 2);
	/* XSM_TARGET still holds. */
	assert_int_equal(alloc_unbound(1, 3), -EPERM);
	as(&domu, 0);
	p1 = bind_interdomain(3, p3);
	assert_int_equal(p1, 1);
	assert_true(pending(&domu, p1));
	ack_all(&domu);
	as(&dom3, 0);
	assert_int_equal(send(p3), 0);
	assert_true(pending(&domu, p1));
	as(&domu, 0);
	assert_int_equal(send(p1), 0);
	assert_true(pending(&dom3, p3));
}

/* ---- reset and destroy ------------------------------------------------- */

static void test_reset(void **state)
{
	struct evtchn_status st;
	long uport;

	as(&domu, 0);
	uport = alloc_unbound(DOMID_SELF, 0);
	bind_virq(VIRQ_TIMER, 0);
	bind_ipi(1);
	as(&dom0, 0);
	bind_interdomain(1, uport);
	as(&domu, 0);
	assert_int_equal(reset(EVTCHNOP_reset, 0), -EPERM);
	assert_int_equal(reset(EVTCHNOP_reset, 8), -ESRCH);
	assert_int_equal(reset(EVTCHNOP_reset_cont, DOMID_SELF), -EBUSY);
	assert_int_equal(reset(EVTCHNOP_reset, DOMID_SELF), 0);
	assert_int_equal(status(DOMID_SELF, uport, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_closed);
	/* Everything is free again, VIRQs included. */
	assert_int_equal(bind_virq(VIRQ_TIMER, 0), 1);
	/* Dom0's end is unbound, offered to DomU. */
	as(&dom0, 0);
	assert_int_equal(status(DOMID_SELF, 1, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 1);
	/* The privileged domain may reset another. */
	assert_int_equal(reset(EVTCHNOP_reset, 1), 0);
	assert_int_equal(status(1, 1, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_closed);
}

static void test_destroy(void **state)
{
	struct evtchn_status st;
	long uport, dport;

	as(&domu, 0);
	uport = alloc_unbound(DOMID_SELF, 0);
	as(&dom0, 0);
	dport = bind_interdomain(1, uport);
	evtchn_domain_destroy(&domu.d);
	assert_null(domu.d.evtchn);
	/* The peer is unbound, and DomU is unknown to event channels. */
	assert_int_equal(status(DOMID_SELF, dport, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	assert_int_equal(status(1, 1, &st), -ESRCH);
	assert_int_equal(alloc_unbound(1, 0), -ESRCH);
	assert_int_equal(bind_interdomain(1, uport), -ESRCH);
	/* A domain without event channels gets -ENOSYS; VIRQs are ignored. */
	as(&domu, 0);
	assert_int_equal(send(1), -ENOSYS);
	evtchn_send_virq(&domu.vcpu[0], VIRQ_TIMER);
	evtchn_send_global_virq(&domu.d, VIRQ_CONSOLE);
	assert_int_equal(evtchn_port_poll(&domu.d, 1), -EINVAL);
	evtchn_domain_destroy(&domu.d); /* twice is harmless */
}

static unsigned int xen_events;
static struct domain *xen_event_d;

static void xen_handler(struct domain *d, unsigned int port)
{
	xen_events++;
	xen_event_d = d;
	assert_int_equal(port, 1);
}

/*
 * Orchid's own end (the vpl011 ring's, Xen's xen_consumer): the backend
 * named binds it and its events reach Orchid's handler, not the guest;
 * Orchid's notifications reach the backend; the guest can neither close,
 * send on, move nor query it, and a reset keeps it.
 */
static void test_xen_port(void **state)
{
	struct evtchn_status st;
	long dport;

	xen_events = 0;
	assert_int_equal(evtchn_alloc_xen_unbound(&domu.d, 0, xen_handler), 1);
	/* Unbound: Orchid's notification is dropped. */
	evtchn_notify_xen(&domu.d, 1);
	as(&dom0, 0);
	dport = bind_interdomain(1, 1);
	assert_true(dport > 0);
	ack_all(&dom0);
	assert_int_equal(send(dport), 0);
	assert_int_equal(xen_events, 1);
	assert_ptr_equal(xen_event_d, &domu.d);
	assert_false(pending(&domu, 1));
	evtchn_notify_xen(&domu.d, 1);
	assert_true(pending(&dom0, dport));

	as(&domu, 0);
	assert_int_equal(send(1), -EINVAL);
	assert_int_equal(close_port(1), -EINVAL);
	assert_int_equal(bind_vcpu(1, 1), -EINVAL);
	assert_int_equal(status(DOMID_SELF, 1, &st), -EACCES);
	assert_int_equal(reset(EVTCHNOP_reset, DOMID_SELF), 0);
	as(&dom0, 0);
	ack_all(&dom0);
	assert_int_equal(send(dport), 0);
	assert_int_equal(xen_events, 2);

	/* Dom0 closes: Orchid's end waits for it again; teardown frees it. */
	assert_int_equal(close_port(dport), 0);
	dport = bind_interdomain(1, 1);
	assert_true(dport > 0);
	evtchn_free_xen(&domu.d, 1);
	assert_int_equal(status(DOMID_SELF, dport, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	as(&domu, 0);
	assert_int_equal(status(DOMID_SELF, 1, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_closed);
}

static void test_init_limits(void **state)
{
	fake_domain_get(&dom3, 3, false, 0, 0);
	assert_int_equal(evtchn_domain_init(&dom3.d, 100), -EINVAL);
	dom3.d.max_vcpus = 1;
	/* Beyond the 2-level limit is capped at 4096 ports. */
	assert_int_equal(evtchn_domain_init(&dom3.d, ~0U), 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_bad_argument_pointers),
		T(test_xen_port),
		T(test_unimplemented_ops),
		T(test_alloc_unbound_self),
		T(test_alloc_unbound_other_domain),
		T(test_port_exhaustion),
		T(test_out_of_memory),
		T(test_dying_domain_gets_no_ports),
		T(test_bind_interdomain),
		T(test_bind_interdomain_from_higher_id),
		T(test_bind_interdomain_errors),
		T(test_self_loop),
		T(test_close_interdomain),
		T(test_close_errors),
		T(test_ports_are_per_domain),
		T(test_bind_virq),
		T(test_bind_virq_missing_vcpu),
		T(test_send_virq),
		T(test_bind_ipi),
		T(test_delivery_bits),
		T(test_mask_and_unmask),
		T(test_unmask_other_vcpu),
		T(test_unregistered_vcpu_info),
		T(test_port_poll),
		T(test_masked_port_notifies_pollers),
		T(test_no_poller_no_notify),
		T(test_bind_vcpu),
		T(test_status_permissions),
		T(test_silo_alloc_unbound_between_domus),
		T(test_silo_bind_interdomain_between_domus),
		T(test_silo_is_the_default),
		T(test_dummy_allows_domu_to_domu),
		T(test_reset),
		T(test_destroy),
		T(test_init_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
