// SPDX-License-Identifier: MIT
/*
 * memory_op: how a guest places Orchid's pages (shared_info, grant-table
 * frames) into its physical address space, and asks about its memory.
 */
#include <orchid/bootmem.h>
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/grant_table.h>
#include <orchid/guest_access.h>
#include <orchid/hypercall.h>
#include <orchid/hypercalls.h>
#include <orchid/mm.h>
#include <orchid/p2m.h>
#include <public/memory.h>

static bool gpfn_ok(xen_pfn_t gpfn)
{
	return gpfn < (1UL << (p2m_ipa_bits() - PAGE_SHIFT));
}

static long add_to_physmap_one(struct domain *d, unsigned int space,
			       xen_ulong_t idx, xen_pfn_t gpfn)
{
	if (!gpfn_ok(gpfn))
		return -EINVAL;
	switch (space) {
	case XENMAPSPACE_shared_info:
		if (idx != 0)
			return -EINVAL;
		return p2m_map(d, ipa_init(gpfn << PAGE_SHIFT),
			       arch_va_to_pa(d->shared_info), 1, p2m_xen_page);
	case XENMAPSPACE_grant_table:
		if (idx & XENMAPIDX_grant_table_status)
			return -EINVAL; /* status frames are v2 only */
		return gnttab_map_shared_frame(d, idx, gpfn);
	default:
		return hypercall_unimplemented("memory_op add_to_physmap space",
					       space);
	}
}

static long add_to_physmap(uint64_t arg)
{
	struct xen_add_to_physmap xatp;
	struct domain *d;
	long err = 0;

	if (copy_from_guest(&xatp, arg, sizeof(xatp)))
		return -EFAULT;
	d = domain_for_caller(xatp.domid, &err);
	if (!d)
		return err;
	return add_to_physmap_one(d, xatp.space, xatp.idx, xatp.gpfn);
}

static long remove_from_physmap(uint64_t arg)
{
	struct xen_remove_from_physmap xrfp;
	struct domain *d;
	long err = 0;

	if (copy_from_guest(&xrfp, arg, sizeof(xrfp)))
		return -EFAULT;
	d = domain_for_caller(xrfp.domid, &err);
	if (!d)
		return err;
	if (!gpfn_ok(xrfp.gpfn))
		return -EINVAL;
	/* A grant frame must forget where it was; anything else just goes. */
	if (gnttab_unmap_shared_frame(d, xrfp.gpfn) == 0)
		return 0;
	return p2m_unmap(d, ipa_init(xrfp.gpfn << PAGE_SHIFT), 1);
}

static long reservation_query(unsigned int cmd, uint64_t arg)
{
	domid_t domid;
	struct domain *d;
	long err = 0;

	if (copy_from_guest(&domid, arg, sizeof(domid)))
		return -EFAULT;
	d = domain_for_caller(domid, &err);
	if (!d)
		return err;
	return (long)(cmd == XENMEM_current_reservation ? d->tot_pages :
							  d->max_pages);
}

long hc_memory_op(const uint64_t a[5])
{
	unsigned int cmd = (unsigned int)(a[0] & MEMOP_CMD_MASK);

	switch (cmd) {
	case XENMEM_add_to_physmap:
		return add_to_physmap(a[1]);
	case XENMEM_remove_from_physmap:
		return remove_from_physmap(a[1]);
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
		return reservation_query(cmd, a[1]);
	case XENMEM_maximum_ram_page:
		return (long)bootmem_max_pfn();
	default:
		return hypercall_unimplemented("memory_op", cmd);
	}
}
