// SPDX-License-Identifier: MIT
/*
 * The other hypercalls Dom0 may issue, each with the arguments it must
 * refuse: multicall (empty, NULL, unknown and nested entries, a list it
 * cannot write back), vm_assist, hvm_op params, physdev_op, xsm_op, and
 * the versioned interfaces (platform_op, domctl, sysctl) with NULL and a
 * wrong interface version.
 */
#include "guest.h"
#include "xen.h"

static void multicall_checks(void)
{
	static struct multicall_entry calls[3];

	check_eq("multicall-zero", HC2(__HYPERVISOR_multicall, calls, 0), 0);
	check_eq("multicall-null-huge",
		 HC2(__HYPERVISOR_multicall, 0, 0xffffffffu), -XEN_EFAULT);
	memset(calls, 0, sizeof(calls));
	calls[0].op = __HYPERVISOR_xen_version; /* XENVER_version */
	calls[1].op = ~0ul;
	calls[2].op = __HYPERVISOR_multicall; /* nested: -EINVAL */
	calls[2].args[0] = (uint64_t)(uintptr_t)calls;
	calls[2].args[1] = 1;
	check_eq("multicall-3", HC2(__HYPERVISOR_multicall, calls, 3), 0);
	check_eq("multicall-entry-version", calls[0].result, (4 << 16) | 17);
	check_eq("multicall-entry-unknown-op", calls[1].result, -XEN_ENOSYS);
	check_eq("multicall-entry-nested", calls[2].result, -XEN_EINVAL);
	/* A list whose second entry is in the unmapped page: the first is
	 * done and its result written, then the call faults. */
	{
		struct multicall_entry *m =
			(struct multicall_entry *)(NOMAP_PAGE - sizeof(*m));

		memset(m, 0, sizeof(*m));
		m->op = __HYPERVISOR_xen_version;
		m->result = 0x5555;
		check_eq("multicall-straddling-into-unmapped",
			 HC2(__HYPERVISOR_multicall, m, 2), -XEN_EFAULT);
		check_eq("multicall-straddling-first-done", m->result,
			 (4 << 16) | 17);
	}
	check_eq("multicall-read-only-list",
		 HC2(__HYPERVISOR_multicall, RO_PAGE + RO_MULTI, 1),
		 -XEN_EFAULT);
}

static void versioned(const char *name, unsigned long nr, uint32_t version)
{
	static struct xen_versioned_op op;
	char what[48];

	snprintf(what, sizeof(what), "%s-null", name);
	check_eq(what, HC1(nr, 0), -XEN_EFAULT);
	memset(&op, 0, sizeof(op));
	op.interface_version = version + 1;
	snprintf(what, sizeof(what), "%s-wrong-version", name);
	check_eq(what, HC1(nr, &op), -XEN_EACCES);
	op.cmd = 999;
	op.interface_version = version;
	/* Past the version check, a DomU is refused before the command is
	 * looked at. */
	snprintf(what, sizeof(what), "%s-unknown-cmd", name);
	check_eq(what, HC1(nr, &op), DOM0_DOMU(-XEN_ENOSYS, -XEN_EPERM));
}

void test_other_ops(void)
{
	struct xen_hvm_param p = {.domid = DOMID_SELF, .index = 0x7fffffff};

	multicall_checks();
	check_eq("vm_assist-runstate_update_flag",
		 HC2(__HYPERVISOR_vm_assist, VMASST_CMD_enable,
		     VMASST_TYPE_runstate_update_flag),
		 0);
	check_eq("vm_assist-type-63",
		 HC2(__HYPERVISOR_vm_assist, VMASST_CMD_enable, 63),
		 -XEN_EINVAL);
	check_eq("vm_assist-type-huge",
		 HC2(__HYPERVISOR_vm_assist, VMASST_CMD_enable, 1ul << 40),
		 -XEN_EINVAL);
	check_eq("vm_assist-unknown-cmd",
		 HC2(__HYPERVISOR_vm_assist, 99,
		     VMASST_TYPE_runstate_update_flag),
		 -XEN_ENOSYS);
	check_eq("hvm_op-get_param-index-huge",
		 HC2(__HYPERVISOR_hvm_op, HVMOP_get_param, &p), -XEN_EINVAL);
	p.index = 1;
	p.domid = DOMID_INVALID;
	check_eq("hvm_op-get_param-dom-invalid",
		 HC2(__HYPERVISOR_hvm_op, HVMOP_get_param, &p), -XEN_ESRCH);
	check_eq("hvm_op-get_param-null",
		 HC2(__HYPERVISOR_hvm_op, HVMOP_get_param, 0), -XEN_EFAULT);
	check_eq("hvm_op-unknown-cmd", HC2(__HYPERVISOR_hvm_op, 999, &p),
		 -XEN_ENOSYS);
	check_eq("physdev_op-unknown-cmd", HC2(__HYPERVISOR_physdev_op, 999, 0),
		 -XEN_ENOSYS);
	check_eq("xsm_op", HC2(__HYPERVISOR_xsm_op, 0, 0), -XEN_ENOSYS);
	versioned("platform_op", __HYPERVISOR_platform_op,
		  XENPF_INTERFACE_VERSION);
	versioned("domctl", __HYPERVISOR_domctl, XEN_DOMCTL_INTERFACE_VERSION);
	versioned("sysctl", __HYPERVISOR_sysctl, XEN_SYSCTL_INTERFACE_VERSION);
}
