// SPDX-License-Identifier: MIT
/*
 * GICv2 driver: the distributor (GICD) and the memory-mapped CPU interface
 * (GICC). Interrupts keep the group the GIC resets them to, which is the
 * one the Non-secure side (or a GIC without security extensions) signals
 * as IRQ. EOImode is 1: GICC_EOIR only drops the priority and GICC_DIR
 * deactivates, so that an SPI forwarded to a guest stays active until the
 * guest deactivates it (gic.c).
 */
#include <asm/gic.h>
#include <asm/io.h>
#include <asm/percpu.h>
#include <orchid/mm.h>
#include <orchid/panic.h>
#include <orchid/printk.h>

#include "gic_dist.h"

/* Distributor, beyond what gic_dist.h shares with GICv3 */
#define GICD_ITARGETSR 0x800
#define GICD_SGIR      0xf00

#define GICD_CTLR_ENABLE	(1U << 0)
#define GICD_SGIR_TARGETS_SHIFT 16

/* CPU interface */
#define GICC_CTLR 0x000
#define GICC_PMR  0x004
#define GICC_BPR  0x008
#define GICC_IAR  0x00c
#define GICC_EOIR 0x010
#define GICC_DIR  0x1000
/* GICC_DIR sits in the second 4 KiB page of the CPU interface. */
#define GICC_MIN_SIZE 0x2000

#define GICC_CTLR_ENABLE     (1U << 0)
#define GICC_CTLR_EOIMODE    (1U << 9) /* EOImodeNS seen from Non-secure */
#define GICC_IAR_INTID_MASK  0x3ff
#define GICC_IAR_CPUID_SHIFT 10
#define GICC_IAR_CPUID_MASK  0x7

static uint8_t *gicv2_dist;
static uint8_t *gicv2_cpu;
static unsigned int gicv2_lines;

/* The CPU-interface bit of each logical CPU, learnt by the CPU itself. */
static uint8_t gicv2_cpu_mask[CONFIG_NR_CPUS];

/*
 * The source CPU of the SGI each CPU is handling, per SGI number, for its
 * EOI. An SGI number cannot be acknowledged again while active, and all
 * SGIs share one priority, so one slot per number is enough.
 */
static uint8_t gicv2_sgi_source[CONFIG_NR_CPUS][NR_SGIS];

/*
 * GICD_ITARGETSR0..7 are banked per CPU and read back the calling CPU's own
 * interface bit: the only way to learn which interface a CPU is. A GIC
 * with a single interface may read them as zero.
 */
static uint8_t gicv2_this_cpu_mask(void)
{
	for (unsigned int i = 0; i < NR_LOCAL_IRQS; i += 4) {
		uint32_t v = readl_relaxed(gicv2_dist + GICD_ITARGETSR + i);

		v |= v >> 16;
		v |= v >> 8;
		if (v & 0xff)
			return v & 0xff;
	}
	return 1;
}

/* SPIs: as gic_dist_config_spis leaves them, all to @target. */
static void gicv2_dist_config_spis(uint8_t target)
{
	uint32_t targets = target * 0x01010101U;

	gic_dist_config_spis(gicv2_dist, gicv2_lines);
	for (unsigned int i = NR_LOCAL_IRQS; i < gicv2_lines; i += 4)
		writel_relaxed(targets, gicv2_dist + GICD_ITARGETSR + i);
}

static void gicv2_init(const struct gic_info *info)
{
	uint8_t boot_mask;

	if (info->dist.size < 0x1000 || info->cpu.size < 0x1000)
		panic("GICv2: the device tree gives no usable GICD/GICC "
		      "regions");
	gicv2_dist = ioremap(info->dist.base, info->dist.size);
	/* Some device trees give 4 KiB; the architecture has 8 (GICC_DIR). */
	gicv2_cpu =
		ioremap(info->cpu.base, max_u64(info->cpu.size, GICC_MIN_SIZE));

	writel_relaxed(0, gicv2_dist + GICD_CTLR);
	gicv2_lines = gic_dist_nr_lines(gicv2_dist);

	/* gic_init runs on the boot CPU, which gets every SPI for now. */
	boot_mask = gicv2_this_cpu_mask();
	gicv2_dist_config_spis(boot_mask);
	writel(GICD_CTLR_ENABLE, gicv2_dist + GICD_CTLR);
	printk("GICv2: %u lines, boot CPU on interface mask %#x\n", gicv2_lines,
	       boot_mask);
}

