/* SPDX-License-Identifier: MIT */
/* The RAM of tests/unit/fake_mem.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <orchid/bootinfo.h>
#include <orchid/domain_mem.h>
#include <orchid/errno.h>
#include <orchid/hypercall.h>

#include "fake_domain.h"
#include "fake_mem.h"

void domain_mem_reset(void);

uint64_t fake_max_pfn;
unsigned int fake_unimplemented;
unsigned long fake_unimplemented_cmd;
static uint64_t table_pages;

void fake_mem_init(uint64_t pages)
{
	static struct bootinfo bi;
	uint64_t before;

	fake_arena_init(pages);
	memset(&bi, 0, sizeof(bi));
	bi.nr_mem = 1;
	bi.mem[0].base = pa_init((uintptr_t)fake_arena);
	bi.mem[0].size = pages * PAGE_SIZE;
	before = fake_arena_free();
	domain_mem_init(&bi);
	table_pages = before - fake_arena_free();
	fake_max_pfn = ((uintptr_t)fake_arena >> PAGE_SHIFT) + pages - 1;
	fake_unimplemented = 0;
	fake_unimplemented_cmd = 0;
}

void fake_mem_fini(void)
{
	domain_mem_reset();
	fake_arena_fini();
}

uint64_t fake_mem_free(void)
{
	return fake_arena_free();
}

uint64_t bootmem_max_pfn(void)
{
	return fake_max_pfn;
}

/* Weak: a test that links common/xen/hypercall.c gets the real one. */
__attribute__((weak)) long hypercall_unimplemented(const char *hypercall,
						   unsigned long cmd)
{
	fake_unimplemented++;
	fake_unimplemented_cmd = cmd;
	return -ENOSYS;
}
