// SPDX-License-Identifier: MIT
/*
 * Synchronous exceptions of a test guest. A test that expects its next
 * instruction to fault calls fault_expect(): the exception is recorded
 * (ESR_EL1, FAR_EL1) and execution resumes after the faulting
 * instruction. Any other exception ends the run with an ERROR result, so
 * a hypervisor that injects something unexpected cannot pass a test.
 */
#include "guest.h"

struct trap_frame {
	uint64_t x[31];
	uint64_t elr;
};

void trap_sync(struct trap_frame *f);
void trap_unexpected(unsigned long kind, uint64_t esr, uint64_t far,
		     uint64_t elr);

static volatile int expecting;
static volatile struct fault last;

void fault_expect(void)
{
	last.taken = 0;
	last.esr = 0;
	last.far = 0;
	last.elr = 0;
	expecting = 1;
}

struct fault fault_result(void)
{
	struct fault f = {last.taken, last.esr, last.far, last.elr};

	expecting = 0;
	return f;
}

void trap_sync(struct trap_frame *f)
{
	uint64_t esr, far;

	__asm__ volatile("mrs %0, esr_el1" : "=r"(esr));
	__asm__ volatile("mrs %0, far_el1" : "=r"(far));
	if (!expecting)
		trap_unexpected(4, esr, far, f->elr);
	expecting = 0;
	last.taken = 1;
	last.esr = (uint32_t)esr;
	last.far = far;
	last.elr = f->elr;
	f->elr += 4;
}

void trap_unexpected(unsigned long kind, uint64_t esr, uint64_t far,
		     uint64_t elr)
{
	printf("Unexpected exception (vector %lu): ESR %lx FAR %lx ELR %lx\n",
	       kind, (unsigned long)esr, (unsigned long)far,
	       (unsigned long)elr);
	printf("Test result: ERROR unexpected exception, ESR %lx\n",
	       (unsigned long)esr);
	poweroff();
}
