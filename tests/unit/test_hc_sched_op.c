/* SPDX-License-Identifier: MIT */
/*
 * sched_op (common/sched/sched_op.c): yield, block, poll, shutdown of oneself,
 * of another domain (Dom0 only) and the shutdown code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <asm/fake.h>
#include <orchid/errno.h>
#include <orchid/hypercalls.h>
#include <orchid/sched.h>
#include <public/sched.h>

#include "fake_guest.h"
#include "test_hypercalls.h"

#define POLL_PORTS_MAX 128 /* common/sched/sched_op.c's */

static struct fake_guest dom0, domu;

static int setup(void **state)
{
	fake_reset();
	fake_guest_create(&dom0, 0, true, 1);
	fake_guest_create(&domu, 1, false, 2);
	domu.vcpu[1].pause_flags = 0;
	hardware_domain = &dom0.d;
	domain_watchdog_init(&dom0.d);
	domain_watchdog_init(&domu.d);
	fake_run_as(&domu, 1);
	return 0;
}

static int teardown(void **state)
{
	fake_check_unlocked();
	fake_guest_destroy(&domu);
	fake_guest_destroy(&dom0);
	return 0;
}

#define ARG_VA fake_va(1, 0x100)

/* sched_op(@cmd) with @arg in guest memory, which must stay as it was. */
static long sched(uint64_t cmd, const void *arg, size_t size)
{
	long rc;

	if (size)
		fake_poke(ARG_VA, arg, size);
	fake_snapshot();
	rc = HC(hc_sched_op, cmd, ARG_VA);
	fake_unchanged();
	return rc;
}

static long shut(unsigned int cmd, unsigned int reason)
{
	struct sched_shutdown s = {.reason = reason};

	return sched(cmd, &s, sizeof(s));
}

static long remote_shutdown(domid_t domid, unsigned int reason)
{
	struct sched_remote_shutdown s = {.domain_id = domid, .reason = reason};

	return sched(SCHEDOP_remote_shutdown, &s, sizeof(s));
}

/* Every address where a @size-byte argument cannot be read: -EFAULT. */
static void expect_bad_args(unsigned int cmd, size_t size)
{
	uint64_t bad[FAKE_BAD_MAX];
	unsigned int n = fake_bad_read(size, bad);

	fake_snapshot();
	for (unsigned int i = 0; i < n; i++)
		assert_int_equal(HC(hc_sched_op, cmd, bad[i]), -EFAULT);
	fake_unchanged();
}

static void test_yield(void **state)
{
	/* No argument is read. */
	assert_int_equal(HC(hc_sched_op, SCHEDOP_yield, 0), 0);
	assert_int_equal(fake_rec.yields, 1);
	assert_ptr_equal(fake_rec.yield_v, &domu.vcpu[1]);
	assert_int_equal(HC(hc_sched_op, SCHEDOP_yield, ~0ULL), 0);
	assert_int_equal(fake_rec.yields, 2);
	assert_int_equal(fake_rec.blocks + fake_rec.shutdowns, 0);
}

static void test_block(void **state)
{
	struct vcpu *v = &domu.vcpu[1];

	/* Nothing pending: the vCPU blocks. */
	assert_int_equal(HC(hc_sched_op, SCHEDOP_block, 0), 0);
	assert_int_equal(fake_rec.blocks, 1);
	assert_ptr_equal(fake_rec.block_v, v);
	/* An event is pending: it returns at once. */
	v->vcpu_info->evtchn_upcall_pending = 1;
	assert_int_equal(HC(hc_sched_op, SCHEDOP_block, 0), 0);
	assert_int_equal(fake_rec.blocks, 1);
	/* Without a vcpu_info there is nothing to look at. */
	v->vcpu_info = NULL;
	assert_int_equal(HC(hc_sched_op, SCHEDOP_block, ~0ULL), 0);
	assert_int_equal(fake_rec.blocks, 2);
	assert_int_equal(fake_rec.yields, 0);
}

static void test_shutdown(void **state)
{
	for (unsigned int r = 0; r <= SHUTDOWN_MAX; r++) {
		assert_int_equal(shut(SCHEDOP_shutdown, r), 0);
		assert_int_equal(fake_rec.shutdowns, r + 1);
		assert_ptr_equal(fake_rec.shutdown_d, &domu.d);
		assert_int_equal(fake_rec.shutdown_reason, r);
	}
	fake_run_as(&dom0, 0);
	assert_int_equal(shut(SCHEDOP_shutdown, SHUTDOWN_reboot), 0);
	assert_ptr_equal(fake_rec.shutdown_d, &dom0.d);
}

