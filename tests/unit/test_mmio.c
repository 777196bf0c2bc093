/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of arch/arm64/mmio.c: per-domain MMIO ranges and the data
 * aborts that reach them, as a guest sees them: what its handler is asked
 * (offset, size, value), what lands in its registers, whether its PC
 * moves on, and when it takes a data abort instead.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <asm/mmio.h>
#include <asm/traps.h>
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/mm.h>

/* ESR_EL2.ISS of a data abort. */
#define ISV	     (1U << 24)
#define SAS(log2)    ((uint32_t)(log2) << 22)
#define SSE	     (1U << 21)
#define SRT(n)	     ((uint32_t)(n) << 16)
#define SF	     (1U << 15)
#define S1PTW	     (1U << 7)
#define WNR	     (1U << 6)
#define FSC_TRANS_L3 0x07

#define BASE 0x08000000ULL
#define SIZE 0x10000ULL
#define PC   0x40001000ULL
#define FAR  0xffff800012345678ULL

/* ---- fakes ------------------------------------------------------------- */

static int alloc_budget = -1;
static unsigned int injected;
static uint64_t injected_far;
static struct vcpu *injected_v;

void *xzalloc(size_t size)
{
	if (alloc_budget == 0)
		return NULL;
	if (alloc_budget > 0)
		alloc_budget--;
	return calloc(1, size);
}

void xfree(void *p)
{
	free(p);
}

void inject_dabt(struct vcpu *v, uint64_t addr)
{
	injected++;
	injected_v = v;
	injected_far = addr;
}

bool printk_ratelimit(void)
{
	return true;
}

/* ---- a device ------------------------------------------------------------ */

struct access {
	struct vcpu *v;
	bool write;
	uint64_t offset;
	unsigned int size;
	uint64_t val;
};

struct device {
	unsigned int calls;
	struct access last;
	uint64_t read_val; /* what a read returns */
	bool refuse;	   /* return false: the access is not valid */
};

static bool dev_read(struct vcpu *v, uint64_t offset, unsigned int size,
		     uint64_t *val, void *priv)
{
	struct device *dev = priv;

	dev->calls++;
	dev->last = (struct access){v, false, offset, size, 0};
	*val = dev->read_val;
	return !dev->refuse;
}

static bool dev_write(struct vcpu *v, uint64_t offset, unsigned int size,
		      uint64_t val, void *priv)
{
	struct device *dev = priv;

	dev->calls++;
	dev->last = (struct access){v, true, offset, size, val};
	return !dev->refuse;
}

static const struct mmio_ops dev_ops = {.read = dev_read, .write = dev_write};

/* ---- two guests ---------------------------------------------------------- */

static struct domain dom[2];
static struct vcpu vc[2];
static struct device dev[3];

static int setup(void **state)
{
	memset(dom, 0, sizeof(dom));
	memset(vc, 0, sizeof(vc));
	memset(dev, 0, sizeof(dev));
	alloc_budget = -1;
	injected = 0;
	injected_v = NULL;
	for (unsigned int i = 0; i < 2; i++) {
		dom[i].domain_id = i + 1;
		vc[i].domain = &dom[i];
		vc[i].arch.regs.pc = PC;
		vc[i].arch.regs.far = FAR;
		for (unsigned int r = 0; r < 31; r++)
			vc[i].arch.regs.x[r] = 0x1111111111111111ULL * (r % 15);
	}
	return 0;
}

static int teardown(void **state)
{
	mmio_unregister_all(&dom[0]);
	mmio_unregister_all(&dom[1]);
	return 0;
}

/* The guest's access traps: did it complete (true) or take an abort? */
static bool access(struct vcpu *v, uint32_t iss, uint64_t ipa)
{
	unsigned int before = injected;
	uint64_t pc = v->arch.regs.pc;

	mmio_handle_dabt(v, iss | FSC_TRANS_L3, ipa);
	if (injected != before) {
		assert_int_equal(injected, before + 1);
		assert_ptr_equal(injected_v, v);
		assert_int_equal(injected_far, v->arch.regs.far);
		assert_int_equal(v->arch.regs.pc, pc);
		return false;
	}
	/* The access is done: the guest goes on after it. */
	assert_int_equal(v->arch.regs.pc, pc + 4);
	v->arch.regs.pc = pc;
	return true;
}

