// SPDX-License-Identifier: MIT
/*
 * domctl: how the toolstack in the control domain creates, builds, runs
 * and destroys domains. Meaning, checks and error numbers follow Xen 4.17
 * (xen/common/xen/domctl.c, xen/arch/arm/domctl.c, arm64/domctl.c); the
 * sequence libxl drives is in docs (xen-arm-abi.md, section e).
 *
 * Only the privileged domain may call it. The whole xen_domctl is copied
 * in, and back out for the commands that answer in it. One lock
 * serialises domctls as Xen's domctl_lock does; nothing under it waits for
 * another pCPU, so a destroyed domain's teardown runs after it is dropped.
 */
#include <orchid/arch.h>
#include <orchid/arch_domain.h>
#include <orchid/domain.h>
#include <orchid/domain_mem.h>
#include <orchid/domctl.h>
#include <orchid/errno.h>
#include <orchid/grant_table.h>
#include <orchid/guest_access.h>
#include <orchid/hypercall.h>
#include <orchid/hypercalls.h>
#include <orchid/mm.h>
#include <orchid/p2m.h>
#include <orchid/page_pool.h>
#include <orchid/passthrough.h>
#include <orchid/printk.h>
#include <orchid/sched.h>
#include <orchid/smp.h>
#include <orchid/string.h>
#include <public/domctl.h>

/* Xen's opt_max_maptrack_frames. */
#define MAX_MAPTRACK_FRAMES 1024
#define EVTCHN_2L_MAX_PORT  4095
/* Xen's MAX_ORDER on Arm: the most pages one cacheflush may name. */
#define CACHEFLUSH_MAX_PAGES (1UL << 18)

static spinlock_t domctl_lock = SPINLOCK_INIT;
/* Where automatic domain ID allocation goes on from (Xen's rover). */
static domid_t domid_rover;

/* ---- shared with sysctl ------------------------------------------------ */

void cpumap_online(uint8_t *map)
{
	memset(map, 0, CPUMAP_BYTES);
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		if (cpu_is_online(cpu))
			map[cpu / 8] |= (uint8_t)(1U << (cpu % 8));
}

int xenctl_bitmap_to_guest(const struct xenctl_bitmap *b, const uint8_t *bytes,
			   unsigned int nbits)
{
	uint64_t guest_bytes = ((uint64_t)b->nr_bits + 7) / 8;
	uint64_t ours = (nbits + 7) / 8;
	uint64_t copy = min_u64(guest_bytes, ours);
	uint8_t zero[64] = {0};

	if (copy && copy_to_guest(b->bitmap.p, bytes, copy))
		return -EFAULT;
	while (copy < guest_bytes) {
		uint64_t n = min_u64(guest_bytes - copy, sizeof(zero));

		if (copy_to_guest(b->bitmap.p + copy, zero, n))
			return -EFAULT;
		copy += n;
	}
	return 0;
}

int xenctl_bitmap_from_guest(uint8_t *bytes, const struct xenctl_bitmap *b,
			     unsigned int nbits)
{
	uint64_t guest_bytes = ((uint64_t)b->nr_bits + 7) / 8;
	uint64_t ours = (nbits + 7) / 8;
	uint64_t copy = min_u64(guest_bytes, ours);

	memset(bytes, 0, ours);
	if (copy && copy_from_guest(bytes, b->bitmap.p, copy))
		return -EFAULT;
	/* The guest's bits past nr_bits are not part of its map. */
	if ((b->nr_bits & 7) && guest_bytes == copy)
		bytes[copy - 1] &= (uint8_t)((1U << (b->nr_bits & 7)) - 1);
	/* Nor are ours past nbits. */
	if (nbits & 7)
		bytes[ours - 1] &= (uint8_t)((1U << (nbits & 7)) - 1);
	return 0;
}

/* Time @v has run, the current stint included. */
static uint64_t vcpu_cpu_time(const struct vcpu *v, uint64_t now)
{
	uint64_t t = v->runstate.time[RUNSTATE_running];

	if (v->runstate.state == RUNSTATE_running &&
	    now > v->runstate.state_entry_time)
		t += now - v->runstate.state_entry_time;
	return t;
}

