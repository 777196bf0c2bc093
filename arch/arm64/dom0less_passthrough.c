// SPDX-License-Identifier: MIT
/*
 * Devices a dom0less DomU gets from its partial device tree, as Xen 4.17's
 * handle_prop_pfdt/handle_passthrough_prop (xen/arch/arm/domain_build.c,
 * docs/misc/arm/passthrough.txt): each child of the partial tree's
 * /passthrough with "xen,reg" = <host-address size guest-address> triples
 * (in /passthrough's cells) gets those frames mapped as Device memory, and
 * with "xen,path" the host node at that path has its interrupts routed 1:1.
 * QEMU virt has no IOMMU, so as in Xen an assignment needs
 * "xen,force-assign-without-iommu"; "xen,path" without "xen,reg", or
 * "xen,reg" with neither, is refused. The node itself is copied into the
 * DomU's tree by domu_dt.c, without the "xen," properties.
 *
 * Orchid refuses more than Xen: frames that are host RAM or its own
 * GIC/UART, and frames or SPIs another domain (Dom0 included) already has
 * (passthrough.h). The caller skips the domain then, where Xen panics.
 */
#include <asm/domain_build.h>
#include <asm/vgic.h>
#include <orchid/bootinfo.h>
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/mm.h>
#include <orchid/passthrough.h>
#include <orchid/printk.h>
#include <orchid/setup.h>

#include "dt_lookup.h"

/* Does [@base, @base + @size) touch @r? */
static bool pt_touches(uint64_t base, uint64_t size, const struct mem_region *r)
{
	return r->size && base < pa_addr(r->base) + r->size &&
	       pa_addr(r->base) < base + size;
}

/* Host RAM, the GIC's frames and the console UART are never a device. */
static bool pt_hypervisor_owned(uint64_t base, uint64_t size)
{
	const struct gic_info *g = &bootinfo.gic;

	for (unsigned int i = 0; i < bootinfo.nr_mem; i++)
		if (pt_touches(base, size, &bootinfo.mem[i]))
			return true;
	for (unsigned int i = 0; i < g->nr_redist; i++)
		if (pt_touches(base, size, &g->redist[i]))
			return true;
	return pt_touches(base, size, &g->dist) ||
	       pt_touches(base, size, &g->cpu) ||
	       pt_touches(base, size, &g->hyp) ||
	       pt_touches(base, size, &g->vcpu) ||
	       pt_touches(base, size, &bootinfo.uart.region);
}

static int pt_map_one(struct domain *d, const char *name, uint64_t mstart,
		      uint64_t size, uint64_t gstart)
{
	uint64_t nr = size >> PAGE_SHIFT, mfn = mstart >> PAGE_SHIFT;
	int ret;

	if ((mstart | size | gstart) & ~PAGE_MASK || !size ||
	    range_overflows(mstart, size)) {
		pr_err("%s: xen,reg %#lx+%#lx is not page aligned\n", name,
		       mstart, size);
		return -EINVAL;
	}
	if (pt_hypervisor_owned(mstart, size)) {
		pr_err("%s: xen,reg %#lx+%#lx is RAM or Orchid's own\n", name,
		       mstart, size);
		return -EPERM;
	}
	ret = iomem_permit(d, mfn, nr, true);
	if (!ret)
		ret = iomem_map_device(d, gstart >> PAGE_SHIFT, mfn, nr);
	if (ret)
		pr_err("%s: cannot map %#lx+%#lx at %#lx (%d)\n", name, mstart,
		       size, gstart, ret);
	return ret;
}

