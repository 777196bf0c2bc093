// SPDX-License-Identifier: MIT
/*
 * memory_op: how guests and the toolstack give a domain RAM and take it
 * back (populate_physmap, decrease_reservation), place pages in its
 * physical address space (add_to_physmap: shared_info, grant-table
 * frames, another domain's pages), map another domain's grant table
 * (acquire_resource), and ask about its memory.
 *
 * Meaning, checks and error values follow Xen 4.17 (xen/common/xen/memory.c,
 * xen/arch/arm/mm.c) as an Arm (auto-translated) guest sees them; the
 * code is Orchid's. Page ownership and the physmap changes themselves are
 * common/mm/domain_mem.c's. The reservation ops and add_to_physmap_batch
 * are preemptible as Xen's: between two extents (entries), when this pCPU
 * has work waiting, they stop and continue with the extents done so far
 * in cmd's bits above MEMOP_EXTENT_SHIFT (common/xen/preempt.c). An extent of
 * 2^order pages counts as 2^order units of work.
 */
#include <orchid/bootmem.h>
#include <orchid/domain.h>
#include <orchid/domain_mem.h>
#include <orchid/errno.h>
#include <orchid/grant_table.h>
#include <orchid/guest_access.h>
#include <orchid/hypercall.h>
#include <orchid/hypercalls.h>
#include <orchid/mm.h>
#include <orchid/p2m.h>
#include <public/memory.h>

/* Xen on Arm: CONFIG_DOMU_MAX_ORDER, and PAGEALLOC_MAX_ORDER for Dom0. */
#define MEMOP_DOMU_MAX_ORDER   9U
#define MEMOP_CTLDOM_MAX_ORDER 18U
/* xen_add_to_physmap_batch.size and the continuation field's limit. */
#define MEMOP_MAX_EXTENTS (UINT32_MAX >> MEMOP_EXTENT_SHIFT)
/* Frames of a resource mapped per round (Xen's mfn_list[32]). */
#define ACQUIRE_BATCH 32U
#define INVALID_GFN   (~(xen_pfn_t)0)
#define NUMA_NO_NODE  0xffU

/* ---- domains and permissions ----------------------------------------- */

/* Xen's rcu_lock_domain_by_any_id: DOMID_SELF or any existing domain. */
static struct domain *memop_domain(domid_t domid)
{
	return domid == DOMID_SELF ? current_domain() : domain_lookup(domid);
}

/* Xen's XSM_TARGET default: a domain acts on itself, Dom0 on anyone. */
static bool memop_may_act_on(const struct domain *d)
{
	const struct domain *cur = current_domain();

	return cur == d || cur->is_privileged;
}

/* The domain a memory_op names, found, then checked (-ESRCH, -EPERM). */
static struct domain *memop_target(domid_t domid, long *err)
{
	return domain_for_caller(domid, err);
}

/* Largest extent the calling domain may ask for (Xen's max_order). */
static unsigned int memop_max_order(const struct domain *caller)
{
	unsigned int order = caller->is_privileged ? MEMOP_CTLDOM_MAX_ORDER
						   : MEMOP_DOMU_MAX_ORDER;

	return order < PAGE_ORDER_MAX ? order : PAGE_ORDER_MAX;
}

/* ---- continuations --------------------------------------------------- */

/* Re-issue memory_op @op from extent @done (Xen's "lh" continuation). */
static long memop_continue(unsigned int op, uint64_t done, uint64_t arg)
{
	return hypercall_create_continuation(
		2, (const uint64_t[]){op | (done << MEMOP_EXTENT_SHIFT), arg});
}

/* ---- reservations ---------------------------------------------------- */

struct memop_args {
	struct domain *d;
	uint64_t extent_list; /* guest virtual address of xen_pfn_t[] */
	uint64_t nr_extents;
	unsigned int order;
	unsigned int addr_bits; /* 0: anywhere */
	bool pod;
	uint64_t start; /* the extent this call began at */
	uint64_t done;	/* extents done so far: the result */
	bool preempted; /* stopped at @done, to be continued */
};