/*
 * This CPU's banked SGIs and PPIs (gic_local_config); SGIs enabled so
 * cross-CPU calls work as soon as a handler is requested. Then the CPU
 * interface, which signals nothing before.
 */
static void gicv2_cpu_init(void)
{
	struct cpu_data *cpu = this_cpu();

	gicv2_cpu_mask[cpu->id] = gicv2_this_cpu_mask();

	gic_local_config(gicv2_dist);
	gic_local_enable_sgis(gicv2_dist);

	writel_relaxed(0xff, gicv2_cpu + GICC_PMR);
	writel_relaxed(0, gicv2_cpu + GICC_BPR);
	writel(GICC_CTLR_ENABLE | GICC_CTLR_EOIMODE, gicv2_cpu + GICC_CTLR);
}

/* SGIs and PPIs are banked: the distributor applies this to the caller. */
static void gicv2_enable(unsigned int irq, bool enable)
{
	gic_dist_write_bit(gicv2_dist, enable ? GICD_ISENABLER : GICD_ICENABLER,
			   irq);
}

static void gicv2_send_sgi(unsigned int cpu, unsigned int sgi)
{
	uint8_t mask = gicv2_cpu_mask[cpu];

	if (!mask) {
		pr_warn("GICv2: SGI %u to CPU%u dropped: its interface is not "
			"set up\n",
			sgi, cpu);
		return;
	}
	/* writel's barrier publishes what the target is about to read. */
	writel(((uint32_t)mask << GICD_SGIR_TARGETS_SHIFT) | (sgi & 0xf),
	       gicv2_dist + GICD_SGIR);
}

static unsigned int gicv2_ack(void)
{
	uint32_t iar = readl(gicv2_cpu + GICC_IAR);
	unsigned int irq = iar & GICC_IAR_INTID_MASK;

	if (irq < NR_SGIS)
		gicv2_sgi_source[this_cpu()->id][irq] =
			(iar >> GICC_IAR_CPUID_SHIFT) & GICC_IAR_CPUID_MASK;
	return irq;
}

/* An SGI's EOI and deactivation must name its source CPU, as IAR did. */
static uint32_t gicv2_eoir_value(unsigned int irq)
{
	uint32_t eoir = irq;

	if (irq < NR_SGIS)
		eoir |= (uint32_t)gicv2_sgi_source[this_cpu()->id][irq]
			<< GICC_IAR_CPUID_SHIFT;
	return eoir;
}

static void gicv2_eoi(unsigned int irq)
{
	writel(gicv2_eoir_value(irq), gicv2_cpu + GICC_EOIR);
}

static void gicv2_deactivate(unsigned int irq)
{
	writel(gicv2_eoir_value(irq), gicv2_cpu + GICC_DIR);
}

/* SPIs only: the distributor's registers, reachable from every CPU. */
static void gicv2_clear_active(unsigned int irq)
{
	gic_dist_write_bit(gicv2_dist, GICD_ICACTIVER, irq);
}

static void gicv2_set_pending(unsigned int irq)
{
	gic_dist_write_bit(gicv2_dist, GICD_ISPENDR, irq);
}

static void gicv2_set_edge(unsigned int irq, bool edge)
{
	gic_dist_set_edge(gicv2_dist, irq, edge);
}

/* ITARGETSR is byte-accessible: no lock needed for one SPI's target. */
static void gicv2_set_affinity(unsigned int irq, unsigned int cpu)
{
	uint8_t mask = gicv2_cpu_mask[cpu];

	if (mask)
		writeb_relaxed(mask, gicv2_dist + GICD_ITARGETSR + irq);
}

static unsigned int gicv2_nr_lines(void)
{
	return gicv2_lines;
}

const struct gic_ops gicv2_ops = {
	.name = "GICv2",
	.init = gicv2_init,
	.cpu_init = gicv2_cpu_init,
	.enable = gicv2_enable,
	.send_sgi = gicv2_send_sgi,
	.ack = gicv2_ack,
	.eoi = gicv2_eoi,
	.deactivate = gicv2_deactivate,
	.nr_lines = gicv2_nr_lines,
	.clear_active = gicv2_clear_active,
	.set_pending = gicv2_set_pending,
	.set_edge = gicv2_set_edge,
	.set_affinity = gicv2_set_affinity,
};
