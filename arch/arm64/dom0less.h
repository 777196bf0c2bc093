/* SPDX-License-Identifier: MIT */
/*
 * Between dom0less.c (building a boot-time DomU from its node) and
 * dom0less_restart.c (what happens when one shuts down: Orchid's
 * orchid,on-* policies, beyond Xen 4.17).
 */
#ifndef ARM64_DOM0LESS_H
#define ARM64_DOM0LESS_H

#include <orchid/bootinfo.h>
#include <orchid/fdt.h>
#include <orchid/types.h>
#include <public/sched.h>

struct domain;
struct kernel_info;
struct boot_static_mem;

/* A DomU's xen,static-mem and direct-map (dom0less_static.c). */
struct dom0less_static {
	const struct boot_static_mem *smem; /* NULL: RAM from the heap */
	bool direct_map;
	/* Its RAM as the guest sees it, for its device tree. */
	struct mem_region ram[BOOTINFO_MAX_STATIC_BANKS];
	unsigned int nr_ram;
};

/*
 * Read the node's direct-map and xen,static-mem (kept at boot in
 * bootinfo.domus[@index].smem) for a domain of @mem bytes: 0, or -EINVAL
 * (reported under @name) for direct-map without static memory, static
 * memory that was refused at boot or that is not @mem bytes, or
 * -EOPNOTSUPP in a build without CONFIG_STATIC_MEMORY.
 */
int dom0less_static_parse(const struct fdt *fdt, int node, unsigned int index,
			  uint64_t mem, const char *name,
			  struct dom0less_static *s);
/*
 * Give @d its static banks as RAM in @k: at their own addresses when
 * direct-mapped, else one after the other from GUEST_RAM0_BASE; mapped,
 * and @s->ram set. 0 or -errno (a bank not free: a mapping of an earlier
 * incarnation is still held).
 */
int dom0less_static_memory(struct domain *d, struct dom0less_static *s,
			   struct kernel_info *k, const char *name);

/* What Orchid does with a boot-time DomU that shut down for a reason. */
enum dom0less_action {
	DOM0LESS_PRESERVE, /* Xen's: it stays shut down, its memory held */
	DOM0LESS_DESTROY,  /* torn down, its memory back to the heap */
	DOM0LESS_RESTART,  /* torn down, then rebuilt from its boot modules */
};

/* One action per shutdown reason, SHUTDOWN_poweroff..SHUTDOWN_watchdog. */
struct dom0less_policy {
	uint8_t on[SHUTDOWN_watchdog + 1];
	bool set; /* the node has one of the properties: logged, applied */
};

/*
 * Read the node's orchid,on-poweroff, -reboot, -crash and -watchdog
 * ("destroy", "restart" or "preserve"); an absent one is "preserve".
 * -EINVAL, reported under @name, for any other value.
 */
int dom0less_policy_parse(const struct fdt *fdt, int node, const char *name,
			  struct dom0less_policy *p);

/* Give @d, just built from bootinfo.domus[@index], its policy @p. */
void dom0less_policy_attach(struct domain *d, unsigned int index,
			    const struct dom0less_policy *p);

/*
 * Build and start the DomU of bootinfo.domus[@index] as domain @index + 1:
 * the domain, or NULL (reported) when its node is bad or memory is short.
 * A domain that was created but could not be built is killed; when
 * @killed is not NULL it is set there, its teardown held by the caller.
 */
struct domain *dom0less_build_one(unsigned int index, struct domain **killed);

/* Host memory free for new domains (dirty pages included), in KiB. */
uint64_t dom0less_free_kib(void);

#endif