/* Bits needed to address every RAM page (Xen's order of max_page). */
static unsigned int memop_ram_bits(void)
{
	uint64_t pages = bootmem_max_pfn() + 1;
	unsigned int bits = 0;

	while (bits < 64 - PAGE_SHIFT && (1ULL << bits) < pages)
		bits++;
	return bits + PAGE_SHIFT;
}

/* Xen's construct_memop_from_reservation: false means "do nothing". */
static bool memop_flags(const struct xen_memory_reservation *r,
			struct memop_args *a)
{
	unsigned int bits = XENMEMF_get_address_bits(r->mem_flags);
	unsigned int node = XENMEMF_get_node(r->mem_flags);

	a->addr_bits = 0;
	if (bits && bits < memop_ram_bits()) {
		if (bits <= PAGE_SHIFT)
			return false;
		a->addr_bits = bits;
	}
	/* No virtual NUMA on Arm; one physical node (Xen's propagate_node). */
	if (r->mem_flags & XENMEMF_vnode || node == NUMA_NO_NODE)
		return true;
	if (current_domain()->is_privileged)
		return node < 1;
	return !(r->mem_flags & XENMEMF_exact_node_request);
}

/* Before the next extent: stop here, to continue later? */
static bool memop_preempt(struct memop_args *a)
{
	if (a->done == a->start || !hypercall_preempt_due(1U << a->order))
		return false;
	a->preempted = true;
	return true;
}

static bool memop_next(struct memop_args *a, xen_pfn_t *pfn)
{
	return !copy_from_guest(pfn, a->extent_list + a->done * sizeof(*pfn),
				sizeof(*pfn));
}

/* One extent at @gpfn. */
static int populate_one(const struct memop_args *a, xen_pfn_t gpfn)
{
	uint64_t nr = 1ULL << a->order;
	struct domain *d = a->d;
	paddr_t pa;
	int rc;

	if (!domain_mem_gfn_ok(gpfn, nr))
		return -EINVAL;
	if (d->direct_mapped) {
		/* Only its own pages, back where they belong (Xen: get_page). */
		for (uint64_t i = 0; i < nr; i++)
			if (!domain_mem_owns(d,
					     pa_init((gpfn + i) << PAGE_SHIFT)))
				return -EINVAL;
		return domain_mem_map(d, gpfn, pa_init(gpfn << PAGE_SHIFT), nr,
				      p2m_ram_rw);
	}
	rc = domain_mem_alloc(d, a->order, a->addr_bits, &pa);
	if (rc)
		return rc;
	rc = domain_mem_map(d, gpfn, pa, nr, p2m_ram_rw);
	if (rc && rc != -EBUSY) /* -EBUSY: still mapped, kept until death */
		for (uint64_t i = 0; i < nr; i++)
			domain_mem_release(d, pa_add(pa, i << PAGE_SHIFT));
	return rc;
}

static void populate_physmap(struct memop_args *a, const struct domain *caller)
{
	xen_pfn_t gpfn;

	if (a->order > (a->pod ? PAGE_ORDER_MAX : memop_max_order(caller)))
		return;
	for (; a->done < a->nr_extents; a->done++) {
		if (memop_preempt(a) || !memop_next(a, &gpfn))
			return;
		/* Arm has no populate-on-demand (-EOPNOTSUPP in Xen). */
		if (a->pod || populate_one(a, gpfn))
			return;
	}
}

/* Xen's guest_remove_page, page by page through an extent. */
static void decrease_reservation(struct memop_args *a,
				 const struct domain *caller)
{
	xen_pfn_t gmfn;

	if (a->order > memop_max_order(caller))
		return;
	for (; a->done < a->nr_extents; a->done++) {
		if (memop_preempt(a) || !memop_next(a, &gmfn))
			return;
		for (uint64_t i = 0; i < (1ULL << a->order); i++)
			if (domain_mem_decrease(a->d, gmfn + i))
				return;
	}
}

/*
 * As Xen does for a translated guest: the pages are the domain's and
 * count against its maximum, but nothing maps them and their addresses
 * are not reported; they are freed when it dies.
 */
