/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of preemptible hypercalls (common/xen/preempt.c and the loops
 * that use it): with work pending on the pCPU (asm/fake.h's
 * fake_irq_pending), a long batch stops after at most
 * HYPERCALL_PREEMPT_UNITS units and leaves a continuation with its
 * arguments advanced, exactly as Xen 4.17 encodes them; re-issuing it
 * until it completes, as a guest's HVC does, gives what one long call
 * gives; and a stopped call leaves nothing half-done. Calls go through
 * the real dispatcher, with arguments in the fake guest memory and the
 * real grant tables, frame table and event channels underneath.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <asm/fake.h>
#include <orchid/domain_mem.h>
#include <orchid/errno.h>
#include <orchid/event.h>
#include <orchid/grant_table.h>
#include <orchid/hypercall.h>
#include <orchid/hypercalls.h>
#include <orchid/mm.h>
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/memory.h>

#include "fake_domain.h"
#include "fake_mem.h"

#define ARENA_PAGES 4096
#define ARG_VA	    (FAKE_GUEST_VA + 0x100)
#define LIST_VA	    (FAKE_GUEST_VA + 0x400) /* up to 1024 xen_pfn_t */
#define RAM	    0x40000ULL		    /* DomU's first GFN */
#define HOST	    0x90000ULL		    /* Dom0's GFNs for grant maps */
#define N	    HYPERCALL_PREEMPT_UNITS

static struct fake_domain dom0, domu;
static uint64_t ram_pa;	   /* DomU's 4 pages at RAM.. */
static uint64_t dom0_page; /* a page of Dom0's own RAM, at GFN == page */
static uint64_t free0;

static void as(struct fake_domain *fd)
{
	fake_current = &fd->vcpu[0];
	fake_current->hcall.work = 0;
}

static int setup(void **state)
{
	paddr_t pa;
	void *block;

	fake_mem_init(ARENA_PAGES);
	fake_domain_get(&dom0, 0, true, 1, 1);
	dom0.d.direct_mapped = true;
	fake_domain_get(&domu, 1, false, 1, 1);
	assert_int_equal(gnttab_domain_init(&dom0.d, -1), 0);
	assert_int_equal(gnttab_domain_init(&domu.d, 32), 0);
	assert_int_equal(evtchn_domain_init(&domu.d, 1023), 0);
	fake_p2m_clear();
	fake_ipa_bits = 48; /* Dom0's GFNs are host page numbers */
	fake_reset_records();
	fake_alloc_budget = -1;
	fake_irq_pending = false;
	fake_irq_pending_after = -1;

	domain_mem_set_max(&domu.d, 4);
	assert_int_equal(domain_mem_alloc(&domu.d, 2, 0, &pa), 0);
	assert_int_equal(domain_mem_map(&domu.d, RAM, pa, 4, p2m_ram_rw), 0);
	ram_pa = pa_addr(pa);
	block = alloc_pages(0);
	assert_int_equal(domain_mem_assign(&dom0.d, block, 0), 0);
	dom0_page = (uintptr_t)block;
	assert_int_equal(domain_mem_map(&dom0.d, dom0_page >> PAGE_SHIFT,
					pa_init(dom0_page), 1, p2m_ram_rw),
			 0);
	free0 = fake_mem_free();
	as(&dom0);
	return 0;
}

static int teardown(void **state)
{
	struct fake_domain *all[] = {&dom0, &domu};

	fake_irq_pending = false;
	fake_irq_pending_after = -1;
	fake_guest_big_fini();
	evtchn_domain_destroy(&domu.d);
	for (unsigned int i = 0; i < ARRAY_SIZE(all); i++)
		domain_mem_release_all(&all[i]->d);
	for (unsigned int i = 0; i < ARRAY_SIZE(all); i++) {
		gnttab_domain_destroy(&all[i]->d);
		fake_domain_put(all[i]);
	}
	assert_int_equal(fake_p2m_locked, 0);
	fake_mem_fini(); /* every page back */
	return 0;
}

/* ---- issuing hypercalls as the trap path does ------------------------- */

/*
 * One HVC: @args are the guest's x0-x4. Returns the result, or sets
 * *@again when the call left a continuation (x0 must not be written).
 */
static long hvc(unsigned long nr, uint64_t args[5], bool *again)
{
	long ret = hypercall_dispatch(nr, args);

	*again = hypercall_preempted(fake_current);
	return ret;
}

/* Re-execute the HVC until the call completes; *@rounds counts HVCs. */
static long hvc_until_done(unsigned long nr, uint64_t args[5],
			   unsigned long *rounds)
{
	bool again = true;
	long ret = 0;

	for (*rounds = 0; again; ++*rounds)
		ret = hvc(nr, args, &again);
	return ret;
}

