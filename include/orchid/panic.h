/* SPDX-License-Identifier: MIT */
#ifndef ORCHID_PANIC_H
#define ORCHID_PANIC_H

#include <orchid/types.h>

/* A broken invariant or unusable boot environment: report and halt. */
void panic(const char *fmt, ...) __printf(1, 2) __noreturn;

#define BUG_ON(cond)                                                           \
	do {                                                                   \
		if (unlikely(cond))                                            \
			panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond);  \
	} while (0)

#endif /* ORCHID_PANIC_H */
