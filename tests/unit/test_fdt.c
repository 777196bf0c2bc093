// SPDX-License-Identifier: MIT
/*
 * Host tests of the device-tree parser: QEMU's own virt DTBs and the
 * hand-written edge cases for what it reads, blobs built here byte by byte
 * for what it must reject, and truncations and byte flips of a real DTB,
 * under ASan, for reading nothing outside the blob.
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

#include <orchid/fdt.h>

/* ---- test data -------------------------------------------------------------- */

static uint8_t *load_fdt(const char *name, struct fdt *fdt, size_t *size)
{
	uint8_t *blob = test_data_load(name, size);
	int err = fdt_init(fdt, blob, *size);

	if (err)
		fail_msg("%s: %s", name, fdt_strerror(err));
	return blob;
}

static uint8_t *dup_bytes(const uint8_t *src, size_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	assert_non_null(p);
	memcpy(p, src, len);
	return p;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* Header fields, by byte offset. */
enum {
	H_MAGIC = 0,
	H_TOTALSIZE = 4,
	H_OFF_STRUCT = 8,
	H_OFF_STRINGS = 12,
	H_OFF_RSVMAP = 16,
	H_VERSION = 20,
	H_LAST_COMP = 24,
	H_SIZE_STRINGS = 32,
	H_SIZE_STRUCT = 36,
	H_SIZE = 40,
};

enum { T_BEGIN = 1, T_END_NODE = 2, T_PROP = 3, T_NOP = 4, T_END = 9 };

/* ---- a blob builder, for trees no compiler would emit ------------------------- */

struct builder {
	uint8_t st[16384];
	uint32_t nst;
	char str[2048];
	uint32_t nstr;
	uint64_t rsv[8][2];
	unsigned int nrsv;
};

static void b_raw(struct builder *b, const void *p, uint32_t len)
{
	assert_true(b->nst + len <= sizeof(b->st));
	memcpy(b->st + b->nst, p, len);
	b->nst += len;
	while (b->nst & 3)
		b->st[b->nst++] = 0;
}

static void b_tok(struct builder *b, uint32_t tok)
{
	uint8_t v[4];

	put32(v, tok);
	b_raw(b, v, 4);
}

static void b_begin(struct builder *b, const char *name)
{
	b_tok(b, T_BEGIN);
	b_raw(b, name, (uint32_t)strlen(name) + 1);
}

static void b_end(struct builder *b)
{
	b_tok(b, T_END_NODE);
}

static uint32_t b_stroff(struct builder *b, const char *name)
{
	uint32_t off = 0, len = (uint32_t)strlen(name) + 1;

	while (off < b->nstr) {
		if (strcmp(b->str + off, name) == 0)
			return off;
		off += (uint32_t)strlen(b->str + off) + 1;
	}
	assert_true(b->nstr + len <= sizeof(b->str));
	memcpy(b->str + b->nstr, name, len);
	b->nstr += len;
	return off;
}

static void b_prop(struct builder *b, const char *name, const void *val,
		   uint32_t len)
{
	b_tok(b, T_PROP);
	b_tok(b, len);
	b_tok(b, b_stroff(b, name));
	b_raw(b, val, len);
}

static void b_prop_str(struct builder *b, const char *name, const char *s)
{
	b_prop(b, name, s, (uint32_t)strlen(s) + 1);
}

static void b_prop_u32(struct builder *b, const char *name, uint32_t v)
{
	uint8_t c[4];

	put32(c, v);
	b_prop(b, name, c, 4);
}

/*
 * Header, reservation map, structure block, strings block, in that order,
 * in a heap buffer of exactly the blob's size.
 */
static uint8_t *b_finish(const struct builder *b, size_t *size)
{
	uint32_t rsv = H_SIZE + 8; /* 8-aligned, as the map must be */
	uint32_t st = rsv + (b->nrsv + 1) * 16;
	uint32_t str = st + b->nst;
	uint32_t total = str + b->nstr;
	uint8_t *blob = calloc(1, total);
	unsigned int i;

	assert_non_null(blob);
	put32(blob + H_MAGIC, 0xd00dfeed);
	put32(blob + H_TOTALSIZE, total);
	put32(blob + H_OFF_STRUCT, st);
	put32(blob + H_OFF_STRINGS, str);
	put32(blob + H_OFF_RSVMAP, rsv);
	put32(blob + H_VERSION, 17);
	put32(blob + H_LAST_COMP, 16);
	put32(blob + H_SIZE_STRINGS, b->nstr);
	put32(blob + H_SIZE_STRUCT, b->nst);
	for (i = 0; i < b->nrsv; i++) {
		put32(blob + rsv + i * 16, b->rsv[i][0] >> 32);
		put32(blob + rsv + i * 16 + 4, (uint32_t)b->rsv[i][0]);
		put32(blob + rsv + i * 16 + 8, b->rsv[i][1] >> 32);
		put32(blob + rsv + i * 16 + 12, (uint32_t)b->rsv[i][1]);
	}
	memcpy(blob + st, b->st, b->nst);
	memcpy(blob + str, b->str, b->nstr);
	*size = total;
	return blob;
}

/* A small well-formed tree: / { compatible; a { x; }; b { }; }. */
static void b_small_tree(struct builder *b)
{
	memset(b, 0, sizeof(*b));
	b_begin(b, "");
	b_prop_str(b, "compatible", "test");
	b_begin(b, "a");
	b_prop_u32(b, "x", 1);
	b_end(b);
	b_begin(b, "b");
	b_end(b);
	b_end(b);
	b_tok(b, T_END);
}

static int init_built(const struct builder *b)
{
	struct fdt fdt;
	size_t size;
	uint8_t *blob = b_finish(b, &size);
	int err = fdt_init(&fdt, blob, size);

	free(blob);
	return err;
}

/* fdt_init on @blob after header field @field is set to @val. */
static int init_patched(const uint8_t *blob, size_t size, unsigned int field,
			uint32_t val)
{
	uint8_t *copy = dup_bytes(blob, size);
	struct fdt fdt;
	int err;

	put32(copy + field, val);
	err = fdt_init(&fdt, copy, size);
	free(copy);
	return err;
}

/* ---- reading every accessor over a tree ------------------------------------- */

static volatile uint32_t sink;

/*
 * Run every accessor over every node and property, touching every byte they
 * return, and check the tree's shape is self-consistent. Used on good trees
 * and on whatever fuzzed blob fdt_init accepts.
 */
static unsigned int exercise(const struct fdt *fdt)
{
	char path[256];
	unsigned int nodes = 0;
	int node, child, prop, depth = 0;

	for (node = fdt_next_node(fdt, -1, &depth); node >= 0;
	     node = fdt_next_node(fdt, node, &depth)) {
		size_t base_len;
		const char *name = fdt_get_name(fdt, node, &base_len);
		uint64_t a, s;
		unsigned int ac, sc, i;

		assert_non_null(name);
		assert_true(base_len <= strlen(name));
		assert_true(depth >= 1 && depth <= FDT_MAX_DEPTH);
		nodes++;

		if (fdt_get_path(fdt, node, path, sizeof(path)) == 0)
			assert_true(fdt_path_offset(fdt, path) >= 0);
		for (child = fdt_first_child(fdt, node); child >= 0;
		     child = fdt_next_sibling(fdt, child))
			assert_int_equal(fdt_parent(fdt, child), node);

		for (prop = fdt_first_prop(fdt, node); prop >= 0;
		     prop = fdt_next_prop(fdt, prop)) {
			const char *pname;
			uint32_t len, k;
			const uint8_t *v;

			v = fdt_prop_value(fdt, prop, &pname, &len);
			assert_non_null(v);
			sink += (uint32_t)strlen(pname);
			for (k = 0; k < len; k++)
				sink += v[k];
			/* Names may repeat in a fuzzed blob: any match. */
			assert_non_null(fdt_getprop(fdt, node, pname, NULL));
		}
		for (i = 0; fdt_stringlist_get(fdt, node, "compatible", i); i++)
			;
		sink += fdt_node_is_compatible(fdt, node, "arm,gic-v3");
		sink += fdt_node_is_available(fdt, node);
		sink += (uint32_t)fdt_address_cells(fdt, node);
		sink += (uint32_t)fdt_size_cells(fdt, node);
		if (fdt_reg_cells(fdt, node, &ac, &sc) == 0)
			sink += ac + sc;
		for (i = 0; fdt_get_reg(fdt, node, i, &a, &s) == 0; i++)
			sink += (uint32_t)(a + s);
		sink += (uint32_t)fdt_reg_count(fdt, node);
	}
	for (unsigned int i = 0; i < fdt_num_mem_rsv(fdt); i++) {
		uint64_t a, s;

		assert_int_equal(fdt_get_mem_rsv(fdt, i, &a, &s), 0);
	}
	sink += (uint32_t)fdt_path_offset(fdt, "/chosen");
	sink += (uint32_t)fdt_path_offset(fdt, "serial0:115200");
	sink += (uint32_t)fdt_path_offset(fdt, "/cpus/cpu@0");
	sink += (uint32_t)fdt_find_compatible(fdt, -1, "multiboot,module");
	return nodes;
}

/* ---- QEMU's virt DTB -------------------------------------------------------- */

static void test_qemu_header(void **state)
{
	struct fdt fdt;
	size_t size;
	uint8_t *blob = test_data_load("virt-gic3.dtb", &size);

	/* QEMU pads its DTB to 1 MiB. */
	assert_int_equal(fdt_total_size(blob), size);
	assert_int_equal(fdt_total_size(blob), 0x100000);
	assert_int_equal(fdt_init(&fdt, blob, size), 0);
	assert_int_equal(fdt_num_mem_rsv(&fdt), 0);
	assert_int_equal(fdt_get_mem_rsv(&fdt, 0, NULL, NULL),
			 FDT_ERR_NOTFOUND);
	/* A larger buffer than the blob is fine, a smaller one is not. */
	assert_int_equal(fdt_init(&fdt, blob, size + 4096), 0);
	assert_int_equal(fdt_init(&fdt, blob, size - 1), FDT_ERR_PASTBUFFER);
	free(blob);
}

static void test_qemu_navigation(void **state)
{
	static const char *const cpus_children[] = {"cpu-map", "cpu@0", "cpu@1",
						    "cpu@2", "cpu@3"};
	struct fdt fdt;
	size_t size, base_len;
	uint8_t *blob = load_fdt("virt-gic3.dtb", &fdt, &size);
	char path[64];
	int root, cpus, node, i;

	root = fdt_root(&fdt);
	assert_true(root >= 0);
	assert_string_equal(fdt_get_name(&fdt, root, NULL), "");
	assert_int_equal(fdt_parent(&fdt, root), FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_next_sibling(&fdt, root), FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_get_path(&fdt, root, path, sizeof(path)), 0);
	assert_string_equal(path, "/");
	assert_int_equal(fdt_path_offset(&fdt, "/"), root);

	/* The first child of the root is "psci" in QEMU's layout. */
	node = fdt_first_child(&fdt, root);
	assert_string_equal(fdt_get_name(&fdt, node, NULL), "psci");

	cpus = fdt_path_offset(&fdt, "/cpus");
	assert_true(cpus >= 0);
	assert_int_equal(fdt_parent(&fdt, cpus), root);
	for (i = 0, node = fdt_first_child(&fdt, cpus); node >= 0;
	     node = fdt_next_sibling(&fdt, node), i++) {
		assert_true(i < 5);
		assert_string_equal(fdt_get_name(&fdt, node, NULL),
				    cpus_children[i]);
		assert_int_equal(fdt_parent(&fdt, node), cpus);
	}
	assert_int_equal(i, 5);
	assert_int_equal(node, FDT_ERR_NOTFOUND);

	/* Unit addresses: exact, or matched by the base name alone. */
	node = fdt_path_offset(&fdt, "/cpus/cpu@2");
	assert_true(node >= 0);
	assert_string_equal(fdt_get_name(&fdt, node, &base_len), "cpu@2");
	assert_int_equal(base_len, 3);
	assert_int_equal(fdt_path_offset(&fdt, "/cpus/cpu"),
			 fdt_path_offset(&fdt, "/cpus/cpu@0"));
	assert_int_equal(fdt_path_offset(&fdt, "/cpus/cpu@4"),
			 FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_path_offset(&fdt, "/cpus/cp"), FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_path_offset(&fdt, "/cpus/cpu@"), FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_path_offset(&fdt, "//cpus//cpu@1/"),
			 fdt_path_offset(&fdt, "/cpus/cpu@1"));

	node = fdt_path_offset(&fdt, "/cpus/cpu-map/socket0/cluster0/core3");
	assert_true(node >= 0);
	assert_int_equal(fdt_get_path(&fdt, node, path, sizeof(path)), 0);
	assert_string_equal(path, "/cpus/cpu-map/socket0/cluster0/core3");
	assert_int_equal(fdt_first_child(&fdt, node), FDT_ERR_NOTFOUND);

	node = fdt_path_offset(&fdt, "/intc/its");
	assert_true(node >= 0);
	assert_int_equal(fdt_get_path(&fdt, node, path, sizeof(path)), 0);
	assert_string_equal(path, "/intc@8000000/its@8080000");

	/* A buffer one byte short fails and is left empty. */
	assert_int_equal(fdt_get_path(&fdt, node, path, strlen(path)),
			 FDT_ERR_NOSPACE);
	assert_string_equal(path, "");
	assert_int_equal(fdt_get_path(&fdt, node, path, 0), FDT_ERR_NOSPACE);

	/* No alias node in QEMU's tree. */
	assert_int_equal(fdt_path_offset(&fdt, "serial0"), FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_path_offset(&fdt, ""), FDT_ERR_BADPATH);
	assert_int_equal(fdt_path_offset(&fdt, NULL), FDT_ERR_BADPATH);

	/* 62 nodes, all consistent. */
	assert_int_equal(exercise(&fdt), 62);
	free(blob);
}

static void test_qemu_properties(void **state)
{
	static const char *const psci_props[] = {"migrate", "cpu_on",
						 "cpu_off", "cpu_suspend",
						 "method",  "compatible"};
	struct fdt fdt;
	size_t size;
	uint8_t *blob = load_fdt("virt-gic3.dtb", &fdt, &size);
	const char *name, *compat;
	uint32_t len, v;
	int psci, prop, i;

	psci = fdt_path_offset(&fdt, "/psci");
	assert_true(psci >= 0);
	for (i = 0, prop = fdt_first_prop(&fdt, psci); prop >= 0;
	     prop = fdt_next_prop(&fdt, prop), i++) {
		assert_non_null(fdt_prop_value(&fdt, prop, &name, &len));
		assert_string_equal(name, psci_props[i]);
	}
	assert_int_equal(i, 6);

	compat = fdt_getprop(&fdt, psci, "compatible", &len);
	assert_non_null(compat);
	assert_int_equal(len, sizeof("arm,psci-1.0\0arm,psci-0.2\0arm,psci"));
	assert_true(fdt_stringlist_contains(compat, len, "arm,psci-0.2"));
	assert_true(fdt_stringlist_contains(compat, len, "arm,psci"));
	assert_false(fdt_stringlist_contains(compat, len, "arm,psci-0"));
	assert_false(fdt_stringlist_contains(compat, len - 1, "arm,psci"));
	assert_string_equal(fdt_stringlist_get(&fdt, psci, "compatible", 0),
			    "arm,psci-1.0");
	assert_string_equal(fdt_stringlist_get(&fdt, psci, "compatible", 2),
			    "arm,psci");
	assert_null(fdt_stringlist_get(&fdt, psci, "compatible", 3));
	assert_true(fdt_node_is_compatible(&fdt, psci, "arm,psci-1.0"));
	assert_false(fdt_node_is_compatible(&fdt, psci, "arm,psci-2.0"));

	assert_string_equal(fdt_getprop_string(&fdt, psci, "method"), "smc");
	/* cpu_on is a cell, not a string. */
	assert_null(fdt_getprop_string(&fdt, psci, "cpu_on"));
	assert_true(fdt_getprop_u32(&fdt, psci, "cpu_on", &v));
	assert_int_equal(v, 0xc4000003);
	assert_false(fdt_getprop_u32(&fdt, psci, "compatible", &v));
	assert_null(fdt_getprop(&fdt, psci, "nothing", &len));
	assert_null(fdt_getprop(&fdt, psci, NULL, &len));

	/* A property without a value ("dma-coherent;"). */
	prop = fdt_path_offset(&fdt, "/fw-cfg@9020000");
	assert_non_null(fdt_getprop(&fdt, prop, "dma-coherent", &len));
	assert_int_equal(len, 0);
	assert_null(fdt_getprop_string(&fdt, prop, "dma-coherent"));
	assert_true(fdt_node_is_available(&fdt, prop));
	free(blob);
}

static void test_qemu_reg(void **state)
{
	struct fdt fdt;
	size_t size;
	uint8_t *blob = load_fdt("virt-gic3.dtb", &fdt, &size);
	unsigned int ac, sc;
	uint64_t a, s;
	int node;

	node = fdt_path_offset(&fdt, "/memory@40000000");
	assert_int_equal(fdt_reg_cells(&fdt, node, &ac, &sc), 0);
	assert_int_equal(ac, 2);
	assert_int_equal(sc, 2);
	assert_int_equal(fdt_reg_count(&fdt, node), 1);
	assert_int_equal(fdt_get_reg(&fdt, node, 0, &a, &s), 0);
	assert_int_equal(a, 0x40000000);
	assert_int_equal(s, 0x80000000);
	assert_int_equal(fdt_get_reg(&fdt, node, 1, &a, &s), FDT_ERR_NOTFOUND);

	node = fdt_find_compatible(&fdt, -1, "arm,gic-v3");
	assert_string_equal(fdt_get_name(&fdt, node, NULL), "intc@8000000");
	assert_int_equal(fdt_reg_count(&fdt, node), 2);
	assert_int_equal(fdt_get_reg(&fdt, node, 1, &a, &s), 0);
	assert_int_equal(a, 0x080a0000);
	assert_int_equal(s, 0xf60000);
	assert_int_equal(fdt_find_compatible(&fdt, node, "arm,gic-v3"),
			 FDT_ERR_NOTFOUND);

	/* /cpus: one address cell, no size cell. */
	node = fdt_path_offset(&fdt, "/cpus/cpu@3");
	assert_int_equal(fdt_reg_cells(&fdt, node, &ac, &sc), 0);
	assert_int_equal(ac, 1);
	assert_int_equal(sc, 0);
	assert_int_equal(fdt_get_reg(&fdt, node, 0, &a, &s), 0);
	assert_int_equal(a, 3);
	assert_int_equal(s, 0);
	assert_int_equal(
		fdt_address_cells(&fdt, fdt_path_offset(&fdt, "/cpus")), 1);
	assert_int_equal(fdt_size_cells(&fdt, fdt_path_offset(&fdt, "/cpus")),
			 0);

	/* Above 4 GiB. */
	node = fdt_path_offset(&fdt, "/pcie@10000000");
	assert_int_equal(fdt_get_reg(&fdt, node, 0, &a, &s), 0);
	assert_int_equal(a, 0x4010000000ull);
	assert_int_equal(s, 0x10000000);
	/* Its children would need three address cells. */
	assert_int_equal(fdt_address_cells(&fdt, node), 3);

	/* No reg; the root has none and no parent. */
	assert_int_equal(fdt_reg_count(&fdt, fdt_path_offset(&fdt, "/psci")),
			 FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_reg_count(&fdt, fdt_root(&fdt)), FDT_ERR_NOTFOUND);

	node = fdt_path_offset(&fdt, "/flash@0");
	assert_int_equal(fdt_reg_count(&fdt, node), 2);
	assert_int_equal(fdt_get_reg(&fdt, node, 1, &a, &s), 0);
	assert_int_equal(a, 0x4000000);
	assert_int_equal(s, 0x4000000);
	free(blob);
}

static void test_qemu_compatible(void **state)
{
	struct fdt fdt;
	size_t size;
	uint8_t *blob = load_fdt("virt-gic2.dtb", &fdt, &size);
	int node, n = 0;
	uint64_t prev = 0, a;

	for (node = fdt_find_compatible(&fdt, -1, "virtio,mmio"); node >= 0;
	     node = fdt_find_compatible(&fdt, node, "virtio,mmio")) {
		assert_int_equal(fdt_get_reg(&fdt, node, 0, &a, NULL), 0);
		assert_true(a > prev);
		prev = a;
		n++;
	}
	assert_int_equal(n, 32);
	assert_int_equal(node, FDT_ERR_NOTFOUND);

	node = fdt_find_compatible(&fdt, -1, "arm,cortex-a15-gic");
	assert_true(node >= 0);
	assert_int_equal(fdt_reg_count(&fdt, node), 4);
	assert_int_equal(fdt_find_compatible(&fdt, -1, "arm,gic-v3"),
			 FDT_ERR_NOTFOUND);
	node = fdt_find_compatible(&fdt, -1, "arm,pl011");
	assert_string_equal(fdt_get_name(&fdt, node, NULL), "pl011@9000000");
	free(blob);
}

/* ---- hand-written edge cases ------------------------------------------------- */

static void test_aliases(void **state)
{
	struct fdt fdt;
	size_t size;
	uint8_t *blob = load_fdt("edge-cells1.dtb", &fdt, &size);
	const char *opt = "serial0:115200n8";
	char path[64];
	int uart0, node;

	uart0 = fdt_path_offset(&fdt, "/soc/uart@1c090000");
	assert_true(uart0 >= 0);
	assert_int_equal(fdt_path_offset(&fdt, "serial0"), uart0);
	assert_int_equal(fdt_path_offset_len(&fdt, opt, 7), uart0);
	assert_int_equal(fdt_path_offset(&fdt, "serial1"),
			 fdt_path_offset(&fdt, "/soc/uart@1c0a0000"));

	/* A path below an alias. */
	node = fdt_path_offset(&fdt, "serial0/child");
	assert_true(node >= 0);
	assert_int_equal(fdt_parent(&fdt, node), uart0);
	assert_string_equal(fdt_getprop_string(&fdt, node, "marker"),
			    "child-of-uart0");
	assert_int_equal(fdt_get_path(&fdt, node, path, sizeof(path)), 0);
	assert_string_equal(path, "/soc/uart@1c090000/child");

	/* Unknown alias; alias to a missing node; alias not absolute. */
	assert_int_equal(fdt_path_offset(&fdt, "serial2"), FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_path_offset(&fdt, "missing"), FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_path_offset(&fdt, "relative"), FDT_ERR_BADPATH);
	/* Only the first @len bytes count. */
	assert_int_equal(fdt_path_offset_len(&fdt, "serial1", 6),
			 FDT_ERR_NOTFOUND);
	free(blob);
}

static void test_memreserve_and_cells(void **state)
{
	struct fdt fdt;
	size_t size;
	uint8_t *blob = load_fdt("edge-cells1.dtb", &fdt, &size);
	unsigned int ac, sc;
	uint64_t a, s;
	int node;

	assert_int_equal(fdt_num_mem_rsv(&fdt), 2);
	assert_int_equal(fdt_get_mem_rsv(&fdt, 0, &a, &s), 0);
	assert_int_equal(a, 0x80000000);
	assert_int_equal(s, 0x10000);
	assert_int_equal(fdt_get_mem_rsv(&fdt, 1, &a, &s), 0);
	assert_int_equal(a, 0x81000000);
	assert_int_equal(s, 0x2000);
	assert_int_equal(fdt_get_mem_rsv(&fdt, 2, &a, &s), FDT_ERR_NOTFOUND);

	node = fdt_path_offset(&fdt, "/memory@80000000");
	assert_int_equal(fdt_reg_count(&fdt, node), 3);
	assert_int_equal(fdt_get_reg(&fdt, node, 2, &a, &s), 0);
	assert_int_equal(a, 0xd0000000);
	assert_int_equal(s, 0x1000000);

	/* /chosen's own cells (2/1) differ from the root's (1/1). */
	node = fdt_path_offset(&fdt, "/chosen/module@90000000");
	assert_int_equal(fdt_reg_cells(&fdt, node, &ac, &sc), 0);
	assert_int_equal(ac, 2);
	assert_int_equal(sc, 1);
	assert_int_equal(fdt_get_reg(&fdt, node, 0, &a, &s), 0);
	assert_int_equal(a, 0x90000000);
	assert_int_equal(s, 0x800000);

	node = fdt_path_offset(&fdt, "/memory@f0000000");
	assert_false(fdt_node_is_available(&fdt, node));
	exercise(&fdt);
	free(blob);
}

static void test_default_cells_and_bad_reg(void **state)
{
	struct fdt fdt;
	size_t size;
	uint8_t *blob;
	unsigned int ac, sc;
	int node;

	/* /chosen without cells: the defaults 2 and 1 apply. */
	blob = load_fdt("panic-modcells.dtb", &fdt, &size);
	node = fdt_path_offset(&fdt, "/chosen/module@50000000");
	assert_int_equal(fdt_reg_cells(&fdt, node, &ac, &sc), 0);
	assert_int_equal(ac, 2);
	assert_int_equal(sc, 1);
	assert_int_equal(fdt_reg_count(&fdt, node), FDT_ERR_BADREG);
	assert_int_equal(fdt_get_reg(&fdt, node, 0, NULL, NULL),
			 FDT_ERR_BADREG);
	free(blob);

	blob = load_fdt("panic-memcells.dtb", &fdt, &size);
	node = fdt_path_offset(&fdt, "/soc/memory@0");
	assert_int_equal(fdt_reg_count(&fdt, node), FDT_ERR_BADCELLS);
	free(blob);
}

static void test_read_cells(void **state)
{
	static const uint8_t buf[] = {0xff, 0x12, 0x34, 0x56, 0x78,
				      0x9a, 0xbc, 0xde, 0xf0};

	/* Unaligned on purpose. */
	assert_int_equal(fdt_read_cells(buf + 1, 1), 0x12345678);
	assert_int_equal(fdt_read_cells(buf + 1, 2), 0x123456789abcdef0ull);
	assert_int_equal(fdt_read_cells(buf + 1, 0), 0);
	assert_int_equal(fdt_read_cells(buf + 1, 3), 0);
}

static void test_strerror(void **state)
{
	int e, f;

	assert_string_equal(fdt_strerror(0), "success");
	assert_string_equal(fdt_strerror(FDT_ERR_BADMAGIC), "bad magic");
	assert_string_equal(fdt_strerror(FDT_ERR_STRUCTRANGE),
			    "truncated: structure block past totalsize");
	assert_string_equal(fdt_strerror(1), "unknown error");
	assert_string_equal(fdt_strerror(FDT_ERR_LAST - 1), "unknown error");
	for (e = FDT_ERR_NOTFOUND; e >= FDT_ERR_LAST; e--) {
		assert_string_not_equal(fdt_strerror(e), "unknown error");
		for (f = e - 1; f >= FDT_ERR_LAST; f--)
			assert_string_not_equal(fdt_strerror(e),
						fdt_strerror(f));
	}
}

/* Offsets that are not nodes: every accessor fails, none reads astray. */
static void test_bad_offsets(void **state)
{
	static const int bad[] = {-1, -100, 1, 2, 3, 0x7ffffffc, 0x7fffffff};
	struct fdt fdt, empty;
	size_t size;
	uint8_t *blob = load_fdt("edge-cells1.dtb", &fdt, &size);
	char path[64];
	uint64_t a;
	unsigned int i;
	int off, node;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_null(fdt_get_name(&fdt, bad[i], NULL));
		assert_true(fdt_first_child(&fdt, bad[i]) < 0);
		assert_true(fdt_next_sibling(&fdt, bad[i]) < 0);
		assert_true(fdt_parent(&fdt, bad[i]) < 0);
		assert_true(fdt_first_prop(&fdt, bad[i]) < 0);
		assert_true(fdt_next_prop(&fdt, bad[i]) < 0);
		assert_null(fdt_prop_value(&fdt, bad[i], NULL, NULL));
		assert_null(fdt_getprop(&fdt, bad[i], "reg", NULL));
		assert_true(fdt_get_path(&fdt, bad[i], path, sizeof(path)) < 0);
		assert_true(fdt_get_reg(&fdt, bad[i], 0, &a, &a) < 0);
		assert_true(fdt_address_cells(&fdt, bad[i]) < 0);
	}

	/*
	 * Every offset in the structure block: a property offset is not a node,
	 * and the parent walk only finds real nodes.
	 */
	for (off = -8; off < (int)fdt.size_struct + 8; off++) {
		sink += (uint32_t)fdt_first_child(&fdt, off);
		sink += (uint32_t)fdt_next_sibling(&fdt, off);
		sink += (uint32_t)fdt_next_node(&fdt, off, NULL);
		sink += (uint32_t)fdt_next_prop(&fdt, off);
		sink += fdt_getprop(&fdt, off, "reg", NULL) != NULL;
		if (fdt_get_path(&fdt, off, path, sizeof(path)) == 0)
			assert_int_equal(fdt_path_offset(&fdt, path), off);
		else
			assert_true(fdt_parent(&fdt, off) < 0);
	}
	node = fdt_first_prop(&fdt, fdt_root(&fdt));
	assert_true(node >= 0);
	assert_null(fdt_get_name(&fdt, node, NULL));

	/* A rejected blob leaves a tree on which everything fails. */
	assert_int_equal(fdt_init(&empty, blob, 3), FDT_ERR_TRUNCATED);
	assert_int_equal(fdt_root(&empty), FDT_ERR_BADOFFSET);
	assert_int_equal(fdt_path_offset(&empty, "/chosen"), FDT_ERR_BADOFFSET);
	assert_int_equal(fdt_next_node(&empty, -1, NULL), FDT_ERR_BADOFFSET);
	assert_int_equal(fdt_num_mem_rsv(&empty), 0);
	free(blob);
}

