// SPDX-License-Identifier: MIT
/*
 * The host device tree read the way Xen 4.17 reads it: the address and
 * interrupt code of xen/common/device_tree.c (dt_device_get_address,
 * dt_for_each_range, dt_device_get_raw_irq, dt_irq_map_raw,
 * dt_for_each_irq_map) and the GIC's dt_irq_xlate, rewritten for Orchid's
 * read-only parser. Xen's shortcuts are kept on purpose (a bus without
 * "ranges" gives its children no addresses; any non-zero first GIC cell
 * counts as a PPI), since what Dom0 gets must match what Xen gives it.
 * Every walk is bounded: specifiers and addresses are at most DT_MAX_CELLS
 * cells and every property read is checked against its length.
 */
#include <orchid/errno.h>
#include <orchid/string.h>

#include "dt_lookup.h"

/* PCI address space bits of a 3-cell PCI address's first cell. */
enum {
	PCI_SPACE_IO = 1U << 0,
	PCI_SPACE_MEM = 1U << 1,
};

static const char *const dt_gic_compat[] = {
	"arm,cortex-a15-gic",
	"arm,cortex-a7-gic",
	"arm,gic-400",
	"arm,gic-v3",
	NULL,
};

/* ---- properties and names ---------------------------------------------- */

static int dt_lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

/* Xen compares node names, types and compatibles ignoring case. */
bool dt_streq_nocase(const char *a, const char *b)
{
	while (*a && dt_lower(*a) == dt_lower(*b)) {
		a++;
		b++;
	}
	return dt_lower(*a) == dt_lower(*b);
}

uint32_t dt_be32(const uint8_t *p)
{
	return (uint32_t)fdt_read_cells(p, 1);
}

/* Xen's dt_read_number: @n big-endian cells, the low 64 bits kept. */
uint64_t dt_number(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	while (n--) {
		v = v << 32 | dt_be32(p);
		p += 4;
	}
	return v;
}

/* The same over cells already in host order. */
static uint64_t dt_number_cells(const uint32_t *c, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 32 | *c++;
	return v;
}

void dt_load_cells(uint32_t *dst, const uint8_t *src, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		dst[i] = dt_be32(src + 4 * i);
}

const uint8_t *dt_prop(const struct dt_lookup *dt, int node, const char *name,
		       uint32_t *len)
{
	uint32_t l = 0;
	const uint8_t *v = fdt_getprop(dt->fdt, node, name, &l);

	if (len)
		*len = v ? l : 0;
	return v;
}

bool dt_has(const struct dt_lookup *dt, int node, const char *name)
{
	return dt_prop(dt, node, name, NULL) != NULL;
}

/* Xen's dt_property_read_u32: the first cell of a value of 4 bytes or more. */
bool dt_read_u32(const struct dt_lookup *dt, int node, const char *name,
		 uint32_t *v)
{
	uint32_t len;
	const uint8_t *p = dt_prop(dt, node, name, &len);

	if (!p || len < 4)
		return false;
	*v = dt_be32(p);
	return true;
}

bool dt_compat_any(const struct dt_lookup *dt, int node,
		   const char *const *list)
{
	const char *s;
	unsigned int i, j;

	for (i = 0; (s = fdt_stringlist_get(dt->fdt, node, "compatible", i));
	     i++)
		for (j = 0; list[j]; j++)
			if (dt_streq_nocase(s, list[j]))
				return true;
	return false;
}

bool dt_type_is(const struct dt_lookup *dt, int node, const char *type)
{
	const char *t = fdt_getprop_string(dt->fdt, node, "device_type");

	return t && dt_streq_nocase(t, type);
}

/* Xen's np->phandle: "phandle", else "linux,phandle"; 0 when none. */
uint32_t dt_phandle_of(const struct dt_lookup *dt, int node)
{
	uint32_t ph;

	if (dt_read_u32(dt, node, "phandle", &ph) ||
	    dt_read_u32(dt, node, "linux,phandle", &ph))
		return ph;
	return 0;
}

