/* SPDX-License-Identifier: MIT */
/*
 * What bench_sched.c (the scheduler benchmark, bench/sched.py) shares with
 * sched_check.c (the scheduler checks, tests/system/sched_cases.py): two
 * domains of one vCPU on one pCPU, Dom0 setting both domains' scheduler
 * parameters and reading their run time, one interdomain event channel
 * between them.
 */
#ifndef GUEST_BENCH_SCHED_H
#define GUEST_BENCH_SCHED_H

#include <stdint.h>

#define SCHEDOP_block		   1
#define XEN_DOMCTL_getvcpuinfo	   14
#define XEN_DOMCTL_scheduler_op	   16
#define XEN_DOMCTL_setdomainhandle 17
#define XEN_SYSCTL_sched_id	   4
#define XEN_SYSCTL_scheduler_op	   19
#define SCHED_CREDIT		   5
#define SCHED_CREDIT2		   6
#define SCHED_ARINC653		   7
#define SCHED_RTDS		   8
#define SCHED_NULL		   9
#define SCHEDOP_putinfo		   0
#define SCHEDOP_putvcpuinfo	   2
#define SCHEDRT_extra		   1u
#define EVTCHN_PPI		   31 /* Xen's GUEST_EVTCHN_PPI on Arm */
#define PEER_DOMID		   1  /* the first boot-time DomU */
#define MAX_PORT		   16

/* The events of the one channel that came so far (the upcall counts). */
extern volatile unsigned int sb_got;
/* This domain's end of it. */
extern uint32_t sb_port;

/* The physical counter: the same in every domain. */
uint64_t sb_pct(void);
long sb_events_setup(void);
/* Dom0: bind to the DomU's unbound port (and unmask it). */
long sb_bind(void);
void sb_unmask(uint32_t port);
void sb_send(void);
/* Forget what binding pended: the count starts from 0. */
void sb_wait_quiet(void);

/* Pool-0's scheduler (XEN_SYSCTL_sched_id), 0 if it cannot be read. */
uint32_t sb_sched_id(void);
/* A vCPU 0's run time so far, ns. */
uint64_t sb_vcpu_time(uint16_t dom);
/* credit/credit2 weight and cap (0 keeps the weight; cap 0 none). */
long sb_credit(uint16_t dom, uint32_t sched, uint16_t weight, uint16_t cap);
/* RTDS: vCPU 0's period and budget (us) and flags. */
long sb_rtds(uint16_t dom, uint32_t period_us, uint32_t budget_us,
	     uint32_t flags);
/* ARINC 653: Pool-0's frame, Dom0 @dom0_us then the DomU @domu_us. */
long sb_arinc653(uint64_t dom0_us, uint64_t domu_us);

/* sched_check.c: mode=sched-check (Dom0) and mode=sched-rt-peer. */
void __attribute__((noreturn)) sched_check_main(void);
void __attribute__((noreturn)) sched_rt_peer_main(void);

#endif
