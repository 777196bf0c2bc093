// SPDX-License-Identifier: MIT
/*
 * Host tests of a dom0less DomU's device tree: built for QEMU's virt DTB
 * (whose CPU compatible it takes), read back with Orchid's parser and
 * checked node by node against what Xen 4.17's prepare_dtb_domU writes;
 * partial device trees compiled here with dtc; every buffer size.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_data.h"

#include "../../arch/arm64/domu_dt.h"
#include <orchid/errno.h>
#include <orchid/fdt.h>

#define BUF_SIZE 65536

static const struct mem_region ram = {{0x40000000}, 64 << 20};

static struct domu_dt_params params(void)
{
	struct domu_dt_params p = {
		.mem = &ram,
		.nr_mem = 1,
		.nr_vcpus = 2,
		.gic_version = 3,
		.vpl011 = true,
		.bootargs = "console=ttyAMA0",
		.initrd = true,
		.initrd_start = 0x40a00000,
		.initrd_end = 0x40b00000,
	};

	return p;
}

struct built {
	uint8_t *host_blob, *buf;
	struct fdt host, out;
	long size;
};

static void build(struct built *b, const struct domu_dt_params *p)
{
	size_t host_size;

	b->host_blob = test_data_load("virt-gic3.dtb", &host_size);
	assert_int_equal(fdt_init(&b->host, b->host_blob, host_size), 0);
	b->buf = malloc(BUF_SIZE);
	b->size = domu_dt_build(&b->host, p, b->buf, BUF_SIZE);
	if (b->size > 0)
		assert_int_equal(fdt_init(&b->out, b->buf, (size_t)b->size), 0);
}

static void built_free(struct built *b)
{
	free(b->host_blob);
	free(b->buf);
}

static const uint8_t *prop(const struct fdt *f, const char *path,
			   const char *name, uint32_t *len)
{
	int node = fdt_path_offset(f, path);

	if (node < 0)
		fail_msg("no node %s", path);
	return fdt_getprop(f, node, name, len);
}

static void assert_cells(const struct fdt *f, const char *path,
			 const char *name, const uint32_t *v, unsigned int n)
{
	uint32_t len;
	const uint8_t *p = prop(f, path, name, &len);

	if (!p || len != 4 * n)
		fail_msg("%s:%s: %u bytes, %u expected", path, name,
			 p ? len : 0, 4 * n);
	for (unsigned int i = 0; i < n; i++)
		assert_int_equal((uint32_t)fdt_read_cells(p + 4 * i, 1), v[i]);
}

static void assert_u32(const struct fdt *f, const char *path, const char *name,
		       uint32_t v)
{
	assert_cells(f, path, name, &v, 1);
}

static void assert_str(const struct fdt *f, const char *path, const char *name,
		       const char *s)
{
	const char *v = fdt_getprop_string(f, fdt_path_offset(f, path), name);

	if (!v)
		fail_msg("%s:%s missing", path, name);
	assert_string_equal(v, s);
}

static void test_gicv3_vpl011(void **state)
{
	struct domu_dt_params p = params();
	static const uint32_t mem[] = {0, 0x40000000, 0, 0x4000000};
	static const uint32_t gic[] = {0, 0x3001000, 0, 0x10000,
				       0, 0x3020000, 0, 0x1000000};
	/* Secure, non-secure physical, virtual, hypervisor: level low. */
	static const uint32_t timer[] = {1, 13, 0xf08, 1, 14, 0xf08,
					 1, 11, 0xf08, 1, 10, 0xf08};
	static const uint32_t uart_reg[] = {0, 0x22000000, 0, 0x1000};
	static const uint32_t uart_irq[] = {0, 0, 0xf04}; /* SPI 32, high */
	static const uint32_t initrd[] = {0, 0x40a00000};
	struct built b;

	(void)state;
	build(&b, &p);
	assert_true(b.size > 0);
	assert_u32(&b.out, "/", "#address-cells", 2);
	assert_u32(&b.out, "/", "#size-cells", 2);
	assert_u32(&b.out, "/", "interrupt-parent", DOMU_DT_GIC_PHANDLE);
	assert_null(prop(&b.out, "/", "compatible", NULL));
	assert_str(&b.out, "/chosen", "bootargs", "console=ttyAMA0");
	assert_cells(&b.out, "/chosen", "linux,initrd-start", initrd, 2);
	assert_str(&b.out, "/cpus/cpu@0", "compatible", "arm,cortex-a57");
	assert_u32(&b.out, "/cpus/cpu@1", "reg", 1);
	assert_str(&b.out, "/cpus/cpu@1", "enable-method", "psci");
	assert_true(fdt_path_offset(&b.out, "/cpus/cpu@2") < 0);
	assert_str(&b.out, "/psci", "method", "hvc");
	assert_str(&b.out, "/memory@40000000", "device_type", "memory");
	assert_cells(&b.out, "/memory@40000000", "reg", mem, 4);
	assert_str(&b.out, "/interrupt-controller@3001000", "compatible",
		   "arm,gic-v3");
	assert_cells(&b.out, "/interrupt-controller@3001000", "reg", gic, 8);
	assert_u32(&b.out, "/interrupt-controller@3001000", "phandle",
		   DOMU_DT_GIC_PHANDLE);
	assert_cells(&b.out, "/timer", "interrupts", timer, 12);
	assert_str(&b.out, "/sbsa-uart@22000000", "compatible",
		   "arm,sbsa-uart");
	assert_cells(&b.out, "/sbsa-uart@22000000", "reg", uart_reg, 4);
	assert_cells(&b.out, "/sbsa-uart@22000000", "interrupts", uart_irq, 3);
	assert_u32(&b.out, "/sbsa-uart@22000000", "current-speed", 115200);
	/* No xen,enhanced: no /hypervisor, as Xen 4.17. */
	assert_true(fdt_path_offset(&b.out, "/hypervisor") < 0);
	built_free(&b);
}

