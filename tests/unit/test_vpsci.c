/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of arch/arm64/vpsci.c with the real MPIDR decoding
 * (arch/arm64/vcpu_mpidr.c): what a guest's PSCI calls return in x0 and
 * what they do to its vCPUs and its domain, as Xen 4.17's vpsci.c answers,
 * hostile arguments included.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <asm/traps.h>
#include <asm/vcpu.h>
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/sched.h>
#include <public/sched.h>

#define PSCI_VERSION_FID       0x84000000U
#define PSCI_CPU_SUSPEND32     0x84000001U
#define PSCI_CPU_SUSPEND64     0xC4000001U
#define PSCI_CPU_OFF	       0x84000002U
#define PSCI_CPU_ON32	       0x84000003U
#define PSCI_CPU_ON64	       0xC4000003U
#define PSCI_AFFINITY_INFO32   0x84000004U
#define PSCI_AFFINITY_INFO64   0xC4000004U
#define PSCI_MIGRATE	       0x84000005U
#define PSCI_MIGRATE_INFO_TYPE 0x84000006U
#define PSCI_SYSTEM_OFF	       0x84000008U
#define PSCI_SYSTEM_RESET      0x84000009U
#define PSCI_FEATURES	       0x8400000AU
#define PSCI_SYSTEM_SUSPEND64  0xC400000EU
#define SMCCC_VERSION_FID      0x80000000U
#define PSCI_0_1_CPU_OFF       1U
#define PSCI_0_1_CPU_ON	       2U

/* Return values, as the guest reads them from x0 (PSCI 1.1, DEN0022). */
#define SUCCESS		   0ULL
#define NOT_SUPPORTED	   ((uint64_t)-1)
#define INVALID_PARAMETERS ((uint64_t)-2)
#define ALREADY_ON	   ((uint64_t)-4)
#define INTERNAL_FAILURE   ((uint64_t)-6)
#define INVALID_ADDRESS	   ((uint64_t)-9)
#define AFF_ON		   0ULL
#define AFF_OFF		   1ULL

/* 20 vCPU slots: 16 in Aff0 0-15, then Aff1 = 1; slot 18 is empty. */
#define NR_SLOTS   20
#define EMPTY_SLOT 18

/* ---- fakes ------------------------------------------------------------- */

static unsigned int blocks, shutdowns, shutdown_reason;
static struct vcpu *unloaded; /* the last vCPU arch_vcpu_unload saved */
static uint64_t x0_when_down; /* x0 of the last vCPU to go down, then */

void vcpu_pause_flag_set(struct vcpu *v, unsigned int flag)
{
	if (flag & VPF_DOWN)
		x0_when_down = v->arch.regs.x[0];
	v->pause_flags |= flag;
}

void arch_vcpu_unload(struct vcpu *v)
{
	unloaded = v;
}

void vcpu_pause_flag_clear(struct vcpu *v, unsigned int flag)
{
	v->pause_flags &= ~flag;
}

void vcpu_block(struct vcpu *v)
{
	blocks++;
	v->pause_flags |= VPF_BLOCKED;
}

/* common/domain.c's contract: start a down vCPU, -EBUSY if it is not. */
int vcpu_start(struct vcpu *v, uint64_t pc, uint64_t x0)
{
	if (!(v->pause_flags & VPF_DOWN))
		return -EBUSY;
	memset(&v->arch.regs, 0, sizeof(v->arch.regs));
	v->arch.regs.pc = pc;
	v->arch.regs.x[0] = x0;
	v->is_initialised = true;
	v->pause_flags &= ~VPF_DOWN;
	return 0;
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
	shutdowns++;
	shutdown_reason = reason;
}

/* ---- the guest ------------------------------------------------------------ */

static struct domain dom;
static struct vcpu vc[NR_SLOTS];
static struct vcpu *vcpus[NR_SLOTS];

