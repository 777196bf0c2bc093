/* SPDX-License-Identifier: MIT */
/* The PSCI firmware interface Orchid itself uses (SMC or HVC, per DTB). */
#ifndef ASM_PSCI_H
#define ASM_PSCI_H

#include <orchid/bootinfo.h>

#define PSCI_0_2_FN_VERSION	 0x84000000U
#define PSCI_0_2_FN_CPU_OFF	 0x84000002U
#define PSCI_0_2_FN64_CPU_ON	 0xC4000003U
#define PSCI_0_2_FN_SYSTEM_OFF	 0x84000008U
#define PSCI_0_2_FN_SYSTEM_RESET 0x84000009U

#define PSCI_SUCCESS		0
#define PSCI_NOT_SUPPORTED	-1
#define PSCI_INVALID_PARAMETERS -2
#define PSCI_DENIED		-3
#define PSCI_ALREADY_ON		-4

void psci_init(const struct bootinfo *bi);
/* 0 when the DTB named no PSCI; else major << 16 | minor. */
uint32_t psci_version(void);
int psci_cpu_on(uint64_t mpidr, paddr_t entry, uint64_t context);
void psci_system_off(void) __noreturn;
void psci_system_reset(void) __noreturn;

#endif /* ASM_PSCI_H */
