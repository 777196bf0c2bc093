/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of common/mm/guest_access.c over a fake stage 2 and frame
 * table (defined here) and the fake arch_guest_va_to_ipa and
 * arch_guest_va_to_pa_locked (arch/fake/guest_va.c).
 *
 * The guest's "RAM" is a run of host pages, one per IPA page, each with a
 * p2m type or a hole. Every test snapshots all of them and checks that an
 * access changed exactly the bytes it should, and nothing on failure.
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
#include <orchid/errno.h>
#include <orchid/guest_access.h>
#include <orchid/p2m.h>

#include "fake_p2m.h"

#define GUEST_IPA 0x80000000ULL
#define NR_PAGES  10

/* The type of each guest page; p2m_invalid is a hole. */
static const enum p2m_type page_type[NR_PAGES] = {
	p2m_ram_rw,	     /* 0 */
	p2m_ram_rw,	     /* 1 */
	p2m_ram_ro,	     /* 2 */
	p2m_ram_rw,	     /* 3 */
	p2m_invalid,	     /* 4: hole */
	p2m_mmio_direct_dev, /* 5 */
	p2m_xen_page,	     /* 6 */
	p2m_grant_map_rw,    /* 7 */
	p2m_ram_rw,	     /* 8 */
	p2m_invalid,	     /* 9: hole */
};

static uint8_t *mem; /* NR_PAGES host pages */
static uint8_t snapshot[NR_PAGES * PAGE_SIZE];

static struct domain dom, other_dom, idle_dom;
static struct vcpu vcpu0, vcpu1, idle_vcpu;
static struct vcpu *test_current;

/* ---- what guest_access.c needs ------------------------------------------- */

struct vcpu *current_vcpu(void)
{
	return test_current;
}

static unsigned int p2m_lookups;

bool p2m_lookup_locked(struct domain *d, ipaddr_t ipa, paddr_t *pa,
		       enum p2m_type *type)
{
	uint64_t page = (ipa_addr(ipa) - GUEST_IPA) >> PAGE_SHIFT;

	assert_int_equal(fake_p2m_locked, 1);
	p2m_lookups++;
	if (d != &dom || ipa_addr(ipa) < GUEST_IPA || page >= NR_PAGES ||
	    page_type[page] == p2m_invalid)
		return false;
	*pa = pa_add(arch_va_to_pa(mem + page * PAGE_SIZE),
		     ipa_addr(ipa) & ~PAGE_MASK);
	*type = page_type[page];
	return true;
}

/*
 * The frame table as domain_mem_mapped_ram_of sees it, a frame per guest
 * page: its owner, Orchid's own (shared_info and the like), its
 * references. Device memory (page 5) has no frame.
 */
struct frame {
	const struct domain *owner;
	bool xen;
	unsigned int refs;
};

static struct frame frames[NR_PAGES];
static unsigned int frame_checks;

bool domain_mem_mapped_ram_of(const struct domain *d, paddr_t pa)
{
	uint8_t *va = arch_pa_to_va(pa);
	size_t page = (size_t)(va - mem) / PAGE_SIZE;

	assert_int_equal(fake_p2m_locked, 1);
	frame_checks++;
	if (va < mem || page >= NR_PAGES || page_type[page] == p2m_invalid ||
	    page_type[page] == p2m_mmio_direct_dev)
		return false;
	return frames[page].owner == d && !frames[page].xen &&
	       !frames[page].refs;
}

/* ---- fixtures ------------------------------------------------------------ */

static uint64_t gva(unsigned int page, unsigned int off)
{
	return GUEST_IPA + page * PAGE_SIZE + off;
}

static uint8_t *host(unsigned int page, unsigned int off)
{
	return mem + page * PAGE_SIZE + off;
}

static int setup_group(void **state)
{
	mem = aligned_alloc(PAGE_SIZE, NR_PAGES * PAGE_SIZE);
	return mem ? 0 : -1;
}

static int teardown_group(void **state)
{
	free(mem);
	return 0;
}

