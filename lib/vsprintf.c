// SPDX-License-Identifier: MIT
/*
 * printf-style formatting into a bounded buffer, following C99 for every
 * conversion it supports so that host tests can hold it against libc.
 * There is no %n (a format must never write memory) and no floating point
 * (Orchid is built with -mgeneral-regs-only). A conversion it does not know
 * is copied to the output as written and takes no argument, so a typo shows
 * up in the log and the conversions after it still get their own arguments.
 */
#include <orchid/string.h>

enum fmt_flag {
	FMT_LEFT = 1 << 0,  /* '-': pad on the right */
	FMT_ZERO = 1 << 1,  /* '0': pad with zeros after sign and prefix */
	FMT_ALT = 1 << 2,   /* '#': 0x prefix, or a leading 0 in octal */
	FMT_PLUS = 1 << 3,  /* '+': always print a sign */
	FMT_SPACE = 1 << 4, /* ' ': a space where a '+' would go */
	FMT_UPPER = 1 << 5, /* %X */
	FMT_PTR = 1 << 6,   /* %p: 0x prefix even for zero */
};

enum fmt_length {
	FMT_LEN_NONE,
	FMT_LEN_HH,
	FMT_LEN_H,
	FMT_LEN_L,
	FMT_LEN_LL,
	FMT_LEN_Z,
	FMT_LEN_T,
	FMT_LEN_J,
};

struct fmt_spec {
	unsigned int flags;
	int width;
	int precision; /* -1 when none was given */
	enum fmt_length length;
};

/* The output: @pos counts every byte, also those that did not fit. */
struct fmt_out {
	char *buf;
	size_t size;
	size_t pos;
};

/* Room is always left for the terminating NUL. */
static bool fmt_has_room(const struct fmt_out *out)
{
	return out->pos + 1 < out->size;
}

static void fmt_putc(struct fmt_out *out, char c)
{
	if (fmt_has_room(out))
		out->buf[out->pos] = c;
	out->pos++;
}

static void fmt_puts(struct fmt_out *out, const char *s, size_t n)
{
	for (; n && fmt_has_room(out); n--)
		out->buf[out->pos++] = *s++;
	out->pos += n;
}

/* Costs time only for what fits, so a huge width cannot stall the CPU. */
static void fmt_fill(struct fmt_out *out, char c, size_t n)
{
	for (; n && fmt_has_room(out); n--)
		out->buf[out->pos++] = c;
	out->pos += n;
}

static bool fmt_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Decimal digits, saturating at INT_MAX instead of overflowing. */
static const char *fmt_parse_int(const char *p, int *val)
{
	int v = 0;

	for (; fmt_is_digit(*p); p++) {
		int d = *p - '0';

		v = v > (__INT_MAX__ - d) / 10 ? __INT_MAX__ : v * 10 + d;
	}
	*val = v;
	return p;
}

static unsigned int fmt_flag_of(char c)
{
	switch (c) {
	case '-': return FMT_LEFT;
	case '0': return FMT_ZERO;
	case '#': return FMT_ALT;
	case '+': return FMT_PLUS;
	case ' ': return FMT_SPACE;
	default: return 0;
	}
}

static const char *fmt_parse_flags(const char *p, struct fmt_spec *spec)
{
	unsigned int flag;

	while ((flag = fmt_flag_of(*p)) != 0) {
		spec->flags |= flag;
		p++;
	}
	return p;
}

/* A negative '*' width means '-' and its magnitude, as C99 says. */
static const char *fmt_parse_width(const char *p, struct fmt_spec *spec,
				   va_list *ap)
{
	int w;

	if (*p != '*')
		return fmt_parse_int(p, &spec->width);
	w = va_arg(*ap, int);
	if (w < 0) {
		spec->flags |= FMT_LEFT;
		w = w < -__INT_MAX__ ? __INT_MAX__ : -w;
	}
	spec->width = w;
	return p + 1;
}

/* A '.' alone means precision 0; a negative '*' means none at all. */
static const char *fmt_parse_precision(const char *p, struct fmt_spec *spec,
				       va_list *ap)
{
	int prec;

	if (*p != '.')
		return p;
	p++;
	if (*p != '*')
		return fmt_parse_int(p, &spec->precision);
	prec = va_arg(*ap, int);
	spec->precision = prec < 0 ? -1 : prec;
	return p + 1;
}

