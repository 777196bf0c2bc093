// SPDX-License-Identifier: MIT
/*
 * Passthrough domctls as Dom0's toolstack (libxl's iomem=, irqs=) and a
 * hostile caller send them, over the real domctl.c, passthrough.c and
 * domain life cycle: Xen 4.17's checks and errnos (common/domctl.c,
 * arch/arm/domctl.c), and Orchid's claim that keeps one device frame in
 * one domain. The vGIC's half is a fake here (its answers are tested under
 * QEMU by the test guest).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/passthrough.h>
#include <public/domctl.h>

#include "fake_toolstack.h"

/* A device of the host: Dom0 may hand it on (xen,passthrough in its DT). */
#define DEV_MFN 0xa003ULL
#define DEV_SPI 79U

static long iomem_perm(domid_t domid, uint64_t mfn, uint64_t nr, bool allow)
{
	struct xen_domctl op = {.cmd = XEN_DOMCTL_iomem_permission,
				.domain = domid};

	op.u.iomem_permission.first_mfn = mfn;
	op.u.iomem_permission.nr_mfns = nr;
	op.u.iomem_permission.allow_access = allow;
	return call_domctl(&op);
}

static long irq_perm(domid_t domid, uint32_t irq, bool allow)
{
	struct xen_domctl op = {.cmd = XEN_DOMCTL_irq_permission,
				.domain = domid};

	op.u.irq_permission.pirq = irq;
	op.u.irq_permission.allow_access = allow;
	return call_domctl(&op);
}

static long mapping(domid_t domid, uint64_t gfn, uint64_t mfn, uint64_t nr,
		    bool add)
{
	struct xen_domctl op = {.cmd = XEN_DOMCTL_memory_mapping,
				.domain = domid};

	op.u.memory_mapping.first_gfn = gfn;
	op.u.memory_mapping.first_mfn = mfn;
	op.u.memory_mapping.nr_mfns = nr;
	op.u.memory_mapping.add_mapping = add;
	return call_domctl(&op);
}

static long pt_irq(domid_t domid, uint32_t cmd, uint32_t machine, uint16_t spi,
		   uint32_t type)
{
	struct xen_domctl op = {.cmd = cmd, .domain = domid};

	op.u.bind_pt_irq.machine_irq = machine;
	op.u.bind_pt_irq.irq_type = type;
	op.u.bind_pt_irq.u.spi.spi = spi;
	return call_domctl(&op);
}

static long bind(domid_t domid, uint32_t irq)
{
	return pt_irq(domid, XEN_DOMCTL_bind_pt_irq, irq, (uint16_t)irq,
		      PT_IRQ_TYPE_SPI);
}

static bool mapped_dev(domid_t domid, uint64_t gfn, uint64_t mfn)
{
	enum p2m_type t;
	paddr_t pa;

	return p2m_lookup(domain_lookup(domid), ipa_init(gfn << PAGE_SHIFT),
			  &pa, &t) &&
	       t == p2m_mmio_direct_dev && pa_addr(pa) == mfn << PAGE_SHIFT;
}

/* Dom0 as domain_build leaves it with one device marked for passthrough. */
static int setup_pt(void **state)
{
	setup(state);
	assert_int_equal(iomem_permit(dom0, DEV_MFN, 1, true), 0);
	assert_int_equal(irq_permit(dom0, DEV_SPI, true), 0);
	return 0;
}

