/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of common/xen/sysctl.c: what `xl info`, `xl list`, `xl dmesg`,
 * cpupools and NUMA placement ask, with good and bad arguments, issued as
 * Dom0's toolstack would (the xen_sysctl in guest memory), over the real
 * domain list and console ring.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <orchid/errno.h>
#include <orchid/mm.h>
#include <orchid/printk.h>

#include "fake_toolstack.h"

/* ==== sysctl ============================================================ */

static void test_physinfo(void **state)
{
	struct xen_sysctl op = {.cmd = XEN_SYSCTL_physinfo};
	struct xen_sysctl_physinfo *pi = &op.u.physinfo;

	memset(&op.u, 0xff, sizeof(op.u));
	assert_int_equal(call_sysctl(&op), 0);
	assert_int_equal(pi->threads_per_core, 1);
	/* Xen 4.17 on Arm: each CPU's core mask holds itself only. */
	assert_int_equal(pi->cores_per_socket, 1);
	assert_int_equal(pi->nr_cpus, 2);
	assert_int_equal(pi->max_cpu_id, 1);
	assert_int_equal(pi->nr_nodes, 1);
	assert_int_equal(pi->max_node_id, 0);
	assert_int_equal(pi->cpu_khz, 62500);
	assert_int_equal(pi->capabilities,
			 XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap |
				 XEN_SYSCTL_PHYSCAP_vpmu |
				 XEN_SYSCTL_PHYSCAP_gnttab_v1);
	assert_int_equal(pi->arch_capabilities, 0);
	assert_int_equal(pi->total_pages, 524288);
	assert_int_equal(pi->free_pages, 1000);
	assert_int_equal(pi->outstanding_pages, 0);
	assert_int_equal(pi->max_mfn, 0xbffff);
	assert_int_equal(pi->hw_cap[7], 0);

	op = (struct xen_sysctl){.cmd = XEN_SYSCTL_sched_id};
	assert_int_equal(call_sysctl(&op), 0);
	assert_int_equal(op.u.sched_id.sched_id, XEN_SCHEDULER_CREDIT2);
}

/* `xl sched-credit2`: the pool's rate limit, 1000 us unless set. */
static void test_scheduler_op(void **state)
{
	struct xen_sysctl op = {.cmd = XEN_SYSCTL_scheduler_op};
	struct xen_sysctl_scheduler_op *so = &op.u.scheduler_op;

	so->sched_id = XEN_SCHEDULER_CREDIT2;
	so->cmd = XEN_SYSCTL_SCHEDOP_getinfo;
	assert_int_equal(call_sysctl(&op), 0);
	assert_int_equal(so->u.sched_credit2.ratelimit_us, 1000);
	so->cmd = XEN_SYSCTL_SCHEDOP_putinfo;
	so->u.sched_credit2.ratelimit_us = 99;
	assert_int_equal(call_sysctl(&op), -EINVAL);
	so->u.sched_credit2.ratelimit_us = 500001;
	assert_int_equal(call_sysctl(&op), -EINVAL);
	so->u.sched_credit2.ratelimit_us = 0; /* off */
	assert_int_equal(call_sysctl(&op), 0);
	so->u.sched_credit2.ratelimit_us = 2000;
	assert_int_equal(call_sysctl(&op), 0);
	so->cmd = XEN_SYSCTL_SCHEDOP_getinfo;
	so->u.sched_credit2.ratelimit_us = 0;
	assert_int_equal(call_sysctl(&op), 0);
	assert_int_equal(so->u.sched_credit2.ratelimit_us, 2000);
	so->sched_id = XEN_SCHEDULER_CREDIT;
	assert_int_equal(call_sysctl(&op), -EINVAL);
	so->sched_id = XEN_SCHEDULER_CREDIT2;
	so->cpupool_id = 1;
	assert_int_equal(call_sysctl(&op), -ESRCH);
	so->cmd = 2;
	assert_int_equal(call_sysctl(&op), -EINVAL);
	/* Back to the default for the other tests. */
	so->cpupool_id = 0;
	so->cmd = XEN_SYSCTL_SCHEDOP_putinfo;
	so->u.sched_credit2.ratelimit_us = 1000;
	assert_int_equal(call_sysctl(&op), 0);
}