static void test_shutdown_bad_reasons(void **state)
{
	static const unsigned int bad[] = {SHUTDOWN_MAX + 1, 255, 256,
					   0x80000000U, UINT32_MAX};

	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(shut(SCHEDOP_shutdown, bad[i]), -EINVAL);
		assert_int_equal(shut(SCHEDOP_shutdown_code, bad[i]), -EINVAL);
		fake_run_as(&dom0, 0);
		assert_int_equal(remote_shutdown(1, bad[i]), -EINVAL);
		fake_run_as(&domu, 0);
	}
	assert_int_equal(fake_rec.shutdowns, 0);
	assert_int_equal(domu.d.shutdown_code, 0);
	expect_bad_args(SCHEDOP_shutdown, sizeof(struct sched_shutdown));
	expect_bad_args(SCHEDOP_shutdown_code, sizeof(struct sched_shutdown));
	assert_int_equal(fake_rec.shutdowns, 0);
}

static void test_shutdown_code(void **state)
{
	domu.d.shutdown_code = SHUTDOWN_CODE_INVALID;
	assert_int_equal(shut(SCHEDOP_shutdown_code, SHUTDOWN_crash), 0);
	assert_int_equal(domu.d.shutdown_code, SHUTDOWN_crash);
	/* As Xen: the first code set sticks. */
	assert_int_equal(shut(SCHEDOP_shutdown_code, SHUTDOWN_MAX), 0);
	assert_int_equal(domu.d.shutdown_code, SHUTDOWN_crash);
	/* Only recorded: the domain keeps running. */
	assert_int_equal(fake_rec.shutdowns, 0);
	assert_int_equal(dom0.d.shutdown_code, 0);
}

static void test_remote_shutdown(void **state)
{
	/* Not for a DomU, whatever it names, bad pointers included. */
	assert_int_equal(remote_shutdown(0, SHUTDOWN_poweroff), -EPERM);
	assert_int_equal(remote_shutdown(1, SHUTDOWN_poweroff), -EPERM);
	assert_int_equal(remote_shutdown(7, SHUTDOWN_poweroff), -EPERM);
	assert_int_equal(HC(hc_sched_op, SCHEDOP_remote_shutdown, 0), -EPERM);
	assert_int_equal(fake_rec.shutdowns, 0);

	fake_run_as(&dom0, 0);
	assert_int_equal(remote_shutdown(1, SHUTDOWN_reboot), 0);
	assert_int_equal(fake_rec.shutdowns, 1);
	assert_ptr_equal(fake_rec.shutdown_d, &domu.d);
	assert_int_equal(fake_rec.shutdown_reason, SHUTDOWN_reboot);
	assert_int_equal(remote_shutdown(7, SHUTDOWN_reboot), -ESRCH);
	assert_int_equal(remote_shutdown(DOMID_SELF, SHUTDOWN_reboot), -ESRCH);
	assert_int_equal(fake_rec.shutdowns, 1);
	expect_bad_args(SCHEDOP_remote_shutdown,
			sizeof(struct sched_remote_shutdown));
	assert_int_equal(fake_rec.shutdowns, 1);
}

/* poll of @nr ports at @ports_va, where @ports were written first. */
static long poll_timeout(const uint32_t *ports, unsigned int nr,
			 uint64_t ports_va, uint64_t timeout)
{
	struct sched_poll p = {
		.ports = ports_va, .nr_ports = nr, .timeout = timeout};

	if (ports)
		fake_poke(ports_va, ports, nr * sizeof(*ports));
	return sched(SCHEDOP_poll, &p, sizeof(p));
}

static long poll_ports(const uint32_t *ports, unsigned int nr,
		       uint64_t ports_va)
{
	return poll_timeout(ports, nr, ports_va, 0);
}

static bool blocked(struct vcpu *v)
{
	return v->pause_flags & VPF_BLOCKED;
}

/*
 * Guest-safety item 6: SCHEDOP_poll blocks until an event on one of the
 * ports (masked or not), an event for the vCPU, or the timeout, as Xen's
 * do_poll; it no longer returns at once.
 */
