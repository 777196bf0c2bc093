// SPDX-License-Identifier: MIT
/*
 * A domain's physmap (<orchid/domain_mem.h>): Orchid's changes to its
 * p2m, and the references they move.
 *
 * Each domain gets a small state on first use: a lock that serialises
 * Orchid's changes to its p2m, the highest GFN mapped, and the foreign
 * mappings it holds (GFN -> page, an open-addressed hash table), so that
 * replacing, removing or destroying them drops their references. The
 * pages themselves, their owners and references are the frame table's
 * (domain_mem.c); this file only calls its interface.
 */
#include <orchid/arch.h>
#include <orchid/domain.h>
#include <orchid/domain_mem.h>
#include <orchid/errno.h>
#include <orchid/mm.h>
#include <orchid/p2m.h>
#include <orchid/spinlock.h>
#include <orchid/string.h>

#include "domain_mem_priv.h"

/* A foreign mapping a domain holds. */
struct dm_fmap_slot {
	xen_pfn_t gfn; /* DM_NO_GFN: an empty slot */
	paddr_t pa;
};
#define DM_NO_GFN   (~(xen_pfn_t)0)
#define DM_FMAP_MIN 64

struct domain_mem {
	spinlock_t lock; /* the physmap lock */
	xen_pfn_t max_gfn;
	struct dm_fmap_slot *fmap;
	uint64_t fmap_size; /* slots: 0 or a power of two */
	uint64_t fmap_used;
};

/* Proof that the caller holds a domain's physmap lock. */
struct dm_locked {
	struct domain *d;
	struct domain_mem *st;
};

static spinlock_t dm_state_lock = SPINLOCK_INIT;

/* ---- per-domain physmap state ---------------------------------------- */

/* @d's state, made on first use; NULL when @d is dying or out of memory. */
static struct domain_mem *dm_state(struct domain *d)
{
	struct domain_mem *st;

	st = __atomic_load_n(&d->mem, __ATOMIC_ACQUIRE);
	if (st)
		return st;
	spin_lock(&dm_state_lock);
	st = d->mem;
	if (!st && !d->is_dying) {
		st = xzalloc(sizeof(*st));
		if (st) {
			spin_lock_init(&st->lock);
			__atomic_store_n(&d->mem, st, __ATOMIC_RELEASE);
		}
	}
	spin_unlock(&dm_state_lock);
	return st;
}

static struct dm_locked dm_lock(struct domain *d, struct domain_mem *st)
{
	spin_lock(&st->lock);
	return (struct dm_locked){.d = d, .st = st};
}

static void dm_unlock(struct dm_locked l)
{
	spin_unlock(&l.st->lock);
}

void domain_physmap_raise_max_gfn(struct domain *d, xen_pfn_t gfn)
{
	struct domain_mem *st = dm_state(d);
	struct dm_locked l;

	if (!st)
		return;
	l = dm_lock(d, st);
	if (gfn > st->max_gfn)
		st->max_gfn = gfn;
	dm_unlock(l);
}

xen_pfn_t domain_mem_max_gfn(struct domain *d)
{
	struct domain_mem *st = dm_state(d);
	struct dm_locked l;
	xen_pfn_t gfn;

	if (!st)
		return 0;
	l = dm_lock(d, st);
	gfn = st->max_gfn;
	dm_unlock(l);
	return gfn;
}

bool domain_mem_gfn_ok(xen_pfn_t gfn, uint64_t nr)
{
	uint64_t limit = 1ULL << (p2m_ipa_bits() - PAGE_SHIFT);

	return nr && gfn < limit && nr <= limit - gfn;
}

static ipaddr_t gfn_ipa(xen_pfn_t gfn)
{
	return ipa_init(gfn << PAGE_SHIFT);
}

/* ---- the foreign mappings a domain holds ------------------------------ */

static uint64_t fmap_hash(const struct domain_mem *st, xen_pfn_t gfn)
{
	return (gfn * 0x9e3779b97f4a7c15ULL) & (st->fmap_size - 1);
}

static struct dm_fmap_slot *fmap_find(struct dm_locked l, xen_pfn_t gfn)
{
	struct domain_mem *st = l.st;

