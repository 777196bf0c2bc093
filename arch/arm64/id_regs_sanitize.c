// SPDX-License-Identifier: MIT
/*
 * The ID registers guests read, field by field. The rule is an allow-list:
 * a field reads as 0 ("not implemented") unless the table below passes it
 * on, so a feature newer than this file stays hidden instead of leaking.
 * A field is passed on when the feature needs nothing from EL2 and either
 * has no state or keeps it where Orchid saves it (general and base FP/SIMD
 * registers, PSTATE via SPSR_EL2, and the EL1 registers vcpu.c switches:
 * SCTLR, TCR, TTBRx, MAIR, AMAIR, VBAR, CONTEXTIDR, TPIDRs, CPACR, CNTKCTL,
 * MDSCR, ...). Everything else is hidden, and what can be trapped is
 * trapped (vcpu_id_regs.c), so a guest that tries it anyway gets UNDEF:
 *
 *  - SVE, SME, FP8 (ZCR/SMCR/SVCR/TPIDR2/FPMR, wide vector state);
 *  - pointer authentication (APxxKey_EL1), MTE (TFSR/GCR/RGSR, tags),
 *    GCS, THE, LS64 (ACCDATA), MOPS (needs HCRX_EL2.MSCEn), WFxT (the
 *    timeout is not honoured by Orchid's WFI/WFE emulation), TME;
 *  - RAS (error records are the host's; Xen 4.17 hides it too), MPAM,
 *    AMU, the PMU, SPE, trace, TRBE, BRBE (nothing switched or emulated;
 *    Xen 4.17 hides MPAM, AMU and RAS);
 *  - everything of EL2 and EL3 a guest cannot use: EL2, SEL2, RME, VH,
 *    NV, FGT, HCX, FWB, EVT, LOR, stage-2 granules;
 *  - the registers of newer architecture versions Orchid does not switch:
 *    ID_AA64MMFR3 (TCR2, SCTLR2, PIE, POE, MAIR2...), ID_AA64MMFR4,
 *    ID_AA64PFR2, ID_AA64ISAR3, ID_AA64DFR1/DFR2, and the IMPLEMENTATION
 *    DEFINED ID_AA64AFR0/AFR1 and ID_AFR0.
 *
 * Some values are capped rather than passed: EL1 is AArch64-only (HCR_EL2.RW
 * is always set), the GIC system-register interface is GICv3 (Orchid's
 * vGIC has no GICv4.1 parts), CSV2 stops at 1 (CSV2_2 brings SCXTNUM_ELx,
 * not switched; HCR_EL2.EnSCXT clear traps them), HAFDBS at 2 (3 adds
 * TCR2 bits), ECV at 1 (2 is CNTPOFF, an EL2 feature), DebugVer at
 * Debugv8p8 (v8p9 adds MDSELR_EL1), PARange at the stage-2 IPA size.
 * Without AArch32 at EL0 the AArch32 ID registers are UNKNOWN: they read 0.
 */
#include "id_regs_sanitize.h"

struct id_rule {
	uint8_t reg; /* enum id_reg */
	uint8_t shift;
	uint8_t max;	/* the highest value passed on; 0xf: any */
	bool is_signed; /* 0xf (-1) is "not implemented"; never capped */
};

/* clang-format off */
#define KEEP(reg, shift)     { reg, shift, 0xf, false }
#define CAP(reg, shift, max) { reg, shift, max, false }
#define SIGNED(reg, shift)   { reg, shift, 0xf, true }
/* clang-format on */

