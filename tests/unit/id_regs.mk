# SPDX-License-Identifier: MIT
UNIT_TESTS += id_regs
id_regs_SRCS := tests/unit/test_id_regs.c arch/arm64/id_regs_sanitize.c
id_regs_DEPS := arch/arm64/id_regs_sanitize.h
