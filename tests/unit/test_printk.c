// SPDX-License-Identifier: MIT
/*
 * printk: the "(XEN) " prefix on every line however the text arrives, level
 * filtering of both the ring and the consoles (as Xen's, so loglvl changes
 * what `xl dmesg` collects), debug keys' log-everything window, the ring keeping the newest bytes across
 * wrap-around, and consoles receiving exactly the text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <orchid/printk.h>

enum {
	RING_SIZE = 1 << CONFIG_LOG_BUF_SHIFT,
	CAPTURE_SIZE = 4 * RING_SIZE,
};

/* What a fake console driver was given, concatenated. */
struct capture {
	char text[CAPTURE_SIZE + 1];
	size_t len;
	unsigned int calls;
};

static struct capture cap_a, cap_b;

static void capture_append(struct capture *cap, const char *s, size_t len)
{
	assert_true(cap->len + len <= CAPTURE_SIZE);
	memcpy(cap->text + cap->len, s, len);
	cap->len += len;
	cap->text[cap->len] = '\0';
	cap->calls++;
}

static void console_a_write(const char *s, size_t len)
{
	capture_append(&cap_a, s, len);
}

static void console_b_write(const char *s, size_t len)
{
	capture_append(&cap_b, s, len);
}

static struct console console_a = {.write = console_a_write};
static struct console console_b = {.write = console_b_write};

static char ring_text[RING_SIZE + 1];

/* The whole ring, as a string. */
static const char *ring(void)
{
	size_t n = console_ring_read(ring_text, sizeof(ring_text) - 1, 0);

	assert_int_equal(n, console_ring_size());
	ring_text[n] = '\0';
	return ring_text;
}

static int group_setup(void **state)
{
	(void)state;
	console_register(&console_a);
	console_register(&console_b);
	return 0;
}

static int reset(void **state)
{
	(void)state;
	memset(&cap_a, 0, sizeof(cap_a));
	memset(&cap_b, 0, sizeof(cap_b));
	printk_set_level(LOG_INFO);
	console_ring_clear();
	return 0;
}

static void test_one_line(void **state)
{
	(void)state;
	printk("hello %d\n", 42);
	assert_string_equal(cap_a.text, "(XEN) hello 42\n");
	assert_string_equal(ring(), "(XEN) hello 42\n");
}

static void test_every_console_gets_the_text(void **state)
{
	(void)state;
	pr_info("to %s\n", "all");
	assert_string_equal(cap_a.text, "(XEN) to all\n");
	assert_string_equal(cap_b.text, "(XEN) to all\n");
}

static void test_multi_line_message(void **state)
{
	(void)state;
	printk("one\ntwo\n\nfour\n");
	assert_string_equal(cap_a.text,
			    "(XEN) one\n(XEN) two\n(XEN) \n(XEN) four\n");
	assert_string_equal(ring(), cap_a.text);
}

static void test_line_split_across_calls(void **state)
{
	(void)state;
	printk("foo");
	printk("%s", "bar");
	printk("baz\nnext");
	printk(" line\n");
	assert_string_equal(cap_a.text, "(XEN) foobarbaz\n(XEN) next line\n");
	assert_string_equal(ring(), cap_a.text);
}

static void test_empty_message(void **state)
{
	(void)state;
	printk("%s", "");
	assert_int_equal(cap_a.len, 0);
	assert_int_equal(console_ring_size(), 0);
	printk("\n");
	assert_string_equal(cap_a.text, "(XEN) \n");
}

static void test_default_level_is_info(void **state)
{
	(void)state;
	pr_err("e\n");
	pr_warn("w\n");
	pr_info("i\n");
	printk("p\n");
	pr_debug("d\n");
	assert_string_equal(cap_a.text, "(XEN) e\n(XEN) w\n(XEN) i\n(XEN) p\n");
	/* Like Xen, what the threshold hides is not logged at all. */
	assert_string_equal(ring(), "(XEN) e\n(XEN) w\n(XEN) i\n(XEN) p\n");
}

static void test_set_level(void **state)
{
	(void)state;
	printk_set_level(LOG_ERR);
	pr_err("e\n");
	pr_warn("w\n");
	pr_info("i\n");
	assert_string_equal(cap_a.text, "(XEN) e\n");

	memset(&cap_a, 0, sizeof(cap_a));
	printk_set_level(LOG_DEBUG);
	pr_debug("d\n");
	assert_string_equal(cap_a.text, "(XEN) d\n");

	memset(&cap_a, 0, sizeof(cap_a));
	printk_set_level(LOG_WARN);
	pr_warn("w\n");
	pr_info("i\n");
	assert_string_equal(cap_a.text, "(XEN) w\n");
	assert_string_equal(ring(), "(XEN) e\n(XEN) d\n(XEN) w\n");
}

/* Debug keys' output reaches the ring whatever the threshold. */
static void test_log_everything(void **state)
{
	(void)state;
	printk_set_level(LOG_ERR);
	printk_log_everything(true);
	pr_debug("d\n");
	printk_log_everything(false);
	pr_debug("gone\n");
	assert_string_equal(cap_a.text, "(XEN) d\n");
	assert_string_equal(ring(), "(XEN) d\n");
}

/* A hidden partial line must not cost the console its next prefix. */
static void test_filtered_partial_line(void **state)
{
	(void)state;
	pr_debug("hidden ");
	pr_info("shown\n");
	assert_string_equal(cap_a.text, "(XEN) shown\n");
	assert_string_equal(ring(), "(XEN) shown\n");
}

static void log_at(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(level, fmt, ap);
	va_end(ap);
}

