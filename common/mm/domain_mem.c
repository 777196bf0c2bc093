// SPDX-License-Identifier: MIT
/*
 * Page ownership (<orchid/domain_mem.h>).
 *
 * The frame table has one 16-byte entry per page of every RAM bank, in
 * page-sized chunks so that no bank needs one large block. Pages handed
 * to domains come from the page allocator in blocks (an extent of
 * populate_physmap, a bank of Dom0); every page of a block records the
 * block's order, and the block's first page counts the pages of the
 * block still in use. A page is in use while its owner holds it or a
 * mapping references it; the block goes back to the page allocator as
 * dirty (free_pages_dirty: scrubbed in idle time or when next allocated,
 * never handed out before) when none is. So a guest may give back single pages of a
 * 2 MiB extent, as Linux's balloon driver does, and the memory returns
 * once the whole extent has.
 *
 * Ownership and references follow Xen's page_info (xen/arch/arm/mm.c,
 * xen/common/mm/page_alloc.c): a foreign or grant mapping holds one
 * reference, a page is freed when its owner released it and the last
 * reference is gone, and a dying domain's pages that others still map
 * outlive it. One lock covers the table; nothing is called under it but
 * the page allocator.
 *
 * A domain's p2m and the references its changes move are the physmap's
 * (domain_physmap.c), which uses this file through its interface only.
 */
#include <orchid/arch.h>
#include <orchid/bootinfo.h>
#include <orchid/domain.h>
#include <orchid/domain_mem.h>
#include <orchid/errno.h>
#include <orchid/grant_table.h>
#include <orchid/hypercall.h>
#include <orchid/mm.h>
#include <orchid/panic.h>
#include <orchid/printk.h>
#include <orchid/spinlock.h>
#include <orchid/string.h>

#include "domain_mem_priv.h"

/* Frame flags. A frame without DMF_BLOCK is not a domain's (free, Orchid's). */
#define DMF_BLOCK 0x01 /* part of a block handed out here */
#define DMF_OWNED 0x02 /* its owner holds it */
#define DMF_XEN	  0x04 /* Orchid's page lent to the owner: not in tot_pages */
/* Static memory (xen,static-mem): never the page allocator's. Alone, the
 * page is free and kept for the one domain whose node names it. */
#define DMF_STATIC 0x08

struct dm_frame {
	union {
		struct {
			uint32_t refs; /* foreign and grant mappings of it */
			domid_t owner;
			uint8_t flags;
			uint8_t order; /* of the block the page belongs to */
		};
		/* The four at once, for domain_mem_mapped_ram_of's one load. */
		uint64_t word;
	};
	uint32_t live; /* first page of a block: its pages in use */
	uint32_t pad;
};
_Static_assert(sizeof(struct dm_frame) == 16, "frame table entry size");
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ &&
		       offsetof(struct dm_frame, owner) == 4 &&
		       offsetof(struct dm_frame, flags) == 6 &&
		       offsetof(struct dm_frame, order) == 7,
	       "dm_frame_word's layout");

/* The frame word of a page with these refs, owner and flags. */
static inline uint64_t dm_frame_word(uint32_t refs, domid_t owner,
				     uint8_t flags)
{
	return refs | (uint64_t)owner << 32 | (uint64_t)flags << 48;
}

#define DM_CHUNK_FRAMES (PAGE_SIZE / sizeof(struct dm_frame))

struct dm_bank {
	uint64_t first_pfn;
	uint64_t nr_pages;
	struct dm_frame **chunks; /* DM_CHUNK_FRAMES frames each */
};

static struct {
	spinlock_t lock;
	/*
	 * Pages no owner holds any more that mappings still keep (a dead
	 * domain's, a page given back while granted): when 0, no ID has
	 * pages of an earlier domain in use, and domain_mem_held_of need
	 * not look (bench-dom0less restart rows: no scan of the table).
	 */
	uint64_t held;
	unsigned int nr_banks;
	struct dm_bank banks[CONFIG_MAX_MEM_BANKS];
} ft = {.lock = SPINLOCK_INIT};

/* Proof that the caller holds ft.lock. */
struct ft_locked {
	char unused;
};

static struct ft_locked ft_lock(void)
{
	spin_lock(&ft.lock);
	return (struct ft_locked){0};
}

static void ft_unlock(struct ft_locked l)
{
	spin_unlock(&ft.lock);
}

/* ---- the frame table ------------------------------------------------ */

