/* SPDX-License-Identifier: MIT */
#ifndef ASM_CPU_H
#define ASM_CPU_H

void cpu_init_this(unsigned int id);
/* Install the SGI that parks CPUs when the system halts. */
void cpu_stop_init(void);

#endif