/* ---- hostile blobs ------------------------------------------------------------ */

static void test_built_tree(void **state)
{
	struct builder b;
	struct fdt fdt;
	size_t size;
	uint8_t *blob;
	int a;

	b_small_tree(&b);
	b.rsv[0][0] = 0x1000;
	b.rsv[0][1] = 0x2000;
	b.nrsv = 1;
	blob = b_finish(&b, &size);
	assert_int_equal(fdt_init(&fdt, blob, size), 0);
	assert_int_equal(fdt_num_mem_rsv(&fdt), 1);
	a = fdt_path_offset(&fdt, "/a");
	assert_true(a >= 0);
	assert_int_equal(fdt_next_sibling(&fdt, a),
			 fdt_path_offset(&fdt, "/b"));
	assert_int_equal(exercise(&fdt), 3);

	/* Version 16 has no size_dt_struct: the walk finds the end. */
	put32(blob + H_VERSION, 16);
	put32(blob + H_SIZE_STRUCT, 0xdeadbeef);
	assert_int_equal(fdt_init(&fdt, blob, size), 0);
	assert_int_equal(fdt.size_struct, b.nst);
	assert_int_equal(exercise(&fdt), 3);
	free(blob);
}

static void test_nops(void **state)
{
	struct builder b = {0};
	struct fdt fdt;
	size_t size;
	uint8_t *blob;
	int root, a;

	b_tok(&b, T_NOP);
	b_begin(&b, "");
	b_tok(&b, T_NOP);
	b_prop_u32(&b, "p", 7);
	b_tok(&b, T_NOP);
	b_begin(&b, "a");
	b_tok(&b, T_NOP);
	b_end(&b);
	b_tok(&b, T_NOP);
	b_end(&b);
	b_tok(&b, T_NOP);
	b_tok(&b, T_END);
	blob = b_finish(&b, &size);
	assert_int_equal(fdt_init(&fdt, blob, size), 0);
	root = fdt_root(&fdt);
	assert_int_equal(root, 4);
	assert_non_null(fdt_getprop(&fdt, root, "p", NULL));
	a = fdt_first_child(&fdt, root);
	assert_string_equal(fdt_get_name(&fdt, a, NULL), "a");
	assert_int_equal(fdt_next_sibling(&fdt, a), FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_parent(&fdt, a), root);
	assert_int_equal(exercise(&fdt), 2);
	free(blob);
}

