/* SPDX-License-Identifier: MIT */
/*
 * A dom0less DomU's device tree, written from scratch as Xen 4.17 writes
 * it (xen/arch/arm/domain_build.c, prepare_dtb_domU): root cells,
 * /chosen (bootargs, initramfs), /psci, /cpus, memory, the
 * vGIC at Xen's guest addresses (phandle 65000), the arch timer with the
 * guest PPIs, the vpl011 when asked for, /hypervisor for an "xen,enhanced"
 * domain, then the nodes of the domain's partial device tree
 * ("/passthrough" children).
 */
#ifndef ARM64_DOMU_DT_H
#define ARM64_DOMU_DT_H

#include <orchid/bootinfo.h>
#include <orchid/fdt.h>
#include <orchid/mm.h>

#define DOMU_DT_GIC_PHANDLE 65000 /* Xen's GUEST_PHANDLE_GIC */

/*
 * What a node's "xen,enhanced" asks for (Xen's DOM0LESS_* features): the
 * /hypervisor node only, or that and a xenstore connection that Dom0's
 * init-dom0less completes later.
 */
enum domu_enhanced {
	DOMU_ENHANCED_NONE,
	DOMU_ENHANCED_NO_XENSTORE, /* "no-xenstore" */
	DOMU_ENHANCED_FULL,	   /* "enabled", or no value at all */
};

/*
 * Read @node's "xen,enhanced" as Xen 4.17's construct_domU does: absent,
 * or a string Xen does not know, is NONE (Xen ignores it); present
 * with no value, a value that is no string, or "enabled" is FULL.
 */
enum domu_enhanced domu_dt_enhanced(const struct fdt *fdt, int node);

struct domu_dt_params {
	const struct mem_region *mem; /* RAM banks, as IPAs */
	unsigned int nr_mem;
	unsigned int nr_vcpus;
	unsigned int gic_version; /* 2 or 3 */
	/* A direct-mapped DomU's: the host's GIC, whose addresses its vGIC
	 * has (Xen's domain_use_host_layout); NULL: the guest layout's. */
	const struct gic_info *host_gic;
	bool vpl011;
	/* Where it is, when not the guest layout's (0: GUEST_PL011_BASE,
	 * GUEST_VPL011_SPI). */
	uint64_t vpl011_base;
	unsigned int vpl011_intid;
	const char *bootargs; /* NULL: none */
	bool initrd;
	uint64_t initrd_start, initrd_end;
	/* The partial device tree (multiboot,device-tree), or NULL. */
	const struct fdt *partial;
	/* "xen,enhanced": write /hypervisor (grant table, extended regions
	 * below 2^ipa_bits, the event-channel PPI). */
	bool hypervisor;
	unsigned int ipa_bits;
	unsigned int evtchn_ppi;
	/* @host never changes (the boot DTB): its lookup (the scan for its
	 * GIC) is done once and kept for the next builds. */
	bool host_fixed;
};

/*
 * Write the DomU's DTB for @p into @buf[0..@size) with @host's CPU
 * compatible. Returns its size, or a negative errno: -ENOSPC when @buf
 * is too small, -ENOENT when @host has no cpu node, -EINVAL for a
 * partial DT Orchid cannot take (see domu_dt.c).
 */
long domu_dt_build(const struct fdt *host, const struct domu_dt_params *p,
		   void *buf, size_t size);

#endif /* ARM64_DOMU_DT_H */
