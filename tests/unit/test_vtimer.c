/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of arch/arm64/vtimer.c with the real timer queue, system
 * registers in memory (tests/unit/fake_sysreg.c) and a 62.5 MHz counter:
 * the guest's virtual timer across save and restore, the physical CNTV
 * interrupt, and the emulated EL1 physical timer. What a guest sees: its
 * timer registers, the timer PPIs it is given, and when.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <asm/fake.h>
#include <asm/percpu.h>
#include <asm/sysreg.h>
#include <asm/time.h>
#include <asm/vcpu.h>
#include <asm/vgic.h>
#include <orchid/irq.h>
#include <orchid/sched.h>
#include <orchid/timer.h>

#define NS_PER_TICK 16ULL /* 62.5 MHz, QEMU virt's counter */
#define VIRT_PPI    27
#define PHYS_PPI    30

#define CTL_ENABLE  1ULL
#define CTL_IMASK   2ULL
#define CTL_ISTATUS 4ULL

/* ESR_EL2.ISS of MRS/MSR CNTP_{TVAL,CTL,CVAL}_EL0 with Rt = x5. */
#define ISS_RT5	  (5U << 5)
#define ISS_TVAL  (sysreg_iss(3, 3, 14, 2, 0) | ISS_RT5)
#define ISS_CTL	  (sysreg_iss(3, 3, 14, 2, 1) | ISS_RT5)
#define ISS_CVAL  (sysreg_iss(3, 3, 14, 2, 2) | ISS_RT5)
#define ISS_READ  ESR_SYSREG_READ
#define ISS_OTHER sysreg_iss(3, 3, 14, 3, 1) /* CNTV_CTL_EL0: not trapped */

void timer_reset(void);

/* ---- fakes ------------------------------------------------------------- */

static irq_handler_t vtimer_handler;
static unsigned int injected[2], wakes;
static struct vcpu *injected_v;

int irq_request(unsigned int irq, irq_handler_t handler, void *data)
{
	assert_int_equal(irq, VIRT_PPI);
	vtimer_handler = handler;
	return 0;
}

void irq_enable(unsigned int irq)
{
}

void irq_send_sgi(unsigned int cpu, enum sgi sgi)
{
}

void vgic_inject_irq(struct domain *d, struct vcpu *v, unsigned int virq)
{
	assert_ptr_equal(d, v->domain);
	assert_true(virq == VIRT_PPI || virq == PHYS_PPI);
	injected[virq == PHYS_PPI]++;
	injected_v = v;
}

void vcpu_wake(struct vcpu *v)
{
	wakes++;
}

/* Saturating, as arch/arm64/time.c's. */
uint64_t time_ticks_to_ns(uint64_t ticks)
{
	uint64_t ns;

	return __builtin_mul_overflow(ticks, NS_PER_TICK, &ns) ? UINT64_MAX
							       : ns;
}

/* ---- the world --------------------------------------------------------- */

static struct cpu_data cpu;
static struct domain dom;
static struct vcpu vc;

/* Hypervisor time @ns, the counter with it (it started at 0 with it). */
static void at(uint64_t ns)
{
	fake_now_ns = ns;
	*fake_sysreg("cntpct_el0") = ns / NS_PER_TICK;
}

static uint64_t counter(void)
{
	return *fake_sysreg("cntpct_el0");
}

/* Time passes; the vCPU's pCPU takes its timer interrupt if one is due. */
static void pass_to(uint64_t ns)
{
	at(ns);
	timer_process();
}

static int setup(void **state)
{
	timer_reset();
	fake_sysreg_reset();
	fake_cpu_id = 1;
	at(1000000000ULL); /* 1 s after boot */
	memset(&cpu, 0, sizeof(cpu));
	memset(&dom, 0, sizeof(dom));
	memset(&vc, 0, sizeof(vc));
	memset(injected, 0, sizeof(injected));
	wakes = 0;
	injected_v = NULL;
	*fake_sysreg("tpidr_el2") = (uintptr_t)&cpu;
	dom.domain_id = 1;
	dom.arch.cntvoff = counter() - 1000; /* created 1000 ticks ago */
	vc.domain = &dom;
	vc.processor = 1;
	vtimer_vcpu_init(&vc);
	vtimer_init();
	vtimer_init_cpu();
	return 0;
}

