# SPDX-License-Identifier: MIT
# Dom0less static memory (xen,static-mem) read from device trees the test
# compiles with dtc, and kept out of the heap by bootmem.
UNIT_TESTS += static_mem
static_mem_SRCS := tests/unit/test_static_mem.c tests/unit/test_data.c \
		   common/boot/static_mem.c common/mm/bootmem.c \
		   common/mm/range_set.c lib/fdt.c tests/unit/printk_stub.c
static_mem_DEPS := include/orchid/static_mem.h tests/unit/printk_stub.h
