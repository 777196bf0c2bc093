/* SPDX-License-Identifier: MIT */
/* Orchid's own (EL2 stage 1) address space: everything mapped 1:1. */
#ifndef ASM_MMU_H
#define ASM_MMU_H

#include <orchid/types.h>

enum mmu_attr {
	MMU_RAM_RW, /* Normal WB, read-write, never executable */
	MMU_RAM_RO, /* Normal WB, read-only, never executable */
	MMU_RAM_RX, /* Normal WB, read-only, executable (Orchid's text) */
	MMU_DEVICE, /* Device-nGnRE, read-write, never executable */
};

/* Boot CPU, MMU off: map Orchid's image (W^X) and the early UART. */
void mmu_early_init(void);
/* Every CPU, MMU off: program MAIR/TCR/TTBR0 for the shared tables. */
void mmu_prepare_cpu(void);
/*
 * Map [pa, pa + size) 1:1 with @attr. Pages already mapped keep their
 * mapping, so RAM mapped after the image never loosens the image's W^X.
 */
void mmu_map(paddr_t pa, uint64_t size, enum mmu_attr attr);
/* True when @va is mapped (for backtraces that must not fault). */
bool mmu_is_mapped(uintptr_t va, bool write);

/* Clean the data cache over a range to the point of coherency. */
void dcache_clean_range(const void *va, size_t len);
/* Zero a range and write it back to the point of coherency: memory a
 * guest is given, whatever it held before (a previous boot's data). */
void arch_scrub_to_ram(void *va, size_t len);

/* Live patching's W^X windows: @pa's page writable (never executable) at
 * the returned address until mmu_alias_unmap(@slot). */
#define MMU_ALIAS_SLOTS 256
void *mmu_alias_map(unsigned int slot, paddr_t pa);
void mmu_alias_unmap(unsigned int slot);

#endif /* ASM_MMU_H */
