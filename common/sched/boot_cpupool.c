// SPDX-License-Identifier: MIT
/*
 * Boot-time cpupools from the device tree, as Xen 4.17 defines them
 * (docs/misc/arm/device-tree/cpupools.txt, common/sched/boot-cpupool.c):
 * each /chosen child compatible with "xen,cpupool" is a pool whose pCPUs
 * are the cpu nodes its "cpupool-cpus" phandles name and whose scheduler
 * is "cpupool-sched" (the default when absent). This file only reads and
 * checks the tree; cpupool.c creates the pools before any domain exists.
 *
 * Where Xen panics on a bad description this returns -EINVAL after saying
 * why, and the caller keeps every pCPU in Pool-0.
 */
#include <orchid/errno.h>
#include <orchid/printk.h>
#include <orchid/sched.h>
#include <orchid/smp.h>
#include <orchid/string.h>

#include "boot_cpupool.h"
#include "sched_priv.h"

#define NO_POOL (~0U)

/*
 * Xen's dt_parse_phandle(node, "cpupool-cpus", idx): the @idx-th cpu node,
 * or < 0 past the end or for a phandle that names no node.
 */
static int boot_cpupools_cpu_node(const struct fdt *fdt, int pool, unsigned idx)
{
	uint32_t len;
	const uint8_t *p = fdt_getprop(fdt, pool, "cpupool-cpus", &len);

	if (!p || idx >= len / 4)
		return -1;
	return fdt_node_by_phandle(fdt,
				   (uint32_t)fdt_read_cells(p + 4 * idx, 1));
}

/* The pCPU whose MPIDR a cpu node's "reg" holds, or -EINVAL. */
static int boot_cpupools_cpu_of(const struct fdt *fdt,
				const struct boot_cpupools *bp, int cpu_node)
{
	unsigned int ac, sc;
	uint32_t len;
	const void *reg = fdt_getprop(fdt, cpu_node, "reg", &len);
	uint64_t hwid;

	if (!reg || fdt_reg_cells(fdt, cpu_node, &ac, &sc) < 0 || ac < 1 ||
	    ac > 2 || len < 4 * ac)
		return -EINVAL;
	hwid = fdt_read_cells(reg, ac);
	for (unsigned int cpu = 0; cpu < bp->nr_cpus; cpu++)
		if (bp->hwid[cpu] == hwid)
			return (int)cpu;
	return -EINVAL;
}

static bool boot_cpupools_is_pool(const struct fdt *fdt, int node)
{
	return fdt_node_is_compatible(fdt, node, "xen,cpupool");
}

/* One xen,cpupool node: its pCPUs join pool @id, its scheduler is noted. */
static int boot_cpupools_node(const struct fdt *fdt, int node, unsigned int id,
			      struct boot_cpupools *bp)
{
	const char *name = fdt_get_name(fdt, node, NULL);
	const char *sched = fdt_getprop_string(fdt, node, "cpupool-sched");
	int cpu_node = boot_cpupools_cpu_node(fdt, node, 0);

	/* Xen reads a malformed cpupool-sched as none: the default. */
	if (sched && !sched_by_name(sched)) {
		pr_err("cpupool %s: no scheduler \"%s\"\n", name, sched);
		return -EINVAL;
	}
	bp->ops[id] = sched ? sched_by_name(sched) : NULL;
	if (cpu_node < 0) {
		pr_err("cpupool %s: missing or empty cpupool-cpus\n", name);
		return -EINVAL;
	}
	/* As Xen, the list ends at the first phandle that names no node. */
	for (unsigned int i = 1; cpu_node >= 0;
	     cpu_node = boot_cpupools_cpu_node(fdt, node, i++)) {
		int cpu = boot_cpupools_cpu_of(fdt, bp, cpu_node);

		if (cpu < 0) {
			pr_err("cpupool %s: cpu node %s names no pCPU\n", name,
			       fdt_get_name(fdt, cpu_node, NULL));
			return -EINVAL;
		}
		if (bp->cpu_pool[cpu] != NO_POOL) {
			pr_err("cpupool %s: CPU%d is already in a cpupool\n",
			       name, cpu);
			return -EINVAL;
		}
		bp->cpu_pool[cpu] = id;
	}
	return 0;
}

/*
 * Xen's btcpupools_allocate_pools: the pCPUs no node named form one more
 * pool; the pool holding pCPU 0 becomes pool 0 by trading IDs and
 * schedulers with it (pCPU 0 must stay in Pool-0).
 */
