# SPDX-License-Identifier: MIT
UNIT_TESTS += grant_map
grant_map_SRCS := tests/unit/test_grant_map.c common/grant_map.c \
		  common/grant_table.c common/domain_mem.c common/xsm.c \
		  common/preempt.c common/printk.c lib/vsprintf.c \
		  tests/unit/fake_domain.c tests/unit/fake_p2m.c tests/unit/fake_mem.c
grant_map_DEPS := tests/unit/fake_p2m.h tests/unit/fake_domain.h tests/unit/fake_mem.h \
		  common/grant_table_priv.h $(wildcard include/public/*.h)
