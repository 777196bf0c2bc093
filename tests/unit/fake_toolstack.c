/* SPDX-License-Identifier: MIT */
/* The fake world of tests/unit/fake_toolstack.h. */
#include "../../common/sched/sched_priv.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <asm/fake.h>
#include <orchid/arch.h>
#include <orchid/domain.h>
#include <orchid/domain_mem.h>
#include <orchid/vcpu_op.h>
#include <orchid/domctl.h>
#include <orchid/errno.h>
#include <orchid/event.h>
#include <orchid/grant_table.h>
#include <orchid/guest_access.h>
#include <orchid/hypercall.h>
#include <orchid/hypercalls.h>
#include <orchid/mm.h>
#include <orchid/p2m.h>
#include <orchid/printk.h>
#include <orchid/sched.h>
#include <orchid/setup.h>
#include <orchid/smp.h>
#include <orchid/wallclock.h>
#include <public/sched.h>
#include <public/sysctl.h>

#include "fake_toolstack.h"

uint8_t guest_mem[GSIZE];

struct vcpu *current;
int alloc_budget = -1;
int64_t fake_live_pages;

struct fake_ts_record rec;

struct bootinfo bootinfo;
unsigned int nr_cpu_ids = 2;

static void *fake_alloc(size_t size, bool zero)
{
	if (alloc_budget == 0)
		return NULL;
	if (alloc_budget > 0)
		alloc_budget--;
	return zero ? calloc(1, size) : malloc(size);
}

void *xmalloc(size_t size)
{
	return fake_alloc(size, false);
}

void *xzalloc(size_t size)
{
	return fake_alloc(size, true);
}

void xfree(void *p)
{
	free(p);
}

void *alloc_pages(unsigned int order)
{
	void *p;

	if (alloc_budget == 0)
		return NULL;
	if (alloc_budget > 0)
		alloc_budget--;
	p = aligned_alloc(PAGE_SIZE, PAGE_SIZE << order);
	memset(p, 0xa5, PAGE_SIZE << order);
	fake_live_pages += 1LL << order;
	return p;
}

void free_pages(void *va, unsigned int order)
{
	fake_live_pages -= 1LL << order;
	free(va);
}

uint64_t page_alloc_free_bytes(void)
{
	return 1000ULL << PAGE_SHIFT;
}

static bool guest_ok(uint64_t va, size_t len)
{
	return va >= GVA && len <= GSIZE && va - GVA <= GSIZE - len;
}

int copy_from_guest(void *dst, uint64_t va, size_t len)
{
	if (!guest_ok(va, len))
		return -EFAULT;
	memcpy(dst, &guest_mem[va - GVA], len);
	return 0;
}

int copy_to_guest(uint64_t va, const void *src, size_t len)
{
	if (!guest_ok(va, len))
		return -EFAULT;
	memcpy(&guest_mem[va - GVA], src, len);
	return 0;
}

struct vcpu *current_vcpu(void)
{
	return current;
}

/* The pCPUs: 0 and 1 online. */
unsigned int cpus_online(void)
{
	return 2;
}

bool cpu_is_online(unsigned int cpu)
{
	return cpu < 2;
}

/* Scheduler: flags only; nothing ever runs. */
void sched_add_vcpu(struct vcpu *v)
{
	v->processor = v->vcpu_id % 2;
}

/* The real credit2 parameters; its run queues are never used here. */
void sched_runq_add(struct sched_cpu *sc, struct vcpu *v)
{
}

void sched_runq_del(struct sched_cpu *sc, struct vcpu *v)
{
}

/* As sched.c's: every pool runs credit2 here. */
long sched_dom_cntl(struct domain *d, struct xen_domctl_scheduler_op *op)
{
	if (op->sched_id != XEN_SCHEDULER_CREDIT2 ||
	    op->cmd > XEN_DOMCTL_SCHEDOP_getvcpuinfo)
		return -EINVAL;
	return sched_credit2.dom_cntl(d, op);
}

