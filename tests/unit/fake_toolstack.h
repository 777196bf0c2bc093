/* SPDX-License-Identifier: MIT */
/*
 * The fake world of the toolstack hypercall tests (tests/unit/
 * test_domctl.c, test_sysctl.c), under the real common/domain.c, domctl.c,
 * sysctl.c and printk.c: Dom0 made as domain_build makes it, guest memory
 * for the hypercall arguments, and recorders for the architecture,
 * scheduler, event channels, grant tables and memory hooks they call.
 */
#ifndef TESTS_UNIT_FAKE_TOOLSTACK_H
#define TESTS_UNIT_FAKE_TOOLSTACK_H

#include <orchid/domain.h>
#include <orchid/p2m.h>
#include <public/domctl.h>
#include <public/sysctl.h>

/*
 * Guest memory: [GVA, GVA + GSIZE) of the current vCPU; the rest faults.
 */
#define GVA    0x10000000ULL
#define GSIZE  0x10000ULL
#define VA_OP  GVA	      /* the xen_domctl / xen_sysctl */
#define VA_BUF (GVA + 0x1000) /* buffers the commands point to */
#define VA_END (GVA + GSIZE)
extern uint8_t guest_mem[GSIZE];

/* The vCPU making the calls (Dom0's vCPU 0 unless a test changes it). */
extern struct vcpu *current;
/* Allocations that may still succeed; -1: all of them. */
extern int alloc_budget;
/* sched_domain_replace calls (a domain changed pool). */
extern unsigned int fake_replaced;
/* Pages the page allocator has handed out and not had back. */
extern int64_t fake_live_pages;
/* Dom0: privileged, 2 vCPUs up, 512 MiB; also the hardware domain. */
extern struct domain *dom0;

/* What the fakes were asked since setup. */
struct fake_ts_record {
	unsigned int arch_domain_inits, arch_domain_destroys;
	unsigned int arch_vcpu_destroys, quiesces;
	unsigned int vcpu_info_releases;
	int arch_domain_init_ret;
	unsigned int evtchn_inits, evtchn_destroys;
	unsigned int evtchn_max_port;
	unsigned int gnttab_inits, gnttab_destroys;
	int gnttab_max_frames;
	unsigned int global_virqs;
	struct domain *virq_d;
	unsigned int virq;
	unsigned int mem_releases, mem_set_max;
	unsigned int grant_releases, grant_restarts;
	/* domain_mem_release_frames says -ERESTART this many more times. */
	unsigned int mem_restarts;
	uint64_t max_pages;
	struct domain *released;
	unsigned int set_ctx, get_ctx, resets;
	uint64_t ctx_pc;
	unsigned int flushes;
	unsigned int unimplemented;
	unsigned long unimplemented_cmd;
	/* arch_vuart_init: calls, what it got, what it answers (port 7). */
	unsigned int vuart_inits;
	uint64_t vuart_gfn;
	uint16_t vuart_backend;
	int vuart_init_ret;
};
extern struct fake_ts_record rec;
/* Called from inside arch_vcpu_reset (another pCPU acting meanwhile). */
extern void (*fake_vcpu_reset_hook)(struct vcpu *v);

/* Device pages mapped with p2m_map (passthrough.c), one per entry. */
#define FAKE_P2M_DEVS 256
struct fake_p2m_dev {
	struct domain *d; /* NULL: a free entry */
	uint64_t gfn, mfn;
	enum p2m_type type;
};
extern struct fake_p2m_dev fake_p2m_devs[FAKE_P2M_DEVS];
/* Which domain arch_pt_irq_bind gave each line to. */
extern struct domain *fake_irq_owner[1024];

/* cmocka setup/teardown: a fresh Dom0; every domain destroyed after. */
int setup(void **state);
int teardown(void **state);

/* Call a hypercall handler with x0 = @a0. */
#define HC_CALL(fn, a0) fn((const uint64_t[5]){(a0)})

/* Issue @op as Dom0's toolstack does (in guest memory), copy it back. */
long call_domctl(struct xen_domctl *op);
long call_sysctl(struct xen_sysctl *op);
/* A createdomain as libxl sends it for an Arm guest. */
struct xen_domctl create_op(domid_t domid, uint32_t vcpus);
/* createdomain then max_vcpus; the new domain's ID. */
domid_t make_guest(uint32_t vcpus);
/* A domctl with no arguments. */
long simple(uint32_t cmd, domid_t domid);
/* getdomaininfo of an existing domain. */
struct xen_domctl_getdomaininfo info_of(domid_t domid);

#endif /* TESTS_UNIT_FAKE_TOOLSTACK_H */
