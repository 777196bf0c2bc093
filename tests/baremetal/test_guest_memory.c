// SPDX-License-Identifier: MIT
/*
 * Guest buffers a hypervisor must refuse through the guest's own stage 1
 * (mmu.c): a read-only page may be read but not written, an unmapped page
 * neither, and a buffer straddling into either fails as a whole call.
 * Xen writes arguments back after acting (alloc_unbound's port is then
 * lost, "cleaning up here would be a mess"): -EFAULT all the same.
 */
#include "guest.h"
#include "xen.h"

void test_guest_memory(void)
{
	struct fault f;
	char detail[80];

	check_eq("version-to-read-only",
		 HC2(__HYPERVISOR_xen_version, XENVER_extraversion, RO_PAGE),
		 -XEN_EFAULT);
	check_eq(
		"version-straddling-into-read-only",
		HC2(__HYPERVISOR_xen_version, XENVER_extraversion, RO_PAGE - 8),
		-XEN_EFAULT);
	check_eq("version-to-unmapped",
		 HC2(__HYPERVISOR_xen_version, XENVER_extraversion, NOMAP_PAGE),
		 -XEN_EFAULT);
	check_eq("console-from-read-only",
		 HC3(__HYPERVISOR_console_io, CONSOLEIO_write,
		     sizeof(RO_TEXT) - 1, RO_PAGE),
		 CONSOLE_IO(0, -XEN_EPERM)); /* a DomU has no console_io */
	check_eq("console-straddling-into-unmapped",
		 HC3(__HYPERVISOR_console_io, CONSOLEIO_write, 16,
		     NOMAP_PAGE - 8),
		 CONSOLE_IO(-XEN_EFAULT, -XEN_EPERM));
	check_eq("gnttab-query_size-read-only",
		 HC3(__HYPERVISOR_grant_table_op, GNTTABOP_query_size,
		     RO_PAGE + RO_QUERY, 1),
		 -XEN_EFAULT);
	check_eq("evtchn-alloc_unbound-read-only",
		 HC2(__HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound,
		     RO_PAGE + RO_ALLOC),
		 -XEN_EFAULT);

	/* The stage 1 itself: the guest's own accesses fault too. */
	fault_expect();
	probe_load((uint64_t)(uintptr_t)NOMAP_PAGE);
	f = fault_result();
	snprintf(detail, sizeof(detail), "taken %d, ESR %x", f.taken, f.esr);
	check_true("load-unmapped-faults", f.taken && (f.esr >> 26) == 0x25,
		   detail);
}
