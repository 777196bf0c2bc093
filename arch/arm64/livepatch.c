// SPDX-License-Identifier: MIT
/*
 * Live patching on Arm64: the executable pool payload code runs from, the
 * W^X window patches are written through, and the rendezvous that parks
 * every pCPU while Orchid's text changes.
 *
 * Safe point: Orchid runs with interrupts masked at EL2 and takes them on
 * the way out to a guest or while idle, so the SGI that parks a pCPU finds
 * it between guest exits, never inside a hypercall handler (and so never
 * inside a function being replaced). A pCPU that does not answer within
 * the timeout (say, spinning with interrupts masked on a lock the caller
 * holds) makes the action fail with -EBUSY, nothing patched.
 */
#include <asm/mmu.h>
#include <asm/symbols.h>
#include <asm/sysreg.h>
#include <orchid/arch.h>
#include <orchid/errno.h>
#include <orchid/livepatch.h>
#include <orchid/panic.h>
#include <orchid/smp.h>
#include <orchid/spinlock.h>
#include <orchid/string.h>

#define POOL_PAGES 32 /* 128 KiB of payload code and read-only data */
#define B_OPCODE   0x14000000u
#define B_RANGE	   (128ULL << 20)

static uint8_t pool[POOL_PAGES * PAGE_SIZE]
	__attribute__((section(".livepatch_pool"), aligned(PAGE_SIZE)));
static bool pool_used[POOL_PAGES];
extern char _start[], _etext[];

static size_t pages_of(size_t size)
{
	return (size + PAGE_SIZE - 1) / PAGE_SIZE;
}

/* First fit over the pool's pages (called under the sysctl lock). */
uint64_t arch_livepatch_text_alloc(size_t size)
{
	size_t n = pages_of(size);

	for (size_t first = 0; n && first + n <= POOL_PAGES; first++) {
		size_t i = 0;

		while (i < n && !pool_used[first + i])
			i++;
		if (i < n) {
			first += i;
			continue;
		}
		for (i = 0; i < n; i++)
			pool_used[first + i] = true;
		return (uintptr_t)&pool[first * PAGE_SIZE];
	}
	return 0;
}

void arch_livepatch_text_free(uint64_t addr, size_t size)
{
	size_t first = (addr - (uintptr_t)pool) / PAGE_SIZE;

	for (size_t i = 0; i < pages_of(size); i++)
		pool_used[first + i] = false;
}

/* Makes instruction fetches at [addr, addr + len) see the new bytes. */
static void sync_icache(uint64_t alias, uint64_t addr, size_t len)
{
	for (uint64_t o = 0; o < len; o += 4)
		__asm__ volatile("dc cvau, %0" : : "r"(alias + o) : "memory");
	dsb_ish();
	for (uint64_t o = 0; o < len; o += 4)
		__asm__ volatile("ic ivau, %0" : : "r"(addr + o) : "memory");
	dsb_ish();
	isb();
}

void arch_livepatch_text_write(uint64_t addr, const void *src, size_t len)
{
	const uint8_t *s = src;

	while (len) {
		size_t n = PAGE_SIZE - (addr & (PAGE_SIZE - 1));
		uint8_t *w;

		n = n < len ? n : len;
		w = mmu_alias_map(0, pa_init(addr));
		memcpy(w, s, n);
		sync_icache((uintptr_t)w, addr, n);
		mmu_alias_unmap(0);
		addr += n;
		s += n;
		len -= n;
	}
}

bool arch_livepatch_in_text(uint64_t addr, uint64_t size)
{
	return addr >= (uintptr_t)_start && addr < (uintptr_t)_etext &&
	       size <= (uintptr_t)_etext - addr;
}

bool arch_livepatch_branch_ok(uint64_t from, uint64_t to)
{
	int64_t off = (int64_t)(to - from);

	return off >= -(int64_t)B_RANGE && off < (int64_t)B_RANGE;
}

uint64_t arch_livepatch_symbol(const char *name)
{
	return symbol_address(name);
}

/* Pages of Orchid's text mapped writable for the coming rendezvous, so
 * the patching window itself needs no TLB maintenance (slot i + 1). */
static uint64_t patch_page[MMU_ALIAS_SLOTS - 1];
static uint8_t *patch_alias[MMU_ALIAS_SLOTS - 1];
static unsigned int nr_patch_pages;

int arch_livepatch_prepare(const struct lp_patch *p)
{
	uint64_t page = align_down(p->old_addr, PAGE_SIZE);

	for (unsigned int i = 0; i < nr_patch_pages; i++)
		if (patch_page[i] == page)
			return 0;
	if (nr_patch_pages == MMU_ALIAS_SLOTS - 1)
		return -ENOMEM;
	patch_alias[nr_patch_pages] =
		mmu_alias_map(nr_patch_pages + 1, pa_init(page));
	patch_page[nr_patch_pages++] = page;
	return 0;
}

void arch_livepatch_release(void)
{
	while (nr_patch_pages)
		mmu_alias_unmap(nr_patch_pages--);
}

