// SPDX-License-Identifier: MIT
/*
 * Synchronous exceptions of a test guest. A test that expects its next
 * instruction to fault calls fault_expect(): the exception is recorded
 * (ESR_EL1, FAR_EL1) and execution resumes after the faulting
 * instruction. Any other exception ends the run with an ERROR result, so
 * a hypervisor that injects something unexpected cannot pass a test.
 */
#include "gic.h"
#include "guest.h"

struct trap_frame {
	uint64_t x[31];
	uint64_t elr;
};

void trap_sync(struct trap_frame *f);
void trap_unexpected(unsigned long kind, uint64_t esr, uint64_t far,
		     uint64_t elr);

/*
 * Per vCPU: the fuzzer's racer (vCPU 1) must neither consume vCPU 0's
 * expectation (it would skip one of its own instructions) nor hide its
 * own first fault behind vCPU 0's state.
 */
static volatile int expecting[MAX_CPUS];
static volatile struct fault last[MAX_CPUS];
static volatile int unexpected_depth[MAX_CPUS];
static volatile int unexpected_owner = -1;

void fault_expect(void)
{
	volatile struct fault *l = &last[this_cpu()];

	l->taken = 0;
	l->esr = 0;
	l->far = 0;
	l->elr = 0;
	expecting[this_cpu()] = 1;
}

struct fault fault_result(void)
{
	unsigned int cpu = this_cpu();
	struct fault f = {last[cpu].taken, last[cpu].esr, last[cpu].far,
			  last[cpu].elr};

	expecting[cpu] = 0;
	return f;
}

void trap_sync(struct trap_frame *f)
{
	unsigned int cpu = this_cpu();
	uint64_t esr, far;

	__asm__ volatile("mrs %0, esr_el1" : "=r"(esr));
	__asm__ volatile("mrs %0, far_el1" : "=r"(far));
	if (!expecting[cpu])
		trap_unexpected(4, esr, far, f->elr);
	expecting[cpu] = 0;
	last[cpu].taken = 1;
	last[cpu].esr = (uint32_t)esr;
	last[cpu].far = far;
	last[cpu].elr = f->elr;
	f->elr += 4;
}

static void park(void)
{
	for (;;)
		__asm__ volatile("wfe" ::: "memory");
}

/*
 * The first unexpected exception of the run is the one that tells what
 * happened: report it once. A second one on the same vCPU (the report
 * itself faulted) or on another vCPU (while the first is being reported)
 * parks that vCPU instead of recursing down its stack.
 */
void trap_unexpected(unsigned long kind, uint64_t esr, uint64_t far,
		     uint64_t elr)
{
	unsigned int cpu = this_cpu();

	if (unexpected_depth[cpu]++)
		park();
	if (!__sync_bool_compare_and_swap(&unexpected_owner, -1, (int)cpu))
		park();
	printf("Unexpected exception on vCPU %u (vector %lu): ESR %lx FAR %lx "
	       "ELR %lx\n",
	       cpu, kind, (unsigned long)esr, (unsigned long)far,
	       (unsigned long)elr);
	printf("Test result: ERROR unexpected exception, ESR %lx\n",
	       (unsigned long)esr);
	poweroff();
}
