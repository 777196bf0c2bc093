/* SPDX-License-Identifier: MIT */
/* The Arm halves of struct domain and struct vcpu. */
#ifndef ASM_DOMAIN_H
#define ASM_DOMAIN_H

#include <asm/regs.h>
#include <orchid/pagetable.h>
#include <orchid/spinlock.h>
#include <orchid/timer.h>
#include <orchid/types.h>

struct vgic_dist; /* arch/arm64/vgic*.c */
struct vgic_cpu;
struct mmio_handler;
struct vpl011;

/* Stage-2 translation of one domain (arch/arm64/p2m.c). */
struct p2m {
	spinlock_t lock; /* serialises every use of @pt */
	struct pt pt;	 /* the tables; pt.nr_tables counts their pages */
	uint16_t vmid;	 /* 0: not set up (VMID 0 is never given out) */
	uint64_t vttbr;	 /* VMID | root PA */
};

#define MMIO_HANDLERS_MAX 16

struct arch_domain {
	struct p2m p2m;
	struct vgic_dist *vgic;
	unsigned int gic_version; /* 2 or 3 */
	unsigned int evtchn_irq;  /* PPI INTID of the event upcall */
	uint64_t cntvoff;     /* CNTVOFF_EL2: virtual time starts at creation */
	uint64_t gnttab_base; /* IPA of the grant-table window */
	uint64_t gnttab_size;
	unsigned int nr_mmio;
	struct mmio_handler *mmio[MMIO_HANDLERS_MAX];
	struct vpl011 *vpl011; /* NULL unless the domain has one */
};

/* EL1 system registers: saved and restored on every vCPU switch. */
struct el1_sysregs {
	uint64_t sctlr_el1, actlr_el1, cpacr_el1;
	uint64_t ttbr0_el1, ttbr1_el1, tcr_el1, mair_el1, amair_el1;
	uint64_t vbar_el1, contextidr_el1;
	uint64_t tpidr_el0, tpidrro_el0, tpidr_el1;
	uint64_t sp_el0, sp_el1, elr_el1, spsr_el1;
	uint64_t esr_el1, far_el1, afsr0_el1, afsr1_el1, par_el1;
	uint64_t cntkctl_el1, csselr_el1, mdscr_el1;
};

/* FP/SIMD: saved with stp q-registers in fpsimd.S. */
struct fpsimd_state {
	__uint128_t q[32];
	uint64_t fpsr, fpcr;
} __aligned(16);

/* The guest's EL1 virtual timer (CNTV), owned by the vCPU. */
struct vtimer {
	uint64_t ctl;
	uint64_t cval;
	struct timer timer; /* fires while the vCPU is not running */
};

struct arch_vcpu {
	struct cpu_regs
		regs;	/* guest x0-x30, SP (unused), PC, PSTATE, ESR, FAR */
	uint64_t hpfar; /* HPFAR_EL2 of the last stage-2 fault */
	struct el1_sysregs sys;
	struct fpsimd_state fp;
	struct vtimer vtimer;
	struct vtimer ptimer; /* EL1 physical timer, emulated */
	uint64_t hcr_el2;
	uint64_t vmpidr;
	struct vgic_cpu *vgic;
};

#endif /* ASM_DOMAIN_H */
