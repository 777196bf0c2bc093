// SPDX-License-Identifier: MIT
/*
 * GICv3 driver: the distributor, one redistributor per CPU and the
 * system-register CPU interface. Every interrupt Orchid takes is Group 1
 * (Non-secure Group 1 where the GIC has two security states), signalled as
 * IRQ at EL2 because HCR_EL2.IMO is set. EOImode is 1: ICC_EOIR1_EL1 only
 * drops the priority and ICC_DIR_EL1 deactivates, so that an SPI forwarded
 * to a guest stays active until the guest deactivates it (gic.c).
 */
#include <asm/gic.h>
#include <asm/io.h>
#include <asm/percpu.h>
#include <asm/sysreg.h>
#include <orchid/arch.h>
#include <orchid/mm.h>
#include <orchid/panic.h>
#include <orchid/printk.h>
#include <orchid/smp.h>

#include "gic_dist.h"

/* Distributor, beyond what gic_dist.h shares with GICv2 */
#define GICD_IROUTER 0x6000
#define GICD_PIDR2   0xffe8

/*
 * GICD_CTLR has two layouts. With a single security state (DS = 1, what
 * QEMU's virt machine presents when it has no EL3) bit 0 enables Group 0,
 * bit 1 Group 1 and bit 4 is ARE. Seen from the Non-secure side of a GIC
 * with two security states, bit 0 and bit 1 both concern Non-secure Group 1
 * (EnableGrp1 and EnableGrp1A) and bit 4 is ARE_NS.
 */
#define GICD_CTLR_RWP		  (1U << 31)
#define GICD_CTLR_DS		  (1U << 6)
#define GICD_CTLR_ARE		  (1U << 4)
#define GICD_CTLR_DS1_ENABLE_GRP1 (1U << 1)
#define GICD_CTLR_NS_ENABLE_GRP1A (1U << 1)
#define GICD_CTLR_NS_ENABLE_GRP1  (1U << 0)

/* Redistributor: RD_base frame, then the SGI_base frame 64 KiB above. */
#define GICR_CTLR	0x0000
#define GICR_TYPER	0x0008
#define GICR_WAKER	0x0014
#define GICR_PIDR2	0xffe8
#define GICR_SGI_BASE	0x10000
#define GICR_IGROUPR0	(GICR_SGI_BASE + 0x0080)
#define GICR_ISENABLER0 (GICR_SGI_BASE + 0x0100)
#define GICR_ICENABLER0 (GICR_SGI_BASE + 0x0180)

#define GICR_CTLR_RWP		   (1U << 3)
#define GICR_TYPER_VLPIS	   (1UL << 1)
#define GICR_TYPER_LAST		   (1UL << 4)
#define GICR_TYPER_AFF_SHIFT	   32
#define GICR_WAKER_PROCESSOR_SLEEP (1U << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1U << 2)

/* RD_base + SGI_base; GICv4 adds VLPI_base and a reserved frame. */
#define GICR_FRAME_SIZE	      0x20000UL
#define GICR_VLPI_FRAMES_SIZE 0x20000UL

/* PIDR2.ArchRev, the same field in the distributor and redistributors. */
#define GIC_PIDR2_ARCH_SHIFT 4
#define GIC_PIDR2_ARCH_MASK  0xf

/* CPU interface */
#define ICC_SRE_SRE	   (1UL << 0)
#define ICC_SRE_ENABLE	   (1UL << 3)
#define ICC_CTLR_CBPR	   (1UL << 0)
#define ICC_CTLR_EOIMODE   (1UL << 1)
#define ICC_CTLR_RSS	   (1UL << 18)
#define ICC_IAR_INTID_MASK 0xffffff

#define ICC_SGI1R_TARGETS_SHIFT 0
#define ICC_SGI1R_AFF1_SHIFT	16
#define ICC_SGI1R_INTID_SHIFT	24
#define ICC_SGI1R_AFF2_SHIFT	32
#define ICC_SGI1R_RS_SHIFT	44
#define ICC_SGI1R_AFF3_SHIFT	48

/* How long the GIC may take to finish a register write or to wake up. */
#define GICV3_POLL_TIMEOUT_US 1000000

struct gicv3_rdist_region {
	uint8_t *base;
	uint64_t size;
};

