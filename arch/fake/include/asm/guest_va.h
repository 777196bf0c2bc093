/* SPDX-License-Identifier: MIT */
/*
 * Controls of the host arch_guest_va_to_ipa (arch/fake/guest_va.c): a
 * guest virtual address is its IPA plus nothing, or plus an offset, except
 * on pages a test makes fault.
 */
#ifndef ASM_FAKE_GUEST_VA_H
#define ASM_FAKE_GUEST_VA_H

#include <orchid/types.h>

/* IPA = VA - fake_guest_va_offset. */
extern uint64_t fake_guest_va_offset;
/* Translations asked for since the last reset. */
extern unsigned int fake_guest_va_calls;
/* Translations that succeed before every further one fails; -1: no limit. */
extern int fake_guest_va_budget;

/* Forget offsets, faults and counts. */
void fake_guest_va_reset(void);
/* Make the page holding @va fault: on writes only, or on every access. */
void fake_guest_va_fault(uint64_t va, bool write_only);

#endif /* ASM_FAKE_GUEST_VA_H */
