/* SPDX-License-Identifier: MIT */
/*
 * privcmd_domctl: issue two toolstack-only hypercalls from user space
 * through Linux's /dev/xen/privcmd (IOCTL_PRIVCMD_HYPERCALL) and print what
 * the hypervisor answered:
 *
 *   domctl(XEN_DOMCTL_getdomaininfo, domain 0)
 *   sysctl(XEN_SYSCTL_physinfo)
 *
 * In Dom0 (the control domain) both succeed; in a DomU both must fail with
 * -EPERM (Xen's XSM policy: getdomaininfo needs the control or xenstore
 * domain, physinfo the control domain). The interface versions are Xen
 * 4.17's, so a wrong version (-EACCES) is told apart from a refusal.
 *
 * Output, one machine-readable line per call:
 *   PRIVCMD-DOMCTL getdomaininfo rc=0 domain=0 tot_pages=N vcpus=N
 *   PRIVCMD-DOMCTL getdomaininfo rc=-1 errno=1 (Operation not permitted)
 *   PRIVCMD-SYSCTL physinfo rc=0 nr_cpus=N total_pages=N free_pages=N
 *   PRIVCMD-SYSCTL physinfo rc=-1 errno=1 (Operation not permitted)
 * Exit status: 0 when both calls gave what `--expect` asked for
 * (ok: both succeed, eperm: both fail with EPERM; default: print only).
 *
 * `privcmd_domctl --remote-shutdown DOMID REASON` instead shuts domain
 * DOMID down for REASON (0 poweroff, 1 reboot, 3 crash) with
 * SCHEDOP_remote_shutdown, as the hypervisor would on its own: unlike xl
 * shutdown/reboot/sysrq it needs no xenstore, so a test can stop
 * xenstored first. Prints "PRIVCMD-REMOTE-SHUTDOWN rc=N"; exit 0 on rc 0.
 *
 * Build: aarch64-linux-gnu-gcc -O2 -static -o privcmd_domctl privcmd_domctl.c
 * Usage: privcmd_domctl [--expect ok|eperm]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "privcmd_dev.h"

/* Xen 4.17 public ABI (xen.h, domctl.h, sysctl.h), only what is used. */
#define HYPERVISOR_sched_op	     29
#define SCHEDOP_remote_shutdown	     4
#define HYPERVISOR_sysctl	     35
#define XEN_SYSCTL_INTERFACE_VERSION 0x15
#define XEN_SYSCTL_physinfo	     3

/* struct xen_sysctl: an 8-byte header, then a 128-byte union. */
struct sysctl_physinfo {
	uint32_t threads_per_core;
	uint32_t cores_per_socket;
	uint32_t nr_cpus;
	uint32_t max_cpu_id;
	uint32_t nr_nodes;
	uint32_t max_node_id;
	uint32_t cpu_khz;
	uint32_t capabilities;
	uint32_t arch_capabilities;
	uint32_t pad;
	uint64_t total_pages;
	uint64_t free_pages;
	uint64_t scrub_pages;
	uint64_t outstanding_pages;
	uint64_t max_mfn;
	uint32_t hw_cap[8];
};

struct sysctl {
	uint32_t cmd;
	uint32_t interface_version;
	union {
		struct sysctl_physinfo physinfo;
		uint8_t pad[128];
	} u;
};

_Static_assert(sizeof(struct sysctl) == 136, "xen_sysctl is 136 bytes");

enum expect { EXPECT_NOTHING, EXPECT_OK, EXPECT_EPERM };

/* Did one call give what was expected? Prints the errno part of its line. */
static int judge(long rc, int err, enum expect expect)
{
	if (rc < 0)
		printf(" errno=%d (%s)\n", err, strerror(err));
	switch (expect) {
	case EXPECT_OK: return rc >= 0;
	case EXPECT_EPERM: return rc < 0 && err == EPERM;
	default: return 1;
	}
}

struct sched_remote_shutdown {
	uint16_t domain_id;
	uint16_t pad;
	uint32_t reason;
};

static int remote_shutdown(int fd, const char *domid, const char *reason)
{
	struct sched_remote_shutdown *rs = privcmd_arg_page();
	long rc;
	int err;

	if (!rs) {
		printf("PRIVCMD-REMOTE-SHUTDOWN FAIL mmap: %s\n",
		       strerror(errno));
		return 1;
	}
	rs->domain_id = (uint16_t)strtoul(domid, NULL, 0);
	rs->reason = (uint32_t)strtoul(reason, NULL, 0);
	rc = privcmd_call(fd, HYPERVISOR_sched_op, SCHEDOP_remote_shutdown,
			  (uint64_t)(uintptr_t)rs, 0);
	err = errno;
	printf("PRIVCMD-REMOTE-SHUTDOWN rc=%ld", rc);
	judge(rc, err, EXPECT_NOTHING);
	if (rc >= 0)
		printf("\n");
	return rc == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	enum expect expect = EXPECT_NOTHING;
	struct domctl *dc;
	struct sysctl *sc;
	int fd, ok = 1, err;
	long rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && !strcmp(argv[1], "--expect"))
		expect = !strcmp(argv[2], "ok")	     ? EXPECT_OK
			 : !strcmp(argv[2], "eperm") ? EXPECT_EPERM
						     : EXPECT_NOTHING;
	fd = privcmd_open();
	if (fd < 0) {
		printf("PRIVCMD-DOMCTL FAIL open /dev/xen/privcmd: %s\n",
		       strerror(errno));
		return 1;
	}
	if (argc == 4 && !strcmp(argv[1], "--remote-shutdown"))
		return remote_shutdown(fd, argv[2], argv[3]);
	dc = privcmd_arg_page();
	sc = privcmd_arg_page();
	if (!dc || !sc) {
		printf("PRIVCMD-DOMCTL FAIL mmap: %s\n", strerror(errno));
		return 1;
	}

	rc = privcmd_getdomaininfo(fd, dc, 0);
	err = errno;
	printf("PRIVCMD-DOMCTL getdomaininfo rc=%ld", rc);
	if (rc >= 0)
		printf(" domain=%u tot_pages=%llu vcpus=%u\n",
		       dc->u.getdomaininfo.domain,
		       (unsigned long long)dc->u.getdomaininfo.tot_pages,
		       dc->u.getdomaininfo.nr_online_vcpus);
	ok &= judge(rc, err, expect);

	sc->cmd = XEN_SYSCTL_physinfo;
	sc->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	rc = privcmd_hypercall(fd, HYPERVISOR_sysctl, sc);
	err = errno;
	printf("PRIVCMD-SYSCTL physinfo rc=%ld", rc);
	if (rc >= 0)
		printf(" nr_cpus=%u total_pages=%llu free_pages=%llu\n",
		       sc->u.physinfo.nr_cpus,
		       (unsigned long long)sc->u.physinfo.total_pages,
		       (unsigned long long)sc->u.physinfo.free_pages);
	ok &= judge(rc, err, expect);
	close(fd);
	return ok ? 0 : 1;
}
