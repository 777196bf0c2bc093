// SPDX-License-Identifier: MIT
/*
 * Boot-time DomUs from the device tree, as Xen 4.17's dom0less
 * (docs/features/dom0less.pandoc; create_domUs and construct_domU in
 * xen/arch/arm/domain_build.c): each /chosen child with compatible
 * "xen,domain" becomes domain 1, 2, ... in tree order, with "memory" KiB
 * of RAM at GUEST_RAM0_BASE, "cpus" vCPUs, the host's vGIC model, a
 * vpl011 when the node has "vpl011", its kernel, initramfs and partial
 * device tree from its "multiboot,module" children, and a generated DTB
 * (domu_dt.c). Its layout is xl's guests' (public/arch-arm.h). An
 * "xen,enhanced" one also gets /hypervisor and, unless "no-xenstore", a
 * xenstore port for Dom0's init-dom0less to connect (dom0less_xenstore)
 * and a PV console (dom0less_console, beyond Xen).
 *
 * Where Xen panics on a bad node, Orchid reports it and skips that domain:
 * the others, and Dom0, still boot. Every value is checked before the
 * domain is created, so that only a lack of memory can fail later.
 */
#include <asm/domain_build.h>
#include <asm/gic.h>
#include <asm/mmu.h>
#include <asm/vcpu.h>
#include <asm/vpl011.h>
#include <orchid/arch_domain.h>
#include <orchid/console.h>
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/domain_mem.h>
#include <orchid/event.h>
#include <orchid/grant_table.h>
#include <orchid/p2m.h>
#include <orchid/page_pool.h>
#include <orchid/printk.h>
#include <orchid/sched.h>
#include <orchid/setup.h>
#include <orchid/string.h>
#include <orchid/tasklet.h>
#include <orchid/timer.h>
#include <public/arch-arm.h>
#include <public/hvm/params.h>

#include "dom0less.h"
#include "domu_dt.h"

/* The largest DomU this layout takes in one RAM bank (Xen splits). */
#define DOMU_MEM_MAX GUEST_RAM0_SIZE

struct domu_config {
	unsigned int index; /* in bootinfo.domus */
	domid_t domid;
	char name[BOOTINFO_PATH_LEN];
	uint64_t mem; /* bytes */
	uint32_t vcpus;
	unsigned int cpupool; /* domain-cpupool's pool, 0 without one */
	bool vpl011;
	enum domu_enhanced enhanced;
	uint64_t p2m_pages;
	const struct boot_module *kernel, *initrd, *dtb;
	struct fdt partial;
	struct dom0less_policy policy; /* Orchid's orchid,on-* */
	struct dom0less_static st;     /* xen,static-mem, direct-map */
	struct dom0less_prep *prep;    /* its RAM made ready, or NULL */
};

/* A module must lie in RAM: Orchid reads it through its direct map. */
static bool dom0less_in_ram(const struct mem_region *r)
{
	for (unsigned int i = 0; i < bootinfo.nr_mem; i++) {
		uint64_t base = pa_addr(bootinfo.mem[i].base);

		if (pa_addr(r->base) >= base &&
		    pa_addr(r->base) - base <= bootinfo.mem[i].size &&
		    r->size <= bootinfo.mem[i].size - (pa_addr(r->base) - base))
			return true;
	}
	return false;
}

static int dom0less_modules(struct domu_config *c)
{
	const struct boot_module *m[3];

	if (bootinfo.domus[c->index].bad_modules)
		return -EINVAL;
	c->kernel = bootinfo_domain_module(&bootinfo, c->index, BOOTMOD_KERNEL);
	c->initrd =
		bootinfo_domain_module(&bootinfo, c->index, BOOTMOD_RAMDISK);
	c->dtb = bootinfo_domain_module(&bootinfo, c->index, BOOTMOD_DTB);
	if (!c->kernel) {
		pr_err("%s: no kernel module (multiboot,kernel)\n", c->name);
		return -EINVAL;
	}
	m[0] = c->kernel;
	m[1] = c->initrd;
	m[2] = c->dtb;
	for (unsigned int i = 0; i < 3; i++)
		if (m[i] && !dom0less_in_ram(&m[i]->region)) {
			pr_err("%s: module at %#lx+%#lx is not in RAM\n",
			       c->name, pa_addr(m[i]->region.base),
			       m[i]->region.size);
			return -EINVAL;
		}
	if (c->dtb && fdt_init(&c->partial, arch_pa_to_va(c->dtb->region.base),
			       c->dtb->region.size) < 0) {
		pr_err("%s: the partial device tree is not a valid DTB\n",
		       c->name);
		return -EINVAL;
	}
	return 0;
}

