/* SPDX-License-Identifier: MIT */
/*
 * The host device tree read the way Xen 4.17 reads it (common/device_tree.c):
 * addresses translated through the buses' "ranges" with Xen's default and
 * PCI translators, interrupts resolved through interrupt-parent,
 * interrupts-extended and interrupt-map to the primary GIC, names and
 * compatibles compared without case. Dom0's device tree is built on it, so
 * that Orchid maps and routes what Xen would, quirks included.
 *
 * Private to arch/arm64/dom0_dt*.c and their unit tests.
 */
#ifndef ARM64_DT_LOOKUP_H
#define ARM64_DT_LOOKUP_H

#include <orchid/fdt.h>

enum {
	/* Xen's DT_MAX_ADDR_CELLS and DT_MAX_IRQ_SPEC. */
	DT_MAX_CELLS = 4,
	/* Steps an interrupt-parent or interrupt-map walk may take. */
	DT_MAX_HOPS = 64,
	DT_IRQ_TYPE_EDGE_RISING = 1,
	DT_IRQ_TYPE_LEVEL_LOW = 8,
	DT_IRQ_TYPE_SENSE_MASK = 0xf,
	GIC_FIRST_PPI = 16,
	GIC_FIRST_SPI = 32,
	GIC_SPI_END = 1020,
};

/* The tree and the GIC Xen would drive (its dt_interrupt_controller). */
struct dt_lookup {
	const struct fdt *fdt;
	int root;
	int gic;	      /* -1 when none */
	uint32_t gic_phandle; /* 0 when none: a shortcut for dt_by_phandle */
};

/* Which translator a node's children go through (Xen's dt_match_bus). */
enum dt_bus {
	DT_BUS_NONE,
	DT_BUS_DEFAULT,
	DT_BUS_PCI,
};

/* An interrupt specifier with its controller (Xen's dt_raw_irq). */
struct dt_raw_irq {
	int controller;
	unsigned int size;
	uint32_t spec[DT_MAX_CELLS];
};

/* A node's "reg" (or PCI "assigned-addresses") as Xen sees it. */
struct dt_regs {
	const uint8_t *val;
	unsigned int na, ns, count;
};

/*
 * Set up @dt over a validated tree and find its GIC; -ENOENT without one,
 * -EINVAL without a root.
 */
int dt_lookup_init(struct dt_lookup *dt, const struct fdt *fdt);
/* A node a GIC driver of Xen's would take (v2 or v3, by compatible). */
bool dt_is_gic(const struct dt_lookup *dt, int node);

/* ---- properties and names ---- */
bool dt_streq_nocase(const char *a, const char *b);
uint32_t dt_be32(const uint8_t *p);
/* Xen's dt_read_number: @n big-endian cells, the low 64 bits kept. */
uint64_t dt_number(const uint8_t *p, unsigned int n);
void dt_load_cells(uint32_t *dst, const uint8_t *src, unsigned int n);
/* A property's value and length (0 when absent), or NULL. */
const uint8_t *dt_prop(const struct dt_lookup *dt, int node, const char *name,
		       uint32_t *len);
bool dt_has(const struct dt_lookup *dt, int node, const char *name);
/* Xen's dt_property_read_u32: the first cell of a value of >= 4 bytes. */
bool dt_read_u32(const struct dt_lookup *dt, int node, const char *name,
		 uint32_t *v);
/* A "compatible" string equal to one of the NULL-ended @list. */
bool dt_compat_any(const struct dt_lookup *dt, int node,
		   const char *const *list);
bool dt_type_is(const struct dt_lookup *dt, int node, const char *type);
/* "phandle", else "linux,phandle"; 0 when none. */
uint32_t dt_phandle_of(const struct dt_lookup *dt, int node);
int dt_by_phandle(const struct dt_lookup *dt, uint32_t ph);
int dt_parent(const struct dt_lookup *dt, int node); /* -1 for the root */
/* Xen's dt_n_addr_cells: from @node's parent up to the root, else @dflt. */
unsigned int dt_n_cells(const struct dt_lookup *dt, int node, const char *name,
			unsigned int dflt);
/* "name" for "name@unit" (or the old "name" property), and its length. */
size_t dt_base_name(const struct dt_lookup *dt, int node, const char **name);

/* ---- addresses ---- */
enum dt_bus dt_bus_of(const struct dt_lookup *dt, int node);
void dt_bus_cells(const struct dt_lookup *dt, enum dt_bus bus, int node,
		  unsigned int *na, unsigned int *ns);
bool dt_counts_ok(unsigned int na, unsigned int ns);
/* @in, an address on @dev's parent bus, as a CPU physical address. */
int dt_translate(const struct dt_lookup *dt, int dev, const uint8_t *in,
		 uint64_t *out);
/* Xen's dt_number_of_address; count 0 when the parent is no bus. */
void dt_regs_of(const struct dt_lookup *dt, int node, struct dt_regs *r);
int dt_reg_get(const struct dt_lookup *dt, int node, const struct dt_regs *r,
	       unsigned int i, uint64_t *addr, uint64_t *size);
/*
 * Xen's dt_for_each_range: each entry of a bus node's "ranges", its parent
 * side translated to a CPU address. -EINVAL without "ranges".
 */
int dt_for_each_range(const struct dt_lookup *dt, int node,
		      int (*fn)(void *arg, uint64_t addr, uint64_t size),
		      void *arg);

/* ---- interrupts ---- */
int dt_irq_parent(const struct dt_lookup *dt, int node);
unsigned int dt_irq_count(const struct dt_lookup *dt, int node);
int dt_irq_get(const struct dt_lookup *dt, int node, unsigned int idx,
	       struct dt_raw_irq *out);
/* Xen's gic_irq_xlate, for the primary GIC only. */
int dt_irq_intid(const struct dt_lookup *dt, const struct dt_raw_irq *r,
		 uint64_t *intid, unsigned int *type);
/* True when an interrupt of @node resolves to a PPI of the GIC. */
bool dt_uses_ppi(const struct dt_lookup *dt, int node);
/*
 * Xen's dt_for_each_irq_map: each entry of @node's interrupt-map whose
 * parent is the primary GIC, as INTID and trigger type.
 */
int dt_for_each_irq_map(const struct dt_lookup *dt, int node,
			int (*fn)(void *arg, uint64_t intid, unsigned int type),
			void *arg);

#endif /* ARM64_DT_LOOKUP_H */
