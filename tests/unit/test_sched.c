/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of common/sched/sched.c with credit2 (common/sched/credit2.c)
 * and the real timer queue (common/sched/timer.c): placement, equal vCPUs
 * taking turns, pause flags, block/wake/kick, yield, the idle vCPU, the
 * dying flag, affinity, migration and load balancing. Each test asks
 * what a guest would see: which vCPU a pCPU runs next, its runstate,
 * where it is, whether its pCPU was kicked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <asm/fake.h>
#include <orchid/arch.h>
#include <orchid/domain.h>
#include <orchid/irq.h>
#include <orchid/mm.h>
#include <orchid/sched.h>
#include <orchid/smp.h>
#include <orchid/timer.h>

#include "../../common/sched/sched_priv.h"
#include "fake_sched.h"

/* ---- placement --------------------------------------------------------- */

static void test_placement_round_robin(void **state)
{
	unsigned int first, count[CONFIG_NR_CPUS] = {0};

	sched_add_vcpu(&vc[0]);
	first = vc[0].processor;
	for (unsigned int i = 1; i < 4; i++) {
		sched_add_vcpu(&vc[i]);
		assert_int_equal(vc[i].processor, (first + i) % 4);
	}
	/* An offline pCPU is skipped. */
	online[2] = false;
	for (unsigned int i = 0; i < NR_TEST_VCPUS; i++) {
		sched_add_vcpu(&vc[i]);
		assert_true(cpu_is_online(vc[i].processor));
		count[vc[i].processor]++;
	}
	assert_int_equal(count[2], 0);
	/* A new vCPU is offline and runs nowhere. */
	assert_int_equal(vc[0].runstate.state, RUNSTATE_offline);
	assert_int_equal(vc[0].runstate.state_entry_time, fake_now_ns);
	assert_true(is_idle_of(run(vc[0].processor), vc[0].processor));
}

/* ---- running and slicing ------------------------------------------------ */

static void test_down_vcpu_never_runs(void **state)
{
	place(0, 1);
	assert_true(is_idle_of(run(1), 1));
	assert_int_equal(kicks[1], 0);
}

static void test_coming_up_kicks_its_pcpu(void **state)
{
	struct vcpu *v = up(0, 1);

	/* pCPU 1 is asked to reschedule by an SGI: it may be in WFI. */
	assert_int_equal(kicks[1], 1);
	assert_int_equal(v->runstate.state, RUNSTATE_runnable);
	assert_ptr_equal(run(1), v);
	assert_true(v->is_running);
	assert_int_equal(v->runstate.state, RUNSTATE_running);
	/* Alone on its pCPU, it is not time-sliced. */
	pass(1, 5 * SLICE_NS);
	assert_ptr_equal(run(1), v);
	/* The local pCPU is not sent an SGI for its own vCPU. */
	up(1, 0);
	assert_int_equal(kicks[0], 0);
}

/* Equal weights, equal credit: each runs its 1 ms slice in turn. */
static void test_round_robin_slices(void **state)
{
	struct vcpu *a = up(0, 2), *b = up(1, 2), *c = up(2, 2);
	struct vcpu *order[9];

	assert_ptr_equal(run(2), a);
	/* Others wait: the slice timer is armed at the end of a's slice. */
	assert_int_equal(fake_timer_deadline, fake_now_ns + SLICE_NS);
	/* An exit before the slice ends keeps a. */
	pass(2, SLICE_NS - 1);
	assert_ptr_equal(run(2), a);
	for (unsigned int i = 0; i < 9; i++) {
		pass(2, i ? SLICE_NS : 1);
		order[i] = run(2);
		assert_true(order[i]->is_running);
	}
	assert_ptr_equal(order[0], b);
	assert_ptr_equal(order[1], c);
	assert_ptr_equal(order[2], a);
	for (unsigned int i = 3; i < 9; i++)
		assert_ptr_equal(order[i], order[i - 3]);
	/* Only the one chosen is marked running. */
	assert_int_equal(a->is_running + b->is_running + c->is_running, 1);
}

