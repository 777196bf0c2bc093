/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of arch/arm64/vsysreg_debug.c: every debug and PMU register
 * MDCR_EL2 traps, read and written from EL1 and EL0, against Xen 4.17's
 * answers (xen/arch/arm/arm64/vsysreg.c): RAZ/WI, fixed values, and
 * UNDEFINED (false) for what Xen does not emulate, for the wrong
 * direction and for EL0 where the register is EL1's. Hostile encodings
 * (neighbours of the emulated ones, every CRm of the breakpoint block,
 * Rt bits set) must not be mistaken for emulated registers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <asm/sysreg.h>
#include <asm/vsysreg_debug.h>
#include <orchid/domain.h>

#define PSTATE_EL1H 5
#define PSTATE_EL0T 0
#define SENTINEL    0x5a5a5a5a5a5a5a5aULL

static struct vcpu vcpu;

/* What the guest's MRS gets: the value, or SENTINEL when UNDEFINED. */
static uint64_t mrs(unsigned int el, uint32_t reg)
{
	uint64_t val = SENTINEL;

	vcpu.arch.regs.pstate = el ? PSTATE_EL1H : PSTATE_EL0T;
	/* Rt = x7: the register number must not change the decoding. */
	if (!vsysreg_debug_emulate(&vcpu, reg | (7U << 5) | ESR_SYSREG_READ,
				   &val))
		return SENTINEL;
	return val;
}

/* Whether the guest's MSR is accepted (true) or UNDEFINED (false). */
static bool msr(unsigned int el, uint32_t reg)
{
	uint64_t val = 0x1234;

	vcpu.arch.regs.pstate = el ? PSTATE_EL1H : PSTATE_EL0T;
	return vsysreg_debug_emulate(&vcpu, reg | (30U << 5), &val) &&
	       val == 0x1234; /* a write leaves the value alone */
}

static void assert_raz_wi(uint32_t reg, unsigned int min_el)
{
	assert_int_equal(mrs(1, reg), 0);
	assert_true(msr(1, reg));
	if (min_el) {
		assert_int_equal(mrs(0, reg), SENTINEL);
		assert_false(msr(0, reg));
	}
}

static void test_debug_registers(void **state)
{
	assert_raz_wi(sysreg_iss(2, 0, 0, 2, 2), 1); /* MDSCR_EL1 */
	assert_raz_wi(sysreg_iss(2, 0, 1, 3, 4), 1); /* OSDLR_EL1 */
	/* OSLSR_EL1: "OS lock implemented, unlocked", read-only. */
	assert_int_equal(mrs(1, sysreg_iss(2, 0, 1, 1, 4)), 8);
	assert_false(msr(1, sysreg_iss(2, 0, 1, 1, 4)));
	assert_int_equal(mrs(0, sysreg_iss(2, 0, 1, 1, 4)), SENTINEL);
	/* OSLAR_EL1: write-only, ignored; the real lock stays Orchid's. */
	assert_true(msr(1, sysreg_iss(2, 0, 1, 0, 4)));
	assert_int_equal(mrs(1, sysreg_iss(2, 0, 1, 0, 4)), SENTINEL);
	assert_false(msr(0, sysreg_iss(2, 0, 1, 0, 4)));
	/* MDRAR_EL1: read-only zero. */
	assert_int_equal(mrs(1, sysreg_iss(2, 0, 1, 0, 0)), 0);
	assert_false(msr(1, sysreg_iss(2, 0, 1, 0, 0)));
	/* MDCCSR_EL0: read-only zero, from EL0 too. */
	assert_int_equal(mrs(1, sysreg_iss(2, 3, 0, 1, 0)), 0);
	assert_int_equal(mrs(0, sysreg_iss(2, 3, 0, 1, 0)), 0);
	assert_false(msr(1, sysreg_iss(2, 3, 0, 1, 0)));
}

/* DBGBVR<n>, DBGBCR<n>, DBGWVR<n>, DBGWCR<n>: all 16 of each. */
static void test_breakpoints_and_watchpoints(void **state)
{
	for (unsigned int n = 0; n < 16; n++)
		for (unsigned int op2 = 4; op2 <= 7; op2++)
			assert_raz_wi(sysreg_iss(2, 0, 0, n, op2), 1);
}

