# SPDX-License-Identifier: MIT
# Hypercall coverage counting (common/xen/hypercall_cov.c), built as with
# CONFIG_HYPERCALL_COVERAGE=y: sub-ops, result classes, the printed table.
UNIT_TESTS += hypercall_cov
hypercall_cov_SRCS := tests/unit/test_hypercall_cov.c \
		      common/xen/hypercall_cov.c
hypercall_cov_CFLAGS := -DCONFIG_HYPERCALL_COVERAGE=1
