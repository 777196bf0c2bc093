// SPDX-License-Identifier: MIT
/*
 * The grant-table version ops and cache_flush: Xen 4.17 on Arm offers
 * version 1 only, so asking for 2 or more is refused and v2's status
 * frames do not exist (asking for one is an error in the status: Xen
 * answers the op for v1 too); cache_flush refuses NULL and unknown
 * operations.
 */
#include "guest.h"
#include "xen.h"

static long gnttab(unsigned int cmd, void *arg, unsigned long count)
{
	return HC3(__HYPERVISOR_grant_table_op, cmd, arg, count);
}

void test_gnttab_version(void)
{
	struct gnttab_get_version gv = {.dom = DOMID_SELF};
	struct gnttab_set_version sv = {.version = 2};
	struct gnttab_get_status_frames gs = {.nr_frames = 1,
					      .dom = DOMID_SELF};
	struct gnttab_cache_flush cf = {.op = 0x80};

	check_eq("get_version", gnttab(GNTTABOP_get_version, &gv, 1), 0);
	check_eq("get_version-is-1", gv.version, 1);
	gv.dom = DOMID_INVALID;
	check_eq("get_version-dom-invalid",
		 gnttab(GNTTABOP_get_version, &gv, 1), -XEN_ESRCH);
	/* Xen reads one op whatever the count. */
	gv.dom = DOMID_SELF;
	check_eq("get_version-count-2", gnttab(GNTTABOP_get_version, &gv, 2),
		 0);
	/* A v1-only table: "behave as before set_version was introduced". */
	check_eq("set_version-2", gnttab(GNTTABOP_set_version, &sv, 1),
		 -XEN_ENOSYS);
	sv.version = 0xffffffffu;
	check_eq("set_version-huge", gnttab(GNTTABOP_set_version, &sv, 1),
		 -XEN_EINVAL);
	sv.version = 1;
	check_eq("set_version-1", gnttab(GNTTABOP_set_version, &sv, 1), 0);
	check_eq("get_status_frames-v1",
		 gnttab(GNTTABOP_get_status_frames, &gs, 1), 0);
	check_eq("get_status_frames-v1-status", gs.status, GNTST_general_error);
	check_eq("cache_flush-null", gnttab(GNTTABOP_cache_flush, 0, 1),
		 -XEN_EFAULT);
	check_eq("cache_flush-unknown-op", gnttab(GNTTABOP_cache_flush, &cf, 1),
		 -XEN_EINVAL);
}
