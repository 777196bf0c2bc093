// SPDX-License-Identifier: MIT
/*
 * Host tests of bootinfo_parse: the values QEMU's virt board and the Xen
 * anchor's DTB must yield, the bindings' corners in hand-written trees, a
 * clear panic for every tree Orchid cannot boot from, and byte flips of a
 * real DTB that must end in a result or a panic, never in a crash.
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

#include <asm/fake.h>
#include <orchid/bootinfo.h>
#include <orchid/printk.h>

/* ---- printk stubs: count the warnings, keep the last one ------------------- */

static unsigned int nr_warnings;
static char last_warning[256];

void pr_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_warning, sizeof(last_warning), fmt, ap);
	va_end(ap);
	nr_warnings++;
}

/* ---- test data --------------------------------------------------------------- */

/* Load, validate and parse @name; warnings are counted from here. */
static uint8_t *parse(const char *name, struct fdt *fdt, struct bootinfo *bi)
{
	size_t size;
	uint8_t *blob = test_data_load(name, &size);
	int err = fdt_init(fdt, blob, size);

	if (err)
		fail_msg("%s: %s", name, fdt_strerror(err));
	nr_warnings = 0;
	last_warning[0] = '\0';
	bootinfo_parse(bi, fdt);
	return blob;
}

static void assert_region(const struct mem_region *r, uint64_t base,
			  uint64_t size)
{
	assert_int_equal(pa_addr(r->base), base);
	assert_int_equal(r->size, size);
}

/* ---- QEMU's virt board ------------------------------------------------------ */

