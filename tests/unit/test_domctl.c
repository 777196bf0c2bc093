/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of common/xen/domctl.c over the real common/domain.c: every
 * command libxl uses, with good and bad arguments, issued as Dom0's
 * toolstack would (the xen_domctl in guest memory), and the life cycle
 * libxl drives: createdomain, max_vcpus, max_mem, setvcpucontext,
 * getdomaininfo, unpause, pause, shutdown, destroy. Also the gate both
 * toolstack hypercalls share: interface version, privilege, bad pointers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/hypercall.h>
#include <orchid/hypercalls.h>
#include <orchid/mm.h>
#include <orchid/page_pool.h>
#include <orchid/setup.h>
#include <public/sched.h>

#include <orchid/passthrough.h>

#include "fake_toolstack.h"

/* ==== both hypercalls: the gate ========================================= */

static void test_gate(void **state)
{
	struct xen_domctl op = {.cmd = XEN_DOMCTL_getdomaininfo};
	struct xen_sysctl sop = {.cmd = XEN_SYSCTL_physinfo};
	domid_t domid;

	/* Wrong interface version: -EACCES, nothing written back. */
	op.interface_version = 0x14;
	memcpy(&guest_mem[VA_OP - GVA], &op, sizeof(op));
	assert_int_equal(HC_CALL(hc_domctl, VA_OP), -EACCES);
	sop.interface_version = 0x16;
	memcpy(&guest_mem[VA_OP - GVA], &sop, sizeof(sop));
	assert_int_equal(HC_CALL(hc_sysctl, VA_OP), -EACCES);
	sop = *(struct xen_sysctl *)&guest_mem[VA_OP - GVA];
	assert_int_equal(sop.u.physinfo.nr_cpus, 0);

	/* NULL, unmapped, straddling the end of guest memory: -EFAULT. */
	assert_int_equal(HC_CALL(hc_domctl, 0), -EFAULT);
	assert_int_equal(HC_CALL(hc_sysctl, 0), -EFAULT);
	assert_int_equal(HC_CALL(hc_domctl, 0xdead0000ULL), -EFAULT);
	assert_int_equal(HC_CALL(hc_domctl, VA_END - 8), -EFAULT);
	assert_int_equal(HC_CALL(hc_sysctl, VA_END - 8), -EFAULT);

	/* An unprivileged caller: -EPERM, for both. */
	domid = make_guest(1);
	current = domain_lookup(domid)->vcpus[0];
	assert_int_equal(simple(XEN_DOMCTL_getdomaininfo, 0), -EPERM);
	assert_int_equal(simple(XEN_DOMCTL_pausedomain, domid), -EPERM);
	assert_int_equal(call_sysctl(&sop), -EPERM);
	/*
	 * As Xen's do_domctl: a target that does not exist is -ESRCH before
	 * the permission check (a dom0less DomU asking about an absent
	 * Dom0 sees it), for every command but the domain-less ones.
	 */
	assert_int_equal(simple(XEN_DOMCTL_pausedomain, 77), -ESRCH);
	assert_int_equal(simple(9999, 77), -ESRCH);
	assert_int_equal(simple(XEN_DOMCTL_getdomaininfo, 77), -EPERM);
	assert_int_equal(simple(XEN_DOMCTL_createdomain, 77), -EPERM);
	current = dom0->vcpus[0];

	/* A domain that does not exist: -ESRCH; an unknown command: -ENOSYS. */
	assert_int_equal(simple(XEN_DOMCTL_pausedomain, 77), -ESRCH);
	assert_int_equal(simple(XEN_DOMCTL_destroydomain, DOMID_SELF), -ESRCH);
	assert_int_equal(simple(XEN_DOMCTL_vmtrace_op, domid), -ENOSYS);
	assert_int_equal(rec.unimplemented_cmd, XEN_DOMCTL_vmtrace_op);
	assert_int_equal(simple(9999, domid), -ENOSYS);
	sop = (struct xen_sysctl){.cmd = 9999};
	assert_int_equal(call_sysctl(&sop), -ENOSYS);
	assert_int_equal(rec.unimplemented, 3);
}

/* ==== domctl ============================================================ */

static void test_createdomain(void **state)
{
	struct xen_domctl op = create_op(0, 2);
	struct domain *d;
	domid_t first;

	/* A free ID above 0; the GIC the host has; no DT frequency. */
	assert_int_equal(call_domctl(&op), 0);
	first = op.domain;
	assert_true(first > 0 && first < DOMID_FIRST_RESERVED);
	assert_int_equal(op.u.createdomain.arch.gic_version,
			 XEN_DOMCTL_CONFIG_GIC_V3);
	assert_int_equal(op.u.createdomain.arch.clock_frequency, 0);
	d = domain_lookup(first);
	assert_non_null(d);
	assert_false(d->is_privileged);
	assert_false(d->direct_mapped);
	assert_int_equal(d->max_vcpus, 2);
	assert_int_equal(d->arch.evtchn_irq, GUEST_EVTCHN_PPI);
	assert_int_equal(d->arch.gnttab_base, GUEST_GNTTAB_BASE);
	assert_int_equal(d->arch.gnttab_size, GUEST_GNTTAB_SIZE);
	assert_int_equal(rec.evtchn_max_port, 1023);
	assert_int_equal(rec.gnttab_max_frames, 32);
	assert_int_equal(d->controller_pause_count, 1);
	assert_memory_equal(d->handle, op.u.createdomain.handle, 16);

	/* IDs go on upwards; an ID asked for is given if free. */
	op = create_op(0, 1);
	assert_int_equal(call_domctl(&op), 0);
	assert_int_equal(op.domain, first + 1);
	op = create_op(first + 5, 1);
	op.u.createdomain.arch.gic_version = XEN_DOMCTL_CONFIG_GIC_V2;
	bootinfo.timer.clock_frequency = 62500000;
	assert_int_equal(call_domctl(&op), 0);
	assert_int_equal(op.domain, first + 5);
	assert_int_equal(op.u.createdomain.arch.gic_version,
			 XEN_DOMCTL_CONFIG_GIC_V2);
	assert_int_equal(op.u.createdomain.arch.clock_frequency, 62500000);
	op = create_op(first + 5, 1);
	assert_int_equal(call_domctl(&op), -EEXIST);
	op = create_op(0, 1);
	assert_int_equal(call_domctl(&op), 0);
	assert_int_equal(op.domain, first + 2);
}

