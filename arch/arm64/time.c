// SPDX-License-Identifier: MIT
/*
 * Time for the hypervisor: the system counter (CNTPCT_EL0) read as
 * nanoseconds since boot, and the EL2 physical timer (CNTHP) as each CPU's
 * one hardware timer, which the common timer queue drives through
 * arch_timer_program.
 */
#include <asm/sysreg.h>
#include <asm/time.h>
#include <orchid/arch.h>
#include <orchid/irq.h>
#include <orchid/panic.h>
#include <orchid/printk.h>
#include <orchid/timer.h>

#define CNTx_CTL_ENABLE	 (1UL << 0)
#define CNTHCTL_EL1PCTEN (1UL << 0)
#define CNTHCTL_EL1PCEN	 (1UL << 1)

#define NSEC_PER_SEC 1000000000UL
/* The INTID the Arm BSA and QEMU's virt machine give CNTHP. */
#define TIME_HYP_PPI_DEFAULT 26

/*
 * A conversion factor as whole + frac / 2^64. Precomputed once, so that
 * converting costs two multiplies and no division, and cannot overflow
 * before the result itself does (ticks to ns: after 584 years).
 *
 * frac is rounded up, so a scaled value is never below the exact one and
 * exceeds it by less than 1 for any 64-bit input. That makes the timer
 * interrupt honest: once the counter reaches time_ns_to_ticks(d),
 * time_ticks_to_ns of it is at least d.
 */
struct time_ratio {
	uint64_t whole;
	uint64_t frac;
};

static struct time_ratio time_ns_per_tick;
static struct time_ratio time_ticks_per_ns;
static uint64_t time_boot_count;  /* CNTPCT_EL0 at time_init: 0 ns */
static unsigned int time_hyp_irq; /* 0 until time_init */

/* num / den, both below 2^32 and den nonzero, by long division in base 2^32. */
static struct time_ratio time_ratio_of(uint64_t num, uint64_t den)
{
	struct time_ratio r = {.whole = num / den};
	uint64_t rem = num % den;
	uint64_t hi = (rem << 32) / den;
	uint64_t rem_hi = (rem << 32) % den;
	uint64_t lo = (rem_hi << 32) / den;

	r.frac = (hi << 32) | lo;
	if ((rem_hi << 32) % den != 0 && ++r.frac == 0)
		r.whole++;
	return r;
}

/* @v times @r, rounded down or up, saturating at UINT64_MAX. */
static uint64_t time_scale(uint64_t v, const struct time_ratio *r, bool up)
{
	unsigned __int128 part = (unsigned __int128)v * r->frac;
	uint64_t res;

	if (__builtin_mul_overflow(v, r->whole, &res) ||
	    __builtin_add_overflow(res, (uint64_t)(part >> 64), &res))
		return UINT64_MAX;
	if (up && (uint64_t)part != 0 && res != UINT64_MAX)
		res++;
	return res;
}

/* Rounds down (to within 1 ns of the exact value). */
uint64_t time_ticks_to_ns(uint64_t ticks)
{
	return time_scale(ticks, &time_ns_per_tick, false);
}

/* Rounds up, so that a deadline converted to ticks is never early. */
uint64_t time_ns_to_ticks(uint64_t ns)
{
	return time_scale(ns, &time_ticks_per_ns, true);
}

uint64_t arch_now_ns(void)
{
	return time_ticks_to_ns(time_counter() - time_boot_count);
}

uint64_t arch_cycles(void)
{
	return time_counter();
}

static void time_hyp_timer_stop(void)
{
	WRITE_SYSREG(cnthp_ctl_el2, 0);
	isb();
}

void arch_timer_program(uint64_t deadline_ns)
{
	uint64_t cval;

	if (deadline_ns == 0) {
		time_hyp_timer_stop();
		return;
	}
	cval = time_ns_to_ticks(deadline_ns);
	cval = cval > UINT64_MAX - time_boot_count ? UINT64_MAX
						   : cval + time_boot_count;
	WRITE_SYSREG(cnthp_cval_el2, cval);
	WRITE_SYSREG(cnthp_ctl_el2, CNTx_CTL_ENABLE);
	isb();
}

