/* SPDX-License-Identifier: MIT */
/*
 * Domains and vCPUs: the objects everything else hangs off. The
 * architecture-specific halves (registers, stage 2, vGIC) are struct
 * arch_domain and struct arch_vcpu from <asm/domain.h>.
 */
#ifndef ORCHID_DOMAIN_H
#define ORCHID_DOMAIN_H

#include <asm/domain.h>
#include <orchid/list.h>
#include <orchid/page_pool.h>
#include <orchid/spinlock.h>
#include <orchid/timer.h>
#include <orchid/types.h>
#include <public/errno.h>
#include <public/hvm/params.h>
#include <public/xen.h>

#define DOMID_IDLE 0x7fffU

/* No shutdown code yet (Xen's SHUTDOWN_CODE_INVALID). */
#define SHUTDOWN_CODE_INVALID (~0U)

/* Bytes of a CPU bitmap with one bit per possible pCPU. */
#define CPUMAP_BYTES ((CONFIG_NR_CPUS + 7) / 8)

/* Interrupt IDs a domain may be given access to (GIC SPIs end at 1019). */
#define DOMAIN_NR_IRQS 1024

struct evtchn_domain; /* common/xen/evtchn.c */
struct grant_table;   /* common/xen/grant_table.c */
struct domain_mem;    /* common/mm/domain_mem.c */
struct range_set;     /* orchid/mm.h */

/* Why a vCPU cannot run; it runs when none is set. */
enum vcpu_pause_flag {
	VPF_DOWN = 1U << 0,    /* not started (PSCI CPU_OFF / never on) */
	VPF_BLOCKED = 1U << 1, /* WFI or SCHEDOP_block: waits for an event */
	VPF_PAUSED = 1U << 2,  /* paused by the toolstack or the hypervisor */
	VPF_DYING = 1U << 3,   /* its domain is being destroyed */
	/* changing pCPU: off every run queue until sched_migrate_finish */
	VPF_MIGRATING = 1U << 4,
};

/* No pCPU (struct vcpu's loaded_cpu). */
#define SCHED_NO_CPU (~0U)

/* The hypercall a vCPU is in (common/xen/preempt.c). */
struct hypercall_state {
	bool preempted;	    /* it ended in a continuation */
	bool in_multicall;  /* the calls are a multicall's entries */
	unsigned int nargs; /* the continuation's arguments, args[0..nargs) */
	uint64_t args[5];
	unsigned int work; /* units done since the last preemption check */
};

/*
 * hypercall_begin()/hypercall_end() (orchid/hypercall.h) on a known
 * vCPU's state: the dispatcher looks the vCPU up once (bench-micro's
 * xen_version row).
 */
static inline void hypercall_state_begin(struct hypercall_state *h)
{
	h->preempted = false;
	/* A multicall's entries share its budget: the bound is per HVC. */
	if (!h->in_multicall)
		h->work = 0;
}

static inline bool hypercall_state_end(const struct hypercall_state *h,
				       uint64_t args[5])
{
	if (!h->preempted)
		return false;
	for (unsigned int i = 0; i < h->nargs; i++)
		args[i] = h->args[i];
	return true;
}

struct cpupool;

struct vcpu {
	unsigned int vcpu_id;
	struct domain *domain;
	unsigned int processor;	  /* pCPU it runs on or is queued on */
	unsigned int pause_flags; /* enum vcpu_pause_flag, under sched lock */
	bool is_running;	  /* loaded on a pCPU right now */
	bool is_idle;		  /* a pCPU's idle vCPU */

	/* Xen's per-vCPU shared page area (VCPUOP_register_vcpu_info). */
	struct vcpu_info *vcpu_info; /* hypervisor VA: registered, shared_info
					slot (vCPU 0) or a private dummy */
	paddr_t vcpu_info_page;	     /* 0 until registered */
	struct vcpu_info dummy_vcpu_info;

