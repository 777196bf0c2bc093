/* SPDX-License-Identifier: MIT */
/*
 * What the scheduler core (sched.c), its policies (credit.c, credit2.c,
 * null.c, rtds.c) and cpupools (cpupool.c) share. Not for the rest of Orchid: it uses orchid/sched.h.
 *
 * Locks, outermost first:
 *   the toolstack's domctl/sysctl lock, d->lock (pause counts),
 *   cpupool_lock (pool membership, cpupool.c),
 *   pCPU run-queue locks (struct sched_cpu), two at once only in
 *   increasing pCPU order (sched_lock_pair),
 *   timer queue locks (common/sched/timer.c), vGIC locks.
 */
#ifndef ORCHID_SCHED_PRIV_H
#define ORCHID_SCHED_PRIV_H

#include <orchid/domain.h>
#include <orchid/list.h>
#include <orchid/sched.h>
#include <orchid/spinlock.h>
#include <orchid/timer.h>
#include <public/sysctl.h>

struct xen_domctl_scheduler_op;
struct xen_sysctl_scheduler_op;

struct scheduler;

#ifdef CONFIG_SCHED_ARINC653
/* One minor frame of an ARINC 653 major frame (arinc653.c). */
struct a653_entry {
	xen_domain_handle_t handle; /* the domain's UUID */
	uint32_t vcpu_id;
	uint64_t runtime; /* ns */
};

/* A pool's ARINC 653 schedule, under @lock (inside the run-queue locks). */
struct a653_sched {
	spinlock_t lock;
	bool set;	      /* put by the toolstack, else Dom0's default */
	unsigned int nr;      /* entries in use */
	uint64_t major_frame; /* ns, the entries' runtimes or more */
	uint64_t frame_start; /* of the current major frame, 0: start one */
	struct a653_entry entries[ARINC653_MAX_DOMAINS_PER_SCHEDULE];
};
#endif

/* A cpupool (cpupool.c); its pCPUs are those whose sched_cpu names it. */
struct cpupool {
	bool used;	       /* this slot holds a pool */
	unsigned int id;       /* XEN_SYSCTL_cpupool_op's cpupool_id */
	uint32_t ratelimit_us; /* context-switch rate limit, 0: none */
	/* credit1 (credit.c): time slice, 0 for the default 30 ms. */
	uint32_t tslice_ms;
	uint32_t migr_delay_us;	     /* vcpu_migr_delay_us, kept, not used */
	const struct scheduler *ops; /* its policy, set at creation */
	/* null: the pool's vCPUs without a pCPU (null.c), FIFO. */
	spinlock_t waitq_lock; /* inside the run-queue locks */
	struct list_head waitq;
#ifdef CONFIG_SCHED_ARINC653
	struct a653_sched a653; /* arinc653's schedule */
#endif
};

extern struct cpupool *cpupool0;

/* One pCPU's scheduling state; every field under @lock unless noted. */
struct sched_cpu {
	spinlock_t lock;
	struct list_head runq;	/* runnable vCPUs, not running */
	unsigned int nr_queued; /* length of @runq (read racily) */
	struct vcpu *idle;	/* set once at boot */
	struct vcpu *curr;	/* running here, @idle when none (racy) */
	struct timer slice_timer;
	uint64_t slice_armed; /* its deadline, 0: not armed (sched_slice_arm) */
	volatile bool need_resched;
	unsigned int pool;	 /* cpupool ID, CPUPOOL_NONE when free */
	struct cpupool *cp;	 /* that pool, NULL when free */
	uint64_t credit_epoch;	 /* credit2: credit resets done here */
	uint64_t csched_acct_ns; /* credit1: next credit accounting here */
	struct vcpu *null_owner; /* null: the vCPU this pCPU is given to */
	struct vcpu *pulled;	 /* taken from another pCPU by pick */
};

#define CPUPOOL_NONE (~0U)

extern struct sched_cpu sched_cpus[CONFIG_NR_CPUS];

/*
 * A scheduling policy: it only chooses. The core calls every hook with
 * the lock of the pCPU concerned held and does the switching itself.
 */
/*
 * A new pool's rate limit and credit1 slice, from the command line (Xen's
 * csched_init caps credit1's rate limit at its slice); @c->ops is set.
 */
void sched_pool_defaults(struct cpupool *c);
/* Warnings Xen prints after the scheduler's name (sched_params.c). */
void sched_params_report(void);