void sched_balance(unsigned int cpu, const struct vcpu *prev)
{
}

/* Only credit2 is linked: other pools are refused (-ENOENT). */
const struct scheduler *sched_by_id(unsigned int id)
{
	return id == XEN_SCHEDULER_CREDIT2 ? &sched_credit2 : NULL;
}

const struct scheduler *sched_default(void)
{
	return &sched_credit2;
}

/* Both pCPUs in Pool-0, for the real cpupool.c. */
struct sched_cpu sched_cpus[CONFIG_NR_CPUS] = {
	[0] = {.pool = 0},
	[1] = {.pool = 0},
	[2 ... CONFIG_NR_CPUS - 1] = {.pool = CPUPOOL_NONE},
};

void sched_raise(unsigned int cpu)
{
}

unsigned int fake_replaced; /* sched_domain_replace calls */

void sched_domain_replace(struct domain *d)
{
	fake_replaced++;
}

/* The pCPUs of its pool; affinity is only stored. */
void sched_domain_cpumap(const struct domain *d, uint8_t *map)
{
	memset(map, 0, CPUMAP_BYTES);
	for (unsigned int cpu = 0; cpu < 2; cpu++)
		if (sched_cpus[cpu].pool == d->cpupool_id)
			map[0] |= 1U << cpu;
}

void sched_set_affinity(struct vcpu *v, const uint8_t *hard,
			const uint8_t *soft)
{
	if (hard)
		memcpy(v->cpu_hard_affinity, hard, CPUMAP_BYTES);
	if (soft)
		memcpy(v->cpu_soft_affinity, soft, CPUMAP_BYTES);
}

void sched_remove_vcpu(struct vcpu *v)
{
	v->pause_flags |= VPF_DYING;
}

void sched_poll_init(struct vcpu *v)
{
}

void sched_poll_destroy(struct vcpu *v)
{
}

void vcpu_pause_flag_set(struct vcpu *v, unsigned int flag)
{
	v->pause_flags |= flag;
}

void vcpu_pause_flag_clear(struct vcpu *v, unsigned int flag)
{
	v->pause_flags &= ~flag;
}

unsigned int sched_id(void)
{
	return XEN_SCHEDULER_CREDIT2;
}

/* Architecture. */
int arch_domain_init(struct domain *d, const struct xen_arch_domainconfig *cfg)
{
	rec.arch_domain_inits++;
	return rec.arch_domain_init_ret;
}

void arch_domain_destroy(struct domain *d)
{
	rec.arch_domain_destroys++;
}

int arch_vcpu_init(struct vcpu *v)
{
	return 0;
}

void arch_vcpu_destroy(struct vcpu *v)
{
	rec.arch_vcpu_destroys++;
}

void (*fake_vcpu_reset_hook)(struct vcpu *v);

void vcpu_info_release(struct vcpu *v)
{
	rec.vcpu_info_releases++;
}

void arch_vcpu_reset(struct vcpu *v, uint64_t pc, uint64_t x0)
{
	rec.resets++;
	v->arch.pc = pc;
	if (fake_vcpu_reset_hook)
		fake_vcpu_reset_hook(v);
}

void arch_domain_quiesce(struct domain *d)
{
	rec.quiesces++;
}

void arch_set_vcpu_context(struct vcpu *v, const struct vcpu_guest_context *c)
{
	rec.set_ctx++;
	v->arch.pc = c->user_regs.pc64;
}

void arch_get_vcpu_context(struct vcpu *v, struct vcpu_guest_context *c)
{
	rec.get_ctx++;
	c->user_regs.pc64 = v->arch.pc;
}

uint32_t arch_cpu_khz(void)
{
	return 62500;
}

void arch_system_off(void)
{
	abort();
}

void arch_system_reset(void)
{
	abort();
}

void arch_flush_dcache_range(void *va, size_t len, bool clean, bool invalidate)
{
	assert_int_equal(len, PAGE_SIZE);
	assert_true(clean && invalidate);
	rec.flushes++;
}

