// SPDX-License-Identifier: MIT
/*
 * vcpu_op's two registrations on Arm with arguments to refuse: NULL, an
 * offset that leaves no room for a vcpu_info, a frame in the IPA hole, a
 * vCPU out of range; then a good registration for the offline vCPU 1 and
 * a second one, which Xen refuses. It moves vCPU 1's vcpu_info;
 * test_vcpu_info_give_back(), run once test_evtchn_vcpu.c has used that
 * vcpu_info, gives the page back with decrease_reservation (issue 8): the
 * hypervisor keeps its own reference, nothing breaks, the registration
 * stays, and the domain is still torn down cleanly (Dom0 checks that
 * memory comes back and the next domain is built).
 */
#include "guest.h"
#include "xen.h"

/* Shared with test_evtchn_vcpu.c, which runs after and uses vCPU 1's. */
char vcpu_info_page[4096] __attribute__((aligned(4096)));

static long reg(unsigned int vcpu, uint64_t gfn, uint32_t offset)
{
	struct vcpu_register_vcpu_info r = {.mfn = gfn, .offset = offset};

	return HC3(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, vcpu, &r);
}

long vcpu1_info_register(void)
{
	return reg(1, (uintptr_t)vcpu_info_page >> 12, VCPU1_INFO_OFFSET);
}

void test_vcpu_info_give_back(void)
{
	uint64_t gfn = (uintptr_t)vcpu_info_page >> 12;

	struct xen_memory_reservation r = {.extent_start = (uintptr_t)&gfn,
					   .nr_extents = 1,
					   .domid = DOMID_SELF};

	check_eq("decrease_reservation-vcpu_info-page",
		 HC2(__HYPERVISOR_memory_op, XENMEM_decrease_reservation, &r),
		 1);
	check_eq("register_vcpu_info-vcpu1-after-give-back", reg(1, gfn, 128),
		 -XEN_EINVAL);
	check_eq("yield-after-give-back",
		 HC2(__HYPERVISOR_sched_op, SCHEDOP_yield, 0), 0);
}

void test_vcpu_info(void)
{
	uint64_t gfn = (uintptr_t)vcpu_info_page >> 12;

	check_eq("register_vcpu_info-null",
		 HC3(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 1, 0),
		 -XEN_EFAULT);
	check_eq("register_vcpu_info-offset-no-room", reg(1, gfn, 4090),
		 -XEN_ENXIO);
	check_eq("register_vcpu_info-gfn-ipa-hole", reg(1, IPA_HOLE >> 12, 0),
		 -XEN_EINVAL);
	check_eq("register_vcpu_info-vcpu-out-of-range", reg(1000, gfn, 0),
		 -XEN_ENOENT);
	check_eq("register_vcpu_info-vcpu1", vcpu1_info_register(), 0);
	check_eq("register_vcpu_info-vcpu1-again", reg(1, gfn, 128),
		 -XEN_EINVAL);
	check_eq("register_runstate-null",
		 HC3(__HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area,
		     0, 0),
		 -XEN_EFAULT);
}
