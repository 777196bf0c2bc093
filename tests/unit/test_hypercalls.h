/* SPDX-License-Identifier: MIT */
/*
 * The groups of the hypercalls unit test, one per handler file; each runs
 * its cmocka group and returns the number of failed tests.
 */
#ifndef TESTS_UNIT_TEST_HYPERCALLS_H
#define TESTS_UNIT_TEST_HYPERCALLS_H

int test_hc_version(void);
int test_hc_console(void);
int test_hc_memory(void);
int test_hc_vcpu_op(void);
int test_hc_hvm_op(void);
int test_hc_sched_op(void);
int test_hc_platform_op(void);
int test_hc_dispatch(void);

#endif /* TESTS_UNIT_TEST_HYPERCALLS_H */
