// SPDX-License-Identifier: MIT
/*
 * cpupools (XEN_SYSCTL_cpupool_op), as Xen 4.17 defines them: the pCPUs
 * are split into pools, each with its own scheduler and parameters; a
 * domain belongs to one pool and its vCPUs run only on that pool's pCPUs.
 * Pool-0 (ID 0) holds every pCPU at boot and Dom0; a pCPU in no pool is
 * free and runs nothing. Pool names live in xenstore (libxl), not here.
 *
 * A pool change only rewrites who belongs where (sched_cpus[].pool,
 * d->cpupool_id) under cpupool_lock and the pCPU's run-queue lock; vCPUs
 * that are no longer allowed where they are then move by the core's
 * migration rule (sched_domain_replace): at once when not running, else
 * at their pCPU's next switch. A pool runs credit2, null or RTDS.
 */
#include <orchid/domain.h>
#include <orchid/domctl.h>
#include <orchid/errno.h>
#include <orchid/printk.h>
#include <orchid/smp.h>
#include <orchid/string.h>
#include <public/sysctl.h>

#include "boot_cpupool.h"
#include "sched_priv.h"

/* Xen allows twice as many pools as pCPUs (-ENOSPC beyond). */
#define CPUPOOL_MAX (2 * CONFIG_NR_CPUS)

/*
 * Zero-initialised, so in .bss: an initialiser for Pool-0 alone would put
 * the whole array (ARINC 653 schedules included, ~34 KiB) in the image.
 * cpupool_init0() makes Pool-0.
 */
static struct cpupool cpupools[CPUPOOL_MAX];
static spinlock_t cpupool_lock = SPINLOCK_INIT;

struct cpupool *cpupool0 = &cpupools[0];

/* @c's policy (Pool-0's is the default until sched_init sets it). */
/* A free slot of the table becomes pool @id running @ops (not yet used). */
static void cpupool_init_slot(struct cpupool *c, unsigned int id,
			      const struct scheduler *ops)
{
	c->id = id;
	c->ops = ops;
	sched_pool_defaults(c);
	spin_lock_init(&c->waitq_lock);
	a653_pool_init(c);
	list_init(&c->waitq);
}

static const struct scheduler *cpupool_ops(const struct cpupool *c)
{
	return c->ops ? c->ops : sched_default();
}

/* Under cpupool_lock: the pool with ID @id, or with the lowest ID >= @id. */
static struct cpupool *cpupool_find(unsigned int id, bool exact)
{
	struct cpupool *best = NULL;

	for (unsigned int i = 0; i < CPUPOOL_MAX; i++) {
		struct cpupool *c = &cpupools[i];

		if (!c->used || c->id < id || (exact && c->id != id))
			continue;
		if (!best || c->id < best->id)
			best = c;
	}
	return best;
}

static unsigned int cpupool_nr_cpus(const struct cpupool *c)
{
	unsigned int n = 0;

	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		n += cpu_is_online(cpu) && sched_cpus[cpu].pool == c->id;
	return n;
}

/* Domains in pool @id (the live ones: a dying one has left every pool). */
static unsigned int cpupool_nr_domains(unsigned int id)
{
	unsigned int n = 0;
	struct domain *d;

	for (unsigned int next = 0;
	     next < DOMID_FIRST_RESERVED && (d = domain_lookup_next(next));
	     next = d->domain_id + 1u)
		n += d->cpupool_id == id;
	return n;
}

static void cpupool_cpumap(unsigned int id, uint8_t *map)
{
	memset(map, 0, CPUMAP_BYTES);
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		if (cpu_is_online(cpu) && sched_cpus[cpu].pool == id)
			map[cpu / 8] |= 1U << (cpu % 8);
}

/* Move every domain of pool @id whose vCPUs may no longer stay. */
static void cpupool_replace_domains(unsigned int id)
{
	struct domain *d;

	for (unsigned int next = 0;
	     next < DOMID_FIRST_RESERVED && (d = domain_lookup_next(next));
	     next = d->domain_id + 1u)
		if (d->cpupool_id == id)
			sched_domain_replace(d);
}

