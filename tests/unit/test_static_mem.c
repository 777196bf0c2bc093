// SPDX-License-Identifier: MIT
/*
 * Host tests of dom0less static memory (common/boot/static_mem.c) against
 * Xen 4.17's binding (docs/misc/arm/device-tree/booting.txt, "Static
 * Allocation"; bootfdt.c reads the banks with the cells of the domain
 * node's parent, inherited): the banks a domain gets are exactly its
 * <address size> pairs; every bad one is refused with a reason and the
 * whole property with it, so that no bank is memory of another owner
 * (Orchid, the DTB, a module, a reserved region, another domain); and
 * bootmem keeps the accepted banks from the heap.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <orchid/bootmem.h>
#include <orchid/fdt.h>
#include <orchid/static_mem.h>

#include "printk_stub.h"
#include "test_data.h"

/* QEMU virt's RAM, 2 GiB at 1 GiB; Orchid's image at its start. */
#define RAM_BASE 0x40000000ULL
#define RAM_SIZE 0x80000000ULL
#define IMAGE	 0x40200000ULL
#define DTB	 0x48000000ULL
#define MODULE	 0x52000000ULL
#define RESERVED 0x5f000000ULL

/* ---- what static_mem.c and bootmem.c call -------------------------------- */

static struct {
	paddr_t pa[8];
	uint64_t nr[8];
	unsigned int n;
} marked;

void domain_mem_mark_static(paddr_t pa, uint64_t nr)
{
	marked.pa[marked.n] = pa;
	marked.nr[marked.n++] = nr;
}

const char *bootinfo_path(const struct fdt *fdt, int node,
			  char buf[BOOTINFO_PATH_LEN])
{
	if (fdt_get_path(fdt, node, buf, BOOTINFO_PATH_LEN) < 0)
		strcpy(buf, "<node>");
	return buf;
}

void page_alloc_add_range(paddr_t base, uint64_t size)
{
	(void)base;
	(void)size;
}

uint64_t page_alloc_free_bytes(void)
{
	return 1;
}

/* ---- the trees ------------------------------------------------------------ */

struct tree {
	uint8_t *blob;
	struct fdt fdt;
	struct bootinfo bi;
};

static const struct mem_region image = {{.pa = IMAGE}, 0x200000};

/*
 * Compile a tree whose /chosen has @cells (e.g. "#address-cells = <1>;")
 * and the domain nodes @domus (domU1, domU2, ... in order), then parse
 * their static memory into t->bi with QEMU's RAM, a DTB, one module and
 * one reserved region.
 */
static void parse(struct tree *t, const char *cells, const char *domus)
{
	size_t size;
	int node, n = 0;

	t->blob = test_data_dtc(&size,
				"/dts-v1/;\n/ {\n#address-cells = <2>;\n"
				"#size-cells = <2>;\nchosen {\n%s\n%s};\n};\n",
				cells, domus);
	assert_int_equal(fdt_init(&t->fdt, t->blob, size), 0);

	memset(&t->bi, 0, sizeof(t->bi));
	t->bi.mem[0] = (struct mem_region){pa_init(RAM_BASE), RAM_SIZE};
	t->bi.nr_mem = 1;
	t->bi.dtb = (struct mem_region){pa_init(DTB), 0x10000};
	t->bi.modules[0].region = (struct mem_region){pa_init(MODULE), 0x1000};
	t->bi.nr_modules = 1;
	t->bi.reserved[0] = (struct mem_region){pa_init(RESERVED), 0x100000};
	t->bi.nr_reserved = 1;
	node = fdt_path_offset(&t->fdt, "/chosen");
	for (node = fdt_first_child(&t->fdt, node); node >= 0;
	     node = fdt_next_sibling(&t->fdt, node))
		t->bi.domus[n++].node = node;
	t->bi.nr_domus = (unsigned int)n;
	printk_stub_last[0] = '\0';
	static_mem_parse(&t->bi, &t->fdt, &image);
}

static const char *two_two = "#address-cells = <2>; #size-cells = <2>;";