void domain_getinfo(struct domain *d, struct xen_domctl_getdomaininfo *info)
{
	uint32_t flags = XEN_DOMINF_blocked;
	uint64_t now = arch_now_ns();

	memset(info, 0, sizeof(*info));
	info->domain = d->domain_id;
	info->max_vcpu_id = XEN_INVALID_MAX_VCPU_ID;
	/* Blocked only if every online vCPU is; running if any is. */
	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		const struct vcpu *v = d->vcpus[i];

		if (!v)
			continue;
		info->cpu_time += vcpu_cpu_time(v, now);
		info->max_vcpu_id = i;
		if (v->pause_flags & VPF_DOWN)
			continue;
		if (!(v->pause_flags & VPF_BLOCKED))
			flags &= ~XEN_DOMINF_blocked;
		if (v->is_running)
			flags |= XEN_DOMINF_running;
		info->nr_online_vcpus++;
	}
	/* Every Arm domain is HVM with hardware-assisted paging. */
	info->flags = (info->nr_online_vcpus ? flags : 0) |
		      (d->is_dying ? XEN_DOMINF_dying : 0) |
		      (d->is_shut_down ? XEN_DOMINF_shutdown : 0) |
		      (d->controller_pause_count ? XEN_DOMINF_paused : 0) |
		      XEN_DOMINF_hvm_guest | XEN_DOMINF_hap |
		      d->shutdown_code << XEN_DOMINF_shutdownshift;
	info->tot_pages = domain_mem_tot_pages(d);
	info->max_pages = d->max_pages;
	/* Arm's mfn_to_gfn is the identity: Xen reports the frame itself. */
	info->shared_info_frame =
		pa_addr(arch_va_to_pa(d->shared_info)) >> PAGE_SHIFT;
	info->ssidref = d->ssidref;
	memcpy(info->handle, d->handle, sizeof(info->handle));
	info->cpupool = d->cpupool_id;
	info->gpaddr_bits = (uint8_t)p2m_ipa_bits();
	info->arch_config = d->arch_config;
}

/* ---- domain life cycle ------------------------------------------------- */

/* Xen's: a free ID above the last one given out, wrapping to 1. */
static int domid_alloc(domid_t want, domid_t *out)
{
	domid_t dom = domid_rover;

	if (want > 0 && want < DOMID_FIRST_RESERVED) {
		if (domain_id_in_use(want))
			return -EEXIST;
		*out = want;
		return 0;
	}
	for (unsigned int tries = 1; tries < DOMID_FIRST_RESERVED; tries++) {
		dom = dom + 1U >= DOMID_FIRST_RESERVED ? 1 : dom + 1;
		if (!domain_id_in_use(dom)) {
			domid_rover = dom;
			*out = dom;
			return 0;
		}
	}
	return -ENOMEM;
}

/*
 * Xen's sanitise_domain_config for a toolstack guest; its arch half
 * (arch_sanitise_domain_config) is arch_domain_config_check.
 */
static int createdomain_check(struct xen_domctl_createdomain *c)
{
	const uint32_t required = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
	int ret;

	if (c->flags & ~(XEN_DOMCTL_CDF_MAX * 2 - 1))
		return -EINVAL;
	/* Arm guests are HVM with HAP; the vPMU is optional, no IOMMU. */
	if ((c->flags & ~XEN_DOMCTL_CDF_vpmu) != required)
		return -EINVAL;
	if (c->iommu_opts)
		return -EINVAL;
	if ((c->grant_opts & ~XEN_DOMCTL_GRANT_version_mask) ||
	    XEN_DOMCTL_GRANT_version(c->grant_opts) != 1)
		return -EINVAL; /* v1 only, as on Xen for Arm */
	if (c->max_vcpus < 1 || c->vmtrace_size)
		return -EINVAL;
	if (c->max_maptrack_frames > MAX_MAPTRACK_FRAMES)
		return -EINVAL;
	ret = arch_domain_config_check(&c->arch, c->max_vcpus);
	if (ret)
		return ret;
	return cpupool_check_new_domain(c->cpupool_id);
}

