/* SPDX-License-Identifier: MIT */
/*
 * Event channels with Xen's 2-level ABI: the per-domain port table, the
 * event_channel_op hypercall and delivery through the pending and mask
 * bitmaps of shared_info and each vCPU's selector word in vcpu_info.
 *
 * Meaning, checks and error numbers follow Xen 4.17
 * (xen/common/event_channel.c, event_2l.c); the code is Orchid's.
 *
 * Locking: one spinlock per domain guards its port table, every port's
 * state and its VIRQ bindings. The two ends of an interdomain channel
 * change together under both domains' locks, taken lower domain ID first,
 * so holding one end's lock keeps the other end in place: a send needs
 * only the sender's lock. Delivery touches guest-shared words only with
 * atomic operations. The locks are taken with interrupts masked, because
 * VIRQs are raised from interrupt handlers. Lock order: event channels,
 * then whatever arch_vcpu_mark_events_pending takes.
 */
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/event.h>
#include <orchid/guest_access.h>
#include <orchid/hypercall.h>
#include <orchid/mm.h>
#include <orchid/keyhandler.h>
#include <orchid/panic.h>
#include <orchid/printk.h>
#include <orchid/sched.h>
#include <orchid/spinlock.h>
#include <orchid/string.h>
#include <orchid/xsm.h>
#include <public/event_channel.h>

enum {
	XEN_ULONG_BITS = sizeof(xen_ulong_t) * 8,
	EVTCHNS_PER_BUCKET = 64,
	EVTCHN_NR_BUCKETS = EVTCHN_2L_NR_CHANNELS / EVTCHNS_PER_BUCKET,
};

enum evtchn_state {
	ECS_FREE,
	ECS_RESERVED, /* port 0: never handed out, as in Xen */
	ECS_UNBOUND,
	ECS_INTERDOMAIN,
	ECS_VIRQ,
	ECS_IPI,
};

struct evtchn {
	evtchn_port_t port;
	enum evtchn_state state;
	/* vCPU told about events; senders of the peer domain read it unlocked. */
	unsigned int notify_vcpu;
	/*
	 * Non-NULL: Orchid's own end (Xen's xen_consumer), e.g. the vpl011
	 * ring's: events sent to it call this instead of reaching the guest,
	 * and the guest may not close, send on, move or query it.
	 */
	evtchn_xen_fn xen_fn;
	union {
		domid_t unbound_remote; /* ECS_UNBOUND: who may bind */
		struct {
			struct domain *dom;
			evtchn_port_t port;
		} interdomain;	   /* ECS_INTERDOMAIN: the peer */
		unsigned int virq; /* ECS_VIRQ */
	} u;
};

struct evtchn_domain {
	spinlock_t lock;
	unsigned int nr_ports;	  /* ports usable: max_port + 1, at most 4096 */
	unsigned int valid_ports; /* ports in allocated buckets */
	unsigned int nr_vcpus;
	/* A reset under way (Xen's next_evtchn): its next port; 0: none. */
	evtchn_port_t next_reset;
	struct evtchn *bucket[EVTCHN_NR_BUCKETS];
	evtchn_port_t virq_port[][NR_VIRQS]; /* per vCPU; 0: not bound */
};

/* Proof that the caller holds @d's event-channel lock. */
struct evtchn_locked {
	struct domain *d;
	struct evtchn_domain *ed;
	unsigned long irq_flags;
};

static struct evtchn_locked evtchn_lock(struct domain *d)
{
	struct evtchn_domain *ed = d->evtchn;
	unsigned long flags = spin_lock_irqsave(&ed->lock);

	return (struct evtchn_locked){.d = d, .ed = ed, .irq_flags = flags};
}

static void evtchn_unlock(struct evtchn_locked l)
{
	spin_unlock_irqrestore(&l.ed->lock, l.irq_flags);
}

/*
 * With @l held, take @rd's lock too. Deadlock is avoided by taking the
 * lower domain ID first, so when @rd ranks lower only a trylock is safe:
 * on false the caller drops @l and starts over.
 */
static bool evtchn_lock_remote(struct evtchn_locked l, struct domain *rd,
			       struct evtchn_locked *r)
{
	unsigned long flags;

	if (l.d->domain_id < rd->domain_id) {
		*r = evtchn_lock(rd);
		return true;
	}
	flags = arch_irq_save();
	if (!spin_trylock(&rd->evtchn->lock)) {
		arch_irq_restore(flags);
		return false;
	}
	*r = (struct evtchn_locked){
		.d = rd, .ed = rd->evtchn, .irq_flags = flags};
	return true;
}

/* ---- shared-memory bit operations ------------------------------------- */

/*
 * The guest updates these words concurrently, so every change is one
 * atomic read-modify-write, ordered as Xen's guest_test_and_set_bit.
 */
static bool evtchn_bit_test_and_set(xen_ulong_t *words, unsigned int nr)
{
	xen_ulong_t mask = (xen_ulong_t)1 << (nr % XEN_ULONG_BITS);
	xen_ulong_t *w = &words[nr / XEN_ULONG_BITS];

	return __atomic_fetch_or(w, mask, __ATOMIC_SEQ_CST) & mask;
}