int dt_by_phandle(const struct dt_lookup *dt, uint32_t ph)
{
	int node;

	if (ph == 0)
		return -1;
	/* Nearly every lookup is an interrupt-parent naming the GIC. */
	if (ph == dt->gic_phandle)
		return dt->gic;
	for (node = fdt_next_node(dt->fdt, -1, NULL); node >= 0;
	     node = fdt_next_node(dt->fdt, node, NULL))
		if (dt_phandle_of(dt, node) == ph)
			return node;
	return -1;
}

int dt_parent(const struct dt_lookup *dt, int node)
{
	int parent = fdt_parent(dt->fdt, node);

	return parent < 0 ? -1 : parent;
}

/*
 * Xen's dt_n_addr_cells/dt_n_size_cells: the first value found from
 * @node's parent up to the root, else @dflt.
 */
unsigned int dt_n_cells(const struct dt_lookup *dt, int node, const char *name,
			unsigned int dflt)
{
	uint32_t v;
	int up;

	do {
		up = dt_parent(dt, node);
		if (up >= 0)
			node = up;
		if (dt_read_u32(dt, node, name, &v))
			return v;
	} while (dt_parent(dt, node) >= 0);
	return dflt;
}

/* "name" for "name@unit", or the old "name" property when present. */
size_t dt_base_name(const struct dt_lookup *dt, int node, const char **name)
{
	size_t len;

	*name = fdt_getprop_string(dt->fdt, node, "name");
	if (*name)
		return strlen(*name);
	*name = fdt_get_name(dt->fdt, node, &len);
	return len;
}

static bool dt_base_name_is(const struct dt_lookup *dt, int node, const char *s)
{
	const char *name;
	size_t len = dt_base_name(dt, node, &name);

	return len == strlen(s) && memcmp(name, s, len) == 0;
}

/* ---- addresses (Xen's dt_device_get_address and bus translators) -------- */

/* Xen's dt_match_bus: which translator a node's children go through. */
enum dt_bus dt_bus_of(const struct dt_lookup *dt, int node)
{
	const char *t = fdt_getprop_string(dt->fdt, node, "device_type");

	if (t && (!strcmp(t, "pci") || !strcmp(t, "pciex") ||
		  !strcmp(t, "vci") || !strcmp(t, "ht")))
		return DT_BUS_PCI;
	if (dt_base_name_is(dt, node, "pcie") ||
	    dt_base_name_is(dt, node, "pci"))
		return DT_BUS_PCI;
	if (node == dt->root || dt_has(dt, node, "ranges"))
		return DT_BUS_DEFAULT;
	return DT_BUS_NONE;
}

/* The cells of @node's addresses on a bus of kind @bus. */
void dt_bus_cells(const struct dt_lookup *dt, enum dt_bus bus, int node,
		  unsigned int *na, unsigned int *ns)
{
	if (bus == DT_BUS_PCI) {
		*na = 3;
		*ns = 2;
		return;
	}
	*na = dt_n_cells(dt, node, "#address-cells", 2);
	*ns = dt_n_cells(dt, node, "#size-cells", 1);
}

/*
 * Xen's DT_CHECK_COUNTS, plus a bound on the size cells Xen lacks: every
 * stride computed from them must stay small.
 */
bool dt_counts_ok(unsigned int na, unsigned int ns)
{
	return na > 0 && na <= DT_MAX_CELLS && ns > 0 && ns <= DT_MAX_CELLS;
}

static unsigned int dt_pci_space(uint32_t hi)
{
	switch ((hi >> 24) & 3) {
	case 1: return PCI_SPACE_IO;
	case 2:
	case 3: return PCI_SPACE_MEM;
	default: return 0;
	}
}

/*
 * Xen's bus->map: the offset of @addr inside one "ranges" entry @range, or
 * false when it lies outside.
 */
