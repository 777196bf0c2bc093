/* SPDX-License-Identifier: MIT */
/*
 * gic_sweep.c: every 32-bit offset of a GIC frame read (and written),
 * compared with a table of what Xen 4.17 does there. An offset no rule
 * covers must read as zero and ignore writes, without a fault.
 */
#ifndef GUEST_GIC_SWEEP_H
#define GUEST_GIC_SWEEP_H

#include "gic.h"

enum sweep_kind {
	SW_VAL,	  /* reads val (masked by mask) without a fault */
	SW_ANY,	  /* reads anything, without a fault */
	SW_FAULT, /* the read faults */
	SW_LAX,	  /* a documented difference: faulting or not, any value */
};

/* Writes: */
#define SW_RW	  (1u << 0) /* writable: any value once garbage went in */
#define SW_WFAULT (1u << 1) /* a write faults on Xen (and must here) */
#define SW_WLAX	  (1u << 2) /* a write may fault or not */

struct sweep_rule {
	const char *name;
	uint32_t start, end; /* offsets, end inclusive */
	enum sweep_kind kind;
	unsigned int flags;
	uint32_t val, mask;
};

struct sweep_frame {
	const char *name;
	uint64_t base;
	uint32_t size;
	const struct sweep_rule *rules;
	unsigned int nr_rules;
};

/* 1 if the access faulted (a read then yields 0). */
int sweep_read(uint64_t addr, uint32_t *val);
int sweep_read64(uint64_t addr, uint64_t *val);
int sweep_write(uint64_t addr, uint32_t val);

/* `gicdump=1`: the frame's reads as runs of equal results. */
void sweep_dump(const char *frame, uint64_t base, uint32_t size);
/* `gicdump=1`: where garbage writes fault, as runs. */
void sweep_dump_writes(const char *frame, uint64_t base, uint32_t size,
		       uint32_t garbage);

/* One check per rule (and one for the offsets no rule covers). */
void sweep_check_reads(const struct sweep_frame *f, int after_writes);
/* Garbage to every offset; one check: faults exactly where Xen's do. */
void sweep_check_writes(const struct sweep_frame *f, uint32_t garbage);

#endif
