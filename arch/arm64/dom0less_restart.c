// SPDX-License-Identifier: MIT
/*
 * Restart policies for boot-time (dom0less) DomUs: beyond Xen 4.17.
 *
 * On Xen a dom0less DomU that powers off, reboots, crashes or lets its
 * watchdog expire stays shut down, paused with all its memory, until a
 * toolstack destroys it (common/domain.c's domain_shutdown only tells the
 * hardware domain, VIRQ_DOM_EXC); without a Dom0 nothing ever does. That
 * stays Orchid's default. A node may instead ask, per reason, as xl.cfg's
 * on_poweroff/on_reboot/on_crash/on_watchdog do:
 *
 *   orchid,on-poweroff, orchid,on-reboot, orchid,on-crash,
 *   orchid,on-watchdog = "destroy" | "restart" | "preserve";
 *
 * "destroy" tears the domain down (every page reference dropped, its RAM
 * back to the heap, scrubbed before reuse); "restart" then builds it again
 * from its node and boot modules, which Orchid keeps reserved for its whole
 * life; "preserve" is Xen's behaviour. Other domains keep running.
 *
 * The work runs on pCPU 0 as a tasklet queued by a timer: never in the
 * context that shut the domain down (its own trap or hypercall, which
 * cannot destroy it), never in interrupt context (it frees and allocates
 * memory, whose locks an interrupted context may hold). Killing it, then
 * domain_destroy in steps that stop for pending work (its -ERESTART, as
 * the toolstack's destroydomain continuation; a run that interrupted a
 * vCPU also stops after a slice, dom0less.h), then the rebuild: its RAM
 * scrubbed a piece at a time first (dom0less_prep.c), the build in one
 * run. A restart waits for the boot-time builds (dom0less_boot_done). A Dom0
 * toolstack destroying the same domain meanwhile is fine: whoever holds its
 * teardown finishes it, the other waits. Before the rebuild takes the same
 * ID again, nothing of the old incarnation may still be mapped (Dom0's
 * xenstored lets go of its xenstore page only once it saw the ID gone),
 * see restart_release.
 */
#include <asm/domain_build.h>
#include <orchid/arch.h>
#include <orchid/domain.h>
#include <orchid/domain_mem.h>
#include <orchid/errno.h>
#include <orchid/printk.h>
#include <orchid/setup.h>
#include <orchid/string.h>
#include <orchid/tasklet.h>
#include <orchid/timer.h>

#include "dom0less.h"

/* pCPU 0 is always online (as the watchdog timers). */
#define RESTART_CPU 0
/*
 * Killing is tried at once (the tasklet's first chance), and again this
 * much later while the domain is still pCPU 0's current one (its vCPU
 * leaves at the next reschedule; it is paused). Was a fixed 1 ms before
 * the first try: bench-dom0less restart row "the new incarnation
 * created" 3.55 -> 2.6 ms.
 */
#define RESTART_SETTLE_NS 100000ULL
/* After a preempted teardown step: let the pending work in first. */
#define RESTART_YIELD_NS 100000ULL
/* While Dom0 still maps pages of the old incarnation: look again. */
#define RESTART_RELEASE_POLL_NS 5000000ULL
/* ... for at most this long, then rebuild anyway (see restart_release). */
#define RESTART_RELEASE_MAX_NS 10000000000ULL

enum restart_stage {
	STAGE_IDLE,    /* running, or preserved, or destroyed for good */
	STAGE_KILL,    /* shut down, to be taken off the domain list */
	STAGE_DESTROY, /* dying: its references and memory being released */
	STAGE_RELEASE, /* gone, but others may still map its pages */
	STAGE_BUILD,   /* to be built again (DOM0LESS_RESTART) */
	STAGE_PREP,    /* its RAM being scrubbed, then the build */
};