/*
 * CNTHP fired. Its output is level-sensitive and stays asserted while the
 * timer is enabled and expired: turn it off before the EOI, then let the
 * timer queue run what is due and re-arm the timer.
 */
static void time_hyp_timer_irq(unsigned int irq, void *data)
{
	time_hyp_timer_stop();
	timer_process();
}

static uint32_t time_pick_freq(const struct timer_info *info)
{
	uint32_t cntfrq = (uint32_t)READ_SYSREG(cntfrq_el0);

	if (!info->clock_frequency)
		return cntfrq;
	if (cntfrq != info->clock_frequency)
		pr_warn("timer: device tree says %u Hz, CNTFRQ_EL0 %u Hz: "
			"using the device tree\n",
			info->clock_frequency, cntfrq);
	return info->clock_frequency;
}

static unsigned int time_pick_irq(const struct timer_info *info)
{
	if (info->irq_hyp)
		return info->irq_hyp;
	pr_warn("timer: no hypervisor timer interrupt in the device tree, "
		"assuming PPI INTID %u\n",
		TIME_HYP_PPI_DEFAULT);
	return TIME_HYP_PPI_DEFAULT;
}

/*
 * Once, on the boot CPU, after gic_init and before anything reads the
 * time: fix the counter frequency and the 0 ns origin, and install the
 * CNTHP handler (each CPU enables the PPI for itself in time_cpu_init).
 * Until then arch_now_ns reads 0.
 */
void time_init(const struct timer_info *info)
{
	uint32_t freq = time_pick_freq(info);
	unsigned int irq = time_pick_irq(info);
	int ret;

	if (!freq)
		panic("timer: CNTFRQ_EL0 is 0 and the device tree gives no "
		      "clock-frequency");
	time_ns_per_tick = time_ratio_of(NSEC_PER_SEC, freq);
	time_ticks_per_ns = time_ratio_of(freq, NSEC_PER_SEC);
	time_boot_count = time_counter();

	ret = irq_request(irq, time_hyp_timer_irq, NULL);
	if (ret)
		panic("timer: cannot install the CNTHP handler on IRQ %u (%d)",
		      irq, ret);
	time_hyp_irq = irq;
	printk("timer: %u Hz system counter, CNTHP on IRQ %u\n", freq, irq);
}

/*
 * Every CPU, the boot CPU included, after gic_cpu_init and time_init.
 *
 * CNTHCTL_EL2 (non-VHE layout): EL1PCTEN and EL1PCEN let EL1 and EL0 read
 * CNTPCT_EL0 and use the EL1 physical timer (CNTP_*) without trapping to
 * EL2, so a guest may use the physical timer directly once the vCPU
 * context switch saves and restores CNTP_CTL/CVAL_EL0 and routes its PPI.
 * Xen instead clears EL1PCEN and emulates that timer; whoever writes the
 * virtual timer code may flip the bit here. Orchid's own timer is CNTHP,
 * which no lower EL can touch either way.
 *
 * CNTVOFF_EL2 resets to an unknown value; 0 makes the virtual counter the
 * physical one until a vCPU sets its own offset. Every EL1 timer starts
 * off so that no firmware leftover fires into a guest.
 */
void time_cpu_init(void)
{
	if (!time_hyp_irq)
		panic("timer: time_cpu_init before time_init");
	WRITE_SYSREG(cnthctl_el2, CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN);
	WRITE_SYSREG(cntvoff_el2, 0);
	WRITE_SYSREG(cntp_ctl_el0, 0);
	WRITE_SYSREG(cntv_ctl_el0, 0);
	time_hyp_timer_stop();
	irq_enable(time_hyp_irq);
}
