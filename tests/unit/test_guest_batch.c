/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of common/mm/guest_batch.c (a batch's guest array through one
 * held translation) over a fake stage 2 and page references (defined
 * here), the real copy_from_guest/copy_to_guest it falls back to, and the
 * fake arch_guest_va_to_ipa (arch/fake/guest_va.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <asm/guest_va.h>
#include <orchid/arch.h>
#include <orchid/domain.h>
#include <orchid/domain_mem.h>
#include <orchid/errno.h>
#include <orchid/guest_access.h>
#include <orchid/guest_batch.h>
#include <orchid/p2m.h>

#include "fake_p2m.h"

#define GUEST_IPA 0x80000000ULL
#define NR_PAGES  4

static const enum p2m_type page_type[NR_PAGES] = {
	p2m_ram_rw,  /* 0 */
	p2m_ram_rw,  /* 1 */
	p2m_ram_ro,  /* 2 */
	p2m_invalid, /* 3: hole */
};

static uint8_t *mem;
static struct domain dom;
static struct vcpu vcpu0;
static unsigned int p2m_lookups;
static int refs[NR_PAGES]; /* page references held */
static bool refuse_refs;   /* domain_mem_get_page fails (not the domain's) */

struct vcpu *current_vcpu(void)
{
	return &vcpu0;
}

bool p2m_lookup_locked(struct domain *d, ipaddr_t ipa, paddr_t *pa,
		       enum p2m_type *type)
{
	uint64_t page = (ipa_addr(ipa) - GUEST_IPA) >> PAGE_SHIFT;

	assert_int_equal(fake_p2m_locked, 1);
	p2m_lookups++;
	if (ipa_addr(ipa) < GUEST_IPA || page >= NR_PAGES ||
	    page_type[page] == p2m_invalid)
		return false;
	*pa = pa_add(arch_va_to_pa(mem + page * PAGE_SIZE),
		     ipa_addr(ipa) & ~PAGE_MASK);
	*type = page_type[page];
	return true;
}

static unsigned int page_of(paddr_t pa)
{
	return (unsigned int)(((uint8_t *)arch_pa_to_va(pa) - mem) / PAGE_SIZE);
}

int domain_mem_get_page(const struct domain *owner, paddr_t pa,
			unsigned int kinds)
{
	assert_ptr_equal(owner, &dom);
	assert_int_equal(kinds, DM_GET_RAM);
	if (refuse_refs)
		return -EINVAL;
	refs[page_of(pa)]++;
	return 0;
}

void domain_mem_put_page(paddr_t pa)
{
	assert_true(refs[page_of(pa)] > 0);
	refs[page_of(pa)]--;
}

/* guest_access.c's MMU path: the domain's RAM that no reference holds. */
bool domain_mem_mapped_ram_of(const struct domain *d, paddr_t pa)
{
	unsigned int page = page_of(pa);

	assert_ptr_equal(d, &dom);
	assert_int_equal(fake_p2m_locked, 1);
	return page < NR_PAGES && p2m_is_ram(page_type[page]) && !refs[page] &&
	       !refuse_refs;
}

static uint64_t gva(unsigned int page, unsigned int off)
{
	return GUEST_IPA + page * PAGE_SIZE + off;
}

static int setup(void **state)
{
	mem = aligned_alloc(PAGE_SIZE, NR_PAGES * PAGE_SIZE);
	if (!mem)
		return -1;
	for (size_t i = 0; i < NR_PAGES * PAGE_SIZE; i++)
		mem[i] = (uint8_t)(i * 7 + 3);
	vcpu0 = (struct vcpu){.domain = &dom};
	fake_guest_va_reset();
	p2m_lookups = 0;
	memset(refs, 0, sizeof(refs));
	refuse_refs = false;
	return 0;
}

static int teardown(void **state)
{
	assert_int_equal(fake_p2m_locked, 0);
	free(mem);
	return 0;
}

/* Elements of one page: one translation, one reference until release. */
static void test_one_translation(void **state)
{
	struct guest_batch b;
	uint8_t e[24], want[24];

	guest_batch_init(&b);
	for (unsigned int i = 0; i < 8; i++) {
		assert_int_equal(guest_batch_read(&b, e, gva(0, i * 24), 24),
				 0);
		assert_memory_equal(e, mem + i * 24, 24);
		memset(want, (int)i, sizeof(want));
		assert_int_equal(
			guest_batch_write(&b, gva(0, i * 24), want, 24), 0);
		assert_memory_equal(mem + i * 24, want, 24);
	}
	assert_int_equal(fake_guest_va_calls, 1);
	assert_int_equal(p2m_lookups, 1);
	assert_int_equal(refs[0], 1);
	guest_batch_release(&b);
	assert_int_equal(refs[0], 0);
}

/* The next page: the first one let go, the next one held. */
static void test_next_page(void **state)
{
	struct guest_batch b;
	uint8_t e[8];

	guest_batch_init(&b);
	assert_int_equal(guest_batch_read(&b, e, gva(0, 0), 8), 0);
	assert_int_equal(guest_batch_read(&b, e, gva(1, 8), 8), 0);
	assert_memory_equal(e, mem + PAGE_SIZE + 8, 8);
	assert_int_equal(refs[0], 0);
	assert_int_equal(refs[1], 1);
	guest_batch_release(&b);
	assert_int_equal(refs[1], 0);
}

/* A p2m change at the held page: let go, translated again next time. */
static void test_forget(void **state)
{
	struct guest_batch b;
	uint8_t e[8];

	guest_batch_init(&b);
	assert_int_equal(guest_batch_read(&b, e, gva(0, 0), 8), 0);
	guest_batch_forget(&b, (GUEST_IPA >> PAGE_SHIFT) + 1); /* another */
	assert_int_equal(refs[0], 1);
	guest_batch_forget(&b, GUEST_IPA >> PAGE_SHIFT);
	assert_int_equal(refs[0], 0);
	assert_int_equal(guest_batch_read(&b, e, gva(0, 8), 8), 0);
	assert_int_equal(p2m_lookups, 2);
	guest_batch_release(&b);
	assert_int_equal(refs[0], 0);
}

/*
 * Read-only RAM is never held: reads go through copy_from_guest (and
 * work), writes through copy_to_guest (and fail); a hole fails both.
 */
static void test_read_only_and_hole(void **state)
{
	struct guest_batch b;
	uint8_t e[8] = {0};

	guest_batch_init(&b);
	assert_int_equal(guest_batch_read(&b, e, gva(2, 0), 8), 0);
	assert_memory_equal(e, mem + 2 * PAGE_SIZE, 8);
	assert_int_equal(guest_batch_write(&b, gva(2, 0), e, 8), -EFAULT);
	assert_int_equal(guest_batch_read(&b, e, gva(3, 0), 8), -EFAULT);
	assert_int_equal(guest_batch_write(&b, gva(3, 0), e, 8), -EFAULT);
	assert_int_equal(refs[2] + refs[3], 0);
	guest_batch_release(&b);
}

/* An element across two pages, a page not the domain's: copied, not held. */
static void test_fallbacks(void **state)
{
	struct guest_batch b;
	uint8_t e[16];

	guest_batch_init(&b);
	assert_int_equal(guest_batch_read(&b, e, gva(0, PAGE_SIZE - 8), 16), 0);
	assert_memory_equal(e, mem + PAGE_SIZE - 8, 16);
	assert_int_equal(refs[0] + refs[1], 0);
	refuse_refs = true;
	assert_int_equal(guest_batch_read(&b, e, gva(1, 0), 8), 0);
	assert_int_equal(refs[1], 0);
	guest_batch_release(&b);
}

/* A stage-1 fault: the copy's -EFAULT, nothing held. */
static void test_stage1_fault(void **state)
{
	struct guest_batch b;
	uint8_t e[8];

	fake_guest_va_fault(gva(0, 0), false);
	guest_batch_init(&b);
	assert_int_equal(guest_batch_read(&b, e, gva(0, 0), 8), -EFAULT);
	assert_int_equal(refs[0], 0);
	guest_batch_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_one_translation, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_next_page, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_forget, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_only_and_hole, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_fallbacks, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stage1_fault, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
