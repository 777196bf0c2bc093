/* SPDX-License-Identifier: MIT */
/*
 * The few Xen 4.17 ABI facts the test guests use, written here again on
 * purpose rather than taken from include/public/: a mistake in Orchid's
 * headers must not be repeated by the tests that check it.
 */
#ifndef GUEST_XEN_H
#define GUEST_XEN_H

#include <stdint.h>

#define __HYPERVISOR_platform_op      7
#define __HYPERVISOR_memory_op	      12
#define __HYPERVISOR_multicall	      13
#define __HYPERVISOR_xen_version      17
#define __HYPERVISOR_console_io	      18
#define __HYPERVISOR_grant_table_op   20
#define __HYPERVISOR_vm_assist	      21
#define __HYPERVISOR_vcpu_op	      24
#define __HYPERVISOR_xsm_op	      27
#define __HYPERVISOR_sched_op	      29
#define __HYPERVISOR_event_channel_op 32
#define __HYPERVISOR_physdev_op	      33
#define __HYPERVISOR_hvm_op	      34
#define __HYPERVISOR_sysctl	      35
#define __HYPERVISOR_domctl	      36

/* Xen's errno values (xen/include/public/errno.h). */
#define XEN_EPERM      1
#define XEN_ENOENT     2
#define XEN_ESRCH      3
#define XEN_ENXIO      6
#define XEN_E2BIG      7
#define XEN_ENOMEM     12
#define XEN_EFAULT     14
#define XEN_EBUSY      16
#define XEN_EEXIST     17
#define XEN_EACCES     13
#define XEN_EINVAL     22
#define XEN_ENOSYS     38
#define XEN_EOPNOTSUPP 95
#define XEN_ENOSPC     28
#define XEN_EDOM       33
#define XEN_ENOBUFS    105

#define DOMID_SELF    0x7ff0u
#define DOMID_IO      0x7ff1u
#define DOMID_INVALID 0x7ff4u

#define XENVER_version		   0
#define XENVER_extraversion	   1
#define XENVER_compile_info	   2
#define XENVER_capabilities	   3
#define XENVER_changeset	   4
#define XENVER_platform_parameters 5
#define XENVER_get_features	   6
#define XENVER_pagesize		   7
#define XENVER_guest_handle	   8
#define XENVER_commandline	   9

struct xen_feature_info {
	uint32_t submap_idx;
	uint32_t submap;
};

#define CONSOLEIO_write 0
#define CONSOLEIO_read	1

#define EVTCHNOP_close		  3
#define EVTCHNOP_send		  4
#define EVTCHNOP_status		  5
#define EVTCHNOP_alloc_unbound	  6
#define EVTCHNOP_bind_interdomain 0
#define EVTCHNOP_bind_virq	  1
#define EVTCHNOP_bind_ipi	  7
#define EVTCHNOP_bind_vcpu	  8
#define EVTCHNOP_unmask		  9
#define EVTCHNOP_reset		  10
#define EVTCHNOP_init_control	  11
#define EVTCHNOP_expand_array	  12
#define EVTCHNOP_set_priority	  13

#define EVTCHNSTAT_closed      0
#define EVTCHNSTAT_unbound     1
#define EVTCHNSTAT_interdomain 2
#define EVTCHNSTAT_virq	       4
#define EVTCHNSTAT_ipi	       5

/* 2-level event channels on a 64-bit guest: 64 * 64 ports. */
#define EVTCHN_2L_NR_PORTS 4096u

struct evtchn_alloc_unbound {
	uint16_t dom, remote_dom;
	uint32_t port;
};
struct evtchn_send {
	uint32_t port;
};
struct evtchn_close {
	uint32_t port;
};
struct evtchn_bind_virq {
	uint32_t virq, vcpu, port;
};
struct evtchn_bind_interdomain {
	uint16_t remote_dom;
	uint32_t remote_port;
	uint32_t local_port;
};
struct evtchn_bind_ipi {
	uint32_t vcpu, port;
};
struct evtchn_bind_vcpu {
	uint32_t port, vcpu;
};
struct evtchn_unmask {
	uint32_t port;
};
struct evtchn_reset {
	uint16_t dom;
};
/* The FIFO ABI: a 72-byte control block per vCPU, 17-bit links. */
#define EVTCHN_FIFO_CONTROL_SIZE 72u
#define EVTCHN_FIFO_LINK_BITS	 17
struct evtchn_init_control {
	uint64_t control_gfn;
	uint32_t offset, vcpu;
	uint8_t link_bits, _pad[7];
};
struct evtchn_expand_array {
	uint64_t array_gfn;
};
struct evtchn_set_priority {
	uint32_t port, priority;
};
struct evtchn_status {
	uint16_t dom;
	uint32_t port;
	uint32_t status;
	uint32_t vcpu;
	union {
		struct {
			uint16_t dom;
		} unbound;
		struct {
			uint16_t dom;
			uint32_t port;
		} interdomain;
		uint32_t pirq;
		uint32_t virq;
	} u;
};

