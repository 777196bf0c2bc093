// SPDX-License-Identifier: MIT
/*
 * Domains and their vCPUs: creation, lookup, pause references, shutdown
 * and destruction, with Xen 4.17's meaning (xen/common/domain.c).
 *
 * Locking: the domain list (sorted by domain ID) has its own lock; each
 * domain's pause count, shutdown state and toolstack settings are under
 * d->lock, which is taken before a pCPU's scheduler lock (vCPU pause flags)
 * and never inside one. A domain is freed only after it left the list and
 * every pCPU has passed a point where it held no domain pointer
 * (arch_domain_quiesce), so a pointer from domain_lookup stays good for
 * the rest of the hypercall or trap that found it.
 */
#include <orchid/arch.h>
#include <orchid/domain.h>
#include <orchid/domain_mem.h>
#include <orchid/errno.h>
#include <orchid/event.h>
#include <orchid/grant_table.h>
#include <orchid/hypercall_cov.h>
#include <orchid/mm.h>
#include <orchid/panic.h>
#include <orchid/passthrough.h>
#include <orchid/printk.h>
#include <orchid/sched.h>
#include <orchid/string.h>
#include <orchid/trace.h>
#include <orchid/vcpu_op.h>
#include <orchid/wallclock.h>
#include <public/sched.h>

/* Xen's defaults for Dom0 and for guests that don't ask. */
#define EVTCHN_2L_MAX_PORT 4095
#define GNTTAB_MAX_FRAMES  64
/* Stage-2 table pages before the toolstack says (Xen's p2m_init). */
#define PAGING_POOL_DEFAULT_PAGES 16

/* Xen's default credit2 weight. */
#define SCHED_DEFAULT_WEIGHT 256
/* Xen caps the toolstack's pause references at 255. */
#define CONTROLLER_PAUSE_MAX 255

struct domain *hardware_domain;
static spinlock_t domlist_lock = SPINLOCK_INIT;
static struct list_head domain_list = {&domain_list, &domain_list};
/*
 * Killed domains until their destruction has finished. Their IDs stay
 * taken meanwhile: page ownership and grant pins name a domain by its ID,
 * so a new domain with the same ID must not exist while the old one's
 * pages are released (guest-safety item 5).
 */
static struct list_head dying_list = {&dying_list, &dying_list};

/* ---- the domain list ------------------------------------------------ */

struct domain *domain_lookup(domid_t domid)
{
	struct domain *found = NULL, *d;
	unsigned long flags = spin_lock_irqsave(&domlist_lock);

	list_for_each_entry(d, &domain_list, domain_list_node)
	{
		if (d->domain_id == domid) {
			found = d;
			break;
		}
	}
	spin_unlock_irqrestore(&domlist_lock, flags);
	return found;
}

/* The first domain from @domid on; with @listed, not a hidden one. */
static struct domain *domain_lookup_from(domid_t domid, bool listed)
{
	struct domain *found = NULL, *d;
	unsigned long flags = spin_lock_irqsave(&domlist_lock);

	list_for_each_entry(d, &domain_list, domain_list_node)
	{
		if (d->domain_id >= domid && !(listed && d->hidden)) {
			found = d;
			break;
		}
	}
	spin_unlock_irqrestore(&domlist_lock, flags);
	return found;
}

struct domain *domain_lookup_next(domid_t domid)
{
	return domain_lookup_from(domid, false);
}

struct domain *domain_lookup_next_listed(domid_t domid)
{
	return domain_lookup_from(domid, true);
}

void domain_unhide(struct domain *d)
{
	unsigned long flags = spin_lock_irqsave(&domlist_lock);

	d->hidden = false;
	spin_unlock_irqrestore(&domlist_lock, flags);
}

bool domain_call(domid_t domid, bool (*fn)(struct domain *d, void *arg),
		 void *arg)
{
	struct domain *d;
	bool ret = false;
	unsigned long flags = spin_lock_irqsave(&domlist_lock);

	list_for_each_entry(d, &domain_list, domain_list_node)
	{
		if (d->domain_id == domid) {
			ret = fn(d, arg);
			break;
		}
	}
	spin_unlock_irqrestore(&domlist_lock, flags);
	return ret;
}

