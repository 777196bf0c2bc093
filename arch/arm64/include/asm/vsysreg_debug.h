/* SPDX-License-Identifier: MIT */
/*
 * The debug and PMU system registers a guest may touch, answered as
 * Xen 4.17 answers them (arch/arm64/vsysreg_debug.c).
 */
#ifndef ASM_VSYSREG_DEBUG_H
#define ASM_VSYSREG_DEBUG_H

#include <orchid/types.h>

struct vcpu;

/* MDCR_EL2 bits that send the guest's debug register accesses to EL2. */
#define MDCR_TDA	 (1UL << 9) /* MDSCR, breakpoints, watchpoints, DCC... */
#define MDCR_TDOSA	 (1UL << 10) /* OSLAR, OSLSR, OSDLR, DBGPRCR */
#define MDCR_TDRA	 (1UL << 11) /* MDRAR */
#define MDCR_GUEST_DEBUG (MDCR_TDA | MDCR_TDOSA | MDCR_TDRA)

/*
 * A trapped MRS/MSR with ESR_EL2.ISS @iss by @v: if Xen 4.17 emulates the
 * register (read as zero / writes ignored, or a fixed value), put what a
 * read returns in @val and return true. Anything else, including a read of
 * a write-only register, a write of a read-only one and an EL0 access to
 * an EL1 register, returns false: the access is UNDEFINED for the guest.
 */
bool vsysreg_debug_emulate(const struct vcpu *v, uint32_t iss, uint64_t *val);

#endif /* ASM_VSYSREG_DEBUG_H */
