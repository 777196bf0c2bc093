// SPDX-License-Identifier: MIT
/*
 * The command line parser: every option, Xen's size syntax with each
 * suffix, values that must be refused (and logged, never fatal), odd
 * whitespace and lines or tokens longer than anything expected. Warnings
 * are read back from the real console ring.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <orchid/cmdline.h>
#include <orchid/errno.h>
#include <orchid/printk.h>

enum { KB = 1024, MB = 1024 * KB };
#define GB (1024ULL * MB)
#define TB (1024ULL * GB)

static struct boot_options opts;
static char log_text[1 << CONFIG_LOG_BUF_SHIFT];

/* Everything logged since the test started. */
static const char *logged(void)
{
	size_t n = console_ring_read(log_text, sizeof(log_text) - 1, 0);

	log_text[n] = '\0';
	return log_text;
}

static void assert_logged(const char *text)
{
	if (!strstr(logged(), text))
		fail_msg("expected \"%s\" in the log:\n%s", text, log_text);
}

static void assert_quiet(void)
{
	if (console_ring_size())
		fail_msg("unexpected log:\n%s", logged());
}

static int reset(void **state)
{
	(void)state;
	console_ring_clear();
	memset(&opts, 0xa5, sizeof(opts)); /* parse must reset all of it */
	return 0;
}

static void assert_defaults(const struct boot_options *o)
{
	static const struct boot_options zero = {
		.sched_ratelimit_us = 1000, /* Xen's defaults */
		.sched_credit_tslice_ms = 30,
	};

	/*
	 * Everything but the saved line and the two scheduler defaults is
	 * zero: unset, idle, empty.
	 */
	assert_memory_equal((const char *)o + sizeof(o->cmdline),
			    (const char *)&zero + sizeof(zero.cmdline),
			    sizeof(*o) - sizeof(o->cmdline));
	assert_int_equal(o->bootscrub, BOOTSCRUB_IDLE);
	assert_false(o->dom0_mem.set);
	assert_false(o->loglvl.set);
}

static void test_example_line(void **state)
{
	static const char line[] = "console=dtuart dtuart=/pl011@9000000 "
				   "dom0_mem=512M loglevel=all "
				   "dom0_max_vcpus=2 selftest=fault";

	(void)state;
	cmdline_parse(line, &opts);
	assert_string_equal(opts.cmdline, line);
	assert_string_equal(opts.console, "dtuart");
	assert_string_equal(opts.dtuart, "/pl011@9000000");
	assert_true(opts.dom0_mem.set);
	assert_int_equal(opts.dom0_mem.size, 512 * MB);
	assert_int_equal(opts.dom0_mem.max, 0);
	assert_true(opts.loglvl.set);
	assert_int_equal(opts.loglvl.lower, LOG_DEBUG);
	assert_int_equal(opts.loglvl.upper, LOG_DEBUG);
	assert_false(opts.guest_loglvl.set);
	assert_int_equal(opts.dom0_max_vcpus, 2);
	assert_string_equal(opts.selftest, "fault");
	assert_quiet();
}

static void test_null_and_empty(void **state)
{
	static const char *const lines[] = {"", " ", "\t\t", " \t \n \r "};
	size_t i;

	(void)state;
	cmdline_parse(NULL, &opts);
	assert_defaults(&opts);
	assert_string_equal(opts.cmdline, "");
	for (i = 0; i < ARRAY_SIZE(lines); i++) {
		memset(&opts, 0xa5, sizeof(opts));
		cmdline_parse(lines[i], &opts);
		assert_defaults(&opts);
		assert_string_equal(opts.cmdline, lines[i]);
	}
	assert_quiet();
}

static void test_whitespace(void **state)
{
	static const char line[] = "  \tconsole=dtuart\t\t  dom0_max_vcpus=3"
				   "\n noreboot\r\nsched=null   ";

	(void)state;
	cmdline_parse(line, &opts);
	assert_string_equal(opts.cmdline, line); /* saved as given */
	assert_string_equal(opts.console, "dtuart");
	assert_int_equal(opts.dom0_max_vcpus, 3);
	assert_true(opts.noreboot);
	assert_string_equal(opts.sched, "null");
	assert_quiet();
}

