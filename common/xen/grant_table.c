// SPDX-License-Identifier: MIT
/*
 * Grant tables, version 1: each domain's shared frames (zeroed pages
 * Orchid owns and the guest maps into its physical space), the
 * grant_table_op hypercall and its set-up sub-ops. Mapping, unmapping and
 * copying grants are common/xen/grant_map.c's; both share
 * common/xen/grant_table_priv.h.
 *
 * Meaning, checks and error numbers follow Xen 4.17
 * (xen/common/xen/grant_table.c, xen/arch/arm/include/asm/grant_table.h); the
 * code is Orchid's. One spinlock per table guards its frames, their
 * active entries and its maptrack; it is taken before a domain's physmap
 * and p2m locks, never with another table's, and never from interrupt
 * handlers.
 */
#include <orchid/domain.h>
#include <orchid/domain_mem.h>
#include <orchid/errno.h>
#include <orchid/grant_table.h>
#include <orchid/guest_access.h>
#include <orchid/guest_batch.h>
#include <orchid/hypercall.h>
#include <orchid/mm.h>
#include <orchid/keyhandler.h>
#include <orchid/p2m.h>
#include <orchid/printk.h>
#include <orchid/spinlock.h>
#include <orchid/string.h>
#include <public/grant_table.h>
#include <public/memory.h>

#include "grant_table_priv.h"

/* Frames a table starts with (Arm's INITIAL_NR_GRANT_FRAMES). */
#define GNTTAB_INITIAL_FRAMES 1U
/*
 * The bits of cmd above GNTTABOP_CMD_MASK carry a continuation's progress
 * (Xen's GNTTABOP_CONTINUATION_ARG_SHIFT 12); only cache_flush has one:
 * the grant entry its search for the page goes on from, a multiple of
 * GNTTAB_SEARCH_SLICE.
 */
#define GNTTABOP_CMD_MASK ((1U << 12) - 1)

/* Generations of tables (struct grant_table.gen). */
static uint32_t gnttab_next_gen;

struct gnttab_locked gnttab_lock(struct domain *d)
{
	spin_lock(&d->grant_table->lock);
	return (struct gnttab_locked){.d = d, .gt = d->grant_table};
}

void gnttab_unlock(struct gnttab_locked l)
{
	spin_unlock(&l.gt->lock);
}

/* ---- shared frames ---------------------------------------------------- */

/* Allocate frames up to @nr; frames already there stay as they are. */
static int gnttab_grow(struct gnttab_locked l, unsigned int nr)
{
	struct grant_table *gt = l.gt;

	while (gt->nr_frames < nr) {
		struct gnttab_frame *f = &gt->frames[gt->nr_frames];

		f->active =
			xzalloc(GNTTAB_ENTRIES_PER_FRAME * sizeof(*f->active));
		f->page = f->active ? domain_mem_alloc_xen_page(l.d) : NULL;
		if (!f->page) {
			xfree(f->active);
			f->active = NULL;
			return -ENOMEM;
		}
		f->gfn = GNTTAB_INVALID_GFN;
		gt->nr_frames++;
	}
	return 0;
}

/*
 * Where frame @f is mapped. Another mapping may have replaced it in the
 * p2m since (populate_physmap over it): then it is mapped nowhere, as
 * Xen's p2m_put_l3_page forgets a xenheap page's GFN.
 */
static xen_pfn_t gnttab_frame_gfn(struct gnttab_locked l,
				  struct gnttab_frame *f)
{
	return domain_mem_xen_page_gfn(l.d, &f->gfn, arch_va_to_pa(f->page));
}

/* Frame @idx, allocated on first use as Xen's get_shared_frame_mfn. */
static int gnttab_frame(struct gnttab_locked l, unsigned long idx,
			struct gnttab_frame **frame)
{
	int rc;

	if (idx >= l.gt->max_frames)
		return -EINVAL;
	rc = gnttab_grow(l, idx + 1);
	if (rc)
		return rc;
	*frame = &l.gt->frames[idx];
	return 0;
}

int gnttab_get_shared_frame(struct domain *d, unsigned long idx, paddr_t *pa)
{
	struct gnttab_locked l;
	struct gnttab_frame *f;
	int rc;

	if (!d->grant_table)
		return -EINVAL;
	l = gnttab_lock(d);
	rc = gnttab_frame(l, idx, &f);
	if (!rc)
		*pa = arch_va_to_pa(f->page);
	gnttab_unlock(l);
	return rc;
}