static int setup(void **state)
{
	for (size_t i = 0; i < NR_PAGES * PAGE_SIZE; i++)
		mem[i] = (uint8_t)(i * 7 + 3);
	memcpy(snapshot, mem, sizeof(snapshot));
	memset(&dom, 0, sizeof(dom));
	memset(&other_dom, 0, sizeof(other_dom));
	memset(&idle_dom, 0, sizeof(idle_dom));
	vcpu0 = (struct vcpu){.vcpu_id = 0, .domain = &dom};
	vcpu1 = (struct vcpu){.vcpu_id = 1, .domain = &dom};
	idle_vcpu = (struct vcpu){.domain = &idle_dom, .is_idle = true};
	test_current = &vcpu0;
	fake_guest_va_reset();
	p2m_lookups = 0;
	frame_checks = 0;
	for (unsigned int i = 0; i < NR_PAGES; i++)
		frames[i] = (struct frame){.owner = &dom};
	frames[6].xen = true; /* p2m_xen_page */
	/* p2m_grant_map_rw: another domain's page, held by the mapping. */
	frames[7] = (struct frame){.owner = &other_dom, .refs = 1};
	return 0;
}

/* Every call leaves the p2m unlocked. */
static int teardown(void **state)
{
	assert_int_equal(fake_p2m_locked, 0);
	return 0;
}

/* Guest memory is the snapshot, but for [page:off, +len) equal to @want. */
static void expect_guest(unsigned int page, unsigned int off, const void *want,
			 size_t len)
{
	size_t start = page * PAGE_SIZE + off;

	if (want)
		memcpy(snapshot + start, want, len);
	for (size_t i = 0; i < sizeof(snapshot); i++) {
		if (mem[i] != snapshot[i])
			fail_msg("guest byte %#zx (page %zu) is %#x, want %#x",
				 i, i / PAGE_SIZE, mem[i], snapshot[i]);
	}
}

static void expect_unchanged(void)
{
	expect_guest(0, 0, NULL, 0);
}

static void fill(uint8_t *buf, size_t len, uint8_t seed)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(seed + i * 13);
}

/* ---- tests --------------------------------------------------------------- */

static void test_zero_length(void **state)
{
	uint8_t buf[8] = {0};

	assert_int_equal(copy_from_guest(buf, 0, 0), 0);
	assert_int_equal(copy_to_guest(0, buf, 0), 0);
	assert_int_equal(clear_guest(UINT64_MAX, 0), 0);
	assert_int_equal(copy_from_guest_phys(&dom, buf, ipa_init(0), 0), 0);
	assert_int_equal(copy_to_guest_phys(&dom, ipa_init(UINT64_MAX), buf, 0),
			 0);
	test_current = &idle_vcpu;
	assert_int_equal(copy_to_guest(gva(0, 0), buf, 0), 0);
	assert_int_equal(fake_guest_va_calls, 0);
	assert_int_equal(p2m_lookups, 0);
	expect_unchanged();
}

static void test_null_and_unmapped(void **state)
{
	uint8_t buf[16], orig[16];

	fill(buf, sizeof(buf), 1);
	memcpy(orig, buf, sizeof(buf));
	assert_int_equal(copy_from_guest(buf, 0, 8), -EFAULT);
	assert_int_equal(copy_to_guest(0, buf, 8), -EFAULT);
	assert_int_equal(clear_guest(0, 8), -EFAULT);
	assert_int_equal(copy_from_guest(buf, gva(4, 8), 8), -EFAULT);
	assert_int_equal(copy_to_guest(gva(9, 0), buf, 8), -EFAULT);
	assert_int_equal(copy_from_guest(buf, gva(NR_PAGES, 0), 8), -EFAULT);
	assert_memory_equal(buf, orig, sizeof(buf));
	expect_unchanged();
}

static void test_one_page(void **state)
{
	uint8_t in[100], out[100];

	fill(in, sizeof(in), 9);
	assert_int_equal(copy_to_guest(gva(0, 100), in, sizeof(in)), 0);
	expect_guest(0, 100, in, sizeof(in));
	assert_int_equal(copy_from_guest(out, gva(0, 100), sizeof(out)), 0);
	assert_memory_equal(in, out, sizeof(in));
	/* One page: translated once, no separate check pass. */
	assert_int_equal(fake_guest_va_calls, 2);
	/* The last byte of a page. */
	assert_int_equal(copy_to_guest(gva(3, PAGE_SIZE - 1), in, 1), 0);
	expect_guest(3, PAGE_SIZE - 1, in, 1);
}