/* libxl's iomem= then irqs= for a DomU: the device is the DomU's. */
static void test_xl_sequence(void **state)
{
	domid_t domid = make_guest(1);

	(void)state;
	assert_int_equal(iomem_perm(domid, DEV_MFN, 1, true), 0);
	assert_int_equal(mapping(domid, DEV_MFN, DEV_MFN, 1, true), 0);
	assert_true(mapped_dev(domid, DEV_MFN, DEV_MFN));
	/* Mapping it again where it is is no error, as in Xen. */
	assert_int_equal(mapping(domid, DEV_MFN, DEV_MFN, 1, true), 0);
	assert_int_equal(irq_perm(domid, DEV_SPI, true), 0);
	assert_int_equal(bind(domid, DEV_SPI), 0);
	assert_ptr_equal(fake_irq_owner[DEV_SPI], domain_lookup(domid));
	/* Xen's release_guest_irq: a live domain keeps its line. */
	assert_int_equal(pt_irq(domid, XEN_DOMCTL_unbind_pt_irq, DEV_SPI,
				DEV_SPI, PT_IRQ_TYPE_SPI),
			 -EBUSY);
	assert_int_equal(pt_irq(domid, XEN_DOMCTL_unbind_pt_irq, DEV_SPI + 1,
				DEV_SPI + 1, PT_IRQ_TYPE_SPI),
			 -EPERM);
	/* Unmapped, the frame is free again. */
	assert_int_equal(mapping(domid, DEV_MFN, DEV_MFN, 1, false), 0);
	assert_false(mapped_dev(domid, DEV_MFN, DEV_MFN));
}

/* Xen's argument checks, in its order. */
static void test_mapping_errors(void **state)
{
	domid_t domid = make_guest(1);

	(void)state;
	/* Wraps and MFNs past paddr_bits (48): -EINVAL. */
	assert_int_equal(mapping(domid, 0, DEV_MFN, 0, true), -EINVAL);
	assert_int_equal(mapping(domid, 0, ~0ULL, 2, true), -EINVAL);
	assert_int_equal(mapping(domid, 0, 1ULL << 36, 1, true), -EINVAL);
	assert_int_equal(mapping(domid, ~0ULL, DEV_MFN, 2, true), -EINVAL);
	/* Over 64 pages: libxl splits, as Xen's Arm asks with -E2BIG. */
	assert_int_equal(mapping(domid, DEV_MFN, DEV_MFN, 65, true), -E2BIG);
	/* The target was not permitted the frame. */
	assert_int_equal(mapping(domid, DEV_MFN, DEV_MFN, 1, true), -EPERM);
	/* Nor may the caller hand out what it lacks (host RAM, the GIC). */
	assert_int_equal(iomem_perm(domid, 0x40000, 1, true), -EPERM);
	assert_int_equal(iomem_perm(domid, 0x8000, 16, true), -EPERM);
	assert_int_equal(iomem_perm(domid, DEV_MFN, 2, true), -EPERM);
	assert_int_equal(iomem_perm(domid, ~0ULL, 2, true), -EINVAL);
	assert_int_equal(mapping(domid, DEV_MFN, 0x40000, 1, true), -EPERM);
	/* Over the guest's RAM: Orchid refuses, a page must not go missing. */
	assert_int_equal(iomem_perm(domid, DEV_MFN, 1, true), 0);
	assert_int_equal(mapping(domid, 0x40000, DEV_MFN, 1, true), -EBUSY);
	assert_int_equal(mapping(domid, 0x40000, DEV_MFN, 1, false), -EILSEQ);
	assert_false(mapped_dev(domid, 0x40000, DEV_MFN));
}

static void test_irq_errors(void **state)
{
	domid_t domid = make_guest(1);

	(void)state;
	assert_int_equal(irq_perm(domid, 1024, true), -EINVAL);
	assert_int_equal(irq_perm(domid, DEV_SPI + 1, true), -EPERM);
	assert_int_equal(
		pt_irq(domid, XEN_DOMCTL_bind_pt_irq, DEV_SPI, DEV_SPI, 1),
		-EOPNOTSUPP);
	assert_int_equal(pt_irq(domid, XEN_DOMCTL_bind_pt_irq, DEV_SPI,
				DEV_SPI + 1, PT_IRQ_TYPE_SPI),
			 -EINVAL);
	/* The caller's right is checked, as in Xen (not the target's). */
	assert_int_equal(bind(domid, DEV_SPI + 1), -EPERM);
	assert_int_equal(bind(domid, DEV_SPI), 0);
	assert_int_equal(bind(domid, DEV_SPI), -EBUSY);
	assert_int_equal(
		pt_irq(domid, XEN_DOMCTL_unbind_pt_irq, DEV_SPI, DEV_SPI, 0),
		-EOPNOTSUPP);
}