	/* VCPUOP_register_runstate_memory_area: a guest virtual address. */
	struct vcpu_runstate_info runstate;
	uint64_t runstate_guest_va; /* 0: none */

	/*
	 * SCHEDOP_poll (common/sched/sched_op.c): blocked until an event arrives on
	 * poll_port (VCPU_POLL_ANY: any port) or poll_timer fires. The waker
	 * that clears polling is the one that wakes the vCPU.
	 */
	bool polling;
	uint32_t poll_port;
	struct timer poll_timer;

	/*
	 * Scheduler bookkeeping (common/sched/sched.c), under the lock of the
	 * pCPU named by @processor. @loaded_cpu is the pCPU whose hardware
	 * holds the vCPU's state (arch code writes it, SCHED_NO_CPU when
	 * saved); it is always SCHED_NO_CPU or @processor.
	 */
	struct list_head runq_node;
	uint64_t slice_end_ns;
	uint64_t runtime_ns;
	unsigned int loaded_cpu;
	/* credit2 (common/sched/credit2.c). */
	int64_t credit;	       /* ns of run time left, weight-scaled */
	uint64_t acct_ns;      /* credit burned up to this time */
	uint64_t run_start_ns; /* when it last started running (ratelimit) */
	uint64_t credit_epoch; /* its pCPU's reset count when last refilled */
	/* null (common/sched/null.c): in @waitq_pool's wait queue. */
	struct list_head waitq_node;
	struct cpupool *waitq_pool; /* NULL when not waiting */
	/* RTDS (common/sched/rtds.c), in ns; acct_ns is its last burn. */
	uint64_t rt_period, rt_budget;
	int64_t rt_cur_budget; /* left in this period (or this level) */
	uint64_t rt_deadline;  /* end of the current period */
	unsigned int rt_level; /* extra-time rounds this period */
	bool rt_extratime;     /* may run past its budget, behind others */
	/* credit1 (common/sched/credit.c); credit and acct_ns as credit2. */
	uint64_t cs_slice_end; /* its time slice ends here, 0: yielded */
	bool cs_boost;	       /* woke with credit left: runs first */
	bool cs_parked;	       /* its domain's cap is spent: not run */

	/* Registers set (domain build, PSCI CPU_ON, setvcpucontext). */
	bool is_initialised;
	spinlock_t start_lock; /* held while vcpu_start resets and starts it */
	/*
	 * XEN_DOMCTL_setvcpuaffinity's pCPU bitmaps, as the toolstack set them
	 * (all ones at creation); written through sched_set_affinity under
	 * the pCPU lock, which migrates the vCPU when it must move.
	 */
	uint8_t cpu_hard_affinity[CPUMAP_BYTES];
	uint8_t cpu_soft_affinity[CPUMAP_BYTES];

	struct hypercall_state hcall;

	struct arch_vcpu arch;
};

/*
 * Shutdown codes are SHUTDOWN_* from public/sched.h. The fields from
 * is_dying to time_offset_seconds are guarded by @lock; common/xen/domctl.c
 * reads them unlocked for reports.
 */
/* Xen's two watchdog timers per domain (common/sched/watchdog.c). */
#define NR_DOMAIN_WATCHDOG_TIMERS 2
struct domain_watchdog {
	spinlock_t lock;
	unsigned int inuse; /* bit i: timer[i] is armed */
	struct timer timer[NR_DOMAIN_WATCHDOG_TIMERS];
};