static void test_gicv2_no_vpl011(void **state)
{
	struct domu_dt_params p = params();
	static const uint32_t gic[] = {0, 0x3001000, 0, 0x1000,
				       0, 0x3002000, 0, 0x2000};
	struct built b;

	(void)state;
	p.gic_version = 2;
	p.vpl011 = false;
	p.bootargs = NULL;
	p.initrd = false;
	build(&b, &p);
	assert_true(b.size > 0);
	assert_str(&b.out, "/interrupt-controller@3001000", "compatible",
		   "arm,gic-400");
	assert_cells(&b.out, "/interrupt-controller@3001000", "reg", gic, 8);
	assert_true(fdt_path_offset(&b.out, "/sbsa-uart@22000000") < 0);
	assert_null(prop(&b.out, "/chosen", "bootargs", NULL));
	assert_null(prop(&b.out, "/chosen", "linux,initrd-start", NULL));
	built_free(&b);
}

/*
 * xen,enhanced read as Xen 4.17's construct_domU reads it (through
 * dt_property_read_string): no value, "enabled" or bytes that are no
 * string enable everything; "no-xenstore" only /hypervisor; any other
 * string, or no property, nothing.
 */
static void test_enhanced_parse(void **state)
{
	static const char src[] =
		"/dts-v1/; / { plain { }; empty { xen,enhanced; }; "
		"enabled { xen,enhanced = \"enabled\"; }; "
		"noxs { xen,enhanced = \"no-xenstore\"; }; "
		"other { xen,enhanced = \"disabled\"; }; "
		"nostring { xen,enhanced = <0x41424344>; }; "
		"leadingnul { xen,enhanced = <0x1>; }; };";
	static const struct {
		const char *path;
		enum domu_enhanced want;
	} cases[] = {
		{"/plain", DOMU_ENHANCED_NONE},
		{"/empty", DOMU_ENHANCED_FULL},
		{"/enabled", DOMU_ENHANCED_FULL},
		{"/noxs", DOMU_ENHANCED_NO_XENSTORE},
		{"/other", DOMU_ENHANCED_NONE},
		{"/nostring", DOMU_ENHANCED_FULL},   /* -EILSEQ */
		{"/leadingnul", DOMU_ENHANCED_NONE}, /* the string "" */
	};
	size_t size;
	uint8_t *blob = test_data_dtc(&size, "%s", src);
	struct fdt f;

	(void)state;
	assert_int_equal(fdt_init(&f, blob, size), 0);
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int node = fdt_path_offset(&f, cases[i].path);

		assert_true(node >= 0);
		if (domu_dt_enhanced(&f, node) != cases[i].want)
			fail_msg("%s: %d, %d expected", cases[i].path,
				 domu_dt_enhanced(&f, node), cases[i].want);
	}
	free(blob);
}