/* Case @i of what libxl must not get away with, and Xen's answer. */
static long break_create(unsigned int i, struct xen_domctl_createdomain *c)
{
	switch (i) {
	case 0: c->flags = XEN_DOMCTL_CDF_hvm; return -EINVAL;
	case 1: c->flags = XEN_DOMCTL_CDF_hap; return -EINVAL;
	case 2: c->flags |= XEN_DOMCTL_CDF_iommu; return -EINVAL;
	case 3: c->flags |= 1U << 8; return -EINVAL;
	case 4: c->flags |= XEN_DOMCTL_CDF_xs_domain; return -EINVAL;
	case 5: c->iommu_opts = 1; return -EINVAL;
	case 6: c->grant_opts = 0; return -EINVAL;
	case 7: c->grant_opts = 2; return -EINVAL;
	case 8: c->grant_opts = 0x11; return -EINVAL;
	case 9: c->max_vcpus = 0; return -EINVAL;
	case 10: c->max_vcpus = GUEST_MAX_VCPUS + 1; return -EINVAL;
	case 11:
		c->max_vcpus = 9;
		c->arch.gic_version = XEN_DOMCTL_CONFIG_GIC_V2;
		return -EINVAL;
	case 12: c->arch.gic_version = 3; return -EINVAL;
	case 13: c->arch.tee_type = XEN_DOMCTL_CONFIG_TEE_OPTEE; return -EINVAL;
	case 14: c->arch.nr_spis = 961; return -EINVAL;
	case 15: c->arch.nr_spis = 0xffffffffU; return -EINVAL;
	case 16: c->vmtrace_size = 4096; return -EINVAL;
	case 17: c->max_maptrack_frames = 1025; return -EINVAL;
	case 18: c->cpupool_id = 1; return -ESRCH;
	case 19: c->max_grant_frames = 65; return -EINVAL; /* gnttab's */
	default: return 0;
	}
}

static void test_createdomain_bad(void **state)
{
	domid_t made;
	long want;

	for (unsigned int i = 0;; i++) {
		struct xen_domctl op = create_op(0, 1);

		want = break_create(i, &op.u.createdomain);
		if (!want)
			break;
		assert_int_equal(call_domctl(&op), want);
		assert_int_equal(op.domain, 0); /* nothing copied back */
		assert_null(domain_lookup_next(1));
	}
	/* What a failing createdomain set up is taken down again. */
	assert_int_equal(rec.evtchn_inits, 1);
	assert_int_equal(rec.evtchn_destroys, 1);
	assert_int_equal(rec.gnttab_inits, 1);
	assert_int_equal(rec.arch_domain_destroys, 1);

	/* Reserved IDs mean "pick one", like 0. */
	struct xen_domctl op = create_op(DOMID_SELF, 1);

	assert_int_equal(call_domctl(&op), 0);
	assert_true(op.domain > 0 && op.domain < DOMID_FIRST_RESERVED);
	made = op.domain;

	/* Out of memory at each allocation: -ENOMEM, nothing left behind. */
	for (int budget = 0; budget < 3; budget++) {
		op = create_op(0, 1);
		alloc_budget = budget;
		assert_int_equal(call_domctl(&op), -ENOMEM);
		alloc_budget = -1;
		assert_null(domain_lookup_next(made + 1));
	}
	/* The architecture refusing (say, no VMID left). */
	rec.arch_domain_init_ret = -EBUSY;
	op = create_op(0, 1);
	assert_int_equal(call_domctl(&op), -EBUSY);
	assert_null(domain_lookup_next(made + 1));
	assert_int_equal(rec.arch_domain_destroys, 2);
	rec.arch_domain_init_ret = 0;
}

static void test_max_vcpus(void **state)
{
	struct xen_domctl op = create_op(0, 3);
	struct domain *d;
	domid_t domid;

	assert_int_equal(call_domctl(&op), 0);
	domid = op.domain;
	d = domain_lookup(domid);
	/* getvcpuinfo before the vCPUs exist: -ESRCH. */
	op = (struct xen_domctl){.cmd = XEN_DOMCTL_getvcpuinfo,
				 .domain = domid};
	assert_int_equal(call_domctl(&op), -ESRCH);

	op = (struct xen_domctl){.cmd = XEN_DOMCTL_max_vcpus, .domain = domid};
	op.u.max_vcpus.max = 2;
	assert_int_equal(call_domctl(&op), -EINVAL);
	op.u.max_vcpus.max = 4;
	assert_int_equal(call_domctl(&op), -EINVAL);
	/* Dom0 on itself: -EINVAL (Xen cannot pause it). */
	op.domain = 0;
	op.u.max_vcpus.max = 2;
	assert_int_equal(call_domctl(&op), -EINVAL);

	op.domain = domid;
	op.u.max_vcpus.max = 3;
	alloc_budget = 1; /* one vCPU, then no memory */
	assert_int_equal(call_domctl(&op), -ENOMEM);
	alloc_budget = -1;
	assert_int_equal(call_domctl(&op), 0);
	for (unsigned int i = 0; i < 3; i++) {
		assert_non_null(d->vcpus[i]);
		/* Down, and paused with their domain. */
		assert_int_equal(d->vcpus[i]->pause_flags,
				 VPF_DOWN | VPF_PAUSED);
	}
	/* Again: nothing more to do. */
	assert_int_equal(call_domctl(&op), 0);

	op = (struct xen_domctl){.cmd = XEN_DOMCTL_getvcpuinfo,
				 .domain = domid};
	op.u.getvcpuinfo.vcpu = 3;
	assert_int_equal(call_domctl(&op), -EINVAL);
	op.u.getvcpuinfo.vcpu = 1;
	assert_int_equal(call_domctl(&op), 0);
	assert_int_equal(op.u.getvcpuinfo.online, 0);
	assert_int_equal(op.u.getvcpuinfo.blocked, 0);
	assert_int_equal(op.u.getvcpuinfo.running, 0);
	assert_int_equal(op.u.getvcpuinfo.cpu, 1);
}

