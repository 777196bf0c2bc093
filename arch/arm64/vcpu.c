// SPDX-License-Identifier: MIT
/*
 * Guest vCPUs on the hardware. A pCPU keeps the last guest vCPU it ran
 * loaded (EL1 registers, FP/SIMD, virtual timer, vGIC, stage 2) until it
 * runs a different one, so a vCPU that blocks and wakes on the same pCPU
 * costs no switch at all.
 */
#include <asm/mmio.h>
#include <asm/p2m.h>
#include <orchid/p2m.h>
#include <asm/percpu.h>
#include <asm/sysreg.h>
#include <asm/vcpu.h>
#include <asm/vgic.h>
#include <asm/vpl011.h>
#include <orchid/setup.h>
#include <orchid/errno.h>
#include <orchid/event.h>
#include <orchid/mm.h>
#include <orchid/panic.h>
#include <orchid/sched.h>
#include <orchid/string.h>
#include <orchid/tasklet.h>
#include <orchid/vcpu_op.h>

/* What Orchid traps while a guest runs (Xen's choice, HCR_EL2). */
#define HCR_PTW	      (1UL << 2)
#define HCR_BSU_INNER (1UL << 10)
#define HCR_FB	      (1UL << 9)
#define HCR_TWI	      (1UL << 13)
#define HCR_TWE	      (1UL << 14)
#define HCR_TSW	      (1UL << 22)
#define HCR_TAC	      (1UL << 21)
#define HCR_TIDCP     (1UL << 20)
#define HCR_TID3      (1UL << 18) /* ID group 3: vcpu_id_regs.c answers */
/* LORegions and RAS error records, hidden from guests: UNDEFINED. */
#define HCR_TLOR (1UL << 35)
#define HCR_TERR (1UL << 36)
#define HCR_GUEST                                                              \
	(HCR_VM | HCR_SWIO | HCR_PTW | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB |  \
	 HCR_BSU_INNER | HCR_TWI | HCR_TWE | HCR_TSC | HCR_TAC | HCR_TSW |     \
	 HCR_TIDCP | HCR_TID3 | HCR_TLOR | HCR_TERR | HCR_RW)

/*
 * CPTR_EL2: RES1 bits, SVE trapped (TZ), FP/SIMD not (TFP clear), trace
 * (TTA) and activity monitors (TAM) trapped, as Xen does.
 */
#define CPTR_EL2_GUEST (0x33ffUL | (1UL << 20) | (1UL << 30))

struct vcpu *current_vcpu(void)
{
	return this_cpu()->current;
}

void arch_vcpu_reset(struct vcpu *v, uint64_t pc, uint64_t x0)
{
	memset(&v->arch.regs, 0, sizeof(v->arch.regs));
	memset(&v->arch.sys, 0, sizeof(v->arch.sys));
	memset(&v->arch.fp, 0, sizeof(v->arch.fp));
	v->arch.regs.pc = pc;
	v->arch.regs.x[0] = x0;
	v->arch.regs.pstate = PSR_GUEST64_INIT;
	v->arch.sys.sctlr_el1 = SCTLR_GUEST_INIT;
	v->arch.sys.actlr_el1 = READ_SYSREG(actlr_el1);
}

/*
 * vwfi= (Xen's get_default_hcr_flags): "native" lets guests run WFI and
 * WFE on the pCPU (lower interrupt latency; a vCPU waiting so keeps its
 * pCPU), anything else traps them (WFI blocks, WFE yields). The bits are
 * in each vCPU's own HCR_EL2, loaded on every switch: fixed at creation.
 */
static uint64_t vcpu_default_hcr(void)
{
	if (strcmp(boot_options.vwfi, "native") == 0)
		return HCR_GUEST & ~(HCR_TWI | HCR_TWE);
	return HCR_GUEST;
}

int arch_vcpu_init(struct vcpu *v)
{
	v->arch.hcr_el2 = vcpu_default_hcr();
	v->arch.vmpidr = vcpu_id_to_mpidr(v->vcpu_id);
	arch_vcpu_reset(v, 0, 0);
	vtimer_vcpu_init(v);
	return vgic_vcpu_init(v);
}

void arch_vcpu_destroy(struct vcpu *v)
{
	timer_kill(&v->arch.vtimer.timer);
	timer_kill(&v->arch.ptimer.timer);
	vgic_vcpu_destroy(v);
}

