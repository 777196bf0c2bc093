// SPDX-License-Identifier: MIT
/*
 * What must fault: an HVC with an immediate that is neither Xen's 0xEA1
 * nor SMCCC's 0 is UNDEFINED (EC 0), and a load from an IPA with nothing
 * behind it is a synchronous data abort (EC 0x25). Xen 4.17 injects the
 * UNDEF with ELR after the HVC (the trap's return address), where the
 * architecture's own UNDEF would point at the HVC: the test expects Xen.
 */
#include "guest.h"

#define ESR_EC(esr) ((esr) >> 26)

void test_traps(void)
{
	struct fault f;
	char detail[80];

	fault_expect();
	hvc_bad_imm();
	f = fault_result();
	snprintf(detail, sizeof(detail), "taken %d, ESR %x", f.taken, f.esr);
	check_true("hvc-unknown-imm-undef", f.taken && ESR_EC(f.esr) == 0,
		   detail);
	snprintf(detail, sizeof(detail), "ELR %lx, HVC at %lx",
		 (unsigned long)f.elr, (unsigned long)hvc_bad_imm_insn);
	check_true("hvc-unknown-imm-elr-after-hvc",
		   f.elr == (uint64_t)(uintptr_t)hvc_bad_imm_insn + 4, detail);

	fault_expect();
	probe_load(IPA_HOLE);
	f = fault_result();
	snprintf(detail, sizeof(detail), "taken %d, ESR %x, FAR %lx", f.taken,
		 f.esr, (unsigned long)f.far);
	check_true("load-ipa-hole-abort",
		   f.taken && ESR_EC(f.esr) == 0x25 && f.far == IPA_HOLE,
		   detail);
}
