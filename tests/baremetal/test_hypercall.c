// SPDX-License-Identifier: MIT
/* Hypercall numbers nobody handles, and vcpu_op on vCPUs that do not
 * exist. */
#include "guest.h"
#include "xen.h"

void test_hypercall(void)
{
	struct sched_poll poll = {0};

	check_eq("number-1-x86-only", HC1(1, 0), -XEN_ENOSYS);
	check_eq("number-63", HC1(63, 0), -XEN_ENOSYS);
	check_eq("number-64", HC1(64, 0), -XEN_ENOSYS);
	check_eq("number-huge", HC1(~0ul, 0), -XEN_ENOSYS);
	/* Xen on Arm takes only the two registrations, after finding the
	 * vCPU: is_up on a vCPU that exists is -EINVAL. */
	check_eq("vcpu_op-is_up-vcpu0",
		 HC3(__HYPERVISOR_vcpu_op, VCPUOP_is_up, 0, 0), -XEN_EINVAL);
	check_eq("vcpu_op-is_up-vcpu-out-of-range",
		 HC3(__HYPERVISOR_vcpu_op, VCPUOP_is_up, 1000, 0), -XEN_ENOENT);
	check_eq("vcpu_op-is_up-vcpu-negative",
		 HC3(__HYPERVISOR_vcpu_op, VCPUOP_is_up, 0xffffffffu, 0),
		 -XEN_ENOENT);
	/* The vCPU ID is an unsigned int: x1's upper half is ignored. */
	check_eq("vcpu_op-is_up-vcpu-upper-bits",
		 HC3(__HYPERVISOR_vcpu_op, VCPUOP_is_up, 1ul << 32, 0),
		 -XEN_EINVAL);
	check_eq("sched_op-yield", HC2(__HYPERVISOR_sched_op, SCHEDOP_yield, 0),
		 0);
	check_eq("sched_op-shutdown-null",
		 HC2(__HYPERVISOR_sched_op, SCHEDOP_shutdown, 0), -XEN_EFAULT);
	check_eq("sched_op-poll-null",
		 HC2(__HYPERVISOR_sched_op, SCHEDOP_poll, 0), -XEN_EFAULT);
	poll.ports = (uint64_t)(uintptr_t)RW_PAGE;
	poll.nr_ports = 129;
	check_eq("sched_op-poll-129-ports",
		 HC2(__HYPERVISOR_sched_op, SCHEDOP_poll, &poll), -XEN_EINVAL);
	poll.ports = 0;
	poll.nr_ports = 1;
	check_eq("sched_op-poll-ports-null",
		 HC2(__HYPERVISOR_sched_op, SCHEDOP_poll, &poll), -XEN_EFAULT);
	check_eq("sched_op-unknown-cmd", HC2(__HYPERVISOR_sched_op, 99, 0),
		 -XEN_ENOSYS);
}
