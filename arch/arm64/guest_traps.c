// SPDX-License-Identifier: MIT
/*
 * Exceptions from guests, dispatched through one table indexed by
 * ESR_EL2.EC. What no entry claims is UNDEFINED for the guest, never a
 * hypervisor crash.
 */
#include <asm/gic.h>
#include <asm/id_regs.h>
#include <asm/mmio.h>
#include <asm/percpu.h>
#include <asm/sysreg.h>
#include <asm/time.h>
#include <asm/traps.h>
#include <asm/vcpu.h>
#include <asm/vgic.h>
#include <asm/vsysreg_debug.h>
#include <orchid/domain.h>
#include <orchid/hypercall.h>
#include <orchid/p2m.h>
#include <orchid/printk.h>
#include <orchid/sched.h>
#include <orchid/tasklet.h>

#define ESR_ISS(esr) ((esr)&0x1ffffffUL)
#define ESR_IL	     (1UL << 25)

/* Data abort ISS: a stage-1 table walk faulted in stage 2. */
#define DABT_S1PTW (1U << 7)

/* Exception vector offsets from VBAR_EL1. */
#define VECTOR_CURRENT_SPX 0x200
#define VECTOR_LOWER_A64   0x400

#define ESR_EC_UNKNOWN_EL1 0x00
#define ESR_EL1_IL	   (1UL << 25)

typedef void (*guest_trap_fn)(struct vcpu *v, uint64_t esr);

#define SCTLR_EL1_SPAN	(1UL << 23)
#define SCTLR_EL1_DSSBS (1UL << 44)
#define PSR_PAN		(1UL << 22)
#define PSR_SSBS	(1UL << 12)
#define PSR_DIT		(1UL << 24)

/*
 * PSTATE on taking an exception to EL1, as the architecture sets it: all
 * of DAIF masked, EL1h, PAN set unless SCTLR_EL1.SPAN, SSBS from DSSBS,
 * DIT kept.
 */
static uint64_t inject_pstate(uint64_t old)
{
	uint64_t sctlr = READ_SYSREG(sctlr_el1);
	uint64_t p = PSR_GUEST64_INIT | PSR_DBG_MASK | (old & PSR_DIT);

	if (!(sctlr & SCTLR_EL1_SPAN) || (old & PSR_PAN))
		p |= PSR_PAN;
	if (sctlr & SCTLR_EL1_DSSBS)
		p |= PSR_SSBS;
	return p;
}

/* Enter the guest's EL1 exception vector with ESR_EL1 = @esr. */
static void inject_sync(struct vcpu *v, uint64_t esr, uint64_t far,
			bool set_far)
{
	struct cpu_regs *r = &v->arch.regs;
	uint64_t vbar = READ_SYSREG(vbar_el1);
	bool from_el0 = (r->pstate & 0xf) == 0;

	WRITE_SYSREG(elr_el1, r->pc);
	WRITE_SYSREG(spsr_el1, r->pstate);
	WRITE_SYSREG(esr_el1, esr);
	if (set_far)
		WRITE_SYSREG(far_el1, far);
	r->pc = vbar + (from_el0 ? VECTOR_LOWER_A64 : VECTOR_CURRENT_SPX);
	r->pstate = inject_pstate(r->pstate);
}

void inject_undef(struct vcpu *v)
{
	inject_sync(v,
		    ((uint64_t)ESR_EC_UNKNOWN_EL1 << ESR_EC_SHIFT) | ESR_EL1_IL,
		    0, false);
}

static void inject_abort(struct vcpu *v, unsigned int ec_cur, uint64_t addr)
{
	bool from_el0 = (v->arch.regs.pstate & 0xf) == 0;
	/* EC: same-level abort when taken from EL1, lower-level from EL0. */
	uint64_t ec = from_el0 ? ec_cur - 1 : ec_cur;
	/* FSC 0x10: synchronous external abort, not on a table walk. */
	uint64_t esr = (ec << ESR_EC_SHIFT) | ESR_EL1_IL | 0x10;

	inject_sync(v, esr, addr, true);
}

void inject_dabt(struct vcpu *v, uint64_t addr)
{
	inject_abort(v, ESR_EC_DABT_CUR, addr);
}

void inject_iabt(struct vcpu *v, uint64_t addr)
{
	inject_abort(v, ESR_EC_IABT_CUR, addr);
}

static void trap_undef(struct vcpu *v, uint64_t esr)
{
	inject_undef(v);
}

static void trap_wfx(struct vcpu *v, uint64_t esr)
{
	advance_pc(v);
	if (ESR_ISS(esr) & 1) { /* WFE */
		vcpu_yield(v);
		return;
	}
	vcpu_block(v);
}