static void increase_reservation(struct memop_args *a,
				 const struct domain *caller)
{
	paddr_t pa;

	if (a->order > memop_max_order(caller))
		return;
	for (; a->done < a->nr_extents; a->done++)
		if (memop_preempt(a) ||
		    domain_mem_alloc(a->d, a->order, a->addr_bits, &pa))
			return;
}

/*
 * increase/decrease_reservation and populate_physmap: the number of
 * extents done, counting from @start. Every failure, even before the
 * first extent (a bad argument, an unknown domain, no permission), just
 * ends the count, as in Xen.
 */
static long reservation_op(unsigned int op, uint64_t start, uint64_t arg)
{
	const struct domain *caller = current_domain();
	struct xen_memory_reservation r;
	struct memop_args a = {0};

	if (copy_from_guest(&r, arg, sizeof(r)) ||
	    r.nr_extents > MEMOP_MAX_EXTENTS || start >= r.nr_extents)
		return (long)start;
	a.d = memop_domain(r.domid);
	if (!a.d || !memop_flags(&r, &a))
		return (long)start;
	/* Xen's xsm_memory_adjust_reservation: refused like every other
	 * failure, with the count so far (Xen 4.17 gives a DomU 0 for Dom0's
	 * reservation, not -EPERM). */
	if (!memop_may_act_on(a.d))
		return (long)start;
	a.extent_list = r.extent_start.p;
	a.nr_extents = r.nr_extents;
	a.order = r.extent_order;
	a.pod = op == XENMEM_populate_physmap &&
		(r.mem_flags & XENMEMF_populate_on_demand);
	a.start = a.done = start;

	switch (op) {
	case XENMEM_increase_reservation:
		increase_reservation(&a, caller);
		break;
	case XENMEM_decrease_reservation:
		decrease_reservation(&a, caller);
		break;
	default: populate_physmap(&a, caller); break;
	}
	if (a.preempted)
		return memop_continue(op, a.done, arg);
	return (long)a.done;
}

/* XENMEM_claim_pages: checked as Xen does; Orchid reserves nothing. */
static long claim_pages(uint64_t arg)
{
	struct xen_memory_reservation r;
	struct domain *d;
	uint64_t tot;

	if (copy_from_guest(&r, arg, sizeof(r)))
		return -EFAULT;
	if (r.extent_start.p || r.extent_order || r.mem_flags)
		return -EINVAL;
	d = domain_lookup(r.domid);
	if (!d)
		return -EINVAL;
	if (!current_domain()->is_privileged)
		return -EPERM;
	if (r.nr_extents == 0)
		return 0; /* cancels a claim */
	tot = domain_mem_tot_pages(d);
	if (r.nr_extents <= tot || r.nr_extents > d->max_pages)
		return -EINVAL;
	if (r.nr_extents - tot > page_alloc_free_bytes() >> PAGE_SHIFT)
		return -ENOMEM;
	return 0;
}

/* ---- the physical address space ------------------------------------ */

/*
 * XENMAPSPACE_gmfn_foreign: map page @idx (a GFN) of domain @fdomid at
 * @gpfn of @d, holding a reference on it until the mapping goes
 * (xenmem_add_to_physmap_one in xen/arch/arm/mm.c).
 */
/*
 * Map @pa, on which the caller took a reference, at @gpfn of @d as a
 * foreign page: the mapping keeps the reference; a failure drops it.
 */
static int map_foreign_ref(struct domain *d, xen_pfn_t gpfn, paddr_t pa)
{
	int rc = domain_mem_map(d, gpfn, pa, 1, p2m_map_foreign_rw);

	if (rc == -EBUSY)
		return -ENOMEM; /* the reference stays with what is mapped */
	if (rc)
		domain_mem_put_page(pa);
	return rc;
}

/*
 * DOMID_XEN: @idx is the MFN of one of Orchid's pages shared with the
 * control domain (the trace buffers: xentrace maps them by MFN, as on
 * Xen, where get_page_from_gfn of dom_xen takes the GFN for the MFN). The
 * frame table says which pages those are; any other MFN is -EINVAL.
 */
