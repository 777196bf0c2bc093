# SPDX-License-Identifier: MIT
# Preemptible hypercalls: continuations of grant_table_op, multicall,
# memory_op and event_channel_op through the real dispatcher.
UNIT_TESTS += preempt
preempt_SRCS := tests/unit/test_preempt.c common/preempt.c \
		common/hypercall.c common/multicall.c common/grant_table.c \
		common/grant_map.c common/domain_mem.c common/memory.c \
		common/evtchn.c common/xsm.c common/printk.c lib/vsprintf.c \
		tests/unit/fake_domain.c tests/unit/fake_p2m.c tests/unit/fake_mem.c
preempt_DEPS := tests/unit/fake_p2m.h tests/unit/fake_domain.h tests/unit/fake_mem.h \
		common/grant_table_priv.h $(wildcard include/public/*.h)
