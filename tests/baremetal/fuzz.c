// SPDX-License-Identifier: MIT
/*
 * The guest-side fuzzer, `mode=fuzz seed=S n=N [start=I] [every=K]
 * [trace=1] [trace_from=I] [racer=1]`: like syzkaller's SYZOS, the guest is fixed code and the
 * program is data. Operation I draws everything it does from a PRNG
 * seeded with (S, I) alone, so `start=I` replays from operation I without
 * generating the ones before (the state earlier operations left — ports,
 * created domains — is then missing: replay from 0 for an exact rerun).
 * Every K operations (1000) it prints `fuzz: seed S op I`; trace=1
 * prints each operation before it runs. After the N operations a sanity
 * pass checks the hypervisor still answers correctly, then
 * `Test result: SUCCESS fuzz seed S ops N` and the machine powers off.
 *
 * What the fuzzer never does, because it would kill or hang the guest
 * itself rather than find a hypervisor bug (a real guest may, and must
 * only hurt itself): SCHEDOP_shutdown and PSCI SYSTEM_OFF/RESET (Dom0's
 * shutdown stops the machine), SCHEDOP_block, SCHEDOP_poll without a
 * timeout already past, WFI and PSCI CPU_SUSPEND (nothing wakes a guest
 * that masks all interrupts), VCPUOP_down and PSCI CPU_OFF of its own
 * vCPU, CPU_ON of vCPU 1 at anything but a parking loop, SCHEDOP_watchdog
 * that arms a watchdog, remote_shutdown/domctl/cpupool moves of Dom0
 * itself, writes to EL1 system registers that are not trapped (SCTLR,
 * TTBR, VBAR, ...), and handing the hypervisor any of its own memory to
 * write or to map over (fuzz.h).
 */
#include "fuzz.h"
#include "gic.h"
#include "xen.h"

/* Aligned to its size: an extent of order <= 6 in it stays in it. One
 * more page follows, unmapped (fz_arch_init): a structure at the end of
 * a victim page, or a run over them, faults there rather than reaching
 * the guest's own data. Operations never take one of them for an array
 * with a count (fz_bad_ptr): the hypervisor would read or write them
 * all, and what lies in them is anyone's guess. */
char fz_victim[FZ_VICTIM_PAGES + 1][4096]
	__attribute__((aligned(FZ_VICTIM_PAGES * 4096)));
char fz_scratch[FZ_CPUS][FZ_SCRATCH_SIZE] __attribute__((aligned(64)));
struct fz_world fz;

static size_t scratch_used[FZ_CPUS], tail_used[FZ_CPUS];

static unsigned int fz_cpu(void)
{
	unsigned int cpu = this_cpu();

	return cpu < FZ_CPUS ? cpu : 0;
}

/* splitmix64: each operation's stream from (seed, index) alone. */
uint64_t rnd(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ul);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ul;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebul;
	return z ^ (z >> 31);
}

uint64_t below(struct rng *r, uint64_t n)
{
	return rnd(r) % n;
}

int chance(struct rng *r, unsigned int num, unsigned int den)
{
	return below(r, den) < num;
}

void fz_add_port(uint32_t port)
{
	fz.ports[fz.nr_ports++ % FZ_PORTS] = port;
}

void fz_add_domain(uint16_t domid)
{
	fz.domains[fz.nr_domains++ % FZ_DOMAINS] = domid;
}

uint64_t fz_any(struct rng *r)
{
	static const uint64_t edge[] = {0,
					1,
					2,
					0x7f,
					0x80,
					0xff,
					0xffff,
					0x7fffffff,
					0x80000000,
					0xffffffff,
					0x100000000ul,
					0x7fffffffffffffff,
					0x8000000000000000,
					~0ul};

	if (chance(r, 1, 3))
		return edge[below(r, sizeof(edge) / sizeof(edge[0]))];
	if (chance(r, 1, 2))
		return below(r, 64);
	return rnd(r);
}

