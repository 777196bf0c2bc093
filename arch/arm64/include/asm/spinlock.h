/* SPDX-License-Identifier: MIT */
/*
 * Ticket locks: FIFO, so no CPU starves while the others take turns.
 * Waiters sleep in WFE; the releasing store clears their exclusive monitor,
 * which wakes them without an explicit SEV.
 */
#ifndef ASM_SPINLOCK_H
#define ASM_SPINLOCK_H

#include <orchid/types.h>

/*
 * Taking a ticket is one 32-bit exclusive access to both halves: the lock
 * must be 4-byte aligned wherever it is embedded (exclusives fault on an
 * unaligned address even with alignment checking off).
 */
struct arch_spinlock {
	uint16_t owner;
	uint16_t next;
} __attribute__((aligned(4)));

/*
 * IRQ masking around an IRQ-safe lock section, inline: as calls they were
 * ~11 instructions a section (two calls, frame), on the path of
 * bench-micro's gicd_isenabler-write, sgi-self and vtimer-deadline rows
 * (one or two vGIC lock sections each). Same as arch_irq_save/restore.
 */
static inline unsigned long arch_spin_irq_save(void)
{
	unsigned long flags;

	__asm__ volatile("mrs	%0, daif\n"
			 "	msr	daifset, #2"
			 : "=r"(flags)
			 :
			 : "memory");
	return flags;
}

static inline void arch_spin_irq_restore(unsigned long flags)
{
	__asm__ volatile("msr	daif, %0" : : "r"(flags) : "memory");
}

#define ARCH_SPINLOCK_INIT                                                     \
	{                                                                      \
		0, 0                                                           \
	}

static inline void arch_spin_lock(struct arch_spinlock *l)
{
	uint32_t tmp, ticket, fail;

	/* Take a ticket: atomically increment next, remember the old value. */
	__asm__ volatile("1:	ldaxr	%w0, [%3]\n"
			 "	add	%w1, %w0, #0x10000\n"
			 "	stxr	%w2, %w1, [%3]\n"
			 "	cbnz	%w2, 1b\n"
			 : "=&r"(ticket), "=&r"(tmp), "=&r"(fail)
			 : "r"(l)
			 : "memory");
	ticket >>= 16;
	/* Wait for owner to reach our ticket. */
	__asm__ volatile("	sevl\n"
			 "2:	wfe\n"
			 "	ldaxrh	%w0, [%1]\n"
			 "	cmp	%w0, %w2\n"
			 "	b.ne	2b\n"
			 : "=&r"(tmp)
			 : "r"(&l->owner), "r"(ticket)
			 : "memory", "cc");
}

/* Take the lock only if nobody holds or waits for it. */
static inline bool arch_spin_trylock(struct arch_spinlock *l)
{
	uint32_t val, fail;

	__asm__ volatile("1:	ldaxr	%w0, [%2]\n"
			 "	eor	%w1, %w0, %w0, ror #16\n"
			 "	cbnz	%w1, 2f\n"
			 "	add	%w0, %w0, #0x10000\n"
			 "	stxr	%w1, %w0, [%2]\n"
			 "	cbnz	%w1, 1b\n"
			 "2:\n"
			 : "=&r"(val), "=&r"(fail)
			 : "r"(l)
			 : "memory");
	return fail == 0;
}

static inline void arch_spin_unlock(struct arch_spinlock *l)
{
	uint16_t next_owner = (uint16_t)(l->owner + 1);

	__asm__ volatile("stlrh %w1, %0"
			 : "=Q"(l->owner)
			 : "r"(next_owner)
			 : "memory");
}

#endif /* ASM_SPINLOCK_H */
