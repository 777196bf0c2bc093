// SPDX-License-Identifier: MIT
/*
 * Trapped system registers and the IPA holes of QEMU virt, as Xen 4.17
 * answers a guest at EL1:
 *
 *  - ID registers (HCR_EL2.TID3): the features Xen hides from every guest
 *    (SVE, RAS, AMU, MPAM, MTE, pointer authentication) read as absent,
 *    reserved group-3 encodings read as zero;
 *  - the PMU (MDCR_EL2.TPM/TPMCR): the registers Xen emulates are RAZ/WI,
 *    the event counters and PMCCFILTR_EL0 (which it does not) are UNDEF;
 *  - debug (MDCR_EL2.TDA/TDOSA/TDRA): MDSCR_EL1, the breakpoint and
 *    watchpoint registers, OSDLR RAZ/WI, OSLSR reads "OS lock
 *    implemented, unlocked" (8), OSLAR WI, MDRAR and MDCCSR RAZ; the rest
 *    of the trapped debug registers UNDEF;
 *  - data-cache maintenance by set/way (HCR_EL2.TSW): done or ignored, the
 *    guest carries on;
 *  - a load and a store at IPAs with nothing behind them (device gaps of
 *    QEMU virt's map, the hypervisor's own UART, the secure-only ranges,
 *    past the end of RAM): a data abort injected, the guest carries on;
 *    the hypervisors' console UART is a stand-in for Dom0 (console_uart).
 */
#include "guest.h"

#define ESR_EC(esr) ((esr) >> 26)
#define EC_UNKNOWN  0x00
#define EC_DABT_CUR 0x25

/* A fault-probing register access: @val is what a read left behind. */
struct probe {
	struct fault f;
	uint64_t val;
};

/* Read/write a system register by encoding, noting a fault. */
#define SYSREG_READ(enc)                                                       \
	({                                                                     \
		struct probe p_;                                               \
		uint64_t v_ = 0x5a5a5a5a5a5a5a5aull;                           \
		fault_expect();                                                \
		__asm__ volatile("mrs %0, " enc : "+r"(v_)::"memory");         \
		p_.f = fault_result();                                         \
		p_.val = v_;                                                   \
		p_;                                                            \
	})
#define SYSREG_WRITE(enc, v)                                                   \
	({                                                                     \
		struct probe p_ = {.val = 0};                                  \
		fault_expect();                                                \
		__asm__ volatile("msr " enc ", %0" ::"r"((uint64_t)(v))        \
				 : "memory");                                  \
		p_.f = fault_result();                                         \
		p_;                                                            \
	})

static uint64_t field(uint64_t reg, unsigned int shift)
{
	return (reg >> shift) & 0xf;
}

static void check_undef(const char *name, struct probe p)
{
	char detail[64];

	snprintf(detail, sizeof(detail), "taken %d, ESR %x", p.f.taken,
		 p.f.esr);
	check_true(name, p.f.taken && ESR_EC(p.f.esr) == EC_UNKNOWN, detail);
}

/* Read as @want, no fault. */
static void check_reads(const char *name, struct probe p, uint64_t want)
{
	char detail[80];

	snprintf(detail, sizeof(detail), "taken %d (ESR %x), read %lx",
		 p.f.taken, p.f.esr, (unsigned long)p.val);
	check_true(name, !p.f.taken && p.val == want, detail);
}

static void check_no_fault(const char *name, struct probe p)
{
	char detail[48];

	snprintf(detail, sizeof(detail), "taken %d, ESR %x", p.f.taken,
		 p.f.esr);
	check_true(name, !p.f.taken, detail);
}

/* ---- ID registers ------------------------------------------------------- */

