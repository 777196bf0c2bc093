// SPDX-License-Identifier: MIT
/*
 * Guest memory on the guest's behalf (<orchid/guest_access.h>).
 *
 * An access goes page by page: a virtual address becomes an IPA through the
 * vCPU's own stage 1 (arch_guest_va_to_ipa), the IPA a physical address
 * through the domain's stage 2, the p2m type is checked, and the bytes move
 * through Orchid's 1:1 map of RAM. Only the pages looked up are touched.
 *
 * An access of more than one page walks twice: first to check every page,
 * then to move the bytes, so that a bad page leaves nothing half done.
 * Each page is moved under the domain's p2m lock: a page the guest gives
 * back on another vCPU can not be unmapped, freed and reused mid-copy.
 *
 * A virtual-address access within one page first tries the MMU (ga_fast):
 * both stages translated by one AT instruction under the p2m lock, and the
 * frame table telling that the page is the domain's own RAM. Whatever it
 * cannot vouch for takes the page walk above, which gives the answer.
 */
#include <orchid/arch.h>
#include <orchid/domain.h>
#include <orchid/domain_mem.h>
#include <orchid/errno.h>
#include <orchid/guest_access.h>
#include <orchid/p2m.h>
#include <orchid/string.h>

enum ga_op {
	GA_CHECK, /* look only */
	GA_READ,  /* guest -> dst */
	GA_WRITE, /* src -> guest */
	GA_CLEAR, /* zeroes -> guest */
};

/* One access: [addr, addr + len) of a guest, and the hypervisor's side. */
struct ga_req {
	struct vcpu *v; /* addr is its virtual address; NULL: an IPA */
	struct domain *d;
	uint64_t addr;
	size_t len;
	bool write;	    /* guest memory is written (GA_WRITE, GA_CLEAR) */
	uint8_t *dst;	    /* GA_READ */
	const uint8_t *src; /* GA_WRITE */
};

/* RAM of the domain and pages Orchid shares; read-only ones for reads. */
static bool ga_type_ok(enum p2m_type t, bool write)
{
	if (t == p2m_ram_rw || t == p2m_xen_page)
		return true;
	return !write && t == p2m_ram_ro;
}

static int ga_to_ipa(const struct ga_req *r, uint64_t addr, ipaddr_t *ipa)
{
	if (!r->v) {
		*ipa = ipa_init(addr);
		return 0;
	}
	return arch_guest_va_to_ipa(r->v, addr, r->write, ipa);
}

static void ga_move(const struct ga_req *r, enum ga_op op, void *guest,
		    size_t done, size_t n)
{
	switch (op) {
	case GA_READ: memcpy(r->dst + done, guest, n); break;
	case GA_WRITE: memcpy(guest, r->src + done, n); break;
	case GA_CLEAR: memset(guest, 0, n); break;
	case GA_CHECK: break;
	}
}

/* The @n bytes at @addr, @done bytes into @r, all within one page. */
static int ga_page(const struct ga_req *r, enum ga_op op, uint64_t addr,
		   size_t done, size_t n)
{
	enum p2m_type t;
	ipaddr_t ipa;
	paddr_t pa;
	int ret = -EFAULT;

	if (ga_to_ipa(r, addr, &ipa))
		return -EFAULT;
	p2m_lock(r->d);
	if (p2m_lookup_locked(r->d, ipa, &pa, &t) && ga_type_ok(t, r->write)) {
		ga_move(r, op, arch_pa_to_va(pa), done, n);
		ret = 0;
	}
	p2m_unlock(r->d);
	return ret;
}

static int ga_walk(const struct ga_req *r, enum ga_op op)
{
	size_t done = 0;

	while (done < r->len) {
		uint64_t addr = r->addr + done;
		size_t n =
			min_u64(r->len - done, PAGE_SIZE - (addr & ~PAGE_MASK));

		if (ga_page(r, op, addr, done, n))
			return -EFAULT;
		done += n;
	}
	return 0;
}

static bool ga_one_page(const struct ga_req *r)
{
	return (r->addr & ~PAGE_MASK) + r->len <= PAGE_SIZE;
}

static int ga_run(const struct ga_req *r, enum ga_op op)
{
	if (r->len == 0)
		return 0;
	if (range_overflows(r->addr, r->len))
		return -EFAULT;
	if (!ga_one_page(r) && ga_walk(r, GA_CHECK))
		return -EFAULT;
	return ga_walk(r, op);
}

/* ---- the MMU path ---------------------------------------------------- */

/*
 * 1, 2, 4 or 8 naturally aligned bytes (most hypercall arguments:
 * evtchn_send is one uint32_t) as one load and one store: memcpy under
 * -mstrict-align moves 4 bytes one at a time, ~60 instructions of the
 * evtchn-send-upcall row with its calls. False when it is not such a copy.
 */