static uint8_t *gicv3_dist;
/* As many regions as struct gic_info can describe. */
static struct gicv3_rdist_region
	gicv3_regions[ARRAY_SIZE(((struct gic_info *)0)->redist)];
static unsigned int gicv3_nr_regions;
static uint64_t gicv3_rdist_stride; /* 0: work it out from GICR_TYPER */
static unsigned int gicv3_lines;
static bool gicv3_single_security; /* GICD_CTLR.DS */

/* Each CPU's RD_base, found by gicv3_cpu_init. */
static uint8_t *gicv3_rdist[CONFIG_NR_CPUS];

/*
 * The raw system counter: the GIC is up before the timer driver, so it
 * cannot use arch_now_ns for its timeouts.
 */
static uint64_t gicv3_counter(void)
{
	isb();
	return READ_SYSREG(cntpct_el0);
}

static uint64_t gicv3_timeout_ticks(void)
{
	uint64_t freq = READ_SYSREG(cntfrq_el0) & 0xffffffffUL;

	/* A firmware that left CNTFRQ_EL0 at 0: assume a slow 1 MHz. */
	if (!freq)
		freq = 1000000;
	return freq * GICV3_POLL_TIMEOUT_US / 1000000;
}

/* Wait until the bits of @mask read 0 in @reg; false on timeout. */
static bool gicv3_poll_clear(const uint8_t *reg, uint32_t mask)
{
	uint64_t start = gicv3_counter();
	uint64_t limit = gicv3_timeout_ticks();

	while (readl_relaxed(reg) & mask) {
		if (gicv3_counter() - start > limit)
			return false;
		arch_cpu_relax();
	}
	return true;
}

/*
 * Writes to GICD_CTLR and to the enable registers take effect
 * asynchronously; RWP says when the distributor has caught up.
 */
static void gicv3_dist_wait_rwp(void)
{
	if (!gicv3_poll_clear(gicv3_dist + GICD_CTLR, GICD_CTLR_RWP))
		panic("GICv3: distributor write still pending after 1 s "
		      "(GICD_CTLR.RWP)");
}

static void gicv3_rdist_wait_rwp(const uint8_t *rd)
{
	if (!gicv3_poll_clear(rd + GICR_CTLR, GICR_CTLR_RWP))
		panic("GICv3: CPU%u redistributor write still pending after 1 "
		      "s (GICR_CTLR.RWP)",
		      this_cpu()->id);
}

/* MPIDR's Aff3.Aff2.Aff1.Aff0 packed into 32 bits, as GICR_TYPER has it. */
static uint32_t gicv3_mpidr_to_aff32(uint64_t mpidr)
{
	return (uint32_t)((((mpidr >> 32) & 0xff) << 24) | (mpidr & 0xffffff));
}

/* GICD_IROUTER's layout is MPIDR's: Aff3 at 39:32, Aff2..Aff0 at 23:0. */
static uint64_t gicv3_mpidr_to_irouter(uint64_t mpidr)
{
	return mpidr & 0xff00ffffffUL;
}

static unsigned int gicv3_pidr2_arch(const uint8_t *base, unsigned long off)
{
	return (readl_relaxed(base + off) >> GIC_PIDR2_ARCH_SHIFT) &
	       GIC_PIDR2_ARCH_MASK;
}

static void gicv3_map(const struct gic_info *info)
{
	unsigned int n = info->nr_redist;

	if (info->dist.size < 0x10000)
		panic("GICv3: distributor region too small (%#lx bytes)",
		      info->dist.size);
	if (n == 0)
		panic("GICv3: the device tree gives no redistributor region");
	if (n > ARRAY_SIZE(gicv3_regions)) {
		pr_warn("GICv3: using the first %u of %u redistributor "
			"regions\n",
			(unsigned int)ARRAY_SIZE(gicv3_regions), n);
		n = ARRAY_SIZE(gicv3_regions);
	}

	gicv3_dist = ioremap(info->dist.base, info->dist.size);
	for (unsigned int i = 0; i < n; i++) {
		gicv3_regions[i].base =
			ioremap(info->redist[i].base, info->redist[i].size);
		gicv3_regions[i].size = info->redist[i].size;
	}
	gicv3_nr_regions = n;
	gicv3_rdist_stride = info->redist_stride;
}

