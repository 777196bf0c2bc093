/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of arch/arm64/id_regs_sanitize.c: what guests read in the ID
 * registers of group 3, from QEMU's -cpu max, from a CPU claiming every
 * feature, and from two CPUs that differ.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "../../arch/arm64/id_regs_sanitize.h"

#define F(val, shift) id_field((val), (shift))

/* QEMU 7.2 -cpu max, as Orchid read it at EL2 (virt, no MTE memory). */
static void qemu_max(uint64_t hw[ID_REGS_NR])
{
	memset(hw, 0, ID_REGS_NR * sizeof(hw[0]));
	hw[ID_PFR0_EL1] = 0x11020131;
	hw[ID_PFR1_EL1] = 0x10011001;
	hw[ID_DFR0_EL1] = 0x06010009;
	hw[ID_MMFR0_EL1] = 0x10101105;
	hw[ID_MMFR1_EL1] = 0x40000000;
	hw[ID_MMFR2_EL1] = 0x01260000;
	hw[ID_MMFR3_EL1] = 0x02122211;
	hw[ID_ISAR0_EL1] = 0x02101110;
	hw[ID_ISAR1_EL1] = 0x13112111;
	hw[ID_ISAR2_EL1] = 0x21232042;
	hw[ID_ISAR3_EL1] = 0x01112131;
	hw[ID_ISAR4_EL1] = 0x00011142;
	hw[ID_ISAR5_EL1] = 0x11011121;
	hw[ID_MMFR4_EL1] = 0x00011110;
	hw[ID_ISAR6_EL1] = 0x01111111;
	hw[MVFR0_EL1] = 0x10110222;
	hw[MVFR1_EL1] = 0x13211111;
	hw[MVFR2_EL1] = 0x43;
	hw[ID_PFR2_EL1] = 0x11;
	hw[ID_MMFR5_EL1] = 0x1;
	hw[ID_AA64PFR0_EL1] = 0x1201001121110222;
	hw[ID_AA64PFR1_EL1] = 0x0000000001000021;
	hw[ID_AA64ZFR0_EL1] = 0x0110110100110021;
	hw[ID_AA64SMFR0_EL1] = 0x80f100fd00000000;
	hw[ID_AA64DFR0_EL1] = 0x0000000010305609;
	hw[ID_AA64ISAR0_EL1] = 0x1221111110212120;
	hw[ID_AA64ISAR1_EL1] = 0x0011111101211012;
	hw[ID_AA64MMFR0_EL1] = 0x0000032310201126;
	hw[ID_AA64MMFR1_EL1] = 0x0000011010211122;
	hw[ID_AA64MMFR2_EL1] = 0x1021011010011011;
}

/* The whole view for -cpu max, checked field by field once by hand. */
static void test_qemu_max(void **state)
{
	uint64_t hw[ID_REGS_NR], v[ID_REGS_NR];

	qemu_max(hw);
	id_regs_sanitize(hw, 44, v);
	/* RAS (and CSV2 capped at 1) hidden in AArch32 too; no PMU. */
	assert_int_equal(v[ID_PFR0_EL1], 0x01010131);
	assert_int_equal(v[ID_PFR1_EL1], 0x10010001); /* no Virtualization */
	assert_int_equal(v[ID_DFR0_EL1], 0x9);	      /* no PerfMon */
	assert_int_equal(v[ID_MMFR4_EL1], 0x11010);   /* no XNX */
	for (unsigned int r = ID_ISAR0_EL1; r <= ID_ISAR5_EL1; r++)
		assert_int_equal(v[r], hw[r]);
	assert_int_equal(v[MVFR1_EL1], hw[MVFR1_EL1]);
	/* EL1 and EL2 AArch64-only/absent, no RAS, SVE, SEL2; CSV2 1. */
	assert_int_equal(v[ID_AA64PFR0_EL1], 0x1101000001110012);
	assert_int_equal(v[ID_AA64PFR1_EL1], 0x21); /* BT, SSBS; no SME */
	assert_int_equal(v[ID_AA64ZFR0_EL1], 0);
	assert_int_equal(v[ID_AA64SMFR0_EL1], 0);
	assert_int_equal(v[ID_AA64DFR0_EL1], 0x10305009); /* no PMUVer */
	assert_int_equal(v[ID_AA64ISAR0_EL1], hw[ID_AA64ISAR0_EL1]);
	assert_int_equal(v[ID_AA64ISAR1_EL1],
			 0x0011111100211002); /* APA, GPA */
	/* PARange 44 bits, no stage-2 granules, FGT, VH, LO, HCX, NV. */
	assert_int_equal(v[ID_AA64MMFR0_EL1], 0x10201124);
	assert_int_equal(v[ID_AA64MMFR1_EL1], 0x0000001000201002);
	assert_int_equal(v[ID_AA64MMFR2_EL1], 0x1021001010011011);
}

