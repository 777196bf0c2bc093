// SPDX-License-Identifier: MIT
/*
 * vcpu_op's two registrations on Arm with arguments to refuse: NULL, an
 * offset that leaves no room for a vcpu_info, a frame in the IPA hole, a
 * vCPU out of range; then a good registration for the offline vCPU 1 and
 * a second one, which Xen refuses. Run last: it moves vCPU 1's vcpu_info.
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
	check_eq("register_vcpu_info-vcpu1", reg(1, gfn, VCPU1_INFO_OFFSET), 0);
	check_eq("register_vcpu_info-vcpu1-again", reg(1, gfn, 128),
		 -XEN_EINVAL);
	check_eq("register_runstate-null",
		 HC3(__HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area,
		     0, 0),
		 -XEN_EFAULT);
}
