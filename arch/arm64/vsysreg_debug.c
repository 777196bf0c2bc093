// SPDX-License-Identifier: MIT
/*
 * Debug and PMU system registers of guests. Orchid switches none of them
 * between guests, so a guest may not reach the hardware's: a breakpoint
 * value written by one guest would be read by the next, and a guest
 * setting the OS lock (OSLAR_EL1) would lock it for every guest and
 * Orchid on that pCPU. MDCR_EL2.TDA/TDOSA/TDRA (vcpu_id_regs.c) trap the
 * debug registers, TPM/TPMCR the PMU's; this file answers the trapped
 * accesses exactly as Xen 4.17 does (xen/arch/arm/arm64/vsysreg.c), so a
 * guest that runs on Xen runs here:
 *
 *  - MDSCR_EL1, DBGB{V,C}R<n>_EL1, DBGW{V,C}R<n>_EL1, OSDLR_EL1: RAZ/WI;
 *  - OSLSR_EL1 reads 8 (OS lock implemented, unlocked), OSLAR_EL1 WI;
 *  - MDRAR_EL1 and MDCCSR_EL0 read as zero, read-only;
 *  - the PMU registers Xen lists (PMCR_EL0, PMCNTEN*, PMOVS*, PMSWINC,
 *    PMSELR, PMCEID*, PMCCNTR, PMXEV*, PMINTEN*): RAZ/WI; PMUSERENR_EL0
 *    too, read-only at EL0 (its EN bit reads 0, so EL0 has no PMU);
 *  - everything else the traps catch (DCC, claim tags, DBGAUTHSTATUS,
 *    DBGPRCR, the event counters, PMCCFILTR): UNDEFINED.
 */
#include <asm/sysreg.h>
#include <asm/vsysreg_debug.h>
#include <orchid/domain.h>

enum access {
	RAZ_WI,	 /* reads 0, writes ignored */
	RO_RAZ,	 /* reads 0, writes UNDEFINED */
	WO_WI,	 /* writes ignored, reads UNDEFINED */
	RO_OSLK, /* reads OSLSR_EL1's "implemented, unlocked" */
};

struct vreg {
	uint32_t reg; /* sysreg_iss() */
	uint8_t access;
	uint8_t min_el; /* a lower EL's access is UNDEFINED */
};

#define OSLSR_OSLM_IMPLEMENTED 8 /* OSLM[1] = 1: the lock exists */

/* sysreg_iss() as a constant expression, for the table. */
#define ISS(op0, op1, crn, crm, op2)                                           \
	(((op0) << 20) | ((op2) << 17) | ((op1) << 14) | ((crn) << 10) |       \
	 ((crm) << 1))

/*
 * Register-by-register answers, in the order of Xen's vsysreg.c but for
 * MDSCR_EL1: the table is searched in order (encodings are unique), and
 * MDSCR_EL1, which a running kernel reads and writes (single-step and
 * debug state), comes before the OS lock registers of CPU bring-up
 * (bench-micro's mdscr_el1-read row).
 */
static const struct vreg vregs[] = {
	{ISS(2, 0, 0, 2, 2), RAZ_WI, 1},  /* MDSCR_EL1 */
	{ISS(2, 0, 1, 0, 0), RO_RAZ, 1},  /* MDRAR_EL1 */
	{ISS(2, 0, 1, 0, 4), WO_WI, 1},	  /* OSLAR_EL1 */
	{ISS(2, 0, 1, 3, 4), RAZ_WI, 1},  /* OSDLR_EL1 */
	{ISS(2, 0, 1, 1, 4), RO_OSLK, 1}, /* OSLSR_EL1 */
	{ISS(2, 3, 0, 1, 0), RO_RAZ, 0},  /* MDCCSR_EL0 */
	{ISS(3, 0, 9, 14, 1), RAZ_WI, 1}, /* PMINTENSET_EL1 */
	{ISS(3, 0, 9, 14, 2), RAZ_WI, 1}, /* PMINTENCLR_EL1 */
	{ISS(3, 3, 9, 12, 0), RAZ_WI, 1}, /* PMCR_EL0 */
	{ISS(3, 3, 9, 12, 1), RAZ_WI, 1}, /* PMCNTENSET_EL0 */
	{ISS(3, 3, 9, 12, 2), RAZ_WI, 1}, /* PMCNTENCLR_EL0 */
	{ISS(3, 3, 9, 12, 3), RAZ_WI, 1}, /* PMOVSCLR_EL0 */
	{ISS(3, 3, 9, 12, 4), RAZ_WI, 1}, /* PMSWINC_EL0 */
	{ISS(3, 3, 9, 12, 5), RAZ_WI, 1}, /* PMSELR_EL0 */
	{ISS(3, 3, 9, 12, 6), RAZ_WI, 1}, /* PMCEID0_EL0 */
	{ISS(3, 3, 9, 12, 7), RAZ_WI, 1}, /* PMCEID1_EL0 */
	{ISS(3, 3, 9, 13, 0), RAZ_WI, 1}, /* PMCCNTR_EL0 */
	{ISS(3, 3, 9, 13, 1), RAZ_WI, 1}, /* PMXEVTYPER_EL0 */
	{ISS(3, 3, 9, 13, 2), RAZ_WI, 1}, /* PMXEVCNTR_EL0 */
	{ISS(3, 3, 9, 14, 3), RAZ_WI, 1}, /* PMOVSSET_EL0 */
};

#define PMUSERENR_EL0 sysreg_iss(3, 3, 9, 14, 0)

/* op0 2, op1 0, CRn 0, CRm n, op2 4..7: DBGBVR, DBGBCR, DBGWVR, DBGWCR. */
static bool is_breakpoint_or_watchpoint(uint32_t reg)
{
	uint32_t no_crm = reg & ~sysreg_iss(0, 0, 0, 0xf, 0);
	unsigned int op2 = (reg >> 17) & 7;

	return op2 >= 4 && no_crm == sysreg_iss(2, 0, 0, 0, op2);
}

static bool answer(enum access access, bool read, uint64_t *val)
{
	switch (access) {
	case RAZ_WI: break;
	case RO_RAZ:
		if (!read)
			return false;
		break;
	case WO_WI:
		if (read)
			return false;
		return true;
	case RO_OSLK:
		if (!read)
			return false;
		*val = OSLSR_OSLM_IMPLEMENTED;
		return true;
	}
	if (read)
		*val = 0;
	return true;
}

bool vsysreg_debug_emulate(const struct vcpu *v, uint32_t iss, uint64_t *val)
{
	uint32_t reg = iss & ESR_SYSREG_MASK;
	bool read = iss & ESR_SYSREG_READ;
	unsigned int el = (v->arch.regs.pstate & 0xf) ? 1 : 0;

	if (reg == PMUSERENR_EL0)
		return answer(el ? RAZ_WI : RO_RAZ, read, val);
	if (is_breakpoint_or_watchpoint(reg))
		return el >= 1 && answer(RAZ_WI, read, val);
	for (unsigned int i = 0; i < sizeof(vregs) / sizeof(vregs[0]); i++) {
		if (vregs[i].reg != reg)
			continue;
		if (el < vregs[i].min_el)
			return false;
		return answer(vregs[i].access, read, val);
	}
	return false;
}
