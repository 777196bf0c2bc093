# SPDX-License-Identifier: MIT
UNIT_TESTS += memory_op
memory_op_SRCS := common/xen/preempt.c tests/unit/test_memory_op.c common/xen/memory.c \
		  common/mm/domain_mem.c common/mm/domain_physmap.c common/xen/grant_table.c common/xen/grant_map.c \
		  common/printk.c lib/vsprintf.c tests/unit/fake_domain.c \
		  tests/unit/fake_mem.c
memory_op_DEPS := tests/unit/fake_domain.h tests/unit/fake_mem.h \
		  common/xen/grant_table_priv.h $(wildcard include/public/*.h)
memory_op_SRCS += common/xen/xsm.c # grant_map.c asks the XSM policy
memory_op_SRCS += tests/unit/fake_p2m.c
# domain_mem_alloc_xen_shared (DOMID_XEN's pages) is built with trace buffers.
memory_op_CFLAGS := -DCONFIG_TRACEBUFFER=1
