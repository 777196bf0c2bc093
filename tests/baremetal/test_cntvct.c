// SPDX-License-Identifier: MIT
/*
 * `mode=cntvct` (Dom0, three vCPUs on three pCPUs): the virtual counter
 * (CNTVCT_EL0 = CNTPCT_EL0 - CNTVOFF_EL2) is one clock for the whole
 * domain, as on Xen 4.17, which takes CNTVOFF from the counter once, when
 * the domain is created (virt_timer_base.offset), and writes it on every
 * vCPU load:
 *
 *  - counts-from-creation: the offset is positive and the first
 *    instruction's CNTVCT below its CNTPCT: the domain's clock starts
 *    after reset (no bound on how long after: building Dom0 takes Xen
 *    seconds on a loaded host without -icount);
 *  - one-offset: CNTPCT - CNTVCT, bracketed by two CNTPCT reads around
 *    one CNTVCT read, is the same on every vCPU, each pinned to its own
 *    pCPU, and still the same after vCPU 0 has hopped across the pCPUs
 *    (a CNTVOFF per pCPU, or one read per pCPU at different times, shows
 *    as disjoint brackets);
 *  - ordered: a token passed round the vCPUs (an acquire/release flag in
 *    shared memory); each holder's CNTVCT is never below the previous
 *    holder's;
 *  - migrate-monotonic: vCPU 0 moves itself to each pCPU in turn
 *    (XEN_DOMCTL_setvcpuaffinity, then SCHEDOP_yield until
 *    XEN_DOMCTL_getvcpuinfo shows it there), reading CNTVCT all the
 *    while: it never goes back.
 *
 * `latency=1` then runs cntvct_latency.c's measurement (`nohop=1`: without
 * the hops).
 */
#include "bench_sched.h"
#include "gic.h"
#include "guest.h"
#include "xen.h"

#define NR_VCPUS		   3
#define RING_PASSES		   (NR_VCPUS * 200)
#define HOPS			   (NR_VCPUS * 4)
#define XEN_DOMCTL_setvcpuaffinity 9
#define XEN_VCPUAFFINITY_HARD	   1u

/* struct xen_domctl: a 16-byte header, then the command's union. */
struct cv_domctl {
	uint32_t cmd;
	uint32_t interface_version;
	uint16_t domain;
	uint16_t pad[3];
	union {
		struct { /* xen_domctl_vcpuaffinity */
			uint32_t vcpu;
			uint32_t flags;
			uint64_t hard_bitmap; /* guest handle */
			uint32_t hard_nr_bits;
			uint32_t pad0;
			uint64_t soft_bitmap;
			uint32_t soft_nr_bits;
			uint32_t pad1;
		} aff;
		struct { /* xen_domctl_getvcpuinfo */
			uint32_t vcpu;
			uint8_t online, blocked, running;
			uint64_t cpu_time;
			uint32_t cpu;
		} info;
		uint8_t raw[128];
	} u;
};

static struct cv_domctl op;
static uint64_t cpumap;

/* One bracket of the offset CNTPCT - CNTVCT: [lo, hi], signed. */
struct bracket {
	int64_t lo, hi;
};

static volatile struct bracket brackets[NR_VCPUS];
static volatile unsigned long ring_turn, ring_back, ring_timeouts;
static volatile uint64_t ring_last;

static long cv_domctl(uint32_t cmd)
{
	op.cmd = cmd;
	op.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	op.domain = 0; /* this mode runs as Dom0 */
	return HC1(__HYPERVISOR_domctl, &op);
}

/* Hard-pin this domain's @vcpu to pCPU @pcpu (a bit of @mask). */
static long set_affinity(uint32_t vcpu, uint64_t mask)
{
	memset(&op, 0, sizeof(op));
	cpumap = mask;
	op.u.aff.vcpu = vcpu;
	op.u.aff.flags = XEN_VCPUAFFINITY_HARD;
	op.u.aff.hard_bitmap = (uint64_t)(uintptr_t)&cpumap;
	op.u.aff.hard_nr_bits = 64;
	return cv_domctl(XEN_DOMCTL_setvcpuaffinity);
}

/* The pCPU @vcpu runs on (or last ran on), -1 if the call failed. */
static long vcpu_pcpu(uint32_t vcpu)
{
	memset(&op, 0, sizeof(op));
	op.u.info.vcpu = vcpu;
	if (cv_domctl(XEN_DOMCTL_getvcpuinfo))
		return -1;
	return op.u.info.cpu;
}

static uint64_t pct(void)
{
	return timer_phys_now();
}

static uint64_t vct(void)
{
	return timer_now();
}

static void bracket_init(struct bracket *b)
{
	b->lo = INT64_MIN;
	b->hi = INT64_MAX;
}

/* Narrow @b by @n samples: CNTVCT read between two CNTPCT reads. */
static void bracket_sample(struct bracket *b, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		uint64_t p1 = pct(), v = vct(), p2 = pct();

		if ((int64_t)(p1 - v) > b->lo)
			b->lo = (int64_t)(p1 - v);
		if ((int64_t)(p2 - v) < b->hi)
			b->hi = (int64_t)(p2 - v);
	}
}

static void bracket_merge(struct bracket *into, struct bracket b)
{
	if (b.lo > into->lo)
		into->lo = b.lo;
	if (b.hi < into->hi)
		into->hi = b.hi;
}

static void bracket_on_cpu(unsigned long cpu)
{
	struct bracket b;

	bracket_init(&b);
	bracket_sample(&b, 32);
	brackets[cpu].lo = b.lo;
	brackets[cpu].hi = b.hi;
}