static int boot_cpupools_finish(const bool *online, struct boot_cpupools *bp)
{
	unsigned int swap = bp->cpu_pool[0];
	bool extra = false;

	for (unsigned int cpu = 0; cpu < bp->nr_cpus; cpu++) {
		if (!online[cpu] && bp->cpu_pool[cpu] != NO_POOL) {
			pr_err("cpupool %u: CPU%u is not online\n",
			       bp->cpu_pool[cpu], cpu);
			return -EINVAL;
		}
		if (online[cpu] && bp->cpu_pool[cpu] == NO_POOL) {
			bp->cpu_pool[cpu] = bp->nr_pools;
			extra = true;
		}
	}
	bp->nr_pools += extra;
	if (swap == NO_POOL) /* pCPU 0 was in none: the extra pool */
		swap = bp->nr_pools - 1;
	if (swap != 0) {
		const struct scheduler *ops = bp->ops[swap];

		for (unsigned int cpu = 0; cpu < bp->nr_cpus; cpu++)
			if (bp->cpu_pool[cpu] == swap)
				bp->cpu_pool[cpu] = 0;
			else if (bp->cpu_pool[cpu] == 0)
				bp->cpu_pool[cpu] = swap;
		bp->ops[swap] = bp->ops[0];
		bp->ops[0] = ops;
	}
	return 0;
}

int boot_cpupools_parse(const struct fdt *fdt, const uint64_t *hwid,
			unsigned int nr_cpus, const bool *online,
			struct boot_cpupools *bp)
{
	int chosen = fdt_path_offset(fdt, "/chosen");

	memset(bp, 0, sizeof(*bp));
	bp->nr_cpus = nr_cpus < CONFIG_NR_CPUS ? nr_cpus : CONFIG_NR_CPUS;
	for (unsigned int cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		bp->cpu_pool[cpu] = NO_POOL;
	memcpy(bp->hwid, hwid, bp->nr_cpus * sizeof(*hwid));
	if (chosen < 0)
		return 0;
	for (int n = fdt_first_child(fdt, chosen); n >= 0;
	     n = fdt_next_sibling(fdt, n)) {
		int ret;

		if (!boot_cpupools_is_pool(fdt, n))
			continue;
		/* Each pool holds a pCPU no other holds: never past nr_cpus. */
		if (bp->nr_pools >= bp->nr_cpus) {
			pr_err("cpupool %s: more cpupools than pCPUs\n",
			       fdt_get_name(fdt, n, NULL));
			return -EINVAL;
		}
		ret = boot_cpupools_node(fdt, n, bp->nr_pools, bp);
		if (ret)
			return ret;
		bp->nr_pools++;
	}
	if (!bp->nr_pools)
		return 0;
	return boot_cpupools_finish(online, bp);
}

int boot_cpupools_pool_of(const struct fdt *fdt, const struct boot_cpupools *bp,
			  int pool_node)
{
	int cpu_node, cpu;

	if (!bp->nr_pools || !boot_cpupools_is_pool(fdt, pool_node))
		return -EINVAL;
	cpu_node = boot_cpupools_cpu_node(fdt, pool_node, 0);
	if (cpu_node < 0)
		return -EINVAL;
	cpu = boot_cpupools_cpu_of(fdt, bp, cpu_node);
	if (cpu < 0 || bp->cpu_pool[cpu] == NO_POOL)
		return -EINVAL;
	return (int)bp->cpu_pool[cpu];
}

/* ---- at boot (setup.c, dom0less.c) ---------------------------------------- */

static struct boot_cpupools boot_pools;

void cpupool_boot_init(const struct fdt *fdt)
{
	bool online[CONFIG_NR_CPUS];

	for (unsigned int cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		online[cpu] = cpu_is_online(cpu);
	if (boot_cpupools_parse(fdt, cpu_mpidr, nr_cpu_ids, online,
				&boot_pools)) {
		/* Xen panics; Orchid boots with every pCPU in Pool-0. */
		pr_err("boot-time cpupools ignored: every pCPU stays in "
		       "Pool-0\n");
		boot_pools.nr_pools = 0;
		return;
	}
	cpupool_boot_apply(&boot_pools);
}

int cpupool_boot_domain_pool(const struct fdt *fdt, int pool_node)
{
	return boot_cpupools_pool_of(fdt, &boot_pools, pool_node);
}
