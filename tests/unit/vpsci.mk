# SPDX-License-Identifier: MIT
# PSCI for guests (arch/arm64/vpsci.c) with the real MPIDR decoding.
UNIT_TESTS += vpsci
vpsci_CFLAGS := $(UNIT_ARM64_CFLAGS)
vpsci_SRCS := tests/unit/test_vpsci.c arch/arm64/vpsci.c \
	      arch/arm64/vcpu_mpidr.c
vpsci_DEPS := tests/unit/arm64/asm/domain.h $(wildcard arch/arm64/include/asm/*.h)