/* Every <host size guest> triple of @node's "xen,reg". */
static int pt_map_regs(struct domain *d, const struct fdt *pfdt, int node,
		       unsigned int ac, unsigned int sc)
{
	const char *name = fdt_get_name(pfdt, node, NULL);
	unsigned int cells = 2 * ac + sc;
	uint32_t len;
	const uint8_t *p = fdt_getprop(pfdt, node, "xen,reg", &len);

	if (!cells || len % (cells * 4)) {
		pr_err("%s: xen,reg is not <address size address> triples\n",
		       name);
		return -EINVAL;
	}
	for (uint32_t off = 0; off < len; off += cells * 4) {
		uint64_t m = fdt_read_cells(p + off, ac);
		uint64_t s = fdt_read_cells(p + off + ac * 4, sc);
		uint64_t g = fdt_read_cells(p + off + (ac + sc) * 4, ac);
		int ret = pt_map_one(d, name, m, s, g);

		if (ret)
			return ret;
	}
	return 0;
}

/* Xen's handle_device_interrupts for the host node at @path. */
static int pt_route_irqs(struct domain *d, const char *path)
{
	struct dt_lookup dt;
	int node, ret;
	unsigned int n;

	ret = dt_lookup_init(&dt, boot_fdt());
	if (ret)
		return ret;
	node = fdt_path_offset(boot_fdt(), path);
	if (node < 0 || path[0] != '/') {
		pr_err("d%u: xen,path %s: no such host node\n", d->domain_id,
		       path);
		return -EINVAL;
	}
	n = dt_irq_count(&dt, node);
	for (unsigned int i = 0; i < n; i++) {
		struct dt_raw_irq raw;
		unsigned int type;
		uint64_t intid;

		if (dt_irq_get(&dt, node, i, &raw))
			return -EINVAL;
		if (raw.controller != dt.gic)
			continue;
		if (dt_irq_intid(&dt, &raw, &intid, &type) || intid < 32)
			return -EINVAL;
		ret = irq_permit(d, (unsigned int)intid, true);
		if (!ret)
			ret = arch_pt_irq_bind(d, (unsigned int)intid);
		if (ret) {
			pr_err("d%u: %s: SPI %lu not routed (%d)\n",
			       d->domain_id, path, intid, ret);
			return ret;
		}
	}
	return 0;
}

/* One child of /passthrough: Xen's rule on which properties go together. */
static int pt_node(struct domain *d, const struct fdt *pfdt, int node,
		   unsigned int ac, unsigned int sc)
{
	const char *name = fdt_get_name(pfdt, node, NULL);
	bool reg = fdt_getprop(pfdt, node, "xen,reg", NULL) != NULL;
	const char *path = fdt_getprop_string(pfdt, node, "xen,path");
	bool force = fdt_getprop(pfdt, node, "xen,force-assign-without-iommu",
				 NULL) != NULL;
	int ret;

	if (!reg && !path)
		return 0; /* a plain node: only copied */
	if (!reg || (!path && !force)) {
		pr_err("%s: xen,reg or xen,path missing\n", name);
		return -EINVAL;
	}
	ret = pt_map_regs(d, pfdt, node, ac, sc);
	if (ret || !path)
		return ret;
	ret = pt_route_irqs(d, path);
	if (ret)
		return ret;
	/* No IOMMU here: only a forced assignment goes unprotected. */
	if (!force) {
		pr_err("%s: no IOMMU: needs xen,force-assign-without-iommu\n",
		       name);
		return -EINVAL;
	}
	return 0;
}

int dom0less_passthrough(struct domain *d, const struct fdt *pfdt)
{
	int root = fdt_root(pfdt);
	int node, child, ac, sc, ret;

	node = fdt_subnode(pfdt, root, "passthrough", 11);
	if (node < 0)
		return 0;
	ac = fdt_address_cells(pfdt, node);
	sc = fdt_size_cells(pfdt, node);
	if (ac <= 0 || sc <= 0 || ac > 2 || sc > 2)
		return -EINVAL;
	for (child = fdt_first_child(pfdt, node); child >= 0;
	     child = fdt_next_sibling(pfdt, child)) {
		ret = pt_node(d, pfdt, child, (unsigned int)ac,
			      (unsigned int)sc);
		if (ret)
			return ret;
	}
	return 0;
}