	if (!st->fmap_used)
		return NULL;
	for (uint64_t i = fmap_hash(st, gfn);;
	     i = (i + 1) & (st->fmap_size - 1)) {
		if (st->fmap[i].gfn == gfn)
			return &st->fmap[i];
		if (st->fmap[i].gfn == DM_NO_GFN)
			return NULL;
	}
}

static void fmap_put_slot(struct domain_mem *st, xen_pfn_t gfn, paddr_t pa)
{
	uint64_t i = fmap_hash(st, gfn);

	while (st->fmap[i].gfn != DM_NO_GFN)
		i = (i + 1) & (st->fmap_size - 1);
	st->fmap[i] = (struct dm_fmap_slot){.gfn = gfn, .pa = pa};
	st->fmap_used++;
}

/* Room for one more entry, the table at most half full. */
static int fmap_reserve(struct dm_locked l)
{
	struct domain_mem *st = l.st;
	struct dm_fmap_slot *old = st->fmap;
	uint64_t old_size = st->fmap_size, size;

	if ((st->fmap_used + 1) * 2 <= st->fmap_size)
		return 0;
	size = old_size ? old_size * 2 : DM_FMAP_MIN;
	st->fmap = xmalloc(size * sizeof(*st->fmap));
	if (!st->fmap) {
		st->fmap = old;
		return -ENOMEM;
	}
	for (uint64_t i = 0; i < size; i++)
		st->fmap[i].gfn = DM_NO_GFN;
	st->fmap_size = size;
	st->fmap_used = 0;
	for (uint64_t i = 0; i < old_size; i++)
		if (old[i].gfn != DM_NO_GFN)
			fmap_put_slot(st, old[i].gfn, old[i].pa);
	xfree(old);
	return 0;
}

/* Remove @slot, moving later entries of its run back (no tombstones). */
static void fmap_delete(struct dm_locked l, struct dm_fmap_slot *slot)
{
	struct domain_mem *st = l.st;
	uint64_t mask = st->fmap_size - 1;
	uint64_t hole = (uint64_t)(slot - st->fmap);

	for (uint64_t i = (hole + 1) & mask; st->fmap[i].gfn != DM_NO_GFN;
	     i = (i + 1) & mask) {
		uint64_t home = fmap_hash(st, st->fmap[i].gfn);

		/* Move it if its home is not in (hole, i]. */
		if (((i - home) & mask) >= ((i - hole) & mask)) {
			st->fmap[hole] = st->fmap[i];
			hole = i;
		}
	}
	st->fmap[hole].gfn = DM_NO_GFN;
	st->fmap_used--;
}

/*
 * After a change to [gfn, gfn + nr): every foreign mapping recorded there
 * that the p2m no longer holds loses its record and its reference.
 */
static void fmap_reconcile(struct dm_locked l, xen_pfn_t gfn, uint64_t nr)
{
	struct domain_mem *st = l.st;
	uint64_t i = 0;

	while (st->fmap_used &&
	       i < (nr <= st->fmap_size ? nr : st->fmap_size)) {
		struct dm_fmap_slot *s;
		enum p2m_type t;
		paddr_t pa;

		if (nr <= st->fmap_size) {
			s = fmap_find(l, gfn + i);
		} else {
			s = &st->fmap[i];
			if (s->gfn == DM_NO_GFN || s->gfn < gfn ||
			    s->gfn - gfn >= nr)
				s = NULL;
		}
		if (s && !(p2m_lookup(l.d, gfn_ipa(s->gfn), &pa, &t) &&
			   t == p2m_map_foreign_rw &&
			   pa_addr(pa) == pa_addr(s->pa))) {
			paddr_t page = s->pa;

			fmap_delete(l, s);
			domain_mem_put_page(page);
			continue; /* a slot may have moved into place i */
		}
		i++;
	}
}

/*
 * Give the table back once nothing is in it: the toolstack maps a whole
 * kernel at once, then nothing for a long time.
 */
static void fmap_trim(struct dm_locked l)
{
	struct domain_mem *st = l.st;

	if (st->fmap_used || !st->fmap)
		return;
	xfree(st->fmap);
	st->fmap = NULL;
	st->fmap_size = 0;
}