static void test_bad_header(void **state)
{
	struct builder b;
	struct fdt fdt;
	size_t size;
	uint8_t *blob;
	unsigned int i;

	b_small_tree(&b);
	blob = b_finish(&b, &size);
	assert_int_equal(fdt_init(&fdt, blob, size), 0);
	assert_int_equal(fdt_init(&fdt, NULL, size), FDT_ERR_TRUNCATED);

	/* Magic: every byte matters. */
	for (i = 0; i < 4; i++) {
		uint8_t *copy = dup_bytes(blob, size);

		copy[i] ^= 0x40;
		assert_int_equal(fdt_init(&fdt, copy, size), FDT_ERR_BADMAGIC);
		assert_int_equal(fdt_total_size(copy), 0);
		free(copy);
	}

	/* Versions: 16 and 17 read; 15, or last_comp 18, or last > version not. */
	assert_int_equal(init_patched(blob, size, H_VERSION, 15),
			 FDT_ERR_BADVERSION);
	assert_int_equal(init_patched(blob, size, H_VERSION, 0),
			 FDT_ERR_BADVERSION);
	assert_int_equal(init_patched(blob, size, H_LAST_COMP, 18),
			 FDT_ERR_BADVERSION);
	assert_int_equal(init_patched(blob, size, H_LAST_COMP, 17), 0);
	assert_int_equal(init_patched(blob, size, H_VERSION, 18), 0);
	assert_int_equal(init_patched(blob, size, H_VERSION, 0xffffffff), 0);
	put32(blob + H_VERSION, 16);
	assert_int_equal(init_patched(blob, size, H_LAST_COMP, 17),
			 FDT_ERR_BADVERSION);
	put32(blob + H_VERSION, 17);

	/* totalsize: below the header, past the buffer, past 2 GiB. */
	assert_int_equal(init_patched(blob, size, H_TOTALSIZE, 39),
			 FDT_ERR_BADTOTALSIZE);
	assert_int_equal(init_patched(blob, size, H_TOTALSIZE, 0),
			 FDT_ERR_BADTOTALSIZE);
	assert_int_equal(init_patched(blob, size, H_TOTALSIZE, size + 1),
			 FDT_ERR_PASTBUFFER);
	assert_int_equal(init_patched(blob, size, H_TOTALSIZE, 0x80000000),
			 FDT_ERR_BADTOTALSIZE);
	free(blob);
}

