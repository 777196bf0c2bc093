# SPDX-License-Identifier: MIT
# The scheduler core with the real timer queue.
UNIT_TESTS += sched
sched_SRCS := tests/unit/test_sched.c tests/unit/fake_sched.c common/sched/sched.c common/sched/sched_params.c common/sched/credit2.c common/sched/credit.c common/sched/arinc653.c common/sched/null.c common/sched/rtds.c \
	      common/sched/timer.c \
	      tests/unit/printk_stub.c
sched_DEPS := tests/unit/printk_stub.h tests/unit/fake_sched.h