static long domctl_createdomain(struct xen_domctl *op)
{
	struct xen_domctl_createdomain *c = &op->u.createdomain;
	struct domain_limits limits;
	struct domain *d;
	domid_t domid;
	int ret;

	ret = createdomain_check(c);
	if (ret)
		return ret;
	ret = domid_alloc(op->domain, &domid);
	if (ret)
		return ret;
	arch_domain_config_report(&c->arch);
	limits.max_evtchn_port = c->max_evtchn_port < EVTCHN_2L_MAX_PORT
					 ? c->max_evtchn_port
					 : EVTCHN_2L_MAX_PORT;
	limits.max_grant_frames = c->max_grant_frames;
	ret = domain_create_limits(domid, 0, c->max_vcpus, &c->arch, &limits,
				   &d);
	if (ret)
		return ret;
	cpupool_add_domain(d, c->cpupool_id);
	d->options = c->flags;
	d->ssidref = c->ssidref;
	memcpy(d->handle, c->handle, sizeof(d->handle));
	arch_domain_guest_layout(d);
	/* Born paused: the toolstack's one unpause lets it run. */
	d->controller_pause_count = 1;
	domain_pause_nosync(d);
	op->domain = d->domain_id;
	pr_info("d%u: created (%u vCPUs, %s)\n", d->domain_id, c->max_vcpus,
		arch_domain_irq_model(d));
	return 0;
}

static long domctl_getdomaininfo(struct xen_domctl *op)
{
	struct domain *d = domain_lookup(op->domain);

	/* Xen: an unknown ID means the next domain up (a hidden one is
	 * unknown: see DOMCF_HIDDEN). */
	if (!d || __atomic_load_n(&d->hidden, __ATOMIC_RELAXED)) {
		if (op->domain >= DOMID_FIRST_RESERVED)
			return -EINVAL;
		d = domain_lookup_next_listed(op->domain);
		if (!d)
			return -ESRCH;
	}
	domain_getinfo(d, &op->u.getdomaininfo);
	op->domain = d->domain_id;
	return 0;
}

static long domctl_max_vcpus(struct domain *d, uint32_t max)
{
	long ret = 0;

	if (d == current_domain() || max != d->max_vcpus)
		return -EINVAL;
	domain_pause(d);
	for (unsigned int i = 0; i < max && !ret; i++)
		if (!d->vcpus[i] && !vcpu_create(d, i))
			ret = -ENOMEM;
	domain_unpause(d);
	return ret;
}

/* ---- vCPU state -------------------------------------------------------- */

static struct vcpu *domctl_vcpu(struct domain *d, uint32_t id)
{
	return id < d->max_vcpus ? d->vcpus[id] : NULL;
}

static long domctl_setvcpucontext(struct domain *d,
				  struct xen_domctl_vcpucontext *vc)
{
	struct vcpu_guest_context ctx;
	struct vcpu *v = domctl_vcpu(d, vc->vcpu);

	if (d == current_domain() || !v)
		return -EINVAL;
	if (!vc->ctxt.p) {
		/* A NULL context resets the vCPU: down, registers cleared. */
		domain_pause(d);
		vcpu_pause_flag_set(v, VPF_DOWN);
		arch_vcpu_reset(v, 0, 0);
		v->is_initialised = false;
		domain_unpause(d);
		return 0;
	}
	if (copy_from_guest(&ctx, vc->ctxt.p, sizeof(ctx)))
		return -EFAULT;
	if (!arch_vcpu_context_ok(&ctx))
		return -EINVAL;
	domain_pause(d);
	arch_set_vcpu_context(v, &ctx);
	v->is_initialised = true;
	/* VGCF_online: it runs once the domain is unpaused. */
	if (ctx.flags & VGCF_online)
		vcpu_pause_flag_clear(v, VPF_DOWN);
	else
		vcpu_pause_flag_set(v, VPF_DOWN);
	domain_unpause(d);
	return 0;
}

