# SPDX-License-Identifier: MIT
# Emulated MMIO ranges and data-abort decoding (arch/arm64/mmio.c).
UNIT_TESTS += mmio
mmio_CFLAGS := $(UNIT_ARM64_CFLAGS)
mmio_SRCS := tests/unit/test_mmio.c arch/arm64/mmio.c tests/unit/printk_stub.c
mmio_DEPS := tests/unit/arm64/asm/domain.h tests/unit/printk_stub.h \
	     $(wildcard arch/arm64/include/asm/*.h)