/*
 * ELR_EL2 of a trapped HVC is the instruction after it (the architecture's
 * preferred return address for HVC); going back one A64 instruction makes
 * the guest issue the same HVC again.
 */
static void hvc_rewind(struct vcpu *v)
{
	v->arch.regs.pc -= 4;
}

static void trap_hvc(struct vcpu *v, uint64_t esr)
{
	uint32_t imm = ESR_ISS(esr) & 0xffff;
	struct cpu_regs *r = &v->arch.regs;

	if (imm == XEN_HYPERCALL_TAG) {
		/* Raw counter ticks, one conversion: two arch_now_ns() were
		 * ~35 instructions of bench-micro's xen_version row. */
		uint64_t t0 = time_counter();
		long ret = hypercall_dispatch(r->x[16], r->x);
		uint64_t ticks = time_counter() - t0;

		/* Only a new longest call is converted and recorded: the
		 * conversion was ~20 of bench-micro's xen_version row. */
		if (ticks > v->domain->hcall_longest_ticks) {
			v->domain->hcall_longest_ticks = ticks;
			hypercall_account(v, r->x[16], time_ticks_to_ns(ticks));
		}

		/*
		 * A continuation: x0-x4 hold its arguments and x16 the number,
		 * so neither gets a result; the HVC runs again once the pending
		 * work is done.
		 */
		if (v->hcall.preempted) {
			hvc_rewind(v);
			return;
		}
		r->x[0] = (uint64_t)ret;
#ifdef CONFIG_DEBUG
		/* Xen's debug builds clobber x16: catch guests relying on it. */
		r->x[16] = 0xdeadbeefUL;
#endif
		return;
	}
	if (imm == 0) {
		smccc_handle(v);
		return;
	}
	inject_undef(v);
}

static void trap_smc(struct vcpu *v, uint64_t esr)
{
	/* A trapped SMC does not advance ELR: skip it ourselves. */
	advance_pc(v);
	smccc_handle(v);
}

/*
 * Registers HCR_EL2 traps that Orchid answers itself: ACTLR_EL1 (TAC) reads
 * the vCPU's copy, writes are ignored, as on Xen; data-cache maintenance by
 * set/way (TSW) is ignored: it cannot be virtualized exactly, and guests
 * only use it with caches off, where Orchid has cleaned what it wrote.
 */
static bool sysreg_emulate_misc(struct vcpu *v, uint32_t iss, uint64_t *val)
{
	uint32_t reg = iss & ESR_SYSREG_MASK;

	if (reg == sysreg_iss(3, 0, 1, 0, 1)) { /* ACTLR_EL1 */
		if (iss & 1)
			*val = v->arch.sys.actlr_el1;
		return true;
	}
	if (reg == sysreg_iss(1, 0, 7, 6, 2) ||	 /* DC ISW */
	    reg == sysreg_iss(1, 0, 7, 10, 2) || /* DC CSW */
	    reg == sysreg_iss(1, 0, 7, 14, 2))	 /* DC CISW */
		return true;
	return false;
}

static void trap_sysreg(struct vcpu *v, uint64_t esr)
{
	uint32_t iss = ESR_ISS(esr);
	unsigned int rt = (iss >> 5) & 0x1f;
	bool read = iss & 1;
	uint64_t val = read ? 0 : guest_reg(v, rt);
	/*
	 * Op0 2 is the debug and trace space: only vsysreg_debug.c answers
	 * there, so it is asked first rather than after three others (~60 of
	 * bench-micro's mdscr_el1-read row). The emulators claim disjoint
	 * encodings: the order changes no answer.
	 */
	bool debug_space = ((iss >> 20) & 3) == 2;

	if (!(debug_space && vsysreg_debug_emulate(v, iss, &val)) &&
	    !id_regs_emulate(v, iss, &val) &&
	    !vgic_emulate_sysreg(v, iss, &val) &&
	    !vtimer_emulate_sysreg(v, iss, &val) &&
	    !vsysreg_debug_emulate(v, iss, &val) &&
	    !sysreg_emulate_misc(v, iss, &val)) {
		if (printk_ratelimit())
			pr_debug("d%uv%u: undefined system register access "
				 "(ISS %#x) at %#lx\n",
				 v->domain->domain_id, v->vcpu_id, iss,
				 v->arch.regs.pc);
		inject_undef(v);
		return;
	}
	if (read)
		guest_reg_set(v, rt, val);
	advance_pc(v);
}

static uint64_t fault_ipa(const struct vcpu *v)
{
	return ((v->arch.hpfar >> 4) << 12) | (v->arch.regs.far & 0xfff);
}

