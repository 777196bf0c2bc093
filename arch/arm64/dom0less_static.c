// SPDX-License-Identifier: MIT
/*
 * A dom0less DomU's "xen,static-mem" and "direct-map", as Xen 4.17's
 * create_domUs and allocate_static_memory / assign_static_memory_11
 * (xen/arch/arm/domain_build.c; docs/misc/arm/passthrough-noiommu.txt):
 *
 * - The banks were read and kept from the heap at boot
 *   (common/boot/static_mem.c); the domain gets exactly them, and
 *   "memory" must be their sum (no mixing with heap memory).
 * - Not direct-mapped, they follow each other from GUEST_RAM0_BASE; with
 *   "direct-map" (which needs static memory) each is at its own host
 *   address, and the domain takes the host layout for its vGIC and its
 *   vpl011 (vgic_v2.c, vgic_v3.c, vpl011.c), as Xen's
 *   domain_use_host_layout: so a device passed through without an IOMMU
 *   can be given guest-physical addresses for DMA.
 * - On its death the pages are kept for it again (domain_mem.c), never
 *   freed; a restart (dom0less_restart.c) takes the same banks again.
 *
 * Where Xen panics, Orchid reports and skips the domain.
 */
#include <asm/domain_build.h>
#include <orchid/domain.h>
#include <orchid/domain_mem.h>
#include <orchid/errno.h>
#include <orchid/printk.h>
#include <orchid/setup.h>
#include <public/arch-arm.h>

#include "dom0less.h"

_Static_assert(BOOTINFO_MAX_STATIC_BANKS <= KINFO_MAX_BANKS,
	       "every static bank is one of the domain's banks");

static uint64_t static_total(const struct boot_static_mem *sm)
{
	uint64_t total = 0;

	for (unsigned int i = 0; i < sm->nr; i++)
		total += sm->bank[i].size;
	return total;
}

int dom0less_static_parse(const struct fdt *fdt, int node, unsigned int index,
			  uint64_t mem, const char *name,
			  struct dom0less_static *s)
{
	const struct boot_static_mem *sm = &bootinfo.domus[index].smem;
	bool has = fdt_getprop(fdt, node, "xen,static-mem", NULL) != NULL;

	*s = (struct dom0less_static){0};
	s->direct_map = fdt_getprop(fdt, node, "direct-map", NULL) != NULL;
	if (s->direct_map && !has) {
		pr_err("%s: direct-map is not valid without static allocation "
		       "(xen,static-mem)\n",
		       name);
		return -EINVAL;
	}
	if (!has)
		return 0;
#ifndef CONFIG_STATIC_MEMORY
	pr_err("%s: \"xen,static-mem\" needs CONFIG_STATIC_MEMORY\n", name);
	return -EOPNOTSUPP;
#endif
	if (sm->refused || !sm->nr) {
		pr_err("%s: its xen,static-mem was refused at boot\n", name);
		return -EINVAL;
	}
	if (static_total(sm) != mem) {
		pr_err("%s: \"memory\" (%lu KiB) is not the sum of its "
		       "xen,static-mem banks (%lu KiB)\n",
		       name, mem >> 10, static_total(sm) >> 10);
		return -EINVAL;
	}
	s->smem = sm;
	return 0;
}

int dom0less_static_memory(struct domain *d, struct dom0less_static *s,
			   struct kernel_info *k, const char *name)
{
	const struct boot_static_mem *sm = s->smem;
	uint64_t next = GUEST_RAM0_BASE;

	for (unsigned int i = 0; i < sm->nr; i++) {
		const struct mem_region *b = &sm->bank[i];
		int ret = domain_mem_assign_static(d, b->base,
						   b->size >> PAGE_SHIFT);

		if (ret) {
			pr_err("%s: static bank %#lx-%#lx is not free (%d)\n",
			       name, pa_addr(b->base),
			       pa_addr(mem_region_end(b)), ret);
			return ret;
		}
		printk("d%u: STATIC BANK[%u] %#lx-%#lx\n", d->domain_id, i,
		       pa_addr(b->base), pa_addr(mem_region_end(b)));
		k->banks[i] = *b;
		k->bank_ipa[i] = s->direct_map ? pa_addr(b->base) : next;
		next += b->size;
		if (s->direct_map)
			s->ram[i] = *b;
	}
	k->nr_banks = sm->nr;
	s->nr_ram = s->direct_map ? sm->nr : 1;
	if (!s->direct_map)
		s->ram[0] = (struct mem_region){pa_init(GUEST_RAM0_BASE),
						next - GUEST_RAM0_BASE};
	return kinfo_map_memory(d, k, name);
}
