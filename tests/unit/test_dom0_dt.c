// SPDX-License-Identifier: MIT
/*
 * Host tests of Dom0's device tree: QEMU's own virt DTBs (GICv3 and GICv2)
 * and the anchor DTB with Xen's boot modules go through dom0_dt_build, and
 * the output is read back with Orchid's parser, checked node by node
 * against what Xen 4.17's domain_build.c writes, and fed to dtc. Small
 * trees compiled here with dtc cover the cases QEMU's lack: bus
 * translation, interrupt nexuses, PPIs, passthrough, reserved memory,
 * IOMMUs. The extended-region arithmetic is tested on its own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_data.h"

#include "../../arch/arm64/dom0_dt.h"
#include <orchid/errno.h>
#include <orchid/fdt.h>

/* dtc reads the blob back without an error. */
static void assert_dtc_accepts(const uint8_t *blob, size_t size)
{
	char in[] = "/tmp/orchid-dom0dt-XXXXXX";
	char cmd[256];
	int fd = mkstemp(in);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, blob, size), (ssize_t)size);
	close(fd);
	snprintf(cmd, sizeof(cmd),
		 "dtc -q -I dtb -O dts -o /dev/null %s 2>/dev/null", in);
	assert_int_equal(system(cmd), 0);
	unlink(in);
}

/*
 * dtc's source for @blob, without the lines a golden file leaves out:
 * comments and /chosen's seeds.
 */
static char *decompile(const uint8_t *blob, size_t size)
{
	char in[] = "/tmp/orchid-dom0dt-XXXXXX";
	char cmd[256], line[4096];
	size_t len = 0, cap = 1 << 16;
	char *out = malloc(cap);
	int fd = mkstemp(in);
	FILE *p;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, blob, size), (ssize_t)size);
	close(fd);
	snprintf(cmd, sizeof(cmd), "dtc -q -I dtb -O dts %s", in);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		size_t l = strlen(line);

		if (strstr(line, "rng-seed") || strstr(line, "kaslr-seed"))
			continue;
		if (len + l + 1 > cap) {
			cap *= 2;
			out = realloc(out, cap);
		}
		memcpy(out + len, line, l + 1);
		len += l;
	}
	assert_int_equal(pclose(p), 0);
	unlink(in);
	return out;
}

static char *golden(const char *name)
{
	size_t size, i, len = 0;
	uint8_t *text = test_data_load(name, &size);
	char *out = malloc(size + 1);

	for (i = 0; i < size;) {
		size_t end = i;

		while (end < size && text[end] != '\n')
			end++;
		if (end < size)
			end++;
		if (!(end - i >= 2 && text[i] == '/' && text[i + 1] == '/')) {
			memcpy(out + len, text + i, end - i);
			len += end - i;
		}
		i = end;
	}
	out[len] = '\0';
	free(text);
	return out;
}

/* ---- reading the output ---------------------------------------------------- */

static int node_at(const struct fdt *f, const char *path)
{
	return fdt_path_offset(f, path);
}

static const uint8_t *prop(const struct fdt *f, const char *path,
			   const char *name, uint32_t *len)
{
	int node = node_at(f, path);

	if (node < 0)
		fail_msg("no node %s", path);
	return fdt_getprop(f, node, name, len);
}

static uint32_t cell(const uint8_t *p, unsigned int i)
{
	return (uint32_t)fdt_read_cells(p + 4 * i, 1);
}

static void assert_u32(const struct fdt *f, const char *path, const char *name,
		       uint32_t v)
{
	uint32_t len;
	const uint8_t *p = prop(f, path, name, &len);

	if (!p || len != 4)
		fail_msg("%s:%s missing or not one cell", path, name);
	assert_int_equal(cell(p, 0), v);
}

static void assert_cells(const struct fdt *f, const char *path,
			 const char *name, const uint32_t *v, unsigned int n)
{
	uint32_t len;
	const uint8_t *p = prop(f, path, name, &len);
	unsigned int i;

	if (!p || len != 4 * n)
		fail_msg("%s:%s: %u bytes, %u expected", path, name,
			 p ? len : 0, 4 * n);
	for (i = 0; i < n; i++)
		assert_int_equal(cell(p, i), v[i]);
}

static void assert_str(const struct fdt *f, const char *path, const char *name,
		       const char *s)
{
	const char *v = fdt_getprop_string(f, node_at(f, path), name);

	if (!v)
		fail_msg("%s:%s missing", path, name);
	assert_string_equal(v, s);
}

static void assert_no_prop(const struct fdt *f, const char *path,
			   const char *name)
{
	if (prop(f, path, name, NULL))
		fail_msg("%s:%s should be gone", path, name);
}

static void assert_strings(const struct fdt *f, const char *path,
			   const char *name, const char *const *list,
			   unsigned int n)
{
	int node = node_at(f, path);
	unsigned int i;

	for (i = 0; i < n; i++) {
		const char *s = fdt_stringlist_get(f, node, name, i);

		if (!s)
			fail_msg("%s:%s[%u] missing", path, name, i);
		assert_string_equal(s, list[i]);
	}
	assert_null(fdt_stringlist_get(f, node, name, n));
}

/* The names of the root's children, in order, joined by spaces. */
static void root_children(const struct fdt *f, char *buf, size_t size)
{
	int child;

	buf[0] = '\0';
	for (child = fdt_first_child(f, fdt_root(f)); child >= 0;
	     child = fdt_next_sibling(f, child)) {
		strncat(buf, fdt_get_name(f, child, NULL),
			size - strlen(buf) - 2);
		strncat(buf, " ", size - strlen(buf) - 1);
	}
}

static const struct dom0_dt_mmio *find_mmio(const struct dom0_dt_result *r,
					    uint64_t base)
{
	unsigned int i;

	for (i = 0; i < r->nr_mmio; i++)
		if (pa_addr(r->mmio[i].region.base) == base)
			return &r->mmio[i];
	return NULL;
}

static const struct dom0_dt_spi *find_spi(const struct dom0_dt_result *r,
					  unsigned int intid)
{
	unsigned int i;

	for (i = 0; i < r->nr_spis; i++)
		if (r->spis[i].intid == intid)
			return &r->spis[i];
	return NULL;
}

/* ---- the QEMU virt board ------------------------------------------------- */

static const struct mem_region qemu_ram[] = {
	{.base = {0x40000000}, .size = 0x80000000},
};
static const struct mem_region dom0_ram[] = {
	{.base = {0x60000000}, .size = 0x20000000},
};
static const struct dom0_dt_v2m qemu_v2m[] = {
	{.spi_base = 80, .nr_spis = 64},
};