static void test_getdomaininfo(void **state)
{
	struct xen_domctl_getdomaininfo info;
	struct xen_domctl op;
	domid_t domid = make_guest(2);

	info = info_of(0);
	assert_int_equal(info.flags & 0xffff,
			 XEN_DOMINF_hvm_guest | XEN_DOMINF_hap);
	assert_int_equal(info.flags >> XEN_DOMINF_shutdownshift, 0xffff);
	assert_int_equal(info.tot_pages, 131072);
	assert_int_equal(info.max_pages, 131072);
	assert_int_equal(info.nr_online_vcpus, 2);
	assert_int_equal(info.max_vcpu_id, 1);
	assert_int_equal(info.gpaddr_bits, 40);
	assert_int_equal(info.cpupool, 0);
	assert_int_equal(info.shared_info_frame,
			 pa_addr(arch_va_to_pa(dom0->shared_info)) >>
				 PAGE_SHIFT);

	/* A new guest: paused, nothing online, its handle. */
	info = info_of(domid);
	assert_int_equal(info.flags & 0xffff, XEN_DOMINF_paused |
						      XEN_DOMINF_hvm_guest |
						      XEN_DOMINF_hap);
	assert_int_equal(info.nr_online_vcpus, 0);
	assert_int_equal(info.max_vcpu_id, 1);
	assert_int_equal(info.handle[0], 0xab);

	/* An unused ID gives the next domain up; none above: -ESRCH. */
	struct domain *d = domain_lookup(domid);
	domid_t gone = domid;

	assert_int_equal(domain_kill(d), 0);
	domain_destroy(d);
	domid = make_guest(1);
	op = (struct xen_domctl){.cmd = XEN_DOMCTL_getdomaininfo,
				 .domain = gone};
	assert_int_equal(call_domctl(&op), 0);
	assert_int_equal(op.domain, domid);
	assert_int_equal(op.u.getdomaininfo.domain, domid);
	op.domain = domid + 1;
	assert_int_equal(call_domctl(&op), -ESRCH);
	op.domain = DOMID_SELF;
	assert_int_equal(call_domctl(&op), -EINVAL);
}

static void test_vcpucontext(void **state)
{
	domid_t domid = make_guest(2);
	struct domain *d = domain_lookup(domid);
	struct vcpu_guest_context ctx = {0};
	struct xen_domctl op;
	uint64_t bad_psr[] = {
		0x09,		     /* EL2h */
		0x0d,		     /* EL3h */
		0x10,		     /* AArch32 user */
		0x13,		     /* AArch32 SVC */
		0x05 | (1ULL << 20), /* IL */
		0x05 | (1ULL << 21), /* SS */
		0x05 | (1ULL << 32), /* RES0 */
		0x06,		     /* reserved mode */
	};

	/* Before any context: -ENODATA. */
	op = (struct xen_domctl){.cmd = XEN_DOMCTL_getvcpucontext,
				 .domain = domid};
	op.u.vcpucontext.ctxt.p = VA_BUF;
	assert_int_equal(call_domctl(&op), -ENODATA);

	/* What libxl's vcpu_arm64 sends. */
	ctx.flags = VGCF_online;
	ctx.user_regs.pc64 = 0x40200000;
	ctx.user_regs.x[0] = 0x48000000;
	ctx.user_regs.cpsr = PSR_GUEST64_INIT;
	ctx.sctlr = 0x00c50078;
	memcpy(&guest_mem[VA_BUF - GVA], &ctx, sizeof(ctx));
	op = (struct xen_domctl){.cmd = XEN_DOMCTL_setvcpucontext,
				 .domain = domid};
	op.u.vcpucontext.vcpu = 2;
	op.u.vcpucontext.ctxt.p = VA_BUF;
	assert_int_equal(call_domctl(&op), -EINVAL);
	op.u.vcpucontext.vcpu = 0;
	op.u.vcpucontext.ctxt.p = VA_END - 8;
	assert_int_equal(call_domctl(&op), -EFAULT);
	for (unsigned int i = 0; i < ARRAY_SIZE(bad_psr); i++) {
		struct vcpu_guest_context bad = ctx;

		bad.user_regs.cpsr = bad_psr[i];
		memcpy(&guest_mem[VA_BUF - GVA], &bad, sizeof(bad));
		op.u.vcpucontext.ctxt.p = VA_BUF;
		assert_int_equal(call_domctl(&op), -EINVAL);
		bad = ctx;
		bad.user_regs.spsr_el1 = bad_psr[i];
		memcpy(&guest_mem[VA_BUF - GVA], &bad, sizeof(bad));
		assert_int_equal(call_domctl(&op), -EINVAL);
	}
	assert_int_equal(rec.set_ctx, 0);
	/* Dom0's own vCPUs: -EINVAL. */
	op.domain = 0;
	assert_int_equal(call_domctl(&op), -EINVAL);

	op.domain = domid;
	memcpy(&guest_mem[VA_BUF - GVA], &ctx, sizeof(ctx));
	assert_int_equal(call_domctl(&op), 0);
	assert_int_equal(rec.set_ctx, 1);
	assert_int_equal(d->vcpus[0]->arch.pc, 0x40200000);
	/* Online, but the domain is still paused. */
	assert_int_equal(d->vcpus[0]->pause_flags, VPF_PAUSED);
	assert_int_equal(d->pause_count, 1);
	assert_int_equal(info_of(domid).nr_online_vcpus, 1);

	/* Read back, with VGCF_online. */
	memset(&guest_mem[VA_BUF - GVA], 0xff, sizeof(ctx));
	op = (struct xen_domctl){.cmd = XEN_DOMCTL_getvcpucontext,
				 .domain = domid};
	op.u.vcpucontext.ctxt.p = VA_BUF;
	assert_int_equal(call_domctl(&op), 0);
	memcpy(&ctx, &guest_mem[VA_BUF - GVA], sizeof(ctx));
	assert_int_equal(ctx.flags, VGCF_online);
	assert_int_equal(ctx.user_regs.pc64, 0x40200000);
	assert_int_equal(ctx.user_regs.x[1], 0);
	op.u.vcpucontext.ctxt.p = 0;
	assert_int_equal(call_domctl(&op), -EFAULT);
	op.u.vcpucontext.vcpu = 5;
	assert_int_equal(call_domctl(&op), -EINVAL);

	/* Without VGCF_online the vCPU is down; a NULL context resets it. */
	ctx.flags = 0;
	memcpy(&guest_mem[VA_BUF - GVA], &ctx, sizeof(ctx));
	op = (struct xen_domctl){.cmd = XEN_DOMCTL_setvcpucontext,
				 .domain = domid};
	op.u.vcpucontext.vcpu = 1;
	op.u.vcpucontext.ctxt.p = VA_BUF;
	assert_int_equal(call_domctl(&op), 0);
	assert_true(d->vcpus[1]->pause_flags & VPF_DOWN);
	op.u.vcpucontext.vcpu = 0;
	op.u.vcpucontext.ctxt.p = 0;
	assert_int_equal(call_domctl(&op), 0);
	assert_true(d->vcpus[0]->pause_flags & VPF_DOWN);
	assert_false(d->vcpus[0]->is_initialised);
	assert_int_equal(d->vcpus[0]->arch.pc, 0);
}

