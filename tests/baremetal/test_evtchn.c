// SPDX-License-Identifier: MIT
/*
 * event_channel_op: a port's life (alloc_unbound, status, send, close),
 * then ports just past the end, bad domain IDs, vCPU IDs and commands.
 */
#include "guest.h"
#include "xen.h"

static long evtchn(unsigned int cmd, void *arg)
{
	return HC2(__HYPERVISOR_event_channel_op, cmd, arg);
}

static long status_of(uint16_t dom, uint32_t port, uint32_t *state)
{
	struct evtchn_status st = {.dom = dom, .port = port};
	long rc = evtchn(EVTCHNOP_status, &st);

	*state = st.status;
	return rc;
}

static void port_out_of_range(const char *what, uint32_t port)
{
	struct evtchn_send send = {.port = port};
	struct evtchn_close close = {.port = port};
	char name[48];
	uint32_t state;

	snprintf(name, sizeof(name), "send-%s", what);
	check_eq(name, evtchn(EVTCHNOP_send, &send), -XEN_EINVAL);
	snprintf(name, sizeof(name), "close-%s", what);
	check_eq(name, evtchn(EVTCHNOP_close, &close), -XEN_EINVAL);
	snprintf(name, sizeof(name), "status-%s", what);
	check_eq(name, status_of(DOMID_SELF, port, &state), -XEN_EINVAL);
}

/* vCPU IDs and ports out of range for the ops that take both, and a
 * reset of a domain that does not exist. */
static void vcpu_and_reset_checks(void)
{
	struct evtchn_bind_ipi ipi = {.vcpu = 1000};
	struct evtchn_bind_vcpu bind = {.port = EVTCHN_2L_NR_PORTS};
	struct evtchn_unmask unmask = {.port = EVTCHN_2L_NR_PORTS};
	struct evtchn_reset reset = {.dom = DOMID_INVALID};

	check_eq("bind_ipi-vcpu-out-of-range", evtchn(EVTCHNOP_bind_ipi, &ipi),
		 -XEN_ENOENT);
	check_eq("bind_vcpu-port-past-2l-ports",
		 evtchn(EVTCHNOP_bind_vcpu, &bind), -XEN_EINVAL);
	check_eq("unmask-port-past-2l-ports", evtchn(EVTCHNOP_unmask, &unmask),
		 -XEN_EINVAL);
	check_eq("reset-dom-invalid", evtchn(EVTCHNOP_reset, &reset),
		 -XEN_ESRCH);
	reset.dom = ABSENT_DOMID;
	check_eq("reset-dom-absent", evtchn(EVTCHNOP_reset, &reset),
		 -XEN_ESRCH);
}

/* A VIRQ port and an IPI port: what send and a second bind make of them. */
static void virq_and_ipi(void)
{
	struct evtchn_bind_virq virq = {.virq = 0, .vcpu = 0}; /* TIMER */
	struct evtchn_bind_ipi ipi = {.vcpu = 0};
	struct evtchn_send send;
	struct evtchn_close close;
	uint32_t state;

	check_eq("bind_virq-timer", evtchn(EVTCHNOP_bind_virq, &virq), 0);
	check_eq("status-virq", status_of(DOMID_SELF, virq.port, &state), 0);
	check_eq("status-virq-state", state, EVTCHNSTAT_virq);
	check_eq("bind_virq-timer-again", evtchn(EVTCHNOP_bind_virq, &virq),
		 -XEN_EEXIST);
	send.port = virq.port;
	check_eq("send-virq-port", evtchn(EVTCHNOP_send, &send), -XEN_EINVAL);
	close.port = virq.port;
	check_eq("close-virq-port", evtchn(EVTCHNOP_close, &close), 0);
	check_eq("bind_ipi", evtchn(EVTCHNOP_bind_ipi, &ipi), 0);
	check_eq("status-ipi", status_of(DOMID_SELF, ipi.port, &state), 0);
	check_eq("status-ipi-state", state, EVTCHNSTAT_ipi);
	send.port = ipi.port;
	check_eq("send-ipi-port", evtchn(EVTCHNOP_send, &send), 0);
	close.port = ipi.port;
	check_eq("close-ipi-port", evtchn(EVTCHNOP_close, &close), 0);
}

