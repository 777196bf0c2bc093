/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of credit1 (common/sched/credit.c) through the scheduler core
 * on a fake clock: CPU shares follow weights, a cap holds a domain to its
 * share, a waking vCPU is boosted, whole time slices, and the domctl and
 * sysctl parameters as Xen 4.17's csched_dom_cntl/sys_cntl answer them.
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

#define MS	1000000ULL
#define TSLICE	(30 * MS) /* Xen's default */
#define SECONDS (1000 * MS)

static struct domain heavy;

/* vCPU @i of a second domain, weight @w (the first keeps 256). */
static struct vcpu *up_heavy(unsigned int i, unsigned int cpu, uint16_t w)
{
	heavy.domain_id = 2;
	heavy.sched_weight = w;
	heavy.max_vcpus = 0;
	vc[i].domain = &heavy;
	return up(i, cpu);
}

static int cs_setup(void **state)
{
	setup(state);
	sched_set_boot_params(SCHED_DEFAULT_RATELIMIT_US,
			      SCHED_CREDIT_DEFAULT_TSLICE_MS);
	sched_init("credit", false);
	cpus_up(4);
	memset(&heavy, 0, sizeof(heavy));
	dom.sched_weight = 256;
	return 0;
}

static bool within(uint64_t got, uint64_t want, unsigned int pct)
{
	return got * 100 >= want * (100 - pct) &&
	       got * 100 <= want * (100 + pct);
}

/* Weights 256 and 512 on one pCPU: CPU time 1:2 (within 5 %). */
static void test_weights_share_cpu(void **state)
{
	uint64_t ran[NR_TEST_VCPUS] = {0};

	up(0, 1);
	up_heavy(1, 1, 512);
	run_for(1, 30 * SECONDS, ran);
	assert_true(ran[0] + ran[1] == 30 * SECONDS);
	assert_true(within(ran[1], 2 * ran[0], 5));
}

/* Equal weights: equal shares among three hogs. */
static void test_equal_weights_equal_shares(void **state)
{
	uint64_t ran[NR_TEST_VCPUS] = {0};

	up(0, 2);
	up(1, 2);
	up(2, 2);
	run_for(2, 30 * SECONDS, ran);
	for (unsigned int i = 0; i < 3; i++)
		assert_true(within(ran[i], 10 * SECONDS, 5));
}

static long put_cs(struct domain *d, uint32_t weight, uint32_t cap)
{
	struct xen_domctl_scheduler_op op = {
		.sched_id = XEN_SCHEDULER_CREDIT,
		.cmd = XEN_DOMCTL_SCHEDOP_putinfo,
	};

	op.u.credit.weight = weight;
	op.u.credit.cap = cap;
	return sched_dom_cntl(d, &op);
}

static void get_cs(struct domain *d, uint32_t *weight, uint32_t *cap)
{
	struct xen_domctl_scheduler_op op = {
		.sched_id = XEN_SCHEDULER_CREDIT,
		.cmd = XEN_DOMCTL_SCHEDOP_getinfo,
	};

	assert_int_equal(sched_dom_cntl(d, &op), 0);
	*weight = op.u.credit.weight;
	*cap = op.u.credit.cap;
}

/*
 * A cap of 25 (a domain of one vCPU here) holds a lone CPU hog to 25 % of
 * its pCPU, within 2 %; against another hog it still gets no more.
 */
static void test_cap_holds_share(void **state)
{
	uint64_t ran[NR_TEST_VCPUS] = {0};

	dom.max_vcpus = 1;
	up(0, 3);
	assert_int_equal(put_cs(&dom, 0, 25), 0);
	run_for(3, 30 * SECONDS, ran);
	assert_true(within(ran[0], 30 * SECONDS / 4, 8));
	/* Cap 0 removes it: the whole pCPU again. */
	assert_int_equal(put_cs(&dom, 0, 0), 0);
	ran[0] = 0;
	run_for(3, 3 * SECONDS, ran);
	assert_true(ran[0] == 3 * SECONDS);
}