unsigned int p2m_ipa_bits(void)
{
	return 40;
}

/* Device pages p2m_map put in; the RAM below is fixed. */
struct fake_p2m_dev fake_p2m_devs[FAKE_P2M_DEVS];

static struct fake_p2m_dev *fake_p2m_dev_at(struct domain *d, uint64_t pfn)
{
	for (unsigned int i = 0; i < FAKE_P2M_DEVS; i++)
		if (fake_p2m_devs[i].d == d && fake_p2m_devs[i].gfn == pfn)
			return &fake_p2m_devs[i];
	return NULL;
}

int p2m_map(struct domain *d, ipaddr_t ipa, paddr_t pa, uint64_t nr,
	    enum p2m_type type)
{
	for (uint64_t i = 0; i < nr; i++) {
		uint64_t gfn = (ipa_addr(ipa) >> PAGE_SHIFT) + i;
		struct fake_p2m_dev *e = fake_p2m_dev_at(d, gfn);

		if (!e)
			e = fake_p2m_dev_at(NULL, 0);
		assert_non_null(e);
		*e = (struct fake_p2m_dev){
			d, gfn, (pa_addr(pa) >> PAGE_SHIFT) + i, type};
	}
	return 0;
}

int p2m_unmap(struct domain *d, ipaddr_t ipa, uint64_t nr)
{
	for (uint64_t i = 0; i < nr; i++) {
		struct fake_p2m_dev *e =
			fake_p2m_dev_at(d, (ipa_addr(ipa) >> PAGE_SHIFT) + i);

		if (e)
			*e = (struct fake_p2m_dev){0};
	}
	return 0;
}

/* Stage 2: RAM at pfns 0x40000 and 0x40002, a hole at 0x40001. */
bool p2m_lookup(struct domain *d, ipaddr_t ipa, paddr_t *pa,
		enum p2m_type *type)
{
	uint64_t pfn = ipa_addr(ipa) >> PAGE_SHIFT;
	const struct fake_p2m_dev *e = fake_p2m_dev_at(d, pfn);

	if (e) {
		if (pa)
			*pa = pa_init(e->mfn << PAGE_SHIFT);
		if (type)
			*type = e->type;
		return true;
	}
	if (pfn != 0x40000 && pfn != 0x40002)
		return false;
	if (pa)
		*pa = pa_init(0x80000000ULL + (pfn << PAGE_SHIFT));
	if (type)
		*type = p2m_ram_rw;
	return true;
}

int arch_vuart_init(struct domain *d, uint32_t type, uint64_t gfn,
		    uint16_t backend, unsigned int *port)
{
	(void)d;
	assert_int_equal(type, 0);
	rec.vuart_inits++;
	rec.vuart_gfn = gfn;
	rec.vuart_backend = backend;
	*port = 7;
	return rec.vuart_init_ret;
}

/* The vGIC's half of bind_pt_irq: one domain per line, SPIs only. */
struct domain *fake_irq_owner[1024];

int arch_pt_irq_bind(struct domain *d, unsigned int irq)
{
	if (irq < 16 || irq >= 1024 || fake_irq_owner[irq] == d)
		return -EBUSY;
	if (irq < 32)
		return -EINVAL;
	if (fake_irq_owner[irq])
		return -EBUSY;
	fake_irq_owner[irq] = d;
	return 0;
}

int arch_pt_irq_unbind(struct domain *d, unsigned int irq)
{
	if (irq < 32 || irq >= 1024 || fake_irq_owner[irq] != d)
		return -EINVAL;
	return -EBUSY;
}

/* Event channels, grant tables, memory, wallclock. */
int evtchn_domain_init(struct domain *d, unsigned int max_port)
{
	rec.evtchn_inits++;
	rec.evtchn_max_port = max_port;
	d->evtchn = malloc(1);
	return 0;
}

void evtchn_domain_destroy(struct domain *d)
{
	if (!d->evtchn)
		return;
	rec.evtchn_destroys++;
	free(d->evtchn);
	d->evtchn = NULL;
}

