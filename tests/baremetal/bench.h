/* SPDX-License-Identifier: MIT */
/*
 * mode=bench (issue 13): hypervisor microbenchmarks. Each row times N
 * repetitions of one operation with the virtual counter and prints
 *   BENCH <row> ops=<operations> ticks=<counter ticks> [total=<ticks>]
 * (for the latency rows, ticks is the sum of per-operation latencies and
 * total the whole loop); bench/micro.py turns ticks into instructions
 * (QEMU -icount shift=0: one guest ns is one instruction).
 */
#ifndef GUEST_BENCH_H
#define GUEST_BENCH_H

#include <stdint.h>

/* vectors.S: CNTVCT read by the IRQ vector once x0-x17 are saved. */
extern volatile uint64_t irq_entry_ticks;

/* bench.c */
void bench_main(void) __attribute__((noreturn));
unsigned long bench_n(void);
int bench_wanted(const char *row);
void bench_report(const char *row, unsigned long ops, uint64_t ticks,
		  uint64_t total);
uint64_t bench_now(void);

/* bench_gnttab.c: the grant rows. */
void bench_gnttab(void);

/* bench_remote.c: the cross-pCPU rows (rows=remote, two vCPUs). */
void bench_remote(unsigned long n);

#endif
