# SPDX-License-Identifier: MIT
# Passthrough domctls over the real domain life cycle (fake_toolstack.h).
UNIT_TESTS += passthrough
passthrough_SRCS := tests/unit/test_passthrough.c tests/unit/fake_toolstack.c \
	       common/xen/domctl.c common/xen/passthrough.c common/xen/sysctl.c \
	       common/domain.c common/sched/watchdog.c \
	       common/sched/credit2.c common/sched/cpupool.c common/sched/sched_params.c common/xen/preempt.c \
	       common/mm/page_pool.c arch/arm64/domain_config.c \
	       common/printk.c common/mm/range_set.c lib/vsprintf.c
passthrough_DEPS := tests/unit/fake_toolstack.h $(wildcard include/public/*.h) \
	       $(wildcard arch/fake/include/asm/*.h)
