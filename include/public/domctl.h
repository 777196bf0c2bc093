/* SPDX-License-Identifier: MIT */
/*
 * domctl: the toolstack's domain management (Xen 4.17
 * xen/include/public/domctl.h, interface version 0x15). Every command
 * number is listed; the argument structures are those Orchid handles,
 * with Xen's layouts (arm64: uint64_aligned_t is plain uint64_t).
 */
#ifndef XEN_PUBLIC_DOMCTL_H
#define XEN_PUBLIC_DOMCTL_H

#include <public/event_channel.h>
#include <public/xen.h>

#define XEN_DOMCTL_INTERFACE_VERSION 0x00000015

/* A bitmap in guest memory: bit i of byte i / 8 (xen.h in Xen). */
struct xenctl_bitmap {
	XEN_GUEST_HANDLE(uint8) bitmap;
	uint32_t nr_bits;
};

/*
 * XEN_DOMCTL_createdomain. xen_domctl.domain is IN/OUT: 0 or a reserved
 * ID asks Xen to pick one, and the chosen ID comes back.
 */
#define XEN_DOMCTL_CDF_hvm	    (1U << 0)
#define XEN_DOMCTL_CDF_hap	    (1U << 1)
#define XEN_DOMCTL_CDF_s3_integrity (1U << 2)
#define XEN_DOMCTL_CDF_oos_off	    (1U << 3)
#define XEN_DOMCTL_CDF_xs_domain    (1U << 4)
#define XEN_DOMCTL_CDF_iommu	    (1U << 5)
#define XEN_DOMCTL_CDF_nested_virt  (1U << 6)
#define XEN_DOMCTL_CDF_vpmu	    (1U << 7)
#define XEN_DOMCTL_CDF_MAX	    XEN_DOMCTL_CDF_vpmu

#define XEN_DOMCTL_IOMMU_no_sharept (1U << 0)

#define XEN_DOMCTL_GRANT_version_mask 0xf
#define XEN_DOMCTL_GRANT_version(v)   ((v)&XEN_DOMCTL_GRANT_version_mask)

struct xen_domctl_createdomain {
	uint32_t ssidref;
	xen_domain_handle_t handle;
	uint32_t flags; /* XEN_DOMCTL_CDF_* */
	uint32_t iommu_opts;
	uint32_t max_vcpus;
	uint32_t max_evtchn_port;
	int32_t max_grant_frames;    /* < 0: the hypervisor's default */
	int32_t max_maptrack_frames; /* < 0: the hypervisor's default */
	uint32_t grant_opts;	     /* XEN_DOMCTL_GRANT_version() */
	uint32_t vmtrace_size;
	uint32_t cpupool_id;
	struct xen_arch_domainconfig arch;
};

/* XEN_DOMCTL_getdomaininfo */
#define XEN_DOMINF_dying	 (1U << 0)
#define XEN_DOMINF_hvm_guest	 (1U << 1)
#define XEN_DOMINF_shutdown	 (1U << 2)
#define XEN_DOMINF_paused	 (1U << 3)
#define XEN_DOMINF_blocked	 (1U << 4)
#define XEN_DOMINF_running	 (1U << 5)
#define XEN_DOMINF_debugged	 (1U << 6)
#define XEN_DOMINF_xs_domain	 (1U << 7)
#define XEN_DOMINF_hap		 (1U << 8)
#define XEN_DOMINF_shutdownmask	 255
#define XEN_DOMINF_shutdownshift 16
#define XEN_INVALID_MAX_VCPU_ID	 (~0U)

struct xen_domctl_getdomaininfo {
	domid_t domain;
	uint16_t pad1;
	uint32_t flags; /* XEN_DOMINF_*, shutdown code at bits 16-23 */
	uint64_t tot_pages;
	uint64_t max_pages;
	uint64_t outstanding_pages;
	uint64_t shr_pages;
	uint64_t paged_pages;
	uint64_t shared_info_frame;
	uint64_t cpu_time; /* ns */
	uint32_t nr_online_vcpus;
	uint32_t max_vcpu_id;
	uint32_t ssidref;
	xen_domain_handle_t handle;
	uint32_t cpupool;
	uint8_t gpaddr_bits;
	uint8_t pad2[7];
	struct xen_arch_domainconfig arch_config;
};

