/* SPDX-License-Identifier: MIT */
#ifndef ORCHID_DOMAIN_BUILD_H
#define ORCHID_DOMAIN_BUILD_H

struct domain;
struct dom0_dt_result;

/* Build and start Dom0 from the boot modules (no-op without a kernel). */
void dom0_build(void);
void dom0_passthrough(struct domain *d, const struct dom0_dt_result *r);

#endif
