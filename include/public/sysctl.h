/* SPDX-License-Identifier: MIT */
/*
 * sysctl: the toolstack's host management (Xen 4.17
 * xen/include/public/sysctl.h, interface version 0x15). Every command
 * number is listed; the argument structures are those Orchid handles,
 * with Xen's layouts (arm64).
 */
#ifndef XEN_PUBLIC_SYSCTL_H
#define XEN_PUBLIC_SYSCTL_H

#include <public/domctl.h>
#include <public/xen.h>

#define XEN_SYSCTL_INTERFACE_VERSION 0x00000015

/* XEN_SYSCTL_readconsole */
struct xen_sysctl_readconsole {
	uint8_t clear;	     /* IN: clear what was read */
	uint8_t incremental; /* IN: start at @index */
	uint8_t pad0, pad1;
	uint32_t index; /* IN: where to start; OUT: where reading stopped */
	XEN_GUEST_HANDLE(char) buffer;
	uint32_t count; /* IN: buffer size; OUT: bytes written */
};

/* XEN_SYSCTL_physinfo */
#define XEN_SYSCTL_PHYSCAP_hvm		      (1U << 0)
#define XEN_SYSCTL_PHYSCAP_pv		      (1U << 1)
#define XEN_SYSCTL_PHYSCAP_directio	      (1U << 2)
#define XEN_SYSCTL_PHYSCAP_hap		      (1U << 3)
#define XEN_SYSCTL_PHYSCAP_shadow	      (1U << 4)
#define XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share (1U << 5)
#define XEN_SYSCTL_PHYSCAP_vmtrace	      (1U << 6)
#define XEN_SYSCTL_PHYSCAP_vpmu		      (1U << 7)
#define XEN_SYSCTL_PHYSCAP_gnttab_v1	      (1U << 8)
#define XEN_SYSCTL_PHYSCAP_gnttab_v2	      (1U << 9)
#define XEN_SYSCTL_PHYSCAP_MAX		      XEN_SYSCTL_PHYSCAP_gnttab_v2

struct xen_sysctl_physinfo {
	uint32_t threads_per_core;
	uint32_t cores_per_socket;
	uint32_t nr_cpus; /* online */
	uint32_t max_cpu_id;
	uint32_t nr_nodes;
	uint32_t max_node_id;
	uint32_t cpu_khz;
	uint32_t capabilities;	    /* XEN_SYSCTL_PHYSCAP_* */
	uint32_t arch_capabilities; /* none on Arm */
	uint32_t pad;
	uint64_t total_pages;
	uint64_t free_pages;
	uint64_t scrub_pages;
	uint64_t outstanding_pages;
	uint64_t max_mfn;
	uint32_t hw_cap[8];
};

/* XEN_SYSCTL_sched_id */
struct xen_sysctl_sched_id {
	uint32_t sched_id; /* XEN_SCHEDULER_* */
};

/* XEN_SYSCTL_getdomaininfolist */
struct xen_sysctl_getdomaininfolist {
	domid_t first_domain;
	uint32_t max_domains;
	XEN_GUEST_HANDLE(xen_domctl_getdomaininfo_t) buffer;
	uint32_t num_domains; /* OUT */
};

/* XEN_SYSCTL_cputopoinfo */
#define XEN_INVALID_CORE_ID   (~0U)
#define XEN_INVALID_SOCKET_ID (~0U)
#define XEN_INVALID_NODE_ID   (~0U)

struct xen_sysctl_cputopo {
	uint32_t core;
	uint32_t socket;
	uint32_t node;
};

/*
 * A NULL @cputopo asks for the number of entries; otherwise up to
 * @num_cpus are written and @num_cpus says how many Xen wanted to write.
 */
struct xen_sysctl_cputopoinfo {
	uint32_t num_cpus;
	XEN_GUEST_HANDLE(xen_sysctl_cputopo_t) cputopo;
};

/* XEN_SYSCTL_numainfo */
#define XEN_INVALID_MEM_SZ    (~0U)
#define XEN_INVALID_NODE_DIST (~0U)

struct xen_sysctl_meminfo {
	uint64_t memsize;
	uint64_t memfree;
};

/* Both handles NULL asks for the number of nodes. */
struct xen_sysctl_numainfo {
	uint32_t num_nodes;
	XEN_GUEST_HANDLE(xen_sysctl_meminfo_t) meminfo;
	XEN_GUEST_HANDLE(uint32) distance; /* [i * num_nodes + j] */
};

