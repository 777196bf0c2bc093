// SPDX-License-Identifier: MIT
/*
 * GIC bring-up and interrupt handling of a test guest, the way a guest
 * author writes it against Xen's vGIC:
 *
 * GICv3: system-register CPU interface (ICC_SRE_EL1.SRE), distributor
 * with affinity routing, each vCPU's redistributor found by walking the
 * frames for the one whose GICR_TYPER affinity is its MPIDR's, woken as
 * Linux does (clear ProcessorSleep, poll ChildrenAsleep; bounded here so
 * a hypervisor that never clears it fails a check instead of hanging).
 * GICv2: the memory-mapped GICC (Xen's Dom0 gets GICV behind it).
 *
 * irq_handle() (from vectors.S) acknowledges until spurious, counts each
 * INTID per vCPU with the CNTVCT of its arrival, runs the INTID's hook
 * (which must quiet a level source, e.g. mask a timer), then counts it,
 * and EOIs (EOImode 0: EOI also deactivates).
 */
#include "gic.h"
#include "guest.h"

/* Distributor */
#define GICD_CTLR	0x0000
#define GICD_ISENABLER	0x0100
#define GICD_ICENABLER	0x0180
#define GICD_ICPENDR	0x0280
#define GICD_ICACTIVER	0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR1	0x0c04
#define GICD_SGIR	0x0f00
#define GICD_CTLR_RWP	(1u << 31)
#define GICD_CTLR_V3	((1u << 4) | (1u << 1)) /* ARE_NS, EnableGrp1A */

/* Redistributor: RD_base, then SGI_base 64 KiB on */
#define GICR_TYPER	0x0008
#define GICR_WAKER	0x0014
#define GICR_SGI	0x10000
#define GICR_IGROUPR0	(GICR_SGI + 0x0080)
#define GICR_FRAME	0x20000
#define GICR_TYPER_LAST (1ul << 4)
#define WAKER_PSLEEP	(1u << 1)
#define WAKER_CASLEEP	(1u << 2)

/* GICv2 CPU interface */
#define GICC_CTLR 0x0000
#define GICC_PMR  0x0004
#define GICC_BPR  0x0008
#define GICC_IAR  0x000c
#define GICC_EOIR 0x0010
#define GICC_RPR  0x0014
#define GICC_APR  0x00d0
#define GICC_DIR  0x1000

#define PRIO_DEFAULT 0xa0
#define PMR_OPEN     0xf0

/* ICC_* by encoding: no assembler extension needed. */
#define ICC_PMR_EL1	"S3_0_C4_C6_0"
#define ICC_IAR1_EL1	"S3_0_C12_C12_0"
#define ICC_EOIR1_EL1	"S3_0_C12_C12_1"
#define ICC_BPR1_EL1	"S3_0_C12_C12_3"
#define ICC_CTLR_EL1	"S3_0_C12_C12_4"
#define ICC_SRE_EL1	"S3_0_C12_C12_5"
#define ICC_IGRPEN1_EL1 "S3_0_C12_C12_7"
#define ICC_DIR_EL1	"S3_0_C12_C11_1"
#define ICC_RPR_EL1	"S3_0_C12_C11_3"
#define ICC_SGI1R_EL1	"S3_0_C12_C11_5"
#define SYSREG_READ(r)                                                         \
	({                                                                     \
		uint64_t v_;                                                   \
		__asm__ volatile("mrs %0, " r : "=r"(v_));                     \
		v_;                                                            \
	})
#define SYSREG_WRITE(r, v)                                                     \
	__asm__ volatile("msr " r ", %0; isb" ::"r"((uint64_t)(v)) : "memory")

static uint64_t redist[MAX_CPUS];
static irq_hook_fn hooks[NR_TRACKED_IRQS];
static volatile unsigned int counts[MAX_CPUS][NR_TRACKED_IRQS];
static volatile unsigned int other[MAX_CPUS];
static volatile uint64_t last_time[MAX_CPUS][NR_TRACKED_IRQS];

unsigned int this_cpu(void)
{
	uint64_t c;

	__asm__ volatile("mrs %0, tpidr_el1" : "=r"(c));
	return c < MAX_CPUS ? (unsigned int)c : 0;
}

static uint64_t mpidr_aff(void)
{
	uint64_t m;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(m));
	return ((m >> 32) & 0xff) << 24 | (m & 0xffffff);
}

/* The redistributor frame whose GICR_TYPER names affinity @aff. */
uint64_t gic_redist_for(uint64_t aff)
{
	for (uint64_t f = gic.gicr; f + GICR_FRAME <= gic.gicr + gic.gicr_size;
	     f += GICR_FRAME) {
		uint64_t typer = mmio_read64(f + GICR_TYPER);

		if ((typer >> 32) == aff)
			return f;
		if (typer & GICR_TYPER_LAST)
			break;
	}
	return 0;
}

