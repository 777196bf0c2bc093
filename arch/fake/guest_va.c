// SPDX-License-Identifier: MIT
/*
 * The host stand-in for arch/arm64/guest_va.c. It keeps the hardware
 * version's rule (only the current, non-idle vCPU's addresses translate)
 * and replaces the MMU walk with an offset and a list of faulting pages.
 */
#include <asm/guest_va.h>
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/guest_access.h>
#include <orchid/p2m.h>

#define FAKE_FAULTS_MAX 8

struct fake_fault {
	uint64_t page;
	bool write_only;
};

uint64_t fake_guest_va_offset;
unsigned int fake_guest_va_calls;
int fake_guest_va_budget = -1;

static struct fake_fault faults[FAKE_FAULTS_MAX];
static unsigned int nr_faults;

void fake_guest_va_reset(void)
{
	fake_guest_va_offset = 0;
	fake_guest_va_calls = 0;
	fake_guest_va_budget = -1;
	nr_faults = 0;
}

void fake_guest_va_fault(uint64_t va, bool write_only)
{
	if (nr_faults == FAKE_FAULTS_MAX)
		return;
	faults[nr_faults].page = va & PAGE_MASK;
	faults[nr_faults].write_only = write_only;
	nr_faults++;
}

static bool fake_faults(uint64_t va, bool write)
{
	for (unsigned int i = 0; i < nr_faults; i++) {
		if (faults[i].page == (va & PAGE_MASK) &&
		    (write || !faults[i].write_only))
			return true;
	}
	return false;
}

int arch_guest_va_to_ipa(struct vcpu *v, uint64_t va, bool write, ipaddr_t *ipa)
{
	fake_guest_va_calls++;
	if (v != current_vcpu() || v->is_idle)
		return -EFAULT;
	if (fake_guest_va_budget == 0 || fake_faults(va, write))
		return -EFAULT;
	if (fake_guest_va_budget > 0)
		fake_guest_va_budget--;
	*ipa = ipa_init(va - fake_guest_va_offset);
	return 0;
}

/* Stage 2 as the MMU's AT S12E1* sees it: RAM the guest may access so. */
int arch_guest_va_to_pa(struct vcpu *v, uint64_t va, bool write, ipaddr_t *ipa,
			paddr_t *pa)
{
	enum p2m_type t;
	bool ok;

	if (arch_guest_va_to_ipa(v, va, write, ipa))
		return -EFAULT;
	p2m_lock(v->domain);
	ok = p2m_lookup_locked(v->domain, *ipa, pa, &t) &&
	     (t == p2m_ram_rw || (!write && t == p2m_ram_ro));
	p2m_unlock(v->domain);
	return ok ? 0 : -EFAULT;
}

/*
 * The MMU's AT S12E1* under the caller's p2m lock: any mapping the guest
 * may read (RAM, grant, foreign, device, Orchid's pages), and for a write
 * one stage 2 lets it write. What the page is, is the caller's to check.
 */
int arch_guest_va_to_pa_locked(uint64_t va, bool write, paddr_t *pa)
{
	struct vcpu *v = current_vcpu();
	enum p2m_type t;
	ipaddr_t ipa;

	/* The caller checked; a translation of no guest would be a bug. */
	if (!v || v->is_idle)
		return -EFAULT;
	if (arch_guest_va_to_ipa(v, va, write, &ipa))
		return -EFAULT;
	if (!p2m_lookup_locked(v->domain, ipa, pa, &t))
		return -EFAULT;
	if (write && t != p2m_mmio_direct_dev && t != p2m_mmio_direct_c &&
	    !p2m_is_writable(t))
		return -EFAULT;
	return 0;
}