void domain_for_each(void (*fn)(struct domain *d))
{
	struct domain *d;
	unsigned long flags = spin_lock_irqsave(&domlist_lock);

	list_for_each_entry(d, &domain_list, domain_list_node) fn(d);
	spin_unlock_irqrestore(&domlist_lock, flags);
}

/* Under domlist_lock: the dying domain @domid, if any. */
static struct domain *dying_find(domid_t domid)
{
	struct domain *d;

	list_for_each_entry(d, &dying_list, domain_list_node)
	{
		if (d->domain_id == domid)
			return d;
	}
	return NULL;
}

bool domain_id_in_use(domid_t domid)
{
	unsigned long flags;
	bool dying;

	if (domain_lookup(domid))
		return true;
	flags = spin_lock_irqsave(&domlist_lock);
	dying = dying_find(domid);
	spin_unlock_irqrestore(&domlist_lock, flags);
	return dying;
}

int domain_claim_dying(domid_t domid, struct domain **out)
{
	unsigned long flags = spin_lock_irqsave(&domlist_lock);
	struct domain *d = dying_find(domid);
	int rc = 0;

	/* Only under domlist_lock: the owner frees it once off the list. */
	if (!d)
		rc = -ESRCH;
	else if (d->teardown_busy)
		rc = -EBUSY;
	else
		d->teardown_busy = true;
	spin_unlock_irqrestore(&domlist_lock, flags);
	*out = rc ? NULL : d;
	return rc;
}

/* Insert @d in ID order; -EEXIST when its ID is taken meanwhile. */
static int domain_list_insert(struct domain *d)
{
	unsigned long flags = spin_lock_irqsave(&domlist_lock);
	struct list_head *pos;
	struct domain *other;

	/* A dying domain keeps its ID until it is gone. */
	if (dying_find(d->domain_id)) {
		spin_unlock_irqrestore(&domlist_lock, flags);
		return -EEXIST;
	}
	list_for_each(pos, &domain_list)
	{
		other = list_entry(pos, struct domain, domain_list_node);
		if (other->domain_id == d->domain_id) {
			spin_unlock_irqrestore(&domlist_lock, flags);
			return -EEXIST;
		}
		if (other->domain_id > d->domain_id)
			break;
	}
	list_add_tail(&d->domain_list_node, pos);
	spin_unlock_irqrestore(&domlist_lock, flags);
	return 0;
}

/* From the live list to the dying list, owned by the caller. */
static void domain_list_kill(struct domain *d)
{
	unsigned long flags = spin_lock_irqsave(&domlist_lock);

	list_del(&d->domain_list_node);
	list_add_tail(&d->domain_list_node, &dying_list);
	d->teardown_busy = true;
	spin_unlock_irqrestore(&domlist_lock, flags);
}

/* Give up owning @d's destruction, for another call to take it over. */
static void dying_release(struct domain *d)
{
	unsigned long flags = spin_lock_irqsave(&domlist_lock);

	d->teardown_busy = false;
	spin_unlock_irqrestore(&domlist_lock, flags);
}

static void dying_list_remove(struct domain *d)
{
	unsigned long flags = spin_lock_irqsave(&domlist_lock);

	list_del(&d->domain_list_node);
	spin_unlock_irqrestore(&domlist_lock, flags);
}

/* ---- vCPUs ---------------------------------------------------------- */

struct vcpu *vcpu_create(struct domain *d, unsigned int vcpu_id)
{
	unsigned long flags;
	struct vcpu *v;

