// SPDX-License-Identifier: MIT
/*
 * Building Dom0 the way Xen 4.17 does on Arm: direct-mapped RAM sized by
 * dom0_mem=, the kernel (an arm64 Image) and initramfs copied from their
 * boot modules, a device tree derived from the host's, every other device
 * passed through 1:1, and vCPU 0 entered per the arm64 boot protocol.
 */
#include <asm/domain_build.h>
#include <asm/gic.h>
#include <asm/mmu.h>
#include <asm/vcpu.h>
#include <asm/vgic.h>
#include <asm/vuart_dom0.h>
#include <orchid/domain.h>
#include <orchid/domain_mem.h>
#include <orchid/errno.h>
#include <orchid/mm.h>
#include <orchid/p2m.h>
#include <orchid/panic.h>
#include <orchid/printk.h>
#include <orchid/setup.h>
#include <orchid/smp.h>
#include <orchid/string.h>
#include <public/hvm/params.h>

#include "dom0_dt.h"

extern char _start[];

#define DOM0_MEM_DEFAULT	 (512UL << 20)
#define DOM0_MAX_BANKS		 8
#define DOM0_MIN_BANK_ORDER	 (27 - PAGE_SHIFT) /* 128 MiB, as Xen */
#define IMAGE_MAGIC		 0x644d5241U	   /* "ARM\x64" */
#define IMAGE_LEGACY_TEXT_OFFSET 0x80000UL
#define DOM0_DTB_MAX		 (2UL << 20)
#define DOM0_EVTCHN_PPI		 16 /* Xen's first free PPI on QEMU virt */
#define GNTTAB_FRAMES		 64

struct dom0_layout {
	struct mem_region banks[DOM0_MAX_BANKS];
	unsigned int nr_banks;
	uint64_t kernel_pa, kernel_size; /* image_size: text + bss */
	uint64_t entry;
	uint64_t dtb_pa;
	uint64_t initrd_pa, initrd_size;
};

/* The arm64 Image header fields Dom0's placement needs. */
struct image_header {
	uint32_t code0, code1;
	uint64_t text_offset;
	uint64_t image_size;
	uint64_t flags;
	uint64_t res2, res3, res4;
	uint32_t magic;
	uint32_t res5;
};

static void bank_add(struct dom0_layout *l, void *va, unsigned int order)
{
	struct mem_region *b = &l->banks[l->nr_banks++];

	b->base = arch_va_to_pa(va);
	b->size = PAGE_SIZE << order;
}

/* Highest order such that 2^order pages <= @bytes. */
static unsigned int order_below(uint64_t bytes)
{
	unsigned int order = 0;

	while (order < PAGE_ORDER_MAX && (PAGE_SIZE << (order + 1)) <= bytes)
		order++;
	return order;
}

/*
 * Allocate @size bytes of host RAM in as few naturally aligned blocks as
 * possible, largest first (the first holds kernel, DTB and initramfs).
 */
static void dom0_alloc_memory(struct domain *d, struct dom0_layout *l,
			      uint64_t size)
{
	uint64_t left = size;
	unsigned int order = order_below(size);

	while (left >= (PAGE_SIZE << DOM0_MIN_BANK_ORDER) &&
	       l->nr_banks < DOM0_MAX_BANKS) {
		void *va;

		while ((PAGE_SIZE << order) > left)
			order--;
		va = alloc_pages(order);
		if (!va) {
			if (order == DOM0_MIN_BANK_ORDER)
				break;
			order--;
			continue;
		}
		if (domain_mem_assign(d, va, order))
			panic("Dom0: cannot give it its memory");
		bank_add(l, va, order);
		left -= PAGE_SIZE << order;
	}
	if (l->nr_banks == 0)
		panic("Dom0: cannot allocate %lu MiB of memory", size >> 20);
	if (left)
		pr_warn("Dom0: got %lu MiB of the %lu MiB asked for\n",
			(size - left) >> 20, size >> 20);
}

static void dom0_map_memory(struct domain *d, const struct dom0_layout *l)
{
	for (unsigned int i = 0; i < l->nr_banks; i++) {
		const struct mem_region *b = &l->banks[i];

		if (p2m_map(d, ipa_init(pa_addr(b->base)), b->base,
			    b->size >> PAGE_SHIFT, p2m_ram_rw))
			panic("Dom0: cannot map its memory");
		printk("Dom0 memory bank %u: %#lx-%#lx (%lu MiB)\n", i,
		       pa_addr(b->base), pa_addr(mem_region_end(b)),
		       b->size >> 20);
	}
}