void evtchn_send_global_virq(struct domain *d, unsigned int virq)
{
	rec.global_virqs++;
	rec.virq_d = d;
	rec.virq = virq;
}

int gnttab_domain_init(struct domain *d, int max_frames)
{
	rec.gnttab_inits++;
	rec.gnttab_max_frames = max_frames;
	if (max_frames > GNTTAB_MAX_FRAMES_DEFAULT)
		return -EINVAL;
	d->grant_table = malloc(1);
	return 0;
}

void gnttab_domain_destroy(struct domain *d)
{
	if (!d->grant_table)
		return;
	rec.gnttab_destroys++;
	free(d->grant_table);
	d->grant_table = NULL;
}

int domain_mem_set_max(struct domain *d, uint64_t max_pages)
{
	rec.mem_set_max++;
	rec.max_pages = max_pages;
	d->max_pages = max_pages;
	return 0;
}

void domain_mem_release_all(struct domain *d)
{
	uint64_t cursor = 0;

	domain_mem_release_begin(d);
	while (domain_mem_release_frames(d, &cursor))
		;
}

/* Stops rec.grant_restarts times, then is done; counts its calls. */
int gnttab_release_mappings_from(struct domain *d, uint64_t *cursor,
				 bool preemptible)
{
	rec.grant_releases++;
	if (preemptible && rec.grant_restarts) {
		rec.grant_restarts--;
		++*cursor;
		return -ERESTART;
	}
	return 0;
}

void domain_mem_release_begin(struct domain *d)
{
	rec.mem_releases++;
	rec.released = d;
}

int domain_mem_release_frames(struct domain *d, uint64_t *cursor)
{
	if (rec.mem_restarts) {
		rec.mem_restarts--;
		++*cursor;
		return -ERESTART;
	}
	d->tot_pages = 0;
	return 0;
}

/* common/sched/sched.c's: nothing to preempt for here. */
bool sched_resched_pending(void)
{
	return false;
}

uint64_t domain_mem_tot_pages(const struct domain *d)
{
	return d->tot_pages;
}

void wallclock_update_domain(struct domain *d)
{
}

long hypercall_unimplemented(const char *hypercall, unsigned long cmd)
{
	rec.unimplemented++;
	rec.unimplemented_cmd = cmd;
	return -ENOSYS;
}

/* ==== Dom0 and the calls ================================================ */

struct domain *dom0;

/* Dom0 as domain_build makes it: privileged, 2 vCPUs up, 512 MiB. */
int setup(void **state)
{
	struct xen_arch_domainconfig cfg = {0};

	memset(&rec, 0, sizeof(rec));
	fake_vcpu_reset_hook = NULL;
	/* Pool-0, as sched_init makes it (the pools are zero until then). */
	if (!cpupool0->used)
		cpupool_init0(&sched_credit2);
	memset(guest_mem, 0, sizeof(guest_mem));
	memset(fake_p2m_devs, 0, sizeof(fake_p2m_devs));
	memset(fake_irq_owner, 0, sizeof(fake_irq_owner));
	alloc_budget = -1;
	fake_now_ns = 1000;
	bootinfo = (struct bootinfo){0};
	bootinfo.nr_mem = 1;
	bootinfo.mem[0] =
		(struct mem_region){pa_init(0x40000000ULL), 2ULL << 30};
	bootinfo.gic.version = 3;
	bootinfo.timer.clock_frequency = 0;
	dom0 = domain_create(0, DOMCF_PRIVILEGED | DOMCF_DIRECT_MAP, 2, &cfg);
	assert_non_null(dom0);
	hardware_domain = dom0;
	for (unsigned int i = 0; i < 2; i++) {
		struct vcpu *v = vcpu_create(dom0, i);

		assert_non_null(v);
		assert_int_equal(vcpu_start(v, 0x40080000, 0), 0);
	}
	dom0->tot_pages = dom0->max_pages = 131072;
	current = dom0->vcpus[0];
	memset(&rec, 0, sizeof(rec));
	return 0;
}

