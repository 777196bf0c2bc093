# SPDX-License-Identifier: MIT
UNIT_TESTS += grant_table
grant_table_SRCS := common/preempt.c tests/unit/test_grant_table.c common/grant_table.c \
		    common/grant_map.c common/domain_mem.c common/printk.c \
		    lib/vsprintf.c tests/unit/fake_domain.c tests/unit/fake_p2m.c tests/unit/fake_mem.c
grant_table_DEPS := tests/unit/fake_p2m.h tests/unit/fake_domain.h tests/unit/fake_mem.h \
		    common/grant_table_priv.h $(wildcard include/public/*.h)
grant_table_SRCS += common/xsm.c # grant_map.c asks the XSM policy
