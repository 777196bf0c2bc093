// SPDX-License-Identifier: MIT
/*
 * What a DomU must not reach: the privileged interfaces (domctl, sysctl),
 * Dom0's memory (foreign physmap entries, its resources, its reservation),
 * Dom0's grants and frames, and event channels it does not own. Each
 * check expects Xen 4.17's answer to an unprivileged DomU. Dom0 skips
 * them: for it these are its own, allowed.
 */
#include "guest.h"
#include "xen.h"

#define DOM0 0

static long memop(unsigned long cmd, void *arg)
{
	return HC2(__HYPERVISOR_memory_op, cmd, arg);
}

static long evtchn(unsigned int cmd, void *arg)
{
	return HC2(__HYPERVISOR_event_channel_op, cmd, arg);
}

/*
 * A DomU is not told its ID but by xenstore: it is the one domain whose
 * reservation it may read by ID (others are -EPERM, or -ESRCH).
 */
uint16_t guest_domid(void)
{
	static uint16_t found = DOMID_SELF;

	for (uint16_t id = 0; found == DOMID_SELF && id < 256; id++) {
		uint16_t dom = id;

		if (memop(XENMEM_current_reservation, &dom) > 0)
			found = id;
	}
	if (found == DOMID_SELF)
		found = DOMID_INVALID;
	return found;
}

static void versioned_op(const char *name, unsigned long nr, uint32_t cmd,
			 uint32_t version)
{
	static struct xen_versioned_op op;

	memset(&op, 0, sizeof(op));
	op.cmd = cmd;
	op.interface_version = version;
	/* domctl's domain (the first field after the header): Dom0. */
	check_eq(name, HC1(nr, &op), -XEN_EPERM);
}

/*
 * The passthrough domctls from a DomU, on itself and on Dom0, with
 * arguments a toolstack would send (the PL061's frame and SPI, as
 * tests/guest/domu-passthrough.cfg): -EPERM, only the control domain may
 * hand out devices.
 */
static void passthrough_checks(uint16_t self)
{
	static const struct {
		const char *name;
		uint32_t cmd;
		uint64_t args[3];
	} ops[] = {
		{"iomem_permission",
		 XEN_DOMCTL_iomem_permission,
		 {0x9030, 1, 1}},
		{"irq_permission",
		 XEN_DOMCTL_irq_permission,
		 {39 | 1ULL << 32}},
		{"memory_mapping",
		 XEN_DOMCTL_memory_mapping,
		 {0x9030, 0x9030, 1}},
		{"bind_pt_irq", XEN_DOMCTL_bind_pt_irq, {39 | 4ULL << 32, 39}},
		{"unbind_pt_irq",
		 XEN_DOMCTL_unbind_pt_irq,
		 {39 | 4ULL << 32, 39}},
	};
	static struct xen_versioned_op op;
	char name[64];

	for (unsigned int i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		for (unsigned int dom0 = 0; dom0 < 2; dom0++) {
			uint16_t target = dom0 ? DOM0 : self;

			memset(&op, 0, sizeof(op));
			op.cmd = ops[i].cmd;
			op.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
			/* domain (u16, padded), then the union at offset 8. */
			memcpy(op.rest, &target, sizeof(target));
			memcpy(op.rest + 8, ops[i].args, sizeof(ops[i].args));
			snprintf(name, sizeof(name), "domctl-%s-%s",
				 ops[i].name, dom0 ? "dom0" : "self");
			check_eq(name, HC1(__HYPERVISOR_domctl, &op),
				 -XEN_EPERM);
		}
	}
}

static void privileged_checks(void)
{
	versioned_op("domctl-getdomaininfo-dom0", __HYPERVISOR_domctl,
		     XEN_DOMCTL_getdomaininfo, XEN_DOMCTL_INTERFACE_VERSION);
	versioned_op("sysctl-physinfo", __HYPERVISOR_sysctl,
		     XEN_SYSCTL_physinfo, XEN_SYSCTL_INTERFACE_VERSION);
}

static char map_here[4096] __attribute__((aligned(4096)));