/* Frame @idx of @b (an index into the bank, below b->nr_pages). */
static inline struct dm_frame *dm_bank_frame(const struct dm_bank *b,
					     uint64_t idx)
{
	return &b->chunks[idx / DM_CHUNK_FRAMES][idx % DM_CHUNK_FRAMES];
}

/*
 * The frame of @pa, or NULL. The banks never change after boot. Always
 * inline: domain_mem_mapped_ram_of, on every small guest copy, saves the
 * call.
 */
static inline __attribute__((always_inline)) struct dm_frame *
dm_frame_of(paddr_t pa)
{
	uint64_t pfn = pa_addr(pa) >> PAGE_SHIFT;
	const struct dm_bank *end = ft.banks + ft.nr_banks;

	for (const struct dm_bank *b = ft.banks; b < end; b++) {
		uint64_t idx = pfn - b->first_pfn;

		if (pfn >= b->first_pfn && idx < b->nr_pages)
			return dm_bank_frame(b, idx);
	}
	return NULL;
}

static struct dm_frame *dm_frame(struct ft_locked l, paddr_t pa)
{
	return dm_frame_of(pa);
}

/*
 * The frame of @pa and how many frames follow it in the same chunk (at
 * most @n): walking a block run by run, not page by page through
 * dm_frame, takes a 64 MiB DomU's 16384 pages in a few instructions each.
 */
static struct dm_frame *dm_frame_run(struct ft_locked l, paddr_t pa, uint64_t n,
				     uint64_t *run)
{
	uint64_t pfn = pa_addr(pa) >> PAGE_SHIFT;

	for (unsigned int i = 0; i < ft.nr_banks; i++) {
		const struct dm_bank *b = &ft.banks[i];
		uint64_t idx = pfn - b->first_pfn;

		if (pfn < b->first_pfn || idx >= b->nr_pages)
			continue;
		*run = min_u64(
			min_u64(n, DM_CHUNK_FRAMES - idx % DM_CHUNK_FRAMES),
			b->nr_pages - idx);
		return dm_bank_frame(b, idx);
	}
	panic("domain_mem: %#lx is not in the frame table", pa_addr(pa));
}

/* Are all 2^@order pages at @pa in the table (one bank)? */
static bool dm_covered(struct ft_locked l, paddr_t pa, unsigned int order)
{
	paddr_t last = pa_add(pa, (PAGE_SIZE << order) - PAGE_SIZE);
	uint64_t pfn = pa_addr(pa) >> PAGE_SHIFT;

	for (unsigned int i = 0; i < ft.nr_banks; i++) {
		const struct dm_bank *b = &ft.banks[i];

		if (pfn >= b->first_pfn && pfn - b->first_pfn < b->nr_pages)
			return (pa_addr(last) >> PAGE_SHIFT) - b->first_pfn <
			       b->nr_pages;
	}
	return false;
}

static void dm_init_bank(const struct mem_region *r)
{
	uint64_t first = align_up(pa_addr(r->base), PAGE_SIZE) >> PAGE_SHIFT;
	uint64_t end =
		align_down(pa_addr(mem_region_end(r)), PAGE_SIZE) >> PAGE_SHIFT;
	struct dm_bank *b = &ft.banks[ft.nr_banks];
	uint64_t nr_chunks;

	if (end <= first)
		return;
	nr_chunks = (end - first + DM_CHUNK_FRAMES - 1) / DM_CHUNK_FRAMES;
	b->chunks = xzalloc(nr_chunks * sizeof(*b->chunks));
	if (!b->chunks)
		panic("domain_mem: no memory for the frame table");
	for (uint64_t i = 0; i < nr_chunks; i++) {
		b->chunks[i] = alloc_page();
		if (!b->chunks[i])
			panic("domain_mem: no memory for the frame table");
		/* DC ZVA: 8 MiB for QEMU's 2 GiB, ~1 ms of boot as memset. */
		arch_zero_pages(b->chunks[i], PAGE_SIZE, false);
	}
	b->first_pfn = first;
	b->nr_pages = end - first;
	ft.nr_banks++;
}

void domain_mem_init(const struct bootinfo *bi)
{
	uint64_t pages = 0;

	BUG_ON(ft.nr_banks);
	for (unsigned int i = 0; i < bi->nr_mem; i++)
		dm_init_bank(&bi->mem[i]);
	for (unsigned int i = 0; i < ft.nr_banks; i++)
		pages += ft.banks[i].nr_pages;
	printk("Frame table: %lu pages in %u bank%s, %lu KiB\n",
	       (unsigned long)pages, ft.nr_banks, ft.nr_banks == 1 ? "" : "s",
	       (unsigned long)(align_up(pages * sizeof(struct dm_frame),
					PAGE_SIZE) >>
			       10));
}