static void expect_bank(const struct tree *t, unsigned int dom, unsigned int i,
			uint64_t base, uint64_t size)
{
	const struct boot_static_mem *sm = &t->bi.domus[dom].smem;

	assert_true(i < sm->nr);
	assert_int_equal(pa_addr(sm->bank[i].base), base);
	assert_int_equal(sm->bank[i].size, size);
}

/* ---- the cases ---------------------------------------------------------- */

/* Two domains' banks, taken as given; a domain without any gets none. */
static void test_banks(void **state)
{
	struct tree t;

	(void)state;
	parse(&t, two_two,
	      "domU1 { xen,static-mem = <0x0 0x60000000 0x0 0x2000000"
	      " 0x0 0x70000000 0x0 0x1000000>; };\n"
	      "domU2 { memory = <0x0 0x10000>; };\n"
	      "domU3 { xen,static-mem = <0x0 0x62000000 0x0 0x4000000>; };\n");
	assert_int_equal(t.bi.domus[0].smem.nr, 2);
	expect_bank(&t, 0, 0, 0x60000000, 0x2000000);
	expect_bank(&t, 0, 1, 0x70000000, 0x1000000);
	assert_int_equal(t.bi.domus[1].smem.nr, 0);
	assert_false(t.bi.domus[1].smem.refused);
	assert_int_equal(t.bi.domus[2].smem.nr, 1);
	expect_bank(&t, 2, 0, 0x62000000, 0x4000000);
	assert_false(t.bi.domus[2].smem.refused);
	free(t.blob);
}

/* Xen 4.17's cells: /chosen's, else inherited (the root's 2 and 2). */
static void test_cells(void **state)
{
	struct tree t;

	(void)state;
	parse(&t, "#address-cells = <1>; #size-cells = <1>;",
	      "domU1 { xen,static-mem = <0x60000000 0x200000>; };\n");
	expect_bank(&t, 0, 0, 0x60000000, 0x200000);
	free(t.blob);
	parse(&t, "",
	      "domU1 { xen,static-mem = <0x0 0x60000000 0x0 0x200000>; };\n");
	expect_bank(&t, 0, 0, 0x60000000, 0x200000);
	free(t.blob);
	/* The domain node's own cells are for its children, not for it. */
	parse(&t, "#address-cells = <1>; #size-cells = <1>;",
	      "domU1 { #address-cells = <2>; #size-cells = <2>;"
	      " xen,static-mem = <0x60000000 0x200000>; };\n");
	expect_bank(&t, 0, 0, 0x60000000, 0x200000);
	free(t.blob);
}

static void expect_refused(const char *cells, const char *prop, const char *why)
{
	char domus[512];
	struct tree t;

	snprintf(domus, sizeof(domus), "domU1 { xen,static-mem = %s; };\n",
		 prop);
	parse(&t, cells, domus);
	assert_true(t.bi.domus[0].smem.refused);
	assert_int_equal(t.bi.domus[0].smem.nr, 0);
	if (!strstr(printk_stub_last, why))
		fail_msg("%s: said \"%s\", not \"%s\"", prop, printk_stub_last,
			 why);
	free(t.blob);
}