uint64_t fz_domid(struct rng *r)
{
	static const uint16_t ids[] = {
		0,	1,     2, 3, DOMID_SELF, 0x7ff1, 0x7ff2, DOMID_INVALID,
		0x7fff, 0xffff};

	if (fz.nr_domains && chance(r, 1, 4))
		return fz.domains[below(r, fz.nr_domains < FZ_DOMAINS
						   ? fz.nr_domains
						   : FZ_DOMAINS)];
	if (chance(r, 7, 8))
		return ids[below(r, sizeof(ids) / sizeof(ids[0]))];
	return (uint16_t)rnd(r);
}

uint64_t fz_domid_other(struct rng *r)
{
	uint64_t d = fz_domid(r);

	return (d == 0 || d == DOMID_SELF) ? DOMID_INVALID : d;
}

/* A DomU prints on its PV console's port: closing it would silence the
 * guest (no hypervisor bug, and no result line), so it is never drawn. */
static uint64_t not_console(uint64_t port)
{
	/* Compared as the 32 bits the hypervisor reads. */
	return guest_is_domu && (uint32_t)port == pvcons_port() ? 0 : port;
}

static uint64_t any_port(struct rng *r)
{
	if (fz.nr_ports && chance(r, 2, 3))
		return fz.ports[below(r, fz.nr_ports < FZ_PORTS ? fz.nr_ports
								: FZ_PORTS)];
	if (chance(r, 1, 2))
		return below(r, 16);
	if (chance(r, 1, 2))
		return EVTCHN_2L_NR_PORTS - 1 + below(r, 3);
	return fz_any(r);
}

uint64_t fz_port(struct rng *r)
{
	return not_console(any_port(r));
}

uint64_t fz_gref(struct rng *r)
{
	if (chance(r, 3, 4))
		return below(r, 16);
	if (chance(r, 1, 2))
		return GNTTAB_V1_PER_FRAME * below(r, 4) + below(r, 3) - 1;
	return fz_any(r);
}

static uint64_t victim_gfn(struct rng *r)
{
	return ((uint64_t)(uintptr_t)fz_victim >> 12) +
	       below(r, FZ_VICTIM_PAGES);
}

uint64_t fz_gfn(struct rng *r)
{
	switch (below(r, 8)) {
	case 0:
	case 1:
	case 2:
	case 3: return victim_gfn(r);
	case 4: return (IPA_HOLE >> 12) + below(r, 16);
	case 5: return 0xc0000 + below(r, 16); /* past QEMU's 2 GiB of RAM */
	case 6: return below(r, 2) ? ~0ul : (1ul << 40) - below(r, 2);
	default: return chance(r, 1, 2) ? 0 : rnd(r);
	}
}

uint64_t fz_gfn_order(struct rng *r, unsigned int order)
{
	uint64_t n = 1ul << (order < 63 ? order : 63);

	if (order == 0)
		return fz_gfn(r);
	if (order <= 6 && chance(r, 1, 2))
		return victim_gfn(r) & ~(n - 1);
	/* Larger extents only where no RAM is: past QEMU's, or garbage. */
	switch (below(r, 4)) {
	case 0: return 0xc0000;
	case 1: return (1ul << 40) - n;
	case 2: return ~0ul & ~(n - 1);
	default: return rnd(r) | (1ul << 63);
	}
}

uint64_t fz_ipa(struct rng *r)
{
	uint64_t gfn = fz_gfn(r);

	if (gfn > (1ul << 40))
		return rnd(r);
	return (gfn << 12) + (chance(r, 7, 8) ? 0 : below(r, 4096));
}

uint64_t fz_count(struct rng *r)
{
	switch (below(r, 6)) {
	case 0: return 0;
	case 1:
	case 2: return 1;
	case 3: return below(r, 8);
	case 4: return below(r, 1024);
	default: return fz_any(r);
	}
}

uint64_t fz_vcpu(struct rng *r)
{
	if (chance(r, 3, 4))
		return below(r, 3);
	return fz_any(r);
}

