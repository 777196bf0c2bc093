/* SPDX-License-Identifier: MIT */
/* Unit tests of common/sched/timer.c on the fake arch's clock and CPUs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <asm/fake.h>
#include <orchid/irq.h>
#include <orchid/timer.h>

/* See test_page_alloc.c: EXPECT_PANIC's flag cannot really be clobbered. */
#pragma GCC diagnostic ignored "-Wclobbered"

void timer_reset(void);

/* SGIs sent by the code under test. */
static unsigned int kicks[CONFIG_NR_CPUS];

void irq_send_sgi(unsigned int cpu, enum sgi sgi)
{
	assert_int_equal(sgi, SGI_KICK);
	assert_true(cpu < CONFIG_NR_CPUS);
	kicks[cpu]++;
}

/* Which timers fired, in order, and on which CPU. */
struct fired {
	char name;
	unsigned int cpu;
	uint64_t now;
};
static struct fired log_[64];
static unsigned int nr_fired;

/* A timer with a name for the log and optional extra behaviour. */
struct test_timer {
	struct timer t;
	char name;
	/* Re-arm by this much after firing, from the deadline or from now. */
	uint64_t period;
	bool from_deadline;
	unsigned int max_fires;
	/* Set this one to @other_at when firing. */
	struct test_timer *other;
	uint64_t other_at;
	bool kill_self;
	unsigned int fires;
};

static void record(void *data)
{
	struct test_timer *tt = data;

	assert_true(nr_fired < ARRAY_SIZE(log_));
	log_[nr_fired++] = (struct fired){tt->name, fake_cpu_id, fake_now_ns};
	tt->fires++;
	if (tt->period && tt->fires < tt->max_fires)
		timer_set(&tt->t, (tt->from_deadline ? timer_expires(&tt->t)
						     : fake_now_ns) +
					  tt->period);
	if (tt->other)
		timer_set(&tt->other->t, tt->other_at);
	if (tt->kill_self)
		timer_kill(&tt->t);
}

static void tt_init(struct test_timer *tt, char name, unsigned int cpu)
{
	memset(tt, 0, sizeof(*tt));
	tt->name = name;
	timer_init(&tt->t, record, tt, cpu);
}

/* The names of the timers fired so far, as a string. */
static const char *fired_names(void)
{
	static char s[ARRAY_SIZE(log_) + 1];
	unsigned int i;

	for (i = 0; i < nr_fired; i++)
		s[i] = log_[i].name;
	s[i] = '\0';
	return s;
}

static void run_at(uint64_t now)
{
	fake_now_ns = now;
	timer_process();
}

static int setup(void **state)
{
	timer_reset();
	memset(kicks, 0, sizeof(kicks));
	nr_fired = 0;
	fake_now_ns = 0;
	fake_timer_deadline = 0;
	fake_cpu_id = 0;
	return 0;
}

static void test_order(void **state)
{
	struct test_timer a, b, c;

	tt_init(&a, 'a', 0);
	tt_init(&b, 'b', 0);
	tt_init(&c, 'c', 0);
	timer_set(&c.t, 30);
	timer_set(&a.t, 10);
	timer_set(&b.t, 20);
	run_at(100);
	assert_string_equal(fired_names(), "abc");
	assert_int_equal(fake_timer_deadline, 0);
	assert_false(timer_is_active(&a.t));
}

static void test_fifo_ties(void **state)
{
	struct test_timer t[5];
	unsigned int i;

	for (i = 0; i < 5; i++)
		tt_init(&t[i], (char)('a' + i), 0);
	timer_set(&t[4].t, 60);
	for (i = 0; i < 4; i++)
		timer_set(&t[i].t, 50);
	/* Re-setting moves a timer behind the others due at the same time. */
	timer_set(&t[1].t, 50);
	run_at(60);
	assert_string_equal(fired_names(), "acdbe");
}

static void test_deadline_programming(void **state)
{
	struct test_timer a, b, c;

	tt_init(&a, 'a', 0);
	tt_init(&b, 'b', 0);
	tt_init(&c, 'c', 0);
	timer_set(&a.t, 100);
	assert_int_equal(fake_timer_deadline, 100);
	timer_set(&b.t, 50);
	assert_int_equal(fake_timer_deadline, 50);
	fake_timer_deadline = 12345; /* unchanged head: no reprogramming */
	timer_set(&c.t, 200);
	assert_int_equal(fake_timer_deadline, 12345);
	timer_stop(&b.t);
	assert_int_equal(fake_timer_deadline, 100);
	timer_set(&a.t, 300); /* the head moves later */
	assert_int_equal(fake_timer_deadline, 200);
	timer_stop(&c.t);
	assert_int_equal(fake_timer_deadline, 300);
	timer_stop(&a.t);
	assert_int_equal(fake_timer_deadline, 0);
	assert_int_equal(kicks[0], 0);
}