static void test_every_option(void **state)
{
	(void)state;
	cmdline_parse("console=dtuart,vga dtuart=serial0:115200n8 "
		      "loglvl=info/debug guest_loglvl=error/warning "
		      "dom0_mem=1G,max:2G dom0_max_vcpus=4 selftest=all "
		      "sched=credit2 noreboot bootscrub=off conring_size=64K "
		      "sync_console maxcpus=6 hmp-unsafe=true vwfi=native "
		      "console_timestamps=raw "
		      "xsm=dummy tbuf_size=64 tevt_mask=0x2f000 "
		      "sched_ratelimit_us=0 sched_credit_tslice_ms=5",
		      &opts);
	assert_string_equal(opts.console, "dtuart,vga");
	assert_string_equal(opts.dtuart, "serial0:115200n8");
	assert_int_equal(opts.loglvl.lower, LOG_INFO);
	assert_int_equal(opts.loglvl.upper, LOG_DEBUG);
	assert_true(opts.guest_loglvl.set);
	assert_int_equal(opts.guest_loglvl.lower, LOG_ERR);
	assert_int_equal(opts.guest_loglvl.upper, LOG_WARN);
	assert_int_equal(opts.dom0_mem.size, GB);
	assert_int_equal(opts.dom0_mem.max, 2 * GB);
	assert_int_equal(opts.dom0_max_vcpus, 4);
	assert_string_equal(opts.selftest, "all");
	assert_string_equal(opts.sched, "credit2");
	assert_true(opts.noreboot);
	assert_int_equal(opts.bootscrub, BOOTSCRUB_OFF);
	assert_int_equal(opts.conring_size, 64 * KB);
	assert_true(opts.sync_console);
	assert_int_equal(opts.maxcpus, 6);
	assert_true(opts.hmp_unsafe);
	assert_string_equal(opts.vwfi, "native");
	assert_string_equal(opts.console_timestamps, "raw");
	assert_int_equal(opts.xsm, XSM_POLICY_DUMMY);
	assert_int_equal(opts.tbuf_size, 64);
	assert_int_equal(opts.tevt_mask, 0x2f000);
	assert_int_equal(opts.sched_ratelimit_us, 0); /* 0: no rate limit */
	assert_int_equal(opts.sched_credit_tslice_ms, 5);
	assert_quiet();
}

static u64 parse_size_option(const char *value)
{
	char line[128];

	snprintf(line, sizeof(line), "conring_size=%s", value);
	cmdline_parse(line, &opts);
	return opts.conring_size;
}

static void test_sizes(void **state)
{
	static const struct {
		const char *text;
		u64 bytes;
	} sizes[] = {
		/* A bare number counts KiB, as in Xen's parse_size_and_unit. */
		{"1", KB},
		{"4096", 4096ULL * KB},
		{"0", 0},
		{"0x10", 16 * KB},
		{"010", 8 * KB}, /* leading 0: octal, like strtoull base 0 */
		{"0X1f", 31 * KB},
		{"1B", 1},
		{"1234b", 1234},
		{"2K", 2 * KB},
		{"2k", 2 * KB},
		{"3M", 3 * MB},
		{"3m", 3 * MB},
		{"512M", 512 * MB},
		{"4G", 4 * GB},
		{"4g", 4 * GB},
		{"1T", TB},
		{"1t", TB},
		{"0x100M", 256 * MB},
		{"16777215T", 16777215 * TB}, /* the largest T that fits */
		{"18446744073709551615B", UINT64_MAX},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		if (parse_size_option(sizes[i].text) != sizes[i].bytes)
			fail_msg("size \"%s\": got %llu, want %llu",
				 sizes[i].text,
				 (unsigned long long)opts.conring_size,
				 (unsigned long long)sizes[i].bytes);
	}
	assert_quiet();
}