	if (vcpu_id >= d->max_vcpus || d->vcpus[vcpu_id])
		return NULL;
	v = xzalloc(sizeof(*v));
	if (!v)
		return NULL;
	v->vcpu_id = vcpu_id;
	v->domain = d;
	v->pause_flags = VPF_DOWN;
	spin_lock_init(&v->start_lock);
	memset(v->cpu_hard_affinity, 0xff, sizeof(v->cpu_hard_affinity));
	memset(v->cpu_soft_affinity, 0xff, sizeof(v->cpu_soft_affinity));
	/* Only vCPU 0 has a slot in shared_info (XEN_LEGACY_MAX_VCPUS). */
	v->vcpu_info = vcpu_id < XEN_LEGACY_MAX_VCPUS
			       ? &d->shared_info->vcpu_info[vcpu_id]
			       : &v->dummy_vcpu_info;
	sched_add_vcpu(v);
	sched_poll_init(v);
	if (arch_vcpu_init(v)) {
		xfree(v);
		return NULL;
	}
	/* A paused domain's new vCPUs are born paused. */
	flags = spin_lock_irqsave(&d->lock);
	if (d->pause_count)
		v->pause_flags |= VPF_PAUSED;
	d->vcpus[vcpu_id] = v;
	spin_unlock_irqrestore(&d->lock, flags);
	return v;
}

int vcpu_start(struct vcpu *v, uint64_t pc, uint64_t x0)
{
	/*
	 * One starter at a time: a second PSCI CPU_ON racing the first would
	 * otherwise reset the vCPU after the first let it run (guest-safety
	 * item 6). The loser is told the vCPU is on, as Xen says under its
	 * domain lock; it is, or is about to be.
	 */
	if (!spin_trylock(&v->start_lock))
		return -EBUSY;
	if (!(v->pause_flags & VPF_DOWN)) {
		spin_unlock(&v->start_lock);
		return -EBUSY;
	}
	arch_vcpu_reset(v, pc, x0);
	v->is_initialised = true;
	vcpu_pause_flag_clear(v, VPF_DOWN);
	spin_unlock(&v->start_lock);
	return 0;
}

/* ---- creation ------------------------------------------------------- */

/* The structures themselves, once nothing else of @d is left. */
static void domain_free(struct domain *d)
{
	/* The stage 2 gave every table back in arch_domain_destroy. */
	page_pool_destroy(&d->paging_pool);
	if (d->shared_info)
		free_page(d->shared_info);
	/* Its device frames are free for another domain from here. */
	iomem_unclaim_all(d);
	xfree(d->iomem_caps);
	xfree(d->vcpus);
	xfree(d);
}

int domain_create_limits(domid_t domid, unsigned int flags,
			 unsigned int max_vcpus,
			 const struct xen_arch_domainconfig *arch_cfg,
			 const struct domain_limits *limits,
			 struct domain **out)
{
	struct domain *d;
	int ret;

