/* SPDX-License-Identifier: MIT */
#ifndef ORCHID_SPINLOCK_H
#define ORCHID_SPINLOCK_H

#include <asm/spinlock.h>
#include <orchid/arch.h>

/* A ticket lock; the architecture supplies the atomic part. */
typedef struct spinlock {
	struct arch_spinlock raw;
} spinlock_t;

#define SPINLOCK_INIT                                                          \
	{                                                                      \
		.raw = ARCH_SPINLOCK_INIT                                      \
	}

static inline void spin_lock_init(spinlock_t *l)
{
	l->raw = (struct arch_spinlock)ARCH_SPINLOCK_INIT;
}

static inline void spin_lock(spinlock_t *l)
{
	arch_spin_lock(&l->raw);
}

static inline bool spin_trylock(spinlock_t *l)
{
	return arch_spin_trylock(&l->raw);
}

static inline void spin_unlock(spinlock_t *l)
{
	arch_spin_unlock(&l->raw);
}

static inline unsigned long spin_lock_irqsave(spinlock_t *l)
{
	unsigned long flags = arch_spin_irq_save();

	arch_spin_lock(&l->raw);
	return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
	arch_spin_unlock(&l->raw);
	arch_spin_irq_restore(flags);
}

#endif /* ORCHID_SPINLOCK_H */