/* SPIs: as gic_dist_config_spis leaves them, and Group 1. */
static void gicv3_dist_config_spis(void)
{
	gic_dist_config_spis(gicv3_dist, gicv3_lines);
	for (unsigned int i = NR_LOCAL_IRQS; i < gicv3_lines; i += 32)
		writel_relaxed(0xffffffff, gicv3_dist + GICD_IGROUPR + i / 8);
	gicv3_dist_wait_rwp();
}

/*
 * Every SPI goes to the boot CPU (logical CPU 0, the one running
 * gic_init) until someone routes it elsewhere. Its own MPIDR is used
 * rather than cpu_mpidr[0], which the boot path may fill in later.
 */
static void gicv3_dist_route_spis(void)
{
	uint64_t route = gicv3_mpidr_to_irouter(this_cpu()->mpidr);

	for (unsigned int i = NR_LOCAL_IRQS; i < gicv3_lines; i++)
		writeq_relaxed(route, gicv3_dist + GICD_IROUTER + i * 8);
}

static uint32_t gicv3_dist_enable_bits(void)
{
	if (gicv3_single_security)
		return GICD_CTLR_DS | GICD_CTLR_ARE | GICD_CTLR_DS1_ENABLE_GRP1;
	return GICD_CTLR_ARE | GICD_CTLR_NS_ENABLE_GRP1A |
	       GICD_CTLR_NS_ENABLE_GRP1;
}

static void gicv3_init(const struct gic_info *info)
{
	unsigned int arch;
	uint32_t ds;

	gicv3_map(info);
	arch = gicv3_pidr2_arch(gicv3_dist, GICD_PIDR2);
	if (arch != 3 && arch != 4)
		panic("GICv3: distributor at %#lx is not a GICv3/v4 "
		      "(PIDR2.ArchRev %u)",
		      pa_addr(info->dist.base), arch);

	/*
	 * Quiesce it, keeping DS as found: ARE can only change while both
	 * groups are off, and DS is not ours to clear.
	 */
	ds = readl_relaxed(gicv3_dist + GICD_CTLR) & GICD_CTLR_DS;
	gicv3_single_security = ds;
	writel_relaxed(ds, gicv3_dist + GICD_CTLR);
	gicv3_dist_wait_rwp();
	writel_relaxed(ds | GICD_CTLR_ARE, gicv3_dist + GICD_CTLR);
	gicv3_dist_wait_rwp();
	if (!(readl_relaxed(gicv3_dist + GICD_CTLR) & GICD_CTLR_ARE))
		panic("GICv3: affinity routing (GICD_CTLR.ARE) cannot be "
		      "enabled");

	gicv3_lines = gic_dist_nr_lines(gicv3_dist);

	gicv3_dist_config_spis();
	gicv3_dist_route_spis();

	writel(gicv3_dist_enable_bits(), gicv3_dist + GICD_CTLR);
	gicv3_dist_wait_rwp();
	printk("GICv3: %u lines, %s, %u redistributor region(s)\n", gicv3_lines,
	       gicv3_single_security ? "one security state" : "Non-secure side",
	       gicv3_nr_regions);
}

/* The size of one redistributor in a region, or of this one when unknown. */
static uint64_t gicv3_rdist_size(uint64_t typer)
{
	if (gicv3_rdist_stride)
		return gicv3_rdist_stride;
	if (typer & GICR_TYPER_VLPIS)
		return GICR_FRAME_SIZE + GICR_VLPI_FRAMES_SIZE;
	return GICR_FRAME_SIZE;
}

/* Walk one region's redistributors for the one whose affinity is @aff. */
static uint8_t *gicv3_region_find(const struct gicv3_rdist_region *r,
				  uint32_t aff)
{
	uint64_t off = 0;
	unsigned int arch = gicv3_pidr2_arch(r->base, GICR_PIDR2);

	if (arch != 3 && arch != 4) {
		pr_warn("GICv3: redistributor region without a GICv3/v4 ID "
			"(ArchRev %u) skipped\n",
			arch);
		return NULL;
	}

	while (off + GICR_FRAME_SIZE <= r->size) {
		uint8_t *rd = r->base + off;
		uint64_t typer = readq_relaxed(rd + GICR_TYPER);

		if ((uint32_t)(typer >> GICR_TYPER_AFF_SHIFT) == aff)
			return rd;
		if (typer & GICR_TYPER_LAST)
			break;
		off += gicv3_rdist_size(typer);
	}
	return NULL;
}

