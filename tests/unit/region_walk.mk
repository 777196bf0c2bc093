# SPDX-License-Identifier: MIT
UNIT_TESTS += region_walk
region_walk_SRCS := tests/unit/test_region_walk.c common/mm/region_walk.c
