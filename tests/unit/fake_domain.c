/* SPDX-License-Identifier: MIT */
/* The fake world of tests/unit/fake_domain.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <orchid/domain_mem.h>
#include <orchid/errno.h>
#include <orchid/event.h>
#include <orchid/grant_table.h>
#include <orchid/guest_access.h>
#include <orchid/guest_batch.h>
#include <orchid/mm.h>

#include "fake_domain.h"

struct vcpu *fake_current;
uint8_t fake_guest_mem[FAKE_GUEST_SIZE];
int fake_alloc_budget = -1;
unsigned int fake_upcalls;
struct vcpu *fake_last_upcall;
struct fake_p2m_entry fake_p2m[FAKE_P2M_MAX];
unsigned int fake_p2m_maps, fake_p2m_unmaps;
int fake_p2m_map_error;
int fake_p2m_unmap_error;
unsigned int fake_ipa_bits = 40;
struct fake_flush fake_flush;
uint8_t *fake_arena;
uint64_t fake_arena_pages;
/* Per arena page: 0 free, else 1 + the order of the block it starts (or 0xff inside one). */
static uint8_t *arena_map;

static struct fake_domain *domains[FAKE_MAX_DOMAINS];

void fake_domain_get(struct fake_domain *fd, domid_t domid, bool privileged,
		     unsigned int nr_vcpus, unsigned int nr_present)
{
	unsigned int i;

	memset(fd, 0, sizeof(*fd));
	fd->d.domain_id = domid;
	fd->d.is_privileged = privileged;
	fd->d.max_vcpus = nr_vcpus;
	fd->d.vcpus = fd->vcpus;
	fd->d.shared_info = aligned_alloc(4096, 4096);
	memset(fd->d.shared_info, 0, 4096);
	fd->d.shared_info_gfn = DOMAIN_MEM_NO_GFN;
	spin_lock_init(&fd->d.lock);
	for (i = 0; i < nr_present; i++) {
		fd->vcpu[i].vcpu_id = i;
		fd->vcpu[i].domain = &fd->d;
		fd->vcpus[i] = &fd->vcpu[i];
	}
	fd->vcpu[0].vcpu_info = &fd->d.shared_info->vcpu_info[0];
	if (nr_present > 1)
		fd->vcpu[1].vcpu_info = &fd->registered;
	for (i = 0; i < FAKE_MAX_DOMAINS; i++) {
		if (!domains[i]) {
			domains[i] = fd;
			return;
		}
	}
	abort();
}

void fake_domain_put(struct fake_domain *fd)
{
	unsigned int i;

	for (i = 0; i < FAKE_MAX_DOMAINS; i++)
		if (domains[i] == fd)
			domains[i] = NULL;
	free(fd->d.shared_info);
	fd->d.shared_info = NULL;
}

struct domain *domain_lookup(domid_t domid)
{
	unsigned int i;

	for (i = 0; i < FAKE_MAX_DOMAINS; i++)
		if (domains[i] && domains[i]->d.domain_id == domid)
			return &domains[i]->d;
	return NULL;
}

struct vcpu *current_vcpu(void)
{
	return fake_current;
}

/* ---- guest memory ------------------------------------------------------ */

static uint8_t *guest_big;
static uint64_t guest_big_size;

void fake_guest_big_init(uint64_t size)
{
	guest_big = calloc(1, size);
	assert_non_null(guest_big);
	guest_big_size = size;
}

void fake_guest_big_fini(void)
{
	free(guest_big);
	guest_big = NULL;
	guest_big_size = 0;
}

static bool in_range(uint64_t va, size_t len, uint64_t base, uint64_t size)
{
	return va >= base && len <= size && va - base <= size - len;
}

static bool guest_range_ok(uint64_t va, size_t len, bool write)
{
	uint64_t end =
		write ? FAKE_GUEST_RO_VA : FAKE_GUEST_VA + FAKE_GUEST_SIZE;

	return in_range(va, len, FAKE_GUEST_VA, end - FAKE_GUEST_VA) ||
	       in_range(va, len, FAKE_GUEST_BIG_VA, guest_big_size);
}

void *fake_guest_ptr(uint64_t va)
{
	if (guest_big && va >= FAKE_GUEST_BIG_VA)
		return &guest_big[va - FAKE_GUEST_BIG_VA];
	return &fake_guest_mem[va - FAKE_GUEST_VA];
}