int gnttab_seed_entry(struct domain *d, grant_ref_t ref, domid_t backend,
		      xen_pfn_t gfn)
{
	struct gnttab_locked l = gnttab_lock(d);
	struct gnttab_frame *f;
	int rc = gnttab_frame(l, ref / GNTTAB_ENTRIES_PER_FRAME, &f);

	if (!rc) {
		struct grant_entry_v1 *e = gnttab_entry(l.gt, ref);

		e->domid = backend;
		e->frame = (uint32_t)gfn;
		e->flags = GTF_permit_access;
	}
	gnttab_unlock(l);
	return rc;
}

int gnttab_map_shared_frame(struct domain *d, unsigned long idx, xen_pfn_t gfn)
{
	struct gnttab_locked l;
	struct gnttab_frame *f;
	int rc;

	if (!d->grant_table || gfn > (UINT64_MAX >> PAGE_SHIFT))
		return -EINVAL;
	l = gnttab_lock(d);
	rc = gnttab_frame(l, idx, &f);
	if (!rc)
		rc = domain_mem_map_xen_page(d, &f->gfn, arch_va_to_pa(f->page),
					     gfn);
	gnttab_unlock(l);
	return rc;
}

int gnttab_unmap_shared_frame(struct domain *d, xen_pfn_t gfn)
{
	struct gnttab_locked l;
	unsigned int i;
	int rc = -ENOENT;

	if (!d->grant_table || gfn == GNTTAB_INVALID_GFN)
		return -ENOENT;
	l = gnttab_lock(d);
	for (i = 0; i < l.gt->nr_frames; i++) {
		if (l.gt->frames[i].gfn != gfn ||
		    gnttab_frame_gfn(l, &l.gt->frames[i]) != gfn)
			continue;
		rc = domain_mem_unmap(d, gfn, 1);
		if (!rc)
			l.gt->frames[i].gfn = GNTTAB_INVALID_GFN;
		break;
	}
	gnttab_unlock(l);
	return rc;
}

/* ---- domains --------------------------------------------------------- */

/* Xen's XSM_TARGET default: a domain acts on itself, Dom0 on anyone. */
static bool gnttab_may_act_on(const struct domain *cur, const struct domain *d)
{
	return cur == d || cur->is_privileged;
}

/* A domain named in an argument; NULL if it has no grant table. */
static struct domain *gnttab_domain_by_id(domid_t domid)
{
	struct domain *d;

	if (domid == DOMID_SELF)
		d = current_domain();
	else
		d = domain_lookup(domid);
	return d && d->grant_table ? d : NULL;
}

/* ---- single-structure operations --------------------------------------- */

/* The frames' GFNs, as Arm's gnttab_shared_gfn: INVALID if unmapped. */
static int16_t gnttab_setup_table_locked(struct gnttab_locked l,
					 const struct gnttab_setup_table *op)
{
	int16_t status = GNTST_okay;
	unsigned int i;

	if (op->nr_frames > l.gt->max_frames || gnttab_grow(l, op->nr_frames))
		return GNTST_general_error;
	for (i = 0; i < op->nr_frames; i++) {
		xen_pfn_t gfn = gnttab_frame_gfn(l, &l.gt->frames[i]);

		/* Like Xen, a bad list slot is reported and the rest still filled. */
		if (copy_to_guest(op->frame_list.p + i * sizeof(gfn), &gfn,
				  sizeof(gfn)))
			status = GNTST_bad_virt_addr;
	}
	return status;
}

static int16_t gnttab_setup_table_status(struct domain *cur,
					 const struct gnttab_setup_table *op)
{
	struct domain *d = gnttab_domain_by_id(op->dom);
	struct gnttab_locked l;
	int16_t status;

	if (!d)
		return GNTST_bad_domain;
	if (!gnttab_may_act_on(cur, d))
		return GNTST_permission_denied;
	l = gnttab_lock(d);
	status = gnttab_setup_table_locked(l, op);
	gnttab_unlock(l);
	return status;
}