struct scheduler {
	const char *name;      /* as xl shows it and sched= takes it */
	const char *long_name; /* Xen's, for "Using scheduler:" */
	unsigned int sched_id; /* XEN_SCHEDULER_* */
	/* v became runnable on @sc: queue it (sched_runq_add). */
	void (*insert)(struct sched_cpu *sc, struct vcpu *v, uint64_t now);
	/* v, queued on @sc, stopped being runnable or leaves @sc. */
	void (*remove)(struct sched_cpu *sc, struct vcpu *v);
	/*
	 * Choose what @sc runs next, NULL for idle; @prev runs now (the idle
	 * vCPU, or a vCPU that may no longer be runnable). Take the choice off
	 * the queue, queue @prev again if it is runnable and not chosen. Set
	 * *@deadline to when to choose again, 0 for never. A vCPU taken from
	 * another pCPU's (under both locks) is left in sc->pulled.
	 */
	struct vcpu *(*pick)(struct sched_cpu *sc, struct vcpu *prev,
			     uint64_t now, uint64_t *deadline);
	/*
	 * Optional. Before @cpu's lock is taken in schedule(): even out the
	 * load (sched_balance). NULL: vCPUs never move for load.
	 */
	void (*balance)(unsigned int cpu, const struct vcpu *prev);
	/*
	 * Optional, under @sc's lock: a vCPU was just queued while @curr runs
	 * on @sc. Would pick keep @curr now (say, for its rate limit)? Then
	 * *@until is when pick should look again. NULL: always look now.
	 */
	bool (*keeps_running)(const struct sched_cpu *sc,
			      const struct vcpu *curr, uint64_t now,
			      uint64_t *until);
	/* Optional: where @v should go, SCHED_NO_CPU for the core's choice. */
	unsigned int (*pick_cpu)(const struct vcpu *v);
	/*
	 * XEN_DOMCTL_scheduler_op and XEN_SYSCTL_scheduler_op; NULL: the
	 * policy has no parameters and answers 0, as Xen's sched_adjust_dom.
	 */
	long (*dom_cntl)(struct domain *d, struct xen_domctl_scheduler_op *op);
	long (*sys_cntl)(struct cpupool *c, struct xen_sysctl_scheduler_op *op);
};

extern const struct scheduler sched_credit;
extern const struct scheduler sched_arinc653;
#ifdef CONFIG_SCHED_CREDIT2
extern const struct scheduler sched_credit2;
#endif
extern const struct scheduler sched_null;
extern const struct scheduler sched_rtds;

/* The built-in policy named @name or with XEN_SCHEDULER_* @id, or NULL. */
const struct scheduler *sched_by_name(const char *name);
const struct scheduler *sched_by_id(unsigned int id);
/* The boot-time policy (sched=), Pool-0's. */
const struct scheduler *sched_default(void);
/* The policy of pool @id (cpupool.c), the default for an unknown one. */
const struct scheduler *cpupool_sched(unsigned int id);
/* Pool-0 runs @ops (sched_init, before any pCPU comes up). */
void cpupool_init0(const struct scheduler *ops);

/* The policy that runs @sc's vCPUs: its pool's, the default when free. */
static inline const struct scheduler *sched_cpu_ops(const struct sched_cpu *sc)
{
	return sc->cp && sc->cp->ops ? sc->cp->ops : sched_default();
}

#ifdef CONFIG_DEBUG_KEYS
/* The 'r' dump: one pCPU's line (sched.c), every pool's pCPUs (cpupool.c). */
void sched_dump_cpu(unsigned int cpu);
void cpupool_dump(void);
#endif

/* The core's pull balancing, credit2's and RTDS's balance hook. */
void sched_balance(unsigned int cpu, const struct vcpu *prev);
/* May @v run on @cpu: online, in its domain's pool, in its hard affinity? */
bool sched_cpu_allowed(const struct vcpu *v, unsigned int cpu);
/* ... and in its soft affinity too? */
bool sched_cpu_preferred(const struct vcpu *v, unsigned int cpu);
#ifdef CONFIG_SCHED_NULL
/* Take @v off any null wait queue (migration, destruction; null.c). */
void null_unwait(struct vcpu *v);
/* @v is destroyed: no pCPU stays given to it (null.c). */
void null_forget(struct vcpu *v);
#else /* no null pool can exist: nothing waits, no pCPU is given */
static inline void null_unwait(struct vcpu *v)
{
	(void)v;
}

static inline void null_forget(struct vcpu *v)
{
	(void)v;
}
#endif
#ifdef CONFIG_SCHED_ARINC653
/* A new pool's ARINC 653 schedule: empty, for Dom0's default (arinc653.c). */
static inline void a653_pool_init(struct cpupool *c)
{
	spin_lock_init(&c->a653.lock);
	c->a653.set = false;
	c->a653.nr = 0;
	c->a653.major_frame = 0;
	c->a653.frame_start = 0;
}
#else
static inline void a653_pool_init(struct cpupool *c)
{
	(void)c;
}
#endif
#ifdef CONFIG_SCHED_RTDS
/* Set a new vCPU's RTDS parameters to Xen's defaults (rtds.c). */
void rtds_vcpu_init(struct vcpu *v);
#else
static inline void rtds_vcpu_init(struct vcpu *v)
{
	(void)v;
}
#endif

/* Run-queue list helpers keeping nr_queued right; under sc->lock. */
void sched_runq_add(struct sched_cpu *sc, struct vcpu *v);
void sched_runq_del(struct sched_cpu *sc, struct vcpu *v);

/* The flags with which a vCPU gives up what a policy keeps for it. */
#define SCHED_VPF_LEAVING (VPF_DOWN | VPF_DYING | VPF_MIGRATING)

static inline bool sched_vcpu_runnable(const struct vcpu *v)
{
	return v->pause_flags == 0;
}

static inline bool cpumap_test(const uint8_t *map, unsigned int cpu)
{
	return map[cpu / 8] & (1U << (cpu % 8));
}

/* Lock two pCPUs in increasing order (once if equal); irqs masked. */
unsigned long sched_lock_pair(unsigned int a, unsigned int b);
void sched_unlock_pair(unsigned int a, unsigned int b, unsigned long flags);

/*
 * Move @v (not running, not queued, VPF_MIGRATING set) to a pCPU its
 * hard affinity and pool allow, then let it run again.
 */
void sched_migrate_finish(struct vcpu *v);

#endif /* ORCHID_SCHED_PRIV_H */
