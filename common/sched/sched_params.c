/* SPDX-License-Identifier: MIT */
/*
 * The scheduler's boot options every new cpupool starts from:
 * sched_ratelimit_us= (credit1, credit2) and sched_credit_tslice_ms=
 * (credit1), as Xen 4.17 takes them. `xl sched-credit -s` and
 * `xl sched-credit2 -s` change a pool's own copy later.
 */
#include <orchid/printk.h>
#include <orchid/sched.h>
#include <public/domctl.h>
#include <public/sysctl.h>

#include "sched_priv.h"

/*
 * The command line's sched_ratelimit_us= and sched_credit_tslice_ms=, each
 * new pool's (sched_set_boot_params).
 */
static uint32_t boot_ratelimit_us = SCHED_DEFAULT_RATELIMIT_US;
static uint32_t boot_tslice_ms = SCHED_CREDIT_DEFAULT_TSLICE_MS;

/* A sched_ratelimit_us= out of range, reported after the scheduler's name. */
static bool bad_ratelimit;

/*
 * Xen's checks and words: an out-of-range value falls back to the default
 * (csched_global_init, scheduler_init); a rate limit above credit1's
 * slice is cut to the slice in credit1 pools (sched_pool_defaults).
 */
void sched_set_boot_params(unsigned int ratelimit_us, unsigned int tslice_ms)
{
#ifdef CONFIG_SCHED_CREDIT
	if (tslice_ms > XEN_SYSCTL_CSCHED_TSLICE_MAX ||
	    tslice_ms < XEN_SYSCTL_CSCHED_TSLICE_MIN) {
		printk("WARNING: sched_credit_tslice_ms outside of valid range "
		       "[%d,%d].\n Resetting to default %u\n",
		       XEN_SYSCTL_CSCHED_TSLICE_MIN,
		       XEN_SYSCTL_CSCHED_TSLICE_MAX,
		       SCHED_CREDIT_DEFAULT_TSLICE_MS);
		tslice_ms = SCHED_CREDIT_DEFAULT_TSLICE_MS;
	}
	if (ratelimit_us > tslice_ms * 1000)
		printk("WARNING: sched_ratelimit_us >sched_credit_tslice_ms is "
		       "undefined\nSetting ratelimit to tslice\n");
	boot_tslice_ms = tslice_ms;
#endif
	bad_ratelimit = ratelimit_us &&
			(ratelimit_us > XEN_SYSCTL_SCHED_RATELIMIT_MAX ||
			 ratelimit_us < XEN_SYSCTL_SCHED_RATELIMIT_MIN);
	boot_ratelimit_us =
		bad_ratelimit ? SCHED_DEFAULT_RATELIMIT_US : ratelimit_us;
}

/* Xen prints this one after "Using scheduler:" (scheduler_init). */
void sched_params_report(void)
{
	if (!bad_ratelimit)
		return;
	printk("WARNING: sched_ratelimit_us outside of valid range [%d,%d].\n"
	       " Resetting to default %u\n",
	       XEN_SYSCTL_SCHED_RATELIMIT_MIN, XEN_SYSCTL_SCHED_RATELIMIT_MAX,
	       SCHED_DEFAULT_RATELIMIT_US);
	bad_ratelimit = false;
}

void sched_pool_defaults(struct cpupool *c)
{
	c->tslice_ms = boot_tslice_ms;
	c->ratelimit_us = boot_ratelimit_us;
	if (c->ops->sched_id == XEN_SCHEDULER_CREDIT &&
	    c->ratelimit_us > c->tslice_ms * 1000)
		c->ratelimit_us = c->tslice_ms * 1000;
	c->migr_delay_us = 0;
}