struct domain {
	domid_t domain_id;
	bool is_privileged; /* the hardware/control domain (Dom0) */
	/* May use console_io, as Xen's d->is_console (dom0less DomUs). */
	bool is_console;
	bool direct_mapped; /* guest-physical == host-physical */
	bool static_mem;    /* its RAM is its xen,static-mem banks, only */
	bool is_dying;	    /* being destroyed: no longer in the domain list */
	bool is_shut_down;  /* shut down (SCHEDOP_shutdown, crash) */
	bool paused_for_shutdown; /* holds one pause reference */
	bool creation_finished;	  /* the toolstack unpaused it once */
	/* Built by Orchid itself: the toolstack sees it once built (DOMCF_). */
	bool hidden;
	unsigned int shutdown_code; /* SHUTDOWN_CODE_INVALID until one is set */
	/*
	 * Told once of the domain's shutdown, after it is paused, from the
	 * context that shut it down (a trap, a hypercall, a timer): a
	 * boot-time domain's restart policy (dom0less_restart.c). NULL:
	 * Xen's behaviour, the domain waits for its toolstack.
	 */
	void (*on_shutdown)(struct domain *d, unsigned int reason);
	xen_domain_handle_t handle;

	/*
	 * Pause references: every vCPU carries VPF_PAUSED while @pause_count
	 * is not 0. The toolstack's own (XEN_DOMCTL_pausedomain) are also
	 * counted in @controller_pause_count, which starts at 1 for a domain
	 * the toolstack creates, as in Xen.
	 */
	unsigned int pause_count;
	unsigned int controller_pause_count;

	/* What XEN_DOMCTL_createdomain and later domctls set. */
	uint32_t options; /* XEN_DOMCTL_CDF_* */
	uint32_t ssidref;
	struct xen_arch_domainconfig arch_config; /* as chosen, for reports */
	/*
	 * Its stage-2 table pages (XEN_DOMCTL_set_paging_mempool_size sizes
	 * it); the hardware domain's falls back to the page allocator.
	 */
	struct page_pool paging_pool;
	uint16_t sched_weight; /* credit/credit2 weight, 256 by default */
	uint16_t sched_cap;    /* credit/credit2 cap in %, 0: none */
	/* credit2 cap budget (credit2.c), atomics: shared by its pCPUs. */
	int64_t sched_budget_ns;
	uint64_t sched_budget_next_ns; /* next replenishment */
	unsigned int cpupool_id;       /* common/sched/cpupool.c */
	uint8_t node_affinity;	       /* one bit per NUMA node: only node 0 */
	int64_t time_offset_seconds;
	/* Access the toolstack granted (XEN_DOMCTL_{iomem,irq}_permission). */
	struct range_set *iomem_caps; /* NULL: none */
	uint32_t irq_caps[DOMAIN_NR_IRQS / 32];

	unsigned int max_vcpus;
	struct vcpu **vcpus;
	unsigned int nr_polling; /* vCPUs in SCHEDOP_poll: events look */
	/* The longest one HVC of it held a pCPU (hypercall_account). */
	uint64_t hcall_longest_ns;
	uint64_t
		hcall_longest_ticks; /* the same in counter ticks (the trap path) */
	unsigned int hcall_longest_nr;
	uint64_t creation_ns; /* Orchid time at creation: its time base */

	spinlock_t lock;

	/* Memory accounting, in pages. */
	uint64_t tot_pages;
	uint64_t max_pages;
	struct domain_mem *mem; /* its physmap state, made on first use */
	/*
	 * Host frames [ram_pfn_lo, ram_pfn_hi) hold every RAM page it was
	 * ever given and every page Orchid lent it (empty while equal): its
	 * death, and a restart's wait for its pages, look at those only.
	 */
	uint64_t ram_pfn_lo, ram_pfn_hi;

	/* Xen's shared_info page, owned by Orchid, mapped into the guest. */
	struct shared_info *shared_info;
	xen_pfn_t shared_info_gfn; /* where it is mapped, DOMAIN_MEM_NO_GFN */

	struct evtchn_domain *evtchn;
	struct grant_table *grant_table;
	struct domain_watchdog watchdog;

	/* HVM_PARAM_* values the guest or toolstack set (public/hvm/params.h). */
	uint64_t hvm_params[HVM_NR_PARAMS];
	unsigned int vm_assist;

	struct list_head domain_list_node; /* the live list, then the dying */

	/* A destroy under way (domain_destroy): how far, and who does it. */
	unsigned int teardown_stage;
	uint64_t teardown_cursor;
	bool teardown_busy;
	struct arch_domain arch;
};

