# SPDX-License-Identifier: MIT
UNIT_TESTS += heap
heap_SRCS := tests/unit/test_heap.c common/mm/heap.c common/mm/page_alloc.c \
	     tests/unit/printk_stub.c
