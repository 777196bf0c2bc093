# SPDX-License-Identifier: MIT
UNIT_TESTS += guest_access
guest_access_SRCS := tests/unit/test_guest_access.c common/mm/guest_access.c \
		     arch/fake/guest_va.c
guest_access_DEPS := arch/fake/include/asm/guest_va.h \
		     arch/fake/include/asm/domain.h $(wildcard include/public/*.h)
guest_access_SRCS += tests/unit/fake_p2m.c
