/* SPDX-License-Identifier: MIT */
/*
 * The world the scheduler unit tests (test_sched.c, test_credit2.c) run
 * in: pCPUs that come and go, a fake arch side that records what the core
 * asked of it, one domain of NR_TEST_VCPUS vCPUs, and helpers to let time
 * pass and take exits.
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
#include <orchid/errno.h>
#include <orchid/guest_access.h>
#include <orchid/hypercall.h>
#include <orchid/irq.h>
#include <orchid/mm.h>
#include <orchid/sched.h>
#include <orchid/smp.h>
#include <orchid/timer.h>

#include "../../common/sched/sched_priv.h"
#include "fake_sched.h"

/* ---- fakes ------------------------------------------------------------- */

/*
 * Pool-0 and its scheduler parameters (cpupool.c is not linked): every
 * pCPU is in it, with the policy sched_init was given.
 */
static struct cpupool pool0 = {.used = true, .ratelimit_us = 1000};
struct cpupool *cpupool0 = &pool0;

long sched_sys_cntl(struct xen_sysctl_scheduler_op *op)
{
	if (!pool0.ops->sys_cntl)
		return 0;
	return pool0.ops->sys_cntl(cpupool0, op);
}

void cpupool_init0(const struct scheduler *ops)
{
	pool0.ops = ops;
	sched_pool_defaults(&pool0);
	a653_pool_init(&pool0);
	spin_lock_init(&pool0.waitq_lock);
	list_init(&pool0.waitq);
}

const struct scheduler *cpupool_sched(unsigned int id)
{
	return pool0.ops;
}

/*
 * Guest memory for XEN_DOMCTL_SCHEDOP_{get,put}vcpuinfo arrays: a guest
 * address is a host pointer; below 4096 it faults.
 */
bool preempt_pending; /* hypercall_preempt_check's answer */

int copy_from_guest(void *dst, uint64_t guest_va, size_t len)
{
	if (guest_va < 4096)
		return -EFAULT;
	memcpy(dst, (const void *)(uintptr_t)guest_va, len);
	return 0;
}

int copy_to_guest(uint64_t guest_va, const void *src, size_t len)
{
	if (guest_va < 4096)
		return -EFAULT;
	memcpy((void *)(uintptr_t)guest_va, src, len);
	return 0;
}

bool hypercall_preempt_check(void)
{
	return preempt_pending;
}

unsigned int nr_cpu_ids = 4;
bool online[CONFIG_NR_CPUS];
struct vcpu *cur[CONFIG_NR_CPUS];
unsigned int kicks[CONFIG_NR_CPUS];
bool has_work;
struct vcpu *entered;
unsigned int waits;
jmp_buf idle_exit;
struct vcpu *(*wait_hook)(void);

unsigned int cpus_online(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < nr_cpu_ids; i++)
		n += online[i];
	return n;
}

bool cpu_is_online(unsigned int cpu)
{
	return cpu < nr_cpu_ids && online[cpu];
}

void irq_send_sgi(unsigned int cpu, enum sgi sgi)
{
	assert_int_equal(sgi, SGI_KICK);
	assert_true(cpu < CONFIG_NR_CPUS);
	kicks[cpu]++;
}

int irq_request(unsigned int irq, irq_handler_t handler, void *data)
{
	return 0;
}

/* Idle vCPUs come from here, so that re-initialising leaks nothing. */
static struct vcpu idle_pool[64];
static unsigned int idle_used;

void *xzalloc(size_t size)
{
	assert_true(size == sizeof(struct vcpu));
	assert_true(idle_used < ARRAY_SIZE(idle_pool));
	memset(&idle_pool[idle_used], 0, size);
	return &idle_pool[idle_used++];
}

void xfree(void *p)
{
}

struct vcpu *current_vcpu(void)
{
	return cur[fake_cpu_id];
}

void arch_set_current(struct vcpu *v)
{
	cur[fake_cpu_id] = v;
}

bool arch_vcpu_has_work(struct vcpu *v)
{
	return has_work;
}

/* Migration's arch side: what the core asked for, in order. */
unsigned int unloads, saves, migrated;

void arch_vcpu_unload(struct vcpu *v)
{
	unloads++;
	v->loaded_cpu = SCHED_NO_CPU;
}

void arch_vcpu_save_here(struct vcpu *v)
{
	saves++;
	v->loaded_cpu = SCHED_NO_CPU;
}