static void test_pause_unpause(void **state)
{
	domid_t domid = make_guest(2);
	struct domain *d = domain_lookup(domid);
	struct vcpu_guest_context ctx = {.flags = VGCF_online};
	struct xen_domctl op = {.cmd = XEN_DOMCTL_setvcpucontext,
				.domain = domid};

	ctx.user_regs.cpsr = PSR_GUEST64_INIT;
	memcpy(&guest_mem[VA_BUF - GVA], &ctx, sizeof(ctx));
	op.u.vcpucontext.ctxt.p = VA_BUF;
	assert_int_equal(call_domctl(&op), 0);

	/* The toolstack's one unpause lets it run: creation is finished. */
	assert_false(d->creation_finished);
	assert_int_equal(simple(XEN_DOMCTL_unpausedomain, domid), 0);
	assert_true(d->creation_finished);
	assert_int_equal(d->vcpus[0]->pause_flags, 0);
	assert_int_equal(d->vcpus[1]->pause_flags, VPF_DOWN);
	assert_false(info_of(domid).flags & XEN_DOMINF_paused);
	assert_int_equal(simple(XEN_DOMCTL_unpausedomain, domid), -EINVAL);

	/* Counted: two pauses need two unpauses. */
	assert_int_equal(simple(XEN_DOMCTL_pausedomain, domid), 0);
	assert_int_equal(simple(XEN_DOMCTL_pausedomain, domid), 0);
	assert_true(info_of(domid).flags & XEN_DOMINF_paused);
	assert_int_equal(simple(XEN_DOMCTL_unpausedomain, domid), 0);
	assert_true(d->vcpus[0]->pause_flags & VPF_PAUSED);
	assert_int_equal(simple(XEN_DOMCTL_unpausedomain, domid), 0);
	assert_int_equal(d->vcpus[0]->pause_flags, 0);

	/* At most 255 toolstack pauses. */
	for (unsigned int i = 0; i < 255; i++)
		assert_int_equal(simple(XEN_DOMCTL_pausedomain, domid), 0);
	assert_int_equal(simple(XEN_DOMCTL_pausedomain, domid), -EOVERFLOW);
	for (unsigned int i = 0; i < 255; i++)
		assert_int_equal(simple(XEN_DOMCTL_unpausedomain, domid), 0);
	assert_int_equal(d->pause_count, 0);

	/* Dom0 cannot pause itself. */
	assert_int_equal(simple(XEN_DOMCTL_pausedomain, 0), -EINVAL);
	assert_int_equal(simple(XEN_DOMCTL_unpausedomain, 0), -EINVAL);
}

static void test_shutdown(void **state)
{
	domid_t domid = make_guest(1);
	struct domain *d = domain_lookup(domid);
	struct xen_domctl_getdomaininfo info;

	assert_int_equal(simple(XEN_DOMCTL_unpausedomain, domid), 0);
	/* SCHEDOP_shutdown_code first: that code wins over a later crash. */
	domain_shutdown(d, SHUTDOWN_poweroff);
	assert_int_equal(rec.global_virqs, 1);
	assert_ptr_equal(rec.virq_d, dom0);
	assert_int_equal(rec.virq, VIRQ_DOM_EXC);
	info = info_of(domid);
	assert_true(info.flags & XEN_DOMINF_shutdown);
	assert_false(info.flags & XEN_DOMINF_paused); /* not the toolstack's */
	assert_int_equal(info.flags >> XEN_DOMINF_shutdownshift,
			 SHUTDOWN_poweroff);
	assert_true(d->vcpus[0]->pause_flags & VPF_PAUSED);
	domain_crash(d, "test");
	assert_int_equal(info_of(domid).flags >> XEN_DOMINF_shutdownshift,
			 SHUTDOWN_poweroff);
	assert_int_equal(rec.global_virqs, 1);
	/* The toolstack's pause and unpause leave the shutdown pause alone. */
	assert_int_equal(simple(XEN_DOMCTL_pausedomain, domid), 0);
	assert_int_equal(simple(XEN_DOMCTL_unpausedomain, domid), 0);
	assert_true(d->vcpus[0]->pause_flags & VPF_PAUSED);

	/* resumedomain undoes it (after a suspend). */
	assert_int_equal(simple(XEN_DOMCTL_resumedomain, domid), 0);
	info = info_of(domid);
	assert_false(info.flags & XEN_DOMINF_shutdown);
	assert_int_equal(d->vcpus[0]->pause_flags, VPF_DOWN);
	assert_int_equal(simple(XEN_DOMCTL_resumedomain, 0), -EINVAL);

	/* A preset code wins. */
	d->shutdown_code = SHUTDOWN_suspend;
	domain_crash(d, "test");
	assert_int_equal(info_of(domid).flags >> XEN_DOMINF_shutdownshift,
			 SHUTDOWN_suspend);
}

static void test_destroy(void **state)
{
	domid_t domid = make_guest(2);
	struct domain *d = domain_lookup(domid);

	d->tot_pages = 100;
	assert_int_equal(simple(XEN_DOMCTL_pausedomain, domid), 0);
	memset(&rec, 0, sizeof(rec));
	assert_int_equal(simple(XEN_DOMCTL_destroydomain, domid), 0);
	assert_null(domain_lookup(domid));
	assert_int_equal(rec.quiesces, 1);
	assert_int_equal(rec.evtchn_destroys, 1);
	assert_int_equal(rec.gnttab_destroys, 1);
	assert_int_equal(rec.mem_releases, 1);
	assert_int_equal(rec.arch_vcpu_destroys, 2);
	assert_int_equal(rec.vcpu_info_releases, 2);
	assert_int_equal(rec.arch_domain_destroys, 1);
	assert_int_equal(rec.global_virqs, 1);
	assert_ptr_equal(rec.virq_d, dom0);
	assert_int_equal(rec.virq, VIRQ_DOM_EXC);
	/* Gone: a second destroy, or anything else, is -ESRCH. */
	assert_int_equal(simple(XEN_DOMCTL_destroydomain, domid), -ESRCH);
	assert_int_equal(simple(XEN_DOMCTL_unpausedomain, domid), -ESRCH);
	/* Not Dom0 itself. */
	assert_int_equal(simple(XEN_DOMCTL_destroydomain, 0), -EINVAL);
	assert_non_null(domain_lookup(0));
	/* IDs are not reused at once (Xen's rover). */
	assert_int_equal(make_guest(1), domid + 1);
}

/*
 * Guest-safety item 5: while a killed domain is torn down (on another
 * pCPU, after the domctl lock is dropped), its ID must stay taken, or a
 * new domain with that ID would own pages the teardown then frees.
 */
static void test_domid_reserved_while_dying(void **state)
{
	domid_t domid = make_guest(1);
	struct domain *d = domain_lookup(domid);
	struct xen_domctl op = create_op(domid, 1);

	assert_int_equal(domain_kill(d), 0);
	assert_null(domain_lookup(domid));
	assert_int_equal(call_domctl(&op), -EEXIST);
	/* Automatic IDs skip it too. */
	op = create_op(0, 1);
	assert_int_equal(call_domctl(&op), 0);
	assert_int_not_equal(op.domain, domid);
	domain_destroy(d);
	op = create_op(domid, 1);
	assert_int_equal(call_domctl(&op), 0);
	assert_int_equal(op.domain, domid);
}