static const struct id_rule id_rules[] = {
	/* ID_AA64PFR0_EL1 */
	KEEP(ID_AA64PFR0_EL1, 0),    /* EL0: AArch32 at EL0 is the guest's */
	CAP(ID_AA64PFR0_EL1, 4, 1),  /* EL1: AArch64 only (HCR_EL2.RW) */
	KEEP(ID_AA64PFR0_EL1, 12),   /* EL3: SMC is there, as SMCCC */
	SIGNED(ID_AA64PFR0_EL1, 16), /* FP */
	SIGNED(ID_AA64PFR0_EL1, 20), /* AdvSIMD */
	CAP(ID_AA64PFR0_EL1, 24, 1), /* GIC: GICv3 system registers */
	KEEP(ID_AA64PFR0_EL1, 48),   /* DIT: PSTATE */
	CAP(ID_AA64PFR0_EL1, 56, 1), /* CSV2: not CSV2_2 (SCXTNUM_ELx) */
	KEEP(ID_AA64PFR0_EL1, 60),   /* CSV3 */
	/* ID_AA64PFR1_EL1 */
	KEEP(ID_AA64PFR1_EL1, 0),    /* BT: SCTLR_EL1, PSTATE */
	KEEP(ID_AA64PFR1_EL1, 4),    /* SSBS: PSTATE */
	CAP(ID_AA64PFR1_EL1, 32, 1), /* CSV2_frac: not CSV2_1p2 (SCXTNUM) */
	/* ID_AA64DFR0_EL1: self-hosted debug as the hardware has it */
	CAP(ID_AA64DFR0_EL1, 0, 0xa), /* DebugVer: up to Debugv8p8 */
	KEEP(ID_AA64DFR0_EL1, 12),    /* BRPs */
	KEEP(ID_AA64DFR0_EL1, 20),    /* WRPs */
	KEEP(ID_AA64DFR0_EL1, 28),    /* CTX_CMPs */
	SIGNED(ID_AA64DFR0_EL1, 36),  /* DoubleLock */
	/* ID_AA64ISAR0_EL1: instructions without state, all but TME */
	KEEP(ID_AA64ISAR0_EL1, 4),  /* AES */
	KEEP(ID_AA64ISAR0_EL1, 8),  /* SHA1 */
	KEEP(ID_AA64ISAR0_EL1, 12), /* SHA2 */
	KEEP(ID_AA64ISAR0_EL1, 16), /* CRC32 */
	KEEP(ID_AA64ISAR0_EL1, 20), /* Atomic */
	KEEP(ID_AA64ISAR0_EL1, 28), /* RDM */
	KEEP(ID_AA64ISAR0_EL1, 32), /* SHA3 */
	KEEP(ID_AA64ISAR0_EL1, 36), /* SM3 */
	KEEP(ID_AA64ISAR0_EL1, 40), /* SM4 */
	KEEP(ID_AA64ISAR0_EL1, 44), /* DP */
	KEEP(ID_AA64ISAR0_EL1, 48), /* FHM */
	KEEP(ID_AA64ISAR0_EL1, 52), /* TS */
	KEEP(ID_AA64ISAR0_EL1, 56), /* TLB: range and outer-shareable */
	KEEP(ID_AA64ISAR0_EL1, 60), /* RNDR */
	/* ID_AA64ISAR1_EL1: no pointer authentication, no LS64 */
	KEEP(ID_AA64ISAR1_EL1, 0),  /* DPB */
	KEEP(ID_AA64ISAR1_EL1, 12), /* JSCVT */
	KEEP(ID_AA64ISAR1_EL1, 16), /* FCMA */
	KEEP(ID_AA64ISAR1_EL1, 20), /* LRCPC */
	KEEP(ID_AA64ISAR1_EL1, 32), /* FRINTTS */
	KEEP(ID_AA64ISAR1_EL1, 36), /* SB */
	KEEP(ID_AA64ISAR1_EL1, 40), /* SPECRES */
	KEEP(ID_AA64ISAR1_EL1, 44), /* BF16: FPCR */
	KEEP(ID_AA64ISAR1_EL1, 48), /* DGH */
	KEEP(ID_AA64ISAR1_EL1, 52), /* I8MM */
	KEEP(ID_AA64ISAR1_EL1, 56), /* XS */
	/* ID_AA64ISAR2_EL1: no WFxT, PAuth (APA3, GPA3, PAC_frac), MOPS */
	KEEP(ID_AA64ISAR2_EL1, 4),  /* RPRES: FPCR */
	KEEP(ID_AA64ISAR2_EL1, 20), /* BC */
	KEEP(ID_AA64ISAR2_EL1, 28), /* CLRBHB */
	KEEP(ID_AA64ISAR2_EL1, 40), /* PRFMSLC */
	KEEP(ID_AA64ISAR2_EL1, 48), /* RPRFM */
	KEEP(ID_AA64ISAR2_EL1, 52), /* CSSC */
	/* ID_AA64MMFR0_EL1: stage 1 only (the EL1&0 regime) */
	KEEP(ID_AA64MMFR0_EL1, 0),    /* PARange: also capped, see below */
	KEEP(ID_AA64MMFR0_EL1, 4),    /* ASIDBits */
	KEEP(ID_AA64MMFR0_EL1, 8),    /* BigEnd */
	KEEP(ID_AA64MMFR0_EL1, 12),   /* SNSMem */
	KEEP(ID_AA64MMFR0_EL1, 16),   /* BigEndEL0 */
	KEEP(ID_AA64MMFR0_EL1, 20),   /* TGran16 */
	SIGNED(ID_AA64MMFR0_EL1, 24), /* TGran64 */
	SIGNED(ID_AA64MMFR0_EL1, 28), /* TGran4 */
	KEEP(ID_AA64MMFR0_EL1, 44),   /* ExS: SCTLR_EL1.EIS/EOS */
	CAP(ID_AA64MMFR0_EL1, 60, 1), /* ECV: CNTxCTSS, not CNTPOFF */
	/* ID_AA64MMFR1_EL1: no VMIDBits, VH, LO, XNX, TWED, HCX */
	CAP(ID_AA64MMFR1_EL1, 0, 2), /* HAFDBS: TCR_EL1.HA/HD */
	KEEP(ID_AA64MMFR1_EL1, 12),  /* HPDS: TCR_EL1 */
	KEEP(ID_AA64MMFR1_EL1, 20),  /* PAN: PSTATE, SCTLR_EL1.SPAN/EPAN */
	KEEP(ID_AA64MMFR1_EL1, 24),  /* SpecSEI */
	KEEP(ID_AA64MMFR1_EL1, 36),  /* ETS */
	KEEP(ID_AA64MMFR1_EL1, 44),  /* AFP: FPCR */
	KEEP(ID_AA64MMFR1_EL1, 48),  /* nTLBPA */
	KEEP(ID_AA64MMFR1_EL1, 52),  /* TIDCP1: SCTLR_EL1.TIDCP */
	KEEP(ID_AA64MMFR1_EL1, 56),  /* CMOW: SCTLR_EL1.CMOW */
	KEEP(ID_AA64MMFR1_EL1, 60),  /* ECBHB */
	/* ID_AA64MMFR2_EL1: no NV, FWB, EVT */
	KEEP(ID_AA64MMFR2_EL1, 0),  /* CnP: TTBRx_EL1 */
	KEEP(ID_AA64MMFR2_EL1, 4),  /* UAO: PSTATE */
	KEEP(ID_AA64MMFR2_EL1, 8),  /* LSM: SCTLR_EL1 */
	KEEP(ID_AA64MMFR2_EL1, 12), /* IESB: SCTLR_EL1 */
	KEEP(ID_AA64MMFR2_EL1, 16), /* VARange: TCR_EL1 */
	KEEP(ID_AA64MMFR2_EL1, 20), /* CCIDX: CCSIDR_EL1 is not trapped */
	KEEP(ID_AA64MMFR2_EL1, 28), /* ST: TCR_EL1 */
	KEEP(ID_AA64MMFR2_EL1, 32), /* AT */
	KEEP(ID_AA64MMFR2_EL1, 36), /* IDS */
	KEEP(ID_AA64MMFR2_EL1, 48), /* TTL */
	KEEP(ID_AA64MMFR2_EL1, 52), /* BBM */
	KEEP(ID_AA64MMFR2_EL1, 60), /* E0PD: TCR_EL1 */
	/*
	 * AArch32 (EL0 only under Orchid): as the hardware, minus the PMU,
	 * trace, RAS, AMU, virtualization and IMPLEMENTATION DEFINED fields.
	 */
	KEEP(ID_PFR0_EL1, 0),	 /* State0 */
	KEEP(ID_PFR0_EL1, 4),	 /* State1 */
	KEEP(ID_PFR0_EL1, 8),	 /* State2 */
	KEEP(ID_PFR0_EL1, 12),	 /* State3 */
	CAP(ID_PFR0_EL1, 16, 1), /* CSV2 */
	KEEP(ID_PFR0_EL1, 24),	 /* DIT */
	KEEP(ID_PFR1_EL1, 0),	 /* ProgMod */
	KEEP(ID_PFR1_EL1, 4),	 /* Security */
	KEEP(ID_PFR1_EL1, 8),	 /* MProgMod */
	KEEP(ID_PFR1_EL1, 16),	 /* GenTimer */
	KEEP(ID_PFR1_EL1, 20),	 /* Sec_frac */
	CAP(ID_PFR1_EL1, 28, 1), /* GIC */
	KEEP(ID_DFR0_EL1, 0),	 /* CopDbg */
	KEEP(ID_DFR0_EL1, 4),	 /* CopSDbg */
	KEEP(ID_DFR0_EL1, 8),	 /* MMapDbg */
	KEEP(ID_DFR0_EL1, 20),	 /* MProfDbg */
	KEEP(ID_MMFR4_EL1, 0),	 /* SpecSEI */
	KEEP(ID_MMFR4_EL1, 4),	 /* AC2 */
	KEEP(ID_MMFR4_EL1, 12),	 /* CnP */
	KEEP(ID_MMFR4_EL1, 16),	 /* HPDS */
	KEEP(ID_MMFR4_EL1, 20),	 /* LSM */
	KEEP(ID_MMFR4_EL1, 24),	 /* CCIDX */
	KEEP(ID_PFR2_EL1, 0),	 /* CSV3 */
	KEEP(ID_PFR2_EL1, 4),	 /* SSBS */
	KEEP(ID_MMFR5_EL1, 0),	 /* ETS */
	KEEP(ID_MMFR5_EL1, 4),	 /* nTLBPA */
};

