# SPDX-License-Identifier: MIT
UNIT_TESTS += tasklet
tasklet_SRCS := tests/unit/test_tasklet.c common/sched/tasklet.c
