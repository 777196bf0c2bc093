// SPDX-License-Identifier: MIT
/* Calls into the platform's PSCI firmware, through the conduit the DTB names. */
#include <asm/psci.h>
#include <asm/sysreg.h>
#include <orchid/panic.h>
#include <orchid/printk.h>

static enum psci_method psci_conduit;
static uint32_t psci_fn_cpu_on;

/* One SMCCC call through the DTB's conduit: SMC, or HVC under a hypervisor. */
static int64_t psci_call(uint64_t fn, uint64_t a0, uint64_t a1, uint64_t a2)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a0;
	register uint64_t x2 __asm__("x2") = a1;
	register uint64_t x3 __asm__("x3") = a2;

	if (psci_conduit == PSCI_METHOD_SMC)
		__asm__ volatile("smc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "x4", "x5", "x6", "x7", "x8", "x9", "x10",
				   "x11", "x12", "x13", "x14", "x15", "x16",
				   "x17", "memory");
	else if (psci_conduit == PSCI_METHOD_HVC)
		__asm__ volatile("hvc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "x4", "x5", "x6", "x7", "x8", "x9", "x10",
				   "x11", "x12", "x13", "x14", "x15", "x16",
				   "x17", "memory");
	else
		return PSCI_NOT_SUPPORTED;
	return (int64_t)x0;
}

void psci_init(const struct bootinfo *bi)
{
	psci_conduit = bi->psci_method;
	psci_fn_cpu_on =
		bi->psci_cpu_on ? bi->psci_cpu_on : PSCI_0_2_FN64_CPU_ON;
	if (psci_conduit == PSCI_METHOD_NONE) {
		pr_warn("PSCI: none in the device tree: secondary CPUs stay "
			"off\n");
		return;
	}
	printk("PSCI: v%u.%u via %s\n", psci_version() >> 16,
	       psci_version() & 0xffff,
	       psci_conduit == PSCI_METHOD_SMC ? "SMC" : "HVC");
}

uint32_t psci_version(void)
{
	int64_t v = psci_call(PSCI_0_2_FN_VERSION, 0, 0, 0);

	return v < 0 ? 0 : (uint32_t)v;
}

int psci_cpu_on(uint64_t mpidr, paddr_t entry, uint64_t context)
{
	return (int)psci_call(psci_fn_cpu_on, mpidr, pa_addr(entry), context);
}

void psci_system_off(void)
{
	psci_call(PSCI_0_2_FN_SYSTEM_OFF, 0, 0, 0);
	panic("PSCI SYSTEM_OFF returned");
}

void psci_system_reset(void)
{
	psci_call(PSCI_0_2_FN_SYSTEM_RESET, 0, 0, 0);
	panic("PSCI SYSTEM_RESET returned");
}
