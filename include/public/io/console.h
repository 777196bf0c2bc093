/* SPDX-License-Identifier: MIT */
/*
 * The console ring page (Xen 4.17's public/io/console.h): the PV console
 * and the vpl011's ring share its layout. "in" carries bytes from the
 * backend to the guest, "out" from the guest to the backend; indices run
 * freely and are taken modulo the array size, a power of two.
 */
#ifndef PUBLIC_IO_CONSOLE_H
#define PUBLIC_IO_CONSOLE_H

#include <orchid/types.h>

typedef uint32_t XENCONS_RING_IDX;

struct xencons_interface {
	char in[1024];
	char out[2048];
	XENCONS_RING_IDX in_cons, in_prod;
	XENCONS_RING_IDX out_cons, out_prod;
};

_Static_assert(sizeof(struct xencons_interface) == 3088, "xencons");

#endif /* PUBLIC_IO_CONSOLE_H */
