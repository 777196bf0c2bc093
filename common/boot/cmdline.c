// SPDX-License-Identifier: MIT
/*
 * The hypervisor command line, parsed the way Xen parses it: options are
 * separated by whitespace, "name=value" or a bare "name" for a boolean,
 * "no-name" turns a boolean off, sizes take Xen's K/M/G/T/B suffixes.
 *
 * The parser never copies a token: it works on (pointer, length) views of
 * a bounded copy of the line, and writes a value into boot_options only
 * once the whole value has been checked, so a bad value changes nothing.
 */
#include <stddef.h>

#include <orchid/cmdline.h>
#include <orchid/errno.h>
#include <orchid/printk.h>
#include <orchid/sched.h>
#include <orchid/string.h>

/* A value as written on the line; @s is NULL when there was no '='. */
struct cmdline_value {
	const char *s;
	size_t len;
};

struct cmdline_option {
	const char *name;
	/* Checks @v and stores it in @dst, the field; false: left alone. */
	bool (*parse)(struct cmdline_value v, void *dst, size_t size);
	size_t offset;
	size_t size;
	/* "no-<name>" means "<name>=no". */
	bool negatable;
	/* May change after boot (hypfs writes: xl set-parameters). */
	bool runtime;
	/* Text of a value that is not a plain bool, number or string. */
	void (*show)(const void *src, char *buf, size_t n);
	/* Makes a runtime change take effect. */
	void (*apply)(const struct boot_options *opts);
};

/* Enough of a bad token to recognise it in the log. */
enum { CMDLINE_LOG_MAX = 64 };

static int cmdline_log_len(size_t len)
{
	return len > CMDLINE_LOG_MAX ? CMDLINE_LOG_MAX : (int)len;
}

static bool cmdline_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool cmdline_word_is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && strncmp(s, word, len) == 0;
}

static bool cmdline_starts_with(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word);

	return len >= n && strncmp(s, word, n) == 0;
}

/* Length of the part of @s before the first @c; all of it without one. */
static size_t cmdline_until(const char *s, size_t len, char c)
{
	size_t n = 0;

	while (n < len && s[n] != c)
		n++;
	return n;
}

/* Digit value of @c in any base up to 16, or 16 when it is not a digit. */
static unsigned int cmdline_digit(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned int)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (unsigned int)(c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (unsigned int)(c - 'A' + 10);
	return 16;
}

/*
 * An unsigned number at the start of @s in Xen's base 0 (as strtoull):
 * "0x" hex, a leading 0 octal, else decimal. Returns how many characters
 * it used, 0 when there are no digits or the value does not fit 64 bits.
 */
static size_t cmdline_number(const char *s, size_t len, u64 *out)
{
	unsigned int base = 10;
	size_t i = 0, first;
	u64 v = 0;

	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	} else if (len >= 1 && s[0] == '0') {
		base = 8;
	}
	for (first = i; i < len; i++) {
		unsigned int d = cmdline_digit(s[i]);

		if (d >= base)
			break;
		if (v > (UINT64_MAX - d) / base)
			return 0;
		v = v * base + d;
	}
	if (i == first)
		return 0;
	*out = v;
	return i;
}

/* A whole value that is just a number. */
static bool cmdline_u64(const char *s, size_t len, u64 *out)
{
	return len && cmdline_number(s, len, out) == len;
}

/* Shift for a size suffix, or -1 when @c is not one. */
static int cmdline_size_shift(char c)
{
	switch (c) {
	case 'T':
	case 't': return 40;
	case 'G':
	case 'g': return 30;
	case 'M':
	case 'm': return 20;
	case 'K':
	case 'k': return 10;
	case 'B':
	case 'b': return 0;
	default: return -1;
	}
}

/*
 * Xen's parse_size_and_unit: a number, then an optional one-letter
 * suffix. A bare number counts kilobytes, as in Xen.
 */
static bool cmdline_size(const char *s, size_t len, u64 *bytes)
{
	size_t n = cmdline_number(s, len, bytes);
	int shift = 10;

	if (n == 0)
		return false;
	if (len - n > 1)
		return false;
	if (len - n == 1)
		shift = cmdline_size_shift(s[n]);
	if (shift < 0 || *bytes > (UINT64_MAX >> shift))
		return false;
	*bytes <<= shift;
	return true;
}

