// SPDX-License-Identifier: MIT
/*
 * The virtual GIC's core: per-domain and per-vCPU state, injection, and
 * the list-register cycle around every guest entry and exit.
 *
 *   inject / set_level / register writes: software pending state (banks),
 *       then wake and kick the target vCPU so it passes through flush;
 *   vgic_flush (entry):  list registers -> state (vgic_lrs_fold: what the
 *       guest deactivated frees its LR, a level line still high re-pends),
 *       then pending state -> list registers (vgic_lrs_fill_one for a lone
 *       interrupt, else vgic_lrs_fill), underflow maintenance when more is
 *       pending than the LRs hold, all in one lock section;
 *   vgic_sync (exit):    nothing unless an underflow was requested: the
 *       fold waits for the next lock section of this pCPU that needs it
 *       (flush, an emulated vGIC access of this vCPU, save, pending test);
 *   vgic_save/restore:   the virtual CPU interface across vCPU switches.
 *
 * Physical SPIs given to a domain are injected by their host handler with
 * the LR's HW bit set, so the guest's deactivation ends the physical
 * interrupt (the host runs in EOImode 1, gic.c).
 */
#include <asm/gic.h>
#include <asm/percpu.h>
#include <asm/vgic.h>
#include <asm/vpl011.h>
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/irq.h>
#include <orchid/mm.h>
#include <orchid/passthrough.h>
#include <orchid/printk.h>
#include <orchid/sched.h>
#include <orchid/setup.h>
#include <orchid/string.h>

#include "vgic_internal.h"

/* QEMU virt and the Arm BSA put the maintenance interrupt on PPI 9. */
#define VGIC_MAINT_IRQ_DEFAULT 25
#define VGIC_LOG_FIRST	       32
#define VGIC_V2_MAX_VCPUS      8

unsigned int vgic_nr_lrs;
uint8_t vgic_prio_mask = 0xff;

static const struct vgic_hw_ops *vgic_hw;
static unsigned int vgic_maint_irq;
static bool vgic_cpu_ready[CONFIG_NR_CPUS];
static spinlock_t vgic_setup_lock = SPINLOCK_INIT;
static unsigned long vgic_log_count;

void vgic_log(const struct vcpu *v, const char *fmt, ...)
{
	unsigned long n =
		__atomic_add_fetch(&vgic_log_count, 1, __ATOMIC_RELAXED);
	char buf[160];
	va_list ap;

	if (n > VGIC_LOG_FIRST && (n & (n - 1)))
		return;
	va_start(ap, fmt);
	fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	pr_warn("d%uv%u: vGIC: %s (%lu so far)\n", v->domain->domain_id,
		v->vcpu_id, buf, n);
}

/* ---- the host's virtual CPU interface ---------------------------------- */

static int vgic_hw_probe(const struct gic_info *host)
{
	switch (gic_version()) {
#ifdef CONFIG_GICV3
	case 3: vgic_hw = &vgic_v3_hw_ops; return vgic_v3_hw_init();
#endif
#ifdef CONFIG_GICV2
	case 2:
		if (!host)
			return -EINVAL;
		vgic_hw = &vgic_v2_hw_ops;
		return vgic_v2_hw_init(host);
#endif
	default: return -ENODEV;
	}
}

/* Once: find out what the host's virtual CPU interface offers. */
static int vgic_hw_setup(const struct gic_info *host)
{
	unsigned long flags = spin_lock_irqsave(&vgic_setup_lock);
	int ret = 0;

	if (!vgic_hw) {
		ret = vgic_hw_probe(host);
		if (ret)
			vgic_hw = NULL;
	}
	spin_unlock_irqrestore(&vgic_setup_lock, flags);
	return ret;
}

/*
 * The maintenance interrupt only makes the vCPU leave the guest: the
 * exit path runs vgic_sync and, on the way back, vgic_flush, which refill
 * the list registers. It is level-sensitive, so the underflow condition
 * is switched off here in case the exit path has not done it yet.
 */
static void vgic_maintenance_irq(unsigned int irq, void *data)
{
	struct vcpu *loaded = this_cpu()->loaded;
	struct vgic_cpu *c = loaded ? vgic_cpu_of(loaded) : NULL;

	if (!vgic_hw)
		return;
	vgic_hw->clear_maintenance();
	if (c)
		c->uie = false;
}

