/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of credit2 (common/sched/credit2.c) through the scheduler
 * core on a fake clock: CPU shares follow weights, a cap holds a domain
 * to its share, the rate limit, credit resets, yield, and the domctl and
 * sysctl parameters as Xen 4.17's csched2_dom_cntl/sys_cntl answer them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <asm/fake.h>
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/sched.h>
#include <public/domctl.h>
#include <public/sysctl.h>

#include "fake_sched.h"

static struct domain heavy;

/* vCPU @i of a second domain, weight @w (the first keeps 256). */
static struct vcpu *up_heavy(unsigned int i, unsigned int cpu, uint16_t w)
{
	heavy.domain_id = 2;
	heavy.sched_weight = w;
	vc[i].domain = &heavy;
	return up(i, cpu);
}

static int c2_setup(void **state)
{
	setup(state);
	memset(&heavy, 0, sizeof(heavy));
	dom.sched_weight = 256;
	return 0;
}

/* Weights 256 and 512 on one pCPU: CPU time 1:2 (within 5 %). */
static void test_weights_share_cpu(void **state)
{
	uint64_t ran[NR_TEST_VCPUS] = {0};

	up(0, 1);
	up_heavy(1, 1, 512);
	run_for(1, 3000 * SLICE_NS, ran);
	assert_true(ran[0] + ran[1] == 3000 * SLICE_NS);
	assert_true(ran[1] * 100 >= ran[0] * 190);
	assert_true(ran[1] * 100 <= ran[0] * 210);
}

/* Equal weights: equal shares, whatever the number of vCPUs. */
static void test_equal_weights_equal_shares(void **state)
{
	uint64_t ran[NR_TEST_VCPUS] = {0};

	up(0, 2);
	up(1, 2);
	up(2, 2);
	run_for(2, 3000 * SLICE_NS, ran);
	for (unsigned int i = 0; i < 3; i++) {
		assert_true(ran[i] * 100 >= 1000 * SLICE_NS * 95);
		assert_true(ran[i] * 100 <= 1000 * SLICE_NS * 105);
	}
}

static long put_c2(struct domain *d, uint32_t weight, uint32_t cap)
{
	struct xen_domctl_scheduler_op op = {
		.sched_id = XEN_SCHEDULER_CREDIT2,
		.cmd = XEN_DOMCTL_SCHEDOP_putinfo,
	};

	op.u.credit2.weight = weight;
	op.u.credit2.cap = cap;
	return sched_dom_cntl(d, &op);
}

static void get_c2(struct domain *d, uint32_t *weight, uint32_t *cap)
{
	struct xen_domctl_scheduler_op op = {
		.sched_id = XEN_SCHEDULER_CREDIT2,
		.cmd = XEN_DOMCTL_SCHEDOP_getinfo,
	};

	assert_int_equal(sched_dom_cntl(d, &op), 0);
	*weight = op.u.credit2.weight;
	*cap = op.u.credit2.cap;
}

/* A cap of 25 holds a lone CPU hog to 25 % of its pCPU (within 2 %). */
static void test_cap_holds_share(void **state)
{
	uint64_t ran[NR_TEST_VCPUS] = {0};

	up(0, 3);
	assert_int_equal(put_c2(&dom, 0, 25), 0);
	run_for(3, 2000 * SLICE_NS, ran);
	assert_true(ran[0] * 100 >= 2000 * SLICE_NS * 23);
	assert_true(ran[0] * 100 <= 2000 * SLICE_NS * 27);
	/* Cap 0 removes it: the whole pCPU again. */
	assert_int_equal(put_c2(&dom, 0, 0), 0);
	ran[0] = 0;
	run_for(3, 100 * SLICE_NS, ran);
	assert_true(ran[0] >= 99 * SLICE_NS);
}

/* getinfo/putinfo: weight 0 keeps it, cap at most 100 per vCPU. */
static void test_dom_cntl(void **state)
{
	uint32_t w, cap;
	struct xen_domctl_scheduler_op op = {
		.sched_id = XEN_SCHEDULER_CREDIT2,
		.cmd = XEN_DOMCTL_SCHEDOP_putvcpuinfo,
	};

	place(0, 0);
	place(1, 0);
	dom.vcpus[0] = &vc[0];
	assert_int_equal(put_c2(&dom, 512, 50), 0);
	get_c2(&dom, &w, &cap);
	assert_int_equal(w, 512);
	assert_int_equal(cap, 50);
	assert_int_equal(put_c2(&dom, 0, 50), 0);
	get_c2(&dom, &w, &cap);
	assert_int_equal(w, 512);
	/* 6 vCPUs in this domain: 600 is the most. */
	assert_int_equal(put_c2(&dom, 0, 600), 0);
	assert_int_equal(put_c2(&dom, 0, 601), -EINVAL);
	get_c2(&dom, &w, &cap);
	assert_int_equal(cap, 600);
	/* No per-vCPU parameters in credit2. */
	assert_int_equal(sched_dom_cntl(&dom, &op), -EINVAL);
}

static long ratelimit(uint32_t cmd, uint32_t *us)
{
	struct xen_sysctl_scheduler_op op = {
		.sched_id = XEN_SCHEDULER_CREDIT2,
		.cmd = cmd,
	};
	long ret;

	op.u.sched_credit2.ratelimit_us = *us;
	ret = sched_sys_cntl(&op);
	*us = op.u.sched_credit2.ratelimit_us;
	return ret;
}

