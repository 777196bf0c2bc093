# SPDX-License-Identifier: MIT
UNIT_TESTS += range_set
range_set_SRCS := tests/unit/test_range_set.c common/mm/range_set.c