static bool evtchn_bit_test_and_clear(xen_ulong_t *words, unsigned int nr)
{
	xen_ulong_t mask = (xen_ulong_t)1 << (nr % XEN_ULONG_BITS);
	xen_ulong_t *w = &words[nr / XEN_ULONG_BITS];

	return __atomic_fetch_and(w, ~mask, __ATOMIC_SEQ_CST) & mask;
}

static bool evtchn_bit_test(xen_ulong_t *words, unsigned int nr)
{
	xen_ulong_t mask = (xen_ulong_t)1 << (nr % XEN_ULONG_BITS);
	xen_ulong_t *w = &words[nr / XEN_ULONG_BITS];

	return __atomic_load_n(w, __ATOMIC_SEQ_CST) & mask;
}

/* ---- 2-level delivery ---------------------------------------------------- */

/*
 * Raise selector bit @word of @v, then its upcall flag; only the first
 * raiser of the flag asks the architecture for the interrupt, so a guest
 * that has not yet acknowledged gets no duplicate upcalls.
 */
static void evtchn_2l_raise(struct vcpu *v, unsigned int word)
{
	struct vcpu_info *vi = __atomic_load_n(&v->vcpu_info, __ATOMIC_ACQUIRE);

	/* Not registered yet: registration marks every selector pending. */
	if (!vi)
		return;
	if (evtchn_bit_test_and_set(&vi->evtchn_pending_sel, word))
		return;
	if (__atomic_exchange_n(&vi->evtchn_upcall_pending, 1,
				__ATOMIC_SEQ_CST))
		return;
	arch_vcpu_mark_events_pending(v);
}

/* Xen's evtchn_2l_set_pending: port bit, then selector, then upcall. */
static void evtchn_2l_set_pending(struct domain *d, struct vcpu *v,
				  evtchn_port_t port)
{
	struct shared_info *s = d->shared_info;

	if (!s || evtchn_bit_test_and_set(s->evtchn_pending, port))
		return;
	if (v && !evtchn_bit_test(s->evtchn_mask, port))
		evtchn_2l_raise(v, port / XEN_ULONG_BITS);
	/*
	 * Pollers wait on masked ports too (Linux's spinlock kicker). The
	 * call only when one polls (sched_poll_notify's own first test): ~10
	 * instructions of bench-micro's evtchn-send-upcall row otherwise.
	 */
	if (__atomic_load_n(&d->nr_polling, __ATOMIC_SEQ_CST))
		sched_poll_notify(d, port);
}

static void evtchn_2l_clear_pending(struct domain *d, evtchn_port_t port)
{
	if (d->shared_info)
		evtchn_bit_test_and_clear(d->shared_info->evtchn_pending, port);
}

/* Unmasking a port that is pending re-raises it, as Xen's 2l_unmask. */
static void evtchn_2l_unmask(struct domain *d, struct vcpu *v,
			     evtchn_port_t port)
{
	struct shared_info *s = d->shared_info;

	if (!s || !evtchn_bit_test_and_clear(s->evtchn_mask, port))
		return;
	if (v && evtchn_bit_test(s->evtchn_pending, port))
		evtchn_2l_raise(v, port / XEN_ULONG_BITS);
}

static unsigned int evtchn_notify_vcpu(const struct evtchn *chn)
{
	return __atomic_load_n(&chn->notify_vcpu, __ATOMIC_RELAXED);
}

static void evtchn_set_notify_vcpu(struct evtchn *chn, unsigned int vcpu)
{
	__atomic_store_n(&chn->notify_vcpu, vcpu, __ATOMIC_RELAXED);
}

/* Signal @chn of @d on the vCPU it notifies. */
static void evtchn_notify(struct domain *d, const struct evtchn *chn)
{
	evtchn_2l_set_pending(d, domain_vcpu(d, evtchn_notify_vcpu(chn)),
			      chn->port);
}

/*
 * Deliver an event to @chn of @d: to Orchid's handler when the end is
 * Orchid's, else to the guest. The handler runs under the sender's lock,
 * which keeps the channel (so @d, whose teardown closes it under that
 * lock) in place; it must take no event-channel lock itself.
 */
static void evtchn_deliver(struct domain *d, const struct evtchn *chn)
{
	if (chn->xen_fn)
		chn->xen_fn(d, chn->port);
	else
		evtchn_notify(d, chn);
}

/* ---- the port table -------------------------------------------------- */

/* Xen's evtchn_usable: a port a guest may signal, mask or poll. */
static bool evtchn_usable(const struct evtchn *chn)
{
	return chn->state > ECS_RESERVED;
}

static struct evtchn *evtchn_at(const struct evtchn_domain *ed,
				evtchn_port_t port)
{
	return &ed->bucket[port / EVTCHNS_PER_BUCKET]
			  [port % EVTCHNS_PER_BUCKET];
}