static void test_bad_blocks(void **state)
{
	struct builder b;
	size_t size;
	uint8_t *blob;
	uint32_t st, str, rsv, nst, nstr;

	b_small_tree(&b);
	blob = b_finish(&b, &size);
	st = get32(blob + H_OFF_STRUCT);
	str = get32(blob + H_OFF_STRINGS);
	rsv = get32(blob + H_OFF_RSVMAP);
	nst = get32(blob + H_SIZE_STRUCT);
	nstr = get32(blob + H_SIZE_STRINGS);

	/* Offsets and sizes past the end, including sums that wrap. */
	assert_int_equal(init_patched(blob, size, H_OFF_STRUCT,
				      ((uint32_t)size + 4) & ~3u),
			 FDT_ERR_STRUCTRANGE);
	assert_int_equal(init_patched(blob, size, H_OFF_STRUCT, 0xfffffff0),
			 FDT_ERR_STRUCTRANGE);
	assert_int_equal(
		init_patched(blob, size, H_SIZE_STRUCT, (nst + nstr + 7) & ~3u),
		FDT_ERR_STRUCTRANGE);
	assert_int_equal(init_patched(blob, size, H_SIZE_STRUCT, 0xfffffffc),
			 FDT_ERR_STRUCTRANGE);
	assert_int_equal(init_patched(blob, size, H_OFF_STRINGS, str + 1),
			 FDT_ERR_STRINGSRANGE);
	assert_int_equal(init_patched(blob, size, H_OFF_STRINGS, 0xffffffff),
			 FDT_ERR_STRINGSRANGE);
	assert_int_equal(init_patched(blob, size, H_SIZE_STRINGS, 0xffffffff),
			 FDT_ERR_STRINGSRANGE);
	assert_int_equal(
		init_patched(blob, size, H_OFF_RSVMAP, (uint32_t)size & ~7u),
		FDT_ERR_RSVMAPRANGE);
	assert_int_equal(init_patched(blob, size, H_OFF_RSVMAP, 0xfffffff8),
			 FDT_ERR_RSVMAPRANGE);

	/* Alignment. */
	assert_int_equal(init_patched(blob, size, H_OFF_STRUCT, st + 2),
			 FDT_ERR_ALIGNMENT);
	assert_int_equal(init_patched(blob, size, H_SIZE_STRUCT, nst - 2),
			 FDT_ERR_ALIGNMENT);
	assert_int_equal(init_patched(blob, size, H_OFF_RSVMAP, rsv + 4),
			 FDT_ERR_ALIGNMENT);

	/* Overlaps: with the header, and between blocks. */
	assert_int_equal(init_patched(blob, size, H_OFF_RSVMAP, 32),
			 FDT_ERR_OVERLAP);
	assert_int_equal(init_patched(blob, size, H_OFF_RSVMAP, 0),
			 FDT_ERR_OVERLAP);
	assert_int_equal(init_patched(blob, size, H_OFF_STRUCT, 36),
			 FDT_ERR_OVERLAP);
	assert_int_equal(init_patched(blob, size, H_OFF_STRINGS, st),
			 FDT_ERR_OVERLAP);
	assert_int_equal(init_patched(blob, size, H_OFF_STRINGS, str - 4),
			 FDT_ERR_OVERLAP);
	assert_int_equal(init_patched(blob, size, H_OFF_STRINGS, 0),
			 FDT_ERR_OVERLAP);
	/* Structure or strings block on top of the reservation map. */
	assert_int_equal(init_patched(blob, size, H_OFF_STRUCT, rsv),
			 FDT_ERR_OVERLAP);
	assert_int_equal(init_patched(blob, size, H_OFF_STRINGS, rsv + 8),
			 FDT_ERR_OVERLAP);
	/* An empty strings block overlaps nothing. */
	{
		struct builder e = {0};

		b_begin(&e, "");
		b_end(&e);
		b_tok(&e, T_END);
		assert_int_equal(init_built(&e), 0);
	}
	free(blob);
}