/* Stubs for the hypercalls this test does not use. */
static long stub(const uint64_t a[5])
{
	(void)a;
	return -ENOSYS;
}

long hc_platform_op(const uint64_t a[5])
{
	return stub(a);
}

long hc_console_io(const uint64_t a[5])
{
	return stub(a);
}

long hc_vm_assist(const uint64_t a[5])
{
	return stub(a);
}

long hc_vcpu_op(const uint64_t a[5])
{
	return stub(a);
}

long hc_sched_op(const uint64_t a[5])
{
	return stub(a);
}

long hc_physdev_op(const uint64_t a[5])
{
	return stub(a);
}

long hc_hvm_op(const uint64_t a[5])
{
	return stub(a);
}

long hc_sysctl(const uint64_t a[5])
{
	return stub(a);
}

long hc_domctl(const uint64_t a[5])
{
	return stub(a);
}

/* A cheap call whose result tells the entry it came from. */
long hc_xen_version(const uint64_t a[5])
{
	return (long)(a[0] * 3 + 1);
}

/* ---- grants ------------------------------------------------------------ */

static struct grant_entry_v1 *entry(struct fake_domain *fd, grant_ref_t ref)
{
	paddr_t pa;

	assert_int_equal(gnttab_get_shared_frame(&fd->d, ref / 512, &pa), 0);
	return (struct grant_entry_v1 *)(uintptr_t)pa_addr(pa) + ref % 512;
}

/* DomU grants its page RAM + @page to Dom0 as grant @ref. */
static void grant(grant_ref_t ref, unsigned int page, uint16_t flags)
{
	struct grant_entry_v1 *e = entry(&domu, ref);

	e->domid = 0;
	e->frame = RAM + page;
	e->flags = GTF_permit_access | flags;
}

/*
 * Element @i of a big copy batch: every 1000th copies 8 bytes of DomU's
 * granted page into Dom0's own page, the others fail at once (a foreign
 * frame without a grant: GNTST_permission_denied), which keeps a million
 * of them fast.
 */
static void copy_elem(struct gnttab_copy *c, uint64_t i)
{
	memset(c, 0, sizeof(*c));
	c->len = 8;
	c->status = 0x7777;
	if (i % 1000) {
		c->source.domid = 1;
		c->dest.domid = DOMID_SELF;
		return;
	}
	c->flags = GNTCOPY_source_gref;
	c->source.u.ref = 0;
	c->source.domid = 1;
	c->source.offset = (uint16_t)((i / 1000 * 8) % PAGE_SIZE);
	c->dest.u.gmfn = dom0_page >> PAGE_SHIFT;
	c->dest.domid = DOMID_SELF;
	c->dest.offset = c->source.offset;
}

static void fill_copies(uint64_t va, uint64_t count)
{
	struct gnttab_copy *c = fake_guest_ptr(va);

	for (uint64_t i = 0; i < count; i++)
		copy_elem(&c[i], i);
}

static void fill_pattern(void)
{
	uint8_t *src = (uint8_t *)(uintptr_t)(ram_pa + PAGE_SIZE);

	for (unsigned int i = 0; i < PAGE_SIZE; i++)
		src[i] = (uint8_t)(i * 7 + 1);
	memset((void *)(uintptr_t)dom0_page, 0, PAGE_SIZE);
}

#define COPIES	  1000000ULL
#define COPY_SIZE sizeof(struct gnttab_copy)

/*
 * A copy of a million segments stops after at most N of them, with uop
 * advanced and count reduced by the segments done; those have their
 * status, the rest are untouched. Re-issued until done, it gives what
 * one long call gives, and the grant is left as it was.
 */
