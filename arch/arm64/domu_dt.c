// SPDX-License-Identifier: MIT
/*
 * A dom0less DomU's device tree (see domu_dt.h). The nodes Dom0's tree
 * has too (/psci, /cpus, memory) come from dom0_dt.c's writers, so a
 * DomU's vCPUs and PSCI look exactly like Dom0's; the rest uses Xen's
 * guest layout of public/arch-arm.h, the one xl's guests get.
 */
#include <orchid/errno.h>
#include <orchid/printk.h>
#include <orchid/string.h>
#include <orchid/version.h>
#include <public/arch-arm.h>

#include "dom0_dt_priv.h"
#include "domu_dt.h"

#define DT_IRQ_TYPE_LEVEL_HIGH 4
#define DT_IRQ_TYPE_LEVEL_LOW  8
#define GUEST_TIMER_HYP_PPI    26
#define DOMU_DT_EXT_MIN	       (64ULL << 20) /* Xen's smallest region */
#define DOMU_DT_EXT_ALIGN      (2ULL << 20)

/* A GICv3 redistributor's frames (RD_base and SGI_base). */
#define GICV3_RDIST_FRAMES 0x20000UL

/*
 * A direct-mapped DomU's: the host's distributor and, as its vGIC takes
 * them (vgic_v3.c, Xen's vgic_v3_domain_init), the host's redistributor
 * regions in order until every vCPU has its frame. Returns the count.
 */
static unsigned int domu_dt_gic_v3_host(const struct domu_dt_params *p,
					struct mem_region *reg)
{
	const struct gic_info *g = p->host_gic;
	unsigned int n = 0;
	uint64_t frames = 0;

	reg[n++] = g->dist;
	for (unsigned int i = 0;
	     i < g->nr_redist && i < 4 && frames < p->nr_vcpus; i++) {
		reg[n++] = g->redist[i];
		frames += g->redist[i].size / GICV3_RDIST_FRAMES;
	}
	return n;
}

static int domu_dt_gic_v3(struct dom0_dt_ctx *c, const struct domu_dt_params *p)
{
	struct mem_region reg[5] = {
		{pa_init(GUEST_GICV3_GICD_BASE), GUEST_GICV3_GICD_SIZE},
		{pa_init(GUEST_GICV3_GICR0_BASE), GUEST_GICV3_GICR0_SIZE},
	};
	unsigned int n = p->host_gic ? domu_dt_gic_v3_host(p, reg) : 2;
	int err;

	err = fdt_write_prop_string(&c->w, "compatible", "arm,gic-v3");
	if (!err)
		err = fdt_write_prop_u32(&c->w, "#redistributor-regions",
					 n - 1);
	if (!err)
		err = dom0_dt_write_reg(c, reg, n);
	return err;
}

/* A direct-mapped DomU's are at the host's addresses, as in Xen. */
static int domu_dt_gic_v2(struct dom0_dt_ctx *c, const struct domu_dt_params *p)
{
	struct mem_region reg[] = {
		{pa_init(GUEST_GICD_BASE), GUEST_GICD_SIZE},
		{pa_init(GUEST_GICC_BASE), GUEST_GICC_SIZE},
	};
	int err;

	if (p->host_gic) {
		reg[0].base = p->host_gic->dist.base;
		reg[1].base = p->host_gic->cpu.base;
	}
	err = fdt_write_prop_string(&c->w, "compatible", "arm,gic-400");
	if (!err)
		err = dom0_dt_write_reg(c, reg, 2);
	return err;
}

/* Xen's make_gic_domU_node: the vGIC at the guest layout's addresses. */
static int domu_dt_gic(struct dom0_dt_ctx *c, const struct domu_dt_params *p)
{
	uint64_t base =
		p->host_gic ? pa_addr(p->host_gic->dist.base) : GUEST_GICD_BASE;
	char name[DOM0_DT_NAME_MAX];
	int err;

	dom0_dt_unit_name(name, "interrupt-controller", base);
	err = fdt_write_begin_node(&c->w, name);
	if (!err)
		err = p->gic_version == 3 ? domu_dt_gic_v3(c, p)
					  : domu_dt_gic_v2(c, p);
	if (!err)
		err = fdt_write_prop_u32(&c->w, "#interrupt-cells", 3);
	if (!err)
		err = fdt_write_prop_u32(&c->w, "#address-cells", 0);
	if (!err)
		err = fdt_write_prop_empty(&c->w, "interrupt-controller");
	if (!err)
		err = fdt_write_prop_u32(&c->w, "linux,phandle",
					 DOMU_DT_GIC_PHANDLE);
	if (!err)
		err = fdt_write_prop_u32(&c->w, "phandle", DOMU_DT_GIC_PHANDLE);
	if (!err)
		err = fdt_write_end_node(&c->w);
	return err;
}