#ifdef HOST_TEST
/* Free the table, so that each unit test starts afresh. */
void domain_mem_reset(void);
void domain_mem_reset(void)
{
	for (unsigned int i = 0; i < ft.nr_banks; i++) {
		struct dm_bank *b = &ft.banks[i];

		for (uint64_t c = 0; c * DM_CHUNK_FRAMES < b->nr_pages; c++)
			free_page(b->chunks[c]);
		xfree(b->chunks);
	}
	memset(ft.banks, 0, sizeof(ft.banks));
	ft.nr_banks = 0;
}
#endif

/* Make the 2^@order pages at @pa one block of @owner with @flags. */
static void dm_block_set(struct ft_locked l, paddr_t pa, unsigned int order,
			 domid_t owner, uint8_t flags)
{
	uint64_t n = 1ULL << order, run;

	for (uint64_t i = 0; i < n; i += run) {
		struct dm_frame *f = dm_frame_run(
			l, pa_add(pa, i << PAGE_SHIFT), n - i, &run);

		for (uint64_t j = 0; j < run; j++)
			f[j] = (struct dm_frame){.owner = owner,
						 .flags = flags,
						 .order = (uint8_t)order};
	}
	dm_frame(l, pa)->live = (uint32_t)n;
}

/*
 * @d owns the @n frames at @pa from now on: its frame span grows to hold
 * them, so that its death walks that span, not all of RAM (bench-dom0less
 * restart row "the new incarnation created": a 64 MiB DomU's 16384 frames
 * instead of QEMU's 2 GiB, 524288).
 */
static void dm_span_add(struct ft_locked l, struct domain *d, paddr_t pa,
			uint64_t n)
{
	uint64_t lo = pa_addr(pa) >> PAGE_SHIFT, hi = lo + n;

	if (d->ram_pfn_lo == d->ram_pfn_hi) {
		d->ram_pfn_lo = lo;
		d->ram_pfn_hi = hi;
		return;
	}
	d->ram_pfn_lo = min_u64(d->ram_pfn_lo, lo);
	d->ram_pfn_hi = max_u64(d->ram_pfn_hi, hi);
}

/* A block to give back to the page allocator once the lock is dropped. */
struct dm_dead {
	paddr_t pa;
	unsigned int order;
	bool valid;
};

/*
 * The page at @pa stopped being in use. When it was the last of its
 * block, the block's frames are cleared and *@dead says what to free.
 */
static void dm_page_unused(struct ft_locked l, paddr_t pa,
			   const struct dm_frame *f, struct dm_dead *dead)
{
	unsigned int order = f->order;
	paddr_t head = pa_init(align_down(pa_addr(pa), PAGE_SIZE << order));
	struct dm_frame *h = dm_frame(l, head);

	if (f->flags & DMF_STATIC) {
		/* Single-page blocks, back to being kept: never freed. */
		*dm_frame(l, pa) = (struct dm_frame){.flags = DMF_STATIC};
		return;
	}
	BUG_ON(!h || !h->live);
	if (--h->live)
		return;
	/* Run by run, as dm_block_set (bench-dom0less restart rows). */
	for (uint64_t i = 0, n = 1ULL << order, run; i < n; i += run) {
		struct dm_frame *frames = dm_frame_run(
			l, pa_add(head, i << PAGE_SHIFT), n - i, &run);

		memset(frames, 0, sizeof(*frames) * (size_t)run);
	}
	*dead = (struct dm_dead){.pa = head, .order = order, .valid = true};
}

/*
 * The owner let go of the page at @pa: unused now, or kept by the
 * mappings that still reference it until the last one goes.
 */
static void dm_disown(struct ft_locked l, paddr_t pa, struct dm_frame *f,
		      struct dm_dead *dead)
{
	f->flags &= ~DMF_OWNED;
	if (f->refs)
		ft.held++;
	else
		dm_page_unused(l, pa, f, dead);
}

/*
 * Give a dead block back, outside ft.lock, still holding its owner's data:
 * the page allocator scrubs it later (bench row "xl destroy of a 128 MiB
 * DomU", bench/results/toolstack.md), and before anyone else gets it.
 */
static void dm_free_dead(const struct dm_dead *dead)
{
	if (dead->valid)
		free_pages_dirty(arch_pa_to_va(dead->pa), dead->order);
}

/* ---- accounting ------------------------------------------------------ */

