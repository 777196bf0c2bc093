# SPDX-License-Identifier: MIT
# The null scheduler's policy on the scheduler tests' fake world.
UNIT_TESTS += null
null_SRCS := tests/unit/test_null.c tests/unit/fake_sched.c \
	     common/sched/sched.c common/sched/sched_params.c common/sched/credit2.c common/sched/credit.c common/sched/arinc653.c common/sched/null.c \
	     common/sched/rtds.c common/sched/timer.c tests/unit/printk_stub.c
null_DEPS := tests/unit/printk_stub.h tests/unit/fake_sched.h