static int setup(void **state)
{
	memset(&dom, 0, sizeof(dom));
	memset(vc, 0, sizeof(vc));
	blocks = shutdowns = shutdown_reason = 0;
	unloaded = NULL;
	x0_when_down = 0;
	dom.domain_id = 1;
	dom.max_vcpus = NR_SLOTS;
	dom.vcpus = vcpus;
	for (unsigned int i = 0; i < NR_SLOTS; i++) {
		vc[i].vcpu_id = i;
		vc[i].domain = &dom;
		vc[i].pause_flags = VPF_DOWN;
		vc[i].arch.vmpidr = vcpu_id_to_mpidr(i);
		vcpus[i] = i == EMPTY_SLOT ? NULL : &vc[i];
	}
	vc[0].pause_flags = 0; /* the boot vCPU runs */
	return 0;
}

/* vCPU @v issues HVC #0 with function @fid and arguments x1-x3. */
static uint64_t call(struct vcpu *v, uint32_t fid, uint64_t x1, uint64_t x2,
		     uint64_t x3)
{
	v->arch.regs.x[0] = fid;
	v->arch.regs.x[1] = x1;
	v->arch.regs.x[2] = x2;
	v->arch.regs.x[3] = x3;
	assert_true(vpsci_handle(v, fid));
	return v->arch.regs.x[0];
}

static uint64_t mpidr(unsigned int id)
{
	return vcpu_id_to_mpidr(id);
}

/* ---- VERSION, FEATURES, MIGRATE_INFO_TYPE ------------------------------- */

static void test_version(void **state)
{
	assert_int_equal(call(&vc[0], PSCI_VERSION_FID, 0, 0, 0), 0x10001);
}

static void test_features(void **state)
{
	static const uint32_t supported[] = {
		PSCI_VERSION_FID,	PSCI_CPU_SUSPEND32,
		PSCI_CPU_SUSPEND64,	PSCI_CPU_OFF,
		PSCI_CPU_ON32,		PSCI_CPU_ON64,
		PSCI_AFFINITY_INFO32,	PSCI_AFFINITY_INFO64,
		PSCI_MIGRATE_INFO_TYPE, PSCI_SYSTEM_OFF,
		PSCI_SYSTEM_RESET,	PSCI_FEATURES,
		SMCCC_VERSION_FID,
	};
	static const uint32_t unsupported[] = {
		PSCI_MIGRATE,
		PSCI_SYSTEM_SUSPEND64,
		0x8400000BU,
		0x84000012U,
		PSCI_0_1_CPU_ON,
		PSCI_0_1_CPU_OFF,
		0,
		0xffffffffU,
		0x80008000U, /* SMCCC_ARCH_WORKAROUND_1: answered by smccc.c */
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(supported); i++)
		assert_int_equal(
			call(&vc[0], PSCI_FEATURES, supported[i], 0, 0),
			SUCCESS);
	for (unsigned int i = 0; i < ARRAY_SIZE(unsupported); i++)
		assert_int_equal(
			call(&vc[0], PSCI_FEATURES, unsupported[i], 0, 0),
			NOT_SUPPORTED);
	/* The function ID is 32 bits: the upper half of x1 is not looked at. */
	assert_int_equal(call(&vc[0], PSCI_FEATURES,
			      0xdead0000ULL << 32 | PSCI_CPU_ON64, 0, 0),
			 SUCCESS);
}

static void test_migrate_info_type(void **state)
{
	/* No Trusted OS that would need migrating. */
	assert_int_equal(call(&vc[0], PSCI_MIGRATE_INFO_TYPE, 0, 0, 0), 2);
}

static void test_not_psci(void **state)
{
	static const uint32_t fids[] = {
		PSCI_MIGRATE, PSCI_SYSTEM_SUSPEND64, 0x8400000BU, 0xC4000012U,
		0x84000020U,  0x82000000U,	     3U,	  0x80000001U,
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(fids); i++) {
		vc[0].arch.regs.x[0] = 0x1234;
		/* Not handled here: smccc.c answers NOT_SUPPORTED itself. */
		assert_false(vpsci_handle(&vc[0], fids[i]));
		assert_int_equal(vc[0].arch.regs.x[0], 0x1234);
	}
}