int domain_mem_set_max(struct domain *d, uint64_t max_pages)
{
	struct ft_locked l = ft_lock();

	d->max_pages = max_pages;
	ft_unlock(l);
	return 0;
}

uint64_t domain_mem_tot_pages(const struct domain *d)
{
	return __atomic_load_n(&d->tot_pages, __ATOMIC_RELAXED);
}

/* No flags on any of the @n frames from @pa (all in the table). */
static bool dm_frames_unused(struct ft_locked l, paddr_t pa, uint64_t n)
{
	uint64_t run;

	for (uint64_t i = 0; i < n; i += run) {
		const struct dm_frame *f = dm_frame_run(
			l, pa_add(pa, i << PAGE_SHIFT), n - i, &run);

		for (uint64_t j = 0; j < run; j++)
			if (f[j].flags)
				return false;
	}
	return true;
}

int domain_mem_assign(struct domain *d, void *va, unsigned int order)
{
	paddr_t pa = arch_va_to_pa(va);
	uint64_t n = 1ULL << order;
	struct ft_locked l;

	if (order > PAGE_ORDER_MAX ||
	    !is_aligned(pa_addr(pa), PAGE_SIZE << order))
		return -EINVAL;
	l = ft_lock();
	if (!dm_covered(l, pa, order)) {
		ft_unlock(l);
		return -EINVAL;
	}
	if (!dm_frames_unused(l, pa, n)) {
		ft_unlock(l);
		return -EINVAL;
	}
	dm_block_set(l, pa, order, d->domain_id, DMF_BLOCK | DMF_OWNED);
	dm_span_add(l, d, pa, n);
	d->tot_pages += n;
	if (d->max_pages < d->tot_pages)
		d->max_pages = d->tot_pages;
	ft_unlock(l);
	if (d->direct_mapped)
		domain_physmap_raise_max_gfn(d, (pa_addr(pa) >> PAGE_SHIFT) +
							n - 1);
	return 0;
}

/* ---- static memory ------------------------------------------------- */

void domain_mem_mark_static(paddr_t pa, uint64_t nr)
{
	struct ft_locked l = ft_lock();

	for (uint64_t i = 0; i < nr; i++) {
		struct dm_frame *f = dm_frame(l, pa_add(pa, i << PAGE_SHIFT));

		BUG_ON(!f || f->flags);
		f->flags = DMF_STATIC;
	}
	ft_unlock(l);
}

/* Are all @nr frames at @pa static and free (no owner, no mapping)? */
static bool dm_static_free(struct ft_locked l, paddr_t pa, uint64_t nr)
{
	for (uint64_t i = 0; i < nr; i++) {
		const struct dm_frame *f =
			dm_frame(l, pa_add(pa, i << PAGE_SHIFT));

		if (!f || f->flags != DMF_STATIC || f->refs)
			return false;
	}
	return true;
}

int domain_mem_assign_static(struct domain *d, paddr_t pa, uint64_t nr)
{
	void *va = arch_pa_to_va(pa);
	struct ft_locked l = ft_lock();

	if (d->is_dying || !dm_static_free(l, pa, nr)) {
		ft_unlock(l);
		return -EBUSY;
	}
	for (uint64_t i = 0; i < nr; i++)
		dm_block_set(l, pa_add(pa, i << PAGE_SHIFT), 0, d->domain_id,
			     DMF_BLOCK | DMF_OWNED | DMF_STATIC);
	dm_span_add(l, d, pa, nr);
	d->tot_pages += nr;
	if (d->max_pages < d->tot_pages)
		d->max_pages = d->tot_pages;
	ft_unlock(l);
	/* Its last owner's data (an earlier incarnation): never seen again.
	 * Not running yet, so nobody reads it meanwhile. */
	memset(va, 0, nr << PAGE_SHIFT);
	arch_flush_dcache_range(va, nr << PAGE_SHIFT, true, true);
	if (d->direct_mapped)
		domain_physmap_raise_max_gfn(d, (pa_addr(pa) >> PAGE_SHIFT) +
							nr - 1);
	return 0;
}

/* ---- RAM ------------------------------------------------------------- */