/* Each bad bank, and the property's own shape. */
static void test_refused(void **state)
{
	(void)state;
	expect_refused(two_two, "<0x0 0x60000000 0x0>", "not <address size>");
	expect_refused(two_two, "[]", "not <address size>");
	expect_refused(two_two, "<0x0 0x60000000 0x0 0x0>", "is empty");
	expect_refused(two_two, "<0x0 0x60000800 0x0 0x1000>",
		       "not page aligned");
	expect_refused(two_two, "<0x0 0x60000000 0x0 0x1800>",
		       "not page aligned");
	expect_refused(two_two, "<0xffffffff 0xfffff000 0x0 0x2000>",
		       "wraps around");
	expect_refused(two_two, "<0x0 0x10000000 0x0 0x1000>",
		       "not inside one RAM bank");
	expect_refused(two_two, "<0x0 0xbff00000 0x0 0x200000>",
		       "not inside one RAM bank");
	expect_refused(two_two, "<0x0 0x40000000 0x0 0x400000>",
		       "overlaps the hypervisor");
	expect_refused(two_two, "<0x0 0x48000000 0x0 0x1000>",
		       "overlaps the device tree");
	expect_refused(two_two, "<0x0 0x51000000 0x0 0x2000000>",
		       "overlaps a boot module");
	expect_refused(two_two, "<0x0 0x5f0ff000 0x0 0x1000>",
		       "overlaps a reserved region");
	expect_refused(two_two,
		       "<0x0 0x60000000 0x0 0x200000 0x0 0x601ff000 0x0 "
		       "0x1000>",
		       "overlaps another bank of it");
	expect_refused("#address-cells = <3>; #size-cells = <1>;",
		       "<0x0 0x0 0x60000000 0x1000>", "#address-cells");
	expect_refused("#address-cells = <1>; #size-cells = <0>;",
		       "<0x60000000>", "#address-cells");
	expect_refused("#address-cells = <1>; #size-cells = <1>;",
		       "<0x60000000 0x1000 0x60001000 0x1000 0x60002000 "
		       "0x1000 0x60003000 0x1000 0x60004000 0x1000 0x60005000 "
		       "0x1000 0x60006000 0x1000 0x60007000 0x1000 0x60008000 "
		       "0x1000>",
		       "more than 8 banks");
}

/*
 * A bank of an earlier domain is never another's; a refused domain keeps
 * nothing, so its good banks are free for the next one.
 */
static void test_other_domain(void **state)
{
	struct tree t;

	(void)state;
	parse(&t, two_two,
	      "domU1 { xen,static-mem = <0x0 0x60000000 0x0 0x200000>; };\n"
	      "domU2 { xen,static-mem = <0x0 0x601ff000 0x0 0x2000>; };\n");
	assert_int_equal(t.bi.domus[0].smem.nr, 1);
	assert_true(t.bi.domus[1].smem.refused);
	assert_non_null(
		strstr(printk_stub_last, "overlaps another domain's static"));
	assert_non_null(strstr(printk_stub_last, "/chosen/domU2"));
	free(t.blob);

	parse(&t, two_two,
	      "domU1 { xen,static-mem = <0x0 0x60000000 0x0 0x200000"
	      " 0x0 0x10000000 0x0 0x1000>; };\n"
	      "domU2 { xen,static-mem = <0x0 0x60000000 0x0 0x200000>; };\n");
	assert_true(t.bi.domus[0].smem.refused);
	assert_int_equal(t.bi.domus[0].smem.nr, 0);
	assert_false(t.bi.domus[1].smem.refused);
	expect_bank(&t, 1, 0, 0x60000000, 0x200000);
	free(t.blob);
}

/*
 * bootmem: RAM minus the image, DTB, module, reserved region and every
 * kept bank (a refused one stays RAM); the frame table marks the kept.
 */
static void test_kept_from_heap(void **state)
{
	static struct range_set free_ram;
	struct tree t;

	(void)state;
	parse(&t, two_two,
	      "domU1 { xen,static-mem = <0x0 0x60000000 0x0 0x200000>; };\n"
	      "domU2 { xen,static-mem = <0x0 0x70000000 0x0 0x0>; };\n");
	bootmem_free_ranges(&t.bi, &image, &free_ram);
	assert_true(range_set_overlaps(&free_ram, pa_init(0x5ffff000), 0x1000));
	assert_false(
		range_set_overlaps(&free_ram, pa_init(0x60000000), 0x200000));
	assert_true(range_set_overlaps(&free_ram, pa_init(0x60200000), 0x1000));
	assert_true(range_set_overlaps(&free_ram, pa_init(0x70000000), 0x1000));
	memset(&marked, 0, sizeof(marked));
	static_mem_mark(&t.bi);
	assert_int_equal(marked.n, 1);
	assert_int_equal(pa_addr(marked.pa[0]), 0x60000000);
	assert_int_equal(marked.nr[0], 0x200);
	free(t.blob);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_banks),
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_other_domain),
		cmocka_unit_test(test_kept_from_heap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