static struct dom0_dt_params qemu_params(unsigned int nr_vcpus)
{
	return (struct dom0_dt_params){
		.mem = dom0_ram,
		.nr_mem = 1,
		.host_mem = qemu_ram,
		.nr_host_mem = 1,
		.ipa_bits = 40,
		.ext_regions = true,
		.nr_vcpus = nr_vcpus,
		.gnttab = {.base = {0x40200000}, .size = 0x40000},
		.evtchn_ppi = 16,
		.bootargs = "console=hvc0 earlycon=xenboot rdinit=/init",
		.initrd = true,
		.initrd_start = 0x68000000,
		.initrd_end = 0x68e4c1d3,
		.uart_path = "/pl011@9000000",
		.v2m = qemu_v2m,
		.nr_v2m = 1,
	};
}

struct built {
	uint8_t *host_blob;
	struct fdt host;
	uint8_t *buf;
	struct fdt out;
	struct dom0_dt_result res;
};

static void build_blob(struct built *b, uint8_t *host_blob, size_t host_size,
		       const struct dom0_dt_params *p)
{
	size_t size;
	int err;

	b->host_blob = host_blob;
	assert_int_equal(fdt_init(&b->host, host_blob, host_size), 0);
	size = dom0_dt_size_hint(&b->host, p);
	b->buf = malloc(size);
	err = dom0_dt_build(&b->host, p, b->buf, size, &b->res);
	if (err)
		fail_msg("dom0_dt_build: %d (node %d)", err, b->res.err_node);
	assert_true(b->res.size > 0 && b->res.size <= size);
	assert_int_equal(fdt_init(&b->out, b->buf, b->res.size), 0);
	assert_dtc_accepts(b->buf, b->res.size);
}

static void build_file(struct built *b, const char *file,
		       const struct dom0_dt_params *p)
{
	size_t size;
	uint8_t *blob = test_data_load(file, &size);

	build_blob(b, blob, size, p);
}

static void built_free(struct built *b)
{
	free(b->host_blob);
	free(b->buf);
}

/* What every QEMU virt Dom0 tree has, whatever the GIC. */
static void check_qemu_common(const struct built *b, unsigned int nr_vcpus)
{
	static const char *const hyp_compat[] = {"xen,xen-4.17", "xen,xen"};
	static const char *const psci_compat[] = {"arm,psci-1.0",
						  "arm,psci-0.2", "arm,psci"};
	const uint32_t hyp_reg[] = {0, 0x40200000, 0, 0x40000,
				    0, 0x40400000, 0, 0x1fc00000,
				    0, 0x80000000, 0, 0x40000000};
	const uint32_t hyp_irq[] = {1, 0, 0xf08};
	const uint32_t timer_irq[] = {1, 13, 0xf08, 1, 14, 0xf08, 1, 11, 0xf08};
	const uint32_t mem_reg[] = {0, 0x60000000, 0, 0x20000000};
	const uint32_t initrd_start[] = {0, 0x68000000};
	const uint32_t initrd_end[] = {0, 0x68e4c1d3};
	const struct fdt *f = &b->out;
	char path[64], names[4096];
	unsigned int i;
	int cpus, n, child;

	/* /hypervisor: grant table, then the two unallocated RAM ranges. */
	assert_strings(f, "/hypervisor", "compatible", hyp_compat, 2);
	assert_cells(f, "/hypervisor", "reg", hyp_reg, 12);
	assert_cells(f, "/hypervisor", "interrupts", hyp_irq, 3);
	assert_u32(f, "/hypervisor", "interrupt-parent", 0x8005);
	assert_int_equal(b->res.nr_ext, 2);

	assert_strings(f, "/psci", "compatible", psci_compat, 3);
	assert_str(f, "/psci", "method", "hvc");
	assert_u32(f, "/psci", "cpu_off", 1);
	assert_u32(f, "/psci", "cpu_on", 2);

	/* /cpus: one node per vCPU with the host CPU's compatible. */
	cpus = node_at(f, "/cpus");
	assert_true(cpus >= 0);
	assert_u32(f, "/cpus", "#address-cells", 1);
	assert_u32(f, "/cpus", "#size-cells", 0);
	n = 0;
	for (child = fdt_first_child(f, cpus); child >= 0;
	     child = fdt_next_sibling(f, child))
		n++;
	assert_int_equal(n, nr_vcpus);
	for (i = 0; i < nr_vcpus; i++) {
		snprintf(path, sizeof(path), "/cpus/cpu@%x", i);
		assert_u32(f, path, "reg", i);
		assert_str(f, path, "compatible", "arm,cortex-a57");
		assert_str(f, path, "device_type", "cpu");
		assert_str(f, path, "enable-method", "psci");
		assert_no_prop(f, path, "phandle");
	}

	/* Dom0's RAM only: QEMU has no reserved memory. */
	assert_str(f, "/memory@60000000", "device_type", "memory");
	assert_cells(f, "/memory@60000000", "reg", mem_reg, 4);

	assert_str(f, "/timer", "compatible", "arm,armv8-timer");
	assert_cells(f, "/timer", "interrupts", timer_irq, 9);
	assert_u32(f, "/timer", "interrupt-parent", 0x8005);
	assert_no_prop(f, "/timer", "always-on");

	assert_str(f, "/chosen", "bootargs",
		   "console=hvc0 earlycon=xenboot rdinit=/init");
	assert_cells(f, "/chosen", "linux,initrd-start", initrd_start, 2);
	assert_cells(f, "/chosen", "linux,initrd-end", initrd_end, 2);
	assert_no_prop(f, "/chosen", "stdout-path");
	assert_no_prop(f, "/chosen", "xen,xen-bootargs");
	assert_no_prop(f, "/chosen", "xen,dom0-bootargs");
	assert_true(prop(f, "/chosen", "kaslr-seed", NULL) != NULL);
	assert_true(fdt_first_child(f, node_at(f, "/chosen")) < 0);

	/* The root keeps its own properties. */
	assert_u32(f, "/", "interrupt-parent", 0x8005);
	assert_str(f, "/", "model", "linux,dummy-virt");
	assert_u32(f, "/", "#address-cells", 2);

	/* Dropped: UART, PMU, the host GIC/psci/memory/cpus under their names. */
	root_children(f, names, sizeof(names));
	assert_null(strstr(names, "pl011"));
	assert_null(strstr(names, "pmu"));
	assert_null(strstr(names, "intc@"));
	assert_null(strstr(names, "memory@40000000"));
	assert_non_null(strstr(names, "pcie@10000000 "));
	assert_non_null(strstr(names, "fw-cfg@9020000 "));
	assert_non_null(strstr(names, "gpio-keys "));
	assert_non_null(strstr(names, "apb-pclk "));
	assert_non_null(strstr(names, "platform-bus@c000000 "));
	/* Xen's order: host nodes, then hypervisor, psci, cpus, memory. */
	assert_non_null(strstr(names, "chosen hypervisor psci cpus "
				      "memory@60000000 "));
	for (i = 0; i < 32; i++) {
		snprintf(path, sizeof(path), "/virtio_mmio@%x",
			 0xa000000 + i * 0x200);
		assert_str(f, path, "compatible", "virtio,mmio");
	}
	assert_str(f, "/pcie@10000000", "device_type", "pci");
	assert_true(prop(f, "/pcie@10000000", "interrupt-map", NULL) != NULL);
	assert_true(prop(f, "/gpio-keys/poweroff", "gpios", NULL) != NULL);

	/* Mapped: virtio, fw-cfg, RTC, GPIO, flash, PCIe ECAM and windows. */
	for (i = 0; i < 32; i++) {
		const struct dom0_dt_mmio *m =
			find_mmio(&b->res, 0xa000000 + i * 0x200);

		assert_non_null(m);
		assert_int_equal(m->region.size, 0x200);
		assert_int_equal(m->flags, 0);
	}
	assert_non_null(find_mmio(&b->res, 0x9020000));
	assert_non_null(find_mmio(&b->res, 0x9010000));
	assert_non_null(find_mmio(&b->res, 0x9030000));
	assert_non_null(find_mmio(&b->res, 0));
	assert_non_null(find_mmio(&b->res, 0x4000000));
	assert_int_equal(find_mmio(&b->res, 0x4010000000)->region.size,
			 0x10000000);
	assert_int_equal(find_mmio(&b->res, 0x3eff0000)->region.size, 0x10000);
	assert_int_equal(find_mmio(&b->res, 0x10000000)->region.size,
			 0x2eff0000);
	assert_int_equal(find_mmio(&b->res, 0x8000000000)->region.size,
			 0x8000000000);
	/* Not mapped: the GIC, its ITS, the UART. */
	assert_null(find_mmio(&b->res, 0x8000000));
	assert_null(find_mmio(&b->res, 0x8080000));
	assert_null(find_mmio(&b->res, 0x80a0000));
	assert_null(find_mmio(&b->res, 0x9000000));

	/* Routed: virtio (edge), RTC and GPIO (level), PCI INTx (level). */
	for (i = 48; i < 80; i++) {
		assert_non_null(find_spi(&b->res, i));
		assert_int_equal(find_spi(&b->res, i)->type, 1);
	}
	assert_int_equal(find_spi(&b->res, 34)->type, 4);
	assert_int_equal(find_spi(&b->res, 39)->type, 4);
	for (i = 35; i <= 38; i++)
		assert_int_equal(find_spi(&b->res, i)->type, 4);
	assert_null(find_spi(&b->res, 33));
	assert_null(find_spi(&b->res, 32));

	assert_int_equal(b->res.gic_phandle, 0x8005);
	assert_true(b->res.initrd_start_off > 0 && b->res.initrd_end_off > 0);
}

