# SPDX-License-Identifier: MIT
# The vpl011 with its ring backend (arch/arm64/vpl011_ring.c) under a
# hostile guest and backend.
UNIT_TESTS += vpl011_ring
vpl011_ring_CFLAGS := $(UNIT_ARM64_CFLAGS)
vpl011_ring_SRCS := tests/unit/test_vpl011_ring.c arch/arm64/vpl011.c \
		    arch/arm64/vpl011_ring.c
vpl011_ring_DEPS := $(wildcard arch/arm64/include/asm/*.h) \
		    arch/arm64/vpl011_backend.h include/public/io/console.h
