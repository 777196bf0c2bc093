# SPDX-License-Identifier: MIT
UNIT_TESTS += guest_batch
guest_batch_SRCS := tests/unit/test_guest_batch.c common/mm/guest_batch.c \
		    common/mm/guest_access.c arch/fake/guest_va.c \
		    tests/unit/fake_p2m.c
guest_batch_DEPS := arch/fake/include/asm/guest_va.h \
		    arch/fake/include/asm/domain.h include/orchid/guest_batch.h