/* A 32 or 64-bit number property; false when absent or of another size. */
static bool dom0less_read_num(const struct fdt *fdt, int node, const char *name,
			      uint64_t *out)
{
	uint32_t len;
	const void *p = fdt_getprop(fdt, node, name, &len);

	if (!p || (len != 4 && len != 8))
		return false;
	*out = fdt_read_cells(p, len / 4);
	return true;
}

/*
 * Xen's domain_p2m_pages, libxl's formula: 1 MiB per vCPU, a page per
 * MiB of RAM, 128 pages for extended regions; or xen,domain-p2m-mem-mb.
 */
static uint64_t dom0less_p2m_pages(const struct fdt *fdt, int node,
				   const struct domu_config *c)
{
	uint64_t mb, kb = 4 * (256ULL * c->vcpus + (c->mem >> 20) + 128);

	if (dom0less_read_num(fdt, node, "xen,domain-p2m-mem-mb", &mb) &&
	    mb <= (DOMU_MEM_MAX >> 20))
		return mb << (20 - PAGE_SHIFT);
	return align_up(kb, 1024) >> (PAGE_SHIFT - 10);
}

/*
 * xen,enhanced with xenstore needs Dom0's xenstored at the other end of
 * its port: Xen 4.17 panics without a Dom0, Orchid skips the domain.
 */
static int dom0less_enhanced(const struct fdt *fdt, int node,
			     struct domu_config *c)
{
	c->enhanced = domu_dt_enhanced(fdt, node);
	if (c->enhanced == DOMU_ENHANCED_FULL && !hardware_domain) {
		pr_err("%s: \"xen,enhanced\" needs a Dom0 for xenstore "
		       "(\"no-xenstore\" does not)\n",
		       c->name);
		return -EINVAL;
	}
	return 0;
}

/*
 * domain-cpupool: a phandle of a boot-time "xen,cpupool" node (Xen's
 * create_domUs). One naming no node is ignored, as Xen's
 * dt_parse_phandle; one naming a node that is no usable pool is refused
 * (Xen panics).
 */
static int dom0less_cpupool(const struct fdt *fdt, int node,
			    struct domu_config *c)
{
	uint32_t ph;
	int pool, target;

	c->cpupool = 0;
	if (!fdt_getprop_u32(fdt, node, "domain-cpupool", &ph))
		return 0;
	target = fdt_node_by_phandle(fdt, ph);
	if (target < 0)
		return 0;
	pool = cpupool_boot_domain_pool(fdt, target);
	if (pool < 0) {
		pr_err("%s: domain-cpupool is no boot-time cpupool\n", c->name);
		return -EINVAL;
	}
	c->cpupool = (unsigned int)pool;
	return 0;
}

/* The node's "memory" in bytes, page-aligned; 0 when it is no valid one. */
static uint64_t dom0less_mem_bytes(const struct fdt *fdt, int node)
{
	uint64_t kb;

	if (!dom0less_read_num(fdt, node, "memory", &kb) || kb == 0 ||
	    kb > (DOMU_MEM_MAX >> 10))
		return 0;
	return align_up(kb << 10, PAGE_SIZE);
}

uint64_t dom0less_heap_ram(unsigned int index)
{
	const struct fdt *fdt = boot_fdt();
	int node = bootinfo.domus[index].node;

	if (fdt_getprop(fdt, node, "xen,static-mem", NULL))
		return 0;
	return dom0less_mem_bytes(fdt, node);
}