static bool dt_bus_map(enum dt_bus bus, const uint32_t *addr,
		       const uint8_t *range, unsigned int na, unsigned int ns,
		       unsigned int pna, uint64_t *offset)
{
	uint32_t r[DT_MAX_CELLS];
	uint64_t cp, s, da;
	unsigned int skip = 0;

	dt_load_cells(r, range, na);
	if (bus == DT_BUS_PCI) {
		if ((dt_pci_space(addr[0]) ^ dt_pci_space(r[0])) &
		    (PCI_SPACE_IO | PCI_SPACE_MEM))
			return false;
		skip = 1;
	} else if (na > 2 && memcmp(r, addr, na * 4) != 0) {
		/* Such an address is an identifier that must match. */
		return false;
	}
	cp = dt_number_cells(r + skip, na - skip);
	s = dt_number(range + (na + pna) * 4, ns);
	da = dt_number_cells(addr + skip, na - skip);
	if (da < cp || da >= cp + s)
		return false;
	*offset = da - cp;
	return true;
}

/* Xen's bus->translate: add @offset to the address in @addr. */
static void dt_bus_translate(enum dt_bus bus, uint32_t *addr, uint64_t offset,
			     unsigned int na)
{
	uint64_t a;

	if (bus == DT_BUS_PCI) {
		addr++;
		na--;
	}
	a = dt_number_cells(addr, na) + offset;
	memset(addr, 0, na * 4);
	if (na > 1)
		addr[na - 2] = (uint32_t)(a >> 32);
	addr[na - 1] = (uint32_t)a;
}

/* Xen's dt_translate_one: move @addr from @dev's bus to its parent's. */
static bool dt_translate_one(const struct dt_lookup *dt, int dev,
			     enum dt_bus bus, enum dt_bus pbus, uint32_t *addr,
			     unsigned int na, unsigned int ns, unsigned int pna)
{
	uint32_t rlen, rone = (na + pna + ns) * 4;
	const uint8_t *ranges = dt_prop(dt, dev, "ranges", &rlen);
	uint64_t offset = 0;
	bool found = false;

	if (!ranges)
		return false;
	if (rlen == 0) {
		/* Empty "ranges": 1:1. */
		offset = dt_number_cells(addr, na);
		memset(addr, 0, pna * 4);
	} else {
		for (; rlen >= rone; rlen -= rone, ranges += rone) {
			found = dt_bus_map(bus, addr, ranges, na, ns, pna,
					   &offset);
			if (found)
				break;
		}
		if (!found)
			return false;
		dt_load_cells(addr, ranges + na * 4, pna);
	}
	dt_bus_translate(pbus, addr, offset, pna);
	return true;
}

/*
 * Xen's __dt_translate_address: @in, an address in the space of @dev's
 * parent bus, up to a CPU physical address through every "ranges".
 */
int dt_translate(const struct dt_lookup *dt, int dev, const uint8_t *in,
		 uint64_t *out)
{
	uint32_t addr[DT_MAX_CELLS];
	unsigned int na, ns, pna, pns;
	enum dt_bus bus, pbus;
	int parent = dt_parent(dt, dev);

	if (parent < 0)
		return -EINVAL;
	bus = dt_bus_of(dt, parent);
	if (bus == DT_BUS_NONE)
		return -EINVAL;
	dt_bus_cells(dt, bus, dev, &na, &ns);
	if (!dt_counts_ok(na, ns))
		return -EINVAL;
	dt_load_cells(addr, in, na);

	for (;;) {
		dev = parent;
		parent = dt_parent(dt, dev);
		if (parent < 0)
			break;
		pbus = dt_bus_of(dt, parent);
		if (pbus == DT_BUS_NONE)
			return -EINVAL;
		dt_bus_cells(dt, pbus, dev, &pna, &pns);
		if (!dt_counts_ok(pna, pns))
			return -EINVAL;
		if (!dt_translate_one(dt, dev, bus, pbus, addr, na, ns, pna))
			return -EINVAL;
		na = pna;
		ns = pns;
		bus = pbus;
	}
	*out = dt_number_cells(addr, na);
	return 0;
}

/*
 * Xen's dt_number_of_address: no addresses unless the parent is a bus it
 * can translate through (the root, a node with "ranges", or PCI).
 */
