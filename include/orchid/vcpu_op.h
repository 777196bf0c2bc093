/* SPDX-License-Identifier: MIT */
#ifndef ORCHID_VCPU_OP_H
#define ORCHID_VCPU_OP_H

struct vcpu;

/* Refresh @v's runstate area in guest memory (v must be current). */
void runstate_update_guest(struct vcpu *v);

#endif
