/* SPDX-License-Identifier: MIT */
/* The EL2 physical timer (CNTHP), driving the common timer queue. */
#ifndef ASM_TIME_H
#define ASM_TIME_H

#include <asm/sysreg.h>
#include <orchid/bootinfo.h>

void time_init(const struct timer_info *info);
void time_cpu_init(void);
uint64_t time_ticks_to_ns(uint64_t ticks);
uint64_t time_ns_to_ticks(uint64_t ns);

/* The physical counter, in ticks; the ISB keeps the read from being
 * performed ahead of earlier code. */
static inline uint64_t time_counter(void)
{
	isb();
	return READ_SYSREG(cntpct_el0);
}

#endif /* ASM_TIME_H */
