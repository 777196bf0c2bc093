/* SPDX-License-Identifier: MIT */
/*
 * What the GICv2 and GICv3 drivers do the same way to their distributors:
 * the registers at the same offsets in both (IHI 0048 4.1.2, IHI 0069
 * 12.8), read and written with the same meaning. Each driver keeps what
 * differs: groups (GICv3), targets (GICD_ITARGETSR against GICD_IROUTER),
 * waiting for RWP (GICv3) and where the SGI/PPI bank lives.
 */
#ifndef ARM64_GIC_DIST_H
#define ARM64_GIC_DIST_H

#include <orchid/types.h>

#define GICD_CTLR	0x000
#define GICD_TYPER	0x004
#define GICD_IGROUPR	0x080
#define GICD_ISENABLER	0x100
#define GICD_ICENABLER	0x180
#define GICD_ISPENDR	0x200
#define GICD_ICPENDR	0x280
#define GICD_ICACTIVER	0x380
#define GICD_IPRIORITYR 0x400
#define GICD_ICFGR	0xc00

/* One priority for everything: no interrupt preempts another's handler. */
#define GIC_PRIORITY_X4 0xa0a0a0a0U

/* INTIDs the distributor implements (GICD_TYPER.ITLinesNumber, <= 1020). */
unsigned int gic_dist_nr_lines(const uint8_t *dist);

/*
 * SPIs from 32 up to @lines: disabled, inactive, not pending,
 * level-sensitive, one priority. The distributor is off meanwhile.
 */
void gic_dist_config_spis(uint8_t *dist, unsigned int lines);

/* Write @irq's bit of a set/clear array (ISENABLER, ICACTIVER, ...). */
void gic_dist_write_bit(uint8_t *dist, unsigned long reg, unsigned int irq);

/* GICD_ICFGR: edge- or level-triggered, for an SPI that is disabled. */
void gic_dist_set_edge(uint8_t *dist, unsigned int irq, bool edge);

/*
 * The calling CPU's SGIs and PPIs, in the GICv2 distributor's banked
 * registers or a GICv3 redistributor's SGI_base frame (@base, the same
 * offsets): inactive, one priority, PPIs disabled until irq_enable.
 * gic_local_enable_sgis then turns the SGIs on for cross-CPU calls.
 */
void gic_local_config(uint8_t *base);
void gic_local_enable_sgis(uint8_t *base);

#endif /* ARM64_GIC_DIST_H */