static void check_qemu_common(const struct bootinfo *bi)
{
	unsigned int i;

	assert_int_equal(bi->nr_mem, 1);
	assert_region(&bi->mem[0], 0x40000000, 2ull << 30);
	assert_int_equal(bi->nr_reserved, 0);

	assert_int_equal(bi->nr_cpus, 4);
	assert_int_equal(bi->nr_cpus_found, 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(bi->cpu_mpidr[i], i);

	assert_int_equal(bi->timer.irq_sec_phys, 29);
	assert_int_equal(bi->timer.irq_phys, 30);
	assert_int_equal(bi->timer.irq_virt, 27);
	assert_int_equal(bi->timer.irq_hyp, 26);
	assert_int_equal(bi->timer.clock_frequency, 0);

	/* With virtualization=on the guest owns EL2, so PSCI goes to EL3. */
	assert_int_equal(bi->psci_method, PSCI_METHOD_SMC);
	assert_int_equal(bi->psci_cpu_on, 0xc4000003);

	assert_string_equal(bi->uart.path, "/pl011@9000000");
	assert_region(&bi->uart.region, 0x09000000, 0x1000);
	assert_string_equal(bi->uart.compatible, "arm,pl011");
	assert_int_equal(bi->uart.irq, 33);

	assert_int_equal(bi->gic.maint_irq, 25);
}

static void test_qemu_gicv3(void **state)
{
	struct bootinfo bi;
	struct fdt fdt;
	uint8_t *blob = parse("virt-gic3.dtb", &fdt, &bi);

	check_qemu_common(&bi);
	assert_int_equal(bi.gic.version, 3);
	assert_region(&bi.gic.dist, 0x08000000, 0x10000);
	assert_int_equal(bi.gic.nr_redist, 1);
	assert_region(&bi.gic.redist[0], 0x080a0000, 0xf60000);
	assert_int_equal(bi.gic.redist_stride, 0);
	assert_int_equal(bi.gic.cpu.size, 0);
	assert_int_equal(bi.gic.hyp.size, 0);
	assert_int_equal(bi.gic.vcpu.size, 0);

	/* No Xen additions in QEMU's own /chosen. */
	assert_null(bi.xen_bootargs);
	assert_null(bi.dom0_bootargs);
	assert_int_equal(bi.nr_modules, 0);
	assert_null(bootinfo_module(&bi, BOOTMOD_KERNEL));

	assert_ptr_equal((void *)(uintptr_t)pa_addr(bi.dtb.base), blob);
	assert_int_equal(bi.dtb.size, 0x100000);
	assert_int_equal(nr_warnings, 0);
	free(blob);
}

static void test_qemu_gicv2(void **state)
{
	struct bootinfo bi;
	struct fdt fdt;
	uint8_t *blob = parse("virt-gic2.dtb", &fdt, &bi);

	check_qemu_common(&bi);
	assert_int_equal(bi.gic.version, 2);
	assert_region(&bi.gic.dist, 0x08000000, 0x10000);
	assert_region(&bi.gic.cpu, 0x08010000, 0x10000);
	assert_region(&bi.gic.hyp, 0x08030000, 0x10000);
	assert_region(&bi.gic.vcpu, 0x08040000, 0x10000);
	assert_int_equal(bi.gic.nr_redist, 0);
	assert_int_equal(nr_warnings, 0);
	free(blob);
}

/* The DTB the Xen anchor boots with: QEMU's plus Xen's /chosen. */
static void test_anchor(void **state)
{
	struct bootinfo bi;
	struct fdt fdt;
	uint8_t *blob = parse("anchor-gic3.dtb", &fdt, &bi);
	const struct boot_module *kernel, *ramdisk;

	check_qemu_common(&bi);
	assert_int_equal(bi.gic.version, 3);
	assert_string_equal(
		bi.xen_bootargs,
		"console=dtuart dtuart=/pl011@9000000 dom0_mem=512M");
	assert_string_equal(bi.dom0_bootargs,
			    "console=hvc0 earlycon=xenboot rdinit=/init");

	assert_int_equal(bi.nr_modules, 2);
	kernel = bootinfo_module(&bi, BOOTMOD_KERNEL);
	assert_ptr_equal(kernel, &bi.modules[0]);
	assert_region(&kernel->region, 0x50000000, 0x1e3a200);
	assert_null(kernel->bootargs);
	ramdisk = bootinfo_module(&bi, BOOTMOD_RAMDISK);
	assert_ptr_equal(ramdisk, &bi.modules[1]);
	assert_region(&ramdisk->region, 0x54000000, 0xe4c1d3);
	assert_null(bootinfo_module(&bi, BOOTMOD_OTHER));

	assert_ptr_equal((void *)(uintptr_t)pa_addr(bi.dtb.base), blob);
	assert_int_equal(bi.dtb.size, fdt.size);
	assert_int_equal(nr_warnings, 0);
	free(blob);
}

/* ---- hand-written trees ----------------------------------------------------- */

static void test_mini(void **state)
{
	struct bootinfo bi;
	struct fdt fdt;
	uint8_t *blob = parse("mini.dtb", &fdt, &bi);

	assert_int_equal(bi.nr_mem, 1);
	assert_int_equal(bi.nr_cpus, 1);
	assert_int_equal(bi.gic.version, 3);
	assert_int_equal(bi.gic.maint_irq, 0);
	/* No timer, no PSCI, no console, no command line. */
	assert_int_equal(bi.timer.irq_hyp, 0);
	assert_int_equal(bi.psci_method, PSCI_METHOD_NONE);
	assert_int_equal(bi.uart.region.size, 0);
	assert_string_equal(bi.uart.path, "");
	assert_null(bi.xen_bootargs);
	assert_int_equal(nr_warnings, 2);
	free(blob);
}

static void test_edge_cells1(void **state)
{
	struct bootinfo bi;
	struct fdt fdt;
	uint8_t *blob = parse("edge-cells1.dtb", &fdt, &bi);

	/* The empty bank and the disabled node are skipped. */
	assert_int_equal(bi.nr_mem, 3);
	assert_region(&bi.mem[0], 0x80000000, 0x40000000);
	assert_region(&bi.mem[1], 0xd0000000, 0x1000000);
	assert_region(&bi.mem[2], 0xe0000000, 0x10000000);

	/* /memreserve/ first, then /reserved-memory children with a reg. */
	assert_int_equal(bi.nr_reserved, 5);
	assert_region(&bi.reserved[0], 0x80000000, 0x10000);
	assert_region(&bi.reserved[1], 0x81000000, 0x2000);
	assert_region(&bi.reserved[2], 0xa0000000, 0x200000);
	assert_region(&bi.reserved[3], 0xa1000000, 0x1000);
	assert_region(&bi.reserved[4], 0xa1100000, 0x1000);

	assert_int_equal(bi.nr_cpus, 2);
	assert_int_equal(bi.nr_cpus_found, 2);
	assert_int_equal(bi.cpu_mpidr[0], 0);
	assert_int_equal(bi.cpu_mpidr[1], 0x100);

	assert_int_equal(bi.gic.version, 2);
	assert_region(&bi.gic.dist, 0x2c001000, 0x1000);
	assert_region(&bi.gic.cpu, 0x2c002000, 0x2000);
	assert_region(&bi.gic.hyp, 0x2c004000, 0x2000);
	assert_region(&bi.gic.vcpu, 0x2c006000, 0x2000);
	assert_int_equal(bi.gic.maint_irq, 25);

	assert_int_equal(bi.timer.irq_sec_phys, 29);
	assert_int_equal(bi.timer.irq_hyp, 26);
	assert_int_equal(bi.timer.clock_frequency, 62500000);

	/* PSCI 0.1 names its own function IDs. */
	assert_int_equal(bi.psci_method, PSCI_METHOD_HVC);
	assert_int_equal(bi.psci_cpu_on, 0x84000002);

	/* "serial0:115200n8": an alias, with options. */
	assert_string_equal(bi.uart.path, "/soc/uart@1c090000");
	assert_region(&bi.uart.region, 0x1c090000, 0x1000);
	assert_string_equal(bi.uart.compatible, "arm,pl011");
	assert_int_equal(bi.uart.irq, 37);

	/* No xen,*-bootargs: bootargs for Xen, the kernel's for Dom0. */
	assert_string_equal(bi.xen_bootargs,
			    "console=dtuart dtuart=serial0 dom0_mem=256M");
	assert_string_equal(bi.dom0_bootargs, "console=hvc0 root=/dev/vda");

	/* Legacy compatibles; reg with /chosen's 2/1 cells. */
	assert_int_equal(bi.nr_modules, 3);
	assert_int_equal(bi.modules[0].kind, BOOTMOD_KERNEL);
	assert_region(&bi.modules[0].region, 0x90000000, 0x800000);
	assert_int_equal(bi.modules[1].kind, BOOTMOD_RAMDISK);
	assert_region(&bi.modules[1].region, 0x92000000, 0x100000);
	assert_int_equal(bi.modules[2].kind, BOOTMOD_OTHER);
	assert_region(&bi.modules[2].region, 0x93000000, 0x1000);
	assert_ptr_equal(bootinfo_module(&bi, BOOTMOD_OTHER), &bi.modules[2]);
	assert_int_equal(nr_warnings, 0);
	free(blob);
}

static void test_edge_cells2(void **state)
{
	static const uint64_t mpidr[] = {0,	1,     2,     3,
					 0x100, 0x101, 0x102, 0x103};
	struct bootinfo bi;
	struct fdt fdt;
	uint8_t *blob = parse("edge-cells2.dtb", &fdt, &bi);
	unsigned int i;

	/* 20 banks over two nodes: 16 kept, 4 warned about. */
	assert_int_equal(bi.nr_mem, CONFIG_MAX_MEM_BANKS);
	for (i = 0; i < bi.nr_mem; i++)
		assert_region(&bi.mem[i], 0x100000000ull + i * 0x10000000ull,
			      0x10000000);

	/* 10 CPUs with 2-cell MPIDRs: 8 kept, all counted. */
	assert_int_equal(bi.nr_cpus, CONFIG_NR_CPUS);
	assert_int_equal(bi.nr_cpus_found, 10);
	for (i = 0; i < CONFIG_NR_CPUS; i++)
		assert_int_equal(bi.cpu_mpidr[i], mpidr[i]);

	assert_int_equal(bi.gic.version, 3);
	assert_region(&bi.gic.dist, 0x2f000000, 0x10000);
	assert_int_equal(bi.gic.nr_redist, 2);
	assert_region(&bi.gic.redist[0], 0x2f100000, 0x100000);
	assert_region(&bi.gic.redist[1], 0x2f400000, 0x100000);
	assert_int_equal(bi.gic.redist_stride, 0x40000);
	assert_region(&bi.gic.cpu, 0x2c000000, 0x2000);
	assert_region(&bi.gic.hyp, 0x2c010000, 0x2000);
	assert_region(&bi.gic.vcpu, 0x2c02f000, 0x2000);
	assert_int_equal(bi.gic.maint_irq, 25);

	assert_int_equal(bi.psci_method, PSCI_METHOD_HVC);
	assert_int_equal(bi.psci_cpu_on, 0xc4000003);

	assert_string_equal(bi.uart.path, "/soc/serial@9000000");
	assert_string_equal(bi.uart.compatible, "arm,sbsa-uart");
	assert_int_equal(bi.uart.irq, 33);

	/* The xen,* properties win over bootargs and the module's. */
	assert_string_equal(bi.xen_bootargs, "console=dtuart sched=credit2");
	assert_string_equal(bi.dom0_bootargs, "console=hvc0 from-chosen");

	assert_int_equal(bi.nr_modules, CONFIG_MAX_BOOT_MODULES);
	assert_string_equal(bootinfo_module(&bi, BOOTMOD_KERNEL)->bootargs,
			    "from-module");
	assert_region(&bootinfo_module(&bi, BOOTMOD_RAMDISK)->region,
		      0x54000000, 0x1000000);
	assert_region(&bi.modules[7].region, 0x58500000, 0x1000);

	/* 4 banks, the CPUs, 1 module. */
	assert_int_equal(nr_warnings, 6);
	assert_non_null(strstr(last_warning, "boot modules"));
	free(blob);
}

/* ---- trees Orchid cannot boot from ------------------------------------------- */

/* Out of line, so no caller's locals live across the longjmp. */
static bool parse_panics(struct bootinfo *bi, const struct fdt *fdt)
{
	fake_panic_msg[0] = '\0';
	return EXPECT_PANIC(bootinfo_parse(bi, fdt));
}

static void test_panics(void **state)
{
	static const struct {
		const char *file;
		const char *msg;
	} cases[] = {
		{"panic-nomem.dtb", "DTB: no RAM"},
		{"panic-memempty.dtb", "DTB: no RAM"},
		{"panic-memreg.dtb", "DTB: /memory@80000000: reg length 12 is "
				     "not a multiple of 16"},
		{"panic-memcells.dtb",
		 "DTB: /soc/memory@0: reg with #address-cells 3 and "
		 "#size-cells 1 is not supported"},
		{"panic-nocpus.dtb", "DTB: no /cpus node"},
		{"panic-nocpu.dtb", "DTB: no CPU"},
		{"panic-cpureg.dtb", "DTB: /cpus/cpu@0: no reg (MPIDR)"},
		{"panic-nogic.dtb", "DTB: no interrupt controller"},
		{"panic-gicr.dtb",
		 "DTB: /interrupt-controller@2f000000: no reg entry 2 (GICR)"},
		{"panic-modreg.dtb",
		 "DTB: /chosen/module@50000000: boot module without reg"},
		{"panic-modcells.dtb", "DTB: /chosen/module@50000000: reg "
				       "length 16 is not a multiple of 12"},
		{"panic-resv.dtb", "DTB: more than 16 reserved memory regions"},
	};
	struct bootinfo bi;
	struct fdt fdt;
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t size;
		uint8_t *blob = test_data_load(cases[i].file, &size);

		assert_int_equal(fdt_init(&fdt, blob, size), 0);
		if (!parse_panics(&bi, &fdt))
			fail_msg("%s: no panic", cases[i].file);
		if (strncmp(fake_panic_msg, cases[i].msg, strlen(cases[i].msg)))
			fail_msg("%s: panic \"%s\", expected \"%s\"",
				 cases[i].file, fake_panic_msg, cases[i].msg);
		free(blob);
	}
}