static long domctl_getvcpucontext(struct domain *d,
				  struct xen_domctl_vcpucontext *vc)
{
	struct vcpu_guest_context ctx;
	struct vcpu *v = domctl_vcpu(d, vc->vcpu);

	/* Orchid pauses whole domains: not the caller's own. */
	if (d == current_domain() || !v)
		return -EINVAL;
	if (!v->is_initialised)
		return -ENODATA;
	memset(&ctx, 0, sizeof(ctx));
	domain_pause(d);
	arch_get_vcpu_context(v, &ctx);
	if (!(v->pause_flags & VPF_DOWN))
		ctx.flags |= VGCF_online;
	domain_unpause(d);
	if (copy_to_guest(vc->ctxt.p, &ctx, sizeof(ctx)))
		return -EFAULT;
	return 0;
}

static long domctl_getvcpuinfo(struct domain *d,
			       struct xen_domctl_getvcpuinfo *vi)
{
	struct vcpu *v;

	if (vi->vcpu >= d->max_vcpus)
		return -EINVAL;
	v = d->vcpus[vi->vcpu];
	if (!v)
		return -ESRCH;
	vi->online = !(v->pause_flags & VPF_DOWN);
	vi->blocked = !!(v->pause_flags & VPF_BLOCKED);
	vi->running = v->is_running;
	vi->cpu_time = vcpu_cpu_time(v, arch_now_ns());
	vi->cpu = v->processor;
	return 0;
}

/*
 * Xen's vcpu_affinity_domctl: a hard map must name a pCPU of the domain's
 * pool; the vCPU moves if its pCPU is no longer allowed (sched.c).
 */
static long domctl_vcpuaffinity(struct domain *d, uint32_t cmd,
				struct xen_domctl_vcpuaffinity *va)
{
	uint8_t online[CPUMAP_BYTES];
	uint8_t map[CPUMAP_BYTES] = {0}, out[CPUMAP_BYTES] = {0};
	bool hard = va->flags & XEN_VCPUAFFINITY_HARD;
	bool soft = va->flags & XEN_VCPUAFFINITY_SOFT;
	struct vcpu *v;
	bool any = false;
	int ret;

	if (va->vcpu >= d->max_vcpus)
		return -EINVAL;
	v = d->vcpus[va->vcpu];
	if (!v)
		return -ESRCH;
	if (!va->flags || (hard && !va->cpumap_hard.bitmap.p) ||
	    (soft && !va->cpumap_soft.bitmap.p))
		return -EINVAL;
	if (cmd == XEN_DOMCTL_getvcpuaffinity) {
		ret = 0;
		if (hard)
			ret = xenctl_bitmap_to_guest(&va->cpumap_hard,
						     v->cpu_hard_affinity,
						     nr_cpu_ids);
		if (!ret && soft)
			ret = xenctl_bitmap_to_guest(&va->cpumap_soft,
						     v->cpu_soft_affinity,
						     nr_cpu_ids);
		return ret;
	}
	sched_domain_cpumap(d, online);
	if (hard) {
		ret = xenctl_bitmap_from_guest(map, &va->cpumap_hard,
					       nr_cpu_ids);
		if (ret)
			return ret;
		for (unsigned int i = 0; i < CPUMAP_BYTES; i++)
			any |= (map[i] & online[i]) != 0;
		if (!any)
			return -EINVAL;
	}
	/* Read the soft map before changing anything: all or nothing. */
	if (soft) {
		ret = xenctl_bitmap_from_guest(out, &va->cpumap_soft,
					       nr_cpu_ids);
		if (ret)
			return ret;
	}
	sched_set_affinity(v, hard ? map : NULL, soft ? out : NULL);
	/* Report what is in effect: hard & pool, soft & hard & pool. */
	for (unsigned int i = 0; i < CPUMAP_BYTES; i++) {
		map[i] = v->cpu_hard_affinity[i] & online[i];
		out[i] = v->cpu_soft_affinity[i] & map[i];
	}
	ret = 0;
	if (hard)
		ret = xenctl_bitmap_to_guest(&va->cpumap_hard, map, nr_cpu_ids);
	if (!ret && soft)
		ret = xenctl_bitmap_to_guest(&va->cpumap_soft, out, nr_cpu_ids);
	return ret;
}

