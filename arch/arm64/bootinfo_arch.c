// SPDX-License-Identifier: MIT
/*
 * The Arm half of the boot DTB (arch_bootinfo_parse): the GIC Orchid
 * drives, the arch timer and PSCI, read as Xen's GIC drivers, timer and
 * PSCI code read them. Only bootinfo's DT helpers and the FDT library are
 * used, so tests/unit/bootinfo runs this file on the host.
 */
#include <orchid/arch.h>
#include <orchid/bootinfo.h>
#include <orchid/panic.h>
#include <orchid/printk.h>
#include <orchid/string.h>

enum {
	GIC_SPEC_CELLS = 3, /* type, number, flags */
	GIC_SPEC_SPI = 0,
	GIC_SPEC_PPI = 1,
	GIC_NR_SPIS = 988, /* INTIDs 32..1019 */
	GIC_NR_PPIS = 16,
	PSCI_0_2_FN64_CPU_ON = 0xC4000003,
};

/*
 * INTID of the @idx-th GIC interrupt specifier of @node's "interrupts"
 * (type, number, flags), or 0 when absent or not an SPI/PPI.
 */
unsigned int arch_dt_irq(const struct fdt *fdt, int node, unsigned int idx)
{
	const uint8_t *p;
	uint32_t len, type, num;

	p = fdt_getprop(fdt, node, "interrupts", &len);
	if (!p || len / (GIC_SPEC_CELLS * 4) <= idx)
		return 0;
	p += idx * GIC_SPEC_CELLS * 4;
	type = (uint32_t)fdt_read_cells(p, 1);
	num = (uint32_t)fdt_read_cells(p + 4, 1);
	if (type == GIC_SPEC_SPI && num < GIC_NR_SPIS)
		return 32 + num;
	if (type == GIC_SPEC_PPI && num < GIC_NR_PPIS)
		return 16 + num;
	return 0;
}

/* ---- GIC, timer, PSCI ----------------------------------------------------------- */

static uint32_t bootinfo_gic_nr_redist(const struct fdt *fdt, int node,
				       const struct gic_info *gic)
{
	char path[BOOTINFO_PATH_LEN];
	uint32_t nr = 1;

	if (fdt_getprop(fdt, node, "#redistributor-regions", NULL) &&
	    !fdt_getprop_u32(fdt, node, "#redistributor-regions", &nr))
		panic("DTB: %s: #redistributor-regions is not one cell",
		      bootinfo_path(fdt, node, path));
	if (nr == 0 || nr > ARRAY_SIZE(gic->redist))
		panic("DTB: %s: %u redistributor regions, Orchid handles 1 to "
		      "%u",
		      bootinfo_path(fdt, node, path), nr,
		      (unsigned int)ARRAY_SIZE(gic->redist));
	return nr;
}

static uint64_t bootinfo_gic_stride(const struct fdt *fdt, int node)
{
	char path[BOOTINFO_PATH_LEN];
	const void *p;
	uint32_t len;

	p = fdt_getprop(fdt, node, "redistributor-stride", &len);
	if (!p)
		return 0;
	if (len != 4 && len != 8)
		panic("DTB: %s: redistributor-stride length %u is not 4 or 8",
		      bootinfo_path(fdt, node, path), len);
	return fdt_read_cells(p, len / 4);
}

/* reg: GICD, the GICR regions, then the optional GICC, GICH, GICV. */
static void bootinfo_gic_v3(struct gic_info *gic, const struct fdt *fdt,
			    int node)
{
	unsigned int i, nr;

	gic->version = 3;
	bootinfo_region_required(fdt, node, 0, &gic->dist, "GICD");
	nr = bootinfo_gic_nr_redist(fdt, node, gic);
	for (i = 0; i < nr; i++)
		bootinfo_region_required(fdt, node, 1 + i, &gic->redist[i],
					 "GICR");
	gic->nr_redist = nr;
	gic->redist_stride = bootinfo_gic_stride(fdt, node);
	bootinfo_region(fdt, node, 1 + nr, &gic->cpu);
	bootinfo_region(fdt, node, 2 + nr, &gic->hyp);
	bootinfo_region(fdt, node, 3 + nr, &gic->vcpu);
}

