/* SPDX-License-Identifier: MIT */
/* Dom0's construction (domain_build.c), called by setup.c. */
#ifndef ASM_DOMAIN_BUILD_H
#define ASM_DOMAIN_BUILD_H

struct domain;
struct dom0_dt_result;

/* Build and start Dom0 from the boot modules (no-op without a kernel). */
void dom0_build(void);
void dom0_passthrough(struct domain *d, const struct dom0_dt_result *r);

#endif
