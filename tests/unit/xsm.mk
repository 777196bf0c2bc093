# SPDX-License-Identifier: MIT
UNIT_TESTS += xsm
xsm_SRCS := tests/unit/test_xsm.c common/xsm.c common/printk.c lib/vsprintf.c \
	    tests/unit/fake_domain.c tests/unit/fake_p2m.c
xsm_DEPS := tests/unit/fake_p2m.h tests/unit/fake_domain.h
