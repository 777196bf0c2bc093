/* SPDX-License-Identifier: MIT */
/*
 * Dom0's device tree, generated from the host's the way Xen 4.17 does it
 * (xen/arch/arm/domain_build.c, handle_node and the make_*_node helpers),
 * so that Linux sees under Orchid what it sees under Xen on the same board.
 *
 * Every host node is copied verbatim except the ones Xen leaves out or
 * replaces: the GIC and the arch timer are rewritten, /cpus, memory, PSCI
 * and PMU nodes, boot modules, Orchid's console UART, IOMMUs and every
 * device using a PPI are dropped; /hypervisor, /psci, /cpus and memory
 * nodes are added at the end of the root. Dom0 is direct-mapped (IPA ==
 * PA), so every address below is both.
 *
 * Alongside the blob, the result lists what the domain builder must give
 * Dom0: the MMIO ranges of every device kept (translated to physical
 * addresses through the buses' "ranges"), including the windows of PCI host
 * bridges, and the SPIs to route 1:1.
 */
#ifndef ARM64_DOM0_DT_H
#define ARM64_DOM0_DT_H

#include <orchid/fdt.h>
#include <orchid/mm.h>

enum {
	DOM0_DT_MAX_MMIO = 256,
	/* SPIs are listed once each, so every SPI fits. */
	DOM0_DT_MAX_SPIS = 988,
	/*
	 * Regions past the last slot are dropped silently, as Xen drops those
	 * past its NR_MEM_BANKS (256).
	 */
	DOM0_DT_MAX_EXT_REGIONS = 32,
	/* Host /reserved-memory regions (Xen: bootinfo.reserved_mem). */
	DOM0_DT_MAX_RESERVED = 32,
};

/* Extended regions are 2 MiB aligned and at least 64 MiB, as in Xen. */
#define DOM0_DT_EXT_ALIGN    (2ULL << 20)
#define DOM0_DT_EXT_MIN_SIZE (64ULL << 20)

/* The SPIs of one GICv2m MSI frame, in the order of the GIC's children. */
struct dom0_dt_v2m {
	uint32_t spi_base; /* first INTID, from the frame's MSI_TYPER */
	uint32_t nr_spis;
};

struct dom0_dt_params {
	/* Dom0's RAM banks (bank 0 names the memory node). */
	const struct mem_region *mem;
	unsigned int nr_mem;
	/* Host RAM (bootinfo.mem), for the extended regions. */
	const struct mem_region *host_mem;
	unsigned int nr_host_mem;
	/*
	 * Further ranges to keep out of the extended regions. Xen leaves out
	 * only Dom0's RAM, reserved memory and the grant-table window, which
	 * are always left out; pass none to match it.
	 */
	const struct mem_region *used;
	unsigned int nr_used;
	/* Dom0's IPA size; extended regions stay below 2^ipa_bits (0: 64). */
	unsigned int ipa_bits;
	/* Xen's "ext_regions" option (on by default). */
	bool ext_regions;

	unsigned int nr_vcpus;
	/* MPIDR affinity of each vCPU; NULL: dom0_dt_vcpu_affinity(), as Xen. */
	const uint64_t *vcpu_affinity;

	/* /hypervisor reg[0], where Dom0 maps the grant table. */
	struct mem_region gnttab;
	/* INTID (16-31) of the event-channel PPI. */
	unsigned int evtchn_ppi;

	/* Dom0's command line; NULL: the host /chosen "bootargs". */
	const char *bootargs;
	/*
	 * Write linux,initrd-start/end (64-bit each, as Xen does). The values
	 * may be filled in later with dom0_dt_set_initrd.
	 */
	bool initrd;
	uint64_t initrd_start, initrd_end;

	/* Full path of the console UART Orchid keeps (bootinfo.uart.path). */
	const char *uart_path;

	/*
	 * GICv2m frames. Xen gives Dom0 every frame with the SPIs its
	 * MSI_TYPER reports, unless "arm,msi-base-spi"/"arm,msi-num-spis"
	 * override them. A frame with neither is left out.
	 */
	const struct dom0_dt_v2m *v2m;
	unsigned int nr_v2m;
};

enum dom0_dt_flags {
	/* /reserved-memory: RAM, mapped but no MMIO permission (Xen). */
	DOM0_DT_RAM = 1U << 0,
	/* "xen,passthrough": permission only, neither mapped nor routed. */
	DOM0_DT_NOMAP = 1U << 1,
};

