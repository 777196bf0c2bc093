/* SPDX-License-Identifier: MIT */
#ifndef ORCHID_SETUP_H
#define ORCHID_SETUP_H

#include <orchid/bootinfo.h>
#include <orchid/cmdline.h>

/* What the boot CPU learnt at boot, for the rest of the hypervisor. */
extern struct bootinfo bootinfo;
extern struct boot_options boot_options;

void start_orchid(uint64_t dtb_pa) __noreturn;
/* The validated boot device tree (stays mapped read-only). */
const struct fdt *boot_fdt(void);
/* Per-pCPU setup for running guests (arch). */
void guest_support_init_cpu(unsigned int cpu);

#endif
