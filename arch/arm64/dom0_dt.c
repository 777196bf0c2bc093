// SPDX-License-Identifier: MIT
/*
 * Dom0's device tree, as Xen 4.17 builds it (xen/arch/arm/domain_build.c:
 * handle_node, write_properties, handle_device, make_*_node).
 *
 * The host tree is walked once, depth first. Each node is dropped, replaced
 * or copied with its properties and subtree; a copied node's MMIO ranges
 * and SPIs go to the result for the domain builder. The address and
 * interrupt lookups follow Xen's own device-tree code (common/device_tree.c)
 * rather than the binding documents, including its shortcuts, because the
 * aim is to hand Dom0 what Xen would.
 */
#include <orchid/errno.h>
#include <orchid/fdt_write.h>
#include <orchid/string.h>
#include <orchid/version.h>

#include "dom0_dt_priv.h"

enum {
	/* PSCI 0.1 function IDs Xen gives Dom0 (public/arch-arm.h). */
	XEN_PSCI_CPU_OFF = 1,
	XEN_PSCI_CPU_ON = 2,
	/* The affinity bits Xen puts in a cpu node's reg. */
	DOM0_DT_AFF_MASK = 0xffffff,
};

/* Node classes Xen tells apart by "compatible". */
static const char *const skip_compat[] = {
	"xen,xen",
	"xen,multiboot-module",
	"multiboot,module",
	"arm,psci",
	"arm,psci-0.2",
	"arm,psci-1.0",
	"arm,cortex-a7-pmu",
	"arm,cortex-a15-pmu",
	"arm,cortex-a53-edac",
	"arm,armv8-pmuv3",
	/* The memory mapped timer is not supported by Xen. */
	"arm,armv7-timer-mem",
	NULL,
};
static const char *const timer_compat[] = {
	"arm,armv7-timer",
	"arm,armv8-timer",
	NULL,
};
/* IOMMUs the hypervisor owns, as Xen's SMMU drivers do. */
static const char *const iommu_compat[] = {
	"arm,smmu-v1", "arm,smmu-v2", "arm,mmu-400", "arm,mmu-401",
	"arm,mmu-500", "arm,smmu-v3", NULL,
};

/* ---- the result lists ----------------------------------------------------- */

int dom0_dt_fail(struct dom0_dt_ctx *c, int err, int node)
{
	if (c->out->err_node < 0)
		c->out->err_node = node;
	return err;
}

int dom0_dt_add_mmio(struct dom0_dt_ctx *c, uint64_t base, uint64_t size,
		     unsigned int flags, int node)
{
	struct dom0_dt_mmio *m;

	if (size == 0)
		return 0;
	if (range_overflows(base, size))
		return dom0_dt_fail(c, -EINVAL, node);
	if (c->out->nr_mmio == DOM0_DT_MAX_MMIO)
		return dom0_dt_fail(c, -ENOSPC, node);
	m = &c->out->mmio[c->out->nr_mmio++];
	m->region.base = pa_init(base);
	m->region.size = size;
	m->flags = flags;
	m->node = node;
	return 0;
}

/* Each SPI once: a shared line is routed once (Xen ignores the repeat). */
int dom0_dt_add_spi(struct dom0_dt_ctx *c, uint64_t intid, unsigned int type,
		    unsigned int flags, int node)
{
	struct dom0_dt_spi *s;
	uint32_t bit;

	if (intid < GIC_FIRST_SPI || intid >= GIC_SPI_END)
		return dom0_dt_fail(c, -EINVAL, node);
	bit = 1U << (intid % 32);
	if (c->spi_seen[intid / 32] & bit)
		return 0;
	c->spi_seen[intid / 32] |= bit;
	s = &c->out->spis[c->out->nr_spis++];
	s->intid = (uint16_t)intid;
	s->type = (uint8_t)type;
	s->flags = (uint8_t)flags;
	return 0;
}

int dom0_dt_copy_prop(struct dom0_dt_ctx *c, int node, const char *name)
{
	uint32_t len;
	const uint8_t *v = dt_prop(&c->dt, node, name, &len);

	return v ? fdt_write_prop(&c->w, name, v, len) : 0;
}

/* ---- what Xen maps for a device (handle_device) --------------------------- */

