/* SPDX-License-Identifier: MIT */
/*
 * hvm_op (common/xen/hvm_op.c): HVM parameters with Xen on Arm's rules. The
 * toolstack (a privileged domain acting on another) sets and reads them;
 * a domain reads a few of its own and sets none; nobody else gets in.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <orchid/errno.h>
#include <orchid/hypercalls.h>
#include <public/hvm/params.h>

#include "fake_guest.h"
#include "test_hypercalls.h"

static struct fake_guest dom0, domu, domu2;

/* The parameters Arm knows; every other index is refused. */
static const uint32_t known[] = {
	HVM_PARAM_CALLBACK_IRQ,	  HVM_PARAM_STORE_PFN,
	HVM_PARAM_STORE_EVTCHN,	  HVM_PARAM_CONSOLE_PFN,
	HVM_PARAM_CONSOLE_EVTCHN, HVM_PARAM_MONITOR_RING_PFN,
};

static int setup(void **state)
{
	fake_reset();
	fake_guest_create(&dom0, 0, true, 1);
	fake_guest_create(&domu, 1, false, 1);
	fake_guest_create(&domu2, 2, false, 1);
	hardware_domain = &dom0.d;
	for (unsigned int i = 0; i < HVM_NR_PARAMS; i++) {
		dom0.d.hvm_params[i] = 0x1000 + i;
		domu.d.hvm_params[i] = 0x2000 + i;
		domu2.d.hvm_params[i] = 0x3000 + i;
	}
	fake_run_as(&domu, 0);
	return 0;
}

static int teardown(void **state)
{
	fake_check_unlocked();
	fake_guest_destroy(&domu2);
	fake_guest_destroy(&domu);
	fake_guest_destroy(&dom0);
	return 0;
}

#define ARG_VA fake_va(2, 0x10)

/*
 * set_param: guest memory is snapshot after the argument is written, and
 * must not change (set_param writes nothing back).
 */
static long set_param(domid_t domid, uint32_t index, uint64_t value)
{
	struct xen_hvm_param p = {
		.domid = domid, .index = index, .value = value};
	long rc;

	fake_poke(ARG_VA, &p, sizeof(p));
	fake_snapshot();
	rc = HC(hc_hvm_op, HVMOP_set_param, ARG_VA);
	fake_unchanged();
	return rc;
}

/*
 * get_param: the value, or the error; on error guest memory must not
 * have changed.
 */
static long get_param(domid_t domid, uint32_t index, uint64_t *value)
{
	struct xen_hvm_param p = {.domid = domid,
				  .index = index,
				  .pad = 0x77,
				  .value = 0xdeadbeef};
	long rc;

	fake_poke(ARG_VA, &p, sizeof(p));
	fake_snapshot();
	rc = HC(hc_hvm_op, HVMOP_get_param, ARG_VA);
	if (rc) {
		fake_unchanged();
		return rc;
	}
	fake_peek(ARG_VA, &p, sizeof(p));
	assert_int_equal(p.domid, domid);
	assert_int_equal(p.index, index);
	assert_int_equal(p.pad, 0x77);
	*value = p.value;
	return 0;
}

static void test_toolstack_sets_and_gets(void **state)
{
	uint64_t v;

	fake_run_as(&dom0, 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(known); i++) {
		assert_int_equal(set_param(1, known[i], 0xabc0 + i), 0);
		assert_int_equal(domu.d.hvm_params[known[i]], 0xabc0 + i);
		assert_int_equal(get_param(1, known[i], &v), 0);
		assert_int_equal(v, 0xabc0 + i);
	}
	/* Only the named domain changed. */
	assert_int_equal(dom0.d.hvm_params[HVM_PARAM_STORE_PFN],
			 0x1000 + HVM_PARAM_STORE_PFN);
	assert_int_equal(domu2.d.hvm_params[HVM_PARAM_STORE_PFN],
			 0x3000 + HVM_PARAM_STORE_PFN);
	/* The full 64 bits. */
	assert_int_equal(set_param(2, HVM_PARAM_CALLBACK_IRQ, UINT64_MAX), 0);
	assert_int_equal(get_param(2, HVM_PARAM_CALLBACK_IRQ, &v), 0);
	assert_int_equal(v, UINT64_MAX);
}

static void test_domain_reads_its_own(void **state)
{
	uint64_t v;

	for (unsigned int i = 0; i < ARRAY_SIZE(known); i++) {
		uint32_t idx = known[i];
		long want = idx == HVM_PARAM_MONITOR_RING_PFN ? -EPERM : 0;

		v = 0;
		assert_int_equal(get_param(DOMID_SELF, idx, &v), want);
		if (!want)
			assert_int_equal(v, 0x2000 + idx);
		assert_int_equal(get_param(1, idx, &v), want);
	}
	/* Dom0 too: the monitor ring is the toolstack's business. */
	fake_run_as(&dom0, 0);
	assert_int_equal(get_param(DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &v), 0);
	assert_int_equal(v, 0x1000);
	assert_int_equal(get_param(0, HVM_PARAM_MONITOR_RING_PFN, &v), -EPERM);
}

static void test_domain_sets_none_of_its_own(void **state)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(known); i++) {
		assert_int_equal(set_param(DOMID_SELF, known[i], 5), -EPERM);
		assert_int_equal(set_param(1, known[i], 5), -EPERM);
		assert_int_equal(domu.d.hvm_params[known[i]],
				 0x2000 + known[i]);
	}
	/* Not even Dom0. */
	fake_run_as(&dom0, 0);
	assert_int_equal(set_param(DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, 5),
			 -EPERM);
	assert_int_equal(set_param(0, HVM_PARAM_STORE_PFN, 5), -EPERM);
	assert_int_equal(dom0.d.hvm_params[HVM_PARAM_CALLBACK_IRQ], 0x1000);
}

