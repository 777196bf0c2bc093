// SPDX-License-Identifier: MIT
/*
 * Stage 1 for a test guest: VA == IPA, 4 KiB granule, 39-bit VAs (start
 * at level 1). The first GiB (devices, the IPA hole) is Device-nGnRnE but
 * for Xen's magic pages of a DomU (GUEST_MAGIC_BASE, 16 MiB: the console
 * and xenstore rings), which are Normal write-back: Dom0 maps them
 * cacheable, and on real hardware a Device mapping here would read stale
 * memory. The next three GiB (QEMU virt's RAM, a DomU's GUEST_RAM0 at
 * 0x40000000) are Normal write-back. The 2 MiB that
 * hold test_pages[] are split into 4 KiB pages so that test_pages[1] is
 * read-only and test_pages[3] not mapped at all (after the read-write
 * test_pages[2], for buffers straddling into it): what a hypervisor must
 * refuse to write, or to touch, on the guest's behalf.
 */
#include "guest.h"

#define PTE_VALID    (1ul << 0)
#define PTE_TABLE    (1ul << 1) /* also "page" at level 3 */
#define PTE_ATTR(i)  ((unsigned long)(i) << 2)
#define PTE_AP_RO    (2ul << 6)
#define PTE_SH_INNER (3ul << 8)
#define PTE_AF	     (1ul << 10)
#define PTE_PXN	     (1ul << 53)
#define PTE_UXN	     (1ul << 54)

#define ATTR_DEVICE 0 /* MAIR byte 0: Device-nGnRnE */
#define ATTR_NORMAL 1 /* MAIR byte 1: Normal, write-back */
#define MAIR_VALUE  (0x00ul | (0xfful << 8))

#define PTE_NORMAL (PTE_VALID | PTE_ATTR(ATTR_NORMAL) | PTE_SH_INNER | PTE_AF)
#define PTE_DEVICE                                                             \
	(PTE_VALID | PTE_ATTR(ATTR_DEVICE) | PTE_AF | PTE_PXN | PTE_UXN)

/* TCR_EL1: T0SZ 25 (39 bits), WB WA walks, inner shareable, 4 KiB,
 * no TTBR1 walks (EPD1), 40-bit IPS. */
#define TCR_VALUE                                                              \
	(25ul | (1ul << 8) | (1ul << 10) | (3ul << 12) | (1ul << 23) |         \
	 (2ul << 32))

#define SCTLR_M (1ul << 0)
#define SCTLR_C (1ul << 2)
#define SCTLR_I (1ul << 12)

/* 32 KiB aligned: the six pages never straddle a 2 MiB block. */
char test_pages[6][4096] __attribute__((aligned(32768)));

#define MAGIC_BASE 0x39000000ul /* Xen's GUEST_MAGIC_BASE on Arm */
#define MAGIC_SIZE 0x01000000ul

static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l2_low[512] __attribute__((aligned(4096)));
static uint64_t l2[512] __attribute__((aligned(4096)));
static uint64_t l3[512] __attribute__((aligned(4096)));

/* Written with the MMU off (straight to memory): no stale cache line may
 * hide them from the table walker once walks are cacheable. */
static void clean_inval(const void *p, size_t len)
{
	for (uintptr_t a = (uintptr_t)p; a < (uintptr_t)p + len; a += 64)
		__asm__ volatile("dc civac, %0" ::"r"(a) : "memory");
	__asm__ volatile("dsb sy" ::: "memory");
}

void mmu_enable(void)
{
	uintptr_t pages = (uintptr_t)test_pages;
	uintptr_t l2_base = pages & ~((1ul << 30) - 1);
	uintptr_t l3_base = pages & ~((1ul << 21) - 1);
	uint64_t sctlr;

	for (unsigned long i = 0; i < 512; i++) {
		uintptr_t a = i << 21;
		int magic = a >= MAGIC_BASE && a < MAGIC_BASE + MAGIC_SIZE;

		l2_low[i] = a | (magic ? PTE_NORMAL : PTE_DEVICE);
	}
	l1[0] = (uintptr_t)l2_low | PTE_VALID | PTE_TABLE;
	for (unsigned long i = 1; i < 4; i++)
		l1[i] = (i << 30) | PTE_NORMAL;
	l1[pages >> 30] = (uintptr_t)l2 | PTE_VALID | PTE_TABLE;
	for (unsigned long i = 0; i < 512; i++)
		l2[i] = (l2_base + (i << 21)) | PTE_NORMAL;
	l2[(pages >> 21) & 511] = (uintptr_t)l3 | PTE_VALID | PTE_TABLE;
	for (unsigned long i = 0; i < 512; i++)
		l3[i] = (l3_base + (i << 12)) | PTE_NORMAL | PTE_TABLE;
	l3[((pages >> 12) & 511) + 1] |= PTE_AP_RO;
	l3[((pages >> 12) & 511) + 3] = 0;
	l3[((pages >> 12) & 511) + 5] = 0;
	clean_inval(l1, sizeof(l1));
	clean_inval(l2_low, sizeof(l2_low));
	clean_inval(l2, sizeof(l2));
	clean_inval(l3, sizeof(l3));
	clean_inval(test_pages, sizeof(test_pages));

	__asm__ volatile("msr mair_el1, %0" ::"r"(MAIR_VALUE));
	__asm__ volatile("msr tcr_el1, %0" ::"r"(TCR_VALUE));
	__asm__ volatile("msr ttbr0_el1, %0" ::"r"((uintptr_t)l1));
	__asm__ volatile("isb; tlbi vmalle1; dsb nsh; isb" ::: "memory");
	__asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
	sctlr |= SCTLR_M | SCTLR_C | SCTLR_I;
	__asm__ volatile("msr sctlr_el1, %0; isb" ::"r"(sctlr) : "memory");
}