uint64_t gic_redist(unsigned int cpu)
{
	return cpu < MAX_CPUS ? redist[cpu] : 0;
}

/* Linux's wake-up, bounded: 0 when ChildrenAsleep reads clear. */
static int redist_wake(uint64_t rd)
{
	mmio_write32(rd + GICR_WAKER,
		     mmio_read32(rd + GICR_WAKER) & ~WAKER_PSLEEP);
	for (int i = 0; i < 100000; i++)
		if (!(mmio_read32(rd + GICR_WAKER) & WAKER_CASLEEP))
			return 0;
	return -1;
}

/* Base of this CPU's SGI/PPI bank: GICR SGI_base or the GICD. */
static uint64_t private_bank(unsigned int cpu)
{
	return gic.version == 3 ? redist[cpu] + GICR_SGI : gic.gicd;
}

static void gicv3_cpu_init(unsigned int cpu)
{
	uint64_t rd = gic_redist_for(mpidr_aff());

	redist[cpu] = rd;
	SYSREG_WRITE(ICC_SRE_EL1, SYSREG_READ(ICC_SRE_EL1) | 7);
	if (!rd) {
		printf("vCPU %u: no redistributor for MPIDR aff %lx\n", cpu,
		       (unsigned long)mpidr_aff());
		return;
	}
	if (redist_wake(rd))
		printf("vCPU %u: GICR_WAKER.ChildrenAsleep stays set\n", cpu);
	mmio_write32(rd + GICR_IGROUPR0, 0xffffffffu);
	SYSREG_WRITE(ICC_PMR_EL1, PMR_OPEN);
	SYSREG_WRITE(ICC_BPR1_EL1, 0);
	SYSREG_WRITE(ICC_CTLR_EL1, 0); /* EOImode 0 */
	SYSREG_WRITE(ICC_IGRPEN1_EL1, 1);
}

static void gicv2_cpu_init(void)
{
	for (unsigned int i = 0; i < 16; i += 4)
		mmio_write32(gic.gicc + GICC_APR + i,
			     0); /* no stale activity */
	mmio_write32(gic.gicc + GICC_PMR, PMR_OPEN);
	mmio_write32(gic.gicc + GICC_BPR, 0);
	mmio_write32(gic.gicc + GICC_CTLR, 1);
}

/* Every PPI off, SGIs on; none pending or active; default priority; PPIs
 * level-triggered (undoes another vCPU's garbage sweep of this bank). */
void gic_cpu_init(unsigned int cpu)
{
	uint64_t bank;

	if (!gic.version) /* no gic_setup (the fuzzer's racer): nothing here */
		return;
	if (gic.version == 3)
		gicv3_cpu_init(cpu);
	else
		gicv2_cpu_init();
	bank = private_bank(cpu);
	if (gic.version == 3 && !redist[cpu])
		return;
	mmio_write32(bank + GICD_ICENABLER, 0xffffffffu);
	mmio_write32(bank + GICD_ICPENDR, 0xffffffffu);
	mmio_write32(bank + GICD_ICACTIVER, 0xffffffffu);
	for (unsigned int i = 0; i < 32; i += 4)
		mmio_write32(bank + GICD_IPRIORITYR + i,
			     PRIO_DEFAULT * 0x01010101u);
	mmio_write32(bank + GICD_ICFGR1, 0);
	mmio_write32(bank + GICD_ISENABLER, 0xffffu);
}

void gic_irq_priority(unsigned int cpu, unsigned int intid, uint8_t prio)
{
	uint64_t bank = intid < 32 ? private_bank(cpu) : gic.gicd;
	uint64_t reg = bank + GICD_IPRIORITYR + (intid & ~3u);
	unsigned int shift = 8 * (intid & 3);

	if (gic.version == 3 && intid < 32 && !redist[cpu])
		return;
	mmio_write32(reg, (mmio_read32(reg) & ~(0xffu << shift)) |
				  (uint32_t)prio << shift);
}

static void gicd_wait_rwp(void)
{
	for (int i = 0; i < 100000; i++)
		if (!(mmio_read32(gic.gicd + GICD_CTLR) & GICD_CTLR_RWP))
			return;
}

int gic_setup(const void *dtb)
{
	gic_dt_find(dtb);
	if (!gic.version)
		return -1;
	__asm__ volatile("msr tpidr_el1, xzr");
	gic_reinit();
	return 0;
}

/* The distributor off, every SPI off and idle, then on again; vCPU 0's
 * CPU interface as new. Also what undoes a garbage-write sweep. */
