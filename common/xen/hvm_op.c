// SPDX-License-Identifier: MIT
/*
 * hvm_op on Arm: only HVM parameters, with Xen's rules on who may read
 * or write which (xen/arch/arm/hvm.c).
 */
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/guest_access.h>
#include <orchid/hypercalls.h>
#include <public/hvm/params.h>

/* Toolstack-only parameters: never writable by the domain itself. */
static long hvm_allow_set(const struct domain *d, unsigned int index)
{
	switch (index) {
	case HVM_PARAM_CALLBACK_IRQ:
	case HVM_PARAM_STORE_PFN:
	case HVM_PARAM_STORE_EVTCHN:
	case HVM_PARAM_CONSOLE_PFN:
	case HVM_PARAM_CONSOLE_EVTCHN:
	case HVM_PARAM_MONITOR_RING_PFN:
		return d == current_domain() ? -EPERM : 0;
	default: return -EINVAL;
	}
}

static long hvm_allow_get(const struct domain *d, unsigned int index)
{
	switch (index) {
	case HVM_PARAM_CALLBACK_IRQ:
	case HVM_PARAM_STORE_PFN:
	case HVM_PARAM_STORE_EVTCHN:
	case HVM_PARAM_CONSOLE_PFN:
	case HVM_PARAM_CONSOLE_EVTCHN: return 0;
	case HVM_PARAM_MONITOR_RING_PFN:
		return d == current_domain() ? -EPERM : 0;
	default: return -EINVAL;
	}
}

static long hvm_param_op(bool set, uint64_t arg)
{
	struct xen_hvm_param p;
	struct domain *d;
	long err = 0;

	if (copy_from_guest(&p, arg, sizeof(p)))
		return -EFAULT;
	d = domain_for_caller(p.domid, &err);
	if (!d)
		return err;
	if (p.index >= HVM_NR_PARAMS)
		return -EINVAL;
	if (set) {
		err = hvm_allow_set(d, p.index);
		if (!err)
			d->hvm_params[p.index] = p.value;
		return err;
	}
	err = hvm_allow_get(d, p.index);
	if (err)
		return err;
	p.value = d->hvm_params[p.index];
	return copy_to_guest(arg, &p, sizeof(p)) ? -EFAULT : 0;
}

long hc_hvm_op(const uint64_t a[5])
{
	switch (a[0]) {
	case HVMOP_set_param: return hvm_param_op(true, a[1]);
	case HVMOP_get_param: return hvm_param_op(false, a[1]);
	default: return -ENOSYS;
	}
}
