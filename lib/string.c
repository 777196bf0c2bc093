// SPDX-License-Identifier: MIT
/*
 * The C string functions Orchid uses. They also run before the MMU is on,
 * when every access is a Device access and an unaligned one faults, so a
 * function only moves whole words once both pointers are known to be
 * word-aligned; everything else goes byte by byte.
 */
#include <orchid/string.h>

/* A word that may alias any object, so word copies keep aliasing rules. */
typedef u64 __attribute__((__may_alias__)) word_t;

enum { WORD_SIZE = sizeof(word_t), BLOCK_WORDS = 8 };
enum { BLOCK_SIZE = BLOCK_WORDS * WORD_SIZE };

static bool word_aligned(const void *p)
{
	return ((uintptr_t)p & (WORD_SIZE - 1)) == 0;
}

/* True when advancing both pointers together can align them both. */
static bool same_alignment(const void *a, const void *b)
{
	return (((uintptr_t)a ^ (uintptr_t)b) & (WORD_SIZE - 1)) == 0;
}

/*
 * 64 bytes, all loads before all stores (the compiler pairs them into
 * LDP/STP): a page in 64 rounds of about 12 instructions, where a word
 * loop takes 512 rounds of 5. Justified by bench-micro's grant-copy-4k
 * rows (GNTTABOP_copy is a memcpy per segment), and page scrubbing.
 */
static void copy_block(word_t *d, const word_t *s)
{
	word_t a = s[0], b = s[1], c = s[2], e = s[3];
	word_t f = s[4], g = s[5], h = s[6], i = s[7];

	d[0] = a;
	d[1] = b;
	d[2] = c;
	d[3] = e;
	d[4] = f;
	d[5] = g;
	d[6] = h;
	d[7] = i;
}

#ifdef __aarch64__
/*
 * @rounds rounds of 128 bytes at word-aligned @d and @s: eight LDP and
 * eight STP of x registers a round, the pointers advanced by the first
 * load and store (post-index), 18 instructions a round: a 4 KiB page in
 * 576 instead of copy_block's 768. Each half is read before it is
 * stored, so a forward overlap stays safe as with copy_block. Justified
 * by bench-micro's grant-copy-4k rows (a page copy per segment).
 */
static void copy_rounds128(word_t *d, const word_t *s, size_t rounds)
{
	__asm__ volatile("1:	ldp x4, x5, [%[s]], #128\n"
			 "	ldp x6, x7, [%[s], #-112]\n"
			 "	ldp x8, x9, [%[s], #-96]\n"
			 "	ldp x10, x11, [%[s], #-80]\n"
			 "	stp x4, x5, [%[d]], #128\n"
			 "	stp x6, x7, [%[d], #-112]\n"
			 "	stp x8, x9, [%[d], #-96]\n"
			 "	stp x10, x11, [%[d], #-80]\n"
			 "	ldp x4, x5, [%[s], #-64]\n"
			 "	ldp x6, x7, [%[s], #-48]\n"
			 "	ldp x8, x9, [%[s], #-32]\n"
			 "	ldp x10, x11, [%[s], #-16]\n"
			 "	stp x4, x5, [%[d], #-64]\n"
			 "	stp x6, x7, [%[d], #-48]\n"
			 "	stp x8, x9, [%[d], #-32]\n"
			 "	stp x10, x11, [%[d], #-16]\n"
			 "	subs %[n], %[n], #1\n"
			 "	b.ne 1b\n"
			 : [d] "+r"(d), [s] "+r"(s), [n] "+r"(rounds)
			 :
			 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
			   "cc", "memory");
}
#define SIMD_ROUND 256

/*
 * @rounds rounds of 256 bytes at 16-byte-aligned @d and @s through q0-q7:
 * eight LDP and eight STP of q registers a round (32 bytes a pair), a
 * 4 KiB page in 288 instructions instead of copy_rounds128's 576.
 * Justified by bench-micro's grant-copy-4k rows (a page copy per
 * segment, ~300 of a segment's ~2000 instructions).
 *
 * Orchid is built -mgeneral-regs-only and leaves FP/SIMD untrapped at EL2
 * (CPTR_EL2.TFP clear, vcpu_init_cpu): the q registers hold the running
 * vCPU's state, so the eight used are saved first and put back after
 * (a hypercall runs with IRQs masked: nothing else runs in between).
 * SVE is trapped for guests (CPTR_EL2.TZ), so writing a q register loses
 * no guest Z-register bits.
 */