static void copy_to_dom0(uint64_t dst_pa, const void *src, uint64_t len)
{
	void *dst = arch_pa_to_va(pa_init(dst_pa));

	memcpy(dst, src, len);
	dcache_clean_range(dst, len);
}

/* Where the kernel, DTB and initramfs go in the first bank. */
static void dom0_place(struct dom0_layout *l, const struct boot_module *kernel,
		       const struct boot_module *initrd)
{
	const struct image_header *h = arch_pa_to_va(kernel->region.base);
	uint64_t base = pa_addr(l->banks[0].base);
	uint64_t end = pa_addr(mem_region_end(&l->banks[0]));
	uint64_t text_offset, next;

	if (kernel->region.size < sizeof(*h) || h->magic != IMAGE_MAGIC)
		panic("Dom0: the kernel module is not an arm64 Image");
	text_offset = h->image_size ? h->text_offset : IMAGE_LEGACY_TEXT_OFFSET;
	l->kernel_size = h->image_size ? h->image_size : kernel->region.size;
	if (l->kernel_size < kernel->region.size)
		l->kernel_size = kernel->region.size;
	l->kernel_pa = align_up(base, 2UL << 20) + text_offset;
	l->entry = l->kernel_pa;
	next = align_up(l->kernel_pa + l->kernel_size, 2UL << 20);
	l->dtb_pa = next;
	next += DOM0_DTB_MAX;
	l->initrd_size = initrd ? initrd->region.size : 0;
	l->initrd_pa = l->initrd_size ? next : 0;
	next += align_up(l->initrd_size, PAGE_SIZE);
	if (next > end)
		panic("Dom0: kernel, DTB and initramfs do not fit in %lu MiB",
		      (end - base) >> 20);
}

static void dom0_load_modules(const struct dom0_layout *l,
			      const struct boot_module *kernel,
			      const struct boot_module *initrd)
{
	copy_to_dom0(l->kernel_pa, arch_pa_to_va(kernel->region.base),
		     kernel->region.size);
	printk("Loading Dom0 kernel at %#lx (%lu bytes)\n", l->kernel_pa,
	       kernel->region.size);
	if (!initrd)
		return;
	copy_to_dom0(l->initrd_pa, arch_pa_to_va(initrd->region.base),
		     initrd->region.size);
	printk("Loading Dom0 initramfs at %#lx (%lu bytes)\n", l->initrd_pa,
	       initrd->region.size);
}

static void dom0_build_dtb(struct domain *d, const struct dom0_layout *l,
			   const char *bootargs)
{
	static struct dom0_dt_result result;
	struct dom0_dt_params p;
	void *buf = xmalloc(DOM0_DTB_MAX);
	int ret;

	if (!buf)
		panic("Dom0: no memory for its device tree");
	memset(&p, 0, sizeof(p));
	p.mem = l->banks;
	p.nr_mem = l->nr_banks;
	p.host_mem = bootinfo.mem;
	p.nr_host_mem = bootinfo.nr_mem;
	p.ipa_bits = p2m_ipa_bits();
	p.ext_regions = true;
	p.nr_vcpus = d->max_vcpus;
	p.gnttab.base = pa_init(d->arch.gnttab_base);
	p.gnttab.size = d->arch.gnttab_size;
	p.evtchn_ppi = d->arch.evtchn_irq;
	p.bootargs = bootargs;
	p.initrd = l->initrd_size != 0;
	p.initrd_start = l->initrd_pa;
	p.initrd_end = l->initrd_pa + l->initrd_size;
	p.uart_path = bootinfo.uart.path[0] ? bootinfo.uart.path : NULL;
	ret = dom0_dt_build(boot_fdt(), &p, buf, DOM0_DTB_MAX, &result);
	if (ret < 0)
		panic("Dom0: building its device tree failed (%d)", ret);
	copy_to_dom0(l->dtb_pa, buf, result.size);
	printk("Loading Dom0 DTB at %#lx (%lu bytes)\n", l->dtb_pa,
	       (unsigned long)result.size);
	xfree(buf);
	dom0_passthrough(d, &result);
}

