// SPDX-License-Identifier: MIT
/*
 * Xen's XSM framework reduced to what Orchid has: the dummy policy's
 * default actions for the hooks below, and the silo policy on top (Xen
 * 4.17's xen/xsm/silo.c, xsm_core.c and include/xsm/dummy.h give the
 * meaning and the messages; the code is Orchid's). No FLASK: like a Xen
 * built without it, Orchid refuses xsm=flask and keeps its default.
 */
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/printk.h>
#include <orchid/xsm.h>

/* What Xen 4.17 prints, so logs read the same. */
#define XSM_FRAMEWORK_VERSION "1.0.1"

#ifdef CONFIG_XSM_DUMMY_DEFAULT
#define XSM_POLICY_BUILT_DEFAULT XSM_POLICY_DUMMY
#else
#define XSM_POLICY_BUILT_DEFAULT XSM_POLICY_SILO
#endif

/* Set once at boot; the default holds for anything checked before. */
static enum xsm_policy xsm_policy = XSM_POLICY_BUILT_DEFAULT;

void xsm_init(enum xsm_policy policy)
{
	xsm_policy = policy == XSM_POLICY_DEFAULT ? XSM_POLICY_BUILT_DEFAULT
						  : policy;
	printk("XSM Framework v" XSM_FRAMEWORK_VERSION " initialized\n");
	if (xsm_policy == XSM_POLICY_SILO) {
		printk("Initialising XSM SILO mode\n");
		return;
	}
	/* Xen on Arm warns at the end of its boot (warning_add). */
	pr_warn("WARNING: SILO mode is not enabled.\n"
		"It has implications on the security of the system,\n"
		"unless the communications have been forbidden between\n"
		"untrusted domains.\n");
}

enum xsm_policy xsm_active_policy(void)
{
	return xsm_policy;
}

/* ---- the dummy policy's default actions ------------------------------ */

/* Xen's XSM_TARGET (no device-model targets here): itself, or Dom0. */
static int xsm_default_target(const struct domain *src,
			      const struct domain *target)
{
	return src == target || src->is_privileged ? 0 : -EPERM;
}

/* ---- silo ------------------------------------------------------------ */

/*
 * Xen's silo_mode_dom_check: communication between @ldom and @rdom is
 * allowed when the caller or either side is the control domain, or it
 * stays within one domain. Only silo asks.
 */
static bool xsm_silo_allows(const struct domain *ldom,
			    const struct domain *rdom)
{
	if (xsm_policy != XSM_POLICY_SILO)
		return true;
	return current_domain()->is_privileged || ldom->is_privileged ||
	       rdom->is_privileged || ldom == rdom;
}

/* Xen's rcu_lock_domain_by_any_id: DOMID_SELF is the caller. */
static const struct domain *xsm_domain_by_any_id(domid_t domid)
{
	if (domid == DOMID_SELF)
		return current_domain();
	return domain_lookup(domid);
}

/* ---- hooks ----------------------------------------------------------- */

int xsm_evtchn_unbound(const struct domain *d, domid_t remote_domid)
{
	const struct domain *remote;

	/*
	 * Silo looks the remote domain up before anything else, so under
	 * silo even Dom0 cannot offer a port to a domain that does not exist.
	 */
	if (xsm_policy == XSM_POLICY_SILO) {
		remote = xsm_domain_by_any_id(remote_domid);
		if (!remote)
			return -ESRCH;
		if (!xsm_silo_allows(d, remote))
			return -EPERM;
	}
	return xsm_default_target(current_domain(), d);
}

/* Xen's XSM_HOOK default allows it; only silo can refuse. */
int xsm_evtchn_interdomain(const struct domain *ld, const struct domain *rd)
{
	return xsm_silo_allows(ld, rd) ? 0 : -EPERM;
}

int xsm_grant_mapref(const struct domain *ld, const struct domain *rd,
		     uint32_t flags)
{
	return xsm_silo_allows(ld, rd) ? 0 : -EPERM;
}

int xsm_grant_copy(const struct domain *src, const struct domain *dst)
{
	return xsm_silo_allows(src, dst) ? 0 : -EPERM;
}
