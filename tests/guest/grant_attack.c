/* SPDX-License-Identifier: MIT */
/*
 * grant_attack: what a hostile DomU tries against the hypervisor's grant
 * tables, from user space through Linux's /dev/xen/privcmd (loaded with
 * unrestricted=1, so the hypervisor is the one that must say no) and
 * /dev/xen/gntalloc. Run inside a DomU by tests/guest/init-domu.sh
 * (orchid.domu=attack); Dom0's toolstack test reads its console lines.
 *
 *   grant_attack selfmap
 *     Guest-safety item 1. Grant a page to ourselves (our domain id is the
 *     one whose map succeeds), map it at an unused GFN G1, then unmap it
 *     naming an empty GFN and the page's own RAM GFN: both must fail
 *     (GNTST_general_error, -1) and leave the mapping at G1, which the
 *     real unmap then removes. Before the fix the first wrong unmap
 *     dropped the pin and the page reference while G1 stayed mapped.
 *       GRANT-ATTACK self=D gfn=0x... g1=0x...
 *       GRANT-ATTACK unmap-empty-gfn status=S
 *       GRANT-ATTACK unmap-own-ram-gfn status=S
 *       GRANT-ATTACK unmap-real status=S
 *       GRANT-ATTACK RESULT PASS|FAIL [why]
 *
 *   grant_attack spread
 *     Guest-safety item 4. Map self-grants (SPREAD_GRANTS of them, up to
 *     SPREAD_PER_GRANT mappings each) at GFNs 2 MiB apart from 4 GiB up,
 *     so that every mapping needs a stage-2 table page of its own: a
 *     hypervisor without a per-domain bound spends a page of host memory
 *     on each; Orchid stops at the domain's table pool (libxl sizes it at
 *     2 MiB for a 128 MiB DomU, 512 pages) with GNTST_general_error.
 *     Everything mapped is unmapped again.
 *       SPREAD maps=N of=M first_error=S unmapped=U
 *
 *   grant_attack storm SECONDS
 *     Guest-safety item 3. For SECONDS, in turn: one GNTTABOP_copy of
 *     SEGS (1,000,000) segments, each copying 8 bytes between two pages of
 *     our own, then a multicall of MC_ENTRIES such calls (8 million
 *     copies in one hypercall). A hypervisor that does not preempt holds
 *     the vCPU's pCPU for the whole call; Dom0 measures how long `xl
 *     pause` of this domain and `xl list` take meanwhile.
 *       STORM start segs=N entries=M
 *       STORM call=I kind=copy|multicall rc=R ms=T bad=B
 *                           (every call; bad: segments whose status is not
 *                            GNTST_okay)
 *       STORM end calls=N max_ms=T
 *
 * Build: aarch64-linux-gnu-gcc -O2 -static -o grant_attack grant_attack.c
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "privcmd_dev.h"

/* Linux 6.1 include/uapi/xen/gntalloc.h. */

struct gntalloc_alloc_gref {
	uint16_t domid;
	uint16_t flags;
	uint32_t count;
	uint64_t index;
	uint32_t gref_ids[1];
};
#define IOCTL_GNTALLOC_ALLOC_GREF                                              \
	_IOC(_IOC_NONE, 'G', 5, sizeof(struct gntalloc_alloc_gref))
struct gntalloc_dealloc_gref {
	uint64_t index;
	uint32_t count;
};
#define IOCTL_GNTALLOC_DEALLOC_GREF                                            \
	_IOC(_IOC_NONE, 'G', 6, sizeof(struct gntalloc_dealloc_gref))
#define GNTALLOC_FLAG_WRITABLE 1

/*
 * The Xen 4.17 ABI as the test guests state it (independently of Orchid's
 * include/public): one statement of those facts for every test program.
 */
#include "../baremetal/xen.h"

_Static_assert(sizeof(struct gnttab_map_grant_ref) == 32, "map op size");
_Static_assert(sizeof(struct gnttab_unmap_grant_ref) == 24, "unmap op size");
_Static_assert(sizeof(struct gnttab_copy) == 40, "copy op size");
_Static_assert(sizeof(struct multicall_entry) == 64, "multicall size");

/* An unused guest-physical page (Xen's guest layout leaves it empty). */
#define G1 0x30000ULL
#define G2 (G1 + 1)

#define SPREAD_GRANTS	 8U
#define SPREAD_PER_GRANT 120U
#define SPREAD_BASE	 0x100000ULL /* GFN of 4 GiB */
#define SPREAD_STEP	 512ULL	     /* 2 MiB */

#define SEGS	   1000000U
#define MC_ENTRIES 8U

static int privcmd;

static long hypercall(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2)
{
	return privcmd_call(privcmd, op, a0, a1, a2);
}

/* Memory the hypervisor reads through our page tables: present, locked. */
static void *locked(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED | MAP_POPULATE,
		       -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	memset(p, 0, size);
	return p;
}