static void test_rsvmap_unterminated(void **state)
{
	struct builder b;
	size_t size;
	uint8_t *blob, *big;
	uint32_t i;

	b_small_tree(&b);
	blob = b_finish(&b, &size);
	/* Move the map to the end of the blob and fill it with non-zero pairs. */
	big = calloc(1, size + 64);
	memcpy(big, blob, size);
	put32(big + H_TOTALSIZE, (uint32_t)size + 64);
	put32(big + H_OFF_RSVMAP, ((uint32_t)size + 7) & ~7u);
	for (i = ((uint32_t)size + 7) & ~7u; i + 4 <= size + 64; i += 4)
		put32(big + i, 0x11111111);
	{
		struct fdt fdt;

		assert_int_equal(fdt_init(&fdt, big, size + 64),
				 FDT_ERR_RSVMAPRANGE);
	}
	free(big);
	free(blob);
}

static void test_bad_structure(void **state)
{
	struct builder b;
	int i;

	/* Unbalanced: an END_NODE too many, one too few, one first. */
	b_small_tree(&b);
	b.nst -= 4;
	b_end(&b);
	b_tok(&b, T_END);
	assert_int_equal(init_built(&b), FDT_ERR_UNBALANCED);

	b_small_tree(&b);
	b.nst -= 8;
	b_tok(&b, T_END);
	assert_int_equal(init_built(&b), FDT_ERR_UNBALANCED);

	memset(&b, 0, sizeof(b));
	b_end(&b);
	b_tok(&b, T_END);
	assert_int_equal(init_built(&b), FDT_ERR_UNBALANCED);

	/* No FDT_END, or nothing at all. */
	b_small_tree(&b);
	b.nst -= 4;
	assert_int_equal(init_built(&b), FDT_ERR_NOEND);
	memset(&b, 0, sizeof(b));
	assert_int_equal(init_built(&b), FDT_ERR_NOEND);

	/* No root; two roots; a property outside any node. */
	memset(&b, 0, sizeof(b));
	b_tok(&b, T_NOP);
	b_tok(&b, T_END);
	assert_int_equal(init_built(&b), FDT_ERR_NOROOT);

	b_small_tree(&b);
	b.nst -= 4;
	b_begin(&b, "");
	b_end(&b);
	b_tok(&b, T_END);
	assert_int_equal(init_built(&b), FDT_ERR_MULTIROOT);

	b_small_tree(&b);
	b.nst -= 4;
	b_prop_u32(&b, "stray", 1);
	b_tok(&b, T_END);
	assert_int_equal(init_built(&b), FDT_ERR_PROPORDER);

	memset(&b, 0, sizeof(b));
	b_prop_u32(&b, "first", 1);
	b_begin(&b, "");
	b_end(&b);
	b_tok(&b, T_END);
	assert_int_equal(init_built(&b), FDT_ERR_PROPORDER);

	/* A property after a subnode. */
	memset(&b, 0, sizeof(b));
	b_begin(&b, "");
	b_begin(&b, "a");
	b_end(&b);
	b_prop_u32(&b, "late", 1);
	b_end(&b);
	b_tok(&b, T_END);
	assert_int_equal(init_built(&b), FDT_ERR_PROPORDER);

	/* Unknown tokens. */
	for (i = 0; i < 3; i++) {
		static const uint32_t toks[] = {0, 5, 0xffffffff};

		b_small_tree(&b);
		b.nst -= 4;
		b_tok(&b, toks[i]);
		b_tok(&b, T_END);
		assert_int_equal(init_built(&b), FDT_ERR_BADTOKEN);
	}

	/* An empty name below the root, and one a path could not name. */
	memset(&b, 0, sizeof(b));
	b_begin(&b, "");
	b_begin(&b, "");
	b_end(&b);
	b_end(&b);
	b_tok(&b, T_END);
	assert_int_equal(init_built(&b), FDT_ERR_BADNAME);

	memset(&b, 0, sizeof(b));
	b_begin(&b, "");
	b_begin(&b, "a/b");
	b_end(&b);
	b_end(&b);
	b_tok(&b, T_END);
	assert_int_equal(init_built(&b), FDT_ERR_BADNAME);
}

