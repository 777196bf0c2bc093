// SPDX-License-Identifier: MIT
/*
 * Issue 10's scheduler benchmark (bench/sched.py): two domains of one
 * vCPU each sharing one pCPU, the guest as Dom0 (`mode=sched-bench`)
 * and as a boot-time DomU (`mode=sched-peer`). Dom0 drives; the DomU
 * follows the events of one interdomain channel:
 *
 *  1. yield ping-pong: Dom0 sends "start" and times N SCHEDOP_yield; the
 *     DomU yields in a loop, counting, until "stop", and prints its count
 *     (about N when the two alternated, far fewer when they did not).
 *  2. event ping-pong: N times, Dom0 sends and blocks until the DomU's
 *     answer; the DomU blocks, answers each event and blocks again. Each
 *     side sums the physical counter (common to both domains, unlike the
 *     virtual one) at its sends and in its handler; the script subtracts
 *     one side's send sum from the other's handler sum: the wake-up
 *     latency of a blocked vCPU, from EVTCHNOP_send to its handler.
 *  3. shares: the DomU spins; Dom0 sets both domains' parameters
 *     (XEN_DOMCTL_scheduler_op; ARINC 653: the schedule, set first, since
 *     the DomU gets no time before it), spins `ms=` itself and reads both
 *     vCPUs' run time (XEN_DOMCTL_getvcpuinfo).
 *
 * `pingpong=0` (both sides) skips 1 and 2: the null scheduler gives the
 * DomU no pCPU at all, ARINC 653 switches only at window boundaries.
 * sched_check.c (the checks with issue 10's margins) reuses the set-up,
 * the events and the parameter calls (bench_sched.h).
 */
#include "bench_sched.h"
#include "gic.h"
#include "guest.h"
#include "xen.h"

/* struct xen_domctl: 16 bytes of header, a 128-byte union. */
struct sb_domctl {
	uint32_t cmd;
	uint32_t interface_version;
	uint16_t domain;
	uint16_t pad[3];
	union {
		struct {
			uint32_t sched_id;
			uint32_t cmd;
			union {
				struct {
					uint16_t weight;
					uint16_t cap;
				} credit;
				struct {
					uint64_t vcpus; /* guest handle */
					uint32_t nr_vcpus;
					uint32_t pad;
				} v;
			} u;
		} sched;
		struct {
			uint32_t vcpu;
			uint8_t online, blocked, running;
			uint64_t cpu_time;
			uint32_t cpu;
		} vcpuinfo;
		uint8_t handle[16];
		uint8_t raw[128];
	} u;
};

/* struct xen_domctl_schedparam_vcpu, its RTDS member. */
struct sb_rtds_vcpu {
	uint32_t period, budget, flags; /* us, us, XEN_DOMCTL_SCHEDRT_* */
	uint32_t vcpuid;
};

/* struct xen_sysctl_arinc653_schedule (read whole by the hypervisor). */
struct sb_a653 {
	uint64_t major_frame;
	uint8_t nr;
	struct {
		uint8_t handle[16];
		uint32_t vcpu_id;
		uint64_t runtime;
	} e[64];
};

static char sb_shared[4096] __attribute__((aligned(4096)));
uint32_t sb_port;
volatile unsigned int sb_got;
static volatile int sb_timing;
static volatile uint64_t sb_handler_sum, sb_send_sum;

/* The physical counter: both hypervisors let EL1 read it, and it is the
 * same in every domain (the virtual one is offset per domain). */
uint64_t sb_pct(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(v)::"memory");
	return v;
}

/* The upcall: its time first; an event counts only if our port's
 * pending bit was set (Xen pends a port on bind_interdomain, and an
 * upcall may find the bit already taken by an earlier one). The bits
 * are cleared from the top down, as Linux does, so that an event sent
 * meanwhile raises another upcall. vCPU 0's vcpu_info is shared_info's
 * start: upcall_pending at +0, the selector at +8. */
