// SPDX-License-Identifier: MIT
/*
 * fmt_vsnprintf against the host's vsnprintf: every combination of flags,
 * width, precision, length and integer conversion over boundary values,
 * strings, characters and pointers, then truncation at every buffer size.
 * What C leaves to the implementation (NULL strings and pointers, unknown
 * conversions) is checked against Orchid's own rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <limits.h>

#include <cmocka.h>

#include <orchid/string.h>

enum { OUT = 512 };

/*
 * Format with both implementations into buffers of @size and compare the
 * return values and the buffers, bytes past @size included (they must be
 * untouched by both).
 */
static void check_sized(size_t size, const char *fmt, va_list ap)
{
	char want[OUT], got[OUT];
	va_list aq;
	int wn, gn;

	memset(want, 0x5a, sizeof(want));
	memset(got, 0x5a, sizeof(got));
	va_copy(aq, ap);
	wn = vsnprintf(want, size, fmt, ap);
	gn = fmt_vsnprintf(got, size, fmt, aq);
	va_end(aq);
	if (wn != gn || memcmp(want, got, sizeof(want)) != 0)
		fail_msg("format \"%s\" size %zu: libc %d \"%.*s\", orchid %d "
			 "\"%.*s\"",
			 fmt, size, wn, wn > 0 ? wn : 0, want, gn,
			 gn > 0 ? gn : 0, got);
}

/* Compare one format, with a buffer that is large enough. */
static void check(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	check_sized(OUT, fmt, ap);
	va_end(ap);
}

/* Compare one format at every buffer size from 0 to past its length. */
static void check_all_sizes(const char *fmt, ...)
{
	va_list ap, aq;
	char tmp[OUT];
	size_t size;
	int len;

	va_start(ap, fmt);
	va_copy(aq, ap);
	len = vsnprintf(tmp, sizeof(tmp), fmt, aq);
	va_end(aq);
	assert_true(len >= 0 && len + 3 < OUT);
	for (size = 0; size <= (size_t)len + 3; size++) {
		va_copy(aq, ap);
		check_sized(size, fmt, aq);
		va_end(aq);
	}
	va_end(ap);
}

