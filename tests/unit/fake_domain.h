/* SPDX-License-Identifier: MIT */
/*
 * A fake world for hypercall unit tests (tests/unit/fake_domain.c): a few
 * domains with vCPUs and shared_info pages in host memory, a current vCPU,
 * guest virtual memory backed by an arena, heap and page allocators with
 * failure injection, a small stage-2 table, and recorders for the
 * architecture hooks.
 */
#ifndef TESTS_UNIT_FAKE_DOMAIN_H
#define TESTS_UNIT_FAKE_DOMAIN_H

#include <orchid/domain.h>
#include <orchid/p2m.h>
#include "fake_p2m.h"

#define FAKE_MAX_VCPUS	 3
#define FAKE_MAX_DOMAINS 4

struct fake_domain {
	struct domain d;
	struct vcpu vcpu[FAKE_MAX_VCPUS];
	struct vcpu *vcpus[FAKE_MAX_VCPUS];
	/* vCPU 1's registered vcpu_info (vCPU 0 uses the shared_info slot). */
	struct vcpu_info registered;
};

/*
 * Make @fd domain @domid with @nr_vcpus vCPUs (vcpus[] entries beyond
 * @nr_present are NULL), a zeroed shared_info page, and make it findable
 * by domain_lookup. fake_domain_put undoes it.
 */
void fake_domain_get(struct fake_domain *fd, domid_t domid, bool privileged,
		     unsigned int nr_vcpus, unsigned int nr_present);
void fake_domain_put(struct fake_domain *fd);

/* The vCPU current_vcpu() returns. */
extern struct vcpu *fake_current;

/*
 * Guest virtual memory: [FAKE_GUEST_VA, FAKE_GUEST_VA + FAKE_GUEST_SIZE)
 * is readable and writable except its last page, which copy_to_guest
 * refuses. Every other address faults.
 */
#define FAKE_GUEST_VA	 0x40000000ULL
#define FAKE_GUEST_SIZE	 0x4000ULL
#define FAKE_GUEST_RO_VA (FAKE_GUEST_VA + FAKE_GUEST_SIZE - 0x1000)
extern uint8_t fake_guest_mem[FAKE_GUEST_SIZE];
void *fake_guest_ptr(uint64_t va);

/*
 * A second, large stretch of guest memory for batches of a million
 * elements: fake_guest_big_init(@size) makes [FAKE_GUEST_BIG_VA,
 * FAKE_GUEST_BIG_VA + @size) readable and writable (zeroed), and
 * fake_guest_big_fini takes it away again. fake_guest_ptr works on it.
 */
#define FAKE_GUEST_BIG_VA 0x100000000ULL
void fake_guest_big_init(uint64_t size);
void fake_guest_big_fini(void);

/* Allocations (xzalloc, alloc_pages) succeed this many more times; -1: always. */
extern int fake_alloc_budget;

/*
 * Optionally, alloc_pages hands out naturally aligned blocks of one arena
 * of @pages pages (a multiple of 512, 2 MiB aligned) instead of the C
 * heap, so that a test knows the RAM's range (the frame table's bank) and
 * can count free pages. free_pages checks the block's address and order.
 * fake_arena_fini frees it; every block must be back by then.
 */
void fake_arena_init(uint64_t pages);
void fake_arena_fini(void);
extern uint8_t *fake_arena;
extern uint64_t fake_arena_pages;
uint64_t fake_arena_free(void); /* pages not handed out */
/*
 * free_pages_dirty frees like free_pages (the fake hands out garbage
 * anyway) and counts the pages here: memory given back with a domain's
 * data, which the real allocator scrubs before handing it out again.
 */
extern uint64_t fake_dirty_pages;
/* page_alloc_free_bytes(): the arena's free pages, in bytes. */

/* Recorded arch_vcpu_mark_events_pending calls. */
extern unsigned int fake_upcalls;
extern struct vcpu *fake_last_upcall;
/* sched_poll_notify: how often, and the last port named. */
extern unsigned int fake_poll_notifies;
extern uint32_t fake_poll_port;
void fake_reset_records(void);

/* The fake stage 2: one entry per mapped page. */
struct fake_p2m_entry {
	struct domain *d;
	uint64_t ipa;
	uint64_t pa;
	enum p2m_type type;
};
#define FAKE_P2M_MAX 2048
extern struct fake_p2m_entry fake_p2m[FAKE_P2M_MAX];
extern unsigned int fake_p2m_maps, fake_p2m_unmaps;
extern int fake_p2m_map_error;	   /* returned by p2m_map when non-zero */
extern int fake_p2m_unmap_error;   /* returned by p2m_unmap when non-zero */
extern unsigned int fake_ipa_bits; /* p2m_ipa_bits() [40] */
void fake_p2m_add(struct domain *d, uint64_t ipa, uint64_t pa,
		  enum p2m_type type);
/* The entry mapping page @ipa of @d, or NULL. */
struct fake_p2m_entry *fake_p2m_find(struct domain *d, uint64_t ipa);
/* Pages @d has mapped now. */
unsigned int fake_p2m_count(const struct domain *d);
void fake_p2m_clear(void);

/* The last arch_flush_dcache_range call. */
struct fake_flush {
	unsigned int calls;
	void *va;
	size_t len;
	bool clean, invalidate;
};
extern struct fake_flush fake_flush;

#endif /* TESTS_UNIT_FAKE_DOMAIN_H */