/* Xen's make_timer_node: the four PPIs of the guest layout, level low. */
static int domu_dt_timer(struct dom0_dt_ctx *c)
{
	static const unsigned int ppis[] = {
		GUEST_TIMER_PHYS_S_PPI, GUEST_TIMER_PHYS_NS_PPI,
		GUEST_TIMER_VIRT_PPI, GUEST_TIMER_HYP_PPI};
	uint32_t cells[12];
	int err;

	for (unsigned int i = 0; i < 4; i++)
		dom0_dt_gic_spec(&cells[i * 3], ppis[i], DT_IRQ_TYPE_LEVEL_LOW);
	err = fdt_write_begin_node(&c->w, "timer");
	if (!err)
		err = fdt_write_prop_string(&c->w, "compatible",
					    "arm,armv8-timer");
	if (!err)
		err = dom0_dt_interrupts(c, cells, 12);
	if (!err)
		err = fdt_write_end_node(&c->w);
	return err;
}

/*
 * Xen's make_vpl011_uart_node: an SBSA UART on the guest layout's SPI, or
 * where a direct-mapped DomU's is (vpl011.c).
 */
static int domu_dt_vpl011(struct dom0_dt_ctx *c, const struct domu_dt_params *p)
{
	uint64_t base = p->vpl011_base ? p->vpl011_base : GUEST_PL011_BASE;
	unsigned int intid =
		p->vpl011_intid ? p->vpl011_intid : GUEST_VPL011_SPI;
	const struct mem_region reg = {pa_init(base), GUEST_PL011_SIZE};
	char name[DOM0_DT_NAME_MAX];
	uint32_t cells[3];
	int err;

	dom0_dt_gic_spec(cells, intid, DT_IRQ_TYPE_LEVEL_HIGH);
	dom0_dt_unit_name(name, "sbsa-uart", base);
	err = fdt_write_begin_node(&c->w, name);
	if (!err)
		err = fdt_write_prop_string(&c->w, "compatible",
					    "arm,sbsa-uart");
	if (!err)
		err = dom0_dt_write_reg(c, &reg, 1);
	if (!err)
		err = dom0_dt_interrupts(c, cells, 3);
	/* Linux's sbsa-uart driver fails its probe without it (-EINVAL). */
	if (!err)
		err = fdt_write_prop_u32(&c->w, "current-speed", 115200);
	if (!err)
		err = fdt_write_end_node(&c->w);
	return err;
}

enum domu_enhanced domu_dt_enhanced(const struct fdt *fdt, int node)
{
	uint32_t len;
	const char *v = fdt_getprop(fdt, node, "xen,enhanced", &len);

	if (!v)
		return DOMU_ENHANCED_NONE;
	/* Xen's dt_property_read_string: -ENODATA and -EILSEQ both enable. */
	if (len == 0 || strnlen(v, len) >= len || strcmp(v, "enabled") == 0)
		return DOMU_ENHANCED_FULL;
	if (strcmp(v, "no-xenstore") == 0)
		return DOMU_ENHANCED_NO_XENSTORE;
	return DOMU_ENHANCED_NONE;
}

/*
 * Xen's find_domU_holes: in each guest RAM bank, what lies past the
 * domain's RAM (2 MiB aligned) and below 2^ipa_bits, when 64 MiB or more.
 * All of a dom0less DomU's RAM is in bank 0 (dom0less.c).
 */
static unsigned int domu_dt_ext_regions(const struct domu_dt_params *p,
					struct mem_region out[2])
{
	static const uint64_t base[] = {GUEST_RAM0_BASE, GUEST_RAM1_BASE};
	static const uint64_t size[] = {GUEST_RAM0_SIZE, GUEST_RAM1_SIZE};
	uint64_t ipa_end = p->ipa_bits && p->ipa_bits < 64
				   ? (1ULL << p->ipa_bits) - 1
				   : ~0ULL;
	uint64_t used = 0;
	unsigned int n = 0;