static void test_bad_names_and_props(void **state)
{
	struct builder b;
	struct fdt fdt;
	size_t size;
	uint8_t *blob;
	uint32_t str;
	int pos;

	/* A node name running to the end of the block without its NUL. */
	memset(&b, 0, sizeof(b));
	b_begin(&b, "");
	b_tok(&b, T_BEGIN);
	memcpy(b.st + b.nst, "abcd", 4);
	b.nst += 4;
	assert_int_equal(init_built(&b), FDT_ERR_BADNAME);

	/* A name whose NUL is the block's last byte: no room for END. */
	memset(&b, 0, sizeof(b));
	b_begin(&b, "");
	b_begin(&b, "abc");
	assert_int_equal(init_built(&b), FDT_ERR_NOEND);

	/* Property header cut short by the end of the block. */
	memset(&b, 0, sizeof(b));
	b_begin(&b, "");
	b_tok(&b, T_PROP);
	b_tok(&b, 0);
	assert_int_equal(init_built(&b), FDT_ERR_BADPROP);

	/* Property length past the block, by one byte and by a lot. */
	b_small_tree(&b);
	pos = 8; /* root BEGIN_NODE + "" pad; then PROP, len, nameoff */
	assert_int_equal(get32(b.st), T_BEGIN);
	assert_int_equal(get32(b.st + pos), T_PROP);
	put32(b.st + pos + 4, b.nst - pos - 12 + 1);
	assert_int_equal(init_built(&b), FDT_ERR_BADPROP);
	put32(b.st + pos + 4, 0x7fffffff);
	assert_int_equal(init_built(&b), FDT_ERR_BADPROP);
	put32(b.st + pos + 4, 0xffffffff);
	assert_int_equal(init_built(&b), FDT_ERR_BADPROP);
	/* A value ending exactly at the block end, padding and all: no END. */
	put32(b.st + pos + 4, b.nst - pos - 12);
	assert_int_equal(init_built(&b), FDT_ERR_NOEND);

	/* Name offsets outside the strings block. */
	b_small_tree(&b);
	put32(b.st + pos + 8, b.nstr);
	assert_int_equal(init_built(&b), FDT_ERR_BADSTROFF);
	put32(b.st + pos + 8, 0xffffffff);
	assert_int_equal(init_built(&b), FDT_ERR_BADSTROFF);

	/* The last name loses its NUL: the strings block ends one byte early. */
	b_small_tree(&b);
	blob = b_finish(&b, &size);
	str = get32(blob + H_SIZE_STRINGS);
	put32(blob + H_SIZE_STRINGS, str - 1);
	assert_int_equal(fdt_init(&fdt, blob, size), FDT_ERR_BADSTRING);
	free(blob);
}