static struct vcpu *racer;
static int racer_rc;

/* A second PSCI CPU_ON of the same vCPU, while the first resets it. */
static void start_again(struct vcpu *v)
{
	fake_vcpu_reset_hook = NULL;
	racer = v;
	racer_rc = vcpu_start(v, 0xbad000, 0);
}

/* Guest-safety item 6: racing starts never reset a started vCPU. */
static void test_vcpu_start_race(void **state)
{
	domid_t domid = make_guest(2);
	struct vcpu *v = domain_lookup(domid)->vcpus[1];

	fake_vcpu_reset_hook = start_again;
	assert_int_equal(vcpu_start(v, 0x40080000, 0), 0);
	assert_ptr_equal(racer, v);
	assert_int_equal(racer_rc, -EBUSY);
	assert_int_equal(v->arch.pc, 0x40080000);
	assert_int_equal(rec.resets, 1);
	assert_false(v->pause_flags & VPF_DOWN);
	/* Started: a later start is refused without a reset. */
	assert_int_equal(vcpu_start(v, 0xbad000, 0), -EBUSY);
	assert_int_equal(rec.resets, 1);
}

/*
 * Giving back a big domain's RAM stops for pending work: destroydomain
 * leaves a continuation (the same argument: Xen's "h"), the domain is
 * found by nobody but keeps its ID, a second destroyer meanwhile takes
 * over, and the end is the same as one long call.
 */
static void test_destroy_preempted(void **state)
{
	domid_t domid = make_guest(2);
	struct domain *d = domain_lookup(domid);
	struct xen_domctl op;

	d->tot_pages = 100;
	memset(&rec, 0, sizeof(rec));
	rec.mem_restarts = 2;
	hypercall_begin();
	assert_int_equal(simple(XEN_DOMCTL_destroydomain, domid), (long)VA_OP);
	assert_true(hypercall_preempted(current));
	assert_int_equal(current->hcall.args[0], (long)VA_OP);
	assert_int_equal(current->hcall.nargs, 1);
	assert_null(domain_lookup(domid));
	assert_int_equal(rec.quiesces, 1);
	assert_int_equal(rec.mem_releases, 1);
	assert_int_equal(rec.arch_domain_destroys, 0);
	/* Its ID stays taken; other commands do not find it. */
	op = create_op(domid, 1);
	assert_int_equal(call_domctl(&op), -EEXIST);
	assert_int_equal(simple(XEN_DOMCTL_pausedomain, domid), -ESRCH);
	assert_int_equal(make_guest(1), domid + 1);

	/* Re-issued: goes on, stops again, then ends. */
	hypercall_begin();
	assert_int_equal(simple(XEN_DOMCTL_destroydomain, domid), (long)VA_OP);
	assert_true(hypercall_preempted(current));
	hypercall_begin();
	assert_int_equal(simple(XEN_DOMCTL_destroydomain, domid), 0);
	assert_false(hypercall_preempted(current));
	assert_int_equal(rec.quiesces, 1); /* each step once */
	assert_int_equal(rec.mem_releases, 1);
	assert_int_equal(rec.evtchn_destroys, 1);
	assert_int_equal(rec.gnttab_destroys, 1);
	assert_int_equal(rec.arch_vcpu_destroys, 2);
	assert_int_equal(rec.arch_domain_destroys, 1);
	assert_int_equal(rec.global_virqs, 1);
	assert_int_equal(simple(XEN_DOMCTL_destroydomain, domid), -ESRCH);
	/* The ID is free again. */
	op = create_op(domid, 1);
	assert_int_equal(call_domctl(&op), 0);
}

/*
 * Dropping a dying domain's grant mappings (up to 2^17 of them) stops for
 * pending work too, before its RAM is given back, and goes on where it
 * stopped.
 */
static void test_destroy_preempted_in_grants(void **state)
{
	domid_t domid = make_guest(1);

	memset(&rec, 0, sizeof(rec));
	rec.grant_restarts = 1;
	rec.mem_restarts = 1;
	hypercall_begin();
	assert_int_equal(simple(XEN_DOMCTL_destroydomain, domid), (long)VA_OP);
	assert_true(hypercall_preempted(current));
	assert_int_equal(rec.grant_releases, 1);
	assert_int_equal(rec.mem_releases, 1);
	/* Grants first: RAM is not given back while mappings remain. */
	hypercall_begin();
	assert_int_equal(simple(XEN_DOMCTL_destroydomain, domid), (long)VA_OP);
	assert_int_equal(rec.grant_releases, 2);
	assert_int_equal(rec.mem_restarts, 0);
	hypercall_begin();
	assert_int_equal(simple(XEN_DOMCTL_destroydomain, domid), 0);
	assert_int_equal(rec.grant_releases, 2);
	assert_int_equal(rec.arch_domain_destroys, 1);
	assert_int_equal(simple(XEN_DOMCTL_destroydomain, domid), -ESRCH);
}

