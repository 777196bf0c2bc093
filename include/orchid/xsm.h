/* SPDX-License-Identifier: MIT */
/*
 * The security policy between domains (Xen's XSM hooks), in one place so
 * that another policy can replace it. Two policies exist, as in a Xen 4.17
 * built without FLASK:
 *
 *  - dummy: Xen's default actions only (a domain acts on itself, the
 *    control domain on anyone); any two DomUs may share event channels and
 *    grants.
 *  - silo (the default, as in Debian's Xen with CONFIG_XSM_SILO_DEFAULT):
 *    on top of that, event channels and grant mappings or copies between
 *    two different domains need the control domain on one side or as the
 *    caller, so a DomU can talk to Dom0 but never to another DomU.
 *
 * Every hook returns 0 or a negative errno, and takes the caller from
 * current_domain(), like Xen's.
 */
#ifndef ORCHID_XSM_H
#define ORCHID_XSM_H

#include <orchid/types.h>
#include <public/xen.h>

struct domain;

enum xsm_policy {
	XSM_POLICY_DEFAULT = 0, /* not chosen on the command line */
	XSM_POLICY_DUMMY,
	XSM_POLICY_SILO,
};

/*
 * Make @policy (XSM_POLICY_DEFAULT: the configured default) the active
 * one and log it as Xen does at boot.
 */
void xsm_init(enum xsm_policy policy);
enum xsm_policy xsm_active_policy(void);

/*
 * EVTCHNOP_alloc_unbound of a port in @d offered to @remote_domid
 * (DOMID_SELF: the caller), once the port is found. -ESRCH when silo
 * cannot find the remote domain; -EPERM when the caller may not act on
 * @d (Xen's XSM_TARGET) or silo forbids the pair.
 */
int xsm_evtchn_unbound(const struct domain *d, domid_t remote_domid);

/* EVTCHNOP_bind_interdomain of @ld to an unbound port of @rd: -EPERM. */
int xsm_evtchn_interdomain(const struct domain *ld, const struct domain *rd);

/* GNTTABOP_map_grant_ref by @ld of a grant of @rd (flags: GNTMAP_*). */
int xsm_grant_mapref(const struct domain *ld, const struct domain *rd,
		     uint32_t flags);

/* GNTTABOP_copy from @src's page or grant to @dst's. */
int xsm_grant_copy(const struct domain *src, const struct domain *dst);

#endif /* ORCHID_XSM_H */
