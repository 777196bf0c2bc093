// SPDX-License-Identifier: MIT
/*
 * Stage 2 on arm64: each domain's IPA -> PA tables, built by the generic
 * engine (common/mm/pagetable.c) in the format of p2m_pte.c and tagged with an
 * 8-bit VMID, so that no domain switch needs a TLB flush. Its tables but
 * the root come from the domain's table pool (d->paging_pool), so a guest
 * runs out of its own pool (-ENOMEM), never out of the host's memory.
 *
 * TLB maintenance. TLBI instructions act on the VMID in this CPU's
 * VTTBR_EL2, and a domain's tables change while any vCPU (of it or not)
 * is loaded here. So p2m_flush loads the domain's VTTBR_EL2 with
 * interrupts masked, invalidates, and puts the previous value back, as Xen
 * does (p2m_force_tlb_flush_sync); the Inner Shareable forms reach every
 * CPU. A few pages go one by one with TLBI IPAS2E1IS, which drops stage-2
 * entries and walk-cache entries for each IPA; the TLB may also hold
 * combined stage-1+2 entries, tagged by VA and not findable by IPA, so a
 * TLBI VMALLE1IS follows (as KVM does). A larger range, such as a block
 * being split, drops the whole VMID with TLBI VMALLS12E1IS.
 */
#include <asm/p2m.h>
#include <asm/sysreg.h>
#include <orchid/arch.h>
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/list.h>
#include <orchid/p2m.h>
#include <orchid/pagetable.h>
#include <orchid/panic.h>
#include <orchid/printk.h>
#include <orchid/spinlock.h>

#include "p2m_pte.h"

#define ID_AA64MMFR0_PARANGE_MASK 0xfUL
#define VTTBR_VMID_SHIFT	  48
#define VMID_COUNT		  256 /* VTCR_EL2.VS = 0: 8-bit VMIDs */

/* Ranges up to this many pages are invalidated page by page. */
#define P2M_FLUSH_PAGES_MAX 32

/* What the boot CPU chose in p2m_init_cpu; read-only afterwards. */
static struct {
	unsigned int ipa_bits;
	unsigned int pa_bits;
	uint64_t vtcr;
	struct pt_desc desc;
} p2m_cfg;

/* VMIDs in use; VMID 0 is never given out (a p2m without one has 0). */
static uint64_t vmid_map[VMID_COUNT / 64] = {1};
static spinlock_t vmid_lock = SPINLOCK_INIT;

/* ---- TLB maintenance ----------------------------------------------------- */

#ifdef HOST_TEST
/* Host unit tests log TLB maintenance (tests/unit/fake_sysreg.c). */
#define tlbi_ipas2e1is(ipa) fake_tlbi("ipas2e1is", (ipa) >> PAGE_SHIFT)
#define tlbi_vmalle1is()    fake_tlbi("vmalle1is", 0)
#define tlbi_vmalls12e1is() fake_tlbi("vmalls12e1is", 0)
#define tlbi_alle1()	    fake_tlbi("alle1", 0)
#else
static inline void tlbi_ipas2e1is(uint64_t ipa)
{
	__asm__ volatile("tlbi ipas2e1is, %0"
			 :
			 : "r"(ipa >> PAGE_SHIFT)
			 : "memory");
}

static inline void tlbi_vmalle1is(void)
{
	__asm__ volatile("tlbi vmalle1is" : : : "memory");
}

static inline void tlbi_vmalls12e1is(void)
{
	__asm__ volatile("tlbi vmalls12e1is" : : : "memory");
}

static inline void tlbi_alle1(void)
{
	__asm__ volatile("tlbi alle1" : : : "memory");
}
#endif

/* Invalidate [ipa, ipa + size) of the VMID in VTTBR_EL2, every CPU. */
static void p2m_tlbi_range(uint64_t ipa, uint64_t size)
{
	/* The stores that broke the entries reach memory first. */
	dsb_ishst();
	if (size > P2M_FLUSH_PAGES_MAX * PAGE_SIZE) {
		tlbi_vmalls12e1is();
	} else {
		for (uint64_t off = 0; off < size; off += PAGE_SIZE)
			tlbi_ipas2e1is(ipa + off);
		dsb_ish();
		tlbi_vmalle1is();
	}
	dsb_ish();
	isb();
}

