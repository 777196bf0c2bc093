// SPDX-License-Identifier: MIT
/*
 * The GIC front end: picks the v2 or v3 driver the device tree asks for,
 * keeps the table of handlers behind irq.h, and runs the acknowledge,
 * dispatch, EOI loop of the IRQ vector. Common code sees only irq.h; the
 * drivers see only struct gic_ops.
 *
 * The CPU interface runs with EOImode 1 (Xen's choice): the EOI only drops
 * the running priority, a separate deactivation ends the interrupt. Orchid
 * deactivates its own interrupts right after their handler; an interrupt
 * forwarded to a guest (gic_route_irq_to_guest) stays active until the
 * guest deactivates the virtual interrupt, which the list register's HW
 * bit turns into the physical deactivation. Until then it cannot fire
 * again, so a level-sensitive device line never storms the hypervisor.
 */
#include <asm/gic.h>
#include <asm/percpu.h>
#include <orchid/errno.h>
#include <orchid/panic.h>
#include <orchid/printk.h>
#include <orchid/smp.h>
#include <orchid/spinlock.h>
#include <orchid/trace.h>

/* SPIs end at 1019; 1020..1023 are special INTIDs, never real lines. */
#define GIC_MAX_LINES		1020
#define GIC_INTID_SPECIAL_FIRST 1020
#define GIC_INTID_SPECIAL_LAST	1023

/* Stray interrupts logged before the log thins out to powers of two. */
#define GIC_UNEXPECTED_LOG_FIRST 8

struct irq_action {
	irq_handler_t handler; /* written once, with a release store */
	void *data;
	bool guest; /* forwarded: the guest deactivates it */
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
		panic("GIC: no supported interrupt controller in the device "
		      "tree (version %u)",
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

static int gic_install(unsigned int irq, irq_handler_t handler, void *data,
		       bool guest)
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
		/* A guest's line starts off; only a free line is touched. */
		if (guest)
			gic->enable(irq, false);
		action->data = data;
		action->guest = guest;
		/* gic_dispatch reads the handler first, the rest after. */
		__atomic_store_n(&action->handler, handler, __ATOMIC_RELEASE);
	}
	spin_unlock_irqrestore(&irq_lock, flags);
	return ret;
}

int irq_request(unsigned int irq, irq_handler_t handler, void *data)
{
	return gic_install(irq, handler, data, false);
}

/*
 * Give SPI @irq to a guest: @handler injects it, and its deactivation is
 * the guest's. The line stays disabled until the guest enables it.
 */
int gic_route_irq_to_guest(unsigned int irq, irq_handler_t handler, void *data)
{
	if (irq < NR_LOCAL_IRQS || irq >= gic_lines)
		return -EINVAL;
	/* A line in use (another domain's, or Orchid's) keeps running. */
	return gic_install(irq, handler, data, true);
}

/*
 * Take a forwarded SPI back (its domain is going away): off, no longer
 * active, no handler. A handler already running on another CPU finishes
 * with the data it read.
 */
void gic_release_guest_irq(unsigned int irq)
{
	struct irq_action *action;
	unsigned long flags;

	if (irq < NR_LOCAL_IRQS || irq >= gic_lines)
		return;
	action = &irq_actions[irq];
	flags = spin_lock_irqsave(&irq_lock);
	if (action->handler && action->guest) {
		gic->enable(irq, false);
		gic->clear_active(irq);
		__atomic_store_n(&action->handler, NULL, __ATOMIC_RELEASE);
		action->data = NULL;
		action->guest = false;
	}
	spin_unlock_irqrestore(&irq_lock, flags);
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
		pr_err("GIC: SGI %u to CPU%u ignored\n", (unsigned int)sgi,
		       cpu);
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
		pr_warn("unexpected IRQ %u on CPU%u (%lu so far)\n", irq,
			this_cpu()->id, gic_unexpected_count);
	if (irq >= NR_SGIS && irq < gic_lines)
		gic->enable(irq, false);
}

/* Run @irq's handler; false when nobody handles it. */
static bool gic_dispatch(unsigned int irq)
{
	irq_handler_t handler = NULL;

	if (likely(irq < gic_lines))
		handler = __atomic_load_n(&irq_actions[irq].handler,
					  __ATOMIC_ACQUIRE);
	if (unlikely(!handler))
		return false;
	if (unlikely(trace_on())) {
		/* Xen's TRC_HW_IRQ_HANDLED: the line, cycles in and out. */
		uint32_t d[3] = {irq, (uint32_t)arch_cycles(), 0};

		handler(irq, irq_actions[irq].data);
		d[2] = (uint32_t)arch_cycles();
		trace_var(TRC_HW_IRQ_HANDLED, 3, d);
		return true;
	}
	handler(irq, irq_actions[irq].data);
	return true;
}

static bool gic_intid_is_special(unsigned int irq)
{
	return irq >= GIC_INTID_SPECIAL_FIRST && irq <= GIC_INTID_SPECIAL_LAST;
}

static bool gic_irq_is_guest(unsigned int irq)
{
	return irq < gic_lines &&
	       __atomic_load_n(&irq_actions[irq].handler, __ATOMIC_ACQUIRE) &&
	       irq_actions[irq].guest;
}

/*
 * A forwarded interrupt: drop the priority so Orchid keeps taking
 * interrupts, and leave it active for the guest to deactivate. One whose
 * guest let go of it meanwhile is ended here.
 */
static void gic_handle_guest_irq(unsigned int irq)
{
	gic->eoi(irq);
	if (!gic_dispatch(irq))
		gic->deactivate(irq);
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
		if (gic_irq_is_guest(irq)) {
			gic_handle_guest_irq(irq);
			continue;
		}
		if (!gic_dispatch(irq))
			gic_unexpected(irq);
		gic->eoi(irq);
		gic->deactivate(irq);
	}
}

/* INTIDs the controller implements (SPIs included), for sizing vGICs. */
unsigned int gic_nr_lines(void)
{
	return gic_lines;
}

/* The physical side of forwarded SPIs, driven by the vGIC. */
void gic_irq_set_edge(unsigned int irq, bool edge)
{
	if (irq >= NR_LOCAL_IRQS && gic_irq_valid(irq, "trigger change"))
		gic->set_edge(irq, edge);
}

void gic_irq_set_affinity(unsigned int irq, unsigned int cpu)
{
	if (irq >= NR_LOCAL_IRQS && cpu < nr_cpu_ids &&
	    gic_irq_valid(irq, "routing"))
		gic->set_affinity(irq, cpu);
}

void gic_irq_set_pending(unsigned int irq)
{
	if (irq >= NR_LOCAL_IRQS && gic_irq_valid(irq, "pending"))
		gic->set_pending(irq);
}

void gic_irq_clear_active(unsigned int irq)
{
	if (irq >= NR_LOCAL_IRQS && gic_irq_valid(irq, "deactivation"))
		gic->clear_active(irq);
}