static int dom0less_parse(struct domu_config *c)
{
	const struct fdt *fdt = boot_fdt();
	int node = bootinfo.domus[c->index].node;
	uint64_t cpus;

	bootinfo_path(fdt, node, c->name);
	c->mem = dom0less_mem_bytes(fdt, node);
	if (!c->mem) {
		pr_err("%s: \"memory\" must be a number of KiB, 1 to %llu\n",
		       c->name, (unsigned long long)(DOMU_MEM_MAX >> 10));
		return -EINVAL;
	}
	if (!dom0less_read_num(fdt, node, "cpus", &cpus) || cpus == 0 ||
	    cpus > GUEST_MAX_VCPUS) {
		pr_err("%s: \"cpus\" must be 1 to %u\n", c->name,
		       GUEST_MAX_VCPUS);
		return -EINVAL;
	}
	c->vcpus = (uint32_t)cpus;
	c->vpl011 = fdt_getprop(fdt, node, "vpl011", NULL) != NULL;
	c->p2m_pages = dom0less_p2m_pages(fdt, node, c);
	if (dom0less_static_parse(fdt, node, c->index, c->mem, c->name, &c->st))
		return -EINVAL;
	if (dom0less_enhanced(fdt, node, c) || dom0less_cpupool(fdt, node, c) ||
	    dom0less_policy_parse(fdt, node, c->name, &c->policy))
		return -EINVAL;
	return dom0less_modules(c);
}

static const char *dom0less_enhanced_name(enum domu_enhanced e)
{
	if (e == DOMU_ENHANCED_FULL)
		return ", xen,enhanced";
	return e == DOMU_ENHANCED_NO_XENSTORE ? ", xen,enhanced no-xenstore"
					      : "";
}

/*
 * RAM: host blocks mapped one after the other from GUEST_RAM0_BASE, or
 * its static banks (dom0less_static.c). The blocks a deferred build's
 * prep scrubbed, else allocated and scrubbed here (a build with nothing
 * else to run: the first DomU, or all before Dom0).
 */
static int dom0less_memory(struct domain *d, struct domu_config *c,
			   struct kernel_info *k, struct mem_region *ipa)
{
	uint64_t next = GUEST_RAM0_BASE, got = 0;
	int ret;

	if (c->st.smem)
		return dom0less_static_memory(d, &c->st, k, c->name);
	if (!c->prep || dom0less_prep_take(c->prep, c->index, c->mem, d, k)) {
		ret = kinfo_alloc_memory(d, k, c->mem, 0, c->name);
		if (ret)
			return ret;
		kinfo_scrub_memory(k);
	}
	for (unsigned int i = 0; i < k->nr_banks; i++) {
		k->bank_ipa[i] = next;
		next += k->banks[i].size;
		got += k->banks[i].size;
	}
	if (got != c->mem)
		return -ENOMEM;
	ipa->base = pa_init(GUEST_RAM0_BASE);
	ipa->size = got;
	c->st.ram[0] = *ipa;
	c->st.nr_ram = 1;
	return kinfo_map_memory(d, k, c->name);
}

static int dom0less_dtb(const struct domu_config *c,
			const struct kernel_info *k, const struct domain *d)
{
	struct domu_dt_params p = {
		.mem = c->st.ram,
		.nr_mem = c->st.nr_ram,
		.nr_vcpus = c->vcpus,
		.gic_version = d->arch.gic_version,
		/* Xen's domain_use_host_layout: the host's GIC and UART. */
		.host_gic = d->direct_mapped ? &bootinfo.gic : NULL,
		.vpl011_base = vpl011_base(d),
		.vpl011_intid = vpl011_intid(d),
		.vpl011 = c->vpl011,
		.bootargs = c->kernel->bootargs,
		.initrd = k->initrd_size != 0,
		.initrd_start = k->initrd_pa,
		.initrd_end = k->initrd_pa + k->initrd_size,
		.partial = c->dtb ? &c->partial : NULL,
		.hypervisor = c->enhanced != DOMU_ENHANCED_NONE,
		.ipa_bits = p2m_ipa_bits(),
		.evtchn_ppi = GUEST_EVTCHN_PPI,
		.host_fixed = true, /* the boot DTB, kept for Orchid's life */
	};
	void *buf = xmalloc(KINFO_DTB_MAX);
	long size;

	if (!buf)
		return -ENOMEM;
	size = domu_dt_build(boot_fdt(), &p, buf, KINFO_DTB_MAX);
	if (size > 0)
		kinfo_copy(k, k->dtb_pa, buf, (uint64_t)size);
	xfree(buf);
	if (size < 0)
		pr_err("%s: building its device tree failed (%ld)\n", c->name,
		       size);
	return size < 0 ? (int)size : 0;
}