int copy_from_guest(void *dst, uint64_t guest_va, size_t len)
{
	if (!guest_range_ok(guest_va, len, false))
		return -EFAULT;
	memcpy(dst, fake_guest_ptr(guest_va), len);
	return 0;
}

int copy_to_guest(uint64_t guest_va, const void *src, size_t len)
{
	if (!guest_range_ok(guest_va, len, true))
		return -EFAULT;
	memcpy(fake_guest_ptr(guest_va), src, len);
	return 0;
}

/* The guest array of a batch (common/mm/guest_batch.c): no held page here. */
void guest_batch_init(struct guest_batch *b)
{
	b->va = 1;
}

void guest_batch_release(struct guest_batch *b)
{
	b->va = 1;
}

void guest_batch_forget(struct guest_batch *b, uint64_t gfn)
{
}

int guest_batch_read(struct guest_batch *b, void *dst, uint64_t va, size_t len)
{
	return copy_from_guest(dst, va, len);
}

int guest_batch_write(struct guest_batch *b, uint64_t va, const void *src,
		      size_t len)
{
	return copy_to_guest(va, src, len);
}

/* ---- allocators -------------------------------------------------------- */

static bool alloc_allowed(void)
{
	if (fake_alloc_budget < 0)
		return true;
	if (fake_alloc_budget == 0)
		return false;
	fake_alloc_budget--;
	return true;
}

void *xmalloc(size_t size)
{
	return alloc_allowed() ? malloc(size) : NULL;
}

void *xzalloc(size_t size)
{
	return alloc_allowed() ? calloc(1, size) : NULL;
}

void xfree(void *p)
{
	free(p);
}

void fake_arena_init(uint64_t pages)
{
	assert_true(pages && pages % 512 == 0 && !fake_arena);
	fake_arena = aligned_alloc(2UL << 20, pages * 4096);
	arena_map = calloc(pages, 1);
	assert_non_null(fake_arena);
	assert_non_null(arena_map);
	fake_arena_pages = pages;
	fake_dirty_pages = 0;
}

void fake_arena_fini(void)
{
	assert_int_equal(fake_arena_free(), fake_arena_pages);
	free(fake_arena);
	free(arena_map);
	fake_arena = NULL;
	arena_map = NULL;
	fake_arena_pages = 0;
}

uint64_t fake_arena_free(void)
{
	uint64_t n = 0;

	for (uint64_t i = 0; i < fake_arena_pages; i++)
		n += !arena_map[i];
	return n;
}

uint64_t page_alloc_free_bytes(void)
{
	return fake_arena_free() * 4096;
}

static void *arena_alloc(unsigned int order)
{
	uint64_t n = 1ULL << order;

	for (uint64_t i = 0; i + n <= fake_arena_pages; i += n) {
		uint64_t j = 0;

		while (j < n && !arena_map[i + j])
			j++;
		if (j < n)
			continue;
		memset(&arena_map[i], 0xff, n);
		arena_map[i] = (uint8_t)(1 + order);
		return fake_arena + i * 4096;
	}
	return NULL;
}

static void arena_free(void *va, unsigned int order)
{
	uint64_t i = ((uint8_t *)va - fake_arena) / 4096;

	assert_true((uint8_t *)va >= fake_arena && i < fake_arena_pages);
	assert_int_equal(arena_map[i], 1 + order); /* a block of that order */
	memset(&arena_map[i], 0, 1ULL << order);
}

void *alloc_pages(unsigned int order)
{
	void *p;

	if (!alloc_allowed())
		return NULL;
	p = fake_arena ? arena_alloc(order)
		       : aligned_alloc(4096, 4096UL << order);
	/* Garbage, so a test sees whether the caller zeroes what it shares. */
	if (p)
		memset(p, 0xa5, 4096UL << order);
	return p;
}

void free_pages(void *va, unsigned int order)
{
	if (fake_arena && va)
		arena_free(va, order);
	else
		free(va);
}

uint64_t fake_dirty_pages;

void free_pages_dirty(void *va, unsigned int order)
{
	if (va)
		fake_dirty_pages += 1ULL << order;
	free_pages(va, order);
}

/* ---- architecture hooks ---------------------------------- */

/* common/sched/sched.c's: tests preempt through arch_irq_pending (asm/fake.h). */
bool sched_resched_pending(void)
{
	return false;
}