static int teardown(void **state)
{
	timer_kill(&vc.arch.vtimer.timer);
	timer_kill(&vc.arch.ptimer.timer);
	return 0;
}

/* The guest's virtual counter now. */
static uint64_t vcount(void)
{
	return counter() - dom.arch.cntvoff;
}

/* The guest left its timer so in hardware; the vCPU is switched out. */
static void guest_cntv(uint64_t ctl, uint64_t cval)
{
	*fake_sysreg("cntv_ctl_el0") = ctl;
	*fake_sysreg("cntv_cval_el0") = cval;
	cpu.loaded = &vc;
}

/* MRS/MSR of a trapped CNTP register, as the guest issues it. */
static uint64_t mrs(uint32_t iss)
{
	uint64_t val = 0xdeadbeef;

	assert_true(vtimer_emulate_sysreg(&vc, iss | ISS_READ, &val));
	return val;
}

static void msr(uint32_t iss, uint64_t val)
{
	assert_true(vtimer_emulate_sysreg(&vc, iss, &val));
}

/* ---- set up -------------------------------------------------------------- */

static void test_init(void **state)
{
	assert_int_equal(vc.arch.vtimer.ctl, 0);
	assert_int_equal(vc.arch.ptimer.ctl, 0);
	assert_false(timer_is_active(&vc.arch.vtimer.timer));
	/* Guests read the counter; their physical timer traps. */
	assert_int_equal(*fake_sysreg("cnthctl_el2"), 1);
	assert_int_equal(*fake_sysreg("cntv_ctl_el0"), 0);
	assert_non_null(vtimer_handler);
}

/* ---- CNTV across save and restore ------------------------------------------ */

static void test_save_arms_stand_in(void **state)
{
	uint64_t cval = vcount() + 62500; /* 1 ms ahead */

	guest_cntv(CTL_ENABLE, cval);
	vtimer_save(&vc);
	/* The hardware timer is the next vCPU's now: off. */
	assert_int_equal(*fake_sysreg("cntv_ctl_el0"), 0);
	assert_int_equal(vc.arch.vtimer.ctl, CTL_ENABLE);
	assert_int_equal(vc.arch.vtimer.cval, cval);
	assert_true(timer_is_active(&vc.arch.vtimer.timer));
	assert_int_equal(timer_expires(&vc.arch.vtimer.timer),
			 fake_now_ns + 1000000);
	/* Not a nanosecond early. */
	pass_to(fake_now_ns + 999999);
	assert_int_equal(injected[0], 0);
	pass_to(fake_now_ns + 1);
	assert_int_equal(injected[0], 1);
	assert_ptr_equal(injected_v, &vc);
	assert_int_equal(wakes, 1);
	/* Masked, as the hardware handler leaves it, until the guest re-arms. */
	assert_int_equal(vc.arch.vtimer.ctl, CTL_ENABLE | CTL_IMASK);
}

static void test_save_disabled_or_masked(void **state)
{
	guest_cntv(0, vcount() + 10);
	vtimer_save(&vc);
	assert_false(timer_is_active(&vc.arch.vtimer.timer));
	guest_cntv(CTL_ENABLE | CTL_IMASK, vcount() + 10);
	vtimer_save(&vc);
	assert_false(timer_is_active(&vc.arch.vtimer.timer));
	pass_to(fake_now_ns + 1000000000ULL);
	assert_int_equal(injected[0], 0);
}

static void test_save_expired(void **state)
{
	guest_cntv(CTL_ENABLE, vcount() - 5);
	vtimer_save(&vc);
	/* Already due: delivered at the next timer interrupt. */
	assert_int_equal(timer_expires(&vc.arch.vtimer.timer), fake_now_ns);
	timer_process();
	assert_int_equal(injected[0], 1);
}

