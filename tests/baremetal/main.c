// SPDX-License-Identifier: MIT
/*
 * A bare-metal test guest, booted as Dom0. Each check prints one line,
 *   Test <case>.<check>: SUCCESS|FAILURE|SKIP <detail>
 * and the run ends with the line the runner reads (XTF's format):
 *   Test result: SUCCESS|FAILURE <n> of <m> checks failed
 * then powers the machine off. The expected values are Xen 4.17's.
 */
#include "fuzz.h"
#include "guest.h"
#include "xen.h"

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
	printf("MMU on: VA == IPA, caches on\n");
}

void guest_main(void *dtb)
{
	printf("Orchid bare-metal test guest: entered at EL1 with DTB at %lx\n",
	       (unsigned long)dtb);
	memory_setup();
	bootargs_init(dtb);
	printf("bootargs: \"%s\"\n", bootargs());
	if (is_mode("fuzz"))
		fuzz_main(); /* fuzz.c: powers off */
	case_run("xen_version", test_version);
	case_run("console_io", test_console);
	case_run("event_channel_op", test_evtchn);
	case_run("grant_table_op", test_gnttab);
	case_run("memory_op", test_memory);
	case_run("hypercall", test_hypercall);
	case_run("traps", test_traps);
	case_run("guest_memory", test_guest_memory);
	case_run("other_ops", test_other_ops);
	case_run("evtchn_loopback", test_evtchn_loop);
	case_run("grant_copy", test_gnttab_copy);
	case_run("smccc", test_smccc);
	case_run("grant_version", test_gnttab_version);
	case_run("vcpu_info", test_vcpu_info); /* last: moves vCPU 1's */
	if (failures)
		printf("Test result: FAILURE %u of %u checks failed\n",
		       failures, checks);
	else
		printf("Test result: SUCCESS %u checks\n", checks);
	poweroff();
}