void arch_vcpu_migrated(struct vcpu *v)
{
	migrated++;
}

/* The idle loop enters a guest: the test leaves the loop here. */
void arch_vcpu_enter(struct vcpu *v)
{
	entered = v;
	cur[fake_cpu_id] = v;
	longjmp(idle_exit, 1);
}

/* The idle loop sleeps: an "interrupt" may make a vCPU runnable. */
void arch_cpu_wait(void)
{
	waits++;
	if (waits > 3 || !wait_hook)
		longjmp(idle_exit, 2);
	wait_hook();
}

/* ---- the world --------------------------------------------------------- */

struct domain dom;
struct vcpu vc[NR_TEST_VCPUS];
static struct vcpu *vcpus[NR_TEST_VCPUS];

/* Bring up pCPUs 0..@n-1 and give each its idle vCPU. */
void cpus_up(unsigned int n)
{
	memset(online, 0, sizeof(online));
	for (unsigned int cpu = 0; cpu < n; cpu++) {
		online[cpu] = true;
		fake_cpu_id = cpu;
		sched_init_cpu(cpu);
	}
	fake_cpu_id = 0;
}

int setup(void **state)
{
	pool0.ratelimit_us = 1000;
	timer_reset();
	fake_now_ns = 1000;
	fake_timer_deadline = 0;
	fake_cpu_id = 0;
	nr_cpu_ids = 4;
	idle_used = 0;
	has_work = false;
	entered = NULL;
	waits = 0;
	wait_hook = NULL;
	unloads = saves = migrated = 0;
	preempt_pending = false;
	memset(cur, 0, sizeof(cur));
	memset(&dom, 0, sizeof(dom));
	memset(vc, 0, sizeof(vc));
	dom.domain_id = 1;
	dom.max_vcpus = NR_TEST_VCPUS;
	dom.vcpus = vcpus;
	for (unsigned int i = 0; i < NR_TEST_VCPUS; i++) {
		vc[i].vcpu_id = i;
		vc[i].domain = &dom;
		vc[i].pause_flags = VPF_DOWN;
		memset(vc[i].cpu_hard_affinity, 0xff, CPUMAP_BYTES);
		memset(vc[i].cpu_soft_affinity, 0xff, CPUMAP_BYTES);
		vcpus[i] = &vc[i];
	}
	sched_init("", false);
	cpus_up(4);
	memset(kicks, 0, sizeof(kicks));
	return 0;
}

/* Put vCPU @i on pCPU @cpu, down, as vcpu_create does before placement. */
struct vcpu *place(unsigned int i, unsigned int cpu)
{
	struct vcpu *v = &vc[i];

	sched_add_vcpu(v);
	v->processor = cpu;
	return v;
}

/* A placed vCPU comes up (PSCI CPU_ON, domain build). */
struct vcpu *up(unsigned int i, unsigned int cpu)
{
	struct vcpu *v = place(i, cpu);

	vcpu_pause_flag_clear(v, VPF_DOWN);
	return v;
}

/* pCPU @cpu takes an exit: what runs next becomes its current vCPU. */
struct vcpu *run(unsigned int cpu)
{
	struct vcpu *next;

	fake_cpu_id = cpu;
	next = schedule();
	cur[cpu] = next;
	fake_cpu_id = 0;
	return next;
}

/* Let @ns pass on pCPU @cpu and fire its due timers. */
void pass(unsigned int cpu, uint64_t ns)
{
	fake_now_ns += ns;
	fake_cpu_id = cpu;
	timer_process();
	fake_cpu_id = 0;
}

void run_for(unsigned int cpu, uint64_t ns, uint64_t *ran)
{
	uint64_t end = fake_now_ns + ns;
	struct vcpu *v = run(cpu);

	while (fake_now_ns < end) {
		uint64_t step = end - fake_now_ns;

		if (fake_timer_deadline && fake_timer_deadline > fake_now_ns &&
		    fake_timer_deadline - fake_now_ns < step)
			step = fake_timer_deadline - fake_now_ns;
		pass(cpu, step);
		if (!v->is_idle)
			ran[v->vcpu_id] += step;
		v = run(cpu);
	}
}

bool is_idle_of(const struct vcpu *v, unsigned int cpu)
{
	return v && v->is_idle && v->processor == cpu;
}