static void test_qemu_gicv3(void **state)
{
	const uint32_t gic_reg[] = {0, 0x8000000, 0, 0x10000,
				    0, 0x80a0000, 0, 0xf60000};
	struct dom0_dt_params p = qemu_params(4);
	const struct fdt *f;
	struct built b;

	(void)state;
	build_file(&b, "virt-gic3.dtb", &p);
	f = &b.out;
	check_qemu_common(&b, 4);

	assert_int_equal(b.res.gic_version, 3);
	assert_int_equal(b.res.nr_rdist_regions, 1);
	assert_u32(f, "/interrupt-controller", "phandle", 0x8005);
	assert_str(f, "/interrupt-controller", "compatible", "arm,gic-v3");
	assert_u32(f, "/interrupt-controller", "#interrupt-cells", 3);
	assert_u32(f, "/interrupt-controller", "#address-cells", 2);
	assert_u32(f, "/interrupt-controller", "#size-cells", 2);
	assert_u32(f, "/interrupt-controller", "#redistributor-regions", 1);
	assert_cells(f, "/interrupt-controller", "reg", gic_reg, 8);
	assert_true(prop(f, "/interrupt-controller", "interrupt-controller",
			 NULL) != NULL);
	/* No maintenance interrupt, no ITS (Xen 4.17 is built without it). */
	assert_no_prop(f, "/interrupt-controller", "interrupts");
	assert_no_prop(f, "/interrupt-controller", "ranges");
	assert_true(fdt_first_child(f, node_at(f, "/interrupt-controller")) <
		    0);
	/* 32 virtio + RTC + GPIO + 4 PCI INTx. */
	assert_int_equal(b.res.nr_spis, 38);
	built_free(&b);
}

static void test_qemu_gicv2(void **state)
{
	const uint32_t gic_reg[] = {0, 0x8000000, 0, 0x10000,
				    0, 0x8010000, 0, 0x10000};
	const uint32_t v2m_reg[] = {0, 0x8020000, 0, 0x1000};
	struct dom0_dt_params p = qemu_params(4);
	const struct fdt *f;
	struct built b;
	unsigned int i;

	(void)state;
	build_file(&b, "virt-gic2.dtb", &p);
	f = &b.out;
	check_qemu_common(&b, 4);

	assert_int_equal(b.res.gic_version, 2);
	assert_u32(f, "/interrupt-controller", "phandle", 0x8005);
	assert_str(f, "/interrupt-controller", "compatible",
		   "arm,cortex-a15-gic");
	assert_cells(f, "/interrupt-controller", "reg", gic_reg, 8);
	assert_no_prop(f, "/interrupt-controller", "#redistributor-regions");
	/* The v2m frame, as gicv2m_make_dt_node writes it. */
	assert_true(prop(f, "/interrupt-controller", "ranges", NULL) != NULL);
	assert_str(f, "/interrupt-controller/v2m", "compatible",
		   "arm,gic-v2m-frame");
	assert_u32(f, "/interrupt-controller/v2m", "phandle", 0x8006);
	assert_cells(f, "/interrupt-controller/v2m", "reg", v2m_reg, 4);
	assert_u32(f, "/interrupt-controller/v2m", "arm,msi-base-spi", 80);
	assert_u32(f, "/interrupt-controller/v2m", "arm,msi-num-spis", 64);
	assert_non_null(find_mmio(&b.res, 0x8020000));
	for (i = 80; i < 144; i++)
		assert_int_equal(find_spi(&b.res, i)->type, 1);
	assert_int_equal(b.res.nr_spis, 38 + 64);
	built_free(&b);

	/* Without the frame's SPIs, no frame at all. */
	p.nr_v2m = 0;
	build_file(&b, "virt-gic2.dtb", &p);
	assert_true(node_at(&b.out, "/interrupt-controller/v2m") < 0);
	assert_no_prop(&b.out, "/interrupt-controller", "ranges");
	assert_null(find_mmio(&b.res, 0x8020000));
	assert_int_equal(b.res.nr_spis, 38);
	built_free(&b);
}