int arch_domain_init(struct domain *d, const struct xen_arch_domainconfig *cfg)
{
	const struct gic_info *host_gic = &bootinfo.gic;
	unsigned int version = cfg->gic_version == XEN_DOMCTL_CONFIG_GIC_V2 ? 2
			       : cfg->gic_version == XEN_DOMCTL_CONFIG_GIC_V3
				       ? 3
				       : host_gic->version;
	int ret = p2m_init(d);

	if (ret)
		return ret;
	d->arch.gic_version = version;
	d->arch.cntvoff = READ_SYSREG(cntpct_el0);
	return vgic_domain_init(d, version, cfg->nr_spis, host_gic);
}

void arch_domain_destroy(struct domain *d)
{
	/* The MMIO handlers point into the vGIC: both go together. */
	mmio_unregister_all(d);
	vpl011_destroy(d);
	vgic_domain_destroy(d);
	p2m_destroy(d);
}

void vcpu_init_cpu(void)
{
	WRITE_SYSREG(cptr_el2, CPTR_EL2_GUEST);
	WRITE_SYSREG(hstr_el2, 0);
	WRITE_SYSREG(vpidr_el2, READ_SYSREG(midr_el1));
	isb();
}

static void sysregs_save(struct el1_sysregs *s)
{
	s->sctlr_el1 = READ_SYSREG(sctlr_el1);
	s->actlr_el1 = READ_SYSREG(actlr_el1);
	s->cpacr_el1 = READ_SYSREG(cpacr_el1);
	s->ttbr0_el1 = READ_SYSREG(ttbr0_el1);
	s->ttbr1_el1 = READ_SYSREG(ttbr1_el1);
	s->tcr_el1 = READ_SYSREG(tcr_el1);
	s->mair_el1 = READ_SYSREG(mair_el1);
	s->amair_el1 = READ_SYSREG(amair_el1);
	s->vbar_el1 = READ_SYSREG(vbar_el1);
	s->contextidr_el1 = READ_SYSREG(contextidr_el1);
	s->tpidr_el0 = READ_SYSREG(tpidr_el0);
	s->tpidrro_el0 = READ_SYSREG(tpidrro_el0);
	s->tpidr_el1 = READ_SYSREG(tpidr_el1);
	s->sp_el0 = READ_SYSREG(sp_el0);
	s->sp_el1 = READ_SYSREG(sp_el1);
	s->elr_el1 = READ_SYSREG(elr_el1);
	s->spsr_el1 = READ_SYSREG(spsr_el1);
	s->esr_el1 = READ_SYSREG(esr_el1);
	s->far_el1 = READ_SYSREG(far_el1);
	s->afsr0_el1 = READ_SYSREG(afsr0_el1);
	s->afsr1_el1 = READ_SYSREG(afsr1_el1);
	s->par_el1 = READ_SYSREG(par_el1);
	s->cntkctl_el1 = READ_SYSREG(cntkctl_el1);
	s->csselr_el1 = READ_SYSREG(csselr_el1);
	s->mdscr_el1 = READ_SYSREG(mdscr_el1);
}

static void sysregs_restore(const struct el1_sysregs *s)
{
	WRITE_SYSREG(sctlr_el1, s->sctlr_el1);
	WRITE_SYSREG(actlr_el1, s->actlr_el1);
	WRITE_SYSREG(cpacr_el1, s->cpacr_el1);
	WRITE_SYSREG(ttbr0_el1, s->ttbr0_el1);
	WRITE_SYSREG(ttbr1_el1, s->ttbr1_el1);
	WRITE_SYSREG(tcr_el1, s->tcr_el1);
	WRITE_SYSREG(mair_el1, s->mair_el1);
	WRITE_SYSREG(amair_el1, s->amair_el1);
	WRITE_SYSREG(vbar_el1, s->vbar_el1);
	WRITE_SYSREG(contextidr_el1, s->contextidr_el1);
	WRITE_SYSREG(tpidr_el0, s->tpidr_el0);
	WRITE_SYSREG(tpidrro_el0, s->tpidrro_el0);
	WRITE_SYSREG(tpidr_el1, s->tpidr_el1);
	WRITE_SYSREG(sp_el0, s->sp_el0);
	WRITE_SYSREG(sp_el1, s->sp_el1);
	WRITE_SYSREG(elr_el1, s->elr_el1);
	WRITE_SYSREG(spsr_el1, s->spsr_el1);
	WRITE_SYSREG(esr_el1, s->esr_el1);
	WRITE_SYSREG(far_el1, s->far_el1);
	WRITE_SYSREG(afsr0_el1, s->afsr0_el1);
	WRITE_SYSREG(afsr1_el1, s->afsr1_el1);
	WRITE_SYSREG(par_el1, s->par_el1);
	WRITE_SYSREG(cntkctl_el1, s->cntkctl_el1);
	WRITE_SYSREG(csselr_el1, s->csselr_el1);
	WRITE_SYSREG(mdscr_el1, s->mdscr_el1);
}