/*
 * Invalidate @p2m's translations of [ipa, ipa + size). Its VTTBR_EL2 is
 * loaded around the TLBIs, interrupts masked so that nothing else runs
 * with the borrowed VMID.
 */
static void p2m_flush(const struct p2m *p2m, uint64_t ipa, uint64_t size)
{
	unsigned long flags = arch_irq_save();
	uint64_t old = READ_SYSREG(vttbr_el2);

	if (old != p2m->vttbr) {
		WRITE_SYSREG(vttbr_el2, p2m->vttbr);
		isb();
	}
	p2m_tlbi_range(ipa, size);
	if (old != p2m->vttbr) {
		WRITE_SYSREG(vttbr_el2, old);
		isb();
	}
	arch_irq_restore(flags);
}

static void p2m_flush_all(const struct p2m *p2m)
{
	p2m_flush(p2m, 0, UINT64_MAX);
}

static void p2m_pt_publish(const struct pt *pt)
{
	dsb_ishst();
}

static void p2m_pt_flush(const struct pt *pt, uint64_t ipa, uint64_t size)
{
	p2m_flush(container_of(pt, struct p2m, pt), ipa, size);
}

static const struct pt_hooks p2m_pt_hooks = {
	.publish = p2m_pt_publish,
	.tlb_flush = p2m_pt_flush,
};

/* ---- VMIDs --------------------------------------------------------------- */

/* A free VMID, or 0 when all 255 are taken. */
static uint16_t vmid_alloc(void)
{
	uint16_t vmid = 0;

	spin_lock(&vmid_lock);
	for (unsigned int v = 1; v < VMID_COUNT; v++) {
		uint64_t bit = 1UL << (v % 64);

		if (!(vmid_map[v / 64] & bit)) {
			vmid_map[v / 64] |= bit;
			vmid = (uint16_t)v;
			break;
		}
	}
	spin_unlock(&vmid_lock);
	return vmid;
}

static void vmid_free(uint16_t vmid)
{
	spin_lock(&vmid_lock);
	BUG_ON(vmid == 0 || !(vmid_map[vmid / 64] & (1UL << (vmid % 64))));
	vmid_map[vmid / 64] &= ~(1UL << (vmid % 64));
	spin_unlock(&vmid_lock);
}

/* ---- per CPU ------------------------------------------------------------- */

/* Boot CPU: the IPA size and the VTCR_EL2 every CPU will use. */
static void p2m_setup(unsigned int parange)
{
	unsigned int bits = p2m_choose_ipa_bits(parange);

	if (!p2m_pte_desc(bits, &p2m_cfg.desc))
		panic("P2M: no stage-2 layout for %u-bit IPAs", bits);
	p2m_cfg.vtcr = p2m_vtcr(bits, parange);
	p2m_cfg.pa_bits = p2m_parange_bits(parange);
	p2m_cfg.ipa_bits = bits;
	printk("P2M: %u-bit IPA, %u-bit PA, root at level %u (%u page%s), "
	       "8-bit VMIDs\n",
	       bits, p2m_cfg.pa_bits, p2m_cfg.desc.first_level,
	       p2m_cfg.desc.root_pages, p2m_cfg.desc.root_pages > 1 ? "s" : "");
}

void p2m_init_cpu(void)
{
	unsigned int parange =
		READ_SYSREG(id_aa64mmfr0_el1) & ID_AA64MMFR0_PARANGE_MASK;

	if (!p2m_cfg.ipa_bits)
		p2m_setup(parange);
	else if (p2m_parange_bits(parange) < p2m_cfg.ipa_bits)
		panic("CPU%u: %u-bit physical addresses, stage 2 uses %u-bit "
		      "IPAs",
		      arch_cpu_id(), p2m_parange_bits(parange),
		      p2m_cfg.ipa_bits);
	WRITE_SYSREG(vtcr_el2, p2m_cfg.vtcr);
	WRITE_SYSREG(vttbr_el2, 0);
	isb();
	/* Whatever ran before Orchid may have left guest entries behind. */
	dsb_ishst();
	tlbi_alle1();
	dsb_ish();
	isb();
}

void p2m_load(struct domain *d)
{
	WRITE_SYSREG(vtcr_el2, p2m_cfg.vtcr);
	WRITE_SYSREG(vttbr_el2, d->arch.p2m.vttbr);
	isb();
}

/* ---- domains ------------------------------------------------------------- */

