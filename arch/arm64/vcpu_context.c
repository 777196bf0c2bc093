// SPDX-License-Identifier: MIT
/*
 * A vCPU's register state as the toolstack sets and reads it
 * (struct vcpu_guest_context), and taking vCPUs out of the hardware of
 * whichever pCPU still holds them.
 */
#include <asm/percpu.h>
#include <asm/sysreg.h>
#include <asm/vcpu.h>
#include <asm/vgic.h>
#include <orchid/arch.h>
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/keyhandler.h>
#include <orchid/printk.h>
#include <orchid/sched.h>
#include <orchid/smp.h>
#include <orchid/string.h>

/* Bits a guest may hold in SPSR: NZCV, DAIF, mode. The rest Orchid clears. */
#define PSR_GUEST_BITS (0xf0000000U | 0x3c0U | 0x1fU)

/* Runs on the pCPU that may hold @data (a struct vcpu): drop it. */
static void vcpu_unload_here(void *data)
{
	struct cpu_data *cpu = this_cpu();

	if (data && cpu->loaded == data)
		vcpu_unload_current();
}

void arch_vcpu_unload(struct vcpu *v)
{
	smp_call_function_single(v->processor, vcpu_unload_here, v);
}

void arch_vcpu_migrated(struct vcpu *v)
{
	vtimer_vcpu_migrated(v);
	vgic_vcpu_migrated(v);
}

/* Common code has checked the modes in cpsr and spsr_el1. */
void arch_set_vcpu_context(struct vcpu *v, const struct vcpu_guest_context *c)
{
	const struct vcpu_guest_core_regs *u = &c->user_regs;

	arch_vcpu_unload(v);
	arch_vcpu_reset(v, u->pc64, u->x[0]);
	memcpy(v->arch.regs.x, u->x, sizeof(u->x));
	v->arch.regs.pstate = u->cpsr & PSR_GUEST_BITS;
	v->arch.sys.sp_el0 = u->sp_el0;
	v->arch.sys.sp_el1 = u->sp_el1;
	v->arch.sys.elr_el1 = u->elr_el1;
	v->arch.sys.spsr_el1 = u->spsr_el1;
	v->arch.sys.sctlr_el1 = c->sctlr;
	v->arch.sys.tcr_el1 = c->ttbcr;
	v->arch.sys.ttbr0_el1 = c->ttbr0;
	v->arch.sys.ttbr1_el1 = c->ttbr1;
}

void arch_get_vcpu_context(struct vcpu *v, struct vcpu_guest_context *c)
{
	struct vcpu_guest_core_regs *u = &c->user_regs;

	arch_vcpu_unload(v);
	memset(c, 0, sizeof(*c));
	memcpy(u->x, v->arch.regs.x, sizeof(u->x));
	u->pc64 = v->arch.regs.pc;
	u->cpsr = v->arch.regs.pstate;
	u->sp_el0 = v->arch.sys.sp_el0;
	u->sp_el1 = v->arch.sys.sp_el1;
	u->elr_el1 = v->arch.sys.elr_el1;
	u->spsr_el1 = v->arch.sys.spsr_el1;
	c->sctlr = v->arch.sys.sctlr_el1;
	c->ttbcr = v->arch.sys.tcr_el1;
	c->ttbr0 = v->arch.sys.ttbr0_el1;
	c->ttbr1 = v->arch.sys.ttbr1_el1;
	if (!(v->pause_flags & VPF_DOWN))
		c->flags |= VGCF_online;
}

/*
 * On each pCPU: drop @data's vCPU from the hardware, and if one was this
 * pCPU's current vCPU (it is dying, so it will not run again), make idle
 * current so nothing on this pCPU touches it after the cross-call.
 */
static void domain_unload_here(void *data)
{
	struct cpu_data *cpu = this_cpu();

	if (cpu->loaded && cpu->loaded->domain == data)
		vcpu_unload_current();
	if (cpu->current && cpu->current->domain == data) {
		cpu->current->is_running = false;
		cpu->current = cpu->idle;
		cpu->idle->is_running = true;
		sched_raise(cpu->id);
	}
}

void arch_domain_quiesce(struct domain *d)
{
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		if (cpu_is_online(cpu))
			smp_call_function_single(cpu, domain_unload_here, d);
}

uint32_t arch_cpu_khz(void)
{
	return (uint32_t)(READ_SYSREG(cntfrq_el0) / 1000);
}

#ifdef CONFIG_DEBUG_KEYS
/*
 * The '0' debug key: @v's registers as last saved (on its last trap, or
 * when it was unloaded); a vCPU running elsewhere is not stopped for it.
 */
void arch_vcpu_dump_regs(const struct vcpu *v)
{
	const struct cpu_regs *r = &v->arch.regs;

	printk("    PC: %016llx PSTATE: %08llx%s\n", (unsigned long long)r->pc,
	       (unsigned long long)r->pstate,
	       v->is_running ? " (running)" : "");
	for (unsigned int i = 0; i < 31; i += 3) {
		printk("    X%-2u: %016llx", i, (unsigned long long)r->x[i]);
		if (i + 1 < 31)
			printk(" X%-2u: %016llx", i + 1,
			       (unsigned long long)r->x[i + 1]);
		if (i + 2 < 31)
			printk(" X%-2u: %016llx", i + 2,
			       (unsigned long long)r->x[i + 2]);
		printk("\n");
	}
	printk("    SP_EL1: %016llx ELR_EL1: %016llx SCTLR_EL1: %016llx\n",
	       (unsigned long long)v->arch.sys.sp_el1,
	       (unsigned long long)v->arch.sys.elr_el1,
	       (unsigned long long)v->arch.sys.sctlr_el1);
}
#endif