static void test_runstate_accounting(void **state)
{
	struct vcpu *a = up(0, 0), *b = up(1, 0);
	uint64_t t0 = fake_now_ns;

	assert_ptr_equal(run(0), a);
	pass(0, SLICE_NS);
	assert_ptr_equal(run(0), b);
	assert_int_equal(a->runstate.state, RUNSTATE_runnable);
	assert_int_equal(a->runstate.time[RUNSTATE_running], SLICE_NS);
	assert_int_equal(b->runstate.time[RUNSTATE_runnable], SLICE_NS);
	vcpu_block(b);
	assert_int_equal(b->runstate.state, RUNSTATE_blocked);
	pass(0, 123);
	vcpu_pause_flag_set(a, VPF_DOWN);
	assert_int_equal(a->runstate.state, RUNSTATE_offline);
	/* Every nanosecond since creation is in exactly one state. */
	for (unsigned int i = 0; i < 2; i++) {
		const struct vcpu_runstate_info *r = &vc[i].runstate;
		uint64_t sum = r->time[0] + r->time[1] + r->time[2] +
			       r->time[3] + (fake_now_ns - r->state_entry_time);

		assert_int_equal(sum, fake_now_ns - t0);
	}
}

/* ---- pause flags ---------------------------------------------------------- */

static void test_pause_flags_stack(void **state)
{
	struct vcpu *a = up(0, 1), *b = up(1, 1);

	assert_ptr_equal(run(1), a);
	vcpu_pause_flag_set(a, VPF_PAUSED);
	/* The running vCPU stops at its pCPU's next exit, at once. */
	assert_ptr_equal(run(1), b);
	assert_false(a->is_running);
	vcpu_pause_flag_set(b, VPF_PAUSED);
	vcpu_pause_flag_set(b, VPF_BLOCKED);
	assert_true(is_idle_of(run(1), 1));
	/* Clearing one of two flags is not enough; setting one twice is one. */
	vcpu_pause_flag_set(a, VPF_PAUSED);
	vcpu_pause_flag_clear(b, VPF_PAUSED);
	assert_true(is_idle_of(run(1), 1));
	vcpu_pause_flag_clear(a, VPF_PAUSED);
	assert_ptr_equal(run(1), a);
	/* Unpausing a running vCPU again does not queue it a second time. */
	vcpu_pause_flag_clear(a, VPF_PAUSED);
	vcpu_wake(b);
	for (unsigned int i = 0; i < 6; i++) {
		pass(1, SLICE_NS);
		assert_ptr_equal(run(1), i % 2 ? a : b);
	}
}

static void test_pause_queued_vcpu(void **state)
{
	struct vcpu *a = up(0, 3), *b = up(1, 3), *c = up(2, 3);

	assert_ptr_equal(run(3), a);
	/* b waits in the queue; pausing it takes it out. */
	vcpu_pause_flag_set(b, VPF_PAUSED);
	pass(3, SLICE_NS);
	assert_ptr_equal(run(3), c);
	pass(3, SLICE_NS);
	assert_ptr_equal(run(3), a);
	/* Back, b has the most credit left (a and c each ran): it is next. */
	vcpu_pause_flag_clear(b, VPF_PAUSED);
	pass(3, SLICE_NS);
	assert_ptr_equal(run(3), b);
	pass(3, SLICE_NS);
	assert_ptr_equal(run(3), c);
}

/*
 * Xen's runstates for a vCPU that cannot run: blocked while it waits for
 * an event (VPF_BLOCKED), offline otherwise (paused, down, dying). Linux
 * counts runnable + offline time as stolen.
 */
static void test_paused_runstate_is_offline(void **state)
{
	struct vcpu *a = up(0, 1), *b = up(1, 1);

	assert_ptr_equal(run(1), a);
	/* xl pause of a running and of a queued vCPU. */
	vcpu_pause_flag_set(a, VPF_PAUSED);
	vcpu_pause_flag_set(b, VPF_PAUSED);
	assert_int_equal(a->runstate.state, RUNSTATE_offline);
	assert_int_equal(b->runstate.state, RUNSTATE_offline);
	pass(1, 1000);
	vcpu_pause_flag_clear(a, VPF_PAUSED);
	assert_int_equal(a->runstate.state, RUNSTATE_runnable);
	assert_int_equal(a->runstate.time[RUNSTATE_offline], 1000);
	assert_int_equal(a->runstate.time[RUNSTATE_blocked], 0);
	/* A blocked vCPU paused stays blocked; woken while paused, offline. */
	vcpu_pause_flag_clear(b, VPF_PAUSED);
	assert_ptr_equal(run(1), a);
	vcpu_block(a);
	vcpu_pause_flag_set(a, VPF_PAUSED);
	assert_int_equal(a->runstate.state, RUNSTATE_blocked);
	vcpu_wake(a);
	assert_int_equal(a->runstate.state, RUNSTATE_offline);
	vcpu_pause_flag_clear(a, VPF_PAUSED);
	assert_int_equal(a->runstate.state, RUNSTATE_runnable);
	/* Dying is offline too. */
	sched_remove_vcpu(b);
	assert_int_equal(b->runstate.state, RUNSTATE_offline);
}

