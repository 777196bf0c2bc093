// SPDX-License-Identifier: MIT
/*
 * Hand RAM to the page allocator: every bank of the device tree minus what
 * must survive boot untouched (Orchid's image, the DTB, the boot modules
 * Dom0 is built from, and the DTB's reserved regions) and the static memory
 * of dom0less domains (xen,static-mem), which is theirs alone.
 */
#include <orchid/bootmem.h>
#include <orchid/panic.h>
#include <orchid/printk.h>

static void reserve(struct range_set *set, const struct mem_region *r,
		    const char *what)
{
	if (!range_set_remove(set, r->base, r->size))
		panic("bootmem: too many holes in RAM (reserving %s)", what);
}

void bootmem_free_ranges(const struct bootinfo *bi,
			 const struct mem_region *image, struct range_set *out)
{
	out->n = 0;
	for (unsigned int i = 0; i < bi->nr_mem; i++)
		if (!range_set_add(out, bi->mem[i].base, bi->mem[i].size))
			panic("bootmem: too many RAM banks");
	reserve(out, image, "the hypervisor image");
	reserve(out, &bi->dtb, "the device tree");
	for (unsigned int i = 0; i < bi->nr_modules; i++)
		reserve(out, &bi->modules[i].region, "a boot module");
	for (unsigned int i = 0; i < bi->nr_reserved; i++)
		reserve(out, &bi->reserved[i], "a reserved region");
	for (unsigned int d = 0; d < bi->nr_domus; d++)
		for (unsigned int i = 0; i < bi->domus[d].smem.nr; i++)
			reserve(out, &bi->domus[d].smem.bank[i],
				"static memory");
}

static uint64_t max_pfn;

uint64_t bootmem_max_pfn(void)
{
	return max_pfn;
}

void bootmem_init(const struct bootinfo *bi, const struct mem_region *image)
{
	static struct range_set free_ram;

	for (unsigned int i = 0; i < bi->nr_mem; i++) {
		uint64_t end = pa_addr(mem_region_end(&bi->mem[i]));

		if ((end >> PAGE_SHIFT) > max_pfn)
			max_pfn = (end >> PAGE_SHIFT) - 1;
	}
	bootmem_free_ranges(bi, image, &free_ram);
	for (unsigned int i = 0; i < free_ram.n; i++)
		page_alloc_add_range(free_ram.r[i].base, free_ram.r[i].size);
	if (page_alloc_free_bytes() == 0)
		panic("bootmem: no free RAM left for the hypervisor");
}
