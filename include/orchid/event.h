/* SPDX-License-Identifier: MIT */
/*
 * Event channels (2-level ABI, common/xen/evtchn.c) as the rest of Orchid
 * uses them, and the one architecture hook they need.
 */
#ifndef ORCHID_EVENT_H
#define ORCHID_EVENT_H

#include <orchid/types.h>
#include <public/event_channel.h>
#include <public/xen.h>

struct domain;
struct vcpu;

/* Per-domain state; @max_port is the highest usable port number. */
int evtchn_domain_init(struct domain *d, unsigned int max_port);
void evtchn_domain_destroy(struct domain *d);

/*
 * At boot: a port of @d, unbound, that @remote may bind (the xenstore
 * port of an "xen,enhanced" DomU). 0, or -ENOSPC with no port free.
 */
int evtchn_alloc_unbound_boot(struct domain *d, domid_t remote,
			      evtchn_port_t *port);

/* Raise a per-vCPU VIRQ (VIRQ_TIMER, VIRQ_DEBUG, ...) on @v. */
void evtchn_send_virq(struct vcpu *v, unsigned int virq);
/* Raise a global VIRQ (VIRQ_CONSOLE, VIRQ_DOM_EXC) on @d. */
void evtchn_send_global_virq(struct domain *d, unsigned int virq);

/* The event_channel_op hypercall. */
long do_event_channel_op(unsigned int cmd, uint64_t arg);

/*
 * The FIFO ABI's EVTCHNOP_init_control and EVTCHNOP_expand_array for the
 * current domain @d (common/xen/evtchn_fifo.c): Xen's errnos for bad
 * arguments, -EOPNOTSUPP for good ones (Orchid has 2-level only).
 */
struct evtchn_init_control;
struct evtchn_expand_array;
int evtchn_fifo_init_control(struct domain *d,
			     const struct evtchn_init_control *op);
int evtchn_fifo_expand_array(struct domain *d,
			     const struct evtchn_expand_array *op);

/*
 * SCHEDOP_poll's question (Xen's evtchn_port_poll): 1 when @port of @d is
 * pending, 0 when not, -EINVAL when it is no valid port.
 */
int evtchn_port_poll(struct domain *d, unsigned int port);

/*
 * Orchid's own end of a channel (Xen's alloc_unbound_xen_event_channel),
 * for a device model Orchid runs for @d (the vpl011's ring): an unbound
 * port of @d that domain @remote may bind. Events the remote sends call
 * @fn(@d, port) under the remote's event-channel lock (so @d lives
 * meanwhile); @fn takes no event-channel lock. @d may not close, send on,
 * move or query the port; domain teardown frees it. The port, or a
 * negative errno.
 */
typedef void (*evtchn_xen_fn)(struct domain *d, unsigned int port);
int evtchn_alloc_xen_unbound(struct domain *d, domid_t remote,
			     evtchn_xen_fn fn);
/* Free it before teardown (an init that failed later). */
void evtchn_free_xen(struct domain *d, unsigned int port);
/*
 * Signal the remote end of Orchid's port @port of @d, if bound
 * (notify_via_xen_event_channel). Call it with no vpl011-style lock held
 * that @fn takes: the lock order is event channels, then the device's.
 */
void evtchn_notify_xen(struct domain *d, unsigned int port);

/*
 * Architecture: @v's vcpu_info just got evtchn_upcall_pending set; assert
 * the event-channel interrupt and wake or kick @v.
 */
void arch_vcpu_mark_events_pending(struct vcpu *v);

#endif /* ORCHID_EVENT_H */