/* One NUMA node: a map must name node 0 (Xen's domain_set_node_affinity). */
static long domctl_nodeaffinity(struct domain *d, uint32_t cmd,
				struct xen_domctl_nodeaffinity *na)
{
	uint8_t map;
	int ret;

	if (cmd == XEN_DOMCTL_getnodeaffinity)
		return xenctl_bitmap_to_guest(&na->nodemap, &d->node_affinity,
					      1);
	ret = xenctl_bitmap_from_guest(&map, &na->nodemap, 1);
	if (ret)
		return ret;
	if (!(map & 1))
		return -EINVAL;
	d->node_affinity = map;
	return 0;
}

/* Xen's sched_adjust: the scheduler of the domain's pool answers. */
static long domctl_scheduler_op(struct domain *d,
				struct xen_domctl_scheduler_op *so)
{
	return sched_dom_cntl(d, so);
}

/* ---- memory ------------------------------------------------------------ */

/* Arm's p2m_cache_flush_range: RAM pages are cleaned, holes skipped. */
static long domctl_cacheflush(struct domain *d,
			      struct xen_domctl_cacheflush *cf)
{
	uint64_t start = cf->start_pfn, nr = cf->nr_pfns;

	if (nr > CACHEFLUSH_MAX_PAGES || start + nr < start ||
	    start + nr > (1ULL << (64 - PAGE_SHIFT)))
		return -EINVAL;
	for (uint64_t pfn = start; pfn < start + nr; pfn++) {
		enum p2m_type t;
		paddr_t pa;

		if (!p2m_lookup(d, ipa_init(pfn << PAGE_SHIFT), &pa, &t) ||
		    !p2m_is_ram(t))
			continue;
		arch_flush_dcache_range(arch_pa_to_va(pa), PAGE_SIZE, true,
					true);
	}
	return 0;
}

static long domctl_set_address_size(struct domain *d, uint32_t size)
{
	/* Orchid runs AArch64 guests only; Xen's switch_mode otherwise. */
	if (size != 64)
		return -EINVAL;
	return domain_mem_tot_pages(d) ? -EBUSY : 0;
}

/*
 * Xen's arch_set_paging_mempool_size. Xen may stop half way with -ERESTART
 * and a continuation; Orchid never preempts a hypercall, so the pool
 * reaches its size (or the host runs out, -ENOMEM) in this one call.
 */
static long domctl_set_paging_mempool(struct domain *d, uint64_t bytes)
{
	if (bytes & ~PAGE_MASK)
		return -EINVAL;
	return page_pool_resize(&d->paging_pool, bytes >> PAGE_SHIFT);
}

/*
 * Xen's arch_do_domctl XEN_DOMCTL_vuart_op, in its order of errors:
 * padding, command, a domain already unpaused once (-EPERM), then the
 * architecture's (arch_vuart_init). The port goes back in @op.
 */
static long domctl_vuart_op(struct domain *d, struct xen_domctl_vuart_op *op)
{
	unsigned int port;
	int ret;

	if (op->pad[0] || op->pad[1])
		return -EINVAL;
	if (op->cmd != XEN_DOMCTL_VUART_OP_INIT)
		return -EINVAL;
	if (d->creation_finished)
		return -EPERM;
	ret = arch_vuart_init(d, op->type, op->gfn, op->console_domid, &port);
	if (!ret)
		op->evtchn = port;
	return ret;
}

/* ---- the hypercall ----------------------------------------------------- */

