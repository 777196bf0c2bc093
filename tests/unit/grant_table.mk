# SPDX-License-Identifier: MIT
UNIT_TESTS += grant_table
grant_table_SRCS := tests/unit/test_grant_table.c common/grant_table.c \
		    tests/unit/fake_domain.c
grant_table_DEPS := tests/unit/fake_domain.h $(wildcard include/public/*.h)