/* Give @cpu to pool @c (CPUPOOL_NONE: free it), under its lock. */
static void cpupool_set_cpu(unsigned int cpu, struct cpupool *c)
{
	struct sched_cpu *sc = &sched_cpus[cpu];
	unsigned long flags = spin_lock_irqsave(&sc->lock);

	sc->pool = c ? c->id : CPUPOOL_NONE;
	sc->cp = c;
	/* null: its vCPU, if any, must find a pCPU again (it is moved). */
	sc->null_owner = NULL;
	spin_unlock_irqrestore(&sc->lock, flags);
	sched_raise(cpu);
}

/* ---- the operations ------------------------------------------------------ */

/* Xen's cpupool_create: a given ID must be free, PAR_ANY is last + 1. */
static long cpupool_create(struct xen_sysctl_cpupool_op *op)
{
	struct cpupool *c = NULL, *last = NULL;
	unsigned int n = 0;

	for (unsigned int i = 0; i < CPUPOOL_MAX; i++) {
		if (!cpupools[i].used) {
			c = c ? c : &cpupools[i];
			continue;
		}
		n++;
		if (!last || cpupools[i].id > last->id)
			last = &cpupools[i];
	}
	if (n >= 2 * nr_cpu_ids || !c)
		return -ENOSPC;
	if (op->cpupool_id != XEN_SYSCTL_CPUPOOL_PAR_ANY &&
	    cpupool_find(op->cpupool_id, true))
		return -EEXIST;
	/* Xen's scheduler_alloc: a scheduler not built in. */
	if (!sched_by_id(op->sched_id))
		return -ENOENT;
	cpupool_init_slot(c,
			  op->cpupool_id != XEN_SYSCTL_CPUPOOL_PAR_ANY
				  ? op->cpupool_id
				  : last->id + 1,
			  sched_by_id(op->sched_id));
	c->used = true;
	op->cpupool_id = c->id;
	return 0;
}

static long cpupool_destroy(struct cpupool *c)
{
	if (cpupool_nr_domains(c->id) || cpupool_nr_cpus(c))
		return -EBUSY;
	c->used = false;
	return 0;
}

/* Xen's checks, in Xen's order: pool, PAR_ANY, range, online, free. */
static long cpupool_addcpu(struct cpupool *c, unsigned int cpu)
{
	if (cpu == XEN_SYSCTL_CPUPOOL_PAR_ANY) {
		for (cpu = 0; cpu < nr_cpu_ids; cpu++)
			if (cpu_is_online(cpu) &&
			    sched_cpus[cpu].pool == CPUPOOL_NONE)
				break;
		if (cpu >= nr_cpu_ids)
			return -ENODEV;
	}
	if (cpu >= nr_cpu_ids)
		return -EINVAL;
	if (!cpu_is_online(cpu) || sched_cpus[cpu].pool != CPUPOOL_NONE)
		return -ENODEV;
	cpupool_set_cpu(cpu, c);
	/* Its vCPUs may prefer it (soft affinity) or wait elsewhere. */
	cpupool_replace_domains(c->id);
	return 0;
}

/*
 * Xen's cpupool_unassign_cpu: pCPU 0 stays in Pool-0; the last pCPU of a
 * pool with domains cannot go. Its vCPUs move to the pool's other pCPUs.
 */
static long cpupool_rmcpu(struct cpupool *c, unsigned int cpu)
{
	if (cpu == XEN_SYSCTL_CPUPOOL_PAR_ANY) {
		cpu = nr_cpu_ids;
		for (unsigned int i = 0; i < nr_cpu_ids; i++)
			if (cpu_is_online(i) && sched_cpus[i].pool == c->id)
				cpu = i;
	}
	if (cpu >= nr_cpu_ids)
		return -EINVAL;
	if ((c->id == 0 && cpu == 0) || !cpu_is_online(cpu))
		return -EINVAL;
	if (sched_cpus[cpu].pool != c->id)
		return -EADDRNOTAVAIL;
	if (cpupool_nr_cpus(c) == 1 && cpupool_nr_domains(c->id))
		return -EBUSY;
	cpupool_set_cpu(cpu, NULL);
	cpupool_replace_domains(c->id);
	return 0;
}

