// SPDX-License-Identifier: MIT
/*
 * Deliberate failures, chosen with selftest=, so system tests can check
 * that Orchid reports its own crashes usefully.
 */
#include <orchid/panic.h>
#include <orchid/printk.h>
#include <orchid/selftest.h>
#include <orchid/string.h>

/* An address Orchid never maps. */
#define UNMAPPED_ADDRESS 0x0000dead00000000UL

static __attribute__((noinline)) uint64_t selftest_fault_read(void)
{
	return *(volatile uint64_t *)UNMAPPED_ADDRESS;
}

static __attribute__((noinline)) void selftest_fault(void)
{
	printk("selftest: reading unmapped address %#lx\n", UNMAPPED_ADDRESS);
	printk("selftest: read %#lx (unreachable)\n", selftest_fault_read());
}

void selftest_run(const char *name)
{
	if (!name || !name[0])
		return;
	if (strcmp(name, "fault") == 0)
		selftest_fault();
	else if (strcmp(name, "panic") == 0)
		panic("selftest: deliberate panic");
	else
		pr_warn("selftest: unknown test '%s'\n", name);
}