/* One boot-time DomU's life across its incarnations. */
struct restart_slot {
	unsigned int index; /* in bootinfo.domus; domain ID index + 1 */
	struct dom0less_policy policy;
	struct timer timer;	   /* waits, then queues the tasklet */
	struct tasklet tasklet;	   /* does the work, out of interrupt context */
	struct dom0less_prep prep; /* the rebuild's RAM (dom0less_prep.c) */
	bool timer_ready;
	enum restart_stage stage;
	enum dom0less_action action;
	unsigned int reason;
	struct domain *dying;	 /* domain_kill gave us its teardown */
	unsigned int boots;	 /* builds that started it, the first one too */
	uint64_t release_end;	 /* when restart_release stops waiting */
	uint64_t pfn_lo, pfn_hi; /* the dead incarnation's host frames */
	bool release_said;	 /* its wait was logged */
};

static struct restart_slot slots[BOOTINFO_MAX_DOMUS];

static const char *const policy_props[] = {
	[SHUTDOWN_poweroff] = "orchid,on-poweroff",
	[SHUTDOWN_reboot] = "orchid,on-reboot",
	[SHUTDOWN_crash] = "orchid,on-crash",
	[SHUTDOWN_watchdog] = "orchid,on-watchdog",
};

static const char *const action_names[] = {
	[DOM0LESS_PRESERVE] = "preserve",
	[DOM0LESS_DESTROY] = "destroy",
	[DOM0LESS_RESTART] = "restart",
};

static const char *reason_name(unsigned int reason)
{
	static const char *const names[] = {"poweroff", "reboot", "suspend",
					    "crash", "watchdog"};

	return reason < ARRAY_SIZE(names) ? names[reason] : "soft_reset";
}

/* A string property's value as one of action_names; -EINVAL otherwise. */
static int policy_value(const struct fdt *fdt, int node, const char *prop)
{
	uint32_t len;
	const char *v = fdt_getprop(fdt, node, prop, &len);

	if (!v)
		return DOM0LESS_PRESERVE;
	for (unsigned int a = 0; a < ARRAY_SIZE(action_names); a++)
		if (len == strlen(action_names[a]) + 1 &&
		    !memcmp(v, action_names[a], len))
			return (int)a;
	return -EINVAL;
}

int dom0less_policy_parse(const struct fdt *fdt, int node, const char *name,
			  struct dom0less_policy *p)
{
	memset(p, 0, sizeof(*p));
	for (unsigned int r = 0; r < ARRAY_SIZE(policy_props); r++) {
		int a;

		if (!policy_props[r])
			continue; /* suspend: Xen's, always */
		a = policy_value(fdt, node, policy_props[r]);
		if (a < 0) {
			pr_err("%s: \"%s\" must be \"destroy\", \"restart\" or "
			       "\"preserve\"\n",
			       name, policy_props[r]);
			return -EINVAL;
		}
		p->on[r] = (uint8_t)a;
		p->set |= fdt_getprop(fdt, node, policy_props[r], NULL) != NULL;
	}
	return 0;
}

static domid_t slot_domid(const struct restart_slot *s)
{
	return (domid_t)(s->index + 1);
}

static const char *slot_name(const struct restart_slot *s, char *buf)
{
	return bootinfo_path(boot_fdt(), bootinfo.domus[s->index].node, buf);
}

static void restart_later(struct restart_slot *s, uint64_t delay_ns)
{
	timer_set(&s->timer, arch_now_ns() + delay_ns);
}

static void restart_on_shutdown(struct domain *d, unsigned int reason)
{
	struct restart_slot *s;
	char name[BOOTINFO_PATH_LEN];

	if (d->domain_id == 0 || d->domain_id > ARRAY_SIZE(slots))
		return;
	s = &slots[d->domain_id - 1];
	s->action = reason < ARRAY_SIZE(s->policy.on) ? s->policy.on[reason]
						      : DOM0LESS_PRESERVE;
	printk("dom0less: %s (d%u) %s: policy %s\n", slot_name(s, name),
	       d->domain_id, reason_name(reason), action_names[s->action]);
	if (s->action == DOM0LESS_PRESERVE)
		return;
	s->reason = reason;
	s->stage = STAGE_KILL;
	s->pfn_lo = s->pfn_hi = 0; /* unknown until restart_destroy */
	restart_later(s, 0);
}

/*
 * Off the domain list: 0, or -EAGAIN to try again later (its vCPU is this
 * pCPU's current one). A domain the toolstack is already destroying is
 * left to it; the destroy stage then waits for it to be gone.
 */