/* Xen: no such domain -ESRCH, the caller's own -EPERM, no pCPUs -ENOENT. */
static long cpupool_movedomain(struct xen_sysctl_cpupool_op *op)
{
	struct domain *d = op->domid < DOMID_FIRST_RESERVED
				   ? domain_lookup((domid_t)op->domid)
				   : NULL;
	struct cpupool *c;

	if (!d)
		return -ESRCH;
	if (d == current_domain())
		return -EPERM;
	if (op->cpupool_id == d->cpupool_id)
		return 0;
	c = cpupool_find(op->cpupool_id, true);
	if (!c || !cpupool_nr_cpus(c))
		return -ENOENT;
	d->cpupool_id = c->id;
	sched_domain_replace(d);
	return 0;
}

static long cpupool_info(struct xen_sysctl_cpupool_op *op)
{
	uint8_t map[CPUMAP_BYTES];
	struct cpupool *c = cpupool_find(op->cpupool_id, false);

	if (!c)
		return -ENOENT;
	op->cpupool_id = c->id;
	op->sched_id = cpupool_ops(c)->sched_id;
	op->n_dom = cpupool_nr_domains(c->id);
	cpupool_cpumap(c->id, map);
	return xenctl_bitmap_to_guest(&op->cpumap, map, nr_cpu_ids);
}

long cpupool_op(struct xen_sysctl_cpupool_op *op)
{
	uint8_t map[CPUMAP_BYTES];
	struct cpupool *c = NULL;
	long ret;

	spin_lock(&cpupool_lock);
	switch (op->op) {
	case XEN_SYSCTL_CPUPOOL_OP_CREATE: ret = cpupool_create(op); break;
	case XEN_SYSCTL_CPUPOOL_OP_DESTROY:
	case XEN_SYSCTL_CPUPOOL_OP_ADDCPU:
	case XEN_SYSCTL_CPUPOOL_OP_RMCPU:
		c = cpupool_find(op->cpupool_id, true);
		if (!c)
			ret = -ENOENT;
		else if (op->op == XEN_SYSCTL_CPUPOOL_OP_DESTROY)
			ret = cpupool_destroy(c);
		else if (op->op == XEN_SYSCTL_CPUPOOL_OP_ADDCPU)
			ret = cpupool_addcpu(c, op->cpu);
		else
			ret = cpupool_rmcpu(c, op->cpu);
		break;
	case XEN_SYSCTL_CPUPOOL_OP_INFO: ret = cpupool_info(op); break;
	case XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN:
		ret = cpupool_movedomain(op);
		break;
	case XEN_SYSCTL_CPUPOOL_OP_FREEINFO:
		cpupool_cpumap(CPUPOOL_NONE, map);
		ret = xenctl_bitmap_to_guest(&op->cpumap, map, nr_cpu_ids);
		break;
	default: ret = -ENOSYS; break;
	}
	spin_unlock(&cpupool_lock);
	return ret;
}

/* ---- for the rest of the scheduler --------------------------------------- */

/* Xen's sched_adjust_global: the pool must exist, its scheduler answers. */
long sched_sys_cntl(struct xen_sysctl_scheduler_op *op)
{
	struct cpupool *c;
	long ret;

	spin_lock(&cpupool_lock);
	c = cpupool_find(op->cpupool_id, true);
	if (!c)
		ret = -ESRCH;
	else if (op->sched_id != cpupool_ops(c)->sched_id)
		ret = -EINVAL;
	else if (cpupool_ops(c)->sys_cntl)
		ret = cpupool_ops(c)->sys_cntl(c, op);
	else
		ret = 0; /* no pool parameters: Xen's sched_adjust_cpupool */
	spin_unlock(&cpupool_lock);
	return ret;
}

void cpupool_init0(const struct scheduler *ops)
{
	cpupool_init_slot(cpupool0, 0, ops);
	cpupool0->used = true;
}

/*
 * Racy by design: a pool's policy never changes, and a pool with domains
 * cannot be destroyed, so a domain's pool's answer holds.
 */
const struct scheduler *cpupool_sched(unsigned int id)
{
	for (unsigned int i = 0; i < CPUPOOL_MAX; i++)
		if (cpupools[i].used && cpupools[i].id == id)
			return cpupool_ops(&cpupools[i]);
	return sched_default();
}

/* Xen's cpupool_add_domain: no such pool -ESRCH, no pCPU in it -ENODEV. */
int cpupool_check_new_domain(unsigned int id)
{
	struct cpupool *c;
	int ret = 0;

	spin_lock(&cpupool_lock);
	c = cpupool_find(id, true);
	if (!c)
		ret = -ESRCH;
	else if (!cpupool_nr_cpus(c))
		ret = -ENODEV;
	spin_unlock(&cpupool_lock);
	return ret;
}

