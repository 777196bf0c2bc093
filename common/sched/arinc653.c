// SPDX-License-Identifier: MIT
/*
 * ARINC 653, as Xen 4.17 defines it for its users:
 *
 *  - a pool runs a fixed major frame, repeated forever: a list of minor
 *    frames, each giving one vCPU (named by its domain's UUID and its vCPU
 *    ID) a fixed run time; after the last one the pCPU idles until the
 *    major frame ends. A vCPU that is not runnable in its minor frame
 *    leaves it idle: time is never given to another vCPU;
 *  - the toolstack installs a schedule with XEN_SYSCTL_SCHEDOP_putinfo
 *    (struct xen_sysctl_arinc653_schedule); it takes effect at once, a new
 *    major frame starting at the next decision;
 *  - until then, Pool-0 booted with sched=arinc653 runs each of Dom0's
 *    vCPUs for 10 ms in turn (Xen's default schedule); a pool created
 *    later runs nothing until it gets a schedule;
 *  - a vCPU never moves to run its frame: on another pCPU, it waits.
 */
#include <orchid/errno.h>
#include <orchid/guest_access.h>
#include <orchid/sched.h>
#include <orchid/smp.h>
#include <orchid/string.h>
#include <public/sysctl.h>

#include "sched_priv.h"

#define DEFAULT_RUNTIME_NS 10000000ULL /* Xen's DEFAULT_TIMESLICE */

/* A free pCPU (no pool) has no schedule: it runs nothing. */
static struct a653_sched *a653_of(struct sched_cpu *sc)
{
	return sc->cp ? &sc->cp->a653 : NULL;
}

/* Does minor frame @e name @v? */
static bool a653_names(const struct a653_entry *e, const struct vcpu *v)
{
	return e->vcpu_id == v->vcpu_id &&
	       memcmp(e->handle, v->domain->handle, sizeof(e->handle)) == 0;
}

/* Xen's alloc_udata: Dom0's vCPUs join the default schedule, 10 ms each. */
static void a653_default_add(struct a653_sched *s, const struct vcpu *v)
{
	struct a653_entry *e;

	if (s->set || v->domain->domain_id != 0 ||
	    s->nr >= ARINC653_MAX_DOMAINS_PER_SCHEDULE)
		return;
	for (unsigned int i = 0; i < s->nr; i++)
		if (a653_names(&s->entries[i], v))
			return;
	e = &s->entries[s->nr++];
	memcpy(e->handle, v->domain->handle, sizeof(e->handle));
	e->vcpu_id = v->vcpu_id;
	e->runtime = DEFAULT_RUNTIME_NS;
	s->major_frame += DEFAULT_RUNTIME_NS;
}

static void a653_insert(struct sched_cpu *sc, struct vcpu *v, uint64_t now)
{
	struct a653_sched *s = a653_of(sc);

	(void)now;
	if (s) {
		spin_lock(&s->lock);
		a653_default_add(s, v);
		spin_unlock(&s->lock);
	}
	sched_runq_add(sc, v);
}

static void a653_remove(struct sched_cpu *sc, struct vcpu *v)
{
	if (!list_empty(&v->runq_node))
		sched_runq_del(sc, v);
}

/*
 * The minor frame running at @now (NULL: the idle tail, or no schedule)
 * and when it ends; a major frame that is over starts again from @now.
 */
static const struct a653_entry *a653_current(struct a653_sched *s, uint64_t now,
					     uint64_t *end)
{
	uint64_t at;

	*end = 0;
	if (!s->nr)
		return NULL;
	if (!s->frame_start || now >= s->frame_start + s->major_frame)
		s->frame_start = now;
	at = s->frame_start;
	for (unsigned int i = 0; i < s->nr; i++) {
		at += s->entries[i].runtime;
		if (now < at) {
			*end = at;
			return &s->entries[i];
		}
	}
	*end = s->frame_start + s->major_frame;
	return NULL;
}

/* @prev (if runnable) or a queued vCPU of this pCPU named by @e. */
static struct vcpu *a653_find(struct sched_cpu *sc, struct vcpu *prev,
			      bool prev_runnable, const struct a653_entry *e)
{
	struct vcpu *v;

	if (!e)
		return NULL;
	if (prev_runnable && a653_names(e, prev))
		return prev;
	list_for_each_entry(v, &sc->runq, runq_node)
	{
		if (a653_names(e, v))
			return v;
	}
	return NULL;
}