static int dom0_dt_device_irqs(struct dom0_dt_ctx *c, int node,
			       unsigned int flags)
{
	unsigned int i, n = dt_irq_count(&c->dt, node), type;
	struct dt_raw_irq raw;
	uint64_t intid;
	int err;

	for (i = 0; i < n; i++) {
		if (dt_irq_get(&c->dt, node, i, &raw))
			return dom0_dt_fail(c, -EINVAL, node);
		/* Lines of other controllers mean nothing to the GIC. */
		if (raw.controller != c->dt.gic)
			continue;
		if (dt_irq_intid(&c->dt, &raw, &intid, &type))
			return dom0_dt_fail(c, -EINVAL, node);
		err = dom0_dt_add_spi(c, intid, type, flags, node);
		if (err)
			return err;
	}
	return 0;
}

static int dom0_dt_device_regs(struct dom0_dt_ctx *c, int node,
			       unsigned int flags)
{
	uint64_t addr, size;
	struct dt_regs r;
	unsigned int i;
	int err;

	dt_regs_of(&c->dt, node, &r);
	for (i = 0; i < r.count; i++) {
		if (dt_reg_get(&c->dt, node, &r, i, &addr, &size))
			return dom0_dt_fail(c, -EINVAL, node);
		err = dom0_dt_add_mmio(c, addr, size, flags, node);
		if (err)
			return err;
	}
	return 0;
}

/* Each interrupt-map line of a PCI host bridge that reaches the GIC. */
struct dom0_dt_pci {
	struct dom0_dt_ctx *c;
	int node;
	unsigned int flags;
};

static int dom0_dt_pci_irq(void *arg, uint64_t intid, unsigned int type)
{
	struct dom0_dt_pci *pci = arg;

	return dom0_dt_add_spi(pci->c, intid, type, pci->flags, pci->node);
}

static int dom0_dt_pci_range(void *arg, uint64_t addr, uint64_t size)
{
	struct dom0_dt_pci *pci = arg;

	return dom0_dt_add_mmio(pci->c, addr, size, pci->flags, pci->node);
}

/*
 * Xen's map_device_children: for a PCI host bridge, every line of its
 * interrupt-map that reaches the GIC is routed, whichever device uses it,
 * and its windows (I/O, 32- and 64-bit memory) are mapped whole, since Xen
 * 4.17 leaves PCI to Dom0.
 */
static int dom0_dt_pci(struct dom0_dt_ctx *c, int node, unsigned int flags)
{
	struct dom0_dt_pci pci = {c, node, flags};
	int err;

	err = dt_for_each_irq_map(&c->dt, node, dom0_dt_pci_irq, &pci);
	if (!err)
		err = dt_for_each_range(&c->dt, node, dom0_dt_pci_range, &pci);
	if (err == -EINVAL)
		return dom0_dt_fail(c, err, node);
	return err;
}

/*
 * Xen's handle_device: a device marked "xen,passthrough" only gets
 * permissions, the rest is mapped and routed 1:1.
 */
static int dom0_dt_device(struct dom0_dt_ctx *c, int node, bool in_resv)
{
	unsigned int flags = 0;
	int err;

	if (dt_has(&c->dt, node, "xen,passthrough"))
		flags |= DOM0_DT_NOMAP;
	err = dom0_dt_device_irqs(c, node, flags);
	if (err)
		return err;
	err = dom0_dt_device_regs(c, node, flags | (in_resv ? DOM0_DT_RAM : 0));
	if (err)
		return err;
	if (!dt_type_is(&c->dt, node, "pci"))
		return 0;
	return dom0_dt_pci(c, node, flags);
}

/* ---- nodes Orchid writes itself ------------------------------------------ */

/*
 * @base + "@" + @v in lower-case hex, as Xen's "%s@%"PRIx64, into @buf of
 * DOM0_DT_NAME_MAX bytes; @base is one of Orchid's own short names.
 */
