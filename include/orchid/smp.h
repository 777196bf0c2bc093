/* SPDX-License-Identifier: MIT */
#ifndef ORCHID_SMP_H
#define ORCHID_SMP_H

#include <orchid/types.h>

/* MPIDR affinity of each logical CPU, filled from the DTB at boot. */
extern uint64_t cpu_mpidr[CONFIG_NR_CPUS];
extern unsigned int nr_cpu_ids; /* CPUs described (at most NR_CPUS) */
unsigned int cpus_online(void); /* CPUs that reached secondary_start */
bool cpu_is_online(unsigned int cpu);

/* Install the SGI handler behind the calls below (boot CPU, once). */
void smp_call_init(void);
/* Run @fn(@data) on @cpu (may be the caller) and wait until it has run. */
void smp_call_function_single(unsigned int cpu, void (*fn)(void *data),
			      void *data);
/* Run @fn(@data) on every other online CPU and wait for all of them. */
/* Posts @fn to another CPU and returns without waiting for it to run. */
void smp_call_function_async(unsigned int cpu, void (*fn)(void *data),
			     void *data);
void smp_call_function_others(void (*fn)(void *data), void *data);

#endif /* ORCHID_SMP_H */
