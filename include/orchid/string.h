/* SPDX-License-Identifier: MIT */
#ifndef ORCHID_STRING_H
#define ORCHID_STRING_H

#include <stdarg.h>
#include <orchid/types.h>

void *memcpy(void *dst, const void *src, size_t n);
/*
 * memcpy for a large copy made while a vCPU is loaded (a hypercall, not
 * boot): FP/SIMD registers on arm64, saved and restored around it
 * (lib/string.c). Elsewhere (host unit tests) plain memcpy.
 */
#ifdef __aarch64__
void *memcpy_bulk(void *dst, const void *src, size_t n);
#else
#define memcpy_bulk memcpy
#endif
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
/* Copies at most size - 1 bytes and always terminates; returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size);

/*
 * printf-style formatting into a bounded buffer. Returns the length the
 * whole output would have had, like C99 vsnprintf; always terminates when
 * size > 0. Named apart from libc so host tests can link both.
 */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif /* ORCHID_STRING_H */