/* ---- block, wake, kick ------------------------------------------------- */

static void test_block_and_wake(void **state)
{
	struct vcpu *a = up(0, 1);

	assert_ptr_equal(run(1), a);
	vcpu_block(a); /* WFI */
	assert_int_equal(a->runstate.state, RUNSTATE_blocked);
	assert_true(is_idle_of(run(1), 1));
	assert_false(a->is_running);
	/* An event from pCPU 0 wakes it and kicks pCPU 1 out of WFI. */
	kicks[1] = 0;
	vcpu_wake(a);
	assert_int_equal(kicks[1], 1);
	assert_int_equal(a->runstate.state, RUNSTATE_runnable);
	assert_ptr_equal(run(1), a);
	/* Waking a running vCPU changes nothing. */
	kicks[1] = 0;
	vcpu_wake(a);
	assert_int_equal(kicks[1], 0);
	assert_ptr_equal(run(1), a);
}

static void test_block_with_work_pending(void **state)
{
	struct vcpu *a = up(0, 1);

	assert_ptr_equal(run(1), a);
	/* An interrupt that arrived just before WFI is not slept through. */
	has_work = true;
	vcpu_block(a);
	assert_int_equal(a->pause_flags, 0);
	assert_ptr_equal(run(1), a);
}

static void test_wake_does_not_unpause(void **state)
{
	struct vcpu *a = up(0, 1);

	vcpu_pause_flag_set(a, VPF_PAUSED);
	vcpu_block(a);
	vcpu_wake(a);
	assert_true(is_idle_of(run(1), 1));
	/* Nor start a vCPU that is down. */
	place(1, 1);
	vcpu_wake(&vc[1]);
	assert_true(is_idle_of(run(1), 1));
	assert_int_equal(vc[1].pause_flags, VPF_DOWN);
}

static void test_kick(void **state)
{
	struct vcpu *a = up(0, 2), *b = up(1, 0);

	memset(kicks, 0, sizeof(kicks));
	/* Not running: no IPI, its next entry sees the event anyway. */
	vcpu_kick(a);
	assert_int_equal(kicks[2], 0);
	run(2);
	/* Running elsewhere: an SGI makes it exit and see the interrupt. */
	vcpu_kick(a);
	assert_int_equal(kicks[2], 1);
	/* Running here (we are pCPU 0): we will enter it ourselves. */
	run(0);
	vcpu_kick(b);
	assert_int_equal(kicks[0], 0);
}

/* ---- yield ------------------------------------------------------------- */

static void test_yield(void **state)
{
	struct vcpu *a = up(0, 1), *b = up(1, 1), *c = up(2, 1);

	assert_ptr_equal(run(1), a);
	/* WFE / SCHEDOP_yield: the next exit runs someone else at once. */
	vcpu_yield(a);
	assert_ptr_equal(run(1), b);
	vcpu_yield(b);
	assert_ptr_equal(run(1), c);
	vcpu_yield(c);
	assert_ptr_equal(run(1), a);
	/* A fresh slice after yielding to nobody. */
	vcpu_block(b);
	vcpu_block(c);
	assert_ptr_equal(run(1), a);
	vcpu_yield(a);
	assert_ptr_equal(run(1), a);
	/* Alone: no slice end. */
	assert_int_equal(a->slice_end_ns, 0);
}

/* ---- idle -------------------------------------------------------------- */

static void test_idle_vcpu(void **state)
{
	struct vcpu *idle = run(3);

	assert_true(is_idle_of(idle, 3));
	assert_true(idle->is_running);
	assert_true(idle->domain->domain_id == DOMID_IDLE);
	up(0, 3);
	assert_ptr_equal(run(3), &vc[0]);
	assert_false(idle->is_running);
	vcpu_block(&vc[0]);
	assert_ptr_equal(run(3), idle);
	assert_true(idle->is_running);
	assert_int_equal(vc[0].runstate.state, RUNSTATE_blocked);
}