static void test_copy_million(void **state)
{
	uint64_t va = FAKE_GUEST_BIG_VA;
	uint8_t *one = malloc(COPIES * COPY_SIZE);
	uint8_t page[PAGE_SIZE];
	uint64_t args[5], done;
	unsigned long rounds;
	bool again;
	long ret;

	assert_non_null(one);
	fake_guest_big_init(COPIES * COPY_SIZE);
	grant(0, 1, GTF_readonly);

	/* One long call, nothing pending: the reference. */
	fill_pattern();
	fill_copies(va, COPIES);
	args[0] = GNTTABOP_copy;
	args[1] = va;
	args[2] = COPIES;
	assert_int_equal(hvc(__HYPERVISOR_grant_table_op, args, &again), 0);
	assert_false(again);
	memcpy(one, fake_guest_ptr(va), COPIES * COPY_SIZE);
	memcpy(page, (void *)(uintptr_t)dom0_page, PAGE_SIZE);

	/* Work pending all along: N segments per call. */
	fill_pattern();
	fill_copies(va, COPIES);
	fake_irq_pending = true;
	args[0] = GNTTABOP_copy;
	args[1] = va;
	args[2] = COPIES;
	ret = hvc(__HYPERVISOR_grant_table_op, args, &again);
	assert_true(again);
	assert_int_equal(ret, GNTTABOP_copy); /* x0 stays the command */
	assert_int_equal(args[0], GNTTABOP_copy);
	done = (args[1] - va) / COPY_SIZE;
	assert_int_equal((args[1] - va) % COPY_SIZE, 0);
	assert_in_range(done, 1, N);
	assert_int_equal(args[2], COPIES - done);
	for (uint64_t i = 0; i < COPIES; i++) {
		struct gnttab_copy *c = fake_guest_ptr(va + i * COPY_SIZE);

		if (i == done + 2)
			break;
		if (i < done)
			assert_int_not_equal(c->status, 0x7777);
		else
			assert_int_equal(c->status, 0x7777);
	}
	/* Nothing pinned between two calls. */
	assert_int_equal(entry(&domu, 0)->flags,
			 GTF_permit_access | GTF_readonly);

	assert_int_equal(
		hvc_until_done(__HYPERVISOR_grant_table_op, args, &rounds), 0);
	assert_in_range(rounds, (COPIES - done) / N, COPIES);
	assert_memory_equal(fake_guest_ptr(va), one, COPIES * COPY_SIZE);
	assert_memory_equal((void *)(uintptr_t)dom0_page, page, PAGE_SIZE);
	assert_int_equal(entry(&domu, 0)->flags,
			 GTF_permit_access | GTF_readonly);
	assert_int_equal(fake_mem_free(), free0);
	free(one);
}

/* Without pending work, a long batch is never cut. */
static void test_no_work_no_continuation(void **state)
{
	uint64_t args[5] = {GNTTABOP_copy, LIST_VA, 200};
	bool again;

	fill_copies(LIST_VA, 200);
	assert_int_equal(hvc(__HYPERVISOR_grant_table_op, args, &again), 0);
	assert_false(again);
	assert_true(fake_irq_checks > 0);
}

/*
 * A map batch stopped half-way has mapped exactly the elements before
 * its new uop, each with its handle; the unmap batch likewise.
 */
static void test_map_unmap_continue(void **state)
{
	struct gnttab_map_grant_ref *m;
	struct gnttab_unmap_grant_ref *u;
	const uint64_t count = 3 * N + 5;
	uint64_t args[5];
	unsigned long rounds;
	bool again;

	fake_guest_big_init(1 << 20);
	m = fake_guest_ptr(FAKE_GUEST_BIG_VA);
	u = fake_guest_ptr(FAKE_GUEST_BIG_VA + (1 << 19));
	for (grant_ref_t ref = 0; ref < count; ref++) {
		grant(ref, ref % 4, 0);
		m[ref] = (struct gnttab_map_grant_ref){
			.host_addr = (HOST + ref) << PAGE_SHIFT,
			.flags = GNTMAP_host_map,
			.ref = ref,
			.dom = 1,
			.status = 0x7777,
		};
	}
	fake_irq_pending = true;
	args[0] = GNTTABOP_map_grant_ref;
	args[1] = FAKE_GUEST_BIG_VA;
	args[2] = count;
	hvc(__HYPERVISOR_grant_table_op, args, &again);
	assert_true(again);
	assert_int_equal(args[0], GNTTABOP_map_grant_ref);
	assert_int_equal(args[1], FAKE_GUEST_BIG_VA + N * sizeof(*m));
	assert_int_equal(args[2], count - N);
	assert_int_equal(fake_p2m_count(&dom0.d), 1 + N);
	assert_int_equal(m[N - 1].status, GNTST_okay);
	assert_int_equal(m[N].status, 0x7777);
	assert_int_equal(
		hvc_until_done(__HYPERVISOR_grant_table_op, args, &rounds), 0);
	assert_int_equal(rounds, 3);
	assert_int_equal(fake_p2m_count(&dom0.d), 1 + count);
	for (grant_ref_t ref = 0; ref < count; ref++) {
		assert_int_equal(m[ref].status, GNTST_okay);
		assert_int_equal(entry(&domu, ref)->flags,
				 GTF_permit_access | GTF_reading | GTF_writing);
		u[ref] = (struct gnttab_unmap_grant_ref){
			.host_addr = m[ref].host_addr,
			.handle = m[ref].handle,
			.status = 0x7777,
		};
	}

	args[0] = GNTTABOP_unmap_grant_ref;
	args[1] = FAKE_GUEST_BIG_VA + (1 << 19);
	args[2] = count;
	hvc(__HYPERVISOR_grant_table_op, args, &again);
	assert_true(again);
	assert_int_equal(args[1],
			 FAKE_GUEST_BIG_VA + (1 << 19) + N * sizeof(*u));
	assert_int_equal(args[2], count - N);
	assert_int_equal(fake_p2m_count(&dom0.d), 1 + count - N);
	assert_int_equal(entry(&domu, N - 1)->flags, GTF_permit_access);
	assert_int_equal(entry(&domu, N)->flags,
			 GTF_permit_access | GTF_reading | GTF_writing);
	assert_int_equal(
		hvc_until_done(__HYPERVISOR_grant_table_op, args, &rounds), 0);
	assert_int_equal(fake_p2m_count(&dom0.d), 1);
	for (grant_ref_t ref = 0; ref < count; ref++) {
		assert_int_equal(u[ref].status, GNTST_okay);
		assert_int_equal(entry(&domu, ref)->flags, GTF_permit_access);
	}
	assert_int_equal(fake_mem_free(), free0);
}