/* Failures the guest can act on go in op.status; only the status goes back. */
static long gnttab_setup_table(struct domain *cur, uint64_t uop,
			       unsigned int count)
{
	struct gnttab_setup_table op;

	if (count != 1)
		return -EINVAL;
	if (copy_from_guest(&op, uop, sizeof(op)))
		return -EFAULT;
	op.status = gnttab_setup_table_status(cur, &op);
	if (copy_to_guest(uop + offsetof(struct gnttab_setup_table, status),
			  &op.status, sizeof(op.status)))
		return -EFAULT;
	return 0;
}

static int16_t gnttab_query_size_status(struct domain *cur,
					struct gnttab_query_size *op)
{
	struct domain *d = gnttab_domain_by_id(op->dom);
	struct gnttab_locked l;

	if (!d)
		return GNTST_bad_domain;
	if (!gnttab_may_act_on(cur, d))
		return GNTST_permission_denied;
	l = gnttab_lock(d);
	op->nr_frames = l.gt->nr_frames;
	op->max_nr_frames = l.gt->max_frames;
	gnttab_unlock(l);
	return GNTST_okay;
}

static long gnttab_query_size(struct domain *cur, uint64_t uop,
			      unsigned int count)
{
	struct gnttab_query_size op;

	if (count != 1)
		return -EINVAL;
	if (copy_from_guest(&op, uop, sizeof(op)))
		return -EFAULT;
	op.status = gnttab_query_size_status(cur, &op);
	if (copy_to_guest(uop, &op, sizeof(op)))
		return -EFAULT;
	return 0;
}

/*
 * Xen 4.17's gnttab_get_status_frames, which it answers whatever the
 * version: a v1 table has no status frames, so asking for any is
 * GNTST_general_error, asking for none GNTST_okay (seen on Xen 4.17 by
 * tests/baremetal). Only the status goes back.
 */
static long gnttab_get_status_frames(struct domain *cur, uint64_t uop,
				     unsigned int count)
{
	struct gnttab_get_status_frames op;
	struct domain *d;

	if (count != 1)
		return -EINVAL;
	if (copy_from_guest(&op, uop, sizeof(op)))
		return -EFAULT;
	d = gnttab_domain_by_id(op.dom);
	if (!d)
		op.status = GNTST_bad_domain;
	else if (!gnttab_may_act_on(cur, d))
		op.status = GNTST_permission_denied;
	else
		op.status = op.nr_frames ? GNTST_general_error : GNTST_okay;
	if (copy_to_guest(
		    uop + offsetof(struct gnttab_get_status_frames, status),
		    &op.status, sizeof(op.status)))
		return -EFAULT;
	return 0;
}

/*
 * Only version 1 exists on Arm. Asking for 2 gets -ENOSYS, which Xen
 * keeps for tables limited to v1 ("behave as before set_version was
 * introduced"); the version in force goes back whatever the result.
 */
static long gnttab_set_version(struct domain *cur, uint64_t uop)
{
	struct gnttab_set_version op;
	long rc = 0;

	if (copy_from_guest(&op, uop, sizeof(op)))
		return -EFAULT;
	if (op.version != 1 && op.version != 2)
		rc = -EINVAL;
	else if (op.version == 2)
		rc = -ENOSYS;
	op.version = cur->grant_table->version;
	if (copy_to_guest(uop, &op, sizeof(op)))
		return -EFAULT;
	return rc;
}

static long gnttab_get_version(struct domain *cur, uint64_t uop)
{
	struct gnttab_get_version op;
	struct domain *d;

	if (copy_from_guest(&op, uop, sizeof(op)))
		return -EFAULT;
	d = gnttab_domain_by_id(op.dom);
	if (!d)
		return -ESRCH;
	if (!gnttab_may_act_on(cur, d))
		return -EPERM;
	op.version = d->grant_table->version;
	if (copy_to_guest(uop + offsetof(struct gnttab_get_version, version),
			  &op.version, sizeof(op.version)))
		return -EFAULT;
	return 0;
}

/* ---- batched operations ------------------------------------------------ */

/*
 * Batches are preemptible as Xen's: between two elements, once
 * HYPERCALL_PREEMPT_UNITS elements are done and this pCPU has work
 * waiting, the call stops and continues with uop advanced past the
 * elements done and count reduced by them (cache_flush: with its search's
 * progress in cmd's bits above GNTTABOP_CMD_MASK). Each element is
 * complete when the call stops: its status written, nothing held.
 */
static long gnttab_continue(unsigned int cmd, uint64_t uop, unsigned int left)
{
	return hypercall_create_continuation(
		3, (const uint64_t[]){cmd, uop, left});
}

