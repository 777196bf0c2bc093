# SPDX-License-Identifier: MIT
# ARINC 653 (major frames, XEN_SYSCTL_scheduler_op) on the scheduler tests' world.
UNIT_TESTS += arinc653
arinc653_SRCS := tests/unit/test_arinc653.c tests/unit/fake_sched.c \
		 common/sched/sched.c common/sched/sched_params.c common/sched/credit2.c common/sched/credit.c \
		 common/sched/arinc653.c common/sched/null.c common/sched/rtds.c \
		 common/sched/timer.c tests/unit/printk_stub.c
arinc653_DEPS := tests/unit/printk_stub.h tests/unit/fake_sched.h