static void test_getdomaininfolist(void **state)
{
	struct xen_sysctl op = {.cmd = XEN_SYSCTL_getdomaininfolist};
	struct xen_sysctl_getdomaininfolist *gl = &op.u.getdomaininfolist;
	struct xen_domctl_getdomaininfo *info =
		(void *)&guest_mem[VA_BUF - GVA];
	domid_t a = make_guest(1);
	struct xen_domctl create = create_op(a + 3, 1);

	assert_int_equal(call_domctl(&create), 0);
	gl->first_domain = 0;
	gl->max_domains = 10;
	gl->buffer.p = VA_BUF;
	assert_int_equal(call_sysctl(&op), 0);
	assert_int_equal(gl->num_domains, 3);
	assert_int_equal(info[0].domain, 0);
	assert_int_equal(info[1].domain, a);
	assert_int_equal(info[2].domain, a + 3);
	assert_int_equal(info[0].tot_pages, 131072);

	gl->first_domain = a + 1;
	assert_int_equal(call_sysctl(&op), 0);
	assert_int_equal(gl->num_domains, 1);
	assert_int_equal(info[0].domain, a + 3);
	gl->first_domain = 0;
	gl->max_domains = 1;
	assert_int_equal(call_sysctl(&op), 0);
	assert_int_equal(gl->num_domains, 1);
	gl->max_domains = 0;
	assert_int_equal(call_sysctl(&op), 0);
	assert_int_equal(gl->num_domains, 0);
	gl->first_domain = a + 4;
	gl->max_domains = 10;
	assert_int_equal(call_sysctl(&op), 0);
	assert_int_equal(gl->num_domains, 0);
	gl->first_domain = 0;
	gl->buffer.p = VA_END - sizeof(*info) - 1;
	gl->num_domains = 99;
	assert_int_equal(call_sysctl(&op), -EFAULT);
	assert_int_equal(gl->num_domains, 99); /* not copied back */
}

static void test_cpupool(void **state)
{
	struct xen_sysctl op = {.cmd = XEN_SYSCTL_cpupool_op};
	struct xen_sysctl_cpupool_op *po = &op.u.cpupool_op;
	uint8_t *map = &guest_mem[VA_BUF - GVA];

	domid_t guest = make_guest(1);
	memset(map, 0x55, 4);
	po->op = XEN_SYSCTL_CPUPOOL_OP_INFO;
	po->cpupool_id = 0;
	po->cpumap = (struct xenctl_bitmap){{VA_BUF}, 24};
	assert_int_equal(call_sysctl(&op), 0);
	assert_int_equal(po->cpupool_id, 0);
	assert_int_equal(po->sched_id, XEN_SCHEDULER_CREDIT2);
	assert_int_equal(po->n_dom, 2);
	assert_int_equal(map[0], 0x03);
	assert_int_equal(map[1], 0);
	assert_int_equal(map[2], 0);
	assert_int_equal(map[3], 0x55);
	/* Only pool 0; "any" is above it. */
	po->cpupool_id = 1;
	assert_int_equal(call_sysctl(&op), -ENOENT);
	po->cpupool_id = XEN_SYSCTL_CPUPOOL_PAR_ANY;
	assert_int_equal(call_sysctl(&op), -ENOENT);
	po->cpupool_id = 0;
	po->cpumap.bitmap.p = VA_END;
	assert_int_equal(call_sysctl(&op), -EFAULT);

	po->op = XEN_SYSCTL_CPUPOOL_OP_FREEINFO;
	po->cpumap.bitmap.p = VA_BUF;
	memset(map, 0x55, 4);
	assert_int_equal(call_sysctl(&op), 0);
	assert_int_equal(map[0], 0);
	assert_int_equal(map[2], 0);

	/* The caller's own domain cannot move (rcu_lock_remote_domain_by_id). */
	po->op = XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN;
	po->domid = 0;
	assert_int_equal(call_sysctl(&op), -EPERM);
	po->domid = 99;
	assert_int_equal(call_sysctl(&op), -ESRCH);
	po->domid = guest;
	assert_int_equal(call_sysctl(&op), 0); /* already there */
	po->cpupool_id = 3;
	assert_int_equal(call_sysctl(&op), -ENOENT);
}

/* Xen's pool life cycle and errnos: create, cpus, a domain, destroy. */
static long pool_op(uint32_t cmd, uint32_t pool, uint32_t arg)
{
	struct xen_sysctl op = {.cmd = XEN_SYSCTL_cpupool_op};
	struct xen_sysctl_cpupool_op *po = &op.u.cpupool_op;
	long ret;

	po->op = cmd;
	po->cpupool_id = pool;
	po->sched_id = arg;
	po->cpu = arg;
	po->domid = arg;
	po->cpumap = (struct xenctl_bitmap){{VA_BUF}, 8};
	ret = call_sysctl(&op);
	if (!ret && cmd == XEN_SYSCTL_CPUPOOL_OP_CREATE)
		return po->cpupool_id;
	if (!ret && cmd == XEN_SYSCTL_CPUPOOL_OP_INFO)
		return po->cpupool_id * 1000 + po->n_dom * 100 +
		       guest_mem[VA_BUF - GVA];
	return ret;
}

