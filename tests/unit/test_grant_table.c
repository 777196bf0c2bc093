/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of common/xen/grant_table.c: shared-frame allocation and mapping,
 * and every grant_table_op with good and bad arguments, issued as a guest
 * would (arguments in fake guest memory), by a privileged Dom0 and an
 * unprivileged DomU.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <orchid/domain_mem.h>
#include <orchid/errno.h>
#include <orchid/grant_table.h>
#include <public/grant_table.h>

#include "fake_domain.h"
#include "fake_mem.h"

static struct fake_domain dom0, domu, dom3;

#define ARG_VA	    (FAKE_GUEST_VA + 0x100)
#define LIST_VA	    (FAKE_GUEST_VA + 0x800)
#define INVALID_GFN (~(xen_pfn_t)0)

/* ---- helpers ----------------------------------------------------------- */

static void as(struct fake_domain *fd)
{
	fake_current = &fd->vcpu[0];
}

/* grant_table_op(@cmd, @count) by the current vCPU, @arg in guest memory. */
static long call(unsigned int cmd, void *arg, size_t size, unsigned int count)
{
	long rc;

	memcpy(fake_guest_ptr(ARG_VA), arg, size);
	rc = do_grant_table_op(cmd, ARG_VA, count);
	memcpy(arg, fake_guest_ptr(ARG_VA), size);
	return rc;
}

static long query_size(domid_t dom, struct gnttab_query_size *op)
{
	memset(op, 0xee, sizeof(*op));
	op->dom = dom;
	return call(GNTTABOP_query_size, op, sizeof(*op), 1);
}

static long setup_table(domid_t dom, uint32_t nr, uint64_t list,
			struct gnttab_setup_table *op)
{
	memset(op, 0, sizeof(*op));
	op->dom = dom;
	op->nr_frames = nr;
	op->status = 0x7777;
	op->frame_list.p = list;
	return call(GNTTABOP_setup_table, op, sizeof(*op), 1);
}

static xen_pfn_t listed_gfn(unsigned int i)
{
	xen_pfn_t gfn;

	memcpy(&gfn, fake_guest_ptr(LIST_VA + i * sizeof(gfn)), sizeof(gfn));
	return gfn;
}

static long cache_flush(uint64_t addr, uint16_t offset, uint16_t length,
			uint32_t op)
{
	struct gnttab_cache_flush f = {.a.dev_bus_addr = addr,
				       .offset = offset,
				       .length = length,
				       .op = op};

	return call(GNTTABOP_cache_flush, &f, sizeof(f), 1);
}

static int setup(void **state)
{
	fake_mem_init(2048);
	fake_domain_get(&dom0, 0, true, 2, 2);
	fake_domain_get(&domu, 1, false, 2, 2);
	fake_alloc_budget = -1;
	assert_int_equal(gnttab_domain_init(&dom0.d, -1), 0);
	assert_int_equal(gnttab_domain_init(&domu.d, 32), 0);
	fake_p2m_clear();
	fake_reset_records();
	memset(fake_guest_mem, 0, sizeof(fake_guest_mem));
	as(&dom0);
	return 0;
}

static int teardown(void **state)
{
	domain_mem_release_all(&dom0.d);
	domain_mem_release_all(&domu.d);
	domain_mem_release_all(&dom3.d);
	gnttab_domain_destroy(&dom0.d);
	gnttab_domain_destroy(&domu.d);
	gnttab_domain_destroy(&dom3.d);
	fake_domain_put(&dom0);
	fake_domain_put(&domu);
	fake_domain_put(&dom3);
	fake_alloc_budget = -1;
	fake_mem_fini(); /* every page back: nothing leaked */
	return 0;
}

/* ---- domain set-up ----------------------------------------------------- */

static void test_init_limits(void **state)
{
	struct gnttab_query_size q;

	fake_domain_get(&dom3, 3, false, 1, 1);
	assert_int_equal(gnttab_domain_init(&dom3.d, 0), -EINVAL);
	assert_int_equal(gnttab_domain_init(&dom3.d, 65), -EINVAL);
	assert_null(dom3.d.grant_table);
	fake_alloc_budget = 1; /* the table, not its first frame */
	assert_int_equal(gnttab_domain_init(&dom3.d, 4), -ENOMEM);
	assert_null(dom3.d.grant_table);
	fake_alloc_budget = 0;
	assert_int_equal(gnttab_domain_init(&dom3.d, 4), -ENOMEM);
	fake_alloc_budget = -1;
	assert_int_equal(gnttab_domain_init(&dom3.d, 1), 0);
	/* Xen's defaults: 64 frames at most, the first one allocated. */
	assert_int_equal(query_size(DOMID_SELF, &q), 0);
	assert_int_equal(q.status, GNTST_okay);
	assert_int_equal(q.nr_frames, 1);
	assert_int_equal(q.max_nr_frames, 64);
}