/* Ports are valid once their bucket exists, as Xen's port_is_valid. */
static struct evtchn *evtchn_from_port(struct evtchn_locked l,
				       evtchn_port_t port)
{
	return port < l.ed->valid_ports ? evtchn_at(l.ed, port) : NULL;
}

/*
 * The other end of interdomain @chn. Safe with only @chn's domain locked:
 * both ends change under both locks, and buckets are never freed while a
 * port in them is bound.
 */
static struct evtchn *evtchn_peer(const struct evtchn *chn)
{
	return evtchn_at(chn->u.interdomain.dom->evtchn,
			 chn->u.interdomain.port);
}

static int evtchn_bucket_alloc(struct evtchn_locked l)
{
	unsigned int first = l.ed->valid_ports;
	struct evtchn *b;
	unsigned int i;

	if (first >= l.ed->nr_ports)
		return -ENOSPC;
	b = xzalloc(sizeof(*b) * EVTCHNS_PER_BUCKET);
	if (!b)
		return -ENOMEM;
	for (i = 0; i < EVTCHNS_PER_BUCKET; i++)
		b[i].port = first + i;
	l.ed->bucket[first / EVTCHNS_PER_BUCKET] = b;
	l.ed->valid_ports = first + EVTCHNS_PER_BUCKET;
	return 0;
}

/* The lowest free port, growing the table a bucket at a time. */
static int evtchn_get_free_port(struct evtchn_locked l, struct evtchn **out)
{
	evtchn_port_t port;
	int rc;

	if (l.d->is_dying)
		return -EINVAL;
	for (port = 1; port < l.ed->nr_ports; port++) {
		struct evtchn *chn;

		if (port >= l.ed->valid_ports) {
			rc = evtchn_bucket_alloc(l);
			if (rc)
				return rc;
		}
		chn = evtchn_from_port(l, port);
		if (chn->state == ECS_FREE) {
			*out = chn;
			return 0;
		}
	}
	return -ENOSPC;
}

/* Back to free, dropping a pending event so a re-bind starts clean. */
static void evtchn_free(struct evtchn_locked l, struct evtchn *chn)
{
	evtchn_2l_clear_pending(l.d, chn->port);
	chn->state = ECS_FREE;
	chn->xen_fn = NULL;
	evtchn_set_notify_vcpu(chn, 0);
	memset(&chn->u, 0, sizeof(chn->u));
}

/* ---- VIRQs ----------------------------------------------------------- */

/* Per-vCPU VIRQs; every other one (Arm's VIRQ_ARCH_* too) is global. */
static bool evtchn_virq_is_global(unsigned int virq)
{
	switch (virq) {
	case VIRQ_TIMER:
	case VIRQ_DEBUG:
	case VIRQ_XENOPROF:
	case VIRQ_XENPMU: return false;
	default: return true;
	}
}

/* Global VIRQs are bound in vCPU 0's row whatever vCPU they notify. */
static evtchn_port_t *evtchn_virq_slot(struct evtchn_locked l,
				       unsigned int vcpu, unsigned int virq)
{
	if (evtchn_virq_is_global(virq))
		vcpu = 0;
	return &l.ed->virq_port[vcpu][virq];
}

void evtchn_send_virq(struct vcpu *v, unsigned int virq)
{
	struct domain *d = v->domain;
	struct evtchn_locked l;
	evtchn_port_t port;

	if (!d->evtchn || virq >= NR_VIRQS || evtchn_virq_is_global(virq) ||
	    v->vcpu_id >= d->evtchn->nr_vcpus)
		return;
	l = evtchn_lock(d);
	port = *evtchn_virq_slot(l, v->vcpu_id, virq);
	if (port)
		evtchn_2l_set_pending(d, v, port);
	evtchn_unlock(l);
}

void evtchn_send_global_virq(struct domain *d, unsigned int virq)
{
	struct evtchn_locked l;
	evtchn_port_t port;

	if (!d || !d->evtchn || virq >= NR_VIRQS ||
	    !evtchn_virq_is_global(virq))
		return;
	l = evtchn_lock(d);
	port = *evtchn_virq_slot(l, 0, virq);
	if (port)
		evtchn_notify(d, evtchn_from_port(l, port));
	evtchn_unlock(l);
}

/* ---- domains ----------------------------------------------------------- */

/* Xen's XSM_TARGET default: a domain acts on itself, Dom0 on anyone. */
static bool evtchn_may_act_on(const struct domain *cur, const struct domain *d)
{
	return cur == d || cur->is_privileged;
}

/* A domain named in an argument; NULL if it has no event channels. */
static struct domain *evtchn_domain_by_id(domid_t domid)
{
	struct domain *d;

	if (domid == DOMID_SELF)
		d = current_domain();
	else
		d = domain_lookup(domid);
	return d && d->evtchn ? d : NULL;
}

/* ---- operations -------------------------------------------------------- */

static int evtchn_alloc_unbound(struct domain *cur,
				struct evtchn_alloc_unbound *op)
{
	struct domain *d = evtchn_domain_by_id(op->dom);
	struct evtchn_locked l;
	struct evtchn *chn;
	int rc;