/* Every device Orchid keeps no hold on: MMIO mapped 1:1, SPIs routed 1:1. */
void dom0_passthrough(struct domain *d, const struct dom0_dt_result *r)
{
	for (unsigned int i = 0; i < r->nr_mmio; i++) {
		const struct mem_region *m = &r->mmio[i].region;
		uint64_t base = align_down(pa_addr(m->base), PAGE_SIZE);
		uint64_t end = align_up(pa_addr(m->base) + m->size, PAGE_SIZE);

		/* Cacheable at stage 2, as Xen maps Dom0's devices: Dom0's own
		 * stage 1 then decides (Device for registers, Normal for, say,
		 * a framebuffer). */
		enum p2m_type t = (r->mmio[i].flags & DOM0_DT_RAM)
					  ? p2m_ram_rw
					  : p2m_mmio_direct_c;

		if (r->mmio[i].flags & DOM0_DT_NOMAP)
			continue;
		if (p2m_map(d, ipa_init(base), pa_init(base),
			    (end - base) >> PAGE_SHIFT, t))
			panic("Dom0: cannot map MMIO %#lx-%#lx", base, end);
	}
	for (unsigned int i = 0; i < r->nr_spis; i++)
		if (vgic_route_hw_spi(d, r->spis[i].intid))
			pr_warn("Dom0: cannot route SPI %u\n",
				r->spis[i].intid);
	printk("Dom0: %u MMIO regions mapped, %u SPIs routed\n", r->nr_mmio,
	       r->nr_spis);
}

static unsigned int dom0_vcpus(void)
{
	unsigned int n = boot_options.dom0_max_vcpus;

	if (n == 0 || n > cpus_online())
		n = cpus_online();
	return n;
}

static uint64_t dom0_mem_size(void)
{
	if (!boot_options.dom0_mem.set) {
		pr_warn("*** PLEASE SPECIFY dom0_mem PARAMETER - USING 512M "
			"FOR NOW ***\n");
		return DOM0_MEM_DEFAULT;
	}
	return align_up(boot_options.dom0_mem.size, PAGE_SIZE);
}

void dom0_build(void)
{
	const struct boot_module *kernel =
		bootinfo_module(&bootinfo, BOOTMOD_KERNEL);
	const struct boot_module *initrd =
		bootinfo_module(&bootinfo, BOOTMOD_RAMDISK);
	struct xen_arch_domainconfig cfg = {
		.gic_version = XEN_DOMCTL_CONFIG_GIC_NATIVE,
		.nr_spis = gic_nr_lines() - 32,
	};
	static struct dom0_layout layout;
	unsigned int nr_vcpus = dom0_vcpus();
	struct domain *d;

	if (!kernel) {
		printk("No Dom0 kernel module: nothing to run\n");
		return;
	}
	d = domain_create(0, DOMCF_PRIVILEGED | DOMCF_DIRECT_MAP, nr_vcpus,
			  &cfg);
	if (!d)
		panic("Dom0: domain creation failed");
	hardware_domain = d;
	d->arch.evtchn_irq = DOM0_EVTCHN_PPI;
	d->hvm_params[HVM_PARAM_CALLBACK_IRQ] =
		((uint64_t)HVM_PARAM_CALLBACK_TYPE_PPI << 56) |
		(HVM_PARAM_CALLBACK_TYPE_PPI_FLAG_LOW_LEVEL << 8) |
		DOM0_EVTCHN_PPI;
	/* Like Xen: the grant table window is our own image, never Dom0 RAM. */
	d->arch.gnttab_base = pa_addr(arch_va_to_pa(_start));
	d->arch.gnttab_size = GNTTAB_FRAMES << PAGE_SHIFT;

	/* Xen's stand-in for its console UART, for Dom0's early printk. */
	if (bootinfo.uart.region.size &&
	    vuart_dom0_init(d, pa_addr(bootinfo.uart.region.base),
			    bootinfo.uart.region.size))
		pr_warn("Dom0: no stand-in for the console UART\n");

	dom0_alloc_memory(d, &layout, dom0_mem_size());
	dom0_map_memory(d, &layout);
	dom0_place(&layout, kernel, initrd);
	dom0_load_modules(&layout, kernel, initrd);
	dom0_build_dtb(d, &layout,
		       bootinfo.dom0_bootargs ? bootinfo.dom0_bootargs : "");
	for (unsigned int i = 0; i < nr_vcpus; i++)
		if (!vcpu_create(d, i))
			panic("Dom0: cannot create vCPU %u", i);
	printk("Dom0: %u vCPU(s), entry %#lx, DTB %#lx\n", nr_vcpus,
	       layout.entry, layout.dtb_pa);
	vcpu_start(d->vcpus[0], layout.entry, layout.dtb_pa);
}