static void test_partial_expiry(void **state)
{
	struct test_timer a, b;

	tt_init(&a, 'a', 0);
	tt_init(&b, 'b', 0);
	timer_set(&a.t, 100);
	timer_set(&b.t, 200);
	run_at(99);
	assert_string_equal(fired_names(), "");
	assert_int_equal(fake_timer_deadline, 100);
	run_at(150);
	assert_string_equal(fired_names(), "a");
	assert_int_equal(fake_timer_deadline, 200);
	assert_true(timer_is_active(&b.t));
	run_at(200); /* due exactly now */
	assert_string_equal(fired_names(), "ab");
	assert_int_equal(fake_timer_deadline, 0);
}

static void test_rearm_and_stop(void **state)
{
	struct test_timer a, b;

	tt_init(&a, 'a', 0);
	tt_init(&b, 'b', 0);
	assert_false(timer_is_active(&a.t));
	timer_set(&a.t, 100);
	assert_true(timer_is_active(&a.t));
	timer_set(&a.t, 300);
	assert_int_equal(timer_expires(&a.t), 300);
	assert_int_equal(fake_timer_deadline, 300);
	timer_set(&b.t, 150);
	timer_stop(&b.t);
	timer_stop(&b.t); /* stopping twice is harmless */
	assert_false(timer_is_active(&b.t));
	run_at(200);
	assert_string_equal(fired_names(), "");
	run_at(300);
	assert_string_equal(fired_names(), "a");
	/* A fired timer can be set again. */
	timer_set(&a.t, 400);
	run_at(400);
	assert_string_equal(fired_names(), "aa");
}

static void test_fn_rearms_itself(void **state)
{
	struct test_timer p;

	tt_init(&p, 'p', 0);
	p.period = 100;
	p.max_fires = 100;
	timer_set(&p.t, 100);
	run_at(100);
	assert_int_equal(p.fires, 1);
	assert_true(timer_is_active(&p.t));
	assert_int_equal(fake_timer_deadline, 200);

	/* Late by 2.5 periods: each missed deadline fires, once, in order. */
	p.from_deadline = true;
	run_at(450);
	assert_int_equal(p.fires, 4);
	assert_int_equal(timer_expires(&p.t), 500);
	assert_int_equal(fake_timer_deadline, 500);
}

static void test_fn_sets_others(void **state)
{
	struct test_timer a, b, c;

	tt_init(&a, 'a', 0);
	tt_init(&b, 'b', 0);
	tt_init(&c, 'c', 0);
	/* a sets b due already (runs in this pass), b sets c for later. */
	a.other = &b;
	a.other_at = 50;
	b.other = &c;
	b.other_at = 500;
	timer_set(&a.t, 100);
	run_at(100);
	assert_string_equal(fired_names(), "ab");
	assert_true(timer_is_active(&c.t));
	assert_int_equal(fake_timer_deadline, 500);
	run_at(500);
	assert_string_equal(fired_names(), "abc");
}

static void test_past_deadline(void **state)
{
	struct test_timer a, z;

	tt_init(&a, 'a', 0);
	tt_init(&z, 'z', 0);
	fake_now_ns = 1000;
	timer_set(&a.t, 500);
	/* Programmed in the past: the hardware fires at once. */
	assert_int_equal(fake_timer_deadline, 500);
	timer_process();
	assert_string_equal(fired_names(), "a");
	assert_int_equal(log_[0].now, 1000);

	/* Deadline 0 must not read as "disarm". */
	timer_set(&z.t, 0);
	assert_int_equal(fake_timer_deadline, 1);
	timer_process();
	assert_string_equal(fired_names(), "az");
}

static void test_cpus(void **state)
{
	struct test_timer a, b, c;

	tt_init(&a, 'a', 0);
	tt_init(&b, 'b', 1);
	tt_init(&c, 'c', 1);

	/* From CPU 0: CPU 1's earlier deadline is a kick, not our timer. */
	timer_set(&a.t, 300);
	timer_set(&b.t, 100);
	assert_int_equal(fake_timer_deadline, 300);
	assert_int_equal(kicks[1], 1);
	timer_set(&c.t, 200); /* later than CPU 1's head: no kick */
	assert_int_equal(kicks[1], 1);
	assert_int_equal(kicks[0], 0);

	run_at(1000);
	assert_string_equal(fired_names(), "a");
	assert_int_equal(fake_timer_deadline, 0);

	fake_cpu_id = 1;
	timer_process();
	assert_string_equal(fired_names(), "abc");
	assert_int_equal(log_[1].cpu, 1);
	assert_int_equal(log_[2].cpu, 1);
	assert_int_equal(fake_timer_deadline, 0);

	/* On CPU 1, its own queue's head programs its own timer. */
	timer_set(&b.t, 2000);
	assert_int_equal(fake_timer_deadline, 2000);
	assert_int_equal(kicks[0], 0);
	timer_stop(&b.t);
}