/* XEN_SYSCTL_cpupool_op */
#define XEN_SYSCTL_CPUPOOL_OP_CREATE	 1
#define XEN_SYSCTL_CPUPOOL_OP_DESTROY	 2
#define XEN_SYSCTL_CPUPOOL_OP_INFO	 3
#define XEN_SYSCTL_CPUPOOL_OP_ADDCPU	 4
#define XEN_SYSCTL_CPUPOOL_OP_RMCPU	 5
#define XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN 6
#define XEN_SYSCTL_CPUPOOL_OP_FREEINFO	 7
#define XEN_SYSCTL_CPUPOOL_PAR_ANY	 0xFFFFFFFF

struct xen_sysctl_cpupool_op {
	uint32_t op;		     /* IN */
	uint32_t cpupool_id;	     /* IN: CDIARM OUT: CI */
	uint32_t sched_id;	     /* IN: C OUT: I */
	uint32_t domid;		     /* IN: M */
	uint32_t cpu;		     /* IN: AR */
	uint32_t n_dom;		     /* OUT: I */
	struct xenctl_bitmap cpumap; /* OUT: IF */
};

/* XEN_SYSCTL_scheduler_op: a cpupool's scheduler-wide parameters. */
#define XEN_SYSCTL_SCHEDOP_putinfo     0
#define XEN_SYSCTL_SCHEDOP_getinfo     1
#define XEN_SYSCTL_SCHED_RATELIMIT_MAX 500000
#define XEN_SYSCTL_SCHED_RATELIMIT_MIN 100
#define XEN_SYSCTL_CSCHED_TSLICE_MAX   1000
#define XEN_SYSCTL_CSCHED_TSLICE_MIN   1

struct xen_sysctl_credit_schedule {
	uint32_t tslice_ms;
	uint32_t ratelimit_us;
	uint32_t vcpu_migr_delay_us;
};

struct xen_sysctl_credit2_schedule {
	uint32_t ratelimit_us;
};

/* XEN_SCHEDULER_ARINC653's schedule (its guest handle's target). */
#define ARINC653_MAX_DOMAINS_PER_SCHEDULE 64

struct xen_sysctl_arinc653_schedule {
	uint64_t major_frame;	   /* ns */
	uint8_t num_sched_entries; /* valid entries below */
	struct {
		xen_domain_handle_t dom_handle; /* the domain's UUID */
		uint32_t vcpu_id;
		uint64_t runtime; /* ns per major frame */
	} sched_entries[ARINC653_MAX_DOMAINS_PER_SCHEDULE];
};

struct xen_sysctl_scheduler_op {
	uint32_t cpupool_id;
	uint32_t sched_id; /* XEN_SCHEDULER_* */
	uint32_t cmd;	   /* XEN_SYSCTL_SCHEDOP_* */
	union {
		XEN_GUEST_HANDLE(xen_sysctl_arinc653_schedule_t) sched_arinc653;
		struct xen_sysctl_credit_schedule sched_credit;
		struct xen_sysctl_credit2_schedule sched_credit2;
	} u;
};

/* XEN_SYSCTL_tbuf_op: the trace buffers xentrace reads (public/trace.h). */
#define XEN_SYSCTL_TBUFOP_get_info     0
#define XEN_SYSCTL_TBUFOP_set_cpu_mask 1
#define XEN_SYSCTL_TBUFOP_set_evt_mask 2
#define XEN_SYSCTL_TBUFOP_set_size     3
#define XEN_SYSCTL_TBUFOP_enable       4
#define XEN_SYSCTL_TBUFOP_disable      5
struct xen_sysctl_tbuf_op {
	uint32_t cmd;		       /* IN: XEN_SYSCTL_TBUFOP_* */
	struct xenctl_bitmap cpu_mask; /* IN: set_cpu_mask */
	uint32_t evt_mask;	       /* IN: set_evt_mask; OUT: get_info */
	uint64_t __attribute__((aligned(8))) buffer_mfn; /* OUT: T_INFO's */
	uint32_t size; /* IN: set_size, pages a CPU; OUT: T_INFO's bytes */
};

/* XEN_SYSCTL_debug_keys: press @nr_keys keys, as on the serial console. */
struct xen_sysctl_debug_keys {
	XEN_GUEST_HANDLE(char) keys;
	uint32_t nr_keys;
};

/*
 * XEN_SYSCTL_livepatch_op (Xen 4.17 layout): upload a payload (an ELF64
 * relocatable object) under a name, read its state, list all payloads,
 * and act on one (apply, revert, replace every applied one, unload).
 */
