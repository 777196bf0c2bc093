// SPDX-License-Identifier: MIT
/*
 * event_channel_op's FIFO ABI: init_control, expand_array, set_priority
 * with hostile arguments (Xen 4.17's errnos, the same on Orchid), then a
 * good init_control. Xen 4.17 accepts it and switches this guest to FIFO
 * delivery for good; Orchid refuses it on purpose with -EOPNOTSUPP (it has
 * the 2-level ABI only, and a guest told yes would wait for FIFO events
 * that never come; Linux takes the refusal as "use 2-level"), so what
 * follows differs and the checks say which hypervisor they expect.
 * Runs last: on Xen the guest's event channels are FIFO afterwards.
 */
#include "guest.h"
#include "xen.h"

/* Pages for control blocks and the event array (VA == IPA == GFN << 12). */
static char fifo_pages[2][4096] __attribute__((aligned(4096)));

static long evtchn(unsigned int cmd, void *arg)
{
	return HC2(__HYPERVISOR_event_channel_op, cmd, arg);
}

static uint64_t gfn_of(const void *p)
{
	return (uintptr_t)p >> 12;
}

/* init_control's return; link_bits must stay as it was when it fails. */
static long init_control(const char *name, uint64_t gfn, uint32_t offset,
			 uint32_t vcpu, long want)
{
	struct evtchn_init_control ic = {.control_gfn = gfn,
					 .offset = offset,
					 .vcpu = vcpu,
					 .link_bits = 0xaa};
	long rc = evtchn(EVTCHNOP_init_control, &ic);
	char lb[64];

	check_eq(name, rc, want);
	if (rc)
		return rc;
	snprintf(lb, sizeof(lb), "%s-link_bits", name);
	check_eq(lb, ic.link_bits, EVTCHN_FIFO_LINK_BITS);
	return rc;
}

static long expand_array(uint64_t gfn)
{
	struct evtchn_expand_array ea = {.array_gfn = gfn};

	return evtchn(EVTCHNOP_expand_array, &ea);
}

static long set_priority(uint32_t port, uint32_t priority)
{
	struct evtchn_set_priority sp = {.port = port, .priority = priority};

	return evtchn(EVTCHNOP_set_priority, &sp);
}

/* What no hypervisor may accept, FIFO or not. */
static void bad_arguments(void)
{
	uint64_t gfn = gfn_of(fifo_pages[0]);
	struct evtchn_init_control failed = {.link_bits = 0xaa};

	init_control("init_control-vcpu-absent", gfn, 0, 64, -XEN_ENOENT);
	init_control("init_control-vcpu-negative", gfn, 0, 0xffffffffu,
		     -XEN_ENOENT);
	/* The 72-byte block must fit in its page and be 8-byte aligned. */
	init_control("init_control-offset-past-fit", gfn,
		     4096 - EVTCHN_FIFO_CONTROL_SIZE + 8, 0, -XEN_EINVAL);
	init_control("init_control-offset-page", gfn, 4096, 0, -XEN_EINVAL);
	init_control("init_control-offset-huge", gfn, 0xfffffff8u, 0,
		     -XEN_EINVAL);
	init_control("init_control-offset-misaligned", gfn, 4, 0, -XEN_EINVAL);
	/* No page of the guest's behind the GFN. */
	init_control("init_control-gfn-hole", IPA_HOLE >> 12, 0, 0,
		     -XEN_EINVAL);
	init_control("init_control-gfn-huge", ~0ull, 0, 0, -XEN_EINVAL);
	init_control("init_control-gfn-wraps", (1ull << 52) + gfn, 0, 0,
		     -XEN_EINVAL);
	/* The vCPU is checked before the offset and the GFN. */
	init_control("init_control-all-bad", ~0ull, 3, 64, -XEN_ENOENT);
	check_eq("init_control-null", evtchn(EVTCHNOP_init_control, 0),
		 -XEN_EFAULT);
	check_eq("init_control-unmapped",
		 evtchn(EVTCHNOP_init_control, NOMAP_PAGE), -XEN_EFAULT);
	check_eq("init_control-wrapping",
		 evtchn(EVTCHNOP_init_control, (void *)WRAPPING), -XEN_EFAULT);
	/* 24 bytes from 16 before the unmapped page: straddles into it. */
	check_eq("init_control-straddling",
		 evtchn(EVTCHNOP_init_control, NOMAP_PAGE - 16), -XEN_EFAULT);
	/* GFN 0: QEMU virt's flash, device memory, no RAM. */
	check_eq("init_control-gfn0", evtchn(EVTCHNOP_init_control, &failed),
		 -XEN_EINVAL);
	check_eq("init_control-failed-link_bits", failed.link_bits, 0xaa);
	check_eq("expand_array-null", evtchn(EVTCHNOP_expand_array, 0),
		 -XEN_EFAULT);
	check_eq("set_priority-null", evtchn(EVTCHNOP_set_priority, 0),
		 -XEN_EFAULT);
}

