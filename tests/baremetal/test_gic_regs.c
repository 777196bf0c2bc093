// SPDX-License-Identifier: MIT
/*
 * The vGIC register by register, as Xen 4.17 presents it to Dom0 (its
 * values taken with `gicdump=1` on Xen under the same QEMU): every 32-bit
 * offset of the GICD, of both redistributor frames of vCPU 0 and of the
 * not yet started vCPU 1 (their reset values), and of the GICv2 GICC;
 * then garbage written to every offset of the GICD and both vCPUs' frames
 * (or the GICC), which must fault exactly where Xen's does, after which
 * read-only and RAZ/WI registers read as before. Runs right after
 * gic_setup(): SGIs enabled, private priorities 0xa0.
 *
 * Where Orchid differs on purpose the rule is SW_LAX or SW_WLAX and the
 * comment says why: state Xen does not show (pending and active bits it
 * reads as zero), write-only registers whose reads are UNKNOWN, and
 * registers Xen faults on that no guest that runs on Xen can touch.
 */
#include "gic_sweep.h"
#include "guest.h"

#define GARBAGE 0x5a5a5a5au /* bit 0 clear: GICR_CTLR.EnableLPIs stays 0 */
#define PRIO4	0xa0a0a0a0u

/* Xen reads pending and active state as zero (and faults reads of
 * ICPENDR1-31, writes of ISACTIVER); Orchid shows and takes the state. */
#define STATE_RULE(s, e)                                                       \
	{                                                                      \
		"pending-active", s, e, SW_LAX, SW_WLAX, 0, 0                  \
	}
/* SGIs are edge-triggered, ICFGR0 0xaaaaaaaa: Xen reads 0. */
#define ICFGR0_RULE(o)                                                         \
	{                                                                      \
		"icfgr0", o, o, SW_LAX, 0, 0, 0                                \
	}

/* ---- GICv3 ---------------------------------------------------------- */

static const struct sweep_rule gicd_v3[] = {
	{"ctlr", 0x0, 0x0, SW_VAL, SW_RW, 0x12, 0},
	{"typer-cpus", 0x4, 0x4, SW_VAL, 0, 1u << 5, 0xe0},
	{"iidr", 0x8, 0x8, SW_VAL, 0, 0x34c, 0},
	/* Bank 0 in the GICD: the accessing vCPU's, as on Xen. */
	{"isenabler0", 0x100, 0x100, SW_VAL, SW_RW, 0xffff, 0},
	{"icenabler0", 0x180, 0x180, SW_VAL, SW_RW, 0xffff, 0},
	{"isenabler-spi", 0x104, 0x17c, SW_VAL, SW_RW, 0, 0},
	{"icenabler-spi", 0x184, 0x1fc, SW_VAL, SW_RW, 0, 0},
	STATE_RULE(0x200, 0x3fc),
	{"ipriorityr0-7", 0x400, 0x41c, SW_VAL, SW_RW, PRIO4, 0},
	{"ipriorityr-spi", 0x420, 0x7fc, SW_VAL, SW_RW, 0, 0},
	ICFGR0_RULE(0xc00),
	{"icfgr", 0xc04, 0xcfc, SW_VAL, SW_RW, 0, 0},
	/* Xen faults writes of GICD_[CS]PENDSGIR; Orchid ignores them
	 * (RAZ/WI with affinity routing). */
	{"pendsgir", 0xf10, 0xf2c, SW_VAL, SW_WLAX, 0, 0},
	{"irouter", 0x6100, 0x7fd8, SW_VAL, SW_RW, 0, 0},
	{"pidr2", 0xffe8, 0xffe8, SW_VAL, 0, 0x30, 0},
};

/* GICR_TYPER: Processor_Number, Last, affinity (Aff0 = vCPU). */
#define TYPER_LO(cpu, last) ((cpu) << 8 | ((last) ? 0x10 : 0))

/*
 * Xen 4.17 faults writes of GICR_TYPER, PROPBASER, PENDBASER and of the
 * LPI registers, reads those that are write-only as 0xdeadbeaf
 * (UNKNOWN), and GICR_SYNCR as 1, Busy (GICR_SYNCR_NOT_BUSY is 1 in Xen:
 * a guest polling for not-busy would hang there). Orchid: RAZ/WI,
 * SYNCR not busy.
 */