/* Xen's parse_bool words: 1 true, 0 false, -1 not a boolean. */
static int cmdline_bool_word(const char *s, size_t len)
{
	static const char *const yes[] = {"1", "on", "yes", "true", "enable"};
	static const char *const no[] = {"0", "no", "off", "false", "disable"};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		if (cmdline_word_is(s, len, yes[i]))
			return 1;
	}
	for (i = 0; i < ARRAY_SIZE(no); i++) {
		if (cmdline_word_is(s, len, no[i]))
			return 0;
	}
	return -1;
}

static bool cmdline_parse_bool(struct cmdline_value v, void *dst, size_t size)
{
	int b = 1;

	/* A bare boolean means true. */
	if (v.s)
		b = cmdline_bool_word(v.s, v.len);
	if (b < 0)
		return false;
	*(bool *)dst = b;
	return true;
}

/* Strings must fit with their NUL; a cut path would name another device. */
static bool cmdline_parse_string(struct cmdline_value v, void *dst, size_t size)
{
	if (!v.s || v.len >= size)
		return false;
	memcpy(dst, v.s, v.len);
	((char *)dst)[v.len] = '\0';
	return true;
}

static bool cmdline_parse_uint(struct cmdline_value v, void *dst, size_t size)
{
	u64 n;

	if (!v.s || !cmdline_u64(v.s, v.len, &n) || (unsigned int)n != n)
		return false;
	*(unsigned int *)dst = (unsigned int)n;
	return true;
}

static bool cmdline_parse_size(struct cmdline_value v, void *dst, size_t size)
{
	u64 bytes;

	if (!v.s || !cmdline_size(v.s, v.len, &bytes))
		return false;
	*(u64 *)dst = bytes;
	return true;
}

/* Xen's level words; "none" cannot silence errors here, see cmdline.h. */
static bool cmdline_level(const char *s, size_t len, enum log_level *level)
{
	static const struct {
		const char *word;
		enum log_level level;
	} levels[] = {
		{"none", LOG_ERR},  {"error", LOG_ERR},	  {"warning", LOG_WARN},
		{"info", LOG_INFO}, {"debug", LOG_DEBUG}, {"all", LOG_DEBUG},
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(levels); i++) {
		if (cmdline_word_is(s, len, levels[i].word)) {
			*level = levels[i].level;
			return true;
		}
	}
	return false;
}

/* <level>[/<level>]; as in Xen, an upper level below the lower is raised. */
static bool cmdline_parse_loglvl(struct cmdline_value v, void *dst, size_t size)
{
	struct cmdline_loglvl lvl = {.set = true};
	size_t n;

	if (!v.s)
		return false;
	n = cmdline_until(v.s, v.len, '/');
	if (!cmdline_level(v.s, n, &lvl.lower))
		return false;
	lvl.upper = lvl.lower;
	if (n < v.len && !cmdline_level(v.s + n + 1, v.len - n - 1, &lvl.upper))
		return false;
	if (lvl.upper < lvl.lower)
		lvl.upper = lvl.lower;
	*(struct cmdline_loglvl *)dst = lvl;
	return true;
}

static bool cmdline_parse_bootscrub(struct cmdline_value v, void *dst,
				    size_t size)
{
	int b;

	if (!v.s)
		return false;
	if (cmdline_word_is(v.s, v.len, "idle")) {
		*(enum boot_scrub *)dst = BOOTSCRUB_IDLE;
		return true;
	}
	b = cmdline_bool_word(v.s, v.len);
	if (b < 0)
		return false;
	*(enum boot_scrub *)dst = b ? BOOTSCRUB_ON : BOOTSCRUB_OFF;
	return true;
}

/* One dom0_mem item: "<size>" or "max:<size>". Zero is never useful. */
static bool cmdline_mem_item(const char *s, size_t len, struct cmdline_mem *mem)
{
	u64 *dst = &mem->size;
	u64 bytes;

	if (cmdline_starts_with(s, len, "max:")) {
		dst = &mem->max;
		s += 4;
		len -= 4;
	}
	if (!cmdline_size(s, len, &bytes) || bytes == 0)
		return false;
	*dst = bytes;
	return true;
}