void vgic_maintenance_init(unsigned int irq)
{
	int ret = vgic_hw_setup(&bootinfo.gic);

	if (ret) {
		pr_warn("vGIC: no virtual CPU interface on this GIC (%d): no "
			"guests\n",
			ret);
		return;
	}
	if (irq < NR_SGIS || irq >= NR_LOCAL_IRQS) {
		pr_warn("vGIC: maintenance interrupt %u is no PPI, using %u\n",
			irq, VGIC_MAINT_IRQ_DEFAULT);
		irq = VGIC_MAINT_IRQ_DEFAULT;
	}
	ret = irq_request(irq, vgic_maintenance_irq, NULL);
	if (ret) {
		pr_err("vGIC: cannot install the maintenance handler on IRQ %u "
		       "(%d)\n",
		       irq, ret);
		return;
	}
	vgic_maint_irq = irq;
	printk("vGIC: GICv%u virtual CPU interface, %u list registers, "
	       "maintenance IRQ %u\n",
	       gic_version(), vgic_nr_lrs, irq);
}

void vgic_init_cpu(void)
{
	unsigned int cpu = this_cpu()->id;

	if (!vgic_hw || cpu >= CONFIG_NR_CPUS)
		return;
	vgic_hw->cpu_reset();
	if (vgic_maint_irq)
		irq_enable(vgic_maint_irq);
	vgic_cpu_ready[cpu] = true;
}

/* ---- domains and vCPUs -------------------------------------------------- */

static int vgic_check_config(const struct domain *d, unsigned int version)
{
	if (version != 2 && version != 3)
		return -EINVAL;
	/* No GICv2 compatibility on a GICv3 host, nor the other way round. */
	if (version != gic_version()) {
		pr_err("d%u: vGICv%u on a GICv%u host is not supported\n",
		       d->domain_id, version, gic_version());
		return -EOPNOTSUPP;
	}
	if (d->max_vcpus >
	    (version == 2 ? VGIC_V2_MAX_VCPUS : VGIC_MAX_VCPUS)) {
		pr_err("d%u: %u vCPUs are too many for a vGICv%u\n",
		       d->domain_id, d->max_vcpus, version);
		return -EINVAL;
	}
	return 0;
}

static struct vgic_dist *vgic_dist_alloc(unsigned int version,
					 unsigned int nr_spis)
{
	unsigned int banks = nr_spis / VGIC_BANK_SIZE;
	struct vgic_dist *dist =
		xzalloc(sizeof(*dist) + banks * sizeof(struct vgic_bank));

	if (!dist)
		return NULL;
	spin_lock_init(&dist->lock);
	dist->gen = 1; /* a vCPU's idle_gen 0 never matches */
	dist->version = version;
	dist->nr_spis = nr_spis;
	dist->s.spi = dist->spi;
	dist->s.nr_spi_banks = banks;
	dist->s.v2 = version == 2;
	for (unsigned int i = 0; i < banks; i++)
		vgic_bank_init(&dist->spi[i], false);
	return dist;
}

int vgic_domain_init(struct domain *d, unsigned int version,
		     unsigned int nr_spis, const struct gic_info *host)
{
	struct vgic_dist *dist;
	int ret;

	if (d->arch.vgic)
		return -EEXIST;
	ret = vgic_hw_setup(host ? host : &bootinfo.gic);
	if (ret)
		return ret;
	ret = vgic_check_config(d, version);
	if (ret)
		return ret;
	/* Whole banks, at most Xen's 960 SPIs. */
	nr_spis = (unsigned int)align_up(nr_spis, VGIC_BANK_SIZE);
	if (nr_spis > VGIC_MAX_SPIS)
		nr_spis = VGIC_MAX_SPIS;

	dist = vgic_dist_alloc(version, nr_spis);
	if (!dist)
		return -ENOMEM;
	d->arch.vgic = dist;
#ifdef CONFIG_GICV3
	if (version == 3)
		ret = vgic_v3_domain_init(d, dist, host);
#endif
#ifdef CONFIG_GICV2
	if (version == 2)
		ret = vgic_v2_domain_init(d, dist, host);
#endif
	if (ret) {
		d->arch.vgic = NULL;
		xfree(dist);
	}
	return ret;
}