static struct vcpu *wake_vc0(void)
{
	vcpu_wake(&vc[0]);
	return NULL;
}

static void test_idle_loop(void **state)
{
	up(0, 0);
	vcpu_block(&vc[0]);
	run(0);
	/* Nothing to run: it waits; an interrupt wakes vc0; it enters vc0. */
	wait_hook = wake_vc0;
	if (setjmp(idle_exit) == 0)
		sched_idle_loop();
	assert_int_equal(waits, 1);
	assert_ptr_equal(entered, &vc[0]);
	assert_true(vc[0].is_running);
	/* With nothing ever runnable it keeps waiting. */
	vcpu_block(&vc[0]);
	run(0);
	waits = 0;
	wait_hook = NULL;
	entered = NULL;
	if (setjmp(idle_exit) == 0)
		sched_idle_loop();
	assert_null(entered);
	assert_int_equal(waits, 1);
}

/* ---- the dying flag ------------------------------------------------------ */

static void test_dying_vcpu_never_runs_again(void **state)
{
	struct vcpu *a = up(0, 2), *b = up(1, 2);

	assert_ptr_equal(run(2), a);
	sched_remove_vcpu(a);
	sched_remove_vcpu(b);
	/* Its pCPU leaves it at the next exit... */
	assert_true(is_idle_of(run(2), 2));
	assert_false(a->is_running);
	/* ...and whatever else is cleared, it stays off every pCPU. */
	vcpu_pause_flag_clear(a, VPF_PAUSED | VPF_BLOCKED | VPF_DOWN);
	vcpu_wake(b);
	has_work = true;
	vcpu_block(b);
	for (unsigned int i = 0; i < 4; i++) {
		pass(2, SLICE_NS);
		assert_true(is_idle_of(run(2), 2));
	}
	assert_true(a->pause_flags & VPF_DYING);
	assert_true(b->pause_flags & VPF_DYING);
}

/* ---- affinity and migration -------------------------------------------- */

static void cpumap_of(uint8_t *map, unsigned int cpus)
{
	memset(map, 0, CPUMAP_BYTES);
	map[0] = (uint8_t)cpus;
}

/* A queued vCPU pinned elsewhere moves at once, saved out first. */
static void test_pin_queued_vcpu_moves_at_once(void **state)
{
	struct vcpu *a = up(0, 1);
	uint8_t map[CPUMAP_BYTES];

	cpumap_of(map, 1U << 2);
	memset(kicks, 0, sizeof(kicks));
	sched_set_affinity(a, map, NULL);
	assert_int_equal(a->processor, 2);
	assert_int_equal(unloads, 1);
	assert_int_equal(migrated, 1);
	assert_int_equal(a->pause_flags, 0);
	/* Its old pCPU no longer has it; its new one is told and runs it. */
	assert_true(is_idle_of(run(1), 1));
	assert_true(kicks[2] >= 1);
	assert_ptr_equal(run(2), a);
	assert_int_equal(a->runstate.state, RUNSTATE_running);
}

/* A running vCPU moves when its pCPU next switches away from it. */
static void test_pin_running_vcpu_moves_at_next_exit(void **state)
{
	struct vcpu *a = up(0, 1);
	uint8_t map[CPUMAP_BYTES];

	assert_ptr_equal(run(1), a);
	cpumap_of(map, 1U << 3);
	sched_set_affinity(a, map, NULL);
	/* Still there: no pCPU may load it twice. */
	assert_int_equal(a->processor, 1);
	assert_int_equal(unloads + migrated, 0);
	assert_true(a->pause_flags & VPF_MIGRATING);
	assert_true(is_idle_of(run(1), 1));
	assert_int_equal(saves, 1);
	assert_int_equal(migrated, 1);
	assert_int_equal(a->processor, 3);
	/* What followed its pCPU follows it: its poll timer fires on 3. */
	assert_int_equal(a->poll_timer.cpu, 3);
	assert_ptr_equal(run(3), a);
	/* A blocked vCPU pinned back moves at once, and stays blocked. */
	vcpu_block(a);
	run(3);
	cpumap_of(map, 1U << 0);
	sched_set_affinity(a, map, NULL);
	assert_int_equal(a->processor, 0);
	assert_int_equal(a->pause_flags, VPF_BLOCKED);
	vcpu_wake(a);
	assert_ptr_equal(run(0), a);
}