static uint8_t *gicv3_rdist_find(uint64_t mpidr)
{
	uint32_t aff = gicv3_mpidr_to_aff32(mpidr);

	for (unsigned int i = 0; i < gicv3_nr_regions; i++) {
		uint8_t *rd = gicv3_region_find(&gicv3_regions[i], aff);

		if (rd)
			return rd;
	}
	return NULL;
}

/*
 * A redistributor comes out of reset asleep: it neither forwards
 * interrupts to its CPU nor accepts them. Mark the CPU awake and wait
 * until the redistributor agrees.
 */
static void gicv3_rdist_wake(uint8_t *rd)
{
	uint32_t waker = readl_relaxed(rd + GICR_WAKER);

	writel_relaxed(waker & ~GICR_WAKER_PROCESSOR_SLEEP, rd + GICR_WAKER);
	if (!gicv3_poll_clear(rd + GICR_WAKER, GICR_WAKER_CHILDREN_ASLEEP))
		panic("GICv3: CPU%u redistributor did not wake up within 1 s "
		      "(GICR_WAKER.ChildrenAsleep)",
		      this_cpu()->id);
}

/*
 * SGIs and PPIs: Group 1, then as gic_local_config leaves them. SGIs are
 * enabled once the redistributor has caught up, so that the cross-CPU
 * calls work as soon as a handler is requested.
 */
static void gicv3_rdist_config_local(uint8_t *rd)
{
	writel_relaxed(0xffffffff, rd + GICR_IGROUPR0);
	gic_local_config(rd + GICR_SGI_BASE);
	gicv3_rdist_wait_rwp(rd);
	gic_local_enable_sgis(rd + GICR_SGI_BASE);
}

/*
 * Switch EL2 to the system-register interface; nothing else in the CPU
 * interface is reachable before. ICC_SRE_EL2.Enable also lets EL1 use
 * ICC_SRE_EL1, which guests with a GICv3 need.
 */
static void gicv3_sre_enable(void)
{
	WRITE_SYSREG(ICC_SRE_EL2,
		     READ_SYSREG(ICC_SRE_EL2) | ICC_SRE_SRE | ICC_SRE_ENABLE);
	isb();
	if (!(READ_SYSREG(ICC_SRE_EL2) & ICC_SRE_SRE))
		panic("GICv3: the system register interface cannot be enabled "
		      "(ICC_SRE_EL2.SRE stays 0)");
}

/* The CPU interface as EL2 uses it for its own interrupts. */
static void gicv3_cpu_if_init(void)
{
	uint64_t ctlr;

	gicv3_sre_enable();
	ctlr = READ_SYSREG(ICC_CTLR_EL1);
	/* ICC_SGI1R_EL1 reaches an Aff0 above 15 only with range selectors. */
	if ((this_cpu()->mpidr & 0xff) >= 16 && !(ctlr & ICC_CTLR_RSS))
		panic("GICv3: CPU%u has Aff0 %lu but the GIC cannot target "
		      "SGIs above 15",
		      this_cpu()->id, this_cpu()->mpidr & 0xff);

	WRITE_SYSREG(ICC_PMR_EL1, 0xff);
	WRITE_SYSREG(ICC_BPR1_EL1, 0);
	/* Split priority drop and deactivation (see gic.c). */
	WRITE_SYSREG(ICC_CTLR_EL1, (ctlr & ~ICC_CTLR_CBPR) | ICC_CTLR_EOIMODE);
	WRITE_SYSREG(ICC_IGRPEN1_EL1, 1);
	isb();
}

static void gicv3_cpu_init(void)
{
	struct cpu_data *cpu = this_cpu();
	uint8_t *rd = gicv3_rdist_find(cpu->mpidr);

	if (!rd)
		panic("GICv3: no redistributor for CPU%u (MPIDR %#lx)", cpu->id,
		      cpu->mpidr);
	gicv3_rdist[cpu->id] = rd;
	gicv3_rdist_wake(rd);
	gicv3_rdist_config_local(rd);
	gicv3_cpu_if_init();
}