/*
 * A stage-2 translation fault on an address that is mapped: the vCPU ran
 * into a mapping being changed (break-before-make) on another pCPU. The
 * lookup waits for the change to finish; then the access is just retried.
 */
static bool fault_was_transient(struct vcpu *v, uint32_t iss)
{
	unsigned int fsc = iss & 0x3f;

	if ((fsc & 0x3c) != 0x04 && !(iss & DABT_S1PTW))
		return false;
	return p2m_lookup(v->domain, ipa_init(fault_ipa(v)), NULL, NULL);
}

/*
 * A stage-2 data abort: emulated MMIO (mmio.c) unless a change raced it.
 * An address an MMIO handler covers goes to it at once, without the p2m
 * walk of the race check (Xen 4.17 too tries MMIO first): nothing is
 * mapped there, so no change can race it. Justified by bench-micro's
 * gicd_ctlr-read and gicd_isenabler-write rows (the walk was ~150 of ~900
 * instructions).
 */
static void trap_dabt(struct vcpu *v, uint64_t esr)
{
	uint32_t iss = ESR_ISS(esr);
	uint64_t ipa = fault_ipa(v);
	/* The handler is looked up once, here, not again to run it (~30 of
	 * bench-micro's gicd_ctlr-read and gicd_isenabler-write rows). */
	const struct mmio_handler *h =
		(iss & DABT_S1PTW) ? NULL : mmio_find(v->domain, ipa);

	if (h) {
		mmio_emulate_dabt(v, iss, ipa, h);
		return;
	}
	if (fault_was_transient(v, iss))
		return;
	mmio_handle_dabt(v, iss, ipa);
}

static void trap_iabt(struct vcpu *v, uint64_t esr)
{
	if (fault_was_transient(v, ESR_ISS(esr)))
		return;
	if (printk_ratelimit())
		pr_debug("d%uv%u: instruction abort at IPA %#lx\n",
			 v->domain->domain_id, v->vcpu_id, fault_ipa(v));
	inject_iabt(v, v->arch.regs.far);
}

static const guest_trap_fn guest_trap_table[64] = {
	[ESR_EC_WFX] = trap_wfx,       [ESR_EC_HVC64] = trap_hvc,
	[ESR_EC_SMC64] = trap_smc,     [ESR_EC_SYSREG] = trap_sysreg,
	[ESR_EC_DABT_LOW] = trap_dabt, [ESR_EC_IABT_LOW] = trap_iabt,
};

static void guest_sync(struct vcpu *v)
{
	uint64_t esr = v->arch.regs.esr;
	guest_trap_fn fn = guest_trap_table[(esr >> ESR_EC_SHIFT) & 0x3f];

	if (!(esr & ESR_IL) && (esr >> ESR_EC_SHIFT) != ESR_EC_UNKNOWN) {
		/* A 16-bit instruction: an AArch32 guest, which Orchid runs not. */
		fn = trap_undef;
	}
	v->arch.hpfar = READ_SYSREG(hpfar_el2);
	(fn ? fn : trap_undef)(v, esr);
}

/*
 * The vCPU that trapped resumes without a scheduler call when no
 * reschedule is pending and it can still run (schedule()'s own first
 * test: it is what schedule() would return). Justified by every trap row
 * of bench-micro (xen_version: schedule()'s early return was ~50).
 */
static bool trap_resumes_same(const struct vcpu *v, unsigned int cpu)
{
	return v->pause_flags == 0 && !sched_resched_pending_on(cpu);
}

struct cpu_regs *guest_trap(unsigned long vector)
{
	/* this_cpu() inline: current_vcpu() is out of line (host tests
	 * fake it), on the path of every bench-micro row. */
	struct cpu_data *cpu = this_cpu();
	struct vcpu *v = cpu->current;
	struct vcpu *next;

	vgic_sync(v);
	switch (vector) {
	case VEC_SYNC_A64: guest_sync(v); break;
	case VEC_IRQ_A64: gic_handle_irq(); break;
	default:
		domain_crash(v->domain, vector == VEC_SERROR_A64
						? "SError from the guest"
						: "FIQ from the guest");
		break;
	}
	/*
	 * The trap's end holds no lock: deferred work may run (tasklet.h).
	 * The pCPU's id is read once for both tests (two arch_cpu_id()
	 * calls were ~15 of every bench-micro trap row, e.g. xen_version).
	 */
	if (tasklet_pending_on(cpu->id))
		tasklet_run_pending();
	if (trap_resumes_same(v, cpu->id))
		return vcpu_prepare_entry(v);
	next = schedule();
	if (next->is_idle) {
		/* Idle is current now: a later pick of the same vCPU is a switch. */
		arch_set_current(next);
		sched_idle_loop();
	}
	return vcpu_prepare_entry(next);
}
