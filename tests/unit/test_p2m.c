/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of arch/arm64/p2m.c over the real page-table engine, table
 * pool and stage-2 format, with system registers in memory and TLB
 * maintenance logged (tests/unit/fake_sysreg.c): VMIDs, what a domain's
 * stage 2 maps and refuses, that every change is flushed under that
 * domain's VMID whoever is loaded, and that a domain's tables come from
 * its own pool and all go back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <asm/fake.h>
#include <asm/p2m.h>
#include <asm/sysreg.h>
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/mm.h>
#include <orchid/p2m.h>
#include <orchid/page_pool.h>

#define PARANGE_40 2 /* ID_AA64MMFR0_EL1.PARange: 40-bit PAs */
#define VMIDS	   255
#define RAM	   0x40000000ULL
#define HOST_PA	   0x80000000ULL

/* ---- the page allocator ------------------------------------------------ */

static uint64_t live_pages;

void *alloc_pages(unsigned int order)
{
	size_t size = PAGE_SIZE << order;
	void *p = aligned_alloc(size, size);

	assert_non_null(p);
	memset(p, 0xa5, size);
	live_pages += 1ULL << order;
	return p;
}

void free_pages(void *va, unsigned int order)
{
	assert_true(live_pages >= 1ULL << order);
	live_pages -= 1ULL << order;
	free(va);
}

/* ---- domains ------------------------------------------------------------- */

static struct domain dom[VMIDS + 1];

/* A DomU's stage 2, its pool holding @pool_pages table pages. */
static void domu(struct domain *d, domid_t id, uint64_t pool_pages)
{
	memset(d, 0, sizeof(*d));
	d->domain_id = id;
	page_pool_init(&d->paging_pool, false);
	assert_int_equal(page_pool_resize(&d->paging_pool, pool_pages), 0);
	assert_int_equal(p2m_init(d), 0);
}

static void gone(struct domain *d)
{
	p2m_destroy(d);
	assert_int_equal(page_pool_in_use(&d->paging_pool), 0);
	page_pool_destroy(&d->paging_pool);
}

static uint16_t vmid_of(const struct domain *d)
{
	return (uint16_t)(d->arch.p2m.vttbr >> 48);
}

static int setup_group(void **state)
{
	fake_sysreg_reset();
	*fake_sysreg("id_aa64mmfr0_el1") = PARANGE_40;
	p2m_init_cpu();
	return 0;
}

static int setup(void **state)
{
	fake_tlbi_count = 0;
	*fake_sysreg("vttbr_el2") = 0;
	return 0;
}

static int teardown(void **state)
{
	assert_int_equal(live_pages, 0);
	return 0;
}

/* Was [ipa, ipa + pages) invalidated under @d's VMID since the reset? */
static bool flushed(const struct domain *d, uint64_t ipa, uint64_t pages)
{
	bool all = false, combined = false;
	uint64_t done = 0;

	for (unsigned int i = 0; i < fake_tlbi_count; i++) {
		const struct fake_tlbi *t = &fake_tlbi_log[i];

		if (t->vttbr != d->arch.p2m.vttbr)
			continue;
		if (!strcmp(t->op, "vmalls12e1is"))
			all = true;
		if (!strcmp(t->op, "vmalle1is"))
			combined = true;
		if (!strcmp(t->op, "ipas2e1is") &&
		    t->arg - (ipa >> PAGE_SHIFT) < pages)
			done++;
	}
	return all || (combined && done >= pages);
}

/* ---- per CPU --------------------------------------------------------------- */

static void test_init_cpu(void **state)
{
	/* 40-bit PAs: 40-bit IPAs, VTCR_EL2 set, no guest entry left over. */
	assert_int_equal(p2m_ipa_bits(), 40);
	assert_int_not_equal(*fake_sysreg("vtcr_el2"), 0);
	fake_tlbi_count = 0;
	*fake_sysreg("vttbr_el2") = 0x1234;
	p2m_init_cpu();
	assert_int_equal(*fake_sysreg("vttbr_el2"), 0);
	assert_int_equal(fake_tlbi_count, 1);
	assert_string_equal(fake_tlbi_log[0].op, "alle1");
	/* A CPU that cannot address the IPA space may not join. */
	*fake_sysreg("id_aa64mmfr0_el1") = 1; /* 36 bits */
	assert_true(EXPECT_PANIC(p2m_init_cpu()));
	*fake_sysreg("id_aa64mmfr0_el1") = PARANGE_40;
}