#define RD_RULES(cpu, last)                                                    \
	{"ctlr", 0x0, 0x0, SW_VAL, 0, 0, 0},                                   \
		{"iidr", 0x4, 0x4, SW_VAL, 0, 0x34c, 0},                       \
		{"typer", 0x8, 0x8, SW_VAL, SW_WLAX, TYPER_LO(cpu, last), 0},  \
		{"typer-aff", 0xc, 0xc, SW_VAL, SW_WLAX, cpu, 0},              \
		{"waker", 0x14, 0x14, SW_VAL, 0, 0, 0},                        \
		{"lpi-wo", 0x40, 0x4c, SW_ANY, SW_WLAX, 0, 0},                 \
		{"prop-pendbaser", 0x70, 0x7c, SW_VAL, SW_WLAX, 0, 0},         \
		{"inv-wo", 0xa0, 0xb4, SW_ANY, SW_WLAX, 0, 0},                 \
		{"syncr", 0xc0, 0xc0, SW_ANY, 0, 0, 0},                        \
		{"pidr2", 0xffe8, 0xffe8, SW_VAL, 0, 0x30, 0},                 \
		{"igroupr0", 0x10080, 0x10080, SW_VAL, 0, 0, 0},               \
		STATE_RULE(0x10200, 0x103fc), ICFGR0_RULE(0x10c00),            \
	{                                                                      \
		"icfgr1", 0x10c04, 0x10c04, SW_VAL, SW_RW, 0, 0                \
	}

static const struct sweep_rule gicr0[] = {
	RD_RULES(0, 0),
	{"isenabler0", 0x10100, 0x10100, SW_VAL, SW_RW, 0xffff, 0},
	{"icenabler0", 0x10180, 0x10180, SW_VAL, SW_RW, 0xffff, 0},
	{"ipriorityr", 0x10400, 0x1041c, SW_VAL, SW_RW, PRIO4, 0},
};

/* vCPU 1 before it ever ran: everything off, priorities 0. */
static const struct sweep_rule gicr1_reset[] = {
	RD_RULES(1, 1),
};

/* vCPU 1's frames written by vCPU 0, as any guest may: its banked
 * registers take what they are given, the rest stays as at reset. */
static const struct sweep_rule gicr1[] = {
	RD_RULES(1, 1),
	{"isenabler0", 0x10100, 0x10100, SW_VAL, SW_RW, 0, 0},
	{"icenabler0", 0x10180, 0x10180, SW_VAL, SW_RW, 0, 0},
	{"ipriorityr", 0x10400, 0x1041c, SW_VAL, SW_RW, 0, 0},
};

/* ---- GICv2 ---------------------------------------------------------- */

static const struct sweep_rule gicd_v2[] = {
	{"ctlr", 0x0, 0x0, SW_VAL, SW_RW, 1, 0},
	{"typer-cpus", 0x4, 0x4, SW_VAL, 0, 1u << 5, 0xe0},
	{"iidr", 0x8, 0x8, SW_VAL, 0, 0x43b, 0},
	{"isenabler0", 0x100, 0x100, SW_VAL, SW_RW, 0xffff, 0},
	{"icenabler0", 0x180, 0x180, SW_VAL, SW_RW, 0xffff, 0},
	{"isenabler-spi", 0x104, 0x17c, SW_VAL, SW_RW, 0, 0},
	{"icenabler-spi", 0x184, 0x1fc, SW_VAL, SW_RW, 0, 0},
	STATE_RULE(0x200, 0x3fc),
	{"ipriorityr0-7", 0x400, 0x41c, SW_VAL, SW_RW, PRIO4, 0},
	{"ipriorityr-spi", 0x420, 0x7fc, SW_VAL, SW_RW, 0, 0},
	/* SGIs and PPIs target the reader, read-only. */
	{"itargetsr0-7", 0x800, 0x81c, SW_VAL, 0, 0x01010101u, 0},
	/* QEMU virt: 288 INTIDs; SPIs start on vCPU 0. */
	{"itargetsr-spi", 0x820, 0x91c, SW_VAL, SW_RW, 0x01010101u, 0},
	ICFGR0_RULE(0xc00),
	{"icfgr", 0xc04, 0xcfc, SW_VAL, SW_RW, 0, 0},
	/* Write-only: Xen reads 0xdeadbeef (UNKNOWN), Orchid 0. */
	{"sgir", 0xf00, 0xf00, SW_ANY, 0, 0, 0},
	/* Xen faults their writes and reads 0; Orchid keeps SGI pending
	 * state in them as the architecture says. */
	{"pendsgir", 0xf10, 0xf2c, SW_LAX, SW_WLAX, 0, 0},
	/* Xen faults reads of ICPIDR2 and writes of the ID registers;
	 * Orchid reads ArchRev 2 and ignores writes. */
	{"pidr2", 0xfe8, 0xfe8, SW_LAX, 0, 0, 0},
	{"id-regs", 0xfec, 0xffc, SW_VAL, SW_WLAX, 0, 0},
	/* Only the architected 4 KiB is emulated: data aborts beyond. */
	{"beyond-4k", 0x1000, 0xfffc, SW_FAULT, SW_WFAULT, 0, 0},
};