/*
 * Xen's construct_domU for DOM0LESS_XENSTORE: the xenstore port is
 * offered to Dom0 and HVM_PARAM_STORE_PFN is all ones, Xen's "not yet":
 * Linux then waits for an event on that port, which xenstored sends
 * once init-dom0less has given the domain its page (at GUEST_MAGIC_BASE)
 * and set the parameter to it (drivers/xen/xenbus, xenbus_late_init).
 */
static int dom0less_xenstore(struct domain *d)
{
	evtchn_port_t port;
	int ret =
		evtchn_alloc_unbound_boot(d, hardware_domain->domain_id, &port);

	if (ret)
		return ret;
	d->hvm_params[HVM_PARAM_STORE_EVTCHN] = port;
	d->hvm_params[HVM_PARAM_STORE_PFN] = ~0ULL;
	return 0;
}

/*
 * Beyond Xen 4.17, whose dom0less DomUs have no PV console (its
 * docs/features/dom0less.pandoc: "xl console" does not attach): an
 * "xen,enhanced" DomU gets the console libxl gives a domain it builds, a
 * zeroed page of its own at GUEST_MAGIC_BASE (libxl's console PFN), a
 * port Dom0 may bind and grant entry GNTTAB_RESERVED_CONSOLE for Dom0, so
 * Linux there has hvc0. No unmodified Dom0 tool writes its console
 * nodes (init-dom0less writes none): Dom0's orchid-dom0less-console
 * does, after init-dom0less; then xenconsoled serves it and "xl console"
 * attaches. The page counts against the domain's memory (max_pages one
 * more), as init-dom0less's xenstore page does. A direct-mapped or
 * static-memory DomU can take no page from the heap: it has none, as on
 * Xen.
 */
static int dom0less_console(struct domain *d)
{
	const xen_pfn_t gfn = GUEST_MAGIC_BASE >> PAGE_SHIFT;
	domid_t backend = hardware_domain->domain_id;
	evtchn_port_t port;
	paddr_t pa;
	int ret;

	if (d->direct_mapped || d->static_mem)
		return 0;
	domain_mem_set_max(d, d->max_pages + 1);
	ret = domain_mem_alloc(d, 0, 0, &pa);
	if (ret)
		return ret;
	ret = domain_mem_map(d, gfn, pa, 1, p2m_ram_rw);
	if (!ret)
		ret = evtchn_alloc_unbound_boot(d, backend, &port);
	if (!ret)
		ret = gnttab_seed_entry(d, GNTTAB_RESERVED_CONSOLE, backend,
					gfn);
	if (ret)
		return ret; /* the page goes with the domain */
	d->hvm_params[HVM_PARAM_CONSOLE_PFN] = gfn;
	d->hvm_params[HVM_PARAM_CONSOLE_EVTCHN] = port;
	return 0;
}

