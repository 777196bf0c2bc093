/* SPDX-License-Identifier: MIT */
/*
 * Event channels (Xen 4.17 xen/include/public/event_channel.h): the
 * event_channel_op sub-ops and their argument structures. Written for
 * Orchid from the ABI's facts; the layouts are the arm64 ones and are
 * checked below, because a guest reads them byte for byte.
 */
#ifndef XEN_PUBLIC_EVENT_CHANNEL_H
#define XEN_PUBLIC_EVENT_CHANNEL_H

#include <public/xen.h>

#define EVTCHNOP_bind_interdomain 0
#define EVTCHNOP_bind_virq	  1
#define EVTCHNOP_bind_pirq	  2
#define EVTCHNOP_close		  3
#define EVTCHNOP_send		  4
#define EVTCHNOP_status		  5
#define EVTCHNOP_alloc_unbound	  6
#define EVTCHNOP_bind_ipi	  7
#define EVTCHNOP_bind_vcpu	  8
#define EVTCHNOP_unmask		  9
#define EVTCHNOP_reset		  10
#define EVTCHNOP_init_control	  11
#define EVTCHNOP_expand_array	  12
#define EVTCHNOP_set_priority	  13
#define EVTCHNOP_reset_cont	  14 /* Xen's own continuation of reset */

typedef uint32_t evtchn_port_t;

/* A port of @dom that @remote_dom may bind to (DOMID_SELF allowed). */
struct evtchn_alloc_unbound {
	domid_t dom;	    /* IN */
	domid_t remote_dom; /* IN */
	evtchn_port_t port; /* OUT */
};

/* Connect a new local port to @remote_port, unbound and offered to us. */
struct evtchn_bind_interdomain {
	domid_t remote_dom;	   /* IN */
	evtchn_port_t remote_port; /* IN */
	evtchn_port_t local_port;  /* OUT */
};

struct evtchn_bind_virq {
	uint32_t virq;	    /* IN: VIRQ_* */
	uint32_t vcpu;	    /* IN */
	evtchn_port_t port; /* OUT */
};

#define BIND_PIRQ__WILL_SHARE 1
struct evtchn_bind_pirq {
	uint32_t pirq;	    /* IN */
	uint32_t flags;	    /* IN: BIND_PIRQ__* */
	evtchn_port_t port; /* OUT */
};

struct evtchn_bind_ipi {
	uint32_t vcpu;	    /* IN */
	evtchn_port_t port; /* OUT */
};

struct evtchn_close {
	evtchn_port_t port; /* IN */
};

struct evtchn_send {
	evtchn_port_t port; /* IN */
};

#define EVTCHNSTAT_closed      0 /* not in use */
#define EVTCHNSTAT_unbound     1 /* waiting for a remote to bind */
#define EVTCHNSTAT_interdomain 2 /* connected to a remote port */
#define EVTCHNSTAT_pirq	       3 /* bound to a physical IRQ */
#define EVTCHNSTAT_virq	       4 /* bound to a virtual IRQ */
#define EVTCHNSTAT_ipi	       5 /* bound to a virtual IPI */

struct evtchn_status {
	domid_t dom;	    /* IN */
	evtchn_port_t port; /* IN */
	uint32_t status;    /* OUT: EVTCHNSTAT_* */
	uint32_t vcpu;	    /* OUT: vCPU notified */
	union {
		struct {
			domid_t dom;
		} unbound;
		struct {
			domid_t dom;
			evtchn_port_t port;
		} interdomain;
		uint32_t pirq;
		uint32_t virq;
	} u; /* OUT */
};

struct evtchn_bind_vcpu {
	evtchn_port_t port; /* IN */
	uint32_t vcpu;	    /* IN */
};

struct evtchn_unmask {
	evtchn_port_t port; /* IN */
};

struct evtchn_reset {
	domid_t dom; /* IN */
};

/*
 * FIFO ABI: Orchid checks init_control's arguments as Xen does, then
 * refuses it (common/xen/evtchn_fifo.c), so guests use 2-level.
 */
struct evtchn_init_control {
	uint64_t control_gfn; /* IN */
	uint32_t offset;      /* IN */
	uint32_t vcpu;	      /* IN */
	uint8_t link_bits;    /* OUT */
	uint8_t _pad[7];
};

struct evtchn_expand_array {
	uint64_t array_gfn; /* IN */
};

struct evtchn_set_priority {
	evtchn_port_t port; /* IN */
	uint32_t priority;  /* IN */
};

/* The FIFO ABI's per-vCPU control block, in a guest page. */
#define EVTCHN_FIFO_PRIORITY_MIN 15
#define EVTCHN_FIFO_MAX_QUEUES	 (EVTCHN_FIFO_PRIORITY_MIN + 1)
#define EVTCHN_FIFO_LINK_BITS	 17

struct evtchn_fifo_control_block {
	uint32_t ready;
	uint32_t _rsvd;
	uint32_t head[EVTCHN_FIFO_MAX_QUEUES];
};

/* Ports of the 2-level ABI: one bit per port in two levels of words. */
#define EVTCHN_2L_NR_CHANNELS (sizeof(xen_ulong_t) * sizeof(xen_ulong_t) * 64)

_Static_assert(sizeof(struct evtchn_alloc_unbound) == 8, "alloc_unbound");
_Static_assert(sizeof(struct evtchn_bind_interdomain) == 12,
	       "bind_interdomain");
_Static_assert(sizeof(struct evtchn_bind_virq) == 12, "bind_virq");
_Static_assert(sizeof(struct evtchn_bind_pirq) == 12, "bind_pirq");
_Static_assert(sizeof(struct evtchn_bind_ipi) == 8, "bind_ipi");
_Static_assert(sizeof(struct evtchn_status) == 24, "status");
_Static_assert(offsetof(struct evtchn_status, u.interdomain.port) == 20,
	       "status.u.interdomain.port");
_Static_assert(sizeof(struct evtchn_bind_vcpu) == 8, "bind_vcpu");
_Static_assert(sizeof(struct evtchn_reset) == 2, "reset");
_Static_assert(sizeof(struct evtchn_init_control) == 24, "init_control");
_Static_assert(sizeof(struct evtchn_fifo_control_block) == 72,
	       "fifo_control_block");
_Static_assert(EVTCHN_2L_NR_CHANNELS == 4096, "2-level port count");

#endif /* XEN_PUBLIC_EVENT_CHANNEL_H */
