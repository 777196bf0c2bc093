/* SPDX-License-Identifier: MIT */
/* What tests/unit/printk_stub.c records of the messages it is given. */
#ifndef TESTS_UNIT_PRINTK_STUB_H
#define TESTS_UNIT_PRINTK_STUB_H

extern char printk_stub_last[256];
extern unsigned int printk_stub_count;

#endif
