/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the FIFO event-channel ops (common/xen/evtchn_fifo.c and
 * EVTCHNOP_set_priority in common/xen/evtchn.c), issued as a guest would
 * through do_event_channel_op: Xen 4.17's errnos for every bad argument,
 * in Xen's order, and -EOPNOTSUPP for a good init_control, since Orchid
 * keeps every domain on the 2-level ABI. A refused request changes
 * nothing: no OUT field written, no port used, 2-level delivery as before.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <orchid/errno.h>
#include <orchid/event.h>
#include <orchid/xsm.h>
#include <public/event_channel.h>

#include "fake_domain.h"

static struct fake_domain dom0;

/* Guest frames of the fake stage 2, one per kind of mapping. */
enum {
	GFN_RAM = 0x40000,
	GFN_RAM_RO,
	GFN_FOREIGN,
	GFN_SHARED_INFO,
	GFN_MMIO,
	GFN_GRANT,
	GFN_HOLE,
};

static long call(unsigned int cmd, void *arg, size_t size)
{
	uint64_t va = FAKE_GUEST_VA + 0x100;
	long rc;

	memcpy(fake_guest_ptr(va), arg, size);
	rc = do_event_channel_op(cmd, va);
	memcpy(arg, fake_guest_ptr(va), size);
	return rc;
}

/* init_control of @vcpu's control block at @gfn + @offset. */
static long init_control(uint32_t vcpu, uint64_t gfn, uint32_t offset)
{
	struct evtchn_init_control op = {.control_gfn = gfn,
					 .offset = offset,
					 .vcpu = vcpu,
					 .link_bits = 0xaa};
	long rc = call(EVTCHNOP_init_control, &op, sizeof(op));

	/* Xen writes link_bits back only when it succeeds. */
	assert_int_equal(op.link_bits, 0xaa);
	return rc;
}

static long expand_array(uint64_t gfn)
{
	struct evtchn_expand_array op = {.array_gfn = gfn};

	return call(EVTCHNOP_expand_array, &op, sizeof(op));
}

static long set_priority(evtchn_port_t port, uint32_t priority)
{
	struct evtchn_set_priority op = {.port = port, .priority = priority};

	return call(EVTCHNOP_set_priority, &op, sizeof(op));
}

static long alloc_unbound(void)
{
	struct evtchn_alloc_unbound op = {.dom = DOMID_SELF,
					  .remote_dom = DOMID_SELF};
	long rc = call(EVTCHNOP_alloc_unbound, &op, sizeof(op));

	return rc ? rc : op.port;
}

static void map_page(uint64_t gfn, enum p2m_type type)
{
	fake_p2m_add(&dom0.d, gfn << 12, 0x80000000ULL + (gfn << 12), type);
}

static int setup(void **state)
{
	/* Three vCPUs, the last never brought up (vcpus[2] == NULL). */
	fake_domain_get(&dom0, 0, true, 3, 2);
	assert_int_equal(evtchn_domain_init(&dom0.d, 4095), 0);
	fake_p2m_clear();
	map_page(GFN_RAM, p2m_ram_rw);
	map_page(GFN_RAM_RO, p2m_ram_ro);
	map_page(GFN_FOREIGN, p2m_map_foreign_rw);
	map_page(GFN_SHARED_INFO, p2m_xen_page);
	map_page(GFN_MMIO, p2m_mmio_direct_dev);
	map_page(GFN_GRANT, p2m_grant_map_rw);
	fake_current = &dom0.vcpu[0];
	xsm_init(XSM_POLICY_DEFAULT);
	return 0;
}

static int teardown(void **state)
{
	evtchn_domain_destroy(&dom0.d);
	fake_domain_put(&dom0);
	fake_p2m_clear();
	return 0;
}

/* A good request: Orchid has no FIFO, the answer of a Xen built without. */
static void test_init_control_refused(void **state)
{
	assert_int_equal(init_control(0, GFN_RAM, 0), -EOPNOTSUPP);
	assert_int_equal(init_control(1, GFN_RAM, 64), -EOPNOTSUPP);
	/* The last offset at which the 72-byte block fits in its page. */
	assert_int_equal(init_control(0, GFN_RAM, 4096 - 72), -EOPNOTSUPP);
	/* Refused again: nothing was set up by the first one. */
	assert_int_equal(init_control(0, GFN_RAM, 0), -EOPNOTSUPP);
	/* What Xen's get_page_from_gfn accepts: any page the domain owns. */
	assert_int_equal(init_control(0, GFN_RAM_RO, 0), -EOPNOTSUPP);
	assert_int_equal(init_control(0, GFN_FOREIGN, 0), -EOPNOTSUPP);
	assert_int_equal(init_control(0, GFN_SHARED_INFO, 0), -EOPNOTSUPP);
}

/* Xen's domain_vcpu: out of range or never brought up is -ENOENT. */
static void test_init_control_bad_vcpu(void **state)
{
	assert_int_equal(init_control(2, GFN_RAM, 0), -ENOENT);
	assert_int_equal(init_control(3, GFN_RAM, 0), -ENOENT);
	assert_int_equal(init_control(0xffffffff, GFN_RAM, 0), -ENOENT);
	/* The vCPU is checked first: bad offset and GFN too, still -ENOENT. */
	assert_int_equal(init_control(1000, GFN_HOLE, 3), -ENOENT);
}