/*
 * A range as the DT gives it, not page aligned: map the pages covering it
 * (Xen maps p2m_mmio_direct_c, letting Dom0's stage 1 pick the type).
 */
struct dom0_dt_mmio {
	struct mem_region region;
	unsigned int flags;
	int node; /* host node offset, for messages */
};

struct dom0_dt_spi {
	uint16_t intid; /* 32-1019 */
	uint8_t type;	/* DT_IRQ_TYPE_*: 1 edge rising, 4 level high, ... */
	uint8_t flags;
};

/* Large (about 10 KiB): keep it off the stack. */
struct dom0_dt_result {
	size_t size; /* bytes of the finished DTB */

	struct dom0_dt_mmio mmio[DOM0_DT_MAX_MMIO];
	unsigned int nr_mmio;
	struct dom0_dt_spi spis[DOM0_DT_MAX_SPIS];
	unsigned int nr_spis;
	/* /hypervisor reg[1..]: IPA ranges for foreign and grant mappings. */
	struct mem_region ext[DOM0_DT_MAX_EXT_REGIONS];
	unsigned int nr_ext;

	/* The host GIC's, which Dom0's vGIC emulates at the host addresses. */
	unsigned int gic_version; /* 2 or 3 */
	/*
	 * GICv3: the first host redistributor regions that hold one
	 * redistributor per vCPU; only these are in Dom0's DT (Xen trims).
	 */
	unsigned int nr_rdist_regions;
	uint32_t gic_phandle; /* 0 when the GIC has none */

	/* Byte offsets of the initrd values in the blob; 0 when absent. */
	uint32_t initrd_start_off, initrd_end_off;

	/* On error: the host node concerned, or -1. */
	int err_node;
};

/*
 * Write Dom0's DTB for @host into @buf[0..@size). Returns 0 or a negative
 * errno: -ENOSPC when @buf or a result array is too small, -EINVAL for a
 * host tree or parameters Xen would refuse too (unresolvable interrupts
 * or addresses, too few redistributors, an SPI past 1019), -ENOENT when
 * the GIC, the timer or a CPU is missing, -ERANGE when an address does
 * not fit the root's cells. @out->err_node names the node at fault.
 */
int dom0_dt_build(const struct fdt *host, const struct dom0_dt_params *p,
		  void *buf, size_t size, struct dom0_dt_result *out);

/*
 * A buffer size that holds Dom0's DTB: the host's, plus what Orchid adds
 * (per vCPU, per bank, the command line). dom0_dt_build still checks.
 */
size_t dom0_dt_size_hint(const struct fdt *host,
			 const struct dom0_dt_params *p);

/*
 * Fill in the initrd placeholders of a blob dom0_dt_build wrote, once the
 * initrd's place in Dom0's RAM is known; -ENOENT without placeholders.
 */
int dom0_dt_set_initrd(void *dtb, const struct dom0_dt_result *r,
		       uint64_t start, uint64_t end);

/*
 * The extended regions (Xen's find_unallocated_memory): host RAM minus
 * every @used list, below 2^@ipa_bits (0: 64), each cut to 2 MiB
 * alignment and kept when at least 64 MiB, at most @max of them. Returns
 * how many were stored in @out, or -ENOSPC when the ranges overflow the
 * working set.
 */
struct mem_region_list {
	const struct mem_region *r;
	unsigned int n;
};
int dom0_dt_find_ext_regions(const struct mem_region *ram, unsigned int nr_ram,
			     const struct mem_region_list *used,
			     unsigned int nr_used, unsigned int ipa_bits,
			     struct mem_region *out, unsigned int max);

/*
 * Xen's vcpuid_to_vaffinity: vCPU n gets Aff0 = n % 16, Aff1 = n / 16,
 * since GICv3 target lists address 16 CPUs per Aff0 group. The affinity
 * fields of vCPU n's vMPIDR_EL2 (whose bit 31 is RES1) must equal the
 * "reg" of Dom0's cpu node n.
 */
static inline uint64_t dom0_dt_vcpu_affinity(unsigned int vcpu)
{
	return (uint64_t)(vcpu & 0xf) | (uint64_t)((vcpu >> 4) & 0xff) << 8;
}

#endif /* ARM64_DOM0_DT_H */