void dt_regs_of(const struct dt_lookup *dt, int node, struct dt_regs *r)
{
	int parent = dt_parent(dt, node);
	enum dt_bus bus;
	uint32_t len;

	r->count = 0;
	if (parent < 0)
		return;
	bus = dt_bus_of(dt, parent);
	if (bus == DT_BUS_NONE)
		return;
	dt_bus_cells(dt, bus, node, &r->na, &r->ns);
	if (!dt_counts_ok(r->na, r->ns))
		return;
	r->val =
		dt_prop(dt, node,
			bus == DT_BUS_PCI ? "assigned-addresses" : "reg", &len);
	if (r->val)
		r->count = len / 4 / (r->na + r->ns);
}

int dt_reg_get(const struct dt_lookup *dt, int node, const struct dt_regs *r,
	       unsigned int i, uint64_t *addr, uint64_t *size)
{
	const uint8_t *e = r->val + i * (r->na + r->ns) * 4;

	*size = dt_number(e + r->na * 4, r->ns);
	return dt_translate(dt, node, e, addr);
}

/* ---- interrupts (Xen's dt_device_get_raw_irq and dt_irq_map_raw) --------- */

/*
 * Xen's dt_irq_find_parent: follow interrupt-parent up to a controller.
 * Unlike Xen's, the walk gives up after DT_MAX_HOPS steps, so that a cycle
 * of interrupt-parent phandles cannot hang the hypervisor.
 */
int dt_irq_parent(const struct dt_lookup *dt, int node)
{
	unsigned int hops = 0;
	uint32_t ph;

	do {
		if (++hops > DT_MAX_HOPS)
			return -1;
		if (dt_read_u32(dt, node, "interrupt-parent", &ph))
			node = dt_by_phandle(dt, ph);
		else
			node = dt_parent(dt, node);
	} while (node >= 0 && !dt_has(dt, node, "#interrupt-cells"));
	return node;
}

/*
 * Walk "interrupts-extended" (<phandle cells...>...). With @idx < 0 returns
 * the number of entries; otherwise fills @out with entry @idx's target and
 * cells and returns 0. Negative when absent or malformed.
 */
static int dt_irq_ext(const struct dt_lookup *dt, int node, int idx,
		      struct dt_raw_irq *out)
{
	uint32_t len, off = 0, cells;
	const uint8_t *p = dt_prop(dt, node, "interrupts-extended", &len);
	int ctrl, n = 0;

	if (!p)
		return -ENOENT;
	while (off + 4 <= len) {
		ctrl = dt_by_phandle(dt, dt_be32(p + off));
		off += 4;
		if (ctrl < 0 ||
		    !dt_read_u32(dt, ctrl, "#interrupt-cells", &cells))
			return -EINVAL;
		if (cells > (len - off) / 4)
			return -EINVAL;
		if (n == idx) {
			if (cells > DT_MAX_CELLS)
				return -EINVAL;
			out->controller = ctrl;
			out->size = cells;
			dt_load_cells(out->spec, p + off, cells);
			return 0;
		}
		off += cells * 4;
		n++;
	}
	return idx < 0 ? n : -EINVAL;
}

/* Xen's dt_number_of_irq. */
unsigned int dt_irq_count(const struct dt_lookup *dt, int node)
{
	uint32_t len, size;
	int n = dt_irq_ext(dt, node, -1, NULL);
	int parent;

	if (n >= 0)
		return (unsigned int)n;
	if (!dt_prop(dt, node, "interrupts", &len))
		return 0;
	parent = dt_irq_parent(dt, node);
	if (parent < 0 || !dt_read_u32(dt, parent, "#interrupt-cells", &size) ||
	    size == 0)
		return 0;
	return len / 4 / size;
}

/* Where the walk of the interrupt tree stands (dt_irq_map_raw). */
struct dt_irq_walk {
	uint32_t addr[DT_MAX_CELLS];
	uint32_t spec[DT_MAX_CELLS];
	unsigned int addrsize, intsize;
	bool have_addr;
};