	for (unsigned int i = 0; i < p->nr_mem; i++)
		used += p->mem[i].size;
	for (unsigned int i = 0; i < 2; i++) {
		uint64_t start =
			align_up(base[i] + (i ? 0 : used), DOMU_DT_EXT_ALIGN);
		uint64_t end = base[i] + size[i] - 1;

		if (end > ipa_end)
			end = ipa_end;
		if (end <= start || end - start + 1 < DOMU_DT_EXT_MIN)
			continue;
		out[n].base = pa_init(start);
		out[n++].size = end - start + 1;
	}
	return n;
}

/*
 * Xen's make_hypervisor_node for an "xen,enhanced" DomU: the grant-table
 * window at GUEST_GNTTAB_BASE, then the extended regions Linux may use
 * for foreign and grant mappings, and the event-channel PPI.
 */
static int domu_dt_hypervisor(struct dom0_dt_ctx *c,
			      const struct domu_dt_params *p)
{
	static const char *const compat[] = {"xen,xen-" XEN_VERSION_STRING,
					     "xen,xen"};
	struct mem_region reg[3] = {
		{pa_init(GUEST_GNTTAB_BASE), GUEST_GNTTAB_SIZE}};
	unsigned int n = 1 + domu_dt_ext_regions(p, &reg[1]);
	uint32_t irq[3];
	int err;

	dom0_dt_gic_spec(irq, p->evtchn_ppi, DT_IRQ_TYPE_LEVEL_LOW);
	err = fdt_write_begin_node(&c->w, "hypervisor");
	if (!err)
		err = fdt_write_prop_strings(&c->w, "compatible", compat, 2);
	if (!err)
		err = dom0_dt_write_reg(c, reg, n);
	if (!err)
		err = dom0_dt_interrupts(c, irq, 3);
	if (!err)
		err = fdt_write_end_node(&c->w);
	return err;
}

static int domu_dt_chosen(struct dom0_dt_ctx *c, const struct domu_dt_params *p)
{
	int err = fdt_write_begin_node(&c->w, "chosen");

	if (!err && p->bootargs)
		err = fdt_write_prop_string(&c->w, "bootargs", p->bootargs);
	if (!err && p->initrd)
		err = fdt_write_prop_u64(&c->w, "linux,initrd-start",
					 p->initrd_start);
	if (!err && p->initrd)
		err = fdt_write_prop_u64(&c->w, "linux,initrd-end",
					 p->initrd_end);
	if (!err)
		err = fdt_write_end_node(&c->w);
	return err;
}

/* ---- the partial device tree ------------------------------------------ */

/* Copy @node of the partial tree and its subtree; "xen,*" stay out. */
static int domu_dt_copy_node(struct dom0_dt_ctx *c, const struct fdt *pfdt,
			     int node, bool passthrough)
{
	const char *name = fdt_get_name(pfdt, node, NULL);
	int err = fdt_write_begin_node(&c->w, name);
	int prop, child;

	for (prop = fdt_first_prop(pfdt, node); !err && prop >= 0;
	     prop = fdt_next_prop(pfdt, prop)) {
		const char *pname;
		uint32_t len;
		const void *val = fdt_prop_value(pfdt, prop, &pname, &len);

		if (!val)
			return -EINVAL;
		/* Done by dom0less_passthrough.c before the tree is made. */
		if (passthrough && strncmp(pname, "xen,", 4) == 0)
			continue;
		err = fdt_write_prop(&c->w, pname, val, len);
	}
	for (child = fdt_first_child(pfdt, node); !err && child >= 0;
	     child = fdt_next_sibling(pfdt, child))
		err = domu_dt_copy_node(c, pfdt, child, passthrough);
	if (!err)
		err = fdt_write_end_node(&c->w);
	return err;
}

/*
 * Xen's domain_handle_dtb_bootmodule: /aliases is copied whole, the
 * children of /passthrough land at the root, which they must share cells
 * with (2 and 2); anything else at the partial tree's root is ignored.
 */