static int dom0less_construct(struct domain *d, struct domu_config *c)
{
	static struct kernel_info k;
	struct mem_region ram;
	int ret;

	memset(&k, 0, sizeof(k));
	ret = page_pool_resize(&d->paging_pool, c->p2m_pages);
	if (!ret && c->vpl011)
		ret = vpl011_init(d);
	if (!ret && c->dtb)
		ret = dom0less_passthrough(d, &c->partial);
	if (!ret)
		ret = dom0less_memory(d, c, &k, &ram);
	if (!ret)
		ret = kinfo_place(&k, c->kernel, c->initrd, c->name);
	if (ret)
		return ret;
	kinfo_load_modules(&k, c->kernel, c->initrd, c->name);
	ret = dom0less_dtb(c, &k, d);
	if (!ret && c->enhanced == DOMU_ENHANCED_FULL)
		ret = dom0less_xenstore(d);
	if (!ret && c->enhanced == DOMU_ENHANCED_FULL)
		ret = dom0less_console(d);
	for (unsigned int i = 0; !ret && i < c->vcpus; i++)
		if (!vcpu_create(d, i))
			ret = -ENOMEM;
	if (ret)
		return ret;
	printk("%s: d%u, %u vCPU(s), %lu MiB, entry %#lx, DTB %#lx%s%s, "
	       "Pool-%u\n",
	       c->name, d->domain_id, c->vcpus, c->mem >> 20, k.entry, k.dtb_pa,
	       c->vpl011 ? ", vpl011" : "", dom0less_enhanced_name(c->enhanced),
	       c->cpupool);
	return vcpu_start(d->vcpus[0], k.entry, k.dtb_pa);
}

/*
 * At boot and again on each restart (dom0less_restart.c): its node is read
 * again, so a restart is exactly the boot-time build, from the boot DTB
 * and modules Orchid keeps reserved for its whole life (bootmem.c).
 */
static struct domain *dom0less_build_domain(unsigned int index,
					    struct domain **killed,
					    struct dom0less_prep *prep)
{
	static struct domu_config c;
	struct xen_arch_domainconfig cfg = {
		.gic_version = XEN_DOMCTL_CONFIG_GIC_NATIVE,
		.nr_spis = gic_nr_lines() - 32,
	};
	struct domain *d;
	int ret;

	memset(&c, 0, sizeof(c));
	c.index = index;
	c.domid = (domid_t)(index + 1);
	c.prep = prep;
	if (dom0less_parse(&c) || arch_domain_config_check(&cfg, c.vcpus)) {
		pr_err("%s: not started\n", c.name);
		return NULL;
	}
	printk("*** LOADING DOMU cpus=%u memory=%lxKB ***\n", c.vcpus,
	       c.mem >> 10);
	/* Hidden from Dom0's tools until built (a restart: Dom0 runs). */
	d = domain_create(c.domid,
			  DOMCF_HIDDEN |
				  (c.st.direct_map ? DOMCF_DIRECT_MAP : 0),
			  c.vcpus, &cfg);
	if (!d) {
		pr_err("%s: domain creation failed\n", c.name);
		return NULL;
	}
	arch_domain_guest_layout(d);
	d->static_mem = c.st.smem != NULL;
	/* Before its vCPUs exist: they are placed on the pool's pCPUs. */
	cpupool_add_domain(d, c.cpupool);
	/* As Xen 4.17's construct_domU: console_io is allowed. */
	d->is_console = true;
	ret = dom0less_construct(d, &c);
	if (ret) {
		/* Killed, never run; its teardown is @killed's holder's (at
		 * boot: no one's, it was out of memory anyway). */
		pr_err("%s: building d%u failed (%d)\n", c.name, c.domid, ret);
		domain_kill(d);
		if (killed)
			*killed = d;
		return NULL;
	}
	console_set_max_init_domid(c.domid);
	dom0less_policy_attach(d, index, &c.policy);
	domain_unhide(d);
	return d;
}

struct domain *dom0less_build_one(unsigned int index, struct domain **killed,
				  struct dom0less_prep *prep)
{
	struct domain *d = dom0less_build_domain(index, killed, prep);

	/* What the build did not take (a bad node, no domain) goes back. */
	if (prep)
		dom0less_prep_drop(prep);
	return d;
}

uint64_t dom0less_free_kib(void)
{
	return page_alloc_free_bytes() >> 10;
}