int domain_mem_alloc(struct domain *d, unsigned int order,
		     unsigned int addr_bits, paddr_t *pa)
{
	uint64_t n = 1ULL << order, size = PAGE_SIZE << order;
	struct ft_locked l;
	void *va;
	paddr_t p;

	if (order > PAGE_ORDER_MAX)
		return -EINVAL;
	if (d->static_mem)
		return -ENOMEM; /* its banks only: never the heap's pages */
	l = ft_lock();
	if (d->is_dying) {
		ft_unlock(l);
		return -EINVAL;
	}
	if (d->tot_pages > d->max_pages || n > d->max_pages - d->tot_pages) {
		ft_unlock(l);
		return -ENOMEM;
	}
	d->tot_pages += n; /* reserved while the block is found */
	ft_unlock(l);

	va = alloc_pages(order);
	if (va && addr_bits && addr_bits < 64 &&
	    pa_addr(arch_va_to_pa(va)) + size > (1ULL << addr_bits)) {
		free_pages(va, order);
		va = NULL;
	}
	/* Guests may read it with their caches off: zeros to the PoC. */
	if (va)
		arch_zero_pages(va, size, true);

	l = ft_lock();
	p = va ? arch_va_to_pa(va) : pa_init(0);
	if (!va || d->is_dying || !dm_covered(l, p, order)) {
		d->tot_pages -= n;
		ft_unlock(l);
		if (va)
			free_pages(va, order);
		return va && d->is_dying ? -EINVAL : -ENOMEM;
	}
	dm_block_set(l, p, order, d->domain_id, DMF_BLOCK | DMF_OWNED);
	dm_span_add(l, d, p, 1ULL << order);
	ft_unlock(l);
	*pa = p;
	return 0;
}

static bool dm_is_ram_of(const struct dm_frame *f, domid_t owner)
{
	return f &&
	       (f->flags & (DMF_BLOCK | DMF_OWNED | DMF_XEN)) ==
		       (DMF_BLOCK | DMF_OWNED) &&
	       f->owner == owner;
}

int domain_mem_release(struct domain *d, paddr_t pa)
{
	struct dm_dead dead = {0};
	struct ft_locked l = ft_lock();
	struct dm_frame *f = dm_frame(l, pa);

	if (!dm_is_ram_of(f, d->domain_id)) {
		ft_unlock(l);
		return -ENXIO;
	}
	d->tot_pages--;
	dm_disown(l, pa, f, &dead);
	ft_unlock(l);
	dm_free_dead(&dead);
	return 0;
}

bool domain_mem_holds(const struct domain *d, paddr_t pa)
{
	struct ft_locked l = ft_lock();
	const struct dm_frame *f = dm_frame(l, pa);
	bool holds = f &&
		     (f->flags & (DMF_BLOCK | DMF_OWNED)) ==
			     (DMF_BLOCK | DMF_OWNED) &&
		     f->owner == d->domain_id;

	ft_unlock(l);
	return holds;
}

bool domain_mem_owns(const struct domain *d, paddr_t pa)
{
	struct ft_locked l = ft_lock();
	bool owns = dm_is_ram_of(dm_frame(l, pa), d->domain_id);

	ft_unlock(l);
	return owns;
}

/*
 * No frame-table lock and no reference (a reference taken and dropped
 * under that lock is ~140 instructions, and the lock is every CPU's): the
 * caller's p2m lock keeps the answer true. While @pa is
 * mapped in @d's p2m, which the lock holds still, the page cannot be
 * freed, change owner or stop being @d's (release follows the unmap), and
 * every grant or foreign mapping of it holds a reference taken before the
 * mapping was made and dropped after it went. So a page of @d's with no
 * reference is mapped only as @d's RAM. A reference held for another
 * reason (a registered vcpu_info, a held batch page) makes it false: the
 * caller then asks the p2m. The fields are read at once (one 64-bit
 * load), as the lock holders may be changing them.
 */
bool domain_mem_mapped_ram_of(const struct domain *d, paddr_t pa)
{
	const uint64_t mask = dm_frame_word(UINT32_MAX, (domid_t)~0,
					    DMF_BLOCK | DMF_OWNED | DMF_XEN);
	const struct dm_frame *f = dm_frame_of(pa);

	return f &&
	       (__atomic_load_n(&f->word, __ATOMIC_RELAXED) & mask) ==
		       dm_frame_word(0, d->domain_id, DMF_BLOCK | DMF_OWNED);
}

/* ---- Orchid's pages ------------------------------------------------- */

void *domain_mem_alloc_xen_page(struct domain *d)
{
	void *va = alloc_page();
	struct ft_locked l;
	paddr_t pa;

	if (!va)
		return NULL;
	arch_zero_pages(va, PAGE_SIZE, true);
	pa = arch_va_to_pa(va);
	l = ft_lock();
	/* Before domain_mem_init: Orchid's alone, nobody else may map it. */
	if (dm_covered(l, pa, 0)) {
		dm_block_set(l, pa, 0, d->domain_id,
			     DMF_BLOCK | DMF_OWNED | DMF_XEN);
		/* For domain_mem_held_of: others may map it (shared_info). */
		dm_span_add(l, d, pa, 1);
	}
	ft_unlock(l);
	return va;
}