/*
 * The whole tree against what real Xen 4.17 gave Linux on the same machine
 * (tests/unit/data/dom0_dt-xen-gic*.dts.golden): the parameters are the
 * ones that Xen run had.
 */
static void check_golden(const char *host, const char *expected)
{
	struct dom0_dt_params p = qemu_params(4);
	struct built b;
	char *want, *got;

	p.bootargs = "console=hvc0 earlycon=xenboot rdinit=/init ";
	p.initrd_start = 0x68200000;
	p.initrd_end = 0x682f138a;
	p.ipa_bits = 44;
	build_file(&b, host, &p);
	want = golden(expected);
	got = decompile(b.buf, b.res.size);
	assert_string_equal(got, want);
	free(want);
	free(got);
	built_free(&b);
}

static void test_xen_golden(void **state)
{
	(void)state;
	check_golden("anchor-gic3.dtb", "dom0_dt-xen-gic3.dts.golden");
	check_golden("anchor-gic2.dtb", "dom0_dt-xen-gic2.dts.golden");
}

/* Xen's boot binding: modules and Xen's own arguments never reach Dom0. */
static void test_anchor(void **state)
{
	struct dom0_dt_params p = qemu_params(2);
	char names[4096];
	struct built b;

	(void)state;
	build_file(&b, "anchor-gic3.dtb", &p);
	check_qemu_common(&b, 2);
	root_children(&b.out, names, sizeof(names));
	assert_null(strstr(names, "module"));
	assert_true(node_at(&b.out, "/chosen/module@50000000") < 0);
	assert_u32(&b.out, "/chosen", "#address-cells", 2);
	built_free(&b);

	/* No command line given: /chosen's own bootargs, as Xen falls back. */
	p.bootargs = NULL;
	p.initrd = false;
	build_file(&b, "anchor-gic3.dtb", &p);
	assert_no_prop(&b.out, "/chosen", "bootargs");
	assert_no_prop(&b.out, "/chosen", "linux,initrd-start");
	assert_int_equal(b.res.initrd_start_off, 0);
	assert_int_equal(dom0_dt_set_initrd(b.buf, &b.res, 1, 2), -ENOENT);
	built_free(&b);
}

/* More vCPUs than AFF0 holds: Xen's affinity layout. */
static void test_vcpus(void **state)
{
	struct dom0_dt_params p = qemu_params(18);
	const uint64_t aff[] = {0x0, 0x1, 0x100};
	struct built b;

	(void)state;
	assert_int_equal(dom0_dt_vcpu_affinity(15), 0xf);
	assert_int_equal(dom0_dt_vcpu_affinity(16), 0x100);
	assert_int_equal(dom0_dt_vcpu_affinity(17), 0x101);
	build_file(&b, "virt-gic3.dtb", &p);
	assert_u32(&b.out, "/cpus/cpu@f", "reg", 0xf);
	assert_u32(&b.out, "/cpus/cpu@100", "reg", 0x100);
	assert_u32(&b.out, "/cpus/cpu@101", "reg", 0x101);
	assert_true(node_at(&b.out, "/cpus/cpu@10") < 0);
	built_free(&b);

	p.nr_vcpus = 3;
	p.vcpu_affinity = aff;
	build_file(&b, "virt-gic3.dtb", &p);
	assert_u32(&b.out, "/cpus/cpu@100", "reg", 0x100);
	built_free(&b);
}

static void test_set_initrd(void **state)
{
	struct dom0_dt_params p = qemu_params(1);
	const uint32_t start[] = {0x1, 0x23456000};
	const uint32_t end[] = {0x1, 0x23457000};
	struct built b;
	struct fdt f;

	(void)state;
	build_file(&b, "virt-gic3.dtb", &p);
	assert_int_equal(
		dom0_dt_set_initrd(b.buf, &b.res, 0x123456000, 0x123457000), 0);
	assert_int_equal(fdt_init(&f, b.buf, b.res.size), 0);
	assert_cells(&f, "/chosen", "linux,initrd-start", start, 2);
	assert_cells(&f, "/chosen", "linux,initrd-end", end, 2);
	built_free(&b);
}

/*
 * Every buffer size: too small is -ENOSPC, big enough is the same blob; an
 * exactly sized heap buffer lets ASan catch any write past its end.
 */
static void test_every_size(void **state)
{
	struct dom0_dt_params p = qemu_params(4);
	struct dom0_dt_result *res = malloc(sizeof(*res));
	size_t host_size, size, full_size;
	uint8_t *full, *host = test_data_load("virt-gic3.dtb", &host_size);
	struct fdt fdt;

	(void)state;
	assert_int_equal(fdt_init(&fdt, host, host_size), 0);
	full = malloc(host_size + 8192);
	assert_int_equal(dom0_dt_build(&fdt, &p, full, host_size + 8192, res),
			 0);
	full_size = res->size;
	for (size = 0; size <= full_size + 8; size++) {
		uint8_t *buf;
		int err;

		/* All sizes near both ends, a stride in between. */
		if (size > 256 && size + 256 < full_size && size % 61)
			continue;
		buf = malloc(size ? size : 1);
		err = dom0_dt_build(&fdt, &p, buf, size, res);
		if (size < full_size) {
			assert_int_equal(err, -ENOSPC);
		} else {
			assert_int_equal(err, 0);
			assert_int_equal(res->size, full_size);
			assert_memory_equal(buf, full, full_size);
		}
		free(buf);
	}
	free(full);
	free(host);
	free(res);
}

/* ---- trees written for the cases QEMU's lack ------------------------------ */