uint64_t fz_bad_ptr(struct rng *r)
{
	static const unsigned int ro_off[] = {0, 256, 512, 1024, 2048, 4088};
	/* This vCPU's: a pointer straddling into the unmapped page lets the
	 * hypervisor write the bytes before it, where this vCPU's arrays
	 * end. Into the other vCPU's, the racer once rewrote vCPU 0's GFN
	 * lists while a call of vCPU 0 read them, and vCPU 0 unmapped its
	 * own pages (seed 311: an abort in its array page). */
	char *nomap = fz_cpu() ? NOMAP_PAGE1 : NOMAP_PAGE;

	switch (below(r, 10)) {
	case 0: return 0;
	case 1:
		return (uintptr_t)RO_PAGE +
		       ro_off[below(r, sizeof(ro_off) / sizeof(ro_off[0]))];
	case 2: return (uintptr_t)nomap + below(r, 4096);
	case 3: return (uintptr_t)nomap - 1 - below(r, 16); /* straddles */
	case 4: return WRAPPING - below(r, 8);
	case 5: return 0xffff000000000000ul + below(r, 1ul << 20);
	case 6: return IPA_HOLE + below(r, 4096);
	case 7: return fz_ipa(r);
	case 8: return below(r, 4096);
	default: return rnd(r);
	}
}

uint64_t fz_fault_ptr(struct rng *r)
{
	static const uint64_t ptrs[] = {0, WRAPPING, 0xffff000000000000ul,
					IPA_HOLE};

	if (chance(r, 1, 2))
		return (uintptr_t)NOMAP_PAGE + below(r, 4096);
	return ptrs[below(r, sizeof(ptrs) / sizeof(ptrs[0]))];
}

void fz_reset_buffers(void)
{
	scratch_used[fz_cpu()] = 0;
	tail_used[fz_cpu()] = 0;
}

static void fill(struct rng *r, void *p, size_t size)
{
	unsigned char *b = p;
	int zero = chance(r, 1, 2);

	for (size_t i = 0; i < size; i++)
		b[i] = zero ? 0 : (unsigned char)rnd(r);
}

void *fz_struct(struct rng *r, size_t size)
{
	unsigned int cpu = fz_cpu();
	size_t at = (scratch_used[cpu] + 15) & ~(size_t)15;
	void *p;

	if (at + size > FZ_SCRATCH_SIZE)
		at = 0; /* reuse: only within one operation's many entries */
	p = fz_scratch[cpu] + at;
	scratch_used[cpu] = at + size;
	fill(r, p, size);
	return p;
}

int fz_array_at_top(const void *array, size_t size)
{
	const char *end = fz_cpu() ? NOMAP_PAGE1 : NOMAP_PAGE;

	return (const char *)array + ((size + 7) & ~(size_t)7) == end;
}

void *fz_array(struct rng *r, size_t size)
{
	unsigned int cpu = fz_cpu();
	char *end = cpu ? NOMAP_PAGE1 : NOMAP_PAGE;
	size_t need = (size + 7) & ~(size_t)7;
	char *p;

	/* Never overlap another array of this operation: a fault instead. */
	if (tail_used[cpu] + need > sizeof(test_pages[2]))
		return end;
	tail_used[cpu] += need;
	p = end - tail_used[cpu];
	fill(r, p, size);
	return p;
}

uint64_t fz_arg(struct rng *r, void *good)
{
	if (chance(r, 7, 8))
		return (uintptr_t)good;
	return fz_bad_ptr(r);
}

int fz_store64(uint64_t addr, uint64_t value)
{
	fault_expect();
	*(volatile uint64_t *)addr = value;
	return fault_result().taken;
}

/*
 * The guard: the guest's page tables (found from TTBR0_EL1) and its code
 * must never change under it, whatever an operation asked for; a
 * hypervisor that writes where it was not told to is caught at the
 * operation that did it, not thousands of operations later.
 */
static uint64_t tables_copy[3][512];
static const uint64_t *tables[3];
extern const char _start[], __rela_start[];
static uint64_t text_sum;

static uint64_t sum_text(void)
{
	uint64_t sum = 0;

	for (const uint64_t *p = (const void *)_start;
	     p < (const uint64_t *)(const void *)__rela_start; p++)
		sum = sum * 31 + *p;
	return sum;
}

static const uint64_t *next_table(const uint64_t *t, uintptr_t va, int shift)
{
	return (const uint64_t *)(uintptr_t)(t[(va >> shift) & 511] &
					     0xfffffffff000ul);
}