static void test_save_far_future(void **state)
{
	/* "Never" in the guest's terms: no interrupt, however long it waits. */
	guest_cntv(CTL_ENABLE, UINT64_MAX);
	vtimer_save(&vc);
	pass_to(fake_now_ns + 3600000000000ULL);
	assert_int_equal(injected[0], 0);
	assert_int_equal(vc.arch.vtimer.ctl, CTL_ENABLE);
	guest_cntv(CTL_ENABLE, UINT64_MAX - dom.arch.cntvoff + 1);
	vtimer_save(&vc);
	pass_to(fake_now_ns + 3600000000000ULL);
	assert_int_equal(injected[0], 0);
}

static void test_restore(void **state)
{
	guest_cntv(CTL_ENABLE, vcount() + 62500);
	vtimer_save(&vc);
	*fake_sysreg("cntvoff_el2") = 0;
	vtimer_restore(&vc);
	/* The hardware timer takes over; the stand-in stops. */
	assert_false(timer_is_active(&vc.arch.vtimer.timer));
	assert_int_equal(*fake_sysreg("cntvoff_el2"), dom.arch.cntvoff);
	assert_int_equal(*fake_sysreg("cntv_cval_el0"), vc.arch.vtimer.cval);
	assert_int_equal(*fake_sysreg("cntv_ctl_el0"), CTL_ENABLE);
	pass_to(fake_now_ns + 2000000);
	assert_int_equal(injected[0], 0);
}

/* ---- the CNTV interrupt ------------------------------------------------- */

static void test_hw_interrupt(void **state)
{
	guest_cntv(CTL_ENABLE | CTL_ISTATUS, vcount() - 1);
	vtimer_handler(VIRT_PPI, NULL);
	/* Masked so that it does not fire again before the guest handles it. */
	assert_int_equal(*fake_sysreg("cntv_ctl_el0"),
			 CTL_ENABLE | CTL_ISTATUS | CTL_IMASK);
	assert_int_equal(injected[0], 1);
	assert_ptr_equal(injected_v, &vc);
	assert_int_equal(wakes, 1);
}

static void test_hw_interrupt_spurious(void **state)
{
	/* Condition not met, timer disabled, or no guest loaded: nothing. */
	guest_cntv(CTL_ENABLE, vcount() + 100);
	vtimer_handler(VIRT_PPI, NULL);
	guest_cntv(CTL_ISTATUS, vcount() - 1);
	vtimer_handler(VIRT_PPI, NULL);
	guest_cntv(CTL_ENABLE | CTL_ISTATUS, vcount() - 1);
	cpu.loaded = NULL;
	vtimer_handler(VIRT_PPI, NULL);
	assert_int_equal(injected[0], 0);
	assert_int_equal(wakes, 0);
	assert_true(*fake_sysreg("cntv_ctl_el0") & CTL_IMASK);
}

/* ---- the emulated CNTP --------------------------------------------------- */

static void test_cntp_ctl(void **state)
{
	msr(ISS_CVAL, counter() + 100);
	/* Only ENABLE and IMASK are the guest's to write. */
	msr(ISS_CTL, ~0ULL);
	assert_int_equal(vc.arch.ptimer.ctl, CTL_ENABLE | CTL_IMASK);
	assert_int_equal(mrs(ISS_CTL), CTL_ENABLE | CTL_IMASK);
	/* ISTATUS once the counter reaches CVAL, masked or not. */
	at(fake_now_ns + 100 * NS_PER_TICK);
	assert_int_equal(mrs(ISS_CTL), CTL_ENABLE | CTL_IMASK | CTL_ISTATUS);
	/* A disabled timer never says so. */
	msr(ISS_CTL, 0);
	assert_int_equal(mrs(ISS_CTL), 0);
}