static void sb_upcall(unsigned int cpu, unsigned int intid)
{
	uint64_t t = sb_pct();
	uint64_t *pending =
		(uint64_t *)(sb_shared + SHARED_INFO_EVTCHN_PENDING);
	uint64_t bit = 1ull << (sb_port % 64);

	(void)cpu;
	(void)intid;
	__atomic_store_n(&sb_shared[0], 0, __ATOMIC_SEQ_CST);
	__atomic_exchange_n((uint64_t *)(sb_shared + 8), 0, __ATOMIC_SEQ_CST);
	if (!(__atomic_fetch_and(&pending[sb_port / 64], ~bit,
				 __ATOMIC_SEQ_CST) &
	      bit))
		return;
	if (sb_timing)
		sb_handler_sum += t;
	sb_got++;
}

long sb_events_setup(void)
{
	struct xen_add_to_physmap map = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info,
		.gpfn = (uint64_t)(uintptr_t)sb_shared >> 12,
	};
	unsigned int irq = gic.evtchn_irq ? gic.evtchn_irq : EVTCHN_PPI;
	long rc = HC2(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, &map);

	if (rc)
		return rc;
	gic_irq_hook(irq, sb_upcall);
	gic_irq_enable(0, irq, 1);
	return 0;
}

/* New ports may start masked (Dom0's do on Xen): let @port's events in. */
void sb_unmask(uint32_t port)
{
	struct evtchn_unmask u = {.port = port};

	HC2(__HYPERVISOR_event_channel_op, EVTCHNOP_unmask, &u);
}

void sb_send(void)
{
	struct evtchn_send s = {.port = sb_port};

	HC2(__HYPERVISOR_event_channel_op, EVTCHNOP_send, &s);
}

/* Timed send: its counter value joins the sum the other side's handler
 * sum is compared with. */
static void sb_send_timed(void)
{
	sb_send_sum += sb_pct();
	sb_send();
}

/* Block until @want events have come. Interrupts are off around the
 * check, so an event between it and the block keeps the block short
 * (the hypervisor sees it pending) instead of being lost. */
static void sb_wait(unsigned int want)
{
	irq_off();
	while (sb_got < want) {
		HC2(__HYPERVISOR_sched_op, SCHEDOP_block, 0);
		irq_on(); /* the upcall is taken here */
		irq_off();
	}
	irq_on();
}

/* Drop an event pended at bind time: the port's bit, with interrupts
 * off, then let a late upcall find nothing. */
void sb_wait_quiet(void)
{
	uint64_t *pending =
		(uint64_t *)(sb_shared + SHARED_INFO_EVTCHN_PENDING);

	irq_off();
	__atomic_fetch_and(&pending[sb_port / 64], ~(1ull << (sb_port % 64)),
			   __ATOMIC_SEQ_CST);
	sb_got = 0;
	irq_on();
}

/* ---- the DomU ---------------------------------------------------------- */

static void __attribute__((noreturn)) sb_spin(void)
{
	printf("SCHEDPEER spinning\n");
	for (;;)
		__asm__ volatile("" ::: "memory");
}

void sched_peer_main(void)
{
	struct evtchn_alloc_unbound alloc = {.dom = DOMID_SELF,
					     .remote_dom = 0};
	unsigned long n = bootarg_ulong("n", 1000), yields = 0;
	long rc;

	if (bootarg_ulong("pingpong", 1) == 0)
		sb_spin();
	rc = sb_events_setup();
	if (!rc)
		rc = HC2(__HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound,
			 &alloc);
	printf("SCHEDPEER port=%u rc=%ld\n", alloc.port, rc);
	if (rc)
		sb_spin();
	sb_port = alloc.port;
	sb_unmask(sb_port);
	irq_on();
	sb_wait(1); /* start */
	while (sb_got < 2) {
		HC2(__HYPERVISOR_sched_op, SCHEDOP_yield, 0);
		yields++;
	}
	printf("SCHEDPEER yields=%lu\n", yields);
	sb_timing = 1;
	sb_send(); /* ready */
	for (unsigned long i = 0; i < n; i++) {
		sb_wait(3 + i);
		sb_send_timed();
	}
	sb_timing = 0;
	/* Print only once Dom0's timing is over: its last wake-up would
	 * wait for our console output otherwise. */
	sb_wait(3 + n);
	printf("SCHEDPEER sums n=%lu send=%lu handler=%lu\n", n,
	       (unsigned long)sb_send_sum, (unsigned long)sb_handler_sum);
	sb_spin();
}