/* A CPU with every field at 0xf: only the allow-list gets through. */
static void test_everything_claimed(void **state)
{
	uint64_t hw[ID_REGS_NR], v[ID_REGS_NR];

	for (unsigned int i = 0; i < ID_REGS_NR; i++)
		hw[i] = id_reg_named(i) ? ~0UL : 0;
	id_regs_sanitize(hw, 48, v);

	for (unsigned int i = 0; i < ID_REGS_NR; i++)
		if (!id_reg_named(i))
			assert_int_equal(v[i], 0);
	/* Registers hidden whole. */
	assert_int_equal(v[ID_AA64ZFR0_EL1], 0);
	assert_int_equal(v[ID_AA64SMFR0_EL1], 0);
	assert_int_equal(v[ID_AA64FPFR0_EL1], 0);
	assert_int_equal(v[ID_AA64PFR2_EL1], 0);
	assert_int_equal(v[ID_AA64MMFR3_EL1], 0);
	assert_int_equal(v[ID_AA64MMFR4_EL1], 0);
	assert_int_equal(v[ID_AA64ISAR3_EL1], 0);
	assert_int_equal(v[ID_AA64DFR1_EL1], 0);
	assert_int_equal(v[ID_AA64DFR2_EL1], 0);
	assert_int_equal(v[ID_AA64AFR0_EL1], 0);
	assert_int_equal(v[ID_AA64AFR1_EL1], 0);
	assert_int_equal(v[ID_AFR0_EL1], 0);
	assert_int_equal(v[ID_DFR1_EL1], 0);
	/* ID_AA64PFR0: EL2, RAS, SVE, SEL2, MPAM, AMU, RME hidden. */
	uint64_t pfr0 = v[ID_AA64PFR0_EL1];
	assert_int_equal(F(pfr0, 4), 1);    /* EL1 AArch64 only */
	assert_int_equal(F(pfr0, 8), 0);    /* EL2 */
	assert_int_equal(F(pfr0, 16), 0xf); /* FP: signed, as is */
	assert_int_equal(F(pfr0, 24), 1);   /* GIC */
	for (unsigned int s = 28; s <= 52; s += 4)
		if (s != 48) /* DIT */
			assert_int_equal(F(pfr0, s), 0);
	assert_int_equal(F(pfr0, 56), 1); /* CSV2 */
	/* ID_AA64PFR1: MTE, RAS_frac, MPAM_frac, SME, NMI, GCS... hidden. */
	assert_int_equal(v[ID_AA64PFR1_EL1], 0x0000000100000000UL | 0xff);
	/* Pointer authentication, LS64, WFxT, MOPS, TME hidden. */
	uint64_t isar1 = v[ID_AA64ISAR1_EL1], isar2 = v[ID_AA64ISAR2_EL1];
	assert_int_equal(F(isar1, 4) | F(isar1, 8) | F(isar1, 24) |
				 F(isar1, 28) | F(isar1, 60),
			 0);
	assert_int_equal(F(isar2, 0) | F(isar2, 8) | F(isar2, 12) |
				 F(isar2, 16) | F(isar2, 24),
			 0);
	assert_int_equal(F(v[ID_AA64ISAR0_EL1], 24), 0);
	/* PMU, SPE, trace, BRBE hidden; DebugVer capped; DoubleLock kept. */
	uint64_t dfr0 = v[ID_AA64DFR0_EL1];
	assert_int_equal(F(dfr0, 0), 0xa);
	assert_int_equal(F(dfr0, 4) | F(dfr0, 8) | F(dfr0, 32) | F(dfr0, 40) |
				 F(dfr0, 44) | F(dfr0, 52),
			 0);
	assert_int_equal(F(dfr0, 36), 0xf);
	/* MMFR caps: PARange to 48 bits, HAFDBS 2, ECV 1; FGT hidden. */
	assert_int_equal(F(v[ID_AA64MMFR0_EL1], 0), 5);
	assert_int_equal(F(v[ID_AA64MMFR0_EL1], 56), 0);
	assert_int_equal(F(v[ID_AA64MMFR0_EL1], 60), 1);
	assert_int_equal(F(v[ID_AA64MMFR1_EL1], 0), 2);
	assert_int_equal(F(v[ID_AA64MMFR1_EL1], 8), 0);	 /* VH */
	assert_int_equal(F(v[ID_AA64MMFR1_EL1], 16), 0); /* LO */
	assert_int_equal(F(v[ID_AA64MMFR2_EL1], 24), 0); /* NV */
}