/* Destroy whatever the test left, Dom0 last (by hand: it is not killable). */
int teardown(void **state)
{
	struct domain *d;

	current = dom0->vcpus[0];
	while ((d = domain_lookup_next(1))) {
		assert_int_equal(domain_kill(d), 0);
		assert_int_equal(domain_destroy(d), 0);
	}
	/*
	 * domain_kill refuses the hardware domain and the caller's own: take
	 * Dom0 off the list by hand, then free it the normal way.
	 */
	hardware_domain = NULL;
	current = NULL;
	dom0->is_dying = true;
	dom0->teardown_busy = true;
	list_del(&dom0->domain_list_node);
	list_init(&dom0->domain_list_node); /* on no list */
	assert_int_equal(domain_destroy(dom0), 0);
	assert_null(domain_lookup(0));
	return 0;
}

long call_domctl(struct xen_domctl *op)
{
	long rc;

	op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	memcpy(&guest_mem[VA_OP - GVA], op, sizeof(*op));
	rc = HC_CALL(hc_domctl, VA_OP);
	memcpy(op, &guest_mem[VA_OP - GVA], sizeof(*op));
	return rc;
}

long call_sysctl(struct xen_sysctl *op)
{
	long rc;

	op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	memcpy(&guest_mem[VA_OP - GVA], op, sizeof(*op));
	rc = HC_CALL(hc_sysctl, VA_OP);
	memcpy(op, &guest_mem[VA_OP - GVA], sizeof(*op));
	return rc;
}

/* A createdomain as libxl sends it for an Arm guest. */
struct xen_domctl create_op(domid_t domid, uint32_t vcpus)
{
	struct xen_domctl op = {.cmd = XEN_DOMCTL_createdomain,
				.domain = domid};
	struct xen_domctl_createdomain *c = &op.u.createdomain;

	c->flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
	c->max_vcpus = vcpus;
	c->max_evtchn_port = 1023;
	c->max_grant_frames = 32;
	c->max_maptrack_frames = 1024;
	c->grant_opts = XEN_DOMCTL_GRANT_version(1);
	c->arch.gic_version = XEN_DOMCTL_CONFIG_GIC_NATIVE;
	c->arch.nr_spis = 0;
	memset(c->handle, 0xab, sizeof(c->handle));
	return op;
}

/* Create a guest with @vcpus vCPUs made (max_vcpus done); its ID. */
domid_t make_guest(uint32_t vcpus)
{
	struct xen_domctl op = create_op(0, vcpus);
	domid_t domid;

	assert_int_equal(call_domctl(&op), 0);
	domid = op.domain;
	op = (struct xen_domctl){.cmd = XEN_DOMCTL_max_vcpus, .domain = domid};
	op.u.max_vcpus.max = vcpus;
	assert_int_equal(call_domctl(&op), 0);
	return domid;
}

long simple(uint32_t cmd, domid_t domid)
{
	struct xen_domctl op = {.cmd = cmd, .domain = domid};

	return call_domctl(&op);
}

struct xen_domctl_getdomaininfo info_of(domid_t domid)
{
	struct xen_domctl op = {.cmd = XEN_DOMCTL_getdomaininfo,
				.domain = domid};

	assert_int_equal(call_domctl(&op), 0);
	assert_int_equal(op.domain, domid);
	return op.u.getdomaininfo;
}

/* Timers (the domain watchdogs): kept as set; nothing fires them here. */
void timer_init(struct timer *t, timer_fn_t fn, void *data, unsigned int cpu)
{
	*t = (struct timer){.fn = fn, .data = data, .cpu = cpu};
}

void timer_set(struct timer *t, uint64_t expires_ns)
{
	t->expires = expires_ns;
	t->state = TIMER_QUEUED;
}

void timer_stop(struct timer *t)
{
	t->state = TIMER_INACTIVE;
}

void timer_kill(struct timer *t)
{
	t->state = TIMER_KILLED;
}
