// SPDX-License-Identifier: MIT
/*
 * platform_op, vm_assist and physdev_op: the small hypercalls. Dom0 sets
 * the wall clock with XENPF_settime64, which every domain then reads from
 * its shared_info page.
 */
#include <orchid/arch.h>
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/guest_access.h>
#include <orchid/hypercall.h>
#include <orchid/hypercalls.h>
#include <orchid/wallclock.h>
#include <public/platform.h>

#define NSEC_PER_SEC 1000000000ULL

static spinlock_t wc_lock = SPINLOCK_INIT;
/* Wall-clock time (ns since the epoch) when Orchid's clock read 0. */
static uint64_t wc_base_ns;

/* Publish the wall clock in @d's shared_info, Xen's seqlock style. */
void wallclock_update_domain(struct domain *d)
{
	struct shared_info *s = d->shared_info;
	uint64_t ns, sec;

	if (!s)
		return;
	ns = wc_base_ns + d->creation_ns;
	sec = ns / NSEC_PER_SEC;
	__atomic_add_fetch(&s->wc_version, 1, __ATOMIC_SEQ_CST);
	s->wc_sec = (uint32_t)sec;
	s->wc_sec_hi = (uint32_t)(sec >> 32);
	s->wc_nsec = (uint32_t)(ns % NSEC_PER_SEC);
	__atomic_add_fetch(&s->wc_version, 1, __ATOMIC_SEQ_CST);
}

static long settime64(const struct xenpf_settime64 *t)
{
	unsigned long flags;

	if (t->mbz || t->nsecs >= NSEC_PER_SEC ||
	    t->secs > UINT64_MAX / NSEC_PER_SEC - 1)
		return -EINVAL;
	flags = spin_lock_irqsave(&wc_lock);
	wc_base_ns = t->secs * NSEC_PER_SEC + t->nsecs - t->system_time;
	spin_unlock_irqrestore(&wc_lock, flags);
	domain_for_each(wallclock_update_domain);
	return 0;
}

long hc_platform_op(const uint64_t a[5])
{
	struct xen_platform_op op;

	/* Xen's order: the argument, its version, then the privilege. */
	if (copy_from_guest(&op, a[0], sizeof(op)))
		return -EFAULT;
	if (op.interface_version != XENPF_INTERFACE_VERSION)
		return -EACCES;
	if (!current_domain()->is_privileged)
		return -EPERM;
	switch (op.cmd) {
	case XENPF_settime64: return settime64(&op.u.settime64);
	default: return hypercall_unimplemented("platform_op", op.cmd);
	}
}

long hc_vm_assist(const uint64_t a[5])
{
	struct domain *d = current_domain();
	unsigned int cmd = (unsigned int)a[0], type = (unsigned int)a[1];

	if (type >= 32 || !(VMASST_TYPE_AVAIL_ARM & (1U << type)))
		return -EINVAL;
	switch (cmd) {
	case VMASST_CMD_enable: d->vm_assist |= 1U << type; return 0;
	case VMASST_CMD_disable: d->vm_assist &= ~(1U << type); return 0;
	default: return -ENOSYS;
	}
}

/* Xen 4.17 on Arm without CONFIG_HAS_PCI: every physdev_op is -ENOSYS. */
long hc_physdev_op(const uint64_t a[5])
{
	return -ENOSYS;
}