/* Orchid-only behaviour: no libc to compare with. */
static int orchid_fmt(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void expect(const char *want, const char *fmt, ...)
{
	char got[OUT];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(got, sizeof(got), fmt, ap);
	va_end(ap);
	assert_string_equal(got, want);
	assert_int_equal(n, strlen(want));
}

static const char *const widths[] = {"", "1", "6", "23"};
static const char *const precisions[] = {"", ".", ".0", ".1", ".4", ".25"};
static const char conversions[] = "diuxXo";

/* Every subset of the flags "-0#+ " as a string, in @out. */
static void flags_of(unsigned int mask, char *out)
{
	static const char flags[] = "-0#+ ";
	unsigned int i;

	for (i = 0; i < 5; i++) {
		if (mask & (1u << i))
			*out++ = flags[i];
	}
	*out = '\0';
}

/* Call @fn(format, value index) for every integer format of @length. */
static void for_each_int_format(const char *length,
				void (*fn)(const char *fmt, size_t i),
				size_t nvalues)
{
	char flags[8], fmt[64];
	unsigned int mask;
	size_t w, p, c, v;

	for (mask = 0; mask < 32; mask++) {
		flags_of(mask, flags);
		for (w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
			for (p = 0;
			     p < sizeof(precisions) / sizeof(precisions[0]);
			     p++) {
				for (c = 0; conversions[c]; c++) {
					snprintf(fmt, sizeof(fmt),
						 "%%%s%s%s%s%c", flags,
						 widths[w], precisions[p],
						 length, conversions[c]);
					for (v = 0; v < nvalues; v++)
						fn(fmt, v);
				}
			}
		}
	}
}

static const int int_values[] = {
	0,    1,     -1,     7,	    42,	   -42,	       255,	256,
	-129, 32767, -32768, 65535, 65536, 0x12345678, INT_MAX, INT_MIN,
};

static void check_int(const char *fmt, size_t i)
{
	check(fmt, int_values[i]);
}

static const long long ll_values[] = {
	0,
	1,
	-1,
	4294967295LL,
	4294967296LL,
	-1234567890123LL,
	0x123456789abcdefLL,
	LLONG_MAX,
	LLONG_MIN,
};

static void check_long(const char *fmt, size_t i)
{
	check(fmt, (long)ll_values[i]);
}

static void check_long_long(const char *fmt, size_t i)
{
	check(fmt, ll_values[i]);
}

static void check_intmax(const char *fmt, size_t i)
{
	check(fmt, (intmax_t)ll_values[i]);
}

static const size_t size_values[] = {0, 1, 12345, SIZE_MAX, SIZE_MAX / 2};

static void check_size(const char *fmt, size_t i)
{
	check(fmt, size_values[i]);
}

static const ptrdiff_t ptrdiff_values[] = {0, -1, 1, PTRDIFF_MAX, PTRDIFF_MIN};

static void check_ptrdiff(const char *fmt, size_t i)
{
	check(fmt, ptrdiff_values[i]);
}

#define NVALUES(a) (sizeof(a) / sizeof((a)[0]))

static void test_int_matrix(void **state)
{
	(void)state;
	/* hh and h take an int and narrow it, so int values exercise them. */
	for_each_int_format("", check_int, NVALUES(int_values));
	for_each_int_format("hh", check_int, NVALUES(int_values));
	for_each_int_format("h", check_int, NVALUES(int_values));
}

static void test_long_matrix(void **state)
{
	(void)state;
	for_each_int_format("l", check_long, NVALUES(ll_values));
	for_each_int_format("ll", check_long_long, NVALUES(ll_values));
	for_each_int_format("j", check_intmax, NVALUES(ll_values));
}

static void test_size_matrix(void **state)
{
	(void)state;
	for_each_int_format("z", check_size, NVALUES(size_values));
	for_each_int_format("t", check_ptrdiff, NVALUES(ptrdiff_values));
}

static void test_strings(void **state)
{
	static const char *const fmts[] = {
		"%s",	 "%10s",   "%-10s", "%.0s", "%.3s", "%.30s",
		"%2.1s", "%-8.2s", "%1s",   "[%s]", "%s%s",
	};
	static const char *const strs[] = {
		"",
		"a",
		"hello",
		"a rather longer string than the width",
	};
	size_t f, s;

	(void)state;
	for (f = 0; f < NVALUES(fmts); f++) {
		for (s = 0; s < NVALUES(strs); s++)
			check(fmts[f], strs[s], strs[s]);
	}
}

static void test_precision_stops_reading(void **state)
{
	char unterminated[3] = {'a', 'b', 'c'};

	(void)state;
	/* ASan would catch a read past the array. */
	expect("ab", "%.2s", unterminated);
	expect("abc", "%.3s", unterminated);
}

static void test_chars(void **state)
{
	static const char *const fmts[] = {"%c", "%3c", "%-3c", "<%c>"};
	static const int chars[] = {'a', ' ', '~', 0x7f, 0x80 + 'a'};
	size_t f, c;

	(void)state;
	for (f = 0; f < NVALUES(fmts); f++) {
		for (c = 0; c < NVALUES(chars); c++)
			check(fmts[f], chars[c]);
	}
	/* A NUL character is output and counted. */
	check("a%cb", 0);
}

static void test_pointers(void **state)
{
	int local;
	void *ptrs[] = {(void *)1, (void *)0xdeadbeef, &local,
			(void *)UINTPTR_MAX};
	static const char *const fmts[] = {"%p", "%20p", "%-20p", "%2p",
					   "[%p]"};
	size_t f, p;

	(void)state;
	for (f = 0; f < NVALUES(fmts); f++) {
		for (p = 0; p < NVALUES(ptrs); p++)
			check(fmts[f], ptrs[p]);
	}
}

static void test_star(void **state)
{
	static const int widths_star[] = {-10, -1, 0, 5, 12};
	static const int precs_star[] = {-3, 0, 2, 9};
	size_t w, p;

	(void)state;
	for (w = 0; w < NVALUES(widths_star); w++) {
		check("%*d|", widths_star[w], 42);
		check("%-*d|", widths_star[w], -42);
		check("%0*x|", widths_star[w], 0xbeef);
		check("%*s|", widths_star[w], "str");
		for (p = 0; p < NVALUES(precs_star); p++) {
			check("%*.*d|", widths_star[w], precs_star[p], 123);
			check("%*.*s|", widths_star[w], precs_star[p],
			      "string");
			check("%0*.*u|", widths_star[w], precs_star[p], 7u);
		}
	}
}

static void test_mixed(void **state)
{
	(void)state;
	check("");
	check("plain text");
	check("%%");
	check("100%% done");
	check("pid %d: %s at %#lx (%u%%)\n", 17, "dom0", 0xffff800000000000UL,
	      99u);
	check("%s=%d %s=%#x %c%c", "a", -1, "b", 255u, 'o', 'k');
	check("%08.3d|%-+6d|% 05d|%+.0d", 7, 7, -7, 0);
	check("%#o %#o %#.0o %#.3o %#5o", 0u, 8u, 0u, 8u, 1u);
	check("%#x %#X %#.0x %#08x %#-8x|", 0u, 0xabcu, 0u, 0x1fu, 0x1fu);
	check("%hhd %hhu %hd %hu", 300, -1, 70000, -1);
}

static void test_truncation(void **state)
{
	(void)state;
	check_all_sizes("");
	check_all_sizes("x");
	check_all_sizes("hello, world");
	check_all_sizes("%d", INT_MIN);
	check_all_sizes("%#018lx", 0x1234UL);
	check_all_sizes("%-12s|%5c|", "left", 'c');
	check_all_sizes("%s%s%s", "one", "two", "three");
	check_all_sizes("%p", (void *)0x1234);
	check_all_sizes("%10.4d%%", -5);
}

static void test_size_zero(void **state)
{
	char buf[4] = "abc";

	(void)state;
	assert_int_equal(fmt_snprintf(NULL, 0, "%d", 12345), 5);
	assert_int_equal(fmt_snprintf(buf, 0, "%s", "long string"), 11);
	assert_string_equal(buf, "abc"); /* untouched */
	assert_int_equal(fmt_snprintf(buf, 1, "%s", "xyz"), 3);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(buf[1], 'b');
}

static void test_huge_width(void **state)
{
	char buf[16];

	(void)state;
	/* The would-be length is counted without writing a million bytes. */
	assert_int_equal(fmt_snprintf(buf, sizeof(buf), "%1000000d", 1),
			 1000000);
	assert_string_equal(buf, "               ");
	assert_int_equal(fmt_snprintf(buf, sizeof(buf), "%.1000000d", 1),
			 1000000);
	assert_string_equal(buf, "000000000000000");
	/* Longer than an int can say: an error, as in C99. */
	assert_int_equal(
		orchid_fmt(buf, sizeof(buf), "%*d%*d", INT_MAX, 1, INT_MAX, 1),
		-1);
	assert_int_equal(buf[sizeof(buf) - 1], '\0');
	/* A width that does not fit an int saturates instead of wrapping. */
	assert_int_equal(orchid_fmt(NULL, 0, "%99999999999999999999d", 1),
			 INT_MAX);
}

static void test_null_and_orchid_rules(void **state)
{
	(void)state;
	expect("(null)", "%s", (char *)NULL);
	expect("    (null)", "%10s", (char *)NULL);
	expect("(nu", "%.3s", (char *)NULL);
	expect("0x0", "%p", NULL);
	expect("0x1234", "%p", (void *)0x1234);
	expect("%", "%5%");
	/* Unknown conversions come out as written. */
	expect("%y", "%y");
	expect("a %-5.2y b", "a %-5.2y b");
	expect("%q 7", "%q %d", 7);
	expect("abc%", "abc%");
	expect("abc%-08", "abc%-08");
	expect("%l", "%l");
	expect("%lhx", "%lhx");
}

static void test_no_percent_n(void **state)
{
	int target = 42;

	(void)state;
	/* %n would write memory; it is printed instead and the arg unused. */
	assert_int_equal(orchid_fmt(NULL, 0, "ab%n", &target), 4);
	assert_int_equal(target, 42);
	expect("ab%n", "ab%n");
}

static void test_bounded_writes(void **state)
{
	char buf[8];
	size_t size;

	(void)state;
	for (size = 0; size <= 8; size++) {
		memset(buf, '#', sizeof(buf));
		assert_int_equal(fmt_snprintf(buf, size, "%s-%d", "abcdef", 12),
				 9);
		if (size)
			assert_int_equal(strlen(buf), size - 1);
		for (size_t i = size; i < sizeof(buf); i++)
			assert_int_equal(buf[i], '#');
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_int_matrix),
		cmocka_unit_test(test_long_matrix),
		cmocka_unit_test(test_size_matrix),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_precision_stops_reading),
		cmocka_unit_test(test_chars),
		cmocka_unit_test(test_pointers),
		cmocka_unit_test(test_star),
		cmocka_unit_test(test_mixed),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_size_zero),
		cmocka_unit_test(test_huge_width),
		cmocka_unit_test(test_null_and_orchid_rules),
		cmocka_unit_test(test_no_percent_n),
		cmocka_unit_test(test_bounded_writes),
	};

	return cmocka_run_group_tests_name("vsprintf", tests, NULL, NULL);
}
