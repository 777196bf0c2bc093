// SPDX-License-Identifier: MIT
/*
 * SCHEDOP_watchdog, as Xen 4.17's domain_watchdog (common/sched/core.c):
 * each domain has two watchdog timers. id 0 arms a free one for @timeout
 * seconds and returns its id (1 or 2; -ENOSPC when both are in use); a
 * non-zero id pets that timer (timeout > 0) or disarms it (timeout 0);
 * an id not armed is -EINVAL. A timer that runs out shuts its domain down
 * with SHUTDOWN_watchdog, which reboots the machine when the domain is
 * the hardware domain (domain.c). Debian's xenwatchdogd drives it.
 */
#include <orchid/arch.h>
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/printk.h>
#include <orchid/timer.h>
#include <public/sched.h>

#define NSEC_PER_SEC 1000000000ULL
/* The pCPU the watchdog timers fire on: the boot CPU is always online. */
#define WATCHDOG_CPU 0

static void watchdog_fired(void *data)
{
	struct domain *d = data;

	if (d->is_shut_down || d->is_dying)
		return;
	printk("Watchdog timer fired for domain %u\n", d->domain_id);
	domain_shutdown(d, SHUTDOWN_watchdog);
}

void domain_watchdog_init(struct domain *d)
{
	spin_lock_init(&d->watchdog.lock);
	d->watchdog.inuse = 0;
	for (unsigned int i = 0; i < NR_DOMAIN_WATCHDOG_TIMERS; i++)
		timer_init(&d->watchdog.timer[i], watchdog_fired, d,
			   WATCHDOG_CPU);
}

/* Before @d is freed: no watchdog of it may fire any more. */
void domain_watchdog_destroy(struct domain *d)
{
	for (unsigned int i = 0; i < NR_DOMAIN_WATCHDOG_TIMERS; i++)
		timer_kill(&d->watchdog.timer[i]);
}

static uint64_t watchdog_deadline(uint32_t timeout)
{
	return arch_now_ns() + (uint64_t)timeout * NSEC_PER_SEC;
}

/*
 * Arm the first free timer; its id, or -ENOSPC as Xen 4.17 returns it:
 * through an unsigned int, so x0 holds 0xffffffe4, which callers taking
 * an int (Linux's HYPERVISOR_sched_op, libxc) read as -ENOSPC.
 */
static long watchdog_arm(struct domain *d, uint32_t timeout)
{
	for (unsigned int i = 0; i < NR_DOMAIN_WATCHDOG_TIMERS; i++) {
		if (d->watchdog.inuse & (1U << i))
			continue;
		d->watchdog.inuse |= 1U << i;
		timer_set(&d->watchdog.timer[i], watchdog_deadline(timeout));
		return i + 1;
	}
	return (long)(uint32_t)-ENOSPC;
}

long domain_watchdog(struct domain *d, uint32_t id, uint32_t timeout)
{
	unsigned long flags;
	long rc = 0;

	if (id > NR_DOMAIN_WATCHDOG_TIMERS)
		return -EINVAL;
	flags = spin_lock_irqsave(&d->watchdog.lock);
	if (id == 0) {
		rc = watchdog_arm(d, timeout);
	} else if (!(d->watchdog.inuse & (1U << (id - 1)))) {
		rc = -EINVAL;
	} else if (timeout == 0) {
		timer_stop(&d->watchdog.timer[id - 1]);
		d->watchdog.inuse &= ~(1U << (id - 1));
	} else {
		timer_set(&d->watchdog.timer[id - 1],
			  watchdog_deadline(timeout));
	}
	spin_unlock_irqrestore(&d->watchdog.lock, flags);
	return rc;
}