static int map_xen_shared(struct domain *d, xen_ulong_t idx, xen_pfn_t gpfn)
{
	paddr_t pa;
	int rc;

	if (!d->is_privileged)
		return -EPERM;
	if (idx >> (64 - PAGE_SHIFT))
		return -EINVAL;
	pa = pa_init((uint64_t)idx << PAGE_SHIFT);
	rc = domain_mem_get_page_of(DOMID_XEN, pa, DM_GET_XEN);
	if (rc)
		return rc;
	return map_foreign_ref(d, gpfn, pa);
}

static int map_foreign(struct domain *d, domid_t fdomid, xen_ulong_t idx,
		       xen_pfn_t gpfn)
{
	struct domain *cur = current_domain(), *od;
	enum p2m_type t;
	paddr_t pa;
	int rc = -EINVAL;

	if (fdomid == DOMID_XEN)
		return map_xen_shared(d, idx, gpfn);
	/* Xen's get_pg_owner: naming oneself by number is refused. */
	if (fdomid == DOMID_SELF)
		od = cur;
	else if (fdomid == cur->domain_id)
		od = NULL;
	else
		od = domain_lookup(fdomid);
	if (!od)
		return -ESRCH;
	if (od == d)
		return -EINVAL;
	if (!d->is_privileged)
		return -EPERM; /* XSM_TARGET of @d on @od */
	if (od->is_dying || !domain_mem_gfn_ok(idx, 1))
		return -EINVAL;

	/* Its RAM, or a grant-table frame of its (compat grant seeding). */
	p2m_lock(od);
	if (p2m_lookup_locked(od, ipa_init(idx << PAGE_SHIFT), &pa, &t)) {
		if (t == p2m_ram_rw)
			rc = domain_mem_get_page(od, pa, DM_GET_RAM);
		else if (t == p2m_xen_page)
			rc = domain_mem_get_page(od, pa, DM_GET_XEN);
	}
	p2m_unlock(od);
	if (rc)
		return rc;
	return map_foreign_ref(d, gpfn, pa);
}

static long add_to_physmap_one(struct domain *d, unsigned int space,
			       xen_ulong_t idx, xen_pfn_t gpfn,
			       domid_t foreign_domid)
{
	if (!domain_mem_gfn_ok(gpfn, 1))
		return -EINVAL;
	switch (space) {
	case XENMAPSPACE_shared_info:
		if (idx != 0)
			return -EINVAL;
		return domain_mem_map_xen_page(d, &d->shared_info_gfn,
					       arch_va_to_pa(d->shared_info),
					       gpfn);
	case XENMAPSPACE_grant_table:
		if (idx & XENMAPIDX_grant_table_status)
			return -EINVAL; /* status frames are v2 only */
		return gnttab_map_shared_frame(d, idx, gpfn);
	case XENMAPSPACE_gmfn_foreign:
		return map_foreign(d, foreign_domid, idx, gpfn);
	default:
		/* gmfn, gmfn_range (-ENOSYS on Arm), dev_mmio */
		return hypercall_unimplemented("memory_op add_to_physmap space",
					       space);
	}
}

static long add_to_physmap(uint64_t start, uint64_t arg)
{
	struct xen_add_to_physmap xatp;
	struct domain *d;
	long err = 0;

	if (start != (uint16_t)start)
		return -XEN_EDOM;
	if (copy_from_guest(&xatp, arg, sizeof(xatp)))
		return -EFAULT;
	/* Foreign mapping is only possible via add_to_physmap_batch. */
	if (xatp.space == XENMAPSPACE_gmfn_foreign)
		return -ENOSYS;
	d = memop_target(xatp.domid, &err);
	if (!d)
		return err;
	if (xatp.gpfn == INVALID_GFN)
		return -EINVAL;
	return add_to_physmap_one(d, xatp.space, xatp.idx, xatp.gpfn,
				  DOMID_INVALID);
}