static void guard_init(void)
{
	uint64_t ttbr;
	uintptr_t va = (uintptr_t)test_pages;

	__asm__ volatile("mrs %0, ttbr0_el1" : "=r"(ttbr));
	tables[0] = (const uint64_t *)(uintptr_t)(ttbr & 0xfffffffff000ul);
	tables[1] = next_table(tables[0], va, 30);
	tables[2] = next_table(tables[1], va, 21);
	for (int i = 0; i < 3; i++)
		memcpy(tables_copy[i], tables[i], sizeof(tables_copy[i]));
	text_sum = sum_text();
	pvcons_guard_init(); /* Dom0 too: no ring, printing must stay off it */
}

/* 0 when intact; else reports what changed. */
static int guard_check(unsigned long i)
{
	for (int t = 0; t < 3; t++)
		for (int e = 0; e < 512; e++)
			if (tables[t][e] != tables_copy[t][e]) {
				printf("fuzz: op %lu changed the guest's level "
				       "%d "
				       "page table entry %d: %lx, was %lx\n",
				       i, t + 1, e, (unsigned long)tables[t][e],
				       (unsigned long)tables_copy[t][e]);
				return 1;
			}
	if (!pvcons_intact()) {
		printf("fuzz: op %lu (or the racer's) changed the PV console's "
		       "state\n",
		       i);
		return 1;
	}
	/* Not the hypervisor's fault, but the fuzzer's (it must never draw
	 * that): without the check the guest goes silent and the run looks
	 * like a hang. */
	if (guest_is_domu && !pvcons_port_check()) {
		printf("fuzz: op %lu closed the PV console's event channel\n",
		       i);
		return 1;
	}
	if ((i & 63) == 0 && sum_text() != text_sum) {
		printf("fuzz: the guest's code changed by op %lu\n", i);
		return 1;
	}
	return 0;
}

enum op_kind { OP_HYPERCALL, OP_MMIO, OP_SYSREG, OP_SMCCC, OP_GNT, OP_WFE };

static enum op_kind pick_kind(struct rng *r)
{
	uint64_t w = below(r, 100);

	if (w < 60)
		return OP_HYPERCALL;
	if (w < 75)
		return OP_MMIO;
	if (w < 85)
		return OP_SYSREG;
	if (w < 93)
		return OP_SMCCC;
	if (w < 97)
		return OP_GNT;
	return OP_WFE;
}

/*
 * racer=1: vCPU 1 runs hypercalls (only: no fault it must expect) from
 * its own stream, (seed, 2^62 + I), into its own scratch and array page,
 * while vCPU 0 runs the operations: two vCPUs of one domain on the same
 * event channels, grant table, p2m and domains, on two pCPUs when the
 * hypervisor places them so. Which of its operations met which of vCPU
 * 0's is up to timing: a failure names vCPU 0's index only.
 */
#define RACER_STREAM (1ul << 62)

static int racer_on;
static volatile int racer_stop;
static volatile unsigned long racer_ops;

static void racer(unsigned long seed)
{
	for (unsigned long i = 0; !racer_stop; i++) {
		struct rng r = {seed * 0x2545f4914f6cdd1dul ^
				(RACER_STREAM + i + 1)};

		rnd(&r);
		fz_reset_buffers();
		fz_op_hypercall_quiet(&r);
		racer_ops = i + 1;
	}
}

static int racer_start(unsigned long seed)
{
	if (smp_start(1)) {
		printf("fuzz: racer: vCPU 1 did not come up\n");
		return -1;
	}
	smp_post(1, racer, seed);
	racer_on = 1;
	printf("fuzz: racer on vCPU 1\n");
	return 0;
}

