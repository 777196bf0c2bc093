/* SPDX-License-Identifier: MIT */
/* The scheduler unit tests' world (fake_sched.c). */
#ifndef FAKE_SCHED_H
#define FAKE_SCHED_H

#include <setjmp.h>

#include <orchid/domain.h>

/* credit2 with equal credits: the 1 ms rate limit is the slice. */
#define SLICE_NS      1000000ULL
#define NR_TEST_VCPUS 6

extern bool online[CONFIG_NR_CPUS];
extern struct vcpu *cur[CONFIG_NR_CPUS];
extern unsigned int kicks[CONFIG_NR_CPUS]; /* SGI_KICKs sent to each pCPU */
extern bool has_work;			   /* arch_vcpu_has_work's answer */
extern struct vcpu *entered;		   /* what the idle loop entered */
extern unsigned int waits;		   /* WFIs of the idle loop */
extern jmp_buf idle_exit;
extern struct vcpu *(*wait_hook)(void); /* an "interrupt" during WFI */
/* Calls of arch_vcpu_unload, arch_vcpu_save_here, arch_vcpu_migrated. */
extern unsigned int unloads, saves, migrated;
extern bool preempt_pending; /* hypercall_preempt_check's answer */

/* One domain (ID 1, Pool-0) of NR_TEST_VCPUS vCPUs, all down. */
extern struct domain dom;
extern struct vcpu vc[NR_TEST_VCPUS];

void timer_reset(void);
/* Fresh world: 4 pCPUs online, the time at 1000 ns. */
int setup(void **state);
void cpus_up(unsigned int n);
/* Put vCPU @i on pCPU @cpu, down, as vcpu_create does before placement. */
struct vcpu *place(unsigned int i, unsigned int cpu);
/* A placed vCPU comes up (PSCI CPU_ON, domain build). */
struct vcpu *up(unsigned int i, unsigned int cpu);
/* pCPU @cpu takes an exit: what runs next becomes its current vCPU. */
struct vcpu *run(unsigned int cpu);
/* Let @ns pass on pCPU @cpu and fire its due timers. */
void pass(unsigned int cpu, uint64_t ns);
/*
 * Run pCPU @cpu for @ns from timer to timer, as its slice timer and exits
 * would; add each vCPU's running time to @ran (indexed by vcpu_id).
 */
void run_for(unsigned int cpu, uint64_t ns, uint64_t *ran);
bool is_idle_of(const struct vcpu *v, unsigned int cpu);

#endif /* FAKE_SCHED_H */
