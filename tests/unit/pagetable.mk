# SPDX-License-Identifier: MIT
UNIT_TESTS += pagetable
pagetable_SRCS := tests/unit/test_pagetable.c common/mm/pagetable.c \
		  common/mm/page_pool.c \
		  arch/arm64/p2m_pte.c
pagetable_DEPS := include/orchid/pagetable.h arch/arm64/p2m_pte.h