#define XEN_LIVEPATCH_NAME_SIZE 128
struct xen_livepatch_name {
	XEN_GUEST_HANDLE(char) name; /* NUL-terminated, within size */
	uint16_t size;		     /* bytes at name, NUL included */
	uint16_t pad[3];	     /* must be zero */
};

#define XEN_SYSCTL_LIVEPATCH_UPLOAD 0
struct xen_sysctl_livepatch_upload {
	struct xen_livepatch_name name;
	uint64_t size; /* bytes of the ELF file */
	XEN_GUEST_HANDLE(uint8) payload;
};

#define XEN_SYSCTL_LIVEPATCH_GET 1
#define LIVEPATCH_STATE_CHECKED	 1
#define LIVEPATCH_STATE_APPLIED	 2
struct xen_livepatch_status {
	uint32_t state; /* LIVEPATCH_STATE_* */
	int32_t rc;	/* 0, or the last action's -errno (-EAGAIN: pending) */
};

struct xen_sysctl_livepatch_get {
	struct xen_livepatch_name name;
	struct xen_livepatch_status status; /* OUT */
};

#define XEN_SYSCTL_LIVEPATCH_LIST 2
struct xen_sysctl_livepatch_list {
	uint32_t version; /* OUT: changes when the list does */
	uint32_t idx;	  /* IN: first payload to report */
	uint32_t nr;	  /* IN: slots; OUT: payloads left after these */
	uint32_t pad;	  /* must be zero */
	uint32_t name_total_size;     /* OUT: bytes of names written */
	uint32_t metadata_total_size; /* OUT: bytes of metadata written */
	XEN_GUEST_HANDLE(xen_livepatch_status_t) status;
	XEN_GUEST_HANDLE(char) name; /* names back to back, NUL each */
	XEN_GUEST_HANDLE(uint32) len;
	XEN_GUEST_HANDLE(char) metadata;
	XEN_GUEST_HANDLE(uint32) metadata_len;
};

#define XEN_SYSCTL_LIVEPATCH_ACTION   3
#define LIVEPATCH_ACTION_UNLOAD	      1
#define LIVEPATCH_ACTION_REVERT	      2
#define LIVEPATCH_ACTION_APPLY	      3
#define LIVEPATCH_ACTION_REPLACE      4
#define LIVEPATCH_ACTION_APPLY_NODEPS (1u << 0)
struct xen_sysctl_livepatch_action {
	struct xen_livepatch_name name;
	uint32_t cmd;	  /* LIVEPATCH_ACTION_* */
	uint32_t timeout; /* ns the pCPUs may take to gather; 0: default */
	uint32_t flags;	  /* LIVEPATCH_ACTION_APPLY_NODEPS */
	uint32_t pad;	  /* must be zero */
};

struct xen_sysctl_livepatch_op {
	uint32_t cmd; /* XEN_SYSCTL_LIVEPATCH_* */
	uint32_t pad; /* must be zero */
	union {
		struct xen_sysctl_livepatch_upload upload;
		struct xen_sysctl_livepatch_list list;
		struct xen_sysctl_livepatch_get get;
		struct xen_sysctl_livepatch_action action;
	} u;
};

struct xen_sysctl {
	uint32_t cmd;
#define XEN_SYSCTL_readconsole		  1
#define XEN_SYSCTL_tbuf_op		  2
#define XEN_SYSCTL_physinfo		  3
#define XEN_SYSCTL_sched_id		  4
#define XEN_SYSCTL_perfc_op		  5
#define XEN_SYSCTL_getdomaininfolist	  6
#define XEN_SYSCTL_debug_keys		  7
#define XEN_SYSCTL_getcpuinfo		  8
#define XEN_SYSCTL_availheap		  9
#define XEN_SYSCTL_get_pmstat		  10
#define XEN_SYSCTL_cpu_hotplug		  11
#define XEN_SYSCTL_pm_op		  12
#define XEN_SYSCTL_page_offline_op	  14
#define XEN_SYSCTL_lockprof_op		  15
#define XEN_SYSCTL_cputopoinfo		  16
#define XEN_SYSCTL_numainfo		  17
#define XEN_SYSCTL_cpupool_op		  18
#define XEN_SYSCTL_scheduler_op		  19
#define XEN_SYSCTL_coverage_op		  20
#define XEN_SYSCTL_psr_cmt_op		  21
#define XEN_SYSCTL_pcitopoinfo		  22
#define XEN_SYSCTL_psr_alloc		  23
#define XEN_SYSCTL_get_cpu_levelling_caps 25
#define XEN_SYSCTL_get_cpu_featureset	  26
#define XEN_SYSCTL_livepatch_op		  27
/* 28 was XEN_SYSCTL_set_parameter: gone, xl set-parameters writes hypfs. */
#define XEN_SYSCTL_get_cpu_policy 29
	uint32_t interface_version; /* XEN_SYSCTL_INTERFACE_VERSION */
	union {
		struct xen_sysctl_readconsole readconsole;
		struct xen_sysctl_physinfo physinfo;
		struct xen_sysctl_sched_id sched_id;
		struct xen_sysctl_getdomaininfolist getdomaininfolist;
		struct xen_sysctl_cputopoinfo cputopoinfo;
		struct xen_sysctl_numainfo numainfo;
		struct xen_sysctl_cpupool_op cpupool_op;
		struct xen_sysctl_scheduler_op scheduler_op;
		struct xen_sysctl_debug_keys debug_keys;
		struct xen_sysctl_tbuf_op tbuf_op;
		struct xen_sysctl_livepatch_op livepatch;
		uint8_t pad[128];
	} u;
};

