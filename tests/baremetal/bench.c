// SPDX-License-Identifier: MIT
/*
 * mode=bench n=<N>: the hypervisor microbenchmarks of issue 13, run as
 * Dom0 on one vCPU (bench/micro.py boots Orchid and Xen 4.17 with it
 * under QEMU -icount shift=0). Every row first checks that its operation
 * works (a check line each, so `make check` proves the rows run), then
 * times N repetitions with CNTVCT_EL0. The loop's own instructions (a
 * call, a branch) are in every row; the `guest-loop` row measures them
 * alone.
 *
 * Latency rows (event channel, SGI, timer) take the time from the
 * trigger, or the timer's deadline, to the IRQ vector's counter read
 * (vectors.S: 11 guest instructions after the exception is taken).
 */
#include "bench.h"
#include "gic.h"
#include "guest.h"
#include "xen.h"

#define SMCCC_VERSION 0x80000000ul
#define GICD_CTLR     0x0000
#define GICD_ISENABLR 0x0100
/* QEMU virt's last virtio-mmio transport (SPI 31): no device behind it
 * in these runs, so enabling it changes nothing the guest can see. */
#define QUIET_SPI 63u
#define WAIT_MS	  100

static char shared_page[4096] __attribute__((aligned(4096)));

uint64_t bench_now(void)
{
	return timer_now();
}

unsigned long bench_n(void)
{
	unsigned long n = bootarg_ulong("n", 1000);

	return n ? n : 1;
}

/* `only=<prefix>` runs the rows whose name starts so (for profiling one
 * row: the rest of the run is then the same with n=N1 and n=N2). */
int bench_wanted(const char *row)
{
	char only[32];

	if (!bootarg("only", only, sizeof(only)))
		return 1;
	return !memcmp(row, only,
		       strlen(only) < strlen(row) + 1 ? strlen(only)
						      : strlen(row) + 1);
}

void bench_report(const char *row, unsigned long ops, uint64_t ticks,
		  uint64_t total)
{
	printf("BENCH %s ops=%lu ticks=%lu total=%lu\n", row, ops,
	       (unsigned long)ticks, (unsigned long)(total ? total : ticks));
}

/* Times n calls of fn(arg). */
static void timed(const char *row, long (*fn)(void), unsigned long n)
{
	uint64_t t0 = bench_now();

	if (!bench_wanted(row))
		return;
	for (unsigned long i = 0; i < n; i++)
		fn();
	bench_report(row, n, bench_now() - t0, 0);
}

static long __attribute__((noinline)) op_nothing(void)
{
	__asm__ volatile("" ::: "memory");
	return 0;
}

static long op_xen_version(void)
{
	return HC2(__HYPERVISOR_xen_version, XENVER_version, 0);
}

static long op_smccc_version(void)
{
	return smccc_hvc(SMCCC_VERSION, 0, 0, 0);
}

static long op_psci_version(void)
{
	return smccc_hvc(PSCI_VERSION, 0, 0, 0);
}

static long op_yield(void)
{
	return HC2(__HYPERVISOR_sched_op, SCHEDOP_yield, 0);
}

static long op_gicd_ctlr(void)
{
	return mmio_read32(gic.gicd + GICD_CTLR);
}

static long op_gicd_isenabler(void)
{
	mmio_write32(gic.gicd + GICD_ISENABLR + QUIET_SPI / 32 * 4,
		     1u << (QUIET_SPI % 32));
	return 0;
}

/* MDSCR_EL1: trapped by MDCR_EL2.TDA on both hypervisors, RAZ. */
static long op_mdscr(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, mdscr_el1" : "=r"(v)::"memory");
	return (long)v;
}

static void trap_rows(unsigned long n)
{
	check_eq("xen_version", op_xen_version(), 0x40011);
	check_eq("smccc_version", op_smccc_version(), 0x10001);
	check_true("psci_version", op_psci_version() >= 0x10000, "");
	check_eq("sched_yield", op_yield(), 0);
	check_eq("mdscr_el1", op_mdscr(), 0);
	timed("guest-loop", op_nothing, n);
	timed("xen_version", op_xen_version, n);
	timed("smccc_version", op_smccc_version, n);
	timed("psci_version", op_psci_version, n);
	timed("sched_yield", op_yield, n);
	timed("mdscr_el1-read", op_mdscr, n);
	if (!gic.version) {
		skip("gicd", "no GIC in the DTB");
		return;
	}
	timed("gicd_ctlr-read", op_gicd_ctlr, n);
	timed("gicd_isenabler-write", op_gicd_isenabler, n);
}

/* ---- interrupt latency ------------------------------------------------ */

static volatile unsigned int arrived;

static void count_hook(unsigned int cpu, unsigned int intid)
{
	arrived++;
}