/* The domain is gone from every pCPU: give its physical SPIs back. */
void vgic_domain_destroy(struct domain *d)
{
	struct vgic_dist *dist = vgic_dist_of(d);

	if (!dist)
		return;
	for (unsigned int i = 0; i < dist->s.nr_spi_banks; i++) {
		uint32_t hw = dist->spi[i].hw;

		while (hw) {
			unsigned int n = (unsigned int)__builtin_ctz(hw);

			hw &= hw - 1;
			gic_release_guest_irq((i + 1) * VGIC_BANK_SIZE + n);
		}
	}
	d->arch.vgic = NULL;
	xfree(dist);
}

int vgic_vcpu_init(struct vcpu *v)
{
	struct vgic_dist *dist = vgic_dist_of(v->domain);
	struct vgic_cpu *c;
	int ret = 0;

	if (!dist || v->arch.vgic)
		return -EINVAL;
	c = xzalloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	vgic_bank_init(&c->s.local, true);
	v->arch.vgic = c;
#ifdef CONFIG_GICV3
	if (dist->version == 3)
		ret = vgic_v3_vcpu_init(v);
#endif
	if (ret) {
		v->arch.vgic = NULL;
		xfree(c);
	}
	return ret;
}

/*
 * Forwarded SPIs still held by @v's list registers would stay active in
 * the GIC for good: end them, and let go of the LRs.
 */
void vgic_vcpu_destroy(struct vcpu *v)
{
	struct vgic_dist *dist = vgic_dist_of(v->domain);
	struct vgic_cpu *c = vgic_cpu_of(v);
	uint16_t deact[VGIC_MAX_LRS];
	unsigned int nr = 0;
	unsigned long flags;

	if (!c)
		return;
	if (dist) {
		flags = vgic_lock(dist);
		for (unsigned int i = 0; i < VGIC_MAX_LRS; i++) {
			if ((c->s.lr_used & (1ULL << i)) && c->s.lr[i].hw)
				deact[nr++] = c->s.lr[i].pintid;
			c->s.lr[i].state = 0;
		}
		vgic_lrs_fold(&dist->s, &c->s);
		vgic_unlock(dist, flags);
	}
	for (unsigned int i = 0; i < nr; i++)
		gic_irq_clear_active(deact[i]);
	v->arch.vgic = NULL;
	xfree(c);
}

/* ---- injection ---------------------------------------------------------- */

/*
 * The vCPU whose trap this is, and that is not blocked, needs neither a
 * wake nor a kick: it passes through vgic_flush before it runs again.
 * Only this pCPU sets its VPF_BLOCKED (vcpu_block in its own trap), so
 * the test holds until the trap ends. bench-micro's sgi-self,
 * vtimer-deadline and evtchn-send-upcall rows (the wake, kick and kick
 * list walk were ~75).
 */
static bool vgic_needs_notify(struct vcpu *v)
{
	return v != this_cpu()->current ||
	       (__atomic_load_n(&v->pause_flags, __ATOMIC_RELAXED) &
		VPF_BLOCKED);
}

void vgic_notify(struct vcpu *v)
{
	if (!vgic_needs_notify(v))
		return;
	vcpu_wake(v);
	vcpu_kick(v);
}

void vgic_kick_walk(struct domain *d, const struct vgic_kick *k)
{
	for (unsigned int w = 0; w < ARRAY_SIZE(k->mask); w++) {
		uint64_t m = k->mask[w];

		while (m) {
			unsigned int id =
				w * 64 + (unsigned int)__builtin_ctzll(m);
			struct vcpu *v = domain_vcpu(d, id);

			m &= m - 1;
			if (v)
				vgic_notify(v);
		}
	}
}

bool vgic_inject_locked(struct domain *d, struct vcpu *target,
			unsigned int intid, unsigned int source,
			struct vgic_kick *k)
{
	struct vgic_dist *dist = vgic_dist_of(d);
	struct vgic_bank *b = vgic_bank_get(&dist->s, NULL, intid);
	struct vgic_cpu *c;
	bool hw;