	if (!d)
		return -ESRCH;
	l = evtchn_lock(d);
	rc = evtchn_get_free_port(l, &chn);
	/* Xen asks the policy (XSM_TARGET, silo) once a port is found. */
	if (!rc)
		rc = xsm_evtchn_unbound(d, op->remote_dom);
	if (!rc) {
		chn->state = ECS_UNBOUND;
		/* DOMID_SELF names the caller, not @d (Xen does the same). */
		chn->u.unbound_remote = op->remote_dom == DOMID_SELF
						? cur->domain_id
						: op->remote_dom;
		op->port = chn->port;
	}
	evtchn_unlock(l);
	return rc;
}

/*
 * Xen's alloc_xenstore_evtchn, for a boot-time DomU: a port of @d left
 * unbound for @remote (Dom0, whose xenstored binds it once
 * init-dom0less introduces @d). Orchid's own act: no policy to ask.
 */
int evtchn_alloc_unbound_boot(struct domain *d, domid_t remote,
			      evtchn_port_t *port)
{
	struct evtchn_locked l = evtchn_lock(d);
	struct evtchn *chn;
	int rc = evtchn_get_free_port(l, &chn);

	if (!rc) {
		chn->state = ECS_UNBOUND;
		chn->u.unbound_remote = remote;
		*port = chn->port;
	}
	evtchn_unlock(l);
	return rc;
}

/* Join @lchn of @l and unbound @rchn of @r into one channel. */
static void evtchn_connect(struct evtchn_locked l, struct evtchn *lchn,
			   struct evtchn_locked r, struct evtchn *rchn)
{
	lchn->u.interdomain.dom = r.d;
	lchn->u.interdomain.port = rchn->port;
	lchn->state = ECS_INTERDOMAIN;
	rchn->u.interdomain.dom = l.d;
	rchn->u.interdomain.port = lchn->port;
	rchn->state = ECS_INTERDOMAIN;
	/* Events sent while the remote end was unbound were dropped. */
	evtchn_notify(l.d, lchn);
}

static int evtchn_bind_interdomain_locked(struct evtchn_locked l,
					  struct evtchn_locked r,
					  struct evtchn_bind_interdomain *op)
{
	struct evtchn *lchn, *rchn;
	int rc;

	rc = evtchn_get_free_port(l, &lchn);
	if (rc)
		return rc;
	rchn = evtchn_from_port(r, op->remote_port);
	if (!rchn || rchn->state != ECS_UNBOUND ||
	    rchn->u.unbound_remote != l.d->domain_id)
		return -EINVAL;
	rc = xsm_evtchn_interdomain(l.d, r.d);
	if (rc)
		return rc;
	evtchn_connect(l, lchn, r, rchn);
	op->local_port = lchn->port;
	return 0;
}

/* Binding to one's own unbound port is allowed: the loopback channel. */
static int evtchn_bind_interdomain(struct domain *ld,
				   struct evtchn_bind_interdomain *op)
{
	struct domain *rd = evtchn_domain_by_id(op->remote_dom);
	struct evtchn_locked l, r;
	int rc;

	if (!rd)
		return -ESRCH;
	if (rd == ld) {
		l = evtchn_lock(ld);
		rc = evtchn_bind_interdomain_locked(l, l, op);
		evtchn_unlock(l);
		return rc;
	}
	for (;;) {
		l = evtchn_lock(ld);
		if (evtchn_lock_remote(l, rd, &r))
			break;
		evtchn_unlock(l);
		arch_cpu_relax();
	}
	rc = evtchn_bind_interdomain_locked(l, r, op);
	evtchn_unlock(r);
	evtchn_unlock(l);
	return rc;
}

static int evtchn_bind_virq(struct domain *d, struct evtchn_bind_virq *op)
{
	struct evtchn_locked l;
	struct evtchn *chn;
	evtchn_port_t *slot;
	int rc;

	if (op->virq >= NR_VIRQS)
		return -EINVAL;
	if (evtchn_virq_is_global(op->virq) && op->vcpu != 0)
		return -EINVAL;
	if (!domain_vcpu(d, op->vcpu) || op->vcpu >= d->evtchn->nr_vcpus)
		return -ENOENT;
	l = evtchn_lock(d);
	slot = evtchn_virq_slot(l, op->vcpu, op->virq);
	rc = *slot ? -EEXIST : evtchn_get_free_port(l, &chn);
	if (!rc) {
		chn->state = ECS_VIRQ;
		chn->u.virq = op->virq;
		evtchn_set_notify_vcpu(chn, op->vcpu);
		*slot = chn->port;
		op->port = chn->port;
	}
	evtchn_unlock(l);
	return rc;
}

static int evtchn_bind_ipi(struct domain *d, struct evtchn_bind_ipi *op)
{
	struct evtchn_locked l;
	struct evtchn *chn;
	int rc;

	if (!domain_vcpu(d, op->vcpu))
		return -ENOENT;
	l = evtchn_lock(d);
	rc = evtchn_get_free_port(l, &chn);
	if (!rc) {
		chn->state = ECS_IPI;
		evtchn_set_notify_vcpu(chn, op->vcpu);
		op->port = chn->port;
	}
	evtchn_unlock(l);
	return rc;
}

