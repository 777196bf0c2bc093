// SPDX-License-Identifier: MIT
/*
 * `mode=vwfi expect=native|trap`: does a WFI trap to the hypervisor? The
 * guest waits in WFI for its virtual timer 20 times (5 ms each) and reads
 * its own runstate around that (the area it registered with
 * VCPUOP_register_runstate_memory_area, which the hypervisor rewrites
 * whenever the vCPU is switched in: after every wake-up from a blocking
 * WFI). Trapped (Xen's
 * and Orchid's default, vwfi=trap), each WFI blocks the vCPU: its blocked
 * time grows by about 100 ms. With vwfi=native the WFI runs on the pCPU:
 * the vCPU never blocks, its blocked time does not grow.
 */
#include "gic.h"
#include "guest.h"
#include "xen.h"

#define RUNSTATE_blocked 2

static volatile struct runstate_info {
	int32_t state;
	uint64_t state_entry_time;
	uint64_t time[4];
} runstate __attribute__((aligned(64)));

static void vwfi_timer_quiet(unsigned int cpu, unsigned int intid)
{
	timer_virt_stop();
}

/* vCPU 0's blocked time (ns) as its runstate area last said it. */
static long blocked_ns(void)
{
	return (long)runstate.time[RUNSTATE_blocked];
}

void vwfi_main(void)
{
	char expect[8];
	long before, after, ms;
	int native;

	native = bootarg("expect", expect, sizeof(expect)) && expect[0] == 'n';
	gic_irq_hook(IRQ_VTIMER, vwfi_timer_quiet);
	gic_irq_enable(0, IRQ_VTIMER, 1);
	/* struct vcpu_register_runstate_memory_area: the area's address. */
	uint64_t area = (uint64_t)(unsigned long)&runstate;

	check_eq("register-runstate",
		 HC3(__HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area,
		     0, &area),
		 0);
	before = blocked_ns();
	for (int i = 0; i < 20; i++) {
		/* Masked: the WFI still ends when the timer fires. */
		irq_off();
		timer_virt_arm(timer_now() + timer_ms(5));
		__asm__ volatile("dsb sy; wfi" ::: "memory");
		irq_on(); /* the handler quiets the timer */
	}
	irq_off();
	after = blocked_ns();
	ms = (after - before) / 1000000;
	printf("vwfi: expect %s, blocked %ld ms over 20 WFIs of 5 ms\n",
	       native ? "native" : "trap", ms);
	if (native)
		check_true("wfi-native-never-blocks", ms < 20,
			   "the vCPU blocked in WFI: trapped");
	else
		check_true("wfi-trapped-blocks", ms >= 50,
			   "the vCPU did not block in WFI: not trapped");
	test_result();
}