static void test_load(void **state)
{
	domu(&dom[0], 1, 4);
	*fake_sysreg("vtcr_el2") = 0;
	p2m_load(&dom[0]);
	assert_int_equal(*fake_sysreg("vttbr_el2"), dom[0].arch.p2m.vttbr);
	assert_int_not_equal(*fake_sysreg("vtcr_el2"), 0);
	gone(&dom[0]);
}

/* ---- VMIDs ----------------------------------------------------------------- */

static void test_vmids(void **state)
{
	domu(&dom[0], 1, 0);
	domu(&dom[1], 2, 0);
	assert_int_not_equal(vmid_of(&dom[0]), 0);
	assert_int_not_equal(vmid_of(&dom[1]), 0);
	assert_int_not_equal(vmid_of(&dom[0]), vmid_of(&dom[1]));
	assert_int_equal(vmid_of(&dom[0]), dom[0].arch.p2m.vmid);
	/* VTTBR_EL2 = VMID | the root's address. */
	assert_int_equal(dom[0].arch.p2m.vttbr & ((1ULL << 48) - 1),
			 pa_addr(dom[0].arch.p2m.pt.root_pa));
	/* A new VMID is flushed before use: a CPU may hold an old owner's. */
	assert_true(flushed(&dom[1], 0, 1ULL << 28));
	gone(&dom[1]);
	gone(&dom[0]);
}

static void test_vmid_exhaustion(void **state)
{
	unsigned int i;

	for (i = 0; i < VMIDS; i++)
		domu(&dom[i], (domid_t)(i + 1), 0);
	/* The 256th domain gets no stage 2, and no stage 2 of another. */
	memset(&dom[i], 0, sizeof(dom[i]));
	page_pool_init(&dom[i].paging_pool, false);
	assert_int_equal(p2m_init(&dom[i]), -EBUSY);
	assert_int_equal(dom[i].arch.p2m.vttbr, 0);
	assert_false(p2m_lookup(&dom[i], ipa_init(RAM), NULL, NULL));
	p2m_destroy(&dom[i]); /* harmless */
	/* One going frees its VMID for the next. */
	gone(&dom[7]);
	domu(&dom[i], (domid_t)(i + 1), 0);
	assert_int_not_equal(vmid_of(&dom[i]), 0);
	for (i = 0; i <= VMIDS; i++)
		if (i != 7)
			gone(&dom[i]);
}

/* ---- mapping --------------------------------------------------------------- */

static void test_types_round_trip(void **state)
{
	paddr_t pa;
	enum p2m_type t;

	domu(&dom[0], 1, 8);
	for (t = p2m_ram_rw; t <= p2m_xen_page; t++) {
		uint64_t ipa = RAM + (uint64_t)t * PAGE_SIZE;
		enum p2m_type got;

		assert_int_equal(p2m_map(&dom[0], ipa_init(ipa),
					 pa_init(HOST_PA + t * PAGE_SIZE), 1,
					 t),
				 0);
		assert_true(
			p2m_lookup(&dom[0], ipa_init(ipa + 0x123), &pa, &got));
		assert_int_equal(got, t);
		assert_int_equal(pa_addr(pa), HOST_PA + t * PAGE_SIZE + 0x123);
	}
	/* No such type: nothing mapped. */
	assert_int_equal(p2m_map(&dom[0], ipa_init(RAM + 0x100000),
				 pa_init(HOST_PA), 1, p2m_invalid),
			 -EINVAL);
	assert_int_equal(p2m_map(&dom[0], ipa_init(RAM + 0x100000),
				 pa_init(HOST_PA), 1, (enum p2m_type)99),
			 -EINVAL);
	assert_false(p2m_lookup(&dom[0], ipa_init(RAM + 0x100000), NULL, NULL));
	p2m_unmap(&dom[0], ipa_init(RAM), 16);
	gone(&dom[0]);
}

