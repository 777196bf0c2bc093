// SPDX-License-Identifier: MIT
/*
 * Example live patch: XENVER_extraversion answers ".0-orchid-lp", so
 * `xl info` in Dom0 shows xen_extra changed while everything keeps
 * running; its load and unload hooks log a line `xl dmesg` shows at each
 * apply and revert. Build it against the current image:
 *   make livepatch PATCH=tools/livepatch/examples/xen_extra.c
 */
#include <orchid/errno.h>
#include <orchid/guest_access.h>
#include <orchid/livepatch_payload.h>
#include <orchid/printk.h>
#include <public/version.h>

static long new_version_extraversion(uint64_t arg, bool deny)
{
	/* Whole buffer, NUL-padded, as the original writes it. */
	static const xen_extraversion_t patched = ".0-orchid-lp";
	static const xen_extraversion_t denied = "<denied>";

	return copy_to_guest(arg, deny ? denied : patched, sizeof(patched))
		       ? -EFAULT
		       : 0;
}

LIVEPATCH_REPLACE(version_extraversion, new_version_extraversion);

/* Both run with every other pCPU parked: keep them short. */
static void xen_extra_loaded(void)
{
	printk("livepatch: xen_extra load hook: xen_extra is .0-orchid-lp\n");
}

static void xen_extra_unloaded(void)
{
	printk("livepatch: xen_extra unload hook: xen_extra restored\n");
}

LIVEPATCH_LOAD_HOOK(xen_extra_loaded);
LIVEPATCH_UNLOAD_HOOK(xen_extra_unloaded);
