// SPDX-License-Identifier: MIT
/*
 * A bare-metal test guest, booted as Dom0, or as a DomU by xl with
 * `mode=domu` in its command line (its console is then the PV ring, and
 * the checks expect what Xen gives a DomU). Each check prints one line,
 *   Test <case>.<check>: SUCCESS|FAILURE|SKIP <detail>
 * and the run ends with the line the runner reads (XTF's format):
 *   Test result: SUCCESS|FAILURE <n> of <m> checks failed
 * then powers the machine off. The expected values are Xen 4.17's.
 *
 * `mode=dom0less` is the guest as a boot-time DomU of the device tree
 * (no Dom0 toolstack, no PV console): it prints on its vpl011, says
 * DOM0LESS-READY with what its DTB gives it and, with `echo=1`, reads
 * one line from the vpl011 (serial input switched to it with Ctrl-a)
 * and prints it back, then powers off (or, with `then=`, crashes,
 * reboots, lets its watchdog expire or ticks: lifecycle.c); with `tests=1` it runs the test
 * cases as a DomU instead (guest_tests.py's dom0less column).
 */
#include "bench.h"
#include "bench_sched.h"
#include "fuzz.h"
#include "gic.h"
#include "guest.h"
#include "xen.h"

int guest_is_domu;
int guest_is_dom0less;
static const char *current_case;
static unsigned int checks, failures;

static void case_run(const char *name, void (*fn)(void))
{
	current_case = name;
	fn();
}

void check_true(const char *name, int ok, const char *detail)
{
	checks++;
	if (!ok)
		failures++;
	printf("Test %s.%s: %s%s%s\n", current_case, name,
	       ok ? "SUCCESS" : "FAILURE", detail[0] ? " " : "", detail);
}

void check_eq(const char *name, long got, long want)
{
	char detail[64];

	if (got == want)
		detail[0] = '\0';
	else
		snprintf(detail, sizeof(detail), "got %ld, want %ld", got,
			 want);
	check_true(name, got == want, detail);
}

void skip(const char *name, const char *why)
{
	printf("Test %s.%s: SKIP %s\n", current_case, name, why);
}

void guest_main(void *dtb);

/* `mode=NAME` on the command line selects another program than the
 * test cases. */
static int is_mode(const char *name)
{
	char mode[16];

	return bootarg("mode", mode, sizeof(mode)) &&
	       strlen(mode) == strlen(name) &&
	       !memcmp(mode, name, strlen(name));
}

/* Fill the page that becomes read-only, then turn the MMU on. */
static void memory_setup(void)
{
	struct gnttab_query_size qs = {.dom = DOMID_SELF};
	struct evtchn_alloc_unbound alloc = {.dom = DOMID_SELF,
					     .remote_dom = DOMID_SELF};
	struct multicall_entry multi = {.op = __HYPERVISOR_xen_version};

	memcpy(RO_PAGE, RO_TEXT, sizeof(RO_TEXT) - 1);
	memcpy(RO_PAGE + RO_QUERY, &qs, sizeof(qs));
	memcpy(RO_PAGE + RO_ALLOC, &alloc, sizeof(alloc));
	memcpy(RO_PAGE + RO_MULTI, &multi, sizeof(multi));
	mmu_enable();
}

/* Nothing is printed before the console is known: a DomU's is a ring
 * that needs the MMU on. `mode=domu` runs the test cases as a DomU;
 * `domu=1` says so for another program (`mode=fuzz domu=1`). */
static void console_setup(void *dtb)
{
	long err = 0;

	memory_setup();
	bootargs_init(dtb);
	/* `dom0less=1`: another program as a boot-time DomU (vpl011). */
	guest_is_dom0less =
		is_mode("dom0less") || bootarg_ulong("dom0less", 0) == 1;
	guest_is_domu = is_mode("domu") || bootarg_ulong("domu", 0) == 1 ||
			guest_is_dom0less;
	if (guest_is_dom0less)
		vpl011_enable(dtb);
	else if (guest_is_domu)
		err = pvcons_init();
	printf("Orchid bare-metal test guest: entered at EL1 with DTB at %lx, "
	       "as %s\n",
	       (unsigned long)dtb,
	       guest_is_dom0less ? "a dom0less DomU"
	       : guest_is_domu	 ? "a DomU"
				 : "Dom0");
	printf("MMU on: VA == IPA, caches on\n");
	printf("bootargs: \"%s\"\n", bootargs());
	if (err) /* console_io, in case this hypervisor lets a DomU use it */
		printf("Test result: ERROR no PV console ring (%ld)\n", err);
	if (err)
		poweroff();
}

