// SPDX-License-Identifier: MIT
/*
 * XEN_SYSCTL_livepatch_op: the control domain's view of payloads, with
 * Xen 4.17's names, states and error numbers (xen/common/livepatch.c).
 * hc_sysctl already refused every other domain (-EPERM) and holds the
 * sysctl lock, which serialises every call here.
 *
 * Xen queues an action for the next safe point and the tool polls GET
 * until rc leaves -EAGAIN; Orchid acts before the call returns, so the
 * first GET already shows the outcome (same observable states).
 */
#include <orchid/arch.h>
#include <orchid/errno.h>
#include <orchid/guest_access.h>
#include <orchid/livepatch.h>
#include <orchid/mm.h>
#include <orchid/printk.h>
#include <orchid/string.h>
#include <public/sysctl.h>

#define LP		"livepatch: "
#define LP_MAX_PAYLOADS 16
/* Xen's default when the tool passes 0: 30 ms for the pCPUs to gather. */
#define LP_DEFAULT_TIMEOUT_NS 30000000ULL
/* Xen's bound on one LIST call. */
#define LP_LIST_MAX 1024

struct lp_entry {
	char name[XEN_LIVEPATCH_NAME_SIZE];
	uint32_t state;
	int32_t rc;
	struct lp_payload *p;
};

/* In upload order (LIST's order); each entry stays where it was allocated
 * until unloaded, so applied[] may point at it. */
static struct lp_entry *entries[LP_MAX_PAYLOADS];
static unsigned int nr_entries;
/* Applied payloads, oldest first: only the newest may be reverted. */
static struct lp_entry *applied[LP_MAX_PAYLOADS];
static unsigned int nr_applied;
static uint32_t list_version = 1;

static int get_name(const struct xen_livepatch_name *n, char *out)
{
	if (!n->size || n->size > XEN_LIVEPATCH_NAME_SIZE || n->pad[0] ||
	    n->pad[1] || n->pad[2])
		return -EINVAL;
	if (copy_from_guest(out, n->name.p, n->size))
		return -EFAULT;
	return out[n->size - 1] ? -EINVAL : 0;
}

static struct lp_entry *find(const char *name)
{
	for (unsigned int i = 0; i < nr_entries; i++)
		if (!strcmp(entries[i]->name, name))
			return entries[i];
	return NULL;
}

static long lp_upload(const struct xen_sysctl_livepatch_upload *up)
{
	char name[XEN_LIVEPATCH_NAME_SIZE];
	struct lp_entry *e;
	void *raw;
	int rc;

	if (get_name(&up->name, name) || !up->size ||
	    up->size > LIVEPATCH_MAX_SIZE)
		return -EINVAL;
	if (find(name))
		return -EEXIST;
	if (nr_entries == LP_MAX_PAYLOADS)
		return -ENOMEM;
	e = xzalloc(sizeof(*e));
	raw = xmalloc(up->size);
	if (e)
		e->p = xzalloc(sizeof(*e->p));
	rc = raw && e && e->p ? 0 : -ENOMEM;
	if (!rc && copy_from_guest(raw, up->payload.p, up->size))
		rc = -EFAULT;
	if (!rc)
		rc = lp_payload_load(e->p, raw, up->size);
	xfree(raw);
	if (rc) {
		pr_err(LP "%s: upload refused (%d)\n", name, rc);
		if (e)
			xfree(e->p);
		xfree(e);
		return rc;
	}
	memcpy(e->name, name, sizeof(name));
	e->state = LIVEPATCH_STATE_CHECKED;
	e->rc = 0;
	entries[nr_entries++] = e;
	list_version++;
	pr_info(LP "%s: loaded, %u function(s)\n", name, e->p->npatch);
	return 0;
}

static long lp_get(struct xen_sysctl_livepatch_get *get)
{
	char name[XEN_LIVEPATCH_NAME_SIZE];
	const struct lp_entry *e;
	int rc = get_name(&get->name, name);

	if (rc)
		return rc;
	e = find(name);
	if (!e)
		return -ENOENT;
	get->status.state = e->state;
	get->status.rc = e->rc;
	return 0;
}

static int list_one(struct xen_sysctl_livepatch_list *l, unsigned int out,
		    const struct lp_entry *e, uint64_t name_off)
{
	struct xen_livepatch_status st = {e->state, e->rc};
	uint32_t len = (uint32_t)strlen(e->name) + 1, zero = 0;

	if (copy_to_guest(l->status.p + out * sizeof(st), &st, sizeof(st)) ||
	    copy_to_guest(l->name.p + name_off, e->name, len) ||
	    copy_to_guest(l->len.p + out * sizeof(len), &len, sizeof(len)) ||
	    copy_to_guest(l->metadata_len.p + out * sizeof(zero), &zero,
			  sizeof(zero)))
		return -EFAULT;
	return 0;
}