static void test_init_control_bad_offset(void **state)
{
	/* Past the last fitting offset, even when 8-byte aligned. */
	assert_int_equal(init_control(0, GFN_RAM, 4096 - 72 + 8), -EINVAL);
	assert_int_equal(init_control(0, GFN_RAM, 4096), -EINVAL);
	assert_int_equal(init_control(0, GFN_RAM, 0xfffffff8), -EINVAL);
	assert_int_equal(init_control(0, GFN_RAM, 0xffffffff), -EINVAL);
	/* Not 8-byte aligned. */
	assert_int_equal(init_control(0, GFN_RAM, 4), -EINVAL);
	assert_int_equal(init_control(0, GFN_RAM, 1), -EINVAL);
}

/* Xen's map_guest_page: no page of the domain's behind the GFN. */
static void test_init_control_bad_gfn(void **state)
{
	assert_int_equal(init_control(0, GFN_HOLE, 0), -EINVAL);
	assert_int_equal(init_control(0, GFN_MMIO, 0), -EINVAL);
	assert_int_equal(init_control(0, GFN_GRANT, 0), -EINVAL);
	assert_int_equal(init_control(0, 0, 0), -EINVAL);
	/* Beyond the IPA space, and a GFN whose address wraps onto RAM. */
	assert_int_equal(init_control(0, 1ULL << (40 - 12), 0), -EINVAL);
	assert_int_equal(init_control(0, ~0ULL, 0), -EINVAL);
	assert_int_equal(init_control(0, (1ULL << 52) + GFN_RAM, 0), -EINVAL);
}

static void test_bad_argument_pointers(void **state)
{
	assert_int_equal(do_event_channel_op(EVTCHNOP_init_control, 0),
			 -EFAULT);
	assert_int_equal(do_event_channel_op(EVTCHNOP_expand_array, 0),
			 -EFAULT);
	assert_int_equal(do_event_channel_op(EVTCHNOP_set_priority, 0),
			 -EFAULT);
	/* The structure straddles the end of guest memory. */
	assert_int_equal(
		do_event_channel_op(EVTCHNOP_init_control,
				    FAKE_GUEST_VA + FAKE_GUEST_SIZE - 8),
		-EFAULT);
	assert_int_equal(do_event_channel_op(EVTCHNOP_init_control, ~0ULL - 7),
			 -EFAULT);
}

/* Xen: no event array to add to until init_control succeeded. */
static void test_expand_array(void **state)
{
	assert_int_equal(expand_array(GFN_RAM), -EOPNOTSUPP);
	assert_int_equal(expand_array(GFN_HOLE), -EOPNOTSUPP);
	assert_int_equal(expand_array(~0ULL), -EOPNOTSUPP);
}

/* Xen: the port must be valid (-EINVAL); the 2-level ABI has no
 * priorities (-ENOSYS), whatever the priority asked. */
static void test_set_priority(void **state)
{
	long port = alloc_unbound();

	assert_true(port > 0);
	assert_int_equal(set_priority(port, 0), -ENOSYS);
	assert_int_equal(set_priority(port, 15), -ENOSYS);
	assert_int_equal(set_priority(port, 16), -ENOSYS);
	assert_int_equal(set_priority(port, 0xffffffff), -ENOSYS);
	/* Free ports of an existing bucket, and reserved port 0, are valid. */
	assert_int_equal(set_priority(0, 7), -ENOSYS);
	assert_int_equal(set_priority(63, 7), -ENOSYS);
	/* Past the buckets the domain has: no such port. */
	assert_int_equal(set_priority(64, 7), -EINVAL);
	assert_int_equal(set_priority(4095, 7), -EINVAL);
	assert_int_equal(set_priority(4096, 7), -EINVAL);
	assert_int_equal(set_priority(0xffffffff, 7), -EINVAL);
}

/* After every refusal, ports and 2-level delivery are untouched. */
static void test_refusals_change_nothing(void **state)
{
	struct evtchn_bind_ipi ipi = {.vcpu = 0};
	struct evtchn_send send;
	long port;

	init_control(0, GFN_RAM, 0);
	init_control(0, GFN_HOLE, 0);
	expand_array(GFN_RAM);
	set_priority(1, 7);
	/* The first free port, then an IPI to itself that arrives 2-level. */
	assert_int_equal(alloc_unbound(), 1);
	assert_int_equal(call(EVTCHNOP_bind_ipi, &ipi, sizeof(ipi)), 0);
	port = ipi.port;
	assert_int_equal(port, 2);
	send.port = port;
	assert_int_equal(call(EVTCHNOP_send, &send, sizeof(send)), 0);
	assert_true(dom0.d.shared_info->evtchn_pending[0] & (1UL << port));
	assert_int_equal(dom0.vcpu[0].vcpu_info->evtchn_upcall_pending, 1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_init_control_refused),
		T(test_init_control_bad_vcpu),
		T(test_init_control_bad_offset),
		T(test_init_control_bad_gfn),
		T(test_bad_argument_pointers),
		T(test_expand_array),
		T(test_set_priority),
		T(test_refusals_change_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