	if (intid >= VGIC_NR_PRIVATE) {
		if (!b)
			return false;
		target = domain_vcpu(d, b->target[intid % VGIC_BANK_SIZE]);
	}
	hw = b && (b->hw & vgic_bit(intid));
	c = target ? vgic_cpu_of(target) : NULL;
	/* Like Xen: a vCPU that is down loses what is sent to it. */
	if (!c || (target->pause_flags & VPF_DOWN)) {
		if (hw)
			gic_irq_clear_active(intid);
		return false;
	}
	if (vgic_state_set_pending(&dist->s, &c->s, intid, source) &&
	    vgic_needs_notify(target))
		vgic_kick_add(k, target->vcpu_id);
	return true;
}

/*
 * vgic_inject_locked for a private INTID of @v, with the lock: its own
 * bank, no lookup and no kick list (bench-micro's vtimer-deadline row, the
 * vtimer's host handler: ~60).
 */
static void vgic_inject_private(struct vgic_dist *dist, struct vcpu *v,
				unsigned int virq)
{
	struct vgic_cpu *c = vgic_cpu_of(v);
	unsigned long flags;
	bool notify = false;

	if (!c)
		return;
	flags = vgic_lock(dist);
	/* Like Xen: a vCPU that is down loses what is sent to it. */
	if (!(v->pause_flags & VPF_DOWN))
		notify = vgic_state_set_pending_private(&dist->s, &c->s, virq,
							v->vcpu_id);
	vgic_unlock(dist, flags);
	if (notify && vgic_needs_notify(v)) {
		vcpu_wake(v);
		vcpu_kick(v);
	}
}

/*
 * Injection wakes and kicks the target itself (Xen's vcpu_kick unblocks
 * too), and only when the interrupt is enabled: a disabled one waits, and
 * enabling it notifies then. Callers may wake again; it costs nothing.
 */
void vgic_inject_irq(struct domain *d, struct vcpu *v, unsigned int virq)
{
	struct vgic_dist *dist = d ? vgic_dist_of(d) : NULL;
	struct vgic_kick k = {0};
	unsigned long flags;

	if (!dist)
		return;
	if (virq < VGIC_NR_PRIVATE) {
		if (v && v->domain == d)
			vgic_inject_private(dist, v, virq);
		return;
	}
	flags = vgic_lock(dist);
	vgic_inject_locked(d, v, virq, v ? v->vcpu_id : 0, &k);
	vgic_unlock(dist, flags);
	vgic_kick_run(d, &k);
}

/*
 * Called on every guest entry with the event-channel line's level, so the
 * unchanged case is one racy read: a change racing it is made under the
 * lock, and its maker kicks the vCPU, which brings it back here.
 */
static __attribute__((noinline)) void
vgic_set_level_slow(struct vcpu *v, unsigned int virq, bool level)
{
	struct vgic_dist *dist = vgic_dist_of(v->domain);
	struct vgic_cpu *c = vgic_cpu_of(v);
	struct vgic_kick k = {0};
	struct vgic_bank *b;
	unsigned long flags;
	uint32_t bit = vgic_bit(virq);

	if (!dist)
		return;
	b = vgic_bank_get(&dist->s, &c->s, virq);
	if (!b ||
	    !!(__atomic_load_n(&b->level, __ATOMIC_RELAXED) & bit) == level)
		return;

	flags = vgic_lock(dist);
	if (level && !(b->level & bit)) {
		/*
		 * Recorded high only once pending: a raise that a vCPU down
		 * lost (vCPU 0 registering a vCPU 1 that is off marks its
		 * upcall pending) would otherwise leave the line high and
		 * never pending, and every later raise (EVTCHNOP_send to
		 * vCPU 1, in WFI) a no-op. Left low, the raise is retried:
		 * vCPU 1's first entry after CPU_ON samples upcall_pending.
		 */
		if (vgic_inject_locked(v->domain, v, virq, v->vcpu_id, &k))
			b->level |= bit;
	} else if (!level && (b->level & bit)) {
		b->level &= ~bit;
		if (!(b->edge & bit))
			vgic_state_clear_pending(&dist->s, &c->s, virq);
	}
	vgic_unlock(dist, flags);
	vgic_kick_run(v->domain, &k);
}