static void physmap_checks(void)
{
	uint64_t idx = 0x40000, gpfn = (uintptr_t)map_here >> 12;
	int err = 0x5555;
	struct xen_add_to_physmap one = {.domid = DOMID_SELF,
					 .space = XENMAPSPACE_gmfn_foreign,
					 .idx = idx,
					 .gpfn = gpfn};
	struct xen_add_to_physmap_batch batch = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_gmfn_foreign,
		.size = 1,
		.foreign_domid = DOM0,
		.idxs = (uintptr_t)&idx,
		.gpfns = (uintptr_t)&gpfn,
		.errs = (uintptr_t)&err,
	};

	/* Foreign frames come through the batch op only. */
	check_eq("add_to_physmap-gmfn_foreign",
		 memop(XENMEM_add_to_physmap, &one), -XEN_ENOSYS);
	one.domid = DOM0;
	one.space = XENMAPSPACE_shared_info;
	check_eq("add_to_physmap-into-dom0", memop(XENMEM_add_to_physmap, &one),
		 -XEN_EPERM);
	check_eq("add_to_physmap_batch-foreign-dom0",
		 memop(XENMEM_add_to_physmap_batch, &batch), 0);
	check_eq("add_to_physmap_batch-foreign-dom0-err", err, -XEN_EPERM);
	batch.domid = DOM0;
	batch.space = XENMAPSPACE_shared_info;
	batch.foreign_domid = 0;
	check_eq("add_to_physmap_batch-into-dom0",
		 memop(XENMEM_add_to_physmap_batch, &batch), -XEN_EPERM);
}

static void resource_checks(void)
{
	uint64_t frames[1] = {0};
	struct xen_mem_acquire_resource r = {
		.domid = DOM0,
		.type = XENMEM_resource_grant_table,
		.nr_frames = 1,
		.frame_list = (uintptr_t)frames,
	};

	check_eq("acquire_resource-dom0-grant-table",
		 memop(XENMEM_acquire_resource, &r), -XEN_EPERM);
}

static void reservation_checks(void)
{
	uint64_t gfn = 0x40000; /* one of Dom0's: its RAM starts there too */
	uint16_t dom = DOM0;
	struct xen_memory_reservation r = {
		.extent_start = (uintptr_t)&gfn,
		.nr_extents = 1,
		.domid = DOM0,
	};

	/* A reservation op refused answers with the extents done: none. */
	check_eq("decrease_reservation-dom0",
		 memop(XENMEM_decrease_reservation, &r), 0);
	gfn = (uintptr_t)map_here >> 12;
	check_eq("populate_physmap-dom0", memop(XENMEM_populate_physmap, &r),
		 0);
	check_eq("increase_reservation-dom0",
		 memop(XENMEM_increase_reservation, &r), 0);
	check_eq("current_reservation-dom0",
		 memop(XENMEM_current_reservation, &dom), -XEN_EPERM);
}

static int16_t map_dom0(uint32_t ref)
{
	struct gnttab_map_grant_ref m = {
		.host_addr = (uintptr_t)map_here,
		.flags = GNTMAP_host_map,
		.ref = ref,
		.dom = DOM0,
		.status = 0x7777,
	};
	long rc =
		HC3(__HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, &m, 1);

	return rc ? (int16_t)rc : m.status;
}

static int16_t copy_from_dom0(uint64_t u, uint16_t flags)
{
	static char dst[64];
	struct gnttab_copy c = {
		.source = {.u = u, .domid = DOM0},
		.dest = {.u = (uintptr_t)dst >> 12,
			 .domid = DOMID_SELF,
			 .offset = (uintptr_t)dst & 4095},
		.len = sizeof(dst),
		.flags = flags,
		.status = 0x7777,
	};
	long rc = HC3(__HYPERVISOR_grant_table_op, GNTTABOP_copy, &c, 1);

	return rc ? (int16_t)rc : c.status;
}

