/* SPDX-License-Identifier: MIT */
/*
 * What the parts of Dom0's device-tree builder share: the walk's context
 * and the helpers that record MMIO ranges and SPIs for the domain builder.
 * Private to arch/arm64/dom0_dt*.c.
 */
#ifndef ARM64_DOM0_DT_PRIV_H
#define ARM64_DOM0_DT_PRIV_H

#include "dom0_dt.h"
#include <orchid/fdt_write.h>

#include "dt_lookup.h"

/* A node name: "memory@" and 16 hex digits. */
enum { DOM0_DT_NAME_MAX = 32 };

/* One build of Dom0's tree: the host, the output and what was found. */
struct dom0_dt_ctx {
	const struct fdt *host;
	const struct dom0_dt_params *p;
	struct dom0_dt_result *out;
	struct fdt_writer w;
	struct dt_lookup dt;
	int timer;	/* the first arch timer; its PPIs are Dom0's */
	int uart;	/* Orchid's console, or -1 */
	int resv_depth; /* of the open /reserved-memory, else 0 */
	bool timer_done;
	bool chosen_done;
	unsigned int root_ac, root_sc;
	struct mem_region resv[DOM0_DT_MAX_RESERVED];
	unsigned int nr_resv;
	uint32_t spi_seen[GIC_SPI_END / 32 + 1];
};

/* Return @err, noting @node as the one at fault if none is yet. */
int dom0_dt_fail(struct dom0_dt_ctx *c, int err, int node);
/* Note an MMIO range (size 0: nothing) and an SPI (once each) for Dom0. */
int dom0_dt_add_mmio(struct dom0_dt_ctx *c, uint64_t base, uint64_t size,
		     unsigned int flags, int node);
int dom0_dt_add_spi(struct dom0_dt_ctx *c, uint64_t intid, unsigned int type,
		    unsigned int flags, int node);
/* Copy the host's @name of @node when it has one. */
int dom0_dt_copy_prop(struct dom0_dt_ctx *c, int node, const char *name);

/*
 * Node writers a DomU's tree (domu_dt.c) shares with Dom0's: they need
 * only host, p (nr_vcpus, vcpu_affinity), out->gic_phandle, w, dt and
 * the root's cells of the context.
 */
void dom0_dt_unit_name(char buf[DOM0_DT_NAME_MAX], const char *base,
		       uint64_t v);
/* Xen's set_interrupt: a GIC specifier for @intid, all CPUs. */
void dom0_dt_gic_spec(uint32_t *cells, unsigned int intid, unsigned int type);
/* "interrupts", then "interrupt-parent" when the GIC has a phandle. */
int dom0_dt_interrupts(struct dom0_dt_ctx *c, const uint32_t *cells,
		       unsigned int n);
/* A "reg" of (address, size) pairs in the root's cells. */
int dom0_dt_write_reg(struct dom0_dt_ctx *c, const struct mem_region *r,
		      unsigned int n);
int dom0_dt_psci(struct dom0_dt_ctx *c);
int dom0_dt_cpus(struct dom0_dt_ctx *c);
int dom0_dt_memory(struct dom0_dt_ctx *c, const struct mem_region *r,
		   unsigned int n);

/* Write Dom0's GIC node in place of the host's (dom0_dt_gic.c). */
int dom0_dt_gic(struct dom0_dt_ctx *c);

#endif /* ARM64_DOM0_DT_PRIV_H */
