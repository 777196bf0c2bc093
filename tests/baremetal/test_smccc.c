// SPDX-License-Identifier: MIT
/*
 * SMCCC and PSCI through HVC #0 (the conduit Xen's Dom0 DT names) and a
 * trapped SMC #0: versions, features, and calls with arguments out of
 * range: unknown function IDs, MPIDRs of vCPUs that do not exist,
 * affinity levels. Xen's hypervisor service is owner 5.
 */
#include "guest.h"

#define SMCCC_VERSION	     0x80000000ul
#define SMCCC_ARCH_FEATURES  0x80000001ul
#define PSCI_VERSION	     0x84000000ul
#define PSCI_CPU_ON_64	     0xc4000003ul
#define PSCI_AFFINITY_INFO64 0xc4000004ul
#define PSCI_FEATURES	     0x8400000aul
#define HYP_CALL_COUNT	     0x8500ff00ul
#define HYP_CALL_UID	     0x8500ff01ul
#define VENDOR_HYP_CALL_UID  0x8600ff01ul
#define UNKNOWN_FID	     0x8200f00dul

#define SMCCC_NOT_SUPPORTED	(-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_AFFINITY_ON	0
#define PSCI_AFFINITY_OFF	1
#define SMCCC_VERSION_1_1	0x10001
#define PSCI_VERSION_1_1	0x10001

/* Xen's UID a71812dc-...: its first four bytes, first byte lowest. */
#define XEN_SMCCC_UID0 0xdc1218a7l

/* A vCPU that exists nowhere: Aff0 200. */
#define MPIDR_ABSENT 200ul

void test_smccc(void)
{
	char detail[40];
	long uid;

	check_eq("smccc-version", smccc_hvc(SMCCC_VERSION, 0, 0, 0),
		 SMCCC_VERSION_1_1);
	check_eq("psci-version", smccc_hvc(PSCI_VERSION, 0, 0, 0),
		 PSCI_VERSION_1_1);
	check_eq("psci-version-smc", smccc_smc(PSCI_VERSION, 0, 0, 0),
		 PSCI_VERSION_1_1);
	/* Xen's own service calls are owner 5 (0x8500ffxx), not 6. */
	uid = smccc_hvc(HYP_CALL_UID, 0, 0, 0);
	snprintf(detail, sizeof(detail), "x0 %lx", (unsigned long)uid);
	check_true("hypervisor-uid", uid == XEN_SMCCC_UID0, detail);
	check_eq("hypervisor-call-count", smccc_hvc(HYP_CALL_COUNT, 0, 0, 0),
		 3);
	check_eq("vendor-hypervisor-uid-owner-6",
		 smccc_hvc(VENDOR_HYP_CALL_UID, 0, 0, 0), SMCCC_NOT_SUPPORTED);
	check_eq("unknown-function", smccc_hvc(UNKNOWN_FID, 0, 0, 0),
		 SMCCC_NOT_SUPPORTED);
	check_eq("arch-features-unknown",
		 smccc_hvc(SMCCC_ARCH_FEATURES, UNKNOWN_FID, 0, 0),
		 SMCCC_NOT_SUPPORTED);
	check_eq("psci-features-unknown",
		 smccc_hvc(PSCI_FEATURES, UNKNOWN_FID, 0, 0),
		 SMCCC_NOT_SUPPORTED);
	check_eq("psci-features-cpu_on",
		 smccc_hvc(PSCI_FEATURES, PSCI_CPU_ON_64, 0, 0), 0);
	check_eq("cpu_on-mpidr-absent",
		 smccc_hvc(PSCI_CPU_ON_64, MPIDR_ABSENT, 0, 0),
		 PSCI_INVALID_PARAMETERS);
	/* Xen: no vCPU of that affinity is on, so it is OFF. */
	check_eq("affinity_info-mpidr-absent",
		 smccc_hvc(PSCI_AFFINITY_INFO64, MPIDR_ABSENT, 0, 0),
		 PSCI_AFFINITY_OFF);
	check_eq("affinity_info-vcpu0-level-1",
		 smccc_hvc(PSCI_AFFINITY_INFO64, 0, 1, 0), PSCI_AFFINITY_ON);
	check_eq("affinity_info-vcpu1-off",
		 smccc_hvc(PSCI_AFFINITY_INFO64, 1, 0, 0), PSCI_AFFINITY_OFF);
	check_eq("affinity_info-level-huge",
		 smccc_hvc(PSCI_AFFINITY_INFO64, 0, 7, 0),
		 PSCI_INVALID_PARAMETERS);
}