static const char *domctl_name(uint32_t cmd)
{
	static const struct {
		uint32_t cmd;
		const char *name;
	} names[] = {
		{XEN_DOMCTL_shadow_op, "domctl shadow_op"},
		{XEN_DOMCTL_setdebugging, "domctl setdebugging"},
		{XEN_DOMCTL_ioport_permission, "domctl ioport_permission"},
		{XEN_DOMCTL_get_address_size, "domctl get_address_size"},
		{XEN_DOMCTL_set_target, "domctl set_target"},
		{XEN_DOMCTL_subscribe, "domctl subscribe"},
		{XEN_DOMCTL_set_virq_handler, "domctl set_virq_handler"},
		{XEN_DOMCTL_setvnumainfo, "domctl setvnumainfo"},
		{XEN_DOMCTL_monitor_op, "domctl monitor_op"},
		{XEN_DOMCTL_soft_reset, "domctl soft_reset"},
		{XEN_DOMCTL_vmtrace_op, "domctl vmtrace_op"},
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].cmd == cmd)
			return names[i].name;
	return "domctl";
}

/*
 * The commands on an existing domain @d. *@copyback: copy @op back to the
 * guest. *@killed: @d left the domain list; destroy it once unlocked.
 */
static long domctl_on_domain(struct domain *d, struct xen_domctl *op,
			     bool *copyback, struct domain **killed)
{
	long ret;

	switch (op->cmd) {
	case XEN_DOMCTL_destroydomain:
		ret = domain_kill(d);
		if (!ret)
			*killed = d;
		return ret;
	case XEN_DOMCTL_pausedomain:
		if (d == current_domain())
			return -EINVAL;
		return domain_pause_by_controller(d);
	case XEN_DOMCTL_unpausedomain: return domain_unpause_by_controller(d);
	case XEN_DOMCTL_resumedomain:
		if (d == current_domain())
			return -EINVAL;
		domain_resume(d);
		return 0;
	case XEN_DOMCTL_max_vcpus:
		return domctl_max_vcpus(d, op->u.max_vcpus.max);
	case XEN_DOMCTL_max_mem:
		/* As Xen: a limit below what it has is accepted. */
		return domain_mem_set_max(d, op->u.max_mem.max_memkb >>
						     (PAGE_SHIFT - 10));
	case XEN_DOMCTL_setvcpucontext:
		return domctl_setvcpucontext(d, &op->u.vcpucontext);
	case XEN_DOMCTL_getvcpucontext:
		ret = domctl_getvcpucontext(d, &op->u.vcpucontext);
		*copyback = !ret;
		return ret;
	case XEN_DOMCTL_getvcpuinfo:
		ret = domctl_getvcpuinfo(d, &op->u.getvcpuinfo);
		*copyback = !ret;
		return ret;
	case XEN_DOMCTL_setvcpuaffinity:
	case XEN_DOMCTL_getvcpuaffinity:
		return domctl_vcpuaffinity(d, op->cmd, &op->u.vcpuaffinity);
	case XEN_DOMCTL_setnodeaffinity:
	case XEN_DOMCTL_getnodeaffinity:
		return domctl_nodeaffinity(d, op->cmd, &op->u.nodeaffinity);
	case XEN_DOMCTL_scheduler_op:
		*copyback = true; /* Xen copies back whatever happened */
		return domctl_scheduler_op(d, &op->u.scheduler_op);
	case XEN_DOMCTL_setdomainhandle:
		memcpy(d->handle, op->u.setdomainhandle.handle,
		       sizeof(d->handle));
		return 0;
	case XEN_DOMCTL_irq_permission:
	case XEN_DOMCTL_iomem_permission:
	case XEN_DOMCTL_memory_mapping:
	case XEN_DOMCTL_bind_pt_irq:
	case XEN_DOMCTL_unbind_pt_irq:
		return domctl_passthrough(d, op); /* passthrough.c */
	case XEN_DOMCTL_settimeoffset:
		d->time_offset_seconds =
			op->u.settimeoffset.time_offset_seconds;
		return 0;
	case XEN_DOMCTL_set_address_size:
		return domctl_set_address_size(d, op->u.address_size.size);
	case XEN_DOMCTL_cacheflush:
		return domctl_cacheflush(d, &op->u.cacheflush);
	case XEN_DOMCTL_set_paging_mempool_size:
		return domctl_set_paging_mempool(d, op->u.paging_mempool.size);
	case XEN_DOMCTL_vuart_op:
		ret = domctl_vuart_op(d, &op->u.vuart_op);
		*copyback = !ret;
		return ret;
	case XEN_DOMCTL_get_paging_mempool_size:
		op->u.paging_mempool.size = page_pool_size(&d->paging_pool)
					    << PAGE_SHIFT;
		*copyback = true;
		return 0;
	default: return hypercall_unimplemented(domctl_name(op->cmd), op->cmd);
	}
}

