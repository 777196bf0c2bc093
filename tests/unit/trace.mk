# SPDX-License-Identifier: MIT
# Trace buffers (xentrace's XEN_SYSCTL_tbuf_op and the record ring).
UNIT_TESTS += trace
trace_SRCS := tests/unit/test_trace.c common/trace.c common/printk.c lib/vsprintf.c
trace_CFLAGS := -DCONFIG_TRACEBUFFER=1
trace_DEPS := include/public/trace.h include/public/sysctl.h
