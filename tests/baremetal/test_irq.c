// SPDX-License-Identifier: MIT
/*
 * Timers and interrupts, Dom0 with two vCPUs: the virtual and the EL1
 * physical timer fire at their deadline (never before it; how late is
 * printed, not judged: a loaded host delays QEMU by up to a second) and their PPI arrives on the vCPU that armed them; SGIs
 * reach self and the other vCPU, broadcasts reach all but the sender,
 * target lists naming vCPUs that do not exist reach no one; EOIs and
 * deactivations of interrupts that are not active change nothing.
 */
#include "gic.h"
#include "guest.h"

/* QEMU under TCG on a shared host: a generous bound on "never arrives". */
#define WAIT_MS 5000

#define SGI_SELF  1
#define SGI_OTHER 2
#define SGI_BACK  3
#define SGI_NOONE 4
#define SGI_REAL  5
#define SGI_FORGE 6

static volatile uint64_t vtimer_cval, ptimer_cval;
static volatile uint64_t vtimer_seen, ptimer_seen;

/* A timer's PPI is level: stop it before EOI, note when it came. */
static void vtimer_hook(unsigned int cpu, unsigned int intid)
{
	vtimer_seen = timer_now();
	timer_virt_stop();
}

static void ptimer_hook(unsigned int cpu, unsigned int intid)
{
	ptimer_seen = timer_phys_now();
	timer_phys_stop();
}

/* A check whose detail explains a failure only. */
static void check_ok(const char *name, int ok, const char *why)
{
	check_true(name, ok, ok ? "" : why);
}

static unsigned int wait_cpu, wait_irq, wait_count;

static int count_reached(void)
{
	return irq_count(wait_cpu, wait_irq) >= wait_count;
}

/* Waits until vCPU @cpu counted @n of @intid; from this vCPU. */
static int wait_irqs(unsigned int cpu, unsigned int intid, unsigned int n)
{
	wait_cpu = cpu;
	wait_irq = intid;
	wait_count = n;
	return irq_wait(count_reached, WAIT_MS);
}

static void check_deadline(const char *name, uint64_t cval, uint64_t seen)
{
	char detail[80];
	int ok = seen >= cval;

	snprintf(detail, sizeof(detail), "fired %ld us after the deadline",
		 (long)((int64_t)(seen - cval) * 1000000 /
			(int64_t)timer_freq()));
	check_ok(name, ok, detail);
}

static void vtimer_once(unsigned long arg)
{
	unsigned int cpu = this_cpu();
	unsigned int before = irq_count(cpu, IRQ_VTIMER);
	char name[40];

	/* A PPI left pending by an earlier sweep arrives first. */
	gic_irq_enable(cpu, IRQ_VTIMER, 1);
	irq_on();
	delay_ms(5);
	irq_off();
	before = irq_count(cpu, IRQ_VTIMER);
	vtimer_seen = 0;
	vtimer_cval = timer_now() + timer_ms(20);
	timer_virt_arm(vtimer_cval);
	snprintf(name, sizeof(name), "vtimer-fires-vcpu%u", cpu);
	check_ok(name, wait_irqs(cpu, IRQ_VTIMER, before + 1), "no PPI 27");
	snprintf(name, sizeof(name), "vtimer-deadline-vcpu%u", cpu);
	check_deadline(name, vtimer_cval, vtimer_seen);
	timer_virt_stop();
}

static void ptimer_once(unsigned long arg)
{
	unsigned int cpu = this_cpu();
	unsigned int before = irq_count(cpu, IRQ_PTIMER);

	gic_irq_enable(cpu, IRQ_PTIMER, 1);
	irq_on();
	delay_ms(5);
	irq_off();
	before = irq_count(cpu, IRQ_PTIMER);
	ptimer_seen = 0;
	ptimer_cval = timer_phys_now() + timer_ms(20);
	timer_phys_arm(ptimer_cval);
	check_ok("ptimer-fires", wait_irqs(cpu, IRQ_PTIMER, before + 1),
		 "no PPI 30");
	check_deadline("ptimer-deadline", ptimer_cval, ptimer_seen);
	timer_phys_stop();
}

static void timers(void)
{
	gic_irq_hook(IRQ_VTIMER, vtimer_hook);
	gic_irq_hook(IRQ_PTIMER, ptimer_hook);
	vtimer_once(0);
	if (smp_call(1, vtimer_once, 0, 5000))
		check_ok("vtimer-fires-vcpu1", 0, "vCPU 1 did not answer");
	ptimer_once(0);
}

static void send_sgi(unsigned long arg)
{
	gic_send_sgi((uint32_t)(arg >> 8), (unsigned int)(arg & 0xff));
}

static void sgi_between_vcpus(void)
{
	char detail[64];

	gic_send_sgi(1u << 0, SGI_SELF);
	check_ok("sgi-self", wait_irqs(0, SGI_SELF, 1), "not arrived");
	gic_send_sgi(1u << 1, SGI_OTHER);
	check_ok("sgi-to-vcpu1", wait_irqs(1, SGI_OTHER, 1), "not arrived");
	check_eq("sgi-to-vcpu1-not-vcpu0", irq_count(0, SGI_OTHER), 0);
	smp_call(1, send_sgi, (1u << 0) << 8 | SGI_BACK, WAIT_MS);
	check_ok("sgi-from-vcpu1", wait_irqs(0, SGI_BACK, 1), "not arrived");
	snprintf(detail, sizeof(detail), "vCPU 0 %u, vCPU 1 %u",
		 irq_count(0, SGI_SELF), irq_count(1, SGI_SELF));
	check_ok("sgi-each-once",
		 irq_count(0, SGI_SELF) == 1 && irq_count(1, SGI_SELF) == 0 &&
			 irq_count(1, SGI_OTHER) == 1,
		 detail);
}