static int domu_dt_partial(struct dom0_dt_ctx *c, const struct fdt *pfdt)
{
	int root = fdt_root(pfdt);
	int node, child, err = 0;

	for (node = fdt_first_child(pfdt, root); !err && node >= 0;
	     node = fdt_next_sibling(pfdt, node)) {
		const char *name = fdt_get_name(pfdt, node, NULL);

		if (strcmp(name, "aliases") == 0) {
			err = domu_dt_copy_node(c, pfdt, node, false);
			continue;
		}
		if (strcmp(name, "passthrough") != 0)
			continue;
		if (fdt_address_cells(pfdt, node) != 2 ||
		    fdt_size_cells(pfdt, node) != 2) {
			pr_warn("partial DT: /passthrough needs #address-cells "
				"and #size-cells of 2\n");
			return -EINVAL;
		}
		for (child = fdt_first_child(pfdt, node); !err && child >= 0;
		     child = fdt_next_sibling(pfdt, child))
			err = domu_dt_copy_node(c, pfdt, child, true);
	}
	return err;
}

/* ---- the tree ------------------------------------------------------------ */

/*
 * No compatible nor model at the root, as in Xen 4.17's (Linux prints no
 * "Machine model" line there; libxl's tree for an xl guest has them).
 */
static int domu_dt_root_props(struct dom0_dt_ctx *c)
{
	int err;

	err = fdt_write_prop_u32(&c->w, "interrupt-parent",
				 DOMU_DT_GIC_PHANDLE);
	if (!err)
		err = fdt_write_prop_u32(&c->w, "#address-cells", 2);
	if (!err)
		err = fdt_write_prop_u32(&c->w, "#size-cells", 2);
	return err;
}

static int domu_dt_nodes(struct dom0_dt_ctx *c, const struct domu_dt_params *p)
{
	int err = domu_dt_chosen(c, p);

	if (!err)
		err = dom0_dt_psci(c);
	if (!err)
		err = dom0_dt_cpus(c);
	if (!err)
		err = dom0_dt_memory(c, p->mem, p->nr_mem);
	if (!err)
		err = domu_dt_gic(c, p);
	if (!err)
		err = domu_dt_timer(c);
	if (!err && p->vpl011)
		err = domu_dt_vpl011(c, p);
	if (!err && p->hypervisor)
		err = domu_dt_hypervisor(c, p);
	if (!err && p->partial)
		err = domu_dt_partial(c, p->partial);
	return err;
}

/*
 * dt_lookup_init, once for a host tree that never changes: its scan was
 * 0.32 ms of a DomU's 0.46 ms DTB under -icount, on pCPU 0 in one go
 * during deferred builds and restarts (dom0less-build-latency).
 */
static int domu_dt_lookup(struct dt_lookup *dt, const struct fdt *host,
			  bool fixed)
{
	static struct dt_lookup kept;
	static const uint8_t *kept_blob;
	int err;

	if (fixed && kept_blob && kept_blob == host->blob) {
		*dt = kept;
		dt->fdt = host;
		return 0;
	}
	err = dt_lookup_init(dt, host);
	if (!err && fixed) {
		kept = *dt;
		kept_blob = host->blob;
	}
	return err;
}

long domu_dt_build(const struct fdt *host, const struct domu_dt_params *p,
		   void *buf, size_t size)
{
	/* Boot time, one domain after the other: no need for the stack. */
	static struct dom0_dt_ctx c;
	static struct dom0_dt_result out;
	struct dom0_dt_params dp = {.nr_vcpus = p->nr_vcpus};
	int err;

	memset(&c, 0, sizeof(c));
	memset(&out, 0, sizeof(out));
	out.gic_phandle = DOMU_DT_GIC_PHANDLE;
	c.host = host;
	c.p = &dp;
	c.out = &out;
	c.root_ac = 2;
	c.root_sc = 2;
	err = domu_dt_lookup(&c.dt, host, p->host_fixed);
	if (!err)
		err = fdt_write_init(&c.w, buf, size);
	if (!err)
		err = fdt_write_begin_node(&c.w, "");
	if (!err)
		err = domu_dt_root_props(&c);
	if (!err)
		err = domu_dt_nodes(&c, p);
	if (!err)
		err = fdt_write_end_node(&c.w);
	if (!err)
		err = fdt_write_finish(&c.w);
	return err ? err : (long)fdt_write_size(&c.w);
}