/*
 * The unchanged level of a private line (the event-channel PPI on every
 * entry) is told from the vCPU's own bank before anything else:
 * bench-micro's trap rows (it was ~45 of xen_version's).
 */
void vgic_set_level(struct vcpu *v, unsigned int virq, bool level)
{
	struct vgic_cpu *c = v ? vgic_cpu_of(v) : NULL;

	if (!c)
		return;
	if (virq < VGIC_NR_PRIVATE &&
	    !!(__atomic_load_n(&c->s.local.level, __ATOMIC_RELAXED) &
	       vgic_bit(virq)) == level)
		return;
	vgic_set_level_slow(v, virq, level);
}

/* The host handler of a forwarded SPI, with its priority dropped. */
static void vgic_hw_irq(unsigned int irq, void *data)
{
	vgic_inject_irq(data, NULL, irq);
}

/*
 * A device's SPI goes to @d with its number (virtual INTID == physical):
 * Dom0's devices at boot, passed-through ones (arch_pt_irq_bind). The
 * line stays off until the guest enables the virtual one.
 */
int vgic_route_hw_spi(struct domain *d, unsigned int irq)
{
	struct vgic_dist *dist = vgic_dist_of(d);
	struct vgic_bank *b;
	unsigned long flags;
	int ret;

	if (!dist || irq < VGIC_NR_PRIVATE || irq >= gic_nr_lines())
		return -EINVAL;
	b = vgic_bank_get(&dist->s, NULL, irq);
	if (!b)
		return -EINVAL;
	ret = gic_route_irq_to_guest(irq, vgic_hw_irq, d);
	if (ret)
		return ret;
	flags = vgic_lock(dist);
	b->hw |= vgic_bit(irq);
	vgic_unlock(dist, flags);
	return 0;
}

/*
 * Xen's vgic_reserve_virq: a vIRQ the domain's vGIC lacks, an SGI, or one
 * already taken (routed, or its vpl011's) cannot be reserved: -EBUSY.
 */
static bool vgic_virq_reservable(struct domain *d, unsigned int irq)
{
	struct vgic_dist *dist = vgic_dist_of(d);
	struct vgic_bank *b;

	if (!dist || irq < NR_SGIS || irq >= VGIC_NR_PRIVATE + dist->nr_spis)
		return false;
	if (d->arch.vpl011 && irq == vpl011_intid(d))
		return false;
	if (irq < VGIC_NR_PRIVATE)
		return true; /* a PPI: route_irq_to_guest refuses it next */
	b = vgic_bank_get(&dist->s, NULL, irq);
	return b &&
	       !(__atomic_load_n(&b->hw, __ATOMIC_RELAXED) & vgic_bit(irq));
}

bool vgic_virq_available(struct domain *d, unsigned int irq)
{
	return irq >= VGIC_NR_PRIVATE && vgic_virq_reservable(d, irq);
}

/*
 * XEN_DOMCTL_bind_pt_irq (passthrough.h), errnos as Xen's: -EBUSY from the
 * reservation or when the line is another domain's or Orchid's own,
 * -EINVAL for a PPI or a line the GIC lacks.
 */
int arch_pt_irq_bind(struct domain *d, unsigned int irq)
{
	if (!vgic_virq_reservable(d, irq))
		return -EBUSY;
	if (irq < VGIC_NR_PRIVATE || irq >= gic_nr_lines())
		return -EINVAL;
	return vgic_route_hw_spi(d, irq);
}

/*
 * Xen's release_guest_irq: -EINVAL unless @irq is routed to @d, and then
 * -EBUSY while @d lives (taking a line from a running vGIC is refused);
 * a dying domain's lines go back in vgic_domain_destroy.
 */
int arch_pt_irq_unbind(struct domain *d, unsigned int irq)
{
	struct vgic_dist *dist = vgic_dist_of(d);
	struct vgic_bank *b;

	if (!dist || irq < VGIC_NR_PRIVATE ||
	    irq >= VGIC_NR_PRIVATE + dist->nr_spis)
		return -EINVAL;
	b = vgic_bank_get(&dist->s, NULL, irq);
	if (!b || !(__atomic_load_n(&b->hw, __ATOMIC_RELAXED) & vgic_bit(irq)))
		return -EINVAL;
	return -EBUSY;
}

