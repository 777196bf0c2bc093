# SPDX-License-Identifier: MIT
# Stage 2 (arch/arm64/p2m.c) over the real page-table engine, table pool
# and stage-2 format, with system registers in memory and TLBIs logged.
UNIT_TESTS += p2m
p2m_CFLAGS := $(UNIT_ARM64_CFLAGS)
p2m_SRCS := tests/unit/test_p2m.c arch/arm64/p2m.c arch/arm64/p2m_pte.c \
	    common/mm/pagetable.c common/mm/page_pool.c tests/unit/fake_sysreg.c \
	    tests/unit/printk_stub.c
p2m_DEPS := tests/unit/arm64/asm/domain.h tests/unit/arm64/asm/host_sysreg.h \
	    tests/unit/printk_stub.h arch/arm64/p2m_pte.h \
	    $(wildcard arch/arm64/include/asm/*.h)
