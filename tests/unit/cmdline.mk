UNIT_TESTS += cmdline
cmdline_SRCS := tests/unit/test_cmdline.c common/cmdline.c common/printk.c \
		lib/vsprintf.c