void arch_livepatch_patch(struct lp_patch *p, bool apply)
{
	uint64_t page = align_down(p->old_addr, PAGE_SIZE);
	uint32_t insn = p->saved;
	uint8_t *w = NULL;

	for (unsigned int i = 0; i < nr_patch_pages; i++)
		if (patch_page[i] == page)
			w = patch_alias[i] + (p->old_addr - page);
	BUG_ON(!w); /* arch_livepatch_prepare was not called for it */
	if (apply) {
		memcpy(&p->saved, (const void *)(uintptr_t)p->old_addr, 4);
		insn = B_OPCODE |
		       ((uint32_t)((p->new_addr - p->old_addr) >> 2) &
			0x3ffffff);
	}
	/* One aligned 32-bit store: B is an instruction the architecture
	 * allows to be modified while another PE may execute it. */
	__atomic_store_n((uint32_t *)w, insn, __ATOMIC_RELAXED);
	sync_icache((uintptr_t)w, p->old_addr, sizeof(insn));
	p->applied = apply;
}

/* The rendezvous: one generation per action, so a pCPU arriving after an
 * abort leaves at once instead of joining a later one. Each pCPU notes
 * when it entered and left (arch_now_ns) for the hold report. */
static struct {
	uint32_t gen;
	uint32_t arrived;
	uint32_t left;
	int go; /* 0: wait; 1: patched, leave; -1: aborted, leave */
	uint64_t first_ns;
	uint64_t in_ns[CONFIG_NR_CPUS], out_ns[CONFIG_NR_CPUS];
} rv;

static void park(void *data)
{
	uint32_t gen = (uint32_t)(uintptr_t)data;
	uint64_t none = 0, now = arch_now_ns();
	unsigned int self = arch_cpu_id();
	int go;

	if (__atomic_load_n(&rv.gen, __ATOMIC_ACQUIRE) != gen)
		return;
	rv.in_ns[self] = now;
	__atomic_compare_exchange_n(&rv.first_ns, &none, now, false,
				    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
	__atomic_fetch_add(&rv.arrived, 1, __ATOMIC_ACQ_REL);
	while (!(go = __atomic_load_n(&rv.go, __ATOMIC_ACQUIRE)) &&
	       __atomic_load_n(&rv.gen, __ATOMIC_RELAXED) == gen)
		arch_cpu_relax();
	/* Fetch nothing prefetched before the patch. */
	isb();
	rv.out_ns[self] = arch_now_ns();
	__atomic_fetch_add(&rv.left, 1, __ATOMIC_RELEASE);
}

/* Each pCPU's own hold; waits (bounded) for the parked ones to note when
 * they left, which they do right after seeing go. */
static void report_hold(unsigned int self, unsigned int others,
			uint64_t deadline, struct lp_hold *hold)
{
	while (__atomic_load_n(&rv.left, __ATOMIC_ACQUIRE) < others &&
	       arch_now_ns() < deadline)
		arch_cpu_relax();
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		if (cpu != self && !rv.out_ns[cpu])
			continue;
		hold->cpu_ns[cpu] = rv.out_ns[cpu] - rv.in_ns[cpu];
	}
}

int arch_livepatch_quiesce(void (*work)(void *ctx), void *ctx,
			   uint64_t timeout_ns, struct lp_hold *hold)
{
	unsigned int self = arch_cpu_id(), others = 0;
	uint64_t start = arch_now_ns(), deadline = start + timeout_ns;
	uint64_t gathered, done;
	uint32_t gen = __atomic_add_fetch(&rv.gen, 1, __ATOMIC_ACQ_REL);

	__atomic_store_n(&rv.arrived, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&rv.left, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&rv.first_ns, 0, __ATOMIC_RELAXED);
	memset(rv.in_ns, 0, sizeof(rv.in_ns));
	memset(rv.out_ns, 0, sizeof(rv.out_ns));
	rv.in_ns[self] = start;
	__atomic_store_n(&rv.go, 0, __ATOMIC_RELEASE);
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		if (cpu == self || !cpu_is_online(cpu))
			continue;
		smp_call_function_async(cpu, park, (void *)(uintptr_t)gen);
		others++;
	}
	while (__atomic_load_n(&rv.arrived, __ATOMIC_ACQUIRE) < others) {
		if (arch_now_ns() > deadline) {
			__atomic_store_n(&rv.go, -1, __ATOMIC_RELEASE);
			return -EBUSY;
		}
		arch_cpu_relax();
	}
	gathered = arch_now_ns();
	work(ctx);
	done = arch_now_ns();
	__atomic_store_n(&rv.go, 1, __ATOMIC_RELEASE);
	rv.out_ns[self] = done;
	hold->window_ns = done - gathered;
	hold->held_ns = done - (others ? rv.first_ns : gathered);
	hold->cpus = others + 1;
	report_hold(self, others, done + timeout_ns, hold);
	return 0;
}
