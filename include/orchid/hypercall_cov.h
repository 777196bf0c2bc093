/* SPDX-License-Identifier: MIT */
/*
 * Hypercall coverage (CONFIG_HYPERCALL_COVERAGE, common/xen/hypercall_cov.c):
 * calls counted by (hypercall, sub-op, result class), printed when the
 * hardware domain shuts the machine down. Nothing without the option.
 */
#ifndef ORCHID_HYPERCALL_COV_H
#define ORCHID_HYPERCALL_COV_H

#include <orchid/types.h>

#ifdef CONFIG_HYPERCALL_COVERAGE
/* The sub-op of a call, read before the handler runs. */
unsigned long hypercall_cov_subop(unsigned long nr, const uint64_t args[5]);
void hypercall_cov_count(unsigned long nr, unsigned long op, long ret);
void hypercall_cov_dump(void);
#else
static inline unsigned long hypercall_cov_subop(unsigned long nr,
						const uint64_t args[5])
{
	(void)nr;
	(void)args;
	return 0;
}
static inline void hypercall_cov_count(unsigned long nr, unsigned long op,
				       long ret)
{
	(void)nr;
	(void)op;
	(void)ret;
}
static inline void hypercall_cov_dump(void)
{
}
#endif

/* The table's name of hypercall @nr, "-" when it has none. */
const char *hypercall_name(unsigned long nr);

#endif