/* ---- shared frames ----------------------------------------------------- */

static void test_get_shared_frame(void **state)
{
	struct gnttab_query_size q;
	paddr_t pa, again;
	uint8_t *page;
	unsigned int i;

	assert_int_equal(gnttab_get_shared_frame(&domu.d, 0, &pa), 0);
	page = (uint8_t *)(uintptr_t)pa_addr(pa);
	for (i = 0; i < 4096; i++)
		assert_int_equal(page[i], 0); /* guests must not see old data */
	assert_true(is_aligned(pa_addr(pa), 4096));
	assert_int_equal(gnttab_get_shared_frame(&domu.d, 0, &again), 0);
	assert_int_equal(pa_addr(again), pa_addr(pa));

	/* Asking for the last frame allocates every one before it. */
	assert_int_equal(gnttab_get_shared_frame(&domu.d, 31, &pa), 0);
	as(&domu);
	assert_int_equal(query_size(DOMID_SELF, &q), 0);
	assert_int_equal(q.nr_frames, 32);
	assert_int_equal(q.max_nr_frames, 32);
	assert_int_equal(gnttab_get_shared_frame(&domu.d, 32, &pa), -EINVAL);
	assert_int_equal(gnttab_get_shared_frame(&domu.d, ~0UL, &pa), -EINVAL);
	assert_int_equal(gnttab_get_shared_frame(&dom0.d, 63, &pa), 0);
	assert_int_equal(gnttab_get_shared_frame(&dom0.d, 64, &pa), -EINVAL);
}

static void test_get_shared_frame_out_of_memory(void **state)
{
	struct gnttab_query_size q;
	paddr_t pa;

	fake_alloc_budget = 4; /* two frames: their pages, active entries */
	assert_int_equal(gnttab_get_shared_frame(&dom0.d, 5, &pa), -ENOMEM);
	fake_alloc_budget = -1;
	/* What was allocated stays; the rest comes next time. */
	assert_int_equal(query_size(DOMID_SELF, &q), 0);
	assert_int_equal(q.nr_frames, 3);
	assert_int_equal(gnttab_get_shared_frame(&dom0.d, 5, &pa), 0);
}

static void test_map_shared_frame(void **state)
{
	struct gnttab_setup_table st;
	paddr_t pa;

	assert_int_equal(gnttab_map_shared_frame(&dom0.d, 2, 0x38002), 0);
	assert_int_equal(gnttab_get_shared_frame(&dom0.d, 2, &pa), 0);
	assert_int_equal(fake_p2m_maps, 1);
	assert_ptr_equal(fake_p2m[0].d, &dom0.d);
	assert_int_equal(fake_p2m[0].ipa, 0x38002000ULL);
	assert_int_equal(fake_p2m[0].pa, pa_addr(pa));
	assert_int_equal(fake_p2m[0].type, p2m_xen_page);

	/* As Xen 4.17 on Arm: unmap before mapping elsewhere. */
	assert_int_equal(gnttab_map_shared_frame(&dom0.d, 2, 0x50000), -EBUSY);
	assert_int_equal(gnttab_unmap_shared_frame(&dom0.d, 0x50000), -ENOENT);
	assert_int_equal(gnttab_unmap_shared_frame(&dom0.d, INVALID_GFN),
			 -ENOENT);
	assert_int_equal(gnttab_unmap_shared_frame(&dom0.d, 0x38002), 0);
	assert_int_equal(fake_p2m_unmaps, 1);
	assert_null(fake_p2m[0].d);
	assert_int_equal(gnttab_unmap_shared_frame(&dom0.d, 0x38002), -ENOENT);
	assert_int_equal(gnttab_map_shared_frame(&dom0.d, 2, 0x50000), 0);

	/* setup_table reports where each frame is mapped. */
	assert_int_equal(setup_table(DOMID_SELF, 3, LIST_VA, &st), 0);
	assert_int_equal(st.status, GNTST_okay);
	assert_int_equal(listed_gfn(0), INVALID_GFN);
	assert_int_equal(listed_gfn(1), INVALID_GFN);
	assert_int_equal(listed_gfn(2), 0x50000);

	/* Bad requests. */
	assert_int_equal(gnttab_map_shared_frame(&dom0.d, 64, 0x60000),
			 -EINVAL);
	assert_int_equal(gnttab_map_shared_frame(&dom0.d, 3, 1ULL << 60),
			 -EINVAL);
	fake_p2m_map_error = -ENOMEM;
	assert_int_equal(gnttab_map_shared_frame(&dom0.d, 3, 0x60000), -ENOMEM);
	fake_p2m_map_error = 0;
	/* The failed mapping left nothing behind. */
	assert_int_equal(gnttab_map_shared_frame(&dom0.d, 3, 0x60000), 0);
}

