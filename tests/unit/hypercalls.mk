# SPDX-License-Identifier: MIT
# The hypercall handlers other than event channels and grant tables (which
# have their own tests), one cmocka group each, issued as a guest would:
# arguments in fake guest RAM reached through the real guest_access.c.
UNIT_TESTS += hypercalls
hypercalls_SRCS := tests/unit/test_hypercalls.c tests/unit/test_hc_version.c \
		   tests/unit/test_hc_console.c \
		   tests/unit/test_hc_memory.c \
		   tests/unit/test_hc_vcpu_op.c \
		   tests/unit/test_hc_hvm_op.c \
		   tests/unit/test_hc_sched_op.c \
		   tests/unit/test_hc_platform_op.c \
		   tests/unit/test_hc_dispatch.c \
		   tests/unit/fake_guest.c tests/unit/fake_guest_mem.c \
		   tests/unit/printk_stub.c \
		   common/xen/hypercall.c common/xen/multicall.c common/xen/preempt.c \
		   common/xen/version.c common/console.c lib/vsprintf.c \
		   common/xen/memory.c common/xen/vcpu_op.c common/xen/hvm_op.c \
		   common/sched/sched_op.c common/sched/watchdog.c common/xen/platform_op.c \
		   common/mm/guest_access.c arch/fake/guest_va.c
hypercalls_DEPS := tests/unit/fake_guest.h tests/unit/test_hypercalls.h \
		   tests/unit/printk_stub.h $(wildcard include/public/*.h) \
		   $(wildcard include/public/hvm/*.h)
hypercalls_SRCS += tests/unit/fake_p2m.c