static void test_vprintk(void **state)
{
	(void)state;
	printk_set_level(LOG_WARN);
	log_at(LOG_WARN, "%s %d %#x %c%%\n", "mix", -3, 0x1f, 'z');
	log_at(LOG_INFO, "quiet %s\n", "info");
	assert_string_equal(cap_a.text, "(XEN) mix -3 0x1f z%\n");
	assert_string_equal(ring(), "(XEN) mix -3 0x1f z%\n");
}

/* Log @n numbered lines of 41 bytes each, prefix included. */
static void log_lines(unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		printk("line %05u of the wrap-around test\n", i);
}

static void test_ring_wraps_keeping_newest(void **state)
{
	const char *r;

	(void)state;
	/* About three ring sizes, so the ring starts mid-line. */
	log_lines(3 * RING_SIZE / 41 + 7);
	assert_true(cap_a.len > 2 * RING_SIZE);
	assert_int_equal(console_ring_size(), RING_SIZE);
	r = ring();
	assert_memory_equal(r, cap_a.text + cap_a.len - RING_SIZE, RING_SIZE);
}

static void test_ring_read_offset(void **state)
{
	char buf[64];
	size_t used;

	(void)state;
	printk("abcdefghij\n"); /* "(XEN) abcdefghij\n": 17 bytes */
	assert_int_equal(console_ring_size(), 17);

	assert_int_equal(console_ring_read(buf, 4, 6), 4);
	assert_memory_equal(buf, "abcd", 4);
	assert_int_equal(console_ring_read(buf, sizeof(buf), 10), 7);
	assert_memory_equal(buf, "efghij\n", 7);
	assert_int_equal(console_ring_read(buf, sizeof(buf), 17), 0);
	assert_int_equal(console_ring_read(buf, sizeof(buf), 1000), 0);
	assert_int_equal(console_ring_read(buf, 0, 0), 0);

	/* The same across the physical end of the ring. */
	log_lines(RING_SIZE / 41 + 3);
	used = console_ring_size();
	assert_int_equal(used, RING_SIZE);
	for (size_t off = 0; off < used; off += 997) {
		size_t n = console_ring_read(buf, sizeof(buf), off);

		assert_int_equal(n, used - off < 64 ? used - off : 64);
		assert_memory_equal(buf, cap_a.text + cap_a.len - used + off,
				    n);
	}
}

static void test_ring_clear(void **state)
{
	char buf[8];

	(void)state;
	printk("before\n");
	console_ring_clear();
	assert_int_equal(console_ring_size(), 0);
	assert_int_equal(console_ring_read(buf, sizeof(buf), 0), 0);
	printk("after\n");
	assert_string_equal(ring(), "(XEN) after\n");
	/* Clearing the ring does not touch what the consoles were sent. */
	assert_string_equal(cap_a.text, "(XEN) before\n(XEN) after\n");
}

static void test_long_message_is_bounded(void **state)
{
	static char big[3000];

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	printk("%s\n", big);
	/* Cut to the 1023 bytes that fit the message buffer. */
	assert_int_equal(cap_a.len, 6 + 1023);
	assert_memory_equal(cap_a.text, "(XEN) xxxx", 10);
	/* The cut line is ended by the next line that starts. */
	printk("\nnext\n");
	assert_string_equal(cap_a.text + 6 + 1023, "\n(XEN) next\n");
}

static void test_console_write_is_raw(void **state)
{
	(void)state;
	console_write("raw\ntext", 8);
	assert_string_equal(cap_a.text, "raw\ntext");
	assert_string_equal(cap_b.text, "raw\ntext");
	assert_int_equal(console_ring_size(), 0);
}

static void test_register_twice(void **state)
{
	(void)state;
	console_register(&console_a);
	printk("once\n");
	assert_string_equal(cap_a.text, "(XEN) once\n");
}

static void test_newline_untranslated(void **state)
{
	(void)state;
	printk("a\r\nb\n");
	assert_string_equal(cap_a.text, "(XEN) a\r\n(XEN) b\n");
	assert_null(strstr(cap_a.text, "b\r\n"));
}

static uint64_t fake_cycles = 0x12ab;

static uint64_t fake_clock(void)
{
	return fake_cycles++;
}

/* Xen's console_timestamps=raw: the counter, 16 hex digits, after the
 * prefix of each line (ring and consoles), read when the line starts. */
static void test_raw_timestamps(void **state)
{
	(void)state;
	printk_set_stamp_clock(fake_clock);
	printk("one\ntw");
	printk("o\n");
	printk_set_stamp_clock(NULL);
	printk("three\n");
	assert_string_equal(cap_a.text, "(XEN) [00000000000012ab] one\n"
					"(XEN) [00000000000012ac] two\n"
					"(XEN) three\n");
	assert_string_equal(ring(), cap_a.text);
}

#define T(fn) cmocka_unit_test_setup(fn, reset)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_one_line),
		T(test_every_console_gets_the_text),
		T(test_multi_line_message),
		T(test_line_split_across_calls),
		T(test_empty_message),
		T(test_default_level_is_info),
		T(test_set_level),
		T(test_log_everything),
		T(test_filtered_partial_line),
		T(test_vprintk),
		T(test_ring_wraps_keeping_newest),
		T(test_ring_read_offset),
		T(test_ring_clear),
		T(test_long_message_is_bounded),
		T(test_console_write_is_raw),
		T(test_register_twice),
		T(test_newline_untranslated),
		T(test_raw_timestamps),
	};

	return cmocka_run_group_tests_name("printk", tests, group_setup, NULL);
}
