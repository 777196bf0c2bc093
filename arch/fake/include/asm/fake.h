/* SPDX-License-Identifier: MIT */
/* Controls of the host fake architecture, for unit tests. */
#ifndef ASM_FAKE_H
#define ASM_FAKE_H

#include <setjmp.h>
#include <orchid/types.h>

/* Time returned by arch_now_ns(). */
extern uint64_t fake_now_ns;
/* Last deadline given to arch_timer_program(). */
extern uint64_t fake_timer_deadline;
/* CPU index returned by arch_cpu_id(). */
extern unsigned int fake_cpu_id;

/*
 * arch_irq_pending(): true while @fake_irq_pending is set, and from the
 * @fake_irq_pending_after-th call on when it is positive (-1: never).
 * @fake_irq_checks counts the calls.
 */
extern bool fake_irq_pending;
extern int fake_irq_pending_after;
extern unsigned int fake_irq_checks;

/* Message of the last panic() caught by EXPECT_PANIC. */
extern char fake_panic_msg[256];
extern jmp_buf *fake_panic_jmp;

/*
 * Run @stmt and report whether it called panic(). Without an armed jump
 * buffer a panic aborts the test program.
 */
#define EXPECT_PANIC(stmt)                                                     \
	({                                                                     \
		jmp_buf jb__;                                                  \
		volatile bool panicked__ = false;                              \
		fake_panic_jmp = &jb__;                                        \
		if (setjmp(jb__) == 0) {                                       \
			stmt;                                                  \
		} else {                                                       \
			panicked__ = true;                                     \
		}                                                              \
		fake_panic_jmp = NULL;                                         \
		panicked__;                                                    \
	})

#endif