/* The cells to compare, unit address first, masked by interrupt-map-mask. */
static bool dt_imap_match(const struct dt_irq_walk *wk, const uint8_t *entry,
			  const uint8_t *mask, uint32_t mask_len)
{
	unsigned int i, n = wk->addrsize + wk->intsize;

	for (i = 0; i < n; i++) {
		uint32_t m = 4 * i + 4 <= mask_len ? dt_be32(mask + 4 * i)
						   : 0xffffffffU;
		uint32_t v = i < wk->addrsize ? wk->addr[i]
					      : wk->spec[i - wk->addrsize];

		if ((v ^ dt_be32(entry + 4 * i)) & m)
			return false;
	}
	return true;
}

/*
 * One step through the interrupt-map of @ipar: the next parent, with the
 * walk's address and specifier replaced by the matching entry's. Returns
 * the parent, or -1 when nothing matches or the map is malformed.
 */
static int dt_imap_step(const struct dt_lookup *dt, int ipar,
			struct dt_irq_walk *wk)
{
	uint32_t len, mask_len, cells, pint, paddr, child;
	const uint8_t *imap = dt_prop(dt, ipar, "interrupt-map", &len);
	const uint8_t *mask =
		dt_prop(dt, ipar, "interrupt-map-mask", &mask_len);
	int newpar;

	/* Without a "reg" the child unit address must be empty. */
	if (!wk->have_addr && wk->addrsize != 0)
		return -1;
	cells = len / 4;
	child = wk->addrsize + wk->intsize;
	while (cells > child + 1) {
		bool match = dt_imap_match(wk, imap, mask, mask ? mask_len : 0);

		newpar = dt_by_phandle(dt, dt_be32(imap + child * 4));
		if (newpar < 0 ||
		    !dt_read_u32(dt, newpar, "#interrupt-cells", &pint))
			return -1;
		if (!dt_read_u32(dt, newpar, "#address-cells", &paddr))
			paddr = 0;
		cells -= child + 1;
		if (pint > DT_MAX_CELLS || paddr > DT_MAX_CELLS ||
		    cells < paddr + pint)
			return -1;
		imap += (child + 1) * 4;
		if (match) {
			wk->addrsize = paddr;
			wk->intsize = pint;
			dt_load_cells(wk->addr, imap, paddr);
			dt_load_cells(wk->spec, imap + paddr * 4, pint);
			wk->have_addr = true;
			return newpar;
		}
		imap += (paddr + pint) * 4;
		cells -= paddr + pint;
	}
	return -1;
}

/*
 * Xen's dt_irq_map_raw: from @parent, with specifier @spec of @size cells
 * and the device's "reg" @reg, up to the interrupt controller.
 */
static int dt_irq_map(const struct dt_lookup *dt, int parent,
		      const uint32_t *spec, unsigned int size,
		      const uint8_t *reg, uint32_t reg_len,
		      struct dt_raw_irq *out)
{
	struct dt_irq_walk wk = {.intsize = 1};
	unsigned int hops = 0;
	uint32_t v;
	int ipar = parent, up;

	while (ipar >= 0 && !dt_read_u32(dt, ipar, "#interrupt-cells", &v))
		ipar = dt_irq_parent(dt, ipar);
	if (ipar < 0 || v != size || size > DT_MAX_CELLS)
		return -EINVAL;
	wk.intsize = size;
	memcpy(wk.spec, spec, size * 4);

	/* The old Linux rule: #address-cells from the parent or above. */
	wk.addrsize = 2;
	for (up = ipar; up >= 0; up = dt_parent(dt, up))
		if (dt_read_u32(dt, up, "#address-cells", &v)) {
			wk.addrsize = v;
			break;
		}
	if (wk.addrsize > DT_MAX_CELLS)
		return -EINVAL;
	wk.have_addr = reg != NULL;
	if (reg)
		dt_load_cells(wk.addr, reg, min_u64(wk.addrsize, reg_len / 4));

