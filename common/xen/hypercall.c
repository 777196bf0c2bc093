// SPDX-License-Identifier: MIT
/* The hypercall table and its dispatcher. */
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/event.h>
#include <orchid/grant_table.h>
#include <orchid/guest_access.h>
#include <orchid/hypercall.h>
#include <orchid/hypercall_cov.h>
#include <orchid/hypercalls.h>
#include <orchid/printk.h>
#include <orchid/trace.h>

static long hc_event_channel_op(const uint64_t a[5])
{
	return do_event_channel_op((unsigned int)a[0], a[1]);
}

#ifdef CONFIG_GRANT_TABLE
static long hc_grant_table_op(const uint64_t a[5])
{
	return do_grant_table_op((unsigned int)a[0], a[1], (unsigned int)a[2]);
}
#endif

/* Xen without FLASK answers xsm_op with -ENOSYS; so does Orchid, quietly. */
static long hc_xsm_op(const uint64_t a[5])
{
	(void)a;
	return -ENOSYS;
}

#define HC(n, f, a) [__HYPERVISOR_##n] = {__HYPERVISOR_##n, f, a, #n}

static const struct hypercall hypercall_table[NR_HYPERCALLS] = {
	HC(platform_op, hc_platform_op, 1),
	HC(memory_op, hc_memory_op, 2),
	HC(multicall, hc_multicall, 2),
	HC(xen_version, hc_xen_version, 2),
	HC(console_io, hc_console_io, 3),
#ifdef CONFIG_GRANT_TABLE
	HC(grant_table_op, hc_grant_table_op, 3),
#endif
	HC(vm_assist, hc_vm_assist, 2),
	HC(vcpu_op, hc_vcpu_op, 3),
	HC(xsm_op, hc_xsm_op, 1),
	HC(sched_op, hc_sched_op, 2),
	HC(event_channel_op, hc_event_channel_op, 2),
	HC(physdev_op, hc_physdev_op, 2),
	HC(hvm_op, hc_hvm_op, 2),
#ifdef CONFIG_TOOLSTACK
	HC(sysctl, hc_sysctl, 1),
	HC(domctl, hc_domctl, 1),
#endif
#ifdef CONFIG_HYPFS
	HC(hypfs_op, hc_hypfs_op, 5),
#endif
};

unsigned int current_domain_id(void)
{
	return current_domain()->domain_id;
}

/*
 * Log each unknown hypercall number once, and the numbers past the table
 * once in all: a guest must not be able to flood the console.
 */
static uint64_t logged_unknown;
static bool logged_out_of_range;

const char *hypercall_name(unsigned long nr)
{
	if (nr < NR_HYPERCALLS && hypercall_table[nr].fn)
		return hypercall_table[nr].name;
	return "-";
}

/* Xen's TRC_PV_HYPERCALL_V2: the number, then the first two arguments'
 * low halves (the argument bits say which follow). */
static inline void trace_hypercall(unsigned long nr, const uint64_t args[5])
{
	uint32_t d[3];

	if (!trace_on())
		return;
	d[0] = (uint32_t)nr | TRC_PV_HYPERCALL_V2_ARG_32(0) |
	       TRC_PV_HYPERCALL_V2_ARG_32(1);
	d[1] = (uint32_t)args[0];
	d[2] = (uint32_t)args[1];
	trace_record(TRC_PV_HYPERCALL_V2, 3, d);
}

long hypercall_dispatch(unsigned long nr, uint64_t args[5])
{
	struct hypercall_state *h = &current_vcpu()->hcall;
	const struct hypercall *hc;
	unsigned long cov_op = hypercall_cov_subop(nr, args);
	long ret;

	hypercall_state_begin(h);
	if (nr >= NR_HYPERCALLS || !hypercall_table[nr].fn) {
		bool first = nr >= 64 ? !logged_out_of_range
				      : !(logged_unknown & (1UL << nr));

		if (nr >= 64)
			logged_out_of_range = true;
		else
			logged_unknown |= 1UL << nr;
		if (first)
			pr_warn("d%u: unimplemented hypercall %lu\n",
				current_domain_id(), nr);
		hypercall_cov_count(nr, 0, -ENOSYS); /* no sub-ops to tell */
		return -ENOSYS;
	}
	hc = &hypercall_table[nr];
	trace_hypercall(nr, args);
	ret = hc->fn(args);
	hypercall_cov_count(nr, cov_op, ret);
	/* A continuation: @args are the call's arguments again, not clobbered. */
	if (hypercall_state_end(h, args))
		return ret;
#ifdef CONFIG_DEBUG
	for (unsigned int i = 1; i < hc->nargs; i++)
		args[i] = 0xdeadbeefUL;
#endif
	return ret;
}

/*
 * Sub-ops are logged once per (hypercall, cmd) slot of a small table;
 * once it is full, no more are (a guest can name any number of sub-ops).
 */
#define UNIMPL_SLOTS 64
static struct {
	const char *hypercall;
	unsigned long cmd;
} unimpl_logged[UNIMPL_SLOTS];

long hypercall_unimplemented(const char *hypercall, unsigned long cmd)
{
	unsigned int i;

	for (i = 0; i < UNIMPL_SLOTS && unimpl_logged[i].hypercall; i++)
		if (unimpl_logged[i].hypercall == hypercall &&
		    unimpl_logged[i].cmd == cmd)
			return -ENOSYS;
	if (i == UNIMPL_SLOTS)
		return -ENOSYS;
	unimpl_logged[i].hypercall = hypercall;
	unimpl_logged[i].cmd = cmd;
	pr_warn("d%u: unimplemented %s sub-op %lu\n", current_domain_id(),
		hypercall, cmd);
	return -ENOSYS;
}