/*
 * cache_flush of a page Dom0 maps by a grant far into DomU's table: the
 * search for the grant goes 4096 entries at a time, its progress in the
 * command's bits above 12 (Xen's GNTTABOP_CONTINUATION_ARG_SHIFT).
 */
static void test_cache_flush_continue(void **state)
{
	struct gnttab_map_grant_ref map = {.host_addr = HOST << PAGE_SHIFT,
					   .flags = GNTMAP_host_map,
					   .ref = 10000,
					   .dom = 1};
	struct gnttab_cache_flush f[2];
	uint64_t args[5];
	unsigned long rounds;
	bool again;

	grant(10000, 2, 0);
	memcpy(fake_guest_ptr(ARG_VA), &map, sizeof(map));
	assert_int_equal(do_grant_table_op(GNTTABOP_map_grant_ref, ARG_VA, 1),
			 0);
	memcpy(&map, fake_guest_ptr(ARG_VA), sizeof(map));
	assert_int_equal(map.status, GNTST_okay);

	for (unsigned int i = 0; i < 2; i++)
		f[i] = (struct gnttab_cache_flush){
			.a.dev_bus_addr = map.dev_bus_addr,
			.offset = 16 * i,
			.length = 64,
			.op = GNTTAB_CACHE_CLEAN,
		};
	memcpy(fake_guest_ptr(LIST_VA), f, sizeof(f));
	fake_flush.calls = 0;
	fake_irq_pending = true;
	args[0] = GNTTABOP_cache_flush;
	args[1] = LIST_VA;
	args[2] = 2;
	hvc(__HYPERVISOR_grant_table_op, args, &again);
	assert_true(again);
	assert_int_equal(args[0], 4096 | GNTTABOP_cache_flush);
	assert_int_equal(args[1], LIST_VA);
	assert_int_equal(args[2], 2);
	assert_int_equal(fake_flush.calls, 0);
	hvc(__HYPERVISOR_grant_table_op, args, &again);
	assert_true(again);
	assert_int_equal(args[0], 8192 | GNTTABOP_cache_flush);
	/* Found in the third slice: the first element is flushed. */
	hvc(__HYPERVISOR_grant_table_op, args, &again);
	assert_true(again);
	assert_int_equal(fake_flush.calls, 1);
	assert_int_equal(args[1], LIST_VA + sizeof(f[0]));
	assert_int_equal(args[2], 1);
	assert_int_equal(args[0], GNTTABOP_cache_flush);
	assert_int_equal(
		hvc_until_done(__HYPERVISOR_grant_table_op, args, &rounds), 0);
	assert_int_equal(rounds, 3);
	assert_int_equal(fake_flush.calls, 2);
	assert_int_equal(fake_flush.len, 64);

	/* Progress with nothing to flush is a sequence error, as in Xen. */
	f[0].length = 0;
	memcpy(fake_guest_ptr(LIST_VA), f, sizeof(f));
	fake_irq_pending = false;
	assert_int_equal(
		do_grant_table_op(4096 | GNTTABOP_cache_flush, LIST_VA, 1),
		-XEN_EILSEQ);
	/* Progress for any other command is refused. */
	assert_int_equal(do_grant_table_op(4096 | GNTTABOP_copy, LIST_VA, 1),
			 -EINVAL);

	memcpy(fake_guest_ptr(ARG_VA),
	       &(struct gnttab_unmap_grant_ref){.host_addr = map.host_addr,
						.handle = map.handle},
	       sizeof(struct gnttab_unmap_grant_ref));
	assert_int_equal(do_grant_table_op(GNTTABOP_unmap_grant_ref, ARG_VA, 1),
			 0);
}

