// SPDX-License-Identifier: MIT
/*
 * The GIC front end: picks the v2 or v3 driver the device tree asks for,
 * keeps the table of handlers behind irq.h, and runs the acknowledge,
 * dispatch, EOI loop of the IRQ vector. Common code sees only irq.h; the
 * drivers see only struct gic_ops.
 */
#include <asm/gic.h>
#include <asm/percpu.h>
#include <orchid/panic.h>
#include <orchid/printk.h>
#include <orchid/smp.h>
#include <orchid/spinlock.h>

#if __has_include(<orchid/errno.h>)
#include <orchid/errno.h>
#else
#define EINVAL 22
#define EBUSY 16
#endif

/* SPIs end at 1019; 1020..1023 are special INTIDs, never real lines. */
#define GIC_MAX_LINES 1020
#define GIC_INTID_SPECIAL_FIRST 1020
#define GIC_INTID_SPECIAL_LAST 1023

/* Stray interrupts logged before the log thins out to powers of two. */
#define GIC_UNEXPECTED_LOG_FIRST 8

struct irq_action {
	irq_handler_t handler; /* written once, with a release store */
	void *data;
};

static const struct gic_ops *gic;
static unsigned int gic_ver;
static unsigned int gic_lines;
/* SGIs and PPIs share one entry across CPUs; SPIs have one each. */
static struct irq_action irq_actions[GIC_MAX_LINES];
static spinlock_t irq_lock = SPINLOCK_INIT;
/* Racy across CPUs on purpose: it only paces a log message. */
static unsigned long gic_unexpected_count;

static const struct gic_ops *gic_select(unsigned int version)
{
	switch (version) {
	case 3:
#ifdef CONFIG_GICV3
		return &gicv3_ops;
#else
		panic("GICv3 support not built in");
#endif
	case 2:
#ifdef CONFIG_GICV2
		return &gicv2_ops;
#else
		panic("GICv2 support not built in");
#endif
	default:
		panic("GIC: no supported interrupt controller in the device tree (version %u)",
		      version);
	}
}

void gic_init(const struct gic_info *info)
{
	unsigned int lines;

	gic = gic_select(info->version);
	gic->init(info);
	lines = gic->nr_lines();
	gic_lines = lines < GIC_MAX_LINES ? lines : GIC_MAX_LINES;
	gic_ver = info->version;
	printk("GIC: %s driver, INTIDs 0..%u\n", gic->name, gic_lines - 1);
}

void gic_cpu_init(void)
{
	if (!gic)
		panic("GIC: gic_cpu_init before gic_init");
	gic->cpu_init();
}

unsigned int gic_version(void)
{
	return gic_ver;
}

int irq_request(unsigned int irq, irq_handler_t handler, void *data)
{
	struct irq_action *action;
	unsigned long flags;
	int ret = 0;

	if (!handler || irq >= gic_lines)
		return -EINVAL;

	action = &irq_actions[irq];
	flags = spin_lock_irqsave(&irq_lock);
	if (action->handler) {
		ret = -EBUSY;
	} else {
		action->data = data;
		/* gic_dispatch reads the handler first, data after. */
		__atomic_store_n(&action->handler, handler, __ATOMIC_RELEASE);
	}
	spin_unlock_irqrestore(&irq_lock, flags);
	return ret;
}

/* A caller naming a line the GIC does not have is a hypervisor bug. */
static bool gic_irq_valid(unsigned int irq, const char *what)
{
	if (likely(irq < gic_lines))
		return true;
	pr_err("GIC: %s of IRQ %u ignored: no such line\n", what, irq);
	return false;
}

void irq_enable(unsigned int irq)
{
	if (gic_irq_valid(irq, "enable"))
		gic->enable(irq, true);
}

void irq_disable(unsigned int irq)
{
	if (gic_irq_valid(irq, "disable"))
		gic->enable(irq, false);
}

void irq_send_sgi(unsigned int cpu, enum sgi sgi)
{
	if (!gic || cpu >= nr_cpu_ids || (unsigned int)sgi >= NR_SGIS) {
		pr_err("GIC: SGI %u to CPU%u ignored\n", (unsigned int)sgi, cpu);
		return;
	}
	gic->send_sgi(cpu, sgi);
}

/* Offline CPUs are skipped: they set their GIC up afresh when they start. */
void irq_send_sgi_allbutself(enum sgi sgi)
{
	unsigned int self = this_cpu()->id;

	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		if (cpu != self && cpu_is_online(cpu))
			irq_send_sgi(cpu, sgi);
	}
}

static bool gic_unexpected_should_log(void)
{
	unsigned long n = ++gic_unexpected_count;

	return n <= GIC_UNEXPECTED_LOG_FIRST || (n & (n - 1)) == 0;
}

/*
 * Nobody handles @irq. A level-sensitive line would fire again the moment
 * it is EOIed and hold this CPU forever, so mask it (a PPI only on this
 * CPU). SGIs are edge-triggered and stay enabled for a later handler.
 */
static void gic_unexpected(unsigned int irq)
{
	if (gic_unexpected_should_log())
		pr_warn("unexpected IRQ %u (%lu so far)\n", irq,
			gic_unexpected_count);
	if (irq >= NR_SGIS && irq < gic_lines)
		gic->enable(irq, false);
}

static void gic_dispatch(unsigned int irq)
{
	irq_handler_t handler = NULL;

	if (likely(irq < gic_lines))
		handler = __atomic_load_n(&irq_actions[irq].handler,
					  __ATOMIC_ACQUIRE);
	if (unlikely(!handler)) {
		gic_unexpected(irq);
		return;
	}
	handler(irq, irq_actions[irq].data);
}

static bool gic_intid_is_special(unsigned int irq)
{
	return irq >= GIC_INTID_SPECIAL_FIRST && irq <= GIC_INTID_SPECIAL_LAST;
}

/*
 * Handle every interrupt pending for this CPU, then return to the vector.
 * Runs with IRQs masked; a special INTID (1023: nothing pending) ends it.
 */
void gic_handle_irq(void)
{
	if (unlikely(!gic))
		panic("GIC: IRQ taken before gic_init");

	for (;;) {
		unsigned int irq = gic->ack();

		if (gic_intid_is_special(irq))
			return;
		gic_dispatch(irq);
		gic->eoi(irq);
	}
}
