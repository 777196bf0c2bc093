/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the hypercall handlers that have no test of their own
 * (event channels and grant tables do), each a cmocka group in its own
 * file, all on the fake world of tests/unit/fake_guest.h: the arguments
 * sit in fake guest RAM, reached through the real common/mm/guest_access.c,
 * and each handler is called with good and bad ones (NULL, unmapped,
 * partly mapped, read-only, huge counts, other domains).
 */
#include "test_hypercalls.h"

int main(void)
{
	int failed = 0;

	failed += test_hc_version();
	failed += test_hc_console();
	failed += test_hc_memory();
	failed += test_hc_vcpu_op();
	failed += test_hc_hvm_op();
	failed += test_hc_sched_op();
	failed += test_hc_platform_op();
	failed += test_hc_dispatch();
	return failed != 0;
}