/* XEN_DOMCTL_max_mem */
struct xen_domctl_max_mem {
	uint64_t max_memkb;
};

/* XEN_DOMCTL_setvcpucontext, XEN_DOMCTL_getvcpucontext */
struct xen_domctl_vcpucontext {
	uint32_t vcpu;
	XEN_GUEST_HANDLE(vcpu_guest_context_t) ctxt;
};

/* XEN_DOMCTL_getvcpuinfo */
struct xen_domctl_getvcpuinfo {
	uint32_t vcpu;	   /* IN */
	uint8_t online;	   /* OUT: not down */
	uint8_t blocked;   /* OUT: waiting for an event */
	uint8_t running;   /* OUT: on a pCPU now */
	uint64_t cpu_time; /* OUT: ns */
	uint32_t cpu;	   /* OUT: its pCPU */
};

/* XEN_DOMCTL_setnodeaffinity, XEN_DOMCTL_getnodeaffinity */
struct xen_domctl_nodeaffinity {
	struct xenctl_bitmap nodemap;
};

/* XEN_DOMCTL_setvcpuaffinity, XEN_DOMCTL_getvcpuaffinity */
#define XEN_VCPUAFFINITY_HARD  (1U << 0)
#define XEN_VCPUAFFINITY_SOFT  (1U << 1)
#define XEN_VCPUAFFINITY_FORCE (1U << 2)

struct xen_domctl_vcpuaffinity {
	uint32_t vcpu;
	uint32_t flags; /* XEN_VCPUAFFINITY_* */
	struct xenctl_bitmap cpumap_hard;
	struct xenctl_bitmap cpumap_soft;
};

/* XEN_DOMCTL_max_vcpus: must equal createdomain's max_vcpus. */
struct xen_domctl_max_vcpus {
	uint32_t max;
};

/* XEN_DOMCTL_scheduler_op */
#define XEN_SCHEDULER_CREDIT   5
#define XEN_SCHEDULER_CREDIT2  6
#define XEN_SCHEDULER_ARINC653 7
#define XEN_SCHEDULER_RTDS     8
#define XEN_SCHEDULER_NULL     9

struct xen_domctl_sched_credit {
	uint16_t weight;
	uint16_t cap;
};

struct xen_domctl_sched_credit2 {
	uint16_t weight;
	uint16_t cap;
};

struct xen_domctl_sched_rtds {
	uint32_t period; /* us */
	uint32_t budget; /* us */
	uint32_t flags;	 /* XEN_DOMCTL_SCHEDRT_* */
};

/* May this vCPU run beyond its budget (behind the others)? */
#define XEN_DOMCTL_SCHEDRT_extra (1U << 0)

/* One element of XEN_DOMCTL_SCHEDOP_{get,put}vcpuinfo's array. */
struct xen_domctl_schedparam_vcpu {
	union {
		struct xen_domctl_sched_credit credit;
		struct xen_domctl_sched_credit2 credit2;
		struct xen_domctl_sched_rtds rtds;
	} u;
	uint32_t vcpuid;
};

#define XEN_DOMCTL_SCHEDOP_putinfo     0
#define XEN_DOMCTL_SCHEDOP_getinfo     1
#define XEN_DOMCTL_SCHEDOP_putvcpuinfo 2
#define XEN_DOMCTL_SCHEDOP_getvcpuinfo 3

struct xen_domctl_scheduler_op {
	uint32_t sched_id; /* XEN_SCHEDULER_* */
	uint32_t cmd;	   /* XEN_DOMCTL_SCHEDOP_* */
	union {
		struct xen_domctl_sched_credit credit;
		struct xen_domctl_sched_credit2 credit2;
		struct xen_domctl_sched_rtds rtds;
		struct {
			XEN_GUEST_HANDLE(xen_domctl_schedparam_vcpu_t) vcpus;
			uint32_t nr_vcpus;
			uint32_t padding;
		} v;
	} u;
};

