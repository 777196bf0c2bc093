// SPDX-License-Identifier: MIT
/*
 * Using other domains' grants: GNTTABOP_map_grant_ref, unmap_grant_ref
 * and copy, version 1 entries only.
 *
 * A grant in use is pinned in its granter's table (struct gnttab_active:
 * who uses it, how often, which page), and the granter sees GTF_reading
 * and GTF_writing set in its entry, changed with compare-and-swap exactly
 * as Xen does, a bounded number of times since the guest writes the same
 * word. Each mapping or copy holds a reference on the granted page
 * (common/mm/domain_mem.c), so the page outlives a granter that gives it
 * back or dies meanwhile; the mapper's maptrack entry (its handle) names
 * the granter by domain id and table generation, so a mapping of a dead
 * granter's grant still unmaps cleanly.
 *
 * For an auto-translated (Arm) mapper host_addr is a guest-physical
 * address: the granted page is mapped there in the mapper's p2m
 * (p2m_grant_map_rw/ro), replacing what was there, and unmapping leaves a
 * hole (Xen's create/replace_grant_host_mapping in xen/arch/arm/mm.c).
 * dev_bus_addr returns the page's machine address, which a direct-mapped
 * Dom0's swiotlb-xen uses.
 *
 * Statuses and checks follow Xen 4.17's map_grant_ref, unmap_common and
 * gnttab_copy (xen/common/xen/grant_table.c). Locking: one grant-table lock at
 * a time; a table's lock before the physmap, p2m and frame-table locks.
 */
#include <orchid/domain.h>
#include <orchid/domain_mem.h>
#include <orchid/errno.h>
#include <orchid/grant_table.h>
#include <orchid/hypercall.h>
#include <orchid/mm.h>
#include <orchid/p2m.h>
#include <orchid/printk.h>
#include <orchid/string.h>
#include <orchid/xsm.h>
#include <public/grant_table.h>

#include "grant_table_priv.h"

/* Maptrack entries a domain may have (Xen: 1024 frames of 512). */
#define GNTTAB_MAPTRACK_INITIAL 64U
#define GNTTAB_MAPTRACK_MAX	(1U << 17)

/* Attempts at changing a shared entry's flags the guest also writes. */
#define GNTTAB_CMPXCHG_TRIES 8

/* The first 32 bits of a v1 entry: flags in the low half, domid above. */
typedef uint32_t __attribute__((may_alias)) gnttab_combo_t;

/* ---- maptrack -------------------------------------------------------- */

/* A free handle, marked busy until gnttab_maptrack_fill makes it a mapping. */
static int16_t gnttab_maptrack_get(struct gnttab_locked l,
				   grant_handle_t *handle)
{
	struct grant_table *gt = l.gt;
	struct gnttab_maptrack *mt;

	if (gt->maptrack_free == GNTTAB_MAPTRACK_NONE) {
		uint32_t size = gt->maptrack_size ? gt->maptrack_size * 2
						  : GNTTAB_MAPTRACK_INITIAL;

		if (size > GNTTAB_MAPTRACK_MAX)
			return GNTST_no_space;
		mt = xzalloc(size * sizeof(*mt));
		if (!mt)
			return GNTST_no_space;
		if (gt->maptrack)
			memcpy(mt, gt->maptrack,
			       gt->maptrack_size * sizeof(*mt));
		for (uint32_t i = gt->maptrack_size; i < size; i++)
			mt[i].next_free =
				i + 1 < size ? i + 1 : GNTTAB_MAPTRACK_NONE;
		gt->maptrack_free = gt->maptrack_size;
		xfree(gt->maptrack);
		gt->maptrack = mt;
		gt->maptrack_size = size;
	}
	*handle = gt->maptrack_free;
	mt = &gt->maptrack[*handle];
	gt->maptrack_free = mt->next_free;
	*mt = (struct gnttab_maptrack){.busy = true};
	return GNTST_okay;
}

static void gnttab_maptrack_put(struct gnttab_locked l, grant_handle_t handle)
{
	struct grant_table *gt = l.gt;

	gt->maptrack[handle] =
		(struct gnttab_maptrack){.next_free = gt->maptrack_free};
	gt->maptrack_free = handle;
}

/*
 * Domain @domid, or NULL: the caller @ld itself (unless NULL) without a
 * walk of the domain list (a domain copying from or mapping its own
 * grants, as bench-micro's grant rows and a driver domain's loopback do).
 */
static struct domain *gnttab_domain(struct domain *ld, domid_t domid)
{
	return ld && domid == ld->domain_id ? ld : domain_lookup(domid);
}