/* Free @chn; its peer of @r goes back to unbound, offered to us again. */
static void evtchn_close_interdomain(struct evtchn_locked l, struct evtchn *chn,
				     struct evtchn_locked r)
{
	struct evtchn *peer = evtchn_from_port(r, chn->u.interdomain.port);

	/* Both ends only ever change together: anything else is our bug. */
	BUG_ON(!peer || peer->state != ECS_INTERDOMAIN ||
	       peer->u.interdomain.dom != l.d);
	evtchn_free(l, chn);
	peer->state = ECS_UNBOUND;
	peer->u.unbound_remote = l.d->domain_id;
}

/* Close a port that is not interdomain (or whose peer is @l's own). */
static int evtchn_close_locked(struct evtchn_locked l, struct evtchn *chn)
{
	switch (chn->state) {
	case ECS_UNBOUND:
	case ECS_IPI: evtchn_free(l, chn); return 0;
	case ECS_VIRQ:
		*evtchn_virq_slot(l, evtchn_notify_vcpu(chn), chn->u.virq) = 0;
		evtchn_free(l, chn);
		return 0;
	case ECS_INTERDOMAIN: evtchn_close_interdomain(l, chn, l); return 0;
	default: return -EINVAL;
	}
}

/* @guest: the guest asks, and may not close Orchid's own ends. */
static int evtchn_close(struct domain *d, evtchn_port_t port, bool guest)
{
	struct evtchn_locked l, r;
	struct evtchn *chn;
	struct domain *rd;

	for (;;) {
		l = evtchn_lock(d);
		chn = evtchn_from_port(l, port);
		if (chn && chn->xen_fn && guest) {
			evtchn_unlock(l);
			return -EINVAL;
		}
		if (!chn || chn->state != ECS_INTERDOMAIN ||
		    chn->u.interdomain.dom == d) {
			int rc = chn ? evtchn_close_locked(l, chn) : -EINVAL;

			evtchn_unlock(l);
			return rc;
		}
		rd = chn->u.interdomain.dom;
		if (evtchn_lock_remote(l, rd, &r))
			break;
		evtchn_unlock(l);
		arch_cpu_relax();
	}
	evtchn_close_interdomain(l, chn, r);
	evtchn_unlock(r);
	evtchn_unlock(l);
	return 0;
}

static int evtchn_send(struct domain *d, evtchn_port_t port)
{
	struct evtchn_locked l = evtchn_lock(d);
	struct evtchn *chn = evtchn_from_port(l, port);
	int rc = 0;

	if (!chn || chn->xen_fn) {
		rc = -EINVAL; /* Xen: a guest cannot send on Orchid's end */
	} else if (chn->state == ECS_INTERDOMAIN) {
		evtchn_deliver(chn->u.interdomain.dom, evtchn_peer(chn));
	} else if (chn->state == ECS_IPI) {
		evtchn_notify(d, chn);
	} else if (chn->state != ECS_UNBOUND) {
		/* Unbound ports drop the event silently; others refuse. */
		rc = -EINVAL;
	}
	evtchn_unlock(l);
	return rc;
}

static void evtchn_status_fill(const struct evtchn *chn,
			       struct evtchn_status *op)
{
	memset(&op->u, 0, sizeof(op->u));
	op->vcpu = evtchn_notify_vcpu(chn);
	switch (chn->state) {
	case ECS_UNBOUND:
		op->status = EVTCHNSTAT_unbound;
		op->u.unbound.dom = chn->u.unbound_remote;
		break;
	case ECS_INTERDOMAIN:
		op->status = EVTCHNSTAT_interdomain;
		op->u.interdomain.dom = chn->u.interdomain.dom->domain_id;
		op->u.interdomain.port = chn->u.interdomain.port;
		break;
	case ECS_VIRQ:
		op->status = EVTCHNSTAT_virq;
		op->u.virq = chn->u.virq;
		break;
	case ECS_IPI: op->status = EVTCHNSTAT_ipi; break;
	default: op->status = EVTCHNSTAT_closed; break;
	}
}

static int evtchn_status(struct domain *cur, struct evtchn_status *op)
{
	struct domain *d = evtchn_domain_by_id(op->dom);
	struct evtchn_locked l;
	struct evtchn *chn;
	int rc = 0;

	if (!d)
		return -ESRCH;
	/*
	 * Before the port check (Xen checks the port first): which ports
	 * another domain uses is none of a guest's business.
	 */
	if (!evtchn_may_act_on(cur, d))
		return -EPERM;
	l = evtchn_lock(d);
	chn = evtchn_from_port(l, op->port);
	if (!chn)
		rc = -EINVAL;
	else if (chn->xen_fn)
		rc = -EACCES; /* as Xen: Orchid's ends are not the guest's */
	else
		evtchn_status_fill(chn, op);
	evtchn_unlock(l);
	return rc;
}

