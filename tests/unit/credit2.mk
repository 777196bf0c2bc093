# SPDX-License-Identifier: MIT
# credit2's policy on the same fake world.
UNIT_TESTS += credit2
credit2_SRCS := tests/unit/test_credit2.c tests/unit/fake_sched.c \
		common/sched/sched.c common/sched/sched_params.c common/sched/credit2.c common/sched/credit.c common/sched/arinc653.c common/sched/null.c common/sched/rtds.c \
		common/sched/timer.c tests/unit/printk_stub.c
credit2_DEPS := tests/unit/printk_stub.h tests/unit/fake_sched.h