void vgic_vcpu_migrated(struct vcpu *v)
{
	struct vgic_dist *dist = vgic_dist_of(v->domain);
	unsigned long flags;

	if (!dist)
		return;
	flags = vgic_lock(dist);
	for (unsigned int i = 0; i < dist->s.nr_spi_banks; i++) {
		const struct vgic_bank *b = &dist->s.spi[i];
		uint32_t m = b->hw & b->enabled;

		while (m) {
			unsigned int n = (unsigned int)__builtin_ctz(m);

			m &= m - 1;
			if (b->target[n] == v->vcpu_id)
				gic_irq_set_affinity(
					VGIC_NR_PRIVATE + i * VGIC_BANK_SIZE +
						n,
					v->processor);
		}
	}
	vgic_unlock(dist, flags);
}

/* ---- the list-register cycle -------------------------------------------- */

static bool vgic_loaded_here(const struct vcpu *v)
{
	return this_cpu()->loaded == v;
}

/* What the guest did to the LRs since flush: hardware to shadow. */
static void vgic_lrs_pull(struct vgic_cpu *c)
{
	uint64_t used = c->s.lr_used;
	uint64_t empty;

	if (!used)
		return;
	empty = vgic_hw->read_elrsr();
	while (used) {
		unsigned int i = (unsigned int)__builtin_ctzll(used);
		struct vgic_lr lr;

		used &= used - 1;
		if (i >= vgic_nr_lrs || (empty & (1ULL << i))) {
			c->s.lr[i].state = 0;
			continue;
		}
		vgic_hw->lr_decode(vgic_hw->read_lr(i), &lr);
		c->s.lr[i].state = lr.state;
	}
}

/*
 * Write the LRs in @mask from the shadow; the shadow is then clean. Only
 * the bits of @mask are visited, not every LR (bench-micro's sgi-self,
 * vtimer-deadline and evtchn-send-upcall rows write one LR: ~25).
 */
static void vgic_lrs_push(struct vgic_cpu *c, uint64_t mask)
{
	const struct vgic_hw_ops *hw = vgic_hw;
	uint64_t used = c->s.lr_used;

	if (vgic_nr_lrs < 64)
		mask &= (1ULL << vgic_nr_lrs) - 1;
	c->s.lr_dirty = 0;
	while (mask) {
		unsigned int i = (unsigned int)__builtin_ctzll(mask);

		mask &= mask - 1;
		hw->write_lr(i,
			     (used >> i) & 1 ? hw->lr_encode(&c->s.lr[i]) : 0);
	}
}

/*
 * vgic_lrs_push of what the fast fills leave dirty, most times LR 0 alone:
 * then one write, without the loop (bench-micro's sgi-self,
 * vtimer-deadline and evtchn-send-upcall rows: ~30).
 */
static void vgic_lrs_push_dirty(struct vgic_cpu *c)
{
	if (c->s.lr_dirty != 1 || !(c->s.lr_used & 1) || !vgic_nr_lrs) {
		vgic_lrs_push(c, c->s.lr_dirty);
		return;
	}
	c->s.lr_dirty = 0;
	vgic_hw->write_lr0(&c->s.lr[0]);
}

/*
 * Under the lock: hardware LRs back into the state, if the guest ran.
 * When the guest is done with every LR in use (ELRSR), nothing needs
 * decoding (bench-micro's interrupt rows: the interrupt before, EOIed;
 * pull and the general fold were ~120).
 */
static void vgic_lrs_collect(struct vgic_dist *dist, struct vgic_cpu *c)
{
	uint64_t empty;

	if (!c->lrs_in_hw || !c->s.lr_used)
		return;
	empty = vgic_hw->read_elrsr();
	if (vgic_nr_lrs < 64)
		empty |= ~((1ULL << vgic_nr_lrs) - 1);
	if (!(c->s.lr_used & ~empty)) {
		vgic_lrs_fold_done(&dist->s, &c->s, empty);
		return;
	}
	vgic_lrs_pull(c);
	vgic_lrs_fold(&dist->s, &c->s);
}

