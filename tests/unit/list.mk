# SPDX-License-Identifier: MIT
UNIT_TESTS += list
list_SRCS := tests/unit/test_list.c
