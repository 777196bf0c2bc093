// SPDX-License-Identifier: MIT
/*
 * Dom0's GIC node, as Xen 4.17 writes it (make_gic_node and the GIC
 * drivers' make_hwdom_dt_node): the host GIC's compatible, phandle and cell
 * counts, and only the frames Dom0's vGIC emulates at the host addresses.
 * GICv2 keeps GICD and GICC (Xen puts the GICV behind the GICC address)
 * and gets the GICv2m MSI frames; GICv3 keeps GICD and the redistributor
 * regions its vCPUs need, and no ITS (Xen 4.17 is built without it).
 */
#include <orchid/errno.h>
#include <orchid/string.h>

#include "dom0_dt_priv.h"

enum {
	/* Xen's GICV3_GICR_SIZE: RD_base and SGI_base frames. */
	GICV3_GICR_SIZE = 0x20000,
};

/*
 * Xen's vgic_v3_domain_init for a domain on the host layout: enough
 * redistributor regions, in order, to hold one redistributor per vCPU.
 */
static int dom0_dt_rdist_regions(struct dom0_dt_ctx *c, unsigned int na,
				 unsigned int ns)
{
	uint32_t len, nr = 1, one = (na + ns) * 4;
	const uint8_t *reg = dt_prop(&c->dt, c->dt.gic, "reg", &len);
	uint64_t cpus = 0;
	unsigned int i;

	dt_read_u32(&c->dt, c->dt.gic, "#redistributor-regions", &nr);
	if (!reg || len / one < 2)
		return -EINVAL;
	for (i = 0; i < nr && i + 1 < len / one; i++) {
		const uint8_t *e = reg + (i + 1) * one;

		cpus += dt_number(e + na * 4, ns) / GICV3_GICR_SIZE;
		if (cpus >= c->p->nr_vcpus)
			return (int)(i + 1);
	}
	/* Not enough redistributors for Dom0's vCPUs. */
	return -EINVAL;
}

static int dom0_dt_gicv3(struct dom0_dt_ctx *c, unsigned int na,
			 unsigned int ns)
{
	const uint8_t *reg = dt_prop(&c->dt, c->dt.gic, "reg", NULL);
	uint32_t one = (na + ns) * 4;
	int nr = dom0_dt_rdist_regions(c, na, ns);
	int err;

	if (nr < 0)
		return dom0_dt_fail(c, nr, c->dt.gic);
	c->out->nr_rdist_regions = (unsigned int)nr;
	err = fdt_write_prop_u32(&c->w, "#redistributor-regions", (uint32_t)nr);
	if (!err)
		err = fdt_write_prop(&c->w, "reg", reg, one * (nr + 1));
	/* Xen 4.17 is built without ITS support: no ITS child for Dom0. */
	return err;
}

/* The SPIs of v2m frame @idx: the DT's override, else the caller's. */
static bool dom0_dt_v2m_spis(const struct dom0_dt_ctx *c, int frame,
			     unsigned int idx, struct dom0_dt_v2m *v)
{
	if (dt_read_u32(&c->dt, frame, "arm,msi-base-spi", &v->spi_base) &&
	    dt_read_u32(&c->dt, frame, "arm,msi-num-spis", &v->nr_spis))
		return true;
	if (idx >= c->p->nr_v2m)
		return false;
	*v = c->p->v2m[idx];
	return v->nr_spis != 0;
}

/* The i-th "arm,gic-v2m-frame" child of the GIC, or -1. */
static int dom0_dt_v2m_frame(const struct dom0_dt_ctx *c, unsigned int i)
{
	int child;

	for (child = fdt_first_child(c->host, c->dt.gic); child >= 0;
	     child = fdt_next_sibling(c->host, child))
		if (fdt_node_is_compatible(c->host, child,
					   "arm,gic-v2m-frame") &&
		    i-- == 0)
			return child;
	return -1;
}