/* ---- pinning a grant ------------------------------------------------- */

/*
 * Xen's _set_status_v1: check the entry grants @ldomid access of the kind
 * asked (unless already pinned) and set GTF_reading (and GTF_writing).
 */
static int16_t gnttab_set_status(struct grant_entry_v1 *e, bool pinned,
				 bool readonly, bool mapping, domid_t ldomid)
{
	uint16_t mask = GTF_type_mask | (mapping ? GTF_sub_page : 0);
	gnttab_combo_t *raw = (gnttab_combo_t *)e;
	uint32_t cur = __atomic_load_n(raw, __ATOMIC_ACQUIRE);

	for (unsigned int tries = 0; tries < GNTTAB_CMPXCHG_TRIES; tries++) {
		uint16_t flags = (uint16_t)cur;
		domid_t domid = (domid_t)(cur >> 16);
		uint32_t want = cur | GTF_reading;

		if (!pinned &&
		    ((flags & mask) != GTF_permit_access || domid != ldomid))
			return GNTST_general_error;
		if (!readonly) {
			if (flags & GTF_readonly)
				return GNTST_general_error;
			want |= GTF_writing;
		}
		/* Weak: one attempt each, so a guest cannot keep us here. */
		if (__atomic_compare_exchange_n(raw, &cur, want, true,
						__ATOMIC_SEQ_CST,
						__ATOMIC_ACQUIRE))
			return GNTST_okay;
	}
	return GNTST_general_error; /* the entry keeps changing */
}

/* Xen's reduce_status_for_pin: clear what no pin needs any more. */
static void gnttab_reduce_status(struct grant_entry_v1 *e,
				 const struct gnttab_active *act, bool readonly)
{
	uint16_t clear = act->pin ? 0 : GTF_reading;
	uint16_t cur;

	if (!readonly && !(act->pin & GNTPIN_hstw_mask))
		clear |= GTF_writing;
	if (!clear)
		return;
	cur = __atomic_load_n(&e->flags, __ATOMIC_ACQUIRE);
	for (unsigned int tries = 0; tries < GNTTAB_CMPXCHG_TRIES; tries++)
		if (__atomic_compare_exchange_n(
			    &e->flags, &cur, (uint16_t)(cur & ~clear), true,
			    __ATOMIC_SEQ_CST, __ATOMIC_ACQUIRE))
			return;
	pr_warn("gnttab: d%u keeps changing a grant entry's flags\n",
		(unsigned int)(__atomic_load_n(&e->domid, __ATOMIC_RELAXED)));
}

/*
 * Xen's get_paged_frame: the RAM of @rd at @gfn (writable unless
 * @readonly), with a reference taken on it.
 */
static int16_t gnttab_get_frame(struct domain *rd, xen_pfn_t gfn, bool readonly,
				paddr_t *pa)
{
	enum p2m_type t;
	int rc = -EINVAL;

	if (!domain_mem_gfn_ok(gfn, 1))
		return GNTST_bad_page;
	p2m_lock(rd);
	if (p2m_lookup_locked(rd, ipa_init(gfn << PAGE_SHIFT), pa, &t) &&
	    (t == p2m_ram_rw || (readonly && t == p2m_ram_ro)))
		rc = domain_mem_get_page(rd, *pa, DM_GET_RAM);
	p2m_unlock(rd);
	return rc ? GNTST_bad_page : GNTST_okay;
}

/*
 * Pin grant @ref of the locked table for @ld (a host mapping when
 * @mapping, else a copy), and take a reference on its page: *@pa.
 */
static int16_t gnttab_pin(struct gnttab_locked rl, const struct domain *ld,
			  grant_ref_t ref, bool readonly, bool mapping,
			  paddr_t *pa)
{
	uint32_t incr = readonly ? GNTPIN_hstr_inc : GNTPIN_hstw_inc;
	struct gnttab_active *act;
	struct grant_entry_v1 *e;
	bool have_ref = false;
	int16_t rc;

	if (ref >= gnttab_nr_entries(rl.gt))
		return GNTST_bad_gntref;
	act = gnttab_active_entry(rl.gt, ref);
	e = gnttab_entry(rl.gt, ref);
	/* In use already: by the same domain, and not too often. */
	if (act->pin &&
	    (act->domid != ld->domain_id || (act->pin & (incr << 7))))
		return GNTST_general_error;

	if (!act->pin || (!readonly && !(act->pin & GNTPIN_hstw_mask))) {
		rc = gnttab_set_status(e, act->pin, readonly, mapping,
				       ld->domain_id);
		if (rc)
			return rc;
		if (!act->pin) {
			xen_pfn_t gfn =
				__atomic_load_n(&e->frame, __ATOMIC_RELAXED);

			rc = gnttab_get_frame(rl.d, gfn, readonly, pa);
			if (rc) {
				gnttab_reduce_status(e, act, readonly);
				return rc;
			}
			act->domid = ld->domain_id;
			act->pa = *pa;
			have_ref = true;
		}
	}
	/* The granter may have let the page go meanwhile (Xen's get_page). */
	if (!have_ref && domain_mem_get_page(rl.d, act->pa, DM_GET_RAM)) {
		gnttab_reduce_status(e, act, readonly);
		return GNTST_general_error;
	}
	act->pin += incr;
	*pa = act->pa;
	return GNTST_okay;
}

