/* SPDX-License-Identifier: MIT */
/*
 * Building the domains the boot device tree describes: Dom0
 * (domain_build.c) and the dom0less DomUs (dom0less.c), called by
 * setup.c. Both load an arm64 Image, an optional initramfs and a
 * generated DTB into RAM with the same helpers (Xen's kernel_info).
 */
#ifndef ASM_DOMAIN_BUILD_H
#define ASM_DOMAIN_BUILD_H

#include <orchid/bootinfo.h>
#include <orchid/mm.h>

struct domain;
struct dom0_dt_result;

#define KINFO_MAX_BANKS 8
#define KINFO_DTB_MAX	(2UL << 20)

/*
 * A domain's RAM and where its kernel, DTB and initramfs go. Banks are
 * host memory, each mapped at bank_ipa[i] (Dom0: the same address);
 * every other address here is an IPA.
 */
struct kernel_info {
	struct mem_region banks[KINFO_MAX_BANKS];
	uint64_t bank_ipa[KINFO_MAX_BANKS];
	unsigned int nr_banks;
	uint64_t kernel_pa, kernel_size; /* image_size: text + bss */
	uint64_t entry;
	uint64_t dtb_pa;
	uint64_t initrd_pa, initrd_size;
};

/*
 * Give @d @size bytes of host RAM in as few naturally aligned blocks of at
 * least 2^@min_order pages as possible, largest first. The IPAs are left
 * to the caller. 0, or -ENOMEM when not even one block was found.
 */
int kinfo_alloc_memory(struct domain *d, struct kernel_info *k, uint64_t size,
		       unsigned int min_order, const char *who);
/*
 * kinfo_alloc_memory's step, for no domain yet: the largest naturally
 * aligned block of at most @left bytes (at least 2^@min_order pages) as
 * @k's next bank. Its size, or 0 when none is left or @k is full.
 */
uint64_t kinfo_alloc_block(struct kernel_info *k, uint64_t left,
			   unsigned int min_order);
/*
 * Zero every bank and write it back to the point of coherency, unless
 * bootscrub=0 (as Xen 4.17's boot memory, scrubbed before it is handed
 * out). Before anything is copied in.
 */
void kinfo_scrub_memory(const struct kernel_info *k);
/* The same for a piece of a bank (a bounded step: dom0less_prep.c). */
void kinfo_scrub_piece(const struct mem_region *r);
/* Map every bank at its IPA; 0 or the p2m's errno. */
int kinfo_map_memory(struct domain *d, const struct kernel_info *k,
		     const char *who);
/*
 * Place the kernel (an arm64 Image), the DTB and the initramfs in bank 0.
 * -EINVAL when @kernel is not an Image, -ENOSPC when they do not fit.
 */
int kinfo_place(struct kernel_info *k, const struct boot_module *kernel,
		const struct boot_module *initrd, const char *who);
/* Copy @len bytes to IPA @ipa of the domain, cleaned to the PoC. */
int kinfo_copy(const struct kernel_info *k, uint64_t ipa, const void *src,
	       uint64_t len);
void kinfo_load_modules(const struct kernel_info *k,
			const struct boot_module *kernel,
			const struct boot_module *initrd, const char *who);

/* Build and start Dom0 from the boot modules (no-op without a kernel). */
void dom0_build(void);
void dom0_passthrough(struct domain *d, const struct dom0_dt_result *r);

/*
 * Build and start every dom0less DomU of the boot DTB (dom0less.c). A
 * domain whose node or modules are unusable is reported and skipped.
 */
#ifdef CONFIG_DOM0LESS
void dom0less_build(void);
/* /chosen's orchid,hwdom-on-crash into hwdom_on_crash, before Dom0 runs. */
void dom0less_hwdom_policy(void);
#else
static inline void dom0less_hwdom_policy(void)
{
}

void dom0less_skip(void); /* domain_build.c: logs the nodes it ignores */
static inline void dom0less_build(void)
{
	dom0less_skip();
}
#endif

/*
 * Map and route the devices of the partial tree @pfdt's /passthrough for
 * @d (dom0less_passthrough.c): 0, or -errno and @d must not run.
 */
struct fdt;
int dom0less_passthrough(struct domain *d, const struct fdt *pfdt);

#endif