static void id_registers(void)
{
	struct probe pfr0 = SYSREG_READ("S3_0_C0_C4_0");  /* ID_AA64PFR0_EL1 */
	struct probe pfr1 = SYSREG_READ("S3_0_C0_C4_1");  /* ID_AA64PFR1_EL1 */
	struct probe zfr0 = SYSREG_READ("S3_0_C0_C4_4");  /* ID_AA64ZFR0_EL1 */
	struct probe isar1 = SYSREG_READ("S3_0_C0_C6_1"); /* ID_AA64ISAR1 */
	struct probe dfr0 = SYSREG_READ("S3_0_C0_C5_0");  /* ID_AA64DFR0_EL1 */
	uint64_t v = pfr0.val;

	printf("ID_AA64PFR0 %lx PFR1 %lx ZFR0 %lx ISAR1 %lx DFR0 %lx\n",
	       (unsigned long)pfr0.val, (unsigned long)pfr1.val,
	       (unsigned long)zfr0.val, (unsigned long)isar1.val,
	       (unsigned long)dfr0.val);
	check_true("id-reads-no-fault",
		   !pfr0.f.taken && !pfr1.f.taken && !zfr0.f.taken &&
			   !isar1.f.taken && !dfr0.f.taken,
		   "");
	/* EL1 and EL0 implemented, AArch64 (1) or also AArch32 (2). */
	check_true("pfr0-el1-aarch64", field(v, 4) == 1 || field(v, 4) == 2,
		   "");
	check_true("pfr0-el0-aarch64", field(v, 0) == 1 || field(v, 0) == 2,
		   "");
	/* What Xen's create_guest_cpuinfo hides. */
	check_eq("pfr0-ras-hidden", field(v, 28), 0);
	check_eq("pfr0-sve-hidden", field(v, 32), 0);
	check_eq("pfr0-mpam-hidden", field(v, 40), 0);
	check_eq("pfr0-amu-hidden", field(v, 44), 0);
	check_eq("pfr1-mte-hidden", field(pfr1.val, 8), 0);
	check_eq("pfr1-ras_frac-hidden", field(pfr1.val, 12), 0);
	check_eq("pfr1-mpam_frac-hidden", field(pfr1.val, 16), 0);
	check_eq("zfr0-hidden", zfr0.val, 0);
	check_eq("isar1-apa-hidden", field(isar1.val, 4), 0);
	check_eq("isar1-api-hidden", field(isar1.val, 8), 0);
	check_eq("isar1-gpa-hidden", field(isar1.val, 24), 0);
	check_eq("isar1-gpi-hidden", field(isar1.val, 28), 0);
	/* Debug architecture: ARMv8.0 debug (6) or later. */
	check_true("dfr0-debugver", field(dfr0.val, 0) >= 6, "");
	/* Reserved encodings of the TID3 group read as zero. */
	check_reads("id-reserved-c3-3", SYSREG_READ("S3_0_C0_C3_3"), 0);
	check_reads("id-reserved-c7-7", SYSREG_READ("S3_0_C0_C7_7"), 0);
}

/* ---- PMU ---------------------------------------------------------------- */

static void pmu_registers(void)
{
	check_reads("pmcr_el0-raz", SYSREG_READ("S3_3_C9_C12_0"), 0);
	check_no_fault("pmcr_el0-wi", SYSREG_WRITE("S3_3_C9_C12_0", 1));
	check_reads("pmcr_el0-still-zero", SYSREG_READ("S3_3_C9_C12_0"), 0);
	check_reads("pmcntenset_el0-raz", SYSREG_READ("S3_3_C9_C12_1"), 0);
	check_no_fault("pmcntenset_el0-wi",
		       SYSREG_WRITE("S3_3_C9_C12_1", 1ull << 31));
	check_reads("pmccntr_el0-raz", SYSREG_READ("S3_3_C9_C13_0"), 0);
	check_reads("pmselr_el0-raz", SYSREG_READ("S3_3_C9_C12_5"), 0);
	check_reads("pmuserenr_el0-raz", SYSREG_READ("S3_3_C9_C14_0"), 0);
	check_reads("pmintenset_el1-raz", SYSREG_READ("S3_0_C9_C14_1"), 0);
	check_reads("pmceid0_el0-raz", SYSREG_READ("S3_3_C9_C12_6"), 0);
	/* Xen does not emulate these: UNDEF. */
	check_undef("pmevcntr0_el0-undef", SYSREG_READ("S3_3_C14_C8_0"));
	check_undef("pmevtyper0_el0-undef", SYSREG_READ("S3_3_C14_C12_0"));
	check_undef("pmccfiltr_el0-undef", SYSREG_READ("S3_3_C14_C15_7"));
	check_undef("pmccfiltr_el0-write-undef",
		    SYSREG_WRITE("S3_3_C14_C15_7", 0));
}

