/* SPDX-License-Identifier: MIT */
/*
 * The arm64 stage-2 descriptor format and table geometry, in plain C with
 * no system registers, so that the host unit tests check the very code
 * arch/arm64/p2m.c runs.
 */
#ifndef ARM64_P2M_PTE_H
#define ARM64_P2M_PTE_H

#include <orchid/p2m.h>
#include <orchid/pagetable.h>

/* Stage-2 block and page descriptor bits (Arm ARM D8.3, 4 KiB granule). */
#define S2_TYPE_MASK		0x3UL
#define S2_TYPE_TABLE		0x3UL /* levels 0-2 */
#define S2_TYPE_BLOCK		0x1UL /* levels 1-2 */
#define S2_TYPE_PAGE		0x3UL /* level 3 */
#define S2_MEMATTR_SHIFT	2     /* MemAttr[3:0], HCR_EL2.FWB = 0 */
#define S2_MEMATTR_NORMAL_WB	0xfUL /* Outer and Inner Write-Back */
#define S2_MEMATTR_DEVICE_nGnRE 0x1UL
#define S2_AP_READ		(1UL << 6) /* S2AP[0] */
#define S2_AP_WRITE		(1UL << 7) /* S2AP[1] */
#define S2_SH_OUTER		(2UL << 8)
#define S2_SH_INNER		(3UL << 8)
#define S2_AF			(1UL << 10)
#define S2_XN			(1UL << 54) /* XN[1]; FEAT_XNX's XN[0] is 0 */
#define S2_SW_SHIFT		55 /* bits 55-58: software, hold the p2m type */
#define S2_SW_MASK		(0xfUL << S2_SW_SHIFT)
#define S2_ADDR_MASK		0x0000fffffffff000UL /* 48-bit output address */

/* VTCR_EL2 fields. */
#define VTCR_SL0_SHIFT	6
#define VTCR_IRGN0_WBWA (1UL << 8)
#define VTCR_ORGN0_WBWA (1UL << 10)
#define VTCR_SH0_INNER	(3UL << 12)
#define VTCR_TG0_4K	(0UL << 14)
#define VTCR_PS_SHIFT	16
#define VTCR_RES1	(1UL << 31)

/*
 * The largest IPA space Orchid gives a domain. Dom0 is direct-mapped
 * (IPA == PA), so its IPA space must reach every device and RAM bank it is
 * given: QEMU virt puts its high GIC redistributors, PCIe ECAM and MMIO
 * between 256 GiB and 1 TiB (40 bits) and moves them higher with more
 * RAM; servers have RAM beyond 1 TiB. 44 bits (16 TiB) covers those at the
 * cost of a four-level walk (root at level 0, 32 entries).
 */
#define P2M_IPA_BITS_MAX 44

/* Physical address bits of ID_AA64MMFR0_EL1.PARange (4 KiB: at most 48). */
unsigned int p2m_parange_bits(unsigned int parange);
/* VTCR_EL2.PS for @parange: the CPU's whole physical address space. */
unsigned int p2m_parange_ps(unsigned int parange);
/* The IPA size Orchid uses on a CPU with @parange. */
unsigned int p2m_choose_ipa_bits(unsigned int parange);

/* Describe the stage-2 tree of an @ipa_bits space; false if unsupported. */
bool p2m_pte_desc(unsigned int ipa_bits, struct pt_desc *desc);
/* VTCR_EL2 for that tree on a CPU with @parange. */
uint64_t p2m_vtcr(unsigned int ipa_bits, unsigned int parange);

/* Leaf bits (no address, no type bits) of @type; 0: not mappable. */
uint64_t p2m_pte_attrs(enum p2m_type type);
/* The p2m type a leaf was made with. */
enum p2m_type p2m_pte_type(uint64_t pte);

#endif /* ARM64_P2M_PTE_H */
