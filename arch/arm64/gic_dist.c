// SPDX-License-Identifier: MIT
/* The distributor code GICv2 and GICv3 share (gic_dist.h). */
#include <asm/gic.h>
#include <asm/io.h>
#include <orchid/spinlock.h>

#include "gic_dist.h"

#define GICD_TYPER_LINES_MASK 0x1f
#define GIC_MAX_LINES	      1020 /* 1020-1023 are special INTIDs */

unsigned int gic_dist_nr_lines(const uint8_t *dist)
{
	uint32_t typer = readl_relaxed(dist + GICD_TYPER);
	unsigned int lines = ((typer & GICD_TYPER_LINES_MASK) + 1) * 32;

	return lines > GIC_MAX_LINES ? GIC_MAX_LINES : lines;
}

void gic_dist_config_spis(uint8_t *dist, unsigned int lines)
{
	for (unsigned int i = NR_LOCAL_IRQS; i < lines; i += 32) {
		writel_relaxed(0xffffffff, dist + GICD_ICENABLER + i / 8);
		writel_relaxed(0xffffffff, dist + GICD_ICACTIVER + i / 8);
		writel_relaxed(0xffffffff, dist + GICD_ICPENDR + i / 8);
	}
	for (unsigned int i = NR_LOCAL_IRQS; i < lines; i += 16)
		writel_relaxed(0, dist + GICD_ICFGR + i / 4);
	for (unsigned int i = NR_LOCAL_IRQS; i < lines; i += 4)
		writel_relaxed(GIC_PRIORITY_X4, dist + GICD_IPRIORITYR + i);
}

void gic_dist_write_bit(uint8_t *dist, unsigned long reg, unsigned int irq)
{
	writel(1U << (irq % 32), dist + reg + irq / 32 * 4);
}

/* ICFGR is read-modify-write: one lock for every CPU changing triggers. */
static spinlock_t gic_dist_cfg_lock = SPINLOCK_INIT;

void gic_dist_set_edge(uint8_t *dist, unsigned int irq, bool edge)
{
	uint8_t *reg = dist + GICD_ICFGR + irq / 16 * 4;
	uint32_t bit = 2U << (2 * (irq % 16));
	unsigned long flags = spin_lock_irqsave(&gic_dist_cfg_lock);
	uint32_t cfg = readl_relaxed(reg);

	writel_relaxed(edge ? cfg | bit : cfg & ~bit, reg);
	spin_unlock_irqrestore(&gic_dist_cfg_lock, flags);
}

void gic_local_config(uint8_t *base)
{
	writel_relaxed(0xffff0000, base + GICD_ICENABLER);
	writel_relaxed(0xffffffff, base + GICD_ICACTIVER);
	for (unsigned int i = 0; i < NR_LOCAL_IRQS; i += 4)
		writel_relaxed(GIC_PRIORITY_X4, base + GICD_IPRIORITYR + i);
}

void gic_local_enable_sgis(uint8_t *base)
{
	writel_relaxed(0x0000ffff, base + GICD_ISENABLER);
}
