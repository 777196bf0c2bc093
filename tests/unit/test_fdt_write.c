// SPDX-License-Identifier: MIT
/*
 * Host tests of the device-tree writer: trees written here read back
 * through Orchid's parser; QEMU's virt DTBs copied node by node through
 * the writer decompile (dtc) to exactly the same source; every buffer size
 * from 0 up either fits or fails with -ENOSPC without a byte written past
 * it (ASan on exactly sized buffers, plus canaries); misuse is refused.
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

#include <orchid/errno.h>
#include <orchid/fdt.h>
#include <orchid/fdt_write.h>

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* dtc -I dtb -O dts of @blob; the source in a malloc'd string, or NULL. */
static char *decompile(const uint8_t *blob, size_t size)
{
	char in[] = "/tmp/orchid-fdtw-XXXXXX";
	char cmd[256], *out;
	FILE *p;
	size_t n = 0, cap = 1 << 16;
	int fd = mkstemp(in);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, blob, size), (ssize_t)size);
	close(fd);
	snprintf(cmd, sizeof(cmd), "dtc -q -I dtb -O dts %s 2>/dev/null", in);
	p = popen(cmd, "r");
	assert_non_null(p);
	out = malloc(cap);
	assert_non_null(out);
	for (;;) {
		size_t got = fread(out + n, 1, cap - n - 1, p);

		n += got;
		if (got == 0)
			break;
		if (n + 1 == cap) {
			cap *= 2;
			out = realloc(out, cap);
			assert_non_null(out);
		}
	}
	out[n] = '\0';
	unlink(in);
	if (pclose(p) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

/* ---- a sample tree, written the same way at every buffer size ---------------- */

static const char *const compat[] = {"orchid,test", "simple-bus"};

static int write_sample(struct fdt_writer *w)
{
	static const uint32_t cells[] = {0, 0x8000000, 0, 0x10000};
	static const uint8_t bytes[] = {1, 2, 3};
	void *v;

	fdt_write_add_mem_rsv(w, 0x48000000, 0x100000);
	fdt_write_add_mem_rsv(w, 0x1234567800000000ULL, 0x1000);
	fdt_write_begin_node(w, "");
	fdt_write_prop_u32(w, "#address-cells", 2);
	fdt_write_prop_u32(w, "#size-cells", 2);
	fdt_write_prop_strings(w, "compatible", compat, 2);
	fdt_write_prop_string(w, "model", "Orchid test");

	fdt_write_begin_node(w, "chosen");
	fdt_write_prop_string(w, "bootargs", "console=hvc0");
	fdt_write_prop_u64(w, "linux,initrd-start", 0x48000000);
	fdt_write_prop_space(w, "linux,initrd-end", 8, &v);
	if (v)
		fdt_put_cells(v, 2, 0x48100000);
	fdt_write_end_node(w);

	fdt_write_begin_node(w, "intc@8000000");
	fdt_write_prop_cells(w, "reg", cells, 4);
	fdt_write_prop_empty(w, "interrupt-controller");
	fdt_write_prop_u32(w, "#interrupt-cells", 3);
	fdt_write_prop(w, "odd", bytes, 3);
	fdt_write_prop_u32(w, "phandle", 1);
	fdt_write_begin_node(w, "child");
	fdt_write_prop_u32(w, "reg", 7);
	fdt_write_end_node(w);
	fdt_write_end_node(w);

	fdt_write_begin_node(w, "memory@40000000");
	fdt_write_prop_string(w, "device_type", "memory");
	fdt_write_prop_space(w, "reg", 16, &v);
	if (v)
		fdt_put_cells(fdt_put_cells(v, 2, 0x40000000), 2, 0x80000000);
	fdt_write_end_node(w);

	fdt_write_end_node(w);
	return fdt_write_finish(w);
}

static uint8_t *sample(size_t *size)
{
	static uint8_t buf[4096];
	struct fdt_writer w;
	uint8_t *copy;

	assert_int_equal(fdt_write_init(&w, buf, sizeof(buf)), 0);
	assert_int_equal(write_sample(&w), 0);
	*size = fdt_write_size(&w);
	copy = malloc(*size);
	memcpy(copy, buf, *size);
	return copy;
}

static void test_round_trip(void **state)
{
	const uint8_t *p, *blob;
	uint64_t addr, size;
	struct fdt fdt;
	size_t len;
	uint32_t plen, v;
	int node;

	(void)state;
	blob = sample(&len);
	assert_int_equal(fdt_init(&fdt, blob, len), 0);
	assert_int_equal(get32(blob + 4), len);
	assert_int_equal(get32(blob + 20), 17);
	assert_int_equal(get32(blob + 24), 16);

	assert_int_equal(fdt_num_mem_rsv(&fdt), 2);
	assert_int_equal(fdt_get_mem_rsv(&fdt, 1, &addr, &size), 0);
	assert_true(addr == 0x1234567800000000ULL && size == 0x1000);

	node = fdt_root(&fdt);
	assert_true(fdt_node_is_compatible(&fdt, node, "simple-bus"));
	assert_string_equal(fdt_stringlist_get(&fdt, node, "compatible", 0),
			    "orchid,test");
	assert_string_equal(fdt_getprop_string(&fdt, node, "model"),
			    "Orchid test");

	node = fdt_path_offset(&fdt, "/chosen");
	assert_true(node >= 0);
	assert_string_equal(fdt_getprop_string(&fdt, node, "bootargs"),
			    "console=hvc0");
	p = fdt_getprop(&fdt, node, "linux,initrd-end", &plen);
	assert_true(p && plen == 8 && fdt_read_cells(p, 2) == 0x48100000);

	node = fdt_path_offset(&fdt, "/intc@8000000");
	assert_true(fdt_getprop(&fdt, node, "interrupt-controller", &plen));
	assert_int_equal(plen, 0);
	assert_true(fdt_getprop_u32(&fdt, node, "#interrupt-cells", &v));
	assert_int_equal(v, 3);
	p = fdt_getprop(&fdt, node, "odd", &plen);
	assert_true(p && plen == 3 && p[2] == 3);
	assert_int_equal(fdt_get_reg(&fdt, node, 0, &addr, &size), 0);
	assert_true(addr == 0x8000000 && size == 0x10000);
	assert_true(fdt_path_offset(&fdt, "/intc@8000000/child") >= 0);

	node = fdt_path_offset(&fdt, "/memory");
	assert_int_equal(fdt_get_reg(&fdt, node, 0, &addr, &size), 0);
	assert_true(addr == 0x40000000 && size == 0x80000000);
	free((void *)blob);
}

/* "reg" is written once and shared; so is a name that ends another one. */
static void test_strings_shared(void **state)
{
	static uint8_t buf[1024];
	struct fdt_writer w;
	struct fdt fdt;

	(void)state;
	fdt_write_init(&w, buf, sizeof(buf));
	fdt_write_begin_node(&w, "");
	fdt_write_prop_u32(&w, "linux,phandle", 1);
	fdt_write_prop_u32(&w, "phandle", 1);
	fdt_write_begin_node(&w, "a");
	fdt_write_prop_u32(&w, "reg", 1);
	fdt_write_end_node(&w);
	fdt_write_begin_node(&w, "b");
	fdt_write_prop_u32(&w, "reg", 2);
	fdt_write_prop_u32(&w, "phandle", 2);
	fdt_write_end_node(&w);
	fdt_write_end_node(&w);
	assert_int_equal(fdt_write_finish(&w), 0);
	assert_int_equal(fdt_init(&fdt, buf, fdt_write_size(&w)), 0);
	/* "linux,phandle\0" and "reg\0" only. */
	assert_int_equal(get32(buf + 32), 14 + 4);
	assert_true(fdt_getprop(&fdt, fdt_path_offset(&fdt, "/b"), "phandle",
				NULL));
}

/*
 * Every buffer size from 0 to past the blob: the writer either produces
 * exactly the full-size blob or reports -ENOSPC; the exactly sized heap
 * buffer makes ASan catch any write past it.
 */
static void test_every_size(void **state)
{
	size_t full_size, size, fits = 0;
	uint8_t *full = sample(&full_size);

	(void)state;
	for (size = 0; size <= full_size + 64; size++) {
		uint8_t *buf = malloc(size ? size : 1);
		struct fdt_writer w;
		int err;

		fdt_write_init(&w, buf, size);
		err = write_sample(&w);
		if (size < full_size) {
			assert_int_equal(err, -ENOSPC);
		} else {
			assert_int_equal(err, 0);
			assert_int_equal(fdt_write_size(&w), full_size);
			assert_memory_equal(buf, full, full_size);
			fits++;
		}
		free(buf);
	}
	assert_int_equal(fits, 65);
	free(full);
}

/* The same with canaries around a stack buffer. */
static void test_canaries(void **state)
{
	uint8_t area[4096 + 64];
	size_t full_size, size, i;
	uint8_t *full = sample(&full_size);

	(void)state;
	for (size = 0; size <= full_size; size += 3) {
		struct fdt_writer w;

		memset(area, 0xa5, sizeof(area));
		fdt_write_init(&w, area + 32, size);
		write_sample(&w);
		for (i = 0; i < 32; i++)
			assert_int_equal(area[i], 0xa5);
		for (i = 32 + size; i < sizeof(area); i++)
			assert_int_equal(area[i], 0xa5);
	}
	free(full);
}

static void test_misuse(void **state)
{
	static uint8_t buf[1024];
	struct fdt_writer w;
	void *v;

	(void)state;
	/* A property after a subnode. */
	fdt_write_init(&w, buf, sizeof(buf));
	fdt_write_begin_node(&w, "");
	fdt_write_begin_node(&w, "a");
	fdt_write_end_node(&w);
	assert_int_equal(fdt_write_prop_u32(&w, "x", 1), -EINVAL);
	/* Sticky. */
	assert_int_equal(fdt_write_end_node(&w), -EINVAL);
	assert_int_equal(fdt_write_finish(&w), -EINVAL);

	/* A property twice in one node; fine in another node. */
	fdt_write_init(&w, buf, sizeof(buf));
	fdt_write_begin_node(&w, "");
	fdt_write_begin_node(&w, "a");
	assert_int_equal(fdt_write_prop_u32(&w, "reg", 1), 0);
	assert_int_equal(fdt_write_prop_u32(&w, "x-reg", 1), 0);
	assert_int_equal(fdt_write_prop_u32(&w, "reg", 1), -EEXIST);
	fdt_write_init(&w, buf, sizeof(buf));
	fdt_write_begin_node(&w, "");
	fdt_write_begin_node(&w, "a");
	assert_int_equal(fdt_write_prop_u32(&w, "reg", 1), 0);
	fdt_write_end_node(&w);
	fdt_write_begin_node(&w, "b");
	assert_int_equal(fdt_write_prop_u32(&w, "reg", 1), 0);

	/* Names. */
	fdt_write_init(&w, buf, sizeof(buf));
	assert_int_equal(fdt_write_begin_node(&w, "root"), -EINVAL);
	fdt_write_init(&w, buf, sizeof(buf));
	fdt_write_begin_node(&w, "");
	assert_int_equal(fdt_write_begin_node(&w, ""), -EINVAL);
	fdt_write_init(&w, buf, sizeof(buf));
	fdt_write_begin_node(&w, "");
	assert_int_equal(fdt_write_begin_node(&w, "a/b"), -EINVAL);
	fdt_write_init(&w, buf, sizeof(buf));
	fdt_write_begin_node(&w, "");
	assert_int_equal(fdt_write_prop_u32(&w, "", 1), -EINVAL);
	fdt_write_init(&w, buf, sizeof(buf));
	fdt_write_begin_node(&w, "");
	assert_int_equal(fdt_write_prop(&w, "x", NULL, 4), -EINVAL);

	/* Properties outside any node, a second root, stray ends. */
	fdt_write_init(&w, buf, sizeof(buf));
	assert_int_equal(fdt_write_prop_space(&w, "x", 4, &v), -EINVAL);
	assert_null(v);
	fdt_write_init(&w, buf, sizeof(buf));
	fdt_write_begin_node(&w, "");
	fdt_write_end_node(&w);
	assert_int_equal(fdt_write_begin_node(&w, ""), -EINVAL);
	fdt_write_init(&w, buf, sizeof(buf));
	assert_int_equal(fdt_write_end_node(&w), -EINVAL);

	/* Reservations only before the root; never of size 0. */
	fdt_write_init(&w, buf, sizeof(buf));
	fdt_write_begin_node(&w, "");
	assert_int_equal(fdt_write_add_mem_rsv(&w, 0, 1), -EINVAL);
	fdt_write_init(&w, buf, sizeof(buf));
	assert_int_equal(fdt_write_add_mem_rsv(&w, 0x1000, 0), -EINVAL);

	/* Finishing needs a closed root, and happens once. */
	fdt_write_init(&w, buf, sizeof(buf));
	assert_int_equal(fdt_write_finish(&w), -EINVAL);
	fdt_write_init(&w, buf, sizeof(buf));
	fdt_write_begin_node(&w, "");
	assert_int_equal(fdt_write_finish(&w), -EINVAL);
	fdt_write_init(&w, buf, sizeof(buf));
	fdt_write_begin_node(&w, "");
	fdt_write_end_node(&w);
	assert_int_equal(fdt_write_finish(&w), 0);
	assert_int_equal(fdt_write_size(&w), 40 + 16 + 8 + 4 + 4);
	assert_int_equal(fdt_write_finish(&w), -EINVAL);
	assert_int_equal(fdt_write_size(&w), 40 + 16 + 8 + 4 + 4);

	/* No buffer, or one smaller than a header. */
	assert_int_equal(fdt_write_init(&w, NULL, 100), -ENOSPC);
	assert_int_equal(fdt_write_init(&w, buf, 39), -ENOSPC);
	assert_int_equal(fdt_write_begin_node(&w, ""), -ENOSPC);
}

/* FDT_MAX_DEPTH levels are accepted, one more is refused. */
static void test_depth(void **state)
{
	static uint8_t buf[4096];
	struct fdt_writer w;
	struct fdt fdt;
	int i;

	(void)state;
	fdt_write_init(&w, buf, sizeof(buf));
	assert_int_equal(fdt_write_begin_node(&w, ""), 0);
	for (i = 1; i < FDT_MAX_DEPTH; i++)
		assert_int_equal(fdt_write_begin_node(&w, "n"), 0);
	assert_int_equal(fdt_write_begin_node(&w, "n"), -EINVAL);

	fdt_write_init(&w, buf, sizeof(buf));
	fdt_write_begin_node(&w, "");
	for (i = 1; i < FDT_MAX_DEPTH; i++)
		fdt_write_begin_node(&w, "n");
	for (i = 0; i < FDT_MAX_DEPTH; i++)
		fdt_write_end_node(&w);
	assert_int_equal(fdt_write_finish(&w), 0);
	assert_int_equal(fdt_init(&fdt, buf, fdt_write_size(&w)), 0);
}

/* ---- copies of real trees -------------------------------------------------- */

static int copy_node(struct fdt_writer *w, const struct fdt *fdt, int node)
{
	const char *name;
	const void *val;
	uint32_t len;
	int prop, child;

	fdt_write_begin_node(w, fdt_get_name(fdt, node, NULL));
	for (prop = fdt_first_prop(fdt, node); prop >= 0;
	     prop = fdt_next_prop(fdt, prop)) {
		val = fdt_prop_value(fdt, prop, &name, &len);
		fdt_write_prop(w, name, val, len);
	}
	for (child = fdt_first_child(fdt, node); child >= 0;
	     child = fdt_next_sibling(fdt, child))
		copy_node(w, fdt, child);
	return fdt_write_end_node(w);
}

static void check_copy(const char *file)
{
	size_t size, out_size;
	struct fdt_writer w;
	struct fdt fdt, out;
	uint8_t *blob = test_data_load(file, &size);
	uint8_t *buf = malloc(size + 4096);
	char *a, *b;
	uint64_t addr, len;
	unsigned int i;

	assert_int_equal(fdt_init(&fdt, blob, size), 0);
	fdt_write_init(&w, buf, size + 4096);
	for (i = 0; i < fdt_num_mem_rsv(&fdt); i++) {
		fdt_get_mem_rsv(&fdt, i, &addr, &len);
		fdt_write_add_mem_rsv(&w, addr, len);
	}
	copy_node(&w, &fdt, fdt_root(&fdt));
	assert_int_equal(fdt_write_finish(&w), 0);
	out_size = fdt_write_size(&w);
	assert_int_equal(fdt_init(&out, buf, out_size), 0);
	/* dtc pads its strings less tightly than we share them. */
	assert_true(out_size <= size);

	a = decompile(blob, size);
	b = decompile(buf, out_size);
	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(a, b);
	free(a);
	free(b);
	free(buf);
	free(blob);
}

static void test_copy_qemu(void **state)
{
	(void)state;
	check_copy("virt-gic3.dtb");
	check_copy("virt-gic2.dtb");
	check_copy("anchor-gic3.dtb");
}

static void test_dtc_accepts_sample(void **state)
{
	size_t size;
	uint8_t *blob = sample(&size);
	char *dts = decompile(blob, size);

	(void)state;
	assert_non_null(dts);
	assert_non_null(strstr(
		dts, "/memreserve/\t0x0000000048000000 0x0000000000100000;"));
	assert_non_null(
		strstr(dts, "compatible = \"orchid,test\\0simple-bus\";"));
	assert_non_null(strstr(dts, "linux,initrd-end = <0x00 0x48100000>;"));
	assert_non_null(strstr(dts, "odd = [01 02 03];"));
	free(dts);
	free(blob);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_strings_shared),
		cmocka_unit_test(test_every_size),
		cmocka_unit_test(test_canaries),
		cmocka_unit_test(test_misuse),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_copy_qemu),
		cmocka_unit_test(test_dtc_accepts_sample),
	};

	(void)argc;
	test_data_set_dir(argv[0]);
	return cmocka_run_group_tests_name("fdt_write", tests, NULL, NULL);
}
