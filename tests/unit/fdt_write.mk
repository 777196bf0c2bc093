# SPDX-License-Identifier: MIT
# Device-tree writer tests; they read back through lib/fdt.c, copy the DTBs
# tests/unit/fdt.mk builds and run dtc on what they write.
UNIT_TESTS += fdt_write
fdt_write_SRCS := tests/unit/test_fdt_write.c tests/unit/test_data.c lib/fdt_write.c lib/fdt.c
fdt_write_DEPS = $(FDT_TEST_DTBS)