static void test_deep_nesting(void **state)
{
	struct builder b;
	struct fdt fdt;
	size_t size;
	uint8_t *blob;
	char path[256];
	int depth, max_depth = 0, node, prev, i;

	/* The root and 31 levels below it: the deepest accepted. */
	memset(&b, 0, sizeof(b));
	b_begin(&b, "");
	for (i = 1; i < FDT_MAX_DEPTH; i++)
		b_begin(&b, "n");
	for (i = 0; i < FDT_MAX_DEPTH; i++)
		b_end(&b);
	b_tok(&b, T_END);
	blob = b_finish(&b, &size);
	assert_int_equal(fdt_init(&fdt, blob, size), 0);
	depth = 0;
	prev = -1;
	for (node = fdt_next_node(&fdt, -1, &depth); node >= 0;
	     node = fdt_next_node(&fdt, node, &depth)) {
		if (prev >= 0)
			assert_int_equal(fdt_parent(&fdt, node), prev);
		prev = node;
		if (depth > max_depth)
			max_depth = depth;
	}
	assert_int_equal(max_depth, FDT_MAX_DEPTH);
	assert_int_equal(depth, 0);
	assert_int_equal(fdt_get_path(&fdt, prev, path, sizeof(path)), 0);
	assert_int_equal(strlen(path), 2 * (FDT_MAX_DEPTH - 1));
	assert_int_equal(fdt_path_offset(&fdt, path), prev);
	free(blob);

	/* One more level is rejected. */
	memset(&b, 0, sizeof(b));
	b_begin(&b, "");
	for (i = 1; i <= FDT_MAX_DEPTH; i++)
		b_begin(&b, "n");
	for (i = 0; i <= FDT_MAX_DEPTH; i++)
		b_end(&b);
	b_tok(&b, T_END);
	assert_int_equal(init_built(&b), FDT_ERR_DEPTH);

	/* Far deeper, never closed: rejected at the limit, not at the end. */
	memset(&b, 0, sizeof(b));
	b_begin(&b, "");
	for (i = 0; i < 2000; i++)
		b_begin(&b, "n");
	assert_int_equal(init_built(&b), FDT_ERR_DEPTH);
}