void dom0_dt_unit_name(char buf[DOM0_DT_NAME_MAX], const char *base, uint64_t v)
{
	size_t len = strlen(base);
	int shift = 60;

	memcpy(buf, base, len);
	buf[len++] = '@';
	while (shift > 0 && !(v >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		buf[len++] = "0123456789abcdef"[(v >> shift) & 0xf];
	buf[len] = '\0';
}

/* Xen's set_interrupt: a GIC specifier for @intid, all CPUs. */
void dom0_dt_gic_spec(uint32_t *cells, unsigned int intid, unsigned int type)
{
	bool ppi = intid < GIC_FIRST_SPI;

	cells[0] = ppi;
	cells[1] = intid - (ppi ? GIC_FIRST_PPI : GIC_FIRST_SPI);
	cells[2] = 0xf << 8 | type;
}

/* Xen's fdt_property_interrupts: "interrupts", then the GIC's phandle. */
int dom0_dt_interrupts(struct dom0_dt_ctx *c, const uint32_t *cells,
		       unsigned int n)
{
	int err = fdt_write_prop_cells(&c->w, "interrupts", cells, n);

	if (err || !c->out->gic_phandle)
		return err;
	return fdt_write_prop_u32(&c->w, "interrupt-parent",
				  c->out->gic_phandle);
}

/* @v as the root's @cells cells at @p, or -ERANGE when it does not fit. */
static int dom0_dt_put(uint8_t **p, unsigned int cells, uint64_t v)
{
	if (cells == 1 && v > UINT32_MAX)
		return -ERANGE;
	*p = fdt_put_cells(*p, cells, v);
	return 0;
}

/* A "reg" of (address, size) pairs in the root's cells. */
int dom0_dt_write_reg(struct dom0_dt_ctx *c, const struct mem_region *r,
		      unsigned int n)
{
	uint32_t one = (c->root_ac + c->root_sc) * 4;
	unsigned int i;
	uint8_t *p;
	void *v;
	int err;

	err = fdt_write_prop_space(&c->w, "reg", n * one, &v);
	if (err)
		return err;
	p = v;
	for (i = 0; i < n; i++) {
		err = dom0_dt_put(&p, c->root_ac, pa_addr(r[i].base));
		if (!err)
			err = dom0_dt_put(&p, c->root_sc, r[i].size);
		if (err)
			return err;
	}
	return 0;
}

static int dom0_dt_ext_regions(struct dom0_dt_ctx *c)
{
	const struct dom0_dt_params *p = c->p;
	const struct mem_region_list used[] = {
		{p->mem, p->nr_mem},
		{c->resv, c->nr_resv},
		{&p->gnttab, 1},
		{p->used, p->nr_used},
	};
	int n;

	c->out->nr_ext = 0;
	if (!p->ext_regions)
		return 0;
	n = dom0_dt_find_ext_regions(p->host_mem, p->nr_host_mem, used,
				     ARRAY_SIZE(used), p->ipa_bits, c->out->ext,
				     DOM0_DT_MAX_EXT_REGIONS);
	if (n < 0)
		return n;
	c->out->nr_ext = (unsigned int)n;
	return 0;
}

/* Xen's make_hypervisor_node. */
static int dom0_dt_hypervisor(struct dom0_dt_ctx *c)
{
	static const char *const compat[] = {"xen,xen-" XEN_VERSION_STRING,
					     "xen,xen"};
	struct mem_region reg[DOM0_DT_MAX_EXT_REGIONS + 1];
	uint32_t irq[3];
	int err;

	err = dom0_dt_ext_regions(c);
	if (err)
		return err;
	reg[0] = c->p->gnttab;
	memcpy(&reg[1], c->out->ext, c->out->nr_ext * sizeof(reg[0]));
	dom0_dt_gic_spec(irq, c->p->evtchn_ppi, DT_IRQ_TYPE_LEVEL_LOW);

	err = fdt_write_begin_node(&c->w, "hypervisor");
	if (!err)
		err = fdt_write_prop_strings(&c->w, "compatible", compat, 2);
	if (!err)
		err = dom0_dt_write_reg(c, reg, c->out->nr_ext + 1);
	if (!err)
		err = dom0_dt_interrupts(c, irq, 3);
	if (!err)
		err = fdt_write_end_node(&c->w);
	return err;
}

/* Xen's make_psci_node: PSCI 1.0 through HVC, with 0.1's two IDs. */
int dom0_dt_psci(struct dom0_dt_ctx *c)
{
	static const char *const compat[] = {"arm,psci-1.0", "arm,psci-0.2",
					     "arm,psci"};
	int err;

	err = fdt_write_begin_node(&c->w, "psci");
	if (!err)
		err = fdt_write_prop_strings(&c->w, "compatible", compat, 3);
	if (!err)
		err = fdt_write_prop_string(&c->w, "method", "hvc");
	if (!err)
		err = fdt_write_prop_u32(&c->w, "cpu_off", XEN_PSCI_CPU_OFF);
	if (!err)
		err = fdt_write_prop_u32(&c->w, "cpu_on", XEN_PSCI_CPU_ON);
	if (!err)
		err = fdt_write_end_node(&c->w);
	return err;
}

/* The first host cpu node, whose compatible every vCPU gets. */
static int dom0_dt_host_cpu(const struct dom0_dt_ctx *c)
{
	int cpus = fdt_subnode(c->host, c->dt.root, "cpus", 4);
	int cpu;

	if (cpus < 0)
		return -1;
	for (cpu = fdt_first_child(c->host, cpus); cpu >= 0;
	     cpu = fdt_next_sibling(c->host, cpu))
		if (dt_type_is(&c->dt, cpu, "cpu"))
			return cpu;
	return -1;
}

static int dom0_dt_cpu(struct dom0_dt_ctx *c, int host_cpu, unsigned int vcpu)
{
	uint64_t aff = c->p->vcpu_affinity ? c->p->vcpu_affinity[vcpu]
					   : dom0_dt_vcpu_affinity(vcpu);
	const uint8_t *compat;
	uint32_t len, freq;
	char name[DOM0_DT_NAME_MAX];
	int err;

	if (aff & ~(uint64_t)DOM0_DT_AFF_MASK)
		return -EINVAL;
	compat = dt_prop(&c->dt, host_cpu, "compatible", &len);
	dom0_dt_unit_name(name, "cpu", aff);
	err = fdt_write_begin_node(&c->w, name);
	if (!err)
		err = fdt_write_prop(&c->w, "compatible", compat, len);
	if (!err)
		err = fdt_write_prop_string(&c->w, "device_type", "cpu");
	if (!err)
		err = fdt_write_prop_u32(&c->w, "reg", (uint32_t)aff);
	if (!err && dt_read_u32(&c->dt, host_cpu, "clock-frequency", &freq))
		err = fdt_write_prop_u32(&c->w, "clock-frequency", freq);
	if (!err)
		err = fdt_write_prop_string(&c->w, "enable-method", "psci");
	if (!err)
		err = fdt_write_end_node(&c->w);
	return err;
}

/* Xen's make_cpus_node: one cpu node per vCPU, the host's compatible. */
int dom0_dt_cpus(struct dom0_dt_ctx *c)
{
	int host_cpu = dom0_dt_host_cpu(c);
	unsigned int i;
	int err;

	if (host_cpu < 0 || !dt_has(&c->dt, host_cpu, "compatible"))
		return -ENOENT;
	err = fdt_write_begin_node(&c->w, "cpus");
	if (!err)
		err = fdt_write_prop_u32(&c->w, "#address-cells", 1);
	if (!err)
		err = fdt_write_prop_u32(&c->w, "#size-cells", 0);
	for (i = 0; !err && i < c->p->nr_vcpus; i++)
		err = dom0_dt_cpu(c, host_cpu, i);
	if (!err)
		err = fdt_write_end_node(&c->w);
	return err;
}

/* Xen's make_memory_node: named after the first bank, all banks in reg. */
int dom0_dt_memory(struct dom0_dt_ctx *c, const struct mem_region *r,
		   unsigned int n)
{
	char name[DOM0_DT_NAME_MAX];
	int err;

	dom0_dt_unit_name(name, "memory", pa_addr(r[0].base));
	err = fdt_write_begin_node(&c->w, name);
	if (!err)
		err = fdt_write_prop_string(&c->w, "device_type", "memory");
	if (!err)
		err = dom0_dt_write_reg(c, r, n);
	if (!err)
		err = fdt_write_end_node(&c->w);
	return err;
}

/* Xen's make_timer_node: the host's three PPIs, level-low on all CPUs. */
static int dom0_dt_timer(struct dom0_dt_ctx *c)
{
	uint32_t cells[9], freq;
	struct dt_raw_irq raw;
	unsigned int i, type;
	uint64_t intid;
	int err;

	if (c->timer_done)
		return 0;
	c->timer_done = true;
	for (i = 0; i < 3; i++) {
		if (dt_irq_get(&c->dt, c->timer, i, &raw) ||
		    dt_irq_intid(&c->dt, &raw, &intid, &type) ||
		    intid < GIC_FIRST_PPI || intid >= GIC_SPI_END)
			return dom0_dt_fail(c, -EINVAL, c->timer);
		dom0_dt_gic_spec(cells + 3 * i, (unsigned int)intid,
				 DT_IRQ_TYPE_LEVEL_LOW);
	}
	err = fdt_write_begin_node(&c->w, "timer");
	if (!err)
		err = fdt_write_prop_string(&c->w, "compatible",
					    "arm,armv8-timer");
	if (!err)
		err = dom0_dt_interrupts(c, cells, 9);
	if (!err && dt_read_u32(&c->dt, c->timer, "clock-frequency", &freq))
		err = fdt_write_prop_u32(&c->w, "clock-frequency", freq);
	if (!err)
		err = fdt_write_end_node(&c->w);
	return err;
}

/* ---- copied nodes (write_properties) --------------------------------- */

static bool dom0_dt_is_chosen(const struct dom0_dt_ctx *c, int node)
{
	return dt_parent(&c->dt, node) == c->dt.root &&
	       dt_streq_nocase(fdt_get_name(c->host, node, NULL), "chosen");
}

/* Properties of /chosen that Xen drops or rewrites. */
static bool dom0_dt_chosen_drops(const char *name)
{
	static const char *const drop[] = {
		"xen,xen-bootargs",
		"xen,dom0-bootargs",
		"bootargs",
		"linux,initrd-start",
		"linux,initrd-end",
		"stdout-path",
		"linux,uefi-system-table",
		"linux,uefi-mmap-start",
		"linux,uefi-mmap-size",
		"linux,uefi-mmap-desc-size",
		"linux,uefi-mmap-desc-ver",
		NULL,
	};
	unsigned int i;

	for (i = 0; drop[i]; i++)
		if (!strcmp(name, drop[i]))
			return true;
	return false;
}

/* A master behind an IOMMU the hypervisor owns loses its IOMMU bindings. */
static bool dom0_dt_behind_iommu(const struct dom0_dt_ctx *c, int node)
{
	uint32_t ph;
	int iommu;

	if (!dt_read_u32(&c->dt, node, "iommus", &ph))
		return false;
	iommu = dt_by_phandle(&c->dt, ph);
	return iommu >= 0 && dt_compat_any(&c->dt, iommu, iommu_compat);
}

static bool dom0_dt_prop_dropped(const struct dom0_dt_ctx *c, const char *name,
				 bool chosen, bool iommu)
{
	if (chosen && dom0_dt_chosen_drops(name))
		return true;
	if (!strcmp(name, "xen,passthrough") || !strcmp(name, "status"))
		return true;
	return iommu &&
	       (!strcmp(name, "iommus") || !strcmp(name, "iommu-map") ||
		!strcmp(name, "iommu-map-mask"));
}

/* Dom0's command line and initrd placeholders, at the end of /chosen. */
static int dom0_dt_chosen_props(struct dom0_dt_ctx *c, int chosen)
{
	const char *args = c->p->bootargs;
	void *start, *end;
	int err = 0;

	if (!args && chosen >= 0)
		args = fdt_getprop_string(c->host, chosen, "bootargs");
	if (args)
		err = fdt_write_prop_string(&c->w, "bootargs", args);
	if (err || !c->p->initrd)
		return err;
	err = fdt_write_prop_space(&c->w, "linux,initrd-start", 8, &start);
	if (!err)
		err = fdt_write_prop_space(&c->w, "linux,initrd-end", 8, &end);
	if (err)
		return err;
	c->out->initrd_start_off = (uint32_t)((uint8_t *)start - c->w.buf);
	c->out->initrd_end_off = (uint32_t)((uint8_t *)end - c->w.buf);
	fdt_put_cells(start, 2, c->p->initrd_start);
	fdt_put_cells(end, 2, c->p->initrd_end);
	return 0;
}

/* Xen's write_properties: "status" goes last, "disabled" if passed through. */
static int dom0_dt_props(struct dom0_dt_ctx *c, int node)
{
	bool chosen = dom0_dt_is_chosen(c, node);
	bool iommu = dom0_dt_behind_iommu(c, node);
	const char *name;
	const void *val;
	uint32_t len;
	int prop, err = 0;

	for (prop = fdt_first_prop(c->host, node); !err && prop >= 0;
	     prop = fdt_next_prop(c->host, prop)) {
		val = fdt_prop_value(c->host, prop, &name, &len);
		if (!val || dom0_dt_prop_dropped(c, name, chosen, iommu))
			continue;
		err = fdt_write_prop(&c->w, name, val, len);
	}
	if (!err && dt_has(&c->dt, node, "xen,passthrough"))
		err = fdt_write_prop_string(&c->w, "status", "disabled");
	else if (!err)
		err = dom0_dt_copy_prop(c, node, "status");
	if (!err && chosen) {
		c->chosen_done = true;
		err = dom0_dt_chosen_props(c, node);
	}
	return err;
}

/* What Xen appends to the root once every host node is handled. */
static int dom0_dt_root_extras(struct dom0_dt_ctx *c)
{
	int err = dom0_dt_hypervisor(c);

	if (!err)
		err = dom0_dt_psci(c);
	if (!err)
		err = dom0_dt_cpus(c);
	if (!err)
		err = dom0_dt_memory(c, c->p->mem, c->p->nr_mem);
	if (!err && c->nr_resv)
		err = dom0_dt_memory(c, c->resv, c->nr_resv);
	/*
	 * Xen's boot modules live in /chosen, so it always finds one; a host
	 * tree without gets one only for what Dom0 must be told.
	 */
	if (!err && !c->chosen_done && (c->p->bootargs || c->p->initrd)) {
		err = fdt_write_begin_node(&c->w, "chosen");
		if (!err)
			err = dom0_dt_chosen_props(c, -1);
		if (!err)
			err = fdt_write_end_node(&c->w);
	}
	return err;
}

/* ---- the walk (handle_node) --------------------------------------------- */

/* Nodes Xen leaves out with their subtree, before anything else. */
static bool dom0_dt_skipped(const struct dom0_dt_ctx *c, int node)
{
	bool top = dt_parent(&c->dt, node) == c->dt.root;
	const char *name = fdt_get_name(c->host, node, NULL);

	if (dt_compat_any(&c->dt, node, skip_compat) ||
	    dt_type_is(&c->dt, node, "memory"))
		return true;
	if (top && dt_streq_nocase(name, "cpus"))
		return true;
	/*
	 * Paths Orchid writes itself. Xen only warns about a host node there,
	 * which would give Dom0 two nodes of one name.
	 */
	return top && (dt_streq_nocase(name, "psci") ||
		       dt_streq_nocase(name, "memory") ||
		       dt_streq_nocase(name, "hypervisor"));
}

/*
 * Xen's handle_node for one node, in its order: skipped nodes, the GIC and
 * the timer (replaced even though Xen uses them), nodes the hypervisor
 * owns, IOMMUs, devices with PPIs. Returns 1 when the node is to be copied
 * with its subtree, 0 when it was dropped or written already.
 */
static int dom0_dt_handle(struct dom0_dt_ctx *c, int node)
{
	if (dom0_dt_skipped(c, node))
		return 0;
	if (dt_is_gic(&c->dt, node))
		return node == c->dt.gic ? dom0_dt_gic(c) : 0;
	if (dt_compat_any(&c->dt, node, timer_compat))
		return dom0_dt_timer(c);
	if (node == c->uart || dt_compat_any(&c->dt, node, iommu_compat))
		return 0;
	if (dt_uses_ppi(&c->dt, node))
		return 0;
	return 1;
}

/*
 * Map what a copied node uses, then write it and its properties; its
 * subnodes follow. Xen maps by path prefix: everything under
 * /reserved-memory/ is RAM.
 */
static int dom0_dt_open(struct dom0_dt_ctx *c, int node, int depth)
{
	const char *name = fdt_get_name(c->host, node, NULL);
	int err;

	err = dom0_dt_device(c, node, c->resv_depth && depth > c->resv_depth);
	if (!err)
		err = fdt_write_begin_node(&c->w, depth == 1 ? "" : name);
	if (!err)
		err = dom0_dt_props(c, node);
	if (depth == 2 && dt_streq_nocase(name, "reserved-memory"))
		c->resv_depth = depth;
	return err;
}

/* End the copied node at @depth; the root gets Xen's nodes first. */
static int dom0_dt_close(struct dom0_dt_ctx *c, int depth)
{
	int err = 0;

	if (depth == c->resv_depth)
		c->resv_depth = 0;
	if (depth == 1)
		err = dom0_dt_root_extras(c);
	if (!err)
		err = fdt_write_end_node(&c->w);
	return err;
}

/*
 * The walk, depth first in blob order, without recursion: EL2 stacks are
 * small and a valid tree may nest FDT_MAX_DEPTH deep. @open counts the
 * copied nodes still open, always the ancestors of the next node.
 */
static int dom0_dt_walk(struct dom0_dt_ctx *c)
{
	int depth = 0, open = 0, node, d, err = 0;

	node = fdt_next_node(c->host, -1, &depth);
	while (!err && node >= 0) {
		while (!err && open >= depth)
			err = dom0_dt_close(c, open--);
		if (!err)
			err = dom0_dt_handle(c, node);
		if (err < 0)
			break;
		if (err == 1) {
			err = dom0_dt_open(c, node, depth);
			open = depth;
			node = fdt_next_node(c->host, node, &depth);
			continue;
		}
		/* Dropped or replaced: past its subtree. */
		d = depth;
		do
			node = fdt_next_node(c->host, node, &depth);
		while (node >= 0 && depth > d);
	}
	while (!err && open)
		err = dom0_dt_close(c, open--);
	return err;
}

/* ---- set-up ------------------------------------------------------------- */

static int dom0_dt_find_timer(const struct dom0_dt_ctx *c)
{
	int node;

	for (node = fdt_next_node(c->host, -1, NULL); node >= 0;
	     node = fdt_next_node(c->host, node, NULL))
		if (dt_compat_any(&c->dt, node, timer_compat))
			return node;
	return -1;
}

/* Add @node's reg entries, in cells @ac/@sc, to the reserved ranges. */
static int dom0_dt_resv_node(struct dom0_dt_ctx *c, int node, unsigned int ac,
			     unsigned int sc)
{
	uint32_t len, one = (ac + sc) * 4, i;
	const uint8_t *reg = dt_prop(&c->dt, node, "reg", &len);

	if (!reg || ac < 1 || sc < 1 || ac > 2 || sc > 2)
		return 0;
	for (i = 0; i < len / one; i++) {
		uint64_t base = dt_number(reg + i * one, ac);
		uint64_t size = dt_number(reg + i * one + ac * 4, sc);

		if (!size)
			continue;
		if (c->nr_resv == DOM0_DT_MAX_RESERVED)
			return dom0_dt_fail(c, -ENOSPC, node);
		c->resv[c->nr_resv].base = pa_init(base);
		c->resv[c->nr_resv++].size = size;
	}
	return 0;
}

/* The cells @node gives its children: its own, else @ac/@sc inherited. */
static void dom0_dt_resv_cells(const struct dom0_dt_ctx *c, int node,
			       uint32_t *ac, uint32_t *sc)
{
	dt_read_u32(&c->dt, node, "#address-cells", ac);
	dt_read_u32(&c->dt, node, "#size-cells", sc);
}

/*
 * Xen's bootinfo.reserved_mem: every node under /reserved-memory with a
 * "reg", read with the cells its parents give, inherited downwards. Xen's
 * scan (device_tree_for_each_node) starts at /reserved-memory with 2 and
 * 1, not the root's cells.
 */
static int dom0_dt_find_resv(struct dom0_dt_ctx *c)
{
	uint32_t ac[FDT_MAX_DEPTH + 1], sc[FDT_MAX_DEPTH + 1];
	int node, depth = 0, err = 0;

	for (node = fdt_first_child(c->host, c->dt.root); node >= 0;
	     node = fdt_next_sibling(c->host, node))
		if (dt_streq_nocase(fdt_get_name(c->host, node, NULL),
				    "reserved-memory"))
			break;
	if (node < 0)
		return 0;
	ac[0] = 2;
	sc[0] = 1;
	dom0_dt_resv_cells(c, node, &ac[0], &sc[0]);

	/* @depth counts from /reserved-memory, at 0. */
	node = fdt_next_node(c->host, node, &depth);
	while (!err && node >= 0 && depth > 0 && depth <= FDT_MAX_DEPTH) {
		err = dom0_dt_resv_node(c, node, ac[depth - 1], sc[depth - 1]);
		ac[depth] = ac[depth - 1];
		sc[depth] = sc[depth - 1];
		dom0_dt_resv_cells(c, node, &ac[depth], &sc[depth]);
		node = fdt_next_node(c->host, node, &depth);
	}
	return err;
}

static int dom0_dt_check_params(const struct dom0_dt_params *p)
{
	if (!p->mem || !p->nr_mem || !p->nr_vcpus)
		return -EINVAL;
	if (p->evtchn_ppi < GIC_FIRST_PPI || p->evtchn_ppi >= GIC_FIRST_SPI)
		return -EINVAL;
	if (p->ext_regions && p->nr_host_mem && !p->host_mem)
		return -EINVAL;
	if ((p->nr_used && !p->used) || (p->nr_v2m && !p->v2m))
		return -EINVAL;
	return 0;
}

/* Everything the walk needs from the host tree before it starts. */
static int dom0_dt_prepare(struct dom0_dt_ctx *c)
{
	const char *path = c->p->uart_path;
	int err = dt_lookup_init(&c->dt, c->host);

	if (err)
		return err;
	/* Xen panics on other root cells: /hypervisor's reg needs them. */
	c->root_ac = dt_n_cells(&c->dt, c->dt.root, "#address-cells", 2);
	c->root_sc = dt_n_cells(&c->dt, c->dt.root, "#size-cells", 1);
	if (c->root_ac < 1 || c->root_ac > 2 || c->root_sc < 1 ||
	    c->root_sc > 2)
		return -EINVAL;

	c->timer = dom0_dt_find_timer(c);
	if (c->timer < 0)
		return -ENOENT;
	c->out->gic_phandle = dt_phandle_of(&c->dt, c->dt.gic);
	c->out->gic_version = 2;
	if (fdt_node_is_compatible(c->host, c->dt.gic, "arm,gic-v3"))
		c->out->gic_version = 3;
	c->uart = path && path[0] ? fdt_path_offset(c->host, path) : -1;
	if (c->uart < 0)
		c->uart = -1;
	return dom0_dt_find_resv(c);
}

int dom0_dt_build(const struct fdt *host, const struct dom0_dt_params *p,
		  void *buf, size_t size, struct dom0_dt_result *out)
{
	struct dom0_dt_ctx c = {
		.host = host,
		.p = p,
		.out = out,
	};
	int err;

	memset(out, 0, sizeof(*out));
	out->err_node = -1;
	err = dom0_dt_check_params(p);
	if (!err)
		err = dom0_dt_prepare(&c);
	if (!err)
		err = fdt_write_init(&c.w, buf, size);
	/* Xen's Dom0 DTB has an empty memory reservation map. */
	if (!err)
		err = dom0_dt_walk(&c);
	if (!err)
		err = fdt_write_finish(&c.w);
	if (err)
		return err;
	out->size = fdt_write_size(&c.w);
	return 0;
}

/*
 * Generous per-item sizes of what Orchid adds: a cpu node with a long
 * compatible, a memory bank in 2+2 cells, and the fixed nodes (hypervisor
 * with every extended region, psci, timer, GIC with v2m frames, chosen).
 */
enum {
	DOM0_DT_HINT_FIXED = 4096,
	DOM0_DT_HINT_VCPU = 192,
	DOM0_DT_HINT_BANK = 16,
};

size_t dom0_dt_size_hint(const struct fdt *host, const struct dom0_dt_params *p)
{
	return host->size + DOM0_DT_HINT_FIXED +
	       (size_t)p->nr_vcpus * DOM0_DT_HINT_VCPU +
	       (size_t)p->nr_mem * DOM0_DT_HINT_BANK +
	       (p->bootargs ? strlen(p->bootargs) + 16 : 0);
}

int dom0_dt_set_initrd(void *dtb, const struct dom0_dt_result *r,
		       uint64_t start, uint64_t end)
{
	uint8_t *p = dtb;

	if (!r->initrd_start_off || !r->initrd_end_off)
		return -ENOENT;
	fdt_put_cells(p + r->initrd_start_off, 2, start);
	fdt_put_cells(p + r->initrd_end_off, 2, end);
	return 0;
}

/* ---- extended regions (find_unallocated_memory, add_ext_regions) ------- */

/* Xen's add_ext_regions for [first, last]: 2 MiB aligned, 64 MiB or more. */
static bool dom0_dt_ext_fit(uint64_t first, uint64_t last, struct mem_region *r)
{
	uint64_t start, size;

	if (first > UINT64_MAX - (DOM0_DT_EXT_ALIGN - 1))
		return false;
	start = align_up(first, DOM0_DT_EXT_ALIGN);
	if (start > last)
		return false;
	size = (last - start + 1) & ~(DOM0_DT_EXT_ALIGN - 1);
	if (size < DOM0_DT_EXT_MIN_SIZE)
		return false;
	r->base = pa_init(start);
	r->size = size;
	return true;
}

static int dom0_dt_ext_set(struct range_set *set, const struct mem_region *ram,
			   unsigned int nr_ram,
			   const struct mem_region_list *used,
			   unsigned int nr_used, unsigned int ipa_bits)
{
	unsigned int i, j;

	for (i = 0; i < nr_ram; i++) {
		if (range_overflows(pa_addr(ram[i].base), ram[i].size))
			return -EINVAL;
		if (!range_set_add(set, ram[i].base, ram[i].size))
			return -ENOSPC;
	}
	for (i = 0; i < nr_used; i++) {
		for (j = 0; j < used[i].n; j++) {
			const struct mem_region *r = &used[i].r[j];

			if (range_overflows(pa_addr(r->base), r->size))
				return -EINVAL;
			if (!range_set_remove(set, r->base, r->size))
				return -ENOSPC;
		}
	}
	if (ipa_bits && ipa_bits < 64 &&
	    !range_set_remove(set, pa_init(1ULL << ipa_bits),
			      0 - (1ULL << ipa_bits)))
		return -ENOSPC;
	return 0;
}

int dom0_dt_find_ext_regions(const struct mem_region *ram, unsigned int nr_ram,
			     const struct mem_region_list *used,
			     unsigned int nr_used, unsigned int ipa_bits,
			     struct mem_region *out, unsigned int max)
{
	struct range_set set = {.n = 0};
	unsigned int i, n = 0;
	int err;

	err = dom0_dt_ext_set(&set, ram, nr_ram, used, nr_used, ipa_bits);
	if (err)
		return err;
	/* Like Xen, regions past the last slot are silently left out. */
	for (i = 0; i < set.n && n < max; i++) {
		uint64_t first = pa_addr(set.r[i].base);

		if (dom0_dt_ext_fit(first, first + set.r[i].size - 1, &out[n]))
			n++;
	}
	return (int)n;
}
