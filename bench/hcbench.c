/* SPDX-License-Identifier: MIT */
/*
 * hcbench: the round-trip cost of one hypercall issued from Dom0 user space.
 *
 * Path measured: EL0 ioctl(IOCTL_PRIVCMD_HYPERCALL) -> Linux privcmd
 * (xen-privcmd.ko) -> HVC #0xEA1 -> the hypervisor's xen_version handler
 * -> back. The call is xen_version(XENVER_version, NULL), which returns
 * (major << 16) | minor and touches no guest memory, so it is the cheapest
 * hypercall there is. A getppid() loop is timed first as the plain syscall
 * baseline.
 *
 * Output (one line each, machine-readable):
 *   HCBENCH syscall=getppid n=N ns_per_call=X
 *   HCBENCH hypercall=xen_version n=N ret=0x40011 errors=E ns_per_call=X
 * or "HCBENCH FAIL <why>" (exit 1).
 *
 * Build: aarch64-linux-gnu-gcc -O2 -static -o hcbench hcbench.c
 * Usage: hcbench [N]   (default 10000)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../tests/guest/privcmd_dev.h"

/* Xen's public ABI: xen.h and version.h. */
#define HYPERVISOR_xen_version 17
#define XENVER_version	       0

static uint64_t clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 10000;
	struct privcmd_hypercall_arg hc = {
		.op = HYPERVISOR_xen_version,
		.arg = {XENVER_version, 0},
	};
	uint64_t t0, t1;
	long i, ret, errors = 0;
	int fd;

	if (n <= 0)
		n = 1;
	setvbuf(stdout, NULL, _IOLBF, 0);

	t0 = clock_ns();
	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	t1 = clock_ns();
	printf("HCBENCH syscall=getppid n=%ld ns_per_call=%.1f\n", n,
	       (double)(t1 - t0) / n);

	fd = privcmd_open();
	if (fd < 0) {
		printf("HCBENCH FAIL open privcmd: %s\n", strerror(errno));
		return 1;
	}
	/* One call first: the answer every timed call must reproduce. */
	ret = ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &hc);
	if (ret < 0) {
		printf("HCBENCH FAIL xen_version: %s\n", strerror(errno));
		return 1;
	}

	t0 = clock_ns();
	for (i = 0; i < n; i++)
		if (ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &hc) != ret)
			errors++;
	t1 = clock_ns();
	close(fd);
	printf("HCBENCH hypercall=xen_version n=%ld ret=%#lx errors=%ld "
	       "ns_per_call=%.1f\n",
	       n, ret, errors, (double)(t1 - t0) / n);
	return errors ? 1 : 0;
}
