/* SPDX-License-Identifier: MIT */
#ifndef ORCHID_VCPU_OP_H
#define ORCHID_VCPU_OP_H

struct vcpu;

/* Refresh @v's runstate area in guest memory (v must be current). */
void runstate_update_guest(struct vcpu *v);

/*
 * @v is being destroyed: drop the reference its registered vcpu_info page
 * holds (nothing writes there afterwards).
 */
void vcpu_info_release(struct vcpu *v);

#endif