/* The layouts the toolstack was built against (arm64). */
_Static_assert(sizeof(struct xen_sysctl_readconsole) == 24, "readconsole");
_Static_assert(sizeof(struct xen_sysctl_tbuf_op) == 48, "tbuf_op");
_Static_assert(__builtin_offsetof(struct xen_sysctl_tbuf_op, buffer_mfn) == 32,
	       "tbuf_op.buffer_mfn");
_Static_assert(__builtin_offsetof(struct xen_sysctl_readconsole, buffer) == 8,
	       "readconsole.buffer");
_Static_assert(sizeof(struct xen_sysctl_physinfo) == 112, "physinfo");
_Static_assert(sizeof(struct xen_livepatch_name) == 16, "livepatch_name");
_Static_assert(sizeof(struct xen_sysctl_livepatch_upload) == 32, "lp upload");
_Static_assert(sizeof(struct xen_sysctl_livepatch_get) == 24, "lp get");
_Static_assert(sizeof(struct xen_sysctl_livepatch_list) == 64, "lp list");
_Static_assert(sizeof(struct xen_sysctl_livepatch_action) == 32, "lp action");
_Static_assert(sizeof(struct xen_sysctl_livepatch_op) == 72, "livepatch_op");
_Static_assert(__builtin_offsetof(struct xen_sysctl_livepatch_list, status) ==
		       24,
	       "livepatch_list.status");
_Static_assert(__builtin_offsetof(struct xen_sysctl_physinfo, total_pages) ==
		       40,
	       "physinfo.total_pages");
_Static_assert(__builtin_offsetof(struct xen_sysctl_physinfo, hw_cap) == 80,
	       "physinfo.hw_cap");
_Static_assert(sizeof(struct xen_sysctl_getdomaininfolist) == 24,
	       "getdomaininfolist");
_Static_assert(__builtin_offsetof(struct xen_sysctl_getdomaininfolist,
				  max_domains) == 4,
	       "getdomaininfolist.max_domains");
_Static_assert(sizeof(struct xen_sysctl_cputopo) == 12, "cputopo");
_Static_assert(sizeof(struct xen_sysctl_debug_keys) == 16, "debug_keys");

_Static_assert(sizeof(struct xen_sysctl_cputopoinfo) == 16, "cputopoinfo");
_Static_assert(sizeof(struct xen_sysctl_meminfo) == 16, "meminfo");
_Static_assert(sizeof(struct xen_sysctl_numainfo) == 24, "numainfo");
_Static_assert(sizeof(struct xen_sysctl_cpupool_op) == 40, "cpupool_op");
_Static_assert(__builtin_offsetof(struct xen_sysctl_cpupool_op, cpumap) == 24,
	       "cpupool_op.cpumap");
_Static_assert(sizeof(struct xen_sysctl_scheduler_op) == 32, "scheduler_op");
_Static_assert(__builtin_offsetof(struct xen_sysctl_scheduler_op, u) == 16,
	       "scheduler_op.u");
_Static_assert(sizeof(struct xen_sysctl) == 8 + 128, "xen_sysctl");
_Static_assert(__builtin_offsetof(struct xen_sysctl, u) == 8, "xen_sysctl.u");

#endif /* XEN_PUBLIC_SYSCTL_H */