/* ---- registration ------------------------------------------------------- */

static void test_ranges_are_per_domain(void **state)
{
	assert_int_equal(mmio_register(&dom[0], BASE, SIZE, &dev_ops, &dev[0]),
			 0);
	assert_int_equal(
		mmio_register(&dom[1], BASE + SIZE, SIZE, &dev_ops, &dev[1]),
		0);
	/* Guest 1 reaches its device at offset 0x20... */
	assert_true(access(&vc[0], ISV | SAS(2) | SRT(3), BASE + 0x20));
	assert_int_equal(dev[0].calls, 1);
	assert_int_equal(dev[0].last.offset, 0x20);
	assert_ptr_equal(dev[0].last.v, &vc[0]);
	/* ...but not guest 2's, nor guest 2 guest 1's. */
	assert_false(access(&vc[0], ISV | SAS(2) | SRT(3), BASE + SIZE));
	assert_false(access(&vc[1], ISV | SAS(2) | SRT(3), BASE + 0x20));
	assert_true(access(&vc[1], ISV | SAS(2) | SRT(3), BASE + SIZE + 8));
	assert_int_equal(dev[1].last.offset, 8);
	assert_int_equal(dev[0].calls, 1);
	assert_int_equal(dev[1].calls, 1);
}

/* What trap_dabt asks before it walks the p2m: a range's ends, per domain. */
static void test_claims(void **state)
{
	assert_false(mmio_claims(&dom[0], BASE));
	mmio_register(&dom[0], BASE, SIZE, &dev_ops, &dev[0]);
	assert_true(mmio_claims(&dom[0], BASE));
	assert_true(mmio_claims(&dom[0], BASE + SIZE - 1));
	assert_false(mmio_claims(&dom[0], BASE - 1));
	assert_false(mmio_claims(&dom[0], BASE + SIZE));
	assert_false(mmio_claims(&dom[1], BASE));
	assert_int_equal(dev[0].calls, 0);
}

static void test_register_bad_ranges(void **state)
{
	assert_true(mmio_register(&dom[0], BASE, 0, &dev_ops, &dev[0]) < 0);
	assert_true(mmio_register(&dom[0], ~0ULL - 0xfff, 0x2000, &dev_ops,
				  &dev[0]) < 0);
	/* The very top of the address space is a valid range. */
	assert_int_equal(mmio_register(&dom[0], ~0ULL - 0xfff, 0x1000, &dev_ops,
				       &dev[0]),
			 0);
	assert_true(access(&vc[0], ISV | SAS(3), ~0ULL - 7));
	assert_false(access(&vc[0], ISV | SAS(3), ~0ULL - 3));
	assert_int_equal(dom[0].arch.nr_mmio, 1);
}

static void test_register_limits(void **state)
{
	unsigned int i;

	alloc_budget = 0;
	assert_int_equal(mmio_register(&dom[0], BASE, SIZE, &dev_ops, &dev[0]),
			 -ENOMEM);
	assert_int_equal(dom[0].arch.nr_mmio, 0);
	assert_false(access(&vc[0], ISV | SAS(2), BASE));
	alloc_budget = -1;
	for (i = 0; i < MMIO_HANDLERS_MAX; i++)
		assert_int_equal(mmio_register(&dom[0], BASE + i * SIZE, SIZE,
					       &dev_ops, &dev[0]),
				 0);
	assert_int_equal(mmio_register(&dom[0], BASE + i * SIZE, SIZE, &dev_ops,
				       &dev[0]),
			 -ENOSPC);
	assert_false(access(&vc[0], ISV | SAS(2), BASE + i * SIZE));
	assert_true(access(&vc[0], ISV | SAS(2), BASE + (i - 1) * SIZE));
}