/* AArch32 registers passed on whole: memory model and instruction sets. */
/* clang-format off */
static const uint8_t id_whole_aarch32[] = {
	ID_MMFR0_EL1, ID_MMFR1_EL1, ID_MMFR2_EL1, ID_MMFR3_EL1,
	ID_ISAR0_EL1, ID_ISAR1_EL1, ID_ISAR2_EL1, ID_ISAR3_EL1,
	ID_ISAR4_EL1, ID_ISAR5_EL1, ID_ISAR6_EL1,
	MVFR0_EL1, MVFR1_EL1, MVFR2_EL1,
};
/* clang-format on */

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static const char *const id_names[ID_REGS_NR] = {
#define ID_REG_NAME(crm, op2, name) [ID_IDX(crm, op2)] = #name,
	ID_REGS_NAMED(ID_REG_NAME)
#undef ID_REG_NAME
};

static const char *const id_reserved_names[ID_REGS_NR] = {
#define R(crm, op2) [ID_IDX(crm, op2)] = "S3_0_C0_C" #crm "_" #op2
	R(3, 3), R(3, 7), R(4, 3), R(4, 6), R(5, 3), R(5, 6), R(5, 7),
	R(6, 4), R(6, 5), R(6, 6), R(6, 7), R(7, 5), R(7, 6), R(7, 7),
#undef R
};