static void test_bad_sizes(void **state)
{
	static const char *const bad[] = {
		"",
		"abc",
		"-1",
		"M",
		"12X",
		"12MB",
		"1.5G",
		"0x",
		"0xg",
		"08",
		"1K1",
		"16777216T",
		"18446744073709551616B",
		"99999999999999999999999",
		"18014398509481984", /* 2^54 KiB overflows */
	};
	char want[160];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		console_ring_clear();
		if (parse_size_option(bad[i]) != 0)
			fail_msg("size \"%s\" was accepted", bad[i]);
		snprintf(want, sizeof(want),
			 "Invalid value '%s' for command line option "
			 "'conring_size', ignored",
			 bad[i]);
		assert_logged(want);
	}
}

static void test_dom0_mem_forms(void **state)
{
	static const struct {
		const char *text;
		u64 size, max;
	} forms[] = {
		{"dom0_mem=1024", MB, 0},
		{"dom0_mem=2G", 2 * GB, 0},
		{"dom0_mem=max:1G", GB, GB},
		{"dom0_mem=512M,max:1G", 512 * MB, GB},
		{"dom0_mem=max:1G,512M", 512 * MB, GB},
		{"dom0_mem=2G,max:1G", GB, GB},
		{"dom0_mem=1G dom0_mem=3G", 3 * GB, 0}, /* the last wins */
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(forms); i++) {
		cmdline_parse(forms[i].text, &opts);
		assert_true(opts.dom0_mem.set);
		assert_int_equal(opts.dom0_mem.size, forms[i].size);
		assert_int_equal(opts.dom0_mem.max, forms[i].max);
	}
	assert_quiet();
}

static void test_dom0_mem_bad(void **state)
{
	static const char *const bad[] = {
		"abc",	  "0",	   "max:0",    "max:",	     "min:1G",
		"512M,",  ",512M", "512M,,1G", "1G,max:abc", "5%",
		"1G+25%", "-512M", "max:1G,x",
	};
	char line[64];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		console_ring_clear();
		snprintf(line, sizeof(line), "dom0_mem=%s", bad[i]);
		cmdline_parse(line, &opts);
		if (opts.dom0_mem.set)
			fail_msg("dom0_mem=%s was accepted", bad[i]);
		assert_int_equal(opts.dom0_mem.size, 0);
		assert_logged("for command line option 'dom0_mem', ignored");
	}
	console_ring_clear();
	cmdline_parse("dom0_mem", &opts);
	assert_false(opts.dom0_mem.set);
	assert_logged("Command line option 'dom0_mem' needs a value, ignored");
}

static void test_dom0_max_vcpus(void **state)
{
	static const char *const bad[] = {
		"-1", "abc", "", "4294967296", "1.0", "2x", "0x",
	};
	char line[64];
	size_t i;

	(void)state;
	cmdline_parse("dom0_max_vcpus=0x10", &opts);
	assert_int_equal(opts.dom0_max_vcpus, 16);
	cmdline_parse("dom0_max_vcpus=4294967295", &opts);
	assert_int_equal(opts.dom0_max_vcpus, 4294967295u);
	cmdline_parse("dom0_max_vcpus=0", &opts);
	assert_int_equal(opts.dom0_max_vcpus, 0);
	assert_quiet();

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		console_ring_clear();
		snprintf(line, sizeof(line),
			 "dom0_max_vcpus=4 dom0_max_vcpus=%s", bad[i]);
		cmdline_parse(line, &opts);
		/* The bad value changes nothing. */
		assert_int_equal(opts.dom0_max_vcpus, 4);
		assert_logged("'dom0_max_vcpus', ignored");
	}
}