static void test_teardown_removes_every_range(void **state)
{
	assert_int_equal(mmio_register(&dom[0], BASE, SIZE, &dev_ops, &dev[0]),
			 0);
	assert_int_equal(mmio_register(&dom[0], BASE + 2 * SIZE, SIZE, &dev_ops,
				       &dev[1]),
			 0);
	assert_int_equal(mmio_register(&dom[1], BASE, SIZE, &dev_ops, &dev[2]),
			 0);
	mmio_unregister_all(&dom[0]);
	assert_int_equal(dom[0].arch.nr_mmio, 0);
	assert_false(access(&vc[0], ISV | SAS(2), BASE));
	assert_false(access(&vc[0], ISV | SAS(2), BASE + 2 * SIZE));
	assert_int_equal(dev[0].calls + dev[1].calls, 0);
	/* The other domain keeps its own. */
	assert_true(access(&vc[1], ISV | SAS(2), BASE));
	/* Twice is harmless; the ranges can be registered anew. */
	mmio_unregister_all(&dom[0]);
	assert_int_equal(mmio_register(&dom[0], BASE, SIZE, &dev_ops, &dev[1]),
			 0);
	assert_true(access(&vc[0], ISV | SAS(2), BASE));
	assert_int_equal(dev[1].calls, 1);
}

/* ---- decoding ------------------------------------------------------------ */

static void test_sizes(void **state)
{
	mmio_register(&dom[0], BASE, SIZE, &dev_ops, &dev[0]);
	for (unsigned int sas = 0; sas < 4; sas++) {
		assert_true(access(&vc[0], ISV | SAS(sas) | SF, BASE + 0x40));
		assert_int_equal(dev[0].last.size, 1U << sas);
		assert_true(access(&vc[0], ISV | SAS(sas) | WNR, BASE + 0x40));
		assert_int_equal(dev[0].last.size, 1U << sas);
		assert_true(dev[0].last.write);
	}
}

static void test_write_value_from_srt(void **state)
{
	mmio_register(&dom[0], BASE, SIZE, &dev_ops, &dev[0]);
	vc[0].arch.regs.x[7] = 0x00000000cafe1234ULL;
	assert_true(access(&vc[0], ISV | SAS(2) | SRT(7) | WNR, BASE + 4));
	assert_int_equal(dev[0].last.val, 0xcafe1234);
	assert_int_equal(dev[0].last.offset, 4);
	/* Register 31 is XZR for a store: STR WZR writes 0. */
	assert_true(access(&vc[0], ISV | SAS(2) | SRT(31) | WNR, BASE));
	assert_int_equal(dev[0].last.val, 0);
	/* x30 is a register like the others. */
	vc[0].arch.regs.x[30] = 0x1234567890abcdefULL;
	assert_true(access(&vc[0], ISV | SAS(3) | SRT(30) | WNR | SF, BASE));
	assert_int_equal(dev[0].last.val, 0x1234567890abcdefULL);
}

static void test_write_value_is_the_access_size(void **state)
{
	mmio_register(&dom[0], BASE, SIZE, &dev_ops, &dev[0]);
	vc[0].arch.regs.x[1] = 0xfedcba9876543210ULL;
	/* STRB/STRH/STR W store the low 1, 2, 4 bytes of the register. */
	assert_true(access(&vc[0], ISV | SAS(0) | SRT(1) | WNR, BASE));
	assert_int_equal(dev[0].last.val, 0x10);
	assert_true(access(&vc[0], ISV | SAS(1) | SRT(1) | WNR, BASE));
	assert_int_equal(dev[0].last.val, 0x3210);
	assert_true(access(&vc[0], ISV | SAS(2) | SRT(1) | WNR, BASE));
	assert_int_equal(dev[0].last.val, 0x76543210);
}

