/* SPDX-License-Identifier: MIT */
/*
 * The GIC, timer and vCPU helpers of a test guest (gic.c, gic_dt.c,
 * timer.c, smp.c), written as a guest author would against Xen: the GIC
 * found in the DTB, GICv3 through ICC_* system registers and the
 * redistributor, GICv2 through the memory-mapped GICC; secondary vCPUs
 * started with PSCI CPU_ON.
 */
#ifndef GUEST_GIC_H
#define GUEST_GIC_H

#include <stdint.h>

#define MAX_CPUS	4
#define NR_TRACKED_IRQS 64 /* SGIs, PPIs and the first SPIs */

/* QEMU virt's PPIs as both hypervisors give them to Dom0. */
#define IRQ_VTIMER   27
#define IRQ_PTIMER   30
#define IRQ_SPURIOUS 1023

struct gic_info {
	int version; /* 2 or 3; 0: no GIC found in the DTB */
	uint64_t gicd, gicd_size;
	uint64_t gicr, gicr_size; /* GICv3: first redistributor region */
	uint64_t gicc, gicc_size; /* GICv2 */
	unsigned int evtchn_irq;  /* /hypervisor interrupts; 0 if none */
};
extern struct gic_info gic;

/*
 * More of the DTB, read by the same walk: the RAM its memory nodes give
 * (root cells, two and two), and the vpl011's address (an "arm,sbsa-uart"
 * node; 0 when none: a direct-mapped DomU's is at the host UART's).
 */
#define DT_MAX_RAM 4
struct dt_layout {
	uint64_t ram_base[DT_MAX_RAM], ram_size[DT_MAX_RAM];
	unsigned int nr_ram;
	uint64_t sbsa_uart;
};
extern struct dt_layout dt_layout;

/* gic_dt.c: fills gic (and dt_layout) from the DTB; once. */
void gic_dt_find(const void *dtb);

/* gic.c */
typedef void (*irq_hook_fn)(unsigned int cpu, unsigned int intid);
int gic_setup(const void *dtb); /* on vCPU 0: 0 or why not (<0) */
void gic_cpu_init(unsigned int cpu);
void gic_reinit(void);		       /* on vCPU 0 */
uint64_t gic_redist_for(uint64_t aff); /* GICv3: a frame, 0 if none */
uint64_t gic_redist(unsigned int cpu); /* its RD_base, 0 if not found */
void gic_irq_enable(unsigned int cpu, unsigned int intid, int on);
void gic_irq_hook(unsigned int intid, irq_hook_fn fn);
/* @intid's IPRIORITYR byte (@cpu's bank for SGIs and PPIs). */
void gic_irq_priority(unsigned int cpu, unsigned int intid, uint8_t prio);
void gic_send_sgi(uint32_t cpu_mask, unsigned int intid);
void gic_send_sgi1r(uint64_t val); /* GICv3: a raw ICC_SGI1R_EL1 */
void gic_eoi_raw(uint32_t iar);	   /* EOIR (v3: ICC_EOIR1_EL1) */
void gic_dir_raw(uint32_t iar);	   /* DIR (v3: ICC_DIR_EL1) */
uint32_t gic_running_priority(void);
unsigned int irq_count(unsigned int cpu, unsigned int intid);
unsigned int irq_count_other(unsigned int cpu);
uint64_t irq_last_time(unsigned int cpu, unsigned int intid);
void irq_counts_reset(void);
static inline void irq_on(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}
static inline void irq_off(void)
{
	__asm__ volatile("msr daifset, #2" ::: "memory");
}
/* Polls fn() with interrupts let in between, until true or timeout. */
int irq_wait(int (*fn)(void), unsigned int ms);
unsigned int this_cpu(void);

/* timer.c: CNTV (virtual) and CNTP (EL1 physical) timers. */
uint64_t timer_now(void); /* CNTVCT_EL0 */
uint64_t timer_freq(void);
uint64_t timer_ms(uint64_t ms); /* in ticks */
void timer_virt_arm(uint64_t cval);
void timer_virt_stop(void);
void timer_phys_arm(uint64_t cval); /* against CNTPCT_EL0 */
void timer_phys_stop(void);
uint64_t timer_phys_now(void);
void delay_ms(unsigned int ms);

/* smp.c */
#define PSCI_VERSION	     0x84000000ul
#define PSCI_CPU_OFF	     0x84000002ul
#define PSCI_CPU_ON_64	     0xc4000003ul
#define PSCI_AFFINITY_INFO   0xc4000004ul
#define PSCI_FEATURES	     0x8400000aul
#define PSCI_SUCCESS	     0
#define PSCI_NOT_SUPPORTED   (-1)
#define PSCI_INVALID_PARAMS  (-2)
#define PSCI_ALREADY_ON	     (-4)
#define PSCI_INVALID_ADDRESS (-9)
#define PSCI_AFF_ON	     0
#define PSCI_AFF_OFF	     1
unsigned int smp_nr_cpus(void);	 /* vCPUs named in the DTB's /cpus */
void smp_entry(void);		 /* smp_entry.S: where CPU_ON starts a vCPU */
int smp_start(unsigned int cpu); /* PSCI CPU_ON, waits until it runs */
int smp_online(unsigned int cpu);
long smp_cpu_on_raw(uint64_t mpidr); /* CPU_ON with the real entry */
int smp_wait_off(unsigned int cpu);  /* AFFINITY_INFO polled until OFF */
void smp_mark_offline(unsigned int cpu);
void smp_mark_online(unsigned int cpu);
/* Runs fn(arg) on @cpu, interrupts on; 0, or -1 if not done in time. */
int smp_call(unsigned int cpu, void (*fn)(unsigned long), unsigned long arg,
	     unsigned int timeout_ms);
void smp_post(unsigned int cpu, void (*fn)(unsigned long), unsigned long arg);
int smp_done(unsigned int cpu, unsigned int timeout_ms);

/* MMIO that may fault (smp_entry.S); a faulting read yields 0. */
uint32_t mmio_probe_read32(uint64_t addr);
uint64_t mmio_probe_read64(uint64_t addr);
void mmio_probe_write32(uint64_t addr, uint32_t val);
void mmio_probe_write64(uint64_t addr, uint64_t val);

/* Single LDR/STR with a base register: an access a hypervisor can
 * emulate (the compiler could otherwise pair them into LDP/STP). */
static inline uint32_t mmio_read32(uint64_t a)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}
static inline void mmio_write32(uint64_t a, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" ::"rZ"(v), "r"(a) : "memory");
}
static inline uint64_t mmio_read64(uint64_t a)
{
	uint64_t v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

/* The test cases of this area. */
void test_gic_regs(void);
void test_irq(void);
void test_irq_prio(void);
void test_psci(void);

#endif
