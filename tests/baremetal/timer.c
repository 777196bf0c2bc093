// SPDX-License-Identifier: MIT
/*
 * The generic timer as a guest sees it: the virtual counter and timer
 * (CNTVCT/CNTV_*, what Xen gives guests directly) and the EL1 physical
 * timer (CNTP_*, which Xen emulates). A timer raises its PPI while
 * CTL.ENABLE is set, IMASK clear and the counter has reached CVAL.
 */
#include "gic.h"

#define CTL_ENABLE (1ul << 0)
#define CTL_IMASK  (1ul << 1)

uint64_t timer_now(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v)::"memory");
	return v;
}

uint64_t timer_phys_now(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(v)::"memory");
	return v;
}

uint64_t timer_freq(void)
{
	uint64_t f;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
	return f ? f : 62500000;
}

uint64_t timer_ms(uint64_t ms)
{
	return timer_freq() / 1000 * ms;
}

void timer_virt_arm(uint64_t cval)
{
	__asm__ volatile("msr cntv_cval_el0, %0" ::"r"(cval));
	__asm__ volatile("msr cntv_ctl_el0, %0; isb" ::"r"(CTL_ENABLE));
}

void timer_virt_stop(void)
{
	__asm__ volatile("msr cntv_ctl_el0, %0; isb" ::"r"(0ul));
}

void timer_phys_arm(uint64_t cval)
{
	__asm__ volatile("msr cntp_cval_el0, %0" ::"r"(cval));
	__asm__ volatile("msr cntp_ctl_el0, %0; isb" ::"r"(CTL_ENABLE));
}

void timer_phys_stop(void)
{
	__asm__ volatile("msr cntp_ctl_el0, %0; isb" ::"r"(0ul));
}

void delay_ms(unsigned int ms)
{
	uint64_t end = timer_now() + timer_ms(ms);

	while (timer_now() < end)
		;
}
