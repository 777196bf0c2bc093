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
#include <orchid/cmdline.h>
#include <orchid/domain.h>
#include <orchid/domain_mem.h>
#include <orchid/errno.h>
#include <orchid/mm.h>
#include <orchid/p2m.h>
#include <orchid/passthrough.h>
#include <orchid/panic.h>
#include <orchid/printk.h>
#include <orchid/setup.h>
#include <orchid/smp.h>
#include <orchid/string.h>
#include <public/hvm/params.h>

#include "dom0_dt.h"

extern char _start[];

#define DOM0_MEM_DEFAULT	 (512UL << 20)
#define DOM0_MIN_BANK_ORDER	 (27 - PAGE_SHIFT) /* 128 MiB, as Xen */
#define IMAGE_MAGIC		 0x644d5241U	   /* "ARM\x64" */
#define IMAGE_LEGACY_TEXT_OFFSET 0x80000UL
#define DOM0_EVTCHN_PPI		 16 /* Xen's first free PPI on QEMU virt */
#define GNTTAB_FRAMES		 64

/* The arm64 Image header fields the placement needs. */
struct image_header {
	uint32_t code0, code1;
	uint64_t text_offset;
	uint64_t image_size;
	uint64_t flags;
	uint64_t res2, res3, res4;
	uint32_t magic;
	uint32_t res5;
};