/* Per-vCPU VIRQs and IPIs stay where they were bound. */
static bool evtchn_may_move(const struct evtchn *chn)
{
	switch (chn->state) {
	case ECS_UNBOUND:
	case ECS_INTERDOMAIN: return true;
	case ECS_VIRQ: return evtchn_virq_is_global(chn->u.virq);
	default: return false;
	}
}

static int evtchn_bind_vcpu(struct domain *d, struct evtchn_bind_vcpu *op)
{
	struct evtchn_locked l;
	struct evtchn *chn;
	int rc = 0;

	if (!domain_vcpu(d, op->vcpu))
		return -ENOENT;
	l = evtchn_lock(d);
	chn = evtchn_from_port(l, op->port);
	if (!chn || chn->xen_fn || !evtchn_may_move(chn))
		rc = -EINVAL;
	else
		evtchn_set_notify_vcpu(chn, op->vcpu);
	evtchn_unlock(l);
	return rc;
}

static int evtchn_unmask(struct domain *d, evtchn_port_t port)
{
	struct evtchn_locked l = evtchn_lock(d);
	struct evtchn *chn = evtchn_from_port(l, port);

	if (chn && evtchn_usable(chn))
		evtchn_2l_unmask(d, domain_vcpu(d, evtchn_notify_vcpu(chn)),
				 port);
	evtchn_unlock(l);
	return chn ? 0 : -EINVAL;
}

static unsigned int evtchn_valid_ports(struct domain *d)
{
	struct evtchn_locked l = evtchn_lock(d);
	unsigned int n = l.ed->valid_ports;

	evtchn_unlock(l);
	return n;
}

/*
 * Xen checks the port first (-EINVAL), then asks the domain's ABI; the
 * 2-level ABI has no priorities (-ENOSYS), and 2-level is all Orchid has.
 */
static int evtchn_set_priority(struct domain *d, evtchn_port_t port)
{
	return port < evtchn_valid_ports(d) ? -ENOSYS : -EINVAL;
}

/* Close every port but the reserved port 0. */
static void evtchn_close_all(struct domain *d)
{
	evtchn_port_t port;

	for (port = 1; port < evtchn_valid_ports(d); port++)
		evtchn_close(d, port, false);
}

/* Note where a reset goes on from (0: it is over). */
static void evtchn_reset_mark(struct domain *d, evtchn_port_t port)
{
	struct evtchn_locked l = evtchn_lock(d);

	l.ed->next_reset = port;
	evtchn_unlock(l);
}

/*
 * Close every port but 0, a port at a time, preemptibly as Xen's
 * evtchn_reset: -ERESTART when it stopped, to go on with
 * EVTCHNOP_reset_cont from the port kept in next_reset. A reset while
 * one is under way, or a reset_cont without one, is -EBUSY.
 */
static int evtchn_reset_ports(struct domain *d, bool resuming)
{
	struct evtchn_locked l = evtchn_lock(d);
	evtchn_port_t first = resuming ? l.ed->next_reset : !l.ed->next_reset;

	if (first > l.ed->next_reset)
		l.ed->next_reset = first;
	evtchn_unlock(l);
	if (!first)
		return -EBUSY;
	for (evtchn_port_t port = first; port < evtchn_valid_ports(d); port++) {
		if (port != first && hypercall_preempt_due(1)) {
			evtchn_reset_mark(d, port);
			return -ERESTART;
		}
		/* Orchid's own ends survive, as on Xen. */
		evtchn_close(d, port, true);
	}
	evtchn_reset_mark(d, 0);
	return 0;
}

/*
 * Xen also lets a privileged caller reset another domain only while that
 * domain is paused by the toolstack; Orchid has no such count yet.
 */
static int evtchn_reset(struct domain *cur, struct evtchn_reset *op,
			bool resuming)
{
	struct domain *d = evtchn_domain_by_id(op->dom);

	if (!d)
		return -ESRCH;
	if (!evtchn_may_act_on(cur, d))
		return -EPERM;
	return evtchn_reset_ports(d, resuming);
}

/* ---- Orchid's own ends (event.h) ------------------------------------ */

int evtchn_alloc_xen_unbound(struct domain *d, domid_t remote, evtchn_xen_fn fn)
{
	struct evtchn_locked l;
	struct evtchn *chn;
	int rc;

	if (!d->evtchn)
		return -EINVAL;
	l = evtchn_lock(d);
	rc = evtchn_get_free_port(l, &chn);
	if (!rc) {
		chn->state = ECS_UNBOUND;
		chn->u.unbound_remote = remote;
		chn->xen_fn = fn;
		rc = (int)chn->port;
	}
	evtchn_unlock(l);
	return rc;
}

void evtchn_free_xen(struct domain *d, evtchn_port_t port)
{
	evtchn_close(d, port, false);
}

void evtchn_notify_xen(struct domain *d, evtchn_port_t port)
{
	struct evtchn_locked l = evtchn_lock(d);
	struct evtchn *chn = evtchn_from_port(l, port);

	/* Unbound (the backend is not there yet): dropped, as on Xen. */
	if (chn && chn->xen_fn && chn->state == ECS_INTERDOMAIN)
		evtchn_deliver(chn->u.interdomain.dom, evtchn_peer(chn));
	evtchn_unlock(l);
}