/*
 * The rate limit: a vCPU that has just started keeps its pCPU that long
 * even when one with more credit wakes, and then, as Xen 4.17's credit2
 * (runq_tickle leaves a pCPU alone whose vCPU is within its rate limit,
 * and no timer changes), to the end of the slice it got when it was
 * picked; 0 turns it off.
 */
static void test_ratelimit(void **state)
{
	struct vcpu *a = up(0, 0), *b = place(1, 0);
	uint32_t us = 0;

	assert_int_equal(ratelimit(XEN_SYSCTL_SCHEDOP_getinfo, &us), 0);
	assert_int_equal(us, 1000);
	/* a uses 5 ms of credit, sleeps, and starts again. */
	assert_ptr_equal(run(0), a);
	pass(0, 5 * SLICE_NS);
	vcpu_block(a);
	run(0);
	vcpu_wake(a);
	assert_ptr_equal(run(0), a);
	pass(0, 400000);
	/* b comes up with more credit, but a ran only 0.4 ms. */
	vcpu_pause_flag_clear(b, VPF_DOWN);
	assert_ptr_equal(run(0), a);
	/*
	 * Not even a reschedule until a's slice is over: picked alone with
	 * 5 ms of credit, a was given 5 ms (Xen's csched2_runtime), not just
	 * its 1 ms rate limit (the slice timer).
	 */
	pass(0, 599999);
	assert_false(sched_resched_pending());
	pass(0, 1);
	assert_false(sched_resched_pending());
	pass(0, 5 * SLICE_NS - SLICE_NS - 1);
	assert_false(sched_resched_pending());
	pass(0, 1);
	assert_true(sched_resched_pending());
	assert_ptr_equal(run(0), b);
	/*
	 * Picked alone with 0.1 ms of credit, a keeps at least the rate
	 * limit: its slice is over, so pick looks again at once, and keeps
	 * it to the limit's end.
	 */
	vcpu_block(b);
	assert_ptr_equal(run(0), a);
	a->credit = 100000;
	pass(0, 400000);
	vcpu_wake(b);
	pass(0, 1);
	assert_true(sched_resched_pending());
	assert_ptr_equal(run(0), a);
	pass(0, 599998);
	assert_false(sched_resched_pending());
	pass(0, 1);
	assert_true(sched_resched_pending());
	assert_ptr_equal(run(0), b);
	/* Off: b waking 0.4 ms into a's turn takes the pCPU at once. */
	us = 0;
	assert_int_equal(ratelimit(XEN_SYSCTL_SCHEDOP_putinfo, &us), 0);
	vcpu_block(b);
	assert_ptr_equal(run(0), a);
	pass(0, 400000);
	vcpu_wake(b);
	assert_ptr_equal(run(0), b);
	us = 99;
	assert_int_equal(ratelimit(XEN_SYSCTL_SCHEDOP_putinfo, &us), -EINVAL);
	us = 500001;
	assert_int_equal(ratelimit(XEN_SYSCTL_SCHEDOP_putinfo, &us), -EINVAL);
	us = 1000;
	assert_int_equal(ratelimit(XEN_SYSCTL_SCHEDOP_putinfo, &us), 0);
}

/* Yield gives way even to a vCPU with a little less credit. */
static void test_yield_gives_way(void **state)
{
	struct vcpu *a = up(0, 0), *b = up(1, 0);

	assert_ptr_equal(run(0), a);
	pass(0, SLICE_NS);
	assert_ptr_equal(run(0), b);
	pass(0, SLICE_NS + 500000);
	/* b now has less credit than a, but yields: a runs. */
	vcpu_yield(b);
	assert_ptr_equal(run(0), a);
}

/*
 * Credit runs out: everyone gets more (so nobody starves), a vCPU carries
 * little over, and one that slept through resets starts afresh.
 */
static void test_credit_reset(void **state)
{
	uint64_t ran[NR_TEST_VCPUS] = {0};
	struct vcpu *a = up(0, 1), *b = up(1, 1), *c = up(2, 1);

	vcpu_block(c);
	/* c had overspent when it went to sleep. */
	c->credit = -5000000;
	run_for(1, 500 * SLICE_NS, ran);
	/* 500 ms is 50 times the 10 ms credit: resets kept both running. */
	assert_true(ran[0] >= 240 * SLICE_NS && ran[1] >= 240 * SLICE_NS);
	assert_true(a->credit > -10000000 && a->credit <= 10500000);
	assert_true(b->credit > -10000000 && b->credit <= 10500000);
	/* It slept through the resets: it wakes with a fresh 10 ms. */
	vcpu_wake(c);
	assert_int_equal(c->credit, 10000000);
	/* So it gets its third of the pCPU from now on. */
	memset(ran, 0, sizeof(ran));
	run_for(1, 300 * SLICE_NS, ran);
	assert_true(ran[2] >= 90 * SLICE_NS && ran[2] <= 110 * SLICE_NS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_weights_share_cpu, c2_setup),
		cmocka_unit_test_setup(test_equal_weights_equal_shares,
				       c2_setup),
		cmocka_unit_test_setup(test_cap_holds_share, c2_setup),
		cmocka_unit_test_setup(test_dom_cntl, c2_setup),
		cmocka_unit_test_setup(test_ratelimit, c2_setup),
		cmocka_unit_test_setup(test_yield_gives_way, c2_setup),
		cmocka_unit_test_setup(test_credit_reset, c2_setup),
	};

	return cmocka_run_group_tests_name("credit2", tests, NULL, NULL);
}