static void test_bad_ranges(void **state)
{
	const uint64_t limit = 1ULL << 40;

	domu(&dom[0], 1, 8);
	/* Host addresses the CPU cannot reach. */
	assert_int_equal(
		p2m_map(&dom[0], ipa_init(RAM), pa_init(limit), 1, p2m_ram_rw),
		-EINVAL);
	assert_int_equal(p2m_map(&dom[0], ipa_init(RAM),
				 pa_init(limit - PAGE_SIZE), 2, p2m_ram_rw),
			 -EINVAL);
	assert_int_equal(p2m_map(&dom[0], ipa_init(RAM), pa_init(HOST_PA),
				 1ULL << 52, p2m_ram_rw),
			 -EINVAL);
	assert_int_equal(p2m_map(&dom[0], ipa_init(RAM), pa_init(HOST_PA),
				 UINT64_MAX, p2m_ram_rw),
			 -EINVAL);
	/* Guest addresses outside its 40-bit IPA space, or wrapping. */
	assert_int_equal(p2m_map(&dom[0], ipa_init(limit), pa_init(HOST_PA), 1,
				 p2m_ram_rw),
			 -EINVAL);
	assert_int_equal(p2m_map(&dom[0], ipa_init(limit - PAGE_SIZE),
				 pa_init(HOST_PA), 2, p2m_ram_rw),
			 -EINVAL);
	assert_int_equal(p2m_map(&dom[0], ipa_init(~0ULL << PAGE_SHIFT),
				 pa_init(HOST_PA), 2, p2m_ram_rw),
			 -EINVAL);
	assert_int_equal(p2m_unmap(&dom[0], ipa_init(RAM), 1ULL << 52),
			 -EINVAL);
	/* Unaligned. */
	assert_int_equal(p2m_map(&dom[0], ipa_init(RAM + 8), pa_init(HOST_PA),
				 1, p2m_ram_rw),
			 -EINVAL);
	assert_int_equal(p2m_map(&dom[0], ipa_init(RAM), pa_init(HOST_PA + 8),
				 1, p2m_ram_rw),
			 -EINVAL);
	assert_int_equal(page_pool_in_use(&dom[0].paging_pool), 0);
	/* The last page of both spaces is fine. */
	assert_int_equal(p2m_map(&dom[0], ipa_init(limit - PAGE_SIZE),
				 pa_init(limit - PAGE_SIZE), 1, p2m_ram_rw),
			 0);
	assert_true(p2m_lookup(&dom[0], ipa_init(limit - 1), NULL, NULL));
	p2m_unmap(&dom[0], ipa_init(limit - PAGE_SIZE), 1);
	gone(&dom[0]);
}

static void test_domains_are_apart(void **state)
{
	struct domain idle = {.domain_id = DOMID_IDLE};

	domu(&dom[0], 1, 8);
	domu(&dom[1], 2, 8);
	assert_int_equal(p2m_map(&dom[0], ipa_init(RAM), pa_init(HOST_PA), 1,
				 p2m_ram_rw),
			 0);
	assert_false(p2m_lookup(&dom[1], ipa_init(RAM), NULL, NULL));
	/* The idle domain has no stage 2 at all. */
	assert_false(p2m_lookup(&idle, ipa_init(RAM), NULL, NULL));
	p2m_unmap(&dom[0], ipa_init(RAM), 1);
	gone(&dom[1]);
	gone(&dom[0]);
}

/* ---- TLB maintenance --------------------------------------------------------- */

static void test_unmap_flushes_its_vmid(void **state)
{
	domu(&dom[0], 1, 8);
	domu(&dom[1], 2, 8);
	assert_int_equal(p2m_map(&dom[0], ipa_init(RAM), pa_init(HOST_PA), 4,
				 p2m_ram_rw),
			 0);
	/* pCPU runs domain 2 while domain 1's mapping goes. */
	*fake_sysreg("vttbr_el2") = dom[1].arch.p2m.vttbr;
	fake_tlbi_count = 0;
	assert_int_equal(p2m_unmap(&dom[0], ipa_init(RAM + PAGE_SIZE), 2), 0);
	assert_true(flushed(&dom[0], RAM + PAGE_SIZE, 2));
	assert_false(flushed(&dom[1], RAM, 4));
	/* Domain 2's VTTBR_EL2 is back. */
	assert_int_equal(*fake_sysreg("vttbr_el2"), dom[1].arch.p2m.vttbr);
	assert_true(p2m_lookup(&dom[0], ipa_init(RAM), NULL, NULL));
	assert_false(
		p2m_lookup(&dom[0], ipa_init(RAM + PAGE_SIZE), NULL, NULL));
	p2m_unmap(&dom[0], ipa_init(RAM), 4);
	gone(&dom[1]);
	gone(&dom[0]);
}

