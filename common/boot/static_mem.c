// SPDX-License-Identifier: MIT
/*
 * "xen,static-mem" of the dom0less domains (<orchid/static_mem.h>).
 *
 * Xen 4.17 reads it in bootfdt.c (process_domain_node) with the cells of
 * the domain node's parent, inherited from above when absent, as every
 * reg of its early scan; banks of size 0 are skipped there, and
 * domain_build.c then acquires the pages and panics when one is not free
 * static RAM. It checks no overlap with its own image, the modules or
 * another domain's banks (4.18 added that). Orchid refuses, with a line
 * naming the bank and the reason, any bank that is empty, not page
 * aligned, wrapping, not inside one RAM bank, or touching Orchid, the
 * DTB, a boot module, a reserved region or a bank taken before it; that
 * domain then does not start and the others do.
 */
#include <orchid/domain_mem.h>
#include <orchid/printk.h>
#include <orchid/static_mem.h>

/* Xen's inherited cells: the nearest ancestor that has the property. */
static uint32_t smem_cells(const struct fdt *fdt, int node, const char *prop,
			   uint32_t dflt)
{
	for (int n = fdt_parent(fdt, node); n >= 0; n = fdt_parent(fdt, n)) {
		uint32_t v;

		if (fdt_getprop_u32(fdt, n, prop, &v))
			return v;
	}
	return dflt;
}

static bool smem_touches(const struct mem_region *a, const struct mem_region *b)
{
	return a->size && b->size &&
	       pa_addr(a->base) < pa_addr(b->base) + b->size &&
	       pa_addr(b->base) < pa_addr(a->base) + a->size;
}

static bool smem_in_ram(const struct bootinfo *bi, const struct mem_region *b)
{
	for (unsigned int i = 0; i < bi->nr_mem; i++) {
		uint64_t base = pa_addr(bi->mem[i].base);
		uint64_t off = pa_addr(b->base) - base;

		if (pa_addr(b->base) >= base && off < bi->mem[i].size &&
		    b->size <= bi->mem[i].size - off)
			return true;
	}
	return false;
}

/* What bank @b of domain @dom must not touch; NULL when it is fine. */
static const char *smem_conflict(const struct bootinfo *bi,
				 const struct mem_region *image,
				 unsigned int dom, const struct mem_region *b)
{
	if (!smem_in_ram(bi, b))
		return "is not inside one RAM bank";
	if (smem_touches(b, image))
		return "overlaps the hypervisor";
	if (smem_touches(b, &bi->dtb))
		return "overlaps the device tree";
	for (unsigned int i = 0; i < bi->nr_modules; i++)
		if (smem_touches(b, &bi->modules[i].region))
			return "overlaps a boot module";
	for (unsigned int i = 0; i < bi->nr_reserved; i++)
		if (smem_touches(b, &bi->reserved[i]))
			return "overlaps a reserved region";
	for (unsigned int d = 0; d <= dom; d++)
		for (unsigned int i = 0; i < bi->domus[d].smem.nr; i++)
			if (smem_touches(b, &bi->domus[d].smem.bank[i]))
				return d == dom ? "overlaps another bank of it"
						: "overlaps another domain's "
						  "static memory";
	return NULL;
}

/* One <address size> pair: its own shape, then what it may not touch. */
static bool smem_bank_ok(const struct bootinfo *bi,
			 const struct mem_region *image, unsigned int dom,
			 const struct mem_region *b, const char *name)
{
	uint64_t base = pa_addr(b->base);
	const char *why;

	if (!b->size)
		why = "is empty";
	else if ((base | b->size) & ~PAGE_MASK)
		why = "is not page aligned";
	else if (range_overflows(base, b->size))
		why = "wraps around";
	else
		why = smem_conflict(bi, image, dom, b);
	if (why)
		pr_err("%s: xen,static-mem bank %#lx+%#lx %s\n", name, base,
		       b->size, why);
	return !why;
}

/* Read and check domain @dom's property; false when it is refused. */
static bool smem_read(struct bootinfo *bi, const struct fdt *fdt,
		      const struct mem_region *image, unsigned int dom,
		      const char *name)
{
	struct boot_static_mem *sm = &bi->domus[dom].smem;
	int node = bi->domus[dom].node;
	uint32_t ac = smem_cells(fdt, node, "#address-cells", 2);
	uint32_t sc = smem_cells(fdt, node, "#size-cells", 1);
	uint32_t len, pair = (ac + sc) * 4;
	const uint8_t *p = fdt_getprop(fdt, node, "xen,static-mem", &len);

	if (ac < 1 || ac > 2 || sc < 1 || sc > 2) {
		pr_err("%s: xen,static-mem needs #address-cells and "
		       "#size-cells of 1 or 2 (%u, %u)\n",
		       name, ac, sc);
		return false;
	}
	if (!len || len % pair) {
		pr_err("%s: xen,static-mem is not <address size> pairs\n",
		       name);
		return false;
	}
	if (len / pair > BOOTINFO_MAX_STATIC_BANKS) {
		pr_err("%s: xen,static-mem has more than %u banks\n", name,
		       BOOTINFO_MAX_STATIC_BANKS);
		return false;
	}
	for (uint32_t off = 0; off < len; off += pair) {
		struct mem_region b = {
			.base = pa_init(fdt_read_cells(p + off, ac)),
			.size = fdt_read_cells(p + off + ac * 4, sc),
		};

		if (!smem_bank_ok(bi, image, dom, &b, name))
			return false;
		/* Counted as it goes: later banks must not touch it. */
		sm->bank[sm->nr++] = b;
	}
	return true;
}

void static_mem_parse(struct bootinfo *bi, const struct fdt *fdt,
		      const struct mem_region *image)
{
	for (unsigned int d = 0; d < bi->nr_domus; d++) {
		struct boot_static_mem *sm = &bi->domus[d].smem;
		char name[BOOTINFO_PATH_LEN];

		*sm = (struct boot_static_mem){0};
		if (!fdt_getprop(fdt, bi->domus[d].node, "xen,static-mem",
				 NULL))
			continue;
		bootinfo_path(fdt, bi->domus[d].node, name);
		if (!smem_read(bi, fdt, image, d, name)) {
			/* Refused whole: none of it is kept for anyone. */
			*sm = (struct boot_static_mem){.refused = true};
			continue;
		}
		for (unsigned int i = 0; i < sm->nr; i++)
			printk("%s: static memory %#lx-%#lx kept for it\n",
			       name, pa_addr(sm->bank[i].base),
			       pa_addr(mem_region_end(&sm->bank[i])));
	}
}

void static_mem_mark(const struct bootinfo *bi)
{
	for (unsigned int d = 0; d < bi->nr_domus; d++)
		for (unsigned int i = 0; i < bi->domus[d].smem.nr; i++) {
			const struct mem_region *b = &bi->domus[d].smem.bank[i];

			domain_mem_mark_static(b->base, b->size >> PAGE_SHIFT);
		}
}
