/* SPDX-License-Identifier: MIT */
/*
 * Trace buffers (Xen 4.17 xen/include/public/trace.h): the records Orchid
 * writes and Debian's xentrace copies to a file. Only the event classes
 * and numbers Orchid emits are named here; the layouts are Xen's, so
 * xentrace, xentrace_format and xenalyze read Orchid's traces.
 */
#ifndef XEN_PUBLIC_TRACE_H
#define XEN_PUBLIC_TRACE_H

#include <stdint.h>

/* A record's header word: event (28 bits), extra words (3), cycles (1). */
#define TRACE_EXTRA_MAX	  7
#define TRACE_EXTRA_SHIFT 28
#define TRACE_CYCLES_FLAG (1U << 31)

/* An event is class (bits 16-27), subclass (12-15) and number (0-11). */
#define TRC_CLS_SHIFT	 16
#define TRC_SUBCLS_SHIFT 12
#define TRC_GEN		 0x0001f000
#define TRC_SCHED	 0x0002f000
#define TRC_DOM0OP	 0x0004f000
#define TRC_PV		 0x0020f000
#define TRC_HW		 0x0080f000
#define TRC_ALL		 0x0ffff000

#define TRC_LOST_RECORDS     (TRC_GEN + 1)
#define TRC_TRACE_CPU_CHANGE (TRC_GEN + 3)

#define TRC_SCHED_MIN		  0x00021000 /* runstate changes */
#define TRC_SCHED_VERBOSE	  0x00028000
#define TRC_SCHED_RUNSTATE_CHANGE (TRC_SCHED_MIN + 1)
#define TRC_SCHED_DOM_ADD	  (TRC_SCHED_VERBOSE + 1)
#define TRC_SCHED_DOM_REM	  (TRC_SCHED_VERBOSE + 2)
#define TRC_SCHED_SLEEP		  (TRC_SCHED_VERBOSE + 3)
#define TRC_SCHED_WAKE		  (TRC_SCHED_VERBOSE + 4)
#define TRC_SCHED_YIELD		  (TRC_SCHED_VERBOSE + 5)
#define TRC_SCHED_BLOCK		  (TRC_SCHED_VERBOSE + 6)
#define TRC_SCHED_SHUTDOWN	  (TRC_SCHED_VERBOSE + 7)
#define TRC_SCHED_SWITCH	  (TRC_SCHED_VERBOSE + 10)
#define TRC_SCHED_SWITCH_INFPREV  (TRC_SCHED_VERBOSE + 14)
#define TRC_SCHED_SWITCH_INFNEXT  (TRC_SCHED_VERBOSE + 15)

#define TRC_DOM0_DOMOPS	 0x00041000
#define TRC_DOM0_DOM_ADD (TRC_DOM0_DOMOPS + 1)
#define TRC_DOM0_DOM_REM (TRC_DOM0_DOMOPS + 2)

/* A hypercall: extra word 0 is the number, with 2 bits per argument
 * (bits 20 + 2i: 1 = the argument follows as 32 bits, 2 = as 64). */
#define TRC_PV_ENTRY		      0x00201000
#define TRC_PV_HYPERCALL_V2	      (TRC_PV_ENTRY + 13)
#define TRC_PV_HYPERCALL_V2_ARG_32(i) (0x1U << (20 + 2 * (i)))

/* An interrupt Orchid handled: extra word 0 is its number. */
#define TRC_HW_IRQ	   0x00802000
#define TRC_HW_IRQ_HANDLED (TRC_HW_IRQ + 0x8)

/* Each CPU's buffer starts with this; records follow. cons and prod run
 * modulo twice the data size, so a full buffer differs from an empty one. */
struct t_buf {
	uint32_t cons; /* the next byte xentrace reads */
	uint32_t prod; /* the next byte Orchid writes */
};

/* The T_INFO pages: the pages of each CPU's buffer, as 32-bit MFN lists
 * at mfn_offset[cpu] 32-bit words from the start (0: no buffer). */
struct t_info {
	uint16_t tbuf_size; /* pages in each CPU's buffer */
	uint16_t mfn_offset[];
};

#endif /* XEN_PUBLIC_TRACE_H */
