// SPDX-License-Identifier: MIT
/*
 * Fuzzer operations below the hypercall ABI: MMIO to the emulated GIC
 * frames, to devices and to IPA holes (a data abort is fine, a hang or a
 * hypervisor crash is not), trapped system registers, SMC/HVC with random
 * function IDs and immediates, WFE, and writes into the guest's own grant
 * table. Instructions whose encoding is data (MRS/MSR of any register,
 * HVC/SMC #imm) are written into a page of code and called there.
 */
#include "fuzz.h"
#include "xen.h"

#define GICD_BASE      0x08000000ul
#define GICC_BASE      0x08010000ul
#define ITS_BASE       0x08080000ul
#define GICR_BASE      0x080a0000ul
#define UART_BASE      0x09000000ul
#define GICR_STRIDE    0x20000ul
#define GICR_PENDBASER 0x78ul

#define INSN_NOP 0xd503201fu
#define INSN_RET 0xd65f03c0u

/* Three words: the instruction, a NOP (an UNDEF's ELR may be either the
 * instruction or the next one; the trap handler skips 4 bytes), RET. */
static uint32_t code_page[1024] __attribute__((aligned(4096)));

typedef uint64_t (*stub_fn)(uint64_t, uint64_t, uint64_t, uint64_t);

static uint64_t run_insn(uint32_t insn, uint64_t x0, uint64_t x1, uint64_t x2,
			 uint64_t x3)
{
	uintptr_t p = (uintptr_t)code_page;
	stub_fn fn = (stub_fn)p;
	uint64_t ret;

	code_page[0] = insn;
	code_page[1] = INSN_NOP;
	code_page[2] = INSN_RET;
	__asm__ volatile(
		"dc cvau, %0; dsb ish; ic ivau, %0; dsb ish; isb" ::"r"(p)
		: "memory");
	fault_expect();
	ret = fn(x0, x1, x2, x3);
	(void)fault_result();
	return ret;
}

/* vCPU 1's entry for PSCI CPU_ON: it turns itself off again at once. */
__asm__(".text\n"
	".balign 4\n"
	"fz_park:\n"
	"	msr daifset, #0xf\n"
	"	movz x0, #0x0002\n"
	"	movk x0, #0x8400, lsl #16\n" /* PSCI CPU_OFF */
	"	hvc #0\n"
	"1:	wfi\n"
	"	b 1b\n");
extern const char fz_park[];

/* Unmap the page after the victim pages at stage 1, if the level 3
 * table that maps test_pages[] maps it too (mmu.c). */
static void victim_guard(void)
{
	uintptr_t guard = (uintptr_t)fz_victim[FZ_VICTIM_PAGES];
	uintptr_t pages = (uintptr_t)test_pages;
	uint64_t ttbr, *t;

	if (guard >> 21 != pages >> 21) {
		printf("fuzz: victim guard page not in the level 3 table\n");
		return;
	}
	__asm__ volatile("mrs %0, ttbr0_el1" : "=r"(ttbr));
	t = (uint64_t *)(uintptr_t)(ttbr & 0xfffffffff000ul);
	t = (uint64_t *)(uintptr_t)(t[(guard >> 30) & 511] & 0xfffffffff000ul);
	t = (uint64_t *)(uintptr_t)(t[(guard >> 21) & 511] & 0xfffffffff000ul);
	t[(guard >> 12) & 511] = 0;
	__asm__ volatile("dsb ishst; tlbi vmalle1; dsb ish; isb" ::: "memory");
}

void fz_arch_init(void)
{
	uint64_t sctlr;
	struct xen_add_to_physmap map = {.domid = DOMID_SELF,
					 .space = XENMAPSPACE_grant_table};

	/* Code written as data must be executable. */
	__asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
	sctlr &= ~(1ul << 19); /* WXN */
	__asm__ volatile("msr sctlr_el1, %0; isb" ::"r"(sctlr));
	victim_guard();
	/* The grant table's first frames over victim pages 0 and 1, where
	 * fz_op_grant_entry writes grants (if they are still there). */
	for (unsigned int i = 0; i < 2; i++) {
		map.idx = i;
		map.gpfn = ((uintptr_t)fz_victim[i]) >> 12;
		HC2(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, &map);
	}
}