#define GNTTABOP_map_grant_ref	   0
#define GNTTABOP_unmap_grant_ref   1
#define GNTTABOP_setup_table	   2
#define GNTTABOP_copy		   5
#define GNTTABOP_query_size	   6
#define GNTTABOP_set_version	   8
#define GNTTABOP_get_status_frames 9
#define GNTTABOP_get_version	   10
#define GNTTABOP_cache_flush	   12

struct gnttab_set_version {
	uint32_t version;
};
struct gnttab_get_version {
	uint16_t dom;
	uint16_t pad;
	uint32_t version;
};
struct gnttab_get_status_frames {
	uint32_t nr_frames;
	uint16_t dom;
	int16_t status;
	uint64_t frame_list;
};
struct gnttab_cache_flush {
	uint64_t a; /* a GFN-relative address, or a grant ref */
	uint16_t offset;
	uint16_t length;
	uint32_t op;
};

#define GNTST_okay	    0
#define GNTST_general_error (-1)
#define GNTST_bad_domain    (-2)
#define GNTST_bad_gntref    (-3)
#define GNTST_bad_handle    (-4)

#define GNTST_permission_denied (-8)
#define GNTST_bad_page		(-9)
#define GNTST_bad_copy_arg	(-10)

/* Grant table v1 entries; the first 8 refs are the toolstack's. */
struct grant_entry_v1 {
	uint16_t flags;
	uint16_t domid;
	uint32_t frame;
};
#define GTF_permit_access   1u
#define GNTTAB_NR_RESERVED  8u
#define GNTMAP_host_map	    (1u << 1)
#define GNTCOPY_source_gref (1u << 0)

struct gnttab_copy_ptr {
	uint64_t u; /* a grant ref, or a GFN */
	uint16_t domid;
	uint16_t offset;
};
struct gnttab_copy {
	struct gnttab_copy_ptr source, dest;
	uint16_t len;
	uint16_t flags;
	int16_t status;
};
/* Grant table v1: 8-byte entries, 512 to a 4 KiB frame. */
#define GNTTAB_V1_PER_FRAME 512u

struct gnttab_map_grant_ref {
	uint64_t host_addr;
	uint32_t flags;
	uint32_t ref;
	uint16_t dom;
	int16_t status;
	uint32_t handle;
	uint64_t dev_bus_addr;
};
struct gnttab_unmap_grant_ref {
	uint64_t host_addr;
	uint64_t dev_bus_addr;
	uint32_t handle;
	int16_t status;
};

struct gnttab_query_size {
	uint16_t dom;
	uint32_t nr_frames;
	uint32_t max_nr_frames;
	int16_t status;
};
struct gnttab_setup_table {
	uint16_t dom;
	uint32_t nr_frames;
	int16_t status;
	uint64_t frame_list; /* XEN_GUEST_HANDLE(xen_pfn_t): 64-bit on Arm */
};

#define XENMEM_increase_reservation 0
#define XENMEM_populate_physmap	    6
#define XENMEM_decrease_reservation 1
#define XENMEM_current_reservation  3
#define XENMEM_add_to_physmap	    7
#define XENMAPSPACE_shared_info	    0
#define XENMAPSPACE_grant_table	    1
#define XENMEM_remove_from_physmap  15

struct xen_remove_from_physmap {
	uint16_t domid;
	uint64_t gpfn;
};

struct xen_add_to_physmap {
	uint16_t domid;
	uint16_t size;
	uint32_t space;
	uint64_t idx;
	uint64_t gpfn;
};

#define XENMEM_add_to_physmap_batch 23
#define XENMEM_acquire_resource	    28
#define XENMAPSPACE_gmfn_foreign    4

struct xen_add_to_physmap_batch {
	uint16_t domid;
	uint16_t space;
	uint16_t size;
	uint16_t foreign_domid;
	uint64_t idxs;	/* XEN_GUEST_HANDLE(xen_ulong_t) */
	uint64_t gpfns; /* XEN_GUEST_HANDLE(xen_pfn_t) */
	uint64_t errs;	/* XEN_GUEST_HANDLE(int) */
};