static const char edge_dts[] =
	"/dts-v1/;\n"
	"/ {\n"
	"  #address-cells = <2>; #size-cells = <2>;\n"
	"  compatible = \"orchid,edge\"; interrupt-parent = <&gic>;\n"
	"  aliases { serial0 = \"/uart@1000\"; rtc = \"/soc/rtc@100\"; };\n"
	"  chosen { bootargs = \"host args\"; stdout-path = \"serial0\"; };\n"
	"  memory@80000000 { device_type = \"memory\";\n"
	"    reg = <0 0x80000000 0 0x40000000>; };\n"
	"  reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"    fw@90000000 { reg = <0 0x90000000 0 0x100000>; no-map; };\n"
	"    pool { size = <0 0x100000>; };\n"
	"  };\n"
	"  cpus { #address-cells = <1>; #size-cells = <0>;\n"
	"    cpu@0 { device_type = \"cpu\"; compatible = \"arm,cortex-a53\";\n"
	"      reg = <0>; clock-frequency = <1000000000>; };\n"
	"  };\n"
	"  gic: interrupt-controller@8000000 {\n"
	"    compatible = \"arm,gic-v3\"; #interrupt-cells = <3>;\n"
	"    interrupt-controller; #address-cells = <2>; #size-cells = <2>;\n"
	"    #redistributor-regions = <2>;\n"
	"    reg = <0 0x8000000 0 0x10000>, <0 0x80a0000 0 0x40000>,\n"
	"          <0 0x90a0000 0 0x40000>;\n"
	"    interrupts = <1 9 4>; linux,phandle = <0x42>;\n"
	"  };\n"
	"  gic2: interrupt-controller@9000000 {\n"
	"    compatible = \"arm,cortex-a15-gic\"; #interrupt-cells = <3>;\n"
	"    interrupt-controller; reg = <0 0x9000000 0 0x1000>;\n"
	"  };\n"
	"  timer { compatible = \"arm,armv8-timer\"; clock-frequency = "
	"<62500000>;\n"
	"    interrupts = <1 13 4>, <1 14 4>, <1 11 4>, <1 10 4>; };\n"
	"  uart@1000 { compatible = \"arm,pl011\"; reg = <0 0x1000 0 0x1000>;\n"
	"    interrupts = <0 1 4>; };\n"
	"  soc {\n"
	"    compatible = \"simple-bus\"; #address-cells = <1>; #size-cells = "
	"<1>;\n"
	"    ranges = <0x0 0x0 0x20000000 0x100000>;\n"
	"    rtc@100 { reg = <0x100 0x10>; interrupts = <0 5 4>;\n"
	"      status = \"okay\"; clocks = <&gic>; };\n"
	"    ppidev@200 { reg = <0x200 0x10>; interrupts = <1 3 4>; };\n"
	"    pt@300 { reg = <0x300 0x10>; interrupts = <0 6 1>;\n"
	"      xen,passthrough; };\n"
	"    nexus: nexus@400 { reg = <0x400 0x10>; #interrupt-cells = <1>;\n"
	"      #address-cells = <0>; interrupt-map-mask = <0x3>;\n"
	"      interrupt-map = <0 &gic 0 0 0 20 4>, <1 &gic 0 0 0 21 1>; };\n"
	"    viamap@500 { reg = <0x500 0x10>; interrupt-parent = <&nexus>;\n"
	"      interrupts = <1>; };\n"
	"    ext@600 { reg = <0x600 0x10>;\n"
	"      interrupts-extended = <&gic 0 7 4>, <&nexus 0>; };\n"
	"    inner { compatible = \"simple-bus\"; #address-cells = <1>;\n"
	"      #size-cells = <1>; ranges = <0x0 0x1000 0x1000>;\n"
	"      deep@10 { reg = <0x10 0x8>; }; };\n"
	"    norange { #address-cells = <1>; #size-cells = <1>;\n"
	"      hidden@0 { reg = <0x0 0x8>; interrupts = <0 9 4>; }; };\n"
	"  };\n"
	"  smmu: iommu@2000000 { compatible = \"arm,mmu-500\";\n"
	"    reg = <0 0x2000000 0 0x10000>; #iommu-cells = <1>;\n"
	"    interrupts = <0 30 4>; };\n"
	"  master@3000000 { reg = <0 0x3000000 0 0x1000>; iommus = <&smmu 1>;\n"
	"    iommu-map = <0 &smmu 0 1>; dma-coherent; interrupts = <0 31 4>; "
	"};\n"
	"  pmu { compatible = \"arm,cortex-a53-pmu\"; interrupts = <1 7 4>; "
	"};\n"
	"  disabled@4000000 { reg = <0 0x4000000 0 0x1000>; status = "
	"\"disabled\";\n"
	"    interrupts = <0 40 4>; };\n"
	"};\n";

static const struct mem_region edge_ram[] = {
	{.base = {0x80000000}, .size = 0x40000000},
};
static const struct mem_region edge_dom0[] = {
	{.base = {0xa0000000}, .size = 0x10000000},
	{.base = {0xb8000000}, .size = 0x4000000},
};

static struct dom0_dt_params edge_params(void)
{
	return (struct dom0_dt_params){
		.mem = edge_dom0,
		.nr_mem = 2,
		.host_mem = edge_ram,
		.nr_host_mem = 1,
		.ext_regions = true,
		.nr_vcpus = 3,
		.gnttab = {.base = {0x80200000}, .size = 0x40000},
		.evtchn_ppi = 31,
		.uart_path = "/uart@1000",
	};
}

