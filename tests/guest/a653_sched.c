/* SPDX-License-Identifier: MIT */
/*
 * a653_sched: install an ARINC 653 schedule from Dom0 user space, as Debian's
 * xl cannot (it has no sched-arinc653 command): one minor frame per named
 * domain (its vCPU 0), the major frame their sum, through
 * XEN_SYSCTL_scheduler_op on /dev/xen/privcmd, then read it back.
 *
 *   a653_sched DOMID MS [DOMID MS]...
 *
 * Each domain's UUID and cpupool come from XEN_DOMCTL_getdomaininfo; all
 * must be in the same pool, whose scheduler must be ARINC 653.
 * Output, machine-readable:
 *   A653 put rc=0 pool=N major_ns=N entries=N
 *   A653 get rc=0 major_ns=N entries=N [dN:vV:NS]...
 *   A653 ... rc=-1 errno=N (text)
 * Exit status 0 when both calls succeeded and the schedule read back as put.
 *
 * Build: aarch64-linux-gnu-gcc -O2 -static -o a653_sched a653_sched.c
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
#define HYPERVISOR_sysctl		  35
#define XEN_SYSCTL_INTERFACE_VERSION	  0x15
#define XEN_SYSCTL_scheduler_op		  19
#define XEN_SYSCTL_SCHEDOP_putinfo	  0
#define XEN_SYSCTL_SCHEDOP_getinfo	  1
#define XEN_SCHEDULER_ARINC653		  7
#define ARINC653_MAX_DOMAINS_PER_SCHEDULE 64
#define NS_PER_MS			  1000000ULL

/* xen_sysctl_scheduler_op: the schedule is passed by a guest handle. */
struct sysctl_scheduler_op {
	uint32_t cpupool_id;
	uint32_t sched_id;
	uint32_t cmd;
	uint32_t pad;
	uint64_t
		schedule; /* XEN_GUEST_HANDLE_64(xen_sysctl_arinc653_schedule_t) */
};

struct sysctl {
	uint32_t cmd;
	uint32_t interface_version;
	union {
		struct sysctl_scheduler_op scheduler_op;
		uint8_t pad[128];
	} u;
};

struct arinc653_schedule {
	uint64_t major_frame;
	uint8_t num_sched_entries;
	struct {
		uint8_t dom_handle[16];
		uint32_t vcpu_id;
		uint64_t runtime;
	} sched_entries[ARINC653_MAX_DOMAINS_PER_SCHEDULE];
};

_Static_assert(sizeof(struct sysctl) == 136, "xen_sysctl is 136 bytes");
_Static_assert(sizeof(struct arinc653_schedule) == 16 + 64 * 32,
	       "xen_sysctl_arinc653_schedule is 2064 bytes");

struct args {
	unsigned int nr;
	unsigned int domid[ARINC653_MAX_DOMAINS_PER_SCHEDULE];
	unsigned long ms[ARINC653_MAX_DOMAINS_PER_SCHEDULE];
};

static int fail(const char *what, long rc)
{
	int err = errno;

	printf("A653 %s rc=%ld errno=%d (%s)\n", what, rc, err, strerror(err));
	return 1;
}

static int parse(int argc, char **argv, struct args *a)
{
	if (argc < 3 || (argc - 1) % 2 ||
	    (argc - 1) / 2 > ARINC653_MAX_DOMAINS_PER_SCHEDULE)
		return -1;
	a->nr = (unsigned int)(argc - 1) / 2;
	for (unsigned int i = 0; i < a->nr; i++) {
		a->domid[i] = (unsigned int)strtoul(argv[1 + 2 * i], NULL, 0);
		a->ms[i] = strtoul(argv[2 + 2 * i], NULL, 0);
	}
	return 0;
}

/* Domain @domid's UUID into @handle and its pool into *@pool. */
static int domain_info(int fd, struct domctl *dc, unsigned int domid,
		       uint8_t *handle, uint32_t *pool)
{
	long rc;

	rc = privcmd_getdomaininfo(fd, dc, domid);
	if (rc < 0)
		return fail("getdomaininfo", rc);
	if (dc->u.getdomaininfo.domain != domid) {
		printf("A653 getdomaininfo: no domain %u\n", domid);
		return 1;
	}
	memcpy(handle, dc->u.getdomaininfo.handle, 16);
	*pool = dc->u.getdomaininfo.cpupool;
	return 0;
}

