/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of ARINC 653 (common/sched/arinc653.c) through the scheduler
 * core on a fake clock: Dom0's default schedule, a 20/80 major frame gives
 * exactly that split, a blocked vCPU's window stays idle, and
 * XEN_SYSCTL_SCHEDOP_{put,get}info as Xen 4.17's arinc653_sched_set/get
 * answer them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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
#define SECONDS (1000 * MS)

static struct domain other;
static struct xen_sysctl_arinc653_schedule sched;

static int a653_setup(void **state)
{
	setup(state);
	sched_init("arinc653", false);
	cpus_up(4);
	memset(&other, 0, sizeof(other));
	memset(&sched, 0, sizeof(sched));
	memset(dom.handle, 0xa1, sizeof(dom.handle));
	memset(other.handle, 0xb2, sizeof(other.handle));
	other.domain_id = 2;
	return 0;
}

static long sysctl(uint32_t cmd, uint64_t at)
{
	struct xen_sysctl_scheduler_op op = {
		.sched_id = XEN_SCHEDULER_ARINC653,
		.cmd = cmd,
	};

	op.u.sched_arinc653.p = at;
	return sched_sys_cntl(&op);
}

static long put(void)
{
	return sysctl(XEN_SYSCTL_SCHEDOP_putinfo, (uintptr_t)&sched);
}

static long get(struct xen_sysctl_arinc653_schedule *out)
{
	return sysctl(XEN_SYSCTL_SCHEDOP_getinfo, (uintptr_t)out);
}

static void entry(unsigned int i, const struct domain *d, uint32_t vcpu,
		  uint64_t runtime)
{
	memcpy(sched.sched_entries[i].dom_handle, d->handle, sizeof(d->handle));
	sched.sched_entries[i].vcpu_id = vcpu;
	sched.sched_entries[i].runtime = runtime;
}

/* vCPU 0 of dom and vCPU 1 (of other) on pCPU 1, 20/80 of 100 ms. */
static void two_domains_20_80(void)
{
	up(0, 1);
	vc[1].domain = &other;
	up(1, 1);
	sched.major_frame = 100 * MS;
	sched.num_sched_entries = 2;
	entry(0, &dom, 0, 20 * MS);
	entry(1, &other, 1, 80 * MS);
	assert_int_equal(put(), 0);
}

/* A major frame of 20 and 80 ms: exactly that split, frame after frame. */
static void test_split_20_80(void **state)
{
	uint64_t ran[NR_TEST_VCPUS] = {0};

	two_domains_20_80();
	run_for(1, 10 * SECONDS, ran);
	assert_int_equal(ran[0], 2 * SECONDS);
	assert_int_equal(ran[1], 8 * SECONDS);
}

/* A blocked vCPU's minor frame is not given away: the pCPU idles. */
static void test_window_not_given_away(void **state)
{
	uint64_t ran[NR_TEST_VCPUS] = {0};

	two_domains_20_80();
	vcpu_block(&vc[0]);
	run_for(1, 10 * SECONDS, ran);
	assert_int_equal(ran[0], 0);
	assert_int_equal(ran[1], 8 * SECONDS);
}

/* Unnamed vCPUs never run; frames shorter than the major frame idle. */
static void test_unnamed_never_runs(void **state)
{
	uint64_t ran[NR_TEST_VCPUS] = {0};

	up(0, 2);
	up(2, 2);
	sched.major_frame = 50 * MS;
	sched.num_sched_entries = 1;
	entry(0, &dom, 0, 10 * MS);
	assert_int_equal(put(), 0);
	run_for(2, 1 * SECONDS, ran);
	assert_int_equal(ran[0], 200 * MS);
	assert_int_equal(ran[2], 0);
}

/* Booted with sched=arinc653, Dom0's vCPUs get 10 ms each (Xen's default). */
static void test_dom0_default(void **state)
{
	struct xen_sysctl_arinc653_schedule got;
	uint64_t ran[NR_TEST_VCPUS] = {0};

	dom.domain_id = 0;
	memset(dom.handle, 0, sizeof(dom.handle));
	up(0, 0);
	up(1, 0);
	assert_int_equal(get(&got), 0);
	assert_int_equal(got.num_sched_entries, 2);
	assert_int_equal(got.major_frame, 20 * MS);
	assert_int_equal(got.sched_entries[1].vcpu_id, 1);
	assert_int_equal(got.sched_entries[1].runtime, 10 * MS);
	run_for(0, 1 * SECONDS, ran);
	assert_int_equal(ran[0], 500 * MS);
	assert_int_equal(ran[1], 500 * MS);
}

/* Xen 4.17's checks: -EINVAL, -EFAULT, and nothing changes on error. */
static void test_put_errors(void **state)
{
	struct xen_sysctl_arinc653_schedule got;

	sched.major_frame = 100 * MS;
	sched.num_sched_entries = 1;
	entry(0, &dom, 0, 20 * MS);
	assert_int_equal(put(), 0);
	sched.major_frame = 0;
	assert_int_equal(put(), -EINVAL);
	sched.major_frame = (uint64_t)-1; /* negative as s_time_t */
	assert_int_equal(put(), -EINVAL);
	sched.major_frame = 100 * MS;
	sched.num_sched_entries = 0;
	assert_int_equal(put(), -EINVAL);
	sched.num_sched_entries = ARINC653_MAX_DOMAINS_PER_SCHEDULE + 1;
	assert_int_equal(put(), -EINVAL);
	sched.num_sched_entries = 2;
	entry(1, &other, 0, 0);
	assert_int_equal(put(), -EINVAL); /* a runtime of 0 */
	entry(1, &other, 0, 81 * MS);
	assert_int_equal(put(), -EINVAL); /* 101 ms in a 100 ms frame */
	assert_int_equal(sysctl(XEN_SYSCTL_SCHEDOP_putinfo, 8), -EFAULT);
	assert_int_equal(sysctl(XEN_SYSCTL_SCHEDOP_getinfo, 8), -EFAULT);
	/* The first schedule holds; unused entries read as all ones. */
	assert_int_equal(get(&got), 0);
	assert_int_equal(got.num_sched_entries, 1);
	assert_int_equal(got.major_frame, 100 * MS);
	assert_memory_equal(got.sched_entries[0].dom_handle, dom.handle,
			    sizeof(dom.handle));
	assert_int_equal(got.sched_entries[0].runtime, 20 * MS);
	assert_int_equal(got.sched_entries[1].vcpu_id, 0xffffffffU);
	/* 80 ms more fits exactly. */
	entry(1, &other, 0, 80 * MS);
	assert_int_equal(put(), 0);
}

/* No per-domain parameters: the domctl answers 0, as Xen's. */
static void test_dom_cntl(void **state)
{
	struct xen_domctl_scheduler_op op = {
		.sched_id = XEN_SCHEDULER_ARINC653,
		.cmd = XEN_DOMCTL_SCHEDOP_getinfo,
	};

	assert_int_equal(sched_dom_cntl(&dom, &op), 0);
	op.sched_id = XEN_SCHEDULER_CREDIT;
	assert_int_equal(sched_dom_cntl(&dom, &op), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_split_20_80, a653_setup),
		cmocka_unit_test_setup(test_window_not_given_away, a653_setup),
		cmocka_unit_test_setup(test_unnamed_never_runs, a653_setup),
		cmocka_unit_test_setup(test_dom0_default, a653_setup),
		cmocka_unit_test_setup(test_put_errors, a653_setup),
		cmocka_unit_test_setup(test_dom_cntl, a653_setup),
	};

	return cmocka_run_group_tests_name("arinc653", tests, NULL, NULL);
}
