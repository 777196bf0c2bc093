/* SPDX-License-Identifier: MIT */
/*
 * Stage 2 on the hardware: what CPU bring-up and vCPU switching need
 * beyond <orchid/p2m.h>.
 */
#ifndef ASM_P2M_H
#define ASM_P2M_H

struct domain;

/*
 * Program this CPU for stage 2: VTCR_EL2 (the same for every domain) and a
 * clean guest TLB. Every CPU calls it once at boot, the boot CPU first and
 * before the secondaries start: its call picks the IPA size from its
 * ID_AA64MMFR0_EL1.PARange; a later CPU that can not address that much
 * panics. Before any p2m_init.
 */
void p2m_init_cpu(void);

/*
 * Make @d's stage 2 the one this CPU translates with (VTTBR_EL2, and
 * VTCR_EL2 again): on every switch to a vCPU of @d, before it runs.
 */
void p2m_load(struct domain *d);

#endif /* ASM_P2M_H */