/* XEN_DOMCTL_setdomainhandle */
struct xen_domctl_setdomainhandle {
	xen_domain_handle_t handle;
};

/* XEN_DOMCTL_irq_permission */
struct xen_domctl_irq_permission {
	uint32_t pirq;
	uint8_t allow_access;
	uint8_t pad[3];
};

/* XEN_DOMCTL_iomem_permission */
struct xen_domctl_iomem_permission {
	uint64_t first_mfn;
	uint64_t nr_mfns;
	uint8_t allow_access;
};

/* XEN_DOMCTL_settimeoffset */
struct xen_domctl_settimeoffset {
	int64_t time_offset_seconds;
};

/* XEN_DOMCTL_set_address_size, XEN_DOMCTL_get_address_size */
struct xen_domctl_address_size {
	uint32_t size;
};

/* XEN_DOMCTL_bind_pt_irq, XEN_DOMCTL_unbind_pt_irq */
#define PT_IRQ_TYPE_SPI 4

struct xen_domctl_bind_pt_irq {
	uint32_t machine_irq;
	uint32_t irq_type;
	union {
		struct {
			uint8_t gvec;
			uint32_t gflags;
			uint64_t gtable;
		} msi;
		struct {
			uint16_t spi;
		} spi;
	} u;
};

/* XEN_DOMCTL_memory_mapping */
#define DPCI_ADD_MAPPING    1
#define DPCI_REMOVE_MAPPING 0

struct xen_domctl_memory_mapping {
	uint64_t first_gfn;
	uint64_t first_mfn;
	uint64_t nr_mfns;
	uint32_t add_mapping;
	uint32_t padding;
};

/* XEN_DOMCTL_cacheflush (Arm): clean and invalidate guest RAM. */
struct xen_domctl_cacheflush {
	xen_pfn_t start_pfn, nr_pfns;
};

/* XEN_DOMCTL_{get,set}_paging_mempool_size: bytes. */
struct xen_domctl_paging_mempool {
	uint64_t size;
};

/* XEN_DOMCTL_vuart_op */
#define XEN_DOMCTL_VUART_OP_INIT     0
#define XEN_DOMCTL_VUART_TYPE_VPL011 0

struct xen_domctl_vuart_op {
	uint32_t cmd;
	uint32_t type;
	uint64_t gfn;
	domid_t console_domid;
	uint8_t pad[2];
	evtchn_port_t evtchn;
};