static void test_edge_tree(void **state)
{
	const uint32_t gic_reg[] = {0, 0x8000000, 0, 0x10000,	0, 0x80a0000,
				    0, 0x40000,	  0, 0x90a0000, 0, 0x40000};
	const uint32_t resv_reg[] = {0, 0x90000000, 0, 0x100000};
	const uint32_t mem_reg[] = {0, 0xa0000000, 0, 0x10000000,
				    0, 0xb8000000, 0, 0x4000000};
	const uint32_t hyp_irq[] = {1, 15, 0xf08};
	const uint32_t timer_irq[] = {1, 13, 0xf08, 1, 14, 0xf08, 1, 11, 0xf08};
	struct dom0_dt_params p = edge_params();
	const struct dom0_dt_mmio *m;
	const struct fdt *f;
	size_t size;
	uint8_t *blob = test_data_dtc(&size, "%s", edge_dts);
	struct built b;
	char names[4096];

	(void)state;
	build_blob(&b, blob, size, &p);
	f = &b.out;

	/* Two redistributor regions of 2 each are needed for 3 vCPUs. */
	assert_int_equal(b.res.nr_rdist_regions, 2);
	assert_cells(f, "/interrupt-controller", "reg", gic_reg, 12);
	assert_u32(f, "/interrupt-controller", "phandle", 0x42);
	assert_u32(f, "/timer", "interrupt-parent", 0x42);
	assert_u32(f, "/timer", "clock-frequency", 62500000);
	assert_cells(f, "/timer", "interrupts", timer_irq, 9);
	assert_cells(f, "/hypervisor", "interrupts", hyp_irq, 3);
	assert_u32(f, "/cpus/cpu@0", "clock-frequency", 1000000000);
	assert_u32(f, "/cpus/cpu@2", "reg", 2);

	/* Dom0's banks, then the reserved region as a second memory node. */
	assert_cells(f, "/memory@a0000000", "reg", mem_reg, 8);
	assert_cells(f, "/memory@90000000", "reg", resv_reg, 4);
	assert_true(node_at(f, "/reserved-memory/fw@90000000") >= 0);
	m = find_mmio(&b.res, 0x90000000);
	assert_non_null(m);
	assert_int_equal(m->flags, DOM0_DT_RAM);

	/* Host RAM minus gnttab, Dom0 banks, reserved: 2 MiB aligned >= 64M. */
	assert_int_equal(b.res.nr_ext, 4);
	assert_int_equal(pa_addr(b.res.ext[0].base), 0x80400000);
	assert_int_equal(b.res.ext[0].size, 0x0fc00000);
	assert_int_equal(pa_addr(b.res.ext[1].base), 0x90200000);
	assert_int_equal(b.res.ext[1].size, 0x0fe00000);
	assert_int_equal(pa_addr(b.res.ext[2].base), 0xb0000000);
	assert_int_equal(b.res.ext[2].size, 0x8000000);
	assert_int_equal(pa_addr(b.res.ext[3].base), 0xbc000000);
	assert_int_equal(b.res.ext[3].size, 0x4000000);

	/* /chosen: no command line given, so the host's; stdout-path gone. */
	assert_str(f, "/chosen", "bootargs", "host args");
	assert_no_prop(f, "/chosen", "stdout-path");
	/* /aliases verbatim, dangling serial0 included (Xen does not prune). */
	assert_str(f, "/aliases", "serial0", "/uart@1000");

	root_children(f, names, sizeof(names));
	assert_null(strstr(names, "uart@1000"));
	assert_null(strstr(names, "iommu@"));
	assert_null(strstr(names, "pmu"));
	assert_null(strstr(names, "interrupt-controller@"));
	assert_non_null(strstr(names, "disabled@4000000"));

	/* Translated through soc's and inner's ranges. */
	assert_int_equal(find_mmio(&b.res, 0x20000100)->region.size, 0x10);
	assert_non_null(find_mmio(&b.res, 0x20001010));
	/* A bus without ranges gives its children no addresses (Xen). */
	assert_null(find_mmio(&b.res, 0));
	assert_true(node_at(f, "/soc/norange/hidden@0") >= 0);
	assert_non_null(find_spi(&b.res, 41));
	/* A device with a PPI is left out whole. */
	assert_true(node_at(f, "/soc/ppidev@200") < 0);
	assert_null(find_mmio(&b.res, 0x20000200));
	/* Passed through: status disabled, permission only. */
	assert_str(f, "/soc/pt@300", "status", "disabled");
	assert_no_prop(f, "/soc/pt@300", "xen,passthrough");
	assert_int_equal(find_mmio(&b.res, 0x20000300)->flags, DOM0_DT_NOMAP);
	assert_int_equal(find_spi(&b.res, 38)->flags, DOM0_DT_NOMAP);
	assert_int_equal(find_spi(&b.res, 38)->type, 1);
	/* status moves after the other properties. */
	assert_str(f, "/soc/rtc@100", "status", "okay");
	assert_int_equal(find_spi(&b.res, 37)->type, 4);
	/* Through the nexus's interrupt-map, and interrupts-extended. */
	assert_int_equal(find_spi(&b.res, 53)->type, 1);
	assert_int_equal(find_spi(&b.res, 39)->type, 4);
	assert_int_equal(find_spi(&b.res, 52)->type, 4);
	/* The master loses its IOMMU bindings, keeps the rest. */
	assert_no_prop(f, "/master@3000000", "iommus");
	assert_no_prop(f, "/master@3000000", "iommu-map");
	assert_true(prop(f, "/master@3000000", "dma-coherent", NULL) != NULL);
	assert_null(find_mmio(&b.res, 0x2000000));
	assert_null(find_spi(&b.res, 62));
	assert_non_null(find_spi(&b.res, 63));
	/* Disabled devices are still given to Dom0, as Xen does. */
	assert_non_null(find_mmio(&b.res, 0x4000000));
	assert_non_null(find_spi(&b.res, 72));
	/* Not mapped: the UART, both GICs. */
	assert_null(find_mmio(&b.res, 0x1000));
	assert_null(find_spi(&b.res, 33));
	assert_null(find_mmio(&b.res, 0x9000000));
	built_free(&b);
}

/* Root cells of 1: addresses that do not fit are refused. */
static void test_small_cells(void **state)
{
	static const char dts[] =
		"/dts-v1/;\n"
		"/ { #address-cells = <1>; #size-cells = <1>;\n"
		"  interrupt-parent = <&gic>;\n"
		"  cpus { #address-cells = <1>; #size-cells = <0>;\n"
		"    cpu@0 { device_type = \"cpu\"; compatible = "
		"\"arm,cortex-a7\";\n"
		"      reg = <0>; }; };\n"
		"  gic: intc@2c001000 { compatible = \"arm,cortex-a15-gic\";\n"
		"    #interrupt-cells = <3>; interrupt-controller;\n"
		"    reg = <0x2c001000 0x1000>, <0x2c002000 0x2000>,\n"
		"          <0x2c004000 0x2000>, <0x2c006000 0x2000>; };\n"
		"  timer { compatible = \"arm,armv7-timer\";\n"
		"    interrupts = <1 13 0xf08>, <1 14 0xf08>, <1 11 0xf08>; "
		"};\n"
		"  dev@1c090000 { reg = <0x1c090000 0x1000>; interrupts = <0 5 "
		"4>; };\n"
		"};\n";
	const uint32_t mem_reg[] = {0x80000000, 0x10000000};
	const uint32_t gic_reg[] = {0x2c001000, 0x1000, 0x2c002000, 0x2000};
	static const struct mem_region ram[] = {
		{.base = {0x80000000}, .size = 0x40000000}};
	static const struct mem_region dom0[] = {
		{.base = {0x80000000}, .size = 0x10000000}};
	static const struct mem_region high[] = {
		{.base = {0x100000000}, .size = 0x10000000}};
	struct dom0_dt_params p = {
		.mem = dom0,
		.nr_mem = 1,
		.host_mem = ram,
		.nr_host_mem = 1,
		.nr_vcpus = 1,
		.gnttab = {.base = {0xc0000000}, .size = 0x40000},
		.evtchn_ppi = 16,
	};
	struct dom0_dt_result *res = malloc(sizeof(*res));
	size_t size;
	uint8_t *blob = test_data_dtc(&size, "%s", dts);
	uint8_t buf[8192];
	struct built b;
	struct fdt host;

	(void)state;
	build_blob(&b, blob, size, &p);
	assert_cells(&b.out, "/memory@80000000", "reg", mem_reg, 2);
	assert_cells(&b.out, "/interrupt-controller", "reg", gic_reg, 4);
	assert_int_equal(b.res.gic_version, 2);
	assert_int_equal(b.res.nr_ext, 0);
	assert_non_null(find_mmio(&b.res, 0x1c090000));
	/* No /chosen in the host: one is added for the command line. */
	p.bootargs = "x";
	built_free(&b);
	blob = test_data_dtc(&size, "%s", dts);
	build_blob(&b, blob, size, &p);
	assert_str(&b.out, "/chosen", "bootargs", "x");

	p.mem = high;
	assert_int_equal(dom0_dt_build(&b.host, &p, buf, sizeof(buf), res),
			 -ERANGE);
	built_free(&b);

	/* A compact host tree and many vCPUs: the size hint still holds. */
	p.mem = dom0;
	p.nr_vcpus = 128;
	blob = test_data_dtc(&size, "%s", dts);
	build_blob(&b, blob, size, &p);
	assert_u32(&b.out, "/cpus/cpu@70f", "reg", 0x70f);
	assert_true(b.res.size > size + 128 * 64);
	built_free(&b);
	p.nr_vcpus = 1;

	blob = test_data_dtc(&size, "%s", dts);
	assert_int_equal(fdt_init(&host, blob, size), 0);
	p.mem = dom0;
	p.evtchn_ppi = 32;
	assert_int_equal(dom0_dt_build(&host, &p, buf, sizeof(buf), res),
			 -EINVAL);
	p.evtchn_ppi = 16;
	p.nr_vcpus = 0;
	assert_int_equal(dom0_dt_build(&host, &p, buf, sizeof(buf), res),
			 -EINVAL);
	free(blob);
	free(res);
}

