// SPDX-License-Identifier: MIT
/*
 * The boot CPU's path from head.S to an idle system: console, device tree,
 * command line, memory, interrupts, timers, the other CPUs, then the banner.
 */
#include <asm/cpu.h>
#include <asm/domain_build.h>
#include <asm/gic.h>
#include <asm/id_regs.h>
#include <asm/mmu.h>
#include <asm/percpu.h>
#include <asm/p2m.h>
#include <asm/psci.h>
#include <asm/smp_boot.h>
#include <asm/time.h>
#include <asm/vcpu.h>
#include <asm/vgic.h>
#include <orchid/arch.h>
#include <orchid/bootinfo.h>
#include <orchid/bootmem.h>
#include <orchid/cmdline.h>
#include <orchid/console.h>
#include <orchid/domain_mem.h>
#include <orchid/fdt.h>
#include <orchid/panic.h>
#include <orchid/pl011.h>
#include <orchid/printk.h>
#include <orchid/sched.h>
#include <orchid/selftest.h>
#include <orchid/setup.h>
#include <orchid/smp.h>
#include <orchid/static_mem.h>
#include <orchid/string.h>
#include <orchid/trace.h>
#include <orchid/xsm.h>

#define DTB_MAX_SIZE (2UL << 20) /* as Linux and Xen */

extern char _start[], _end[];

struct bootinfo bootinfo;
struct boot_options boot_options;
static struct fdt boot_fdt_data;

const struct fdt *boot_fdt(void)
{
	return &boot_fdt_data;
}

/* Map, check and parse the device tree the boot loader passed in x0. */
static void setup_device_tree(paddr_t dtb)
{
	const void *blob;
	size_t size;
	int err;

	if (pa_addr(dtb) == 0 || !is_aligned(pa_addr(dtb), 8))
		panic("No usable device tree: the boot loader passed x0 = "
		      "%#lx.\n"
		      "Orchid needs a DTB address in x0 (QEMU -kernel or "
		      "U-Boot booti do this)",
		      pa_addr(dtb));
	mmu_map(dtb, PAGE_SIZE, MMU_RAM_RO);
	blob = arch_pa_to_va(dtb);
	size = fdt_total_size(blob);
	if (size == 0)
		panic("DTB at %#lx: bad magic, this is not a device tree",
		      pa_addr(dtb));
	if (size > DTB_MAX_SIZE)
		panic("DTB at %#lx: size %#lx is over the %#lx limit",
		      pa_addr(dtb), (unsigned long)size, DTB_MAX_SIZE);
	mmu_map(dtb, size, MMU_RAM_RO);
	err = fdt_init(&boot_fdt_data, blob, size);
	if (err < 0)
		panic("DTB at %#lx is invalid: %s", pa_addr(dtb),
		      fdt_strerror(err));
	bootinfo_parse(&bootinfo, &boot_fdt_data);
}

/* Switch from the early console to the one the device tree names. */
static void setup_console(void)
{
	const struct uart_info *uart = &bootinfo.uart;

	if (uart->region.size == 0) {
		pr_warn("No console in /chosen/stdout-path\n");
		return;
	}
	if (!uart->compatible || strcmp(uart->compatible, "arm,pl011") != 0) {
		pr_warn("Console %s (%s) has no driver: keeping the early "
			"console\n",
			uart->path, uart->compatible ? uart->compatible : "?");
		return;
	}
	pl011_console_init(uart->region.base);
}

/* Serial input feeds the hardware domain's console (hvc0). */
static void setup_console_input(void)
{
	if (bootinfo.uart.region.size && bootinfo.uart.irq)
		pl011_enable_rx(bootinfo.uart.irq);
}

/*
 * What each pCPU needs before it can run vCPUs: EL2 controls, its guest
 * timer interrupt, stage-2 controls, its vGIC interface, its idle vCPU.
 */
void guest_support_init_cpu(unsigned int cpu)
{
	vcpu_init_cpu();
	vtimer_init_cpu();
	p2m_init_cpu();
	vgic_init_cpu();
	id_regs_init_cpu();
	sched_init_cpu(cpu);
}

static void setup_memory(void)
{
	struct mem_region image = {
		.base = arch_va_to_pa(_start),
		.size = (uint64_t)(_end - _start),
	};

	for (unsigned int i = 0; i < bootinfo.nr_mem; i++)
		mmu_map(bootinfo.mem[i].base, bootinfo.mem[i].size, MMU_RAM_RW);
	/* Before the heap takes RAM: the DomUs' static banks stay out. */
	static_mem_parse(&bootinfo, &boot_fdt_data, &image);
	bootmem_init(&bootinfo, &image);
	domain_mem_init(&bootinfo);
	static_mem_mark(&bootinfo);
}

