/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of RTDS (common/sched/rtds.c) through the scheduler core on
 * a fake clock: a vCPU gets its budget every period and no more (without
 * extratime), budgets come back at each period's end, the earliest
 * deadline runs first, extratime runs behind budgeted vCPUs; and
 * XEN_DOMCTL_scheduler_op as Xen 4.17's rt_dom_cntl answers it.
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

#define MS 1000000ULL

static int rt_setup(void **state)
{
	setup(state);
	sched_init("rtds", false);
	cpus_up(4);
	fake_now_ns = 0;
	return 0;
}

/* XEN_DOMCTL_SCHEDOP_{put,get}vcpuinfo of @n elements at @p. */
static long vcpu_op(uint32_t cmd, struct xen_domctl_schedparam_vcpu *p,
		    uint32_t *n)
{
	struct xen_domctl_scheduler_op op = {
		.sched_id = XEN_SCHEDULER_RTDS,
		.cmd = cmd,
	};
	long ret;

	op.u.v.vcpus.p = (uint64_t)(uintptr_t)p;
	op.u.v.nr_vcpus = *n;
	ret = sched_dom_cntl(&dom, &op);
	*n = op.u.v.nr_vcpus;
	return ret;
}

/* Set vCPU @i's parameters (us) as `xl sched-rtds -v i` would. */
static long set_rt(unsigned int i, uint32_t period, uint32_t budget, bool extra)
{
	struct xen_domctl_schedparam_vcpu p = {.vcpuid = i};
	uint32_t n = 1;

	p.u.rtds.period = period;
	p.u.rtds.budget = budget;
	p.u.rtds.flags = extra ? XEN_DOMCTL_SCHEDRT_extra : 0;
	return vcpu_op(XEN_DOMCTL_SCHEDOP_putvcpuinfo, &p, &n);
}

/* vCPU @i comes up on @cpu with these parameters (us). */
static struct vcpu *rt_up(unsigned int i, unsigned int cpu, uint32_t period,
			  uint32_t budget, bool extra)
{
	struct vcpu *v = place(i, cpu);

	assert_int_equal(set_rt(i, period, budget, extra), 0);
	vcpu_pause_flag_clear(v, VPF_DOWN);
	return v;
}

/* Budget 2 ms / period 10 ms against a CPU hog: 20 % of the pCPU. */
static void test_budget_share_against_hog(void **state)
{
	uint64_t ran[NR_TEST_VCPUS] = {0};

	rt_up(0, 1, 10000, 2000, false);
	up(1, 1); /* defaults: 4 ms / 10 ms with extratime */
	run_for(1, 1000 * MS, ran);
	assert_true(ran[0] >= 199 * MS && ran[0] <= 201 * MS);
	assert_int_equal(ran[0] + ran[1], 1000 * MS);
}

/* Alone without extratime: its budget, then idle until the next period. */
static void test_depleted_waits_for_period(void **state)
{
	struct vcpu *v;

	v = rt_up(0, 2, 10000, 3000, false);
	assert_ptr_equal(run(2), v);
	assert_int_equal(v->slice_end_ns, 3 * MS);
	pass(2, 3 * MS);
	assert_true(is_idle_of(run(2), 2));
	/* Woken at the period's end with its budget back. */
	assert_int_equal(fake_timer_deadline, 10 * MS);
	pass(2, 7 * MS);
	assert_ptr_equal(run(2), v);
	assert_int_equal(v->rt_cur_budget, 3 * MS);
}

/* Alone with extratime: the whole pCPU. */
static void test_extratime_uses_idle_time(void **state)
{
	uint64_t ran[NR_TEST_VCPUS] = {0};

	rt_up(0, 3, 10000, 2000, true);
	run_for(3, 100 * MS, ran);
	assert_int_equal(ran[0], 100 * MS);
}

/*
 * EDF: periods 10 and 30 ms, budgets 3 and 9 ms, no extratime: the
 * earlier deadline runs first, each gets exactly its budget.
 */