	*out = NULL;
	if (max_vcpus == 0 || max_vcpus > GUEST_MAX_VCPUS)
		return -EINVAL;
	if (domain_lookup(domid))
		return -EEXIST;
	d = xzalloc(sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->domain_id = domid;
	d->is_privileged = flags & DOMCF_PRIVILEGED;
	d->direct_mapped = flags & DOMCF_DIRECT_MAP;
	d->hidden = flags & DOMCF_HIDDEN;
	d->shutdown_code = SHUTDOWN_CODE_INVALID;
	d->max_vcpus = max_vcpus;
	d->creation_ns = arch_now_ns();
	d->sched_weight = SCHED_DEFAULT_WEIGHT;
	d->node_affinity = 1;
	d->arch_config = *arch_cfg;
	spin_lock_init(&d->lock);
	list_init(&d->domain_list_node);
	domain_watchdog_init(d);
	/* As in Xen, the hardware domain's tables are not bounded. */
	page_pool_init(&d->paging_pool, d->is_privileged);
	d->vcpus = xzalloc(max_vcpus * sizeof(*d->vcpus));
	d->shared_info = alloc_page();
	if (!d->vcpus || !d->shared_info) {
		domain_free(d);
		return -ENOMEM;
	}
	memset(d->shared_info, 0, PAGE_SIZE);
	d->shared_info_gfn = DOMAIN_MEM_NO_GFN;
	/*
	 * Xen's p2m_init gives every domain 16 table pages before the
	 * toolstack sizes the pool: enough for what creation maps (a GICv2
	 * CPU interface).
	 */
	ret = page_pool_resize(&d->paging_pool, PAGING_POOL_DEFAULT_PAGES);
	if (ret)
		goto fail;
	ret = arch_domain_init(d, arch_cfg);
	if (ret)
		goto fail;
	ret = evtchn_domain_init(d, limits->max_evtchn_port);
	if (ret)
		goto fail;
	ret = gnttab_domain_init(d, limits->max_grant_frames);
	if (ret)
		goto fail;
	wallclock_update_domain(d);
	ret = domain_list_insert(d);
	if (ret)
		goto fail;
	trace_2d(TRC_DOM0_DOM_ADD, domid, 0);
	*out = d;
	return 0;
fail:
	/* Each of these undoes a partial or missing init of its own. */
	evtchn_domain_destroy(d);
	gnttab_domain_destroy(d);
	arch_domain_destroy(d);
	domain_free(d);
	return ret;
}

struct domain *domain_create(domid_t domid, unsigned int flags,
			     unsigned int max_vcpus,
			     const struct xen_arch_domainconfig *arch_cfg)
{
	static const struct domain_limits defaults = {
		.max_evtchn_port = EVTCHN_2L_MAX_PORT,
		.max_grant_frames = GNTTAB_MAX_FRAMES,
	};
	struct domain *d;

	domain_create_limits(domid, flags, max_vcpus, arch_cfg, &defaults, &d);
	return d;
}

/* ---- pause references ----------------------------------------------- */

/* Under d->lock: set or clear VPF_PAUSED on every vCPU. */
static void domain_set_paused(struct domain *d, bool paused)
{
	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpus[i];

		if (!v)
			continue;
		if (paused)
			vcpu_pause_flag_set(v, VPF_PAUSED);
		else
			vcpu_pause_flag_clear(v, VPF_PAUSED);
	}
}

void domain_pause_nosync(struct domain *d)
{
	unsigned long flags = spin_lock_irqsave(&d->lock);

	if (d->pause_count++ == 0)
		domain_set_paused(d, true);
	spin_unlock_irqrestore(&d->lock, flags);
}

/*
 * Wait until no vCPU of @d is on a pCPU. Each one's pCPU was asked to
 * reschedule when VPF_PAUSED was set, so this ends as soon as they take
 * that interrupt. Never for the caller's own domain, which is running.
 * Interrupts are let in while waiting, in case that pCPU is itself waiting
 * for a cross-call here: the caller holds no lock taken with irqsave.
 */
static void domain_wait_descheduled(struct domain *d)
{
	if (d == current_domain())
		return;
	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpus[i];

		while (v && __atomic_load_n(&v->is_running, __ATOMIC_ACQUIRE)) {
			arch_irq_enable();
			arch_cpu_relax();
			arch_irq_disable();
		}
	}
}

void domain_pause(struct domain *d)
{
	domain_pause_nosync(d);
	domain_wait_descheduled(d);
}

void domain_unpause(struct domain *d)
{
	unsigned long flags = spin_lock_irqsave(&d->lock);

	BUG_ON(d->pause_count == 0);
	if (--d->pause_count == 0)
		domain_set_paused(d, false);
	spin_unlock_irqrestore(&d->lock, flags);
}

int domain_pause_by_controller(struct domain *d)
{
	unsigned long flags = spin_lock_irqsave(&d->lock);

	if (d->controller_pause_count >= CONTROLLER_PAUSE_MAX) {
		spin_unlock_irqrestore(&d->lock, flags);
		return -EOVERFLOW;
	}
	d->controller_pause_count++;
	spin_unlock_irqrestore(&d->lock, flags);
	domain_pause(d);
	return 0;
}

int domain_unpause_by_controller(struct domain *d)
{
	unsigned long flags = spin_lock_irqsave(&d->lock);

	if (d->controller_pause_count == 0) {
		spin_unlock_irqrestore(&d->lock, flags);
		return -EINVAL;
	}
	/* Creation is finished when the toolstack first lets it run. */
	if (--d->controller_pause_count == 0)
		d->creation_finished = true;
	spin_unlock_irqrestore(&d->lock, flags);
	domain_unpause(d);
	return 0;
}

/* ---- shutdown ------------------------------------------------------- */