/* ---- Dom0 -------------------------------------------------------------- */

static long sb_domctl(struct sb_domctl *op, uint32_t cmd, uint16_t dom)
{
	op->cmd = cmd;
	op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	op->domain = dom;
	return HC1(__HYPERVISOR_domctl, op);
}

uint32_t sb_sched_id(void)
{
	static struct xen_versioned_op op;

	op.cmd = XEN_SYSCTL_sched_id;
	op.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	if (HC1(__HYPERVISOR_sysctl, &op))
		return 0;
	return *(uint32_t *)op.rest;
}

/* A vCPU's run time so far, ns (what `xl vcpu-list` shows). */
uint64_t sb_vcpu_time(uint16_t dom)
{
	static struct sb_domctl op;

	memset(&op, 0, sizeof(op));
	if (sb_domctl(&op, XEN_DOMCTL_getvcpuinfo, dom))
		return 0;
	return op.u.vcpuinfo.cpu_time;
}

long sb_credit(uint16_t dom, uint32_t sched, uint16_t weight, uint16_t cap)
{
	static struct sb_domctl op;

	memset(&op, 0, sizeof(op));
	op.u.sched.sched_id = sched;
	op.u.sched.cmd = SCHEDOP_putinfo;
	op.u.sched.u.credit.weight = weight;
	op.u.sched.u.credit.cap = cap;
	return sb_domctl(&op, XEN_DOMCTL_scheduler_op, dom);
}

long sb_rtds(uint16_t dom, uint32_t period_us, uint32_t budget_us,
	     uint32_t flags)
{
	static struct sb_domctl op;
	static struct sb_rtds_vcpu v;

	memset(&op, 0, sizeof(op));
	v.period = period_us;
	v.budget = budget_us;
	v.flags = flags;
	v.vcpuid = 0;
	op.u.sched.sched_id = SCHED_RTDS;
	op.u.sched.cmd = SCHEDOP_putvcpuinfo;
	op.u.sched.u.v.vcpus = (uint64_t)(uintptr_t)&v;
	op.u.sched.u.v.nr_vcpus = 1;
	return sb_domctl(&op, XEN_DOMCTL_scheduler_op, dom);
}

/* Pool-0's major frame: Dom0, then the DomU (renamed so that the two zero
 * UUIDs differ). */
long sb_arinc653(uint64_t dom0_us, uint64_t domu_us)
{
	static struct sb_domctl op;
	static struct sb_a653 s;
	static struct xen_versioned_op sop;
	uint32_t *w = (uint32_t *)sop.rest;
	long rc;

	memset(&op, 0, sizeof(op));
	memset(op.u.handle, 0xab, sizeof(op.u.handle));
	rc = sb_domctl(&op, XEN_DOMCTL_setdomainhandle, PEER_DOMID);
	if (rc)
		return rc;
	memset(&s, 0, sizeof(s));
	s.major_frame = (dom0_us + domu_us) * 1000;
	s.nr = 2;
	s.e[0].runtime = dom0_us * 1000;
	memset(s.e[1].handle, 0xab, sizeof(s.e[1].handle));
	s.e[1].runtime = domu_us * 1000;
	sop.cmd = XEN_SYSCTL_scheduler_op;
	sop.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	w[0] = 0; /* cpupool_id: Pool-0 */
	w[1] = SCHED_ARINC653;
	w[2] = SCHEDOP_putinfo;
	*(uint64_t *)(sop.rest + 16) = (uint64_t)(uintptr_t)&s; /* the union */
	return HC1(__HYPERVISOR_sysctl, &sop);
}

/* Bind to the DomU's unbound port: the lowest that takes us, trying
 * again (yielding, so that the DomU runs) for a few hundred ms. */