/* Drop every foreign mapping's reference (the p2m is being emptied). */
static void fmap_release_all(struct dm_locked l)
{
	struct domain_mem *st = l.st;

	for (uint64_t i = 0; i < st->fmap_size; i++)
		if (st->fmap[i].gfn != DM_NO_GFN)
			domain_mem_put_page(st->fmap[i].pa);
	xfree(st->fmap);
	st->fmap = NULL;
	st->fmap_size = 0;
	st->fmap_used = 0;
}

/* ---- physmap changes ------------------------------------------------ */

/* domain_mem_map, under the physmap lock. */
static int dm_map_locked(struct dm_locked l, xen_pfn_t gfn, paddr_t pa,
			 uint64_t nr, enum p2m_type type)
{
	bool foreign = type == p2m_map_foreign_rw;
	struct domain_mem *st = l.st;
	struct domain *d = l.d;
	int rc;

	if (foreign && fmap_reserve(l))
		return -ENOMEM;
	rc = p2m_map(d, gfn_ipa(gfn), pa, nr, type);
	if (rc)
		return rc; /* a failed p2m_map changed nothing: no ref moves */
	/* What the range held before is gone: drop its references. */
	if (st->fmap_used)
		fmap_reconcile(l, gfn, nr);
	if (foreign) {
		struct dm_fmap_slot *s = fmap_find(l, gfn);

		if (s) { /* the same page mapped again: one reference is enough */
			domain_mem_put_page(s->pa);
			s->pa = pa;
		} else {
			fmap_put_slot(st, gfn, pa);
		}
	}
	if (gfn + nr - 1 > st->max_gfn)
		st->max_gfn = gfn + nr - 1;
	return rc;
}

/* The physmap lock of @d, its state made on first use; 0 or an errno. */
static int dm_lock_state(struct domain *d, struct dm_locked *l)
{
	struct domain_mem *st = dm_state(d);

	if (!st)
		return d->is_dying ? -EINVAL : -ENOMEM;
	*l = dm_lock(d, st);
	return 0;
}

/* dm_lock_state for a change of [@gfn, @gfn + @nr): -EINVAL outside IPAs. */
static int dm_lock_gfns(struct domain *d, xen_pfn_t gfn, uint64_t nr,
			struct dm_locked *l)
{
	if (!domain_mem_gfn_ok(gfn, nr))
		return -EINVAL;
	return dm_lock_state(d, l);
}

int domain_mem_map(struct domain *d, xen_pfn_t gfn, paddr_t pa, uint64_t nr,
		   enum p2m_type type)
{
	struct dm_locked l;
	int rc;

	if (!domain_mem_gfn_ok(gfn, nr) ||
	    (type == p2m_map_foreign_rw && nr != 1))
		return -EINVAL;
	rc = dm_lock_state(d, &l);
	if (rc)
		return rc;
	rc = dm_map_locked(l, gfn, pa, nr, type);
	dm_unlock(l);
	return rc;
}

xen_pfn_t domain_mem_xen_page_gfn(struct domain *d, xen_pfn_t *where,
				  paddr_t pa)
{
	enum p2m_type t;
	paddr_t cur;

	if (*where != DOMAIN_MEM_NO_GFN &&
	    !(p2m_lookup(d, gfn_ipa(*where), &cur, &t) && t == p2m_xen_page &&
	      pa_addr(cur) == pa_addr(pa)))
		*where = DOMAIN_MEM_NO_GFN;
	return *where;
}

int domain_mem_map_xen_page(struct domain *d, xen_pfn_t *where, paddr_t pa,
			    xen_pfn_t gfn)
{
	struct dm_locked l;
	int rc;

	rc = dm_lock_gfns(d, gfn, 1, &l);
	if (rc)
		return rc;
	/* Checked and mapped under one physmap lock: two racing calls map once. */
	if (domain_mem_xen_page_gfn(d, where, pa) != DOMAIN_MEM_NO_GFN)
		rc = -EBUSY;
	else
		rc = dm_map_locked(l, gfn, pa, 1, p2m_xen_page);
	if (!rc)
		*where = gfn;
	dm_unlock(l);
	return rc;
}

