# SPDX-License-Identifier: MIT
UNIT_TESTS += memory_op
memory_op_SRCS := common/preempt.c tests/unit/test_memory_op.c common/memory.c \
		  common/domain_mem.c common/grant_table.c common/grant_map.c \
		  common/printk.c lib/vsprintf.c tests/unit/fake_domain.c tests/unit/fake_p2m.c \
		  tests/unit/fake_mem.c
memory_op_DEPS := tests/unit/fake_p2m.h tests/unit/fake_domain.h tests/unit/fake_mem.h \
		  common/grant_table_priv.h $(wildcard include/public/*.h)
memory_op_SRCS += common/xsm.c # grant_map.c asks the XSM policy
