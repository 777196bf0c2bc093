// SPDX-License-Identifier: MIT
/*
 * Guest arrays of a batched hypercall (<orchid/guest_batch.h>).
 *
 * A batch reads and writes back one element after another, all in the
 * same few guest pages. copy_from_guest translates each access through
 * stage 1 and stage 2 again (~300 instructions for a 24-byte element,
 * twice an element); here the page the array is in is translated once,
 * checked writable RAM of the caller, and held by a page reference, so
 * that a guest giving it back on another vCPU cannot have it freed and
 * reused while Orchid still writes there. Justified by bench-micro's
 * grant-map-unmap-x16/x256 and grant-copy-4k-x16/x256 rows.
 *
 * Anything else (an element across a page boundary, a read-only page,
 * stage 1 or 2 not mapping it) goes through copy_from_guest/copy_to_guest
 * as before, with their results.
 */
#include <orchid/arch.h>
#include <orchid/domain.h>
#include <orchid/domain_mem.h>
#include <orchid/guest_access.h>
#include <orchid/guest_batch.h>
#include <orchid/p2m.h>
#include <orchid/string.h>

#define GB_NONE 1ULL /* no page: never a page-aligned address */

void guest_batch_init(struct guest_batch *b)
{
	b->va = GB_NONE;
}

void guest_batch_release(struct guest_batch *b)
{
	if (b->va == GB_NONE)
		return;
	b->va = GB_NONE;
	domain_mem_put_page(b->pa);
}

void guest_batch_forget(struct guest_batch *b, uint64_t gfn)
{
	if (b->va != GB_NONE && ipa_addr(b->ipa) >> PAGE_SHIFT == gfn)
		guest_batch_release(b);
}

/*
 * Hold the page of the current vCPU's @va_page: RAM of the caller's own
 * it may write, or false. The MMU translates both stages (one walk fewer
 * than a p2m lookup, once a call: bench-micro's grant-map-unmap and
 * grant-copy-4k rows); the reference, taken only on a page the caller
 * owns, keeps it from being freed while held whatever the p2m does.
 */
static bool gb_hold(struct guest_batch *b, uint64_t va_page)
{
	struct vcpu *v = current_vcpu();
	ipaddr_t ipa;
	paddr_t pa;

	if (!v || v->is_idle ||
	    arch_guest_va_to_pa(v, va_page, true, &ipa, &pa) ||
	    domain_mem_get_page(v->domain, pa, DM_GET_RAM))
		return false;
	b->va = va_page;
	b->ipa = ipa;
	b->pa = pa;
	return true;
}

/* Orchid's address of [va, va + len) when inside the held page, or NULL. */
static uint8_t *gb_ptr(struct guest_batch *b, uint64_t va, size_t len)
{
	uint64_t page = va & PAGE_MASK;

	if ((va & ~PAGE_MASK) + len > PAGE_SIZE)
		return NULL;
	if (page != b->va) {
		guest_batch_release(b);
		if (!gb_hold(b, page))
			return NULL;
	}
	return (uint8_t *)arch_pa_to_va(b->pa) + (va & ~PAGE_MASK);
}

int guest_batch_read(struct guest_batch *b, void *dst, uint64_t va, size_t len)
{
	const uint8_t *p = gb_ptr(b, va, len);

	if (!p)
		return copy_from_guest(dst, va, len);
	memcpy(dst, p, len);
	return 0;
}

int guest_batch_write(struct guest_batch *b, uint64_t va, const void *src,
		      size_t len)
{
	uint8_t *p = gb_ptr(b, va, len);

	if (!p)
		return copy_to_guest(va, src, len);
	memcpy(p, src, len);
	return 0;
}