/* Capped at 25 beside an uncapped hog: the capped one still gets 25 %. */
static void test_cap_beside_hog(void **state)
{
	uint64_t ran[NR_TEST_VCPUS] = {0};

	dom.max_vcpus = 1;
	up(0, 1);
	up_heavy(1, 1, 256);
	assert_int_equal(put_cs(&dom, 0, 25), 0);
	run_for(1, 30 * SECONDS, ran);
	assert_true(within(ran[0], 30 * SECONDS / 4, 8));
	assert_true(ran[0] + ran[1] == 30 * SECONDS);
}

/* A hog runs whole 30 ms slices; it goes behind its equal at the end. */
static void test_whole_slices(void **state)
{
	struct vcpu *a = up(0, 0), *b = up(1, 0);
	struct vcpu *first, *second;

	/* Hogs long past the boost they woke with. */
	a->cs_boost = b->cs_boost = false;
	first = run(0);
	second = first == a ? b : a;
	pass(0, 10 * MS);
	/* A wake or any other exit in the slice changes nothing. */
	assert_ptr_equal(run(0), first);
	pass(0, TSLICE - 10 * MS);
	assert_ptr_equal(run(0), second);
}

/* A vCPU waking with credit left is boosted: it preempts a hog at once. */
static void test_wake_boosts(void **state)
{
	struct vcpu *hog = up(0, 0), *io = up(1, 0);

	vcpu_block(io);
	assert_ptr_equal(run(0), hog);
	/* Up, the hog was boosted too: a tick of running ends that. */
	pass(0, 11 * MS);
	assert_ptr_equal(run(0), hog);
	assert_false(hog->cs_boost);
	vcpu_wake(io);
	assert_ptr_equal(run(0), io);
	/* After a tick (10 ms) of running it is an ordinary vCPU again. */
	pass(0, 12 * MS);
	run(0);
	assert_false(io->cs_boost);
}

/*
 * The rate limit (1 ms): a vCPU woken 0.4 ms into another's turn waits
 * for the limit's end, then preempts, as on Xen (csched_schedule keeps
 * the running vCPU). Waiting costs no scheduler call (sched_wake_deferred).
 */
static void test_wake_waits_for_ratelimit(void **state)
{
	struct vcpu *hog = up(0, 0), *io = up(1, 0);

	vcpu_block(io);
	assert_ptr_equal(run(0), hog);
	hog->cs_boost = false;
	pass(0, 400000);
	vcpu_wake(io);
	assert_false(sched_resched_pending());
	assert_ptr_equal(run(0), hog);
	pass(0, 599999);
	assert_false(sched_resched_pending());
	pass(0, 1);
	assert_true(sched_resched_pending());
	assert_ptr_equal(run(0), io);
}

/*
 * Xen's __runq_insert puts a vCPU that yielded behind one vCPU of a lower
 * priority: a BOOSTed vCPU (just woken) that yields gives way to an UNDER
 * one, and two vCPUs yielding in turn alternate, yield after yield (the
 * yield ping-pong of bench/sched.py, where Orchid's boosted yielder ran
 * on until its boost ended).
 */
static void test_yields_alternate(void **state)
{
	struct vcpu *a = up(0, 0), *b = up(1, 0);

	vcpu_block(b);
	assert_ptr_equal(run(0), a);
	pass(0, 11 * MS); /* a's own boost ends */
	run(0);
	vcpu_wake(b);
	assert_ptr_equal(run(0), b);
	assert_true(b->cs_boost);
	for (unsigned int i = 0; i < 1000; i++) {
		struct vcpu *now_on = run(0);

		pass(0, 100000);
		vcpu_yield(now_on);
		assert_ptr_equal(run(0), now_on == a ? b : a);
	}
}

