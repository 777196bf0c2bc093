# SPDX-License-Identifier: MIT
# XEN_SYSCTL_livepatch_op's names, LIST protocol, actions and states.
UNIT_TESTS += livepatch_sysctl
livepatch_sysctl_SRCS := tests/unit/test_livepatch_sysctl.c \
			 common/livepatch/sysctl.c common/printk.c lib/vsprintf.c
livepatch_sysctl_CFLAGS := -DCONFIG_LIVEPATCH=1
livepatch_sysctl_DEPS := include/orchid/livepatch.h include/public/sysctl.h