/* Each entry's result goes to errs[]; only bad arguments end the call. */
static long add_to_physmap_batch(uint64_t start, uint64_t arg)
{
	struct xen_add_to_physmap_batch b;
	struct domain *d;
	long err = 0;

	if (start != (uint16_t)start)
		return -XEN_EDOM;
	if (copy_from_guest(&b, arg, sizeof(b)))
		return -EFAULT;
	if (b.space == XENMAPSPACE_gmfn_range)
		return -EOPNOTSUPP;
	d = memop_target(b.domid, &err);
	if (!d)
		return err;
	if (b.size < start || (b.size == start && start))
		return -XEN_EILSEQ;
	if (b.space == XENMAPSPACE_dev_mmio && b.u.res0)
		return -EOPNOTSUPP;

	for (uint64_t i = start; i < b.size; i++) {
		xen_ulong_t idx;
		xen_pfn_t gpfn;
		int32_t rc;

		if (i != start && hypercall_preempt_due(1))
			return memop_continue(XENMEM_add_to_physmap_batch, i,
					      arg);
		if (copy_from_guest(&idx, b.idxs.p + i * sizeof(idx),
				    sizeof(idx)) ||
		    copy_from_guest(&gpfn, b.gpfns.p + i * sizeof(gpfn),
				    sizeof(gpfn)))
			return -EFAULT;
		if (gpfn == INVALID_GFN)
			return -EINVAL;
		rc = (int32_t)add_to_physmap_one(d, b.space, idx, gpfn,
						 b.u.foreign_domid);
		if (copy_to_guest(b.errs.p + i * sizeof(rc), &rc, sizeof(rc)))
			return -EFAULT;
	}
	return 0;
}

/*
 * Only what Xen's get_page_from_gfn finds can go: the domain's RAM, a
 * foreign mapping (its reference goes with it), one of Orchid's pages
 * (shared_info, a grant-table frame, which forgets where it was).
 */
static long remove_from_physmap(uint64_t arg)
{
	struct xen_remove_from_physmap xrfp;
	struct domain *d;
	long err = 0;

	if (copy_from_guest(&xrfp, arg, sizeof(xrfp)))
		return -EFAULT;
	d = memop_target(xrfp.domid, &err);
	if (!d)
		return err;
	if (!domain_mem_gfn_ok(xrfp.gpfn, 1))
		return -ENOENT;
	if (gnttab_unmap_shared_frame(d, xrfp.gpfn) == 0)
		return 0;
	return domain_mem_remove(d, xrfp.gpfn);
}

/* ---- XENMEM_acquire_resource ------------------------------------------ */

/* Map @nr frames of @d's grant table from @frame at the caller's @gfns. */
static long acquire_grant_frames(struct domain *cur, struct domain *d,
				 unsigned int id, uint64_t frame,
				 unsigned int nr, uint64_t gfn_list)
{
	xen_pfn_t gfns[ACQUIRE_BATCH];
	paddr_t pas[ACQUIRE_BATCH];
	long rc;

	rc = gnttab_acquire_resource(d, id, (unsigned int)frame, nr, pas);
	if (rc < 0)
		return rc;
	if (copy_from_guest(gfns, gfn_list, nr * sizeof(gfns[0])))
		return -EFAULT;
	for (unsigned int i = 0; i < nr; i++) {
		/* Xen's set_foreign_p2m_entry. */
		rc = domain_mem_get_page(d, pas[i], DM_GET_XEN);
		if (!rc) {
			rc = domain_mem_map(cur, gfns[i], pas[i], 1,
					    p2m_map_foreign_rw);
			if (rc && rc != -EBUSY)
				domain_mem_put_page(pas[i]);
		}
		if (rc)
			return i ? -EIO : (rc == -EBUSY ? -ENOMEM : rc);
	}
	return 0;
}

