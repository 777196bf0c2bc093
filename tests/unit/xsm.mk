# SPDX-License-Identifier: MIT
UNIT_TESTS += xsm
xsm_SRCS := tests/unit/test_xsm.c common/xen/xsm.c common/printk.c lib/vsprintf.c \
	    tests/unit/fake_domain.c
xsm_DEPS := tests/unit/fake_domain.h
xsm_SRCS += tests/unit/fake_p2m.c
