// SPDX-License-Identifier: MIT
/*
 * SCHEDOP_watchdog as xenwatchdogd uses it, with Xen 4.17's answers: id 0
 * arms one of the domain's two timers and returns its id, a pet or a
 * disarm (timeout 0) of a timer not armed is -EINVAL, a third arm is
 * -ENOSPC. Every timer armed here is disarmed before the case ends, long
 * before it could fire (a Dom0 watchdog that fires reboots the machine).
 */
#include "guest.h"
#include "xen.h"

#define SCHEDOP_watchdog 6

static long watchdog(uint32_t id, uint32_t timeout)
{
	static struct {
		uint32_t id;
		uint32_t timeout;
	} w;

	w.id = id;
	w.timeout = timeout;
	return HC2(__HYPERVISOR_sched_op, SCHEDOP_watchdog, &w);
}

void test_watchdog(void)
{
	check_eq("pet-unarmed", watchdog(1, 60), -XEN_EINVAL);
	check_eq("disarm-unarmed", watchdog(2, 0), -XEN_EINVAL);
	check_eq("id-3", watchdog(3, 60), -XEN_EINVAL);
	check_eq("id-huge", watchdog(0xffffffffu, 0), -XEN_EINVAL);
	check_eq("null", HC2(__HYPERVISOR_sched_op, SCHEDOP_watchdog, 0),
		 -XEN_EFAULT);
	check_eq("unmapped",
		 HC2(__HYPERVISOR_sched_op, SCHEDOP_watchdog, NOMAP_PAGE),
		 -XEN_EFAULT);
	check_eq("arm-first", watchdog(0, 600), 1);
	check_eq("arm-second", watchdog(0, 600), 2);
	/* Xen returns -ENOSPC through an unsigned int (common/sched/core.c). */
	check_eq("arm-third", watchdog(0, 600), (uint32_t)-XEN_ENOSPC);
	check_eq("pet-1", watchdog(1, 600), 0);
	check_eq("disarm-1", watchdog(1, 0), 0);
	check_eq("disarm-1-again", watchdog(1, 0), -XEN_EINVAL);
	check_eq("arm-reuses-1", watchdog(0, 600), 1);
	check_eq("disarm-1-last", watchdog(1, 0), 0);
	check_eq("disarm-2-last", watchdog(2, 0), 0);
}