/* Returns how many were written; Xen's sizes and remaining count. */
static long lp_list(struct xen_sysctl_livepatch_list *l)
{
	uint64_t name_off = 0;
	unsigned int i, out = 0;
	int rc = 0;

	if (l->nr > LP_LIST_MAX)
		return -E2BIG;
	if (l->pad)
		return -EINVAL;
	if (l->idx >= nr_entries && nr_entries)
		return -EINVAL;
	l->name_total_size = 0;
	l->metadata_total_size = 0; /* Orchid payloads carry no metadata */
	for (i = 0; i < nr_entries; i++) {
		uint32_t len = (uint32_t)strlen(entries[i]->name) + 1;

		if (!l->nr) {
			l->name_total_size += len;
			continue;
		}
		if (i < l->idx)
			continue;
		if (out >= l->nr)
			break;
		rc = list_one(l, out, entries[i], name_off);
		if (rc)
			break;
		name_off += len;
		l->name_total_size += len;
		out++;
	}
	/* Payloads after the last one written; all of them for nr == 0. */
	l->nr = l->nr ? nr_entries - i : nr_entries;
	l->version = list_version;
	return rc ? rc : (long)out;
}

struct lp_work {
	struct lp_entry *revert[LP_MAX_PAYLOADS]; /* newest first */
	unsigned int nr_revert;
	unsigned int reverted; /* how many of revert[] were, in order */
	struct lp_entry *apply;
	int rc; /* the action's outcome, decided inside the rendezvous */
};

/* Xen's apply_payload: the load hooks, then each function not already
 * branching away. */
static void default_apply(struct lp_payload *p)
{
	for (unsigned int i = 0; i < p->hooks.nload; i++)
		p->hooks.load[i]();
	for (unsigned int j = 0; j < p->npatch; j++)
		if (!p->patch[j].applied)
			arch_livepatch_patch(&p->patch[j], true);
}

static void unpatch_all(struct lp_payload *p)
{
	for (unsigned int j = p->npatch; j-- > 0;)
		if (p->patch[j].applied)
			arch_livepatch_patch(&p->patch[j], false);
}

/* Xen's revert_payload: the functions back, then the unload hooks. */
static void default_revert(struct lp_payload *p)
{
	unpatch_all(p);
	for (unsigned int i = 0; i < p->hooks.nunload; i++)
		p->hooks.unload[i]();
}

/* A payload's own action hook answered @rc: every function must now be
 * as that answer says. Xen panics on a half-done payload; Orchid puts
 * every function back instead, so a payload that is not APPLIED never
 * has Orchid branching into it (unload frees that code). */
static int check_consistent(struct lp_entry *e, bool apply, int rc)
{
	bool want = apply && !rc;

	for (unsigned int j = 0; j < e->p->npatch; j++) {
		if (e->p->patch[j].applied == want)
			continue;
		unpatch_all(e->p);
		pr_err(LP "%s: action hook left it partially %s: restored\n",
		       e->name, apply ? "applied" : "reverted");
		return -EINVAL;
	}
	return rc;
}

/* One payload applied (@apply) or reverted: its action hook when it has
 * one (it replaces Xen's default, hooks and functions alike). */
static int act_one(struct lp_entry *e, bool apply)
{
	lp_actioncall_t *hook =
		apply ? e->p->hooks.apply.action : e->p->hooks.revert.action;

	if (!hook) {
		if (apply)
			default_apply(e->p);
		else
			default_revert(e->p);
		return 0;
	}
	return check_consistent(e, apply, hook(e->p));
}

/* Inside the rendezvous, with the other pCPUs parked: Orchid logs here
 * only when an action hook misbehaved (a line counts in the hold time);
 * the payload's hooks may log (the console lock is free: no parked pCPU
 * holds a lock). */
static void lp_do_work(void *ctx)
{
	struct lp_work *w = ctx;

	w->rc = 0;
	for (unsigned int i = 0; i < w->nr_revert; i++) {
		w->revert[i]->rc = act_one(w->revert[i], false);
		if (w->revert[i]->rc) {
			/* Xen: replace stops at the first failed revert. */
			w->rc = w->apply ? -EINVAL : w->revert[i]->rc;
			return;
		}
		w->reverted++;
	}
	if (w->apply)
		w->rc = act_one(w->apply, true);
}