/* Read a line from the vpl011 (up to CR or LF) and print it back. */
static void dom0less_echo(void)
{
	char line[64];
	size_t n = 0;

	printf("DOM0LESS-WAITING for input\n");
	for (;;) {
		char c = vpl011_getc();

		if (c == '\r' || c == '\n')
			break;
		if (n < sizeof(line) - 1)
			line[n++] = c;
	}
	line[n] = '\0';
	printf("vpl011 read: \"%s\"\n", line);
}

/*
 * A build without grant tables or the toolstack interface
 * (configs/minimal_defconfig) answers -ENOSYS, as Xen without
 * CONFIG_GRANT_TABLE; a full one 0, and -EPERM to a DomU's domctl.
 */
static void dom0less_optional_hypercalls(void)
{
	static struct xen_versioned_op op;
	struct gnttab_query_size qs = {.dom = DOMID_SELF};
	long rc = HC3(__HYPERVISOR_grant_table_op, GNTTABOP_query_size, &qs, 1);

	printf("DOM0LESS-GNTTAB query_size=%ld\n", rc);
	op.cmd = XEN_DOMCTL_getdomaininfo;
	op.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	printf("DOM0LESS-DOMCTL getdomaininfo=%ld\n",
	       HC1(__HYPERVISOR_domctl, &op));
}

static long dom0less_hvm_param(int op, uint16_t domid, uint32_t index,
			       uint64_t *value)
{
	struct xen_hvm_param p = {.domid = domid, .index = index};
	long rc;

	if (value)
		p.value = *value;
	rc = HC2(__HYPERVISOR_hvm_op, op, &p);
	if (value)
		*value = p.value;
	return rc;
}

/*
 * xs=1, an "xen,enhanced" DomU before Dom0's init-dom0less: its xenstore
 * port, STORE_PFN all ones (Xen's "later"), and neither parameter is
 * its own to write, nor another domain's (domain 1) to read or write.
 */
static void dom0less_xenstore_params(void)
{
	uint64_t pfn = 0, port = 0, v = 0x39001;
	long pfn_rc = dom0less_hvm_param(HVMOP_get_param, DOMID_SELF,
					 HVM_PARAM_STORE_PFN, &pfn);
	long port_rc = dom0less_hvm_param(HVMOP_get_param, DOMID_SELF,
					  HVM_PARAM_STORE_EVTCHN, &port);

	printf("DOM0LESS-XS pfn=%lx/%ld port=%lu/%ld self_set=%ld "
	       "other_get=%ld other_set=%ld\n",
	       (unsigned long)pfn, pfn_rc, (unsigned long)port, port_rc,
	       dom0less_hvm_param(HVMOP_set_param, DOMID_SELF,
				  HVM_PARAM_STORE_PFN, &v),
	       dom0less_hvm_param(HVMOP_get_param, 1, HVM_PARAM_STORE_PFN, &v),
	       dom0less_hvm_param(HVMOP_set_param, 1, HVM_PARAM_STORE_PFN, &v));
}

/*
 * Where it runs: its own image, the RAM its DTB gives it and its GIC's
 * distributor (the dom0less-static-mem cases compare them with the
 * xen,static-mem banks and the host's layout).
 */
static void dom0less_layout(void)
{
	extern char _start[];

	printf("DOM0LESS-MEM image=%lx gicd=%lx ram=", (unsigned long)_start,
	       (unsigned long)gic.gicd);
	for (unsigned int i = 0; i < dt_layout.nr_ram; i++)
		printf("%s%lx+%lx", i ? "," : "",
		       (unsigned long)dt_layout.ram_base[i],
		       (unsigned long)dt_layout.ram_size[i]);
	printf("\n");
}

static void dom0less_main(void)
{
	char name[32];

	if (!bootarg("name", name, sizeof(name)))
		memcpy(name, "?", 2);
	printf("DOM0LESS-READY name=%s vcpus=%u\n", name, smp_nr_cpus());
	dom0less_layout();
	dom0less_optional_hypercalls();
	if (bootarg_ulong("xs", 0) == 1)
		dom0less_xenstore_params();
	passthrough_main(); /* pt=: a device given by its partial DT */
	if (bootarg_ulong("echo", 0) == 1)
		dom0less_echo();
	printf("DOM0LESS-DONE name=%s\n", name);
	dom0less_then(name); /* then=: lifecycle.c */
}

