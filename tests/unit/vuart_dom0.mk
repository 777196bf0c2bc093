# SPDX-License-Identifier: MIT
# Dom0's stand-in for the console UART (arch/arm64/vuart_dom0.c).
UNIT_TESTS += vuart_dom0
vuart_dom0_CFLAGS := $(UNIT_ARM64_CFLAGS)
vuart_dom0_SRCS := tests/unit/test_vuart_dom0.c arch/arm64/vuart_dom0.c
vuart_dom0_DEPS := $(wildcard arch/arm64/include/asm/*.h)