int domain_mem_unmap(struct domain *d, xen_pfn_t gfn, uint64_t nr)
{
	struct dm_locked l;
	int rc;

	rc = dm_lock_gfns(d, gfn, nr, &l);
	if (rc)
		return rc;
	rc = p2m_unmap(d, gfn_ipa(gfn), nr);
	fmap_reconcile(l, gfn, nr);
	fmap_trim(l);
	dm_unlock(l);
	return rc;
}

int domain_mem_unmap_grant(struct domain *d, xen_pfn_t gfn, paddr_t pa)
{
	struct dm_locked l;
	enum p2m_type t;
	paddr_t cur;
	int rc;

	rc = dm_lock_gfns(d, gfn, 1, &l);
	if (rc)
		return rc;
	/*
	 * Exactly that grant mapping, or nothing changes: the caller drops
	 * the page reference that mapping held, so a mapping left anywhere
	 * else would outlive the page (guest-safety item 1).
	 */
	if (!p2m_lookup(d, gfn_ipa(gfn), &cur, &t) ||
	    (t != p2m_grant_map_rw && t != p2m_grant_map_ro) ||
	    pa_addr(cur) != pa_addr(pa))
		rc = -XEN_EILSEQ;
	else
		rc = p2m_unmap(d, gfn_ipa(gfn), 1);
	dm_unlock(l);
	return rc;
}

int domain_mem_decrease(struct domain *d, xen_pfn_t gfn)
{
	struct domain_mem *st;
	struct dm_locked l;
	enum p2m_type t;
	paddr_t pa;
	int rc;

	if (!domain_mem_gfn_ok(gfn, 1))
		return -EINVAL;
	st = dm_state(d);
	if (!st)
		return -EINVAL;
	l = dm_lock(d, st);
	if (!p2m_lookup(d, gfn_ipa(gfn), &pa, &t))
		rc = -EINVAL;
	else if (!p2m_is_ram(t) || !domain_mem_owns(d, pa))
		rc = -ENXIO;
	else
		rc = p2m_unmap(d, gfn_ipa(gfn), 1);
	if (!rc && !d->direct_mapped && !d->static_mem)
		domain_mem_release(d, pa);
	dm_unlock(l);
	return rc;
}

int domain_mem_remove(struct domain *d, xen_pfn_t gfn)
{
	struct dm_locked l;
	enum p2m_type t;
	paddr_t pa;
	int rc;

	rc = dm_lock_gfns(d, gfn, 1, &l);
	if (rc)
		return rc;
	rc = -ENOENT;
	if (p2m_lookup(d, gfn_ipa(gfn), &pa, &t) &&
	    (t == p2m_map_foreign_rw || t == p2m_xen_page ||
	     (p2m_is_ram(t) && domain_mem_owns(d, pa)))) {
		rc = p2m_unmap(d, gfn_ipa(gfn), 1);
		fmap_reconcile(l, gfn, 1);
		fmap_trim(l);
	}
	dm_unlock(l);
	return rc;
}

/* ---- the end of a domain -------------------------------------------- */

void domain_mem_release_begin(struct domain *d)
{
	struct domain_mem *st;

	/*
	 * No new state, no new pages from here on: both check is_dying (under
	 * dm_state_lock and the frame-table lock), which domain_kill set
	 * already.
	 */
	if (!d->is_dying) {
		unsigned long flags = spin_lock_irqsave(&d->lock);

		d->is_dying = true;
		spin_unlock_irqrestore(&d->lock, flags);
	}
	spin_lock(&dm_state_lock);
	st = d->mem;
	d->mem = NULL;
	spin_unlock(&dm_state_lock);

	if (st) {
		/* Only a domain with a stage 2 ever got a state. */
		struct dm_locked l = dm_lock(d, st);

		p2m_unmap(d, ipa_init(0),
			  1ULL << (p2m_ipa_bits() - PAGE_SHIFT));
		fmap_release_all(l);
		dm_unlock(l);
		xfree(st);
	}
}