/*
 * Undo one pin of grant @ref of domain @domid's table generation @gen.
 * A granter that died meanwhile (or whose id is a new domain's now) has
 * nothing left to update.
 */
static void gnttab_unpin(struct domain *ld, domid_t domid, uint32_t gen,
			 grant_ref_t ref, bool readonly)
{
	uint32_t incr = readonly ? GNTPIN_hstr_inc : GNTPIN_hstw_inc;
	uint32_t mask = readonly ? GNTPIN_hstr_mask : GNTPIN_hstw_mask;
	struct domain *rd = gnttab_domain(ld, domid);
	struct gnttab_active *act;
	struct gnttab_locked rl;

	if (!rd || !rd->grant_table)
		return;
	rl = gnttab_lock(rd);
	if (rl.gt->gen == gen && ref < gnttab_nr_entries(rl.gt)) {
		act = gnttab_active_entry(rl.gt, ref);
		if (act->pin & mask) {
			act->pin -= incr;
			gnttab_reduce_status(gnttab_entry(rl.gt, ref), act,
					     readonly);
		}
	}
	gnttab_unlock(rl);
}

/* The granter @domid, alive and with a table (Xen's rcu_lock_domain_by_id). */
static struct domain *gnttab_granter(struct domain *ld, domid_t domid,
				     uint32_t *gen)
{
	struct domain *rd = gnttab_domain(ld, domid);

	if (!rd || !rd->grant_table || rd->is_dying)
		return NULL;
	*gen = rd->grant_table->gen;
	return rd;
}

/* ---- GNTTABOP_map_grant_ref -------------------------------------------- */

int16_t gnttab_map_one(struct domain *ld, struct gnttab_map_grant_ref *op)
{
	bool readonly = op->flags & GNTMAP_readonly;
	grant_handle_t handle;
	struct gnttab_locked l;
	struct domain *rd;
	uint32_t gen;
	int16_t rc;
	paddr_t pa;
	int err;

	if (!(op->flags & (GNTMAP_device_map | GNTMAP_host_map)))
		return GNTST_bad_gntref;
	/* A translated guest has neither device nor PTE mappings. */
	if (op->flags &
	    (GNTMAP_device_map | GNTMAP_application_map | GNTMAP_contains_pte))
		return GNTST_general_error;
	rd = gnttab_granter(ld, op->dom, &gen);
	if (!rd)
		return GNTST_bad_domain;
	if (xsm_grant_mapref(ld, rd, op->flags))
		return GNTST_permission_denied;

	l = gnttab_lock(ld);
	rc = gnttab_maptrack_get(l, &handle);
	gnttab_unlock(l);
	if (rc)
		return rc;

	l = gnttab_lock(rd);
	rc = l.gt->gen == gen ? gnttab_pin(l, ld, op->ref, readonly, true, &pa)
			      : GNTST_bad_domain;
	gnttab_unlock(l);
	if (!rc) {
		err = domain_mem_map(ld, op->host_addr >> PAGE_SHIFT, pa, 1,
				     readonly ? p2m_grant_map_ro
					      : p2m_grant_map_rw);
		if (err) {
			/* -EBUSY: still mapped somewhere; keep the page. */
			if (err != -EBUSY)
				domain_mem_put_page(pa);
			gnttab_unpin(ld, op->dom, gen, op->ref, readonly);
			rc = GNTST_general_error;
		}
	}

	l = gnttab_lock(ld);
	if (rc) {
		gnttab_maptrack_put(l, handle);
	} else {
		l.gt->maptrack[handle] = (struct gnttab_maptrack){
			.flags = op->flags,
			.ref = op->ref,
			.gen = gen,
			.pa = pa,
			.domid = op->dom,
		};
	}
	gnttab_unlock(l);
	if (rc)
		return rc;
	op->handle = handle;
	op->dev_bus_addr = pa_addr(pa);
	return GNTST_okay;
}