void test_evtchn(void)
{
	struct evtchn_alloc_unbound alloc = {.dom = DOMID_SELF,
					     .remote_dom = DOMID_SELF};
	struct evtchn_bind_virq virq = {.virq = 0, .vcpu = 1000};
	struct evtchn_send send;
	struct evtchn_close close;
	uint32_t state = 0xdead;

	check_eq("alloc_unbound", evtchn(EVTCHNOP_alloc_unbound, &alloc), 0);
	check_true("alloc_unbound-port", alloc.port != 0, "");
	check_eq("status-unbound", status_of(DOMID_SELF, alloc.port, &state),
		 0);
	check_eq("status-unbound-state", state, EVTCHNSTAT_unbound);
	send.port = alloc.port;
	check_eq("send-unbound", evtchn(EVTCHNOP_send, &send), 0);
	close.port = alloc.port;
	check_eq("close", evtchn(EVTCHNOP_close, &close), 0);
	check_eq("status-closed", status_of(DOMID_SELF, alloc.port, &state), 0);
	check_eq("status-closed-state", state, EVTCHNSTAT_closed);
	check_eq("close-again", evtchn(EVTCHNOP_close, &close), -XEN_EINVAL);

	send.port = 0;
	check_eq("send-port0-reserved", evtchn(EVTCHNOP_send, &send),
		 -XEN_EINVAL);
	port_out_of_range("last-2l-port", EVTCHN_2L_NR_PORTS - 1);
	port_out_of_range("past-2l-ports", EVTCHN_2L_NR_PORTS);
	port_out_of_range("port-negative", 0xffffffffu);

	/* The guest naming itself by its ID rather than DOMID_SELF. */
	alloc.dom = guest_domid();
	alloc.remote_dom = guest_domid();
	check_eq("alloc_unbound-own-domid",
		 evtchn(EVTCHNOP_alloc_unbound, &alloc), 0);
	close.port = alloc.port;
	check_eq("close-own-domid-port", evtchn(EVTCHNOP_close, &close), 0);
	alloc.remote_dom = DOMID_SELF;
	alloc.dom = DOMID_INVALID;
	check_eq("alloc_unbound-dom-invalid",
		 evtchn(EVTCHNOP_alloc_unbound, &alloc), -XEN_ESRCH);
	alloc.dom = DOMID_SELF;
	alloc.remote_dom = DOMID_INVALID;
	check_eq("alloc_unbound-remote-invalid",
		 evtchn(EVTCHNOP_alloc_unbound, &alloc), -XEN_ESRCH);
	alloc.dom = ABSENT_DOMID;
	alloc.remote_dom = DOMID_SELF;
	check_eq("alloc_unbound-dom-absent",
		 evtchn(EVTCHNOP_alloc_unbound, &alloc), -XEN_ESRCH);
	check_eq("status-dom-invalid", status_of(DOMID_INVALID, 1, &state),
		 -XEN_ESRCH);
	check_eq("bind_virq-vcpu-out-of-range",
		 evtchn(EVTCHNOP_bind_virq, &virq), -XEN_ENOENT);
	virq.virq = 1000;
	virq.vcpu = 0;
	check_eq("bind_virq-virq-out-of-range",
		 evtchn(EVTCHNOP_bind_virq, &virq), -XEN_EINVAL);
	check_eq("send-null", evtchn(EVTCHNOP_send, 0), -XEN_EFAULT);
	virq_and_ipi();
	vcpu_and_reset_checks();
	check_eq("send-wrapping", evtchn(EVTCHNOP_send, (void *)WRAPPING),
		 -XEN_EFAULT);
	check_eq("unknown-cmd", evtchn(99, &send), -XEN_ENOSYS);
}