/* ---- CPU_ON -------------------------------------------------------------- */

static void test_cpu_on(void **state)
{
	assert_int_equal(call(&vc[0], PSCI_CPU_ON64, mpidr(1), 0x40080000,
			      0xfeedface12345678ULL),
			 SUCCESS);
	assert_int_equal(vc[1].pause_flags, 0);
	assert_int_equal(vc[1].arch.regs.pc, 0x40080000);
	/* The context ID is the new vCPU's x0, all 64 bits of it. */
	assert_int_equal(vc[1].arch.regs.x[0], 0xfeedface12345678ULL);
	/* The caller keeps running; nothing else started. */
	assert_int_equal(vc[0].pause_flags, 0);
	for (unsigned int i = 2; i < NR_SLOTS; i++)
		assert_int_equal(vc[i].pause_flags, VPF_DOWN);
	/* A vCPU in Aff1 = 1 (the 17th) is named by its MPIDR. */
	assert_int_equal(call(&vc[1], PSCI_CPU_ON64, mpidr(17), 0x1000, 0),
			 SUCCESS);
	assert_int_equal(vc[17].pause_flags, 0);
	assert_int_equal(mpidr(17), 0x80000101ULL);
}

static void test_cpu_on32_uses_w_registers(void **state)
{
	/* Garbage in the upper halves of x1-x3 is not part of an SMC32 call. */
	assert_int_equal(call(&vc[0], PSCI_CPU_ON32,
			      0xffffffff00000000ULL | mpidr(2),
			      0xabcd000040080000ULL, 0x5555555512345678ULL),
			 SUCCESS);
	assert_int_equal(vc[2].arch.regs.pc, 0x40080000);
	assert_int_equal(vc[2].arch.regs.x[0], 0x12345678);
}

static void test_cpu_on_already_on(void **state)
{
	vc[3].pause_flags = 0;
	vc[3].arch.regs.pc = 0x1234;
	vc[3].arch.regs.x[0] = 77;
	assert_int_equal(call(&vc[0], PSCI_CPU_ON64, mpidr(3), 0x8000, 1),
			 ALREADY_ON);
	/* Itself too. */
	assert_int_equal(call(&vc[0], PSCI_CPU_ON64, mpidr(0), 0x8000, 1),
			 ALREADY_ON);
	/* A running vCPU is not reset under its feet. */
	assert_int_equal(vc[3].arch.regs.pc, 0x1234);
	assert_int_equal(vc[3].arch.regs.x[0], 77);
	/* A blocked or paused one is on too. */
	vc[4].pause_flags = VPF_BLOCKED | VPF_PAUSED;
	assert_int_equal(call(&vc[0], PSCI_CPU_ON64, mpidr(4), 0x8000, 1),
			 ALREADY_ON);
	assert_int_equal(vc[4].pause_flags, VPF_BLOCKED | VPF_PAUSED);
}

