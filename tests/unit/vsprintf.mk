UNIT_TESTS += vsprintf
vsprintf_SRCS := tests/unit/test_vsprintf.c lib/vsprintf.c
