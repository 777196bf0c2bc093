# SPDX-License-Identifier: MIT
UNIT_TESTS += guest_access
guest_access_SRCS := tests/unit/test_guest_access.c tests/unit/fake_p2m.c common/guest_access.c \
		     arch/fake/guest_va.c
guest_access_DEPS := tests/unit/fake_p2m.h arch/fake/include/asm/guest_va.h \
		     arch/fake/include/asm/domain.h $(wildcard include/public/*.h)