static void vcpu_save(struct vcpu *v)
{
	sysregs_save(&v->arch.sys);
	fpsimd_save(&v->arch.fp);
	vtimer_save(v);
	vgic_save(v);
}

static void vcpu_restore(struct vcpu *v)
{
	p2m_load(v->domain);
	WRITE_SYSREG(vmpidr_el2, v->arch.vmpidr);
	WRITE_SYSREG(hcr_el2, v->arch.hcr_el2);
	sysregs_restore(&v->arch.sys);
	fpsimd_restore(&v->arch.fp);
	vtimer_restore(v);
	vgic_restore(v);
	isb();
}

/* Save the vCPU loaded on this pCPU and leave the hardware to no one. */
void vcpu_unload_current(void)
{
	struct cpu_data *cpu = this_cpu();

	if (!cpu->loaded)
		return;
	vcpu_save(cpu->loaded);
	/* Saved: another pCPU may now take it (sched_balance). */
	__atomic_store_n(&cpu->loaded->loaded_cpu, SCHED_NO_CPU,
			 __ATOMIC_RELEASE);
	cpu->loaded = NULL;
}

void arch_vcpu_save_here(struct vcpu *v)
{
	if (this_cpu()->loaded == v)
		vcpu_unload_current();
}

struct cpu_regs *vcpu_prepare_entry(struct vcpu *next)
{
	struct cpu_data *cpu = this_cpu();

	bool switched_in = cpu->current != next;

	if (cpu->loaded != next) {
		vcpu_unload_current();
		next->loaded_cpu = cpu->id;
		vcpu_restore(next);
		cpu->loaded = next;
	}
	cpu->current = next;
	if (switched_in)
		runstate_update_guest(next);
	vgic_set_level(next, next->domain->arch.evtchn_irq,
		       next->vcpu_info &&
			       next->vcpu_info->evtchn_upcall_pending);
	vgic_flush(next);
	return &next->arch.regs;
}

void arch_vcpu_enter(struct vcpu *v)
{
	guest_resume(vcpu_prepare_entry(v));
}

void arch_set_current(struct vcpu *v)
{
	this_cpu()->current = v;
	if (v->is_idle)
		this_cpu()->idle = v;
}

/*
 * Work is an interrupt the vCPU could take (Xen's
 * local_events_need_delivery_nomask): a pending upcall counts through its
 * PPI, raised here if need be, so a guest that never enabled that PPI
 * still blocks in WFI instead of spinning through EL2.
 */
bool arch_vcpu_has_work(struct vcpu *v)
{
	if (v->vcpu_info && v->vcpu_info->evtchn_upcall_pending)
		vgic_set_level(v, v->domain->arch.evtchn_irq, true);
	return vgic_vcpu_pending_irq(v);
}

void arch_cpu_wait(void)
{
	/* The idle loop holds no lock: deferred work first (tasklet.h). */
	if (tasklet_pending()) {
		tasklet_run_pending();
		return;
	}
	/*
	 * Idle time scrubs what dead domains left (bench row "xl destroy of
	 * a 128 MiB DomU"): one bounded chunk with interrupts on, then back
	 * to schedule(), so a vCPU woken meanwhile waits one chunk at most.
	 */
	if (page_scrub_pending()) {
		arch_irq_enable();
		page_scrub_idle();
		arch_irq_disable();
		return;
	}
	/* A pending interrupt ends WFI even while masked: no lost wake-up. */
	wfi();
	arch_irq_enable();
	isb();
	arch_irq_disable();
}

void arch_vcpu_mark_events_pending(struct vcpu *v)
{
	vgic_set_level(v, v->domain->arch.evtchn_irq, true);
	/* Not the trapping vCPU itself (evtchn-send-upcall row: ~30). */
	vgic_notify(v);
}
