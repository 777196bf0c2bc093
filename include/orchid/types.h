/* SPDX-License-Identifier: MIT */
#ifndef ORCHID_TYPES_H
#define ORCHID_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

/*
 * Typed addresses: a host-physical address and a hypervisor virtual address
 * are different things even where Orchid maps RAM 1:1, so mixing them must
 * fail to compile. Guest-physical addresses (IPAs) get their own type too.
 */
typedef uint64_t uintpaddr_t;
typedef uint64_t uintipaddr_t;

typedef struct {
	uintpaddr_t pa;
} paddr_t;

typedef struct {
	uintipaddr_t ipa;
} ipaddr_t;

static inline paddr_t pa_init(uintpaddr_t addr)
{
	return (paddr_t){.pa = addr};
}

static inline uintpaddr_t pa_addr(paddr_t pa)
{
	return pa.pa;
}

static inline paddr_t pa_add(paddr_t pa, uint64_t n)
{
	return pa_init(pa.pa + n);
}

static inline ipaddr_t ipa_init(uintipaddr_t addr)
{
	return (ipaddr_t){.ipa = addr};
}

static inline uintipaddr_t ipa_addr(ipaddr_t ipa)
{
	return ipa.ipa;
}

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1UL << PAGE_SHIFT)
#define PAGE_MASK  (~(PAGE_SIZE - 1))

static inline uint64_t align_down(uint64_t v, uint64_t align)
{
	return v & ~(align - 1);
}

static inline uint64_t align_up(uint64_t v, uint64_t align)
{
	return (v + align - 1) & ~(align - 1);
}

static inline bool is_aligned(uint64_t v, uint64_t align)
{
	return (v & (align - 1)) == 0;
}

static inline uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static inline uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* True when [base, base + size) wraps around the address space. */
static inline bool range_overflows(uint64_t base, uint64_t size)
{
	return size != 0 && base + size - 1 < base;
}

#define __packed       __attribute__((packed))
#define __aligned(n)   __attribute__((aligned(n)))
#define __noreturn     __attribute__((noreturn))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define __unused       __attribute__((unused))
#define __section(s)   __attribute__((section(s)))

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#endif /* ORCHID_TYPES_H */