/* ---- GNTTABOP_unmap_grant_ref ------------------------------------------- */

int16_t gnttab_unmap_one(struct domain *ld,
			 const struct gnttab_unmap_grant_ref *op)
{
	struct gnttab_maptrack *mt, m;
	struct gnttab_locked l = gnttab_lock(ld);

	if (op->handle >= l.gt->maptrack_size ||
	    !l.gt->maptrack[op->handle].flags ||
	    l.gt->maptrack[op->handle].busy) {
		gnttab_unlock(l);
		return GNTST_bad_handle;
	}
	mt = &l.gt->maptrack[op->handle];
	/* Xen: without a host address nothing is undone, and that is fine. */
	if (!op->host_addr || !(mt->flags & GNTMAP_host_map)) {
		gnttab_unlock(l);
		return GNTST_okay;
	}
	mt->busy = true;
	m = *mt;
	gnttab_unlock(l);

	/* Xen's replace_grant_host_mapping: only that mapping, if there. */
	if (domain_mem_unmap_grant(ld, op->host_addr >> PAGE_SHIFT, m.pa)) {
		l = gnttab_lock(ld);
		l.gt->maptrack[op->handle].busy = false;
		gnttab_unlock(l);
		return GNTST_general_error;
	}
	l = gnttab_lock(ld);
	gnttab_maptrack_put(l, op->handle);
	gnttab_unlock(l);
	gnttab_unpin(ld, m.domid, m.gen, m.ref, m.flags & GNTMAP_readonly);
	domain_mem_put_page(m.pa);
	return GNTST_okay;
}

int gnttab_release_mappings_from(struct domain *d, uint64_t *cursor,
				 bool preemptible)
{
	struct gnttab_locked l;
	uint32_t i = (uint32_t)*cursor;

	if (!d->grant_table)
		return 0;
	for (;;) {
		struct gnttab_maptrack m = {0};

		/* One unit a mapping: up to 2^17 of them (Xen's relinquish). */
		if (preemptible && hypercall_preempt_due(1)) {
			*cursor = i;
			return -ERESTART;
		}
		l = gnttab_lock(d);
		for (; i < l.gt->maptrack_size; i++) {
			if (l.gt->maptrack[i].flags &&
			    !l.gt->maptrack[i].busy) {
				m = l.gt->maptrack[i];
				gnttab_maptrack_put(l, i);
				break;
			}
		}
		gnttab_unlock(l);
		if (!m.flags) {
			*cursor = i;
			return 0;
		}
		/* NULL: looked up, as a dying domain may be off the list. */
		gnttab_unpin(NULL, m.domid, m.gen, m.ref,
			     m.flags & GNTMAP_readonly);
		domain_mem_put_page(m.pa);
	}
}

void gnttab_release_mappings(struct domain *d)
{
	uint64_t cursor = 0;

	gnttab_release_mappings_from(d, &cursor, false);
}

int gnttab_grant_map_find(const struct domain *ld, paddr_t pa,
			  grant_ref_t *cur_ref)
{
	struct gnttab_locked l;
	struct domain *rd;
	grant_ref_t ref, end;
	domid_t owner;
	int rc = 0;

	if (!domain_mem_page_owner(pa, &owner))
		return -EINVAL;
	rd = domain_lookup(owner);
	if (!rd || !rd->grant_table)
		return -EINVAL;
	l = gnttab_lock(rd);
	end = gnttab_nr_entries(l.gt);
	if (*cur_ref < end && end - *cur_ref > GNTTAB_SEARCH_SLICE)
		end = *cur_ref + GNTTAB_SEARCH_SLICE;
	for (ref = *cur_ref; !rc && ref < end; ref++) {
		const struct gnttab_active *act =
			gnttab_active_entry(l.gt, ref);

		if (act->pin && act->domid == ld->domain_id &&
		    pa_addr(act->pa) == pa_addr(pa))
			rc = 1;
	}
	if (!rc && ref >= gnttab_nr_entries(l.gt))
		rc = -EINVAL;
	gnttab_unlock(l);
	*cur_ref = ref;
	return rc;
}

/* ---- GNTTABOP_copy ----------------------------------------------------- */

/*
 * Xen 4.17's gnttab_copy_lock_domain: the domain is looked up first (an
 * unknown one is GNTST_bad_domain), then only DOMID_SELF may name a frame
 * rather than a grant (the caller's own ID is refused too).
 */