/* Writable aliases of every page the work patches, made beforehand. */
static int prepare_work(const struct lp_work *w)
{
	int rc = 0;

	for (unsigned int i = 0; !rc && i < w->nr_revert; i++)
		for (unsigned int j = 0; !rc && j < w->revert[i]->p->npatch;
		     j++)
			rc = arch_livepatch_prepare(&w->revert[i]->p->patch[j]);
	for (unsigned int j = 0; !rc && w->apply && j < w->apply->p->npatch;
	     j++)
		rc = arch_livepatch_prepare(&w->apply->p->patch[j]);
	return rc;
}

/* Each pCPU's hold, for the benchmark (bench/livepatch.py reads these
 * lines with loglvl=all): debug level, so a production console does not
 * get one line per pCPU per action. The caller is the pCPU running this
 * sysctl; the others were parked. */
static void log_hold(const struct lp_entry *e, const char *what,
		     const struct lp_hold *h)
{
	unsigned int self = arch_cpu_id();

	pr_info(LP "%s: %s: pCPUs held %lu ns (%u pCPUs), patching %lu ns\n",
		e->name, what, (unsigned long)h->held_ns, h->cpus,
		(unsigned long)h->window_ns);
	for (unsigned int cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		if (h->cpu_ns[cpu])
			pr_debug(LP "%s: %s: pCPU%u held %lu ns (%s)\n",
				 e->name, what, cpu,
				 (unsigned long)h->cpu_ns[cpu],
				 cpu == self ? "caller" : "parked");
}

/* The rendezvous for @w; -EBUSY or -ENOMEM when it did not happen, else
 * 0 with w->rc the action's own outcome. */
static int run_work(struct lp_work *w, const struct lp_entry *e,
		    const char *what, uint32_t timeout)
{
	struct lp_hold h = {0};
	int rc = prepare_work(w);

	if (!rc)
		rc = arch_livepatch_quiesce(
			lp_do_work, w,
			timeout ? timeout : LP_DEFAULT_TIMEOUT_NS, &h);
	arch_livepatch_release();
	if (rc == -ENOMEM)
		pr_err(LP "%s: too many pages to patch at once\n", e->name);
	else if (rc)
		pr_err(LP "%s: pCPUs did not gather in time\n", e->name);
	else
		log_hold(e, what, &h);
	return rc;
}

/* Xen runs the post hook once the rendezvous happened, whatever its rc. */
static void post_hook(struct lp_entry *e, lp_postcall_t *hook, const char *what)
{
	if (!hook)
		return;
	pr_info(LP "%s: calling post-%s hook function with rc=%d\n", e->name,
		what, e->rc);
	hook(e->p);
}

/* Xen's pre hook: may veto the action (its rc is the call's and the
 * payload's). */
static int pre_hook(struct lp_entry *e, lp_actioncall_t *hook, const char *what)
{
	int rc;

	if (!hook)
		return 0;
	pr_info(LP "%s: calling pre-%s hook function\n", e->name, what);
	rc = hook(e->p);
	if (rc) {
		pr_err(LP "%s: pre-%s hook failed (rc=%d), aborting\n", e->name,
		       what, rc);
		e->rc = rc;
	}
	return rc;
}

/* .livepatch.depends: the hypervisor, or the newest applied payload. */
static int check_depends(const struct lp_entry *e, bool on_hypervisor)
{
	const struct lp_build_id *dep = &e->p->dep;
	const uint8_t *id;
	uint32_t len;

	if (on_hypervisor) {
		if (!xen_build_id(&id, &len))
			return -EINVAL;
	} else {
		id = applied[nr_applied - 1]->p->id.id;
		len = applied[nr_applied - 1]->p->id.len;
	}
	if (dep->len != len || memcmp(dep->id, id, len)) {
		pr_err(LP "%s: check against %s build-id failed\n", e->name,
		       on_hypervisor ? "hypervisor" : "payload");
		return -EINVAL;
	}
	return 0;
}

static int lp_apply(struct lp_entry *e,
		    const struct xen_sysctl_livepatch_action *a)
{
	struct lp_work w = {.apply = e};
	int rc = 0;

	if (!(a->flags & LIVEPATCH_ACTION_APPLY_NODEPS))
		rc = check_depends(e, nr_applied == 0);
	if (rc) {
		e->rc = rc;
		return rc;
	}
	rc = pre_hook(e, e->p->hooks.apply.pre, "apply");
	if (rc)
		return rc;
	rc = run_work(&w, e, "apply", a->timeout);
	e->rc = rc ? rc : w.rc;
	if (!e->rc) {
		e->state = LIVEPATCH_STATE_APPLIED;
		applied[nr_applied++] = e;
	}
	if (!rc)
		post_hook(e, e->p->hooks.apply.post, "apply");
	return rc == -EBUSY ? 0 : rc;
}

static int lp_revert(struct lp_entry *e, uint32_t timeout)
{
	struct lp_work w = {.nr_revert = 1, .revert = {e}};
	int rc;

	if (applied[nr_applied - 1] != e) {
		pr_err(LP "%s: can't revert, top is %s\n", e->name,
		       applied[nr_applied - 1]->name);
		return -EBUSY;
	}
	rc = pre_hook(e, e->p->hooks.revert.pre, "revert");
	if (rc)
		return rc;
	rc = run_work(&w, e, "revert", timeout);
	e->rc = rc ? rc : w.rc;
	if (!e->rc) {
		e->state = LIVEPATCH_STATE_CHECKED;
		nr_applied--;
	}
	if (!rc)
		post_hook(e, e->p->hooks.revert.post, "revert");
	return 0;
}

/* Pre and post hooks usually come in pairs that undo each other; Xen
 * refuses to replace a payload having them, or to replace over one. */
static bool vetoing_hooks(const struct lp_payload *p)
{
	return p->hooks.apply.pre || p->hooks.apply.post ||
	       p->hooks.revert.pre || p->hooks.revert.post;
}

static int lp_replace(struct lp_entry *e, uint32_t timeout)
{
	struct lp_work w = {.apply = e};
	bool veto = vetoing_hooks(e->p);
	int rc = check_depends(e, true);

	if (rc)
		return rc;
	for (unsigned int i = 0; i < nr_applied; i++)
		veto |= vetoing_hooks(applied[i]->p);
	if (veto) {
		pr_err(LP "%s: replace is not supported with vetoing hooks\n",
		       e->name);
		return -EOPNOTSUPP;
	}
	for (unsigned int i = nr_applied; i-- > 0;)
		w.revert[w.nr_revert++] = applied[i];
	rc = run_work(&w, e, "replace", timeout);
	e->rc = rc ? rc : w.rc;
	if (rc)
		return 0;
	/* The newest w.reverted payloads are reverted, even on failure. */
	for (unsigned int i = 0; i < w.reverted; i++)
		applied[--nr_applied]->state = LIVEPATCH_STATE_CHECKED;
	if (!w.rc) {
		applied[nr_applied++] = e;
		e->state = LIVEPATCH_STATE_APPLIED;
	}
	return 0;
}

static void lp_unload(struct lp_entry *e)
{
	unsigned int i = 0;

	while (entries[i] != e)
		i++;
	pr_info(LP "%s: unloaded\n", e->name);
	lp_payload_free(e->p);
	xfree(e->p);
	xfree(e);
	memmove(&entries[i], &entries[i + 1],
		(nr_entries - i - 1) * sizeof(entries[0]));
	nr_entries--;
	list_version++;
}

static long lp_action(const struct xen_sysctl_livepatch_action *a)
{
	char name[XEN_LIVEPATCH_NAME_SIZE];
	struct lp_entry *e;
	int rc;

	if (a->pad)
		return -EINVAL;
	rc = get_name(&a->name, name);
	if (rc)
		return rc;
	e = find(name);
	if (!e)
		return -ENOENT;
	/* As Xen: an action in the wrong state does nothing, or -EINVAL. */
	switch (a->cmd) {
	case LIVEPATCH_ACTION_UNLOAD:
		if (e->state != LIVEPATCH_STATE_CHECKED)
			return -EINVAL;
		lp_unload(e);
		return 0;
	case LIVEPATCH_ACTION_REVERT:
		return e->state == LIVEPATCH_STATE_APPLIED
			       ? lp_revert(e, a->timeout)
			       : 0;
	case LIVEPATCH_ACTION_APPLY:
		return e->state == LIVEPATCH_STATE_CHECKED ? lp_apply(e, a) : 0;
	case LIVEPATCH_ACTION_REPLACE:
		return e->state == LIVEPATCH_STATE_CHECKED
			       ? lp_replace(e, a->timeout)
			       : 0;
	default: return -EOPNOTSUPP;
	}
}

long livepatch_op(struct xen_sysctl_livepatch_op *op)
{
	if (op->pad)
		return -EINVAL;
	switch (op->cmd) {
	case XEN_SYSCTL_LIVEPATCH_UPLOAD: return lp_upload(&op->u.upload);
	case XEN_SYSCTL_LIVEPATCH_GET: return lp_get(&op->u.get);
	case XEN_SYSCTL_LIVEPATCH_LIST: return lp_list(&op->u.list);
	case XEN_SYSCTL_LIVEPATCH_ACTION: return lp_action(&op->u.action);
	default: return -EOPNOTSUPP;
	}
}