	while (ipar >= 0 && ++hops <= DT_MAX_HOPS) {
		if (dt_has(dt, ipar, "interrupt-controller")) {
			out->controller = ipar;
			out->size = wk.intsize;
			memcpy(out->spec, wk.spec, wk.intsize * 4);
			return 0;
		}
		if (dt_has(dt, ipar, "interrupt-map"))
			ipar = dt_imap_step(dt, ipar, &wk);
		else
			ipar = dt_irq_parent(dt, ipar);
	}
	return -EINVAL;
}

/* Xen's dt_device_get_raw_irq: interrupt @idx of @node. */
int dt_irq_get(const struct dt_lookup *dt, int node, unsigned int idx,
	       struct dt_raw_irq *out)
{
	uint32_t reg_len, len, size;
	const uint8_t *reg = dt_prop(dt, node, "reg", &reg_len);
	const uint8_t *ints;
	uint32_t spec[DT_MAX_CELLS];
	struct dt_raw_irq ext;
	int parent;

	if (dt_irq_ext(dt, node, (int)idx, &ext) == 0)
		return dt_irq_map(dt, ext.controller, ext.spec, ext.size, reg,
				  reg_len, out);
	ints = dt_prop(dt, node, "interrupts", &len);
	parent = ints ? dt_irq_parent(dt, node) : -1;
	if (parent < 0 || !dt_read_u32(dt, parent, "#interrupt-cells", &size))
		return -EINVAL;
	if (size == 0 || size > DT_MAX_CELLS || (idx + 1) * size > len / 4)
		return -EINVAL;
	dt_load_cells(spec, ints + idx * size * 4, size);
	return dt_irq_map(dt, parent, spec, size, reg, reg_len, out);
}

/*
 * Xen's gic_irq_xlate, for the primary GIC only: cell 0 is 0 for an SPI,
 * anything else counts as a PPI.
 */
int dt_irq_intid(const struct dt_lookup *dt, const struct dt_raw_irq *r,
		 uint64_t *intid, unsigned int *type)
{
	if (r->controller != dt->gic || r->size < 3)
		return -EINVAL;
	*intid = (uint64_t)r->spec[1] + GIC_FIRST_PPI;
	if (r->spec[0] == 0)
		*intid += GIC_FIRST_SPI - GIC_FIRST_PPI;
	*type = r->spec[2] & DT_IRQ_TYPE_SENSE_MASK;
	return 0;
}

/* Xen skips any node with an interrupt it resolves to a PPI. */
bool dt_uses_ppi(const struct dt_lookup *dt, int node)
{
	unsigned int i, n = dt_irq_count(dt, node), type;
	struct dt_raw_irq raw;
	uint64_t intid;

	for (i = 0; i < n; i++)
		if (dt_irq_get(dt, node, i, &raw) == 0 &&
		    dt_irq_intid(dt, &raw, &intid, &type) == 0 &&
		    intid >= GIC_FIRST_PPI && intid < GIC_FIRST_SPI)
			return true;
	return false;
}

/*
 * Xen's dt_for_each_irq_map: the interrupt-map entries of @node, each
 * skipped unless its parent is the primary GIC. The map is read with the
 * cells of @node's interrupt domain and of each parent named in it.
 */