/* ---- multicall ------------------------------------------------------- */

#define MC_SIZE sizeof(struct multicall_entry)

/* More than 1024 entries are accepted; each gets its own result. */
static void test_multicall_many(void **state)
{
	const uint32_t count = 3000;
	struct multicall_entry *e;
	uint64_t args[5], k;
	unsigned long rounds;
	bool again;

	fake_guest_big_init(count * MC_SIZE);
	e = fake_guest_ptr(FAKE_GUEST_BIG_VA);
	for (uint32_t i = 0; i < count; i++)
		e[i] = (struct multicall_entry){.op = __HYPERVISOR_xen_version,
						.result = 0x7777,
						.args = {i}};

	args[0] = FAKE_GUEST_BIG_VA;
	args[1] = count;
	assert_int_equal(hvc(__HYPERVISOR_multicall, args, &again), 0);
	assert_false(again);
	for (uint32_t i = 0; i < count; i++) {
		assert_int_equal(e[i].result, i * 3 + 1);
		e[i].result = 0x7777;
	}

	fake_irq_pending = true;
	args[0] = FAKE_GUEST_BIG_VA;
	args[1] = count;
	hvc(__HYPERVISOR_multicall, args, &again);
	assert_true(again);
	k = (args[0] - FAKE_GUEST_BIG_VA) / MC_SIZE;
	assert_int_equal((args[0] - FAKE_GUEST_BIG_VA) % MC_SIZE, 0);
	assert_in_range(k, 1, N);
	assert_int_equal(args[1], count - k);
	assert_int_equal(e[k - 1].result, (k - 1) * 3 + 1);
	assert_int_equal(e[k].result, 0x7777);
	assert_int_equal(hvc_until_done(__HYPERVISOR_multicall, args, &rounds),
			 0);
	assert_in_range(rounds, (count - k) / N, count);
	for (uint32_t i = 0; i < count; i++)
		assert_int_equal(e[i].result, i * 3 + 1);
}

/*
 * A sub-call that stops leaves its continuation in its own entry; the
 * multicall continues at that entry and the results come out as with
 * no preemption at all.
 */
static void test_multicall_subcall_continues(void **state)
{
	const uint64_t copies = 5 * N;
	struct multicall_entry e[3], *g;
	uint64_t copy_va = FAKE_GUEST_BIG_VA + 0x1000, args[5];
	unsigned long rounds;
	bool again;

	fake_guest_big_init(0x1000 + copies * COPY_SIZE);
	grant(0, 1, GTF_readonly);
	fill_pattern();
	fill_copies(copy_va, copies);
	e[0] = (struct multicall_entry){.op = __HYPERVISOR_xen_version,
					.args = {1}};
	e[1] = (struct multicall_entry){
		.op = __HYPERVISOR_grant_table_op,
		.result = 0x7777,
		.args = {GNTTABOP_copy, copy_va, copies, 0xa3, 0xa4, 0xa5}};
	e[2] = (struct multicall_entry){
		.op = __HYPERVISOR_xen_version, .result = 0x7777, .args = {2}};
	memcpy(fake_guest_ptr(FAKE_GUEST_BIG_VA), e, sizeof(e));
	g = fake_guest_ptr(FAKE_GUEST_BIG_VA);

	fake_irq_pending = true;
	args[0] = FAKE_GUEST_BIG_VA;
	args[1] = 3;
	hvc(__HYPERVISOR_multicall, args, &again);
	assert_true(again);
	/* The batch continues at the copy, whose arguments moved on. */
	assert_int_equal(args[0], FAKE_GUEST_BIG_VA + MC_SIZE);
	assert_int_equal(args[1], 2);
	assert_int_equal(g[0].result, 4);
	assert_int_equal(g[1].op, __HYPERVISOR_grant_table_op);
	assert_int_equal(g[1].args[0], GNTTABOP_copy);
	assert_true(g[1].args[1] > copy_va);
	assert_int_equal(g[1].args[2],
			 copies - (g[1].args[1] - copy_va) / COPY_SIZE);
	assert_int_equal(g[1].args[3], 0xa3); /* beyond the call's own */
	assert_int_equal(g[1].args[5], 0xa5);
	assert_int_equal(g[2].result, 0x7777);

	assert_int_equal(hvc_until_done(__HYPERVISOR_multicall, args, &rounds),
			 0);
	assert_true(rounds > 1);
	assert_int_equal(g[1].result, 0);
	assert_int_equal(g[2].result, 7);
	for (uint64_t i = 0; i < copies; i++) {
		struct gnttab_copy *c = fake_guest_ptr(copy_va + i * COPY_SIZE);

		assert_int_equal(c->status, i % 1000 ? GNTST_permission_denied
						     : GNTST_okay);
	}
	assert_memory_equal((uint8_t *)(uintptr_t)dom0_page,
			    (uint8_t *)(uintptr_t)ram_pa + PAGE_SIZE, 8);
	assert_int_equal(entry(&domu, 0)->flags,
			 GTF_permit_access | GTF_readonly);
}