/* "All but self": GICv3 IRM, GICv2 TargetListFilter 1. */
static void sgi_broadcast(void)
{
	if (gic.version == 3)
		gic_send_sgi1r(1ul << 40 | (uint64_t)SGI_REAL << 24);
	else
		mmio_write32(gic.gicd + 0xf00, 1u << 24 | SGI_REAL);
	check_ok("sgi-broadcast-reaches-vcpu1", wait_irqs(1, SGI_REAL, 1),
		 "not arrived");
	delay_ms(20);
	check_eq("sgi-broadcast-not-self", irq_count(0, SGI_REAL), 0);
}

static void sgi_wait_quiet(void)
{
	irq_on();
	delay_ms(50);
	irq_off();
}

/*
 * Target lists naming only vCPUs that do not exist (Aff0 2-15, Aff1 1)
 * reach no one. Aff2, Aff3 and RangeSelector: Xen 4.17 ignores them
 * (vCPU = Aff1 << 4 | list bit) and delivers to vCPUs 0 and 1, Orchid
 * reads them as the architecture says and delivers to no one; either
 * way the next real SGI must still arrive.
 */
static void sgi_nobody(void)
{
	char detail[64];

	if (gic.version == 3) {
		gic_send_sgi1r((uint64_t)SGI_NOONE << 24 | 0xfffc);
		gic_send_sgi1r((uint64_t)SGI_NOONE << 24 | 1ul << 16 | 3);
	} else {
		mmio_write32(gic.gicd + 0xf00, 0xfcu << 16 | SGI_NOONE);
	}
	sgi_wait_quiet();
	snprintf(detail, sizeof(detail), "vCPU 0 %u, vCPU 1 %u",
		 irq_count(0, SGI_NOONE), irq_count(1, SGI_NOONE));
	check_ok("sgi-absent-targets-reach-no-one",
		 !irq_count(0, SGI_NOONE) && !irq_count(1, SGI_NOONE), detail);
	if (gic.version == 3) {
		gic_send_sgi1r((uint64_t)SGI_OTHER << 24 | 7ul << 32 | 3);
		gic_send_sgi1r((uint64_t)SGI_OTHER << 24 | 9ul << 48 | 3);
		gic_send_sgi1r((uint64_t)SGI_OTHER << 24 | 15ul << 44 | 3);
		sgi_wait_quiet();
		printf("  (Aff2/Aff3/RS targets: vCPU 0 got %u, vCPU 1 %u)\n",
		       irq_count(0, SGI_OTHER), irq_count(1, SGI_OTHER) - 1);
	}
	gic_send_sgi(3, SGI_NOONE);
	check_ok("sgi-after-absent-targets",
		 wait_irqs(0, SGI_NOONE, 1) && wait_irqs(1, SGI_NOONE, 1),
		 "a real SGI to both no longer arrives");
}

/*
 * EOIs and deactivations of INTIDs that are not active, with nothing
 * active: nothing changes, and the next SGI of a forged INTID arrives
 * and completes as usual. (A forged EOI while another interrupt is
 * active drops that one's priority and leaves it active for good, on
 * both hypervisors: architectural, and the guest's own loss.)
 */
static void forged_eoi(void)
{
	static const uint32_t ids[] = {0,  SGI_FORGE, 15,   IRQ_VTIMER, 0x3ff,
				       40, 1020,      1023, 0xffffff};
	char detail[64];
	uint32_t idle = gic_running_priority();

	for (unsigned int i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		gic_eoi_raw(ids[i]);
		/* GICv3 DIR with EOImode 0 is UNPREDICTABLE: v2 only. */
		if (gic.version == 2)
			gic_dir_raw(ids[i]);
	}
	mmio_write32(gic.gicd + 0x380 + 4, 0xffffffffu); /* ICACTIVER1 */
	snprintf(detail, sizeof(detail), "RPR %x, was %x",
		 gic_running_priority(), idle);
	check_ok("spurious-eoi-no-active-priority",
		 gic_running_priority() == idle, detail);
	gic_send_sgi(1, SGI_FORGE);
	check_ok("sgi-after-forged-eoi", wait_irqs(0, SGI_FORGE, 1),
		 "SGI not arrived");
	gic_send_sgi(1, SGI_FORGE);
	check_ok("sgi-again-after-forged-eoi", wait_irqs(0, SGI_FORGE, 2),
		 "second SGI not arrived: stuck active?");
	snprintf(detail, sizeof(detail), "RPR %x", gic_running_priority());
	check_ok("no-stuck-active-priority", gic_running_priority() == idle,
		 detail);
	vtimer_once(0);
}

void test_irq(void)
{
	if (!gic.version) {
		skip("all", "no GIC in the DTB");
		return;
	}
	if (!smp_online(1) && smp_start(1)) {
		skip("all", "vCPU 1 did not start");
		return;
	}
	/* SGIs a sweep left pending arrive before the counts start. */
	irq_on();
	delay_ms(5);
	irq_off();
	irq_counts_reset();
	timers();
	sgi_between_vcpus();
	sgi_broadcast();
	sgi_nobody();
	forged_eoi();
}