void domain_mem_free_xen_page(void *va)
{
	paddr_t pa = arch_va_to_pa(va);
	struct dm_dead dead = {0};
	struct ft_locked l = ft_lock();
	struct dm_frame *f = dm_frame(l, pa);

	if (!f || !(f->flags & DMF_BLOCK)) { /* never tracked */
		ft_unlock(l);
		free_page(va);
		return;
	}
	BUG_ON((f->flags & (DMF_OWNED | DMF_XEN)) != (DMF_OWNED | DMF_XEN));
	dm_disown(l, pa, f, &dead);
	ft_unlock(l);
	dm_free_dead(&dead);
}

#ifdef CONFIG_TRACEBUFFER /* its only user */
void *domain_mem_alloc_xen_shared(unsigned int order)
{
	void *va = alloc_pages(order);
	struct ft_locked l;
	paddr_t pa;

	if (!va)
		return NULL;
	arch_zero_pages(va, PAGE_SIZE << order, true);
	pa = arch_va_to_pa(va);
	l = ft_lock();
	if (!dm_covered(l, pa, order)) { /* untracked: nobody could map it */
		ft_unlock(l);
		free_pages(va, order);
		return NULL;
	}
	dm_block_set(l, pa, order, DOMID_XEN, DMF_BLOCK | DMF_OWNED | DMF_XEN);
	ft_unlock(l);
	return va;
}
#endif

/* ---- references ----------------------------------------------------- */

int domain_mem_get_page(const struct domain *owner, paddr_t pa,
			unsigned int kinds)
{
	return domain_mem_get_page_of(owner->domain_id, pa, kinds);
}

int domain_mem_get_page_of(domid_t owner, paddr_t pa, unsigned int kinds)
{
	struct ft_locked l = ft_lock();
	struct dm_frame *f = dm_frame(l, pa);
	unsigned int kind;
	int rc = -EINVAL;

	if (f &&
	    (f->flags & (DMF_BLOCK | DMF_OWNED)) == (DMF_BLOCK | DMF_OWNED) &&
	    f->owner == owner) {
		kind = f->flags & DMF_XEN ? DM_GET_XEN : DM_GET_RAM;
		if ((kinds & kind) && f->refs != UINT32_MAX) {
			f->refs++;
			rc = 0;
		}
	}
	ft_unlock(l);
	return rc;
}

void domain_mem_put_page(paddr_t pa)
{
	struct dm_dead dead = {0};
	struct ft_locked l = ft_lock();
	struct dm_frame *f = dm_frame(l, pa);

	BUG_ON(!f || !(f->flags & DMF_BLOCK) || !f->refs);
	if (!--f->refs && !(f->flags & DMF_OWNED)) {
		ft.held--;
		dm_page_unused(l, pa, f, &dead);
	}
	ft_unlock(l);
	dm_free_dead(&dead);
}

bool domain_mem_page_owner(paddr_t pa, domid_t *owner)
{
	struct ft_locked l = ft_lock();
	struct dm_frame *f = dm_frame(l, pa);
	bool found = f && (f->flags & DMF_BLOCK);

	if (found)
		*owner = f->owner;
	ft_unlock(l);
	return found;
}

/* Frames of @owner's in [@idx, @end) of @bank that mappings alone keep. */
static uint64_t dm_held_in(const struct dm_bank *bank, uint64_t idx,
			   uint64_t end, domid_t owner)
{
	uint64_t held = 0;

	for (; idx < end; idx++) {
		const struct dm_frame *f = dm_bank_frame(bank, idx);

		held += (f->flags & (DMF_BLOCK | DMF_OWNED)) == DMF_BLOCK &&
			f->refs && f->owner == owner;
	}
	return held;
}