struct xen_domctl {
	uint32_t cmd;
#define XEN_DOMCTL_createdomain		   1
#define XEN_DOMCTL_destroydomain	   2
#define XEN_DOMCTL_pausedomain		   3
#define XEN_DOMCTL_unpausedomain	   4
#define XEN_DOMCTL_getdomaininfo	   5
#define XEN_DOMCTL_setvcpuaffinity	   9
#define XEN_DOMCTL_shadow_op		   10
#define XEN_DOMCTL_max_mem		   11
#define XEN_DOMCTL_setvcpucontext	   12
#define XEN_DOMCTL_getvcpucontext	   13
#define XEN_DOMCTL_getvcpuinfo		   14
#define XEN_DOMCTL_max_vcpus		   15
#define XEN_DOMCTL_scheduler_op		   16
#define XEN_DOMCTL_setdomainhandle	   17
#define XEN_DOMCTL_setdebugging		   18
#define XEN_DOMCTL_irq_permission	   19
#define XEN_DOMCTL_iomem_permission	   20
#define XEN_DOMCTL_ioport_permission	   21
#define XEN_DOMCTL_hypercall_init	   22
#define XEN_DOMCTL_settimeoffset	   24
#define XEN_DOMCTL_getvcpuaffinity	   25
#define XEN_DOMCTL_real_mode_area	   26
#define XEN_DOMCTL_resumedomain		   27
#define XEN_DOMCTL_sendtrigger		   28
#define XEN_DOMCTL_subscribe		   29
#define XEN_DOMCTL_gethvmcontext	   33
#define XEN_DOMCTL_sethvmcontext	   34
#define XEN_DOMCTL_set_address_size	   35
#define XEN_DOMCTL_get_address_size	   36
#define XEN_DOMCTL_assign_device	   37
#define XEN_DOMCTL_bind_pt_irq		   38
#define XEN_DOMCTL_memory_mapping	   39
#define XEN_DOMCTL_ioport_mapping	   40
#define XEN_DOMCTL_set_ext_vcpucontext	   42
#define XEN_DOMCTL_get_ext_vcpucontext	   43
#define XEN_DOMCTL_set_opt_feature	   44
#define XEN_DOMCTL_test_assign_device	   45
#define XEN_DOMCTL_set_target		   46
#define XEN_DOMCTL_deassign_device	   47
#define XEN_DOMCTL_unbind_pt_irq	   48
#define XEN_DOMCTL_get_device_group	   50
#define XEN_DOMCTL_debug_op		   54
#define XEN_DOMCTL_gethvmcontext_partial   55
#define XEN_DOMCTL_vm_event_op		   56
#define XEN_DOMCTL_mem_sharing_op	   57
#define XEN_DOMCTL_gettscinfo		   59
#define XEN_DOMCTL_settscinfo		   60
#define XEN_DOMCTL_getpageframeinfo3	   61
#define XEN_DOMCTL_setvcpuextstate	   62
#define XEN_DOMCTL_getvcpuextstate	   63
#define XEN_DOMCTL_set_access_required	   64
#define XEN_DOMCTL_audit_p2m		   65
#define XEN_DOMCTL_set_virq_handler	   66
#define XEN_DOMCTL_set_broken_page_p2m	   67
#define XEN_DOMCTL_setnodeaffinity	   68
#define XEN_DOMCTL_getnodeaffinity	   69
#define XEN_DOMCTL_cacheflush		   71
#define XEN_DOMCTL_get_vcpu_msrs	   72
#define XEN_DOMCTL_set_vcpu_msrs	   73
#define XEN_DOMCTL_setvnumainfo		   74
#define XEN_DOMCTL_psr_cmt_op		   75
#define XEN_DOMCTL_monitor_op		   77
#define XEN_DOMCTL_psr_alloc		   78
#define XEN_DOMCTL_soft_reset		   79
#define XEN_DOMCTL_vuart_op		   81
#define XEN_DOMCTL_get_cpu_policy	   82
#define XEN_DOMCTL_set_cpu_policy	   83
#define XEN_DOMCTL_vmtrace_op		   84
#define XEN_DOMCTL_get_paging_mempool_size 85
#define XEN_DOMCTL_set_paging_mempool_size 86
#define XEN_DOMCTL_gdbsx_guestmemio	   1000
#define XEN_DOMCTL_gdbsx_pausevcpu	   1001
#define XEN_DOMCTL_gdbsx_unpausevcpu	   1002
#define XEN_DOMCTL_gdbsx_domstatus	   1003
	uint32_t interface_version; /* XEN_DOMCTL_INTERFACE_VERSION */
	domid_t domain;
	uint16_t _pad[3];
	union {
		struct xen_domctl_createdomain createdomain;
		struct xen_domctl_getdomaininfo getdomaininfo;
		struct xen_domctl_nodeaffinity nodeaffinity;
		struct xen_domctl_vcpuaffinity vcpuaffinity;
		struct xen_domctl_max_mem max_mem;
		struct xen_domctl_vcpucontext vcpucontext;
		struct xen_domctl_getvcpuinfo getvcpuinfo;
		struct xen_domctl_max_vcpus max_vcpus;
		struct xen_domctl_scheduler_op scheduler_op;
		struct xen_domctl_setdomainhandle setdomainhandle;
		struct xen_domctl_irq_permission irq_permission;
		struct xen_domctl_iomem_permission iomem_permission;
		struct xen_domctl_settimeoffset settimeoffset;
		struct xen_domctl_address_size address_size;
		struct xen_domctl_bind_pt_irq bind_pt_irq;
		struct xen_domctl_memory_mapping memory_mapping;
		struct xen_domctl_cacheflush cacheflush;
		struct xen_domctl_paging_mempool paging_mempool;
		struct xen_domctl_vuart_op vuart_op;
		uint8_t pad[128];
	} u;
};

