/* SPDX-License-Identifier: MIT */
/*
 * What guests are told about the CPU: the policy behind the ID registers
 * of group 3 (HCR_EL2.TID3), as pure functions of the hardware values.
 * Nothing here touches hardware, so it builds on the host and is
 * unit-tested there (tests/unit/test_id_regs.c); vcpu_id_regs.c reads the
 * CPUs' registers and answers the guests' traps with the result.
 */
#ifndef ARM64_ID_REGS_SANITIZE_H
#define ARM64_ID_REGS_SANITIZE_H

#include <orchid/types.h>

/*
 * Group 3 is op0 3, op1 0, CRn 0, CRm 1-7, op2 0-7: one slot per
 * encoding, index CRm * 8 + op2 (slots 0-7 are not in the group).
 */
#define ID_REGS_NR	 64
#define ID_IDX(crm, op2) ((crm)*8 + (op2))
#define ID_IDX_FIRST	 ID_IDX(1, 0)

/*
 * Every register of the group the architecture names, as X(CRm, op2,
 * name). The slots left out are reserved: they read as zero.
 */
/* clang-format off */
#define ID_REGS_NAMED(X)                                                  \
	X(1, 0, ID_PFR0_EL1) X(1, 1, ID_PFR1_EL1) X(1, 2, ID_DFR0_EL1)    \
	X(1, 3, ID_AFR0_EL1) X(1, 4, ID_MMFR0_EL1) X(1, 5, ID_MMFR1_EL1)  \
	X(1, 6, ID_MMFR2_EL1) X(1, 7, ID_MMFR3_EL1)                       \
	X(2, 0, ID_ISAR0_EL1) X(2, 1, ID_ISAR1_EL1) X(2, 2, ID_ISAR2_EL1) \
	X(2, 3, ID_ISAR3_EL1) X(2, 4, ID_ISAR4_EL1) X(2, 5, ID_ISAR5_EL1) \
	X(2, 6, ID_MMFR4_EL1) X(2, 7, ID_ISAR6_EL1)                       \
	X(3, 0, MVFR0_EL1) X(3, 1, MVFR1_EL1) X(3, 2, MVFR2_EL1)          \
	X(3, 4, ID_PFR2_EL1) X(3, 5, ID_DFR1_EL1) X(3, 6, ID_MMFR5_EL1)   \
	X(4, 0, ID_AA64PFR0_EL1) X(4, 1, ID_AA64PFR1_EL1)                 \
	X(4, 2, ID_AA64PFR2_EL1) X(4, 4, ID_AA64ZFR0_EL1)                 \
	X(4, 5, ID_AA64SMFR0_EL1) X(4, 7, ID_AA64FPFR0_EL1)               \
	X(5, 0, ID_AA64DFR0_EL1) X(5, 1, ID_AA64DFR1_EL1)                 \
	X(5, 2, ID_AA64DFR2_EL1) X(5, 4, ID_AA64AFR0_EL1)                 \
	X(5, 5, ID_AA64AFR1_EL1)                                          \
	X(6, 0, ID_AA64ISAR0_EL1) X(6, 1, ID_AA64ISAR1_EL1)               \
	X(6, 2, ID_AA64ISAR2_EL1) X(6, 3, ID_AA64ISAR3_EL1)               \
	X(7, 0, ID_AA64MMFR0_EL1) X(7, 1, ID_AA64MMFR1_EL1)               \
	X(7, 2, ID_AA64MMFR2_EL1) X(7, 3, ID_AA64MMFR3_EL1)               \
	X(7, 4, ID_AA64MMFR4_EL1)
/* clang-format on */

enum id_reg {
#define ID_REG_ENUM(crm, op2, name) name = ID_IDX(crm, op2),
	ID_REGS_NAMED(ID_REG_ENUM)
#undef ID_REG_ENUM
};

/* The 4-bit field at @shift of an ID register value. */
static inline unsigned int id_field(uint64_t val, unsigned int shift)
{
	return (unsigned int)(val >> shift) & 0xf;
}

/* Fields that matter beyond what guests see. */
#define ID_AA64PFR0_EL0_SHIFT	    0
#define ID_AA64PFR0_GIC_SHIFT	    24
#define ID_AA64PFR0_AMU_SHIFT	    44
#define ID_AA64DFR0_PMUVER_SHIFT    8
#define ID_AA64DFR0_PMSVER_SHIFT    32
#define ID_AA64DFR0_TRACEFILT_SHIFT 40
#define ID_AA64MMFR0_PARANGE_SHIFT  0
#define ID_AA64MMFR0_FGT_SHIFT	    56
#define ID_AA64MMFR1_HCX_SHIFT	    40
#define ID_PFR1_GIC_SHIFT	    28

/* Name of slot @idx for messages ("S3_0_C0_C<m>_<n>" style if reserved). */
const char *id_reg_name(unsigned int idx);
/* Whether the architecture names the register in slot @idx. */
bool id_reg_named(unsigned int idx);

/*
 * The guests' view of one CPU: @hw holds that CPU's registers (0 in the
 * reserved slots), @ipa_bits the stage-2 input size guests get. Fills
 * @out for every slot.
 */
void id_regs_sanitize(const uint64_t hw[ID_REGS_NR], unsigned int ipa_bits,
		      uint64_t out[ID_REGS_NR]);

/*
 * Fold another CPU's view @other into @view, field by field, keeping the
 * lesser feature, so guests are told only what every CPU has.
 */
void id_regs_merge(uint64_t view[ID_REGS_NR], const uint64_t other[ID_REGS_NR]);

/* The largest ID_AA64MMFR0_EL1.PARange whose size fits @bits. */
unsigned int id_parange_for_bits(unsigned int bits);

#endif /* ARM64_ID_REGS_SANITIZE_H */