/* reg: GICD, GICC, then GICH and GICV when virtualization is there. */
static void bootinfo_gic_v2(struct gic_info *gic, const struct fdt *fdt,
			    int node)
{
	gic->version = 2;
	bootinfo_region_required(fdt, node, 0, &gic->dist, "GICD");
	bootinfo_region_required(fdt, node, 1, &gic->cpu, "GICC");
	bootinfo_region(fdt, node, 2, &gic->hyp);
	bootinfo_region(fdt, node, 3, &gic->vcpu);
}

static void bootinfo_parse_gic(struct bootinfo *bi, const struct fdt *fdt)
{
	static const char *const v3[] = {"arm,gic-v3"};
	static const char *const v2[] = {"arm,gic-400", "arm,cortex-a15-gic",
					 "arm,cortex-a9-gic", "arm,gic-v2"};
	int node;

	node = bootinfo_find_any(fdt, v3, ARRAY_SIZE(v3));
	if (node >= 0) {
		bootinfo_gic_v3(&bi->gic, fdt, node);
	} else {
		node = bootinfo_find_any(fdt, v2, ARRAY_SIZE(v2));
		if (node < 0)
			panic("DTB: no interrupt controller compatible with "
			      "arm,gic-v3, arm,gic-400, arm,cortex-a15-gic, "
			      "arm,cortex-a9-gic or arm,gic-v2");
		bootinfo_gic_v2(&bi->gic, fdt, node);
	}
	bi->gic.maint_irq = arch_dt_irq(fdt, node, 0);
}

/* interrupts: secure physical, non-secure physical, virtual, hypervisor. */
static void bootinfo_parse_timer(struct bootinfo *bi, const struct fdt *fdt)
{
	static const char *const compats[] = {"arm,armv8-timer",
					      "arm,armv7-timer"};
	struct timer_info *t = &bi->timer;
	int node;

	node = bootinfo_find_any(fdt, compats, ARRAY_SIZE(compats));
	if (node < 0) {
		pr_warn("DTB: no arm,armv8-timer node: timer interrupts "
			"unknown\n");
		return;
	}
	t->irq_sec_phys = arch_dt_irq(fdt, node, 0);
	t->irq_phys = arch_dt_irq(fdt, node, 1);
	t->irq_virt = arch_dt_irq(fdt, node, 2);
	t->irq_hyp = arch_dt_irq(fdt, node, 3);
	if (!fdt_getprop_u32(fdt, node, "clock-frequency", &t->clock_frequency))
		t->clock_frequency = 0;
}

/*
 * PSCI 0.2 and later fix the function IDs; PSCI 0.1 ("arm,psci") names
 * them in the node.
 */
static void bootinfo_parse_psci(struct bootinfo *bi, const struct fdt *fdt)
{
	static const char *const compats[] = {"arm,psci-1.0", "arm,psci-0.2",
					      "arm,psci"};
	const char *method;
	int node;

	node = bootinfo_find_any(fdt, compats, ARRAY_SIZE(compats));
	if (node < 0) {
		pr_warn("DTB: no PSCI node: secondary CPUs cannot be "
			"started\n");
		return;
	}
	method = fdt_getprop_string(fdt, node, "method");
	if (method && strcmp(method, "smc") == 0) {
		bi->psci_method = PSCI_METHOD_SMC;
	} else if (method && strcmp(method, "hvc") == 0) {
		bi->psci_method = PSCI_METHOD_HVC;
	} else {
		pr_warn("DTB: PSCI method is neither \"smc\" nor \"hvc\"\n");
		return;
	}
	if (fdt_node_is_compatible(fdt, node, "arm,psci-0.2") ||
	    fdt_node_is_compatible(fdt, node, "arm,psci-1.0"))
		bi->psci_cpu_on = PSCI_0_2_FN64_CPU_ON;
	else if (!fdt_getprop_u32(fdt, node, "cpu_on", &bi->psci_cpu_on))
		pr_warn("DTB: PSCI 0.1 node without cpu_on\n");
}

void arch_bootinfo_parse(struct bootinfo *bi, const struct fdt *fdt)
{
	bootinfo_parse_gic(bi, fdt);
	bootinfo_parse_timer(bi, fdt);
	bootinfo_parse_psci(bi, fdt);
}
