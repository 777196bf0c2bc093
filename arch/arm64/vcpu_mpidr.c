// SPDX-License-Identifier: MIT
/*
 * vCPU id <-> MPIDR affinity, as Xen numbers them. Apart from vcpu.c,
 * which touches system registers, so that PSCI and the vGIC's routing
 * can be unit-tested on the host with the real decoding.
 */
#include <asm/vcpu.h>

uint64_t vcpu_id_to_mpidr(unsigned int vcpu_id)
{
	/* Xen: Aff0 holds 16 vCPUs (GICv3 SGI target lists), Aff1 the rest. */
	return (1UL << 31) | (vcpu_id & 0xf) | (((uint64_t)vcpu_id >> 4) << 8);
}

int vcpu_mpidr_to_id(const struct domain *d, uint64_t mpidr)
{
	uint64_t aff = mpidr & 0xff00ffffffUL;
	unsigned int id;

	if (aff & ~0xff0fUL)
		return -1;
	id = (unsigned int)((aff & 0xf) | ((aff >> 8) << 4));
	return id < d->max_vcpus && d->vcpus[id] ? (int)id : -1;
}