static uint64_t total_ram(void)
{
	uint64_t total = 0;

	for (unsigned int i = 0; i < bootinfo.nr_mem; i++)
		total += bootinfo.mem[i].size;
	return total;
}

static const char *module_kind_name(enum boot_module_kind kind)
{
	switch (kind) {
	case BOOTMOD_KERNEL: return "kernel";
	case BOOTMOD_RAMDISK: return "ramdisk";
	case BOOTMOD_DTB: return "device-tree";
	default: return "module";
	}
}

static void print_banner(void)
{
	printk("Orchid %s: Xen-compatible hypervisor (Xen 4.17 ABI), arm64\n",
	       ORCHID_VERSION);
	printk("CPUs online: %u of %u\n", cpus_online(), nr_cpu_ids);
	printk("RAM: %lu MiB in %u bank(s), %lu MiB free for the hypervisor\n",
	       total_ram() >> 20, bootinfo.nr_mem,
	       page_alloc_free_bytes() >> 20);
	printk("GIC: v%u\n", gic_version());
	printk("Boot modules: %u\n", bootinfo.nr_modules);
	for (unsigned int i = 0; i < bootinfo.nr_modules; i++) {
		const struct boot_module *m = &bootinfo.modules[i];

		printk("  Module %u: %s at %#lx, %lu bytes%s\n", i,
		       module_kind_name(m->kind), pa_addr(m->region.base),
		       m->region.size, m->domain < 0 ? "" : " (dom0less)");
	}
	if (bootinfo.dom0_bootargs)
		printk("Dom0 command line: %s\n", bootinfo.dom0_bootargs);
}

void start_orchid(uint64_t dtb_pa)
{
	cpu_init_this(0);
#ifdef CONFIG_EARLY_PRINTK
	pl011_console_init(pa_init(CONFIG_EARLY_UART_BASE));
#endif
	printk("Orchid %s booting at EL2 (image %#lx-%#lx, DTB %#lx)\n",
	       ORCHID_VERSION, (uintptr_t)_start, (uintptr_t)_end, dtb_pa);

	setup_device_tree(pa_init(dtb_pa));
	cmdline_parse(bootinfo.xen_bootargs, &boot_options);
	if (boot_options.loglvl.set)
		printk_set_level(boot_options.loglvl.upper);
	/* Xen's console_timestamps=raw: the counter, which starts at reset,
	 * on each line (bench/dom0less_boot.py times DomUs' lines by it). */
	if (strcmp(boot_options.console_timestamps, "raw") == 0)
		printk_set_stamp_clock(arch_cycles);
	setup_console();
	printk("Command line: %s\n",
	       bootinfo.xen_bootargs ? bootinfo.xen_bootargs : "");

	setup_memory();
	gic_init(&bootinfo.gic);
	gic_cpu_init();
	time_init(&bootinfo.timer);
	time_cpu_init();
	smp_call_init();
	cpu_stop_init();
	sched_set_boot_params(boot_options.sched_ratelimit_us,
			      boot_options.sched_credit_tslice_ms);
	sched_init(boot_options.sched, boot_options.dom0_vcpus_pin);
	/* Before any guest exists: every hook answers by this policy. */
	xsm_init(boot_options.xsm);
	vtimer_init();
	vgic_maintenance_init(bootinfo.gic.maint_irq);
	guest_support_init_cpu(0);
	id_regs_init();
	cpu_data[0].online = true;
	arch_irq_enable();

	psci_init(&bootinfo);
	smp_init_cpu_map(&bootinfo);
	cpu_data[0].mpidr = cpu_mpidr[0];
	smp_boot_secondaries();
	boot_check_smp();
	/* Before any domain: the pools the DT asks for, pCPUs in them. */
	cpupool_boot_init(boot_fdt());
	print_banner();
	/* After the secondaries: each online pCPU gets a buffer. */
	trace_init(boot_options.tbuf_size, boot_options.tevt_mask);

	selftest_run(boot_options.selftest);
	setup_console_input();
	if (boot_options.noreboot)
		hwdom_on_crash = HWDOM_CRASH_HALT;
	dom0less_hwdom_policy();
	dom0_build();
	dom0less_build();
	console_endboot();
	sched_idle_loop();
}