/*
 * Nothing to deliver, without the lock: at the generation this vCPU last
 * found nothing, nothing changed, so a bank scan is skipped (it was ~70
 * instructions of every trap row of bench-micro, e.g. xen_version). The
 * generation is read before the scan: a change racing the scan bumps it,
 * and its maker kicks the vCPU, which brings it back here to look again.
 */
static bool vgic_idle_since(struct vgic_dist *dist, struct vgic_cpu *c)
{
	uint64_t gen = __atomic_load_n(&dist->gen, __ATOMIC_ACQUIRE);

	if (c->idle_gen == gen)
		return true;
	if (!vgic_state_idle(&dist->s, &c->s))
		return false;
	c->idle_gen = gen;
	return true;
}

/*
 * The underflow request of the loaded vCPU @c, written only when it
 * changes: the two writes of every interrupt's exit and entry were ~35 of
 * bench-micro's sgi-self, vtimer-deadline and evtchn-send-upcall rows.
 * vgic_restore's write leaves UIE clear, as does the maintenance handler.
 */
static void vgic_underflow(struct vgic_cpu *c, bool on)
{
	if (c->uie == on)
		return;
	vgic_hw->set_underflow(on);
	c->uie = on;
}

static __attribute__((noinline)) void vgic_flush_fill(struct vcpu *v)
{
	struct vgic_dist *dist = vgic_dist_of(v->domain);
	struct vgic_cpu *c = vgic_cpu_of(v);
	struct vgic_fill_result res;
	unsigned long flags;

	flags = vgic_lock(dist);
	/*
	 * The interrupt before done with (ELRSR) and the next one into its
	 * LR 0 in one pass: vgic_lrs_collect and vgic_lrs_fill_one's work
	 * (bench-micro's sgi-self, vtimer-deadline and evtchn-send-upcall
	 * rows: ~60 of each).
	 */
	if (c->lrs_in_hw && c->s.lr_used == 1 &&
	    vgic_lrs_refill_one(&dist->s, &c->s, v->vcpu_id, vgic_nr_lrs,
				vgic_hw->read_elrsr())) {
		vgic_lrs_push_dirty(c);
		vgic_underflow(c, false);
		vgic_unlock(dist, flags);
		return;
	}
	vgic_lrs_collect(dist, c);
	/*
	 * One interrupt into a free LR: no overflow, nothing to deactivate
	 * (bench-micro's sgi-self, vtimer-deadline and evtchn-send-upcall
	 * rows: the general fill was ~160 of each).
	 */
	if (vgic_lrs_fill_one(&dist->s, &c->s, v->vcpu_id, vgic_nr_lrs)) {
		vgic_lrs_push_dirty(c);
		vgic_underflow(c, false);
		c->lrs_in_hw = true;
		vgic_unlock(dist, flags);
		return;
	}
	vgic_lrs_fill(&dist->s, &c->s, v->vcpu_id, vgic_nr_lrs, &res);
	vgic_lrs_push(c, c->s.lr_dirty);
	vgic_underflow(c, res.overflow);
	/* With no LR in use the guest cannot change any: sync has nothing. */
	c->lrs_in_hw = c->s.lr_used || res.overflow;
	vgic_unlock(dist, flags);
	for (unsigned int i = 0; i < res.nr_deact; i++)
		gic_irq_clear_active(res.deact[i]);
}

void vgic_flush(struct vcpu *v)
{
	struct vgic_dist *dist = vgic_dist_of(v->domain);
	struct vgic_cpu *c = vgic_cpu_of(v);

	if (!dist || !c)
		return;
	/*
	 * Sync left ICH_HCR_EL2 without UIE; LRs unused stay as they are.
	 * Nothing to do is told first: it needs no hardware (every
	 * bench-micro trap row, e.g. xen_version).
	 */
	if (!c->lrs_in_hw && !c->s.lr_dirty && vgic_idle_since(dist, c))
		return;
	if (!vgic_hw || !vgic_loaded_here(v))
		return;
	vgic_flush_fill(v);
}

