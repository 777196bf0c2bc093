# SPDX-License-Identifier: MIT
UNIT_TESTS += heap
heap_SRCS := tests/unit/test_heap.c common/heap.c common/page_alloc.c \
	     tests/unit/printk_stub.c
