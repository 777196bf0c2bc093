/* SPDX-License-Identifier: MIT */
/*
 * System registers for host unit tests of arch/arm64 files, included by
 * asm/sysreg.h under HOST_TEST: each register is a named 64-bit cell
 * (tests/unit/fake_sysreg.c) that code reads and writes by its name and a
 * test sets and checks; barriers and waits do nothing (tests run on one
 * thread).
 */
#ifndef TESTS_UNIT_ARM64_ASM_HOST_SYSREG_H
#define TESTS_UNIT_ARM64_ASM_HOST_SYSREG_H

#include <orchid/types.h>

uint64_t fake_sysreg_read(const char *name);
void fake_sysreg_write(const char *name, uint64_t val);
/* The cell of register @name (created zero on first use). */
uint64_t *fake_sysreg(const char *name);
/* How often @name was written since the last reset. */
unsigned int fake_sysreg_writes(const char *name);
/* Every register back to 0, every count and the TLBI log too. */
void fake_sysreg_reset(void);

/*
 * TLB maintenance: fake_tlbi_log[0..fake_tlbi_count) records each TLBI
 * (up to FAKE_TLBI_MAX) with the VTTBR_EL2 it ran under, i.e. its VMID.
 */
struct fake_tlbi {
	const char *op; /* "ipas2e1is", "vmalle1is", "vmalls12e1is", "alle1" */
	uint64_t arg;	/* the operand: an IPA >> 12, or 0 */
	uint64_t vttbr;
};
#define FAKE_TLBI_MAX 4096
extern struct fake_tlbi fake_tlbi_log[FAKE_TLBI_MAX];
extern unsigned int fake_tlbi_count;
void fake_tlbi(const char *op, uint64_t arg);

#define READ_SYSREG(name)     fake_sysreg_read(#name)
#define WRITE_SYSREG(name, v) fake_sysreg_write(#name, (v))

static inline void isb(void)
{
}

static inline void dsb_sy(void)
{
}

static inline void dsb_ish(void)
{
}

static inline void dsb_ishst(void)
{
}

static inline void dmb_ish(void)
{
}

static inline void wfi(void)
{
}

static inline void wfe(void)
{
}

static inline void sev(void)
{
}

#endif /* TESTS_UNIT_ARM64_ASM_HOST_SYSREG_H */