static void grant_checks(void)
{
	/* Dom0 grants nothing to this DomU: any ref of its table is forged. */
	check_eq("map-dom0-ref-0", map_dom0(0), GNTST_general_error);
	check_eq("map-dom0-ref-9", map_dom0(9), GNTST_general_error);
	check_eq("map-dom0-ref-huge", map_dom0(0xfffffffu), GNTST_bad_gntref);
	check_eq("copy-dom0-gfn", copy_from_dom0(0x40000, 0),
		 GNTST_permission_denied);
	check_eq("copy-dom0-ref-9", copy_from_dom0(9, GNTCOPY_source_gref),
		 GNTST_general_error);
	check_eq("copy-dom0-ref-huge",
		 copy_from_dom0(0xfffffffu, GNTCOPY_source_gref),
		 GNTST_bad_gntref);
}

/*
 * Port 20: inside this DomU's first bucket but never allocated by it (it
 * has its console's, xenstore's and what the tests bound and closed),
 * while Dom0, with its per-vCPU VIRQs and IPIs, xenstore and the
 * toolstack's channels, has one bound there: a hypervisor that looked in
 * the wrong table would find it.
 */
static void free_port_checks(void)
{
	struct evtchn_status st = {
		.dom = DOMID_SELF, .port = 20, .status = 0xdead};

	check_eq("status-free-port-20", evtchn(EVTCHNOP_status, &st), 0);
	check_eq("status-free-port-20-state", st.status, EVTCHNSTAT_closed);
	check_eq("send-free-port-20",
		 evtchn(EVTCHNOP_send, &(struct evtchn_send){20}), -XEN_EINVAL);
	check_eq("close-free-port-20",
		 evtchn(EVTCHNOP_close, &(struct evtchn_close){20}),
		 -XEN_EINVAL);
}

static void evtchn_checks(void)
{
	struct evtchn_bind_interdomain b = {.remote_dom = DOM0,
					    .remote_port = 1};
	struct evtchn_alloc_unbound a = {.dom = DOM0, .remote_dom = DOMID_SELF};
	struct evtchn_status st = {.dom = DOM0, .port = 1};
	/* Past every port this DomU has: its table grows in buckets, and
	 * these name ports of the caller's table only, whoever else has a
	 * port 200. */
	uint32_t port = 200;

	check_eq("bind_interdomain-dom0-port-1",
		 evtchn(EVTCHNOP_bind_interdomain, &b), -XEN_EINVAL);
	check_eq("alloc_unbound-in-dom0", evtchn(EVTCHNOP_alloc_unbound, &a),
		 -XEN_EPERM);
	check_eq("status-dom0-port-1", evtchn(EVTCHNOP_status, &st),
		 -XEN_EPERM);
	check_eq("send-unowned-port",
		 evtchn(EVTCHNOP_send, &(struct evtchn_send){port}),
		 -XEN_EINVAL);
	check_eq("close-unowned-port",
		 evtchn(EVTCHNOP_close, &(struct evtchn_close){port}),
		 -XEN_EINVAL);
	check_eq("unmask-unowned-port",
		 evtchn(EVTCHNOP_unmask, &(struct evtchn_unmask){port}),
		 -XEN_EINVAL);
	st.dom = DOMID_SELF;
	st.port = port;
	check_eq("status-unowned-port", evtchn(EVTCHNOP_status, &st),
		 -XEN_EINVAL);
	check_eq("reset-dom0",
		 evtchn(EVTCHNOP_reset, &(struct evtchn_reset){DOM0}),
		 -XEN_EPERM);
	free_port_checks();
}

/* Where xl put us: libxenguest loads an arm64 Image at the DomU's RAM
 * base plus text_offset (0 here), GUEST_RAM0 at 0x40000000. */
extern char _start[]; /* head.S: the Image's first byte */

static void layout_checks(void)
{
	check_eq("image-at-guest-ram0-base", (long)(uintptr_t)_start,
		 0x40000000l);
}

void test_isolation(void)
{
	if (!guest_is_domu) {
		skip("all", "a DomU's checks: Dom0 may do all of this");
		return;
	}
	uint16_t self = guest_domid();

	layout_checks();
	check_true("own-domid", self != DOMID_INVALID && self != DOM0,
		   "no domain ID found but Dom0's");
	privileged_checks();
	passthrough_checks(self);
	physmap_checks();
	resource_checks();
	reservation_checks();
	grant_checks();
	evtchn_checks();
}