static void test_sequence(void **state)
{
	/* What `xl create` then `xl destroy` do, in libxl's order. */
	struct xen_domctl op = create_op(0, 1);
	struct vcpu_guest_context ctx = {.flags = VGCF_online};
	struct xen_domctl_getdomaininfo info;
	domid_t domid;

	assert_int_equal(call_domctl(&op), 0);
	domid = op.domain;
	op = (struct xen_domctl){.cmd = XEN_DOMCTL_max_vcpus, .domain = domid};
	op.u.max_vcpus.max = 1;
	assert_int_equal(call_domctl(&op), 0);
	op = (struct xen_domctl){.cmd = XEN_DOMCTL_max_mem, .domain = domid};
	op.u.max_mem.max_memkb = 128 * 1024 + 1024;
	assert_int_equal(call_domctl(&op), 0);
	assert_int_equal(rec.max_pages, (128 * 1024 + 1024) / 4);
	op = (struct xen_domctl){.cmd = XEN_DOMCTL_set_paging_mempool_size,
				 .domain = domid};
	op.u.paging_mempool.size = 2 << 20;
	assert_int_equal(call_domctl(&op), 0);
	op = (struct xen_domctl){.cmd = XEN_DOMCTL_set_address_size,
				 .domain = domid};
	op.u.address_size.size = 64;
	assert_int_equal(call_domctl(&op), 0);
	domain_lookup(domid)->tot_pages = 32768; /* populate_physmap */
	op = (struct xen_domctl){.cmd = XEN_DOMCTL_cacheflush, .domain = domid};
	op.u.cacheflush.start_pfn = 0x40000;
	op.u.cacheflush.nr_pfns = 3;
	assert_int_equal(call_domctl(&op), 0);
	assert_int_equal(rec.flushes, 2);
	info = info_of(domid);
	assert_int_equal(info.tot_pages, 32768);
	assert_int_equal(info.max_pages, (128 * 1024 + 1024) / 4);
	ctx.user_regs.cpsr = PSR_GUEST64_INIT;
	ctx.user_regs.pc64 = 0x40000000;
	memcpy(&guest_mem[VA_BUF - GVA], &ctx, sizeof(ctx));
	op = (struct xen_domctl){.cmd = XEN_DOMCTL_setvcpucontext,
				 .domain = domid};
	op.u.vcpucontext.ctxt.p = VA_BUF;
	assert_int_equal(call_domctl(&op), 0);
	op = (struct xen_domctl){.cmd = XEN_DOMCTL_scheduler_op,
				 .domain = domid};
	op.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT2;
	op.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_putinfo;
	op.u.scheduler_op.u.credit2.weight = 256;
	assert_int_equal(call_domctl(&op), 0);
	assert_int_equal(simple(XEN_DOMCTL_unpausedomain, domid), 0);
	info = info_of(domid);
	assert_int_equal(info.flags & 0xffff,
			 XEN_DOMINF_hvm_guest | XEN_DOMINF_hap);
	assert_int_equal(info.nr_online_vcpus, 1);

	/* The guest powers off; xl pauses and destroys it. */
	domain_shutdown(domain_lookup(domid), SHUTDOWN_poweroff);
	assert_true(info_of(domid).flags & XEN_DOMINF_shutdown);
	assert_int_equal(simple(XEN_DOMCTL_pausedomain, domid), 0);
	assert_int_equal(simple(XEN_DOMCTL_destroydomain, domid), 0);
	assert_null(domain_lookup(domid));
	assert_int_equal(rec.mem_releases, 1);
}

/* XEN_DOMCTL_{get,set}_paging_mempool_size on a guest. */
static long pool_op(uint32_t cmd, domid_t domid, uint64_t *size)
{
	struct xen_domctl op = {.cmd = cmd, .domain = domid};
	long ret;

	op.u.paging_mempool.size = *size;
	ret = call_domctl(&op);
	*size = op.u.paging_mempool.size;
	return ret;
}

static uint64_t pool_get(domid_t domid)
{
	uint64_t size = ~0ULL;

	assert_int_equal(
		pool_op(XEN_DOMCTL_get_paging_mempool_size, domid, &size), 0);
	return size;
}

static long pool_set(domid_t domid, uint64_t size)
{
	return pool_op(XEN_DOMCTL_set_paging_mempool_size, domid, &size);
}

/*
 * The stage-2 table pool is real memory: its pages leave the host when it
 * grows and come back when it shrinks or its domain goes, and a guest's
 * pool starts at Xen's default of 16 pages until libxl sizes it.
 */
static void test_paging_pool_size(void **state)
{
	int64_t before = fake_live_pages;
	domid_t domid = make_guest(1);
	int64_t made = fake_live_pages;

	assert_int_equal(pool_get(domid), 16 * PAGE_SIZE);
	/* libxl's size for a 128 MiB guest with one vCPU: 2 MiB. */
	assert_int_equal(pool_set(domid, 2 << 20), 0);
	assert_int_equal(pool_get(domid), 2 << 20);
	assert_int_equal(fake_live_pages, made + 512 - 16);
	/* Xen's errnos: not page-aligned is -EINVAL and changes nothing. */
	assert_int_equal(pool_set(domid, (2 << 20) + 1), -EINVAL);
	assert_int_equal(pool_set(domid, 4095), -EINVAL);
	assert_int_equal(pool_get(domid), 2 << 20);
	/* The host running out: -ENOMEM, and the pool keeps what it got. */
	alloc_budget = 3;
	assert_int_equal(pool_set(domid, 4 << 20), -ENOMEM);
	alloc_budget = -1;
	assert_int_equal(pool_get(domid), (2 << 20) + 3 * PAGE_SIZE);
	/* Shrinking gives the pages back. */
	assert_int_equal(pool_set(domid, 2 * PAGE_SIZE), 0);
	assert_int_equal(pool_get(domid), 2 * PAGE_SIZE);
	assert_int_equal(fake_live_pages, made + 2 - 16);
	/* Destruction returns every pool page. */
	assert_int_equal(simple(XEN_DOMCTL_destroydomain, domid), 0);
	assert_int_equal(fake_live_pages, before);

	/* No memory for the first 16: creation fails and leaks nothing. */
	for (int budget = 3; budget < 3 + 16; budget += 4) {
		struct xen_domctl op = create_op(0, 1);

		alloc_budget = budget;
		assert_int_equal(call_domctl(&op), -ENOMEM);
		alloc_budget = -1;
		assert_int_equal(fake_live_pages, before);
	}
}

/*
 * Shrinking below what the stage 2 holds behaves as Xen's
 * p2m_set_allocation: every free page goes, the rest stays, -ENOMEM. An
 * empty pool hands out nothing, except the hardware domain's, which falls
 * back to the page allocator as Xen's p2m_alloc_page does for it.
 */
static void test_paging_pool_in_use(void **state)
{
	domid_t domid = make_guest(1);
	struct domain *d = domain_lookup(domid);
	void *tables[3];
	int64_t live;

	for (unsigned int i = 0; i < 3; i++)
		tables[i] = page_pool_alloc(&d->paging_pool);
	assert_int_equal(page_pool_in_use(&d->paging_pool), 3);
	assert_int_equal(pool_set(domid, 0), -ENOMEM);
	assert_int_equal(pool_get(domid), 3 * PAGE_SIZE);
	assert_null(page_pool_alloc(&d->paging_pool));
	for (unsigned int i = 0; i < 3; i++)
		page_pool_free(&d->paging_pool, tables[i]);
	assert_int_equal(pool_set(domid, 0), 0);
	assert_int_equal(pool_get(domid), 0);

	assert_int_equal(pool_set(0, 0), 0);
	live = fake_live_pages;
	tables[0] = page_pool_alloc(&dom0->paging_pool);
	assert_non_null(tables[0]);
	assert_int_equal(fake_live_pages, live + 1);
	page_pool_free(&dom0->paging_pool, tables[0]);
	assert_int_equal(fake_live_pages, live);
	assert_int_equal(pool_get(0), 0);
}

