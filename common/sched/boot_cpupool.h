/* SPDX-License-Identifier: MIT */
/*
 * Boot-time cpupools from the device tree (boot_cpupool.c): the parsed
 * layout, before cpupool.c creates the pools. Private to common/sched and
 * its unit tests.
 */
#ifndef ORCHID_BOOT_CPUPOOL_H
#define ORCHID_BOOT_CPUPOOL_H

#include <orchid/fdt.h>
#include <orchid/types.h>

struct scheduler;

/* Which pool each pCPU starts in, and each pool's policy. */
struct boot_cpupools {
	unsigned int nr_pools; /* pools 0 .. nr_pools - 1; 0: none in the DT */
	unsigned int cpu_pool[CONFIG_NR_CPUS]; /* per online pCPU */
	/* Per pool ID: its policy, NULL for the default (sched=). */
	const struct scheduler *ops[CONFIG_NR_CPUS];
	/* The pCPUs as the DT's "reg" names them (MPIDR affinity). */
	unsigned int nr_cpus;
	uint64_t hwid[CONFIG_NR_CPUS];
};

/*
 * Read /chosen's "xen,cpupool" nodes for pCPUs 0 .. @nr_cpus - 1 whose
 * MPIDRs are @hwid and which are up when @online[cpu]. Pools are numbered
 * in node order, the pCPUs no node names form one more pool, and the pool
 * of pCPU 0 trades IDs (and schedulers) with pool 0, as Xen 4.17's
 * btcpupools_allocate_pools. 0 with @bp->nr_pools 0 when the DT has none;
 * -EINVAL (reported) where Xen 4.17 panics: no or empty cpupool-cpus, an
 * unknown cpupool-sched, a cpu node without a usable "reg" or naming no
 * pCPU, a pCPU in two pools, a pool's pCPU that is not up.
 */
int boot_cpupools_parse(const struct fdt *fdt, const uint64_t *hwid,
			unsigned int nr_cpus, const bool *online,
			struct boot_cpupools *bp);

/*
 * Xen's btcpupools_get_domain_pool_id: the pool ID of @pool_node, the
 * target of a DomU's domain-cpupool (the pool of its first pCPU), or
 * -EINVAL when it is no "xen,cpupool" node or names no pCPU of @bp.
 */
int boot_cpupools_pool_of(const struct fdt *fdt, const struct boot_cpupools *bp,
			  int pool_node);

/* Create the pools of a parsed layout and move the pCPUs (cpupool.c). */
void cpupool_boot_apply(const struct boot_cpupools *bp);

#endif /* ORCHID_BOOT_CPUPOOL_H */