/* The pCPU's current vCPU (its idle vCPU when no guest runs). */
struct vcpu *current_vcpu(void);
static inline struct domain *current_domain(void)
{
	return current_vcpu()->domain;
}

/*
 * The domain a hypercall argument names, as Xen's "any id" lookup plus its
 * default permission check: DOMID_SELF or the caller's own id, or any
 * existing domain for a privileged caller. NULL with *@err set to -ESRCH
 * (no such domain, whoever asks) or -EPERM.
 */
/*
 * SCHEDOP_watchdog for @d (common/sched/watchdog.c): id 0 arms a free
 * timer (its id, or a 32-bit -ENOSPC), id 1..2 pets it or, timeout 0,
 * disarms it.
 */
long domain_watchdog(struct domain *d, uint32_t id, uint32_t timeout);
void domain_watchdog_init(struct domain *d);
void domain_watchdog_destroy(struct domain *d);

struct domain *domain_lookup(domid_t domid);
static inline struct domain *domain_for_caller(domid_t domid, long *err)
{
	struct domain *self = current_domain();
	struct domain *d;

	if (domid == DOMID_SELF || domid == self->domain_id)
		return self;
	d = domain_lookup(domid);
	if (!d) {
		*err = -XEN_ESRCH;
		return NULL;
	}
	if (!self->is_privileged) {
		*err = -XEN_EPERM;
		return NULL;
	}
	return d;
}

static inline struct vcpu *domain_vcpu(const struct domain *d,
				       unsigned int vcpu_id)
{
	return vcpu_id < d->max_vcpus ? d->vcpus[vcpu_id] : NULL;
}

/* Creation flags for domain_create. */
enum domain_create_flags {
	DOMCF_PRIVILEGED = 1U << 0,
	DOMCF_DIRECT_MAP = 1U << 1,
	/*
	 * Built by Orchid while Dom0 may run (a dom0less restart): left out
	 * of getdomaininfo and getdomaininfolist until domain_unhide, so that
	 * no toolstack (init-dom0less, xenstored) acts on it half built.
	 */
	DOMCF_HIDDEN = 1U << 2,
};

/*
 * Create a domain with @max_vcpus vCPUs (all down) and the architecture
 * configuration @arch_cfg (vGIC version, SPIs). NULL on failure.
 */
struct domain *domain_create(domid_t domid, unsigned int flags,
			     unsigned int max_vcpus,
			     const struct xen_arch_domainconfig *arch_cfg);

/* Per-domain limits (XEN_DOMCTL_createdomain); domain_create's defaults. */
struct domain_limits {
	unsigned int max_evtchn_port; /* highest event-channel port */
	int max_grant_frames;	      /* < 0: Xen's default */
};

/*
 * domain_create with @limits; 0 or a negative errno, and the domain in
 * *@out. -EEXIST when @domid is taken.
 */
int domain_create_limits(domid_t domid, unsigned int flags,
			 unsigned int max_vcpus,
			 const struct xen_arch_domainconfig *arch_cfg,
			 const struct domain_limits *limits,
			 struct domain **out);

/*
 * Find a domain. The pointer stays good until the calling hypercall or
 * trap returns: a domain is freed only after it left the list and every
 * pCPU has passed through a point where it held no domain pointer (see
 * domain_destroy).
 */
struct domain *domain_lookup(domid_t domid);
/* The domain with the lowest ID >= @domid, NULL if none. */
struct domain *domain_lookup_next(domid_t domid);
/* The same among those the toolstack may see (not DOMCF_HIDDEN). */
struct domain *domain_lookup_next_listed(domid_t domid);
/* A DOMCF_HIDDEN domain is built: the toolstack sees it from now on. */
void domain_unhide(struct domain *d);
/*
 * Is @domid taken: by a domain, or by a killed one whose teardown has not
 * finished (domain_lookup no longer finds those)?
 */
bool domain_id_in_use(domid_t domid);