/* The GICC is the hardware's GICV on both hypervisors (8 KiB mapped). */
static const struct sweep_rule gicc_v2[] = {
	{"ctlr", 0x0, 0x0, SW_VAL, SW_RW, 1, 0},
	{"pmr", 0x4, 0x4, SW_VAL, SW_RW, 0xf0, 0},
	{"bpr", 0x8, 0x8, SW_ANY, SW_RW, 0, 0},
	{"iar", 0xc, 0xc, SW_VAL, 0, 0x3ff, 0},
	{"rpr", 0x14, 0x14, SW_VAL, SW_RW, 0xff, 0}, /* follows APR */
	{"hppir", 0x18, 0x18, SW_VAL, 0, 0x3ff, 0},
	{"abpr", 0x1c, 0x1c, SW_ANY, SW_RW, 0, 0},
	{"apr", 0xd0, 0xdc, SW_VAL, SW_RW, 0, 0},
	{"iidr", 0xfc, 0xfc, SW_ANY, 0, 0, 0}, /* the hardware's */
	{"beyond-8k", 0x2000, 0xfffc, SW_FAULT, SW_WFAULT, 0, 0},
};

#define FRAME(n, b, s, r)                                                      \
	{                                                                      \
		n, b, s, r, sizeof(r) / sizeof((r)[0])                         \
	}

static void dump_all(void)
{
	uint64_t rd1 = gic.version == 3 ? gic_redist_for(1) : 0;

	sweep_dump("GICD", gic.gicd, 0x10000);
	if (gic.version == 3) {
		sweep_dump("GICR0", gic_redist(0), 0x20000);
		if (rd1)
			sweep_dump("GICR1", rd1, 0x20000);
		sweep_dump_writes("GICD", gic.gicd, 0x10000, GARBAGE);
		sweep_dump_writes("GICR0", gic_redist(0), 0x20000, GARBAGE);
		sweep_dump("postGICD", gic.gicd, 0x10000);
		sweep_dump("postGICR0", gic_redist(0), 0x20000);
	} else {
		sweep_dump("GICC", gic.gicc, 0x10000);
		sweep_dump_writes("GICD", gic.gicd, 0x10000, GARBAGE);
		sweep_dump_writes("GICC", gic.gicc, 0x10000, GARBAGE);
		sweep_dump("postGICD", gic.gicd, 0x10000);
		sweep_dump("postGICC", gic.gicc, 0x10000);
	}
}

/* The architected 64-bit registers read whole. */
static void check_64bit(uint64_t rd1)
{
	uint64_t v;

	check_eq("GICD-irouter32-64bit",
		 sweep_read64(gic.gicd + 0x6100, &v) ? -1 : (long)v, 0);
	if (!rd1)
		return;
	check_eq("GICR1-typer-64bit",
		 sweep_read64(rd1 + 0x8, &v) ? -1 : (long)v,
		 (long)(1ul << 32 | TYPER_LO(1, 1)));
	check_eq("GICR1-propbaser-64bit",
		 sweep_read64(rd1 + 0x70, &v) ? -1 : (long)v, 0);
}

static void sweep_v3(void)
{
	uint64_t rd1 = gic_redist_for(1);
	const struct sweep_frame d = FRAME("GICD", gic.gicd, 0x10000, gicd_v3);
	const struct sweep_frame r0 =
		FRAME("GICR0", gic_redist(0), 0x20000, gicr0);
	const struct sweep_frame r1 =
		FRAME("GICR1-reset", rd1, 0x20000, gicr1_reset);

	check_true("GICR1-found", rd1 != 0, "no frame with affinity 1");
	sweep_check_reads(&d, 0);
	sweep_check_reads(&r0, 0);
	if (rd1)
		sweep_check_reads(&r1, 0);
	check_64bit(rd1);
	sweep_check_writes(&d, GARBAGE);
	sweep_check_writes(&r0, GARBAGE);
	sweep_check_reads(&d, 1);
	sweep_check_reads(&r0, 1);
	if (rd1) {
		const struct sweep_frame r1w =
			FRAME("GICR1", rd1, 0x20000, gicr1);

		sweep_check_writes(&r1w, GARBAGE);
		sweep_check_reads(&r1w, 1);
	}
}

static void sweep_v2(void)
{
	const struct sweep_frame d = FRAME("GICD", gic.gicd, 0x10000, gicd_v2);
	const struct sweep_frame c = FRAME("GICC", gic.gicc, 0x10000, gicc_v2);
	struct fault f;

	sweep_check_reads(&d, 0);
	sweep_check_reads(&c, 0);
	sweep_check_writes(&d, GARBAGE);
	sweep_check_writes(&c, GARBAGE);
	sweep_check_reads(&d, 1);
	sweep_check_reads(&c, 1);
	/* TargetListFilter 3 is reserved: Xen refuses the write. */
	fault_expect();
	mmio_probe_write32(gic.gicd + 0xf00, 3u << 24 | 1);
	f = fault_result();
	check_true("GICD-sgir-reserved-filter-faults", f.taken, "no fault");
}

void test_gic_regs(void)
{
	if (!gic.version) {
		skip("all", "no GIC in the DTB");
		return;
	}
	if (bootarg_ulong("gicdump", 0))
		dump_all();
	else if (gic.version == 3)
		sweep_v3();
	else
		sweep_v2();
	gic_reinit();
}
