# SPDX-License-Identifier: MIT
UNIT_TESTS += timer
timer_SRCS := tests/unit/test_timer.c common/sched/timer.c
