// SPDX-License-Identifier: MIT
/* xen_version: every sub-op Arm has, an unknown one, bad buffers. */
#include "guest.h"
#include "xen.h"

/* Straddles a page boundary (the buffer is page aligned). */
static char straddle[8192] __attribute__((aligned(4096)));

void test_version(void)
{
	struct xen_feature_info fi = {.submap_idx = 0};
	char *buf = straddle + 4096 - 8;

	check_eq("version", HC2(__HYPERVISOR_xen_version, XENVER_version, 0),
		 (4 << 16) | 17);
	check_eq("pagesize", HC2(__HYPERVISOR_xen_version, XENVER_pagesize, 0),
		 4096);
	check_eq("extraversion-null",
		 HC2(__HYPERVISOR_xen_version, XENVER_extraversion, 0),
		 -XEN_EFAULT);
	check_eq("extraversion-unmapped",
		 HC2(__HYPERVISOR_xen_version, XENVER_extraversion, IPA_HOLE),
		 -XEN_EFAULT);
	check_eq("extraversion-wrapping",
		 HC2(__HYPERVISOR_xen_version, XENVER_extraversion, WRAPPING),
		 -XEN_EFAULT);
	check_eq("extraversion-straddling",
		 HC2(__HYPERVISOR_xen_version, XENVER_extraversion, buf), 0);
	check_eq("compile_info-null",
		 HC2(__HYPERVISOR_xen_version, XENVER_compile_info, 0),
		 -XEN_EFAULT);
	check_eq("capabilities-null",
		 HC2(__HYPERVISOR_xen_version, XENVER_capabilities, 0),
		 -XEN_EFAULT);
	check_eq("changeset-null",
		 HC2(__HYPERVISOR_xen_version, XENVER_changeset, 0),
		 -XEN_EFAULT);
	check_eq("platform_parameters-null",
		 HC2(__HYPERVISOR_xen_version, XENVER_platform_parameters, 0),
		 -XEN_EFAULT);
	check_eq("commandline-null",
		 HC2(__HYPERVISOR_xen_version, XENVER_commandline, 0),
		 -XEN_EFAULT);
	check_eq("guest_handle-null",
		 HC2(__HYPERVISOR_xen_version, XENVER_guest_handle, 0),
		 -XEN_EFAULT);
	check_eq("get_features-0",
		 HC2(__HYPERVISOR_xen_version, XENVER_get_features, &fi), 0);
	fi.submap_idx = 1;
	check_eq("get_features-index-1",
		 HC2(__HYPERVISOR_xen_version, XENVER_get_features, &fi),
		 -XEN_EINVAL);
	fi.submap_idx = 0x7fffffff;
	check_eq("get_features-huge-index",
		 HC2(__HYPERVISOR_xen_version, XENVER_get_features, &fi),
		 -XEN_EINVAL);
	check_eq("get_features-null",
		 HC2(__HYPERVISOR_xen_version, XENVER_get_features, 0),
		 -XEN_EFAULT);
	check_eq("unknown-subop", HC2(__HYPERVISOR_xen_version, 0x7fff, 0),
		 -XEN_ENOSYS);
}
