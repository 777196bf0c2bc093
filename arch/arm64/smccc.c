// SPDX-License-Identifier: MIT
/*
 * SMC Calling Convention services for guests (HVC #0, or a trapped SMC):
 * the Arm architecture calls, Xen's hypervisor-service UID, and PSCI.
 * Anything else answers NOT_SUPPORTED, as Xen does.
 */
#include <asm/traps.h>
#include <orchid/domain.h>

#define SMCCC_VERSION_FID	    0x80000000U
#define SMCCC_ARCH_FEATURES_FID	    0x80000001U
#define SMCCC_ARCH_WORKAROUND_1_FID 0x80008000U
#define SMCCC_ARCH_WORKAROUND_2_FID 0x80007fffU
#define SMCCC_ARCH_WORKAROUND_3_FID 0x80003fffU
/*
 * Xen's hypervisor service calls are owner 5 (its ARM_SMCCC_OWNER_HYPERVISOR),
 * fast, SMC32: 0x8500ffxx. Owner 6 (vendor hypervisor) is not Xen's: seen
 * on Xen 4.17 by tests/baremetal, which answers 0x8600ff01 NOT_SUPPORTED.
 */
#define SMCCC_HYP_CALL_COUNT_FID 0x8500ff00U
#define SMCCC_HYP_CALL_UID_FID	 0x8500ff01U
#define SMCCC_HYP_REVISION_FID	 0x8500ff03U

#define SMCCC_VERSION_1_1   0x10001U
#define SMCCC_NOT_SUPPORTED ((uint64_t)-1)

/* Xen's hypervisor service UUID a71812dc-c698-4369-9acf-79d18ddee667. */
static const uint8_t xen_smccc_uid[16] = {
	0xa7, 0x18, 0x12, 0xdc, 0xc6, 0x98, 0x43, 0x69,
	0x9a, 0xcf, 0x79, 0xd1, 0x8d, 0xde, 0xe6, 0x67,
};
#define XEN_SMCCC_FUNCTION_COUNT 3

/* Four bytes a register, first byte in the low bits (ARM DEN 0028B). */
static void smccc_return_uid(struct cpu_regs *r, const uint8_t *uid)
{
	for (unsigned int n = 0; n < 4; n++) {
		const uint8_t *b = uid + 4 * n;

		r->x[n] = (uint32_t)b[0] | ((uint32_t)b[1] << 8) |
			  ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24);
	}
}

static bool smccc_arch(struct cpu_regs *r, uint32_t fid)
{
	switch (fid) {
	case SMCCC_VERSION_FID: r->x[0] = SMCCC_VERSION_1_1; return true;
	case SMCCC_ARCH_FEATURES_FID:
		/* No firmware mitigations are offered; guests use their own. */
		r->x[0] = SMCCC_NOT_SUPPORTED;
		return true;
	default: return false;
	}
}

static bool smccc_hypervisor(struct cpu_regs *r, uint32_t fid)
{
	switch (fid) {
	case SMCCC_HYP_CALL_COUNT_FID:
		r->x[0] = XEN_SMCCC_FUNCTION_COUNT;
		return true;
	case SMCCC_HYP_CALL_UID_FID:
		smccc_return_uid(r, xen_smccc_uid);
		return true;
	case SMCCC_HYP_REVISION_FID:
		r->x[0] = 0;
		r->x[1] = 1;
		return true;
	default: return false;
	}
}

void smccc_handle(struct vcpu *v)
{
	struct cpu_regs *r = &v->arch.regs;
	uint32_t fid = (uint32_t)r->x[0];

	if (smccc_arch(r, fid) || smccc_hypervisor(r, fid) ||
	    vpsci_handle(v, fid))
		return;
	r->x[0] = SMCCC_NOT_SUPPORTED;
}
