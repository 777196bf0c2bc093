/* SPDX-License-Identifier: MIT */
/*
 * The ID registers guests see (HCR_EL2.TID3): computed once at boot,
 * answered on every trapped read (arch/arm64/vcpu_id_regs.c).
 */
#ifndef ASM_ID_REGS_H
#define ASM_ID_REGS_H

#include <orchid/types.h>

struct vcpu;

/*
 * Compute what guests are told from the boot CPU's ID registers. Once, on
 * the boot CPU, after p2m_init_cpu (the stage-2 IPA size caps PARange) and
 * before the secondaries start or any domain is created.
 */
void id_regs_init(void);

/*
 * Per pCPU, every CPU at boot (boot CPU first, after vcpu_init_cpu): EL2
 * trap controls that make what the ID registers hide UNDEFINED for guests
 * (MDCR_EL2 for the PMU, SPE and trace filters; the fine-grained traps and
 * HCRX_EL2 zeroed when the CPU has them). A CPU starting after
 * id_regs_init also folds its own ID registers into the guests' view, so
 * guests are told only what every CPU has.
 */
void id_regs_init_cpu(void);

/*
 * A trapped MRS/MSR with ESR_EL2.ISS @iss: if it names a register of ID
 * group 3, put the guest's value of it in @val and return true. Writes (the
 * registers are read-only) and anything outside the group return false,
 * which makes the access UNDEFINED for the guest.
 */
bool id_regs_emulate(struct vcpu *v, uint32_t iss, uint64_t *val);

#endif /* ASM_ID_REGS_H */
