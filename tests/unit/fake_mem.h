/* SPDX-License-Identifier: MIT */
/*
 * RAM for the page-ownership tests (tests/unit/fake_mem.c): the fake
 * page allocator's arena (tests/unit/fake_domain.h) as the one RAM bank of
 * the real frame table (common/mm/domain_mem.c), and the few services of the
 * rest of Orchid that memory_op needs.
 */
#ifndef TESTS_UNIT_FAKE_MEM_H
#define TESTS_UNIT_FAKE_MEM_H

#include <stdint.h>

/* An arena of @pages pages and a frame table over it. */
void fake_mem_init(uint64_t pages);
/*
 * Free the frame table and the arena, failing the test if any page is
 * still handed out (a leak).
 */
void fake_mem_fini(void);

/* Pages of the arena free now, frame table excluded. */
uint64_t fake_mem_free(void);

/* bootmem_max_pfn() [the arena's last page] */
extern uint64_t fake_max_pfn;
/* hypercall_unimplemented calls, and the last sub-op it was given. */
extern unsigned int fake_unimplemented;
extern unsigned long fake_unimplemented_cmd;

#endif /* TESTS_UNIT_FAKE_MEM_H */