uint64_t domain_mem_held_of(domid_t owner, uint64_t pfn_lo, uint64_t pfn_hi)
{
	struct ft_locked l = ft_lock();
	uint64_t held = 0;

	/* The common case: nothing anywhere (see ft.held). */
	if (!ft.held) {
		ft_unlock(l);
		return 0;
	}
	if (pfn_lo >= pfn_hi) { /* no span known: all of RAM */
		pfn_lo = 0;
		pfn_hi = UINT64_MAX;
	}
	/* A chunk per hold of the lock: mappers go on meanwhile. */
	for (unsigned int b = 0; b < ft.nr_banks; b++) {
		const struct dm_bank *bank = &ft.banks[b];
		uint64_t lo = max_u64(pfn_lo, bank->first_pfn);
		uint64_t hi = min_u64(pfn_hi, bank->first_pfn + bank->nr_pages);

		for (uint64_t idx = lo - bank->first_pfn,
			      end = hi - bank->first_pfn;
		     lo < hi && idx < end;
		     idx += DM_CHUNK_FRAMES - idx % DM_CHUNK_FRAMES) {
			held += dm_held_in(
				bank, idx,
				min_u64(end, idx + DM_CHUNK_FRAMES -
						     idx % DM_CHUNK_FRAMES),
				owner);
			ft_unlock(l);
			l = ft_lock();
		}
	}
	ft_unlock(l);
	return held;
}

/* ---- the end of a domain -------------------------------------------- */

/* Frames looked at per hold of ft.lock when a domain goes. */
#define DM_RELEASE_BATCH 16

/*
 * Largest block let go of in one step (2 MiB: 512 frames, a few thousand
 * instructions under ft.lock).
 */
#define DM_RELEASE_BLOCK_ORDER 9

/* Whether each of the frames [@idx, @idx + @n) of @bank is @word. */
static bool dm_frames_all(const struct dm_bank *bank, uint64_t idx, uint64_t n,
			  uint64_t word)
{
	for (uint64_t i = idx; i < idx + n; i++)
		if (dm_bank_frame(bank, i)->word != word)
			return false;
	return true;
}

/*
 * Frame @idx of @bank heads a whole block of @d that no one else maps
 * and none of whose pages went yet: let go of it in one step, every
 * frame cleared and the block freed, not frame by frame (bench row "xl
 * destroy of a 128 MiB DomU", bench/results/toolstack-breakdown.md:
 * ~340 instructions a page frame by frame). False, nothing changed,
 * when it is anything else: the frame-by-frame path decides.
 */
static bool dm_release_block(struct ft_locked l, struct domain *d,
			     const struct dm_bank *bank, uint64_t idx,
			     uint64_t end, struct dm_dead *dead)
{
	const struct dm_frame *f = dm_bank_frame(bank, idx);
	unsigned int order = f->order;
	uint64_t n = 1ULL << order;
	uint64_t word = dm_frame_word(0, d->domain_id, DMF_BLOCK | DMF_OWNED) |
			(uint64_t)order << 56;

	(void)l; /* ft.lock held: the frames are ours to change */
	if (order == 0 || order > DM_RELEASE_BLOCK_ORDER ||
	    (bank->first_pfn + idx) % n || idx + n > end || f->live != n ||
	    !dm_frames_all(bank, idx, n, word))
		return false;
	for (uint64_t i = idx; i < idx + n; i++)
		*dm_bank_frame(bank, i) = (struct dm_frame){0};
	d->tot_pages -= n;
	*dead = (struct dm_dead){
		.pa = pa_init((bank->first_pfn + idx) << PAGE_SHIFT),
		.order = order,
		.valid = true};
	return true;
}

/*
 * Let go of one batch of frames from @idx of @bank (those @d owns): a
 * whole block in one step, or up to DM_RELEASE_BATCH frames one by one;
 * the blocks nothing maps any more are freed, to be scrubbed later.
 * Returns the units of work done: one for the batch, one per block freed.
 */
static unsigned int dm_release_batch(struct domain *d,
				     const struct dm_bank *bank, uint64_t *idx,
				     uint64_t end)
{
	struct dm_dead dead[DM_RELEASE_BATCH];
	unsigned int nr_dead = 0, units = 1;
	struct ft_locked l = ft_lock();

	if (dm_release_block(l, d, bank, *idx, end, &dead[0])) {
		*idx += 1ULL << dead[0].order;
		ft_unlock(l);
		dm_free_dead(&dead[0]);
		return units + 1;
	}
	for (unsigned int n = 0; n < DM_RELEASE_BATCH && *idx < end;
	     n++, ++*idx) {
		struct dm_frame *f = dm_bank_frame(bank, *idx);
		paddr_t pa = pa_init((bank->first_pfn + *idx) << PAGE_SHIFT);

		if (!dm_is_ram_of(f, d->domain_id))
			continue;
		d->tot_pages--;
		dead[nr_dead].valid = false;
		dm_disown(l, pa, f, &dead[nr_dead]);
		if (dead[nr_dead].valid)
			nr_dead++;
	}
	ft_unlock(l);
	for (unsigned int i = 0; i < nr_dead; i++) {
		dm_free_dead(&dead[i]);
		units++;
	}
	return units;
}