static void test_cpupool_cycle(void **state)
{
	const uint32_t any = XEN_SYSCTL_CPUPOOL_PAR_ANY;
	domid_t guest;
	enum {
		C = XEN_SYSCTL_CPUPOOL_OP_CREATE,
		D = XEN_SYSCTL_CPUPOOL_OP_DESTROY,
		I = XEN_SYSCTL_CPUPOOL_OP_INFO,
		A = XEN_SYSCTL_CPUPOOL_OP_ADDCPU,
		R = XEN_SYSCTL_CPUPOOL_OP_RMCPU,
		M = XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN,
		F = XEN_SYSCTL_CPUPOOL_OP_FREEINFO,
	};

	guest = make_guest(1);
	/* A scheduler Orchid does not have: Xen's scheduler_alloc. */
	assert_int_equal(pool_op(C, any, XEN_SCHEDULER_RTDS), -ENOENT);
	assert_int_equal(pool_op(C, any, XEN_SCHEDULER_CREDIT2), 1);
	assert_int_equal(pool_op(C, 1, XEN_SCHEDULER_CREDIT2), -EEXIST);
	assert_int_equal(pool_op(C, 5, XEN_SCHEDULER_CREDIT2), 5);
	/* No pCPU yet: no domain may go there. */
	assert_int_equal(pool_op(M, 1, guest), -ENOENT);
	/* pCPU 0 stays in Pool-0; 2 is offline; 1 is not pool 1's. */
	assert_int_equal(pool_op(R, 0, 0), -EINVAL);
	assert_int_equal(pool_op(R, 0, 2), -EINVAL);
	assert_int_equal(pool_op(R, 1, 1), -EADDRNOTAVAIL);
	assert_int_equal(pool_op(R, 9, 1), -ENOENT);
	assert_int_equal(pool_op(R, 0, 1), 0);
	assert_int_equal(pool_op(F, 0, 0), 0);
	assert_int_equal(guest_mem[VA_BUF - GVA], 0x02);
	assert_int_equal(pool_op(A, 9, 1), -ENOENT);
	assert_int_equal(pool_op(A, 1, 1), 0);
	assert_int_equal(pool_op(A, 5, 1), -ENODEV); /* not free */
	assert_int_equal(pool_op(A, 5, any), -ENODEV);
	assert_int_equal(pool_op(A, 5, 64), -EINVAL);
	/* Info: pool 1 has pCPU 1 and no domain; ID 2 finds pool 5. */
	assert_int_equal(pool_op(I, 1, 0), 1000 + 0x02);
	assert_int_equal(pool_op(I, 2, 0), 5000);
	/* A domain moves in: its vCPUs are re-placed. */
	fake_replaced = 0;
	assert_int_equal(pool_op(M, 1, guest), 0);
	assert_int_equal(fake_replaced, 1);
	assert_int_equal(pool_op(I, 1, 0), 1000 + 100 + 0x02);
	assert_int_equal(pool_op(D, 1, 0), -EBUSY);
	assert_int_equal(pool_op(R, 1, 1), -EBUSY); /* its last pCPU */
	assert_int_equal(pool_op(M, 0, guest), 0);
	assert_int_equal(pool_op(R, 1, any), 0);
	assert_int_equal(pool_op(D, 1, 0), 0);
	assert_int_equal(pool_op(D, 1, 0), -ENOENT);
	assert_int_equal(pool_op(A, 0, any), 0);
	assert_int_equal(pool_op(I, 0, 0), 200 + 0x03);
	assert_int_equal(pool_op(D, 5, 0), 0);
	assert_int_equal(pool_op(42, 0, 0), -ENOSYS);
}

