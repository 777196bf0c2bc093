# SPDX-License-Identifier: MIT
UNIT_TESTS += domain_mem
domain_mem_SRCS := common/preempt.c tests/unit/test_domain_mem.c common/domain_mem.c \
		   common/grant_table.c common/grant_map.c common/printk.c \
		   lib/vsprintf.c tests/unit/fake_domain.c tests/unit/fake_p2m.c tests/unit/fake_mem.c
domain_mem_DEPS := tests/unit/fake_p2m.h tests/unit/fake_domain.h tests/unit/fake_mem.h \
		   common/grant_table_priv.h $(wildcard include/public/*.h)
domain_mem_SRCS += common/xsm.c # grant_map.c asks the XSM policy
