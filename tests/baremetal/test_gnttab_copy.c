// SPDX-License-Identifier: MIT
/*
 * GNTTABOP_copy within Dom0, between two of its own frames (no grant
 * needed when both ends are GFNs of the caller), then copies a guest
 * should not ask for: too long, past the page, a GFN with nothing
 * behind it, a grant ref out of range, a domain that does not exist.
 */
#include "guest.h"
#include "xen.h"

static char src[4096] __attribute__((aligned(4096)));
static char dst[4096] __attribute__((aligned(4096)));

static int16_t copy(uint64_t src_u, uint16_t src_dom, uint16_t src_off,
		    uint16_t len, uint16_t flags)
{
	struct gnttab_copy c = {
		.source = {.u = src_u, .domid = src_dom, .offset = src_off},
		.dest = {.u = (uintptr_t)dst >> 12, .domid = DOMID_SELF},
		.len = len,
		.flags = flags,
		.status = 0x7777,
	};
	long rc = HC3(__HYPERVISOR_grant_table_op, GNTTABOP_copy, &c, 1);

	return rc ? (int16_t)0x6666 : c.status;
}

void test_gnttab_copy(void)
{
	uint64_t src_gfn = (uintptr_t)src >> 12;
	int same = 1;

	for (int i = 0; i < 64; i++)
		src[i] = (char)(i * 7 + 1);
	check_eq("copy-gfn-to-gfn", copy(src_gfn, DOMID_SELF, 0, 64, 0),
		 GNTST_okay);
	for (int i = 0; i < 64; i++)
		same &= dst[i] == src[i];
	check_true("copy-gfn-to-gfn-data", same, "");
	check_eq("copy-len-4097", copy(src_gfn, DOMID_SELF, 0, 4097, 0),
		 GNTST_bad_copy_arg);
	check_eq("copy-past-page", copy(src_gfn, DOMID_SELF, 4000, 200, 0),
		 GNTST_bad_copy_arg);
	check_eq("copy-gfn-ipa-hole",
		 copy(IPA_HOLE >> 12, DOMID_SELF, 0, 64, 0), GNTST_bad_page);
	check_eq("copy-gref-huge",
		 copy(0xffffffffu, DOMID_SELF, 0, 64, GNTCOPY_source_gref),
		 GNTST_bad_gntref);
	/* Only DOMID_SELF names a frame: Dom0's own ID 0 does not. */
	check_eq("copy-gfn-dom-0-by-id", copy(src_gfn, 0, 0, 64, 0),
		 GNTST_permission_denied);
	check_eq("copy-dom-invalid", copy(src_gfn, DOMID_INVALID, 0, 64, 0),
		 GNTST_bad_domain);
	check_eq("copy-dom-absent", copy(src_gfn, ABSENT_DOMID, 0, 64, 0),
		 GNTST_bad_domain);
}
