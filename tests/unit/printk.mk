UNIT_TESTS += printk
printk_SRCS := tests/unit/test_printk.c common/printk.c lib/vsprintf.c
