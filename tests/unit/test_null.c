/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the null scheduler (common/sched/null.c) through the
 * scheduler core on a fake clock: one vCPU per pCPU and no time slices;
 * a vCPU with no free pCPU waits and gets the first one given back; a
 * blocked vCPU keeps its pCPU; the domctl/sysctl answers of Xen 4.17's
 * null scheduler (no parameters: 0, a wrong scheduler ID -EINVAL).
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

#include "../../common/sched/sched_priv.h"
#include "fake_sched.h"

static int null_setup(void **state)
{
	setup(state);
	sched_init("null", false);
	cpus_up(4);
	return 0;
}

/* vCPUs 0..3 up, each on its own pCPU and running there. */
static void fill_pcpus(void)
{
	for (unsigned int i = 0; i < 4; i++) {
		up(i, i);
		assert_ptr_equal(run(i), &vc[i]);
	}
}

/* A vCPU that comes up where another is goes to a free pCPU. */
static void test_one_vcpu_per_pcpu(void **state)
{
	up(0, 0);
	assert_ptr_equal(run(0), &vc[0]);
	/* vCPU 1 comes up on pCPU 0 too: it waits and the free pCPUs hear. */
	up(1, 0);
	assert_ptr_equal(sched_cpus[0].null_owner, &vc[0]);
	assert_true(kicks[1] > 0 && kicks[2] > 0 && kicks[3] > 0);
	assert_ptr_equal(run(0), &vc[0]);
	/* The first free pCPU to schedule takes it, and it moves there. */
	assert_ptr_equal(run(2), &vc[1]);
	assert_int_equal(vc[1].processor, 2);
	assert_int_equal(migrated, 1);
	assert_true(is_idle_of(run(1), 1));
	assert_true(is_idle_of(run(3), 3));
}

/* No time slices: a lone vCPU, or four, keep their pCPUs for good. */
static void test_no_time_slicing(void **state)
{
	fill_pcpus();
	for (unsigned int i = 0; i < 4; i++)
		assert_int_equal(vc[i].slice_end_ns, 0);
	pass(0, 1000 * SLICE_NS);
	for (unsigned int round = 0; round < 10; round++)
		for (unsigned int i = 0; i < 4; i++) {
			sched_raise(i);
			assert_ptr_equal(run(i), &vc[i]);
			assert_int_equal(vc[i].processor, i);
		}
}

/* A fifth vCPU waits; it runs when one goes down (PSCI CPU_OFF). */
static void test_extra_vcpu_waits(void **state)
{
	fill_pcpus();
	up(4, 1);
	for (unsigned int i = 0; i < 4; i++) {
		sched_raise(i);
		assert_ptr_equal(run(i), &vc[i]);
	}
	assert_false(vc[4].is_running);
	assert_ptr_equal(vc[4].waitq_pool, cpupool0);
	/* vCPU 2 goes down while running: pCPU 2 is given to vCPU 4. */
	vcpu_pause_flag_set(&vc[2], VPF_DOWN);
	assert_ptr_equal(run(2), &vc[4]);
	assert_int_equal(vc[4].processor, 2);
	assert_null(vc[4].waitq_pool);
	/* vCPU 2 comes back: every pCPU is taken, so it waits in turn. */
	vcpu_pause_flag_clear(&vc[2], VPF_DOWN);
	for (unsigned int i = 0; i < 4; i++)
		run(i);
	assert_false(vc[2].is_running);
	assert_ptr_equal(vc[2].waitq_pool, cpupool0);
}

/*
 * A free pCPU tickled while the waiter's pCPU lock is held (the waiter's
 * own insertion holds it) cannot take it then: it retries on its timer
 * within 100 us rather than sleeping until some other event.
 */
static void test_busy_lock_retries(void **state)
{
	fill_pcpus();
	up(4, 0);
	vcpu_pause_flag_set(&vc[3], VPF_DOWN);
	spin_lock(&sched_cpus[0].lock);
	assert_true(is_idle_of(run(3), 3));
	spin_unlock(&sched_cpus[0].lock);
	assert_int_equal(fake_timer_deadline, fake_now_ns + 100000);
	pass(3, 100000);
	assert_ptr_equal(run(3), &vc[4]);
	assert_int_equal(vc[4].processor, 3);
}

/* The wait queue is first come, first served. */
static void test_waiters_fifo(void **state)
{
	fill_pcpus();
	up(4, 0);
	up(5, 0);
	vcpu_pause_flag_set(&vc[3], VPF_DOWN);
	assert_ptr_equal(run(3), &vc[4]);
	vcpu_pause_flag_set(&vc[1], VPF_DOWN);
	assert_ptr_equal(run(1), &vc[5]);
}