static void test_loglvl(void **state)
{
	static const struct {
		const char *text;
		enum log_level lower, upper;
	} levels[] = {
		{"loglvl=none", LOG_ERR, LOG_ERR},
		{"loglvl=error", LOG_ERR, LOG_ERR},
		{"loglvl=warning", LOG_WARN, LOG_WARN},
		{"loglvl=info", LOG_INFO, LOG_INFO},
		{"loglvl=debug", LOG_DEBUG, LOG_DEBUG},
		{"loglvl=all", LOG_DEBUG, LOG_DEBUG},
		{"loglevel=warning", LOG_WARN, LOG_WARN},
		{"loglvl=error/all", LOG_ERR, LOG_DEBUG},
		{"loglvl=info/warning", LOG_INFO, LOG_INFO}, /* raised */
	};
	static const char *const bad[] = {
		"loglvl=",	"loglvl=bogus", "loglvl=info/",
		"loglvl=/info", "loglvl=warn",	"loglvl=info/debug/all",
		"loglvl=ALL",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(levels); i++) {
		cmdline_parse(levels[i].text, &opts);
		assert_true(opts.loglvl.set);
		assert_int_equal(opts.loglvl.lower, levels[i].lower);
		assert_int_equal(opts.loglvl.upper, levels[i].upper);
		assert_false(opts.guest_loglvl.set);
	}
	assert_quiet();
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		console_ring_clear();
		cmdline_parse(bad[i], &opts);
		assert_false(opts.loglvl.set);
		assert_logged("for command line option 'loglvl', ignored");
	}
}

static void test_booleans(void **state)
{
	static const struct {
		const char *text;
		bool value;
	} bools[] = {
		{"noreboot", true},
		{"noreboot=1", true},
		{"noreboot=on", true},
		{"noreboot=yes", true},
		{"noreboot=true", true},
		{"noreboot=enable", true},
		{"noreboot=0", false},
		{"noreboot=no", false},
		{"noreboot=off", false},
		{"noreboot=false", false},
		{"noreboot=disable", false},
		{"no-noreboot", false},
		{"noreboot no-noreboot", false},
		{"no-noreboot noreboot", true},
	};
	static const char *const bad[] = {
		"noreboot=",
		"noreboot=maybe",
		"noreboot=2",
		"noreboot=On",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bools); i++) {
		cmdline_parse(bools[i].text, &opts);
		if (opts.noreboot != bools[i].value)
			fail_msg("\"%s\" gave %d", bools[i].text,
				 opts.noreboot);
	}
	cmdline_parse("sync_console hmp-unsafe", &opts);
	assert_true(opts.sync_console);
	assert_true(opts.hmp_unsafe);
	assert_quiet();

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		console_ring_clear();
		cmdline_parse(bad[i], &opts);
		assert_false(opts.noreboot);
		assert_logged("for command line option 'noreboot', ignored");
	}
	console_ring_clear();
	cmdline_parse("noreboot no-noreboot=1", &opts);
	assert_true(opts.noreboot);
	assert_logged("Command line option 'no-noreboot' is not valid");
}

static void test_bootscrub(void **state)
{
	(void)state;
	cmdline_parse("", &opts);
	assert_int_equal(opts.bootscrub, BOOTSCRUB_IDLE);
	cmdline_parse("bootscrub=1", &opts);
	assert_int_equal(opts.bootscrub, BOOTSCRUB_ON);
	cmdline_parse("bootscrub=on bootscrub=idle", &opts);
	assert_int_equal(opts.bootscrub, BOOTSCRUB_IDLE);
	cmdline_parse("bootscrub=no", &opts);
	assert_int_equal(opts.bootscrub, BOOTSCRUB_OFF);
	cmdline_parse("no-bootscrub", &opts);
	assert_int_equal(opts.bootscrub, BOOTSCRUB_OFF);
	assert_quiet();
	cmdline_parse("bootscrub=sometimes", &opts);
	assert_int_equal(opts.bootscrub, BOOTSCRUB_IDLE);
	assert_logged("Invalid value 'sometimes' for command line option "
		      "'bootscrub', ignored");
}

