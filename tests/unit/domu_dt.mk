# SPDX-License-Identifier: MIT
# A dom0less DomU's device tree (arch/arm64/domu_dt.c) from QEMU's virt DTB,
# with partial device trees the test compiles with dtc.
UNIT_TESTS += domu_dt
domu_dt_SRCS := tests/unit/test_domu_dt.c tests/unit/test_data.c \
		arch/arm64/domu_dt.c arch/arm64/dom0_dt.c arch/arm64/dom0_dt_gic.c \
		arch/arm64/dt_lookup.c common/mm/range_set.c lib/fdt_write.c \
		lib/fdt.c tests/unit/printk_stub.c
domu_dt_DEPS = $(FDT_TEST_DTBS) arch/arm64/domu_dt.h arch/arm64/dom0_dt_priv.h \
	       arch/arm64/dom0_dt.h arch/arm64/dt_lookup.h