static void test_edf_order(void **state)
{
	uint64_t ran[NR_TEST_VCPUS] = {0};
	struct vcpu *a, *b;

	b = rt_up(1, 0, 30000, 9000, false);
	a = rt_up(0, 0, 10000, 3000, false);
	assert_ptr_equal(run(0), a); /* deadline 10 ms before 30 ms */
	pass(0, 3 * MS);
	assert_ptr_equal(run(0), b);
	pass(0, 7 * MS);
	/* a's new period (deadline 20 ms) comes before b's (30 ms). */
	assert_ptr_equal(run(0), a);
	run_for(0, 290 * MS, ran);
	/* Over 300 ms: a 30 x 3 ms, b 10 x 9 ms (less the 3+7 ms seen). */
	assert_int_equal(ran[0] + 3 * MS, 90 * MS);
	assert_int_equal(ran[1] + 7 * MS, 90 * MS);
}

/* Extratime runs only behind vCPUs that still have budget. */
static void test_extratime_behind_budget(void **state)
{
	struct vcpu *a, *b;

	a = rt_up(0, 0, 10000, 1000, true);
	b = rt_up(1, 0, 20000, 5000, false);
	assert_ptr_equal(run(0), a);
	pass(0, 1 * MS);
	/* a is out of budget (level 1 now): b, deadline 20 ms, goes first. */
	assert_ptr_equal(run(0), b);
	pass(0, 5 * MS);
	assert_ptr_equal(run(0), a);
	assert_int_equal(a->rt_level, 1);
}

/*
 * A periodic vCPU (defaults: 4 ms every 10 ms) sleeping beside a CPU hog
 * (the same) on one pCPU: woken while the hog is in extratime it runs at
 * once; woken while the hog still has budget (same deadline: a tie keeps
 * the hog, as Xen's runq_tickle) it runs within that budget, 4 ms.
 */
static void test_periodic_wakes_beside_hog(void **state)
{
	struct vcpu *hog = up(1, 1), *p = up(0, 1);
	unsigned int seen[2] = {0}; /* wake-ups with the hog in budget, extra */

	assert_ptr_equal(run(1), hog);
	for (uint64_t t = 0; t < 100; t++) {
		uint64_t woke, waited;
		struct vcpu *next;
		bool extra;

		/* p sleeps 7.3 ms (a phase that walks through the period). */
		vcpu_block(p);
		next = run(1);
		assert_ptr_equal(next, hog);
		for (uint64_t end = fake_now_ns + 7300000; fake_now_ns < end;) {
			uint64_t step = end - fake_now_ns;

			if (fake_timer_deadline > fake_now_ns &&
			    fake_timer_deadline - fake_now_ns < step)
				step = fake_timer_deadline - fake_now_ns;
			pass(1, step);
			run(1);
		}
		vcpu_wake(p);
		woke = fake_now_ns;
		extra = hog->rt_level > 0;
		seen[extra]++;
		while ((next = run(1)) != p) {
			assert_ptr_equal(next, hog);
			assert_true(fake_timer_deadline > fake_now_ns);
			pass(1, fake_timer_deadline - fake_now_ns);
		}
		waited = fake_now_ns - woke;
		if (waited > (extra ? 0 : 4 * MS))
			fail_msg("round %u: waited %llu ns", (unsigned)t,
				 (unsigned long long)waited);
		pass(1, MS); /* its work */
	}
	assert_true(seen[0] > 0 && seen[1] > 0);
}

