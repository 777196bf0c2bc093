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

#define EVTCHNSTAT_interdomain 2
static int expect(const char *what, long got, long want)
{
	if (got == want)
		return 0;
	printf("fuzz: sanity %s: got %ld, want %ld\n", what, got, want);
	return 1;
}

static struct xen_versioned_op op;
static char info[1024]; /* one xen_domctl_getdomaininfo, and room */
static uint64_t free_before;

#define SYSCTL_tbuf_op		 2
#define SYSCTL_physinfo		 3
#define SYSCTL_getdomaininfolist 6
#define DOMCTL_createdomain	 1
#define DOMCTL_destroydomain	 2
#define DOMCTL_max_vcpus	 15
#define PHYSINFO_FREE_PAGES	 (8 + 48) /* in struct xen_sysctl */

static void put(void *base, size_t off, const void *v, size_t size)
{
	memcpy((char *)base + off, v, size);
}

static long versioned(unsigned long nr, uint32_t cmd, uint32_t version)
{
	op.cmd = cmd;
	op.interface_version = version;
	return HC1(nr, &op);
}

static uint64_t free_pages(void)
{
	uint64_t pages = 0;

	memset(&op, 0, sizeof(op));
	if (versioned(__HYPERVISOR_sysctl, SYSCTL_physinfo,
		      XEN_SYSCTL_INTERFACE_VERSION))
		return 0;
	memcpy(&pages, (char *)&op + PHYSINFO_FREE_PAGES, sizeof(pages));
	return pages;
}

/*
 * Trace buffers are made once for the host's life (XEN_SYSCTL_tbuf_op
 * set_size) and never freed: made by an operation of the run, they would
 * read as memory the run lost. So they are made here, small, before the
 * count; every set_size of the run then fails (-EINVAL or -EBUSY) and
 * allocates nothing. Not on Xen (xen_quirks: no tbuf_op at all).
 */
static void size_trace_buffers(void)
{
	uint32_t tbuf_cmd = 3 /* set_size */, pages = 1;

	memset(&op, 0, sizeof(op));
	put(op.rest, 0, &tbuf_cmd, 4);
	put(op.rest, 40, &pages, 4);
	versioned(__HYPERVISOR_sysctl, SYSCTL_tbuf_op,
		  XEN_SYSCTL_INTERFACE_VERSION);
}

void fz_sanity_begin(void)
{
	if (!fz.xen_quirks)
		size_trace_buffers();
	free_before = free_pages();
}

/* The first domain from @first on, 0 when none is left. */
static uint16_t next_domain(uint16_t first)
{
	uint32_t one = 1, got = 0;
	uint64_t buf = (uintptr_t)info;
	uint16_t domid;

	memset(&op, 0, sizeof(op));
	put(op.rest, 0, &first, 2);
	put(op.rest, 4, &one, 4);
	put(op.rest, 8, &buf, 8);
	if (versioned(__HYPERVISOR_sysctl, SYSCTL_getdomaininfolist,
		      XEN_SYSCTL_INTERFACE_VERSION) < 0)
		return 0;
	memcpy(&got, op.rest + 16, 4);
	memcpy(&domid, info, 2);
	return got ? domid : 0;
}

static long domctl(uint32_t cmd, uint16_t domid)
{
	put(op.rest, 0, &domid, 2);
	return versioned(__HYPERVISOR_domctl, cmd,
			 XEN_DOMCTL_INTERFACE_VERSION);
}

/* What the domains the run left were doing: created domains that run
 * (unpaused, with vCPUs given garbage contexts) compete with the fuzzer
 * for the pCPUs, and a starved fuzzer is silent. getdomaininfo's flags
 * (4), cpu_time (56), nr_online_vcpus (64). */
#define DOMINF_shutdown (1u << 2)
#define DOMINF_paused	(1u << 3)
static struct {
	unsigned int running, vcpus;
	uint64_t cpu_ns;
} left;

