# SPDX-License-Identifier: MIT
UNIT_TESTS += vgic
vgic_SRCS := tests/unit/test_vgic.c arch/arm64/vgic_common.c
vgic_DEPS := arch/arm64/vgic_common.h
