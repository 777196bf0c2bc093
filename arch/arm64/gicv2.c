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
#include <orchid/spinlock.h>

/* Distributor */
#define GICD_CTLR	0x000
#define GICD_TYPER	0x004
#define GICD_ISENABLER	0x100
#define GICD_ICENABLER	0x180
#define GICD_ISPENDR	0x200
#define GICD_ICPENDR	0x280
#define GICD_ICACTIVER	0x380
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR	0x800
#define GICD_ICFGR	0xc00
#define GICD_SGIR	0xf00

#define GICD_CTLR_ENABLE	(1U << 0)
#define GICD_TYPER_LINES_MASK	0x1f
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

#define GICV2_PRIORITY_X4 0xa0a0a0a0U
#define GICV2_MAX_LINES	  1020

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

/* SPIs: level-sensitive, one priority, all to @target, disabled, inactive. */
static void gicv2_dist_config_spis(uint8_t target)
{
	uint8_t *d = gicv2_dist;
	uint32_t targets = target * 0x01010101U;

	for (unsigned int i = NR_LOCAL_IRQS; i < gicv2_lines; i += 32) {
		writel_relaxed(0xffffffff, d + GICD_ICENABLER + i / 8);
		writel_relaxed(0xffffffff, d + GICD_ICACTIVER + i / 8);
		writel_relaxed(0xffffffff, d + GICD_ICPENDR + i / 8);
	}
	for (unsigned int i = NR_LOCAL_IRQS; i < gicv2_lines; i += 16)
		writel_relaxed(0, d + GICD_ICFGR + i / 4);
	for (unsigned int i = NR_LOCAL_IRQS; i < gicv2_lines; i += 4) {
		writel_relaxed(GICV2_PRIORITY_X4, d + GICD_IPRIORITYR + i);
		writel_relaxed(targets, d + GICD_ITARGETSR + i);
	}
}

static void gicv2_init(const struct gic_info *info)
{
	uint32_t typer;
	uint8_t boot_mask;

	if (info->dist.size < 0x1000 || info->cpu.size < 0x1000)
		panic("GICv2: the device tree gives no usable GICD/GICC "
		      "regions");
	gicv2_dist = ioremap(info->dist.base, info->dist.size);
	/* Some device trees give 4 KiB; the architecture has 8 (GICC_DIR). */
	gicv2_cpu =
		ioremap(info->cpu.base, max_u64(info->cpu.size, GICC_MIN_SIZE));

	writel_relaxed(0, gicv2_dist + GICD_CTLR);
	typer = readl_relaxed(gicv2_dist + GICD_TYPER);
	gicv2_lines = ((typer & GICD_TYPER_LINES_MASK) + 1) * 32;
	if (gicv2_lines > GICV2_MAX_LINES)
		gicv2_lines = GICV2_MAX_LINES;

	/* gic_init runs on the boot CPU, which gets every SPI for now. */
	boot_mask = gicv2_this_cpu_mask();
	gicv2_dist_config_spis(boot_mask);
	writel(GICD_CTLR_ENABLE, gicv2_dist + GICD_CTLR);
	printk("GICv2: %u lines, boot CPU on interface mask %#x\n", gicv2_lines,
	       boot_mask);
}

/*
 * This CPU's banked SGIs and PPIs: one priority, inactive; SGIs enabled
 * so cross-CPU calls work as soon as a handler is requested, PPIs off
 * until irq_enable. Then the CPU interface.
 */
static void gicv2_cpu_init(void)
{
	struct cpu_data *cpu = this_cpu();

	gicv2_cpu_mask[cpu->id] = gicv2_this_cpu_mask();

	writel_relaxed(0xffff0000, gicv2_dist + GICD_ICENABLER);
	writel_relaxed(0x0000ffff, gicv2_dist + GICD_ISENABLER);
	writel_relaxed(0xffffffff, gicv2_dist + GICD_ICACTIVER);
	for (unsigned int i = 0; i < NR_LOCAL_IRQS; i += 4)
		writel_relaxed(GICV2_PRIORITY_X4,
			       gicv2_dist + GICD_IPRIORITYR + i);

	writel_relaxed(0xff, gicv2_cpu + GICC_PMR);
	writel_relaxed(0, gicv2_cpu + GICC_BPR);
	writel(GICC_CTLR_ENABLE | GICC_CTLR_EOIMODE, gicv2_cpu + GICC_CTLR);
}

/* SGIs and PPIs are banked: the distributor applies this to the caller. */
static void gicv2_enable(unsigned int irq, bool enable)
{
	unsigned long reg = enable ? GICD_ISENABLER : GICD_ICENABLER;

	writel(1U << (irq % 32), gicv2_dist + reg + irq / 32 * 4);
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
static void gicv2_spi_write_bit(unsigned long reg, unsigned int irq)
{
	writel(1U << (irq % 32), gicv2_dist + reg + irq / 32 * 4);
}

static void gicv2_clear_active(unsigned int irq)
{
	gicv2_spi_write_bit(GICD_ICACTIVER, irq);
}

static void gicv2_set_pending(unsigned int irq)
{
	gicv2_spi_write_bit(GICD_ISPENDR, irq);
}

/* ICFGR is read-modify-write: one lock for every CPU changing triggers. */
static spinlock_t gicv2_cfg_lock = SPINLOCK_INIT;

static void gicv2_set_edge(unsigned int irq, bool edge)
{
	uint8_t *reg = gicv2_dist + GICD_ICFGR + irq / 16 * 4;
	uint32_t bit = 2U << (2 * (irq % 16));
	unsigned long flags = spin_lock_irqsave(&gicv2_cfg_lock);
	uint32_t cfg = readl_relaxed(reg);

	writel_relaxed(edge ? cfg | bit : cfg & ~bit, reg);
	spin_unlock_irqrestore(&gicv2_cfg_lock, flags);
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