/* getinfo/putinfo: weight 0 keeps it, cap 0xffff keeps it, no checks. */
static void test_dom_cntl(void **state)
{
	struct xen_domctl_scheduler_op op = {
		.sched_id = XEN_SCHEDULER_CREDIT,
	};
	uint32_t w, c;

	get_cs(&dom, &w, &c);
	assert_int_equal(w, 256);
	assert_int_equal(c, 0);
	assert_int_equal(put_cs(&dom, 512, 50), 0);
	get_cs(&dom, &w, &c);
	assert_int_equal(w, 512);
	assert_int_equal(c, 50);
	assert_int_equal(put_cs(&dom, 0, 0xffff), 0);
	get_cs(&dom, &w, &c);
	assert_int_equal(w, 512);
	assert_int_equal(c, 50);
	/* Xen 4.17 checks no range here (xl does): 1000 % is taken. */
	assert_int_equal(put_cs(&dom, 65535, 1000), 0);
	get_cs(&dom, &w, &c);
	assert_int_equal(w, 65535);
	assert_int_equal(c, 1000);
	/* No per-vCPU parameters; another scheduler's ID. */
	op.cmd = XEN_DOMCTL_SCHEDOP_getvcpuinfo;
	assert_int_equal(sched_dom_cntl(&dom, &op), -EINVAL);
	op.cmd = XEN_DOMCTL_SCHEDOP_getinfo;
	op.sched_id = XEN_SCHEDULER_CREDIT2;
	assert_int_equal(sched_dom_cntl(&dom, &op), -EINVAL);
}

static long params(uint32_t cmd, uint32_t tslice, uint32_t rl, uint32_t migr,
		   struct xen_sysctl_credit_schedule *out)
{
	struct xen_sysctl_scheduler_op op = {
		.sched_id = XEN_SCHEDULER_CREDIT,
		.cmd = cmd,
	};
	long ret;

	op.u.sched_credit.tslice_ms = tslice;
	op.u.sched_credit.ratelimit_us = rl;
	op.u.sched_credit.vcpu_migr_delay_us = migr;
	ret = sched_sys_cntl(&op);
	if (out)
		*out = op.u.sched_credit;
	return ret;
}

/* xl sched-credit -s: Xen's defaults, ranges and errnos. */
static void test_sys_cntl(void **state)
{
	struct xen_sysctl_credit_schedule p;
	const uint32_t put = XEN_SYSCTL_SCHEDOP_putinfo;

	assert_int_equal(params(XEN_SYSCTL_SCHEDOP_getinfo, 0, 0, 0, &p), 0);
	assert_int_equal(p.tslice_ms, 30);
	assert_int_equal(p.ratelimit_us, 1000);
	assert_int_equal(p.vcpu_migr_delay_us, 0);
	assert_int_equal(params(put, 0, 1000, 0, NULL), -EINVAL);
	assert_int_equal(params(put, 1001, 1000, 0, NULL), -EINVAL);
	assert_int_equal(params(put, 10, 99, 0, NULL), -EINVAL);
	assert_int_equal(params(put, 1000, 500001, 0, NULL), -EINVAL);
	/* A rate limit longer than the slice. */
	assert_int_equal(params(put, 1, 1001, 0, NULL), -EINVAL);
	assert_int_equal(params(put, 10, 1000, 100001, NULL), -EINVAL);
	/* Nothing failed changed anything. */
	assert_int_equal(params(XEN_SYSCTL_SCHEDOP_getinfo, 0, 0, 0, &p), 0);
	assert_int_equal(p.tslice_ms, 30);
	assert_int_equal(p.ratelimit_us, 1000);
	/* Accepted values are answered back; a rate limit of 0 is none. */
	assert_int_equal(params(put, 1, 1000, 100000, &p), 0);
	assert_int_equal(p.tslice_ms, 1);
	assert_int_equal(p.ratelimit_us, 1000);
	assert_int_equal(p.vcpu_migr_delay_us, 100000);
	assert_int_equal(params(put, 5, 0, 0, &p), 0);
	assert_int_equal(params(XEN_SYSCTL_SCHEDOP_getinfo, 0, 0, 0, &p), 0);
	assert_int_equal(p.tslice_ms, 5);
	assert_int_equal(p.ratelimit_us, 0);
}