/* Before any init_control: the guest is 2-level on both hypervisors. */
static void before_fifo(uint32_t port)
{
	check_eq("expand_array-before-init",
		 expand_array(gfn_of(fifo_pages[1])), -XEN_EOPNOTSUPP);
	check_eq("expand_array-before-init-hole", expand_array(~0ull),
		 -XEN_EOPNOTSUPP);
	/* 2-level has no priorities: -ENOSYS, once the port is valid. */
	check_eq("set_priority-2l", set_priority(port, 7), -XEN_ENOSYS);
	check_eq("set_priority-2l-bad-priority", set_priority(port, 16),
		 -XEN_ENOSYS);
	check_eq("set_priority-port-past-2l",
		 set_priority(EVTCHN_2L_NR_PORTS, 7), -XEN_EINVAL);
	check_eq("set_priority-port-negative", set_priority(0xffffffffu, 7),
		 -XEN_EINVAL);
}

/* Xen 4.17: FIFO is on; the ops now act and check their arguments. */
static void after_fifo_xen(uint32_t port)
{
	uint64_t gfn = gfn_of(fifo_pages[0]);

	init_control("init_control-vcpu0-again", gfn, 128, 0, -XEN_EINVAL);
	check_eq("set_priority-fifo", set_priority(port, 15), 0);
	check_eq("set_priority-fifo-bad-priority", set_priority(port, 16),
		 -XEN_EINVAL);
	check_eq("expand_array-fifo-hole", expand_array(IPA_HOLE >> 12),
		 -XEN_EINVAL);
	check_eq("expand_array-fifo", expand_array(gfn_of(fifo_pages[1])), 0);
}

/* Orchid: refused on purpose (see the top), so nothing changed. */
static void after_refusal_orchid(uint32_t port)
{
	uint64_t gfn = gfn_of(fifo_pages[0]);

	init_control("orchid-init_control-refused-again", gfn, 128, 0,
		     -XEN_EOPNOTSUPP);
	check_eq("orchid-set_priority-still-2l", set_priority(port, 15),
		 -XEN_ENOSYS);
	check_eq("orchid-expand_array-still-refused",
		 expand_array(gfn_of(fifo_pages[1])), -XEN_EOPNOTSUPP);
}

void test_evtchn_fifo(void)
{
	struct evtchn_alloc_unbound alloc = {.dom = DOMID_SELF,
					     .remote_dom = DOMID_SELF};
	uint64_t gfn = gfn_of(fifo_pages[0]);
	int orchid = on_orchid();

	check_eq("alloc_unbound", evtchn(EVTCHNOP_alloc_unbound, &alloc), 0);
	bad_arguments();
	before_fifo(alloc.port);
	if (orchid) {
		init_control("orchid-init_control-refused", gfn, 0, 0,
			     -XEN_EOPNOTSUPP);
		after_refusal_orchid(alloc.port);
	} else {
		init_control("init_control", gfn, 0, 0, 0);
		after_fifo_xen(alloc.port);
	}
}
