/* SPDX-License-Identifier: MIT */
/*
 * What Orchid learns from the device tree it is booted with: the same DTB,
 * with Xen's boot binding, that boots Xen.
 */
#ifndef ORCHID_BOOTINFO_H
#define ORCHID_BOOTINFO_H

#include <orchid/fdt.h>
#include <orchid/mm.h>

enum boot_module_kind {
	BOOTMOD_KERNEL,	 /* "multiboot,kernel" (Dom0 kernel) */
	BOOTMOD_RAMDISK, /* "multiboot,ramdisk" (Dom0 initramfs) */
	BOOTMOD_OTHER,	 /* any other "multiboot,module" (e.g. XSM policy) */
	BOOTMOD_DTB,	 /* "multiboot,device-tree": a DomU's partial DT */
};

struct boot_module {
	enum boot_module_kind kind;
	struct mem_region region;
	const char *bootargs; /* the node's "bootargs", or NULL */
	/* Index in bootinfo.domus of the dom0less domain it belongs to, or
	 * -1 for a /chosen-level (Dom0 or hypervisor) module. */
	int domain;
};

/*
 * A dom0less domain: a /chosen child with compatible "xen,domain" (Xen's
 * docs/misc/arm/device-tree/booting.txt). Only where it is and whether
 * its modules parsed are kept here; the domain builder reads the rest of
 * the node itself, checking every value.
 */
enum { BOOTINFO_MAX_DOMUS = 16, BOOTINFO_MAX_STATIC_BANKS = 8 };

/*
 * A domain's "xen,static-mem" (common/boot/static_mem.c): host RAM banks
 * kept from the heap at boot and only ever given to that domain.
 */
struct boot_static_mem {
	struct mem_region bank[BOOTINFO_MAX_STATIC_BANKS];
	unsigned int nr; /* 0: none, or refused */
	bool refused;	 /* it has one, but a bad one (logged) */
};

struct boot_domain {
	int node;	  /* offset in the boot DTB */
	bool bad_modules; /* a module of it had no usable reg */
	struct boot_static_mem smem;
};

enum psci_method {
	PSCI_METHOD_NONE,
	PSCI_METHOD_SMC,
	PSCI_METHOD_HVC,
};

struct gic_info {
	unsigned int version; /* 2 or 3; 0 when no GIC was found */
	struct mem_region dist;
	/* v3 only: redistributor regions ("#redistributor-regions"). */
	struct mem_region redist[4];
	unsigned int nr_redist;
	uint64_t redist_stride; /* 0 when the property is absent */
	/* v2: GICC/GICH/GICV; v3: the optional legacy frames. */
	struct mem_region cpu;
	struct mem_region hyp;
	struct mem_region vcpu;
	unsigned int maint_irq; /* INTID; 0 when absent */
};

struct timer_info {
	/* INTIDs of the four PPIs, in the binding's order; 0 when absent. */
	unsigned int irq_sec_phys;
	unsigned int irq_phys;
	unsigned int irq_virt;
	unsigned int irq_hyp;
	uint32_t clock_frequency; /* 0 when absent: use CNTFRQ_EL0 */
};

struct uart_info {
	struct mem_region region; /* size 0 when no console was found */
	char path[64];		  /* full node path, e.g. "/pl011@9000000" */
	const char *compatible;	  /* first compatible string */
	unsigned int irq;	  /* INTID, 0 when absent */
};

struct bootinfo {
	struct mem_region mem[CONFIG_MAX_MEM_BANKS];
	unsigned int nr_mem;
	/* /memreserve/ entries and /reserved-memory children with reg. */
	struct mem_region reserved[CONFIG_MAX_MEM_BANKS];
	unsigned int nr_reserved;

	uint64_t cpu_mpidr[CONFIG_NR_CPUS];
	unsigned int nr_cpus;	    /* CPUs kept (at most CONFIG_NR_CPUS) */
	unsigned int nr_cpus_found; /* CPUs in the DTB */

	struct gic_info gic;
	struct timer_info timer;
	enum psci_method psci_method;
	uint32_t psci_cpu_on; /* function ID for CPU_ON */
	struct uart_info uart;

	/* Strings point into the DTB, which stays mapped and reserved. */
	const char *xen_bootargs;  /* xen,xen-bootargs, else bootargs */
	const char *dom0_bootargs; /* xen,dom0-bootargs, else the kernel
				      module's bootargs, else NULL */
	struct boot_module modules[CONFIG_MAX_BOOT_MODULES];
	unsigned int nr_modules;
	struct boot_domain domus[BOOTINFO_MAX_DOMUS];
	unsigned int nr_domus;

	struct mem_region dtb;
};

/*
 * Fill @bi from a validated device tree. A DTB that lacks what Orchid cannot
 * boot without (memory, CPUs, an interrupt controller) panics with a message
 * naming what is missing or malformed.
 */
void bootinfo_parse(struct bootinfo *bi, const struct fdt *fdt);

/* The /chosen-level boot module of @kind, or NULL. */
const struct boot_module *bootinfo_module(const struct bootinfo *bi,
					  enum boot_module_kind kind);
/* The module of @kind of dom0less domain @domain, or NULL. */
const struct boot_module *bootinfo_domain_module(const struct bootinfo *bi,
						 unsigned int domain,
						 enum boot_module_kind kind);

/*
 * Device-tree helpers for both halves of the parse (common/boot/bootinfo.c and
 * the architecture's arch_bootinfo_parse).
 */
enum { BOOTINFO_PATH_LEN = 128 };
/* A node's path for messages; "<node>" if it does not fit. */
const char *bootinfo_path(const struct fdt *fdt, int node,
			  char buf[BOOTINFO_PATH_LEN]);
/*
 * The @idx-th (address, size) of @node's reg, decoded with its parent's
 * cells. False when there is no such entry; a malformed reg panics.
 */
bool bootinfo_reg(const struct fdt *fdt, int node, unsigned int idx,
		  uint64_t *addr, uint64_t *size);
bool bootinfo_region(const struct fdt *fdt, int node, unsigned int idx,
		     struct mem_region *r);
/* Like bootinfo_region, but Orchid cannot boot without this entry. */
void bootinfo_region_required(const struct fdt *fdt, int node, unsigned int idx,
			      struct mem_region *r, const char *what);
/* The first node in the tree compatible with any of @compats. */
int bootinfo_find_any(const struct fdt *fdt, const char *const *compats,
		      unsigned int n);

#endif /* ORCHID_BOOTINFO_H */