/* ---- debug -------------------------------------------------------------- */

static void debug_registers(void)
{
	check_no_fault("mdscr_el1-wi",
		       SYSREG_WRITE("S2_0_C0_C2_2", 1ull << 15));
	check_reads("mdscr_el1-raz", SYSREG_READ("S2_0_C0_C2_2"), 0);
	check_no_fault("dbgbvr0_el1-wi",
		       SYSREG_WRITE("S2_0_C0_C0_4", 0x40001000ull));
	check_reads("dbgbvr0_el1-raz", SYSREG_READ("S2_0_C0_C0_4"), 0);
	check_no_fault("dbgbcr0_el1-wi", SYSREG_WRITE("S2_0_C0_C0_5", 0x1e7));
	check_reads("dbgbcr0_el1-raz", SYSREG_READ("S2_0_C0_C0_5"), 0);
	check_no_fault("dbgwvr0_el1-wi",
		       SYSREG_WRITE("S2_0_C0_C0_6", 0x40002000ull));
	check_reads("dbgwvr0_el1-raz", SYSREG_READ("S2_0_C0_C0_6"), 0);
	check_reads("dbgwcr1_el1-raz", SYSREG_READ("S2_0_C0_C1_7"), 0);
	check_reads("mdrar_el1-raz", SYSREG_READ("S2_0_C1_C0_0"), 0);
	check_no_fault("oslar_el1-wi", SYSREG_WRITE("S2_0_C1_C0_4", 1));
	check_reads("oslsr_el1-unlocked", SYSREG_READ("S2_0_C1_C1_4"), 8);
	check_no_fault("osdlr_el1-wi", SYSREG_WRITE("S2_0_C1_C3_4", 1));
	check_reads("osdlr_el1-raz", SYSREG_READ("S2_0_C1_C3_4"), 0);
	check_reads("mdccsr_el0-raz", SYSREG_READ("S2_3_C0_C1_0"), 0);
	/* Trapped, not emulated by Xen: UNDEF. */
	check_undef("mdccint_el1-undef", SYSREG_READ("S2_0_C0_C2_0"));
	check_undef("dbgclaimset_el1-undef", SYSREG_READ("S2_0_C7_C8_6"));
	check_undef("dbgauthstatus_el1-undef", SYSREG_READ("S2_0_C7_C14_6"));
	check_undef("dbgprcr_el1-undef", SYSREG_READ("S2_0_C1_C4_4"));
}

/* ---- cache maintenance by set/way --------------------------------------- */

static void set_way_ops(void)
{
	struct probe p;

	/* Level 1 (0 << 1), set 0, way 0; then level 2. */
	fault_expect();
	__asm__ volatile("dc isw, %0" ::"r"(0ul) : "memory");
	p.f = fault_result();
	check_no_fault("dc-isw", p);
	fault_expect();
	__asm__ volatile("dc csw, %0" ::"r"(2ul) : "memory");
	p.f = fault_result();
	check_no_fault("dc-csw", p);
	fault_expect();
	__asm__ volatile("dc cisw, %0" ::"r"(0ul) : "memory");
	p.f = fault_result();
	check_no_fault("dc-cisw", p);
}

/* ---- IPA holes ---------------------------------------------------------- */

/*
 * QEMU virt's map (hw/arm/virt.c) with GICv3: what no hypervisor gives
 * Dom0. The UART is the hypervisor's console; GICH/GICV are GICv2 parts
 * QEMU leaves out with GICv3; the secure UART and memory are for the
 * secure world only; the rest are gaps. Dom0 has 128 MiB, so the top of
 * QEMU's 2 GiB of RAM and what lies above it (mapped Normal by the
 * guest's stage 1, up to 4 GiB) is not its either.
 */