/* What a host tree Xen would refuse gives. */
static void test_refused(void **state)
{
	static const char no_gic[] =
		"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
		"  timer { compatible = \"arm,armv8-timer\"; }; };\n";
	static const char short_rdist[] =
		"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
		"  cpus { #address-cells = <1>; #size-cells = <0>;\n"
		"    cpu@0 { device_type = \"cpu\"; compatible = \"a\"; reg = "
		"<0>; };\n"
		"  };\n"
		"  gic: intc@0 { compatible = \"arm,gic-v3\"; #interrupt-cells "
		"= <3>;\n"
		"    interrupt-controller;\n"
		"    reg = <0 0 0 0x10000>, <0 0x100000 0 0x20000>; };\n"
		"  timer { compatible = \"arm,armv8-timer\"; interrupt-parent "
		"= <&gic>;\n"
		"    interrupts = <1 13 4>, <1 14 4>, <1 11 4>; };\n"
		"};\n";
	struct dom0_dt_params p = edge_params();
	struct dom0_dt_result *res = malloc(sizeof(*res));
	uint8_t buf[8192];
	struct fdt host;
	size_t size;
	uint8_t *blob;

	(void)state;
	blob = test_data_dtc(&size, "%s", no_gic);
	assert_int_equal(fdt_init(&host, blob, size), 0);
	assert_int_equal(dom0_dt_build(&host, &p, buf, sizeof(buf), res),
			 -ENOENT);
	free(blob);

	/* One redistributor for three vCPUs. */
	blob = test_data_dtc(&size, "%s", short_rdist);
	assert_int_equal(fdt_init(&host, blob, size), 0);
	assert_int_equal(dom0_dt_build(&host, &p, buf, sizeof(buf), res),
			 -EINVAL);
	assert_true(res->err_node > 0);
	p.nr_vcpus = 1;
	assert_int_equal(dom0_dt_build(&host, &p, buf, sizeof(buf), res), 0);
	free(blob);
	free(res);
}

/* More devices than the MMIO list holds. */
static void test_mmio_full(void **state)
{
	struct dom0_dt_params p = edge_params();
	struct dom0_dt_result *res = malloc(sizeof(*res));
	char *dts = malloc(64 * 1024);
	size_t size, len;
	uint8_t *blob, *buf;
	struct fdt host;
	unsigned int i;

	(void)state;
	len = (size_t)sprintf(dts, "%.*s",
			      (int)(strrchr(edge_dts, '}') - edge_dts),
			      edge_dts);
	for (i = 0; i < DOM0_DT_MAX_MMIO; i++)
		len += (size_t)sprintf(
			dts + len, "  d@%x { reg = <0 0x%x 0 0x100>; };\n",
			0x50000000 + i * 0x100, 0x50000000 + i * 0x100);
	strcpy(dts + len, "};\n");
	blob = test_data_dtc(&size, "%s", dts);
	buf = malloc(size + 8192);
	assert_int_equal(fdt_init(&host, blob, size), 0);
	assert_int_equal(dom0_dt_build(&host, &p, buf, size + 8192, res),
			 -ENOSPC);
	assert_true(res->err_node > 0);
	free(buf);
	free(blob);
	free(dts);
	free(res);
}

/*
 * Buses nested as deep as a DTB may go: the walk keeps no stack of its own
 * per level, and translates through every level's "ranges".
 */
static void test_deep_tree(void **state)
{
	struct dom0_dt_params p = edge_params();
	char *dts = malloc(64 * 1024);
	char path[1024] = "";
	size_t size, len;
	uint8_t *blob;
	struct built b;
	int i, levels = FDT_MAX_DEPTH - 2;

	(void)state;
	len = (size_t)sprintf(dts, "%.*s",
			      (int)(strrchr(edge_dts, '}') - edge_dts),
			      edge_dts);
	for (i = 0; i < levels; i++) {
		len += (size_t)sprintf(
			dts + len,
			"b%d { #address-cells = <1>; "
			"#size-cells = <1>; ranges = <0 %s 0x100000>;\n",
			i, i ? "0x10" : "0 0x60000000");
		sprintf(path + strlen(path), "/b%d", i);
	}
	len += (size_t)sprintf(dts + len, "dev@0 { reg = <0 0x100>; "
					  "interrupts = <0 50 4>; };\n");
	for (i = 0; i < levels; i++)
		len += (size_t)sprintf(dts + len, "};\n");
	strcpy(dts + len, "};\n");
	blob = test_data_dtc(&size, "%s", dts);
	build_blob(&b, blob, size, &p);
	strcat(path, "/dev@0");
	assert_true(node_at(&b.out, path) >= 0);
	/* Each level but the first moves the address up by 0x10. */
	assert_non_null(find_mmio(&b.res, 0x60000000 + 0x10 * (levels - 1)));
	assert_non_null(find_spi(&b.res, 82));
	/* And the nodes after the deep branch are still there. */
	assert_true(node_at(&b.out, "/hypervisor") >= 0);
	built_free(&b);
	free(dts);
}