static void test_page_crossing(void **state)
{
	uint8_t in[3 * PAGE_SIZE], out[3 * PAGE_SIZE];

	/* Pages 0 and 1, both RAM. */
	fill(in, sizeof(in), 5);
	assert_int_equal(copy_to_guest(gva(0, PAGE_SIZE - 10), in, 30), 0);
	expect_guest(0, PAGE_SIZE - 10, in, 30);
	assert_int_equal(copy_from_guest(out, gva(0, PAGE_SIZE - 10), 30), 0);
	assert_memory_equal(in, out, 30);

	/* A whole page and a bit on each side: pages 0, 1 and 2 (read-only). */
	assert_int_equal(copy_from_guest(out, gva(0, 1), 2 * PAGE_SIZE + 5), 0);
	assert_memory_equal(out, host(0, 1), 2 * PAGE_SIZE + 5);
}

static void test_crossing_into_hole(void **state)
{
	uint8_t in[64], out[64], orig[64];

	fill(in, sizeof(in), 77);
	fill(out, sizeof(out), 3);
	memcpy(orig, out, sizeof(out));
	/* Page 3 is RAM, page 4 a hole: nothing is written to page 3. */
	assert_int_equal(copy_to_guest(gva(3, PAGE_SIZE - 32), in, 64),
			 -EFAULT);
	assert_int_equal(clear_guest(gva(3, PAGE_SIZE - 32), 64), -EFAULT);
	assert_int_equal(copy_from_guest(out, gva(3, PAGE_SIZE - 32), 64),
			 -EFAULT);
	assert_memory_equal(out, orig, sizeof(out));
	/* Page 8 is RAM, page 9 a hole. */
	assert_int_equal(copy_to_guest(gva(8, PAGE_SIZE - 1), in, 2), -EFAULT);
	assert_int_equal(
		copy_to_guest_phys(&dom, ipa_init(gva(8, 4000)), in, 200),
		-EFAULT);
	expect_unchanged();
}

static void test_read_only(void **state)
{
	uint8_t in[32], out[32];

	fill(in, sizeof(in), 44);
	assert_int_equal(copy_to_guest(gva(2, 0), in, sizeof(in)), -EFAULT);
	assert_int_equal(clear_guest(gva(2, 0), sizeof(in)), -EFAULT);
	assert_int_equal(
		copy_to_guest_phys(&dom, ipa_init(gva(2, 0)), in, sizeof(in)),
		-EFAULT);
	/* RAM then read-only: the writable half is left alone too. */
	assert_int_equal(copy_to_guest(gva(1, PAGE_SIZE - 16), in, 32),
			 -EFAULT);
	expect_unchanged();
	/* Reading read-only RAM is fine. */
	assert_int_equal(copy_from_guest(out, gva(2, 8), sizeof(out)), 0);
	assert_memory_equal(out, host(2, 8), sizeof(out));
	assert_int_equal(copy_from_guest_phys(&dom, out, ipa_init(gva(2, 8)),
					      sizeof(out)),
			 0);
}

static void test_types(void **state)
{
	uint8_t in[16], out[16];

	fill(in, sizeof(in), 21);
	/* Device memory and grant mappings are never accessed. */
	assert_int_equal(copy_from_guest(out, gva(5, 0), 16), -EFAULT);
	assert_int_equal(copy_to_guest(gva(5, 0), in, 16), -EFAULT);
	assert_int_equal(copy_from_guest(out, gva(7, 0), 16), -EFAULT);
	assert_int_equal(copy_to_guest(gva(7, 0), in, 16), -EFAULT);
	expect_unchanged();
	/* A page Orchid shares is, both ways. */
	assert_int_equal(copy_to_guest(gva(6, 32), in, 16), 0);
	expect_guest(6, 32, in, 16);
	assert_int_equal(copy_from_guest(out, gva(6, 32), 16), 0);
	assert_memory_equal(in, out, 16);
}