/* A sub-call's continuation that cannot be written back is no continuation. */
static void test_multicall_subcall_write_fault(void **state)
{
	struct multicall_entry e = {
		.op = __HYPERVISOR_grant_table_op,
		.args = {GNTTABOP_copy, LIST_VA, 3 * N},
	};
	uint64_t at = FAKE_GUEST_RO_VA - 0x10;
	uint64_t args[5] = {at, 1};
	bool again;

	/* The entry straddles into the read-only page: result fits, args not. */
	fill_copies(LIST_VA, 3 * N);
	memcpy(fake_guest_ptr(at), &e, sizeof(e));
	fake_irq_pending = true;
	assert_int_equal(hvc(__HYPERVISOR_multicall, args, &again), -EFAULT);
	assert_false(again);
}

/* ---- memory_op ----------------------------------------------------- */

static uint64_t reservation_args(unsigned int cmd, domid_t domid,
				 unsigned int order, uint64_t nr,
				 uint64_t args[5])
{
	struct xen_memory_reservation r = {.extent_start.p = LIST_VA,
					   .nr_extents = nr,
					   .extent_order = order,
					   .domid = domid};

	memcpy(fake_guest_ptr(ARG_VA), &r, sizeof(r));
	args[0] = cmd;
	args[1] = ARG_VA;
	return ARG_VA;
}

/*
 * populate_physmap and decrease_reservation stop between extents, with
 * the extents done in cmd above MEMOP_EXTENT_SHIFT, and in the end
 * return the number done in all, as Xen.
 */
static void test_memory_reservation_continue(void **state)
{
	const uint64_t nr = 300;
	xen_pfn_t *list = fake_guest_ptr(LIST_VA);
	uint64_t args[5];
	unsigned long rounds;
	bool again;
	long ret;

	domain_mem_set_max(&domu.d, 4 + nr);
	for (uint64_t i = 0; i < nr; i++)
		list[i] = 0x80000 + 2 * i;
	fake_irq_pending = true;
	reservation_args(XENMEM_populate_physmap, 1, 0, nr, args);
	ret = hvc(__HYPERVISOR_memory_op, args, &again);
	assert_true(again);
	assert_int_equal(ret, args[0]);
	assert_int_equal(args[0] & MEMOP_CMD_MASK, XENMEM_populate_physmap);
	assert_int_equal(args[0] >> MEMOP_EXTENT_SHIFT, N);
	assert_int_equal(args[1], ARG_VA);
	assert_int_equal(fake_p2m_count(&domu.d), 4 + N);
	assert_int_equal(hvc_until_done(__HYPERVISOR_memory_op, args, &rounds),
			 nr);
	assert_int_equal(rounds, (nr - 1) / N);
	assert_int_equal(fake_p2m_count(&domu.d), 4 + nr);
	for (uint64_t i = 0; i < nr; i++)
		assert_non_null(fake_p2m_find(&domu.d, (0x80000 + 2 * i)
							       << PAGE_SHIFT));

	reservation_args(XENMEM_decrease_reservation, 1, 0, nr, args);
	hvc(__HYPERVISOR_memory_op, args, &again);
	assert_true(again);
	assert_int_equal(args[0], XENMEM_decrease_reservation |
					  (N << MEMOP_EXTENT_SHIFT));
	assert_int_equal(fake_p2m_count(&domu.d), 4 + nr - N);
	assert_int_equal(hvc_until_done(__HYPERVISOR_memory_op, args, &rounds),
			 nr);
	assert_int_equal(fake_p2m_count(&domu.d), 4);
	assert_int_equal(fake_mem_free(), free0);
}

/* An extent of 2^order pages counts as 2^order units: one per call. */
static void test_memory_big_extents(void **state)
{
	xen_pfn_t *list = fake_guest_ptr(LIST_VA);
	uint64_t args[5];
	unsigned long rounds;
	bool again;

	domain_mem_set_max(&domu.d, 4 + 3 * 512);
	for (unsigned int i = 0; i < 3; i++)
		list[i] = 0x80000 + 512 * i;
	fake_irq_pending = true;
	reservation_args(XENMEM_populate_physmap, 1, 9, 3, args);
	hvc(__HYPERVISOR_memory_op, args, &again);
	assert_true(again);
	assert_int_equal(args[0],
			 XENMEM_populate_physmap | (1 << MEMOP_EXTENT_SHIFT));
	assert_int_equal(hvc_until_done(__HYPERVISOR_memory_op, args, &rounds),
			 3);
	assert_int_equal(rounds, 2);
	assert_int_equal(domain_mem_tot_pages(&domu.d), 4 + 3 * 512);
}