/* The guest frame behind a user address (root reads the PFN). */
static uint64_t gfn_of(const void *va)
{
	uint64_t entry = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);
	off_t off = (off_t)((uintptr_t)va / 4096) * 8;

	if (fd < 0)
		return 0;
	if (pread(fd, &entry, 8, off) != 8)
		entry = 0;
	close(fd);
	return entry >> 63 ? entry & ((1ULL << 55) - 1) : 0;
}

static int16_t map_grant(struct gnttab_map_grant_ref *op, uint16_t dom,
			 uint32_t ref, uint64_t gfn)
{
	*op = (struct gnttab_map_grant_ref){.host_addr = gfn << 12,
					    .flags = GNTMAP_host_map,
					    .ref = ref,
					    .dom = dom,
					    .status = 0x7777};
	if (hypercall(__HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref,
		      (uintptr_t)op, 1) < 0)
		return -99;
	return op->status;
}

static int16_t unmap_grant(struct gnttab_unmap_grant_ref *op, uint32_t handle,
			   uint64_t gfn)
{
	*op = (struct gnttab_unmap_grant_ref){
		.host_addr = gfn << 12, .handle = handle, .status = 0x7777};
	if (hypercall(__HYPERVISOR_grant_table_op, GNTTABOP_unmap_grant_ref,
		      (uintptr_t)op, 1) < 0)
		return -99;
	return op->status;
}

static int selfmap(void)
{
	struct gnttab_map_grant_ref *map = locked(4096);
	struct gnttab_unmap_grant_ref *unmap = (void *)(map + 1);
	struct gntalloc_alloc_gref a;
	int fd = open("/dev/xen/gntalloc", O_RDWR);
	int16_t empty, ownram, real;
	uint16_t self = 0;
	uint8_t *page = NULL;
	uint64_t gfn = 0;

	if (fd < 0 || !map) {
		printf("GRANT-ATTACK RESULT FAIL open gntalloc: %s\n",
		       strerror(errno));
		return 1;
	}
	/* Our domain id: the one whose grant to itself we can map. */
	for (uint16_t d = 1; d < 256 && !self; d++) {
		a = (struct gntalloc_alloc_gref){.domid = d,
						 .flags =
							 GNTALLOC_FLAG_WRITABLE,
						 .count = 1};
		if (ioctl(fd, IOCTL_GNTALLOC_ALLOC_GREF, &a) < 0)
			break;
		if (map_grant(map, d, a.gref_ids[0], G1) == 0) {
			self = d;
			break;
		}
		ioctl(fd, IOCTL_GNTALLOC_DEALLOC_GREF,
		      &(struct gntalloc_dealloc_gref){.index = a.index,
						      .count = 1});
	}
	if (!self) {
		printf("GRANT-ATTACK RESULT FAIL no self-grant could be "
		       "mapped\n");
		return 1;
	}
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		    (off_t)a.index);
	if (page != MAP_FAILED) {
		strcpy((char *)page, "ORCHID-SELF-GRANT");
		gfn = gfn_of(page);
	}
	printf("GRANT-ATTACK self=%u gfn=%#llx g1=%#llx\n", self,
	       (unsigned long long)gfn, G1);
	empty = unmap_grant(unmap, map->handle, G2);
	printf("GRANT-ATTACK unmap-empty-gfn status=%d\n", empty);
	ownram = gfn ? unmap_grant(unmap, map->handle, gfn) : -1;
	printf("GRANT-ATTACK unmap-own-ram-gfn status=%d%s\n", ownram,
	       gfn ? "" : " (skipped: no pagemap)");
	real = unmap_grant(unmap, map->handle, G1);
	printf("GRANT-ATTACK unmap-real status=%d\n", real);
	if (empty != -1 || ownram != -1 || real != 0) {
		printf("GRANT-ATTACK RESULT FAIL wrong unmaps must fail (-1) "
		       "and the real one succeed (0)\n");
		return 1;
	}
	printf("GRANT-ATTACK RESULT PASS\n");
	return 0;
}

/* Our domain id: the one whose grant to itself maps (then unmapped). */
static uint16_t self_domid(int fd, struct gnttab_map_grant_ref *map,
			   struct gnttab_unmap_grant_ref *unmap)
{
	for (uint16_t d = 1; d < 256; d++) {
		struct gntalloc_alloc_gref a = {.domid = d,
						.flags = GNTALLOC_FLAG_WRITABLE,
						.count = 1};
		bool ok;

		if (ioctl(fd, IOCTL_GNTALLOC_ALLOC_GREF, &a) < 0)
			return 0;
		ok = map_grant(map, d, a.gref_ids[0], G1) == 0;
		if (ok)
			unmap_grant(unmap, map->handle, G1);
		ioctl(fd, IOCTL_GNTALLOC_DEALLOC_GREF,
		      &(struct gntalloc_dealloc_gref){.index = a.index,
						      .count = 1});
		if (ok)
			return d;
	}
	return 0;
}

