/* SPDX-License-Identifier: MIT */
#ifndef ORCHID_SELFTEST_H
#define ORCHID_SELFTEST_H

/* Check that every online CPU answers cross-calls and timer interrupts. */
void boot_check_smp(void);

#ifdef CONFIG_SELFTEST
/* Run the test named by selftest= (empty: none). */
void selftest_run(const char *name);
#else
static inline void selftest_run(const char *name)
{
	(void)name;
}
#endif

#endif