long sb_bind(void)
{
	uint64_t end = sb_pct() + timer_ms(500);
	long rc = -1;

	while (sb_pct() < end) {
		for (uint32_t p = 1; p < MAX_PORT; p++) {
			struct evtchn_bind_interdomain b = {
				.remote_dom = PEER_DOMID, .remote_port = p};

			rc = HC2(__HYPERVISOR_event_channel_op,
				 EVTCHNOP_bind_interdomain, &b);
			if (!rc) {
				sb_port = b.local_port;
				sb_unmask(sb_port);
				return 0;
			}
		}
		HC2(__HYPERVISOR_sched_op, SCHEDOP_yield, 0);
	}
	return rc;
}

/* `ny=` yields (default n): profiling one phase by two runs that differ
 * in it alone. */
static void sb_pingpong(unsigned long n)
{
	unsigned long ny = bootarg_ulong("ny", n);
	uint64_t t0;

	check_eq("bind", sb_bind(), 0);
	irq_on();
	/* What bind_interdomain pended (an upcall that may still come
	 * finds the bit clear): not one of the DomU's events. */
	sb_wait_quiet();
	sb_send(); /* start: the DomU yields from now on */
	t0 = sb_pct();
	for (unsigned long i = 0; i < ny; i++)
		HC2(__HYPERVISOR_sched_op, SCHEDOP_yield, 0);
	printf("SCHED yield ops=%lu ticks=%lu\n", ny,
	       (unsigned long)(sb_pct() - t0));
	sb_send();  /* stop */
	sb_wait(1); /* ready */
	sb_timing = 1;
	t0 = sb_pct();
	for (unsigned long i = 0; i < n; i++) {
		sb_send_timed();
		sb_wait(2 + i);
	}
	t0 = sb_pct() - t0;
	sb_timing = 0;
	sb_send(); /* done: the DomU may print */
	printf("SCHED pingpong ops=%lu ticks=%lu\n", n, (unsigned long)t0);
	printf("SCHED sums n=%lu send=%lu handler=%lu\n", n,
	       (unsigned long)sb_send_sum, (unsigned long)sb_handler_sum);
}

/* Both spin for @ms; each domain's share of the time, from its vCPU's
 * run time. */
static void sb_share(unsigned long ms)
{
	uint64_t d0 = sb_vcpu_time(0), d1 = sb_vcpu_time(PEER_DOMID);
	uint64_t t0 = sb_pct(), end = t0 + timer_ms(ms);

	while (sb_pct() < end)
		;
	d0 = sb_vcpu_time(0) - d0;
	d1 = sb_vcpu_time(PEER_DOMID) - d1;
	printf("SCHED share wall_ns=%lu dom0_ns=%lu domu_ns=%lu\n",
	       (unsigned long)((sb_pct() - t0) * 1000000000ull / timer_freq()),
	       (unsigned long)d0, (unsigned long)d1);
}

static void sb_params(uint32_t sched)
{
	switch (sched) {
	case SCHED_CREDIT:
	case SCHED_CREDIT2:
		check_eq("weight-dom0", sb_credit(0, sched, 256, 0), 0);
		check_eq("weight-domu", sb_credit(PEER_DOMID, sched, 512, 0),
			 0);
		break;
	case SCHED_RTDS: /* the DomU 2 ms of 10, the hog (Dom0) the rest */
		check_eq("rtds-dom0", sb_rtds(0, 10000, 8000, SCHEDRT_extra),
			 0);
		check_eq("rtds-domu", sb_rtds(PEER_DOMID, 10000, 2000, 0), 0);
		break;
	default: break;
	}
}

void sched_bench_main(void)
{
	unsigned long n = bootarg_ulong("n", 1000);
	uint32_t sched = sb_sched_id();

	printf("SCHED freq=%lu n=%lu sched_id=%u\n",
	       (unsigned long)timer_freq(), n, sched);
	if (sched == SCHED_ARINC653)
		check_eq("arinc653-schedule", sb_arinc653(2000, 8000), 0);
	check_eq("events", sb_events_setup(), 0);
	if (bootarg_ulong("pingpong", 1))
		sb_pingpong(n);
	sb_params(sched);
	sb_share(bootarg_ulong("ms", 500));
	test_result();
}