static void test_read_into_srt(void **state)
{
	uint64_t regs[31];

	mmio_register(&dom[0], BASE, SIZE, &dev_ops, &dev[0]);
	dev[0].read_val = 0xdeadbeefcafe1234ULL;
	memcpy(regs, vc[0].arch.regs.x, sizeof(regs));
	/* LDR X5: all 64 bits, and no other register changes. */
	assert_true(access(&vc[0], ISV | SAS(3) | SRT(5) | SF, BASE));
	regs[5] = 0xdeadbeefcafe1234ULL;
	assert_memory_equal(vc[0].arch.regs.x, regs, sizeof(regs));
	/* LDR W5 zero-extends; LDRH W5 and LDRB W5 keep only their bytes. */
	assert_true(access(&vc[0], ISV | SAS(2) | SRT(5), BASE));
	assert_int_equal(vc[0].arch.regs.x[5], 0xcafe1234);
	assert_true(access(&vc[0], ISV | SAS(1) | SRT(5), BASE));
	assert_int_equal(vc[0].arch.regs.x[5], 0x1234);
	assert_true(access(&vc[0], ISV | SAS(0) | SRT(5) | SF, BASE));
	assert_int_equal(vc[0].arch.regs.x[5], 0x34);
	/* A load into XZR is discarded. */
	memcpy(regs, vc[0].arch.regs.x, sizeof(regs));
	assert_true(access(&vc[0], ISV | SAS(3) | SRT(31) | SF, BASE));
	assert_memory_equal(vc[0].arch.regs.x, regs, sizeof(regs));
}

static void test_read_sign_extension(void **state)
{
	mmio_register(&dom[0], BASE, SIZE, &dev_ops, &dev[0]);
	dev[0].read_val = 0x1234567890abcd80ULL;
	/* LDRSB X2, LDRSB W2. */
	assert_true(access(&vc[0], ISV | SAS(0) | SSE | SF | SRT(2), BASE));
	assert_int_equal(vc[0].arch.regs.x[2], 0xffffffffffffff80ULL);
	assert_true(access(&vc[0], ISV | SAS(0) | SSE | SRT(2), BASE));
	assert_int_equal(vc[0].arch.regs.x[2], 0xffffff80ULL);
	/* LDRSH X2 of a positive halfword; LDRSW X2 of a negative word. */
	assert_true(access(&vc[0], ISV | SAS(1) | SSE | SF | SRT(2), BASE));
	assert_int_equal(vc[0].arch.regs.x[2], 0xffffffffffffcd80ULL);
	dev[0].read_val = 0x7fff;
	assert_true(access(&vc[0], ISV | SAS(1) | SSE | SF | SRT(2), BASE));
	assert_int_equal(vc[0].arch.regs.x[2], 0x7fff);
	dev[0].read_val = 0x80000000;
	assert_true(access(&vc[0], ISV | SAS(2) | SSE | SF | SRT(2), BASE));
	assert_int_equal(vc[0].arch.regs.x[2], 0xffffffff80000000ULL);
}

static void test_pstate_after_emulation(void **state)
{
	mmio_register(&dom[0], BASE, SIZE, &dev_ops, &dev[0]);
	/* Stepping over the access clears single-step and BTYPE, as if run. */
	vc[0].arch.regs.pstate = PSR_SS | PSR_BTYPE | 0x3c5;
	assert_true(access(&vc[0], ISV | SAS(2), BASE));
	assert_int_equal(vc[0].arch.regs.pstate, 0x3c5);
}

/* ---- aborts -------------------------------------------------------------- */

static void test_unregistered_ipa_aborts(void **state)
{
	uint64_t regs[31];

	mmio_register(&dom[0], BASE, SIZE, &dev_ops, &dev[0]);
	memcpy(regs, vc[0].arch.regs.x, sizeof(regs));
	assert_false(access(&vc[0], ISV | SAS(2) | SRT(4), 0));
	assert_false(access(&vc[0], ISV | SAS(2) | SRT(4), BASE - 4));
	assert_false(access(&vc[0], ISV | SAS(2) | SRT(4), BASE + SIZE));
	assert_false(access(&vc[0], ISV | SAS(3) | SRT(4), ~0ULL - 7));
	assert_false(access(&vc[0], ISV | SAS(2) | SRT(4) | WNR, 0x12345000));
	/* A read that faults leaves the guest's registers alone. */
	assert_memory_equal(vc[0].arch.regs.x, regs, sizeof(regs));
	assert_int_equal(dev[0].calls, 0);
}

static void test_straddling_access_aborts(void **state)
{
	mmio_register(&dom[0], BASE, SIZE, &dev_ops, &dev[0]);
	/* Into the range from below, and out of it at the top. */
	assert_false(access(&vc[0], ISV | SAS(3), BASE - 4));
	assert_false(access(&vc[0], ISV | SAS(3), BASE + SIZE - 4));
	assert_false(access(&vc[0], ISV | SAS(1), BASE + SIZE - 1));
	assert_int_equal(dev[0].calls, 0);
	/* The last bytes themselves are fine. */
	assert_true(access(&vc[0], ISV | SAS(3), BASE + SIZE - 8));
	assert_true(access(&vc[0], ISV | SAS(0), BASE + SIZE - 1));
}