static void test_huge_and_wrapping(void **state)
{
	static uint8_t buf[64];

	assert_int_equal(copy_from_guest(buf, gva(0, 0), GUEST_COPY_MAX + 1),
			 -EFAULT);
	assert_int_equal(copy_to_guest(gva(0, 0), buf, SIZE_MAX), -EFAULT);
	assert_int_equal(clear_guest(gva(0, 0), SIZE_MAX / 2 + 1), -EFAULT);
	assert_int_equal(copy_from_guest(buf, UINT64_MAX - 10, 20), -EFAULT);
	assert_int_equal(clear_guest(UINT64_MAX - PAGE_SIZE + 1, PAGE_SIZE + 1),
			 -EFAULT);
	/* Rejected before any translation. */
	assert_int_equal(fake_guest_va_calls, 0);
	assert_int_equal(copy_to_guest_phys(&dom, ipa_init(UINT64_MAX - 4095),
					    buf, 8192),
			 -EFAULT);
	assert_int_equal(
		copy_from_guest_phys(&dom, buf, ipa_init(UINT64_MAX - 7), 16),
		-EFAULT);
	assert_int_equal(p2m_lookups, 0);
	/*
	 * The very last byte of the address space is a one-byte range: the
	 * MMU path tries, then the page walk gives the answer.
	 */
	assert_int_equal(copy_from_guest(buf, UINT64_MAX, 1), -EFAULT);
	assert_int_equal(fake_guest_va_calls, 2);
	expect_unchanged();
}

static void test_translation_faults(void **state)
{
	uint8_t in[64], out[64];

	fill(in, sizeof(in), 8);
	/* The second page does not translate: the first is not written. */
	fake_guest_va_fault(gva(1, 0), false);
	assert_int_equal(copy_to_guest(gva(0, PAGE_SIZE - 32), in, 64),
			 -EFAULT);
	assert_int_equal(copy_from_guest(out, gva(0, PAGE_SIZE - 32), 64),
			 -EFAULT);
	expect_unchanged();

	/* Stage 1 read-only: reads go, writes do not. */
	fake_guest_va_reset();
	fake_guest_va_fault(gva(3, 0), true);
	assert_int_equal(copy_from_guest(out, gva(3, 0), 64), 0);
	assert_int_equal(copy_to_guest(gva(3, 0), in, 64), -EFAULT);
	assert_int_equal(clear_guest(gva(3, 0), 64), -EFAULT);
	expect_unchanged();
}

static void test_va_offset(void **state)
{
	uint8_t in[40];

	/* VA 0x10000000 + x is IPA GUEST_IPA + x. */
	fake_guest_va_offset = 0x10000000 - GUEST_IPA;
	fill(in, sizeof(in), 99);
	assert_int_equal(copy_to_guest(0x10000000 + PAGE_SIZE + 4, in, 40), 0);
	expect_guest(1, 4, in, 40);
	assert_int_equal(copy_to_guest(gva(1, 4), in, 40), -EFAULT);
}

static void test_race_between_passes(void **state)
{
	uint8_t in[104];

	/*
	 * The check pass sees two good pages, then the guest unmaps the
	 * second one before it is written: the documented outcome is -EFAULT
	 * with the first page's part written.
	 */
	fill(in, sizeof(in), 50);
	fake_guest_va_budget = 3;
	assert_int_equal(copy_to_guest(gva(0, PAGE_SIZE - 4), in, sizeof(in)),
			 -EFAULT);
	assert_int_equal(fake_guest_va_calls, 4);
	expect_guest(0, PAGE_SIZE - 4, in, 4);
}

static void test_not_current_or_idle(void **state)
{
	uint8_t buf[8] = {0};
	ipaddr_t ipa;

	test_current = &idle_vcpu;
	assert_int_equal(copy_from_guest(buf, gva(0, 0), 8), -EFAULT);
	assert_int_equal(copy_to_guest(gva(0, 0), buf, 8), -EFAULT);
	assert_int_equal(clear_guest(gva(0, 0), 8), -EFAULT);
	assert_int_equal(p2m_lookups, 0);
	test_current = &vcpu0;
	assert_int_equal(arch_guest_va_to_ipa(&vcpu1, gva(0, 0), false, &ipa),
			 -EFAULT);
	assert_int_equal(arch_guest_va_to_ipa(&vcpu0, gva(0, 0), false, &ipa),
			 0);
	assert_int_equal(ipa_addr(ipa), gva(0, 0));
	expect_unchanged();
}

static void test_clear(void **state)
{
	static const uint8_t zeroes[PAGE_SIZE / 2 + 100]; /* pages 0 and 1 */

	assert_int_equal(clear_guest(gva(0, PAGE_SIZE - 50), sizeof(zeroes)),
			 0);
	expect_guest(0, PAGE_SIZE - 50, zeroes, sizeof(zeroes));
}

