# SPDX-License-Identifier: MIT
# A DomU's emulated SBSA UART (arch/arm64/vpl011.c).
UNIT_TESTS += vpl011
vpl011_CFLAGS := $(UNIT_ARM64_CFLAGS)
vpl011_SRCS := tests/unit/test_vpl011.c arch/arm64/vpl011.c \
	       arch/arm64/vpl011_console.c
vpl011_DEPS := $(wildcard arch/arm64/include/asm/*.h)