static const char *shutdown_name(unsigned int reason)
{
	static const char *const names[] = {
		"poweroff", "reboot",	"suspend",
		"crash",    "watchdog", "soft_reset",
	};

	return reason < ARRAY_SIZE(names) ? names[reason] : "?";
}

enum hwdom_crash_action hwdom_on_crash;

/* Xen's machine_restart(5000) after a hardware domain crash. */
#define HWDOM_CRASH_RESET_NS 5000000000ULL

/*
 * As Xen's hwdom_shutdown after a crash: reset in 5 s, or halt with
 * noreboot. Unless the boot DT said orchid,hwdom-on-crash = "preserve"
 * (dom0less.c): then, beyond Xen, only Dom0 stays down (shut down, paused,
 * its memory kept) and the boot-time DomUs keep running. False: returns.
 */
static bool hardware_domain_crashed(void)
{
	uint64_t end;

	if (hwdom_on_crash == HWDOM_CRASH_PRESERVE) {
		printk("Hardware Dom0 crashed: preserved, the other domains "
		       "keep "
		       "running (orchid,hwdom-on-crash)\n");
		return false;
	}
	printk("Hardware Dom0 crashed: ");
	if (hwdom_on_crash == HWDOM_CRASH_HALT) {
		printk("'noreboot' set - not rebooting.\n");
		arch_halt_system();
	}
	printk("rebooting machine in 5 seconds.\n");
	end = arch_now_ns() + HWDOM_CRASH_RESET_NS;
	while (arch_now_ns() < end)
		arch_cpu_relax();
	arch_system_reset();
	return true;
}

/*
 * The hardware domain going down takes the machine with it, as on Xen:
 * poweroff powers off, reboot resets, a crash resets after 5 s.
 */
static void hardware_domain_shutdown(unsigned int reason)
{
	hypercall_cov_dump();
	if (reason == SHUTDOWN_crash && !hardware_domain_crashed())
		return;
	switch (reason) {
	case SHUTDOWN_poweroff:
		printk("Hardware domain halted: powering off\n");
		arch_system_off();
	case SHUTDOWN_reboot:
		printk("Hardware domain rebooted: resetting\n");
		arch_system_reset();
	case SHUTDOWN_watchdog:
		/* As Xen's hwdom_shutdown. */
		printk("Hardware Dom0 shutdown: watchdog rebooting machine\n");
		arch_system_reset();
	default:
		printk("Hardware domain %s: halting the machine\n",
		       shutdown_name(reason));
		arch_halt_system();
	}
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
	unsigned long flags = spin_lock_irqsave(&d->lock);
	bool first = !d->is_shut_down;

	/* A code set earlier (SCHEDOP_shutdown_code) wins, as in Xen. */
	if (d->shutdown_code == SHUTDOWN_CODE_INVALID)
		d->shutdown_code = reason;
	reason = d->shutdown_code;
	d->is_shut_down = true;
	spin_unlock_irqrestore(&d->lock, flags);
	if (first)
		printk("Domain %u shut down: %s\n", d->domain_id,
		       shutdown_name(reason));
	if (d == hardware_domain)
		hardware_domain_shutdown(reason);
	if (!first)
		return;
	/* The domain's own pause, apart from the toolstack's references. */
	domain_pause_nosync(d);
	flags = spin_lock_irqsave(&d->lock);
	d->paused_for_shutdown = true;
	spin_unlock_irqrestore(&d->lock, flags);
	/* xenstored learns of it and tells the toolstack (@releaseDomain). */
	evtchn_send_global_virq(hardware_domain, VIRQ_DOM_EXC);
	if (d->on_shutdown)
		d->on_shutdown(d, reason);
}

void domain_resume(struct domain *d)
{
	unsigned long flags;
	bool unpause;

	domain_pause(d);
	flags = spin_lock_irqsave(&d->lock);
	unpause = d->paused_for_shutdown;
	d->paused_for_shutdown = false;
	d->is_shut_down = false;
	d->shutdown_code = SHUTDOWN_CODE_INVALID;
	spin_unlock_irqrestore(&d->lock, flags);
	if (unpause)
		domain_unpause(d);
	domain_unpause(d);
}