static void test_migrate(void **state)
{
	struct test_timer a, b;

	tt_init(&a, 'a', 0);
	tt_init(&b, 'b', 1);
	timer_set(&a.t, 100);
	timer_set(&b.t, 150);
	assert_int_equal(fake_timer_deadline, 100);
	timer_migrate(&a.t, 1);
	/* CPU 0's queue emptied; CPU 1's head got earlier: kicked. */
	assert_int_equal(fake_timer_deadline, 0);
	assert_int_equal(kicks[1], 2);
	assert_true(timer_is_active(&a.t));

	run_at(200);
	assert_string_equal(fired_names(), "");
	fake_cpu_id = 1;
	timer_process();
	assert_string_equal(fired_names(), "ab");
	assert_int_equal(log_[0].cpu, 1);

	/* An idle timer just changes CPU. */
	timer_migrate(&a.t, 2);
	fake_cpu_id = 2;
	timer_set(&a.t, 300);
	assert_int_equal(fake_timer_deadline, 300);
	run_at(300);
	assert_string_equal(fired_names(), "aba");
	assert_int_equal(log_[2].cpu, 2);

	/* Back down to CPU 0 while queued, and a no-op move. */
	timer_set(&a.t, 400);
	timer_migrate(&a.t, 0);
	timer_migrate(&a.t, 0);
	assert_int_equal(fake_timer_deadline, 0); /* CPU 2 has nothing left */
	assert_int_equal(kicks[0], 1);
	fake_cpu_id = 0;
	run_at(400);
	assert_string_equal(fired_names(), "abaa");
	assert_int_equal(log_[3].cpu, 0);
}

static void test_kill(void **state)
{
	struct test_timer a, k;

	tt_init(&a, 'a', 0);
	timer_set(&a.t, 100);
	timer_kill(&a.t);
	assert_false(timer_is_active(&a.t));
	assert_int_equal(fake_timer_deadline, 0);
	timer_set(&a.t, 100); /* ignored */
	assert_false(timer_is_active(&a.t));
	run_at(100);
	assert_string_equal(fired_names(), "");

	/* timer_init revives it. */
	tt_init(&a, 'a', 0);
	timer_set(&a.t, 200);
	run_at(200);
	assert_string_equal(fired_names(), "a");

	/* Killing a timer from its own function would wait forever. */
	tt_init(&k, 'k', 0);
	k.kill_self = true;
	timer_set(&k.t, 300);
	assert_true(EXPECT_PANIC(run_at(300)));
	assert_non_null(strstr(fake_panic_msg, "own function"));
}

static void test_bad_cpu(void **state)
{
	struct timer t;

	assert_true(EXPECT_PANIC(timer_init(&t, NULL, NULL, CONFIG_NR_CPUS)));
}

static void test_many_timers_sorted(void **state)
{
	enum { N = 50 };
	static struct test_timer t[N];
	unsigned int i;

	/* Deadlines in a scrambled order, with ties. */
	for (i = 0; i < N; i++) {
		tt_init(&t[i], (char)('0' + i), 0);
		timer_set(&t[i].t, 1000 + (i * 17) % 10 * 10);
	}
	run_at(5000);
	assert_int_equal(nr_fired, N);
	for (i = 1; i < N; i++) {
		struct test_timer *prev = &t[log_[i - 1].name - '0'];
		struct test_timer *cur = &t[log_[i].name - '0'];

		assert_true(timer_expires(&prev->t) <= timer_expires(&cur->t));
		if (timer_expires(&prev->t) == timer_expires(&cur->t))
			assert_true(prev < cur); /* set first, fired first */
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_order, setup),
		cmocka_unit_test_setup(test_fifo_ties, setup),
		cmocka_unit_test_setup(test_deadline_programming, setup),
		cmocka_unit_test_setup(test_partial_expiry, setup),
		cmocka_unit_test_setup(test_rearm_and_stop, setup),
		cmocka_unit_test_setup(test_fn_rearms_itself, setup),
		cmocka_unit_test_setup(test_fn_sets_others, setup),
		cmocka_unit_test_setup(test_past_deadline, setup),
		cmocka_unit_test_setup(test_cpus, setup),
		cmocka_unit_test_setup(test_migrate, setup),
		cmocka_unit_test_setup(test_kill, setup),
		cmocka_unit_test_setup(test_bad_cpu, setup),
		cmocka_unit_test_setup(test_many_timers_sorted, setup),
	};

	return cmocka_run_group_tests_name("timer", tests, NULL, NULL);
}