/*
 * An enhanced DomU's /hypervisor as Xen's make_hypervisor_node: the grant
 * table window, then find_domU_holes' extended regions (past the RAM in
 * bank 0, 2 MiB aligned; bank 1 cut at 2^ipa_bits, dropped under
 * 64 MiB), and PPI 31 level low on every CPU.
 */
static void test_hypervisor_node(void **state)
{
	static const struct {
		unsigned int ipa_bits;
		unsigned int nr;
		uint32_t reg[12];
	} cases[] = {
		/* 40 bits and more: bank 1 whole (0x2_0000_0000 + 0xfe_...). */
		{44,
		 12,
		 {0, 0x38000000, 0, 0x1000000, 0, 0x44000000, 0, 0xbc000000, 2,
		  0, 0xfe, 0}},
		{36,
		 12,
		 {0, 0x38000000, 0, 0x1000000, 0, 0x44000000, 0, 0xbc000000, 2,
		  0, 0xe, 0}},
		/* Bank 1 is past 2^33: only bank 0's hole. */
		{33,
		 8,
		 {0, 0x38000000, 0, 0x1000000, 0, 0x44000000, 0, 0xbc000000}},
	};
	static const uint32_t irq[] = {1, 15, 0xf08};
	const char *const compat = "xen,xen-4.17\0xen,xen";
	uint32_t len;

	(void)state;
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct domu_dt_params p = params();
		const uint8_t *c;
		struct built b;

		p.hypervisor = true;
		p.ipa_bits = cases[i].ipa_bits;
		p.evtchn_ppi = 31;
		build(&b, &p);
		assert_true(b.size > 0);
		c = prop(&b.out, "/hypervisor", "compatible", &len);
		assert_int_equal(len, 21);
		assert_memory_equal(c, compat, 21);
		assert_cells(&b.out, "/hypervisor", "reg", cases[i].reg,
			     cases[i].nr);
		assert_cells(&b.out, "/hypervisor", "interrupts", irq, 3);
		assert_u32(&b.out, "/hypervisor", "interrupt-parent",
			   DOMU_DT_GIC_PHANDLE);
		built_free(&b);
	}
}

/* RAM up to a size that is no 2 MiB multiple: the hole starts aligned. */
static void test_hypervisor_unaligned_ram(void **state)
{
	static const struct mem_region odd = {{0x40000000}, (64 << 20) + 4096};
	static const uint32_t reg[] = {0, 0x38000000, 0, 0x1000000,
				       0, 0x44200000, 0, 0xbbe00000};
	struct domu_dt_params p = params();
	struct built b;

	(void)state;
	p.mem = &odd;
	p.hypervisor = true;
	p.ipa_bits = 32;
	p.evtchn_ppi = 31;
	build(&b, &p);
	assert_true(b.size > 0);
	assert_cells(&b.out, "/hypervisor", "reg", reg, 8);
	built_free(&b);
}

static const char partial_ok[] =
	"/dts-v1/;\n"
	"/ {\n"
	"  #address-cells = <2>; #size-cells = <2>;\n"
	"  aliases { serial0 = \"/sbsa-uart@22000000\"; };\n"
	"  ignored { foo = <1>; };\n"
	"  passthrough {\n"
	"    compatible = \"simple-bus\"; ranges;\n"
	"    #address-cells = <2>; #size-cells = <2>;\n"
	"    clk { compatible = \"fixed-clock\"; #clock-cells = <0>;\n"
	"          clock-frequency = <24000000>;\n"
	"          xen,force-assign-without-iommu;\n"
	"          sub { marker = \"deep\"; }; };\n"
	"  };\n"
	"};\n";