const char *id_reg_name(unsigned int idx)
{
	if (idx >= ID_REGS_NR)
		return "?";
	if (id_names[idx])
		return id_names[idx];
	return id_reserved_names[idx] ? id_reserved_names[idx] : "?";
}

bool id_reg_named(unsigned int idx)
{
	return idx < ID_REGS_NR && id_names[idx];
}

unsigned int id_parange_for_bits(unsigned int bits)
{
	static const uint8_t sizes[] = {32, 36, 40, 42, 44, 48, 52};
	unsigned int pa = 0;

	for (unsigned int i = 0; i < ARRAY_LEN(sizes); i++)
		if (sizes[i] <= bits)
			pa = i;
	return pa;
}

static uint64_t field_set(uint64_t val, unsigned int shift, unsigned int f)
{
	return (val & ~(0xfUL << shift)) | ((uint64_t)(f & 0xf) << shift);
}

/* A 4-bit signed field as a number: 0x8-0xf are -8..-1. */
static int field_signed(unsigned int f)
{
	return (int)(f ^ 8) - 8;
}

static bool is_aarch32(unsigned int idx)
{
	return idx >= ID_IDX(1, 0) && idx < ID_IDX(4, 0);
}

/* Rules that hold for the whole view once it is built or merged. */
static void id_regs_finish(uint64_t view[ID_REGS_NR], unsigned int ipa_bits)
{
	unsigned int pa =
		id_field(view[ID_AA64MMFR0_EL1], ID_AA64MMFR0_PARANGE_SHIFT);
	unsigned int cap = id_parange_for_bits(ipa_bits);

	/* Guests address what stage 2 translates, not the whole bus. */
	if (pa > cap)
		view[ID_AA64MMFR0_EL1] =
			field_set(view[ID_AA64MMFR0_EL1],
				  ID_AA64MMFR0_PARANGE_SHIFT, cap);
	/* EL0 = 1: AArch64 only, so no AArch32 ID register means anything. */
	if (id_field(view[ID_AA64PFR0_EL1], ID_AA64PFR0_EL0_SHIFT) < 2)
		for (unsigned int i = 0; i < ID_REGS_NR; i++)
			if (is_aarch32(i))
				view[i] = 0;
}

