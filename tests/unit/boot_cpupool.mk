# SPDX-License-Identifier: MIT
# Boot-time cpupools read from device trees the test compiles with dtc.
UNIT_TESTS += boot_cpupool
boot_cpupool_SRCS := tests/unit/test_boot_cpupool.c tests/unit/test_data.c \
		     tests/unit/fake_sched.c common/sched/boot_cpupool.c \
		     common/sched/sched.c common/sched/sched_params.c common/sched/credit2.c \
		     common/sched/credit.c common/sched/arinc653.c \
		     common/sched/null.c common/sched/rtds.c \
		     common/sched/timer.c lib/fdt.c tests/unit/printk_stub.c
boot_cpupool_DEPS := common/sched/boot_cpupool.h tests/unit/printk_stub.h \
		     tests/unit/fake_sched.h
