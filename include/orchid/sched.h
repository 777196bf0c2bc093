/* SPDX-License-Identifier: MIT */
/*
 * vCPU scheduling (common/sched/): the core moves vCPUs between pCPUs and
 * switches them; a policy behind struct scheduler (sched_priv.h) chooses.
 * credit2, null and RTDS are built in, one per cpupool.
 */
#ifndef ORCHID_SCHED_H
#define ORCHID_SCHED_H

#include <orchid/types.h>

struct domain;
struct vcpu;

struct xen_domctl_scheduler_op;
struct xen_sysctl_scheduler_op;

/* Xen's defaults for sched_ratelimit_us= and sched_credit_tslice_ms=. */
#define SCHED_DEFAULT_RATELIMIT_US     1000
#define SCHED_CREDIT_DEFAULT_TSLICE_MS 30

/* Those two options for the pools to come, checked; before sched_init. */
void sched_set_boot_params(unsigned int ratelimit_us, unsigned int tslice_ms);
/* @name: the sched= option ("" for the default); dom0_vcpus_pin. */
void sched_init(const char *name, bool dom0_vcpus_pin);
/* Create @cpu's idle vCPU; each pCPU calls it for itself. */
void sched_init_cpu(unsigned int cpu);

/* Put a new vCPU on a pCPU of its domain's pool (round robin). */
void sched_add_vcpu(struct vcpu *v);
void sched_remove_vcpu(struct vcpu *v);

/* Set/clear a pause flag (VPF_*); the vCPU runs when none is set. */
void vcpu_pause_flag_set(struct vcpu *v, unsigned int flag);
void vcpu_pause_flag_clear(struct vcpu *v, unsigned int flag);
/* Block the current vCPU unless @wake_check says it has work. */
void vcpu_block(struct vcpu *v);
/* Make a blocked vCPU runnable (no-op otherwise). */
void vcpu_wake(struct vcpu *v);
/* Make sure @v notices new interrupts soon: IPI its pCPU if needed. */
void vcpu_kick(struct vcpu *v);
/* Give up the rest of the slice. */
void vcpu_yield(struct vcpu *v);

/* SCHEDOP_poll (common/sched/sched_op.c). */
#define VCPU_POLL_ANY UINT32_MAX
/* Prepare and end @v's poll state (vCPU creation, destruction). */
void sched_poll_init(struct vcpu *v);
void sched_poll_destroy(struct vcpu *v);
/*
 * @port of @d just became pending: wake the vCPUs polling it (masked or
 * not, as Xen's evtchn_check_pollers). Cheap when nobody polls.
 */
void sched_poll_notify(struct domain *d, uint32_t port);

/* Decide what this pCPU runs next; called on every exit path. */
struct vcpu *schedule(void);
/* Ask this pCPU to reschedule at its next exit. */
void sched_raise(unsigned int cpu);
/* Has this pCPU been asked to reschedule (sched_raise, a slice's end)? */
bool sched_resched_pending(void);
/* The same for pCPU @cpu (the trap path knows its id already). */
bool sched_resched_pending_on(unsigned int cpu);
/* Run vCPUs on this pCPU forever (boot CPUs end here). */
void sched_idle_loop(void) __noreturn;
/* The policy's name and Xen scheduler id, for sysctl. */
const char *sched_name(void);
unsigned int sched_id(void);
/* XEN_DOMCTL_scheduler_op and XEN_SYSCTL_scheduler_op for the policy. */
long sched_dom_cntl(struct domain *d, struct xen_domctl_scheduler_op *op);
long sched_sys_cntl(struct xen_sysctl_scheduler_op *op);

/*
 * Set @v's hard and soft affinity (CPUMAP_BYTES maps, NULL: unchanged)
 * and move it to a pCPU they allow: at once when it is not running, else
 * when its pCPU next switches away from it.
 */
void sched_set_affinity(struct vcpu *v, const uint8_t *hard,
			const uint8_t *soft);
/* The online pCPUs of @d's cpupool, as a CPUMAP_BYTES map. */
void sched_domain_cpumap(const struct domain *d, uint8_t *map);
/* Where the policy would place @v now (its pCPU when allowed). */
unsigned int sched_pick_cpu(const struct vcpu *v);
/* XEN_SYSCTL_cpupool_op (common/sched/cpupool.c). */
struct xen_sysctl_cpupool_op;
long cpupool_op(struct xen_sysctl_cpupool_op *op);
/* Can a new domain join pool @id? 0, -ESRCH (no pool), -ENODEV (no pCPU). */
int cpupool_check_new_domain(unsigned int id);
/* Put new domain @d in pool @id, which cpupool_check_new_domain passed. */
void cpupool_add_domain(struct domain *d, unsigned int id);
/*
 * Create the boot-time cpupools @fdt describes (Xen's "xen,cpupool"
 * nodes) once the secondary pCPUs are up, before any domain exists.
 */
struct fdt;
void cpupool_boot_init(const struct fdt *fdt);
/*
 * The ID of the boot-time pool whose "xen,cpupool" node is @pool_node (a
 * DomU's domain-cpupool), or -EINVAL.
 */
int cpupool_boot_domain_pool(const struct fdt *fdt, int pool_node);
/* Move @d's vCPUs to pCPUs its (new) pool and their affinity allow. */
void sched_domain_replace(struct domain *d);

#endif /* ORCHID_SCHED_H */