/* add_to_physmap_batch continues at the entry it stopped at. */
static void test_add_to_physmap_batch_continue(void **state)
{
	const unsigned int n = 200;
	uint64_t idx_va = FAKE_GUEST_BIG_VA, gpfn_va = idx_va + 0x1000;
	uint64_t errs_va = gpfn_va + 0x1000, args[5];
	struct xen_add_to_physmap_batch b = {.domid = DOMID_SELF,
					     .space = XENMAPSPACE_gmfn_foreign,
					     .size = n,
					     .u.foreign_domid = 1,
					     .idxs.p = idx_va,
					     .gpfns.p = gpfn_va,
					     .errs.p = errs_va};
	xen_ulong_t *idx;
	xen_pfn_t *gpfn;
	int32_t *errs;
	unsigned long rounds;
	bool again;

	fake_guest_big_init(0x3000);
	idx = fake_guest_ptr(idx_va);
	gpfn = fake_guest_ptr(gpfn_va);
	errs = fake_guest_ptr(errs_va);
	for (unsigned int i = 0; i < n; i++) {
		idx[i] = RAM + i % 4;
		gpfn[i] = HOST + i;
		errs[i] = 0x5555;
	}
	memcpy(fake_guest_ptr(ARG_VA), &b, sizeof(b));
	fake_irq_pending = true;
	args[0] = XENMEM_add_to_physmap_batch;
	args[1] = ARG_VA;
	hvc(__HYPERVISOR_memory_op, args, &again);
	assert_true(again);
	assert_int_equal(args[0], XENMEM_add_to_physmap_batch |
					  (N << MEMOP_EXTENT_SHIFT));
	assert_int_equal(args[1], ARG_VA);
	assert_int_equal(errs[N - 1], 0);
	assert_int_equal(errs[N], 0x5555);
	assert_int_equal(fake_p2m_count(&dom0.d), 1 + N);
	assert_int_equal(hvc_until_done(__HYPERVISOR_memory_op, args, &rounds),
			 0);
	assert_int_equal(rounds, (n - 1) / N);
	assert_int_equal(fake_p2m_count(&dom0.d), 1 + n);
	for (unsigned int i = 0; i < n; i++)
		assert_int_equal(errs[i], 0);
}

/* ---- domain teardown ----------------------------------------------- */

/*
 * A dying domain's RAM goes back a batch of frames at a time, stopping
 * for pending work with a cursor to go on from; in the end every page is
 * back, scrubbed.
 */
/*
 * A dying mapper's grant mappings are dropped in steps too (destroydomain's
 * TEARDOWN_GRANTS): each stop leaves a cursor that moved on, and the end
 * is every pin and page reference gone.
 */
static void test_release_mappings_continue(void **state)
{
	struct gnttab_map_grant_ref *op = fake_guest_ptr(ARG_VA);
	uint64_t cursor = 0, last = 0;
	unsigned int stops = 0;

	for (grant_ref_t ref = 0; ref < 4; ref++)
		grant(ref, ref, GTF_readonly);
	for (unsigned int i = 0; i < 4 * 50; i++) {
		*op = (struct gnttab_map_grant_ref){
			.host_addr = (HOST + i) << PAGE_SHIFT,
			.flags = GNTMAP_host_map | GNTMAP_readonly,
			.ref = i / 50,
			.dom = 1};
		assert_int_equal(
			do_grant_table_op(GNTTABOP_map_grant_ref, ARG_VA, 1),
			0);
		assert_int_equal(op->status, GNTST_okay);
	}
	assert_int_equal(entry(&domu, 0)->flags,
			 GTF_permit_access | GTF_readonly | GTF_reading);
	fake_irq_pending = true;
	fake_current->hcall.work = 0;
	while (gnttab_release_mappings_from(&dom0.d, &cursor, true) ==
	       -ERESTART) {
		assert_true(cursor > last || stops == 0);
		last = cursor;
		stops++;
		fake_current->hcall.work = 0; /* the next HVC's budget */
	}
	assert_true(stops >= 2);
	for (grant_ref_t ref = 0; ref < 4; ref++)
		assert_int_equal(entry(&domu, ref)->flags,
				 GTF_permit_access | GTF_readonly);
	fake_irq_pending = false;
}

