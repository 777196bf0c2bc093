// SPDX-License-Identifier: MIT
/* memory_op: wrapping and unmapped argument pointers, unknown commands. */
#include "guest.h"
#include "xen.h"

static long memop(unsigned long cmd, void *arg)
{
	return HC2(__HYPERVISOR_memory_op, cmd, arg);
}

void test_memory(void)
{
	struct xen_memory_reservation r = {
		.extent_start = WRAPPING,
		.nr_extents = 1,
		.domid = DOMID_SELF,
	};
	uint16_t self = DOMID_SELF;

	check_true("current_reservation",
		   memop(XENMEM_current_reservation, &self) > 0, "");
	self = DOMID_INVALID;
	check_eq("current_reservation-dom-invalid",
		 memop(XENMEM_current_reservation, &self), -XEN_ESRCH);
	self = ABSENT_DOMID;
	check_eq("current_reservation-dom-absent",
		 memop(XENMEM_current_reservation, &self), -XEN_ESRCH);
	check_eq("current_reservation-null",
		 memop(XENMEM_current_reservation, 0), -XEN_EFAULT);
	/*
	 * Xen answers a reservation op whose argument it cannot read with
	 * the number of extents done so far, 0, not -EFAULT.
	 */
	check_eq("increase_reservation-arg-wrapping",
		 memop(XENMEM_increase_reservation, (void *)WRAPPING), 0);
	check_eq("increase_reservation-arg-unmapped",
		 memop(XENMEM_increase_reservation, (void *)IPA_HOLE), 0);
	/* The reservation is read, the extent list is not: no extent done. */
	check_eq("populate_physmap-extents-wrapping",
		 memop(XENMEM_populate_physmap, &r), 0);
	/* Nothing readable in the list, or an order beyond any limit: no
	 * extent done, whatever the count. */
	r.extent_start = 0;
	r.nr_extents = 0xffffffffu;
	check_eq("decrease_reservation-null-list-huge-count",
		 memop(XENMEM_decrease_reservation, &r), 0);
	r.extent_start = WRAPPING;
	r.nr_extents = 1;
	r.extent_order = 63;
	check_eq("populate_physmap-order-63",
		 memop(XENMEM_populate_physmap, &r), 0);
	check_eq("add_to_physmap-dom-invalid",
		 memop(XENMEM_add_to_physmap,
		       &(struct xen_add_to_physmap){
			       .domid = DOMID_INVALID,
			       .space = XENMAPSPACE_shared_info,
			       .gpfn = IPA_HOLE >> 12}),
		 -XEN_ESRCH);
	check_eq("memory_map-arm", memop(9, &r), -XEN_ENOSYS);
	check_eq("machine_memory_map-arm", memop(10, &r), -XEN_ENOSYS);
	self = DOMID_SELF;
	check_true("maximum_reservation",
		   memop(4, &self) >= memop(XENMEM_current_reservation, &self),
		   "");
	check_eq("unknown-cmd", memop(63, &r), -XEN_ENOSYS);
}
