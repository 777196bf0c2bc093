/* SPDX-License-Identifier: MIT */
/*
 * Between dom0less.c (building a boot-time DomU from its node) and
 * dom0less_restart.c (what happens when one shuts down: Orchid's
 * orchid,on-* policies, beyond Xen 4.17).
 */
#ifndef ARM64_DOM0LESS_H
#define ARM64_DOM0LESS_H

#include <orchid/fdt.h>
#include <orchid/types.h>
#include <public/sched.h>

struct domain;

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