#define XENMEM_resource_grant_table 1
struct xen_mem_acquire_resource {
	uint16_t domid;
	uint16_t type;
	uint32_t id;
	uint32_t nr_frames;
	uint32_t flags;
	uint64_t frame;
	uint64_t frame_list; /* XEN_GUEST_HANDLE(xen_pfn_t) */
};

struct xen_memory_reservation {
	uint64_t extent_start; /* XEN_GUEST_HANDLE(xen_pfn_t) */
	uint64_t nr_extents;
	uint32_t extent_order;
	uint32_t mem_flags;
	uint16_t domid;
};

#define VCPUOP_is_up			     3
#define VCPUOP_register_runstate_memory_area 5
#define VCPUOP_register_vcpu_info	     10

struct vcpu_register_vcpu_info {
	uint64_t mfn;
	uint32_t offset;
	uint32_t rsvd;
};

#define SCHEDOP_yield	 0
#define SCHEDOP_shutdown 2
#define SCHEDOP_poll	 3

struct sched_poll {
	uint64_t ports; /* XEN_GUEST_HANDLE(evtchn_port_t) */
	uint32_t nr_ports;
	uint64_t timeout;
};
#define SHUTDOWN_poweroff 0

struct multicall_entry {
	uint64_t op;
	int64_t result;
	uint64_t args[6];
};

#define VMASST_CMD_enable		 0
#define VMASST_TYPE_runstate_update_flag 5

#define HVMOP_set_param	       0
#define HVMOP_get_param	       1
#define HVM_PARAM_STORE_PFN    1
#define HVM_PARAM_STORE_EVTCHN 2
struct xen_hvm_param {
	uint16_t domid;
	uint32_t index;
	uint64_t value;
};

/* The three "versioned" interfaces: cmd, interface_version, then data. */
#define XENPF_INTERFACE_VERSION	      0x03000001u
#define XEN_DOMCTL_INTERFACE_VERSION  0x15u
#define XEN_SYSCTL_INTERFACE_VERSION  0x15u
#define XEN_DOMCTL_getdomaininfo      5
#define XEN_DOMCTL_iomem_permission   20
#define XEN_DOMCTL_irq_permission     19
#define XEN_DOMCTL_assign_device      37
#define XEN_DOMCTL_bind_pt_irq	      38
#define XEN_DOMCTL_memory_mapping     39
#define XEN_DOMCTL_test_assign_device 45
#define XEN_DOMCTL_deassign_device    47
#define XEN_DOMCTL_DEV_DT	      1
#define XEN_DOMCTL_unbind_pt_irq      48
#define XEN_SYSCTL_physinfo	      3
#define XEN_SYSCTL_debug_keys	      7
#define XEN_SYSCTL_set_parameter      28 /* gone in Xen 4.17: -ENOSYS */

/* XEN_SYSCTL_set_parameter's argument, at the union (offset 8). */
struct xen_sysctl_set_parameter_op {
	uint32_t cmd;
	uint32_t interface_version;
	uint64_t params;
	uint16_t size;
	uint16_t pad[3];
	uint8_t rest[112];
};

/* hypfs_op (xen/include/public/hypfs.h). */
#define __HYPERVISOR_hypfs_op	    42
#define XEN_HYPFS_OP_get_version    0
#define XEN_HYPFS_OP_read	    1
#define XEN_HYPFS_OP_write_contents 2
#define XEN_HYPFS_TYPE_DIR	    0
#define XEN_HYPFS_TYPE_STRING	    2
#define XEN_HYPFS_TYPE_UINT	    3

struct xen_hypfs_direntry {
	uint8_t type;
	uint8_t encoding;
	uint16_t pad;
	uint32_t content_len;
	uint32_t max_write_len;
};
struct xen_versioned_op {
	uint32_t cmd;
	uint32_t interface_version;
	uint8_t rest[504]; /* more than any of the three structures */
};

/* shared_info on Arm: one legacy vcpu_info (XEN_LEGACY_MAX_VCPUS is 1;
 * 48 bytes, Arm's arch_vcpu_info being empty), then the 2-level pending
 * and mask words. */
#define SHARED_INFO_EVTCHN_PENDING 48
#define SHARED_INFO_EVTCHN_MASK	   (48 + 64 * 8)

#endif