static inline __attribute__((always_inline)) bool
ga_move_scalar(void *to, const void *from, size_t n)
{
	if (n > sizeof(uint64_t) || (n & (n - 1)) ||
	    (((uintptr_t)to | (uintptr_t)from) & (n - 1)))
		return false;
	switch (n) {
	case 1: *(uint8_t *)to = *(const uint8_t *)from; break;
	case 2: *(uint16_t *)to = *(const uint16_t *)from; break;
	case 4: *(uint32_t *)to = *(const uint32_t *)from; break;
	default: *(uint64_t *)to = *(const uint64_t *)from; break;
	}
	return true;
}

static inline __attribute__((always_inline)) void
ga_fast_move(enum ga_op op, void *guest, void *buf, size_t n)
{
	if (op == GA_CLEAR)
		memset(guest, 0, n);
	else if (op == GA_READ && !ga_move_scalar(buf, guest, n))
		memcpy(buf, guest, n);
	else if (op == GA_WRITE && !ga_move_scalar(guest, buf, n))
		memcpy(guest, buf, n);
}

/*
 * [@va, @va + @n) of the current vCPU, within one page, moved to or from
 * @buf (nothing for GA_CLEAR); false when not done, for ga_run_va to redo
 * it and decide. The MMU answers for stage 1, stage 2 and both
 * permissions (a read-only page fails a write); the p2m type it does not
 * give is implied by the frame (domain_mem_mapped_ram_of: the domain's
 * RAM, no grant or foreign mapping of it). The p2m lock keeps the page
 * mapped, so not freed, for the copy, as ga_page does: no reference.
 * Justified by bench-micro's evtchn-send-upcall row: its 4-byte argument
 * cost ~355 instructions through the page walk, ~140 this way. Inline in
 * each of its three callers, for the operation to be a constant there.
 */
static inline __attribute__((always_inline)) bool
ga_fast(enum ga_op op, uint64_t va, size_t n, void *buf)
{
	struct vcpu *v = current_vcpu();
	struct domain *d;
	bool done = false;
	paddr_t pa;

	if (!v || v->is_idle || !n || (va & ~PAGE_MASK) + n > PAGE_SIZE)
		return false;
	d = v->domain;
	p2m_lock(d);
	if (!arch_guest_va_to_pa_locked(va, op != GA_READ, &pa) &&
	    domain_mem_mapped_ram_of(d, pa)) {
		ga_fast_move(op, arch_pa_to_va(pa), buf, n);
		done = true;
	}
	p2m_unlock(d);
	return done;
}

/*
 * An access to the current vCPU's virtual addresses. Not inline: its
 * callers' MMU path needs no stack frame for the request.
 */
static __attribute__((noinline)) int ga_run_va(enum ga_op op, uint64_t addr,
					       size_t len, void *buf)
{
	struct vcpu *v = current_vcpu();
	struct ga_req r = {.addr = addr,
			   .len = len,
			   .write = op != GA_READ,
			   .dst = op == GA_READ ? buf : NULL,
			   .src = op == GA_WRITE ? buf : NULL};

	if (len == 0)
		return 0;
	if (len > GUEST_COPY_MAX || !v || v->is_idle)
		return -EFAULT;
	r.v = v;
	r.d = v->domain;
	return ga_run(&r, op);
}

int copy_from_guest(void *dst, uint64_t guest_va, size_t len)
{
	if (ga_fast(GA_READ, guest_va, len, dst))
		return 0;
	return ga_run_va(GA_READ, guest_va, len, dst);
}

int copy_to_guest(uint64_t guest_va, const void *src, size_t len)
{
	if (ga_fast(GA_WRITE, guest_va, len, (void *)src))
		return 0;
	return ga_run_va(GA_WRITE, guest_va, len, (void *)src);
}

int clear_guest(uint64_t guest_va, size_t len)
{
	if (ga_fast(GA_CLEAR, guest_va, len, NULL))
		return 0;
	return ga_run_va(GA_CLEAR, guest_va, len, NULL);
}

int copy_from_guest_phys(struct domain *d, void *dst, ipaddr_t ipa, size_t len)
{
	struct ga_req r = {
		.d = d, .addr = ipa_addr(ipa), .len = len, .dst = dst};

	return ga_run(&r, GA_READ);
}

int copy_to_guest_phys(struct domain *d, ipaddr_t ipa, const void *src,
		       size_t len)
{
	struct ga_req r = {.d = d,
			   .addr = ipa_addr(ipa),
			   .len = len,
			   .write = true,
			   .src = src};

	return ga_run(&r, GA_WRITE);
}

void *guest_ram_page(struct domain *d, ipaddr_t ipa, paddr_t *pa)
{
	ipaddr_t base = ipa_init(align_down(ipa_addr(ipa), PAGE_SIZE));
	enum p2m_type t;
	paddr_t page;

	if (!p2m_lookup(d, base, &page, &t) || t != p2m_ram_rw)
		return NULL;
	if (pa)
		*pa = page;
	return arch_pa_to_va(page);
}
