// SPDX-License-Identifier: MIT
/*
 * What Orchid needs from the DTB it boots with: RAM, reserved ranges, CPUs,
 * the GIC, the timer, PSCI, the console UART, the command lines and the
 * boot modules, read with Xen's binding (docs/misc/arm/device-tree/
 * booting.txt) so that the DTB that boots Xen boots Orchid.
 *
 * Anything Orchid cannot run without (RAM, a CPU, a GIC) or that is
 * malformed where it matters (a reg too short for its cells) panics with a
 * message naming the node; optional parts only warn.
 */
#include <orchid/arch.h>
#include <orchid/bootinfo.h>
#include <orchid/panic.h>
#include <orchid/printk.h>
#include <orchid/string.h>

enum {
	BOOTINFO_PATH_LEN = 128,
	GIC_SPEC_CELLS = 3, /* type, number, flags */
	GIC_SPEC_SPI = 0,
	GIC_SPEC_PPI = 1,
	GIC_NR_SPIS = 988, /* INTIDs 32..1019 */
	GIC_NR_PPIS = 16,
	PSCI_0_2_FN64_CPU_ON = 0xC4000003,
};

/* A node's path for messages; "<node>" if it does not fit. */
static const char *bootinfo_path(const struct fdt *fdt, int node,
				 char buf[BOOTINFO_PATH_LEN])
{
	if (fdt_get_path(fdt, node, buf, BOOTINFO_PATH_LEN) < 0)
		memcpy(buf, "<node>", sizeof("<node>"));
	return buf;
}

static void __noreturn bootinfo_reg_panic(const struct fdt *fdt, int node,
					  int err)
{
	char path[BOOTINFO_PATH_LEN];
	unsigned int ac, sc;
	uint32_t len = 0;

	bootinfo_path(fdt, node, path);
	if (fdt_reg_cells(fdt, node, &ac, &sc) < 0)
		panic("DTB: %s: reg: %s", path, fdt_strerror(err));
	if (err == FDT_ERR_BADREG) {
		fdt_getprop(fdt, node, "reg", &len);
		panic("DTB: %s: reg length %u is not a multiple of %u", path,
		      len, (ac + sc) * 4);
	}
	if (err == FDT_ERR_BADCELLS)
		panic("DTB: %s: reg with #address-cells %u and #size-cells %u "
		      "is not supported",
		      path, ac, sc);
	panic("DTB: %s: reg: %s", path, fdt_strerror(err));
}

/*
 * The @idx-th (address, size) of @node's reg, decoded with its parent's
 * cells. False when there is no such entry; a malformed reg panics.
 */
static bool bootinfo_reg(const struct fdt *fdt, int node, unsigned int idx,
			 uint64_t *addr, uint64_t *size)
{
	int err = fdt_get_reg(fdt, node, idx, addr, size);

	if (err == FDT_ERR_NOTFOUND)
		return false;
	if (err)
		bootinfo_reg_panic(fdt, node, err);
	return true;
}

static bool bootinfo_region(const struct fdt *fdt, int node, unsigned int idx,
			    struct mem_region *r)
{
	uint64_t addr, size;

	if (!bootinfo_reg(fdt, node, idx, &addr, &size))
		return false;
	r->base = pa_init(addr);
	r->size = size;
	return true;
}

/* Like bootinfo_region, but Orchid cannot boot without this entry. */
static void bootinfo_region_required(const struct fdt *fdt, int node,
				     unsigned int idx, struct mem_region *r,
				     const char *what)
{
	char path[BOOTINFO_PATH_LEN];

	if (!bootinfo_region(fdt, node, idx, r))
		panic("DTB: %s: no reg entry %u (%s)",
		      bootinfo_path(fdt, node, path), idx, what);
}

/* The first node in the tree compatible with any of @compats. */
static int bootinfo_find_any(const struct fdt *fdt, const char *const *compats,
			     unsigned int n)
{
	unsigned int i;
	int node;

	for (node = fdt_next_node(fdt, -1, NULL); node >= 0;
	     node = fdt_next_node(fdt, node, NULL))
		for (i = 0; i < n; i++)
			if (fdt_node_is_compatible(fdt, node, compats[i]))
				return node;
	return node;
}

static bool bootinfo_has_device_type(const struct fdt *fdt, int node,
				     const char *type)
{
	const char *dt = fdt_getprop_string(fdt, node, "device_type");

	return dt && strcmp(dt, type) == 0;
}

/*
 * INTID of the @idx-th GIC interrupt specifier of @node's "interrupts"
 * (type, number, flags), or 0 when absent or not an SPI/PPI.
 */
static unsigned int bootinfo_irq(const struct fdt *fdt, int node,
				 unsigned int idx)
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

/* ---- memory ------------------------------------------------------------------ */