static void test_no_grant_table(void **state)
{
	paddr_t pa;

	fake_domain_get(&dom3, 3, false, 1, 1);
	assert_int_equal(gnttab_get_shared_frame(&dom3.d, 0, &pa), -EINVAL);
	assert_int_equal(gnttab_map_shared_frame(&dom3.d, 0, 1), -EINVAL);
	assert_int_equal(gnttab_unmap_shared_frame(&dom3.d, 1), -ENOENT);
	as(&dom3);
	assert_int_equal(do_grant_table_op(GNTTABOP_query_size, ARG_VA, 1),
			 -ENOSYS);
	gnttab_domain_destroy(&dom3.d);
}

/* ---- hypercall argument handling --------------------------------------- */

static void test_count_and_cmd_checks(void **state)
{
	assert_int_equal(
		do_grant_table_op(GNTTABOP_query_size, ARG_VA, 0x80000000U),
		-EINVAL);
	assert_int_equal(do_grant_table_op(GNTTABOP_map_grant_ref, ARG_VA, ~0U),
			 -EINVAL);
	/* Continuation bits only mean something to cache_flush. */
	assert_int_equal(
		do_grant_table_op(GNTTABOP_query_size | (1 << 12), ARG_VA, 1),
		-EINVAL);
	assert_int_equal(do_grant_table_op(GNTTABOP_dump_table, ARG_VA, 1),
			 -ENOSYS);
	assert_int_equal(do_grant_table_op(GNTTABOP_transfer, ARG_VA, 1),
			 -ENOSYS);
	assert_int_equal(
		do_grant_table_op(GNTTABOP_unmap_and_replace, ARG_VA, 1),
		-ENOSYS);
	assert_int_equal(do_grant_table_op(GNTTABOP_swap_grant_ref, ARG_VA, 1),
			 -ENOSYS);
	assert_int_equal(do_grant_table_op(13, ARG_VA, 1), -ENOSYS);
	assert_int_equal(do_grant_table_op(4095, ARG_VA, 1), -ENOSYS);
}

/* ---- query_size -------------------------------------------------------- */

static void test_query_size(void **state)
{
	struct gnttab_query_size q;

	assert_int_equal(query_size(DOMID_SELF, &q), 0);
	assert_int_equal(q.status, GNTST_okay);
	assert_int_equal(q.nr_frames, 1);
	assert_int_equal(q.max_nr_frames, 64);
	assert_int_equal(query_size(1, &q), 0);
	assert_int_equal(q.status, GNTST_okay);
	assert_int_equal(q.max_nr_frames, 32);
	/* Failures are statuses; the call itself succeeds. */
	assert_int_equal(query_size(9, &q), 0);
	assert_int_equal(q.status, GNTST_bad_domain);
	as(&domu);
	assert_int_equal(query_size(0, &q), 0);
	assert_int_equal(q.status, GNTST_permission_denied);
	assert_int_equal(q.nr_frames, 0xeeeeeeee); /* nothing leaked */
	assert_int_equal(query_size(1, &q), 0);
	assert_int_equal(q.status, GNTST_okay);

	assert_int_equal(call(GNTTABOP_query_size, &q, sizeof(q), 0), -EINVAL);
	assert_int_equal(call(GNTTABOP_query_size, &q, sizeof(q), 2), -EINVAL);
	assert_int_equal(do_grant_table_op(GNTTABOP_query_size, 0, 1), -EFAULT);
	assert_int_equal(
		do_grant_table_op(GNTTABOP_query_size, FAKE_GUEST_RO_VA, 1),
		-EFAULT);
}