static int spread(void)
{
	struct gnttab_map_grant_ref *map = locked(4096);
	struct gnttab_unmap_grant_ref *unmap = (void *)(map + 1);
	static uint32_t handles[SPREAD_GRANTS * SPREAD_PER_GRANT];
	/* The ioctl writes count grant references from gref_ids on. */
	uint64_t buf[(sizeof(struct gntalloc_alloc_gref) + 4 * SPREAD_GRANTS) /
		     8];
	struct gntalloc_alloc_gref *a = (void *)buf;
	uint32_t refs[SPREAD_GRANTS];
	int fd = open("/dev/xen/gntalloc", O_RDWR);
	unsigned int maps = 0, unmapped = 0;
	int16_t first_error = 0;
	uint16_t self;

	if (fd < 0 || !map) {
		printf("SPREAD FAIL open gntalloc: %s\n", strerror(errno));
		return 1;
	}
	self = self_domid(fd, map, unmap);
	memset(buf, 0, sizeof(buf));
	*a = (struct gntalloc_alloc_gref){.domid = self,
					  .flags = GNTALLOC_FLAG_WRITABLE,
					  .count = SPREAD_GRANTS};
	if (!self || ioctl(fd, IOCTL_GNTALLOC_ALLOC_GREF, a) < 0) {
		printf("SPREAD FAIL no self-grants (self=%u)\n", self);
		return 1;
	}
	memcpy(refs,
	       (char *)buf + offsetof(struct gntalloc_alloc_gref, gref_ids),
	       sizeof(refs));
	for (unsigned int i = 0; i < SPREAD_GRANTS * SPREAD_PER_GRANT; i++) {
		int16_t st = map_grant(map, self, refs[i / SPREAD_PER_GRANT],
				       SPREAD_BASE + i * SPREAD_STEP);

		if (st) {
			first_error = st;
			break;
		}
		handles[maps++] = map->handle;
	}
	for (unsigned int i = 0; i < maps; i++)
		unmapped += unmap_grant(unmap, handles[i],
					SPREAD_BASE + i * SPREAD_STEP) == 0;
	printf("SPREAD maps=%u of=%u first_error=%d unmapped=%u\n", maps,
	       SPREAD_GRANTS * SPREAD_PER_GRANT, first_error, unmapped);
	return 0;
}

static uint64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

static int storm(unsigned int seconds)
{
	struct gnttab_copy *segs = locked(SEGS * sizeof(*segs));
	struct multicall_entry *mc = locked(MC_ENTRIES * sizeof(*mc));
	uint8_t *pages = locked(2 * 4096);
	uint64_t src, dst, start = now_ms(), max_ms = 0;
	unsigned int calls = 0;

	if (!segs || !mc || !pages) {
		printf("STORM FAIL mmap: %s\n", strerror(errno));
		return 1;
	}
	src = gfn_of(pages);
	dst = gfn_of(pages + 4096);
	for (unsigned int i = 0; i < SEGS; i++)
		segs[i] = (struct gnttab_copy){
			.source = {.u = src, .domid = DOMID_SELF},
			.dest = {.u = dst, .domid = DOMID_SELF},
			.len = 8};
	for (unsigned int i = 0; i < MC_ENTRIES; i++)
		mc[i] = (struct multicall_entry){
			.op = __HYPERVISOR_grant_table_op,
			.args = {GNTTABOP_copy, (uintptr_t)segs, SEGS}};
	printf("STORM start segs=%u entries=%u\n", SEGS, MC_ENTRIES);
	while (now_ms() - start < seconds * 1000ULL) {
		bool multi = calls & 1;
		uint64_t t0 = now_ms(), ms;
		unsigned int bad = 0;
		long rc;

		for (unsigned int i = 0; i < SEGS; i++)
			segs[i].status = 0x7777;
		rc = multi ? hypercall(__HYPERVISOR_multicall, (uintptr_t)mc,
				       MC_ENTRIES, 0)
			   : hypercall(__HYPERVISOR_grant_table_op,
				       GNTTABOP_copy, (uintptr_t)segs, SEGS);
		ms = now_ms() - t0;
		max_ms = ms > max_ms ? ms : max_ms;
		for (unsigned int i = 0; i < SEGS; i++)
			bad += segs[i].status != 0;
		printf("STORM call=%u kind=%s rc=%ld ms=%llu bad=%u\n", calls,
		       multi ? "multicall" : "copy", rc, (unsigned long long)ms,
		       bad);
		calls++;
	}
	printf("STORM end calls=%u max_ms=%llu\n", calls,
	       (unsigned long long)max_ms);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	privcmd = privcmd_open();
	if (privcmd < 0) {
		printf("GRANT-ATTACK RESULT FAIL open privcmd: %s\n",
		       strerror(errno));
		return 1;
	}
	if (argc == 2 && !strcmp(argv[1], "selfmap"))
		return selfmap();
	if (argc == 2 && !strcmp(argv[1], "spread"))
		return spread();
	if (argc == 3 && !strcmp(argv[1], "storm"))
		return storm((unsigned int)atoi(argv[2]));
	fprintf(stderr,
		"usage: grant_attack selfmap | spread | storm SECONDS\n");
	return 2;
}