static bool cmdline_parse_dom0_mem(struct cmdline_value v, void *dst,
				   size_t size)
{
	struct cmdline_mem mem = {.set = true};
	size_t i = 0;

	if (!v.s)
		return false;
	for (;;) {
		size_t n = cmdline_until(v.s + i, v.len - i, ',');

		if (!cmdline_mem_item(v.s + i, n, &mem))
			return false;
		i += n;
		if (i == v.len)
			break;
		i++; /* the ',' */
	}
	if (mem.size == 0 || (mem.max && mem.size > mem.max))
		mem.size = mem.max;
	*(struct cmdline_mem *)dst = mem;
	return true;
}

/*
 * xsm=dummy|silo, checked here like Xen's parse_xsm_param: FLASK is not
 * built, so "flask" is an invalid value and the default stays.
 */
static bool cmdline_parse_xsm(struct cmdline_value v, void *dst, size_t size)
{
	if (!v.s)
		return false;
	if (cmdline_word_is(v.s, v.len, "dummy")) {
		*(enum xsm_policy *)dst = XSM_POLICY_DUMMY;
		return true;
	}
	if (cmdline_word_is(v.s, v.len, "silo")) {
		*(enum xsm_policy *)dst = XSM_POLICY_SILO;
		return true;
	}
	return false;
}

static const char *const level_names[] = {
	[LOG_ERR] = "error",
	[LOG_WARN] = "warning",
	[LOG_INFO] = "info",
	[LOG_DEBUG] = "all",
};

/* Not given: Orchid's default threshold, printk.c's LOG_INFO. */
static void cmdline_show_loglvl(const void *src, char *buf, size_t n)
{
	static const struct cmdline_loglvl unset = {false, LOG_INFO, LOG_INFO};
	const struct cmdline_loglvl *l = src;

	if (!l->set)
		l = &unset;
	fmt_snprintf(buf, n, "%s/%s", level_names[l->lower],
		     level_names[l->upper]);
}

static void cmdline_show_bootscrub(const void *src, char *buf, size_t n)
{
	static const char *const words[] = {
		[BOOTSCRUB_IDLE] = "idle",
		[BOOTSCRUB_OFF] = "off",
		[BOOTSCRUB_ON] = "on",
	};

	fmt_snprintf(buf, n, "%s", words[*(const enum boot_scrub *)src]);
}

/* In kilobytes, dom0_mem's unit without a suffix. */
static void cmdline_show_dom0_mem(const void *src, char *buf, size_t n)
{
	const struct cmdline_mem *m = src;

	if (!m->set)
		fmt_snprintf(buf, n, "%s", "");
	else if (m->max)
		fmt_snprintf(buf, n, "%lluK,max:%lluK",
			     (unsigned long long)(m->size >> 10),
			     (unsigned long long)(m->max >> 10));
	else
		fmt_snprintf(buf, n, "%lluK",
			     (unsigned long long)(m->size >> 10));
}

static void cmdline_show_xsm(const void *src, char *buf, size_t n)
{
	enum xsm_policy p = *(const enum xsm_policy *)src;

	fmt_snprintf(buf, n, "%s", p == XSM_POLICY_DUMMY ? "dummy" : "silo");
}

/* Orchid prints what loglvl= names as its upper level (no rate limit). */
static void cmdline_apply_loglvl(const struct boot_options *opts)
{
	printk_set_level(opts->loglvl.upper);
}

#define OPTION_FULL(name_, parse_, field_, negatable_, runtime_, show_,        \
		    apply_)                                                    \
	{                                                                      \
		.name = (name_), .parse = (parse_),                            \
		.offset = offsetof(struct boot_options, field_),               \
		.size = sizeof(((struct boot_options *)0)->field_),            \
		.negatable = (negatable_), .runtime = (runtime_),              \
		.show = (show_), .apply = (apply_),                            \
	}
#define OPTION(name_, parse_, field_, negatable_)                              \
	OPTION_FULL(name_, parse_, field_, negatable_, false, NULL, NULL)

/*
 * Runtime options are Xen 4.17's runtime parameters on Arm (loglvl and
 * guest_loglvl, custom_runtime_param in Xen's console.c).
 */