/*
 * An unprivileged caller's errno, in Xen's do_domctl order: the target
 * is looked up (dying ones included) before XSM says no, so a missing
 * one is -ESRCH, e.g. Dom0 asked about by a DomU of a dom0less system.
 */
static long domctl_denied(const struct xen_domctl *op)
{
	switch (op->cmd) {
	case XEN_DOMCTL_createdomain:
	case XEN_DOMCTL_getdomaininfo:
	case XEN_DOMCTL_test_assign_device:
	case XEN_DOMCTL_gdbsx_guestmemio: return -EPERM;
	default: return domain_id_in_use(op->domain) ? -EPERM : -ESRCH;
	}
}

/*
 * Assigning a device-tree device needs an IOMMU to confine its DMA, and
 * QEMU virt has none: Xen 4.17 without one answers -EOPNOTSUPP once the
 * target resolves (assign/deassign to DOMID_IO, and the test with
 * DOMID_INVALID, name no domain), -ESRCH before. xl's `dtdev=` stops in
 * libxl before this (physinfo has no directio capability); passthrough
 * without an IOMMU is the dom0less binding's
 * xen,force-assign-without-iommu and xl's iomem=/irqs=.
 */
static long domctl_device_assignment_locked(const struct xen_domctl *op)
{
	bool test = op->cmd == XEN_DOMCTL_test_assign_device;
	bool no_target =
		test ? op->domain == DOMID_INVALID : op->domain == DOMID_IO;

	if (!no_target && !domain_lookup(op->domain))
		return -ESRCH;
	return -EOPNOTSUPP;
}

long hc_domctl(const uint64_t a[5])
{
	struct xen_domctl op;
	struct domain *d, *killed = NULL;
	bool copyback = false;
	long ret;

	if (copy_from_guest(&op, a[0], sizeof(op)))
		return -EFAULT;
	if (op.interface_version != XEN_DOMCTL_INTERFACE_VERSION)
		return -EACCES;
	if (!current_domain()->is_privileged)
		return domctl_denied(&op);

	toolstack_lock(&domctl_lock);
	switch (op.cmd) {
	case XEN_DOMCTL_createdomain:
		ret = domctl_createdomain(&op);
		copyback = !ret;
		break;
	case XEN_DOMCTL_getdomaininfo:
		ret = domctl_getdomaininfo(&op);
		copyback = !ret;
		break;
	case XEN_DOMCTL_assign_device:
	case XEN_DOMCTL_test_assign_device:
	case XEN_DOMCTL_deassign_device:
		ret = domctl_device_assignment_locked(&op);
		break;
	default:
		d = domain_lookup(op.domain);
		if (d)
			ret = domctl_on_domain(d, &op, &copyback, &killed);
		else if (op.cmd == XEN_DOMCTL_destroydomain)
			ret = domain_claim_dying(op.domain, &killed);
		else
			ret = -ESRCH;
		break;
	}
	spin_unlock(&domctl_lock);

	/*
	 * Teardown waits for other pCPUs: never under the lock. Giving back
	 * a big domain's RAM is preemptible: the same destroydomain is then
	 * re-issued (Xen's "h" continuation) and goes on where it stopped.
	 */
	if (killed && domain_destroy(killed) == -ERESTART)
		return hypercall_create_continuation(1,
						     (const uint64_t[]){a[0]});
	if (copyback && copy_to_guest(a[0], &op, sizeof(op)))
		ret = -EFAULT;
	return ret;
}