static void test_no_valid_syndrome_aborts(void **state)
{
	mmio_register(&dom[0], BASE, SIZE, &dev_ops, &dev[0]);
	/* LDP, register writeback, SIMD loads: ISV = 0, no emulation. */
	assert_false(access(&vc[0], SAS(2) | SRT(1), BASE));
	assert_false(access(&vc[0], SAS(2) | SRT(1) | WNR, BASE));
	/* A stage-1 walk into the device: not an access to emulate. */
	assert_false(access(&vc[0], ISV | S1PTW | SAS(3) | SF, BASE));
	assert_int_equal(dev[0].calls, 0);
}

static void test_handler_refusal_aborts(void **state)
{
	mmio_register(&dom[0], BASE, SIZE, &dev_ops, &dev[0]);
	dev[0].refuse = true;
	dev[0].read_val = 0x55;
	vc[0].arch.regs.x[9] = 0xabc;
	assert_false(access(&vc[0], ISV | SAS(2) | SRT(9), BASE));
	assert_int_equal(vc[0].arch.regs.x[9], 0xabc);
	assert_false(access(&vc[0], ISV | SAS(2) | SRT(9) | WNR, BASE));
	assert_int_equal(dev[0].calls, 2);
}

static void test_overlapping_registration_refused(void **state)
{
	assert_int_equal(mmio_register(&dom[0], BASE, SIZE, &dev_ops, &dev[0]),
			 0);
	/* Same range, inside, across either end, around it: refused. */
	assert_int_equal(mmio_register(&dom[0], BASE, SIZE, &dev_ops, &dev[1]),
			 -EEXIST);
	assert_int_equal(
		mmio_register(&dom[0], BASE + 0x100, 0x100, &dev_ops, &dev[1]),
		-EEXIST);
	assert_int_equal(
		mmio_register(&dom[0], BASE - 0x100, 0x200, &dev_ops, &dev[1]),
		-EEXIST);
	assert_int_equal(mmio_register(&dom[0], BASE + SIZE - 1, 0x100,
				       &dev_ops, &dev[1]),
			 -EEXIST);
	assert_int_equal(mmio_register(&dom[0], BASE - 0x1000, SIZE + 0x2000,
				       &dev_ops, &dev[1]),
			 -EEXIST);
	assert_int_equal(dom[0].arch.nr_mmio, 1);
	/* Neighbours on either side, and the same range elsewhere, are fine. */
	assert_int_equal(
		mmio_register(&dom[0], BASE + SIZE, SIZE, &dev_ops, &dev[1]),
		0);
	assert_int_equal(
		mmio_register(&dom[0], BASE - SIZE, SIZE, &dev_ops, &dev[1]),
		0);
	assert_int_equal(mmio_register(&dom[1], BASE, SIZE, &dev_ops, &dev[2]),
			 0);
	/* Every access in the first range still goes to its first owner. */
	assert_true(access(&vc[0], ISV | SAS(2), BASE + 0x100));
	assert_true(access(&vc[0], ISV | SAS(2), BASE + SIZE - 4));
	assert_int_equal(dev[0].calls, 2);
	assert_int_equal(dev[1].calls, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_ranges_are_per_domain),
		T(test_claims),
		T(test_register_bad_ranges),
		T(test_register_limits),
		T(test_teardown_removes_every_range),
		T(test_sizes),
		T(test_write_value_from_srt),
		T(test_write_value_is_the_access_size),
		T(test_read_into_srt),
		T(test_read_sign_extension),
		T(test_pstate_after_emulation),
		T(test_unregistered_ipa_aborts),
		T(test_straddling_access_aborts),
		T(test_no_valid_syndrome_aborts),
		T(test_handler_refusal_aborts),
		T(test_overlapping_registration_refused),
#undef T
	};

	return cmocka_run_group_tests_name("mmio", tests, NULL, NULL);
}
