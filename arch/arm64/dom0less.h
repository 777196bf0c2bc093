/* SPDX-License-Identifier: MIT */
/*
 * Between dom0less.c (building a boot-time DomU from its node) and
 * dom0less_restart.c (what happens when one shuts down: Orchid's
 * orchid,on-* policies, beyond Xen 4.17).
 */
#ifndef ARM64_DOM0LESS_H
#define ARM64_DOM0LESS_H

#include <asm/domain_build.h>
#include <orchid/bootinfo.h>
#include <orchid/fdt.h>
#include <orchid/region_walk.h>
#include <orchid/tasklet.h>
#include <orchid/timer.h>
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
 * A deferred build's RAM, allocated and scrubbed ahead of it a bounded
 * piece at a time on pCPU 0 (dom0less_prep.c).
 */
enum dom0less_prep_stage {
	PREP_IDLE,  /* holds nothing */
	PREP_ALLOC, /* taking blocks from the heap */
	PREP_SCRUB, /* zeroing them, walk's piece after piece */
	PREP_READY, /* for dom0less_build_one to take */
};

struct dom0less_prep {
	enum dom0less_prep_stage stage;
	unsigned int index; /* in bootinfo.domus */
	uint64_t size, left;
	struct kernel_info k; /* its banks only */
	struct region_walk walk;
	struct timer timer;	/* queues the tasklet */
	struct tasklet tasklet; /* one slice of steps */
	void (*done)(void *data);
	void *data;
};

void dom0less_prep_init(struct dom0less_prep *p, void (*done)(void *data),
			void *data);
/*
 * Allocate and scrub bootinfo.domus[@index]'s RAM (none for a node with
 * static memory or a bad "memory"), dropping what @p held; @p's done()
 * runs from a tasklet on pCPU 0 once it is ready.
 */
void dom0less_prep_start(struct dom0less_prep *p, unsigned int index);
/*
 * Give @d the RAM @p prepared for bootinfo.domus[@index], @size bytes, as
 * @k's banks: 0, or -ENOENT (@p dropped) when @p holds none for it. A
 * block @d cannot take goes back to the heap (fewer banks: the caller's
 * size check fails).
 */
int dom0less_prep_take(struct dom0less_prep *p, unsigned int index,
		       uint64_t size, struct domain *d, struct kernel_info *k);
/* Give back whatever @p holds and stop its work. */
void dom0less_prep_drop(struct dom0less_prep *p);

/*
 * Deferred work on pCPU 0 run at a vCPU's trap end holds that vCPU, which
 * has no interrupt of its own pending meanwhile: its preemptible loops
 * (hypercall_preempt_check) also stop after this long. From the idle
 * loop they run until work is pending.
 */
#define DOM0LESS_SLICE_NS 200000ULL
/* Start such a slice: true when run from the idle loop. */
bool dom0less_slice_begin(void);
void dom0less_slice_end(void);

/*
 * The RAM a node without static memory asks of the heap, in bytes (its
 * "memory", page-aligned); 0 when it has static memory or no valid one.
 */
uint64_t dom0less_heap_ram(unsigned int index);

/*
 * Build and start the DomU of bootinfo.domus[@index] as domain @index + 1:
 * the domain, or NULL (reported) when its node is bad or memory is short.
 * Its RAM is @prep's when @prep holds it ready (dom0less_prep_take), else
 * allocated and scrubbed here in one go. A domain that was created but
 * could not be built is killed; when @killed is not NULL it is set there,
 * its teardown held by the caller.
 */
struct domain *dom0less_build_one(unsigned int index, struct domain **killed,
				  struct dom0less_prep *prep);

/*
 * Every boot-time node was tried (built, or reported): until then a
 * restart waits (dom0less_restart.c), so that boot's builds come first
 * and its report's free memory is what a restart gives back to.
 */
bool dom0less_boot_done(void);

/* Host memory free for new domains (dirty pages included), in KiB. */
uint64_t dom0less_free_kib(void);

#endif