#ifdef CONFIG_DEBUG_KEYS
/* Is @cpu online and in pool @id (CPUPOOL_NONE: free; @all: any)? */
static bool cpupool_dump_has(unsigned int cpu, unsigned int id, bool all)
{
	return cpu_is_online(cpu) && (all || sched_cpus[cpu].pool == id);
}

/* "@what: 0-1,3": the pCPUs cpupool_dump_has names. */
static void cpupool_dump_cpus(const char *what, unsigned int id, bool all)
{
	unsigned int cpu = 0;
	bool first = true;

	printk("%s:", what);
	while (cpu < nr_cpu_ids) {
		unsigned int end = cpu;

		if (!cpupool_dump_has(cpu, id, all)) {
			cpu++;
			continue;
		}
		while (end + 1 < nr_cpu_ids &&
		       cpupool_dump_has(end + 1, id, all))
			end++;
		printk(end > cpu ? "%s%u-%u" : "%s%u", first ? " " : ",", cpu,
		       end);
		first = false;
		cpu = end + 1;
	}
	printk("\n");
}

static void cpupool_dump_lines(unsigned int id)
{
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		if (cpu_is_online(cpu) && sched_cpus[cpu].pool == id)
			sched_dump_cpu(cpu);
}

/*
 * As Xen's dump_runq: the free pCPUs, then each pool in ID order with its
 * pCPUs, scheduler and their run queues. Without cpupool_lock: a debug
 * key may come in an interrupt; pool slots are never freed, so a pool
 * changing meanwhile only makes the dump stale.
 */
void cpupool_dump(void)
{
	uint8_t map[CPUMAP_BYTES];
	unsigned int next = 0;

	cpupool_dump_cpus("Online Cpus", 0, true);
	cpupool_cpumap(CPUPOOL_NONE, map);
	for (unsigned int i = 0; i < CPUMAP_BYTES; i++)
		if (map[i]) {
			cpupool_dump_cpus("Free Cpus", CPUPOOL_NONE, false);
			cpupool_dump_lines(CPUPOOL_NONE);
			break;
		}
	for (struct cpupool *c; (c = cpupool_find(next, false));
	     next = c->id + 1) {
		printk("Cpupool %u:\n", c->id);
		cpupool_dump_cpus("Cpus", c->id, false);
		printk("Scheduler: %s (%s)\n", cpupool_ops(c)->long_name,
		       cpupool_ops(c)->name);
		cpupool_dump_lines(c->id);
		if (c->id == ~0U - 1)
			break;
	}
}
#endif

/* ---- boot-time cpupools (boot_cpupool.c) --------------------------------- */

/* Pool @id, a free slot of the table, runs @ops: boot time, no lock. */
static void cpupool_boot_create(unsigned int id, const struct scheduler *ops)
{
	struct cpupool *c = &cpupools[id];

	cpupool_init_slot(c, id, ops);
	c->used = true;
}

/* Before any domain exists: pools 1.. are free slots, pCPUs are idle. */
void cpupool_boot_apply(const struct boot_cpupools *bp)
{
	if (bp->ops[0])
		cpupool0->ops = bp->ops[0];
	for (unsigned int id = 1; id < bp->nr_pools; id++)
		cpupool_boot_create(id, bp->ops[id] ? bp->ops[id]
						    : sched_default());
	for (unsigned int cpu = 0; bp->nr_pools && cpu < nr_cpu_ids; cpu++) {
		if (!cpu_is_online(cpu))
			continue;
		cpupool_set_cpu(cpu, &cpupools[bp->cpu_pool[cpu]]);
		printk("CPU%u in Pool-%u (%s)\n", cpu, bp->cpu_pool[cpu],
		       cpupool_ops(&cpupools[bp->cpu_pool[cpu]])->name);
	}
}

/* A new domain joins pool @id (checked): its vCPUs go to its pCPUs. */
void cpupool_add_domain(struct domain *d, unsigned int id)
{
	spin_lock(&cpupool_lock);
	d->cpupool_id = id;
	sched_domain_replace(d);
	spin_unlock(&cpupool_lock);
}