static void test_other_indexes(void **state)
{
	uint64_t v;

	fake_run_as(&dom0, 0);
	for (uint32_t idx = 0; idx < HVM_NR_PARAMS; idx++) {
		bool is_known = false;

		for (unsigned int i = 0; i < ARRAY_SIZE(known); i++)
			is_known |= known[i] == idx;
		if (is_known)
			continue;
		assert_int_equal(set_param(1, idx, 5), -EINVAL);
		assert_int_equal(get_param(1, idx, &v), -EINVAL);
		assert_int_equal(domu.d.hvm_params[idx], 0x2000 + idx);
	}
}

static void test_out_of_range(void **state)
{
	static const uint32_t idx[] = {
		HVM_NR_PARAMS, HVM_NR_PARAMS + 1, 1000, 0x80000000U, UINT32_MAX,
	};
	uint64_t v;

	for (unsigned int i = 0; i < ARRAY_SIZE(idx); i++) {
		fake_run_as(&dom0, 0);
		assert_int_equal(set_param(1, idx[i], 5), -EINVAL);
		assert_int_equal(get_param(1, idx[i], &v), -EINVAL);
		fake_run_as(&domu, 0);
		assert_int_equal(set_param(DOMID_SELF, idx[i], 5), -EINVAL);
		assert_int_equal(get_param(DOMID_SELF, idx[i], &v), -EINVAL);
	}
	for (unsigned int i = 0; i < HVM_NR_PARAMS; i++)
		assert_int_equal(domu.d.hvm_params[i], 0x2000 + i);
}

static void test_other_domains(void **state)
{
	uint64_t v;

	/* A DomU acts on no one else, Dom0 included. */
	assert_int_equal(set_param(0, HVM_PARAM_CALLBACK_IRQ, 5), -EPERM);
	assert_int_equal(get_param(0, HVM_PARAM_CALLBACK_IRQ, &v), -EPERM);
	assert_int_equal(set_param(2, HVM_PARAM_STORE_PFN, 5), -EPERM);
	assert_int_equal(get_param(2, HVM_PARAM_STORE_EVTCHN, &v), -EPERM);
	assert_int_equal(domu2.d.hvm_params[HVM_PARAM_STORE_PFN],
			 0x3000 + HVM_PARAM_STORE_PFN);
	/* Domains that do not exist, for anyone. */
	assert_int_equal(set_param(7, HVM_PARAM_STORE_PFN, 5), -ESRCH);
	assert_int_equal(get_param(DOMID_IO, HVM_PARAM_STORE_PFN, &v), -ESRCH);
	fake_run_as(&dom0, 0);
	assert_int_equal(set_param(7, HVM_PARAM_STORE_PFN, 5), -ESRCH);
	assert_int_equal(get_param(DOMID_XEN, HVM_PARAM_STORE_PFN, &v), -ESRCH);
	assert_int_equal(get_param(0xffff, HVM_PARAM_STORE_PFN, &v), -ESRCH);
}

static void test_bad_pointers(void **state)
{
	uint64_t bad[FAKE_BAD_MAX];
	unsigned int n = fake_bad_read(sizeof(struct xen_hvm_param), bad);

	fake_run_as(&dom0, 0);
	fake_snapshot();
	for (unsigned int i = 0; i < n; i++) {
		assert_int_equal(HC(hc_hvm_op, HVMOP_set_param, bad[i]),
				 -EFAULT);
		assert_int_equal(HC(hc_hvm_op, HVMOP_get_param, bad[i]),
				 -EFAULT);
	}
	fake_unchanged();
	/* Readable but not writable: a get fails, writing nothing. */
	n = fake_bad_write(sizeof(struct xen_hvm_param), bad);
	for (unsigned int i = 0; i < n; i++) {
		struct xen_hvm_param p = {.domid = 1,
					  .index = HVM_PARAM_STORE_PFN};

		fake_poke(bad[i], &p, sizeof(p));
		fake_snapshot();
		assert_int_equal(HC(hc_hvm_op, HVMOP_get_param, bad[i]),
				 -EFAULT);
		fake_unchanged();
		/* A set only reads. */
		assert_int_equal(HC(hc_hvm_op, HVMOP_set_param, bad[i]), 0);
		assert_int_equal(domu.d.hvm_params[HVM_PARAM_STORE_PFN], 0);
		domu.d.hvm_params[HVM_PARAM_STORE_PFN] = 1;
	}
}

static void test_unknown_ops(void **state)
{
	static const uint64_t ops[] = {2, 3, 4, 0x100, 1ULL << 32, UINT64_MAX};

	fake_run_as(&dom0, 0);
	fake_snapshot();
	for (unsigned int i = 0; i < ARRAY_SIZE(ops); i++)
		assert_int_equal(HC(hc_hvm_op, ops[i], ARG_VA), -ENOSYS);
	fake_unchanged();
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int test_hc_hvm_op(void)
{
	const struct CMUnitTest tests[] = {
		T(test_toolstack_sets_and_gets),
		T(test_domain_reads_its_own),
		T(test_domain_sets_none_of_its_own),
		T(test_other_indexes),
		T(test_out_of_range),
		T(test_other_domains),
		T(test_bad_pointers),
		T(test_unknown_ops),
	};

	return cmocka_run_group_tests_name("hvm_op", tests, NULL, NULL);
}
