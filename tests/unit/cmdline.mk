UNIT_TESTS += cmdline
cmdline_SRCS := tests/unit/test_cmdline.c common/boot/cmdline.c common/printk.c \
		lib/vsprintf.c
