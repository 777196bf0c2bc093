// SPDX-License-Identifier: MIT
/*
 * What Orchid needs from the DTB it boots with: RAM, reserved ranges, CPUs,
 * the console UART, the command lines and the boot modules, read with
 * Xen's binding (docs/misc/arm/device-tree/booting.txt) so that the DTB
 * that boots Xen boots Orchid. The architecture reads its own devices
 * (interrupt controller, timer, firmware) with arch_bootinfo_parse.
 *
 * Anything Orchid cannot run without (RAM, a CPU, the interrupt
 * controller) or that is malformed where it matters (a reg too short for
 * its cells) panics with a message naming the node; optional parts only
 * warn.
 */
#include <orchid/arch.h>
#include <orchid/bootinfo.h>
#include <orchid/panic.h>
#include <orchid/printk.h>
#include <orchid/string.h>

const char *bootinfo_path(const struct fdt *fdt, int node,
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

bool bootinfo_reg(const struct fdt *fdt, int node, unsigned int idx,
		  uint64_t *addr, uint64_t *size)
{
	int err = fdt_get_reg(fdt, node, idx, addr, size);

	if (err == FDT_ERR_NOTFOUND)
		return false;
	if (err)
		bootinfo_reg_panic(fdt, node, err);
	return true;
}

bool bootinfo_region(const struct fdt *fdt, int node, unsigned int idx,
		     struct mem_region *r)
{
	uint64_t addr, size;

	if (!bootinfo_reg(fdt, node, idx, &addr, &size))
		return false;
	r->base = pa_init(addr);
	r->size = size;
	return true;
}

void bootinfo_region_required(const struct fdt *fdt, int node, unsigned int idx,
			      struct mem_region *r, const char *what)
{
	char path[BOOTINFO_PATH_LEN];

	if (!bootinfo_region(fdt, node, idx, r))
		panic("DTB: %s: no reg entry %u (%s)",
		      bootinfo_path(fdt, node, path), idx, what);
}

int bootinfo_find_any(const struct fdt *fdt, const char *const *compats,
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
	u->irq = arch_dt_irq(fdt, node, 0);
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
	if (fdt_node_is_compatible(fdt, node, "multiboot,device-tree"))
		return BOOTMOD_DTB;
	return BOOTMOD_OTHER;
}

static bool bootinfo_is_module(const struct fdt *fdt, int node)
{
	return fdt_node_is_compatible(fdt, node, "multiboot,module") ||
	       fdt_node_is_compatible(fdt, node, "xen,multiboot-module");
}

static struct boot_module *bootinfo_new_module(struct bootinfo *bi,
					       const struct fdt *fdt, int node)
{
	char path[BOOTINFO_PATH_LEN];

	if (bi->nr_modules == CONFIG_MAX_BOOT_MODULES) {
		pr_warn("DTB: %s: more than %d boot modules, ignored\n",
			bootinfo_path(fdt, node, path),
			CONFIG_MAX_BOOT_MODULES);
		return NULL;
	}
	return &bi->modules[bi->nr_modules];
}

/* reg uses /chosen's own cells: bootloaders set them to 2/2 there. */
static void bootinfo_add_module(struct bootinfo *bi, const struct fdt *fdt,
				int node)
{
	char path[BOOTINFO_PATH_LEN];
	struct boot_module *m = bootinfo_new_module(bi, fdt, node);

	if (!m)
		return;
	if (!bootinfo_region(fdt, node, 0, &m->region))
		panic("DTB: %s: boot module without reg",
		      bootinfo_path(fdt, node, path));
	m->kind = bootinfo_module_kind(fdt, node);
	m->bootargs = fdt_getprop_string(fdt, node, "bootargs");
	m->domain = -1;
	bi->nr_modules++;
}

/*
 * A dom0less domain's module: reg uses the domain node's cells. A bad one
 * costs that domain its start, never the boot: the builder skips it.
 */
static void bootinfo_add_domu_module(struct bootinfo *bi, const struct fdt *fdt,
				     int node, unsigned int domain)
{
	char path[BOOTINFO_PATH_LEN];
	struct boot_module *m = bootinfo_new_module(bi, fdt, node);
	uint64_t addr, size;
	int err;

	if (!m) {
		bi->domus[domain].bad_modules = true;
		return;
	}
	err = fdt_get_reg(fdt, node, 0, &addr, &size);
	if (!err && (size == 0 || range_overflows(addr, size)))
		err = FDT_ERR_BADREG;
	if (err) {
		pr_warn("DTB: %s: boot module with no usable reg (%s)\n",
			bootinfo_path(fdt, node, path), fdt_strerror(err));
		bi->domus[domain].bad_modules = true;
		return;
	}
	m->region.base = pa_init(addr);
	m->region.size = size;
	m->kind = bootinfo_module_kind(fdt, node);
	m->bootargs = fdt_getprop_string(fdt, node, "bootargs");
	m->domain = (int)domain;
	bi->nr_modules++;
}

static void bootinfo_add_domain(struct bootinfo *bi, const struct fdt *fdt,
				int node)
{
	char path[BOOTINFO_PATH_LEN];
	unsigned int idx = bi->nr_domus;
	int child;

	if (idx == BOOTINFO_MAX_DOMUS) {
		pr_warn("DTB: %s: more than %d dom0less domains, ignored\n",
			bootinfo_path(fdt, node, path), BOOTINFO_MAX_DOMUS);
		return;
	}
	bi->domus[idx].node = node;
	bi->domus[idx].bad_modules = false;
	bi->nr_domus++;
	for (child = fdt_first_child(fdt, node); child >= 0;
	     child = fdt_next_sibling(fdt, child))
		if (bootinfo_is_module(fdt, child))
			bootinfo_add_domu_module(bi, fdt, child, idx);
}

static void bootinfo_parse_modules(struct bootinfo *bi, const struct fdt *fdt,
				   int chosen)
{
	int node;

	for (node = fdt_first_child(fdt, chosen); node >= 0;
	     node = fdt_next_sibling(fdt, node)) {
		if (bootinfo_is_module(fdt, node))
			bootinfo_add_module(bi, fdt, node);
		else if (fdt_node_is_compatible(fdt, node, "xen,domain"))
			bootinfo_add_domain(bi, fdt, node);
	}
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
	/* The interrupt controller, timer and firmware interface. */
	arch_bootinfo_parse(bi, fdt);
	bootinfo_parse_chosen(bi, fdt);
}

const struct boot_module *bootinfo_module(const struct bootinfo *bi,
					  enum boot_module_kind kind)
{
	unsigned int i;

	for (i = 0; i < bi->nr_modules; i++)
		if (bi->modules[i].kind == kind && bi->modules[i].domain < 0)
			return &bi->modules[i];
	return NULL;
}

const struct boot_module *bootinfo_domain_module(const struct bootinfo *bi,
						 unsigned int domain,
						 enum boot_module_kind kind)
{
	unsigned int i;

	for (i = 0; i < bi->nr_modules; i++)
		if (bi->modules[i].kind == kind &&
		    bi->modules[i].domain == (int)domain)
			return &bi->modules[i];
	return NULL;
}