static void bootinfo_add_bank(struct bootinfo *bi, const struct fdt *fdt,
			      int node, uint64_t addr, uint64_t size)
{
	char path[BOOTINFO_PATH_LEN];

	if (size == 0)
		return;
	if (range_overflows(addr, size)) {
		pr_warn("DTB: %s: bank 0x%llx+0x%llx wraps, ignored\n",
			bootinfo_path(fdt, node, path),
			(unsigned long long)addr, (unsigned long long)size);
		return;
	}
	if (bi->nr_mem == CONFIG_MAX_MEM_BANKS) {
		pr_warn("DTB: %s: more than %d RAM banks, ignoring "
			"0x%llx+0x%llx\n",
			bootinfo_path(fdt, node, path), CONFIG_MAX_MEM_BANKS,
			(unsigned long long)addr, (unsigned long long)size);
		return;
	}
	bi->mem[bi->nr_mem].base = pa_init(addr);
	bi->mem[bi->nr_mem].size = size;
	bi->nr_mem++;
}

static void bootinfo_parse_memory(struct bootinfo *bi, const struct fdt *fdt)
{
	uint64_t addr, size;
	unsigned int i;
	int node;

	for (node = fdt_next_node(fdt, -1, NULL); node >= 0;
	     node = fdt_next_node(fdt, node, NULL)) {
		if (!bootinfo_has_device_type(fdt, node, "memory") ||
		    !fdt_node_is_available(fdt, node))
			continue;
		for (i = 0; bootinfo_reg(fdt, node, i, &addr, &size); i++)
			bootinfo_add_bank(bi, fdt, node, addr, size);
	}
	if (bi->nr_mem == 0)
		panic("DTB: no RAM: no node with device_type = \"memory\" and "
		      "a non-empty reg");
}

/* Dropping a reservation would hand firmware's memory out: never do it. */
static void bootinfo_add_reserved(struct bootinfo *bi, uint64_t addr,
				  uint64_t size)
{
	if (size == 0)
		return;
	if (bi->nr_reserved == CONFIG_MAX_MEM_BANKS)
		panic("DTB: more than %d reserved memory regions",
		      CONFIG_MAX_MEM_BANKS);
	bi->reserved[bi->nr_reserved].base = pa_init(addr);
	bi->reserved[bi->nr_reserved].size = size;
	bi->nr_reserved++;
}

/*
 * /memreserve/ entries and every /reserved-memory child with a reg. Children
 * with only a size ask the OS to allocate: nothing is fixed there yet.
 */
static void bootinfo_parse_reserved(struct bootinfo *bi, const struct fdt *fdt)
{
	uint64_t addr, size;
	unsigned int i;
	int resv, child;

	for (i = 0; fdt_get_mem_rsv(fdt, i, &addr, &size) == 0; i++)
		bootinfo_add_reserved(bi, addr, size);

	resv = fdt_path_offset(fdt, "/reserved-memory");
	if (resv < 0)
		return;
	for (child = fdt_first_child(fdt, resv); child >= 0;
	     child = fdt_next_sibling(fdt, child)) {
		if (!fdt_node_is_available(fdt, child))
			continue;
		for (i = 0; bootinfo_reg(fdt, child, i, &addr, &size); i++)
			bootinfo_add_reserved(bi, addr, size);
	}
}

/* ---- CPUs ------------------------------------------------------------------- */

static void bootinfo_add_cpu(struct bootinfo *bi, const struct fdt *fdt,
			     int cpu)
{
	char path[BOOTINFO_PATH_LEN];
	uint64_t mpidr, unused;

	if (!bootinfo_reg(fdt, cpu, 0, &mpidr, &unused))
		panic("DTB: %s: no reg (MPIDR)", bootinfo_path(fdt, cpu, path));
	bi->nr_cpus_found++;
	if (bi->nr_cpus < CONFIG_NR_CPUS)
		bi->cpu_mpidr[bi->nr_cpus++] = mpidr;
}

