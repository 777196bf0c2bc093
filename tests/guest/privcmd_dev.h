/* SPDX-License-Identifier: MIT */
/*
 * Linux's /dev/xen/privcmd (xen-privcmd.ko) from user space, for the guest
 * programs that issue hypercalls themselves (tests/guest/privcmd_domctl.c,
 * a653_sched.c, grant_attack.c, bench/hcbench.c): the ioctl ABI as Linux
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

#endif
