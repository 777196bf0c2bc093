/* SPDX-License-Identifier: MIT */
/*
 * printk for unit tests that do not test printk: the last message is kept
 * and counted, so a test can check that a warning was given without linking
 * the console ring and its formatter.
 */
#include <stdio.h>

#include <orchid/printk.h>

#include "printk_stub.h"

char printk_stub_last[256];
unsigned int printk_stub_count;

void vprintk(enum log_level level, const char *fmt, va_list ap)
{
	(void)level;
	vsnprintf(printk_stub_last, sizeof(printk_stub_last), fmt, ap);
	printk_stub_count++;
}

#define PRINTK_STUB(name, level)                                               \
	void name(const char *fmt, ...)                                        \
	{                                                                      \
		va_list ap;                                                    \
                                                                               \
		va_start(ap, fmt);                                             \
		vprintk(level, fmt, ap);                                       \
		va_end(ap);                                                    \
	}

PRINTK_STUB(printk, LOG_INFO)
PRINTK_STUB(pr_err, LOG_ERR)
PRINTK_STUB(pr_warn, LOG_WARN)
PRINTK_STUB(pr_info, LOG_INFO)
PRINTK_STUB(pr_debug, LOG_DEBUG)