static int restart_kill(struct restart_slot *s)
{
	struct domain *d = domain_lookup(slot_domid(s));
	int ret;

	s->dying = NULL;
	if (!d)
		return 0; /* dying already, or gone */
	if (d->on_shutdown != restart_on_shutdown || !d->is_shut_down)
		return -ESRCH; /* not ours any more: the toolstack's */
	ret = domain_kill(d);
	if (ret == -EINVAL)
		return -EAGAIN;
	if (ret == 0)
		s->dying = d;
	return 0;
}

/*
 * One preemptible step of the teardown: 0 once the domain is gone, or
 * -ERESTART (more to do, or the toolstack holds it for now). Between two
 * steps nobody holds its teardown (domain_destroy let it go): it is
 * claimed again by its ID, which it keeps until it is gone.
 */
static int restart_destroy(struct restart_slot *s)
{
	struct domain *d = s->dying;
	int ret;

	s->dying = NULL;
	if (!d) {
		ret = domain_claim_dying(slot_domid(s), &d);
		if (ret == -ESRCH)
			return 0;
		if (ret)
			return -ERESTART;
	}
	/* Where restart_release looks once it is gone (fixed: it is dying). */
	s->pfn_lo = d->ram_pfn_lo;
	s->pfn_hi = d->ram_pfn_hi;
	return domain_destroy(d);
}

/*
 * The ID is taken again only once nothing of the old incarnation is in use
 * (as Xen, where a domain's ID stays taken while others map its pages):
 * 0 then, or -EAGAIN to look again later. Dom0's xenstored maps its
 * xenstore page (introduced by init-dom0less) until it sees the domain
 * gone, on the VIRQ_DOM_EXC of domain_destroy: getdomaininfo finds no
 * domain with that ID, so it drops its introduction (@releaseDomain) and
 * unmaps. Rebuilt before that, the new incarnation would look like the
 * old one to xenstored, which would keep the old introduction for good
 * (init-dom0less: "already initialized"). A Dom0 that never lets go (no
 * xenstored running, a hung backend) delays the restart by at most
 * RESTART_RELEASE_MAX_NS: then the rebuild goes on, still safe (a page
 * someone maps is never handed out again, grant handles name the old
 * table's generation), but that Dom0 keeps what it had.
 */
static int restart_release(struct restart_slot *s)
{
	char name[BOOTINFO_PATH_LEN];
	uint64_t held = domain_mem_held_of(slot_domid(s), s->pfn_lo, s->pfn_hi);

	if (!held)
		return 0;
	if (!s->release_said) {
		s->release_said = true;
		s->release_end = arch_now_ns() + RESTART_RELEASE_MAX_NS;
		printk("dom0less: %s (d%u) waits for %lu page(s) of its last "
		       "incarnation to be unmapped\n",
		       slot_name(s, name), slot_domid(s), (unsigned long)held);
	}
	if (arch_now_ns() < s->release_end)
		return -EAGAIN;
	pr_warn("dom0less: %s (d%u): %lu page(s) of its last incarnation "
		"still mapped: restarting anyway\n",
		slot_name(s, name), slot_domid(s), (unsigned long)held);
	return 0;
}

static void restart_destroyed(const struct restart_slot *s)
{
	char name[BOOTINFO_PATH_LEN];

	printk("dom0less: %s (d%u) destroyed after %s, %lu KiB free\n",
	       slot_name(s, name), slot_domid(s), reason_name(s->reason),
	       (unsigned long)dom0less_free_kib());
}

/*
 * The prep's done(): its RAM is scrubbed (dom0less_prep.c: the pieces
 * between which pCPU 0 ran the other DomUs), the build takes it.
 */