static const char *fmt_parse_length(const char *p, struct fmt_spec *spec)
{
	switch (*p) {
	case 'h':
		if (p[1] == 'h') {
			spec->length = FMT_LEN_HH;
			return p + 2;
		}
		spec->length = FMT_LEN_H;
		return p + 1;
	case 'l':
		if (p[1] == 'l') {
			spec->length = FMT_LEN_LL;
			return p + 2;
		}
		spec->length = FMT_LEN_L;
		return p + 1;
	case 'z': spec->length = FMT_LEN_Z; return p + 1;
	case 't': spec->length = FMT_LEN_T; return p + 1;
	case 'j': spec->length = FMT_LEN_J; return p + 1;
	default: return p;
	}
}

/* Fetch a signed argument of the spec's length, promoted to 64 bits. */
static s64 fmt_arg_signed(const struct fmt_spec *spec, va_list *ap)
{
	switch (spec->length) {
	case FMT_LEN_HH: return (signed char)va_arg(*ap, int);
	case FMT_LEN_H: return (short)va_arg(*ap, int);
	case FMT_LEN_L: return va_arg(*ap, long);
	case FMT_LEN_LL: return va_arg(*ap, long long);
	case FMT_LEN_Z:
		/* The signed type matching size_t; ptrdiff_t has its width. */
		return (ptrdiff_t)va_arg(*ap, size_t);
	case FMT_LEN_T: return va_arg(*ap, ptrdiff_t);
	case FMT_LEN_J: return va_arg(*ap, intmax_t);
	default: return va_arg(*ap, int);
	}
}

static u64 fmt_arg_unsigned(const struct fmt_spec *spec, va_list *ap)
{
	switch (spec->length) {
	case FMT_LEN_HH: return (unsigned char)va_arg(*ap, unsigned int);
	case FMT_LEN_H: return (unsigned short)va_arg(*ap, unsigned int);
	case FMT_LEN_L: return va_arg(*ap, unsigned long);
	case FMT_LEN_LL: return va_arg(*ap, unsigned long long);
	case FMT_LEN_Z: return va_arg(*ap, size_t);
	case FMT_LEN_T:
		/* The unsigned type matching ptrdiff_t; size_t has its width. */
		return (size_t)va_arg(*ap, ptrdiff_t);
	case FMT_LEN_J: return va_arg(*ap, uintmax_t);
	default: return va_arg(*ap, unsigned int);
	}
}

/* Digits of @v in @base, least significant first; returns their count. */
static size_t fmt_digits(char *digits, u64 v, unsigned int base, bool upper)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	size_t n = 0;

	while (v) {
		digits[n++] = set[v % base];
		v /= base;
	}
	return n;
}

/* The sign column of a number: '-', '+', ' ' or nothing (0). */
static char fmt_sign(const struct fmt_spec *spec, bool is_signed, bool neg)
{
	if (neg)
		return '-';
	if (!is_signed)
		return 0;
	if (spec->flags & FMT_PLUS)
		return '+';
	if (spec->flags & FMT_SPACE)
		return ' ';
	return 0;
}

static const char *fmt_prefix(const struct fmt_spec *spec, unsigned int base,
			      u64 v)
{
	if (base != 16)
		return "";
	if (spec->flags & FMT_PTR)
		return "0x";
	if (!(spec->flags & FMT_ALT) || v == 0)
		return "";
	return spec->flags & FMT_UPPER ? "0X" : "0x";
}

/*
 * Print @mag (with a '-' when @neg) as C99 lays a number out:
 * [pad][sign][prefix][zeros][digits][pad]. Precision is the minimum number
 * of digits; precision 0 prints nothing for zero; '0' pads only when no
 * precision was given.
 */
static void fmt_number(struct fmt_out *out, const struct fmt_spec *spec,
		       u64 mag, bool neg, bool is_signed, unsigned int base)
{
	char digits[24]; /* 22 octal digits hold 64 bits */
	size_t ndigits = fmt_digits(digits, mag, base, spec->flags & FMT_UPPER);
	char sign = fmt_sign(spec, is_signed, neg);
	const char *prefix = fmt_prefix(spec, base, mag);
	size_t plen = strlen(prefix);
	size_t prec = spec->precision < 0 ? 1 : (size_t)spec->precision;
	size_t zeros, body, pad = 0;

	/* '#' with octal: raise the precision until the first digit is 0. */
	if (base == 8 && (spec->flags & FMT_ALT) && prec <= ndigits)
		prec = ndigits + 1;
	zeros = prec > ndigits ? prec - ndigits : 0;
	body = (sign ? 1 : 0) + plen + zeros + ndigits;
	if ((size_t)spec->width > body)
		pad = (size_t)spec->width - body;
	if ((spec->flags & (FMT_ZERO | FMT_LEFT)) == FMT_ZERO &&
	    spec->precision < 0) {
		zeros += pad;
		pad = 0;
	}

	if (!(spec->flags & FMT_LEFT))
		fmt_fill(out, ' ', pad);
	if (sign)
		fmt_putc(out, sign);
	fmt_puts(out, prefix, plen);
	fmt_fill(out, '0', zeros);
	while (ndigits)
		fmt_putc(out, digits[--ndigits]);
	if (spec->flags & FMT_LEFT)
		fmt_fill(out, ' ', pad);
}

