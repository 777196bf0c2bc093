# SPDX-License-Identifier: MIT
UNIT_TESTS += domain_mem
domain_mem_SRCS := common/xen/preempt.c tests/unit/test_domain_mem.c common/mm/domain_mem.c common/mm/domain_physmap.c \
		   common/xen/grant_table.c common/xen/grant_map.c common/printk.c \
		   lib/vsprintf.c tests/unit/fake_domain.c tests/unit/fake_mem.c
domain_mem_DEPS := tests/unit/fake_domain.h tests/unit/fake_mem.h \
		   common/xen/grant_table_priv.h $(wildcard include/public/*.h)
domain_mem_SRCS += common/xen/xsm.c # grant_map.c asks the XSM policy
domain_mem_SRCS += tests/unit/fake_p2m.c
