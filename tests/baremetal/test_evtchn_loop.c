// SPDX-License-Identifier: MIT
/*
 * An event channel looped back to Dom0 itself, seen through shared_info
 * (mapped over a page of the guest's own RAM, as Linux on Arm does):
 * bind_interdomain to its own unbound port marks the new local port
 * pending (Xen "informs the local end"), a send sets the other end's
 * pending bit; then bind_interdomain's refusals. With shared_info
 * mapped, the physmap ops' refusals (other index, unknown space, a hole)
 * are checked here too.
 */
#include "guest.h"
#include "xen.h"

static char shared_page[4096] __attribute__((aligned(4096)));

static long evtchn(unsigned int cmd, void *arg)
{
	return HC2(__HYPERVISOR_event_channel_op, cmd, arg);
}

static int pending(uint32_t port)
{
	const volatile uint64_t *words =
		(const volatile uint64_t *)(shared_page +
					    SHARED_INFO_EVTCHN_PENDING);

	return (words[port / 64] >> (port % 64)) & 1;
}

static void bind_refusals(uint32_t unbound_port)
{
	struct evtchn_bind_interdomain b = {.remote_dom = DOMID_SELF};

	b.remote_port = EVTCHN_2L_NR_PORTS;
	check_eq("bind_interdomain-port-past-2l-ports",
		 evtchn(EVTCHNOP_bind_interdomain, &b), -XEN_EINVAL);
	b.remote_port = 0;
	check_eq("bind_interdomain-port-0-reserved",
		 evtchn(EVTCHNOP_bind_interdomain, &b), -XEN_EINVAL);
	b.remote_port = unbound_port;
	b.remote_dom = DOMID_INVALID;
	check_eq("bind_interdomain-dom-invalid",
		 evtchn(EVTCHNOP_bind_interdomain, &b), -XEN_ESRCH);
	b.remote_dom = ABSENT_DOMID;
	check_eq("bind_interdomain-dom-absent",
		 evtchn(EVTCHNOP_bind_interdomain, &b), -XEN_ESRCH);
}

static char second_page[4096] __attribute__((aligned(4096)));

/* add_to_physmap and remove_from_physmap asking for what is not there. */
static void physmap_refusals(void)
{
	struct xen_add_to_physmap map = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info,
		.idx = 1,
		.gpfn = (uint64_t)(uintptr_t)second_page >> 12,
	};
	struct xen_remove_from_physmap rm = {.domid = DOMID_INVALID};

	check_eq("map-shared_info-idx-1",
		 HC2(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, &map),
		 -XEN_EINVAL);
	map.space = XENMAPSPACE_grant_table;
	map.idx = 0x7fffffff;
	check_eq("map-grant_table-idx-huge",
		 HC2(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, &map),
		 -XEN_EINVAL);
	map.space = 99;
	map.idx = 0;
	check_eq("map-space-unknown",
		 HC2(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, &map),
		 -XEN_ENOSYS);
	check_eq("remove_from_physmap-dom-invalid",
		 HC2(__HYPERVISOR_memory_op, XENMEM_remove_from_physmap, &rm),
		 -XEN_ESRCH);
	rm.domid = DOMID_SELF;
	rm.gpfn = IPA_HOLE >> 12;
	check_eq("remove_from_physmap-ipa-hole",
		 HC2(__HYPERVISOR_memory_op, XENMEM_remove_from_physmap, &rm),
		 -XEN_ENOENT);
}

void test_evtchn_loop(void)
{
	struct xen_add_to_physmap map = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info,
		.gpfn = (uint64_t)(uintptr_t)shared_page >> 12,
	};
	struct evtchn_alloc_unbound alloc = {.dom = DOMID_SELF,
					     .remote_dom = DOMID_SELF};
	struct evtchn_bind_interdomain b = {.remote_dom = DOMID_SELF};
	struct evtchn_send send;
	struct evtchn_close close;

	check_eq("map-shared_info",
		 HC2(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, &map), 0);
	physmap_refusals();
	check_eq("alloc_unbound", evtchn(EVTCHNOP_alloc_unbound, &alloc), 0);
	b.remote_port = alloc.port;
	check_eq("bind_interdomain-self", evtchn(EVTCHNOP_bind_interdomain, &b),
		 0);
	/* Xen tells the new local end at once: it is pending after bind. */
	check_true("bind-sets-local-pending", pending(b.local_port), "");
	check_true("remote-not-pending-yet", !pending(alloc.port), "");
	send.port = b.local_port;
	check_eq("send", evtchn(EVTCHNOP_send, &send), 0);
	check_true("remote-end-pending", pending(alloc.port), "");
	/* The remote end is bound now: a second bind is refused. */
	check_eq("bind_interdomain-twice",
		 evtchn(EVTCHNOP_bind_interdomain, &b), -XEN_EINVAL);
	bind_refusals(alloc.port);
	close.port = b.local_port;
	check_eq("close-local", evtchn(EVTCHNOP_close, &close), 0);
	close.port = alloc.port;
	check_eq("close-remote", evtchn(EVTCHNOP_close, &close), 0);
}