/* Xen's checks: budget <= period, both >= 10 us; bad vCPU; bad array. */
static void test_vcpuinfo_checks(void **state)
{
	struct xen_domctl_schedparam_vcpu p[2] = {{.vcpuid = 0}, {.vcpuid = 1}};
	uint32_t n = 2;

	place(0, 0);
	place(1, 0);
	assert_int_equal(set_rt(0, 10000, 10001, false), -EINVAL);
	assert_int_equal(set_rt(0, 9, 9, false), -EINVAL);
	assert_int_equal(set_rt(0, 10000, 9, false), -EINVAL);
	assert_int_equal(set_rt(0, 10, 10, false), 0);
	assert_int_equal(set_rt(6, 10000, 2000, false), -EINVAL);
	dom.vcpus[5] = NULL;
	assert_int_equal(set_rt(5, 10000, 2000, false), -EINVAL);
	/* Read back: vCPU 0 as set, vCPU 1 with Xen's defaults. */
	assert_int_equal(vcpu_op(XEN_DOMCTL_SCHEDOP_getvcpuinfo, p, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(p[0].u.rtds.period, 10);
	assert_int_equal(p[0].u.rtds.budget, 10);
	assert_int_equal(p[0].u.rtds.flags, 0);
	assert_int_equal(p[1].u.rtds.period, 10000);
	assert_int_equal(p[1].u.rtds.budget, 4000);
	assert_int_equal(p[1].u.rtds.flags, XEN_DOMCTL_SCHEDRT_extra);
	n = 1;
	assert_int_equal(vcpu_op(XEN_DOMCTL_SCHEDOP_getvcpuinfo, NULL, &n),
			 -EFAULT);
}

/* A long array stops after 64 elements when work is pending. */
static void test_vcpuinfo_preempted(void **state)
{
	static struct xen_domctl_schedparam_vcpu p[100];
	uint32_t n = 100;

	place(0, 0);
	preempt_pending = true;
	assert_int_equal(vcpu_op(XEN_DOMCTL_SCHEDOP_getvcpuinfo, p, &n), 0);
	assert_int_equal(n, 64);
	assert_int_equal(p[63].u.rtds.budget, 4000);
	assert_int_equal(p[64].u.rtds.budget, 0);
}

/* getinfo: Xen's defaults whatever was set; putinfo: 0 refused. */
static void test_domain_wide(void **state)
{
	struct xen_domctl_scheduler_op op = {
		.sched_id = XEN_SCHEDULER_RTDS,
		.cmd = XEN_DOMCTL_SCHEDOP_putinfo,
	};
	struct xen_sysctl_scheduler_op sop = {
		.sched_id = XEN_SCHEDULER_RTDS,
		.cmd = XEN_SYSCTL_SCHEDOP_putinfo,
	};

	place(0, 0);
	place(1, 0);
	op.u.rtds.period = 20000;
	assert_int_equal(sched_dom_cntl(&dom, &op), -EINVAL);
	op.u.rtds.budget = 5000;
	assert_int_equal(sched_dom_cntl(&dom, &op), 0);
	assert_int_equal(vc[1].rt_period, 20 * MS);
	assert_int_equal(vc[1].rt_budget, 5 * MS);
	assert_true(vc[1].rt_extratime);
	op.cmd = XEN_DOMCTL_SCHEDOP_getinfo;
	assert_int_equal(sched_dom_cntl(&dom, &op), 0);
	assert_int_equal(op.u.rtds.period, 10000);
	assert_int_equal(op.u.rtds.budget, 4000);
	op.sched_id = XEN_SCHEDULER_CREDIT2;
	assert_int_equal(sched_dom_cntl(&dom, &op), -EINVAL);
	/* No pool-wide parameters: Xen answers 0. */
	assert_int_equal(sched_sys_cntl(&sop), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_budget_share_against_hog, rt_setup),
		cmocka_unit_test_setup(test_depleted_waits_for_period,
				       rt_setup),
		cmocka_unit_test_setup(test_extratime_uses_idle_time, rt_setup),
		cmocka_unit_test_setup(test_edf_order, rt_setup),
		cmocka_unit_test_setup(test_extratime_behind_budget, rt_setup),
		cmocka_unit_test_setup(test_periodic_wakes_beside_hog,
				       rt_setup),
		cmocka_unit_test_setup(test_vcpuinfo_checks, rt_setup),
		cmocka_unit_test_setup(test_vcpuinfo_preempted, rt_setup),
		cmocka_unit_test_setup(test_domain_wide, rt_setup),
	};

	return cmocka_run_group_tests_name("rtds", tests, NULL, NULL);
}