static void test_poll(void **state)
{
	const uint32_t ports[] = {3, 5, 9};
	uint64_t va = fake_va(3, 0x20);
	struct vcpu *v = &domu.vcpu[1]; /* the caller */

	/* Nothing pending: blocked, polling. */
	assert_int_equal(poll_ports(ports, 3, va), 0);
	assert_int_equal(fake_rec.pending_checks, 3);
	assert_ptr_equal(fake_rec.pending_d, &domu.d);
	assert_true(blocked(v));
	assert_int_equal(fake_rec.yields, 0);
	assert_int_equal(fake_rec.timer_sets, 0);
	/* An event on another domain's port, or none: still asleep. */
	sched_poll_notify(&dom0.d, 5);
	assert_true(blocked(v));
	/* Any of several ports wakes it, once. */
	sched_poll_notify(&domu.d, 7);
	assert_false(blocked(v));
	assert_int_equal(fake_rec.wakes, 1);
	assert_int_equal(domu.d.nr_polling, 0);
	sched_poll_notify(&domu.d, 7);
	assert_int_equal(fake_rec.wakes, 1);

	/* One port: only that one wakes it. */
	assert_int_equal(poll_ports(ports, 1, va), 0);
	assert_true(blocked(v));
	sched_poll_notify(&domu.d, 5);
	assert_true(blocked(v));
	sched_poll_notify(&domu.d, 3);
	assert_false(blocked(v));

	/* One pending: it returns at once, looking no further. */
	fake_ctl.pending_ports = 1ULL << 5;
	fake_rec.pending_checks = 0;
	assert_int_equal(poll_ports(ports, 3, va), 0);
	assert_int_equal(fake_rec.pending_checks, 2);
	assert_false(blocked(v));
	assert_int_equal(domu.d.nr_polling, 0);
	/* An event already there for the vCPU: at once too. */
	fake_ctl.pending_ports = 0;
	fake_ctl.has_work = true;
	assert_int_equal(poll_ports(ports, 3, va), 0);
	assert_false(blocked(v));
	assert_int_equal(domu.d.nr_polling, 0);
	fake_ctl.has_work = false;
	/* Ports are looked up in the caller's own domain. */
	fake_run_as(&dom0, 0);
	fake_ctl.pending_ports = 1ULL << 3;
	assert_int_equal(poll_ports(ports, 1, va), 0);
	assert_ptr_equal(fake_rec.pending_d, &dom0.d);
	assert_false(blocked(&dom0.vcpu[0]));
}

/* Xen: a port that is no valid port is -EINVAL, and nothing blocks. */
static void test_poll_bad_ports(void **state)
{
	uint64_t va = fake_va(3, 0x20);
	struct vcpu *v = &domu.vcpu[1];

	assert_int_equal(poll_ports((uint32_t[]){UINT32_MAX}, 1, va), -EINVAL);
	assert_false(blocked(v));
	assert_int_equal(poll_ports((uint32_t[]){3, 1024}, 2, va), -EINVAL);
	assert_false(blocked(v));
	assert_int_equal(domu.d.nr_polling, 0);
	assert_int_equal(poll_ports((uint32_t[]){3, 1023}, 2, va), 0);
	assert_true(blocked(v));
}

static void test_poll_timeout(void **state)
{
	uint64_t va = fake_va(3, 0x20);
	struct vcpu *v = &domu.vcpu[1];

	sched_poll_init(v);
	assert_int_equal(poll_timeout((uint32_t[]){3}, 1, va, 123456789), 0);
	assert_true(blocked(v));
	assert_int_equal(fake_rec.timer_sets, 1);
	assert_int_equal(v->poll_timer.expires, 123456789);
	/* The timer fires: awake, no longer polling. */
	v->poll_timer.fn(v->poll_timer.data);
	assert_false(blocked(v));
	assert_int_equal(domu.d.nr_polling, 0);
	/* A late event wakes nothing more. */
	sched_poll_notify(&domu.d, 3);
	assert_int_equal(fake_rec.wakes, 1);
	/* Woken by the event first: the timer is harmless. */
	assert_int_equal(poll_timeout((uint32_t[]){3}, 1, va, 5), 0);
	sched_poll_notify(&domu.d, 3);
	v->poll_timer.fn(v->poll_timer.data);
	assert_int_equal(fake_rec.wakes, 2);
}

static void test_poll_port_counts(void **state)
{
	uint32_t ports[POLL_PORTS_MAX + 1] = {0};
	uint64_t va = fake_va(3, 0);

	/* No ports: nothing is read, wherever they point; it blocks. */
	assert_int_equal(poll_ports(NULL, 0, 0), 0);
	assert_int_equal(poll_ports(NULL, 0, ~0ULL), 0);
	assert_int_equal(fake_rec.pending_checks, 0);
	assert_int_equal(fake_rec.blocks, 2);
	/* The limit, and past it. */
	assert_int_equal(poll_ports(ports, POLL_PORTS_MAX, va), 0);
	assert_int_equal(fake_rec.pending_checks, POLL_PORTS_MAX);
	assert_int_equal(poll_ports(ports, POLL_PORTS_MAX + 1, va), -EINVAL);
	assert_int_equal(poll_ports(NULL, 0x40000000U, va), -EINVAL);
	assert_int_equal(poll_ports(NULL, UINT32_MAX, va), -EINVAL);
	assert_int_equal(fake_rec.pending_checks, POLL_PORTS_MAX);
	assert_int_equal(fake_rec.blocks, 3);
}