static uint64_t mmio_addr(struct rng *r, int *writable)
{
	*writable = 1;
	switch (below(r, 12)) {
	case 0:
	case 1:
	case 2: return GICD_BASE + below(r, 0x10000);
	case 3:
	case 4:
	case 5: return GICR_BASE + below(r, 2 * GICR_STRIDE);
	case 6: return GICR_BASE + below(r, 0xf60000);
	case 7: return GICC_BASE + below(r, 0x10000);
	case 8:
		*writable = 0; /* the ITS writes its tables to guest RAM */
		return ITS_BASE + below(r, 0x20000);
	case 9: {
		static const uint64_t holes[] = {IPA_HOLE, 0x0b000000,
						 0x0e000000, 0x08020000};

		return holes[below(r, 4)] + below(r, 0x10000);
	}
	case 10:
		*writable = 0; /* the console */
		return UART_BASE + below(r, 0x1000);
	default:
		*writable = 0; /* RAM: maybe the guest's own */
		return 0x40000000ul + below(r, 0x80000000ul);
	}
}

static void mmio_access(uint64_t addr, unsigned int kind, uint64_t v)
{
	volatile uint64_t *p = (volatile uint64_t *)addr;
	uint64_t a = addr, b = 0;

	fault_expect();
	switch (kind) {
	case 0: v = *(volatile uint8_t *)addr; break;
	case 1: v = *(volatile uint16_t *)addr; break;
	case 2: v = *(volatile uint32_t *)addr; break;
	case 3: v = *p; break;
	case 4: /* a pair: no syndrome for the hypervisor to decode */
		__asm__ volatile("ldp %0, %1, [%2]"
				 : "=&r"(v), "=&r"(b)
				 : "r"(addr)
				 : "memory");
		break;
	case 5: /* post-index writeback: no syndrome either */
		__asm__ volatile("ldr %w0, [%1], #4"
				 : "=&r"(v), "+r"(a)
				 :
				 : "memory");
		break;
	case 6: *(volatile uint8_t *)addr = (uint8_t)v; break;
	case 7: *(volatile uint16_t *)addr = (uint16_t)v; break;
	case 8: *(volatile uint32_t *)addr = (uint32_t)v; break;
	case 9: *p = v; break;
	case 10:
		__asm__ volatile("stp %0, %0, [%1]" ::"r"(v), "r"(addr)
				 : "memory");
		break;
	default:
		__asm__ volatile("str %w1, [%0], #4"
				 : "+r"(a)
				 : "r"(v)
				 : "memory");
		break;
	}
	(void)fault_result();
	(void)b;
}

void fz_op_mmio(struct rng *r)
{
	int writable;
	uint64_t addr = mmio_addr(r, &writable);
	unsigned int kind = (unsigned int)below(r, 12);
	unsigned int accesses = chance(r, 1, 4) ? 1 + below(r, 8) : 1;

	if (chance(r, 3, 4))
		addr &= ~3ul;
	if (!writable && kind >= 6)
		kind -= 6;
	/* The redistributors' pending tables are written by the hypervisor
	 * into guest RAM: never point one at the guest's memory. */
	if (addr >= GICR_BASE &&
	    ((addr - GICR_BASE) % GICR_STRIDE & ~7ul) == GICR_PENDBASER)
		kind = 3;
	for (unsigned int i = 0; i < accesses; i++)
		mmio_access(addr + 4 * i, kind, fz_any(r));
}

static uint32_t sysreg_enc(uint32_t op0, uint32_t op1, uint32_t crn,
			   uint32_t crm, uint32_t op2)
{
	return op0 << 19 | op1 << 16 | crn << 12 | crm << 8 | op2 << 5;
}

/* A system register a write to cannot take the guest's own state away:
 * one the hypervisor traps, or one that only holds values. */