static void test_cpu_on_bad_mpidr(void **state)
{
	const uint64_t bad[] = {
		mpidr(NR_SLOTS),	     /* past max_vcpus */
		mpidr(EMPTY_SLOT),	     /* a slot with no vCPU */
		(1ULL << 31) | 0x10,	     /* Aff0 16: not how Xen numbers */
		(1ULL << 31) | 0xff,	     /* Aff0 255 */
		(1ULL << 31) | (1ULL << 16), /* Aff2 */
		(1ULL << 31) | (1ULL << 32), /* Aff3 */
		(1ULL << 31) | (0xffULL << 8), /* Aff1 255: id 4080 */
		0xffffffffffffffffULL,	       /* all ones */
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(call(&vc[0], PSCI_CPU_ON64, bad[i], 0x8000, 0),
				 INVALID_PARAMETERS);
	/* The bits outside Aff0-3 (RES1, U, MT) do not matter. */
	assert_int_equal(call(&vc[0], PSCI_CPU_ON64,
			      0xff00000000ULL | (3ULL << 30) | (1 << 24) | 5,
			      0x8000, 0),
			 INVALID_PARAMETERS);
	assert_int_equal(
		call(&vc[0], PSCI_CPU_ON64, (3ULL << 30) | 5, 0x8000, 0),
		SUCCESS);
	assert_int_equal(call(&vc[0], PSCI_CPU_ON64, 6, 0x8000, 0), SUCCESS);
	for (unsigned int i = 1; i < NR_SLOTS; i++)
		assert_int_equal(vc[i].pause_flags,
				 i == 5 || i == 6 ? 0 : VPF_DOWN);
}

static void test_cpu_on_bad_entry_point(void **state)
{
	/* A Thumb or misaligned entry point for an AArch64 vCPU (Xen: bit 0). */
	for (uint64_t pc = 0x40080001; pc < 0x40080004; pc++)
		assert_int_equal(call(&vc[0], PSCI_CPU_ON64, mpidr(1), pc, 0),
				 INVALID_ADDRESS);
	assert_int_equal(vc[1].pause_flags, VPF_DOWN);
	/* A bad MPIDR is reported before a bad address, as in Xen. */
	assert_int_equal(call(&vc[0], PSCI_CPU_ON64, mpidr(NR_SLOTS), 1, 0),
			 INVALID_PARAMETERS);
	/* So is a bad address before "already on". */
	assert_int_equal(call(&vc[0], PSCI_CPU_ON64, mpidr(0), 1, 0),
			 INVALID_ADDRESS);
}

static void test_cpu_on_psci_0_1(void **state)
{
	/* Xen's /psci "cpu_on" = 2: MPIDR in x1, entry in x2, no context. */
	assert_int_equal(
		call(&vc[0], PSCI_0_1_CPU_ON, mpidr(1), 0x40080000, 0x99),
		SUCCESS);
	assert_int_equal(vc[1].pause_flags, 0);
	assert_int_equal(vc[1].arch.regs.pc, 0x40080000);
	assert_int_equal(vc[1].arch.regs.x[0], 0);
	/* PSCI 0.1 has no ALREADY_ON nor INVALID_ADDRESS (Xen maps them). */
	assert_int_equal(call(&vc[0], PSCI_0_1_CPU_ON, mpidr(1), 0x8000, 0),
			 INVALID_PARAMETERS);
	assert_int_equal(call(&vc[0], PSCI_0_1_CPU_ON, mpidr(2), 0x8001, 0),
			 INVALID_PARAMETERS);
	assert_int_equal(call(&vc[0], PSCI_0_1_CPU_ON, mpidr(99), 0x8000, 0),
			 INVALID_PARAMETERS);
	assert_int_equal(vc[2].pause_flags, VPF_DOWN);
}

/* ---- CPU_OFF, AFFINITY_INFO ---------------------------------------------- */

static void test_cpu_off(void **state)
{
	call(&vc[0], PSCI_CPU_ON64, mpidr(1), 0x8000, 0);
	call(&vc[0], PSCI_CPU_ON64, mpidr(2), 0x8000, 0);
	vpsci_handle(&vc[1], PSCI_CPU_OFF);
	assert_true(vc[1].pause_flags & VPF_DOWN);
	assert_int_equal(vc[0].pause_flags, 0);
	assert_int_equal(vc[2].pause_flags, 0);
	/* PSCI 0.1's cpu_off (= 1) too. */
	vc[2].arch.regs.x[0] = PSCI_0_1_CPU_OFF;
	assert_true(vpsci_handle(&vc[2], PSCI_0_1_CPU_OFF));
	assert_true(vc[2].pause_flags & VPF_DOWN);
	/* Down again, it can be started again, from a new entry point. */
	assert_int_equal(call(&vc[0], PSCI_CPU_ON64, mpidr(1), 0x9000, 42),
			 SUCCESS);
	assert_int_equal(vc[1].arch.regs.pc, 0x9000);
	assert_int_equal(vc[1].arch.regs.x[0], 42);
	assert_int_equal(shutdowns, 0);
}

/*
 * Once VPF_DOWN is set a CPU_ON on another pCPU may reset the vCPU: CPU_OFF
 * must have written its result by then (it used to overwrite the new
 * context ID), and CPU_ON must first take the down vCPU out of the pCPU
 * still holding its registers (whose later save undid the reset).
 */
static void test_cpu_off_then_on_race(void **state)
{
	call(&vc[0], PSCI_CPU_ON64, mpidr(1), 0x8000, 0);
	unloaded = NULL;
	vc[1].arch.regs.x[0] = PSCI_CPU_OFF;
	assert_true(vpsci_handle(&vc[1], PSCI_CPU_OFF));
	assert_int_equal(x0_when_down, (uint64_t)-3); /* DENIED */
	assert_int_equal(call(&vc[0], PSCI_CPU_ON64, mpidr(1), 0x9000, 42),
			 SUCCESS);
	assert_ptr_equal(unloaded, &vc[1]);
	assert_int_equal(vc[1].arch.regs.x[0], 42);
	/* An online vCPU is left where it runs. */
	unloaded = NULL;
	assert_int_equal(call(&vc[0], PSCI_CPU_ON64, mpidr(1), 0x9000, 42),
			 ALREADY_ON);
	assert_null(unloaded);
}

static void test_cpu_off_last_vcpu(void **state)
{
	/* As in Xen: the domain lives on with no vCPU up, not shut down. */
	assert_true(vpsci_handle(&vc[0], PSCI_CPU_OFF));
	for (unsigned int i = 0; i < NR_SLOTS; i++)
		if (vcpus[i])
			assert_true(vc[i].pause_flags & VPF_DOWN);
	assert_int_equal(shutdowns, 0);
}

static void test_affinity_info(void **state)
{
	call(&vc[0], PSCI_CPU_ON64, mpidr(16), 0x8000, 0);
	vc[3].pause_flags = VPF_BLOCKED; /* in WFI, but on */
	assert_int_equal(call(&vc[0], PSCI_AFFINITY_INFO64, mpidr(0), 0, 0),
			 AFF_ON);
	assert_int_equal(call(&vc[0], PSCI_AFFINITY_INFO64, mpidr(16), 0, 0),
			 AFF_ON);
	assert_int_equal(call(&vc[0], PSCI_AFFINITY_INFO64, mpidr(3), 0, 0),
			 AFF_ON);
	assert_int_equal(call(&vc[0], PSCI_AFFINITY_INFO64, mpidr(1), 0, 0),
			 AFF_OFF);
	assert_int_equal(call(&vc[0], PSCI_AFFINITY_INFO32,
			      0xffffffff00000000ULL | mpidr(16), 0, 0),
			 AFF_ON);
	/* After CPU_OFF, Linux's wait for the CPU to die ends. */
	vpsci_handle(&vc[16], PSCI_CPU_OFF);
	assert_int_equal(call(&vc[0], PSCI_AFFINITY_INFO64, mpidr(16), 0, 0),
			 AFF_OFF);
}

/*
 * As Xen 4.17 (seen by tests/baremetal): an affinity no vCPU has is OFF,
 * not INVALID_PARAMETERS; levels 1 to 3 ignore the fields below them
 * (level 3 is valid on AArch64, and Xen 4.17's arm64 build answers it);
 * levels from 4 are invalid.
 */
static void test_affinity_info_bad_arguments(void **state)
{
	assert_int_equal(
		call(&vc[0], PSCI_AFFINITY_INFO64, mpidr(NR_SLOTS), 0, 0),
		AFF_OFF);
	assert_int_equal(
		call(&vc[0], PSCI_AFFINITY_INFO64, mpidr(EMPTY_SLOT), 0, 0),
		AFF_OFF);
	assert_int_equal(call(&vc[0], PSCI_AFFINITY_INFO64, ~0ULL, 0, 0),
			 AFF_OFF);
	/* vCPU 0 is up: its cluster (Aff1 0) and everything at level 2. */
	assert_int_equal(call(&vc[0], PSCI_AFFINITY_INFO64, mpidr(5), 1, 0),
			 AFF_ON);
	assert_int_equal(call(&vc[0], PSCI_AFFINITY_INFO64, mpidr(17), 1, 0),
			 AFF_OFF);
	assert_int_equal(call(&vc[0], PSCI_AFFINITY_INFO64, mpidr(17), 2, 0),
			 AFF_ON);
	assert_int_equal(call(&vc[0], PSCI_AFFINITY_INFO64, mpidr(17), 3, 0),
			 AFF_ON);
	for (uint64_t level = 4; level < 6; level++)
		assert_int_equal(
			call(&vc[0], PSCI_AFFINITY_INFO64, mpidr(0), level, 0),
			INVALID_PARAMETERS);
	/* lowest_affinity_level is 32 bits in either convention, as in Xen. */
	assert_int_equal(
		call(&vc[0], PSCI_AFFINITY_INFO64, mpidr(0), 1ULL << 32, 0),
		AFF_ON);
	assert_int_equal(
		call(&vc[0], PSCI_AFFINITY_INFO32, mpidr(0), 1ULL << 32, 0),
		AFF_ON);
}

/* ---- CPU_SUSPEND, SYSTEM_OFF, SYSTEM_RESET ------------------------------- */

static void test_cpu_suspend_is_standby(void **state)
{
	assert_int_equal(call(&vc[0], PSCI_CPU_SUSPEND64, 0x10000, 0x8000, 0),
			 SUCCESS);
	assert_int_equal(blocks, 1);
	/* Power-down states included: it returns as from WFI, at its PC. */
	assert_int_equal(call(&vc[0], PSCI_CPU_SUSPEND32, 0x10000, 0x8000, 0),
			 SUCCESS);
	assert_int_equal(blocks, 2);
	assert_false(vc[0].pause_flags & VPF_DOWN);
}

static void test_system_off_and_reset(void **state)
{
	/* Should the call ever return, Xen says INTERNAL_FAILURE. */
	assert_int_equal(call(&vc[0], PSCI_SYSTEM_OFF, 0, 0, 0),
			 INTERNAL_FAILURE);
	assert_int_equal(shutdowns, 1);
	assert_int_equal(shutdown_reason, SHUTDOWN_poweroff);
	assert_int_equal(call(&vc[0], PSCI_SYSTEM_RESET, 0, 0, 0),
			 INTERNAL_FAILURE);
	assert_int_equal(shutdowns, 2);
	assert_int_equal(shutdown_reason, SHUTDOWN_reboot);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_version, setup),
		cmocka_unit_test_setup(test_features, setup),
		cmocka_unit_test_setup(test_migrate_info_type, setup),
		cmocka_unit_test_setup(test_not_psci, setup),
		cmocka_unit_test_setup(test_cpu_on, setup),
		cmocka_unit_test_setup(test_cpu_on32_uses_w_registers, setup),
		cmocka_unit_test_setup(test_cpu_on_already_on, setup),
		cmocka_unit_test_setup(test_cpu_on_bad_mpidr, setup),
		cmocka_unit_test_setup(test_cpu_on_bad_entry_point, setup),
		cmocka_unit_test_setup(test_cpu_on_psci_0_1, setup),
		cmocka_unit_test_setup(test_cpu_off, setup),
		cmocka_unit_test_setup(test_cpu_off_then_on_race, setup),
		cmocka_unit_test_setup(test_cpu_off_last_vcpu, setup),
		cmocka_unit_test_setup(test_affinity_info, setup),
		cmocka_unit_test_setup(test_affinity_info_bad_arguments, setup),
		cmocka_unit_test_setup(test_cpu_suspend_is_standby, setup),
		cmocka_unit_test_setup(test_system_off_and_reset, setup),
	};

	return cmocka_run_group_tests_name("vpsci", tests, NULL, NULL);
}
