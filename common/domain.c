// SPDX-License-Identifier: MIT
/* Domains and their vCPUs: creation, lookup, shutdown. */
#include <orchid/arch.h>
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/event.h>
#include <orchid/grant_table.h>
#include <orchid/mm.h>
#include <orchid/panic.h>
#include <orchid/printk.h>
#include <orchid/sched.h>
#include <orchid/string.h>
#include <orchid/wallclock.h>
#include <public/sched.h>

/* Xen's defaults for Dom0 and for guests that don't ask. */
#define EVTCHN_2L_MAX_PORT 4095
#define GNTTAB_MAX_FRAMES 64

struct domain *hardware_domain;
static spinlock_t domlist_lock = SPINLOCK_INIT;
static struct list_head domain_list = { &domain_list, &domain_list };

struct domain *domain_lookup(domid_t domid)
{
	struct domain *found = NULL, *d;
	unsigned long flags = spin_lock_irqsave(&domlist_lock);

	list_for_each_entry(d, &domain_list, domain_list_node) {
		if (d->domain_id == domid) {
			found = d;
			break;
		}
	}
	spin_unlock_irqrestore(&domlist_lock, flags);
	return found;
}

void domain_for_each(void (*fn)(struct domain *d))
{
	struct domain *d;
	unsigned long flags = spin_lock_irqsave(&domlist_lock);

	list_for_each_entry(d, &domain_list, domain_list_node)
		fn(d);
	spin_unlock_irqrestore(&domlist_lock, flags);
}

struct vcpu *vcpu_create(struct domain *d, unsigned int vcpu_id)
{
	struct vcpu *v;

	if (vcpu_id >= d->max_vcpus || d->vcpus[vcpu_id])
		return NULL;
	v = xzalloc(sizeof(*v));
	if (!v)
		return NULL;
	v->vcpu_id = vcpu_id;
	v->domain = d;
	v->pause_flags = VPF_DOWN;
	/* Only vCPU 0 has a slot in shared_info (XEN_LEGACY_MAX_VCPUS). */
	v->vcpu_info = vcpu_id < XEN_LEGACY_MAX_VCPUS ?
			       &d->shared_info->vcpu_info[vcpu_id] :
			       &v->dummy_vcpu_info;
	sched_add_vcpu(v);
	if (arch_vcpu_init(v)) {
		xfree(v);
		return NULL;
	}
	d->vcpus[vcpu_id] = v;
	return v;
}

int vcpu_start(struct vcpu *v, uint64_t pc, uint64_t x0)
{
	if (!(v->pause_flags & VPF_DOWN))
		return -EBUSY;
	arch_vcpu_reset(v, pc, x0);
	vcpu_pause_flag_clear(v, VPF_DOWN);
	return 0;
}

static void domain_free(struct domain *d)
{
	if (d->shared_info)
		free_page(d->shared_info);
	xfree(d->vcpus);
	xfree(d);
}

struct domain *domain_create(domid_t domid, unsigned int flags,
			     unsigned int max_vcpus,
			     const struct xen_arch_domainconfig *arch_cfg)
{
	struct domain *d;
	unsigned long irq;

	if (max_vcpus == 0 || max_vcpus > GUEST_MAX_VCPUS ||
	    domain_lookup(domid))
		return NULL;
	d = xzalloc(sizeof(*d));
	if (!d)
		return NULL;
	d->domain_id = domid;
	d->is_privileged = flags & DOMCF_PRIVILEGED;
	d->direct_mapped = flags & DOMCF_DIRECT_MAP;
	d->max_vcpus = max_vcpus;
	d->creation_ns = arch_now_ns();
	spin_lock_init(&d->lock);
	d->vcpus = xzalloc(max_vcpus * sizeof(*d->vcpus));
	d->shared_info = alloc_page();
	if (!d->vcpus || !d->shared_info)
		goto fail;
	memset(d->shared_info, 0, PAGE_SIZE);
	if (arch_domain_init(d, arch_cfg))
		goto fail;
	if (evtchn_domain_init(d, EVTCHN_2L_MAX_PORT) ||
	    gnttab_domain_init(d, GNTTAB_MAX_FRAMES))
		goto fail; /* TODO(issue 4): unwind arch state for DomUs */
	wallclock_update_domain(d);
	irq = spin_lock_irqsave(&domlist_lock);
	list_add_tail(&d->domain_list_node, &domain_list);
	spin_unlock_irqrestore(&domlist_lock, irq);
	return d;
fail:
	domain_free(d);
	return NULL;
}

void domain_pause(struct domain *d)
{
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i])
			vcpu_pause_flag_set(d->vcpus[i], VPF_PAUSED);
}

void domain_unpause(struct domain *d)
{
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i])
			vcpu_pause_flag_clear(d->vcpus[i], VPF_PAUSED);
}

static const char *shutdown_name(unsigned int reason)
{
	static const char *const names[] = {
		"poweroff", "reboot", "suspend", "crash", "watchdog",
		"soft_reset",
	};

	return reason < ARRAY_SIZE(names) ? names[reason] : "?";
}

/*
 * The hardware domain going down takes the machine with it, as on Xen:
 * poweroff powers off, reboot resets, a crash halts with a message.
 */
void domain_shutdown(struct domain *d, unsigned int reason)
{
	d->is_shut_down = true;
	d->shutdown_code = reason;
	domain_pause(d);
	printk("Domain %u shut down: %s\n", d->domain_id, shutdown_name(reason));
	if (d != hardware_domain)
		return; /* TODO(issue 4): VIRQ_DOM_EXC to the toolstack */
	switch (reason) {
	case SHUTDOWN_poweroff:
		printk("Hardware domain halted: powering off\n");
		arch_system_off();
	case SHUTDOWN_reboot:
		printk("Hardware domain rebooted: resetting\n");
		arch_system_reset();
	default:
		printk("Hardware domain %s: halting the machine\n",
		       shutdown_name(reason));
		arch_halt_system();
	}
}

void domain_crash(struct domain *d, const char *why)
{
	printk("Domain %u crashed: %s\n", d->domain_id, why);
	domain_shutdown(d, SHUTDOWN_crash);
}
