// SPDX-License-Identifier: MIT
/*
 * The interrupt controller and the vCPUs as the DTB describes them: the
 * first top-level node compatible with a GICv3 ("arm,gic-v3") or a GICv2
 * ("arm,cortex-a15-gic", "arm,gic-400"), its reg pairs with the root's
 * two-cell addresses and sizes (QEMU virt's, kept by Xen and Orchid for
 * Dom0), the number of /cpus/cpu@ nodes and the event-channel PPI of
 * /hypervisor. Like bootargs.c, a small
 * trusting walk of a DTB that comes from the hypervisor under test.
 */
#include "gic.h"
#include "guest.h"

#define FDT_MAGIC      0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE   2u
#define FDT_PROP       3u
#define FDT_NOP	       4u

struct gic_info gic;
struct dt_layout dt_layout;
static unsigned int dt_cpus;

static uint32_t be32(const void *p)
{
	const unsigned char *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static uint64_t be64(const void *p)
{
	return (uint64_t)be32(p) << 32 | be32((const char *)p + 4);
}

/* Is @want one of the strings of a stringlist property? */
static int in_stringlist(const char *list, uint32_t len, const char *want)
{
	size_t wlen = strlen(want) + 1;

	for (uint32_t off = 0; off < len;) {
		size_t n = strlen(list + off) + 1;

		if (n == wlen && !memcmp(list + off, want, n))
			return 1;
		off += (uint32_t)n;
	}
	return 0;
}

static int gic_version_of(const char *compat, uint32_t len)
{
	if (in_stringlist(compat, len, "arm,gic-v3"))
		return 3;
	if (in_stringlist(compat, len, "arm,cortex-a15-gic") ||
	    in_stringlist(compat, len, "arm,gic-400"))
		return 2;
	return 0;
}

/* reg: <GICD> then <GICR> (v3) or <GICC> (v2), two cells each. */
static void gic_take_reg(int version, const unsigned char *reg, uint32_t len)
{
	if (len < 32)
		return;
	gic.version = version;
	gic.gicd = be64(reg);
	gic.gicd_size = be64(reg + 8);
	if (version == 3) {
		gic.gicr = be64(reg + 16);
		gic.gicr_size = be64(reg + 24);
	} else {
		gic.gicc = be64(reg + 16);
		gic.gicc_size = be64(reg + 24);
	}
}

struct dt_node {
	const char *compat;
	uint32_t compat_len;
	const unsigned char *reg;
	uint32_t reg_len;
	int hypervisor;
	int memory; /* a memory@ node */
};

/* A memory node's <base size> pairs, two cells each. */
static void memory_take(const unsigned char *reg, uint32_t len)
{
	for (uint32_t off = 0; off + 16 <= len && dt_layout.nr_ram < DT_MAX_RAM;
	     off += 16) {
		dt_layout.ram_base[dt_layout.nr_ram] = be64(reg + off);
		dt_layout.ram_size[dt_layout.nr_ram++] = be64(reg + off + 8);
	}
}

/* /hypervisor's interrupts = <1 N flags>: the upcall is PPI N. */
static void evtchn_take(const unsigned char *prop, uint32_t len)
{
	if (len >= 12 && be32(prop) == 1 && be32(prop + 4) < 16)
		gic.evtchn_irq = 16 + be32(prop + 4);
}

static int dt_strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

static int name_starts(const char *name, const char *prefix)
{
	return !memcmp(name, prefix, strlen(prefix));
}

void gic_dt_find(const void *dtb)
{
	const unsigned char *fdt = dtb, *structs;
	const char *strings;
	struct dt_node node = {0};
	size_t off = 0, size;
	int depth = 0, in_cpus = 0;
	static int scanned;

	if (!fdt || be32(fdt) != FDT_MAGIC || scanned)
		return;
	scanned = 1;
	structs = fdt + be32(fdt + 8);
	strings = (const char *)fdt + be32(fdt + 12);
	size = be32(fdt + 36);
	while (off + 4 <= size) {
		uint32_t tag = be32(structs + off);

		off += 4;
		if (tag == FDT_BEGIN_NODE) {
			const char *name = (const char *)structs + off;

			depth++;
			if (depth == 2) {
				in_cpus = !dt_strcmp(name, "cpus");
				memset(&node, 0, sizeof(node));
				node.hypervisor =
					name_starts(name, "hypervisor");
				node.memory = name_starts(name, "memory@");
			}
			if (depth == 3 && in_cpus && name_starts(name, "cpu@"))
				dt_cpus++;
			off = (off + strlen(name) + 1 + 3) & ~(size_t)3;
		} else if (tag == FDT_END_NODE) {
			int v = gic_version_of(node.compat, node.compat_len);

			if (depth == 2 && v && node.reg && !gic.version)
				gic_take_reg(v, node.reg, node.reg_len);
			if (depth == 2 && node.memory && node.reg)
				memory_take(node.reg, node.reg_len);
			if (depth == 2 && node.reg && node.reg_len >= 16 &&
			    in_stringlist(node.compat, node.compat_len,
					  "arm,sbsa-uart"))
				dt_layout.sbsa_uart = be64(node.reg);
			depth--;
		} else if (tag == FDT_PROP) {
			uint32_t len = be32(structs + off);
			const char *name = strings + be32(structs + off + 4);

			off += 8;
			if (depth != 2) {
				/* Only the root's children matter. */
			} else if (!dt_strcmp(name, "compatible")) {
				node.compat = (const char *)structs + off;
				node.compat_len = len;
			} else if (node.hypervisor &&
				   !dt_strcmp(name, "interrupts")) {
				evtchn_take(structs + off, len);
			} else if (!dt_strcmp(name, "reg")) {
				node.reg = structs + off;
				node.reg_len = len;
			}
			off = (off + len + 3) & ~(size_t)3;
		} else if (tag != FDT_NOP) {
			return;
		}
	}
}

unsigned int smp_nr_cpus(void)
{
	return dt_cpus ? dt_cpus : 1;
}
