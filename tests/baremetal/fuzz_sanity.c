// SPDX-License-Identifier: MIT
/*
 * After a fuzz run: is the hypervisor still healthy? A few calls whose
 * answers are known (Xen 4.17's), and an event channel looped back to
 * the guest itself, seen in a freshly mapped shared_info. The event
 * channels are reset first: the run may have left any of them bound, or
 * switched the domain to the FIFO ABI.
 */
#include "fuzz.h"
#include "xen.h"

static char shared_page[4096] __attribute__((aligned(4096)));

static int expect(const char *what, long got, long want)
{
	if (got == want)
		return 0;
	printf("fuzz: sanity %s: got %ld, want %ld\n", what, got, want);
	return 1;
}

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

/* Xen 4.17 maps shared_info at one GFN at a time (-EBUSY otherwise):
 * take it away from where the run left it, wherever that may be. */
static long map_shared_info(struct xen_add_to_physmap *map)
{
	struct xen_remove_from_physmap rm = {.domid = DOMID_SELF};
	long rc = HC2(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, map);

	if (rc != -XEN_EBUSY)
		return rc;
	rm.gpfn = fz.shared_info_gfn;
	HC2(__HYPERVISOR_memory_op, XENMEM_remove_from_physmap, &rm);
	rc = HC2(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, map);
	if (rc != -XEN_EBUSY)
		return rc;
	printf("fuzz: sanity: shared_info not at the GFN last mapped (%lx); "
	       "unmapping every GFN the fuzzer names\n",
	       (unsigned long)fz.shared_info_gfn);
	for (unsigned int i = 0; i < FZ_VICTIM_PAGES; i++) {
		rm.gpfn = ((uintptr_t)fz_victim[i] >> 12);
		HC2(__HYPERVISOR_memory_op, XENMEM_remove_from_physmap, &rm);
	}
	for (unsigned int i = 0; i < 16; i++) {
		rm.gpfn = (IPA_HOLE >> 12) + i;
		HC2(__HYPERVISOR_memory_op, XENMEM_remove_from_physmap, &rm);
		rm.gpfn = 0xc0000 + i;
		HC2(__HYPERVISOR_memory_op, XENMEM_remove_from_physmap, &rm);
	}
	rm.gpfn = 0;
	HC2(__HYPERVISOR_memory_op, XENMEM_remove_from_physmap, &rm);
	return HC2(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, map);
}

static int loopback(void)
{
	struct xen_add_to_physmap map = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info,
		.gpfn = (uint64_t)(uintptr_t)shared_page >> 12,
	};
	struct evtchn_reset reset = {.dom = DOMID_SELF};
	struct evtchn_alloc_unbound alloc = {.dom = DOMID_SELF,
					     .remote_dom = DOMID_SELF};
	struct evtchn_bind_interdomain b = {.remote_dom = DOMID_SELF};
	struct evtchn_send send;
	int bad = 0;

	bad |= expect("evtchn-reset", evtchn(EVTCHNOP_reset, &reset), 0);
	bad |= expect("map-shared_info", map_shared_info(&map), 0);
	bad |= expect("alloc_unbound", evtchn(EVTCHNOP_alloc_unbound, &alloc),
		      0);
	b.remote_port = alloc.port;
	bad |= expect("bind_interdomain", evtchn(EVTCHNOP_bind_interdomain, &b),
		      0);
	if (bad)
		return bad;
	/* Clear the bit bind set, so that only the send can set it again. */
	((volatile uint64_t *)(shared_page +
			       SHARED_INFO_EVTCHN_PENDING))[alloc.port / 64] &=
		~(1ul << (alloc.port % 64));
	send.port = b.local_port;
	bad |= expect("send", evtchn(EVTCHNOP_send, &send), 0);
	bad |= expect("loopback-pending", pending(alloc.port), 1);
	return bad;
}

int fz_sanity(void)
{
	struct gnttab_query_size qs = {.dom = DOMID_SELF};
	uint16_t self = DOMID_SELF;
	int bad = 0;

	bad |= expect("xen_version",
		      HC2(__HYPERVISOR_xen_version, XENVER_version, 0),
		      (4 << 16) | 17);
	bad |= expect("pagesize",
		      HC2(__HYPERVISOR_xen_version, XENVER_pagesize, 0), 4096);
	bad |= expect(
		"query_size",
		HC3(__HYPERVISOR_grant_table_op, GNTTABOP_query_size, &qs, 1),
		0);
	bad |= expect("query_size-status", qs.status, GNTST_okay);
	bad |= expect("current_reservation-positive",
		      HC2(__HYPERVISOR_memory_op, XENMEM_current_reservation,
			  &self) > 0,
		      1);
	bad |= loopback();
	if (!bad)
		printf("fuzz: sanity pass: version, grant table, memory and "
		       "an event channel loopback answer as before\n");
	return bad;
}