/* ---- versions ---------------------------------------------------------- */

static void test_set_version(void **state)
{
	struct gnttab_set_version v = {.version = 1};

	assert_int_equal(call(GNTTABOP_set_version, &v, sizeof(v), 1), 0);
	assert_int_equal(v.version, 1);
	/* No v2 on Arm: as Xen for a v1-only table. */
	v.version = 2;
	assert_int_equal(call(GNTTABOP_set_version, &v, sizeof(v), 1), -ENOSYS);
	assert_int_equal(v.version, 1);
	v.version = 0;
	assert_int_equal(call(GNTTABOP_set_version, &v, sizeof(v), 1), -EINVAL);
	assert_int_equal(v.version, 1);
	v.version = 3;
	assert_int_equal(call(GNTTABOP_set_version, &v, sizeof(v), 1), -EINVAL);
	assert_int_equal(do_grant_table_op(GNTTABOP_set_version, 0, 1),
			 -EFAULT);
	assert_int_equal(
		do_grant_table_op(GNTTABOP_set_version, FAKE_GUEST_RO_VA, 1),
		-EFAULT);
}

/* Xen answers get_status_frames for v1 tables too: there are none. */
static void test_get_status_frames_v1(void **state)
{
	struct gnttab_get_status_frames op = {
		.nr_frames = 1, .dom = DOMID_SELF, .status = 0x777};

	assert_int_equal(call(GNTTABOP_get_status_frames, &op, sizeof(op), 1),
			 0);
	assert_int_equal(op.status, GNTST_general_error);
	op.nr_frames = 0;
	assert_int_equal(call(GNTTABOP_get_status_frames, &op, sizeof(op), 1),
			 0);
	assert_int_equal(op.status, GNTST_okay);
	op.dom = DOMID_INVALID;
	assert_int_equal(call(GNTTABOP_get_status_frames, &op, sizeof(op), 1),
			 0);
	assert_int_equal(op.status, GNTST_bad_domain);
	assert_int_equal(call(GNTTABOP_get_status_frames, &op, sizeof(op), 2),
			 -EINVAL);
	assert_int_equal(do_grant_table_op(GNTTABOP_get_status_frames, 0, 1),
			 -EFAULT);
}

static void test_get_version(void **state)
{
	struct gnttab_get_version v = {
		.dom = DOMID_SELF, .pad = 0x1234, .version = 99};

	assert_int_equal(call(GNTTABOP_get_version, &v, sizeof(v), 1), 0);
	assert_int_equal(v.version, 1);
	assert_int_equal(v.dom, DOMID_SELF); /* only the version is written */
	assert_int_equal(v.pad, 0x1234);
	v.dom = 1;
	assert_int_equal(call(GNTTABOP_get_version, &v, sizeof(v), 1), 0);
	v.dom = 9;
	assert_int_equal(call(GNTTABOP_get_version, &v, sizeof(v), 1), -ESRCH);
	as(&domu);
	v.dom = 0;
	assert_int_equal(call(GNTTABOP_get_version, &v, sizeof(v), 1), -EPERM);
	assert_int_equal(do_grant_table_op(GNTTABOP_get_version, 0, 1),
			 -EFAULT);
}

/* ---- setup_table ------------------------------------------------------- */

