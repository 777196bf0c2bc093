/* SPDX-License-Identifier: MIT */
/* Unit tests of common/sched/tasklet.c on the fake arch's CPUs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <asm/fake.h>
#include <orchid/tasklet.h>

struct counted {
	struct tasklet t;
	unsigned int runs;
	unsigned int ran_on;
	struct tasklet *then; /* queued from inside the function */
};

static void counted_fn(void *data)
{
	struct counted *c = data;

	c->runs++;
	c->ran_on = fake_cpu_id;
	if (c->then) {
		tasklet_schedule(c->then);
		c->then = NULL;
	}
}

static void counted_init(struct counted *c, unsigned int cpu)
{
	memset(c, 0, sizeof(*c));
	tasklet_init(&c->t, counted_fn, c, cpu);
}

/* Queued work runs once, on its own pCPU only, and the queue drains. */
static void test_runs_once_on_its_cpu(void **state)
{
	struct counted a;

	(void)state;
	counted_init(&a, 1);
	fake_cpu_id = 0;
	assert_false(tasklet_pending());
	tasklet_schedule(&a.t);
	tasklet_schedule(&a.t); /* queued already: still one run */
	assert_false(tasklet_pending());
	tasklet_run_pending();
	assert_int_equal(a.runs, 0);
	fake_cpu_id = 1;
	assert_true(tasklet_pending());
	tasklet_run_pending();
	assert_int_equal(a.runs, 1);
	assert_int_equal(a.ran_on, 1);
	assert_false(tasklet_pending());
	tasklet_run_pending();
	assert_int_equal(a.runs, 1);
	fake_cpu_id = 0;
}

/* A function may queue work, its own tasklet included: it runs in order. */
static void test_queue_from_inside(void **state)
{
	struct counted a, b;

	(void)state;
	counted_init(&a, 0);
	counted_init(&b, 0);
	a.then = &b.t;
	fake_cpu_id = 0;
	tasklet_schedule(&a.t);
	tasklet_run_pending();
	assert_int_equal(a.runs, 1);
	assert_int_equal(b.runs, 1);
	a.then = &a.t; /* itself: queued again, run again */
	tasklet_schedule(&a.t);
	tasklet_run_pending();
	assert_int_equal(a.runs, 3);
	assert_false(tasklet_pending());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runs_once_on_its_cpu),
		cmocka_unit_test(test_queue_from_inside),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
