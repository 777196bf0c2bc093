// SPDX-License-Identifier: MIT
/*
 * console_io: lengths and pointers a guest should not pass. Release Xen
 * refuses the whole hypercall to a DomU (-EPERM, before looking at the
 * arguments): only the hardware domain owns the physical console.
 *
 * A DomU may reset its own event channels, its PV console's included: the
 * fuzzer once did so through a stray pointer (seed 1, op 77699) and went
 * silent, which looked like a hang. xenconsoled's end is then unbound for
 * the DomU again, and binding to it gives the console back.
 */
#include "guest.h"
#include "xen.h"

static void console_port_reset(void)
{
	struct evtchn_reset self = {.dom = DOMID_SELF};
	uint32_t before = pvcons_port();
	long rc = HC2(__HYPERVISOR_event_channel_op, EVTCHNOP_reset, &self);
	int was_bound = pvcons_port_check(); /* rebinds: then we can say it */

	check_eq("reset-own-channels", rc, 0);
	check_true("reset-closed-console-port", !was_bound,
		   "the console's port survived EVTCHNOP_reset");
	check_true("console-port-rebound",
		   pvcons_port_check() && pvcons_port() != 0, "no port");
	printf("console port %u before the reset, %u after\n",
	       (unsigned int)before, (unsigned int)pvcons_port());
}

void test_console(void)
{
	static const char msg[] = "(console_io write)\n";
	char in[16];

	check_eq("write",
		 HC3(__HYPERVISOR_console_io, CONSOLEIO_write, sizeof(msg) - 1,
		     msg),
		 CONSOLE_IO(0, -XEN_EPERM));
	check_eq("write-zero-length",
		 HC3(__HYPERVISOR_console_io, CONSOLEIO_write, 0, msg),
		 CONSOLE_IO(0, -XEN_EPERM));
	check_eq("write-null",
		 HC3(__HYPERVISOR_console_io, CONSOLEIO_write, 16, 0),
		 CONSOLE_IO(-XEN_EFAULT, -XEN_EPERM));
	check_eq("write-unmapped",
		 HC3(__HYPERVISOR_console_io, CONSOLEIO_write, 16, IPA_HOLE),
		 CONSOLE_IO(-XEN_EFAULT, -XEN_EPERM));
	check_eq("write-wrapping",
		 HC3(__HYPERVISOR_console_io, CONSOLEIO_write, 64, WRAPPING),
		 CONSOLE_IO(-XEN_EFAULT, -XEN_EPERM));
	/* A huge and a "negative" count, from a pointer that faults at once:
	 * nothing may be printed, the call must fail. */
	check_eq("write-huge-null",
		 HC3(__HYPERVISOR_console_io, CONSOLEIO_write, 0x7fffffff, 0),
		 CONSOLE_IO(-XEN_EFAULT, -XEN_EPERM));
	check_eq("write-negative-null",
		 HC3(__HYPERVISOR_console_io, CONSOLEIO_write, 0xfffffffful, 0),
		 CONSOLE_IO(-XEN_EFAULT, -XEN_EPERM));
	check_eq("read-zero-length",
		 HC3(__HYPERVISOR_console_io, CONSOLEIO_read, 0, in),
		 CONSOLE_IO(0, -XEN_EPERM));
	check_eq("unknown-cmd", HC3(__HYPERVISOR_console_io, 99, 0, 0),
		 CONSOLE_IO(-XEN_ENOSYS, -XEN_EPERM));
	if (guest_is_domu && pvcons_ready()) /* an xl DomU's PV console */
		console_port_reset();
}