/* A cycle of interrupt parents: Xen would spin, Orchid gives up. */
static void test_irq_cycle(void **state)
{
	static const char dts[] =
		"/dts-v1/;\n"
		"/ { #address-cells = <2>; #size-cells = <2>;\n"
		"  interrupt-parent = <&gic>;\n"
		"  cpus { #address-cells = <1>; #size-cells = <0>;\n"
		"    cpu@0 { device_type = \"cpu\"; compatible = \"a\"; reg = "
		"<0>; };\n"
		"  };\n"
		"  gic: intc@0 { compatible = \"arm,gic-v3\"; #interrupt-cells "
		"= <3>;\n"
		"    interrupt-controller;\n"
		"    reg = <0 0 0 0x10000>, <0 0x100000 0 0x100000>; };\n"
		"  timer { compatible = \"arm,armv8-timer\";\n"
		"    interrupts = <1 13 4>, <1 14 4>, <1 11 4>; };\n"
		"  a: a { interrupt-parent = <&b>; };\n"
		"  b: b { interrupt-parent = <&a>; };\n"
		"  dev@1000 { reg = <0 0x1000 0 0x100>; interrupt-parent = "
		"<&a>;\n"
		"    interrupts = <5>; };\n"
		"};\n";
	struct dom0_dt_params p = edge_params();
	struct dom0_dt_result *res = malloc(sizeof(*res));
	uint8_t buf[8192];
	struct fdt host;
	size_t size;
	uint8_t *blob = test_data_dtc(&size, "%s", dts);

	(void)state;
	p.nr_vcpus = 1;
	assert_int_equal(fdt_init(&host, blob, size), 0);
	/* No parent found: no interrupts, the device is kept and mapped. */
	assert_int_equal(dom0_dt_build(&host, &p, buf, sizeof(buf), res), 0);
	assert_non_null(find_mmio(res, 0x1000));
	free(blob);
	free(res);
}

static uint64_t prng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t prng(void)
{
	prng_state ^= prng_state << 13;
	prng_state ^= prng_state >> 7;
	prng_state ^= prng_state << 17;
	return prng_state;
}

/*
 * Byte flips over the anchor DTB: whatever fdt_init accepts, the builder
 * either refuses or writes a tree fdt_init accepts, and ASan sees no
 * access outside the exactly sized blobs.
 */
static void test_fuzz(void **state)
{
	struct dom0_dt_params p = qemu_params(4);
	struct dom0_dt_result *res = malloc(sizeof(*res));
	unsigned int iter, k, accepted = 0, built = 0;
	size_t size;
	uint8_t *blob = test_data_load("anchor-gic3.dtb", &size);
	uint8_t *out = malloc(size + 8192);

	(void)state;
	for (iter = 0; iter < 1500; iter++) {
		uint8_t *copy = malloc(size);
		unsigned int flips = 1 + prng() % 3;
		struct fdt host, fdt;

		memcpy(copy, blob, size);
		for (k = 0; k < flips; k++) {
			uint64_t r = prng();
			size_t pos = 0x38 + (r >> 8) % (size - 0x38);

			if (r & 1)
				copy[pos] ^= 1u << ((r >> 4) & 7);
			else
				copy[pos] = (uint8_t)(r >> 40);
		}
		if (fdt_init(&host, copy, size) == 0) {
			accepted++;
			if (dom0_dt_build(&host, &p, out, size + 8192, res) ==
			    0) {
				built++;
				assert_int_equal(fdt_init(&fdt, out, res->size),
						 0);
			}
		}
		free(copy);
	}
	print_message("fuzz: %u of 1500 accepted, %u of those built\n",
		      accepted, built);
	assert_true(accepted > 100 && built > 50);
	free(out);
	free(blob);
	free(res);
}

/* ---- extended regions ------------------------------------------------------ */

static void test_ext_regions(void **state)
{
	static const struct mem_region ram[] = {
		{.base = {0x40000000}, .size = 0x80000000},
		{.base = {0x800000000}, .size = 0x80000000},
	};
	static const struct mem_region dom0[] = {
		{.base = {0x48000000}, .size = 0x20000000},
		{.base = {0x800000000}, .size = 0x100000},
	};
	static const struct mem_region small[] = {
		/* Leaves 0x40100000-0x44100000: 64 MiB, yet 63 once aligned. */
		{.base = {0x40000000}, .size = 0x100000},
		{.base = {0x44100000}, .size = 0x3bf00000},
	};
	const struct mem_region_list used[] = {{dom0, 2}};
	const struct mem_region_list used_small[] = {{small, 2}};
	struct mem_region out[8];
	int n;

	(void)state;
	n = dom0_dt_find_ext_regions(ram, 2, used, 1, 0, out, 8);
	assert_int_equal(n, 3);
	assert_int_equal(pa_addr(out[0].base), 0x40000000);
	assert_int_equal(out[0].size, 0x8000000);
	assert_int_equal(pa_addr(out[1].base), 0x68000000);
	assert_int_equal(out[1].size, 0x58000000);
	/* Start rounded up to 2 MiB, size down. */
	assert_int_equal(pa_addr(out[2].base), 0x800200000);
	assert_int_equal(out[2].size, 0x7fe00000);

	/* Capped to the IPA size. */
	n = dom0_dt_find_ext_regions(ram, 2, used, 1, 32, out, 8);
	assert_int_equal(n, 2);
	/* At most @max, silently. */
	n = dom0_dt_find_ext_regions(ram, 2, used, 1, 0, out, 1);
	assert_int_equal(n, 1);
	assert_int_equal(pa_addr(out[0].base), 0x40000000);
	/* Below 64 MiB after alignment: dropped. */
	n = dom0_dt_find_ext_regions(ram, 1, used_small, 1, 0, out, 8);
	assert_int_equal(n, 1);
	assert_int_equal(pa_addr(out[0].base), 0x80000000);
	/* Exactly 64 MiB, aligned: kept. */
	{
		const struct mem_region r[] = {
			{.base = {0x40000000}, .size = 0x4000000}};

		assert_int_equal(
			dom0_dt_find_ext_regions(r, 1, NULL, 0, 0, out, 8), 1);
		assert_int_equal(out[0].size, 0x4000000);
	}
	/* Nothing left. */
	assert_int_equal(dom0_dt_find_ext_regions(ram, 0, used, 1, 0, out, 8),
			 0);
	/* A range wrapping around the address space. */
	{
		const struct mem_region bad[] = {
			{.base = {0xfffffffffff00000}, .size = 0x200000}};

		assert_int_equal(
			dom0_dt_find_ext_regions(bad, 1, NULL, 0, 0, out, 8),
			-EINVAL);
	}
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_gicv3),
		cmocka_unit_test(test_qemu_gicv2),
		cmocka_unit_test(test_anchor),
		cmocka_unit_test(test_xen_golden),
		cmocka_unit_test(test_vcpus),
		cmocka_unit_test(test_set_initrd),
		cmocka_unit_test(test_every_size),
		cmocka_unit_test(test_edge_tree),
		cmocka_unit_test(test_small_cells),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_mmio_full),
		cmocka_unit_test(test_deep_tree),
		cmocka_unit_test(test_irq_cycle),
		cmocka_unit_test(test_fuzz),
		cmocka_unit_test(test_ext_regions),
	};

	(void)argc;
	test_data_set_dir(argv[0]);
	return cmocka_run_group_tests_name("dom0_dt", tests, NULL, NULL);
}