void guest_main(void *dtb)
{
	console_setup(dtb);
	if (is_mode("fuzz"))
		fuzz_main();	/* fuzz.c: powers off */
	if (is_mode("first")) { /* bench/toolstack.py, dom0less_boot.py */
		uint64_t frq;

		__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(frq));
		printf("FIRST-INSN cntvct=%lu cntfrq=%lu cntpct=%lu\n",
		       (unsigned long)entry_cntvct, (unsigned long)frq,
		       (unsigned long)entry_cntpct);
		if (bootarg_ulong("crash", 0) == 1) { /* a restart's start */
			printf("CRASH-AT cntpct=%lu\n",
			       (unsigned long)timer_phys_now());
			dom0less_then_crash();
		}
		poweroff();
	}
	if (is_mode("scrub-fill") || is_mode("scrub-check"))
		scrub_main(dtb, is_mode("scrub-fill"));
	if (gic_setup(dtb) == 0)
		printf("GICv%d: GICD %lx, %s %lx; %u vCPUs in the DTB\n",
		       gic.version, (unsigned long)gic.gicd,
		       gic.version == 3 ? "GICR" : "GICC",
		       (unsigned long)(gic.version == 3 ? gic.gicr : gic.gicc),
		       smp_nr_cpus());
	if (is_mode("bench")) {
		current_case = "bench";
		bench_main(); /* bench.c: powers off */
	}
	if (is_mode("pt")) { /* an xl DomU given a device (passthrough.c) */
		passthrough_main();
		printf("PT-DONE\n");
		poweroff();
	}
	if (is_mode("vwfi")) {
		current_case = "vwfi";
		vwfi_main(); /* test_vwfi.c: powers off */
	}
	if (is_mode("upcall-remote")) {
		current_case = "upcall-remote";
		upcall_remote_main(); /* test_upcall_remote.c: powers off */
	}
	if (is_mode("cntvct")) {
		current_case = "cntvct";
		cntvct_main(); /* test_cntvct.c: powers off */
	}
	if (is_mode("rt-periodic")) {
		current_case = "rt-periodic";
		rt_periodic_main(); /* test_rt_periodic.c: powers off */
	}
	if (is_mode("sched-bench")) { /* bench_sched.c: powers off */
		current_case = "sched-bench";
		sched_bench_main();
	}
	if (is_mode("sched-peer"))
		sched_peer_main(); /* never returns */
	/* sched_check.c: both power off. */
	if (is_mode("sched-check")) {
		current_case = "sched-check";
		sched_check_main();
	}
	if (is_mode("sched-rt-peer")) {
		current_case = "sched-rt-peer";
		sched_rt_peer_main();
	}
	if (is_mode("hog"))
		hog_main(); /* never returns */
	if (is_mode("dom0less") && bootarg_ulong("tests", 0) != 1)
		dom0less_main();
	if (is_mode("idle")) { /* a Dom0 that leaves the machine to DomUs */
		char then[16];

		passthrough_main(); /* pt_absent=: one it must not have */
		printf("IDLE: Dom0 waits\n");
		/* then=crash: a Dom0 crash beside dom0less DomUs. */
		if (bootarg("then", then, sizeof(then)))
			dom0less_then("Dom0");
		for (;;)
			__asm__ volatile("wfi");
	}
	case_run("xen_version", test_version);
	case_run("console_io", test_console);
	case_run("event_channel_op", test_evtchn);
	case_run("grant_table_op", test_gnttab);
	case_run("memory_op", test_memory);
	case_run("hypercall", test_hypercall);
	case_run("traps", test_traps);
	case_run("guest_memory", test_guest_memory);
	case_run("other_ops", test_other_ops);
	case_run("hypfs", test_hypfs);
	case_run("watchdog", test_watchdog);
	case_run("evtchn_loopback", test_evtchn_loop);
	case_run("grant_copy", test_gnttab_copy);
	case_run("smccc", test_smccc);
	case_run("grant_version", test_gnttab_version);
	case_run("isolation", test_isolation);
	case_run("passthrough", test_passthrough);
	case_run("guest_safety", test_guest_safety);
	case_run("gic_regs", test_gic_regs); /* leaves the GIC re-initialised */
	case_run("irq", test_irq);
	case_run("irq_prio", test_irq_prio);
	case_run("psci", test_psci);
	case_run("vcpu_info", test_vcpu_info);	   /* moves vCPU 1's */
	case_run("evtchn_vcpu", test_evtchn_vcpu); /* needs vCPU 1's moved */
	case_run("sysregs", test_sysregs);
	/* Returns the page holding vCPU 1's vcpu_info (issue 8). */
	case_run("vcpu_info", test_vcpu_info_give_back);
	case_run("evtchn_fifo", test_evtchn_fifo); /* last: Xen turns FIFO on */
	test_result();
}

void test_result(void)
{
	if (failures)
		printf("Test result: FAILURE %u of %u checks failed\n",
		       failures, checks);
	else
		printf("Test result: SUCCESS %u checks\n", checks);
	poweroff();
}
