# SPDX-License-Identifier: MIT
# Preemptible hypercalls: continuations of grant_table_op, multicall,
# memory_op and event_channel_op through the real dispatcher.
UNIT_TESTS += preempt
preempt_SRCS := tests/unit/test_preempt.c common/xen/preempt.c \
		common/xen/hypercall.c common/xen/multicall.c common/xen/grant_table.c \
		common/xen/grant_map.c common/mm/domain_mem.c common/mm/domain_physmap.c common/xen/memory.c \
		common/xen/evtchn.c common/xen/evtchn_fifo.c \
		common/xen/xsm.c common/printk.c lib/vsprintf.c \
		tests/unit/fake_domain.c tests/unit/fake_mem.c
preempt_DEPS := tests/unit/fake_domain.h tests/unit/fake_mem.h \
		common/xen/grant_table_priv.h $(wildcard include/public/*.h)
preempt_SRCS += tests/unit/fake_p2m.c
