# SPDX-License-Identifier: MIT
UNIT_TESTS += page_scrub
page_scrub_SRCS := tests/unit/test_page_scrub.c common/mm/page_alloc.c \
		   tests/unit/printk_stub.c
