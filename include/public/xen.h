/* SPDX-License-Identifier: MIT */
/*
 * The core of the Xen ABI (Xen 4.17 xen/include/public/xen.h): hypercall
 * numbers, VIRQs, domain IDs, the shared_info and vcpu_info pages.
 * Written for Orchid from the ABI's facts; layouts are the arm64 ones.
 */
#ifndef XEN_PUBLIC_XEN_H
#define XEN_PUBLIC_XEN_H

#include <public/arch-arm.h>

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
#define __HYPERVISOR_argo_op	      39
#define __HYPERVISOR_dm_op	      41
#define __HYPERVISOR_hypfs_op	      42
#define NR_HYPERCALLS		      64

#define VIRQ_TIMER	0
#define VIRQ_DEBUG	1
#define VIRQ_CONSOLE	2
#define VIRQ_DOM_EXC	3
#define VIRQ_TBUF	4
#define VIRQ_DEBUGGER	6
#define VIRQ_XENOPROF	7
#define VIRQ_CON_RING	8
#define VIRQ_PCPU_STATE 9
#define VIRQ_MEM_EVENT	10
#define VIRQ_ARGO	11
#define VIRQ_ENOMEM	12
#define VIRQ_XENPMU	13
#define NR_VIRQS	24

typedef uint16_t domid_t;
#define DOMID_FIRST_RESERVED 0x7FF0U
#define DOMID_SELF	     0x7FF0U
#define DOMID_IO	     0x7FF1U
#define DOMID_XEN	     0x7FF2U
#define DOMID_COW	     0x7FF3U
#define DOMID_INVALID	     0x7FF4U

typedef uint8_t xen_domain_handle_t[16];

/* console_io commands */
#define CONSOLEIO_write 0
#define CONSOLEIO_read	1

/* vm_assist */
#define VMASST_CMD_enable		 0
#define VMASST_CMD_disable		 1
#define VMASST_TYPE_runstate_update_flag 5
#define VMASST_TYPE_AVAIL_ARM		 (1U << VMASST_TYPE_runstate_update_flag)

struct vcpu_time_info {
	uint32_t version;
	uint32_t pad0;
	uint64_t tsc_timestamp;
	uint64_t system_time;
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	int8_t pad1[3];
}; /* 32 bytes */

struct vcpu_info {
	uint8_t evtchn_upcall_pending;
	uint8_t evtchn_upcall_mask;
	xen_ulong_t evtchn_pending_sel;
	struct arch_vcpu_info arch;
	struct vcpu_time_info time;
}; /* 48 bytes on arm64 */

struct shared_info {
	struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
	xen_ulong_t evtchn_pending[sizeof(xen_ulong_t) * 8];
	xen_ulong_t evtchn_mask[sizeof(xen_ulong_t) * 8];
	uint32_t wc_version;
	uint32_t wc_sec;
	uint32_t wc_nsec;
	uint32_t wc_sec_hi;
	struct arch_shared_info arch;
};

/* vcpu_runstate_info.state */
#define RUNSTATE_running  0
#define RUNSTATE_runnable 1
#define RUNSTATE_blocked  2
#define RUNSTATE_offline  3
/* Set in state_entry_time while the area is being updated. */
#define XEN_RUNSTATE_UPDATE (1ULL << 63)

struct vcpu_runstate_info {
	int state;
	uint64_t state_entry_time;
	uint64_t time[4];
};

struct multicall_entry {
	xen_ulong_t op;
	xen_ulong_t result;
	xen_ulong_t args[6];
};

#define XEN_PAGE_SHIFT 12
#define XEN_PAGE_SIZE  (1UL << XEN_PAGE_SHIFT)

_Static_assert(sizeof(struct vcpu_info) == 48, "vcpu_info layout");
_Static_assert(sizeof(struct vcpu_runstate_info) == 48, "runstate layout");

#endif /* XEN_PUBLIC_XEN_H */