static void test_poll_bad_pointers(void **state)
{
	uint64_t bad[FAKE_BAD_MAX];
	unsigned int n;

	expect_bad_args(SCHEDOP_poll, sizeof(struct sched_poll));
	/* A good argument naming ports that cannot be read. */
	n = fake_bad_read(3 * sizeof(uint32_t), bad);
	for (unsigned int i = 0; i < n; i++)
		assert_int_equal(poll_ports(NULL, 3, bad[i]), -EFAULT);
	/* Partly readable: the first port is, the last is not. */
	assert_int_equal(poll_ports(NULL, POLL_PORTS_MAX,
				    fake_va(FAKE_PAGE_HOLE, 0) - 8),
			 -EFAULT);
	assert_int_equal(fake_rec.pending_checks, 0);
	assert_int_equal(fake_rec.blocks, 0);
}

static long watchdog(uint32_t id, uint32_t timeout)
{
	struct sched_watchdog w = {.id = id, .timeout = timeout};

	return sched(SCHEDOP_watchdog, &w, sizeof(w));
}

/*
 * xenwatchdogd's life: arm (id 0) gets a timer id, pets re-arm it, a
 * timeout of 0 disarms it; ids not armed or past the two timers are
 * -EINVAL, a third arm -ENOSPC (32-bit). Values from Xen 4.17's domain_watchdog.
 */
static void test_watchdog(void **state)
{
	struct timer *t = &domu.d.watchdog.timer[0];

	assert_int_equal(watchdog(1, 30), -EINVAL); /* not armed */
	assert_int_equal(watchdog(3, 30), -EINVAL);
	assert_int_equal(watchdog(UINT32_MAX, 0), -EINVAL);
	assert_int_equal(watchdog(0, 30), 1);
	assert_int_equal(t->state, TIMER_QUEUED);
	assert_int_equal(t->expires, fake_now_ns + 30000000000ULL);
	assert_int_equal(watchdog(0, 10), 2);
	/* As Xen 4.17: -ENOSPC through an unsigned int. */
	assert_int_equal(watchdog(0, 10), (uint32_t)-ENOSPC);
	assert_int_equal(watchdog(1, 60), 0); /* pet */
	assert_int_equal(t->expires, fake_now_ns + 60000000000ULL);
	assert_int_equal(watchdog(2, 0), 0); /* disarm */
	assert_int_equal(domu.d.watchdog.timer[1].state, TIMER_INACTIVE);
	assert_int_equal(watchdog(2, 5), -EINVAL);
	assert_int_equal(watchdog(0, 5), 2); /* the freed one again */
	expect_bad_args(SCHEDOP_watchdog, sizeof(struct sched_watchdog));
	assert_int_equal(fake_rec.shutdowns, 0);

	/* Expiry: the domain shuts down with reason watchdog, once. */
	t->fn(t->data);
	assert_int_equal(fake_rec.shutdowns, 1);
	assert_ptr_equal(fake_rec.shutdown_d, &domu.d);
	assert_int_equal(fake_rec.shutdown_reason, SHUTDOWN_watchdog);
	domu.d.is_shut_down = true;
	t->fn(t->data);
	assert_int_equal(fake_rec.shutdowns, 1);
	domain_watchdog_destroy(&domu.d);
	assert_int_equal(t->state, TIMER_KILLED);
}

static void test_unknown(void **state)
{
	static const unsigned int cmds[] = {SCHEDOP_pin_override, 8, 100,
					    UINT32_MAX};

	for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++)
		assert_int_equal(sched(cmds[i], NULL, 0), -ENOSYS);
	assert_int_equal(fake_rec.yields + fake_rec.blocks + fake_rec.shutdowns,
			 0);
	/* The command is an int: the upper half of x0 is ignored. */
	assert_int_equal(sched((1ULL << 32) | SCHEDOP_yield, NULL, 0), 0);
	assert_int_equal(fake_rec.yields, 1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int test_hc_sched_op(void)
{
	const struct CMUnitTest tests[] = {
		T(test_yield),
		T(test_block),
		T(test_shutdown),
		T(test_shutdown_bad_reasons),
		T(test_shutdown_code),
		T(test_remote_shutdown),
		T(test_poll),
		T(test_poll_bad_ports),
		T(test_poll_timeout),
		T(test_poll_port_counts),
		T(test_poll_bad_pointers),
		T(test_watchdog),
		T(test_unknown),
	};

	return cmocka_run_group_tests_name("sched_op", tests, NULL, NULL);
}