static const struct cmdline_option cmdline_options[] = {
	OPTION("console", cmdline_parse_string, console, false),
	OPTION("dtuart", cmdline_parse_string, dtuart, false),
	OPTION_FULL("loglvl", cmdline_parse_loglvl, loglvl, false, true,
		    cmdline_show_loglvl, cmdline_apply_loglvl),
	OPTION_FULL("loglevel", cmdline_parse_loglvl, loglvl, false, true,
		    cmdline_show_loglvl, cmdline_apply_loglvl),
	OPTION_FULL("guest_loglvl", cmdline_parse_loglvl, guest_loglvl, false,
		    true, cmdline_show_loglvl, NULL),
	OPTION_FULL("dom0_mem", cmdline_parse_dom0_mem, dom0_mem, false, false,
		    cmdline_show_dom0_mem, NULL),
	OPTION("dom0_max_vcpus", cmdline_parse_uint, dom0_max_vcpus, false),
	OPTION("selftest", cmdline_parse_string, selftest, false),
	OPTION("sched", cmdline_parse_string, sched, false),
	OPTION("dom0_vcpus_pin", cmdline_parse_bool, dom0_vcpus_pin, true),
	OPTION("noreboot", cmdline_parse_bool, noreboot, true),
	OPTION_FULL("bootscrub", cmdline_parse_bootscrub, bootscrub, true,
		    false, cmdline_show_bootscrub, NULL),
	OPTION("conring_size", cmdline_parse_size, conring_size, false),
	OPTION("sync_console", cmdline_parse_bool, sync_console, true),
	OPTION("maxcpus", cmdline_parse_uint, maxcpus, false),
	OPTION("hmp-unsafe", cmdline_parse_bool, hmp_unsafe, true),
	OPTION("vwfi", cmdline_parse_string, vwfi, false),
	OPTION("sched_ratelimit_us", cmdline_parse_uint, sched_ratelimit_us,
	       false),
	OPTION("sched_credit_tslice_ms", cmdline_parse_uint,
	       sched_credit_tslice_ms, false),
	OPTION("console_timestamps", cmdline_parse_string, console_timestamps,
	       false),
	OPTION("tbuf_size", cmdline_parse_uint, tbuf_size, false),
	OPTION("tevt_mask", cmdline_parse_uint, tevt_mask, false),
	OPTION_FULL("xsm", cmdline_parse_xsm, xsm, false, false,
		    cmdline_show_xsm, NULL),
};

static const struct cmdline_option *cmdline_find(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmdline_options); i++) {
		if (cmdline_word_is(name, len, cmdline_options[i].name))
			return &cmdline_options[i];
	}
	return NULL;
}

static void cmdline_apply(const struct cmdline_option *opt,
			  struct cmdline_value v, struct boot_options *opts)
{
	if (opt->parse(v, (char *)opts + opt->offset, opt->size))
		return;
	if (!v.s)
		pr_warn("Command line option '%s' needs a value, ignored\n",
			opt->name);
	else
		pr_warn("Invalid value '%.*s' for command line option '%s', "
			"ignored\n",
			cmdline_log_len(v.len), v.s, opt->name);
}

/* "no-<name>" is "<name>=no", for the options that take "no". */
static void cmdline_apply_negated(const struct cmdline_option *opt,
				  struct cmdline_value v,
				  struct boot_options *opts)
{
	if (!opt->negatable || v.s) {
		pr_warn("Command line option 'no-%s' is not valid, ignored\n",
			opt->name);
		return;
	}
	cmdline_apply(opt, (struct cmdline_value){"no", 2}, opts);
}

/* One whitespace-free token: "name", "name=value" or "no-name". */
static void cmdline_parse_token(const char *tok, size_t len,
				struct boot_options *opts)
{
	size_t name_len = cmdline_until(tok, len, '=');
	struct cmdline_value v = {NULL, 0};
	const struct cmdline_option *opt;

	if (name_len < len) {
		v.s = tok + name_len + 1;
		v.len = len - name_len - 1;
	}

	opt = cmdline_find(tok, name_len);
	if (opt) {
		cmdline_apply(opt, v, opts);
		return;
	}
	if (cmdline_starts_with(tok, name_len, "no-")) {
		opt = cmdline_find(tok + 3, name_len - 3);
		if (opt) {
			cmdline_apply_negated(opt, v, opts);
			return;
		}
	}
	pr_warn("Unknown command line option '%.*s'\n",
		cmdline_log_len(name_len), tok);
}

/*
 * Keep a copy of @cmdline for XENVER_commandline, and return how much of
 * it is whole options. When the line does not fit, its last option may be
 * cut in two and would then mean something else ("dom0_mem=512M" becoming
 * "dom0_mem=51"), so that option is left out.
 */
