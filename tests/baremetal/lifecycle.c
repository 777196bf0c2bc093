// SPDX-License-Identifier: MIT
/*
 * How a dom0less DomU of the test guest ends (`then=` on its command
 * line), for the restart policies (dom0less.py's restart cases): it
 * powers off (the default), crashes (SCHEDOP_shutdown crash, what Linux's
 * panic does on Xen), reboots (PSCI SYSTEM_RESET, as Linux's reboot),
 * lets a 1 s watchdog expire (SCHEDOP_watchdog never petted), prints
 * a numbered tick every `tick_ms` forever (the domain that must not
 * notice the others' restarts) or idles in WFI forever (`halt`: a
 * domain that stays, blocked, for Dom0's xl list). `wait_ms` delays the
 * end, spinning, or with `wait_idle=1` asleep in WFI (a domain that
 * leaves its pCPU to the others meanwhile: dom0less-build-latency).
 */
#include "gic.h"
#include "guest.h"
#include "xen.h"

#define SHUTDOWN_crash	   3
#define SCHEDOP_watchdog   6
#define PSCI_SYSTEM_RESET  0x84000009ul
#define WATCHDOG_TIMEOUT_S 1

static int then_is(const char *want)
{
	char then[16];

	return bootarg("then", then, sizeof(then)) &&
	       strlen(then) == strlen(want) &&
	       !memcmp(then, want, strlen(want));
}

static void __attribute__((noreturn)) halt(void)
{
	for (;;)
		__asm__ volatile("wfi");
}

static void __attribute__((noreturn)) ticks(const char *name)
{
	unsigned long period = bootarg_ulong("tick_ms", 100);

	for (unsigned long n = 1;; n++) {
		delay_ms(period);
		printf("DOM0LESS-TICK name=%s n=%lu\n", name, n);
	}
}

void dom0less_then_crash(void)
{
	uint32_t reason = SHUTDOWN_crash;

	HC2(__HYPERVISOR_sched_op, SCHEDOP_shutdown, &reason);
	halt();
}

/*
 * @ms asleep: WFI with the virtual timer armed and interrupts masked (a
 * pending one still ends WFI); the timer is stopped before it is taken.
 */
static void wait_idle_ms(unsigned long ms)
{
	uint64_t end = timer_now() + timer_ms(ms);

	irq_off();
	gic_irq_enable(0, IRQ_VTIMER, 1);
	timer_virt_arm(end);
	while (timer_now() < end)
		__asm__ volatile("dsb sy; wfi" ::: "memory");
	timer_virt_stop();
	gic_irq_enable(0, IRQ_VTIMER, 0);
	irq_on();
}

void dom0less_then(const char *name)
{
	if (bootarg_ulong("wait_idle", 0) == 1)
		wait_idle_ms(bootarg_ulong("wait_ms", 0));
	else
		delay_ms(bootarg_ulong("wait_ms", 0));
	if (then_is("ticks"))
		ticks(name);
	if (then_is("crash")) {
		printf("DOM0LESS-CRASH name=%s\n", name);
		dom0less_then_crash();
	}
	if (then_is("halt"))
		halt();
	if (then_is("reboot")) {
		printf("DOM0LESS-REBOOT name=%s\n", name);
		smccc_hvc(PSCI_SYSTEM_RESET, 0, 0, 0);
		halt();
	}
	if (then_is("watchdog")) {
		struct {
			uint32_t id;
			uint32_t timeout;
		} w = {0, WATCHDOG_TIMEOUT_S};
		long id = HC2(__HYPERVISOR_sched_op, SCHEDOP_watchdog, &w);

		printf("DOM0LESS-WATCHDOG name=%s id=%ld\n", name, id);
		halt();
	}
	poweroff();
}
