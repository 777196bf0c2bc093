/* SPDX-License-Identifier: MIT */
#ifndef ASM_SYSREG_H
#define ASM_SYSREG_H

#ifndef __ASSEMBLY__
#include <orchid/types.h>

#ifdef HOST_TEST
/* Host unit tests of arch/arm64 files: registers in memory (tests/unit). */
#include <asm/host_sysreg.h>
#else
/*
 * System register access. These stay macros: the register name must reach
 * the assembler as a literal, which a function argument cannot do.
 */
#define READ_SYSREG(name)                                                      \
	({                                                                     \
		uint64_t v__;                                                  \
		__asm__ volatile("mrs %0, " #name : "=r"(v__));                \
		v__;                                                           \
	})

#define WRITE_SYSREG(name, v)                                                  \
	do {                                                                   \
		uint64_t w__ = (v);                                            \
		__asm__ volatile("msr " #name ", %0" : : "r"(w__) : "memory"); \
	} while (0)

static inline void isb(void)
{
	__asm__ volatile("isb" : : : "memory");
}

static inline void dsb_sy(void)
{
	__asm__ volatile("dsb sy" : : : "memory");
}

static inline void dsb_ish(void)
{
	__asm__ volatile("dsb ish" : : : "memory");
}

static inline void dsb_ishst(void)
{
	__asm__ volatile("dsb ishst" : : : "memory");
}

static inline void dmb_ish(void)
{
	__asm__ volatile("dmb ish" : : : "memory");
}

static inline void wfi(void)
{
	__asm__ volatile("wfi" : : : "memory");
}

static inline void wfe(void)
{
	__asm__ volatile("wfe" : : : "memory");
}

static inline void sev(void)
{
	__asm__ volatile("sev" : : : "memory");
}
#endif /* HOST_TEST */

/*
 * ESR_EL2.ISS of a trapped system register access (EC 0x18), without Rt
 * and the direction bit: compare (iss & ESR_SYSREG_MASK) with this.
 */
static inline uint32_t sysreg_iss(unsigned int op0, unsigned int op1,
				  unsigned int crn, unsigned int crm,
				  unsigned int op2)
{
	return (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) |
	       (crm << 1);
}

#define ESR_SYSREG_MASK 0x3ffc1eU
#define ESR_SYSREG_READ 1U
#endif

/* GICv3 CPU interface registers by encoding (older assemblers lack names). */
#define ICC_PMR_EL1	S3_0_C4_C6_0
#define ICC_IAR1_EL1	S3_0_C12_C12_0
#define ICC_EOIR1_EL1	S3_0_C12_C12_1
#define ICC_DIR_EL1	S3_0_C12_C11_1
#define ICC_BPR1_EL1	S3_0_C12_C12_3
#define ICC_CTLR_EL1	S3_0_C12_C12_4
#define ICC_SRE_EL1	S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_SGI1R_EL1	S3_0_C12_C11_5
#define ICC_SRE_EL2	S3_4_C12_C9_5
#define ICH_HCR_EL2	S3_4_C12_C11_0
#define ICH_VTR_EL2	S3_4_C12_C11_1

/* HCR_EL2 bits Orchid uses. */
#define HCR_VM	 (1UL << 0)
#define HCR_SWIO (1UL << 1)
#define HCR_FMO	 (1UL << 3)
#define HCR_IMO	 (1UL << 4)
#define HCR_AMO	 (1UL << 5)
#define HCR_TSC	 (1UL << 19)
#define HCR_RW	 (1UL << 31)

/* SCTLR_EL2 */
#define SCTLR_M	  (1UL << 0)
#define SCTLR_A	  (1UL << 1)
#define SCTLR_C	  (1UL << 2)
#define SCTLR_SA  (1UL << 3)
#define SCTLR_I	  (1UL << 12)
#define SCTLR_WXN (1UL << 19)
#define SCTLR_EL2_RES1                                                         \
	((3UL << 4) | (1UL << 11) | (1UL << 16) | (1UL << 18) | (3UL << 22) |  \
	 (3UL << 28))

/* ESR_ELx exception classes used at EL2. */
#define ESR_EC_SHIFT	26
#define ESR_EC_UNKNOWN	0x00
#define ESR_EC_WFX	0x01
#define ESR_EC_HVC64	0x16
#define ESR_EC_SMC64	0x17
#define ESR_EC_SYSREG	0x18
#define ESR_EC_IABT_LOW 0x20
#define ESR_EC_IABT_CUR 0x21
#define ESR_EC_PC_ALIGN 0x22
#define ESR_EC_DABT_LOW 0x24
#define ESR_EC_DABT_CUR 0x25
#define ESR_EC_SP_ALIGN 0x26
#define ESR_EC_SERROR	0x2f
#define ESR_EC_BRK64	0x3c

#endif /* ASM_SYSREG_H */