void arch_vcpu_mark_events_pending(struct vcpu *v)
{
	fake_upcalls++;
	fake_last_upcall = v;
}

unsigned int fake_poll_notifies;
uint32_t fake_poll_port;

void sched_poll_notify(struct domain *d, uint32_t port)
{
	fake_poll_notifies++;
	fake_poll_port = port;
}

void fake_reset_records(void)
{
	fake_upcalls = 0;
	fake_last_upcall = NULL;
	fake_poll_notifies = 0;
	fake_poll_port = 0;
	memset(&fake_flush, 0, sizeof(fake_flush));
}

void arch_flush_dcache_range(void *va, size_t len, bool clean, bool invalidate)
{
	fake_flush.calls++;
	fake_flush.va = va;
	fake_flush.len = len;
	fake_flush.clean = clean;
	fake_flush.invalidate = invalidate;
}

/* ---- stage 2 ----------------------------------------------------------- */

struct fake_p2m_entry *fake_p2m_find(struct domain *d, uint64_t ipa)
{
	unsigned int i;

	for (i = 0; i < FAKE_P2M_MAX; i++)
		if (fake_p2m[i].d == d && fake_p2m[i].ipa == ipa)
			return &fake_p2m[i];
	return NULL;
}

unsigned int fake_p2m_count(const struct domain *d)
{
	unsigned int i, n = 0;

	for (i = 0; i < FAKE_P2M_MAX; i++)
		n += d && fake_p2m[i].d == d;
	return n;
}

void fake_p2m_add(struct domain *d, uint64_t ipa, uint64_t pa,
		  enum p2m_type type)
{
	struct fake_p2m_entry *e = fake_p2m_find(d, ipa);

	if (!e)
		e = fake_p2m_find(NULL, 0);
	if (!e)
		abort();
	*e = (struct fake_p2m_entry){d, ipa, pa, type};
}

void fake_p2m_clear(void)
{
	memset(fake_p2m, 0, sizeof(fake_p2m));
	fake_p2m_maps = 0;
	fake_p2m_unmaps = 0;
	fake_p2m_map_error = 0;
	fake_p2m_unmap_error = 0;
	fake_ipa_bits = 40;
	fake_p2m_locked = 0;
}

static bool ipa_range_ok(uint64_t ipa, uint64_t nr)
{
	uint64_t limit = 1ULL << fake_ipa_bits;

	return (ipa & 0xfff) == 0 && nr <= (limit >> 12) &&
	       ipa <= limit - (nr << 12);
}

int p2m_map(struct domain *d, ipaddr_t ipa, paddr_t pa, uint64_t nr,
	    enum p2m_type type)
{
	assert_int_equal(fake_p2m_locked, 0);
	fake_p2m_maps++;
	if (fake_p2m_map_error)
		return fake_p2m_map_error;
	if (!ipa_range_ok(ipa_addr(ipa), nr))
		return -EINVAL;
	for (uint64_t i = 0; i < nr; i++)
		fake_p2m_add(d, ipa_addr(ipa) + (i << 12),
			     pa_addr(pa) + (i << 12), type);
	return 0;
}

int p2m_unmap(struct domain *d, ipaddr_t ipa, uint64_t nr)
{
	uint64_t first = ipa_addr(ipa);

	assert_int_equal(fake_p2m_locked, 0);
	fake_p2m_unmaps++;
	if (fake_p2m_unmap_error)
		return fake_p2m_unmap_error;
	if (!ipa_range_ok(first, nr))
		return -EINVAL;
	for (unsigned int i = 0; i < FAKE_P2M_MAX; i++)
		if (fake_p2m[i].d == d && fake_p2m[i].ipa >= first &&
		    (fake_p2m[i].ipa - first) >> 12 < nr)
			memset(&fake_p2m[i], 0, sizeof(fake_p2m[i]));
	return 0;
}

bool p2m_lookup_locked(struct domain *d, ipaddr_t ipa, paddr_t *pa,
		       enum p2m_type *type)
{
	uint64_t addr = ipa_addr(ipa);
	struct fake_p2m_entry *e = fake_p2m_find(d, addr & ~0xfffULL);

	assert_true(fake_p2m_locked > 0);
	if (!e)
		return false;
	if (pa)
		*pa = pa_init(e->pa + (addr & 0xfff));
	if (type)
		*type = e->type;
	return true;
}

unsigned int p2m_ipa_bits(void)
{
	return fake_ipa_bits;
}