static void test_misc_domctls(void **state)
{
	domid_t domid = make_guest(2);
	struct domain *d = domain_lookup(domid);
	struct xen_domctl op;

	/* max_mem, address size, paging pool. */
	op = (struct xen_domctl){.cmd = XEN_DOMCTL_max_mem, .domain = domid};
	op.u.max_mem.max_memkb = ~0ULL;
	assert_int_equal(call_domctl(&op), 0);
	assert_int_equal(rec.max_pages, ~0ULL >> 2);
	op = (struct xen_domctl){.cmd = XEN_DOMCTL_set_address_size,
				 .domain = domid};
	op.u.address_size.size = 32;
	assert_int_equal(call_domctl(&op), -EINVAL);
	op.u.address_size.size = 48;
	assert_int_equal(call_domctl(&op), -EINVAL);
	d->tot_pages = 1;
	op.u.address_size.size = 64;
	assert_int_equal(call_domctl(&op), -EBUSY);
	d->tot_pages = 0;
	op = (struct xen_domctl){.cmd = XEN_DOMCTL_set_paging_mempool_size,
				 .domain = domid};
	op.u.paging_mempool.size = 4097;
	assert_int_equal(call_domctl(&op), -EINVAL);
	op.u.paging_mempool.size = 8192;
	assert_int_equal(call_domctl(&op), 0);
	op = (struct xen_domctl){.cmd = XEN_DOMCTL_get_paging_mempool_size,
				 .domain = domid};
	assert_int_equal(call_domctl(&op), 0);
	assert_int_equal(op.u.paging_mempool.size, 8192);

	/* Handle and time offset. */
	op = (struct xen_domctl){.cmd = XEN_DOMCTL_setdomainhandle,
				 .domain = domid};
	memset(op.u.setdomainhandle.handle, 0x5a, 16);
	assert_int_equal(call_domctl(&op), 0);
	assert_int_equal(info_of(domid).handle[15], 0x5a);
	op = (struct xen_domctl){.cmd = XEN_DOMCTL_settimeoffset,
				 .domain = domid};
	op.u.settimeoffset.time_offset_seconds = -3600;
	assert_int_equal(call_domctl(&op), 0);
	assert_int_equal(d->time_offset_seconds, -3600);

	/* cacheflush: too many pages, or wrapping. */
	op = (struct xen_domctl){.cmd = XEN_DOMCTL_cacheflush, .domain = domid};
	op.u.cacheflush.nr_pfns = (1ULL << 18) + 1;
	assert_int_equal(call_domctl(&op), -EINVAL);
	op.u.cacheflush.start_pfn = ~0ULL;
	op.u.cacheflush.nr_pfns = 2;
	assert_int_equal(call_domctl(&op), -EINVAL);
	op.u.cacheflush.start_pfn = 1ULL << 52;
	op.u.cacheflush.nr_pfns = 1;
	assert_int_equal(call_domctl(&op), -EINVAL);
	op.u.cacheflush.start_pfn = 0;
	op.u.cacheflush.nr_pfns = 16;
	assert_int_equal(call_domctl(&op), 0);
	assert_int_equal(rec.flushes, 0);

	/* irq and iomem permissions, of what Dom0 holds itself. */
	assert_int_equal(irq_permit(dom0, 40, true), 0);
	assert_int_equal(iomem_permit(dom0, 0x9000, 2, true), 0);
	op = (struct xen_domctl){.cmd = XEN_DOMCTL_irq_permission,
				 .domain = domid};
	op.u.irq_permission.pirq = 40;
	op.u.irq_permission.allow_access = 1;
	assert_int_equal(call_domctl(&op), 0);
	assert_true(d->irq_caps[1] & (1U << 8));
	op.u.irq_permission.allow_access = 0;
	assert_int_equal(call_domctl(&op), 0);
	assert_false(d->irq_caps[1] & (1U << 8));
	op.u.irq_permission.pirq = 1020;
	assert_int_equal(call_domctl(&op), -EINVAL);
	op = (struct xen_domctl){.cmd = XEN_DOMCTL_iomem_permission,
				 .domain = domid};
	op.u.iomem_permission.first_mfn = 0x9000;
	op.u.iomem_permission.nr_mfns = 2;
	op.u.iomem_permission.allow_access = 1;
	assert_int_equal(call_domctl(&op), 0);
	assert_true(
		range_set_overlaps(d->iomem_caps, pa_init(0x9001000), 0x1000));
	op.u.iomem_permission.allow_access = 0;
	op.u.iomem_permission.nr_mfns = 1;
	assert_int_equal(call_domctl(&op), 0);
	assert_false(
		range_set_overlaps(d->iomem_caps, pa_init(0x9000000), 0x1000));
	assert_true(
		range_set_overlaps(d->iomem_caps, pa_init(0x9001000), 0x1000));
	op.u.iomem_permission.nr_mfns = 0;
	assert_int_equal(call_domctl(&op), -EINVAL);
	op.u.iomem_permission.first_mfn = ~0ULL;
	op.u.iomem_permission.nr_mfns = 2;
	assert_int_equal(call_domctl(&op), -EINVAL);
	/* Xen: no wrap, so the caller's rights decide: it has none there. */
	op.u.iomem_permission.first_mfn = 1ULL << 52;
	op.u.iomem_permission.nr_mfns = 1;
	assert_int_equal(call_domctl(&op), -EPERM);
}

static void test_scheduler_op(void **state)
{
	domid_t domid = make_guest(2);
	struct xen_domctl op = {.cmd = XEN_DOMCTL_scheduler_op,
				.domain = domid};

	op.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT2;
	op.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_getinfo;
	assert_int_equal(call_domctl(&op), 0);
	assert_int_equal(op.u.scheduler_op.u.credit2.weight, 256);
	assert_int_equal(op.u.scheduler_op.u.credit2.cap, 0);

	op.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_putinfo;
	op.u.scheduler_op.u.credit2.weight = 512;
	op.u.scheduler_op.u.credit2.cap = 150;
	assert_int_equal(call_domctl(&op), 0);
	op.u.scheduler_op.u.credit2.weight = 0; /* unchanged */
	op.u.scheduler_op.u.credit2.cap = 201;	/* > 100% of 2 vCPUs */
	assert_int_equal(call_domctl(&op), -EINVAL);
	op.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_getinfo;
	assert_int_equal(call_domctl(&op), 0);
	assert_int_equal(op.u.scheduler_op.u.credit2.weight, 512);
	assert_int_equal(op.u.scheduler_op.u.credit2.cap, 150);

	op.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_getvcpuinfo;
	assert_int_equal(call_domctl(&op), -EINVAL);
	op.u.scheduler_op.cmd = 9;
	assert_int_equal(call_domctl(&op), -EINVAL);
	op.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_getinfo;
	op.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT;
	assert_int_equal(call_domctl(&op), -EINVAL);
}

