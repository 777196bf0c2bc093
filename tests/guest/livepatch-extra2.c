// SPDX-License-Identifier: MIT
/*
 * The toolstack check's second live patch (tests/guest/init-dom0-toolstack.sh,
 * livepatch): another XENVER_extraversion, which `xen-livepatch replace`
 * puts in place of tools/livepatch/examples/xen_extra.c's.
 */
#include <orchid/errno.h>
#include <orchid/guest_access.h>
#include <orchid/livepatch_payload.h>
#include <public/version.h>

static long replacing_version_extraversion(uint64_t arg, bool deny)
{
	static const xen_extraversion_t patched = ".0-orchid-lp2";
	static const xen_extraversion_t denied = "<denied>";

	return copy_to_guest(arg, deny ? denied : patched, sizeof(patched))
		       ? -EFAULT
		       : 0;
}

LIVEPATCH_REPLACE(version_extraversion, replacing_version_extraversion);