static void test_strings(void **state)
{
	char line[600], value[300];

	(void)state;
	/* console holds 31 characters, dtuart 255. */
	memset(value, 'c', 31);
	value[31] = '\0';
	snprintf(line, sizeof(line), "console=%s", value);
	cmdline_parse(line, &opts);
	assert_string_equal(opts.console, value);

	memset(value, 'd', 255);
	value[255] = '\0';
	snprintf(line, sizeof(line), "dtuart=%s", value);
	cmdline_parse(line, &opts);
	assert_string_equal(opts.dtuart, value);
	assert_quiet();

	/* One more is refused whole: a cut name would name another device. */
	snprintf(line, sizeof(line), "console=ok console=%032d", 0);
	cmdline_parse(line, &opts);
	assert_string_equal(opts.console, "ok");
	assert_logged("for command line option 'console', ignored");

	console_ring_clear();
	memset(value, 'd', 256);
	value[256] = '\0';
	snprintf(line, sizeof(line), "dtuart=%s", value);
	cmdline_parse(line, &opts);
	assert_string_equal(opts.dtuart, "");
	assert_logged("for command line option 'dtuart', ignored");

	console_ring_clear();
	cmdline_parse("console=x console= selftest=", &opts);
	assert_string_equal(opts.console, ""); /* an empty value is a value */
	assert_string_equal(opts.selftest, "");
	assert_quiet();

	cmdline_parse("console no-console selftest", &opts);
	assert_logged("Command line option 'console' needs a value, ignored");
	assert_logged("Command line option 'no-console' is not valid");
	assert_logged("Command line option 'selftest' needs a value, ignored");

	console_ring_clear();
	cmdline_parse("dtuart=/soc/serial@fe215040=x", &opts);
	assert_string_equal(opts.dtuart, "/soc/serial@fe215040=x");
	assert_quiet();
}

static void test_xsm(void **state)
{
	static const char *const bad[] = {"flask", "SILO",	 "silo2",
					  "sil",   "dummy,silo", ""};
	char line[64], want[128];
	size_t i;

	(void)state;
	cmdline_parse("", &opts);
	assert_int_equal(opts.xsm, XSM_POLICY_DEFAULT);
	cmdline_parse("xsm=silo", &opts);
	assert_int_equal(opts.xsm, XSM_POLICY_SILO);
	cmdline_parse("xsm=dummy", &opts);
	assert_int_equal(opts.xsm, XSM_POLICY_DUMMY);
	cmdline_parse("xsm=dummy xsm=silo", &opts);
	assert_int_equal(opts.xsm, XSM_POLICY_SILO);
	assert_quiet();

	/* No FLASK in Orchid: like Xen without it, the default stays. */
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		console_ring_clear();
		snprintf(line, sizeof(line), "xsm=%s", bad[i]);
		cmdline_parse(line, &opts);
		if (opts.xsm != XSM_POLICY_DEFAULT)
			fail_msg("xsm value \"%s\" was accepted", bad[i]);
		snprintf(want, sizeof(want),
			 "Invalid value '%s' for command line option 'xsm', "
			 "ignored",
			 bad[i]);
		assert_logged(want);
	}
	/* A bad value leaves an earlier good one alone. */
	cmdline_parse("xsm=dummy xsm=flask", &opts);
	assert_int_equal(opts.xsm, XSM_POLICY_DUMMY);
	cmdline_parse("xsm", &opts);
	assert_int_equal(opts.xsm, XSM_POLICY_DEFAULT);
	assert_logged("Command line option 'xsm' needs a value, ignored");
	cmdline_parse("no-xsm", &opts);
	assert_logged("Command line option 'no-xsm' is not valid, ignored");
}

static void test_unknown_options(void **state)
{
	(void)state;
	cmdline_parse("foo=bar console=dtuart baz no-such-thing = =x no- "
		      "CONSOLE=x console_=y",
		      &opts);
	assert_string_equal(opts.console, "dtuart");
	assert_logged("(XEN) Unknown command line option 'foo'\n");
	assert_logged("Unknown command line option 'baz'\n");
	assert_logged("Unknown command line option 'no-such-thing'\n");
	assert_logged("Unknown command line option ''\n");
	assert_logged("Unknown command line option 'no-'\n");
	assert_logged("Unknown command line option 'CONSOLE'\n");
	assert_logged("Unknown command line option 'console_'\n");
}