static void timer_hook(unsigned int cpu, unsigned int intid)
{
	timer_virt_stop();
	arrived++;
}

/* vCPU 0's vcpu_info is shared_info's first 64 bytes: upcall_pending at
 * +0, the selector at +8. The pending bit of the port must go too, or
 * the next send finds it set and raises no upcall. */
static uint32_t evtchn_port;

static void upcall_hook(unsigned int cpu, unsigned int intid)
{
	uint64_t *pending =
		(uint64_t *)(shared_page + SHARED_INFO_EVTCHN_PENDING);

	shared_page[0] = 0;
	__atomic_store_n((uint64_t *)(shared_page + 8), 0, __ATOMIC_SEQ_CST);
	__atomic_fetch_and(&pending[evtchn_port / 64],
			   ~(1ull << (evtchn_port % 64)), __ATOMIC_SEQ_CST);
	arrived++;
}

/* Waits (interrupts on) until the handler has run `want` times. */
static int wait_arrived(unsigned int want)
{
	uint64_t end = bench_now() + timer_ms(WAIT_MS);

	while (arrived < want)
		if (bench_now() > end)
			return 0;
	return 1;
}

/*
 * trigger() starts one interrupt and returns the tick its latency counts
 * from; sums the latencies to the vector of n of them.
 */
static int latency(const char *row, uint64_t (*trigger)(void), unsigned long n)
{
	uint64_t sum = 0, t0 = bench_now();

	if (!bench_wanted(row))
		return 1;
	for (unsigned long i = 0; i < n; i++) {
		unsigned int want = arrived + 1;
		uint64_t from = trigger();

		if (!wait_arrived(want)) {
			printf("BENCH %s: interrupt %lu never came\n", row, i);
			return 0;
		}
		sum += irq_entry_ticks - from;
	}
	bench_report(row, n, sum, bench_now() - t0);
	return 1;
}

static uint64_t trigger_sgi(void)
{
	uint64_t t = bench_now();

	gic_send_sgi(1u << 0, 1);
	return t;
}

/* The deadline a few µs ahead: the handler's time counts from it. */
static uint64_t trigger_timer(void)
{
	uint64_t cval = bench_now() + 64;

	timer_virt_arm(cval);
	return cval;
}

static uint64_t trigger_evtchn(void)
{
	struct evtchn_send s = {.port = evtchn_port};
	uint64_t t = bench_now();

	HC2(__HYPERVISOR_event_channel_op, EVTCHNOP_send, &s);
	return t;
}

/* 0, or why the event channel could not be set up. */
static long evtchn_setup(void)
{
	struct xen_add_to_physmap map = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info,
		.gpfn = (uint64_t)(uintptr_t)shared_page >> 12,
	};
	struct evtchn_bind_ipi ipi = {.vcpu = 0};
	struct evtchn_unmask u;
	long rc = HC2(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, &map);

	if (rc)
		return rc;
	rc = HC2(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_ipi, &ipi);
	if (rc)
		return rc;
	evtchn_port = ipi.port;
	u.port = ipi.port;
	HC2(__HYPERVISOR_event_channel_op, EVTCHNOP_unmask, &u);
	upcall_hook(0, 0);
	arrived = 0;
	gic_irq_hook(gic.evtchn_irq, upcall_hook);
	gic_irq_enable(0, gic.evtchn_irq, 1);
	return 0;
}

static void irq_rows(unsigned long n)
{
	if (!gic.version) {
		skip("irq", "no GIC in the DTB");
		return;
	}
	irq_on();
	gic_irq_hook(1, count_hook);
	check_true("sgi-self", latency("sgi-self", trigger_sgi, n), "");
	gic_irq_hook(IRQ_VTIMER, timer_hook);
	gic_irq_enable(0, IRQ_VTIMER, 1);
	check_true("vtimer", latency("vtimer-deadline", trigger_timer, n), "");
	gic_irq_enable(0, IRQ_VTIMER, 0);
	if (!gic.evtchn_irq) {
		skip("evtchn", "no /hypervisor interrupt in the DTB");
		return;
	}
	check_eq("evtchn-setup", evtchn_setup(), 0);
	check_true("evtchn-send",
		   latency("evtchn-send-upcall", trigger_evtchn, n), "");
	irq_off();
}

void bench_main(void)
{
	unsigned long n = bench_n();
	char rows[16];

	printf("BENCH freq=%lu n=%lu\n", (unsigned long)timer_freq(), n);
	if (bootarg("rows", rows, sizeof(rows)) && !memcmp(rows, "remote", 7)) {
		bench_remote(n); /* a run of their own: two vCPUs */
		test_result();
	}
	trap_rows(n);
	irq_rows(n);
	bench_gnttab();
	test_result();
}
