// SPDX-License-Identifier: MIT
/*
 * Which hypercall handlers guests reach (CONFIG_HYPERCALL_COVERAGE): the
 * dispatcher counts every call by (hypercall, sub-op, result class) and
 * the table is printed when the hardware domain shuts the machine down,
 * one line per sub-op reached:
 *
 *   hccov: <hypercall> <sub-op> ok <n> enosys <n> err <n>
 *
 * Xen's answer is xencov (gcov of the whole hypervisor); this is cheaper
 * and answers the fuzzer's question: which handlers, and did any of them
 * do anything but refuse. A continuation is counted again each time the
 * guest re-issues it; the counters are not atomic, so concurrent calls may
 * undercount, never turn a reached sub-op into an unreached one.
 *
 * The sub-op is the first argument for the hypercalls that take a command
 * there (memory_op without its continuation bits), the structure's first
 * word for platform_op, sysctl and domctl, and 0 for the rest.
 */
#include <orchid/guest_access.h>
#include <orchid/hypercall.h>
#include <orchid/hypercall_cov.h>
#include <orchid/hypercalls.h>
#include <orchid/printk.h>
#include <orchid/errno.h>
#include <public/memory.h>

#define COV_SUBOPS  128 /* the last one counts every sub-op beyond */
#define COV_CLASSES 3	/* >= 0, -ENOSYS, another error */

static uint32_t counts[NR_HYPERCALLS][COV_SUBOPS][COV_CLASSES];
static uint32_t unknown_numbers;

unsigned long hypercall_cov_subop(unsigned long nr, const uint64_t args[5])
{
	uint32_t cmd;

	switch (nr) {
	case __HYPERVISOR_memory_op: return args[0] & MEMOP_CMD_MASK;
	case __HYPERVISOR_platform_op:
	case __HYPERVISOR_sysctl:
	case __HYPERVISOR_domctl:
		if (copy_from_guest(&cmd, args[0], sizeof(cmd)))
			return COV_SUBOPS - 1;
		return cmd;
	case __HYPERVISOR_multicall:
	case __HYPERVISOR_xsm_op: return 0;
	default: return nr < NR_HYPERCALLS ? args[0] : 0;
	}
}

void hypercall_cov_count(unsigned long nr, unsigned long op, long ret)
{
	unsigned int class = ret >= 0 ? 0 : ret == -ENOSYS ? 1 : 2;

	if (nr >= NR_HYPERCALLS) {
		unknown_numbers++;
		return;
	}
	counts[nr][op < COV_SUBOPS ? op : COV_SUBOPS - 1][class]++;
}

void hypercall_cov_dump(void)
{
	printk("hccov: hypercall coverage (numbers past %u: %u calls)\n",
	       NR_HYPERCALLS, unknown_numbers);
	for (unsigned int nr = 0; nr < NR_HYPERCALLS; nr++)
		for (unsigned int op = 0; op < COV_SUBOPS; op++) {
			const uint32_t *c = counts[nr][op];

			if (c[0] || c[1] || c[2])
				printk("hccov: %u %s %u ok %u enosys %u err "
				       "%u\n",
				       nr, hypercall_name(nr), op, c[0], c[1],
				       c[2]);
		}
	printk("hccov: end\n");
}
