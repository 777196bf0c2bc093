// SPDX-License-Identifier: MIT
/*
 * PSCI 1.1 for guests: how their kernels start and stop vCPUs and power
 * the (virtual) machine off. Same answers as Xen 4.17's vpsci.c.
 */
#include <asm/traps.h>
#include <asm/vcpu.h>
#include <orchid/domain.h>
#include <orchid/sched.h>
#include <public/sched.h>

/* PSCI 0.1 IDs, as Xen's /psci node names them (cpu_off = 1, cpu_on = 2). */
#define PSCI_0_1_CPU_OFF       1U
#define PSCI_0_1_CPU_ON	       2U
#define PSCI_VERSION_FID       0x84000000U
#define PSCI_CPU_SUSPEND32     0x84000001U
#define PSCI_CPU_SUSPEND64     0xC4000001U
#define PSCI_CPU_OFF	       0x84000002U
#define PSCI_CPU_ON32	       0x84000003U
#define PSCI_CPU_ON64	       0xC4000003U
#define PSCI_AFFINITY_INFO32   0x84000004U
#define PSCI_AFFINITY_INFO64   0xC4000004U
#define PSCI_MIGRATE_INFO_TYPE 0x84000006U
#define PSCI_SYSTEM_OFF	       0x84000008U
#define PSCI_SYSTEM_RESET      0x84000009U
#define PSCI_FEATURES	       0x8400000AU
#define SMCCC_VERSION_FID      0x80000000U

#define PSCI_SUCCESS		0
#define PSCI_NOT_SUPPORTED	-1
#define PSCI_INVALID_PARAMETERS -2
#define PSCI_DENIED		-3
#define PSCI_ALREADY_ON		-4
#define PSCI_INTERNAL_FAILURE	-6
#define PSCI_INVALID_ADDRESS	-9
#define PSCI_VERSION_1_1	0x10001

/* Aff3 and Aff2..Aff0 of an MPIDR (Xen's MPIDR_HWID_MASK). */
#define MPIDR_AFF_MASK 0xff00ffffffUL
#define AFFINITY_ON    0
#define AFFINITY_OFF   1
/* MIGRATE_INFO_TYPE: no Trusted OS that needs migrating. */
#define PSCI_TOS_NOT_PRESENT_MP 2

static int64_t psci_cpu_on(struct vcpu *caller, uint64_t mpidr, uint64_t pc,
			   uint64_t context)
{
	struct domain *d = caller->domain;
	int id = vcpu_mpidr_to_id(d, mpidr);
	struct vcpu *v;

	if (id < 0)
		return PSCI_INVALID_PARAMETERS;
	v = d->vcpus[id];
	/* Xen refuses a Thumb entry; a misaligned one cannot run either. */
	if (pc & 3)
		return PSCI_INVALID_ADDRESS;
	/*
	 * A vCPU that went down stays loaded on its last pCPU until another
	 * vCPU runs there: save it out now, or that later save (or its
	 * registers still in the hardware) would undo the reset below.
	 */
	if (v->pause_flags & VPF_DOWN)
		arch_vcpu_unload(v);
	return vcpu_start(v, pc, context) ? PSCI_ALREADY_ON : PSCI_SUCCESS;
}

/* PSCI 0.1 has neither ALREADY_ON nor INVALID_ADDRESS (Xen maps them). */
static int64_t psci_0_1_cpu_on(struct vcpu *caller, uint64_t mpidr, uint64_t pc)
{
	int64_t ret = psci_cpu_on(caller, mpidr, pc, 0);

	if (ret == PSCI_ALREADY_ON || ret == PSCI_INVALID_ADDRESS)
		return PSCI_INVALID_PARAMETERS;
	return ret;
}

/*
 * Xen 4.17's do_psci_0_2_affinity_info: levels 0 to 3 (3 is valid on
 * AArch64, and Xen's arm64 build takes it), the affinity fields below the
 * level ignored; ON if any vCPU of the domain in that
 * affinity is up, else OFF, also when no vCPU has it (seen on Xen 4.17
 * by tests/baremetal).
 */