static struct vcpu *a653_pick(struct sched_cpu *sc, struct vcpu *prev,
			      uint64_t now, uint64_t *deadline)
{
	bool prev_runnable =
		prev && !prev->is_idle && sched_vcpu_runnable(prev);
	struct a653_sched *s = a653_of(sc);
	const struct a653_entry *e;
	struct vcpu *next;

	*deadline = 0;
	next = NULL;
	if (s) {
		spin_lock(&s->lock);
		e = a653_current(s, now, deadline);
		next = a653_find(sc, prev, prev_runnable, e);
		spin_unlock(&s->lock);
	}
	if (next && next != prev)
		sched_runq_del(sc, next);
	if (prev_runnable && next != prev)
		sched_runq_add(sc, prev);
	return next;
}

/* ---- XEN_SYSCTL_SCHEDOP_{put,get}info --------------------------------- */

/* Both under cpupool_lock: one buffer (2 KiB) for every pool. */
static struct xen_sysctl_arinc653_schedule a653_buf;

/* Xen's arinc653_sched_set checks, -EINVAL when any fails. */
static bool a653_schedule_ok(const struct xen_sysctl_arinc653_schedule *p)
{
	uint64_t total = 0;

	if ((int64_t)p->major_frame <= 0 || p->num_sched_entries < 1 ||
	    p->num_sched_entries > ARINC653_MAX_DOMAINS_PER_SCHEDULE)
		return false;
	for (unsigned int i = 0; i < p->num_sched_entries; i++) {
		if ((int64_t)p->sched_entries[i].runtime <= 0)
			return false;
		total += p->sched_entries[i].runtime;
		/* Xen sums in s_time_t: a sum past INT64_MAX is too long. */
		if ((int64_t)total <= 0)
			return false;
	}
	return total <= p->major_frame;
}

static long a653_put(struct cpupool *c, uint64_t at)
{
	struct a653_sched *s = &c->a653;
	unsigned long flags;

	if (copy_from_guest(&a653_buf, at, sizeof(a653_buf)))
		return -EFAULT;
	if (!a653_schedule_ok(&a653_buf))
		return -EINVAL;
	flags = spin_lock_irqsave(&s->lock);
	s->nr = a653_buf.num_sched_entries;
	s->major_frame = a653_buf.major_frame;
	for (unsigned int i = 0; i < s->nr; i++) {
		memcpy(s->entries[i].handle,
		       a653_buf.sched_entries[i].dom_handle,
		       sizeof(s->entries[i].handle));
		s->entries[i].vcpu_id = a653_buf.sched_entries[i].vcpu_id;
		s->entries[i].runtime = a653_buf.sched_entries[i].runtime;
	}
	s->set = true;
	s->frame_start = 0; /* at once: a new major frame next decision */
	spin_unlock_irqrestore(&s->lock, flags);
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		if (sched_cpus[cpu].cp == c)
			sched_raise(cpu);
	return 0;
}

/* Unused entries read back as Xen's: all ones. */
static long a653_get(struct cpupool *c, uint64_t at)
{
	struct a653_sched *s = &c->a653;
	unsigned long flags;

	memset(&a653_buf, 0xff, sizeof(a653_buf));
	flags = spin_lock_irqsave(&s->lock);
	a653_buf.num_sched_entries = (uint8_t)s->nr;
	a653_buf.major_frame = s->major_frame;
	for (unsigned int i = 0; i < s->nr; i++) {
		memcpy(a653_buf.sched_entries[i].dom_handle,
		       s->entries[i].handle, sizeof(s->entries[i].handle));
		a653_buf.sched_entries[i].vcpu_id = s->entries[i].vcpu_id;
		a653_buf.sched_entries[i].runtime = s->entries[i].runtime;
	}
	spin_unlock_irqrestore(&s->lock, flags);
	return copy_to_guest(at, &a653_buf, sizeof(a653_buf)) ? -EFAULT : 0;
}

static long a653_sys_cntl(struct cpupool *c, struct xen_sysctl_scheduler_op *op)
{
	switch (op->cmd) {
	case XEN_SYSCTL_SCHEDOP_putinfo:
		return a653_put(c, op->u.sched_arinc653.p);
	case XEN_SYSCTL_SCHEDOP_getinfo:
		return a653_get(c, op->u.sched_arinc653.p);
	default: return -EINVAL;
	}
}

/* No per-domain parameters: XEN_DOMCTL_scheduler_op answers 0, as Xen. */
const struct scheduler sched_arinc653 = {
	.name = "arinc653",
	.long_name = "ARINC 653 Scheduler",
	.sched_id = XEN_SCHEDULER_ARINC653,
	.insert = a653_insert,
	.remove = a653_remove,
	.pick = a653_pick,
	.sys_cntl = a653_sys_cntl,
};
