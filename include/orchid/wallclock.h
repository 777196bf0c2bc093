/* SPDX-License-Identifier: MIT */
#ifndef ORCHID_WALLCLOCK_H
#define ORCHID_WALLCLOCK_H

struct domain;

/* Write the current wall clock into @d's shared_info. */
void wallclock_update_domain(struct domain *d);

#endif