/*
 * A domain's shutdown (SCHEDOP_shutdown or crash): the first reason sticks,
 * the domain is paused and the hardware domain gets VIRQ_DOM_EXC. The
 * hardware domain's shutdown takes the machine down.
 */
void domain_shutdown(struct domain *d, unsigned int reason);
/*
 * What a hardware domain crash does: Xen's reset in 5 s by default, a halt
 * with noreboot (setup.c), or, beyond Xen, only Dom0 stays down and the
 * boot-time DomUs keep running (orchid,hwdom-on-crash = "preserve" in
 * /chosen, dom0less_restart.c).
 */
enum hwdom_crash_action {
	HWDOM_CRASH_RESET,
	HWDOM_CRASH_HALT,
	HWDOM_CRASH_PRESERVE,
};
extern enum hwdom_crash_action hwdom_on_crash;
/* Undo a shutdown (XEN_DOMCTL_resumedomain, after a suspend). */
void domain_resume(struct domain *d);
/* Crash a misbehaving guest; never returns to it. */
void domain_crash(struct domain *d, const char *why);
/* The hardware domain (Dom0), NULL before it exists. */
extern struct domain *hardware_domain;

/* Create vCPU @vcpu_id of @d (down, on a pCPU the scheduler picks). */
struct vcpu *vcpu_create(struct domain *d, unsigned int vcpu_id);
/* Start a down vCPU at @pc with x0 = @x0 (PSCI CPU_ON, domain build). */
int vcpu_start(struct vcpu *v, uint64_t pc, uint64_t x0);
/*
 * Call @fn(d, @arg) for domain @domid under the list lock, which a killed
 * domain has left, so @d cannot be freed meanwhile (interrupt context may
 * use it, where domain_lookup's pointer could go stale). False when there
 * is no such domain, else what @fn returned.
 */
bool domain_call(domid_t domid, bool (*fn)(struct domain *d, void *arg),
		 void *arg);
/* Call @fn for every domain, in domain ID order, under the list lock. */
void domain_for_each(void (*fn)(struct domain *d));

/*
 * Take a pause reference: no vCPU of @d runs until every reference is
 * dropped. domain_pause also waits until none is on a pCPU any more (never
 * for the caller's own domain), taking interrupts meanwhile, so its caller
 * must hold no irqsave lock; the _nosync variant only asks them to stop.
 */
void domain_pause(struct domain *d);
void domain_pause_nosync(struct domain *d);
void domain_unpause(struct domain *d);
/*
 * The toolstack's pause references (XEN_DOMCTL_{,un}pausedomain): at
 * most 255 (-EOVERFLOW), never below 0 (-EINVAL).
 */
int domain_pause_by_controller(struct domain *d);
int domain_unpause_by_controller(struct domain *d);

/*
 * Destroy @d (XEN_DOMCTL_destroydomain), in two steps. domain_kill marks
 * it dying, pauses it for good and moves it from the domain list to the
 * dying list, so no lookup finds it again and its ID stays taken; -EINVAL
 * for the caller's own domain or the hardware domain, -EBUSY if it is
 * already dying. The caller then owns its destruction: domain_destroy,
 * called with no lock held, stops it on every pCPU and frees everything
 * it had: event channels, grant table, RAM, stage 2, vGIC, vCPUs, itself.
 * Giving back its RAM is preemptible: domain_destroy then returns
 * -ERESTART and gives up ownership; whoever continues (the same
 * destroydomain, re-issued) takes it again with domain_claim_dying.
 */
int domain_kill(struct domain *d);
int domain_destroy(struct domain *d);
/*
 * Take over the destruction of dying domain @domid: 0 with *@d set,
 * -ESRCH if no such domain is dying, -EBUSY if another call is at it.
 */
int domain_claim_dying(domid_t domid, struct domain **d);
/* Is @domid a live or a dying domain's? */
bool domain_id_in_use(domid_t domid);

#endif /* ORCHID_DOMAIN_H */