union gnttab_batch_elem {
	struct gnttab_map_grant_ref map;
	struct gnttab_unmap_grant_ref unmap;
	struct gnttab_copy copy;
};

/* What a batch holds from one element to the next; let go at its end. */
struct gnttab_batch_ctx {
	struct guest_batch gb;	       /* the array's page */
	struct gnttab_copy_cache copy; /* GNTTABOP_copy's two pages */
};

/*
 * One element of a batch, already copied in: its status goes in it. An
 * element that changes the caller's p2m tells the held array page
 * (guest_batch_forget).
 */
typedef void (*gnttab_elem_fn)(struct domain *cur, union gnttab_batch_elem *e,
			       struct gnttab_batch_ctx *ctx);

struct gnttab_batch {
	gnttab_elem_fn fn;
	size_t size; /* of one guest element */
};

/*
 * The elements go in and out through one held translation of the
 * array's page (guest_batch), not a stage-1 and stage-2 walk each way
 * (bench-micro's grant-map-unmap-x16/x256 and grant-copy-4k-x16/x256).
 */
static long gnttab_run_elems(struct domain *cur, unsigned int cmd,
			     const struct gnttab_batch *b, uint64_t uop,
			     unsigned int count, struct gnttab_batch_ctx *ctx)
{
	union gnttab_batch_elem e;

	for (unsigned int i = 0; i < count; i++) {
		uint64_t va = uop + (uint64_t)i * b->size;

		if (i && hypercall_preempt_due(1))
			return gnttab_continue(cmd, va, count - i);
		if (guest_batch_read(&ctx->gb, &e, va, b->size))
			return -EFAULT;
		b->fn(cur, &e, ctx);
		if (guest_batch_write(&ctx->gb, va, &e, b->size))
			return -EFAULT;
	}
	return 0;
}

static long gnttab_run_batch(struct domain *cur, unsigned int cmd,
			     const struct gnttab_batch *b, uint64_t uop,
			     unsigned int count)
{
	struct gnttab_batch_ctx ctx = {0};
	long rc;

	guest_batch_init(&ctx.gb);
	rc = gnttab_run_elems(cur, cmd, b, uop, count, &ctx);
	/* Map and unmap batches claim nothing here (grant-map-unmap rows). */
	if (ctx.copy.src.have_page || ctx.copy.dst.have_page)
		gnttab_copy_cache_release(cur, &ctx.copy);
	guest_batch_release(&ctx.gb);
	return rc;
}

static void gnttab_elem_map(struct domain *cur, union gnttab_batch_elem *e,
			    struct gnttab_batch_ctx *ctx)
{
	e->map.status = gnttab_map_one(cur, &e->map);
	guest_batch_forget(&ctx->gb, e->map.host_addr >> PAGE_SHIFT);
}

static void gnttab_elem_unmap(struct domain *cur, union gnttab_batch_elem *e,
			      struct gnttab_batch_ctx *ctx)
{
	e->unmap.status = gnttab_unmap_one(cur, &e->unmap);
	guest_batch_forget(&ctx->gb, e->unmap.host_addr >> PAGE_SHIFT);
}

/* A copy changes page contents, never the p2m. */
static void gnttab_elem_copy(struct domain *cur, union gnttab_batch_elem *e,
			     struct gnttab_batch_ctx *ctx)
{
	e->copy.status = gnttab_copy_one(cur, &e->copy, &ctx->copy);
}

static const struct gnttab_batch gnttab_map_batch = {
	gnttab_elem_map, sizeof(struct gnttab_map_grant_ref)};
static const struct gnttab_batch gnttab_unmap_batch = {
	gnttab_elem_unmap, sizeof(struct gnttab_unmap_grant_ref)};
static const struct gnttab_batch gnttab_copy_batch = {
	gnttab_elem_copy, sizeof(struct gnttab_copy)};

/* ---- GNTTABOP_cache_flush ---------------------------------------------- */

/*
 * May @d flush the page at machine address @addr (Xen's _cache_flush)? A
 * page it owns, or one it maps by grant; pages outside the frame table
 * (shared_info) only when @d reaches them at that same address
 * (direct-mapped). 1 yes, 0 not known yet (the grant search goes on from
 * *@cur_ref), negative no. *@units grows by the work done.
 */
