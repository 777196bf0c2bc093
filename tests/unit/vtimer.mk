# SPDX-License-Identifier: MIT
# The guest's timers (arch/arm64/vtimer.c) with the real timer queue and
# system registers in memory.
UNIT_TESTS += vtimer
vtimer_CFLAGS := $(UNIT_ARM64_CFLAGS)
vtimer_SRCS := tests/unit/test_vtimer.c arch/arm64/vtimer.c common/sched/timer.c \
	       tests/unit/fake_sysreg.c
vtimer_DEPS := tests/unit/arm64/asm/domain.h tests/unit/arm64/asm/host_sysreg.h \
	       $(wildcard arch/arm64/include/asm/*.h)
