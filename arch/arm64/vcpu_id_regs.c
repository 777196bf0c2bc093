// SPDX-License-Identifier: MIT
/*
 * ID register group 3 on the hardware. HCR_EL2.TID3 traps every guest
 * read of op0 3, op1 0, CRn 0, CRm 1-7 (ID_AA64*_EL1, the AArch32 ID
 * registers and the reserved encodings around them); the answer is the
 * view id_regs_sanitize.c computed at boot from the boot CPU's registers,
 * lowered field by field by every secondary's (all CPUs are up before any
 * domain exists, so guests never see the view change). Reserved encodings
 * read as zero, as the architecture defines them.
 *
 * Hiding a feature is only half of it: the EL2 controls below make what is
 * hidden UNDEFINED for a guest that uses it anyway, where the architecture
 * has a trap for it. SVE and SME are trapped by CPTR_EL2.TZ/TSM (vcpu.c);
 * pointer authentication by HCR_EL2.API/APK clear, MTE tag access by
 * HCR_EL2.ATA clear, SCXTNUM_ELx by HCR_EL2.EnSCXT clear, LORegions by
 * HCR_EL2.TLOR (HCR_GUEST in vcpu.c); the PMU, SPE and trace filtering by
 * MDCR_EL2 here; the registers of FEAT_FGT's negative traps (TPIDR2_EL0,
 * SMPRI_EL1, ACCDATA_EL1, PIR/POR, GCS, ...) and everything HCRX_EL2
 * enables (MOPS, TCR2, SCTLR2, FPMR, LS64...) by zeroing those registers.
 * One gap: a CPU with SME but without FEAT_FGT (QEMU 7.2 -cpu max; real
 * SME cores all have FGT) leaves TPIDR2_EL0 and SMPRI_EL1 reachable, and
 * Orchid does not switch them.
 */
#include <asm/id_regs.h>
#include <asm/sysreg.h>
#include <asm/vsysreg_debug.h>
#include <orchid/arch.h>
#include <orchid/domain.h>
#include <orchid/p2m.h>
#include <orchid/printk.h>
#include <orchid/spinlock.h>

#include "id_regs_sanitize.h"

/* MDCR_EL2 */
#define MDCR_HPMN_MASK 0x1fUL
#define MDCR_TPMCR     (1UL << 5)
#define MDCR_TPM       (1UL << 6)
#define MDCR_TPMS      (1UL << 14)
#define MDCR_TTRF      (1UL << 19)
#define PMCR_N_SHIFT   11

/* EL2 registers by encoding: older assemblers lack their names. */
#define HFGRTR_EL2   S3_4_C1_C1_4
#define HFGWTR_EL2   S3_4_C1_C1_5
#define HFGITR_EL2   S3_4_C1_C1_6
#define HDFGRTR_EL2  S3_4_C3_C1_4
#define HDFGWTR_EL2  S3_4_C3_C1_5
#define HAFGRTR_EL2  S3_4_C3_C1_6
#define HDFGRTR2_EL2 S3_4_C3_C1_0
#define HDFGWTR2_EL2 S3_4_C3_C1_1
#define HFGRTR2_EL2  S3_4_C3_C1_2
#define HFGWTR2_EL2  S3_4_C3_C1_3
#define HFGITR2_EL2  S3_4_C3_C1_7
#define HCRX_EL2     S3_4_C1_C2_2
/* Expand the names above before READ/WRITE_SYSREG quote them. */
#define READ_SYSREG_ENC(reg)	 READ_SYSREG(reg)
#define WRITE_SYSREG_ENC(reg, v) WRITE_SYSREG(reg, v)

#define HCR_E2H (1UL << 34)

/* What guests read; written only at boot, before any domain exists. */
static uint64_t id_view[ID_REGS_NR];
static bool id_view_ready;
static spinlock_t id_view_lock = SPINLOCK_INIT;