static int16_t gnttab_copy_domain(struct domain *ld,
				  const struct gnttab_copy_ptr *p, bool gref,
				  struct domain **d)
{
	*d = p->domid == DOMID_SELF ? ld : gnttab_domain(ld, p->domid);
	if (!*d)
		return GNTST_bad_domain;
	if (p->domid != DOMID_SELF && !gref)
		return GNTST_permission_denied;
	return GNTST_okay;
}

static void gnttab_copy_buf_release(struct domain *ld,
				    struct gnttab_copy_buf *b, bool readonly)
{
	if (b->have_grant)
		gnttab_unpin(ld, b->d->domain_id, b->gen, (grant_ref_t)b->key,
			     readonly);
	if (b->have_page)
		domain_mem_put_page(b->pa);
	*b = (struct gnttab_copy_buf){0};
}

void gnttab_copy_cache_release(struct domain *ld, struct gnttab_copy_cache *c)
{
	gnttab_copy_buf_release(ld, &c->dst, false);
	gnttab_copy_buf_release(ld, &c->src, true);
}

/*
 * Does @b hold what @p names already (Xen's gnttab_copy_buf_valid)? The
 * same grant of the same table, or the same frame of the caller's own.
 */
static bool gnttab_copy_buf_valid(const struct gnttab_copy_buf *b,
				  const struct domain *d,
				  const struct gnttab_copy_ptr *p, bool gref)
{
	if (!b->have_page || b->d != d || b->gref != gref)
		return false;
	if (!gref)
		return b->key == p->u.gmfn;
	return b->key == p->u.ref && d->grant_table &&
	       d->grant_table->gen == b->gen;
}

/*
 * Xen's gnttab_copy_claim_buf, keeping what the previous element of the
 * batch claimed when it is the same (Xen does too): a backend copying
 * many grants into one page of its own claims that page once
 * (bench-micro's grant-copy-4k-x16/x256 rows: one p2m walk and one page
 * reference taken and dropped fewer a segment).
 */
static int16_t gnttab_copy_claim(struct domain *ld, struct domain *d,
				 const struct gnttab_copy_ptr *p, bool gref,
				 bool readonly, struct gnttab_copy_buf *b)
{
	struct gnttab_locked l;
	int16_t rc;

	if (gnttab_copy_buf_valid(b, d, p, gref))
		return GNTST_okay;
	gnttab_copy_buf_release(ld, b, readonly);
	b->d = d;
	b->gref = gref;
	if (!gref) {
		b->key = p->u.gmfn;
		rc = gnttab_get_frame(d, p->u.gmfn, readonly, &b->pa);
		b->have_page = !rc;
		return rc;
	}
	if (d->is_dying || !d->grant_table)
		return GNTST_bad_domain;
	b->key = p->u.ref;
	l = gnttab_lock(d);
	b->gen = l.gt->gen;
	rc = gnttab_pin(l, ld, p->u.ref, readonly, false, &b->pa);
	gnttab_unlock(l);
	b->have_grant = b->have_page = !rc;
	return rc;
}

static int16_t gnttab_copy_claim_both(struct domain *ld,
				      const struct gnttab_copy *op,
				      struct gnttab_copy_cache *c)
{
	bool src_gref = op->flags & GNTCOPY_source_gref;
	bool dst_gref = op->flags & GNTCOPY_dest_gref;
	struct domain *sd, *dd;
	int16_t rc;

	rc = gnttab_copy_domain(ld, &op->source, src_gref, &sd);
	if (!rc)
		rc = gnttab_copy_domain(ld, &op->dest, dst_gref, &dd);
	if (!rc && xsm_grant_copy(sd, dd))
		rc = GNTST_permission_denied;
	if (!rc)
		rc = gnttab_copy_claim(ld, sd, &op->source, src_gref, true,
				       &c->src);
	if (!rc)
		rc = gnttab_copy_claim(ld, dd, &op->dest, dst_gref, false,
				       &c->dst);
	return rc;
}

int16_t gnttab_copy_one(struct domain *ld, const struct gnttab_copy *op,
			struct gnttab_copy_cache *c)
{
	int16_t rc = gnttab_copy_claim_both(ld, op, c);

	if (!rc && ((uint32_t)op->source.offset + op->len > PAGE_SIZE ||
		    (uint32_t)op->dest.offset + op->len > PAGE_SIZE))
		rc = GNTST_bad_copy_arg;
	if (rc) {
		/* As Xen: a failed element keeps nothing claimed. */
		gnttab_copy_cache_release(ld, c);
		return rc;
	}
	memcpy_bulk((uint8_t *)arch_pa_to_va(c->dst.pa) + op->dest.offset,
		    (const uint8_t *)arch_pa_to_va(c->src.pa) +
			    op->source.offset,
		    op->len);
	return GNTST_okay;
}