static void test_partial(void **state)
{
	struct domu_dt_params p = params();
	size_t size;
	uint8_t *blob = test_data_dtc(&size, "%s", partial_ok);
	struct fdt pfdt;
	struct built b;

	(void)state;
	assert_int_equal(fdt_init(&pfdt, blob, size), 0);
	p.partial = &pfdt;
	build(&b, &p);
	assert_true(b.size > 0);
	/* /passthrough's children land at the root, xen,* left out. */
	assert_str(&b.out, "/clk", "compatible", "fixed-clock");
	assert_u32(&b.out, "/clk", "clock-frequency", 24000000);
	assert_null(
		prop(&b.out, "/clk", "xen,force-assign-without-iommu", NULL));
	assert_str(&b.out, "/clk/sub", "marker", "deep");
	assert_str(&b.out, "/aliases", "serial0", "/sbsa-uart@22000000");
	assert_true(fdt_path_offset(&b.out, "/passthrough") < 0);
	assert_true(fdt_path_offset(&b.out, "/ignored") < 0);
	built_free(&b);
	free(blob);
}

/*
 * A passed-through device's node is copied with its interrupts and without
 * the "xen," properties (the mapping is dom0less_passthrough.c's, before).
 */
static void test_partial_passthrough_node(void **state)
{
	static const char src[] =
		"/dts-v1/; / { passthrough { #address-cells = <2>; "
		"#size-cells = <2>; virtio@a003e00 { compatible = "
		"\"virtio,mmio\"; reg = <0 0xa003e00 0 0x200>; interrupts = "
		"<0 47 1>; xen,reg = <0 0xa003000 0 0x1000 0 0xa003000>; "
		"xen,path = \"/virtio_mmio@a003e00\"; "
		"xen,force-assign-without-iommu; }; }; };";
	struct domu_dt_params p = params();
	size_t size;
	uint8_t *blob = test_data_dtc(&size, "%s", src);
	const char *node = "/virtio@a003e00";
	uint32_t len;
	struct fdt pfdt;
	struct built b;

	(void)state;
	assert_int_equal(fdt_init(&pfdt, blob, size), 0);
	p.partial = &pfdt;
	build(&b, &p);
	assert_true(b.size > 0);
	assert_str(&b.out, node, "compatible", "virtio,mmio");
	assert_non_null(prop(&b.out, node, "interrupts", &len));
	assert_int_equal(len, 12);
	assert_null(prop(&b.out, node, "xen,reg", NULL));
	assert_null(prop(&b.out, node, "xen,path", NULL));
	assert_null(prop(&b.out, node, "xen,force-assign-without-iommu", NULL));
	built_free(&b);
	free(blob);
}

/* /passthrough's cells must be the root's (2 and 2), as in Xen. */
static void test_partial_refused(void **state)
{
	static const char bad[] =
		"/dts-v1/; / { passthrough { #address-cells = "
		"<1>; #size-cells = <1>; dev { }; }; };";
	struct domu_dt_params p = params();
	size_t size;
	uint8_t *blob = test_data_dtc(&size, "%s", bad);
	struct fdt pfdt;
	struct built b;

	(void)state;
	assert_int_equal(fdt_init(&pfdt, blob, size), 0);
	p.partial = &pfdt;
	build(&b, &p);
	assert_int_equal(b.size, -EINVAL);
	built_free(&b);
	free(blob);
}

/* Too small a buffer is -ENOSPC at every size, never a write past it. */
static void test_every_size(void **state)
{
	struct domu_dt_params p = params();
	struct built full;

	(void)state;
	build(&full, &p);
	assert_true(full.size > 0);
	for (long size = 0; size <= full.size + 8; size++) {
		uint8_t *buf = malloc(size ? (size_t)size : 1);
		long got = domu_dt_build(&full.host, &p, buf, (size_t)size);

		assert_int_equal(got, size < full.size ? -ENOSPC : full.size);
		if (got > 0)
			assert_memory_equal(buf, full.buf, (size_t)got);
		free(buf);
	}
	built_free(&full);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gicv3_vpl011),
		cmocka_unit_test(test_gicv2_no_vpl011),
		cmocka_unit_test(test_enhanced_parse),
		cmocka_unit_test(test_hypervisor_node),
		cmocka_unit_test(test_hypervisor_unaligned_ram),
		cmocka_unit_test(test_partial),
		cmocka_unit_test(test_partial_passthrough_node),
		cmocka_unit_test(test_partial_refused),
		cmocka_unit_test(test_every_size),
	};

	(void)argc;
	test_data_set_dir(argv[0]);
	return cmocka_run_group_tests_name("domu_dt", tests, NULL, NULL);
}
