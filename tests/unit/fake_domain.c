/* SPDX-License-Identifier: MIT */
/* The fake world of tests/unit/fake_domain.h. */
#include <stdlib.h>
#include <string.h>

#include <orchid/errno.h>
#include <orchid/event.h>
#include <orchid/grant_table.h>
#include <orchid/guest_access.h>
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
struct fake_flush fake_flush;

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

static bool guest_range_ok(uint64_t va, size_t len, bool write)
{
	uint64_t end =
		write ? FAKE_GUEST_RO_VA : FAKE_GUEST_VA + FAKE_GUEST_SIZE;

	return va >= FAKE_GUEST_VA && len <= end - FAKE_GUEST_VA &&
	       va - FAKE_GUEST_VA <= end - FAKE_GUEST_VA - len;
}

void *fake_guest_ptr(uint64_t va)
{
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

void *alloc_pages(unsigned int order)
{
	void *p;

	if (!alloc_allowed())
		return NULL;
	p = aligned_alloc(4096, 4096UL << order);
	/* Garbage, so a test sees whether the caller zeroes what it shares. */
	memset(p, 0xa5, 4096UL << order);
	return p;
}

void free_pages(void *va, unsigned int order)
{
	free(va);
}

/* ---- architecture hooks ---------------------------------- */

void arch_vcpu_mark_events_pending(struct vcpu *v)
{
	fake_upcalls++;
	fake_last_upcall = v;
}

void fake_reset_records(void)
{
	fake_upcalls = 0;
	fake_last_upcall = NULL;
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

static struct fake_p2m_entry *p2m_find(struct domain *d, uint64_t ipa)
{
	unsigned int i;

	for (i = 0; i < FAKE_P2M_MAX; i++)
		if (fake_p2m[i].d == d && fake_p2m[i].ipa == ipa)
			return &fake_p2m[i];
	return NULL;
}

void fake_p2m_add(struct domain *d, uint64_t ipa, uint64_t pa,
		  enum p2m_type type)
{
	struct fake_p2m_entry *e = p2m_find(d, ipa);

	if (!e)
		e = p2m_find(NULL, 0);
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
}

int p2m_map(struct domain *d, ipaddr_t ipa, paddr_t pa, uint64_t nr,
	    enum p2m_type type)
{
	if (nr != 1)
		abort();
	fake_p2m_maps++;
	if (fake_p2m_map_error)
		return fake_p2m_map_error;
	fake_p2m_add(d, ipa_addr(ipa), pa_addr(pa), type);
	return 0;
}

int p2m_unmap(struct domain *d, ipaddr_t ipa, uint64_t nr)
{
	struct fake_p2m_entry *e = p2m_find(d, ipa_addr(ipa));

	fake_p2m_unmaps++;
	if (e)
		memset(e, 0, sizeof(*e));
	return 0;
}

bool p2m_lookup(struct domain *d, ipaddr_t ipa, paddr_t *pa,
		enum p2m_type *type)
{
	uint64_t addr = ipa_addr(ipa);
	struct fake_p2m_entry *e = p2m_find(d, addr & ~0xfffULL);

	if (!e)
		return false;
	*pa = pa_init(e->pa + (addr & 0xfff));
	*type = e->type;
	return true;
}
