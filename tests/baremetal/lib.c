// SPDX-License-Identifier: MIT
/*
 * The libc of a test guest: byte loops (they run before the MMU is on,
 * when memory is Device memory and never accessed unaligned), a printf that
 * knows %c %s %d %u %x with an optional 'l', and the console: through
 * HYPERVISOR_console_io, which Xen and Orchid give Dom0, or a DomU's PV
 * console ring (pvcons.c) once main.c has set it up.
 */
#include "guest.h"
#include "xen.h"

void *memset(void *s, int c, size_t n)
{
	volatile unsigned char *p = s;

	while (n--)
		*p++ = (unsigned char)c;
	return s;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	volatile unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

struct out {
	char *buf;
	size_t size, len;
};

static void out_char(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_number(struct out *o, unsigned long v, unsigned int base,
		       int negative)
{
	char digits[24];
	int n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (negative)
		out_char(o, '-');
	while (n)
		out_char(o, digits[--n]);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = {buf, size, 0};

	for (; *fmt; fmt++) {
		int is_long = 0;

		if (*fmt != '%') {
			out_char(&o, *fmt);
			continue;
		}
		if (*++fmt == 'l') {
			is_long = 1;
			fmt++;
		}
		switch (*fmt) {
		case 'c': out_char(&o, (char)va_arg(ap, int)); break;
		case 's': {
			const char *s = va_arg(ap, const char *);

			while (*s)
				out_char(&o, *s++);
			break;
		}
		case 'd': {
			long v = is_long ? va_arg(ap, long) : va_arg(ap, int);

			out_number(&o,
				   v < 0 ? -(unsigned long)v : (unsigned long)v,
				   10, v < 0);
			break;
		}
		case 'u':
		case 'x': {
			unsigned long v = is_long ? va_arg(ap, unsigned long)
						  : va_arg(ap, unsigned int);

			out_number(&o, v, *fmt == 'x' ? 16 : 10, 0);
			break;
		}
		case '\0': fmt--; break;
		default: out_char(&o, *fmt);
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void console_write(const char *s, size_t len)
{
	if (vpl011_ready())
		vpl011_write(s, len);
	else if (pvcons_ready())
		pvcons_write(s, len);
	else
		HC3(__HYPERVISOR_console_io, CONSOLEIO_write, len, s);
}

int printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_write(buf, strlen(buf));
	return n;
}

/* SCHEDOP_shutdown(poweroff): Dom0 powering off stops the machine on Xen
 * and on Orchid, a DomU's ends it (xl destroys it, on_poweroff); PSCI
 * SYSTEM_OFF is the fallback. */
void poweroff(void)
{
	uint32_t reason = SHUTDOWN_poweroff;

	pvcons_drain();

	HC2(__HYPERVISOR_sched_op, SCHEDOP_shutdown, &reason);
	for (;;) {
		register unsigned long x0 __asm__("x0") = 0x84000008ul;

		__asm__ volatile("hvc #0" : "+r"(x0)::"memory");
		__asm__ volatile("wfi");
	}
}

/* Orchid says who it is in XENVER_extraversion (".0-orchid"). */
int on_orchid(void)
{
	char extra[16] = {0};
	size_t i;

	HC2(__HYPERVISOR_xen_version, XENVER_extraversion, extra);
	for (i = 0; i + 6 <= sizeof(extra); i++)
		if (!memcmp(extra + i, "orchid", 6))
			return 1;
	return 0;
}
