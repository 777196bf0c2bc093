# SPDX-License-Identifier: MIT
UNIT_TESTS += grant_table
grant_table_SRCS := common/xen/preempt.c tests/unit/test_grant_table.c common/xen/grant_table.c \
		    common/xen/grant_map.c common/mm/domain_mem.c common/mm/domain_physmap.c common/printk.c \
		    lib/vsprintf.c tests/unit/fake_domain.c tests/unit/fake_mem.c
grant_table_DEPS := tests/unit/fake_domain.h tests/unit/fake_mem.h \
		    common/xen/grant_table_priv.h $(wildcard include/public/*.h)
grant_table_SRCS += common/xen/xsm.c # grant_map.c asks the XSM policy
grant_table_SRCS += tests/unit/fake_p2m.c