static void bank_add(struct kernel_info *k, void *va, unsigned int order)
{
	struct mem_region *b = &k->banks[k->nr_banks++];

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

uint64_t kinfo_alloc_block(struct kernel_info *k, uint64_t left,
			   unsigned int min_order)
{
	unsigned int order = order_below(left);

	if (left < (PAGE_SIZE << min_order) || k->nr_banks >= KINFO_MAX_BANKS)
		return 0;
	for (;; order--) {
		void *va = alloc_pages(order);

		if (va) {
			bank_add(k, va, order);
			return PAGE_SIZE << order;
		}
		if (order == min_order)
			return 0;
	}
}

int kinfo_alloc_memory(struct domain *d, struct kernel_info *k, uint64_t size,
		       unsigned int min_order, const char *who)
{
	uint64_t left = size, got;

	while ((got = kinfo_alloc_block(k, left, min_order)) != 0) {
		struct mem_region *b = &k->banks[k->nr_banks - 1];

		if (domain_mem_assign(d, arch_pa_to_va(b->base),
				      order_below(got))) {
			free_pages(arch_pa_to_va(b->base), order_below(got));
			k->nr_banks--;
			break;
		}
		left -= got;
	}
	if (k->nr_banks == 0)
		return -ENOMEM;
	if (left)
		pr_warn("%s: got %lu MiB of the %lu MiB asked for\n", who,
			(size - left) >> 20, size >> 20);
	return 0;
}

/*
 * Whatever the banks held (a previous boot's data, since RAM is handed to
 * the page allocator as it is, or Orchid's own freed buffers) never
 * reaches the guest, as under Xen 4.17's default bootscrub=idle, whose
 * heap pages are dirty until scrubbed and scrubbed when allocated; only
 * bootscrub=0 hands them over as they are, as Xen's does. Written back
 * to RAM: the guest starts with its caches off (dom0less-boot-scrub,
 * dom0less-dom0-boot-scrub).
 */
void kinfo_scrub_piece(const struct mem_region *r)
{
	if (boot_options.bootscrub == BOOTSCRUB_OFF)
		return;
	arch_zero_pages(arch_pa_to_va(r->base), r->size, true);
}

void kinfo_scrub_memory(const struct kernel_info *k)
{
	for (unsigned int i = 0; i < k->nr_banks; i++)
		kinfo_scrub_piece(&k->banks[i]);
}

int kinfo_map_memory(struct domain *d, const struct kernel_info *k,
		     const char *who)
{
	for (unsigned int i = 0; i < k->nr_banks; i++) {
		const struct mem_region *b = &k->banks[i];
		int ret = p2m_map(d, ipa_init(k->bank_ipa[i]), b->base,
				  b->size >> PAGE_SHIFT, p2m_ram_rw);

		if (ret)
			return ret;
		printk("%s memory bank %u: %#lx-%#lx (%lu MiB)\n", who, i,
		       k->bank_ipa[i], k->bank_ipa[i] + b->size, b->size >> 20);
	}
	return 0;
}

int kinfo_copy(const struct kernel_info *k, uint64_t ipa, const void *src,
	       uint64_t len)
{
	for (unsigned int i = 0; i < k->nr_banks; i++) {
		uint64_t off = ipa - k->bank_ipa[i];
		void *dst;

		if (ipa < k->bank_ipa[i] || off >= k->banks[i].size ||
		    len > k->banks[i].size - off)
			continue;
		dst = arch_pa_to_va(pa_init(pa_addr(k->banks[i].base) + off));
		memcpy(dst, src, len);
		dcache_clean_range(dst, len);
		return 0;
	}
	return -EFAULT;
}

int kinfo_place(struct kernel_info *k, const struct boot_module *kernel,
		const struct boot_module *initrd, const char *who)
{
	const struct image_header *h = arch_pa_to_va(kernel->region.base);
	uint64_t base = k->bank_ipa[0];
	uint64_t end = base + k->banks[0].size;
	uint64_t text_offset, next;

	if (kernel->region.size < sizeof(*h) || h->magic != IMAGE_MAGIC) {
		pr_err("%s: the kernel module is not an arm64 Image\n", who);
		return -EINVAL;
	}
	text_offset = h->image_size ? h->text_offset : IMAGE_LEGACY_TEXT_OFFSET;
	k->kernel_size = h->image_size ? h->image_size : kernel->region.size;
	if (k->kernel_size < kernel->region.size)
		k->kernel_size = kernel->region.size;
	/* A header's sizes are the module's word: bound them before adding. */
	if (text_offset > end - base || k->kernel_size > end - base) {
		pr_err("%s: the kernel does not fit in %lu MiB\n", who,
		       (end - base) >> 20);
		return -ENOSPC;
	}
	k->kernel_pa = align_up(base, 2UL << 20) + text_offset;
	k->entry = k->kernel_pa;
	next = align_up(k->kernel_pa + k->kernel_size, 2UL << 20);
	k->dtb_pa = next;
	next += KINFO_DTB_MAX;
	k->initrd_size = initrd ? initrd->region.size : 0;
	k->initrd_pa = k->initrd_size ? next : 0;
	next += align_up(k->initrd_size, PAGE_SIZE);
	if (next > end || k->initrd_size > end - base) {
		pr_err("%s: kernel, DTB and initramfs do not fit in %lu MiB\n",
		       who, (end - base) >> 20);
		return -ENOSPC;
	}
	return 0;
}

void kinfo_load_modules(const struct kernel_info *k,
			const struct boot_module *kernel,
			const struct boot_module *initrd, const char *who)
{
	/* kinfo_place checked that both fit in bank 0. */
	kinfo_copy(k, k->kernel_pa, arch_pa_to_va(kernel->region.base),
		   kernel->region.size);
	printk("Loading %s kernel at %#lx (%lu bytes)\n", who, k->kernel_pa,
	       kernel->region.size);
	if (!initrd)
		return;
	kinfo_copy(k, k->initrd_pa, arch_pa_to_va(initrd->region.base),
		   initrd->region.size);
	printk("Loading %s initramfs at %#lx (%lu bytes)\n", who, k->initrd_pa,
	       initrd->region.size);
}

static void dom0_build_dtb(struct domain *d, const struct kernel_info *l,
			   const char *bootargs)
{
	static struct dom0_dt_result result;
	struct dom0_dt_params p;
	void *buf = xmalloc(KINFO_DTB_MAX);
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
	ret = dom0_dt_build(boot_fdt(), &p, buf, KINFO_DTB_MAX, &result);
	if (ret < 0)
		panic("Dom0: building its device tree failed (%d)", ret);
	kinfo_copy(l, l->dtb_pa, buf, result.size);
	printk("Loading Dom0 DTB at %#lx (%lu bytes)\n", l->dtb_pa,
	       (unsigned long)result.size);
	xfree(buf);
	dom0_passthrough(d, &result);
}

/*
 * One MMIO region of Dom0's DT, as Xen's map_range_to_domain: Dom0 may hand
 * it on (iomem permission; not for reserved-memory, which is RAM), and
 * unless it is marked "xen,passthrough" it is mapped 1:1 and Dom0's.
 */
static void dom0_device_region(struct domain *d, const struct dom0_dt_mmio *m)
{
	uint64_t base = align_down(pa_addr(m->region.base), PAGE_SIZE);
	uint64_t end =
		align_up(pa_addr(m->region.base) + m->region.size, PAGE_SIZE);
	uint64_t mfn = base >> PAGE_SHIFT, nr = (end - base) >> PAGE_SHIFT;
	bool ram = m->flags & DOM0_DT_RAM;
	/* Cacheable at stage 2, as Xen maps Dom0's devices: Dom0's own
	 * stage 1 then decides (Device for registers, Normal for, say,
	 * a framebuffer). */
	enum p2m_type t = ram ? p2m_ram_rw : p2m_mmio_direct_c;

	if (!ram && iomem_permit(d, mfn, nr, true))
		panic("Dom0: cannot permit MMIO %#lx-%#lx", base, end);
	if (m->flags & DOM0_DT_NOMAP)
		return;
	/* Dom0 is built first: only a full claim table fails here, and an
	 * unclaimed range must not be mapped. */
	if (!ram && iomem_claim(d, mfn, nr)) {
		pr_warn("Dom0: MMIO %#lx-%#lx not mapped: no claim slot\n",
			base, end);
		return;
	}
	if (p2m_map(d, ipa_init(base), pa_init(base), nr, t))
		panic("Dom0: cannot map MMIO %#lx-%#lx", base, end);
}

/*
 * Every device Orchid keeps no hold on: Dom0 is permitted its MMIO and
 * SPIs; those not marked "xen,passthrough" are mapped and routed 1:1.
 */
void dom0_passthrough(struct domain *d, const struct dom0_dt_result *r)
{
	unsigned int routed = 0;

	for (unsigned int i = 0; i < r->nr_mmio; i++)
		dom0_device_region(d, &r->mmio[i]);
	for (unsigned int i = 0; i < r->nr_spis; i++) {
		unsigned int irq = r->spis[i].intid;

		irq_permit(d, irq, true);
		if (r->spis[i].flags & DOM0_DT_NOMAP)
			continue;
		if (vgic_route_hw_spi(d, irq))
			pr_warn("Dom0: cannot route SPI %u\n", irq);
		else
			routed++;
	}
	printk("Dom0: %u MMIO regions, %u SPIs, %u of them routed\n",
	       r->nr_mmio, r->nr_spis, routed);
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
	static struct kernel_info layout;
	unsigned int nr_vcpus = dom0_vcpus();
	struct domain *d;
	uint64_t mem;

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

	mem = dom0_mem_size();
	if (kinfo_alloc_memory(d, &layout, mem, DOM0_MIN_BANK_ORDER, "Dom0"))
		panic("Dom0: cannot allocate %lu MiB of memory", mem >> 20);
	kinfo_scrub_memory(&layout);
	/* Direct-mapped: each bank at its own address. */
	for (unsigned int i = 0; i < layout.nr_banks; i++)
		layout.bank_ipa[i] = pa_addr(layout.banks[i].base);
	if (kinfo_map_memory(d, &layout, "Dom0"))
		panic("Dom0: cannot map its memory");
	if (kinfo_place(&layout, kernel, initrd, "Dom0"))
		panic("Dom0: cannot place its kernel");
	kinfo_load_modules(&layout, kernel, initrd, "Dom0");
	dom0_build_dtb(d, &layout,
		       bootinfo.dom0_bootargs ? bootinfo.dom0_bootargs : "");
	for (unsigned int i = 0; i < nr_vcpus; i++)
		if (!vcpu_create(d, i))
			panic("Dom0: cannot create vCPU %u", i);
	printk("Dom0: %u vCPU(s), entry %#lx, DTB %#lx\n", nr_vcpus,
	       layout.entry, layout.dtb_pa);
	vcpu_start(d->vcpus[0], layout.entry, layout.dtb_pa);
}

#ifndef CONFIG_DOM0LESS
/* Built without dom0less: say so for each boot-time domain ignored. */
void dom0less_skip(void)
{
	if (bootinfo.nr_domus)
		printk("dom0less: %u xen,domain node(s) ignored: built without "
		       "CONFIG_DOM0LESS\n",
		       bootinfo.nr_domus);
}
#endif

#ifndef CONFIG_VPL011
/* No vpl011: no DomU has a UART to take serial input (console.c). */
bool arch_vuart_rx_char(struct domain *d, char c)
{
	(void)d;
	(void)c;
	return false;
}

/* Nor can the toolstack give one (XEN_DOMCTL_vuart_op). */
int arch_vuart_init(struct domain *d, uint32_t type, uint64_t gfn,
		    uint16_t backend, unsigned int *port)
{
	(void)d;
	(void)type;
	(void)gfn;
	(void)backend;
	(void)port;
	return -EOPNOTSUPP;
}
#endif
