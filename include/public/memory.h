/* SPDX-License-Identifier: MIT */
/*
 * memory_op (Xen 4.17 xen/include/public/memory.h): the sub-ops Orchid
 * handles or names, and their argument structures, written for Orchid
 * from the ABI's facts. Layouts are the arm64 ones and are checked below.
 */
#ifndef XEN_PUBLIC_MEMORY_H
#define XEN_PUBLIC_MEMORY_H

#include <public/xen.h>

#define XENMEM_increase_reservation	  0
#define XENMEM_decrease_reservation	  1
#define XENMEM_maximum_ram_page		  2
#define XENMEM_current_reservation	  3
#define XENMEM_maximum_reservation	  4
#define XENMEM_machphys_mfn_list	  5
#define XENMEM_populate_physmap		  6
#define XENMEM_add_to_physmap		  7
#define XENMEM_memory_map		  9
#define XENMEM_machine_memory_map	  10
#define XENMEM_exchange			  11
#define XENMEM_machphys_mapping		  12
#define XENMEM_set_memory_map		  13
#define XENMEM_maximum_gpfn		  14
#define XENMEM_remove_from_physmap	  15
#define XENMEM_set_pod_target		  16
#define XENMEM_get_pod_target		  17
#define XENMEM_get_sharing_freed_pages	  18
#define XENMEM_get_sharing_shared_pages	  19
#define XENMEM_paging_op		  20
#define XENMEM_access_op		  21
#define XENMEM_sharing_op		  22
#define XENMEM_add_to_physmap_batch	  23
#define XENMEM_claim_pages		  24
#define XENMEM_machphys_compat_mfn_list	  25
#define XENMEM_get_vnumainfo		  26
#define XENMEM_reserved_device_memory_map 27
#define XENMEM_acquire_resource		  28

/*
 * The sub-op lives in the low bits of cmd; the rest is the extent to
 * start from (a continuation's progress).
 */
#define MEMOP_EXTENT_SHIFT 6
#define MEMOP_CMD_MASK	   ((1U << MEMOP_EXTENT_SHIFT) - 1)

/* xen_memory_reservation.mem_flags */
#define XENMEMF_address_bits(x)	    (x)
#define XENMEMF_get_address_bits(x) ((x)&0xffU)
#define XENMEMF_node(x)		    (((x) + 1) << 8)
#define XENMEMF_get_node(x)	    ((((x) >> 8) - 1) & 0xffU)
#define XENMEMF_populate_on_demand  (1U << 16)
#define XENMEMF_exact_node_request  (1U << 17)
#define XENMEMF_exact_node(n)	    (XENMEMF_node(n) | XENMEMF_exact_node_request)
#define XENMEMF_vnode		    (1U << 18)

/*
 * increase_reservation, decrease_reservation, populate_physmap,
 * claim_pages. extent_start: GPFNs to populate or free (nothing is
 * written back for an auto-translated guest); must be NULL for a claim.
 */
struct xen_memory_reservation {
	XEN_GUEST_HANDLE(xen_pfn_t) extent_start;
	xen_ulong_t nr_extents;
	unsigned int extent_order; /* each extent is 2^order pages */
	unsigned int mem_flags;	   /* XENMEMF_* */
	domid_t domid;
};

/* current_reservation, maximum_reservation, maximum_gpfn */
struct xen_memory_domain {
	domid_t domid;
};

#define XENMAPSPACE_shared_info	     0
#define XENMAPSPACE_grant_table	     1
#define XENMAPSPACE_gmfn	     2
#define XENMAPSPACE_gmfn_range	     3
#define XENMAPSPACE_gmfn_foreign     4 /* add_to_physmap_batch only */
#define XENMAPSPACE_dev_mmio	     5
#define XENMAPIDX_grant_table_status 0x80000000U

struct xen_add_to_physmap {
	domid_t domid;
	uint16_t size; /* gmfn_range */
	unsigned int space;
	xen_ulong_t idx;
	xen_pfn_t gpfn;
};

struct xen_add_to_physmap_batch {
	domid_t domid;
	uint16_t space;
	uint16_t size;
	union {
		domid_t foreign_domid; /* gmfn_foreign */
		uint16_t res0;	       /* every other space: 0 */
	} u;
	XEN_GUEST_HANDLE(xen_ulong_t) idxs;
	XEN_GUEST_HANDLE(xen_pfn_t) gpfns;
	XEN_GUEST_HANDLE(int) errs; /* OUT: one result per entry */
};

struct xen_remove_from_physmap {
	domid_t domid;
	xen_pfn_t gpfn;
};

struct xen_mem_acquire_resource {
	domid_t domid;
	uint16_t type;
	uint32_t id;
	uint32_t nr_frames; /* IN; OUT: the resource's size (query) */
	uint32_t pad;
	uint64_t frame;
	/* IN: the caller's GFNs to map the frames at; NULL: a size query */
	XEN_GUEST_HANDLE(xen_pfn_t) frame_list;
};
#define XENMEM_resource_ioreq_server	      0
#define XENMEM_resource_grant_table	      1
#define XENMEM_resource_vmtrace_buf	      2
#define XENMEM_resource_grant_table_id_shared 0
#define XENMEM_resource_grant_table_id_status 1

struct xen_vnuma_topology_info {
	domid_t domid;
	uint16_t pad;
	unsigned int nr_vnodes;
	unsigned int nr_vcpus;
	unsigned int nr_vmemranges;
	XEN_GUEST_HANDLE(uint) vdistance;
	XEN_GUEST_HANDLE(uint) vcpu_to_vnode;
	XEN_GUEST_HANDLE(xen_vmemrange_t) vmemrange;
};

_Static_assert(sizeof(struct xen_memory_reservation) == 32, "layout");
_Static_assert(offsetof(struct xen_memory_reservation, domid) == 24, "layout");
_Static_assert(sizeof(struct xen_add_to_physmap) == 24, "layout");
_Static_assert(sizeof(struct xen_add_to_physmap_batch) == 32, "layout");
_Static_assert(offsetof(struct xen_add_to_physmap_batch, idxs) == 8, "layout");
_Static_assert(sizeof(struct xen_remove_from_physmap) == 16, "layout");
_Static_assert(sizeof(struct xen_mem_acquire_resource) == 32, "layout");
_Static_assert(offsetof(struct xen_mem_acquire_resource, nr_frames) == 8,
	       "layout");
_Static_assert(offsetof(struct xen_mem_acquire_resource, frame_list) == 24,
	       "layout");
_Static_assert(sizeof(struct xen_vnuma_topology_info) == 40, "layout");

#endif /* XEN_PUBLIC_MEMORY_H */