static void test_affinity(void **state)
{
	domid_t domid = make_guest(2);
	struct domain *d = domain_lookup(domid);
	struct xen_domctl op;
	uint8_t *hard = &guest_mem[VA_BUF - GVA], *soft = hard + 16;

	/* Defaults: everything. */
	op = (struct xen_domctl){.cmd = XEN_DOMCTL_getvcpuaffinity,
				 .domain = domid};
	op.u.vcpuaffinity.vcpu = 1;
	op.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT;
	op.u.vcpuaffinity.cpumap_hard = (struct xenctl_bitmap){{VA_BUF}, 16};
	op.u.vcpuaffinity.cpumap_soft =
		(struct xenctl_bitmap){{VA_BUF + 16}, 16};
	memset(hard, 0x55, 32);
	assert_int_equal(call_domctl(&op), 0);
	/* nr_cpu_ids is 2: one byte of ours, the guest's second byte zeroed. */
	assert_int_equal(hard[0], 0xff);
	assert_int_equal(hard[1], 0);
	assert_int_equal(soft[0], 0xff);

	/* Set hard {1}, soft {0,1,5}: effective soft is {1}. */
	hard[0] = 0x02;
	soft[0] = 0x23;
	op.cmd = XEN_DOMCTL_setvcpuaffinity;
	assert_int_equal(call_domctl(&op), 0);
	assert_int_equal(hard[0], 0x02);
	assert_int_equal(soft[0], 0x02);
	assert_int_equal(d->vcpus[1]->cpu_hard_affinity[0], 0x02);
	assert_int_equal(d->vcpus[1]->cpu_soft_affinity[0], 0x03);

	/* A hard map without an online pCPU: -EINVAL, nothing changed. */
	hard[0] = 0x04;
	soft[0] = 0x01;
	assert_int_equal(call_domctl(&op), -EINVAL);
	assert_int_equal(d->vcpus[1]->cpu_hard_affinity[0], 0x02);
	assert_int_equal(d->vcpus[1]->cpu_soft_affinity[0], 0x03);
	/* nr_bits 1 keeps only pCPU 0 of 0xfe: nothing online left. */
	hard[0] = 0xfe;
	op.u.vcpuaffinity.cpumap_hard.nr_bits = 1;
	assert_int_equal(call_domctl(&op), -EINVAL);
	op.u.vcpuaffinity.cpumap_hard.nr_bits = 16;

	op.u.vcpuaffinity.flags = 0;
	assert_int_equal(call_domctl(&op), -EINVAL);
	op.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_HARD;
	op.u.vcpuaffinity.cpumap_hard.bitmap.p = 0;
	assert_int_equal(call_domctl(&op), -EINVAL);
	op.u.vcpuaffinity.cpumap_hard.bitmap.p = VA_END;
	assert_int_equal(call_domctl(&op), -EFAULT);
	op.u.vcpuaffinity.cpumap_hard.bitmap.p = VA_BUF;
	op.u.vcpuaffinity.vcpu = 2;
	assert_int_equal(call_domctl(&op), -EINVAL);

	/* Node affinity: one node, which a map must name. */
	op = (struct xen_domctl){.cmd = XEN_DOMCTL_setnodeaffinity,
				 .domain = domid};
	op.u.nodeaffinity.nodemap = (struct xenctl_bitmap){{VA_BUF}, 8};
	hard[0] = 0xfe;
	assert_int_equal(call_domctl(&op), -EINVAL);
	hard[0] = 0xff;
	assert_int_equal(call_domctl(&op), 0);
	op.u.nodeaffinity.nodemap.nr_bits = 0;
	assert_int_equal(call_domctl(&op), -EINVAL);
	op.cmd = XEN_DOMCTL_getnodeaffinity;
	op.u.nodeaffinity.nodemap.nr_bits = 8;
	hard[0] = 0;
	assert_int_equal(call_domctl(&op), 0);
	assert_int_equal(hard[0], 1);
}

/*
 * XEN_DOMCTL_vuart_op as Xen's arch_do_domctl: padding and command
 * checked first (-EINVAL), only before the first unpause (-EPERM), the
 * rest is the architecture's; the port is copied back.
 */
static void test_vuart_op(void **state)
{
	domid_t domid = make_guest(1);
	struct xen_domctl op = {.cmd = XEN_DOMCTL_vuart_op, .domain = domid};
	struct xen_domctl *back = (struct xen_domctl *)&guest_mem[VA_OP - GVA];

	(void)state;
	op.u.vuart_op.type = XEN_DOMCTL_VUART_TYPE_VPL011;
	op.u.vuart_op.gfn = 0x39003;
	op.u.vuart_op.pad[1] = 1;
	assert_int_equal(call_domctl(&op), -EINVAL);
	op.u.vuart_op.pad[1] = 0;
	op.u.vuart_op.cmd = 1;
	assert_int_equal(call_domctl(&op), -EINVAL);
	assert_int_equal(rec.vuart_inits, 0);
	op.u.vuart_op.cmd = XEN_DOMCTL_VUART_OP_INIT;
	rec.vuart_init_ret = -EOPNOTSUPP;
	assert_int_equal(call_domctl(&op), -EOPNOTSUPP);
	assert_int_equal(back->u.vuart_op.evtchn, 0);
	rec.vuart_init_ret = 0;
	assert_int_equal(call_domctl(&op), 0);
	assert_int_equal(back->u.vuart_op.evtchn, 7);
	assert_int_equal(rec.vuart_gfn, 0x39003);
	assert_int_equal(rec.vuart_backend, 0);
	assert_int_equal(rec.vuart_inits, 2);
	assert_int_equal(simple(XEN_DOMCTL_unpausedomain, domid), 0);
	assert_int_equal(call_domctl(&op), -EPERM);
	assert_int_equal(rec.vuart_inits, 2);
	/* A DomU may not give anyone a UART. */
	current = domain_lookup(domid)->vcpus[0];
	assert_int_equal(call_domctl(&op), -EPERM);
	current = dom0->vcpus[0];
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_gate),
		T(test_createdomain),
		T(test_createdomain_bad),
		T(test_max_vcpus),
		T(test_getdomaininfo),
		T(test_vcpucontext),
		T(test_pause_unpause),
		T(test_shutdown),
		T(test_destroy),
		T(test_domid_reserved_while_dying),
		T(test_vcpu_start_race),
		T(test_destroy_preempted),
		T(test_destroy_preempted_in_grants),
		T(test_sequence),
		T(test_paging_pool_size),
		T(test_paging_pool_in_use),
		T(test_misc_domctls),
		T(test_scheduler_op),
		T(test_affinity),
		T(test_vuart_op),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