/* A tree fdt_init rejected is empty: no RAM, a panic, no crash. */
static void test_rejected_tree(void **state)
{
	struct bootinfo bi;
	struct fdt fdt;
	uint8_t junk[64] = {0};

	assert_int_equal(fdt_init(&fdt, junk, sizeof(junk)), FDT_ERR_BADMAGIC);
	assert_true(parse_panics(&bi, &fdt));
	assert_non_null(strstr(fake_panic_msg, "no RAM"));
}

/* xorshift64*: the same sequence on every run. */
static uint64_t prng_state = 0x2545f4914f6cdd1dull;

static uint64_t prng(void)
{
	prng_state ^= prng_state >> 12;
	prng_state ^= prng_state << 25;
	prng_state ^= prng_state >> 27;
	return prng_state * 0x2545f4914f6cdd1dull;
}

/*
 * Byte flips over the anchor DTB, mostly in the structure and strings
 * blocks. What fdt_init accepts, bootinfo_parse either reads or panics on;
 * ASan catches any read outside the exactly sized blob.
 */
static void test_fuzz(void **state)
{
	unsigned int iter, k, accepted = 0, panicked = 0;
	struct bootinfo bi;
	struct fdt fdt;
	size_t size;
	uint8_t *blob = test_data_load("anchor-gic3.dtb", &size);

	for (iter = 0; iter < 3000; iter++) {
		uint8_t *copy = malloc(size);
		unsigned int flips = 1 + prng() % 3;

		memcpy(copy, blob, size);
		for (k = 0; k < flips; k++) {
			uint64_t r = prng();
			size_t pos = 0x38 + (r >> 8) % (size - 0x38);

			if (r & 1)
				copy[pos] ^= 1u << ((r >> 4) & 7);
			else
				copy[pos] = (uint8_t)(r >> 40);
		}
		if (fdt_init(&fdt, copy, size) == 0) {
			accepted++;
			if (parse_panics(&bi, &fdt))
				panicked++;
			else
				assert_true(bi.nr_mem >= 1 && bi.nr_cpus >= 1 &&
					    bi.gic.version >= 2);
		}
		free(copy);
	}
	print_message("fuzz: %u of 3000 accepted, %u of those panicked\n",
		      accepted, panicked);
	assert_true(accepted > 100);
	free(blob);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_gicv3),
		cmocka_unit_test(test_qemu_gicv2),
		cmocka_unit_test(test_anchor),
		cmocka_unit_test(test_mini),
		cmocka_unit_test(test_edge_cells1),
		cmocka_unit_test(test_edge_cells2),
		cmocka_unit_test(test_panics),
		cmocka_unit_test(test_rejected_tree),
		cmocka_unit_test(test_fuzz),
	};

	(void)argc;
	test_data_set_dir(argv[0]);
	return cmocka_run_group_tests_name("bootinfo", tests, NULL, NULL);
}