int evtchn_port_poll(struct domain *d, unsigned int port)
{
	struct evtchn_locked l;
	struct evtchn *chn;
	int pending;

	if (!d->evtchn)
		return -EINVAL;
	l = evtchn_lock(d);
	chn = evtchn_from_port(l, port);
	pending = !chn ? -EINVAL
		       : evtchn_usable(chn) && d->shared_info &&
				  evtchn_bit_test(
					  d->shared_info->evtchn_pending, port);
	evtchn_unlock(l);
	return pending;
}

/* ---- the hypercall --------------------------------------------------- */

union evtchn_op_args {
	struct evtchn_alloc_unbound alloc_unbound;
	struct evtchn_bind_interdomain bind_interdomain;
	struct evtchn_bind_virq bind_virq;
	struct evtchn_bind_ipi bind_ipi;
	struct evtchn_close close;
	struct evtchn_status status;
	struct evtchn_bind_vcpu bind_vcpu;
	struct evtchn_unmask unmask;
	struct evtchn_reset reset;
	struct evtchn_init_control init_control;
	struct evtchn_expand_array expand_array;
	struct evtchn_set_priority set_priority;
};

static int evtchn_op_alloc_unbound(struct domain *d, union evtchn_op_args *a)
{
	return evtchn_alloc_unbound(d, &a->alloc_unbound);
}

static int evtchn_op_bind_interdomain(struct domain *d, union evtchn_op_args *a)
{
	return evtchn_bind_interdomain(d, &a->bind_interdomain);
}

static int evtchn_op_bind_virq(struct domain *d, union evtchn_op_args *a)
{
	return evtchn_bind_virq(d, &a->bind_virq);
}

static int evtchn_op_bind_ipi(struct domain *d, union evtchn_op_args *a)
{
	return evtchn_bind_ipi(d, &a->bind_ipi);
}

static int evtchn_op_close(struct domain *d, union evtchn_op_args *a)
{
	return evtchn_close(d, a->close.port, true);
}

static int evtchn_op_status(struct domain *d, union evtchn_op_args *a)
{
	return evtchn_status(d, &a->status);
}

static int evtchn_op_bind_vcpu(struct domain *d, union evtchn_op_args *a)
{
	return evtchn_bind_vcpu(d, &a->bind_vcpu);
}

static int evtchn_op_unmask(struct domain *d, union evtchn_op_args *a)
{
	return evtchn_unmask(d, a->unmask.port);
}

static int evtchn_op_reset(struct domain *d, union evtchn_op_args *a)
{
	return evtchn_reset(d, &a->reset, false);
}

static int evtchn_op_reset_cont(struct domain *d, union evtchn_op_args *a)
{
	return evtchn_reset(d, &a->reset, true);
}

static int evtchn_op_init_control(struct domain *d, union evtchn_op_args *a)
{
	return evtchn_fifo_init_control(d, &a->init_control);
}

static int evtchn_op_expand_array(struct domain *d, union evtchn_op_args *a)
{
	return evtchn_fifo_expand_array(d, &a->expand_array);
}

static int evtchn_op_set_priority(struct domain *d, union evtchn_op_args *a)
{
	return evtchn_set_priority(d, a->set_priority.port);
}

struct evtchn_op {
	int (*fn)(struct domain *cur, union evtchn_op_args *a);
	size_t size;	/* of the guest's argument structure */
	bool copy_back; /* the structure has OUT fields */
};

/*
 * EVTCHNOP_send, the hot one, is not here: do_event_channel_op does it
 * first. Missing entries answer -ENOSYS: PIRQs (Orchid routes no physical
 * interrupts through event channels). The FIFO ABI's ops check their
 * arguments as Xen's do, then refuse (evtchn_fifo.c), which makes Linux
 * fall back to 2-level.
 */
static const struct evtchn_op evtchn_ops[] = {
	[EVTCHNOP_bind_interdomain] = {evtchn_op_bind_interdomain,
				       sizeof(struct evtchn_bind_interdomain),
				       true},
	[EVTCHNOP_bind_virq] = {evtchn_op_bind_virq,
				sizeof(struct evtchn_bind_virq), true},
	[EVTCHNOP_close] = {evtchn_op_close, sizeof(struct evtchn_close),
			    false},
	[EVTCHNOP_status] = {evtchn_op_status, sizeof(struct evtchn_status),
			     true},
	[EVTCHNOP_alloc_unbound] = {evtchn_op_alloc_unbound,
				    sizeof(struct evtchn_alloc_unbound), true},
	[EVTCHNOP_bind_ipi] = {evtchn_op_bind_ipi,
			       sizeof(struct evtchn_bind_ipi), true},
	[EVTCHNOP_bind_vcpu] = {evtchn_op_bind_vcpu,
				sizeof(struct evtchn_bind_vcpu), false},
	[EVTCHNOP_unmask] = {evtchn_op_unmask, sizeof(struct evtchn_unmask),
			     false},
	[EVTCHNOP_reset] = {evtchn_op_reset, sizeof(struct evtchn_reset),
			    false},
	[EVTCHNOP_reset_cont] = {evtchn_op_reset_cont,
				 sizeof(struct evtchn_reset), false},
	[EVTCHNOP_init_control] = {evtchn_op_init_control,
				   sizeof(struct evtchn_init_control), true},
	[EVTCHNOP_expand_array] = {evtchn_op_expand_array,
				   sizeof(struct evtchn_expand_array), false},
	[EVTCHNOP_set_priority] = {evtchn_op_set_priority,
				   sizeof(struct evtchn_set_priority), false},
};