void gic_reinit(void)
{
	mmio_write32(gic.gicd + GICD_CTLR, 0);
	gicd_wait_rwp();
	for (unsigned int i = 1; i < 32; i++) {
		mmio_write32(gic.gicd + GICD_ICENABLER + 4 * i, 0xffffffffu);
		mmio_write32(gic.gicd + GICD_ICACTIVER + 4 * i, 0xffffffffu);
	}
	mmio_write32(gic.gicd + GICD_CTLR, 0);
	gicd_wait_rwp();
	mmio_write32(gic.gicd + GICD_CTLR, gic.version == 3 ? GICD_CTLR_V3 : 1);
	gicd_wait_rwp();
	gic_cpu_init(0);
}

void gic_irq_enable(unsigned int cpu, unsigned int intid, int on)
{
	uint64_t base = intid < 32 ? private_bank(cpu) : gic.gicd;

	mmio_write32(base + (on ? GICD_ISENABLER : GICD_ICENABLER) +
			     (intid / 32) * 4,
		     1u << (intid % 32));
}

void gic_irq_hook(unsigned int intid, irq_hook_fn fn)
{
	if (intid < NR_TRACKED_IRQS)
		hooks[intid] = fn;
}

/* vCPU n is Aff0 n on both hypervisors (Dom0 has fewer than 16). */
void gic_send_sgi(uint32_t cpu_mask, unsigned int intid)
{
	__asm__ volatile("dsb ishst" ::: "memory");
	if (gic.version == 3)
		gic_send_sgi1r((uint64_t)intid << 24 | (cpu_mask & 0xffff));
	else
		mmio_write32(gic.gicd + GICD_SGIR,
			     (cpu_mask & 0xff) << 16 | (intid & 0xf));
}

void gic_send_sgi1r(uint64_t val)
{
	SYSREG_WRITE(ICC_SGI1R_EL1, val);
}

void gic_eoi_raw(uint32_t iar)
{
	if (gic.version == 3)
		SYSREG_WRITE(ICC_EOIR1_EL1, iar);
	else
		mmio_write32(gic.gicc + GICC_EOIR, iar);
}

void gic_dir_raw(uint32_t iar)
{
	if (gic.version == 3)
		SYSREG_WRITE(ICC_DIR_EL1, iar);
	else
		mmio_write32(gic.gicc + GICC_DIR, iar);
}

uint32_t gic_running_priority(void)
{
	if (gic.version == 3)
		return (uint32_t)SYSREG_READ(ICC_RPR_EL1) & 0xff;
	return mmio_read32(gic.gicc + GICC_RPR) & 0xff;
}

static uint32_t gic_ack(void)
{
	if (gic.version == 3)
		return (uint32_t)SYSREG_READ(ICC_IAR1_EL1);
	return mmio_read32(gic.gicc + GICC_IAR);
}

void irq_handle(void);
void irq_handle(void)
{
	unsigned int cpu = this_cpu();

	for (;;) {
		uint32_t iar = gic_ack();
		unsigned int intid = iar & 0xffffff;

		if (gic.version == 2)
			intid = iar & 0x3ff;
		if (intid >= 1020)
			return;
		if (intid < NR_TRACKED_IRQS) {
			last_time[cpu][intid] = timer_now();
			if (hooks[intid])
				hooks[intid](cpu, intid);
			/*
			 * Counted after the hook: a waiter that sees the
			 * count may raise the source again at once, and a
			 * hook still running then would clear that too
			 * (an event-channel upcall lost under host load).
			 */
			__atomic_store_n(&counts[cpu][intid],
					 counts[cpu][intid] + 1,
					 __ATOMIC_RELEASE);
		} else {
			other[cpu]++;
		}
		gic_eoi_raw(iar);
	}
}

unsigned int irq_count(unsigned int cpu, unsigned int intid)
{
	return cpu < MAX_CPUS && intid < NR_TRACKED_IRQS ? counts[cpu][intid]
							 : 0;
}

unsigned int irq_count_other(unsigned int cpu)
{
	return cpu < MAX_CPUS ? other[cpu] : 0;
}

uint64_t irq_last_time(unsigned int cpu, unsigned int intid)
{
	return cpu < MAX_CPUS && intid < NR_TRACKED_IRQS ? last_time[cpu][intid]
							 : 0;
}

void irq_counts_reset(void)
{
	memset((void *)counts, 0, sizeof(counts));
	memset((void *)other, 0, sizeof(other));
	memset((void *)last_time, 0, sizeof(last_time));
}

int irq_wait(int (*fn)(void), unsigned int ms)
{
	uint64_t end = timer_now() + timer_ms(ms);

	while (!fn()) {
		if (timer_now() >= end)
			return 0;
		/* Interrupts off around the check: no wake-up is lost. */
		irq_on();
		__asm__ volatile("isb; nop" ::: "memory");
		irq_off();
	}
	return 1;
}