static uint64_t id_reg_read_hw(unsigned int idx)
{
	switch (idx) {
#define ID_REG_READ(crm, op2, name)                                            \
	case ID_IDX(crm, op2): return READ_SYSREG(S3_0_C0_C##crm##_##op2);
		ID_REGS_NAMED(ID_REG_READ)
#undef ID_REG_READ
	default: return 0; /* reserved: RAZ, never read */
	}
}

/* This CPU's group 3; the reserved slots hold 0. */
static void id_regs_read_cpu(uint64_t hw[ID_REGS_NR])
{
	for (unsigned int i = 0; i < ID_REGS_NR; i++)
		hw[i] = id_reg_named(i) ? id_reg_read_hw(i) : 0;
}

static void id_regs_report(const uint64_t hw[ID_REGS_NR],
			   const uint64_t view[ID_REGS_NR])
{
	unsigned int changed = 0;

	for (unsigned int i = ID_IDX_FIRST; i < ID_REGS_NR; i++) {
		if (hw[i] == 0 && view[i] == 0)
			continue;
		if (hw[i] != view[i])
			changed++;
		pr_debug("ID: %-17s %016lx -> %016lx%s\n", id_reg_name(i),
			 hw[i], view[i],
			 hw[i] != view[i] ? " (sanitized)" : "");
	}
	printk("ID registers: %u sanitized for guests (no SVE, SME, MTE, "
	       "PAuth, RAS, AMU, MPAM, PMU, SPE, trace, EL2)\n",
	       changed);
}

void id_regs_init(void)
{
	uint64_t hw[ID_REGS_NR];

	id_regs_read_cpu(hw);
	spin_lock(&id_view_lock);
	id_regs_sanitize(hw, p2m_ipa_bits(), id_view);
	id_view_ready = true;
	spin_unlock(&id_view_lock);
	id_regs_report(hw, id_view);
}

/* A secondary lowers the view to what it has too. */
static void id_regs_merge_this_cpu(void)
{
	uint64_t hw[ID_REGS_NR], mine[ID_REGS_NR], before[ID_REGS_NR];

	id_regs_read_cpu(hw);
	id_regs_sanitize(hw, p2m_ipa_bits(), mine);
	spin_lock(&id_view_lock);
	for (unsigned int i = 0; i < ID_REGS_NR; i++)
		before[i] = id_view[i];
	id_regs_merge(id_view, mine);
	spin_unlock(&id_view_lock);
	for (unsigned int i = ID_IDX_FIRST; i < ID_REGS_NR; i++)
		if (before[i] != id_view[i])
			pr_warn("CPU%u: %s lowered for guests: %016lx -> "
				"%016lx\n",
				arch_cpu_id(), id_reg_name(i), before[i],
				id_view[i]);
}

/*
 * MDCR_EL2 for guests: PMU, SPE and trace-filter registers trap (SPE and
 * trace filters become UNDEFINED; the PMU registers Xen 4.17 emulates read
 * as zero, vsysreg_debug.c); HPMN keeps its reset value PMCR_EL0.N (0 is
 * CONSTRAINED UNPREDICTABLE before FEAT_HPMN0). The debug registers trap
 * too (TDA, TDOSA, TDRA; TDE clear): Orchid does not switch them between
 * guests, so vsysreg_debug.c answers them as Xen does.
 */
static uint64_t mdcr_guest(uint64_t dfr0)
{
	unsigned int pmu = id_field(dfr0, ID_AA64DFR0_PMUVER_SHIFT);
	uint64_t mdcr = MDCR_GUEST_DEBUG;

	if (pmu != 0 && pmu != 0xf) { /* PMUv3 */
		mdcr |= (READ_SYSREG(pmcr_el0) >> PMCR_N_SHIFT) &
			MDCR_HPMN_MASK;
		mdcr |= MDCR_TPM | MDCR_TPMCR;
	}
	if (id_field(dfr0, ID_AA64DFR0_PMSVER_SHIFT))
		mdcr |= MDCR_TPMS; /* E2PB = 0: the buffer is EL2's too */
	if (id_field(dfr0, ID_AA64DFR0_TRACEFILT_SHIFT))
		mdcr |= MDCR_TTRF; /* E2TB = 0: so is a trace buffer */
	return mdcr;
}

/* What EL2 was left with, for -cpu max and new hardware bring-up. */
static void id_regs_report_el2(unsigned int fgt, bool hcx)
{
	uint64_t hcr = READ_SYSREG(hcr_el2);

	pr_debug("EL2 at boot: HCR %016lx (E2H %u) SCTLR %016lx MDCR %016lx "
		 "CPTR %016lx\n",
		 hcr, (unsigned int)!!(hcr & HCR_E2H), READ_SYSREG(sctlr_el2),
		 READ_SYSREG(mdcr_el2), READ_SYSREG(cptr_el2));
	if (fgt)
		pr_debug("EL2 at boot: FGT%u HFGRTR %016lx HFGWTR %016lx "
			 "HFGITR %016lx HDFGRTR %016lx HDFGWTR %016lx\n",
			 fgt, READ_SYSREG_ENC(HFGRTR_EL2),
			 READ_SYSREG_ENC(HFGWTR_EL2),
			 READ_SYSREG_ENC(HFGITR_EL2),
			 READ_SYSREG_ENC(HDFGRTR_EL2),
			 READ_SYSREG_ENC(HDFGWTR_EL2));
	if (hcx)
		pr_debug("EL2 at boot: HCRX %016lx\n",
			 READ_SYSREG_ENC(HCRX_EL2));
}

/*
 * The fine-grained traps reset to UNKNOWN values: zero them, as Linux and
 * KVM do. Zero leaves the EL1 registers with the guest (what Orchid does
 * on CPUs without FEAT_FGT), and makes the negative ("nXXX") bits trap the
 * registers of features the guests are not told about.
 */
static void fgt_reset(unsigned int fgt, uint64_t pfr0)
{
	if (fgt >= 1) {
		WRITE_SYSREG_ENC(HFGRTR_EL2, 0);
		WRITE_SYSREG_ENC(HFGWTR_EL2, 0);
		WRITE_SYSREG_ENC(HFGITR_EL2, 0);
		WRITE_SYSREG_ENC(HDFGRTR_EL2, 0);
		WRITE_SYSREG_ENC(HDFGWTR_EL2, 0);
		if (id_field(pfr0, ID_AA64PFR0_AMU_SHIFT) >= 2) /* AMUv1p1 */
			WRITE_SYSREG_ENC(HAFGRTR_EL2, 0);
	}
	if (fgt >= 2) { /* FEAT_FGT2 */
		WRITE_SYSREG_ENC(HFGRTR2_EL2, 0);
		WRITE_SYSREG_ENC(HFGWTR2_EL2, 0);
		WRITE_SYSREG_ENC(HFGITR2_EL2, 0);
		WRITE_SYSREG_ENC(HDFGRTR2_EL2, 0);
		WRITE_SYSREG_ENC(HDFGWTR2_EL2, 0);
	}
}

void id_regs_init_cpu(void)
{
	uint64_t pfr0 = READ_SYSREG(id_aa64pfr0_el1);
	uint64_t dfr0 = READ_SYSREG(id_aa64dfr0_el1);
	unsigned int fgt =
		id_field(READ_SYSREG(id_aa64mmfr0_el1), ID_AA64MMFR0_FGT_SHIFT);
	bool hcx = id_field(READ_SYSREG(id_aa64mmfr1_el1),
			    ID_AA64MMFR1_HCX_SHIFT) != 0;

	if (arch_cpu_id() == 0)
		id_regs_report_el2(fgt, hcx);
	WRITE_SYSREG(mdcr_el2, mdcr_guest(dfr0));
	fgt_reset(fgt, pfr0);
	/* HCRX_EL2 = 0: MOPS, TCR2, SCTLR2, FPMR, LS64, NMI... stay off. */
	if (hcx)
		WRITE_SYSREG_ENC(HCRX_EL2, 0);
	isb();
	if (id_view_ready)
		id_regs_merge_this_cpu();
}

/* Bits of a system-register ISS that pick a register of group 3. */
#define ID_GROUP3_VAR ((7U << 17) | (0xfU << 1)) /* op2, CRm */

bool id_regs_emulate(struct vcpu *v, uint32_t iss, uint64_t *val)
{
	uint32_t reg = iss & ESR_SYSREG_MASK;
	unsigned int crm = (reg >> 1) & 0xf;
	unsigned int op2 = (reg >> 17) & 7;
	uint64_t out;

	if ((reg & ~ID_GROUP3_VAR) != sysreg_iss(3, 0, 0, 0, 0) || crm < 1 ||
	    crm > 7)
		return false;
	/* Read-only, and EL1's: anything else is UNDEFINED. */
	if (!(iss & ESR_SYSREG_READ) || (v->arch.regs.pstate & 0xf) == 0)
		return false;
	if (!id_view_ready) {
		/* A boot path without id_regs_init: say so, answer anyway. */
		pr_warn("ID registers: no id_regs_init() at boot\n");
		id_regs_init();
	}
	out = id_view[ID_IDX(crm, op2)];
	if (v->domain->arch.gic_version != 3) {
		/* A GICv2 guest has no GIC system registers. */
		if (ID_IDX(crm, op2) == ID_AA64PFR0_EL1)
			out &= ~(0xfUL << ID_AA64PFR0_GIC_SHIFT);
		if (ID_IDX(crm, op2) == ID_PFR1_EL1)
			out &= ~(0xfUL << ID_PFR1_GIC_SHIFT);
	}
	*val = out;
	return true;
}