/* @len bytes of @s in a field of the spec's width; ignores '0'. */
static void fmt_field(struct fmt_out *out, const struct fmt_spec *spec,
		      const char *s, size_t len)
{
	size_t pad = (size_t)spec->width > len ? (size_t)spec->width - len : 0;

	if (!(spec->flags & FMT_LEFT))
		fmt_fill(out, ' ', pad);
	fmt_puts(out, s, len);
	if (spec->flags & FMT_LEFT)
		fmt_fill(out, ' ', pad);
}

static void fmt_string(struct fmt_out *out, const struct fmt_spec *spec,
		       const char *s)
{
	size_t len;

	if (!s)
		s = "(null)";
	if (spec->precision >= 0)
		len = strnlen(s, (size_t)spec->precision);
	else
		len = strlen(s);
	fmt_field(out, spec, s, len);
}

static void fmt_signed(struct fmt_out *out, const struct fmt_spec *spec,
		       va_list *ap)
{
	s64 v = fmt_arg_signed(spec, ap);
	/* Negate in unsigned arithmetic: -INT64_MIN does not exist. */
	u64 mag = v < 0 ? 0 - (u64)v : (u64)v;

	fmt_number(out, spec, mag, v < 0, true, 10);
}

static void fmt_pointer(struct fmt_out *out, struct fmt_spec *spec, va_list *ap)
{
	uintptr_t v = (uintptr_t)va_arg(*ap, void *);

	spec->flags |= FMT_PTR;
	fmt_number(out, spec, v, false, false, 16);
}

/*
 * Print one conversion. Returns false for a conversion character it does
 * not know, which the caller then copies as text.
 */
static bool fmt_convert(struct fmt_out *out, struct fmt_spec *spec, char conv,
			va_list *ap)
{
	char c;

	switch (conv) {
	case 'd':
	case 'i': fmt_signed(out, spec, ap); return true;
	case 'u':
		fmt_number(out, spec, fmt_arg_unsigned(spec, ap), false, false,
			   10);
		return true;
	case 'X':
		spec->flags |= FMT_UPPER;
		/* fallthrough */
	case 'x':
		fmt_number(out, spec, fmt_arg_unsigned(spec, ap), false, false,
			   16);
		return true;
	case 'o':
		fmt_number(out, spec, fmt_arg_unsigned(spec, ap), false, false,
			   8);
		return true;
	case 'p': fmt_pointer(out, spec, ap); return true;
	case 's': fmt_string(out, spec, va_arg(*ap, const char *)); return true;
	case 'c':
		c = (char)va_arg(*ap, int);
		fmt_field(out, spec, &c, 1);
		return true;
	case '%': fmt_putc(out, '%'); return true;
	default: return false;
	}
}

/* Handle the conversion starting at the '%' at @start; returns what follows. */
static const char *fmt_directive(struct fmt_out *out, const char *start,
				 va_list *ap)
{
	struct fmt_spec spec = {.precision = -1};
	const char *p = start + 1;

	p = fmt_parse_flags(p, &spec);
	p = fmt_parse_width(p, &spec, ap);
	p = fmt_parse_precision(p, &spec, ap);
	p = fmt_parse_length(p, &spec);
	if (*p == '\0') {
		/* The format ends inside a directive: print what there is. */
		fmt_puts(out, start, (size_t)(p - start));
		return p;
	}
	if (!fmt_convert(out, &spec, *p, ap))
		fmt_puts(out, start, (size_t)(p + 1 - start));
	return p + 1;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out out = {.buf = buf, .size = size, .pos = 0};
	va_list args;

	/* A copy, so helpers can share one va_list through a pointer. */
	va_copy(args, ap);
	while (*fmt) {
		const char *pct = strchr(fmt, '%');
		size_t run = pct ? (size_t)(pct - fmt) : strlen(fmt);

		fmt_puts(&out, fmt, run);
		fmt += run;
		if (*fmt == '%')
			fmt = fmt_directive(&out, fmt, &args);
	}
	va_end(args);

	if (size)
		buf[out.pos < size ? out.pos : size - 1] = '\0';
	/* Like C99: a length that does not fit an int is an error. */
	return out.pos > (size_t)__INT_MAX__ ? -1 : (int)out.pos;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
