// SPDX-License-Identifier: MIT
/*
 * lib/string.c against the host's libc, over every alignment of source and
 * destination and lengths on both sides of the word size, since the word
 * paths are where a bug would hide.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

/* lib/string.c, built under these names by string_renamed.c. */
void *orchid_memcpy(void *dst, const void *src, size_t n);
void *orchid_memmove(void *dst, const void *src, size_t n);
void *orchid_memset(void *dst, int c, size_t n);
int orchid_memcmp(const void *a, const void *b, size_t n);
size_t orchid_strlen(const char *s);
size_t orchid_strnlen(const char *s, size_t max);
int orchid_strcmp(const char *a, const char *b);
int orchid_strncmp(const char *a, const char *b, size_t n);
char *orchid_strchr(const char *s, int c);
char *orchid_strrchr(const char *s, int c);
size_t orchid_strlcpy(char *dst, const char *src, size_t size);

/* Lengths past two 64-byte blocks and a tail: every path of the copies. */
enum { MAX_OFF = 16, MAX_LEN = 200, BUF = MAX_OFF + MAX_LEN + 16 };

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void fill_pattern(unsigned char *p, size_t n, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(seed * 31 + i * 7 + 1);
}

static void test_memcpy(void **state)
{
	unsigned char src[BUF], dst[BUF], want[BUF];
	size_t so, d, n;

	(void)state;
	for (so = 0; so < MAX_OFF; so++) {
		for (d = 0; d < MAX_OFF; d++) {
			for (n = 0; n <= MAX_LEN; n++) {
				fill_pattern(src, sizeof(src), (unsigned)n);
				memset(dst, 0xee, sizeof(dst));
				memset(want, 0xee, sizeof(want));
				memcpy(want + d, src + so, n);
				assert_ptr_equal(
					orchid_memcpy(dst + d, src + so, n),
					dst + d);
				assert_memory_equal(dst, want, sizeof(dst));
			}
		}
	}
}

static void test_memmove_overlap(void **state)
{
	unsigned char buf[BUF], want[BUF];
	size_t a, b, n;

	(void)state;
	for (a = 0; a < 24; a++) {
		for (b = 0; b < 24; b++) {
			for (n = 0; n <= 160; n++) {
				fill_pattern(buf, sizeof(buf),
					     (unsigned)(a + b));
				memcpy(want, buf, sizeof(buf));
				memmove(want + a, want + b, n);
				assert_ptr_equal(
					orchid_memmove(buf + a, buf + b, n),
					buf + a);
				assert_memory_equal(buf, want, sizeof(buf));
			}
		}
	}
}

static void test_memset(void **state)
{
	static const int values[] = {0, 0xa5, -1, 0x1ff, 'x'};
	unsigned char buf[BUF], want[BUF];
	size_t v, d, n;

	(void)state;
	for (v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
		for (d = 0; d < MAX_OFF; d++) {
			for (n = 0; n <= MAX_LEN; n++) {
				memset(buf, 0x11, sizeof(buf));
				memset(want, 0x11, sizeof(want));
				memset(want + d, values[v], n);
				assert_ptr_equal(
					orchid_memset(buf + d, values[v], n),
					buf + d);
				assert_memory_equal(buf, want, sizeof(buf));
			}
		}
	}
}

static void test_memcmp(void **state)
{
	unsigned char a[64], b[64];
	size_t i, n;

	(void)state;
	fill_pattern(a, sizeof(a), 3);
	memcpy(b, a, sizeof(b));
	for (n = 0; n <= sizeof(a); n++)
		assert_int_equal(orchid_memcmp(a, b, n), 0);
	for (i = 0; i < sizeof(a); i++) {
		memcpy(b, a, sizeof(b));
		b[i] = (unsigned char)(a[i] ^
				       0x80); /* also tests unsignedness */
		for (n = 0; n <= sizeof(a); n++)
			assert_int_equal(sign(orchid_memcmp(a, b, n)),
					 sign(memcmp(a, b, n)));
	}
}