static void bootinfo_parse_cpus(struct bootinfo *bi, const struct fdt *fdt)
{
	int cpus, cpu;

	cpus = fdt_path_offset(fdt, "/cpus");
	if (cpus < 0)
		panic("DTB: no /cpus node");
	for (cpu = fdt_first_child(fdt, cpus); cpu >= 0;
	     cpu = fdt_next_sibling(fdt, cpu))
		if (bootinfo_has_device_type(fdt, cpu, "cpu"))
			bootinfo_add_cpu(bi, fdt, cpu);
	if (bi->nr_cpus == 0)
		panic("DTB: no CPU (device_type = \"cpu\") under /cpus");
	if (bi->nr_cpus_found > bi->nr_cpus)
		pr_warn("DTB: %u CPUs, using the first %u (CONFIG_NR_CPUS)\n",
			bi->nr_cpus_found, bi->nr_cpus);
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
	bi->gic.maint_irq = bootinfo_irq(fdt, node, 0);
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
	t->irq_sec_phys = bootinfo_irq(fdt, node, 0);
	t->irq_phys = bootinfo_irq(fdt, node, 1);
	t->irq_virt = bootinfo_irq(fdt, node, 2);
	t->irq_hyp = bootinfo_irq(fdt, node, 3);
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

/* ---- /chosen -------------------------------------------------------------------- */

/* stdout-path is a path or an alias, optionally followed by ":options". */
static void bootinfo_parse_uart(struct bootinfo *bi, const struct fdt *fdt,
				int chosen)
{
	struct uart_info *u = &bi->uart;
	const char *stdout_path;
	size_t len;
	int node;

	stdout_path = fdt_getprop_string(fdt, chosen, "stdout-path");
	if (!stdout_path)
		stdout_path =
			fdt_getprop_string(fdt, chosen, "linux,stdout-path");
	if (!stdout_path)
		return;
	for (len = 0; stdout_path[len] && stdout_path[len] != ':'; len++)
		;
	node = fdt_path_offset_len(fdt, stdout_path, len);
	if (node < 0) {
		pr_warn("DTB: stdout-path \"%s\": %s\n", stdout_path,
			fdt_strerror(node));
		return;
	}
	if (fdt_get_path(fdt, node, u->path, sizeof(u->path)) < 0)
		pr_warn("DTB: stdout-path \"%s\": path longer than %u bytes\n",
			stdout_path, (unsigned int)sizeof(u->path));
	if (!bootinfo_region(fdt, node, 0, &u->region))
		pr_warn("DTB: %s: console without reg\n", stdout_path);
	u->compatible = fdt_stringlist_get(fdt, node, "compatible", 0);
	u->irq = bootinfo_irq(fdt, node, 0);
}

static enum boot_module_kind bootinfo_module_kind(const struct fdt *fdt,
						  int node)
{
	if (fdt_node_is_compatible(fdt, node, "multiboot,kernel") ||
	    fdt_node_is_compatible(fdt, node, "xen,linux-zimage"))
		return BOOTMOD_KERNEL;
	if (fdt_node_is_compatible(fdt, node, "multiboot,ramdisk") ||
	    fdt_node_is_compatible(fdt, node, "xen,linux-initrd"))
		return BOOTMOD_RAMDISK;
	return BOOTMOD_OTHER;
}

/* reg uses /chosen's own cells: bootloaders set them to 2/2 there. */
static void bootinfo_add_module(struct bootinfo *bi, const struct fdt *fdt,
				int node)
{
	char path[BOOTINFO_PATH_LEN];
	struct boot_module *m;

	if (bi->nr_modules == CONFIG_MAX_BOOT_MODULES) {
		pr_warn("DTB: %s: more than %d boot modules, ignored\n",
			bootinfo_path(fdt, node, path),
			CONFIG_MAX_BOOT_MODULES);
		return;
	}
	m = &bi->modules[bi->nr_modules];
	if (!bootinfo_region(fdt, node, 0, &m->region))
		panic("DTB: %s: boot module without reg",
		      bootinfo_path(fdt, node, path));
	m->kind = bootinfo_module_kind(fdt, node);
	m->bootargs = fdt_getprop_string(fdt, node, "bootargs");
	bi->nr_modules++;
}

static void bootinfo_parse_modules(struct bootinfo *bi, const struct fdt *fdt,
				   int chosen)
{
	int node;

	for (node = fdt_first_child(fdt, chosen); node >= 0;
	     node = fdt_next_sibling(fdt, node))
		if (fdt_node_is_compatible(fdt, node, "multiboot,module") ||
		    fdt_node_is_compatible(fdt, node, "xen,multiboot-module"))
			bootinfo_add_module(bi, fdt, node);
}

static void bootinfo_parse_chosen(struct bootinfo *bi, const struct fdt *fdt)
{
	const struct boot_module *kernel;
	int chosen;

	chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen < 0) {
		pr_warn("DTB: no /chosen node: no command line, no modules\n");
		return;
	}
	bootinfo_parse_uart(bi, fdt, chosen);
	bootinfo_parse_modules(bi, fdt, chosen);

	bi->xen_bootargs = fdt_getprop_string(fdt, chosen, "xen,xen-bootargs");
	if (!bi->xen_bootargs)
		bi->xen_bootargs = fdt_getprop_string(fdt, chosen, "bootargs");
	bi->dom0_bootargs =
		fdt_getprop_string(fdt, chosen, "xen,dom0-bootargs");
	kernel = bootinfo_module(bi, BOOTMOD_KERNEL);
	if (!bi->dom0_bootargs && kernel)
		bi->dom0_bootargs = kernel->bootargs;
}

void bootinfo_parse(struct bootinfo *bi, const struct fdt *fdt)
{
	memset(bi, 0, sizeof(*bi));
	bi->dtb.base = arch_va_to_pa(fdt->blob);
	bi->dtb.size = fdt->size;

	bootinfo_parse_memory(bi, fdt);
	bootinfo_parse_reserved(bi, fdt);
	bootinfo_parse_cpus(bi, fdt);
	bootinfo_parse_gic(bi, fdt);
	bootinfo_parse_timer(bi, fdt);
	bootinfo_parse_psci(bi, fdt);
	bootinfo_parse_chosen(bi, fdt);
}

const struct boot_module *bootinfo_module(const struct bootinfo *bi,
					  enum boot_module_kind kind)
{
	unsigned int i;

	for (i = 0; i < bi->nr_modules; i++)
		if (bi->modules[i].kind == kind)
			return &bi->modules[i];
	return NULL;
}