static void note_domain(void)
{
	uint32_t flags, online;
	uint64_t cpu;

	memcpy(&flags, info + 4, 4);
	memcpy(&cpu, info + 56, 8);
	memcpy(&online, info + 64, 4);
	left.cpu_ns += cpu;
	if ((flags & (DOMINF_shutdown | DOMINF_paused)) || !online)
		return;
	left.running++;
	left.vcpus += online;
}

/* Every domain the run created goes; then a fresh one comes and goes.
 * A DomU can do neither: its Dom0 checks the same once it is gone
 * (tests/system/guest_domu.py). */
static int domains(void)
{
	uint16_t d = 1, created;
	uint32_t v;
	int bad = 0, n = 0;

	if (guest_is_domu) {
		printf("fuzz: sanity: a DomU; Dom0 creates the next domain\n");
		return 0;
	}

	while ((d = next_domain(d)) != 0) {
		note_domain();
		memset(&op, 0, sizeof(op));
		if (domctl(DOMCTL_destroydomain, d) && n < 4)
			printf("fuzz: sanity: destroydomain d%u refused\n", d);
		n++;
		d++;
	}
	printf("fuzz: sanity: %d domain(s) the run left destroyed; %u of them "
	       "unpaused with %u vCPUs online, %lu ms of CPU time between "
	       "them\n",
	       n, left.running, left.vcpus,
	       (unsigned long)(left.cpu_ns / 1000000));
	memset(&op, 0, sizeof(op));
	v = 3; /* hvm | hap */
	put(op.rest, 8 + 20, &v, 4);
	v = 1; /* max_vcpus, grant version 1, max_grant_frames */
	put(op.rest, 8 + 28, &v, 4);
	put(op.rest, 8 + 36, &v, 4);
	put(op.rest, 8 + 44, &v, 4);
	v = 1023; /* max_evtchn_port */
	put(op.rest, 8 + 32, &v, 4);
	bad |= expect("createdomain", domctl(DOMCTL_createdomain, 0), 0);
	memcpy(&created, op.rest, 2);
	if (bad)
		return bad;
	memset(&op, 0, sizeof(op));
	v = 1;
	put(op.rest, 8, &v, 4);
	bad |= expect("max_vcpus", domctl(DOMCTL_max_vcpus, created), 0);
	memset(&op, 0, sizeof(op));
	bad |= expect("destroydomain", domctl(DOMCTL_destroydomain, created),
		      0);
	printf("fuzz: sanity: free pages %lu before the run, %lu after\n",
	       (unsigned long)free_before, (unsigned long)free_pages());
	return bad;
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

	struct evtchn_status st = {.dom = DOMID_SELF};
	long mapped;

	/* A DomU keeps its channels: a reset would close its console's. */
	if (!guest_is_domu)
		bad |= expect("evtchn-reset", evtchn(EVTCHNOP_reset, &reset),
			      0);
	mapped = map_shared_info(&map);
	bad |= expect("alloc_unbound", evtchn(EVTCHNOP_alloc_unbound, &alloc),
		      0);
	b.remote_port = alloc.port;
	bad |= expect("bind_interdomain", evtchn(EVTCHNOP_bind_interdomain, &b),
		      0);
	if (bad)
		return bad;
	/* shared_info is still mapped at a GFN the fuzzer lost track of (a
	 * garbage structure named it): the channel is checked through
	 * EVTCHNOP_status instead of its pending bit. */
	if (mapped == -XEN_EBUSY) {
		printf("fuzz: sanity: shared_info mapped where the run left it "
		       "(-EBUSY); the loopback is checked by its status\n");
		st.port = alloc.port;
		send.port = b.local_port;
		bad |= expect("send", evtchn(EVTCHNOP_send, &send), 0);
		bad |= expect("status", evtchn(EVTCHNOP_status, &st), 0);
		return bad | expect("status-interdomain", st.status,
				    EVTCHNSTAT_interdomain);
	}
	bad |= expect("map-shared_info", mapped, 0);
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
	bad |= domains();
	if (!bad)
		printf("fuzz: sanity pass: version, grant table, memory, an "
		       "event channel loopback and a fresh domain work\n");
	return bad;
}