static long sched_op(int fd, struct sysctl *sc, uint32_t pool, uint32_t cmd,
		     struct arinc653_schedule *s)
{
	memset(sc, 0, sizeof(*sc));
	sc->cmd = XEN_SYSCTL_scheduler_op;
	sc->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	sc->u.scheduler_op.cpupool_id = pool;
	sc->u.scheduler_op.sched_id = XEN_SCHEDULER_ARINC653;
	sc->u.scheduler_op.cmd = cmd;
	sc->u.scheduler_op.schedule = (uint64_t)(uintptr_t)s;
	return privcmd_hypercall(fd, HYPERVISOR_sysctl, sc);
}

/* Print the schedule read back; 0 when it is @want's. */
static int report(const struct arinc653_schedule *got,
		  const struct arinc653_schedule *want)
{
	printf("A653 get rc=0 major_ns=%llu entries=%u",
	       (unsigned long long)got->major_frame, got->num_sched_entries);
	for (unsigned int i = 0; i < got->num_sched_entries &&
				 i < ARINC653_MAX_DOMAINS_PER_SCHEDULE;
	     i++)
		printf(" %02x%02x..:v%u:%llu",
		       got->sched_entries[i].dom_handle[0],
		       got->sched_entries[i].dom_handle[1],
		       got->sched_entries[i].vcpu_id,
		       (unsigned long long)got->sched_entries[i].runtime);
	printf("\n");
	if (got->major_frame != want->major_frame ||
	    got->num_sched_entries != want->num_sched_entries)
		return 1;
	/* Field by field: Xen fills the padding with ones. */
	for (unsigned int i = 0; i < want->num_sched_entries; i++)
		if (memcmp(got->sched_entries[i].dom_handle,
			   want->sched_entries[i].dom_handle, 16) ||
		    got->sched_entries[i].vcpu_id !=
			    want->sched_entries[i].vcpu_id ||
		    got->sched_entries[i].runtime !=
			    want->sched_entries[i].runtime)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	struct arinc653_schedule *put, *got;
	struct args a;
	struct domctl *dc;
	struct sysctl *sc;
	uint32_t pool = 0, p;
	int fd;
	long rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (parse(argc, argv, &a)) {
		fprintf(stderr, "usage: a653_sched DOMID MS [DOMID MS]...\n");
		return 2;
	}
	fd = privcmd_open();
	dc = privcmd_arg_page();
	sc = privcmd_arg_page();
	put = privcmd_arg_page();
	got = privcmd_arg_page();
	if (fd < 0 || !dc || !sc || !put || !got)
		return fail("open/mmap", -1);
	put->num_sched_entries = (uint8_t)a.nr;
	for (unsigned int i = 0; i < a.nr; i++) {
		if (domain_info(fd, dc, a.domid[i],
				put->sched_entries[i].dom_handle, &p))
			return 1;
		if (i && p != pool) {
			printf("A653 domains %u and %u are in pools %u and "
			       "%u\n",
			       a.domid[0], a.domid[i], pool, p);
			return 1;
		}
		pool = p;
		put->sched_entries[i].vcpu_id = 0;
		put->sched_entries[i].runtime = a.ms[i] * NS_PER_MS;
		put->major_frame += a.ms[i] * NS_PER_MS;
	}
	rc = sched_op(fd, sc, pool, XEN_SYSCTL_SCHEDOP_putinfo, put);
	if (rc < 0)
		return fail("put", rc);
	printf("A653 put rc=0 pool=%u major_ns=%llu entries=%u\n", pool,
	       (unsigned long long)put->major_frame, a.nr);
	rc = sched_op(fd, sc, pool, XEN_SYSCTL_SCHEDOP_getinfo, got);
	if (rc < 0)
		return fail("get", rc);
	return report(got, put);
}
