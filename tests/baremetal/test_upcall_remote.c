// SPDX-License-Identifier: MIT
/*
 * `mode=upcall-remote order=before|after|self`: vCPU 0 sets up vCPU 1's
 * event-channel upcall, as a guest's boot vCPU sets up its secondaries,
 * and an IPI port bound to vCPU 1 and sent from vCPU 0 must reach vCPU 1
 * while it waits in WFI. One boot per order: a vcpu_info registers once
 * in a domain's life.
 *
 *   before  vCPU 0 registers vCPU 1's vcpu_info while vCPU 1 was never
 *           started, then starts it with PSCI CPU_ON;
 *   after   vCPU 1 runs: vCPU 0's registration of it is refused (Xen
 *           4.17's map_vcpu_info: -EINVAL unless the caller or a vCPU
 *           that is down); vCPU 1 goes down (CPU_OFF), vCPU 0 registers
 *           it, CPU_ON again;
 *   self    vCPU 1 registers its own, the way Linux does.
 *
 * Then vCPU 1 enables its upcall PPI and blocks in WFI, vCPU 0 clears
 * vCPU 1's upcall_pending and selector (what registration set: "mark
 * everything pending") and sends. Orchid lost that send in `before` and
 * `after` (bench_remote.c's first evtchn-send-remote runs): registering a
 * vCPU that is down raised its upcall line, the raise was dropped (a down
 * vCPU loses what is sent to it) but the line stayed recorded high, so
 * the send's raise changed nothing and woke nobody. Fixed that alone, it
 * still lost it: vCPU 1's first entry made the line pending, and its
 * gic_cpu_init's ICPENDR cleared that while the line stayed high.
 *
 * Whether registration's own upcall reaches vCPU 1 once it enables its
 * PPI is printed, not checked: Xen 4.17's vGIC dropped it for a vCPU that
 * is down and leaves upcall_pending set (no further upcall until the
 * guest clears it); Orchid's upcall line follows upcall_pending, as Xen's
 * new vGIC does, and delivers it ("the domain will get a spurious event").
 */
#include "gic.h"
#include "guest.h"
#include "xen.h"

#define WAIT_MS 1000
#define SENDS	3

static char upcall_shared[4096] __attribute__((aligned(4096)));
static uint32_t port;
static volatile int stop;
static volatile long self_rc;

static long evtchn(unsigned int cmd, void *arg)
{
	return HC2(__HYPERVISOR_event_channel_op, cmd, arg);
}

/* vCPU 1's upcall_pending (+0) and 2-level selector (+8), then the port. */
static void vcpu1_events_clear(void)
{
	uint64_t *pending =
		(uint64_t *)(upcall_shared + SHARED_INFO_EVTCHN_PENDING);

	vcpu1_events_ack();
	if (port)
		__atomic_fetch_and(&pending[port / 64], ~(1ull << (port % 64)),
				   __ATOMIC_SEQ_CST);
}

static void upcall_hook(unsigned int cpu, unsigned int intid)
{
	if (cpu == 1)
		vcpu1_events_clear();
}

static void self_register(unsigned long arg)
{
	self_rc = vcpu1_info_register();
}

/* On vCPU 1: its own PPI (gic_cpu_init left it disabled), nothing else. */
static void ppi_enable(unsigned long arg)
{
	gic_irq_enable(this_cpu(), gic.evtchn_irq, 1);
}

static void wait_in_wfi(unsigned long arg)
{
	irq_on();
	while (!stop)
		__asm__ volatile("wfi" ::: "memory");
	irq_off();
}

static void cpu_off(unsigned long arg)
{
	smccc_hvc(PSCI_CPU_OFF, 0, 0, 0);
	smp_mark_online(1); /* CPU_OFF came back: vCPU 1 is still up */
}

/* 0 once vCPU 1 is down (CPU_OFF on itself). */
static int vcpu1_down(void)
{
	smp_mark_offline(1);
	smp_post(1, cpu_off, 0);
	return smp_wait_off(1);
}

