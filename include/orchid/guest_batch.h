/* SPDX-License-Identifier: MIT */
/*
 * The guest array of a batched hypercall, read and written back element
 * by element through one translation of the page it is in, held (with a
 * page reference) from the first element to guest_batch_release
 * (common/mm/guest_batch.c). Results are those of copy_from_guest and
 * copy_to_guest.
 *
 * The translation is the one at the first access of the page: an element
 * that changes the caller's p2m at that page must call guest_batch_forget
 * (as Xen, the next element is then read from what is mapped there now).
 */
#ifndef ORCHID_GUEST_BATCH_H
#define ORCHID_GUEST_BATCH_H

#include <orchid/types.h>

struct guest_batch {
	uint64_t va; /* the page held, or 1: none */
	ipaddr_t ipa;
	paddr_t pa;
};

void guest_batch_init(struct guest_batch *b);
/* Let go of the page; before the hypercall returns, preempted or not. */
void guest_batch_release(struct guest_batch *b);
/* The caller's p2m changes at @gfn: let go of the page if it is there. */
void guest_batch_forget(struct guest_batch *b, uint64_t gfn);

int guest_batch_read(struct guest_batch *b, void *dst, uint64_t va, size_t len);
int guest_batch_write(struct guest_batch *b, uint64_t va, const void *src,
		      size_t len);

#endif /* ORCHID_GUEST_BATCH_H */