static int gnttab_flush_page(struct domain *d, uint64_t addr, paddr_t *pa,
			     grant_ref_t *cur_ref, unsigned int *units)
{
	enum p2m_type t;
	domid_t owner;

	*pa = pa_init(addr);
	if (domain_mem_page_owner(*pa, &owner)) {
		/* Its frame may name @d after @d gave it back: held, or mapped. */
		if (domain_mem_holds(d, *pa))
			return 1;
		/* A slice of the search costs as much as a full budget. */
		*units += HYPERCALL_PREEMPT_UNITS;
		return gnttab_grant_map_find(d, *pa, cur_ref);
	}
	if (!p2m_lookup(d, ipa_init(addr), pa, &t))
		return -EINVAL;
	return (p2m_is_ram(t) || t == p2m_xen_page) && pa_addr(*pa) == addr
		       ? 1
		       : -EINVAL;
}

/*
 * One element (Xen's cache_flush): 0 done (the probe, length or op 0,
 * succeeds), 1 the search for the grant must go on, or a negative errno
 * that ends the call.
 */
static int gnttab_flush_one(struct domain *cur,
			    const struct gnttab_cache_flush *op,
			    grant_ref_t *cur_ref, unsigned int *units)
{
	paddr_t pa;
	int rc;

	if (op->offset >= PAGE_SIZE || op->length > PAGE_SIZE ||
	    op->offset + op->length > PAGE_SIZE ||
	    (op->op & ~(GNTTAB_CACHE_INVAL | GNTTAB_CACHE_CLEAN)))
		return -EINVAL;
	if (!op->length || !op->op)
		return *cur_ref ? -XEN_EILSEQ : 0;
	rc = gnttab_flush_page(cur, op->a.dev_bus_addr & PAGE_MASK, &pa,
			       cur_ref, units);
	if (rc <= 0)
		return rc ? rc : 1;
	arch_flush_dcache_range((char *)arch_pa_to_va(pa) + op->offset,
				op->length, op->op & GNTTAB_CACHE_CLEAN,
				op->op & GNTTAB_CACHE_INVAL);
	return 0;
}

static long gnttab_cache_flush(struct domain *cur, uint64_t uop,
			       unsigned int count, grant_ref_t cur_ref)
{
	unsigned int units = 0;

	for (unsigned int i = 0; i < count; i++) {
		uint64_t va =
			uop + (uint64_t)i * sizeof(struct gnttab_cache_flush);
		struct gnttab_cache_flush op;
		int rc;

		if (i && hypercall_preempt_due(units))
			return gnttab_continue(GNTTABOP_cache_flush, va,
					       count - i);
		if (copy_from_guest(&op, va, sizeof(op)))
			return -EFAULT;
		units = 1;
		while ((rc = gnttab_flush_one(cur, &op, &cur_ref, &units)) >
		       0) {
			if (hypercall_preempt_due(units))
				return gnttab_continue(
					cur_ref | GNTTABOP_cache_flush, va,
					count - i);
			units = 0;
		}
		if (rc < 0)
			return rc;
		cur_ref = 0;
	}
	return 0;
}

/* ---- the hypercall --------------------------------------------------- */

long do_grant_table_op(unsigned int cmd, uint64_t uop, unsigned int count)
{
	grant_ref_t cur_ref = cmd & ~GNTTABOP_CMD_MASK;
	struct domain *d = current_domain();

	if (count > INT32_MAX)
		return -EINVAL;
	cmd &= GNTTABOP_CMD_MASK;
	if (cmd != GNTTABOP_cache_flush && cur_ref)
		return -EINVAL;
	if (!d->grant_table)
		return -ENOSYS;

	switch (cmd) {
	case GNTTABOP_map_grant_ref:
		return gnttab_run_batch(d, cmd, &gnttab_map_batch, uop, count);
	case GNTTABOP_unmap_grant_ref:
		return gnttab_run_batch(d, cmd, &gnttab_unmap_batch, uop,
					count);
	case GNTTABOP_copy:
		return gnttab_run_batch(d, cmd, &gnttab_copy_batch, uop, count);
	case GNTTABOP_cache_flush:
		return gnttab_cache_flush(d, uop, count, cur_ref);
	case GNTTABOP_setup_table: return gnttab_setup_table(d, uop, count);
	case GNTTABOP_query_size: return gnttab_query_size(d, uop, count);
	case GNTTABOP_set_version: return gnttab_set_version(d, uop);
	case GNTTABOP_get_version: return gnttab_get_version(d, uop);
	case GNTTABOP_get_status_frames:
		return gnttab_get_status_frames(d, uop, count);
	default:
		/* dump_table, transfer, unmap_and_replace, swap */
		return -ENOSYS;
	}
}

