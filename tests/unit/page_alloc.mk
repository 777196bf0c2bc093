# SPDX-License-Identifier: MIT
UNIT_TESTS += page_alloc
page_alloc_SRCS := tests/unit/test_page_alloc.c common/mm/page_alloc.c \
		   tests/unit/printk_stub.c