static void test_phys(void **state)
{
	uint8_t in[300], out[300];

	fill(in, sizeof(in), 123);
	assert_int_equal(copy_to_guest_phys(&dom, ipa_init(gva(0, 3900)), in,
					    sizeof(in)),
			 0);
	expect_guest(0, 3900, in, sizeof(in));
	assert_int_equal(copy_from_guest_phys(&dom, out, ipa_init(gva(0, 3900)),
					      sizeof(out)),
			 0);
	assert_memory_equal(in, out, sizeof(in));
	/* No virtual address was involved. */
	assert_int_equal(fake_guest_va_calls, 0);
	/* Another domain's p2m knows none of these IPAs. */
	assert_int_equal(
		copy_from_guest_phys(&other_dom, out, ipa_init(gva(0, 0)), 8),
		-EFAULT);
}

static void test_guest_ram_page(void **state)
{
	paddr_t pa;

	assert_ptr_equal(guest_ram_page(&dom, ipa_init(gva(3, 123)), &pa),
			 host(3, 0));
	assert_ptr_equal(arch_pa_to_va(pa), host(3, 0));
	assert_ptr_equal(guest_ram_page(&dom, ipa_init(gva(0, 0)), NULL),
			 host(0, 0));
	assert_null(guest_ram_page(&dom, ipa_init(gva(2, 0)), &pa));
	assert_null(guest_ram_page(&dom, ipa_init(gva(4, 0)), &pa));
	assert_null(guest_ram_page(&dom, ipa_init(gva(5, 0)), &pa));
	assert_null(guest_ram_page(&dom, ipa_init(gva(6, 0)), &pa));
	assert_null(guest_ram_page(&dom, ipa_init(gva(7, 0)), &pa));
	assert_null(guest_ram_page(&dom, ipa_init(0), &pa));
	expect_unchanged();
}

/* ---- the MMU path (ga_fast) ------------------------------------------- */

/* One translation, one frame check, the page walk never asked. */
static void expect_fast(void)
{
	assert_int_equal(fake_guest_va_calls, 1);
	assert_int_equal(frame_checks, 1);
	fake_guest_va_calls = 0;
	frame_checks = 0;
}

/* The MMU path gave up: the page walk translated again and decided. */
static void expect_walked(unsigned int frames_checked)
{
	assert_int_equal(fake_guest_va_calls, 2);
	assert_int_equal(frame_checks, frames_checked);
	fake_guest_va_calls = 0;
	frame_checks = 0;
}

static void test_fast_ram(void **state)
{
	uint8_t in[64], out[64];

	fill(in, sizeof(in), 31);
	assert_int_equal(copy_to_guest(gva(1, 200), in, sizeof(in)), 0);
	expect_fast();
	expect_guest(1, 200, in, sizeof(in));
	assert_int_equal(copy_from_guest(out, gva(1, 200), sizeof(out)), 0);
	expect_fast();
	assert_memory_equal(in, out, sizeof(in));
	assert_int_equal(clear_guest(gva(1, 200), 8), 0);
	expect_fast();
	memset(in, 0, 8);
	expect_guest(1, 200, in, 8);
	/* Read-only RAM reads the same way. */
	assert_int_equal(copy_from_guest(out, gva(2, 8), 16), 0);
	expect_fast();
	assert_memory_equal(out, host(2, 8), 16);
	/* Two pages: the page walk only. */
	assert_int_equal(copy_from_guest(out, gva(0, PAGE_SIZE - 8), 16), 0);
	assert_int_equal(frame_checks, 0);
}

/*
 * 1, 2, 4, 8 bytes, aligned or not, and 16 (memcpy's): exactly those
 * bytes move.
 */
static void test_fast_scalars(void **state)
{
	static const unsigned int offs[] = {0, 1, 2, 3, 4, 8, 4080, 4093};
	uint8_t in[16] __aligned(16), out[24] __aligned(16);

	for (unsigned int n = 1; n <= 16; n *= 2) {
		for (unsigned int i = 0; i < sizeof(offs) / sizeof(offs[0]);
		     i++) {
			unsigned int off = offs[i];

			if (off + n > PAGE_SIZE)
				continue;
			fill(in, n, (uint8_t)(n * 16 + off));
			assert_int_equal(copy_to_guest(gva(3, off), in, n), 0);
			expect_fast();
			expect_guest(3, off, in, n);
			memset(out, 0xee, sizeof(out));
			/* Into an unaligned buffer too. */
			assert_int_equal(copy_from_guest(out + (off & 1),
							 gva(3, off), n),
					 0);
			assert_memory_equal(out + (off & 1), in, n);
			assert_int_equal(out[(off & 1) + n], 0xee);
			expect_fast();
		}
	}
}