static const struct {
	const char *name;
	uint64_t ipa;
} holes[] = {
	{"gich", 0x08030000},	      {"gicv", 0x08040000},
	{"secure-uart", 0x09040000},  {"gap-09060000", 0x09060000},
	{"gap-09800000", 0x09800000}, {"gap-0b000000", 0x0b000000},
	{"secure-mem", 0x0e000000},   {"past-ram", 0xc0000000},
	{"top-4g", 0xfffff000},
};

static void ipa_holes(void)
{
	char name[48], detail[80];
	struct fault f;
	unsigned int i;

	for (i = 0; i < sizeof(holes) / sizeof(holes[0]); i++) {
		uint64_t ipa = holes[i].ipa + 0x10;

		fault_expect();
		probe_load(ipa);
		f = fault_result();
		snprintf(name, sizeof(name), "load-%s-abort", holes[i].name);
		snprintf(detail, sizeof(detail), "taken %d, ESR %x, FAR %lx",
			 f.taken, f.esr, (unsigned long)f.far);
		check_true(name,
			   f.taken && ESR_EC(f.esr) == EC_DABT_CUR &&
				   f.far == ipa,
			   detail);
		fault_expect();
		__asm__ volatile("str %0, [%1]" ::"r"(0x5aul), "r"(ipa)
				 : "memory");
		f = fault_result();
		snprintf(name, sizeof(name), "store-%s-abort", holes[i].name);
		snprintf(detail, sizeof(detail), "taken %d, ESR %x, FAR %lx",
			 f.taken, f.esr, (unsigned long)f.far);
		check_true(name,
			   f.taken && ESR_EC(f.esr) == EC_DABT_CUR &&
				   f.far == ipa,
			   detail);
	}
}

/*
 * The PL011 both hypervisors use as their console. Dom0 does not get the
 * device, but Xen 4.17 leaves a stand-in at its address for Dom0's early
 * printk (xen/arch/arm/vuart.c), and so does Orchid (vuart_dom0.c): every
 * register reads 0 (UARTFR: ready to send), a byte written to UARTDR is
 * printed, nothing faults. A DomU has no device there (xl's vpl011, when
 * configured, sits at GUEST_PL011_BASE): both accesses are data aborts.
 */
static void domu_no_uart(void)
{
	const uint64_t base = 0x09000000;
	char detail[64];
	struct fault f;

	fault_expect();
	probe_load(base + 0x18);
	f = fault_result();
	snprintf(detail, sizeof(detail), "taken %d, ESR %x", f.taken, f.esr);
	check_true("uart-fr-aborts", f.taken && (f.esr >> 26) == 0x25, detail);
	fault_expect();
	__asm__ volatile("strb %w0, [%1]" ::"r"('x'), "r"(base) : "memory");
	f = fault_result();
	snprintf(detail, sizeof(detail), "taken %d, ESR %x", f.taken, f.esr);
	check_true("uart-dr-aborts", f.taken && (f.esr >> 26) == 0x25, detail);
}

static void console_uart(void)
{
	const uint64_t base = 0x09000000;
	char detail[80];
	struct fault f;
	uint64_t val;

	fault_expect();
	val = probe_load(base + 0x18); /* UARTFR */
	f = fault_result();
	snprintf(detail, sizeof(detail), "taken %d, ESR %x, read %lx", f.taken,
		 f.esr, (unsigned long)val);
	check_true("uart-fr-reads-zero", !f.taken && val == 0, detail);
	for (const char *s = "vuart: early printk\n"; *s; s++) {
		fault_expect();
		__asm__ volatile("strb %w0, [%1]" ::"r"(*s), "r"(base)
				 : "memory");
		f = fault_result();
		if (f.taken)
			break;
	}
	snprintf(detail, sizeof(detail), "taken %d, ESR %x", f.taken, f.esr);
	check_true("uart-dr-write", !f.taken, detail);
}

void test_sysregs(void)
{
	id_registers();
	pmu_registers();
	debug_registers();
	set_way_ops();
	ipa_holes();
	if (guest_is_domu)
		domu_no_uart();
	else
		console_uart();
}