static __attribute__((noinline)) void vgic_sync_collect(struct vcpu *v,
							struct vgic_cpu *c)
{
	struct vgic_dist *dist = vgic_dist_of(v->domain);
	unsigned long flags;

	if (!dist || !vgic_hw || !vgic_loaded_here(v))
		return;
	/* First of all: no more underflow maintenance interrupts. */
	vgic_underflow(c, false);
	flags = vgic_lock(dist);
	vgic_lrs_collect(dist, c);
	c->lrs_in_hw = false;
	vgic_unlock(dist, flags);
}

/*
 * Exit: what the guest did to its LRs is read back lazily, by the next
 * lock section of this pCPU that needs it: the entry's vgic_flush_fill,
 * an emulated vGIC register access of this vCPU (vgic_collect_current),
 * vgic_save, vgic_vcpu_pending_irq. A delivery then takes the lock once
 * instead of twice (bench-micro's sgi-self, vtimer-deadline and
 * evtchn-send-upcall rows: ~60 each). Only an underflow request cannot
 * wait: its maintenance interrupt is level-sensitive.
 */
void vgic_sync(struct vcpu *v)
{
	struct vgic_cpu *c = vgic_cpu_of(v);

	if (c && c->lrs_in_hw && c->uie)
		vgic_sync_collect(v, c);
}

bool vgic_collect_current_slow(struct vgic_dist *dist, struct vcpu *v)
{
	struct vgic_cpu *c = vgic_cpu_of(v);

	if (!vgic_hw || !vgic_loaded_here(v))
		return false;
	vgic_lrs_collect(dist, c);
	c->lrs_in_hw = false;
	return true;
}

void vgic_save(struct vcpu *v)
{
	struct vgic_dist *dist = vgic_dist_of(v->domain);
	struct vgic_cpu *c = vgic_cpu_of(v);
	unsigned long flags;

	if (!dist || !c || !vgic_hw)
		return;
	flags = vgic_lock(dist);
	vgic_lrs_collect(dist, c);
	c->lrs_in_hw = false;
	vgic_unlock(dist, flags);
	vgic_hw->save(c);
}

/*
 * Every implemented LR gets written: the previous vCPU's are in there.
 * The shadow only changes on this pCPU, so no lock is needed to read it.
 */
void vgic_restore(struct vcpu *v)
{
	struct vgic_cpu *c = vgic_cpu_of(v);
	unsigned int cpu = this_cpu()->id;

	if (!c || !vgic_hw)
		return;
	if (cpu < CONFIG_NR_CPUS && !vgic_cpu_ready[cpu])
		vgic_init_cpu();
	vgic_hw->restore(c);
	c->uie = false; /* restore clears the maintenance requests */
	vgic_lrs_push(c, vgic_nr_lrs >= 64 ? ~0ULL : (1ULL << vgic_nr_lrs) - 1);
	c->lrs_in_hw = false;
}

bool vgic_vcpu_pending_irq(struct vcpu *v)
{
	struct vgic_dist *dist = vgic_dist_of(v->domain);
	struct vgic_cpu *c = vgic_cpu_of(v);
	bool loaded = vgic_loaded_here(v);
	unsigned long flags;
	uint64_t vmcr;
	bool ret;

	if (!dist || !c || !vgic_hw)
		return false;
	flags = vgic_lock(dist);
	if (loaded && c->lrs_in_hw) {
		vgic_lrs_pull(c);
		vgic_lrs_fold(&dist->s, &c->s);
	}
	vmcr = loaded ? vgic_hw->read_vmcr() : c->vmcr;
	ret = vgic_state_deliverable(&dist->s, &c->s, v->vcpu_id,
				     vgic_hw->vmcr_pmr(vmcr), vgic_prio_mask);
	vgic_unlock(dist, flags);
	return ret;
}

bool vgic_emulate_sysreg(struct vcpu *v, uint32_t iss, uint64_t *val)
{
#ifdef CONFIG_GICV3
	struct vgic_dist *dist = vgic_dist_of(v->domain);

	if (dist && dist->version == 3)
		return vgic_v3_emulate_sysreg(v, iss, val);
#endif
	return false;
}
