// SPDX-License-Identifier: MIT
/*
 * The guest's generic timers. The virtual timer (CNTV) belongs to the
 * loaded vCPU: when it fires, Orchid masks it and injects the virtual
 * timer PPI; the guest's handler reprograms it, which unmasks it. While a
 * vCPU is not loaded, a hypervisor timer stands in for its CNTV. The EL1
 * physical timer (CNTP) is trapped and emulated the same way in software,
 * so a guest never touches a timer another guest uses.
 */
#include <asm/gic.h>
#include <asm/percpu.h>
#include <asm/sysreg.h>
#include <asm/time.h>
#include <asm/vcpu.h>
#include <asm/vgic.h>
#include <orchid/arch.h>
#include <orchid/irq.h>
#include <orchid/sched.h>

#define CNT_CTL_ENABLE	(1UL << 0)
#define CNT_CTL_IMASK	(1UL << 1)
#define CNT_CTL_ISTATUS (1UL << 2)

#define CNTHCTL_EL1PCTEN (1UL << 0)
#define CNTHCTL_EL1PCEN	 (1UL << 1)

#define VTIMER_PPI GUEST_TIMER_VIRT_PPI

static uint64_t counter_now(void)
{
	isb();
	return READ_SYSREG(cntpct_el0);
}

/*
 * Hypervisor time (ns) @ticks counter ticks from now, saturating: a CVAL
 * centuries ahead must not wrap round to an interrupt now.
 */
static uint64_t deadline_after(uint64_t ticks)
{
	uint64_t now = arch_now_ns();
	uint64_t ns = time_ticks_to_ns(ticks);

	return ns > UINT64_MAX - now ? UINT64_MAX : now + ns;
}

/* Hypervisor time (ns) at which the guest's CNTV condition will be met. */
static uint64_t vtimer_deadline_ns(const struct vcpu *v, uint64_t cval)
{
	/* Compared in guest terms (CNTVCT = CNTPCT - CNTVOFF), so no wrap. */
	uint64_t vnow = counter_now() - v->domain->arch.cntvoff;

	return deadline_after(cval > vnow ? cval - vnow : 0);
}

static void vtimer_soft_fire(void *data)
{
	struct vcpu *v = data;

	v->arch.vtimer.ctl |= CNT_CTL_IMASK;
	vgic_inject_irq(v->domain, v, VTIMER_PPI);
	vcpu_wake(v);
}

/* The physical CNTV PPI: the loaded vCPU's timer expired. */
static void vtimer_irq(unsigned int irq, void *data)
{
	struct vcpu *v = this_cpu()->loaded;
	uint64_t ctl = READ_SYSREG(cntv_ctl_el0);

	WRITE_SYSREG(cntv_ctl_el0, ctl | CNT_CTL_IMASK);
	isb();
	if (!v || !(ctl & CNT_CTL_ENABLE) || !(ctl & CNT_CTL_ISTATUS))
		return;
	vgic_inject_irq(v->domain, v, VTIMER_PPI);
	vcpu_wake(v);
}

void vtimer_init(void)
{
	irq_request(VTIMER_PPI, vtimer_irq, NULL);
}

void vtimer_init_cpu(void)
{
	/* Guests read the counter, but their physical timer traps. */
	WRITE_SYSREG(cnthctl_el2, CNTHCTL_EL1PCTEN);
	WRITE_SYSREG(cntv_ctl_el0, 0);
	isb();
	irq_enable(VTIMER_PPI);
}

static void ptimer_soft_fire(void *data)
{
	struct vcpu *v = data;

	vgic_inject_irq(v->domain, v, GUEST_TIMER_PHYS_NS_PPI);
	vcpu_wake(v);
}

void vtimer_vcpu_init(struct vcpu *v)
{
	v->arch.vtimer.ctl = 0;
	v->arch.vtimer.cval = 0;
	timer_init(&v->arch.vtimer.timer, vtimer_soft_fire, v, v->processor);
	v->arch.ptimer.ctl = 0;
	v->arch.ptimer.cval = 0;
	timer_init(&v->arch.ptimer.timer, ptimer_soft_fire, v, v->processor);
}

void vtimer_vcpu_migrated(struct vcpu *v)
{
	timer_migrate(&v->arch.vtimer.timer, v->processor);
	timer_migrate(&v->arch.ptimer.timer, v->processor);
}

void vtimer_save(struct vcpu *v)
{
	struct vtimer *t = &v->arch.vtimer;

	t->ctl = READ_SYSREG(cntv_ctl_el0);
	t->cval = READ_SYSREG(cntv_cval_el0);
	WRITE_SYSREG(cntv_ctl_el0, 0);
	isb();
	if ((t->ctl & CNT_CTL_ENABLE) && !(t->ctl & CNT_CTL_IMASK))
		timer_set(&t->timer, vtimer_deadline_ns(v, t->cval));
}

void vtimer_restore(struct vcpu *v)
{
	struct vtimer *t = &v->arch.vtimer;

	timer_stop(&t->timer);
	WRITE_SYSREG(cntvoff_el2, v->domain->arch.cntvoff);
	WRITE_SYSREG(cntv_cval_el0, t->cval);
	WRITE_SYSREG(cntv_ctl_el0, t->ctl);
	isb();
}

/*
 * CNTP_CTL_EL0 (op0 3, op1 3, CRn 14, CRm 2, op2 1), CNTP_CVAL_EL0 (op2 2),
 * CNTP_TVAL_EL0 (op2 0): the EL1 physical timer, emulated on the virtual
 * counter's time base without an offset, in software.
 */
#define ISS_CNTP_TVAL sysreg_iss(3, 3, 14, 2, 0)
#define ISS_CNTP_CTL  sysreg_iss(3, 3, 14, 2, 1)
#define ISS_CNTP_CVAL sysreg_iss(3, 3, 14, 2, 2)

static uint64_t ptimer_ctl_status(const struct vcpu *v, uint64_t ctl,
				  uint64_t cval)
{
	if ((ctl & CNT_CTL_ENABLE) && counter_now() >= cval)
		return ctl | CNT_CTL_ISTATUS;
	return ctl & ~CNT_CTL_ISTATUS;
}

/* Re-arm the software stand-in for the guest's CNTP after a change. */
static void ptimer_rearm(struct vtimer *p)
{
	uint64_t now;

	timer_stop(&p->timer);
	if (!(p->ctl & CNT_CTL_ENABLE) || (p->ctl & CNT_CTL_IMASK))
		return;
	now = counter_now();
	timer_set(&p->timer, deadline_after(p->cval > now ? p->cval - now : 0));
}

bool vtimer_emulate_sysreg(struct vcpu *v, uint32_t iss, uint64_t *val)
{
	bool read = iss & ESR_SYSREG_READ;
	uint32_t reg = iss & ESR_SYSREG_MASK;
	struct vtimer *p = &v->arch.ptimer;

	if (reg == ISS_CNTP_CTL) {
		if (read)
			*val = ptimer_ctl_status(v, p->ctl, p->cval);
		else
			p->ctl = *val & (CNT_CTL_ENABLE | CNT_CTL_IMASK);
	} else if (reg == ISS_CNTP_CVAL) {
		if (read)
			*val = p->cval;
		else
			p->cval = *val;
	} else if (reg == ISS_CNTP_TVAL) {
		if (read)
			*val = (uint32_t)(p->cval - counter_now());
		else
			p->cval = counter_now() +
				  (uint64_t)(int64_t)(int32_t)*val;
	} else {
		return false;
	}
	if (!read)
		ptimer_rearm(p);
	return true;
}