static int64_t psci_affinity_info(struct vcpu *caller, uint64_t mpidr,
				  uint32_t level)
{
	const struct domain *d = caller->domain;
	uint64_t mask;

	if (level > 3)
		return PSCI_INVALID_PARAMETERS;
	mask = MPIDR_AFF_MASK & ~((1UL << (8 * level)) - 1);
	for (unsigned int id = 0; id < d->max_vcpus; id++) {
		const struct vcpu *v = d->vcpus[id];

		if (v && (vcpu_id_to_mpidr(id) & mask) == (mpidr & mask) &&
		    !(v->pause_flags & VPF_DOWN))
			return AFFINITY_ON;
	}
	return AFFINITY_OFF;
}

static int64_t psci_features(uint32_t fid)
{
	switch (fid) {
	case PSCI_VERSION_FID:
	case PSCI_CPU_SUSPEND32:
	case PSCI_CPU_SUSPEND64:
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON32:
	case PSCI_CPU_ON64:
	case PSCI_AFFINITY_INFO32:
	case PSCI_AFFINITY_INFO64:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
	case SMCCC_VERSION_FID: return PSCI_SUCCESS;
	default: return PSCI_NOT_SUPPORTED;
	}
}

/* 32-bit PSCI calls take their arguments in w-registers. */
static uint64_t psci_arg(const struct cpu_regs *r, unsigned int n, bool is32)
{
	return is32 ? (uint32_t)r->x[n] : r->x[n];
}

bool vpsci_handle(struct vcpu *v, uint32_t fid)
{
	struct cpu_regs *r = &v->arch.regs;
	bool is32 = !(fid & 0x40000000U);
	int64_t ret;

	switch (fid) {
	case PSCI_VERSION_FID: ret = PSCI_VERSION_1_1; break;
	case PSCI_CPU_ON32:
	case PSCI_CPU_ON64:
		ret = psci_cpu_on(v, psci_arg(r, 1, is32), psci_arg(r, 2, is32),
				  psci_arg(r, 3, is32));
		break;
	case PSCI_0_1_CPU_ON: ret = psci_0_1_cpu_on(v, r->x[1], r->x[2]); break;
	case PSCI_0_1_CPU_OFF:
	case PSCI_CPU_OFF:
		/*
		 * The result first: once VPF_DOWN is set, a CPU_ON on another
		 * pCPU may reset this vCPU, and its x0 is the context ID.
		 */
		r->x[0] = (uint64_t)PSCI_DENIED; /* seen only on a bad return */
		vcpu_pause_flag_set(v, VPF_DOWN);
		return true;
	case PSCI_CPU_SUSPEND32:
	case PSCI_CPU_SUSPEND64:
		/* A standby state: behave as WFI. */
		vcpu_block(v);
		ret = PSCI_SUCCESS;
		break;
	case PSCI_AFFINITY_INFO32:
	case PSCI_AFFINITY_INFO64:
		/* The level is 32 bits in either convention, as in Xen. */
		ret = psci_affinity_info(v, psci_arg(r, 1, is32),
					 (uint32_t)r->x[2]);
		break;
	case PSCI_MIGRATE_INFO_TYPE: ret = PSCI_TOS_NOT_PRESENT_MP; break;
	/* These do not return; should the vCPU run on, they failed (Xen). */
	case PSCI_SYSTEM_OFF:
		domain_shutdown(v->domain, SHUTDOWN_poweroff);
		ret = PSCI_INTERNAL_FAILURE;
		break;
	case PSCI_SYSTEM_RESET:
		domain_shutdown(v->domain, SHUTDOWN_reboot);
		ret = PSCI_INTERNAL_FAILURE;
		break;
	case PSCI_FEATURES: ret = psci_features((uint32_t)r->x[1]); break;
	default: return false;
	}
	r->x[0] = (uint64_t)ret;
	return true;
}