static void test_no_aarch32_el0(void **state)
{
	uint64_t hw[ID_REGS_NR], v[ID_REGS_NR];

	qemu_max(hw);
	hw[ID_AA64PFR0_EL1] = (hw[ID_AA64PFR0_EL1] & ~0xffUL) | 0x11;
	id_regs_sanitize(hw, 44, v);
	for (unsigned int i = ID_IDX(1, 0); i < ID_IDX(4, 0); i++)
		assert_int_equal(v[i], 0);
	assert_int_equal(F(v[ID_AA64PFR0_EL1], 0), 1);
}

static void test_parange(void **state)
{
	uint64_t hw[ID_REGS_NR], v[ID_REGS_NR];

	assert_int_equal(id_parange_for_bits(52), 6);
	assert_int_equal(id_parange_for_bits(48), 5);
	assert_int_equal(id_parange_for_bits(44), 4);
	assert_int_equal(id_parange_for_bits(43), 3);
	assert_int_equal(id_parange_for_bits(40), 2);
	assert_int_equal(id_parange_for_bits(32), 0);
	assert_int_equal(id_parange_for_bits(20), 0);
	/* Below the IPA size, the hardware's own value stands. */
	qemu_max(hw);
	hw[ID_AA64MMFR0_EL1] = (hw[ID_AA64MMFR0_EL1] & ~0xfUL) | 2;
	id_regs_sanitize(hw, 44, v);
	assert_int_equal(F(v[ID_AA64MMFR0_EL1], 0), 2);
}

/* Two CPUs: guests get the lesser of every field. */
static void test_merge(void **state)
{
	uint64_t hw[ID_REGS_NR], a[ID_REGS_NR], b[ID_REGS_NR];

	qemu_max(hw);
	id_regs_sanitize(hw, 44, a);
	/* The second CPU: no LSE atomics, FP not implemented (signed
	 * 0xf), 4K granule 52-bit vs 0 (plain), no AArch32 EL0. */
	hw[ID_AA64ISAR0_EL1] &= ~(0xfUL << 20);
	hw[ID_AA64PFR0_EL1] |= 0xfUL << 16;
	hw[ID_AA64PFR0_EL1] = (hw[ID_AA64PFR0_EL1] & ~0xfUL) | 1;
	hw[ID_AA64MMFR0_EL1] &= ~(0xfUL << 28);
	id_regs_sanitize(hw, 44, b);
	id_regs_merge(a, b);
	assert_int_equal(F(a[ID_AA64ISAR0_EL1], 20), 0);
	assert_int_equal(F(a[ID_AA64PFR0_EL1], 16), 0xf);
	assert_int_equal(F(a[ID_AA64MMFR0_EL1], 28), 0);
	assert_int_equal(F(a[ID_AA64PFR0_EL1], 0), 1);
	for (unsigned int i = ID_IDX(1, 0); i < ID_IDX(4, 0); i++)
		assert_int_equal(a[i], 0);
	/* Merging a CPU with itself changes nothing. */
	memcpy(b, a, sizeof(b));
	id_regs_merge(a, b);
	assert_memory_equal(a, b, sizeof(a));
}

static void test_names(void **state)
{
	assert_string_equal(id_reg_name(ID_AA64PFR0_EL1), "ID_AA64PFR0_EL1");
	assert_string_equal(id_reg_name(ID_IDX(3, 3)), "S3_0_C0_C3_3");
	assert_string_equal(id_reg_name(ID_IDX(7, 7)), "S3_0_C0_C7_7");
	for (unsigned int i = ID_IDX(1, 0); i < ID_REGS_NR; i++)
		assert_string_not_equal(id_reg_name(i), "?");
	assert_false(id_reg_named(ID_IDX(4, 3)));
	assert_true(id_reg_named(ID_AA64ISAR2_EL1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_max),
		cmocka_unit_test(test_everything_claimed),
		cmocka_unit_test(test_no_aarch32_el0),
		cmocka_unit_test(test_parange),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests_name("id_regs", tests, NULL, NULL);
}