static int same(const char *a, const char *b)
{
	return strlen(a) == strlen(b) && !memcmp(a, b, strlen(a));
}

/* 0, or the failing step's error, the registration as @order says. */
static long register_vcpu1(const char *order)
{
	if (same(order, "before")) {
		check_eq("register-vcpu1-never-started", vcpu1_info_register(),
			 0);
		return smp_start(1);
	}
	if (smp_start(1))
		return -1;
	if (same(order, "self")) {
		if (smp_call(1, self_register, 0, WAIT_MS))
			return -1;
		check_eq("register-vcpu1-by-itself", self_rc, 0);
		return 0;
	}
	check_eq("register-vcpu1-running-refused", vcpu1_info_register(),
		 -XEN_EINVAL);
	check_eq("vcpu1-cpu-off", vcpu1_down(), 0);
	check_eq("register-vcpu1-after-cpu-off", vcpu1_info_register(), 0);
	return smp_start(1);
}

/* shared_info (to clear the port's pending bit), an IPI port on vCPU 1. */
static long port_setup(void)
{
	struct xen_add_to_physmap map = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info,
		.gpfn = (uint64_t)(uintptr_t)upcall_shared >> 12,
	};
	struct evtchn_bind_ipi ipi = {.vcpu = 1};
	struct evtchn_unmask u;
	long rc = HC2(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, &map);

	if (!rc)
		rc = evtchn(EVTCHNOP_bind_ipi, &ipi);
	if (rc)
		return rc;
	u.port = ipi.port;
	rc = evtchn(EVTCHNOP_unmask, &u);
	port = ipi.port;
	return rc;
}

static unsigned int want_count;

static int upcalls_reached(void)
{
	return irq_count(1, gic.evtchn_irq) >= want_count;
}

static int send_reaches_vcpu1(void)
{
	struct evtchn_send s = {.port = port};

	want_count = irq_count(1, gic.evtchn_irq) + 1;
	if (evtchn(EVTCHNOP_send, &s))
		return 0;
	return irq_wait(upcalls_reached, WAIT_MS);
}

static void sends(void)
{
	char name[32];

	for (unsigned int i = 0; i < SENDS; i++) {
		delay_ms(20); /* vCPU 1 blocks in WFI again */
		snprintf(name, sizeof(name), "send-%u-reaches-vcpu1-in-wfi", i);
		check_true(name, send_reaches_vcpu1(), "no upcall on vCPU 1");
	}
}

/* Out of wait_in_wfi for good: by the port itself. */
static void release_vcpu1(void)
{
	stop = 1;
	__asm__ volatile("dsb ish" ::: "memory");
	send_reaches_vcpu1();
	check_eq("vcpu1-released", smp_done(1, WAIT_MS), 0);
}

void upcall_remote_main(void)
{
	char order[8] = "before";

	bootarg("order", order, sizeof(order));
	printf("upcall-remote: order=%s\n", order);
	if (!gic.version || !gic.evtchn_irq || smp_nr_cpus() < 2) {
		skip("all", "no GIC, no /hypervisor interrupt or one vCPU");
		test_result();
	}
	if (register_vcpu1(order)) {
		check_true("vcpu1-up", 0, "vCPU 1 did not start");
		test_result();
	}
	check_eq("bind-ipi-vcpu1", port_setup(), 0);
	gic_irq_hook(gic.evtchn_irq, upcall_hook);
	check_eq("vcpu1-ppi-enable", smp_call(1, ppi_enable, 0, WAIT_MS), 0);
	delay_ms(50);
	printf("upcall-remote: %u upcall(s) on vCPU 1 from registration\n",
	       irq_count(1, gic.evtchn_irq));
	smp_post(1, wait_in_wfi, 0);
	delay_ms(50);	      /* vCPU 1 blocks in WFI */
	vcpu1_events_clear(); /* from vCPU 0: what registration marked */
	sends();
	release_vcpu1();
	test_result();
}
