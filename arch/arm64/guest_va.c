// SPDX-License-Identifier: MIT
/*
 * A guest virtual address to an IPA, by asking the MMU. While Orchid
 * handles a trap of the current vCPU, that vCPU's EL1 translation state
 * (SCTLR/TCR/TTBRx/MAIR_EL1) and its domain's stage 2 (VTTBR_EL2) are live
 * on this CPU, so AT S1E1R/S1E1W walks exactly the guest's stage 1, its
 * own stage-2 accesses for the table walk included, and checks EL1's read
 * or write permission. A fault in either stage comes back in PAR_EL1, not
 * as an exception, because the instruction runs at EL2.
 */
#include <asm/spinlock.h>
#include <asm/sysreg.h>
#include <orchid/arch.h>
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/guest_access.h>

#define SCTLR_EL1_M (1UL << 0)		 /* stage-1 MMU on */
#define PAR_F	    (1UL << 0)		 /* the translation failed */
#define PAR_PA_MASK 0x000ffffffffff000UL /* PA[51:12] (an IPA here) */

/*
 * AT and its PAR_EL1 read run with interrupts off (arch_spin_irq_save,
 * inline: bench-micro's evtchn-send-upcall row, whose argument comes
 * through arch_guest_va_to_pa_locked): nothing may translate in between.
 * PAR_EL1 holds the result only after a context event, hence the ISB.
 */
static inline uint64_t at_s1e1_par(uint64_t va, bool write)
{
	if (write)
		__asm__ volatile("at s1e1w, %0" : : "r"(va) : "memory");
	else
		__asm__ volatile("at s1e1r, %0" : : "r"(va) : "memory");
	isb();
	return READ_SYSREG(par_el1);
}

static inline uint64_t at_s12e1_par(uint64_t va, bool write)
{
	if (write)
		__asm__ volatile("at s12e1w, %0" : : "r"(va) : "memory");
	else
		__asm__ volatile("at s12e1r, %0" : : "r"(va) : "memory");
	isb();
	return READ_SYSREG(par_el1);
}

/* PAR_EL1 after a stage-1 EL1 translation of @va. */
static uint64_t at_s1e1(uint64_t va, bool write)
{
	unsigned long flags = arch_spin_irq_save();
	/* PAR_EL1 belongs to the guest: it gets its value back. */
	uint64_t saved = READ_SYSREG(par_el1);
	uint64_t par = at_s1e1_par(va, write);

	WRITE_SYSREG(par_el1, saved);
	arch_spin_irq_restore(flags);
	return par;
}

/*
 * One AT S1E1* (the IPA, when stage 1 is on) and one AT S12E1* (the
 * machine address) under one save of PAR_EL1: the hardware walks stage 2
 * instead of Orchid's p2m lookup (bench-micro's grant rows hold the
 * page of their argument array this way once a call, ~150 fewer).
 */
int arch_guest_va_to_pa(struct vcpu *v, uint64_t va, bool write, ipaddr_t *ipa,
			paddr_t *pa)
{
	bool s1 = READ_SYSREG(sctlr_el1) & SCTLR_EL1_M;
	uint64_t par1 = va & PAGE_MASK, par12, saved;
	unsigned long flags;

	if (v != current_vcpu() || v->is_idle)
		return -EFAULT;
	flags = arch_spin_irq_save();
	saved = READ_SYSREG(par_el1); /* the guest's: it gets it back */
	if (s1)
		par1 = at_s1e1_par(va, write);
	par12 = at_s12e1_par(va, write);
	WRITE_SYSREG(par_el1, saved);
	arch_spin_irq_restore(flags);
	if ((par1 | par12) & PAR_F)
		return -EFAULT;
	*ipa = ipa_init((par1 & PAR_PA_MASK) | (va & ~PAGE_MASK));
	*pa = pa_init((par12 & PAR_PA_MASK) | (va & ~PAGE_MASK));
	return 0;
}

/*
 * One AT S12E1* alone: it walks stage 1 (or takes the address as the IPA
 * when stage 1 is off, as the MMU does) and stage 2, and checks both
 * stages' permissions; no IPA is needed. The caller holds the domain's
 * p2m lock, so no stage-2 change (each flushes the TLB before the lock
 * goes) makes the answer stale before it is used.
 */
int arch_guest_va_to_pa_locked(uint64_t va, bool write, paddr_t *pa)
{
	uint64_t par, saved;
	unsigned long flags;

	flags = arch_spin_irq_save();
	saved = READ_SYSREG(par_el1); /* the guest's: it gets it back */
	par = at_s12e1_par(va, write);
	WRITE_SYSREG(par_el1, saved);
	arch_spin_irq_restore(flags);
	if (par & PAR_F)
		return -EFAULT;
	*pa = pa_init((par & PAR_PA_MASK) | (va & ~PAGE_MASK));
	return 0;
}

int arch_guest_va_to_ipa(struct vcpu *v, uint64_t va, bool write, ipaddr_t *ipa)
{
	uint64_t par;

	/* Only the current vCPU's translation state is in the hardware. */
	if (v != current_vcpu() || v->is_idle)
		return -EFAULT;
	/* Stage 1 off: the guest's virtual addresses are its IPAs. */
	if (!(READ_SYSREG(sctlr_el1) & SCTLR_EL1_M)) {
		*ipa = ipa_init(va);
		return 0;
	}
	par = at_s1e1(va, write);
	if (par & PAR_F)
		return -EFAULT;
	*ipa = ipa_init((par & PAR_PA_MASK) | (va & ~PAGE_MASK));
	return 0;
}