static void test_setup_table(void **state)
{
	struct gnttab_setup_table st;
	struct gnttab_query_size q;

	assert_int_equal(setup_table(DOMID_SELF, 4, LIST_VA, &st), 0);
	assert_int_equal(st.status, GNTST_okay);
	assert_int_equal(st.nr_frames, 4); /* only the status is written */
	assert_int_equal(listed_gfn(0), INVALID_GFN);
	assert_int_equal(listed_gfn(3), INVALID_GFN);
	assert_int_equal(query_size(DOMID_SELF, &q), 0);
	assert_int_equal(q.nr_frames, 4);
	/* No frames asked for: fine, and no list needed. */
	assert_int_equal(setup_table(DOMID_SELF, 0, 0, &st), 0);
	assert_int_equal(st.status, GNTST_okay);

	assert_int_equal(setup_table(DOMID_SELF, 65, LIST_VA, &st), 0);
	assert_int_equal(st.status, GNTST_general_error);
	assert_int_equal(setup_table(DOMID_SELF, 2, 0, &st), 0);
	assert_int_equal(st.status, GNTST_bad_virt_addr);
	assert_int_equal(setup_table(DOMID_SELF, 2, FAKE_GUEST_RO_VA, &st), 0);
	assert_int_equal(st.status, GNTST_bad_virt_addr);
	assert_int_equal(setup_table(7, 1, LIST_VA, &st), 0);
	assert_int_equal(st.status, GNTST_bad_domain);
	/* Dom0 may set up DomU's table, not the other way round. */
	assert_int_equal(setup_table(1, 32, LIST_VA, &st), 0);
	assert_int_equal(st.status, GNTST_okay);
	assert_int_equal(setup_table(1, 33, LIST_VA, &st), 0);
	assert_int_equal(st.status, GNTST_general_error);
	as(&domu);
	assert_int_equal(setup_table(0, 1, LIST_VA, &st), 0);
	assert_int_equal(st.status, GNTST_permission_denied);

	assert_int_equal(call(GNTTABOP_setup_table, &st, sizeof(st), 2),
			 -EINVAL);
	assert_int_equal(do_grant_table_op(GNTTABOP_setup_table, 0, 1),
			 -EFAULT);
	/* Readable but the status cannot be written back. */
	memcpy(fake_guest_ptr(FAKE_GUEST_RO_VA), &st, sizeof(st));
	assert_int_equal(
		do_grant_table_op(GNTTABOP_setup_table, FAKE_GUEST_RO_VA, 1),
		-EFAULT);
}

static void test_setup_table_out_of_memory(void **state)
{
	struct gnttab_setup_table st;

	fake_alloc_budget = 1;
	assert_int_equal(setup_table(DOMID_SELF, 8, LIST_VA, &st), 0);
	assert_int_equal(st.status, GNTST_general_error);
	fake_alloc_budget = -1;
}

/* ---- cache_flush ------------------------------------------------------- */

static void test_cache_flush_probe(void **state)
{
	struct gnttab_cache_flush f = {0};

	/* Linux's xen_mm_init probe: anything but -ENOSYS means supported. */
	assert_int_equal(call(GNTTABOP_cache_flush, &f, sizeof(f), 1), 0);
	assert_int_equal(call(GNTTABOP_cache_flush, &f, sizeof(f), 0), 0);
	assert_int_equal(fake_flush.calls, 0);
	/* With a continuation's progress set, a probe is out of sequence. */
	assert_int_equal(
		do_grant_table_op(GNTTABOP_cache_flush | (5 << 12), ARG_VA, 1),
		-XEN_EILSEQ);
	assert_int_equal(do_grant_table_op(GNTTABOP_cache_flush, 0, 1),
			 -EFAULT);
}

static void test_cache_flush_checks(void **state)
{
	assert_int_equal(cache_flush(0, 4096, 1, GNTTAB_CACHE_CLEAN), -EINVAL);
	assert_int_equal(cache_flush(0, 0, 4097, GNTTAB_CACHE_CLEAN), -EINVAL);
	assert_int_equal(cache_flush(0, 4000, 97, GNTTAB_CACHE_CLEAN), -EINVAL);
	assert_int_equal(cache_flush(0, 0, 1, 1U << 2), -EINVAL);
	/* Rejected by the op check before it could be "not supported". */
	assert_int_equal(
		cache_flush(0, 0, 1,
			    GNTTAB_CACHE_SOURCE_GREF | GNTTAB_CACHE_CLEAN),
		-EINVAL);
	/* Length or op 0: nothing to do, even for a bad address. */
	assert_int_equal(cache_flush(0x1234000, 0, 0, GNTTAB_CACHE_CLEAN), 0);
	assert_int_equal(cache_flush(0x1234000, 0, 10, 0), 0);
	assert_int_equal(fake_flush.calls, 0);
}

