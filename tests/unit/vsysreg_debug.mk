# SPDX-License-Identifier: MIT
# The debug and PMU registers guests reach (arch/arm64/vsysreg_debug.c).
UNIT_TESTS += vsysreg_debug
vsysreg_debug_CFLAGS := $(UNIT_ARM64_CFLAGS)
vsysreg_debug_SRCS := tests/unit/test_vsysreg_debug.c \
		      arch/arm64/vsysreg_debug.c
vsysreg_debug_DEPS := tests/unit/arm64/asm/domain.h \
		      $(wildcard arch/arm64/include/asm/*.h)
