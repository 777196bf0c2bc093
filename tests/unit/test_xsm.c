// SPDX-License-Identifier: MIT
/*
 * The XSM policy module (common/xen/xsm.c) on its own: every hook for every
 * pairing of Dom0 and two DomUs, with the caller on either side, under
 * silo and dummy, and what xsm_init logs. The hypercall paths that call
 * the hooks are tested in test_evtchn.c and test_grant_map.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <orchid/errno.h>
#include <orchid/printk.h>
#include <orchid/xsm.h>

#include "fake_domain.h"

static struct fake_domain dom0, domu1, domu2;
static char log_text[1 << CONFIG_LOG_BUF_SHIFT];

static const char *logged(void)
{
	size_t n = console_ring_read(log_text, sizeof(log_text) - 1, 0);

	log_text[n] = '\0';
	return log_text;
}

static void as(struct fake_domain *fd)
{
	fake_current = &fd->vcpu[0];
}

static int setup(void **state)
{
	(void)state;
	fake_domain_get(&dom0, 0, true, 1, 1);
	fake_domain_get(&domu1, 1, false, 1, 1);
	fake_domain_get(&domu2, 2, false, 1, 1);
	as(&domu1);
	xsm_init(XSM_POLICY_DEFAULT);
	console_ring_clear();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fake_domain_put(&dom0);
	fake_domain_put(&domu1);
	fake_domain_put(&domu2);
	xsm_init(XSM_POLICY_DEFAULT);
	return 0;
}

/* The three pairwise hooks, which decide alike. */
static void assert_pair(const struct domain *l, const struct domain *r,
			int want)
{
	assert_int_equal(xsm_evtchn_interdomain(l, r), want);
	assert_int_equal(xsm_grant_mapref(l, r, 0), want);
	assert_int_equal(xsm_grant_copy(l, r), want);
}

static void test_silo_pairs(void **state)
{
	(void)state;
	assert_int_equal(xsm_active_policy(), XSM_POLICY_SILO);
	/* A DomU as caller: another DomU is out of reach, both ways. */
	as(&domu1);
	assert_pair(&domu1.d, &domu2.d, -EPERM);
	assert_pair(&domu2.d, &domu1.d, -EPERM);
	/* Dom0 on either side, or one domain alone, is fine. */
	assert_pair(&domu1.d, &dom0.d, 0);
	assert_pair(&dom0.d, &domu1.d, 0);
	assert_pair(&domu1.d, &domu1.d, 0);
	assert_pair(&domu2.d, &domu2.d, 0);
	/* Dom0 as caller may join two DomUs (Xen checks current too). */
	as(&dom0);
	assert_pair(&domu1.d, &domu2.d, 0);
}

static void test_dummy_pairs(void **state)
{
	(void)state;
	xsm_init(XSM_POLICY_DUMMY);
	assert_int_equal(xsm_active_policy(), XSM_POLICY_DUMMY);
	as(&domu1);
	assert_pair(&domu1.d, &domu2.d, 0);
	assert_pair(&domu2.d, &domu1.d, 0);
	assert_pair(&domu1.d, &dom0.d, 0);
}

static void test_silo_unbound(void **state)
{
	(void)state;
	as(&domu1);
	assert_int_equal(xsm_evtchn_unbound(&domu1.d, 2), -EPERM);
	assert_int_equal(xsm_evtchn_unbound(&domu1.d, 0), 0);
	assert_int_equal(xsm_evtchn_unbound(&domu1.d, 1), 0);
	assert_int_equal(xsm_evtchn_unbound(&domu1.d, DOMID_SELF), 0);
	/* Silo needs the remote domain to exist, whoever asks. */
	assert_int_equal(xsm_evtchn_unbound(&domu1.d, 7), -ESRCH);
	/* XSM_TARGET: a DomU allocates in itself only. */
	assert_int_equal(xsm_evtchn_unbound(&domu2.d, 0), -EPERM);
	assert_int_equal(xsm_evtchn_unbound(&dom0.d, 1), -EPERM);
	as(&dom0);
	assert_int_equal(xsm_evtchn_unbound(&domu2.d, 1), 0);
	assert_int_equal(xsm_evtchn_unbound(&domu2.d, DOMID_SELF), 0);
	assert_int_equal(xsm_evtchn_unbound(&dom0.d, 7), -ESRCH);
}

static void test_dummy_unbound(void **state)
{
	(void)state;
	xsm_init(XSM_POLICY_DUMMY);
	as(&domu1);
	assert_int_equal(xsm_evtchn_unbound(&domu1.d, 2), 0);
	assert_int_equal(xsm_evtchn_unbound(&domu1.d, 7), 0);
	assert_int_equal(xsm_evtchn_unbound(&domu2.d, 1), -EPERM);
	assert_int_equal(xsm_evtchn_unbound(&dom0.d, 1), -EPERM);
	as(&dom0);
	assert_int_equal(xsm_evtchn_unbound(&domu2.d, 7), 0);
}

/* Xen 4.17's boot messages, so logs can be compared line by line. */
static void test_boot_log_silo(void **state)
{
	(void)state;
	xsm_init(XSM_POLICY_DEFAULT);
	assert_string_equal(logged(), "(XEN) XSM Framework v1.0.1 initialized\n"
				      "(XEN) Initialising XSM SILO mode\n");
	console_ring_clear();
	xsm_init(XSM_POLICY_SILO);
	assert_string_equal(logged(), "(XEN) XSM Framework v1.0.1 initialized\n"
				      "(XEN) Initialising XSM SILO mode\n");
}

static void test_boot_log_dummy(void **state)
{
	(void)state;
	xsm_init(XSM_POLICY_DUMMY);
	assert_non_null(strstr(logged(),
			       "(XEN) XSM Framework v1.0.1 initialized\n"
			       "(XEN) WARNING: SILO mode is not enabled.\n"));
	assert_null(strstr(logged(), "SILO mode\n"));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	static const struct CMUnitTest tests[] = {
		T(test_silo_pairs),    T(test_dummy_pairs),
		T(test_silo_unbound),  T(test_dummy_unbound),
		T(test_boot_log_silo), T(test_boot_log_dummy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