static void test_overlong_token(void **state)
{
	static char line[900];
	char want[128], cut[66];

	(void)state;
	/* An unknown 800-character name is logged, cut to 64 characters. */
	memset(line, 'n', 800);
	strcpy(line + 800, " noreboot");
	cmdline_parse(line, &opts);
	assert_true(opts.noreboot);
	memset(want, 'n', 64);
	strcpy(want + 64, "'\n");
	assert_logged(want);
	memset(cut, 'n', 65);
	cut[65] = '\0';
	assert_null(strstr(logged(), cut));

	console_ring_clear();
	memset(line, 'v', sizeof(line) - 1);
	memcpy(line, "selftest=", 9);
	line[sizeof(line) - 1] = '\0';
	cmdline_parse(line, &opts);
	assert_string_equal(opts.selftest, "");
	assert_logged("for command line option 'selftest', ignored");
}

static void test_overlong_line(void **state)
{
	static char line[3 * CMDLINE_SIZE];
	size_t n;

	(void)state;
	/* One token longer than the saved copy: kept cut, not parsed. */
	memset(line, 'x', sizeof(line) - 1);
	memcpy(line, "console=", 8);
	cmdline_parse(line, &opts);
	assert_int_equal(strlen(opts.cmdline), CMDLINE_SIZE - 1);
	assert_memory_equal(opts.cmdline, line, CMDLINE_SIZE - 1);
	assert_string_equal(opts.console, "");
	assert_logged(
		"Command line longer than 1023 bytes, the rest is ignored");

	/* An option cut at the limit is dropped, not read as "51". */
	memset(line, ' ', sizeof(line));
	memcpy(line, "noreboot", 8);
	n = CMDLINE_SIZE - 1 - strlen("dom0_mem=51");
	memcpy(line + n, "dom0_mem=512M sched=null", 24);
	line[sizeof(line) - 1] = '\0';
	console_ring_clear();
	cmdline_parse(line, &opts);
	assert_true(opts.noreboot);
	assert_false(opts.dom0_mem.set);
	assert_string_equal(opts.sched, "");
	assert_logged("Command line longer than 1023 bytes");

	/* One that ends exactly at the limit is whole, so it counts. */
	memset(line, ' ', sizeof(line));
	n = CMDLINE_SIZE - 1 - strlen("dom0_mem=512M");
	memcpy(line + n, "dom0_mem=512M sched=null", 24);
	line[sizeof(line) - 1] = '\0';
	cmdline_parse(line, &opts);
	assert_true(opts.dom0_mem.set);
	assert_int_equal(opts.dom0_mem.size, 512 * MB);
	assert_string_equal(opts.sched, "");

	/* Exactly 1023 bytes fit without a warning. */
	memset(line, ' ', CMDLINE_SIZE - 1);
	memcpy(line + CMDLINE_SIZE - 1 - 8, "noreboot", 8);
	line[CMDLINE_SIZE - 1] = '\0';
	console_ring_clear();
	cmdline_parse(line, &opts);
	assert_true(opts.noreboot);
	assert_quiet();
}

static void test_later_option_wins(void **state)
{
	(void)state;
	cmdline_parse("console=a console=b sched=rtds sched=null", &opts);
	assert_string_equal(opts.console, "b");
	assert_string_equal(opts.sched, "null");
	assert_quiet();
}

/* The index of parameter @name, failing the test when there is none. */
static unsigned int param_index(const char *name)
{
	struct cmdline_param p;

	for (unsigned int i = 0; cmdline_param(i, &p); i++) {
		if (!strcmp(p.name, name))
			return i;
	}
	fail_msg("no parameter %s", name);
	return 0;
}