/* A pCPU the new hard affinity still allows is kept: no move, no cost. */
static void test_pin_to_allowed_pcpu_stays(void **state)
{
	struct vcpu *a = up(0, 1);
	uint8_t map[CPUMAP_BYTES];

	cpumap_of(map, (1U << 1) | (1U << 2));
	sched_set_affinity(a, map, NULL);
	assert_int_equal(a->processor, 1);
	assert_int_equal(unloads + saves + migrated, 0);
	assert_int_equal(a->cpu_hard_affinity[0], 0x06);
	/* Soft affinity: it goes to the pCPU it prefers. */
	cpumap_of(map, 1U << 2);
	sched_set_affinity(a, NULL, map);
	assert_int_equal(a->processor, 2);
	assert_int_equal(a->cpu_hard_affinity[0], 0x06);
	assert_int_equal(a->cpu_soft_affinity[0], 0x04);
}

/* Among allowed pCPUs, the least loaded one is chosen. */
static void test_pin_picks_least_loaded(void **state)
{
	struct vcpu *a = up(0, 0);
	uint8_t map[CPUMAP_BYTES];

	up(1, 2);
	up(2, 2);
	run(2);
	cpumap_of(map, (1U << 2) | (1U << 3));
	sched_set_affinity(a, map, NULL);
	assert_int_equal(a->processor, 3);
}

/* An idle pCPU pulls a waiting vCPU from a busy one. */
static void test_balance_pulls_waiting_vcpu(void **state)
{
	struct vcpu *a = up(0, 0), *b = up(1, 0);

	assert_ptr_equal(run(0), a);
	assert_ptr_equal(run(1), b);
	assert_int_equal(b->processor, 1);
	assert_int_equal(migrated, 1);
	/* Now each has its own: nobody moves again. */
	assert_true(is_idle_of(run(2), 2));
	assert_int_equal(migrated, 1);
}

/* ...but never outside hard affinity, nor one loaded on its pCPU. */
static void test_balance_limits(void **state)
{
	struct vcpu *a = up(0, 0), *b = up(1, 0), *c = up(2, 0);
	uint8_t map[CPUMAP_BYTES];

	cpumap_of(map, 1U << 0);
	memcpy(b->cpu_hard_affinity, map, CPUMAP_BYTES);
	c->loaded_cpu = 0; /* its state still in pCPU 0's registers */
	assert_ptr_equal(run(0), a);
	assert_true(is_idle_of(run(1), 1));
	assert_int_equal(migrated, 0);
	/* Saved, it can go. */
	c->loaded_cpu = SCHED_NO_CPU;
	assert_ptr_equal(run(1), c);
	assert_int_equal(b->processor, 0);
}

/* A vCPU that wakes on a busy pCPU wakes an idle one to take it. */
static void test_wake_on_busy_pcpu_tickles_idler(void **state)
{
	struct vcpu *a = up(0, 0), *b = up(1, 0);
	uint8_t map[CPUMAP_BYTES];

	assert_ptr_equal(run(0), a);
	vcpu_block(b);
	memset(kicks, 0, sizeof(kicks));
	cpumap_of(map, 1U << 3);
	memcpy(b->cpu_soft_affinity, map, CPUMAP_BYTES);
	vcpu_wake(b);
	/* Its soft affinity names pCPU 3: that is the one asked. */
	assert_int_equal(kicks[1] + kicks[2], 0);
	assert_int_equal(kicks[3], 1);
	assert_ptr_equal(run(3), b);
}

/* dom0_vcpus_pin: Dom0's vCPU n on pCPU n, hard affinity n only. */
static void test_dom0_vcpus_pin(void **state)
{
	sched_init("", true);
	dom.domain_id = 0;
	sched_add_vcpu(&vc[2]);
	assert_int_equal(vc[2].processor, 2);
	assert_int_equal(vc[2].cpu_hard_affinity[0], 0x04);
	/* Other domains are placed as usual. */
	dom.domain_id = 1;
	memset(vc[3].cpu_hard_affinity, 0xff, CPUMAP_BYTES);
	sched_add_vcpu(&vc[3]);
	assert_int_equal(vc[3].cpu_hard_affinity[0], 0xff);
	sched_init("", false);
}