/* Trapped by TDA/TDOSA but not emulated by Xen: UNDEFINED. */
static void test_undefined_debug_registers(void **state)
{
	const uint32_t undef[] = {
		sysreg_iss(2, 0, 0, 2, 0),  /* MDCCINT_EL1 */
		sysreg_iss(2, 3, 0, 4, 0),  /* DBGDTR_EL0 */
		sysreg_iss(2, 3, 0, 5, 0),  /* DBGDTRRX/TX_EL0 */
		sysreg_iss(2, 0, 0, 0, 2),  /* OSDTRRX_EL1 */
		sysreg_iss(2, 0, 0, 3, 2),  /* OSDTRTX_EL1 */
		sysreg_iss(2, 0, 0, 6, 2),  /* OSECCR_EL1 */
		sysreg_iss(2, 0, 7, 8, 6),  /* DBGCLAIMSET_EL1 */
		sysreg_iss(2, 0, 7, 9, 6),  /* DBGCLAIMCLR_EL1 */
		sysreg_iss(2, 0, 7, 14, 6), /* DBGAUTHSTATUS_EL1 */
		sysreg_iss(2, 0, 1, 4, 4),  /* DBGPRCR_EL1 */
		sysreg_iss(2, 4, 0, 7, 0),  /* DBGVCR32_EL2 */
		/* Neighbours of emulated encodings. */
		sysreg_iss(2, 1, 0, 2, 2),
		sysreg_iss(2, 0, 1, 0, 5),
		sysreg_iss(2, 0, 1, 1, 5),
		sysreg_iss(2, 0, 1, 0, 1),
		sysreg_iss(2, 1, 0, 0, 4),
		sysreg_iss(2, 0, 1, 0, 6),
		sysreg_iss(3, 0, 0, 0, 4),
	};

	for (unsigned int i = 0; i < sizeof(undef) / sizeof(undef[0]); i++) {
		assert_int_equal(mrs(1, undef[i]), SENTINEL);
		assert_false(msr(1, undef[i]));
	}
}

static void test_pmu_registers(void **state)
{
	const uint32_t raz_wi[] = {
		sysreg_iss(3, 3, 9, 12, 0), /* PMCR_EL0 */
		sysreg_iss(3, 3, 9, 12, 1), sysreg_iss(3, 3, 9, 12, 2),
		sysreg_iss(3, 3, 9, 12, 3), sysreg_iss(3, 3, 9, 12, 4),
		sysreg_iss(3, 3, 9, 12, 5), sysreg_iss(3, 3, 9, 12, 6),
		sysreg_iss(3, 3, 9, 12, 7), sysreg_iss(3, 3, 9, 13, 0),
		sysreg_iss(3, 3, 9, 13, 1), sysreg_iss(3, 3, 9, 13, 2),
		sysreg_iss(3, 3, 9, 14, 3), sysreg_iss(3, 0, 9, 14, 1),
		sysreg_iss(3, 0, 9, 14, 2),
	};

	for (unsigned int i = 0; i < sizeof(raz_wi) / sizeof(raz_wi[0]); i++)
		assert_raz_wi(raz_wi[i], 1);
	/* PMUSERENR_EL0: RAZ/WI at EL1, read-only zero at EL0. */
	assert_raz_wi(sysreg_iss(3, 3, 9, 14, 0), 0);
	assert_int_equal(mrs(0, sysreg_iss(3, 3, 9, 14, 0)), 0);
	assert_false(msr(0, sysreg_iss(3, 3, 9, 14, 0)));
}

/* What Xen leaves out: the event counters, PMCCFILTR, the PMU's
 * neighbours and other classes of register. */
static void test_undefined_pmu_registers(void **state)
{
	const uint32_t undef[] = {
		sysreg_iss(3, 3, 14, 8, 0),  /* PMEVCNTR0_EL0 */
		sysreg_iss(3, 3, 14, 11, 7), /* PMEVCNTR30_EL0 */
		sysreg_iss(3, 3, 14, 12, 0), /* PMEVTYPER0_EL0 */
		sysreg_iss(3, 3, 14, 15, 7), /* PMCCFILTR_EL0 */
		sysreg_iss(3, 3, 9, 14, 4),  /* unallocated neighbour */
		sysreg_iss(3, 3, 9, 14, 1),  sysreg_iss(3, 0, 9, 14, 0),
		sysreg_iss(3, 0, 9, 14, 6),  sysreg_iss(3, 2, 9, 12, 0),
		sysreg_iss(3, 3, 14, 2, 1), /* CNTP_CTL_EL0: vtimer's */
		sysreg_iss(3, 0, 1, 0, 1),  /* ACTLR_EL1 */
	};

	for (unsigned int i = 0; i < sizeof(undef) / sizeof(undef[0]); i++) {
		assert_int_equal(mrs(1, undef[i]), SENTINEL);
		assert_false(msr(1, undef[i]));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_debug_registers),
		cmocka_unit_test(test_breakpoints_and_watchpoints),
		cmocka_unit_test(test_undefined_debug_registers),
		cmocka_unit_test(test_pmu_registers),
		cmocka_unit_test(test_undefined_pmu_registers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