int dt_for_each_irq_map(const struct dt_lookup *dt, int node,
			int (*fn)(void *arg, uint64_t intid, unsigned int type),
			void *arg)
{
	struct dt_raw_irq raw;
	uint32_t len, cells, intsize = 1, addrsize = 2, v, paddr;
	const uint8_t *imap;
	unsigned int type;
	uint64_t intid;
	int ipar = node, up, err;

	while (ipar >= 0 &&
	       !dt_read_u32(dt, ipar, "#interrupt-cells", &intsize))
		ipar = dt_irq_parent(dt, ipar);
	if (ipar < 0 || intsize > DT_MAX_CELLS)
		return -EINVAL;
	for (up = ipar; up >= 0; up = dt_parent(dt, up))
		if (dt_read_u32(dt, up, "#address-cells", &v)) {
			addrsize = v;
			break;
		}
	if (addrsize > DT_MAX_CELLS)
		return -EINVAL;
	imap = dt_prop(dt, node, "interrupt-map", &len);
	if (!imap)
		return 0;
	for (cells = len / 4; cells > addrsize + intsize + 1;) {
		/* Skip the child unit address and specifier. */
		imap += (addrsize + intsize) * 4;
		raw.controller = dt_by_phandle(dt, dt_be32(imap));
		imap += 4;
		cells -= addrsize + intsize + 1;
		if (raw.controller < 0 ||
		    !dt_read_u32(dt, raw.controller, "#interrupt-cells", &v))
			return -EINVAL;
		if (!dt_read_u32(dt, raw.controller, "#address-cells", &paddr))
			paddr = 0;
		if (v > DT_MAX_CELLS || paddr > DT_MAX_CELLS ||
		    cells < paddr + v)
			return -EINVAL;
		raw.size = v;
		dt_load_cells(raw.spec, imap + paddr * 4, raw.size);
		imap += (paddr + raw.size) * 4;
		cells -= paddr + raw.size;
		if (raw.controller != dt->gic)
			continue;
		if (dt_irq_intid(dt, &raw, &intid, &type))
			return -EINVAL;
		err = fn(arg, intid, type);
		if (err)
			return err;
	}
	return 0;
}

int dt_for_each_range(const struct dt_lookup *dt, int node,
		      int (*fn)(void *arg, uint64_t addr, uint64_t size),
		      void *arg)
{
	unsigned int na, ns, pna, pns;
	uint32_t len, one;
	const uint8_t *r = dt_prop(dt, node, "ranges", &len);
	int parent = dt_parent(dt, node), err;
	enum dt_bus bus = dt_bus_of(dt, node);
	uint64_t addr;

	if (bus == DT_BUS_NONE)
		return 0;
	if (!r || parent < 0 || dt_bus_of(dt, parent) == DT_BUS_NONE)
		return -EINVAL;
	dt_bus_cells(dt, bus, node, &na, &ns);
	dt_bus_cells(dt, dt_bus_of(dt, parent), node, &pna, &pns);
	if (!dt_counts_ok(na, ns) || !dt_counts_ok(pna, pns))
		return -EINVAL;
	one = (na + pna + ns) * 4;
	for (; len >= one; len -= one, r += one) {
		if (dt_translate(dt, node, r + na * 4, &addr))
			return -EINVAL;
		err = fn(arg, addr, dt_number(r + (na + pna) * 4, ns));
		if (err)
			return err;
	}
	return 0;
}

/* ---- set-up ------------------------------------------------------------- */

bool dt_is_gic(const struct dt_lookup *dt, int node)
{
	return dt_compat_any(dt, node, dt_gic_compat);
}

/*
 * Xen's choice of dt_interrupt_controller: the first node below the root
 * with "interrupt-controller" that a GIC driver takes.
 */
static int dt_find_gic(const struct dt_lookup *dt)
{
	int node;

	for (node = fdt_next_node(dt->fdt, -1, NULL); node >= 0;
	     node = fdt_next_node(dt->fdt, node, NULL))
		if (node != dt->root &&
		    dt_has(dt, node, "interrupt-controller") &&
		    dt_is_gic(dt, node) && fdt_node_is_available(dt->fdt, node))
			return node;
	return -1;
}

int dt_lookup_init(struct dt_lookup *dt, const struct fdt *fdt)
{
	uint32_t ph;

	dt->fdt = fdt;
	dt->gic = -1;
	dt->gic_phandle = 0;
	dt->root = fdt_root(fdt);
	if (dt->root < 0)
		return -EINVAL;
	dt->gic = dt_find_gic(dt);
	if (dt->gic < 0)
		return -ENOENT;
	/* Only when the scan finds the GIC too: phandles may repeat. */
	ph = dt_phandle_of(dt, dt->gic);
	if (dt_by_phandle(dt, ph) == dt->gic)
		dt->gic_phandle = ph;
	return 0;
}