static uint32_t writable_sysreg(struct rng *r)
{
	switch (below(r, 12)) {
	case 0: /* PMU, EL0 group */
		return sysreg_enc(3, 3, 9, 12 + below(r, 3), below(r, 8));
	case 1: /* PMINTENSET/CLR */
		return sysreg_enc(3, 0, 9, 14, 1 + below(r, 2));
	case 2: /* PMEVCNTR/PMEVTYPER/PMCCFILTR */
		return sysreg_enc(3, 3, 14, 8 + below(r, 8), below(r, 8));
	case 3: /* breakpoint and watchpoint value/control */
		return sysreg_enc(2, 0, 0, below(r, 16), 4 + below(r, 4));
	case 4: { /* the other debug registers */
		static const uint32_t e[][5] = {
			{2, 0, 0, 2, 2}, {2, 0, 0, 2, 0}, {2, 0, 1, 0, 4},
			{2, 0, 1, 3, 4}, {2, 0, 1, 4, 4}, {2, 0, 7, 8, 6},
			{2, 0, 7, 9, 6}, {2, 3, 0, 4, 0}, {2, 3, 0, 5, 0},
			{2, 0, 0, 0, 2}, {2, 0, 0, 3, 2}, {2, 0, 0, 6, 2}};
		const uint32_t *x = e[below(r, 12)];

		return sysreg_enc(x[0], x[1], x[2], x[3], x[4]);
	}
	case 5:
	case 6: /* ICC_SGI1R, ICC_ASGI1R, ICC_SGI0R */
		return sysreg_enc(3, 0, 12, 11, 5 + below(r, 3));
	case 7: /* IMPLEMENTATION DEFINED */
		return sysreg_enc(3, below(r, 8), chance(r, 1, 2) ? 11 : 15,
				  below(r, 16), below(r, 8));
	case 8: /* ID registers: read-only */
		return sysreg_enc(3, 0, 0, below(r, 8), below(r, 8));
	case 9: /* ACTLR_EL1 */ return sysreg_enc(3, 0, 1, 0, 1);
	case 10: /* RAS error records, LORegions */
		return chance(r, 1, 2) ? sysreg_enc(3, 0, 5, 3 + below(r, 3),
						    below(r, 8))
				       : sysreg_enc(3, 0, 10, 4, below(r, 4));
	default: /* EL2/EL3 registers: UNDEF at EL1 */
		return sysreg_enc(3, 4 + below(r, 3), below(r, 16),
				  below(r, 16), below(r, 8));
	}
}

static uint64_t sgi_value(struct rng *r)
{
	uint64_t v = below(r, 1ul << 16); /* target list */

	v |= below(r, 256) << 16;	  /* Aff1 */
	v |= below(r, 16) << 24;	  /* INTID */
	v |= (uint64_t)below(r, 2) << 40; /* IRM: all but self */
	if (chance(r, 1, 4))
		v |= below(r, 256) << 32 | below(r, 256) << 48;
	return chance(r, 7, 8) ? v : fz_any(r);
}

void fz_op_sysreg(struct rng *r)
{
	uint32_t enc;

	switch (below(r, 4)) {
	case 0: /* MRS of any encoding: reads have no effect on the guest */
		enc = sysreg_enc(2 + below(r, 2), below(r, 8), below(r, 16),
				 below(r, 16), below(r, 8));
		run_insn(0xd5200000u | enc, 0, 0, 0, 0);
		return;
	case 1: /* MRS of the trapped groups */
		run_insn(0xd5200000u | writable_sysreg(r), 0, 0, 0, 0);
		return;
	case 2:
		enc = writable_sysreg(r);
		run_insn(0xd5000000u | enc,
			 enc == sysreg_enc(3, 0, 12, 11, 5) ||
					 enc == sysreg_enc(3, 0, 12, 11, 6) ||
					 enc == sysreg_enc(3, 0, 12, 11, 7)
				 ? sgi_value(r)
				 : fz_any(r),
			 0, 0, 0);
		return;
	default: { /* DC by set/way (trapped), TLBI and AT of EL1 */
		static const uint32_t sys[][4] = {{0, 7, 6, 2},	 {0, 7, 10, 2},
						  {0, 7, 14, 2}, {0, 8, 3, 0},
						  {0, 8, 3, 1},	 {0, 7, 8, 0}};
		const uint32_t *s = sys[below(r, 6)];

		run_insn(0xd5080000u | s[0] << 16 | s[1] << 12 | s[2] << 8 |
				 s[3] << 5,
			 fz_any(r), 0, 0, 0);
		return;
	}
	}
}

/* PSCI calls that stop, suspend or reset the caller, by number in the
 * standard service, and PSCI 0.1's IDs (0..3) which Dom0's DT names. */
