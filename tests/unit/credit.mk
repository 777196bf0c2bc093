# SPDX-License-Identifier: MIT
# credit1 (weights, caps, BOOST, tslice) on the scheduler tests' fake world.
UNIT_TESTS += credit
credit_SRCS := tests/unit/test_credit.c tests/unit/fake_sched.c \
	       common/sched/sched.c common/sched/sched_params.c common/sched/credit2.c common/sched/credit.c common/sched/arinc653.c \
	       common/sched/null.c common/sched/rtds.c common/sched/timer.c \
	       tests/unit/printk_stub.c
credit_DEPS := tests/unit/printk_stub.h tests/unit/fake_sched.h
