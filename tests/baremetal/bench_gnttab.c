// SPDX-License-Identifier: MIT
/*
 * The grant rows of mode=bench (bench.c): Dom0 grants one page to itself
 * in refs FIRST_REF.., then per page
 *  - map + unmap (GNTMAP_host_map at a GFN of its own, then unmap), one
 *    page per call and in batches of 16 and 256 pages per call;
 *  - GNTTABOP_copy of 4 KiB from the granted page (source a grant ref, as
 *    a backend copies from its frontend's grant) to a page of its own,
 *    one segment per call and 16 and 256 segments per call.
 * Self-grants as Dom0 work on both Orchid and Xen 4.17.
 */
#include "bench.h"
#include "guest.h"
#include "xen.h"

#define FIRST_REF 10 /* past the toolstack's reserved refs */
#define MAX_BATCH 256

static char gnt_frame[4096] __attribute__((aligned(4096)));
static char granted[4096] __attribute__((aligned(4096)));
static char copy_dst[4096] __attribute__((aligned(4096)));
static char map_at[MAX_BATCH][4096] __attribute__((aligned(4096)));
static struct gnttab_map_grant_ref maps[MAX_BATCH];
static struct gnttab_unmap_grant_ref unmaps[MAX_BATCH];
static struct gnttab_copy copies[MAX_BATCH];

static long gnttab(unsigned int cmd, void *arg, unsigned long count)
{
	return HC3(__HYPERVISOR_grant_table_op, cmd, arg, count);
}

/* Grant table frame 0 over gnt_frame; refs FIRST_REF.. grant `granted`
 * to ourselves. 0, or why not. */
static long self_grant(uint16_t self)
{
	struct grant_entry_v1 *e = (struct grant_entry_v1 *)gnt_frame;
	struct xen_add_to_physmap map = {.domid = DOMID_SELF,
					 .space = XENMAPSPACE_grant_table,
					 .idx = 0,
					 .gpfn = (uintptr_t)gnt_frame >> 12};
	long rc = HC2(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, &map);

	if (rc)
		return rc;
	for (unsigned int i = 0; i < MAX_BATCH; i++) {
		e[FIRST_REF + i].domid = self;
		e[FIRST_REF + i].frame = (uint32_t)((uintptr_t)granted >> 12);
	}
	/* The entries before the flags that make them valid. */
	__asm__ volatile("dmb ishst" ::: "memory");
	for (unsigned int i = 0; i < MAX_BATCH; i++)
		e[FIRST_REF + i].flags = GTF_permit_access;
	return 0;
}

static void fill(uint16_t self, unsigned int count)
{
	for (unsigned int i = 0; i < count; i++) {
		maps[i] = (struct gnttab_map_grant_ref){
			.host_addr = (uintptr_t)map_at[i],
			.flags = GNTMAP_host_map,
			.ref = FIRST_REF + i,
			.dom = self,
		};
		copies[i] = (struct gnttab_copy){
			.source = {.u = FIRST_REF + i, .domid = self},
			.dest = {.u = (uintptr_t)copy_dst >> 12,
				 .domid = DOMID_SELF},
			.len = 4096,
			.flags = GNTCOPY_source_gref,
		};
	}
}

/* One map+unmap round of `count` pages: 0, or the first bad status. */
static long map_unmap(unsigned int count)
{
	long rc = gnttab(GNTTABOP_map_grant_ref, maps, count);

	if (rc)
		return rc;
	for (unsigned int i = 0; i < count; i++) {
		if (maps[i].status)
			return maps[i].status;
		unmaps[i] = (struct gnttab_unmap_grant_ref){
			.host_addr = maps[i].host_addr,
			.handle = maps[i].handle,
		};
	}
	rc = gnttab(GNTTABOP_unmap_grant_ref, unmaps, count);
	for (unsigned int i = 0; !rc && i < count; i++)
		rc = unmaps[i].status;
	return rc;
}

static long copy(unsigned int count)
{
	long rc = gnttab(GNTTABOP_copy, copies, count);

	for (unsigned int i = 0; !rc && i < count; i++)
		rc = copies[i].status;
	return rc;
}

/* Rounds of a batch: about n pages in all, at least 4 rounds. */
static unsigned long rounds(unsigned int count)
{
	unsigned long r = bench_n() / count;

	return r < 4 ? 4 : r;
}

static void row(const char *name, long (*op)(unsigned int), unsigned int count)
{
	unsigned long r = rounds(count);
	uint64_t t0;
	long rc = op(count);

	check_eq(name, rc, 0);
	if (rc || !bench_wanted(name))
		return;
	t0 = bench_now();
	for (unsigned long i = 0; i < r; i++)
		op(count);
	bench_report(name, r * count, bench_now() - t0, 0);
}

/* Dom0's own ID: 0 on both hypervisors. */
void bench_gnttab(void)
{
	uint16_t self = 0;

	memset(granted, 0x5a, sizeof(granted));
	check_eq("self-grant", self_grant(self), 0);
	fill(self, MAX_BATCH);
	row("grant-map-unmap", map_unmap, 1);
	row("grant-map-unmap-x16", map_unmap, 16);
	row("grant-map-unmap-x256", map_unmap, 256);
	row("grant-copy-4k", copy, 1);
	row("grant-copy-4k-x16", copy, 16);
	row("grant-copy-4k-x256", copy, 256);
	check_true("grant-copy-data", copy_dst[4095] == 0x5a, "");
}