int p2m_init(struct domain *d)
{
	struct p2m *p2m = &d->arch.p2m;
	int ret;

	BUG_ON(!p2m_cfg.ipa_bits); /* p2m_init_cpu has not run */
	spin_lock_init(&p2m->lock);
	p2m->vmid = vmid_alloc();
	if (!p2m->vmid) {
		pr_err("P2M: d%u: no free VMID\n", d->domain_id);
		return -EBUSY;
	}
	ret = pt_init(&p2m->pt, &p2m_cfg.desc, &p2m_pt_hooks, &d->paging_pool);
	if (ret) {
		vmid_free(p2m->vmid);
		p2m->vmid = 0;
		return ret;
	}
	p2m->vttbr = pa_addr(p2m->pt.root_pa) |
		     ((uint64_t)p2m->vmid << VTTBR_VMID_SHIFT);
	/*
	 * p2m_destroy flushed this VMID when its last owner let it go; flush
	 * again in case a CPU still held that owner's VTTBR_EL2 meanwhile.
	 */
	p2m_flush_all(p2m);
	return 0;
}

/*
 * No CPU may still translate with @d's stage 2: each CPU that had one of
 * its vCPUs loaded has switched to another VTTBR_EL2 since.
 */
void p2m_destroy(struct domain *d)
{
	struct p2m *p2m = &d->arch.p2m;

	if (!p2m->vmid)
		return;
	spin_lock(&p2m->lock);
	pt_destroy(&p2m->pt);
	p2m_flush_all(p2m);
	spin_unlock(&p2m->lock);
	vmid_free(p2m->vmid);
	p2m->vmid = 0;
	p2m->vttbr = 0;
}

/* @nr pages at @pa: a byte count that fits, within the CPU's PA space. */
static bool p2m_range_ok(paddr_t pa, uint64_t nr, uint64_t *size)
{
	uint64_t pa_limit = 1ULL << p2m_cfg.pa_bits;

	if (nr >= 1ULL << (64 - PAGE_SHIFT))
		return false;
	*size = nr << PAGE_SHIFT;
	return pa_addr(pa) <= pa_limit && *size <= pa_limit - pa_addr(pa);
}

int p2m_map(struct domain *d, ipaddr_t ipa, paddr_t pa, uint64_t nr,
	    enum p2m_type type)
{
	struct p2m *p2m = &d->arch.p2m;
	uint64_t attrs = p2m_pte_attrs(type);
	uint64_t size;
	int ret;

	if (!attrs || !p2m_range_ok(pa, nr, &size))
		return -EINVAL;
	spin_lock(&p2m->lock);
	ret = pt_map(&p2m->pt, ipa_addr(ipa), pa, size, attrs);
	spin_unlock(&p2m->lock);
	return ret;
}

int p2m_unmap(struct domain *d, ipaddr_t ipa, uint64_t nr)
{
	struct p2m *p2m = &d->arch.p2m;
	int ret;

	if (nr >= 1ULL << (64 - PAGE_SHIFT))
		return -EINVAL;
	spin_lock(&p2m->lock);
	ret = pt_unmap(&p2m->pt, ipa_addr(ipa), nr << PAGE_SHIFT);
	spin_unlock(&p2m->lock);
	return ret;
}

void p2m_lock(struct domain *d)
{
	spin_lock(&d->arch.p2m.lock);
}

void p2m_unlock(struct domain *d)
{
	spin_unlock(&d->arch.p2m.lock);
}

bool p2m_lookup_locked(struct domain *d, ipaddr_t ipa, paddr_t *pa,
		       enum p2m_type *type)
{
	struct pt_entry e;

	if (!d->arch.p2m.vmid)
		return false; /* no stage 2 (the idle domain) */
	if (!pt_lookup(&d->arch.p2m.pt, ipa_addr(ipa), &e))
		return false;
	if (pa)
		*pa = e.pa;
	if (type)
		*type = p2m_pte_type(e.pte);
	return true;
}

bool p2m_lookup(struct domain *d, ipaddr_t ipa, paddr_t *pa,
		enum p2m_type *type)
{
	bool found;

	p2m_lock(d);
	found = p2m_lookup_locked(d, ipa, pa, type);
	p2m_unlock(d);
	return found;
}

unsigned int p2m_ipa_bits(void)
{
	return p2m_cfg.ipa_bits;
}