/* 0 once the racer has stopped; it must, within seconds. */
static int racer_end(void)
{
	racer_stop = 1;
	__asm__ volatile("dsb ish; sev" ::: "memory");
	if (smp_done(1, 10000)) {
		volatile struct fz_call *c = &fz_racer_call;

		/* Where it is: its operation I+1 replays from (seed, I). */
		printf("fuzz: racer: vCPU 1 did not stop (%lu operations); "
		       "in hypercall %lx (%lx, %lx, %lx, %lx, %lx); "
		       "AFFINITY_INFO %ld, VCPUOP_is_up %ld\n",
		       racer_ops, (unsigned long)c->nr, (unsigned long)c->a[0],
		       (unsigned long)c->a[1], (unsigned long)c->a[2],
		       (unsigned long)c->a[3], (unsigned long)c->a[4],
		       smccc_hvc(PSCI_AFFINITY_INFO, 1, 0, 0),
		       hypercall(__HYPERVISOR_vcpu_op, VCPUOP_is_up, 1, 0, 0,
				 0));
		return -1;
	}
	printf("fuzz: racer: %lu operations on vCPU 1\n", racer_ops);
	return 0;
}

static void run_op(uint64_t seed, unsigned long i, int trace)
{
	struct rng r = {seed * 0x2545f4914f6cdd1dul ^ (i + 1)};
	enum op_kind kind;

	rnd(&r);
	kind = pick_kind(&r);
	fz.index = i;
	fz_reset_buffers();
	if (trace)
		printf("fuzz: op %lu kind %u\n", i, kind);
	switch (kind) {
	case OP_HYPERCALL: fz_op_hypercall(&r); break;
	case OP_MMIO: fz_op_mmio(&r); break;
	case OP_SYSREG: fz_op_sysreg(&r); break;
	case OP_SMCCC: fz_op_smccc(&r); break;
	case OP_GNT: fz_op_grant_entry(&r); break;
	case OP_WFE: fz_op_wfe(&r); break;
	}
}

void fuzz_main(void)
{
	unsigned long seed = bootarg_ulong("seed", 1);
	unsigned long n = bootarg_ulong("n", 1000);
	unsigned long start = bootarg_ulong("start", 0);
	unsigned long every = bootarg_ulong("every", 1000);
	int trace = (int)bootarg_ulong("trace", 0);
	/* trace_from=I: trace from operation I on, after a run up to it. */
	unsigned long trace_from = bootarg_ulong("trace_from", ~0ul);

	fz.trace = trace;
	/* Xen 4.17 panics when Dom0 sends an event to a domain created by
	 * domctl before it has its vCPUs (a NULL vCPU in
	 * evtchn_2l_set_pending), and WARNs in __trace_hypercall, then
	 * stops answering Dom0, once tbuf_op turned tracing on, and
	 * panics in p2m_get_entry when Dom0 maps "foreign" pages of
	 * DOMID_IO (bench/results/fuzz.md). With xen_quirks=1 every created
	 * domain gets its vCPUs at once, as a toolstack does, and tbuf_op
	 * and DOMID_IO/XEN as foreign domains are left out: all privileged,
	 * so the fuzzer stays fair. */
	fz.xen_quirks = (int)bootarg_ulong("xen_quirks", 0);

	if (!every)
		every = 1000;
	printf("fuzz: seed %lu ops %lu start %lu\n", seed, n, start);
	fz_sanity_begin();
	fz_arch_init();
	guard_init();
	if (bootarg_ulong("racer", 0) == 1 && racer_start(seed)) {
		printf("Test result: ERROR fuzz seed %lu: no racer\n", seed);
		poweroff();
	}
	for (unsigned long i = start; i < n; i++) {
		if (i % every == 0)
			printf("fuzz: seed %lu op %lu\n", seed, i);
		fz.trace = trace || i >= trace_from;
		run_op(seed, i, fz.trace);
		if (guard_check(i)) {
			printf("Test result: FAILURE fuzz seed %lu: op %lu "
			       "broke the guest (the line above says how)\n",
			       seed, i);
			poweroff();
		}
	}
	printf("fuzz: seed %lu op %lu done; sanity pass\n", seed, n);
	if (racer_on && racer_end())
		printf("Test result: FAILURE fuzz seed %lu ops %lu: the racer "
		       "hangs\n",
		       seed, n - start);
	else if (fz_sanity())
		printf("Test result: FAILURE fuzz seed %lu ops %lu: hypervisor "
		       "unhealthy after the run\n",
		       seed, n - start);
	else
		printf("Test result: SUCCESS fuzz seed %lu ops %lu\n", seed,
		       n - start);
	poweroff();
}