static long acquire_resource(uint64_t start, uint64_t arg)
{
	struct domain *cur = current_domain(), *d;
	struct xen_mem_acquire_resource x;
	unsigned int max = 0;
	uint64_t nr;

	if (copy_from_guest(&x, arg, sizeof(x)))
		return -EFAULT;
	if (x.pad || (x.frame >> 32) || ((x.frame + x.nr_frames) >> 32))
		return -EINVAL;
	/* Xen's rcu_lock_remote_domain_by_id, then XSM_DM_PRIV. */
	d = domain_lookup(x.domid);
	if (!d)
		return -ESRCH;
	if (d == cur || !cur->is_privileged)
		return -EPERM;

	switch (x.type) {
	case XENMEM_resource_grant_table:
		if (x.id == XENMEM_resource_grant_table_id_shared)
			max = gnttab_max_frames(d);
		break; /* status frames: v2 only */
	case XENMEM_resource_ioreq_server:
	case XENMEM_resource_vmtrace_buf: break; /* none on Orchid */
	default: return -EOPNOTSUPP;
	}
	if (!max)
		return -EINVAL;

	if (!x.frame_list.p) { /* a query of the size */
		if (x.nr_frames || start)
			return -EINVAL;
		x.nr_frames = max;
		if (copy_to_guest(
			    arg + offsetof(struct xen_mem_acquire_resource,
					   nr_frames),
			    &x.nr_frames, sizeof(x.nr_frames)))
			return -EFAULT;
		return 0;
	}
	if (start >= x.nr_frames || x.nr_frames > MEMOP_MAX_EXTENTS)
		return -EINVAL;
	for (nr = start; nr < x.nr_frames;) {
		unsigned int todo = x.nr_frames - nr < ACQUIRE_BATCH
					    ? (unsigned int)(x.nr_frames - nr)
					    : ACQUIRE_BATCH;
		long rc = acquire_grant_frames(cur, d, x.id, x.frame + nr, todo,
					       x.frame_list.p +
						       nr * sizeof(xen_pfn_t));

		if (rc)
			return rc;
		nr += todo;
	}
	return 0;
}

/* ---- queries -------------------------------------------------------- */

static long reservation_query(unsigned int cmd, uint64_t arg)
{
	struct xen_memory_domain md;
	struct domain *d;
	long err = 0;

	if (copy_from_guest(&md, arg, sizeof(md)))
		return -EFAULT;
	d = memop_target(md.domid, &err);
	if (!d)
		return err;
	switch (cmd) {
	case XENMEM_current_reservation: return (long)domain_mem_tot_pages(d);
	case XENMEM_maximum_reservation: return (long)d->max_pages;
	default: return (long)domain_mem_max_gfn(d);
	}
}

/* No domain has virtual NUMA on Arm: -EOPNOTSUPP once the checks pass. */
static long get_vnumainfo(uint64_t arg)
{
	struct xen_vnuma_topology_info t;
	struct domain *d;
	long err = 0;

	if (copy_from_guest(&t, arg, sizeof(t)))
		return -EFAULT;
	if (t.pad)
		return -EINVAL;
	d = memop_target(t.domid, &err);
	if (!d)
		return err;
	return -EOPNOTSUPP;
}

long hc_memory_op(const uint64_t a[5])
{
	unsigned int cmd = (unsigned int)(a[0] & MEMOP_CMD_MASK);
	uint64_t start = a[0] >> MEMOP_EXTENT_SHIFT;

	switch (cmd) {
	case XENMEM_increase_reservation:
	case XENMEM_decrease_reservation:
	case XENMEM_populate_physmap: return reservation_op(cmd, start, a[1]);
	case XENMEM_add_to_physmap: return add_to_physmap(start, a[1]);
	case XENMEM_add_to_physmap_batch:
		return add_to_physmap_batch(start, a[1]);
	case XENMEM_acquire_resource: return acquire_resource(start, a[1]);
	case XENMEM_remove_from_physmap:
		return start ? -EINVAL : remove_from_physmap(a[1]);
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
	case XENMEM_maximum_gpfn:
		return start ? -EINVAL : reservation_query(cmd, a[1]);
	case XENMEM_maximum_ram_page:
		/* Xen's max_page: one past the highest RAM page. */
		return start ? -EINVAL : (long)(bootmem_max_pfn() + 1);
	case XENMEM_claim_pages: return start ? -EINVAL : claim_pages(a[1]);
	case XENMEM_get_vnumainfo: return start ? -EINVAL : get_vnumainfo(a[1]);
	case XENMEM_get_sharing_freed_pages:
	case XENMEM_get_sharing_shared_pages:
		return 0; /* no memory sharing on Arm (its arch_memory_op) */
	default:
		/* exchange, access_op, paging, sharing_op, pod, ... */
		return hypercall_unimplemented("memory_op", cmd);
	}
}