/* The token ring: vCPU @cpu holds passes cpu, cpu + NR_VCPUS, ... */
static void ring_run(unsigned long cpu)
{
	for (unsigned long pass = cpu; pass < RING_PASSES; pass += NR_VCPUS) {
		uint64_t end = vct() + timer_ms(2000), now;

		while (__atomic_load_n(&ring_turn, __ATOMIC_ACQUIRE) != pass) {
			if (vct() > end) {
				ring_timeouts++;
				return;
			}
			/* Under -icount, lets QEMU run the other CPUs. */
			__asm__ volatile("yield" ::: "memory");
		}
		now = vct(); /* isb first: read after the flag */
		if (now < ring_last)
			ring_back++;
		ring_last = now;
		__atomic_store_n(&ring_turn, pass + 1, __ATOMIC_RELEASE);
	}
}

/* SCHEDOP_yield until @vcpu is on @pcpu, at most 200 times. */
static int wait_on_pcpu(uint32_t vcpu, long pcpu, uint64_t *last,
			unsigned long *back)
{
	for (int i = 0; i < 200; i++) {
		uint64_t now = vct();

		if (last && now < *last)
			(*back)++;
		if (last)
			*last = now;
		if (vcpu_pcpu(vcpu) == pcpu)
			return 0;
		HC2(__HYPERVISOR_sched_op, SCHEDOP_yield, 0);
	}
	return -1;
}

static void check_start(struct bracket all)
{
	uint64_t freq = timer_freq();
	char detail[128];

	snprintf(detail, sizeof(detail),
		 "offset %ld..%ld ticks, first CNTVCT %lu, CNTPCT %lu",
		 (long)all.lo, (long)all.hi, (unsigned long)entry_cntvct,
		 (unsigned long)entry_cntpct);
	printf("cntvct: %s (%lu Hz)\n", detail, (unsigned long)freq);
	check_true("counts-from-creation",
		   all.lo > 0 && entry_cntvct < entry_cntpct, detail);
}

/* Pin vCPU i to pCPU i; 0 when each got there. */
static int pin_each(void)
{
	int bad = 0;

	for (uint32_t i = 0; i < NR_VCPUS; i++) {
		long rc = set_affinity(i, 1ul << i);

		if (rc || wait_on_pcpu(i, i, NULL, NULL)) {
			printf("cntvct: vCPU %u not on pCPU %u (rc %ld, on "
			       "%ld)\n",
			       i, i, rc, vcpu_pcpu(i));
			bad = 1;
		}
	}
	return bad;
}

static void check_one_offset(struct bracket *all)
{
	char detail[160];
	int n = 0, ok;

	for (unsigned int cpu = 1; cpu < NR_VCPUS; cpu++)
		if (smp_call(cpu, bracket_on_cpu, cpu, 2000))
			printf("cntvct: vCPU %u did not answer\n", cpu);
	bracket_on_cpu(0);
	bracket_init(all);
	for (unsigned int cpu = 0; cpu < NR_VCPUS; cpu++) {
		struct bracket b = {brackets[cpu].lo, brackets[cpu].hi};

		n += snprintf(detail + n, sizeof(detail) - n, "%s%u:%ld..%ld",
			      cpu ? " " : "vCPU ", cpu, (long)b.lo, (long)b.hi);
		bracket_merge(all, b);
	}
	ok = all->lo <= all->hi && all->lo > INT64_MIN;
	check_true("one-offset", ok, detail);
}

static void check_ring(void)
{
	char detail[96];

	ring_turn = ring_back = ring_timeouts = 0;
	ring_last = 0;
	for (unsigned int cpu = 1; cpu < NR_VCPUS; cpu++)
		smp_post(cpu, ring_run, cpu);
	ring_run(0);
	for (unsigned int cpu = 1; cpu < NR_VCPUS; cpu++)
		smp_done(cpu, 4000);
	snprintf(detail, sizeof(detail),
		 "%lu of %u passes went back, %lu "
		 "timed out",
		 ring_back, RING_PASSES, ring_timeouts);
	check_true("ordered",
		   ring_back == 0 && ring_timeouts == 0 &&
			   ring_turn == RING_PASSES,
		   detail);
}

static void check_migrate(struct bracket *all)
{
	uint64_t last = vct();
	unsigned long back = 0;
	unsigned int arrived = 0;
	char detail[128];
	int offset_ok;

	for (unsigned int hop = 0; hop < HOPS; hop++) {
		long to = (hop + 1) % NR_VCPUS;
		struct bracket b;

		if (set_affinity(0, 1ul << to) ||
		    wait_on_pcpu(0, to, &last, &back))
			continue;
		arrived++;
		bracket_init(&b);
		bracket_sample(&b, 8);
		bracket_merge(all, b);
	}
	set_affinity(0, 1ul); /* home */
	offset_ok = all->lo <= all->hi;
	snprintf(detail, sizeof(detail),
		 "%u of %u hops arrived, %lu reads went back, offset now "
		 "%ld..%ld",
		 arrived, HOPS, back, (long)all->lo, (long)all->hi);
	check_true("migrate-monotonic",
		   arrived == HOPS && back == 0 && offset_ok, detail);
}

void cntvct_main(void)
{
	struct bracket all;
	int up = 0;

	if (smp_nr_cpus() < NR_VCPUS) {
		skip("three-vcpus", "fewer than three vCPUs in the DTB");
		test_result();
	}

	for (unsigned int cpu = 1; cpu < NR_VCPUS; cpu++)
		up += smp_start(cpu) == 0;
	check_eq("vcpus-up", up, NR_VCPUS - 1);
	check_eq("pinned-apart", pin_each(), 0);
	check_one_offset(&all);
	check_start(all);
	check_ring();
	if (!bootarg_ulong("nohop", 0))
		check_migrate(&all);
	if (bootarg_ulong("latency", 0) == 1)
		cntvct_latency_probe(NR_VCPUS);
	test_result();
}
