/* SPDX-License-Identifier: MIT */
/* vcpu_op (Xen 4.17 xen/include/public/vcpu.h). */
#ifndef XEN_PUBLIC_VCPU_H
#define XEN_PUBLIC_VCPU_H

#include <public/xen.h>

#define VCPUOP_initialise		      0
#define VCPUOP_up			      1
#define VCPUOP_down			      2
#define VCPUOP_is_up			      3
#define VCPUOP_get_runstate_info	      4
#define VCPUOP_register_runstate_memory_area  5
#define VCPUOP_set_periodic_timer	      6
#define VCPUOP_stop_periodic_timer	      7
#define VCPUOP_set_singleshot_timer	      8
#define VCPUOP_stop_singleshot_timer	      9
#define VCPUOP_register_vcpu_info	      10
#define VCPUOP_send_nmi			      11
#define VCPUOP_get_physid		      12
#define VCPUOP_register_vcpu_time_memory_area 13

struct vcpu_register_runstate_memory_area {
	uint64_t addr; /* XEN_GUEST_HANDLE(vcpu_runstate_info_t) */
};

struct vcpu_register_vcpu_info {
	uint64_t mfn;
	uint32_t offset;
	uint32_t rsvd;
};

#endif /* XEN_PUBLIC_VCPU_H */