static int fid_is_safe(uint32_t fid)
{
	static const uint8_t unsafe[] = {1,   2,   3,	 8,    9,    0xb,
					 0xc, 0xe, 0x12, 0x13, 0x14, 0x15};

	if (fid <= 3)
		return 0;
	if ((fid & 0x3f000000u) != 0x04000000u || (fid & 0xffffu) > 0x1f)
		return 1;
	for (size_t i = 0; i < sizeof(unsafe); i++)
		if ((fid & 0xffffu) == unsafe[i])
			return 0;
	return 1;
}

static uint32_t pick_fid(struct rng *r)
{
	static const uint32_t known[] = {
		0x80000000, 0x80000001, 0x80008000, 0x80007fff, 0x8000ffff,
		0x84000000, 0x84000004, 0xc4000004, 0x84000006, 0x84000007,
		0x8400000a, 0x8400000d, 0x84000010, 0x84000011, 0x8500ff00,
		0x8500ff01, 0x8500ff03, 0x8600ff01, 0x8600ff03, 0x82000000,
		0xb2000000, 0xbf00ff01};
	uint32_t fid;

	if (chance(r, 2, 3))
		fid = known[below(r, sizeof(known) / sizeof(known[0]))];
	else
		fid = (uint32_t)rnd(r);
	return fid_is_safe(fid) ? fid : 0x8200f00du;
}

/* CPU_ON: vCPU 1 at the parking entry, or a vCPU that does not exist. */
static void cpu_on(struct rng *r, int smc)
{
	static const uint64_t absent[] = {2, 3, 7, 0x100, 0x10000, 200};
	uint64_t fid = chance(r, 1, 2) ? 0xc4000003ul : 0x84000003ul;
	uint64_t target = below(r, 2), entry = (uintptr_t)fz_park;

	if (chance(r, 1, 2)) {
		target = chance(r, 3, 4) ? absent[below(r, 6)] : fz_any(r);
		if (target <= 1)
			target = 200;
		entry = fz_any(r);
	}
	if (smc)
		smccc_smc(fid, target, entry, fz_any(r));
	else
		smccc_hvc(fid, target, entry, fz_any(r));
}

void fz_op_smccc(struct rng *r)
{
	uint64_t fid, imm;

	switch (below(r, 5)) {
	case 0: cpu_on(r, (int)below(r, 2)); return;
	case 1:
	case 2:
		fid = pick_fid(r);
		if (chance(r, 1, 8))
			fid |= rnd(r) << 32; /* upper bits: ignored by SMCCC */
		if (below(r, 2))
			smccc_hvc(fid, fz_any(r), fz_any(r), fz_any(r));
		else
			smccc_smc(fid, fz_any(r), fz_any(r), fz_any(r));
		return;
	default: /* HVC/SMC with an immediate: 0 is SMCCC, 0xEA1 Xen's */
		imm = below(r, 0x10000);
		if (imm == 0 || imm == 0xea1)
			imm = 1;
		run_insn((below(r, 2) ? 0xd4000002u : 0xd4000003u) |
				 (uint32_t)imm << 5,
			 pick_fid(r), fz_any(r), fz_any(r), fz_any(r));
		return;
	}
}

void fz_op_wfe(struct rng *r)
{
	for (uint64_t i = below(r, 4); i; i--)
		__asm__ volatile("wfe");
	__asm__ volatile("yield");
}

/* A v1 grant entry in the guest's own grant table (fz_arch_init):
 * flags, domid, frame. The frame is a victim page, a hole or garbage. */
void fz_op_grant_entry(struct rng *r)
{
	uint64_t ref = below(r, 2 * GNTTAB_V1_PER_FRAME);
	uint64_t addr = (uintptr_t)fz_victim[ref / GNTTAB_V1_PER_FRAME] +
			(ref % GNTTAB_V1_PER_FRAME) * 8;
	uint64_t flags = chance(r, 3, 4) ? 1 | below(r, 2) << 2 : fz_any(r);
	uint64_t frame = fz_gfn(r);

	if (frame > 0xffffffffu)
		frame = 0xffffffffu;
	fz_store64(addr, (flags & 0xffff) | fz_domid(r) << 16 | frame << 32);
}
