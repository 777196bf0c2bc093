/* SPDX-License-Identifier: MIT */
#ifndef ASM_SMP_BOOT_H
#define ASM_SMP_BOOT_H

#include <orchid/bootinfo.h>

/* Number the CPUs: the boot CPU is 0, then device-tree order. */
void smp_init_cpu_map(const struct bootinfo *bi);
void smp_boot_secondaries(void);
void secondary_start(unsigned int cpu) __noreturn;

#endif