/* hypfs's /params/: every option once (no alias), typed, valued. */
static void test_params_listed(void **state)
{
	struct cmdline_param p;
	char buf[64];
	unsigned int n = 0;
	uint64_t size;

	(void)state;
	cmdline_parse("loglvl=error/info noreboot conring_size=64K "
		      "dom0_mem=512M,max:1G",
		      &opts);
	for (unsigned int i = 0; cmdline_param(i, &p); i++) {
		assert_string_not_equal(p.name, "loglevel");
		assert_int_equal(p.runtime,
				 !strcmp(p.name, "loglvl") ||
					 !strcmp(p.name, "guest_loglvl"));
		n++;
	}
	/*
	 * the 16 of issue 12, dom0_vcpus_pin, tbuf_size, tevt_mask,
	 * sched_ratelimit_us, sched_credit_tslice_ms, console_timestamps
	 * (boot-time only here; Xen's is also runtime)
	 */
	assert_int_equal(n, 22);
	assert_true(param_index("tevt_mask") < n);
	assert_true(param_index("dom0_vcpus_pin") < n);
	assert_int_equal(cmdline_param_value(param_index("loglvl"), &opts, buf,
					     sizeof(buf)),
			 sizeof("error/info"));
	assert_string_equal(buf, "error/info");
	assert_int_equal(cmdline_param_value(param_index("noreboot"), &opts,
					     buf, sizeof(buf)),
			 1);
	assert_int_equal(buf[0], 1);
	assert_int_equal(cmdline_param_value(param_index("conring_size"), &opts,
					     buf, sizeof(buf)),
			 8);
	memcpy(&size, buf, sizeof(size));
	assert_int_equal(size, 64 * KB);
	cmdline_param_value(param_index("dom0_mem"), &opts, buf, sizeof(buf));
	assert_string_equal(buf, "524288K,max:1048576K");
	/* Too small a buffer for a number: nothing. */
	assert_int_equal(
		cmdline_param_value(param_index("conring_size"), &opts, buf, 4),
		0);
}

/* hypfs writes of /params/<name>: runtime options only, applied at once. */
static void test_param_set(void **state)
{
	unsigned int lvl = param_index("loglvl");

	(void)state;
	cmdline_parse("", &opts);
	assert_int_equal(cmdline_param_set(lvl, "all", 3, &opts), 0);
	assert_int_equal(opts.loglvl.upper, LOG_DEBUG);
	assert_int_equal(cmdline_param_set(param_index("guest_loglvl"),
					   "warning", 7, &opts),
			 0);
	assert_int_equal(opts.guest_loglvl.lower, LOG_WARN);
	console_ring_clear();
	assert_int_equal(cmdline_param_set(lvl, "loud", 4, &opts), -EINVAL);
	assert_int_equal(opts.loglvl.upper, LOG_DEBUG); /* unchanged */
	assert_non_null(strstr(logged(), "invalid value \"loud\""));
	assert_int_equal(cmdline_param_set(lvl, "error/info", 10, &opts), 0);
	assert_int_equal(opts.loglvl.lower, LOG_ERR);
	assert_int_equal(opts.loglvl.upper, LOG_INFO);
	assert_int_equal(
		cmdline_param_set(param_index("sched"), "null", 4, &opts),
		-EACCES);
	assert_string_equal(opts.sched, ""); /* boot-only: untouched */
	printk_set_level(LOG_INFO);
}

#define T(fn) cmocka_unit_test_setup(fn, reset)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_example_line),	 T(test_null_and_empty),
		T(test_whitespace),	 T(test_every_option),
		T(test_sizes),		 T(test_bad_sizes),
		T(test_dom0_mem_forms),	 T(test_dom0_mem_bad),
		T(test_dom0_max_vcpus),	 T(test_loglvl),
		T(test_booleans),	 T(test_bootscrub),
		T(test_strings),	 T(test_xsm),
		T(test_unknown_options), T(test_overlong_token),
		T(test_overlong_line),	 T(test_later_option_wins),
		T(test_params_listed),	 T(test_param_set),
	};

	return cmocka_run_group_tests_name("cmdline", tests, NULL, NULL);
}