/* A 5 ms slice: two hogs now take turns every 5 ms. */
static void test_tslice_takes_effect(void **state)
{
	struct vcpu *a = up(0, 0), *b = up(1, 0);
	struct vcpu *first, *second;

	assert_int_equal(params(XEN_SYSCTL_SCHEDOP_putinfo, 5, 1000, 0, NULL),
			 0);
	first = run(0);
	second = first == a ? b : a;
	pass(0, 5 * MS);
	assert_ptr_equal(run(0), second);
	pass(0, 5 * MS);
	assert_ptr_equal(run(0), first);
}

/* Pool-0's parameters after @rl_us and @tslice_ms on the command line. */
static struct xen_sysctl_credit_schedule booted_with(unsigned int rl_us,
						     unsigned int tslice_ms)
{
	struct xen_sysctl_credit_schedule p;

	sched_set_boot_params(rl_us, tslice_ms);
	sched_init("credit", false);
	assert_int_equal(params(XEN_SYSCTL_SCHEDOP_getinfo, 0, 0, 0, &p), 0);
	return p;
}

/*
 * sched_ratelimit_us= and sched_credit_tslice_ms= as Xen 4.17 takes them:
 * in range they are Pool-0's, out of range the defaults, and a rate limit
 * longer than the slice is cut to the slice.
 */
static void test_boot_params(void **state)
{
	struct xen_sysctl_credit_schedule p = booted_with(500, 10);

	assert_int_equal(p.tslice_ms, 10);
	assert_int_equal(p.ratelimit_us, 500);
	p = booted_with(0, 1000);
	assert_int_equal(p.tslice_ms, 1000);
	assert_int_equal(p.ratelimit_us, 0);
	p = booted_with(99, 1001);
	assert_int_equal(p.tslice_ms, 30);
	assert_int_equal(p.ratelimit_us, 1000);
	p = booted_with(500001, 0);
	assert_int_equal(p.tslice_ms, 30);
	assert_int_equal(p.ratelimit_us, 1000);
	p = booted_with(5000, 2);
	assert_int_equal(p.tslice_ms, 2);
	assert_int_equal(p.ratelimit_us, 2000);
	/* The new slice takes effect: two hogs take turns every 2 ms. */
	{
		struct vcpu *a = up(0, 0), *b = up(1, 0);
		struct vcpu *first = run(0), *second = first == a ? b : a;

		pass(0, 2 * MS);
		assert_ptr_equal(run(0), second);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_weights_share_cpu, cs_setup),
		cmocka_unit_test_setup(test_equal_weights_equal_shares,
				       cs_setup),
		cmocka_unit_test_setup(test_cap_holds_share, cs_setup),
		cmocka_unit_test_setup(test_cap_beside_hog, cs_setup),
		cmocka_unit_test_setup(test_whole_slices, cs_setup),
		cmocka_unit_test_setup(test_yields_alternate, cs_setup),
		cmocka_unit_test_setup(test_wake_boosts, cs_setup),
		cmocka_unit_test_setup(test_wake_waits_for_ratelimit, cs_setup),
		cmocka_unit_test_setup(test_dom_cntl, cs_setup),
		cmocka_unit_test_setup(test_sys_cntl, cs_setup),
		cmocka_unit_test_setup(test_tslice_takes_effect, cs_setup),
		cmocka_unit_test_setup(test_boot_params, cs_setup),
	};

	return cmocka_run_group_tests_name("credit", tests, NULL, NULL);
}