static void test_topology(void **state)
{
	struct xen_sysctl op = {.cmd = XEN_SYSCTL_cputopoinfo};
	struct xen_sysctl_cputopo *t = (void *)&guest_mem[VA_BUF - GVA];
	struct xen_sysctl_meminfo *mi = (void *)&guest_mem[VA_BUF - GVA];
	uint32_t *dist = (void *)&guest_mem[VA_BUF - GVA + 0x100];

	/* A NULL handle asks how many. */
	assert_int_equal(call_sysctl(&op), 0);
	assert_int_equal(op.u.cputopoinfo.num_cpus, 2);
	op.u.cputopoinfo.cputopo.p = VA_BUF;
	op.u.cputopoinfo.num_cpus = 1;
	memset(t, 0xff, 3 * sizeof(*t));
	assert_int_equal(call_sysctl(&op), 0);
	assert_int_equal(op.u.cputopoinfo.num_cpus, 1);
	assert_int_equal(t[0].core, 0);
	assert_int_equal(t[0].socket, 0);
	assert_int_equal(t[0].node, 0);
	assert_int_equal(t[1].core, XEN_INVALID_CORE_ID); /* untouched */
	op.u.cputopoinfo.num_cpus = 8;
	assert_int_equal(call_sysctl(&op), 0);
	assert_int_equal(op.u.cputopoinfo.num_cpus, 2);
	assert_int_equal(t[1].core, 0); /* Arm's cpu_to_core() is 0 */
	assert_int_equal(t[1].node, 0);
	op.u.cputopoinfo.cputopo.p = VA_END - sizeof(*t);
	assert_int_equal(call_sysctl(&op), -EFAULT);

	op = (struct xen_sysctl){.cmd = XEN_SYSCTL_numainfo};
	assert_int_equal(call_sysctl(&op), 0);
	assert_int_equal(op.u.numainfo.num_nodes, 1);
	op.u.numainfo.meminfo.p = VA_BUF;
	op.u.numainfo.distance.p = VA_BUF + 0x100;
	op.u.numainfo.num_nodes = 4;
	assert_int_equal(call_sysctl(&op), 0);
	assert_int_equal(op.u.numainfo.num_nodes, 1);
	assert_int_equal(mi->memsize, 2ULL << 30);
	assert_int_equal(mi->memfree, 1000ULL << PAGE_SHIFT);
	assert_int_equal(dist[0], 10);
	op.u.numainfo.distance.p = 0;
	op.u.numainfo.meminfo.p = VA_END;
	assert_int_equal(call_sysctl(&op), -EFAULT);
}

/* xl dmesg's loop: incremental reads of 16 bytes from index 0. */
static void test_readconsole(void **state)
{
	struct xen_sysctl op = {.cmd = XEN_SYSCTL_readconsole};
	struct xen_sysctl_readconsole *rc = &op.u.readconsole;
	char *buf = (char *)&guest_mem[VA_BUF - GVA];
	char text[512] = "";
	size_t len = 0;

	console_ring_clear();
	printk("first line\n");
	printk("second line\n");
	rc->incremental = 1;
	rc->index = 0;
	for (;;) {
		rc->buffer.p = VA_BUF;
		rc->count = 16;
		assert_int_equal(call_sysctl(&op), 0);
		if (!rc->count)
			break;
		memcpy(text + len, buf, rc->count);
		len += rc->count;
	}
	assert_non_null(strstr(text, "first line\n"));
	assert_non_null(strstr(text, "second line\n"));
	assert_int_equal(len, console_ring_size());

	/* Only what is new comes back from the index returned. */
	printk("third\n");
	rc->count = sizeof(text);
	assert_int_equal(call_sysctl(&op), 0);
	assert_true(rc->count > 0 && rc->count < 32);
	assert_memory_equal(buf + rc->count - 6, "third\n", 6);

	/* Not incremental: from the oldest byte, index ignored. */
	rc->incremental = 0;
	rc->index = 12345;
	rc->count = sizeof(text);
	assert_int_equal(call_sysctl(&op), 0);
	assert_int_equal(rc->count, console_ring_size());

	/* Clear forgets what was read, only that. */
	len = console_ring_size();
	rc->clear = 1;
	rc->count = 4;
	assert_int_equal(call_sysctl(&op), 0);
	assert_int_equal(rc->count, 4);
	assert_int_equal(console_ring_size(), len - 4);
	rc->clear = 0;
	rc->count = 0;
	assert_int_equal(call_sysctl(&op), 0);
	assert_int_equal(rc->count, 0);
	/* A buffer that faults. */
	rc->count = 16;
	rc->buffer.p = VA_END - 4;
	assert_int_equal(call_sysctl(&op), -EFAULT);
	/* Clear everything: nothing left. */
	rc->buffer.p = VA_BUF;
	rc->count = sizeof(text);
	rc->clear = 1;
	assert_int_equal(call_sysctl(&op), 0);
	assert_int_equal(console_ring_size(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_physinfo),	   T(test_scheduler_op),
		T(test_getdomaininfolist), T(test_cpupool),
		T(test_cpupool_cycle),	   T(test_topology),
		T(test_readconsole),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