/* Blocked (WFI) or paused, a vCPU keeps its pCPU: waiters stay out. */
static void test_blocked_keeps_pcpu(void **state)
{
	fill_pcpus();
	up(4, 0);
	vcpu_block(&vc[0]);
	assert_true(is_idle_of(run(0), 0));
	assert_ptr_equal(sched_cpus[0].null_owner, &vc[0]);
	vcpu_pause_flag_set(&vc[1], VPF_PAUSED);
	assert_true(is_idle_of(run(1), 1));
	assert_ptr_equal(vc[4].waitq_pool, cpupool0);
	vcpu_wake(&vc[0]);
	assert_ptr_equal(run(0), &vc[0]);
	vcpu_pause_flag_clear(&vc[1], VPF_PAUSED);
	assert_ptr_equal(run(1), &vc[1]);
}

/* Hard affinity: a waiter only takes a pCPU it may use. */
static void test_waiter_affinity(void **state)
{
	fill_pcpus();
	place(4, 0);
	memset(vc[4].cpu_hard_affinity, 0, CPUMAP_BYTES);
	vc[4].cpu_hard_affinity[0] = 1U << 3;
	vcpu_pause_flag_clear(&vc[4], VPF_DOWN);
	vcpu_pause_flag_set(&vc[1], VPF_DOWN);
	assert_true(is_idle_of(run(1), 1));
	vcpu_pause_flag_set(&vc[3], VPF_DOWN);
	assert_ptr_equal(run(3), &vc[4]);
}

/*
 * A blocked vCPU that leaves (pinned elsewhere, its domain moved to
 * another pool) gives its pCPU back at once: a waiter gets it.
 */
static void test_blocked_vcpu_leaving_frees_pcpu(void **state)
{
	uint8_t map[CPUMAP_BYTES] = {1U << 1};

	fill_pcpus();
	up(4, 0);
	vcpu_block(&vc[2]);
	assert_true(is_idle_of(run(2), 2));
	sched_set_affinity(&vc[2], map, NULL);
	assert_ptr_equal(run(2), &vc[4]);
	assert_int_equal(vc[4].processor, 2);
	/* vCPU 2 waits for pCPU 1 (taken) and runs there when it is freed. */
	assert_int_equal(vc[2].processor, 1);
	vcpu_wake(&vc[2]);
	vcpu_pause_flag_set(&vc[1], VPF_DOWN);
	assert_ptr_equal(run(1), &vc[2]);
}

/* Pinning a vCPU to a free pCPU moves it; its old pCPU takes a waiter. */
static void test_pin_moves_and_frees(void **state)
{
	uint8_t map[CPUMAP_BYTES] = {1U << 3};

	for (unsigned int i = 0; i < 3; i++) {
		up(i, i);
		assert_ptr_equal(run(i), &vc[i]);
	}
	/* Running on pCPU 2: it moves when pCPU 2 switches away from it. */
	sched_set_affinity(&vc[2], map, NULL);
	assert_true(is_idle_of(run(2), 2));
	assert_int_equal(vc[2].processor, 3);
	assert_ptr_equal(run(3), &vc[2]);
	/* pCPU 2 is free again: the next waiter gets it. */
	up(3, 0);
	assert_ptr_equal(run(2), &vc[3]);
	assert_int_equal(vc[3].processor, 2);
}

static long null_domctl(uint32_t sched_id, uint32_t cmd)
{
	struct xen_domctl_scheduler_op op = {.sched_id = sched_id, .cmd = cmd};

	return sched_dom_cntl(&dom, &op);
}

/* Xen 4.17's null has no adjust hooks: 0 for its own ID, else -EINVAL. */
static void test_scheduler_ops(void **state)
{
	struct xen_sysctl_scheduler_op sop = {
		.sched_id = XEN_SCHEDULER_NULL,
		.cmd = XEN_SYSCTL_SCHEDOP_getinfo,
	};

	for (uint32_t cmd = 0; cmd <= XEN_DOMCTL_SCHEDOP_getvcpuinfo; cmd++)
		assert_int_equal(null_domctl(XEN_SCHEDULER_NULL, cmd), 0);
	assert_int_equal(null_domctl(XEN_SCHEDULER_NULL, 4), -EINVAL);
	assert_int_equal(
		null_domctl(XEN_SCHEDULER_CREDIT2, XEN_DOMCTL_SCHEDOP_getinfo),
		-EINVAL);
	assert_int_equal(sched_sys_cntl(&sop), 0);
	assert_int_equal(sched_id(), XEN_SCHEDULER_NULL);
	assert_string_equal(sched_name(), "null");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_one_vcpu_per_pcpu, null_setup),
		cmocka_unit_test_setup(test_no_time_slicing, null_setup),
		cmocka_unit_test_setup(test_extra_vcpu_waits, null_setup),
		cmocka_unit_test_setup(test_busy_lock_retries, null_setup),
		cmocka_unit_test_setup(test_waiters_fifo, null_setup),
		cmocka_unit_test_setup(test_blocked_keeps_pcpu, null_setup),
		cmocka_unit_test_setup(test_waiter_affinity, null_setup),
		cmocka_unit_test_setup(test_blocked_vcpu_leaving_frees_pcpu,
				       null_setup),
		cmocka_unit_test_setup(test_pin_moves_and_frees, null_setup),
		cmocka_unit_test_setup(test_scheduler_ops, null_setup),
	};

	return cmocka_run_group_tests_name("null", tests, NULL, NULL);
}
