# SPDX-License-Identifier: MIT
# Boot-information tests; their DTBs are built by tests/unit/fdt.mk.
UNIT_TESTS += bootinfo
bootinfo_SRCS := tests/unit/test_bootinfo.c tests/unit/test_data.c common/boot/bootinfo.c \
		arch/arm64/bootinfo_arch.c lib/fdt.c
bootinfo_DEPS = $(FDT_TEST_DTBS)
