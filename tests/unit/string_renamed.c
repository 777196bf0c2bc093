// SPDX-License-Identifier: MIT
/*
 * lib/string.c under other names, so that test_string links it beside the
 * host's libc (which ASan and cmocka rely on) and compares the two.
 */
#define memcpy	orchid_memcpy
#define memmove orchid_memmove
#define memset	orchid_memset
#define memcmp	orchid_memcmp
#define strlen	orchid_strlen
#define strnlen orchid_strnlen
#define strcmp	orchid_strcmp
#define strncmp orchid_strncmp
#define strchr	orchid_strchr
#define strrchr orchid_strrchr
#define strlcpy orchid_strlcpy

#include "../../lib/string.c"
