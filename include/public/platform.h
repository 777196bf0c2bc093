/* SPDX-License-Identifier: MIT */
/* platform_op (Xen 4.17 xen/include/public/platform.h), the Arm subset. */
#ifndef XEN_PUBLIC_PLATFORM_H
#define XEN_PUBLIC_PLATFORM_H

#include <public/xen.h>

#define XENPF_INTERFACE_VERSION 0x03000001

#define XENPF_settime32 17
#define XENPF_settime64 62

struct xenpf_settime64 {
	uint64_t secs;
	uint32_t nsecs;
	uint32_t mbz;
	uint64_t system_time;
};

struct xen_platform_op {
	uint32_t cmd;
	uint32_t interface_version;
	union {
		struct xenpf_settime64 settime64;
		uint8_t pad[128];
	} u;
};

#endif /* XEN_PUBLIC_PLATFORM_H */
