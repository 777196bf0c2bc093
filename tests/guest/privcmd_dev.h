/* SPDX-License-Identifier: MIT */
/*
 * Linux's /dev/xen/privcmd (xen-privcmd.ko) from user space, for the guest
 * programs that issue hypercalls themselves (tests/guest/privcmd_domctl.c,
 * a653_sched.c, grant_attack.c, bench/hcbench.c, and Dom0's
 * tools/dom0/orchid-dom0less-console.c): the ioctl ABI as Linux
 * 6.1 include/uapi/xen/privcmd.h defines it (type 'P', number 0, no
 * direction bits) and thin wrappers that return -1 with errno set, leaving
 * each program to report a failure its own way.
 */
#ifndef GUEST_PRIVCMD_DEV_H
#define GUEST_PRIVCMD_DEV_H

#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

struct privcmd_hypercall_arg {
	uint64_t op;
	uint64_t arg[5];
};
#define IOCTL_PRIVCMD_HYPERCALL                                                \
	_IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall_arg))

static inline int privcmd_open(void)
{
	int fd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);

	if (fd < 0) /* older layout: xenfs only */
		fd = open("/proc/xen/privcmd", O_RDWR | O_CLOEXEC);
	return fd;
}

/* The hypervisor reads and writes a hypercall's argument through the
 * guest's page tables: give it a page of its own, present and locked, so
 * the call never meets a fault Linux would have to resolve. */
static inline void *privcmd_arg_page(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	memset(p, 0, 4096);
	return p;
}

/* One hypercall @op with up to three arguments; its result, or -1 with
 * errno set to the hypervisor's errno. */
static inline long privcmd_call(int fd, uint64_t op, uint64_t a0, uint64_t a1,
				uint64_t a2)
{
	struct privcmd_hypercall_arg hc = {.op = op, .arg = {a0, a1, a2}};

	return ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &hc);
}

static inline long privcmd_hypercall(int fd, uint64_t op, void *arg)
{
	return privcmd_call(fd, op, (uint64_t)(uintptr_t)arg, 0, 0);
}

/*
 * XEN_DOMCTL_getdomaininfo as Xen 4.17 defines it (public/domctl.h,
 * interface version 0x15), up to the fields these programs read: struct
 * xen_domctl is a 16-byte header, then a 128-byte union. PRIVCMD_*: Xen's
 * names would clash with tests/baremetal/xen.h's, which grant_attack.c
 * includes too.
 */
#define PRIVCMD_HYPERVISOR_domctl	 36
#define PRIVCMD_DOMCTL_INTERFACE_VERSION 0x15
#define PRIVCMD_DOMCTL_getdomaininfo	 5
#define PRIVCMD_DOMINF_dying		 (1U << 0)

struct domctl_getdomaininfo {
	uint16_t domain;
	uint16_t pad1;
	uint32_t flags;
	uint64_t tot_pages;
	uint64_t max_pages;
	uint64_t outstanding_pages;
	uint64_t shr_pages;
	uint64_t paged_pages;
	uint64_t shared_info_frame;
	uint64_t cpu_time;
	uint32_t nr_online_vcpus;
	uint32_t max_vcpu_id;
	uint32_t ssidref;
	uint8_t handle[16];
	uint32_t cpupool;
	/* arch_config: not read */
};

struct domctl {
	uint32_t cmd;
	uint32_t interface_version;
	uint16_t domain;
	uint16_t pad[3];
	union {
		struct domctl_getdomaininfo getdomaininfo;
		uint8_t pad[128];
	} u;
};
_Static_assert(sizeof(struct domctl) == 144, "xen_domctl is 144 bytes");
_Static_assert(__builtin_offsetof(struct domctl, u.getdomaininfo.handle) ==
		       16 + 76,
	       "xen_domctl_getdomaininfo's handle at 76");

/*
 * getdomaininfo of the first domain whose ID is @domid or above (Xen's
 * walk: the caller compares dc->u.getdomaininfo.domain), into @dc, a page
 * of privcmd_arg_page's. 0, or -1 with errno (ESRCH: none that high).
 */
static inline long privcmd_getdomaininfo(int fd, struct domctl *dc,
					 unsigned int domid)
{
	memset(dc, 0, sizeof(*dc));
	dc->cmd = PRIVCMD_DOMCTL_getdomaininfo;
	dc->interface_version = PRIVCMD_DOMCTL_INTERFACE_VERSION;
	dc->domain = (uint16_t)domid;
	return privcmd_hypercall(fd, PRIVCMD_HYPERVISOR_domctl, dc);
}

#endif
