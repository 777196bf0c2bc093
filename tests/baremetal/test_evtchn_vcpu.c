// SPDX-License-Identifier: MIT
/*
 * Event channels delivered to vCPU 1 through the upcall PPI (/hypervisor
 * in the DTB): an IPI port bound on vCPU 1 and a loopback port moved to
 * vCPU 1 with EVTCHNOP_bind_vcpu, each sent from vCPU 0, arrive on vCPU 1
 * vCPU 1's upcall handler; then bind_vcpu's refusals. Runs after
 * test_vcpu_info, which registered vCPU 1's vcpu_info (Arm's shared_info
 * holds vCPU 0's only). The handler clears upcall_pending and the
 * selector, which is what lets the next port raise the upcall again;
 * shared_info itself stays where test_evtchn_loop mapped it (a second
 * mapping is EBUSY on both hypervisors), so each send uses a new port.
 */
#include "gic.h"
#include "guest.h"
#include "xen.h"

#define WAIT_MS 1000

static long evtchn(unsigned int cmd, void *arg)
{
	return HC2(__HYPERVISOR_event_channel_op, cmd, arg);
}

static unsigned int slow_handler_ms;
static volatile unsigned int handlers_done;

/*
 * vCPU 1's events acknowledged (vcpu1_events_ack).
 * The first upcall's handler is slowed as host load slows it: a sender
 * that went on before the handler was done had its next event cleared
 * by it (the framework counted before the hook; seen once under load).
 */
static void upcall_hook(unsigned int cpu, unsigned int intid)
{
	if (cpu != 1)
		return;
	if (slow_handler_ms)
		delay_ms(slow_handler_ms);
	vcpu1_events_ack();
	handlers_done = handlers_done + 1;
}

/*
 * Registration marked everything pending, but vCPU 1's PPI was cleared
 * when it came up (gic_cpu_init): start from a clean vcpu_info, as a
 * guest does when it sets its upcall up, then let the PPI in.
 */
static void enable_upcall(unsigned long arg)
{
	upcall_hook(1, 0);
	gic_irq_enable(this_cpu(), gic.evtchn_irq, 1);
}

static void unmask(uint32_t port)
{
	struct evtchn_unmask u = {.port = port};

	evtchn(EVTCHNOP_unmask, &u);
}

static unsigned int want_count;

static int upcalls_reached(void)
{
	return irq_count(1, gic.evtchn_irq) >= want_count;
}

/* Sends @port from vCPU 0: vCPU 1 must take an upcall. */
static void send_expect_vcpu1(const char *name, uint32_t port)
{
	struct evtchn_send send = {.port = port};
	char check[48];

	want_count = irq_count(1, gic.evtchn_irq) + 1;
	check_eq(name, evtchn(EVTCHNOP_send, &send), 0);
	snprintf(check, sizeof(check), "%s-upcall-on-vcpu1", name);
	check_true(check, irq_wait(upcalls_reached, WAIT_MS), "no upcall PPI");
	snprintf(check, sizeof(check), "%s-counted-after-handler", name);
	check_true(check, handlers_done >= irq_count(1, gic.evtchn_irq),
		   "an upcall was counted before its handler ended");
	slow_handler_ms = 0;
}

static void refusals(uint32_t ipi_port)
{
	struct evtchn_bind_vcpu bv = {.port = ipi_port, .vcpu = 0};

	/* Only interdomain, unbound, global VIRQ and PIRQ ports move. */
	check_eq("bind_vcpu-ipi-port", evtchn(EVTCHNOP_bind_vcpu, &bv),
		 -XEN_EINVAL);
	bv.vcpu = 7;
	check_eq("bind_vcpu-vcpu-absent", evtchn(EVTCHNOP_bind_vcpu, &bv),
		 -XEN_ENOENT);
}

static void close_port(uint32_t port)
{
	struct evtchn_close c = {.port = port};

	evtchn(EVTCHNOP_close, &c);
}

void test_evtchn_vcpu(void)
{
	struct evtchn_bind_ipi ipi = {.vcpu = 1};
	struct evtchn_alloc_unbound alloc = {.dom = DOMID_SELF,
					     .remote_dom = DOMID_SELF};
	struct evtchn_bind_interdomain b = {.remote_dom = DOMID_SELF};
	struct evtchn_bind_vcpu bv = {.vcpu = 1};

	if (!gic.version || !gic.evtchn_irq) {
		skip("all", "no GIC or no /hypervisor interrupt in the DTB");
		return;
	}
	if (smp_start(1)) {
		skip("all", "vCPU 1 did not start");
		return;
	}
	gic_irq_hook(gic.evtchn_irq, upcall_hook);
	smp_call(1, enable_upcall, 0, WAIT_MS);
	delay_ms(20); /* what registration marked pending comes first */
	handlers_done = irq_count(1, gic.evtchn_irq);
	slow_handler_ms = 50;

	check_eq("bind_ipi-vcpu1", evtchn(EVTCHNOP_bind_ipi, &ipi), 0);
	unmask(ipi.port);
	send_expect_vcpu1("send-ipi", ipi.port);

	check_eq("alloc_unbound", evtchn(EVTCHNOP_alloc_unbound, &alloc), 0);
	b.remote_port = alloc.port;
	check_eq("bind_interdomain-self", evtchn(EVTCHNOP_bind_interdomain, &b),
		 0);
	bv.port = alloc.port;
	check_eq("bind_vcpu-to-vcpu1", evtchn(EVTCHNOP_bind_vcpu, &bv), 0);
	unmask(alloc.port);
	send_expect_vcpu1("send-loopback", b.local_port);
	refusals(ipi.port);
	close_port(ipi.port);
	close_port(b.local_port);
	close_port(alloc.port);
}