static void test_cntp_fires(void **state)
{
	msr(ISS_CVAL, counter() + 625); /* 10 us */
	assert_false(timer_is_active(&vc.arch.ptimer.timer));
	msr(ISS_CTL, CTL_ENABLE);
	assert_int_equal(timer_expires(&vc.arch.ptimer.timer),
			 fake_now_ns + 10000);
	pass_to(fake_now_ns + 9999);
	assert_int_equal(injected[1], 0);
	pass_to(fake_now_ns + 1);
	assert_int_equal(injected[1], 1);
	assert_int_equal(injected[0], 0);
	assert_int_equal(wakes, 1);
	/* Masking or disabling it stops the stand-in. */
	msr(ISS_CVAL, counter() + 625);
	msr(ISS_CTL, CTL_ENABLE | CTL_IMASK);
	assert_false(timer_is_active(&vc.arch.ptimer.timer));
	msr(ISS_CTL, CTL_ENABLE);
	msr(ISS_CTL, 0);
	assert_false(timer_is_active(&vc.arch.ptimer.timer));
	pass_to(fake_now_ns + 1000000);
	assert_int_equal(injected[1], 1);
}

static void test_cntp_cval(void **state)
{
	msr(ISS_CVAL, 0x123456789abcdefULL);
	assert_int_equal(mrs(ISS_CVAL), 0x123456789abcdefULL);
	/* Any Rt: the register is named without it. */
	assert_true(vtimer_emulate_sysreg(
		&vc, (ISS_CVAL & ~ISS_RT5) | (30U << 5) | ISS_READ,
		&(uint64_t){0}));
}

static void test_cntp_tval(void **state)
{
	msr(ISS_TVAL, 1000);
	assert_int_equal(vc.arch.ptimer.cval, counter() + 1000);
	assert_int_equal(mrs(ISS_TVAL), 1000);
	at(fake_now_ns + 400 * NS_PER_TICK);
	assert_int_equal(mrs(ISS_TVAL), 600);
	/* TVAL is signed 32 bits: past CVAL it counts down below zero. */
	at(fake_now_ns + 700 * NS_PER_TICK);
	assert_int_equal(mrs(ISS_TVAL), (uint32_t)-100);
	/* Writing a negative TVAL sets CVAL in the past; upper bits ignored. */
	msr(ISS_TVAL, 0xffffffff00000000ULL | (uint32_t)-50);
	assert_int_equal(vc.arch.ptimer.cval, counter() - 50);
	msr(ISS_CTL, CTL_ENABLE);
	assert_int_equal(mrs(ISS_CTL), CTL_ENABLE | CTL_ISTATUS);
	timer_process();
	assert_int_equal(injected[1], 1);
}

static void test_cntp_far_future(void **state)
{
	/* A CVAL the counter will never reach gives no interrupt. */
	msr(ISS_CVAL, UINT64_MAX);
	msr(ISS_CTL, CTL_ENABLE);
	pass_to(fake_now_ns + 3600000000000ULL);
	assert_int_equal(injected[1], 0);
	assert_int_equal(mrs(ISS_CTL), CTL_ENABLE);
}

static void test_other_registers_not_emulated(void **state)
{
	uint64_t val = 7;

	assert_false(vtimer_emulate_sysreg(&vc, ISS_OTHER, &val));
	assert_false(vtimer_emulate_sysreg(&vc, ISS_OTHER | ISS_READ, &val));
	assert_false(
		vtimer_emulate_sysreg(&vc, sysreg_iss(3, 0, 1, 0, 0), &val));
	assert_int_equal(val, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_init),
		T(test_save_arms_stand_in),
		T(test_save_disabled_or_masked),
		T(test_save_expired),
		T(test_save_far_future),
		T(test_restore),
		T(test_hw_interrupt),
		T(test_hw_interrupt_spurious),
		T(test_cntp_ctl),
		T(test_cntp_fires),
		T(test_cntp_cval),
		T(test_cntp_tval),
		T(test_cntp_far_future),
		T(test_other_registers_not_emulated),
#undef T
	};

	return cmocka_run_group_tests_name("vtimer", tests, NULL, NULL);
}