static size_t cmdline_save(char *saved, const char *cmdline)
{
	size_t len = strnlen(cmdline, CMDLINE_SIZE);

	if (len < CMDLINE_SIZE) {
		memcpy(saved, cmdline, len + 1);
		return len;
	}
	len = CMDLINE_SIZE - 1;
	memcpy(saved, cmdline, len);
	saved[len] = '\0';
	pr_warn("Command line longer than %d bytes, the rest is ignored\n",
		CMDLINE_SIZE - 1);
	if (!cmdline_is_space(cmdline[len])) {
		while (len && !cmdline_is_space(saved[len - 1]))
			len--;
	}
	return len;
}

void cmdline_parse(const char *cmdline, struct boot_options *opts)
{
	const char *s = opts->cmdline;
	size_t len, i = 0;

	memset(opts, 0, sizeof(*opts));
	opts->sched_ratelimit_us = SCHED_DEFAULT_RATELIMIT_US;
	opts->sched_credit_tslice_ms = SCHED_CREDIT_DEFAULT_TSLICE_MS;
	if (!cmdline)
		return;
	len = cmdline_save(opts->cmdline, cmdline);

	while (i < len) {
		size_t start;

		if (cmdline_is_space(s[i])) {
			i++;
			continue;
		}
		start = i;
		while (i < len && !cmdline_is_space(s[i]))
			i++;
		cmdline_parse_token(s + start, i - start, opts);
	}
}

/* ---- The options as parameters: hypfs /params/ ----------------------- */

/* An alias (loglevel=) shares its field with the option before it. */
static bool cmdline_is_alias(size_t i)
{
	for (size_t j = 0; j < i; j++) {
		if (cmdline_options[j].offset == cmdline_options[i].offset)
			return true;
	}
	return false;
}

/* The table index of the @i-th option that is not an alias. */
static const struct cmdline_option *cmdline_nth(unsigned int i)
{
	for (size_t k = 0; k < ARRAY_SIZE(cmdline_options); k++) {
		if (cmdline_is_alias(k))
			continue;
		if (i-- == 0)
			return &cmdline_options[k];
	}
	return NULL;
}

static enum cmdline_param_type cmdline_type(const struct cmdline_option *o)
{
	if (o->show || o->parse == cmdline_parse_string)
		return CMDLINE_PARAM_TEXT;
	if (o->parse == cmdline_parse_bool)
		return CMDLINE_PARAM_BOOL;
	return CMDLINE_PARAM_UINT;
}

bool cmdline_param(unsigned int i, struct cmdline_param *p)
{
	const struct cmdline_option *o = cmdline_nth(i);

	if (!o)
		return false;
	p->name = o->name;
	p->type = cmdline_type(o);
	p->runtime = o->runtime;
	return true;
}

size_t cmdline_param_value(unsigned int i, const struct boot_options *opts,
			   char *buf, size_t n)
{
	const struct cmdline_option *o = cmdline_nth(i);
	const char *src;

	if (!o || !n)
		return 0;
	src = (const char *)opts + o->offset;
	if (o->show) {
		o->show(src, buf, n);
		return strnlen(buf, n - 1) + 1;
	}
	if (o->parse == cmdline_parse_string) {
		fmt_snprintf(buf, n, "%s", src);
		return strnlen(buf, n - 1) + 1;
	}
	if (o->size > n)
		return 0;
	memcpy(buf, src, o->size);
	return o->size;
}

/* Parse one runtime option's value and make it take effect. */
static int cmdline_runtime_apply(const struct cmdline_option *o,
				 struct cmdline_value v,
				 struct boot_options *opts)
{
	if (!o->parse(v, (char *)opts + o->offset, o->size)) {
		pr_warn("parameter \"%s\" has invalid value \"%.*s\", rc=%d!\n",
			o->name, cmdline_log_len(v.len), v.s ? v.s : "",
			-EINVAL);
		return -EINVAL;
	}
	if (o->apply)
		o->apply(opts);
	return 0;
}

int cmdline_param_set(unsigned int i, const char *value, size_t len,
		      struct boot_options *opts)
{
	const struct cmdline_option *o = cmdline_nth(i);

	if (!o || !o->runtime)
		return -EACCES;
	return cmdline_runtime_apply(o, (struct cmdline_value){value, len},
				     opts);
}