/*
 * dom0_vcpus_pin as Xen's sched_select_initial_cpu: vCPU n goes to the
 * n-th pCPU of Dom0's pool, cycling when Dom0 has more vCPUs than the pool
 * has pCPUs, and is pinned there; never to a pCPU of another pool (a
 * boot-time cpupool).
 */
static void test_dom0_vcpus_pin_pool(void **state)
{
	static const unsigned int want[NR_TEST_VCPUS] = {0, 2, 3, 0, 2, 3};

	sched_init("", true);
	dom.domain_id = 0;
	sched_cpus[1].pool = 7; /* pCPU 1 is in another pool */
	for (unsigned int i = 0; i < NR_TEST_VCPUS; i++) {
		sched_add_vcpu(&vc[i]);
		assert_int_equal(vc[i].processor, want[i]);
		assert_int_equal(vc[i].cpu_hard_affinity[0], 1U << want[i]);
	}
	sched_cpus[1].pool = 0;
	sched_init("", false);
}

/* ---- raising ------------------------------------------------------------- */

static void test_raise(void **state)
{
	memset(kicks, 0, sizeof(kicks));
	assert_false(sched_resched_pending());
	sched_raise(0);
	assert_int_equal(kicks[0], 0);
	assert_true(sched_resched_pending());
	run(0);
	assert_false(sched_resched_pending());
	sched_raise(3);
	assert_int_equal(kicks[3], 1);
	assert_false(sched_resched_pending());
}

static void test_slice_timer_raises(void **state)
{
	struct vcpu *a = up(0, 0);

	up(1, 0);
	assert_ptr_equal(run(0), a);
	assert_false(sched_resched_pending());
	pass(0, SLICE_NS - 1);
	assert_false(sched_resched_pending());
	pass(0, 1);
	/* A long hypercall now sees that it should stop (preemption). */
	assert_true(sched_resched_pending());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_placement_round_robin, setup),
		cmocka_unit_test_setup(test_down_vcpu_never_runs, setup),
		cmocka_unit_test_setup(test_coming_up_kicks_its_pcpu, setup),
		cmocka_unit_test_setup(test_round_robin_slices, setup),
		cmocka_unit_test_setup(test_runstate_accounting, setup),
		cmocka_unit_test_setup(test_pause_flags_stack, setup),
		cmocka_unit_test_setup(test_pause_queued_vcpu, setup),
		cmocka_unit_test_setup(test_paused_runstate_is_offline, setup),
		cmocka_unit_test_setup(test_block_and_wake, setup),
		cmocka_unit_test_setup(test_block_with_work_pending, setup),
		cmocka_unit_test_setup(test_wake_does_not_unpause, setup),
		cmocka_unit_test_setup(test_kick, setup),
		cmocka_unit_test_setup(test_yield, setup),
		cmocka_unit_test_setup(test_idle_vcpu, setup),
		cmocka_unit_test_setup(test_idle_loop, setup),
		cmocka_unit_test_setup(test_dying_vcpu_never_runs_again, setup),
		cmocka_unit_test_setup(test_raise, setup),
		cmocka_unit_test_setup(test_slice_timer_raises, setup),
		cmocka_unit_test_setup(test_pin_queued_vcpu_moves_at_once,
				       setup),
		cmocka_unit_test_setup(test_pin_running_vcpu_moves_at_next_exit,
				       setup),
		cmocka_unit_test_setup(test_pin_to_allowed_pcpu_stays, setup),
		cmocka_unit_test_setup(test_pin_picks_least_loaded, setup),
		cmocka_unit_test_setup(test_balance_pulls_waiting_vcpu, setup),
		cmocka_unit_test_setup(test_balance_limits, setup),
		cmocka_unit_test_setup(test_wake_on_busy_pcpu_tickles_idler,
				       setup),
		cmocka_unit_test_setup(test_dom0_vcpus_pin, setup),
		cmocka_unit_test_setup(test_dom0_vcpus_pin_pool, setup),
	};

	return cmocka_run_group_tests_name("sched", tests, NULL, NULL);
}
