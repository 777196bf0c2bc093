// SPDX-License-Identifier: MIT
/* grant_table_op: query_size and setup_table with counts and domains a
 * guest should not pass. */
#include "guest.h"
#include "xen.h"

/* Where a mapping would go: never reached, every map here fails. */
static char map_target[4096] __attribute__((aligned(4096)));

static int16_t map_status(uint16_t dom, uint32_t ref, uint32_t flags)
{
	struct gnttab_map_grant_ref m = {
		.host_addr = (uint64_t)(uintptr_t)map_target,
		.flags = flags,
		.ref = ref,
		.dom = dom,
		.status = 0x7777,
	};
	long rc =
		HC3(__HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, &m, 1);

	return rc ? (int16_t)0x6666 : m.status;
}

/* Map requests naming bad domains, flags and grant refs: each fails in
 * its status, the call itself returns 0. Dom0 is domain 0. */
static void map_checks(uint32_t nr_frames)
{
	uint32_t entries = nr_frames * GNTTAB_V1_PER_FRAME;
	struct gnttab_unmap_grant_ref u = {.handle = 0xffffffu};

	check_eq("map-flags-0", map_status(0, 0, 0), GNTST_bad_gntref);
	check_eq("map-dom-self", map_status(DOMID_SELF, 8, GNTMAP_host_map),
		 GNTST_bad_domain);
	check_eq("map-dom-invalid",
		 map_status(DOMID_INVALID, 8, GNTMAP_host_map),
		 GNTST_bad_domain);
	check_eq("map-dom-absent", map_status(ABSENT_DOMID, 8, GNTMAP_host_map),
		 GNTST_bad_domain);
	check_eq("map-ref-last-not-granted",
		 map_status(0, entries - 1, GNTMAP_host_map),
		 GNTST_general_error);
	check_eq("map-ref-one-past", map_status(0, entries, GNTMAP_host_map),
		 GNTST_bad_gntref);
	check_eq("map-ref-huge", map_status(0, 0xffffffffu, GNTMAP_host_map),
		 GNTST_bad_gntref);
	check_eq("unmap-handle-huge",
		 HC3(__HYPERVISOR_grant_table_op, GNTTABOP_unmap_grant_ref, &u,
		     1),
		 0);
	check_eq("unmap-handle-huge-status", u.status, GNTST_bad_handle);
}

static long gnttab(unsigned int cmd, void *arg, unsigned long count)
{
	return HC3(__HYPERVISOR_grant_table_op, cmd, arg, count);
}

void test_gnttab(void)
{
	struct gnttab_query_size qs = {.dom = DOMID_SELF};
	struct gnttab_setup_table st = {.dom = DOMID_SELF};
	uint64_t frames[4];

	check_eq("query_size", gnttab(GNTTABOP_query_size, &qs, 1), 0);
	check_eq("query_size-status", qs.status, GNTST_okay);
	check_true("query_size-frames", qs.nr_frames <= qs.max_nr_frames, "");
	map_checks(qs.nr_frames);
	check_eq("query_size-count-0", gnttab(GNTTABOP_query_size, &qs, 0),
		 -XEN_EINVAL);
	check_eq("query_size-count-2", gnttab(GNTTABOP_query_size, &qs, 2),
		 -XEN_EINVAL);
	check_eq("query_size-count-huge",
		 gnttab(GNTTABOP_query_size, &qs, 0x7fffffff), -XEN_EINVAL);
	check_eq("query_size-count-negative",
		 gnttab(GNTTABOP_query_size, &qs, 0xffffffffu), -XEN_EINVAL);
	qs.dom = DOMID_INVALID;
	check_eq("query_size-dom-invalid", gnttab(GNTTABOP_query_size, &qs, 1),
		 0);
	check_eq("query_size-dom-invalid-status", qs.status, GNTST_bad_domain);
	check_eq("query_size-null", gnttab(GNTTABOP_query_size, 0, 1),
		 -XEN_EFAULT);

	st.nr_frames = 1;
	st.frame_list = (uint64_t)(uintptr_t)frames;
	check_eq("setup_table", gnttab(GNTTABOP_setup_table, &st, 1), 0);
	check_eq("setup_table-status", st.status, GNTST_okay);
	st.nr_frames = 0xffffffffu;
	check_eq("setup_table-frames-huge",
		 gnttab(GNTTABOP_setup_table, &st, 1), 0);
	check_eq("setup_table-frames-huge-status", st.status,
		 GNTST_general_error);
	st.nr_frames = 1;
	check_eq("setup_table-count-huge",
		 gnttab(GNTTABOP_setup_table, &st, 0x7fffffff), -XEN_EINVAL);
	st.dom = DOMID_INVALID;
	check_eq("setup_table-dom-invalid",
		 gnttab(GNTTABOP_setup_table, &st, 1), 0);
	check_eq("setup_table-dom-invalid-status", st.status, GNTST_bad_domain);
	check_eq("map_grant_ref-null", gnttab(GNTTABOP_map_grant_ref, 0, 1),
		 -XEN_EFAULT);
	check_eq("unknown-cmd", gnttab(99, &qs, 1), -XEN_ENOSYS);
}
