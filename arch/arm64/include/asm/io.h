/* SPDX-License-Identifier: MIT */
/* MMIO accessors: single-copy-atomic accesses with the barriers drivers need. */
#ifndef ASM_IO_H
#define ASM_IO_H

#include <orchid/types.h>

static inline uint32_t readl_relaxed(const volatile void *addr)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr));
	return v;
}

static inline void writel_relaxed(uint32_t v, volatile void *addr)
{
	__asm__ volatile("str %w0, [%1]" : : "rZ"(v), "r"(addr));
}

static inline uint64_t readq_relaxed(const volatile void *addr)
{
	uint64_t v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(addr));
	return v;
}

static inline void writeq_relaxed(uint64_t v, volatile void *addr)
{
	__asm__ volatile("str %x0, [%1]" : : "rZ"(v), "r"(addr));
}

static inline uint8_t readb_relaxed(const volatile void *addr)
{
	uint8_t v;

	__asm__ volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(addr));
	return v;
}

static inline void writeb_relaxed(uint8_t v, volatile void *addr)
{
	__asm__ volatile("strb %w0, [%1]" : : "rZ"(v), "r"(addr));
}

/* Ordered against normal memory accesses on either side. */
static inline uint32_t readl(const volatile void *addr)
{
	uint32_t v = readl_relaxed(addr);

	__asm__ volatile("dmb oshld" : : : "memory");
	return v;
}

static inline void writel(uint32_t v, volatile void *addr)
{
	__asm__ volatile("dmb oshst" : : : "memory");
	writel_relaxed(v, addr);
}

static inline uint64_t readq(const volatile void *addr)
{
	uint64_t v = readq_relaxed(addr);

	__asm__ volatile("dmb oshld" : : : "memory");
	return v;
}

static inline void writeq(uint64_t v, volatile void *addr)
{
	__asm__ volatile("dmb oshst" : : : "memory");
	writeq_relaxed(v, addr);
}

#endif /* ASM_IO_H */