/* One device, one domain: a second DomU, or Dom0's own devices, -EBUSY. */
static void test_one_owner(void **state)
{
	domid_t a = make_guest(1), b = make_guest(1);

	(void)state;
	assert_int_equal(iomem_perm(a, DEV_MFN, 1, true), 0);
	assert_int_equal(iomem_perm(b, DEV_MFN, 1, true), 0);
	assert_int_equal(mapping(a, DEV_MFN, DEV_MFN, 1, true), 0);
	assert_int_equal(mapping(b, 0x9000, DEV_MFN, 1, true), -EBUSY);
	assert_false(mapped_dev(b, 0x9000, DEV_MFN));
	assert_int_equal(bind(a, DEV_SPI), 0);
	assert_int_equal(bind(b, DEV_SPI), -EBUSY);

	/* a destroyed: the frame goes to b. */
	assert_int_equal(simple(XEN_DOMCTL_destroydomain, a), 0);
	assert_int_equal(mapping(b, 0x9000, DEV_MFN, 1, true), 0);
	assert_true(mapped_dev(b, 0x9000, DEV_MFN));

	/* A device Dom0 still maps (not xen,passthrough) is not given. */
	assert_int_equal(iomem_permit(dom0, 0xa000, 1, true), 0);
	assert_int_equal(iomem_claim(dom0, 0xa000, 1), 0);
	assert_int_equal(iomem_perm(b, 0xa000, 1, true), 0);
	assert_int_equal(mapping(b, 0xa000, 0xa000, 1, true), -EBUSY);
	iomem_unclaim(dom0, 0xa000, 1);
	assert_int_equal(mapping(b, 0xa000, 0xa000, 1, true), 0);
}

/* Unmapping the middle of a range frees that page only. */
static void test_partial_unmap(void **state)
{
	domid_t a = make_guest(1), b = make_guest(1);

	(void)state;
	assert_int_equal(iomem_permit(dom0, 0xb000, 3, true), 0);
	assert_int_equal(iomem_perm(a, 0xb000, 3, true), 0);
	assert_int_equal(iomem_perm(b, 0xb000, 3, true), 0);
	assert_int_equal(mapping(a, 0xb000, 0xb000, 3, true), 0);
	assert_int_equal(mapping(a, 0xb001, 0xb001, 1, false), 0);
	assert_false(mapped_dev(a, 0xb001, 0xb001));
	assert_true(mapped_dev(a, 0xb002, 0xb002));
	assert_int_equal(mapping(b, 0xb001, 0xb001, 1, true), 0);
	assert_int_equal(mapping(b, 0xb000, 0xb000, 1, true), -EBUSY);
	assert_int_equal(mapping(b, 0xb002, 0xb002, 1, true), -EBUSY);
}

/* A DomU, even one permitted the device, may not call them: -EPERM. */
static void test_domu_caller(void **state)
{
	domid_t domid = make_guest(1);
	struct domain *d = domain_lookup(domid);

	(void)state;
	assert_int_equal(iomem_perm(domid, DEV_MFN, 1, true), 0);
	assert_int_equal(irq_perm(domid, DEV_SPI, true), 0);
	assert_int_equal(simple(XEN_DOMCTL_unpausedomain, domid), 0);
	current = d->vcpus[0];
	assert_int_equal(mapping(domid, DEV_MFN, DEV_MFN, 1, true), -EPERM);
	/* Xen's do_domctl looks DOMID_SELF up by ID: there is none. */
	assert_int_equal(mapping(DOMID_SELF, DEV_MFN, DEV_MFN, 1, true),
			 -ESRCH);
	assert_int_equal(iomem_perm(domid, DEV_MFN, 1, true), -EPERM);
	assert_int_equal(irq_perm(domid, DEV_SPI, true), -EPERM);
	assert_int_equal(bind(domid, DEV_SPI), -EPERM);
	current = dom0->vcpus[0];
	assert_false(mapped_dev(domid, DEV_MFN, DEV_MFN));
	assert_null(fake_irq_owner[DEV_SPI]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup_pt, teardown)
		T(test_xl_sequence),   T(test_mapping_errors),
		T(test_irq_errors),    T(test_one_owner),
		T(test_partial_unmap), T(test_domu_caller),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