static void test_cache_flush_pages(void **state)
{
	uint8_t *page = aligned_alloc(4096, 4096);
	uint64_t pa = (uintptr_t)page;
	uint8_t *other = aligned_alloc(4096, 4096);
	struct gnttab_cache_flush two[2] = {
		{.a.dev_bus_addr = pa, .length = 64, .op = GNTTAB_CACHE_CLEAN},
		{.a.dev_bus_addr = pa,
		 .offset = 4096,
		 .length = 1,
		 .op = GNTTAB_CACHE_CLEAN},
	};

	/* Dom0's own RAM, mapped 1:1. */
	fake_p2m_add(&dom0.d, pa, pa, p2m_ram_rw);
	assert_int_equal(cache_flush(pa + 0x10, 0x100, 0x80,
				     GNTTAB_CACHE_CLEAN | GNTTAB_CACHE_INVAL),
			 0);
	assert_int_equal(fake_flush.calls, 1);
	assert_ptr_equal(fake_flush.va, page + 0x100);
	assert_int_equal(fake_flush.len, 0x80);
	assert_true(fake_flush.clean);
	assert_true(fake_flush.invalidate);
	assert_int_equal(cache_flush(pa, 0, 4096, GNTTAB_CACHE_INVAL), 0);
	assert_false(fake_flush.clean);
	assert_true(fake_flush.invalidate);
	assert_int_equal(fake_flush.len, 4096);

	/* Pages Dom0 does not reach at that address. */
	assert_int_equal(
		cache_flush((uintptr_t)other, 0, 8, GNTTAB_CACHE_CLEAN),
		-EINVAL);
	fake_p2m_add(&dom0.d, (uintptr_t)other, pa, p2m_ram_rw);
	assert_int_equal(
		cache_flush((uintptr_t)other, 0, 8, GNTTAB_CACHE_CLEAN),
		-EINVAL);
	fake_p2m_add(&dom0.d, (uintptr_t)other, (uintptr_t)other,
		     p2m_mmio_direct_dev);
	assert_int_equal(
		cache_flush((uintptr_t)other, 0, 8, GNTTAB_CACHE_CLEAN),
		-EINVAL);
	/* Nor may DomU flush Dom0's page. */
	as(&domu);
	assert_int_equal(cache_flush(pa, 0, 8, GNTTAB_CACHE_CLEAN), -EINVAL);
	as(&dom0);
	assert_int_equal(fake_flush.calls, 2);

	/* A batch stops at the first bad element. */
	memcpy(fake_guest_ptr(ARG_VA), two, sizeof(two));
	assert_int_equal(do_grant_table_op(GNTTABOP_cache_flush, ARG_VA, 2),
			 -EINVAL);
	assert_int_equal(fake_flush.calls, 3);
	assert_int_equal(fake_flush.len, 64);
	two[1].offset = 0;
	memcpy(fake_guest_ptr(ARG_VA), two, sizeof(two));
	assert_int_equal(do_grant_table_op(GNTTABOP_cache_flush, ARG_VA, 2), 0);
	assert_int_equal(fake_flush.calls, 5);

	fake_p2m_clear();
	free(page);
	free(other);
}

static void test_cache_flush_shared_frame(void **state)
{
	paddr_t pa;

	assert_int_equal(gnttab_get_shared_frame(&dom0.d, 0, &pa), 0);
	/* The frame table knows it is Dom0's, mapped or not (Xen's owner). */
	assert_int_equal(cache_flush(pa_addr(pa), 0, 8, GNTTAB_CACHE_CLEAN), 0);
	assert_int_equal(fake_flush.calls, 1);
	/* DomU's, not Dom0's. */
	assert_int_equal(gnttab_get_shared_frame(&domu.d, 0, &pa), 0);
	assert_int_equal(cache_flush(pa_addr(pa), 0, 8, GNTTAB_CACHE_CLEAN),
			 -EINVAL);
	as(&domu);
	assert_int_equal(cache_flush(pa_addr(pa), 0, 8, GNTTAB_CACHE_CLEAN), 0);
	assert_int_equal(fake_flush.calls, 2);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_init_limits),
		T(test_get_shared_frame),
		T(test_get_shared_frame_out_of_memory),
		T(test_map_shared_frame),
		T(test_no_grant_table),
		T(test_count_and_cmd_checks),
		T(test_query_size),
		T(test_set_version),
		T(test_get_status_frames_v1),
		T(test_get_version),
		T(test_setup_table),
		T(test_setup_table_out_of_memory),
		T(test_cache_flush_probe),
		T(test_cache_flush_checks),
		T(test_cache_flush_pages),
		T(test_cache_flush_shared_frame),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
