/* SPDX-License-Identifier: MIT */
#ifndef ASM_TRAPS_H
#define ASM_TRAPS_H

#include <orchid/domain.h>

/* Inject an exception into the current (loaded) vCPU at EL1. */
void inject_undef(struct vcpu *v);
void inject_dabt(struct vcpu *v, uint64_t addr);
void inject_iabt(struct vcpu *v, uint64_t addr);

#define PSR_SS	  (1UL << 21)
#define PSR_BTYPE (3UL << 10)

/* Step over the trapped instruction, as if it had executed. */
static inline void advance_pc(struct vcpu *v)
{
	v->arch.regs.pc += 4;
	v->arch.regs.pstate &= ~(PSR_SS | PSR_BTYPE);
}

/* Guest register n (31 reads as zero), as the trapped instruction names it. */
static inline uint64_t guest_reg(const struct vcpu *v, unsigned int n)
{
	return n == 31 ? 0 : v->arch.regs.x[n];
}

static inline void guest_reg_set(struct vcpu *v, unsigned int n, uint64_t val)
{
	if (n != 31)
		v->arch.regs.x[n] = val;
}

/* SMCCC calls (HVC #0 or a trapped SMC): PSCI, arch and vendor services. */
void smccc_handle(struct vcpu *v);
/* PSCI for guests; false when @fid is not a PSCI function. */
bool vpsci_handle(struct vcpu *v, uint32_t fid);

/* C entry from entry.S for every exception from a guest. */
struct cpu_regs *guest_trap(unsigned long vector);

#endif /* ASM_TRAPS_H */