static void test_replace_flushes(void **state)
{
	paddr_t pa;

	domu(&dom[0], 1, 8);
	assert_int_equal(p2m_map(&dom[0], ipa_init(RAM), pa_init(HOST_PA), 1,
				 p2m_ram_rw),
			 0);
	fake_tlbi_count = 0;
	/* The guest must not keep reaching the old page through its TLB. */
	assert_int_equal(p2m_map(&dom[0], ipa_init(RAM),
				 pa_init(HOST_PA + PAGE_SIZE), 1, p2m_ram_ro),
			 0);
	assert_true(flushed(&dom[0], RAM, 1));
	assert_true(p2m_lookup(&dom[0], ipa_init(RAM), &pa, NULL));
	assert_int_equal(pa_addr(pa), HOST_PA + PAGE_SIZE);
	p2m_unmap(&dom[0], ipa_init(RAM), 1);
	gone(&dom[0]);
}

static void test_large_unmap_flushes_vmid(void **state)
{
	domu(&dom[0], 1, 8);
	assert_int_equal(p2m_map(&dom[0], ipa_init(RAM), pa_init(HOST_PA), 512,
				 p2m_ram_rw),
			 0);
	fake_tlbi_count = 0;
	assert_int_equal(p2m_unmap(&dom[0], ipa_init(RAM), 512), 0);
	assert_true(flushed(&dom[0], RAM, 512));
	gone(&dom[0]);
}

static void test_destroy_flushes(void **state)
{
	struct domain *d = &dom[0];
	uint64_t vttbr;

	domu(d, 1, 8);
	assert_int_equal(
		p2m_map(d, ipa_init(RAM), pa_init(HOST_PA), 1, p2m_ram_rw), 0);
	vttbr = d->arch.p2m.vttbr;
	fake_tlbi_count = 0;
	p2m_destroy(d);
	/* Its VMID is flushed before anyone else may get it. */
	d->arch.p2m.vttbr = vttbr;
	assert_true(flushed(d, 0, 1ULL << 28));
	d->arch.p2m.vttbr = 0;
	assert_int_equal(d->arch.p2m.vmid, 0);
	assert_false(p2m_lookup(d, ipa_init(RAM), NULL, NULL));
	assert_int_equal(page_pool_in_use(&d->paging_pool), 0);
	page_pool_destroy(&d->paging_pool);
}

/* ---- the table pool ---------------------------------------------------------- */

static void test_tables_from_own_pool(void **state)
{
	uint64_t before;

	domu(&dom[0], 1, 0);
	before = live_pages;
	/* An empty pool: the guest's mapping fails, nothing changes. */
	assert_int_equal(p2m_map(&dom[0], ipa_init(RAM), pa_init(HOST_PA), 1,
				 p2m_ram_rw),
			 -ENOMEM);
	assert_false(p2m_lookup(&dom[0], ipa_init(RAM), NULL, NULL));
	assert_int_equal(live_pages, before);
	/* With pages in it, the tables come from there, not the host. */
	assert_int_equal(page_pool_resize(&dom[0].paging_pool, 4), 0);
	before = live_pages;
	assert_int_equal(p2m_map(&dom[0], ipa_init(RAM), pa_init(HOST_PA), 1,
				 p2m_ram_rw),
			 0);
	assert_int_equal(live_pages, before);
	assert_true(page_pool_in_use(&dom[0].paging_pool) > 0);
	/* Destruction gives every table back to the pool (gone checks). */
	gone(&dom[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_init_cpu),
		T(test_load),
		T(test_vmids),
		T(test_vmid_exhaustion),
		T(test_types_round_trip),
		T(test_bad_ranges),
		T(test_domains_are_apart),
		T(test_unmap_flushes_its_vmid),
		T(test_replace_flushes),
		T(test_large_unmap_flushes_vmid),
		T(test_destroy_flushes),
		T(test_tables_from_own_pool),
#undef T
	};

	return cmocka_run_group_tests_name("p2m", tests, setup_group, NULL);
}
