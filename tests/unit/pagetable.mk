# SPDX-License-Identifier: MIT
UNIT_TESTS += pagetable
pagetable_SRCS := tests/unit/test_pagetable.c common/pagetable.c \
		  common/page_pool.c \
		  arch/arm64/p2m_pte.c
pagetable_DEPS := include/orchid/pagetable.h arch/arm64/p2m_pte.h