/* The layouts the toolstack was built against (arm64). */
_Static_assert(sizeof(struct xenctl_bitmap) == 16, "xenctl_bitmap");
_Static_assert(sizeof(struct xen_arch_domainconfig) == 12, "arch config");
_Static_assert(sizeof(struct xen_domctl_createdomain) == 68, "createdomain");
_Static_assert(__builtin_offsetof(struct xen_domctl_createdomain, flags) == 20,
	       "createdomain.flags");
_Static_assert(__builtin_offsetof(struct xen_domctl_createdomain, cpupool_id) ==
		       52,
	       "createdomain.cpupool_id");
_Static_assert(__builtin_offsetof(struct xen_domctl_createdomain, arch) == 56,
	       "createdomain.arch");
_Static_assert(sizeof(struct xen_domctl_getdomaininfo) == 120, "getdomaininfo");
_Static_assert(__builtin_offsetof(struct xen_domctl_getdomaininfo, tot_pages) ==
		       8,
	       "getdomaininfo.tot_pages");
_Static_assert(__builtin_offsetof(struct xen_domctl_getdomaininfo,
				  nr_online_vcpus) == 64,
	       "getdomaininfo.nr_online_vcpus");
_Static_assert(__builtin_offsetof(struct xen_domctl_getdomaininfo, handle) ==
		       76,
	       "getdomaininfo.handle");
_Static_assert(__builtin_offsetof(struct xen_domctl_getdomaininfo,
				  gpaddr_bits) == 96,
	       "getdomaininfo.gpaddr_bits");
_Static_assert(__builtin_offsetof(struct xen_domctl_getdomaininfo,
				  arch_config) == 104,
	       "getdomaininfo.arch_config");
_Static_assert(sizeof(struct xen_domctl_vcpucontext) == 16, "vcpucontext");
_Static_assert(sizeof(struct xen_domctl_getvcpuinfo) == 24, "getvcpuinfo");
_Static_assert(__builtin_offsetof(struct xen_domctl_getvcpuinfo, cpu_time) == 8,
	       "getvcpuinfo.cpu_time");
_Static_assert(sizeof(struct xen_domctl_vcpuaffinity) == 40, "vcpuaffinity");
_Static_assert(sizeof(struct xen_domctl_scheduler_op) == 24, "scheduler_op");
_Static_assert(sizeof(struct xen_domctl_schedparam_vcpu) == 16,
	       "schedparam_vcpu");
_Static_assert(sizeof(struct xen_domctl_iomem_permission) == 24,
	       "iomem_permission");
_Static_assert(sizeof(struct xen_domctl_bind_pt_irq) == 24, "bind_pt_irq");
_Static_assert(sizeof(struct xen_domctl_memory_mapping) == 32,
	       "memory_mapping");
_Static_assert(sizeof(struct xen_domctl_vuart_op) == 24, "vuart_op");
_Static_assert(sizeof(struct vcpu_guest_context) == 352, "vcpu_guest_context");
_Static_assert(__builtin_offsetof(struct vcpu_guest_context, sctlr) == 320,
	       "vcpu_guest_context.sctlr");
_Static_assert(sizeof(struct xen_domctl) == 16 + 128, "xen_domctl");
_Static_assert(__builtin_offsetof(struct xen_domctl, u) == 16, "xen_domctl.u");

#endif /* XEN_PUBLIC_DOMCTL_H */