/* ---- XENMEM_acquire_resource ------------------------------------------- */

unsigned int gnttab_max_frames(const struct domain *d)
{
	return d->grant_table ? d->grant_table->max_frames : 0;
}

long gnttab_acquire_resource(struct domain *d, unsigned int id,
			     unsigned int frame, unsigned int nr, paddr_t *pas)
{
	struct gnttab_frame *f;
	struct gnttab_locked l;
	long rc;

	if (!d->grant_table || id != XENMEM_resource_grant_table_id_shared ||
	    !nr || frame + nr < frame)
		return -EINVAL;
	l = gnttab_lock(d);
	rc = gnttab_frame(l, frame + nr - 1, &f);
	for (unsigned int i = 0; !rc && i < nr; i++)
		pas[i] = arch_va_to_pa(l.gt->frames[frame + i].page);
	gnttab_unlock(l);
	/* Xen: a table that could not grow is "beyond" it, -EINVAL. */
	return rc ? -EINVAL : (long)nr;
}

/* ---- domain life cycle ------------------------------------------------- */

int gnttab_domain_init(struct domain *d, int max_frames)
{
	struct grant_table *gt;
	struct gnttab_locked l;
	int rc;

	if (max_frames < 0)
		max_frames = GNTTAB_MAX_FRAMES_DEFAULT;
	if (max_frames < (int)GNTTAB_INITIAL_FRAMES ||
	    max_frames > GNTTAB_MAX_FRAMES_DEFAULT)
		return -EINVAL;
	gt = xzalloc(sizeof(*gt) + max_frames * sizeof(gt->frames[0]));
	if (!gt)
		return -ENOMEM;
	spin_lock_init(&gt->lock);
	gt->version = 1;
	gt->max_frames = max_frames;
	gt->gen = __atomic_add_fetch(&gnttab_next_gen, 1, __ATOMIC_RELAXED);
	gt->maptrack_free = GNTTAB_MAPTRACK_NONE;
	d->grant_table = gt;

	l = gnttab_lock(d);
	rc = gnttab_grow(l, GNTTAB_INITIAL_FRAMES);
	gnttab_unlock(l);
	if (rc)
		gnttab_domain_destroy(d);
	return rc;
}

/*
 * Frames another domain still maps (acquire_resource) go back to the page
 * allocator when that mapping goes; the mappings of the grants this table
 * gave go with their mappers.
 */
void gnttab_domain_destroy(struct domain *d)
{
	struct grant_table *gt = d->grant_table;
	unsigned int i;

	if (!gt)
		return;
	gnttab_release_mappings(d);
	d->grant_table = NULL;
	for (i = 0; i < gt->nr_frames; i++) {
		domain_mem_free_xen_page(gt->frames[i].page);
		xfree(gt->frames[i].active);
	}
	xfree(gt->maptrack);
	xfree(gt);
}

#ifdef CONFIG_DEBUG_KEYS
/* The 'g' debug key: @d's table size and its pinned entries. */
void gnttab_dump(struct domain *d)
{
	struct gnttab_locked l;
	unsigned int used = 0;

	if (!d->grant_table)
		return;
	l = gnttab_lock(d);
	printk("grant-table for remote d%u (v%u)\n", d->domain_id,
	       l.gt->version);
	printk("  %u frames (%u max), %u maptrack entries\n", l.gt->nr_frames,
	       l.gt->max_frames, l.gt->maptrack_size);
	for (unsigned int f = 0; f < l.gt->nr_frames; f++) {
		for (unsigned int i = 0; i < GNTTAB_ENTRIES_PER_FRAME; i++) {
			const struct gnttab_active *a =
				&l.gt->frames[f].active[i];

			if (!a->pin)
				continue;
			if (used++ < 16) /* keep the log readable */
				printk("[%4u] d%u pin %08x pa %#llx\n",
				       (unsigned int)(f * GNTTAB_ENTRIES_PER_FRAME +
						      i),
				       a->domid, a->pin,
				       (unsigned long long)pa_addr(a->pa));
		}
	}
	printk("  %u entries in use\n", used);
	gnttab_unlock(l);
}
#endif