static uint8_t *gicv3_this_rdist(void)
{
	uint8_t *rd = gicv3_rdist[this_cpu()->id];

	if (!rd)
		panic("GICv3: CPU%u touches its SGIs/PPIs before gic_cpu_init",
		      this_cpu()->id);
	return rd;
}

/*
 * Enabling takes effect when the GIC gets to it; disabling waits for RWP,
 * so that when this returns the interrupt can no longer be signalled.
 */
static void gicv3_enable(unsigned int irq, bool enable)
{
	uint32_t bit = 1U << (irq % 32);

	if (irq < NR_LOCAL_IRQS) {
		uint8_t *rd = gicv3_this_rdist();

		writel(bit, rd + (enable ? GICR_ISENABLER0 : GICR_ICENABLER0));
		if (!enable)
			gicv3_rdist_wait_rwp(rd);
		return;
	}
	gic_dist_write_bit(gicv3_dist, enable ? GICD_ISENABLER : GICD_ICENABLER,
			   irq);
	if (!enable)
		gicv3_dist_wait_rwp();
}

static uint64_t gicv3_sgi1r(uint64_t mpidr, unsigned int sgi)
{
	uint64_t aff0 = mpidr & 0xff;

	return (((mpidr >> 32) & 0xff) << ICC_SGI1R_AFF3_SHIFT) |
	       (((mpidr >> 16) & 0xff) << ICC_SGI1R_AFF2_SHIFT) |
	       (((mpidr >> 8) & 0xff) << ICC_SGI1R_AFF1_SHIFT) |
	       ((uint64_t)(sgi & 0xf) << ICC_SGI1R_INTID_SHIFT) |
	       ((aff0 >> 4) << ICC_SGI1R_RS_SHIFT) |
	       ((1UL << (aff0 & 0xf)) << ICC_SGI1R_TARGETS_SHIFT);
}

static void gicv3_send_sgi(unsigned int cpu, unsigned int sgi)
{
	/*
	 * The SGI is a system-register write, which no DMB orders: make the
	 * data the target will look at visible first.
	 */
	dsb_ishst();
	WRITE_SYSREG(ICC_SGI1R_EL1, gicv3_sgi1r(cpu_mpidr[cpu], sgi));
	isb();
}

static unsigned int gicv3_ack(void)
{
	unsigned int irq = READ_SYSREG(ICC_IAR1_EL1) & ICC_IAR_INTID_MASK;

	/* The handler's memory accesses must not overtake the acknowledge. */
	dsb_sy();
	return irq;
}

static void gicv3_eoi(unsigned int irq)
{
	WRITE_SYSREG(ICC_EOIR1_EL1, irq);
	isb();
}

static void gicv3_deactivate(unsigned int irq)
{
	WRITE_SYSREG(ICC_DIR_EL1, irq);
	isb();
}

static unsigned int gicv3_nr_lines(void)
{
	return gicv3_lines;
}

/* SPIs only: the distributor's registers, reachable from every CPU. */
static void gicv3_clear_active(unsigned int irq)
{
	gic_dist_write_bit(gicv3_dist, GICD_ICACTIVER, irq);
}

static void gicv3_set_pending(unsigned int irq)
{
	gic_dist_write_bit(gicv3_dist, GICD_ISPENDR, irq);
}

static void gicv3_set_edge(unsigned int irq, bool edge)
{
	gic_dist_set_edge(gicv3_dist, irq, edge);
}

static void gicv3_set_affinity(unsigned int irq, unsigned int cpu)
{
	writeq(gicv3_mpidr_to_irouter(cpu_mpidr[cpu]),
	       gicv3_dist + GICD_IROUTER + irq * 8);
}

const struct gic_ops gicv3_ops = {
	.name = "GICv3",
	.init = gicv3_init,
	.cpu_init = gicv3_cpu_init,
	.enable = gicv3_enable,
	.send_sgi = gicv3_send_sgi,
	.ack = gicv3_ack,
	.eoi = gicv3_eoi,
	.deactivate = gicv3_deactivate,
	.nr_lines = gicv3_nr_lines,
	.clear_active = gicv3_clear_active,
	.set_pending = gicv3_set_pending,
	.set_edge = gicv3_set_edge,
	.set_affinity = gicv3_set_affinity,
};