static void test_strlen(void **state)
{
	char buf[BUF];
	size_t off, len, max;

	(void)state;
	for (off = 0; off < MAX_OFF; off++) {
		for (len = 0; len < 40; len++) {
			memset(buf, 'a', sizeof(buf));
			buf[off + len] = '\0';
			assert_int_equal(orchid_strlen(buf + off), len);
			for (max = 0; max < 45; max++)
				assert_int_equal(orchid_strnlen(buf + off, max),
						 strnlen(buf + off, max));
		}
	}
}

static void test_strnlen_unterminated(void **state)
{
	char buf[4] = {'a', 'b', 'c', 'd'}; /* no NUL: must not read on */

	(void)state;
	assert_int_equal(orchid_strnlen(buf, sizeof(buf)), 4);
	assert_int_equal(orchid_strnlen(buf, 2), 2);
	assert_int_equal(orchid_strnlen(buf, 0), 0);
}

static void test_strcmp(void **state)
{
	static const char *const words[] = {
		"", "a", "b", "ab", "abc", "abd", "abcd", "\x80", "\x7f", "A",
	};
	size_t n = sizeof(words) / sizeof(words[0]);
	size_t i, j, k;

	(void)state;
	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			assert_int_equal(
				sign(orchid_strcmp(words[i], words[j])),
				sign(strcmp(words[i], words[j])));
			for (k = 0; k < 6; k++)
				assert_int_equal(
					sign(orchid_strncmp(words[i], words[j],
							    k)),
					sign(strncmp(words[i], words[j], k)));
		}
	}
}

static void test_strchr(void **state)
{
	const char *s = "hello, world";

	(void)state;
	assert_ptr_equal(orchid_strchr(s, 'o'), s + 4);
	assert_ptr_equal(orchid_strrchr(s, 'o'), s + 8);
	assert_ptr_equal(orchid_strchr(s, 'h'), s);
	assert_ptr_equal(orchid_strrchr(s, 'h'), s);
	assert_null(orchid_strchr(s, 'z'));
	assert_null(orchid_strrchr(s, 'z'));
	/* The terminator is part of the string. */
	assert_ptr_equal(orchid_strchr(s, '\0'), s + strlen(s));
	assert_ptr_equal(orchid_strrchr(s, '\0'), s + strlen(s));
	/* c is converted to char first. */
	assert_ptr_equal(orchid_strchr(s, 'w' + 256), strchr(s, 'w' + 256));
	assert_ptr_equal(orchid_strchr("", 'a'), NULL);
	assert_ptr_equal(orchid_strrchr("\xff", 0xff), strrchr("\xff", 0xff));
}

static void test_strlcpy(void **state)
{
	const char *src = "orchid";
	size_t len = strlen(src);
	char buf[16];
	size_t size, i;

	(void)state;
	for (size = 0; size <= len + 2; size++) {
		memset(buf, 'X', sizeof(buf));
		assert_int_equal(orchid_strlcpy(buf, src, size), len);
		if (size) {
			size_t n = size - 1 < len ? size - 1 : len;

			assert_memory_equal(buf, src, n);
			assert_int_equal(buf[n], '\0');
			i = n + 1;
		} else {
			i = 0;
		}
		for (; i < sizeof(buf); i++)
			assert_int_equal(buf[i], 'X');
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memcpy),
		cmocka_unit_test(test_memmove_overlap),
		cmocka_unit_test(test_memset),
		cmocka_unit_test(test_memcmp),
		cmocka_unit_test(test_strlen),
		cmocka_unit_test(test_strnlen_unterminated),
		cmocka_unit_test(test_strcmp),
		cmocka_unit_test(test_strchr),
		cmocka_unit_test(test_strlcpy),
	};

	return cmocka_run_group_tests_name("string", tests, NULL, NULL);
}