static void test_release_frames_continue(void **state)
{
	xen_pfn_t *list = fake_guest_ptr(LIST_VA);
	uint64_t args[5], cursor = 0, last = 0;
	unsigned int stops = 0;
	bool again;

	domain_mem_set_max(&domu.d, 4 + 300);
	for (uint64_t i = 0; i < 300; i++)
		list[i] = 0x80000 + i;
	reservation_args(XENMEM_populate_physmap, 1, 0, 300, args);
	assert_int_equal(hvc(__HYPERVISOR_memory_op, args, &again), 300);
	assert_int_equal(domain_mem_tot_pages(&domu.d), 304);

	domain_mem_release_begin(&domu.d);
	fake_irq_pending = true;
	while (domain_mem_release_frames(&domu.d, &cursor) == -ERESTART) {
		assert_true(cursor > last); /* progress every time */
		last = cursor;
		stops++;
		fake_current->hcall.work = 0; /* the next HVC's budget */
	}
	assert_true(stops > 1);
	assert_int_equal(domain_mem_tot_pages(&domu.d), 0);
	assert_int_equal(fake_mem_free(), free0 + 4); /* its first 4 too */
	/* Nothing left to do a second time. */
	cursor = 0;
	fake_irq_pending = false;
	assert_int_equal(domain_mem_release_frames(&domu.d, &cursor), 0);
}

/*
 * Deferred work's deadline (preempt_deadline_set): the check answers true
 * from that time on, with nothing else pending, and not once cleared.
 */
static void test_deadline(void **state)
{
	uint64_t now0 = fake_now_ns;

	fake_irq_pending = false;
	assert_false(hypercall_preempt_check());
	preempt_deadline_set(now0 + 1000);
	assert_false(hypercall_preempt_check());
	fake_now_ns = now0 + 999;
	assert_false(hypercall_preempt_check());
	fake_now_ns = now0 + 1000;
	assert_true(hypercall_preempt_check());
	preempt_deadline_set(0);
	assert_false(hypercall_preempt_check());
	fake_now_ns = now0;
}

/* ---- event channels ------------------------------------------------ */

/* EVTCHNOP_reset closes ports in slices, continuing as reset_cont. */
static void test_evtchn_reset_continue(void **state)
{
	struct evtchn_alloc_unbound a = {.dom = DOMID_SELF, .remote_dom = 0};
	struct evtchn_reset r = {.dom = DOMID_SELF};
	uint64_t args[5];
	unsigned long rounds;
	bool again;

	as(&domu);
	for (unsigned int i = 0; i < 600; i++) {
		memcpy(fake_guest_ptr(ARG_VA), &a, sizeof(a));
		assert_int_equal(
			do_event_channel_op(EVTCHNOP_alloc_unbound, ARG_VA), 0);
	}
	memcpy(fake_guest_ptr(ARG_VA), &r, sizeof(r));
	fake_irq_pending = true;
	args[0] = EVTCHNOP_reset;
	args[1] = ARG_VA;
	hvc(__HYPERVISOR_event_channel_op, args, &again);
	assert_true(again);
	assert_int_equal(args[0], EVTCHNOP_reset_cont);
	assert_int_equal(args[1], ARG_VA);
	/* Another reset while one is under way is refused. */
	fake_irq_pending = false;
	assert_int_equal(do_event_channel_op(EVTCHNOP_reset, ARG_VA), -EBUSY);
	fake_irq_pending = true;
	assert_int_equal(
		hvc_until_done(__HYPERVISOR_event_channel_op, args, &rounds),
		0);
	assert_true(rounds >= 600 / N);
	/* All closed: the first port free is 1 again; no reset to resume. */
	memcpy(fake_guest_ptr(ARG_VA), &a, sizeof(a));
	assert_int_equal(do_event_channel_op(EVTCHNOP_alloc_unbound, ARG_VA),
			 0);
	memcpy(&a, fake_guest_ptr(ARG_VA), sizeof(a));
	assert_int_equal(a.port, 1);
	memcpy(fake_guest_ptr(ARG_VA), &r, sizeof(r));
	assert_int_equal(do_event_channel_op(EVTCHNOP_reset_cont, ARG_VA),
			 -EBUSY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_copy_million, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_no_work_no_continuation,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_unmap_continue, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cache_flush_continue,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_multicall_many, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_multicall_subcall_continues, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_multicall_subcall_write_fault, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_memory_reservation_continue, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memory_big_extents, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_add_to_physmap_batch_continue, setup, teardown),
		cmocka_unit_test_setup_teardown(test_release_frames_continue,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_release_mappings_continue,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_deadline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_evtchn_reset_continue,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
