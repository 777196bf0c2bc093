/* SPDX-License-Identifier: MIT */
/* Guest vCPU state on the hardware: reset, switch, entry. */
#ifndef ASM_VCPU_H
#define ASM_VCPU_H

#include <orchid/domain.h>

/* SCTLR_EL1 a vCPU starts with (Xen's SCTLR_GUEST_INIT): MMU/caches off. */
#define SCTLR_GUEST_INIT 0x00c50078UL

/* Architecture part of vCPU/domain teardown (creation: orchid/arch.h). */
void arch_vcpu_destroy(struct vcpu *v);
void arch_domain_destroy(struct domain *d);
/* vCPU id <-> MPIDR affinity, as Xen numbers them. */
uint64_t vcpu_id_to_mpidr(unsigned int vcpu_id);
int vcpu_mpidr_to_id(const struct domain *d, uint64_t mpidr);

/*
 * Leave the hypervisor for @next: switch hardware state if another vCPU's
 * is loaded, refresh its interrupts. Returns the registers to resume.
 */
struct cpu_regs *vcpu_prepare_entry(struct vcpu *next);
/* Assembly: restore @regs and ERET. */
void guest_resume(struct cpu_regs *regs) __noreturn;

void fpsimd_save(struct fpsimd_state *fp);
void fpsimd_restore(const struct fpsimd_state *fp);

/* Save this pCPU's loaded vCPU; the next entry restores from memory. */
void vcpu_unload_current(void);

/* EL2 controls for running guests, per pCPU (boot). */
void vcpu_init_cpu(void);

/* The guest virtual timer (vtimer.c). */
void vtimer_init(void);
void vtimer_init_cpu(void);
void vtimer_vcpu_init(struct vcpu *v);
/* @v moved to v->processor: its soft timers fire there from now on. */
void vtimer_vcpu_migrated(struct vcpu *v);
void vtimer_save(struct vcpu *v);
void vtimer_restore(struct vcpu *v);
bool vtimer_emulate_sysreg(struct vcpu *v, uint32_t iss, uint64_t *val);

#endif /* ASM_VCPU_H */