/*
 * Truncations of a real DTB at every length up to well past the header, then
 * a sweep: first as cut (totalsize now lies), then with totalsize patched to
 * the cut so that the block checks themselves must catch it.
 */
static void test_truncated(void **state)
{
	struct fdt fdt;
	size_t size, len, strings_end;
	uint8_t *blob = test_data_load("anchor-gic3.dtb", &size);

	strings_end =
		get32(blob + H_OFF_STRINGS) + get32(blob + H_SIZE_STRINGS);
	assert_int_equal(strings_end, size);
	for (len = 0; len < size; len += len < 1024 ? 1 : 7) {
		uint8_t *cut = dup_bytes(blob, len);
		int err = fdt_init(&fdt, cut, len);

		assert_true(err < 0);
		if (len < 4)
			assert_int_equal(err, FDT_ERR_TRUNCATED);
		if (len >= 4 && len < H_SIZE)
			assert_int_equal(err, FDT_ERR_TRUNCATED);
		if (len >= H_SIZE)
			assert_int_equal(err, FDT_ERR_PASTBUFFER);
		if (len >= H_SIZE) {
			put32(cut + H_TOTALSIZE, (uint32_t)len);
			err = fdt_init(&fdt, cut, len);
			assert_true(err < 0);
		}
		free(cut);
	}
	assert_int_equal(fdt_init(&fdt, blob, size), 0);
	free(blob);
}

/* xorshift64*: the same sequence on every run. */
static uint64_t prng_state = 0x9e3779b97f4a7c15ull;

static uint64_t prng(void)
{
	prng_state ^= prng_state >> 12;
	prng_state ^= prng_state << 25;
	prng_state ^= prng_state >> 27;
	return prng_state * 0x2545f4914f6cdd1dull;
}

/*
 * Random byte flips over the anchor DTB. Half the flips land in the header
 * and structure block, where they matter most. Whatever fdt_init accepts,
 * every accessor is then run over, in an exactly sized buffer under ASan.
 */
static void test_fuzz_flips(void **state)
{
	struct fdt fdt;
	size_t size;
	uint8_t *blob = test_data_load("anchor-gic3.dtb", &size);
	uint32_t hot = get32(blob + H_OFF_STRUCT) + get32(blob + H_SIZE_STRUCT);
	unsigned int iter, k, accepted = 0;

	for (iter = 0; iter < 4000; iter++) {
		uint8_t *copy = dup_bytes(blob, size);
		unsigned int flips = 1 + prng() % 4;

		for (k = 0; k < flips; k++) {
			uint64_t r = prng();
			size_t pos = (r & 1) ? (r >> 8) % hot : (r >> 8) % size;

			if (r & 2)
				copy[pos] ^= 1u << ((r >> 4) & 7);
			else
				copy[pos] = (uint8_t)(r >> 40);
		}
		if (fdt_init(&fdt, copy, size) == 0) {
			accepted++;
			exercise(&fdt);
		}
		free(copy);
	}
	print_message("fuzz: %u of 4000 flipped blobs accepted\n", accepted);
	/* Most flips hit values, which parse fine: both outcomes occur. */
	assert_true(accepted > 100 && accepted < 4000);
	free(blob);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_header),
		cmocka_unit_test(test_qemu_navigation),
		cmocka_unit_test(test_qemu_properties),
		cmocka_unit_test(test_qemu_reg),
		cmocka_unit_test(test_qemu_compatible),
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_memreserve_and_cells),
		cmocka_unit_test(test_default_cells_and_bad_reg),
		cmocka_unit_test(test_read_cells),
		cmocka_unit_test(test_strerror),
		cmocka_unit_test(test_bad_offsets),
		cmocka_unit_test(test_built_tree),
		cmocka_unit_test(test_nops),
		cmocka_unit_test(test_bad_header),
		cmocka_unit_test(test_bad_blocks),
		cmocka_unit_test(test_rsvmap_unterminated),
		cmocka_unit_test(test_bad_structure),
		cmocka_unit_test(test_bad_names_and_props),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_fuzz_flips),
	};

	(void)argc;
	test_data_set_dir(argv[0]);
	return cmocka_run_group_tests_name("fdt", tests, NULL, NULL);
}