/* Frames looked at per step when skipping those a dying domain lacks. */
#define DM_SKIP_BATCH 4096
/*
 * ... and per preemption unit (orchid/hypercall.h): a whole budget per
 * batch, as per 4096 grant entries searched. One unit per batch let a
 * dying 128 MiB DomU's span (2 GiB host) be looked through in one go:
 * 2 ms with interrupts masked on its restart (dom0less-build-latency).
 */
#define DM_SKIP_UNIT_FRAMES (DM_SKIP_BATCH / HYPERCALL_PREEMPT_UNITS)

/*
 * The first frame from @idx (before @end, at most DM_SKIP_BATCH on) of
 * @bank that may be RAM of the domain @id, or where the look stopped.
 * Without ft.lock: a dying domain gets no new frames, and only its own
 * death takes its frames from it, so a frame read as another's here is
 * not its; one read as its own is checked again, under the lock, by
 * dm_release_batch. Its span holds other domains' and free frames too:
 * looking at them under the lock, 16 at a time, was most of bench row "xl
 * destroy of a 128 MiB DomU" (bench/results/toolstack-breakdown.md).
 */
static uint64_t dm_skip_others(const struct dm_bank *bank, uint64_t idx,
			       uint64_t end, domid_t id)
{
	uint64_t stop = min_u64(end, idx + DM_SKIP_BATCH);
	uint64_t want = dm_frame_word(0, id, DMF_BLOCK | DMF_OWNED);
	uint64_t mask =
		dm_frame_word(0, (domid_t)~0U, DMF_BLOCK | DMF_OWNED | DMF_XEN);

	while (idx < stop) {
		const struct dm_frame *f = dm_bank_frame(bank, idx);
		uint64_t run = min_u64(stop - idx,
				       DM_CHUNK_FRAMES - idx % DM_CHUNK_FRAMES);

		for (uint64_t j = 0; j < run; j++)
			if ((__atomic_load_n(&f[j].word, __ATOMIC_RELAXED) &
			     mask) == want)
				return idx + j;
		idx += run;
	}
	return idx;
}

/*
 * The indices [*@start, *@end) of @bank's frames inside @d's span (both
 * 0 when none are): where its death looks (dm_span_add).
 */
static void dm_bank_span(const struct dm_bank *bank, const struct domain *d,
			 uint64_t *start, uint64_t *end)
{
	uint64_t lo = max_u64(d->ram_pfn_lo, bank->first_pfn);
	uint64_t hi = min_u64(d->ram_pfn_hi, bank->first_pfn + bank->nr_pages);

	*start = *end = 0;
	if (lo < hi) {
		*start = lo - bank->first_pfn;
		*end = hi - bank->first_pfn;
	}
}

/*
 * Let go of every RAM page @d owns, a batch of frames at a time, from
 * frame *@cursor (counted across the banks) on. When @preemptible, stop
 * for pending work between two batches: -ERESTART, *@cursor says where to
 * go on from.
 */
static int dm_release_frames(struct domain *d, uint64_t *cursor,
			     bool preemptible)
{
	uint64_t base = 0;
	unsigned int units = 0;

	for (unsigned int b = 0; b < ft.nr_banks; b++) {
		const struct dm_bank *bank = &ft.banks[b];
		uint64_t idx, end;

		if (*cursor >= base + bank->nr_pages) {
			base += bank->nr_pages;
			continue;
		}
		dm_bank_span(bank, d, &idx, &end);
		for (idx = max_u64(idx, *cursor - base); idx < end;) {
			uint64_t next;

			if (units && preemptible &&
			    hypercall_preempt_due(units)) {
				*cursor = base + idx;
				return -ERESTART;
			}
			next = dm_skip_others(bank, idx, end, d->domain_id);
			if (next != idx) {
				units = 1 + (unsigned int)((next - idx) /
							   DM_SKIP_UNIT_FRAMES);
				idx = next;
				continue;
			}
			units = dm_release_batch(d, bank, &idx, end);
		}
		base += bank->nr_pages;
		*cursor = base;
	}
	return 0;
}

int domain_mem_release_frames(struct domain *d, uint64_t *cursor)
{
	return dm_release_frames(d, cursor, true);
}

void domain_mem_release_all(struct domain *d)
{
	uint64_t cursor = 0;

	domain_mem_release_begin(d);
	gnttab_release_mappings(d);
	dm_release_frames(d, &cursor, false);
}