/* Another domain's page (a grant mapping): refused, the walk says -EFAULT. */
static void test_fast_owner_mismatch(void **state)
{
	uint8_t in[8], out[8];

	fill(in, sizeof(in), 3);
	assert_int_equal(copy_from_guest(out, gva(7, 0), 8), -EFAULT);
	expect_walked(1);
	assert_int_equal(copy_to_guest(gva(7, 0), in, 8), -EFAULT);
	expect_walked(1);
	/* Even without a reference, another domain's frame is not copied. */
	frames[7].refs = 0;
	assert_int_equal(copy_to_guest(gva(7, 0), in, 8), -EFAULT);
	expect_walked(1);
	expect_unchanged();
}

/* The domain's own page granted to itself: a reference, so the p2m decides. */
static void test_fast_self_grant(void **state)
{
	uint8_t in[8], out[8];

	fill(in, sizeof(in), 4);
	frames[7] = (struct frame){.owner = &dom, .refs = 1};
	assert_int_equal(copy_from_guest(out, gva(7, 0), 8), -EFAULT);
	expect_walked(1);
	assert_int_equal(copy_to_guest(gva(7, 0), in, 8), -EFAULT);
	expect_walked(1);
	/* A reference on RAM (a registered vcpu_info): the walk copies. */
	frames[1].refs = 1;
	assert_int_equal(copy_to_guest(gva(1, 0), in, 8), 0);
	expect_walked(1);
	expect_guest(1, 0, in, 8);
}

/* Device memory (no frame) and Orchid's pages: the walk's answer. */
static void test_fast_not_ram(void **state)
{
	uint8_t in[8], out[8];

	fill(in, sizeof(in), 5);
	assert_int_equal(copy_from_guest(out, gva(5, 0), 8), -EFAULT);
	expect_walked(1);
	assert_int_equal(copy_to_guest(gva(5, 0), in, 8), -EFAULT);
	expect_walked(1);
	expect_unchanged();
	assert_int_equal(copy_to_guest(gva(6, 0), in, 8), 0);
	expect_walked(1);
	expect_guest(6, 0, in, 8);
}

/* A translation fault (PAR_EL1.F): no frame looked at, then -EFAULT. */
static void test_fast_translation_fault(void **state)
{
	uint8_t in[8], out[8];

	fill(in, sizeof(in), 6);
	fake_guest_va_fault(gva(0, 0), false);
	assert_int_equal(copy_from_guest(out, gva(0, 0), 8), -EFAULT);
	expect_walked(0);
	/* Stage 1 read-only: the read goes fast, the write fails. */
	fake_guest_va_fault(gva(1, 0), true);
	assert_int_equal(copy_from_guest(out, gva(1, 0), 8), 0);
	expect_fast();
	assert_int_equal(copy_to_guest(gva(1, 0), in, 8), -EFAULT);
	expect_walked(0);
	/* Stage 2 read-only, and holes. */
	assert_int_equal(copy_to_guest(gva(2, 0), in, 8), -EFAULT);
	expect_walked(0);
	assert_int_equal(copy_from_guest(out, gva(4, 0), 8), -EFAULT);
	expect_walked(0);
	expect_unchanged();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_zero_length, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_null_and_unmapped, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_one_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_page_crossing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_crossing_into_hole, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_read_only, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_types, setup, teardown),
		cmocka_unit_test_setup_teardown(test_huge_and_wrapping, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_translation_faults, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_va_offset, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_race_between_passes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_not_current_or_idle, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_clear, setup, teardown),
		cmocka_unit_test_setup_teardown(test_phys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_guest_ram_page, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_fast_ram, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fast_scalars, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_fast_owner_mismatch, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_fast_self_grant, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_fast_not_ram, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_fast_translation_fault,
						setup, teardown),
	};

	return cmocka_run_group_tests_name("guest_access", tests, setup_group,
					   teardown_group);
}