/*
 * Without a Dom0, each boot-time DomU starts as soon as it is built and
 * its RAM scrubbed, and the next one is built afterwards, on pCPU 0
 * (serialised with the restarts of dom0less_restart.c, which build there
 * too: each build itself runs in one tasklet run): the first DomU's first
 * instruction no longer waits for the others' scrubbing
 * (bench/results/dom0less-boot.md, "first (d1)"). Xen 4.17 builds them
 * all before it unpauses any. A later one's RAM is allocated and scrubbed
 * first, in pieces between which pCPU 0 runs the DomUs already started
 * (dom0less_prep.c, dom0less-build-latency), then the build takes it; so
 * a domain is started only once all of its RAM is scrubbed, and nothing
 * changes for it but when. The first one, with nothing else to run yet,
 * is built in one go. With a Dom0 they are all built before it runs, in
 * one go, as on Xen: its init-dom0less lists them once.
 */
struct dom0less_boot {
	struct timer timer;	/* lets the DomUs started so far run */
	struct tasklet tasklet; /* then starts the next one's prep */
	struct dom0less_prep prep;
	unsigned int next; /* in bootinfo.domus */
	unsigned int started;
	bool done; /* every node tried: restarts may go on */
};

static struct dom0less_boot boot_builds;

/* pCPU 0 is always online; the restarts build there too. */
#define BOOT_BUILD_CPU 0
/*
 * Guest time given to the DomUs started so far before the next build:
 * enough for the one just started to run its first instructions, short
 * beside a 64 MiB DomU's scrub (3.4 ms), so the later ones start barely
 * later than if built back to back.
 */
#define BOOT_BUILD_GAP_NS 100000ULL

static void dom0less_build_report(struct dom0less_boot *b)
{
	b->done = true;
	printk("dom0less: %u of %u domain(s) started, %lu KiB free\n",
	       b->started, bootinfo.nr_domus,
	       (unsigned long)dom0less_free_kib());
}

/* Builds (and starts) the next buildable DomU; false when none is left. */
static bool dom0less_build_next(struct dom0less_boot *b)
{
	while (b->next < bootinfo.nr_domus)
		if (dom0less_build_one(b->next++, NULL, NULL)) {
			b->started++;
			return true;
		}
	return false;
}

static void dom0less_boot_timer(void *data)
{
	struct dom0less_boot *b = data;

	tasklet_schedule(&b->tasklet);
}

/* The next DomU's RAM is ready: build it, then on to the one after. */
static void dom0less_boot_prepared(void *data)
{
	struct dom0less_boot *b = data;

	bool built = dom0less_build_one(b->next++, NULL, &b->prep);

	b->started += built;
	if (b->next >= bootinfo.nr_domus) {
		dom0less_build_report(b);
		return;
	}
	/* A node not started (reported) took no time: on to the next. */
	if (!built) {
		dom0less_prep_start(&b->prep, b->next);
		return;
	}
	timer_set(&b->timer, arch_now_ns() + BOOT_BUILD_GAP_NS);
}

static void dom0less_boot_work(void *data)
{
	struct dom0less_boot *b = data;

	dom0less_prep_start(&b->prep, b->next);
}

bool dom0less_boot_done(void)
{
	return boot_builds.done;
}

void dom0less_build(void)
{
	struct dom0less_boot *b = &boot_builds;

	if (!bootinfo.nr_domus)
		return;
	if (hardware_domain) {
		while (dom0less_build_next(b))
			;
		dom0less_build_report(b);
		return;
	}
	timer_init(&b->timer, dom0less_boot_timer, b, BOOT_BUILD_CPU);
	tasklet_init(&b->tasklet, dom0less_boot_work, b, BOOT_BUILD_CPU);
	dom0less_prep_init(&b->prep, dom0less_boot_prepared, b);
	/* Here, on the boot CPU (pCPU 0): the first, then the rest later. */
	dom0less_build_next(b);
	if (b->next < bootinfo.nr_domus) {
		timer_set(&b->timer, arch_now_ns() + BOOT_BUILD_GAP_NS);
		return;
	}
	dom0less_build_report(b);
}
