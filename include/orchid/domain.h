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
#include <orchid/spinlock.h>
#include <orchid/timer.h>
#include <orchid/types.h>
#include <public/hvm/params.h>
#include <public/xen.h>

#define DOMID_IDLE 0x7fffU

struct evtchn_domain;  /* common/evtchn.c */
struct grant_table;    /* common/grant_table.c */

/* Why a vCPU cannot run; it runs when none is set. */
enum vcpu_pause_flag {
	VPF_DOWN = 1U << 0,     /* not started (PSCI CPU_OFF / never on) */
	VPF_BLOCKED = 1U << 1,  /* WFI or SCHEDOP_block: waits for an event */
	VPF_PAUSED = 1U << 2,   /* paused by the toolstack or the hypervisor */
	VPF_DYING = 1U << 3,    /* its domain is being destroyed */
};

struct vcpu {
	unsigned int vcpu_id;
	struct domain *domain;
	unsigned int processor;   /* pCPU it runs on or is queued on */
	unsigned int pause_flags; /* enum vcpu_pause_flag, under sched lock */
	bool is_running;          /* loaded on a pCPU right now */
	bool is_idle;             /* a pCPU's idle vCPU */

	/* Xen's per-vCPU shared page area (VCPUOP_register_vcpu_info). */
	struct vcpu_info *vcpu_info; /* hypervisor VA: registered, shared_info
					slot (vCPU 0) or a private dummy */
	paddr_t vcpu_info_page;      /* 0 until registered */
	struct vcpu_info dummy_vcpu_info;

	/* VCPUOP_register_runstate_memory_area: a guest virtual address. */
	struct vcpu_runstate_info runstate;
	uint64_t runstate_guest_va; /* 0: none */

	/* SCHEDOP_poll: the ports this vCPU waits on, and its timeout. */
	bool poll_pending;
	struct timer poll_timer;

	/* Scheduler bookkeeping (common/sched.c). */
	struct list_head runq_node;
	uint64_t slice_end_ns;
	uint64_t runtime_ns;

	struct arch_vcpu arch;
};

/* Shutdown codes are SHUTDOWN_* from public/sched.h. */
struct domain {
	domid_t domain_id;
	bool is_privileged;  /* the hardware/control domain (Dom0) */
	bool direct_mapped;  /* guest-physical == host-physical */
	bool is_dying;
	bool is_shut_down;
	unsigned int shutdown_code;
	xen_domain_handle_t handle;

	unsigned int max_vcpus;
	struct vcpu **vcpus;
	uint64_t creation_ns; /* Orchid time at creation: its time base */

	spinlock_t lock;

	/* Memory accounting, in pages. */
	uint64_t tot_pages;
	uint64_t max_pages;

	/* Xen's shared_info page, owned by Orchid, mapped into the guest. */
	struct shared_info *shared_info;

	struct evtchn_domain *evtchn;
	struct grant_table *grant_table;

	/* HVM_PARAM_* values the guest or toolstack set (public/hvm/params.h). */
	uint64_t hvm_params[HVM_NR_PARAMS];
	unsigned int vm_assist;

	struct list_head domain_list_node;
	struct arch_domain arch;
};

/* The pCPU's current vCPU (its idle vCPU when no guest runs). */
struct vcpu *current_vcpu(void);
static inline struct domain *current_domain(void)
{
	return current_vcpu()->domain;
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
};

/*
 * Create a domain with @max_vcpus vCPUs (all down) and the architecture
 * configuration @arch_cfg (vGIC version, SPIs). NULL on failure.
 */
struct domain *domain_create(domid_t domid, unsigned int flags,
			     unsigned int max_vcpus,
			     const struct xen_arch_domainconfig *arch_cfg);
struct domain *domain_lookup(domid_t domid);
/* A domain's shutdown (SCHEDOP_shutdown or crash). */
void domain_shutdown(struct domain *d, unsigned int reason);
/* Crash a misbehaving guest; never returns to it. */
void domain_crash(struct domain *d, const char *why);
/* The hardware domain (Dom0), NULL before it exists. */
extern struct domain *hardware_domain;

/* Create vCPU @vcpu_id of @d (down, on a pCPU the scheduler picks). */
struct vcpu *vcpu_create(struct domain *d, unsigned int vcpu_id);
/* Start a down vCPU at @pc with x0 = @x0 (PSCI CPU_ON, domain build). */
int vcpu_start(struct vcpu *v, uint64_t pc, uint64_t x0);
/* Call @fn for every domain. */
void domain_for_each(void (*fn)(struct domain *d));
/* Pause/unpause every vCPU of @d. */
void domain_pause(struct domain *d);
void domain_unpause(struct domain *d);

#endif /* ORCHID_DOMAIN_H */