static void restart_build(void *data)
{
	struct restart_slot *s = data;
	char name[BOOTINFO_PATH_LEN];
	struct domain *d;

	slot_name(s, name);
	s->stage = STAGE_IDLE;
	s->dying = NULL;
	d = dom0less_build_one(s->index, &s->dying, &s->prep);
	if (!d) {
		pr_err("dom0less: %s not restarted\n", name);
		if (!s->dying)
			return;
		/* Built halfway and killed: give back what it got. */
		s->action = DOM0LESS_DESTROY;
		s->stage = STAGE_DESTROY;
		restart_later(s, RESTART_YIELD_NS);
		return;
	}
	printk("dom0less: %s (d%u) restarted after %s: boot %u, %lu KiB "
	       "free\n",
	       name, slot_domid(s), reason_name(s->reason), s->boots,
	       (unsigned long)dom0less_free_kib());
}

static void restart_timer(void *data)
{
	struct restart_slot *s = data;

	tasklet_schedule(&s->tasklet);
}

/* As far as it gets now, then again later. */
static void restart_steps(void *data)
{
	struct restart_slot *s = data;
	int ret;

	/* The boot-time builds first (dom0less_boot_done). */
	if (!dom0less_boot_done()) {
		restart_later(s, RESTART_YIELD_NS);
		return;
	}
	if (s->stage == STAGE_KILL) {
		ret = restart_kill(s);
		if (ret == -EAGAIN) {
			restart_later(s, RESTART_SETTLE_NS);
			return;
		}
		s->stage = ret ? STAGE_IDLE : STAGE_DESTROY;
	}
	if (s->stage == STAGE_DESTROY) {
		ret = restart_destroy(s);
		if (ret == -ERESTART) {
			restart_later(s, RESTART_YIELD_NS);
			return;
		}
		s->stage = s->action == DOM0LESS_RESTART ? STAGE_RELEASE
							 : STAGE_BUILD;
		s->release_said = false;
	}
	if (s->stage == STAGE_RELEASE) {
		if (restart_release(s) == -EAGAIN) {
			restart_later(s, RESTART_RELEASE_POLL_NS);
			return;
		}
		s->stage = STAGE_BUILD;
	}
	if (s->stage != STAGE_BUILD)
		return;
	if (s->action == DOM0LESS_DESTROY) {
		s->stage = STAGE_IDLE;
		restart_destroyed(s);
		return;
	}
	s->stage = STAGE_PREP;
	dom0less_prep_start(&s->prep, s->index);
}

/* The tasklet: its teardown steps stop after a slice (dom0less.h). */
static void restart_work(void *data)
{
	dom0less_slice_begin();
	restart_steps(data);
	dom0less_slice_end();
}

void dom0less_policy_attach(struct domain *d, unsigned int index,
			    const struct dom0less_policy *p)
{
	struct restart_slot *s = &slots[index];

	s->boots++;
	if (!p->set)
		return; /* Xen's behaviour: nothing to attach */
	s->index = index;
	s->policy = *p;
	if (!s->timer_ready) {
		timer_init(&s->timer, restart_timer, s, RESTART_CPU);
		tasklet_init(&s->tasklet, restart_work, s, RESTART_CPU);
		dom0less_prep_init(&s->prep, restart_build, s);
		s->timer_ready = true;
	}
	d->on_shutdown = restart_on_shutdown;
}

/*
 * /chosen's orchid,hwdom-on-crash: "reboot" (Xen's, the default) or
 * "preserve" (Dom0 stays down alone); anything else is reported and
 * ignored, as the machine must keep Xen's behaviour then.
 */
void dom0less_hwdom_policy(void)
{
	const struct fdt *fdt = boot_fdt();
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *v;
	uint32_t len;

	if (chosen < 0)
		return;
	v = fdt_getprop(fdt, chosen, "orchid,hwdom-on-crash", &len);
	if (!v)
		return;
	if (len == sizeof("preserve") && !memcmp(v, "preserve", len)) {
		if (hwdom_on_crash == HWDOM_CRASH_HALT)
			pr_warn("dom0less: orchid,hwdom-on-crash overrides "
				"noreboot\n");
		hwdom_on_crash = HWDOM_CRASH_PRESERVE;
		printk("dom0less: a Dom0 crash leaves the DomUs running\n");
	} else if (len != sizeof("reboot") || memcmp(v, "reboot", len)) {
		pr_err("/chosen: \"orchid,hwdom-on-crash\" must be \"reboot\" "
		       "or \"preserve\": ignored\n");
	}
}