void domain_crash(struct domain *d, const char *why)
{
	printk("Domain %u crashed: %s\n", d->domain_id, why);
	domain_shutdown(d, SHUTDOWN_crash);
}

/* ---- destruction ---------------------------------------------------- */

int domain_kill(struct domain *d)
{
	unsigned long flags;

	if (d == current_domain() || d == hardware_domain)
		return -EINVAL;
	flags = spin_lock_irqsave(&d->lock);
	if (d->is_dying) {
		spin_unlock_irqrestore(&d->lock, flags);
		return -EBUSY;
	}
	d->is_dying = true;
	spin_unlock_irqrestore(&d->lock, flags);
	/* No new lookup finds it; no vCPU of it is queued to run again. */
	domain_list_kill(d);
	domain_pause_nosync(d);
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i])
			sched_remove_vcpu(d->vcpus[i]);
	return 0;
}

/* Stages of domain_destroy (struct domain.teardown_stage). */
enum {
	TEARDOWN_QUIESCE, /* not started */
	TEARDOWN_GRANTS,  /* dropping its grant mappings from teardown_cursor */
	TEARDOWN_MEMORY,  /* giving back RAM from teardown_cursor on */
	TEARDOWN_FREE,	  /* the rest */
};

/* Off every pCPU; channels closed; mappings and their references gone. */
static void domain_destroy_begin(struct domain *d)
{
	/* No watchdog of it fires from here on. */
	domain_watchdog_destroy(d);
	/* From here no pCPU runs it, has it loaded or holds a pointer to it. */
	arch_domain_quiesce(d);
	/* Interdomain channels are closed at both ends. */
	evtchn_domain_destroy(d);
	domain_mem_release_begin(d);
	d->teardown_cursor = 0;
}

static void domain_destroy_finish(struct domain *d)
{
	domid_t domid = d->domain_id;
	uint64_t longest_ns = d->hcall_longest_ns;
	unsigned int longest_nr = d->hcall_longest_nr;

	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		if (d->vcpus[i]) {
			/* A poll timeout may still wake it (VPF_DYING holds). */
			sched_poll_destroy(d->vcpus[i]);
			vcpu_info_release(d->vcpus[i]);
			arch_vcpu_destroy(d->vcpus[i]);
			xfree(d->vcpus[i]);
			d->vcpus[i] = NULL;
		}
	}
	/* The arch half (stage 2 and the rest); grant frames were mapped there. */
	arch_domain_destroy(d);
	gnttab_domain_destroy(d);
	/* Its ID is free from here; nobody can claim it any more. */
	dying_list_remove(d);
	domain_free(d);
	trace_2d(TRC_DOM0_DOM_REM, domid, 0);
	pr_info("Domain %u destroyed (longest hypercall: %u, %llu ns)\n", domid,
		longest_nr, (unsigned long long)longest_ns);
	/* xenstored sees it gone and fires @releaseDomain. */
	evtchn_send_global_virq(hardware_domain, VIRQ_DOM_EXC);
}

int domain_destroy(struct domain *d)
{
	BUG_ON(!d->is_dying || !d->teardown_busy);
	if (d->teardown_stage == TEARDOWN_QUIESCE) {
		domain_destroy_begin(d);
		d->teardown_stage = TEARDOWN_GRANTS;
	}
	/* The grants it mapped: their pins and page references. */
	if (d->teardown_stage == TEARDOWN_GRANTS) {
		if (gnttab_release_mappings_from(d, &d->teardown_cursor,
						 true) == -ERESTART) {
			dying_release(d);
			return -ERESTART;
		}
		d->teardown_cursor = 0;
		d->teardown_stage = TEARDOWN_MEMORY;
	}
	/* Its RAM goes back to the page allocator, scrubbed. */
	if (domain_mem_release_frames(d, &d->teardown_cursor) == -ERESTART) {
		dying_release(d);
		return -ERESTART;
	}
	d->teardown_stage = TEARDOWN_FREE;
	domain_destroy_finish(d);
	return 0;
}
