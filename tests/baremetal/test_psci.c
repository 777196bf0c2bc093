// SPDX-License-Identifier: MIT
/*
 * PSCI with a second vCPU running: CPU_ON of an online vCPU (itself and
 * the other), of MPIDRs no vCPU has; AFFINITY_INFO of both; CPU_OFF of
 * vCPU 1 then CPU_ON again; FEATURES of the calls a guest relies on.
 * Then WFI and WFE storms on both vCPUs at once, with an interrupt
 * pending and with none, after which the hypervisor still answers.
 */
#include "gic.h"
#include "guest.h"
#include "xen.h"

#define STORM	     100000
#define WFI_WAKES    300
#define STORM_MS     60000
#define CPU_SUSPEND  0xc4000001ul
#define SYSTEM_OFF   0x84000008ul
#define SYSTEM_RESET 0x84000009ul

static long psci(unsigned long fid, unsigned long a1, unsigned long a2)
{
	return smccc_hvc(fid, a1, a2, 0);
}

/*
 * Xen 4.17 finds a vCPU by Aff0 | Aff1 << 8 alone, so an MPIDR with
 * Aff2 or Aff3 set names vCPU 0 there (ALREADY_ON); Orchid reads every
 * affinity field as PSCI says (INVALID_PARAMETERS). Both refuse.
 */
static void aff23(const char *name, long r)
{
	char detail[32];

	snprintf(detail, sizeof(detail), "got %ld", r);
	check_true(name, r == PSCI_ALREADY_ON || r == PSCI_INVALID_PARAMS,
		   r == PSCI_ALREADY_ON || r == PSCI_INVALID_PARAMS ? ""
								    : detail);
}

static void cpu_on_refusals(void)
{
	check_eq("cpu_on-self-already-on", smp_cpu_on_raw(0), PSCI_ALREADY_ON);
	check_eq("cpu_on-vcpu1-already-on", smp_cpu_on_raw(1), PSCI_ALREADY_ON);
	check_eq("cpu_on-aff0-absent", smp_cpu_on_raw(3), PSCI_INVALID_PARAMS);
	check_eq("cpu_on-aff1-absent", smp_cpu_on_raw(1ul << 8),
		 PSCI_INVALID_PARAMS);
	aff23("cpu_on-aff2-absent-refused", smp_cpu_on_raw(1ul << 16));
	aff23("cpu_on-aff3-absent-refused", smp_cpu_on_raw(1ul << 32));
	check_eq("affinity_info-vcpu1-on", psci(PSCI_AFFINITY_INFO, 1, 0),
		 PSCI_AFF_ON);
	check_eq("affinity_info-aff0-absent", psci(PSCI_AFFINITY_INFO, 3, 0),
		 PSCI_AFF_OFF);
	check_eq("affinity_info-aff2-absent-level-2",
		 psci(PSCI_AFFINITY_INFO, 5ul << 16, 2), PSCI_AFF_OFF);
	check_eq("affinity_info-all-level-3", psci(PSCI_AFFINITY_INFO, 0, 3),
		 PSCI_AFF_ON);
}

static void features(void)
{
	check_eq("features-cpu_off", psci(PSCI_FEATURES, PSCI_CPU_OFF, 0), 0);
	check_eq("features-affinity_info",
		 psci(PSCI_FEATURES, PSCI_AFFINITY_INFO, 0), 0);
	check_eq("features-system_off", psci(PSCI_FEATURES, SYSTEM_OFF, 0), 0);
	check_eq("features-psci_version", psci(PSCI_FEATURES, PSCI_VERSION, 0),
		 0);
	check_eq("features-cpu_suspend", psci(PSCI_FEATURES, CPU_SUSPEND, 0),
		 0);
}

static void cpu_off_fn(unsigned long arg)
{
	psci(PSCI_CPU_OFF, 0, 0);
	printf("vCPU 1: CPU_OFF returned\n");
}

static void nothing(unsigned long arg)
{
}

static void off_and_on(void)
{
	smp_post(1, cpu_off_fn, 0);
	check_eq("cpu_off-vcpu1", smp_wait_off(1), 0);
	smp_mark_offline(1);
	check_eq("affinity_info-vcpu1-off", psci(PSCI_AFFINITY_INFO, 1, 0),
		 PSCI_AFF_OFF);
	check_eq("cpu_on-vcpu1-again", smp_start(1), 0);
	check_eq("vcpu1-runs-again", smp_call(1, nothing, 0, 2000), 0);
}

static void wfe_storm(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		__asm__ volatile("wfe");
}

/* The virtual timer left firing, interrupts masked at PSTATE: every WFI
 * has a pending interrupt to return for. */
static void wfi_storm_pending(unsigned long n)
{
	gic_irq_enable(this_cpu(), IRQ_VTIMER, 1);
	timer_virt_arm(0);
	for (unsigned long i = 0; i < n; i++)
		__asm__ volatile("wfi");
	timer_virt_stop();
}

/* Nothing pending: each WFI waits for a timer armed just before it. */
static void wfi_wakes(unsigned long n)
{
	unsigned int cpu = this_cpu();

	gic_irq_enable(cpu, IRQ_VTIMER, 1);
	for (unsigned long i = 0; i < n; i++) {
		timer_virt_arm(timer_now() + timer_ms(1) / 4);
		__asm__ volatile("wfi");
		irq_on();
		__asm__ volatile("isb" ::: "memory");
		irq_off();
	}
	timer_virt_stop();
}

static void vtimer_quiet(unsigned int cpu, unsigned int intid)
{
	timer_virt_stop();
}

static void storm(const char *name, void (*fn)(unsigned long), unsigned long n)
{
	uint64_t t0 = timer_now();
	char detail[64];
	int other;

	smp_post(1, fn, n);
	fn(n);
	other = smp_done(1, STORM_MS);
	snprintf(detail, sizeof(detail), "%lu each on 2 vCPUs, %lu ms", n,
		 (unsigned long)((timer_now() - t0) / timer_ms(1)));
	check_true(name, other == 0, other ? "vCPU 1 did not finish" : "");
	printf("  (%s: %s)\n", name, detail);
}

static void storms(void)
{
	struct xen_feature_info fi = {0};

	gic_irq_hook(IRQ_VTIMER, vtimer_quiet);
	storm("wfe-storm", wfe_storm, STORM);
	storm("wfi-storm-pending", wfi_storm_pending, STORM);
	storm("wfi-storm-timer-wakes", wfi_wakes, WFI_WAKES);
	check_eq("responsive-after-storms",
		 HC2(__HYPERVISOR_xen_version, XENVER_get_features, &fi), 0);
	check_eq("vcpu1-responsive-after-storms", smp_call(1, nothing, 0, 2000),
		 0);
	irq_on();
	irq_off();
}

void test_psci(void)
{
	if (!smp_online(1) && smp_start(1)) {
		skip("all", "vCPU 1 did not start");
		return;
	}
	cpu_on_refusals();
	features();
	off_and_on();
	storms();
	/* vCPU 1 offline again, as the cases after this one expect. */
	smp_post(1, cpu_off_fn, 0);
	check_eq("cpu_off-vcpu1-at-end", smp_wait_off(1), 0);
	smp_mark_offline(1);
}