long do_event_channel_op(unsigned int cmd, uint64_t arg)
{
	struct domain *d = current_domain();
	const struct evtchn_op *op;
	union evtchn_op_args a;
	int rc;

	if (!d->evtchn)
		return -ENOSYS;
	/*
	 * The hot one first and straight (bench-micro's evtchn-send-upcall
	 * row, ~25): no table, indirect call, continuation or copy-back.
	 */
	if (cmd == EVTCHNOP_send) {
		struct evtchn_send send;

		if (copy_from_guest(&send, arg, sizeof(send)))
			return -EFAULT;
		return evtchn_send(d, send.port);
	}
	if (cmd >= ARRAY_SIZE(evtchn_ops) || !evtchn_ops[cmd].fn)
		return -ENOSYS;
	op = &evtchn_ops[cmd];
	if (copy_from_guest(&a, arg, op->size))
		return -EFAULT;
	rc = op->fn(d, &a);
	if (rc == -ERESTART)
		return hypercall_create_continuation(
			2, (const uint64_t[]){EVTCHNOP_reset_cont, arg});
	/* Like Xen, a failed copy-out leaves the work done. */
	if (!rc && op->copy_back && copy_to_guest(arg, &a, op->size))
		rc = -EFAULT;
	return rc;
}

/* ---- domain life cycle ------------------------------------------------- */

int evtchn_domain_init(struct domain *d, unsigned int max_port)
{
	struct evtchn_domain *ed;
	struct evtchn_locked l;
	int rc;

	if (!d->max_vcpus)
		return -EINVAL;
	ed = xzalloc(sizeof(*ed) + d->max_vcpus * sizeof(ed->virq_port[0]));
	if (!ed)
		return -ENOMEM;
	spin_lock_init(&ed->lock);
	ed->nr_ports = max_port < EVTCHN_2L_NR_CHANNELS ? max_port + 1
							: EVTCHN_2L_NR_CHANNELS;
	ed->nr_vcpus = d->max_vcpus;
	d->evtchn = ed;

	l = evtchn_lock(d);
	rc = evtchn_bucket_alloc(l);
	if (!rc)
		evtchn_from_port(l, 0)->state = ECS_RESERVED;
	evtchn_unlock(l);
	if (rc) {
		d->evtchn = NULL;
		xfree(ed);
	}
	return rc;
}

/*
 * Called once @d is dying and can no longer be looked up: its peers' ports
 * go back to unbound, then the table goes.
 */
void evtchn_domain_destroy(struct domain *d)
{
	struct evtchn_domain *ed = d->evtchn;
	unsigned int i;

	if (!ed)
		return;
	evtchn_close_all(d);
	d->evtchn = NULL;
	for (i = 0; i < EVTCHN_NR_BUCKETS; i++)
		xfree(ed->bucket[i]);
	xfree(ed);
}

#ifdef CONFIG_DEBUG_KEYS
/* Xen's ECS_* numbers, which the 'e' dump prints as s=. */
static unsigned int evtchn_xen_state(enum evtchn_state s)
{
	switch (s) {
	case ECS_FREE: return 0;
	case ECS_RESERVED: return 1;
	case ECS_UNBOUND: return 2;
	case ECS_INTERDOMAIN: return 3;
	case ECS_VIRQ: return 5;
	case ECS_IPI: return 6;
	}
	return 0;
}

/* The 'e' debug key: @d's bound ports, one line each, as Xen lists them. */
void evtchn_dump(struct domain *d)
{
	struct evtchn_locked l;

	if (!d->evtchn)
		return;
	l = evtchn_lock(d);
	printk("Event channel information for domain %u:\n", d->domain_id);
	for (evtchn_port_t p = 1; p < l.ed->valid_ports; p++) {
		const struct evtchn *chn = evtchn_at(l.ed, p);

		if (chn->state == ECS_FREE)
			continue;
		printk("    %4u: s=%u n=%u", p, evtchn_xen_state(chn->state),
		       chn->notify_vcpu);
		if (chn->state == ECS_INTERDOMAIN)
			printk(" d=%u p=%u\n",
			       chn->u.interdomain.dom->domain_id,
			       chn->u.interdomain.port);
		else if (chn->state == ECS_VIRQ)
			printk(" v=%u\n", chn->u.virq);
		else if (chn->state == ECS_UNBOUND)
			printk(" x=%u\n", chn->u.unbound_remote);
		else
			printk("\n");
	}
	evtchn_unlock(l);
}
#endif
