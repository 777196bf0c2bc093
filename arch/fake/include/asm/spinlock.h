/* SPDX-License-Identifier: MIT */
/* Host-test locks: tests are single-threaded, so a lock only checks nesting. */
#ifndef ASM_FAKE_SPINLOCK_H
#define ASM_FAKE_SPINLOCK_H

#include <assert.h>

struct arch_spinlock {
	int held;
};

/* IRQ masking around an IRQ-safe lock section: the arch's own. */
unsigned long arch_irq_save(void);
void arch_irq_restore(unsigned long flags);

static inline unsigned long arch_spin_irq_save(void)
{
	return arch_irq_save();
}

static inline void arch_spin_irq_restore(unsigned long flags)
{
	arch_irq_restore(flags);
}

#define ARCH_SPINLOCK_INIT                                                     \
	{                                                                      \
		0                                                              \
	}

static inline void arch_spin_lock(struct arch_spinlock *l)
{
	assert(!l->held);
	l->held = 1;
}

static inline _Bool arch_spin_trylock(struct arch_spinlock *l)
{
	if (l->held)
		return 0;
	l->held = 1;
	return 1;
}

static inline void arch_spin_unlock(struct arch_spinlock *l)
{
	assert(l->held);
	l->held = 0;
}

#endif
