/* SPDX-License-Identifier: MIT */
/* xen_version sub-ops (Xen 4.17 xen/include/public/version.h, features.h). */
#ifndef XEN_PUBLIC_VERSION_H
#define XEN_PUBLIC_VERSION_H

#include <public/xen.h>

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
#define XENVER_build_id		   10

typedef char xen_extraversion_t[16];
typedef char xen_capabilities_info_t[1024];
typedef char xen_changeset_info_t[64];
typedef char xen_commandline_t[1024];

struct xen_compile_info {
	char compiler[64];
	char compile_by[16];
	char compile_domain[32];
	char compile_date[32];
};

struct xen_platform_parameters {
	xen_ulong_t virt_start;
};

struct xen_feature_info {
	unsigned int submap_idx;
	uint32_t submap;
};

struct xen_build_id {
	uint32_t len;
	unsigned char buf[];
};

#define XENFEAT_writable_page_tables	  0
#define XENFEAT_auto_translated_physmap	  2
#define XENFEAT_dom0			  11
#define XENFEAT_memory_op_vnode_supported 13
#define XENFEAT_ARM_SMCCC_supported	  14
#define XENFEAT_not_direct_mapped	  16
#define XENFEAT_direct_mapped		  17
#define XENFEAT_NR_SUBMAPS		  1

#endif /* XEN_PUBLIC_VERSION_H */
