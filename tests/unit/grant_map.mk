# SPDX-License-Identifier: MIT
UNIT_TESTS += grant_map
grant_map_SRCS := tests/unit/test_grant_map.c common/xen/grant_map.c \
		  common/xen/grant_table.c common/mm/domain_mem.c common/mm/domain_physmap.c common/xen/xsm.c \
		  common/xen/preempt.c common/printk.c lib/vsprintf.c \
		  tests/unit/fake_domain.c tests/unit/fake_mem.c
grant_map_DEPS := tests/unit/fake_domain.h tests/unit/fake_mem.h \
		  common/xen/grant_table_priv.h $(wildcard include/public/*.h)
grant_map_SRCS += tests/unit/fake_p2m.c