void id_regs_sanitize(const uint64_t hw[ID_REGS_NR], unsigned int ipa_bits,
		      uint64_t out[ID_REGS_NR])
{
	for (unsigned int i = 0; i < ID_REGS_NR; i++)
		out[i] = 0;
	for (unsigned int i = 0; i < ARRAY_LEN(id_whole_aarch32); i++)
		out[id_whole_aarch32[i]] = hw[id_whole_aarch32[i]];
	for (unsigned int i = 0; i < ARRAY_LEN(id_rules); i++) {
		const struct id_rule *r = &id_rules[i];
		unsigned int f = id_field(hw[r->reg], r->shift);

		if (!r->is_signed && f > r->max)
			f = r->max;
		out[r->reg] = field_set(out[r->reg], r->shift, f);
	}
	id_regs_finish(out, ipa_bits);
}

/* The lesser of two values of a field an id_rule describes. */
static unsigned int field_min(const struct id_rule *r, unsigned int a,
			      unsigned int b)
{
	if (r->is_signed)
		return field_signed(a) <= field_signed(b) ? a : b;
	return a < b ? a : b;
}

void id_regs_merge(uint64_t view[ID_REGS_NR], const uint64_t other[ID_REGS_NR])
{
	/* The whole AArch32 registers: unsigned fields, smaller is less. */
	for (unsigned int i = 0; i < ARRAY_LEN(id_whole_aarch32); i++) {
		unsigned int reg = id_whole_aarch32[i];
		static const struct id_rule plain = {0, 0, 0xf, false};

		for (unsigned int shift = 0; shift < 64; shift += 4)
			view[reg] = field_set(
				view[reg], shift,
				field_min(&plain, id_field(view[reg], shift),
					  id_field(other[reg], shift)));
	}
	for (unsigned int i = 0; i < ARRAY_LEN(id_rules); i++) {
		const struct id_rule *r = &id_rules[i];
		unsigned int f = field_min(r, id_field(view[r->reg], r->shift),
					   id_field(other[r->reg], r->shift));

		view[r->reg] = field_set(view[r->reg], r->shift, f);
	}
	/* PARange is already capped in both; only AArch32 can change. */
	id_regs_finish(view, 52);
}