static void copy_rounds256_simd(u8 *d, const u8 *s, size_t rounds)
{
	u64 save[16] __attribute__((aligned(16)));

	__asm__ volatile("	stp q0, q1, [%[t]]\n"
			 "	stp q2, q3, [%[t], #32]\n"
			 "	stp q4, q5, [%[t], #64]\n"
			 "	stp q6, q7, [%[t], #96]\n"
			 "1:	ldp q0, q1, [%[s]], #256\n"
			 "	ldp q2, q3, [%[s], #-224]\n"
			 "	ldp q4, q5, [%[s], #-192]\n"
			 "	ldp q6, q7, [%[s], #-160]\n"
			 "	stp q0, q1, [%[d]], #256\n"
			 "	stp q2, q3, [%[d], #-224]\n"
			 "	stp q4, q5, [%[d], #-192]\n"
			 "	stp q6, q7, [%[d], #-160]\n"
			 "	ldp q0, q1, [%[s], #-128]\n"
			 "	ldp q2, q3, [%[s], #-96]\n"
			 "	ldp q4, q5, [%[s], #-64]\n"
			 "	ldp q6, q7, [%[s], #-32]\n"
			 "	stp q0, q1, [%[d], #-128]\n"
			 "	stp q2, q3, [%[d], #-96]\n"
			 "	stp q4, q5, [%[d], #-64]\n"
			 "	stp q6, q7, [%[d], #-32]\n"
			 "	subs %[n], %[n], #1\n"
			 "	b.ne 1b\n"
			 "	ldp q0, q1, [%[t]]\n"
			 "	ldp q2, q3, [%[t], #32]\n"
			 "	ldp q4, q5, [%[t], #64]\n"
			 "	ldp q6, q7, [%[t], #96]\n"
			 : [d] "+r"(d), [s] "+r"(s), [n] "+r"(rounds)
			 : [t] "r"(save)
			 : "cc", "memory");
}
#endif

/*
 * Copy from low to high addresses. Also safe for an overlapping copy with
 * @d below @s: every word is read before the store that could clobber it
 * (a block's stores only reach below @s + BLOCK_SIZE, all read already).
 */
static void copy_forward(u8 *d, const u8 *s, size_t n)
{
	if (same_alignment(d, s)) {
		for (; n && !word_aligned(d); n--)
			*d++ = *s++;
#ifdef __aarch64__
		if (n >= 2 * BLOCK_SIZE) {
			size_t rounds = n / (2 * BLOCK_SIZE);

			copy_rounds128((word_t *)d, (const word_t *)s, rounds);
			d += rounds * 2 * BLOCK_SIZE;
			s += rounds * 2 * BLOCK_SIZE;
			n -= rounds * 2 * BLOCK_SIZE;
		}
#endif
		for (; n >= BLOCK_SIZE; n -= BLOCK_SIZE) {
			copy_block((word_t *)d, (const word_t *)s);
			d += BLOCK_SIZE;
			s += BLOCK_SIZE;
		}
		for (; n >= WORD_SIZE; n -= WORD_SIZE) {
			*(word_t *)d = *(const word_t *)s;
			d += WORD_SIZE;
			s += WORD_SIZE;
		}
	}
	for (; n; n--)
		*d++ = *s++;
}

/* Copy from high to low addresses, for an overlap with @d above @s. */
static void copy_backward(u8 *d, const u8 *s, size_t n)
{
	d += n;
	s += n;
	if (same_alignment(d, s)) {
		for (; n && !word_aligned(d); n--)
			*--d = *--s;
		for (; n >= WORD_SIZE; n -= WORD_SIZE) {
			d -= WORD_SIZE;
			s -= WORD_SIZE;
			*(word_t *)d = *(const word_t *)s;
		}
	}
	for (; n; n--)
		*--d = *--s;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	copy_forward(dst, src, n);
	return dst;
}

#ifdef __aarch64__
void *memcpy_bulk(void *dst, const void *src, size_t n)
{
	size_t rounds = n / SIMD_ROUND;

	if (!rounds || (((uintptr_t)dst | (uintptr_t)src) & 15))
		return memcpy(dst, src, n);
	copy_rounds256_simd(dst, src, rounds);
	copy_forward((u8 *)dst + rounds * SIMD_ROUND,
		     (const u8 *)src + rounds * SIMD_ROUND,
		     n - rounds * SIMD_ROUND);
	return dst;
}
#endif

void *memmove(void *dst, const void *src, size_t n)
{
	uintptr_t d = (uintptr_t)dst;
	uintptr_t s = (uintptr_t)src;

	if (d == s || n == 0)
		return dst;
	/* Only a destination starting inside the source needs a backward copy. */
	if (d > s && d - s < n)
		copy_backward(dst, src, n);
	else
		copy_forward(dst, src, n);
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	u8 *d = dst;
	u8 byte = (u8)c;
	word_t fill = byte * 0x0101010101010101ULL;

	for (; n && !word_aligned(d); n--)
		*d++ = byte;
	/* Whole blocks first: see copy_block (scrubbing fills pages). */
	for (; n >= BLOCK_SIZE; n -= BLOCK_SIZE) {
		word_t *w = (word_t *)d;

		w[0] = w[1] = w[2] = w[3] = fill;
		w[4] = w[5] = w[6] = w[7] = fill;
		d += BLOCK_SIZE;
	}
	for (; n >= WORD_SIZE; n -= WORD_SIZE) {
		*(word_t *)d = fill;
		d += WORD_SIZE;
	}
	for (; n; n--)
		*d++ = byte;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a;
	const u8 *y = b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x - *y;
	}
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/* Compare as unsigned char, as the C standard asks. */
static int char_diff(char a, char b)
{
	return (unsigned char)a - (unsigned char)b;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return char_diff(*a, *b);
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b || !*a)
			return char_diff(*a, *b);
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	char ch = (char)c;

	for (;; s++) {
		if (*s == ch)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	char ch = (char)c;
	const char *last = NULL;

	for (;; s++) {
		if (*s == ch)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);
	size_t n;

	if (size == 0)
		return len;
	n = len < size - 1 ? len : size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return len;
}