/* Xen's gicv2m_make_dt_node and gicv2_map_hwdom_extra_mappings. */
static int dom0_dt_v2m(struct dom0_dt_ctx *c, int frame,
		       const struct dom0_dt_v2m *v, bool first)
{
	uint64_t addr, size, spi;
	const char *name;
	struct dt_regs r;
	char base[64];
	size_t len;
	int err;

	dt_regs_of(&c->dt, frame, &r);
	if (!r.count || dt_reg_get(&c->dt, frame, &r, 0, &addr, &size))
		return dom0_dt_fail(c, -EINVAL, frame);
	err = dom0_dt_add_mmio(c, addr, size, 0, frame);
	for (spi = v->spi_base;
	     !err && spi < (uint64_t)v->spi_base + v->nr_spis; spi++)
		err = dom0_dt_add_spi(c, spi, DT_IRQ_TYPE_EDGE_RISING, 0,
				      frame);
	if (err)
		return err;

	/* Xen names the node "v2m"; a second frame keeps its unit address. */
	name = fdt_get_name(c->host, frame, NULL);
	if (first) {
		len = min_u64(dt_base_name(&c->dt, frame, &name),
			      sizeof(base) - 1);
		memcpy(base, name, len);
		base[len] = '\0';
		name = base;
	}
	err = fdt_write_begin_node(&c->w, name);
	if (!err)
		err = fdt_write_prop_string(&c->w, "compatible",
					    "arm,gic-v2m-frame");
	if (!err)
		err = fdt_write_prop_empty(&c->w, "msi-controller");
	if (!err && dt_phandle_of(&c->dt, frame))
		err = fdt_write_prop_u32(&c->w, "phandle",
					 dt_phandle_of(&c->dt, frame));
	if (!err)
		err = dom0_dt_copy_prop(c, frame, "reg");
	if (!err)
		err = fdt_write_prop_u32(&c->w, "arm,msi-base-spi",
					 v->spi_base);
	if (!err)
		err = fdt_write_prop_u32(&c->w, "arm,msi-num-spis", v->nr_spis);
	if (!err)
		err = fdt_write_end_node(&c->w);
	return err;
}

/* v2m frames with known SPIs, after the GIC's "ranges" they need. */
static int dom0_dt_v2m_frames(struct dom0_dt_ctx *c)
{
	struct dom0_dt_v2m v;
	unsigned int i, kept = 0;
	int frame, err = 0;

	for (i = 0; (frame = dom0_dt_v2m_frame(c, i)) >= 0; i++) {
		if (!dom0_dt_v2m_spis(c, frame, i, &v))
			continue;
		if (!kept && !dt_has(&c->dt, c->dt.gic, "ranges"))
			return dom0_dt_fail(c, -ENOENT, c->dt.gic);
		if (!kept)
			err = dom0_dt_copy_prop(c, c->dt.gic, "ranges");
		if (!err)
			err = dom0_dt_v2m(c, frame, &v, !kept);
		if (err)
			return err;
		kept++;
	}
	return 0;
}

static int dom0_dt_gicv2(struct dom0_dt_ctx *c, unsigned int na,
			 unsigned int ns)
{
	uint32_t len, one = (na + ns) * 4;
	const uint8_t *reg = dt_prop(&c->dt, c->dt.gic, "reg", &len);
	int err;

	/* GICD and GICC only; Dom0's GICC is the GICV behind it. */
	if (!reg || len < 2 * one)
		return dom0_dt_fail(c, -EINVAL, c->dt.gic);
	err = fdt_write_prop(&c->w, "reg", reg, 2 * one);
	if (!err)
		err = dom0_dt_v2m_frames(c);
	return err;
}

int dom0_dt_gic(struct dom0_dt_ctx *c)
{
	/* The GIC's own reg cells, which Xen copies entries of as they are. */
	unsigned int na = dt_n_cells(&c->dt, c->dt.gic, "#address-cells", 2);
	unsigned int ns = dt_n_cells(&c->dt, c->dt.gic, "#size-cells", 1);
	int err;

	if (!dt_has(&c->dt, c->dt.gic, "compatible") || !dt_counts_ok(na, ns))
		return dom0_dt_fail(c, -ENOENT, c->dt.gic);
	err = fdt_write_begin_node(&c->w, "interrupt-controller");
	if (!err && c->out->gic_phandle)
		err = fdt_write_prop_u32(&c->w, "phandle", c->out->gic_phandle);
	if (!err)
		err = dom0_dt_copy_prop(c, c->dt.gic, "#address-cells");
	if (!err)
		err = dom0_dt_copy_prop(c, c->dt.gic, "#size-cells");
	if (!err)
		err = fdt_write_prop_u32(&c->w, "#interrupt-cells", 3);
	if (!err)
		err = fdt_write_prop_empty(&c->w, "interrupt-controller");
	if (!err)
		err = dom0_dt_copy_prop(c, c->dt.gic, "compatible");
	if (!err && c->out->gic_version == 3)
		err = dom0_dt_gicv3(c, na, ns);
	else if (!err)
		err = dom0_dt_gicv2(c, na, ns);
	if (!err)
		err = fdt_write_end_node(&c->w);
	return err;
}
