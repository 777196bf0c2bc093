/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of arch/arm64/vgic_common.c: list-register encodings, how
 * pending interrupts are chosen for list registers and read back, the
 * shared register fields, ICC_SGI1R_EL1 decoding and the register-table
 * dispatcher.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../arch/arm64/vgic_common.h"

#define NR_SPI_BANKS 3 /* INTIDs 32..127 */
#define NR_VCPUS     2

static struct vgic_bank spi[NR_SPI_BANKS];
static struct vgic_dist_state dist;
static struct vgic_cpu_state cpu[NR_VCPUS];

static void world_init(bool v2)
{
	memset(cpu, 0, sizeof(cpu));
	for (unsigned int i = 0; i < NR_SPI_BANKS; i++)
		vgic_bank_init(&spi[i], false);
	for (unsigned int i = 0; i < NR_VCPUS; i++)
		vgic_bank_init(&cpu[i].local, true);
	dist = (struct vgic_dist_state){
		.spi = spi,
		.nr_spi_banks = NR_SPI_BANKS,
		.enabled = true,
		.v2 = v2,
	};
}

static int setup_v3(void **state)
{
	world_init(false);
	return 0;
}

static int setup_v2(void **state)
{
	world_init(true);
	return 0;
}

static struct vgic_bank *bank(unsigned int c, unsigned int intid)
{
	return vgic_bank_get(&dist, &cpu[c], intid);
}

static void enable(unsigned int c, unsigned int intid, uint8_t prio)
{
	struct vgic_bank *b = bank(c, intid);

	b->enabled |= vgic_bit(intid);
	b->priority[intid % 32] = prio;
}

static bool pend(unsigned int c, unsigned int intid)
{
	return vgic_state_set_pending(&dist, &cpu[c], intid, c);
}

static struct vgic_fill_result fill(unsigned int c, unsigned int nr_lrs)
{
	struct vgic_fill_result res;

	vgic_lrs_fill(&dist, &cpu[c], c, nr_lrs, &res);
	return res;
}

/* The LR holding @intid on vCPU @c, or -1. */
static int lr_of(unsigned int c, unsigned int intid)
{
	for (unsigned int i = 0; i < VGIC_MAX_LRS; i++)
		if ((cpu[c].lr_used & (1ULL << i)) &&
		    cpu[c].lr[i].intid == intid)
			return (int)i;
	return -1;
}

/* What the guest does: acknowledge (pending -> active) and EOI. */
static void guest_ack(unsigned int c, unsigned int intid)
{
	int i = lr_of(c, intid);

	assert_true(i >= 0);
	assert_true(cpu[c].lr[i].state & VGIC_LR_PENDING);
	cpu[c].lr[i].state = VGIC_LR_ACTIVE;
}

static void guest_eoi(unsigned int c, unsigned int intid)
{
	int i = lr_of(c, intid);

	assert_true(i >= 0);
	cpu[c].lr[i].state &= (uint8_t)~VGIC_LR_ACTIVE;
}

/* Every INTID in at most one LR, and in_lr says exactly which. */
static void check_invariants(unsigned int nr_lrs)
{
	uint32_t seen_local[NR_VCPUS] = {0};
	uint32_t seen_spi[NR_SPI_BANKS] = {0};

	for (unsigned int c = 0; c < NR_VCPUS; c++) {
		assert_int_equal(cpu[c].lr_used >> nr_lrs, 0);
		for (unsigned int i = 0; i < VGIC_MAX_LRS; i++) {
			const struct vgic_lr *lr = &cpu[c].lr[i];
			uint32_t *seen;

			if (!(cpu[c].lr_used & (1ULL << i)))
				continue;
			/* A forwarded SPI is never pending behind itself. */
			if (lr->hw)
				assert_true(lr->state !=
					    (VGIC_LR_PENDING | VGIC_LR_ACTIVE));
			seen = lr->intid < 32 ? &seen_local[c]
					      : &seen_spi[lr->intid / 32 - 1];
			assert_false(*seen & vgic_bit(lr->intid));
			*seen |= vgic_bit(lr->intid);
			if (lr->intid >= 32)
				assert_int_equal(
					bank(c, lr->intid)
						->owner[lr->intid % 32],
					c);
		}
		assert_int_equal(cpu[c].local.in_lr, seen_local[c]);
	}
	for (unsigned int b = 0; b < NR_SPI_BANKS; b++) {
		assert_int_equal(spi[b].in_lr, seen_spi[b]);
		/* A bank with pending bits is never left out of the scans. */
		if (spi[b].pending)
			assert_true(dist.spi_maybe & (1U << b));
	}
}

/* ---- encodings ---------------------------------------------------------- */

static void test_v3_lr_encoding(void **state)
{
	struct vgic_lr lr = {
		.intid = 27,
		.priority = 0xa0,
		.state = VGIC_LR_PENDING,
		.group1 = true,
	};
	struct vgic_lr back;

	/* State 01 at 63:62, Group 60, priority 55:48, vINTID 31:0. */
	assert_int_equal(vgic_v3_lr_encode(&lr), 0x50a000000000001bULL);
	vgic_v3_lr_decode(0x50a000000000001bULL, &back);
	assert_memory_equal(&lr, &back, sizeof(lr));

	lr = (struct vgic_lr){.intid = 48,
			      .pintid = 48,
			      .hw = true,
			      .priority = 0x80,
			      .state = VGIC_LR_ACTIVE,
			      .group1 = true};
	assert_int_equal(vgic_v3_lr_encode(&lr), 0xb080003000000030ULL);
	vgic_v3_lr_decode(vgic_v3_lr_encode(&lr), &back);
	assert_memory_equal(&lr, &back, sizeof(lr));

	/* A free LR is all zeroes. */
	lr.state = 0;
	assert_int_equal(vgic_v3_lr_encode(&lr), 0);
}

static void test_v2_lr_encoding(void **state)
{
	struct vgic_lr lr = {
		.intid = 3,
		.priority = 0xa0,
		.state = VGIC_LR_PENDING,
		.source = 5,
	};
	struct vgic_lr back;

	/* State 29:28, priority[7:3] at 27:23, CPUID 12:10, VirtualID 9:0. */
	assert_int_equal(vgic_v2_lr_encode(&lr), 0x1a001403U);
	vgic_v2_lr_decode(0x1a001403U, &back);
	assert_memory_equal(&lr, &back, sizeof(lr));

	lr = (struct vgic_lr){.intid = 40,
			      .pintid = 40,
			      .hw = true,
			      .priority = 0xff,
			      .state = VGIC_LR_PENDING | VGIC_LR_ACTIVE};
	assert_int_equal(vgic_v2_lr_encode(&lr), 0xbf80a028U);
	vgic_v2_lr_decode(vgic_v2_lr_encode(&lr), &back);
	lr.priority = 0xf8; /* five bits survive */
	assert_memory_equal(&lr, &back, sizeof(lr));
}

/* ---- choosing what goes into the LRs ------------------------------------ */

static void test_fill_by_priority(void **state)
{
	struct vgic_fill_result res;

	enable(0, 27, 0xa0);
	enable(0, 40, 0x80);
	enable(0, 41, 0x80);
	enable(0, 50, 0x20);
	assert_true(pend(0, 27));
	assert_true(pend(0, 41));
	assert_true(pend(0, 40));
	assert_true(pend(0, 50));

	res = fill(0, 2);
	assert_true(res.overflow);
	assert_int_equal(lr_of(0, 50), 0);
	assert_int_equal(lr_of(0, 40), 1); /* equal priority: lower INTID */
	assert_int_equal(lr_of(0, 41), -1);
	assert_int_equal(cpu[0].lr[0].priority, 0x20);
	assert_true(cpu[0].lr[0].group1);
	check_invariants(2);

	/* The guest takes both; the next entry places the others. */
	guest_ack(0, 50);
	guest_eoi(0, 50);
	guest_ack(0, 40);
	guest_eoi(0, 40);
	vgic_lrs_fold(&dist, &cpu[0]);
	assert_int_equal(cpu[0].lr_used, 0);
	res = fill(0, 2);
	assert_false(res.overflow);
	assert_true(lr_of(0, 41) >= 0 && lr_of(0, 27) >= 0);
	check_invariants(2);
}

static void test_fill_only_enabled_and_routed(void **state)
{
	struct vgic_fill_result res;

	enable(0, 35, 0);
	enable(0, 36, 0);
	bank(0, 36)->target[36 % 32] = 1; /* SPI 36 goes to vCPU 1 */
	assert_false(pend(0, 34));	  /* disabled: not deliverable */
	assert_true(pend(0, 35));
	assert_true(pend(0, 36));

	res = fill(0, 4);
	assert_false(res.overflow);
	assert_true(lr_of(0, 35) >= 0);
	assert_int_equal(lr_of(0, 34), -1);
	assert_int_equal(lr_of(0, 36), -1);
	fill(1, 4);
	assert_true(lr_of(1, 36) >= 0);
	check_invariants(4);

	/* An SPI held by one vCPU is not given to another meanwhile. */
	bank(0, 35)->target[35 % 32] = 1;
	guest_ack(0, 35);
	assert_true(pend(1, 35));
	fill(1, 4);
	assert_int_equal(lr_of(1, 35), -1);
	check_invariants(4);
}

static void test_distributor_off(void **state)
{
	struct vgic_fill_result res;

	enable(0, 20, 0);
	pend(0, 20);
	dist.enabled = false;
	res = fill(0, 4);
	assert_int_equal(cpu[0].lr_used, 0);
	assert_false(res.overflow);

	dist.enabled = true;
	fill(0, 4);
	assert_true(lr_of(0, 20) >= 0);
	/* Switched off again: a pending-only LR goes back to software. */
	dist.enabled = false;
	fill(0, 4);
	assert_int_equal(lr_of(0, 20), -1);
	assert_true(bank(0, 20)->pending & vgic_bit(20));
}

static void test_evicts_lower_priority(void **state)
{
	struct vgic_fill_result res;

	enable(0, 40, 0xc0);
	enable(0, 41, 0xc0);
	enable(0, 42, 0x10);
	pend(0, 40);
	pend(0, 41);
	fill(0, 2);
	guest_ack(0, 40); /* active: must stay */

	pend(0, 42);
	res = fill(0, 2);
	assert_true(res.overflow);
	assert_true(lr_of(0, 40) >= 0);
	assert_true(lr_of(0, 42) >= 0);
	assert_int_equal(lr_of(0, 41), -1);
	assert_true(bank(0, 41)->pending & vgic_bit(41));
	check_invariants(2);
}

static void test_active_never_evicted(void **state)
{
	struct vgic_fill_result res;

	enable(0, 40, 0xc0);
	enable(0, 41, 0xc0);
	enable(0, 42, 0x00);
	pend(0, 40);
	pend(0, 41);
	fill(0, 2);
	guest_ack(0, 40);
	guest_ack(0, 41);
	pend(0, 42);
	res = fill(0, 2);
	assert_true(res.overflow);
	assert_int_equal(lr_of(0, 42), -1);
	assert_int_equal(cpu[0].lr[lr_of(0, 40)].state, VGIC_LR_ACTIVE);
}

static void test_retrigger_merges(void **state)
{
	enable(0, 30, 0x40);
	pend(0, 30);
	fill(0, 4);
	guest_ack(0, 30);
	pend(0, 30); /* again while the guest handles it */
	fill(0, 4);
	assert_int_equal(cpu[0].lr[lr_of(0, 30)].state,
			 VGIC_LR_PENDING | VGIC_LR_ACTIVE);
	assert_false(bank(0, 30)->pending & vgic_bit(30));
	check_invariants(4);
}

static void test_level_line(void **state)
{
	struct vgic_bank *b = bank(0, 16);

	enable(0, 16, 0xa0);
	b->level |= vgic_bit(16); /* the event-channel line goes high */
	pend(0, 16);
	fill(0, 4);
	guest_ack(0, 16);
	/* Still high at the next entry: pending again behind the EOI. */
	fill(0, 4);
	assert_int_equal(cpu[0].lr[lr_of(0, 16)].state,
			 VGIC_LR_PENDING | VGIC_LR_ACTIVE);

	/* EOI while the line is high and no entry in between: re-pended. */
	cpu[0].lr[lr_of(0, 16)].state = 0;
	vgic_lrs_fold(&dist, &cpu[0]);
	assert_true(b->pending & vgic_bit(16));

	/* The line drops: clearing leaves nothing to deliver. */
	b->level &= ~vgic_bit(16);
	vgic_state_clear_pending(&dist, &cpu[0], 16);
	fill(0, 4);
	assert_int_equal(cpu[0].lr_used, 0);
}

static void test_edge_not_repended(void **state)
{
	struct vgic_bank *b = bank(0, 27);

	enable(0, 27, 0xa0);
	b->edge |= vgic_bit(27);
	b->level |= vgic_bit(27);
	pend(0, 27);
	fill(0, 4);
	guest_ack(0, 27);
	guest_eoi(0, 27);
	vgic_lrs_fold(&dist, &cpu[0]);
	assert_false(b->pending & vgic_bit(27));
}

static void test_disable_and_clear_withdraw(void **state)
{
	struct vgic_bank *b = bank(0, 45);

	enable(0, 45, 0);
	enable(0, 46, 0);
	pend(0, 45);
	pend(0, 46);
	fill(0, 4);
	/* Disabled while pending in an LR: back to software pending. */
	b->enabled &= ~vgic_bit(45);
	/* Pending state cleared by the guest: dropped. */
	vgic_state_clear_pending(&dist, &cpu[0], 46);
	fill(0, 4);
	assert_int_equal(cpu[0].lr_used, 0);
	assert_true(b->pending & vgic_bit(45));
	assert_false(b->pending & vgic_bit(46));
	assert_int_equal(b->unqueue, 0);
	check_invariants(4);
}

static void test_forwarded_spi(void **state)
{
	struct vgic_bank *b = bank(0, 48);
	struct vgic_fill_result res;
	int i;

	b->hw |= vgic_bit(48);
	enable(0, 48, 0xa0);
	pend(0, 48);
	fill(0, 4);
	i = lr_of(0, 48);
	assert_true(i >= 0);
	assert_true(cpu[0].lr[i].hw);
	assert_int_equal(cpu[0].lr[i].pintid, 48);

	/* The guest clears its active state: the physical one goes too. */
	guest_ack(0, 48);
	b->deact |= vgic_bit(48);
	res = fill(0, 4);
	assert_int_equal(res.nr_deact, 1);
	assert_int_equal(res.deact[0], 48);
	assert_int_equal(lr_of(0, 48), -1);

	/* Pending in software only: clearing says "deactivate it". */
	pend(0, 48);
	b->enabled &= ~vgic_bit(48);
	assert_true(vgic_state_clear_pending(&dist, &cpu[0], 48));
	/* Pending-only in an LR and cleared: dropped and deactivated. */
	b->enabled |= vgic_bit(48);
	pend(0, 48);
	fill(0, 4);
	assert_false(vgic_state_clear_pending(&dist, &cpu[0], 48));
	res = fill(0, 4);
	assert_int_equal(res.nr_deact, 1);
	assert_int_equal(lr_of(0, 48), -1);
	check_invariants(4);
}

static void test_v2_sgi_sources(void **state)
{
	enable(0, 1, 0x20);
	vgic_state_set_pending(&dist, &cpu[0], 1, 3);
	vgic_state_set_pending(&dist, &cpu[0], 1, 5);
	fill(0, 4);
	assert_int_equal(cpu[0].lr[lr_of(0, 1)].source, 3);
	assert_false(cpu[0].lr[lr_of(0, 1)].group1);
	assert_int_equal(cpu[0].sgi_src[1], 1U << 5);
	/* The second source waits for the LR: one LR per INTID. */
	guest_ack(0, 1);
	fill(0, 4);
	assert_int_equal(cpu[0].lr[lr_of(0, 1)].state, VGIC_LR_ACTIVE);
	guest_eoi(0, 1);
	vgic_lrs_fold(&dist, &cpu[0]);
	fill(0, 4);
	assert_int_equal(cpu[0].lr[lr_of(0, 1)].source, 5);
	assert_int_equal(cpu[0].sgi_src[1], 0);
	assert_false(cpu[0].local.pending & vgic_bit(1));
}

static void test_deliverable(void **state)
{
	enable(0, 33, 0xa0);
	assert_false(vgic_state_deliverable(&dist, &cpu[0], 0, 0xf0, 0xf8));
	pend(0, 33);
	assert_true(vgic_state_deliverable(&dist, &cpu[0], 0, 0xf0, 0xf8));
	assert_false(vgic_state_deliverable(&dist, &cpu[0], 0, 0xa0, 0xf8));
	assert_false(vgic_state_deliverable(&dist, &cpu[1], 1, 0xf0, 0xf8));
	fill(0, 4);
	/* In an LR, still pending: counts. */
	assert_true(vgic_state_deliverable(&dist, &cpu[0], 0, 0xf0, 0xf8));
	guest_ack(0, 33);
	assert_false(vgic_state_deliverable(&dist, &cpu[0], 0, 0xf0, 0xf8));
}

static void test_idle(void **state)
{
	assert_true(vgic_state_idle(&dist, &cpu[0]));
	pend(0, 40); /* disabled: nothing to deliver */
	pend(0, 20);
	assert_true(vgic_state_idle(&dist, &cpu[0]));
	enable(0, 40, 0);
	assert_false(vgic_state_idle(&dist, &cpu[0]));
	fill(0, 4);
	assert_false(vgic_state_idle(&dist, &cpu[0])); /* LR in use */
	cpu[0].lr[lr_of(0, 40)].state = 0;
	vgic_lrs_fold(&dist, &cpu[0]);
	assert_true(vgic_state_idle(&dist, &cpu[0]));
}

/*
 * The summary of SPI banks with pending bits: a bank the scan found empty
 * drops out, and a later SPI of that bank, injected or re-pended by a
 * level line after its EOI, is still delivered.
 */
static void test_spi_bank_summary(void **state)
{
	enable(0, 100, 0x80);
	enable(0, 101, 0x80);
	bank(0, 101)->edge &= ~vgic_bit(101);
	assert_true(pend(0, 100));
	assert_true(dist.spi_maybe & (1U << 2));
	fill(0, 4);
	assert_true(lr_of(0, 100) >= 0);
	fill(0, 4); /* the scan finds bank 2 empty */
	assert_int_equal(dist.spi_maybe, 0);
	assert_true(vgic_state_idle(&dist, &cpu[1]));

	bank(0, 101)->level |= vgic_bit(101);
	assert_true(pend(0, 101));
	assert_false(vgic_state_idle(&dist, &cpu[0]));
	assert_true(vgic_state_deliverable(&dist, &cpu[0], 0, 0xff, 0xff));
	fill(0, 4);
	assert_true(lr_of(0, 101) >= 0);
	fill(0, 4); /* bank 2 empty again: out of the summary */
	assert_int_equal(dist.spi_maybe, 0);
	guest_ack(0, 101);
	guest_eoi(0, 101);
	/* The line is still high: re-pended at the fold, back in an LR. */
	vgic_lrs_fold(&dist, &cpu[0]);
	check_invariants(4);
	fill(0, 4);
	assert_true(lr_of(0, 101) >= 0);
	check_invariants(4);
}

/*
 * Random traffic against the invariants: injections, enables, clears,
 * guest acknowledgements and EOIs, entries and exits, on two vCPUs with
 * few LRs so that overflow and eviction happen all the time.
 */
static void test_random_traffic(void **state)
{
	const unsigned int nr_lrs = 3;
	unsigned int seed = 1;

	for (unsigned int i = 16; i < 32 + 32 * NR_SPI_BANKS; i++)
		for (unsigned int c = 0; c < NR_VCPUS; c++)
			enable(c, i, (uint8_t)((i * 37) & 0xf0));
	/* Some SPIs forwarded, some level lines held high. */
	for (unsigned int i = 32; i < 32 + 32 * NR_SPI_BANKS; i += 5)
		bank(0, i)->hw |= vgic_bit(i);
	for (unsigned int i = 18; i < 32 + 32 * NR_SPI_BANKS; i += 7)
		for (unsigned int c = 0; c < NR_VCPUS; c++)
			bank(c, i)->level |= vgic_bit(i);
	for (unsigned int round = 0; round < 200000; round++) {
		unsigned int c = rand_r(&seed) % NR_VCPUS;
		unsigned int intid = rand_r(&seed) % (32 + 32 * NR_SPI_BANKS);
		struct vgic_bank *b = bank(c, intid);
		struct vgic_fill_result res;
		int i;

		switch (rand_r(&seed) % 8) {
		case 0:
		case 1: pend(c, intid); break;
		case 2: b->enabled ^= vgic_bit(intid); break;
		case 3: vgic_state_clear_pending(&dist, &cpu[c], intid); break;
		case 4:
			if (intid >= 32)
				b->target[intid % 32] =
					(uint16_t)(rand_r(&seed) % NR_VCPUS);
			break;
		case 5:
			res = fill(c, nr_lrs);
			assert_true(res.nr_deact <= nr_lrs);
			for (i = 0; i < (int)nr_lrs; i++)
				if (cpu[c].lr_used & (1ULL << i))
					assert_true(cpu[c].lr[i].state != 0);
			break;
		case 6:
			i = (int)(rand_r(&seed) % nr_lrs);
			if (!(cpu[c].lr_used & (1ULL << i)))
				break;
			if (cpu[c].lr[i].state & VGIC_LR_PENDING)
				cpu[c].lr[i].state = VGIC_LR_ACTIVE;
			else
				cpu[c].lr[i].state = 0;
			break;
		default: vgic_lrs_fold(&dist, &cpu[c]); break;
		}
		check_invariants(nr_lrs);
	}
}

/* ---- the single-interrupt fill ------------------------------------------ */

/* The common delivery: one private interrupt, nothing else, goes to LR 0. */
static void test_fill_one_single(void **state)
{
	enable(0, 1, 0xa0);
	pend(0, 1);
	assert_true(vgic_lrs_fill_one(&dist, &cpu[0], 0, 4));
	assert_int_equal(lr_of(0, 1), 0);
	assert_int_equal(cpu[0].lr[0].state, VGIC_LR_PENDING);
	assert_int_equal(cpu[0].lr[0].priority, 0xa0);
	assert_int_equal(cpu[0].local.pending, 0);
	check_invariants(4);
	/* Taken and EOIed: folding frees LR 0; the next one fits again. */
	guest_ack(0, 1);
	guest_eoi(0, 1);
	vgic_lrs_fold(&dist, &cpu[0]);
	assert_int_equal(cpu[0].lr_used, 0);
	pend(0, 1);
	assert_true(vgic_lrs_fill_one(&dist, &cpu[0], 0, 4));
	check_invariants(4);
}

/* Whatever needs a choice or a revisit is left to the general fill. */
static void test_fill_one_declines(void **state)
{
	enable(0, 1, 0xa0);
	enable(0, 2, 0x10);
	enable(0, 40, 0x10);
	/* Nothing pending, or pending but disabled. */
	assert_false(vgic_lrs_fill_one(&dist, &cpu[0], 0, 4));
	pend(0, 3);
	assert_false(vgic_lrs_fill_one(&dist, &cpu[0], 0, 4));
	/* Two candidates: priorities decide, not the fast path. */
	pend(0, 1);
	pend(0, 2);
	assert_false(vgic_lrs_fill_one(&dist, &cpu[0], 0, 4));
	assert_int_equal(cpu[0].lr_used, 0);
	fill(0, 4);
	assert_int_equal(lr_of(0, 2), 0); /* the higher priority first */
	/* An LR in use (active, the guest still in its handler). */
	guest_ack(0, 2);
	pend(0, 1);
	assert_false(vgic_lrs_fill_one(&dist, &cpu[0], 0, 4));
	world_init(false);
	/* A deliverable SPI as well as the private one. */
	enable(0, 1, 0xa0);
	enable(0, 40, 0x10);
	pend(0, 40);
	pend(0, 1);
	assert_false(vgic_lrs_fill_one(&dist, &cpu[0], 0, 4));
	/* The distributor off, or no LR at all. */
	world_init(false);
	enable(0, 1, 0xa0);
	pend(0, 1);
	assert_false(vgic_lrs_fill_one(&dist, &cpu[0], 0, 0));
	dist.enabled = false;
	assert_false(vgic_lrs_fill_one(&dist, &cpu[0], 0, 4));
	assert_int_equal(cpu[0].lr_used, 0);
}

/* GICv2: an SGI from two sources needs two LR turns, so the general fill. */
static void test_fill_one_v2_sgi_sources(void **state)
{
	enable(0, 3, 0x80);
	vgic_state_set_pending(&dist, &cpu[0], 3, 1);
	assert_true(vgic_lrs_fill_one(&dist, &cpu[0], 0, 4));
	assert_int_equal(cpu[0].lr[0].source, 1);
	world_init(true);
	enable(0, 3, 0x80);
	vgic_state_set_pending(&dist, &cpu[0], 3, 0);
	vgic_state_set_pending(&dist, &cpu[0], 3, 1);
	assert_false(vgic_lrs_fill_one(&dist, &cpu[0], 0, 4));
}

static unsigned int folds_done;

static bool same_lrs(const struct vgic_cpu_state *a,
		     const struct vgic_cpu_state *b)
{
	if (a->lr_used != b->lr_used || a->lr_dirty != b->lr_dirty ||
	    memcmp(&a->local, &b->local, sizeof(a->local)) ||
	    memcmp(a->sgi_src, b->sgi_src, sizeof(a->sgi_src)))
		return false;
	for (unsigned int i = 0; i < VGIC_MAX_LRS; i++) {
		const struct vgic_lr *x = &a->lr[i], *y = &b->lr[i];

		if (!(a->lr_used & (1ULL << i)))
			continue;
		if (x->intid != y->intid || x->pintid != y->pintid ||
		    x->priority != y->priority || x->state != y->state ||
		    x->source != y->source || x->hw != y->hw ||
		    x->group1 != y->group1)
			return false;
	}
	return true;
}

/*
 * The exit's fold: when every LR in use was read back empty, the fast
 * vgic_lrs_fold_done must leave what the general fold leaves.
 */
static void fold_either(unsigned int c)
{
	static struct vgic_cpu_state cpu_done[NR_VCPUS];
	static struct vgic_bank spi_done[NR_SPI_BANKS];
	struct vgic_dist_state dist_done;
	uint64_t empty = ~0ULL;

	for (unsigned int i = 0; i < VGIC_MAX_LRS; i++)
		if ((cpu[c].lr_used & (1ULL << i)) && cpu[c].lr[i].state)
			empty &= ~(1ULL << i);
	if (!cpu[c].lr_used || (cpu[c].lr_used & ~empty)) {
		vgic_lrs_fold(&dist, &cpu[c]);
		return;
	}
	memcpy(cpu_done, cpu, sizeof(cpu));
	memcpy(spi_done, spi, sizeof(spi));
	dist_done = dist;
	vgic_lrs_fold(&dist, &cpu[c]);
	{
		struct vgic_dist_state *d = &dist_done;

		d->spi = spi_done;
		vgic_lrs_fold_done(d, &cpu_done[c], empty);
	}
	for (unsigned int k = 0; k < NR_VCPUS; k++)
		assert_true(same_lrs(&cpu[k], &cpu_done[k]));
	assert_memory_equal(spi, spi_done, sizeof(spi));
	assert_int_equal(dist.spi_maybe, dist_done.spi_maybe);
	folds_done++;
}

static unsigned int refills;

/*
 * An entry with LR 0 alone in use and done with: vgic_lrs_refill_one
 * must leave what vgic_lrs_fold_done then vgic_lrs_fill_one leave, or
 * decline having changed nothing (then the general path runs). A level
 * line of a PPI is sometimes raised or dropped first, so the fold's
 * re-pend is taken too.
 */
static void refill_either(unsigned int c, unsigned int nr_lrs,
			  unsigned int *seed);

/*
 * The whole emulated state, to run two paths from the same start and
 * compare where they end (the fast-path tests below).
 */
struct vgic_snap {
	struct vgic_cpu_state cpu[NR_VCPUS];
	struct vgic_bank spi[NR_SPI_BANKS];
	struct vgic_dist_state dist;
};

static void snap_take(struct vgic_snap *s)
{
	memcpy(s->cpu, cpu, sizeof(cpu));
	memcpy(s->spi, spi, sizeof(spi));
	s->dist = dist;
}

static void snap_put(const struct vgic_snap *s)
{
	memcpy(cpu, s->cpu, sizeof(cpu));
	memcpy(spi, s->spi, sizeof(spi));
	dist = s->dist;
}

/* A path that declined changed nothing. */
static void snap_unchanged(const struct vgic_snap *s)
{
	assert_memory_equal(cpu, s->cpu, sizeof(cpu));
	assert_memory_equal(spi, s->spi, sizeof(spi));
}

/* Both paths put the same interrupts in the same LRs and banks. */
static void snap_same_lrs(const struct vgic_snap *s)
{
	for (unsigned int k = 0; k < NR_VCPUS; k++)
		assert_true(same_lrs(&cpu[k], &s->cpu[k]));
	assert_memory_equal(spi, s->spi, sizeof(spi));
}

/*
 * The same, with LR 0's interrupt disabled by the guest before the entry
 * sometimes, and enabled again after it: a level line behind it must
 * stay pending though it cannot be placed.
 */
static void refill_either_disabled(unsigned int c, unsigned int nr_lrs,
				   unsigned int *seed)
{
	uint32_t bit = vgic_bit(cpu[c].lr[0].intid);
	uint32_t was = cpu[c].local.enabled & bit;

	if (rand_r(seed) % 4) {
		refill_either(c, nr_lrs, seed);
		return;
	}
	cpu[c].local.enabled &= ~bit;
	refill_either(c, nr_lrs, seed);
	cpu[c].local.enabled |= was;
}

static void refill_either(unsigned int c, unsigned int nr_lrs,
			  unsigned int *seed)
{
	static struct vgic_snap before, one;
	struct vgic_fill_result res;
	uint64_t done = ~0ULL;

	if (rand_r(seed) % 2)
		cpu[c].local.level ^= vgic_bit(16 + rand_r(seed) % 16);
	/* The guest took LR 0's interrupt and EOIed it, most times. */
	if (rand_r(seed) % 4)
		cpu[c].lr[0].state = 0;
	/* The next interrupt arrives (the same one, often). */
	if (rand_r(seed) % 4)
		pend(c, rand_r(seed) % 2 ? cpu[c].lr[0].intid
					 : (unsigned int)rand_r(seed) % 32);
	for (unsigned int i = 0; i < VGIC_MAX_LRS; i++)
		if ((cpu[c].lr_used & (1ULL << i)) && cpu[c].lr[i].state)
			done &= ~(1ULL << i);
	snap_take(&before);
	if (!vgic_lrs_refill_one(&dist, &cpu[c], c, nr_lrs, done)) {
		snap_unchanged(&before);
		if (!(cpu[c].lr_used & ~done))
			vgic_lrs_fold_done(&dist, &cpu[c], done);
		else
			vgic_lrs_fold(&dist, &cpu[c]);
		if (!vgic_lrs_fill_one(&dist, &cpu[c], c, nr_lrs))
			fill(c, nr_lrs);
		return;
	}
	refills++;
	snap_take(&one);
	snap_put(&before);
	vgic_lrs_fold_done(&dist, &cpu[c], done);
	assert_true(vgic_lrs_fill_one(&dist, &cpu[c], c, nr_lrs));
	snap_same_lrs(&one);
	assert_int_equal(dist.spi_maybe, one.dist.spi_maybe);
	/* And the general fill agrees with both (as for fill_one). */
	snap_put(&before);
	vgic_lrs_fold_done(&dist, &cpu[c], done);
	vgic_lrs_fill(&dist, &cpu[c], c, nr_lrs, &res);
	assert_false(res.overflow);
	snap_same_lrs(&one);
}

/*
 * Random traffic: whenever vgic_lrs_fill_one takes an entry, the general
 * fill from the same state must end in the same LRs and banks (the SPI
 * summary may keep banks the general scan dropped: it only shrinks).
 */
static unsigned int traffic(unsigned int seed, unsigned int rounds,
			    unsigned int pend_one_in, unsigned int spi_one_in)
{
	static struct vgic_snap before, one;
	unsigned int nr_lrs = 4, taken = 0;

	folds_done = 0;
	refills = 0;
	for (unsigned int i = 0; i < 32 + 32 * NR_SPI_BANKS; i++)
		for (unsigned int c = 0; c < NR_VCPUS; c++)
			if (rand_r(&seed) % 4)
				enable(c, i, (uint8_t)((i * 37) & 0xf0));
	for (unsigned int round = 0; round < rounds; round++) {
		unsigned int c = rand_r(&seed) % NR_VCPUS;
		unsigned int intid =
			rand_r(&seed) % (rand_r(&seed) % spi_one_in
						 ? 32
						 : 32 + 32 * NR_SPI_BANKS);
		struct vgic_fill_result res;
		int i;

		switch (rand_r(&seed) % 8) {
		case 0:
			if (rand_r(&seed) % pend_one_in == 0)
				pend(c, intid);
			break;
		case 1:
			if (rand_r(&seed) % 4 == 0)
				vgic_state_clear_pending(&dist, &cpu[c], intid);
			break;
		case 2:
		case 3:
			/* The guest runs: each LR one step further. */
			for (i = 0; i < (int)nr_lrs; i++)
				if (cpu[c].lr_used & (1ULL << i))
					cpu[c].lr[i].state =
						(cpu[c].lr[i].state &
						 VGIC_LR_PENDING)
							? VGIC_LR_ACTIVE
							: 0;
			break;
		case 4: fold_either(c); break;
		case 5:
			if (cpu[c].lr_used == 1) {
				refill_either_disabled(c, nr_lrs, &seed);
				break;
			}
			/* fall through */
		default:
			snap_take(&before);
			if (!vgic_lrs_fill_one(&dist, &cpu[c], c, nr_lrs)) {
				/* Declined: nothing changed. */
				snap_unchanged(&before);
				fill(c, nr_lrs);
				break;
			}
			taken++;
			snap_take(&one);
			snap_put(&before);
			vgic_lrs_fill(&dist, &cpu[c], c, nr_lrs, &res);
			assert_false(res.overflow);
			assert_int_equal(res.nr_deact, 0);
			snap_same_lrs(&one);
			assert_int_equal(dist.spi_maybe & ~one.dist.spi_maybe,
					 0);
			break;
		}
		check_invariants(nr_lrs);
	}
	return taken;
}

static void test_fill_one_matches_fill(void **state)
{
	unsigned int taken = traffic(4321, 100000, 1, 4);

	/* The fast path was taken often enough to mean something. */
	print_message("fill_one took %u entries\n", taken);
	assert_true(taken > 1000);
	print_message("fold_done compared %u times\n", folds_done);
	assert_true(folds_done > 1000);
}

/*
 * Sparse traffic, one interrupt pending at a time most times, as a timer
 * tick or an IPI: vgic_lrs_refill_one (sgi-self, vtimer-deadline) is
 * taken, and matches the fold and fill it stands for.
 */
static void test_refill_one_matches_fill(void **state)
{
	traffic(1234, 300000, 8, 64);
	print_message("refill_one took %u entries\n", refills);
	assert_true(refills > 1000);
}

/* ---- register fields ---------------------------------------------------- */

static void test_priority_bytes(void **state)
{
	struct vgic_bank *b = bank(0, 40);

	vgic_priority_write(b, 4, 4, 0x44332211);
	assert_int_equal(b->priority[4], 0x11);
	assert_int_equal(b->priority[7], 0x44);
	vgic_priority_write(b, 6, 1, 0xaa);
	assert_int_equal(vgic_priority_read(b, 4, 4), 0x44aa2211);
	assert_int_equal(vgic_priority_read(b, 7, 1), 0x44);
}

static void test_icfgr(void **state)
{
	struct vgic_bank *l = bank(0, 0);
	uint32_t changed;

	/* SGIs read as edge (0b10 each) and stay so. */
	assert_int_equal(vgic_icfgr_read(l, 0), 0xaaaaaaaa);
	vgic_icfgr_write(l, 0, 0, 0xffff0000);
	assert_int_equal(vgic_icfgr_read(l, 0), 0xaaaaaaaa);
	/* PPI 27 becomes edge; even bits are ignored. */
	changed = vgic_icfgr_write(l, 1, 0x00800055, 0xffff0000);
	assert_int_equal(changed, vgic_bit(27));
	assert_int_equal(vgic_icfgr_read(l, 1), 0x00800000);
}

static void test_sgi1r_decode(void **state)
{
	struct vgic_sgi1r sgi;

	/* Aff3 0xab, RS 1, Aff2 7, INTID 11, Aff1 2, targets 0 and 2. */
	vgic_sgi1r_decode((0xabULL << 48) | (1ULL << 44) | (7ULL << 32) |
				  (0xbULL << 24) | (2ULL << 16) | 0x5,
			  &sgi);
	assert_int_equal(sgi.targets, 0x0005);
	assert_int_equal(sgi.intid, 0xb);
	assert_false(sgi.broadcast);
	assert_int_equal(sgi.rs, 1);
	assert_int_equal(sgi.aff, (0xabULL << 32) | (7ULL << 16) | (2ULL << 8));
	vgic_sgi1r_decode(1ULL << 40 | 3ULL << 24, &sgi);
	assert_true(sgi.broadcast);
	assert_int_equal(sgi.intid, 3);
}

/* A random 64-bit value whose fields are often near a given MPIDR's. */
static uint64_t rand64(unsigned int *seed)
{
	return ((uint64_t)rand_r(seed) << 40) ^ ((uint64_t)rand_r(seed) << 20) ^
	       (uint64_t)rand_r(seed);
}

/*
 * The sender's own SGI (vgic_sgi1r_is_self, the fast path of sgi-self)
 * against the general decode: true exactly when the decode names one
 * target, not broadcast, and its affinity is the sender's (MPIDR bits
 * Aff3.Aff2.Aff1.Aff0).
 */
static void test_sgi1r_self_matches_decode(void **state)
{
	unsigned int seed = 99, hits = 0;

	for (unsigned int round = 0; round < 200000; round++) {
		uint64_t mpidr = rand64(&seed) & 0xff00ffffffULL;
		uint64_t self, val;
		struct vgic_sgi1r sgi;
		bool general;

		/* Small affinities, as vcpu_id_to_mpidr makes, most times. */
		if (rand_r(&seed) % 4)
			mpidr &= 0x0f0fULL;
		self = vgic_sgi1r_self(mpidr);
		val = rand64(&seed);
		switch (rand_r(&seed) % 4) {
		case 0: break;
		case 1: val = (val & ~VGIC_SGI1R_ROUTE) | self; break;
		default:
			/* One field off, or an extra target. */
			val = (val & ~VGIC_SGI1R_ROUTE) | self;
			val ^= 1ULL << (rand_r(&seed) % 64);
			break;
		}
		vgic_sgi1r_decode(val, &sgi);
		general = !sgi.broadcast && sgi.targets &&
			  !(sgi.targets & (sgi.targets - 1)) &&
			  (sgi.aff |
			   (sgi.rs * 16 +
			    (unsigned int)__builtin_ctz(sgi.targets))) == mpidr;
		assert_int_equal(vgic_sgi1r_is_self(val, self), general);
		hits += general;
	}
	print_message("sgi1r self: %u of 200000\n", hits);
	assert_true(hits > 10000);
}

/* ---- register tables ---------------------------------------------------- */

static uint64_t last_write;
static uint32_t last_off;

static uint64_t reg_read(void *ctx, uint32_t off, unsigned int size)
{
	return 0x1000 + off;
}

static void reg_write(void *ctx, uint32_t off, unsigned int size, uint64_t val)
{
	last_write = val;
	last_off = off;
}

static const struct vgic_reg regs[] = {
	{0x000, 4, VGIC_ACC_32, reg_read, reg_write},
	{0x400, 0x20, VGIC_ACC_8 | VGIC_ACC_32, reg_read, reg_write},
	{0x6000, 0x100, VGIC_ACC_32 | VGIC_ACC_64, reg_read, reg_write},
	{0xffe8, 4, VGIC_ACC_32, NULL, NULL},
};

static enum vgic_mmio_result acc(uint64_t off, unsigned int size, bool write,
				 uint64_t *val)
{
	return vgic_mmio_access(regs, 4, NULL, off, size, write, val);
}

static void test_mmio_dispatch(void **state)
{
	uint64_t val = 0;

	assert_int_equal(acc(0x404, 1, false, &val), VGIC_MMIO_OK);
	assert_int_equal(val, 0x1004);
	assert_int_equal(acc(0x405, 4, false, &val), VGIC_MMIO_BAD_ACCESS);
	assert_int_equal(acc(0x404, 2, false, &val), VGIC_MMIO_BAD_ACCESS);
	assert_int_equal(acc(0x000, 8, false, &val), VGIC_MMIO_BAD_ACCESS);
	assert_int_equal(acc(0x6008, 8, false, &val), VGIC_MMIO_OK);
	assert_int_equal(val, 0x1008);

	val = 0xffffffff12345678ULL;
	assert_int_equal(acc(0x6004, 4, true, &val), VGIC_MMIO_OK);
	assert_int_equal(last_write, 0x12345678);
	assert_int_equal(last_off, 4);

	val = 7;
	assert_int_equal(acc(0x100, 4, false, &val), VGIC_MMIO_UNKNOWN);
	assert_int_equal(val, 0);
	assert_int_equal(acc(0xffe8, 4, false, &val), VGIC_MMIO_OK);
	assert_int_equal(val, 0);
	assert_int_equal(acc(0xffe8, 4, true, &val), VGIC_MMIO_OK);
}

/*
 * A per-bank table scaled to the frame: 32 banks in a distributor, one in
 * a redistributor's SGI_base, none in RD_base (every entry misses).
 */
static const struct vgic_reg bank_regs[] = {
	{0x100, 4, VGIC_ACC_32, reg_read, reg_write},
	{0x400, 32, VGIC_ACC_8 | VGIC_ACC_32, reg_read, reg_write},
};

static enum vgic_mmio_result acc_scaled(unsigned int scale, uint64_t off,
					unsigned int size, bool write,
					uint64_t *val)
{
	return vgic_mmio_access_scaled(bank_regs, 2, scale, NULL, off, size,
				       write, val);
}

static void test_mmio_scaled(void **state)
{
	uint64_t val = 0;

	assert_int_equal(acc_scaled(32, 0x17c, 4, false, &val), VGIC_MMIO_OK);
	assert_int_equal(val, 0x107c);
	assert_int_equal(acc_scaled(32, 0x180, 4, false, &val),
			 VGIC_MMIO_UNKNOWN);
	assert_int_equal(acc_scaled(32, 0x7ff, 1, false, &val), VGIC_MMIO_OK);
	assert_int_equal(val, 0x13ff);
	assert_int_equal(acc_scaled(32, 0x7fe, 2, false, &val),
			 VGIC_MMIO_BAD_ACCESS);

	assert_int_equal(acc_scaled(1, 0x100, 4, false, &val), VGIC_MMIO_OK);
	assert_int_equal(val, 0x1000);
	assert_int_equal(acc_scaled(1, 0x104, 4, false, &val),
			 VGIC_MMIO_UNKNOWN);
	assert_int_equal(acc_scaled(1, 0x41c, 4, false, &val), VGIC_MMIO_OK);
	assert_int_equal(acc_scaled(1, 0x420, 4, false, &val),
			 VGIC_MMIO_UNKNOWN);
	val = 0x1234;
	assert_int_equal(acc_scaled(1, 0x41c, 4, true, &val), VGIC_MMIO_OK);
	assert_int_equal(last_off, 0x1c);
	assert_int_equal(last_write, 0x1234);

	val = 7;
	assert_int_equal(acc_scaled(0, 0x100, 4, false, &val),
			 VGIC_MMIO_UNKNOWN);
	assert_int_equal(val, 0);
	assert_int_equal(acc_scaled(0, 0x400, 1, true, &val),
			 VGIC_MMIO_UNKNOWN);
}

/* Every offset and size: a defined answer, never out of a register. */
static void test_mmio_exhaustive(void **state)
{
	static const unsigned int sizes[] = {1, 2, 3, 4, 8, 16};

	for (uint64_t off = 0; off < 0x10010; off++) {
		for (unsigned int s = 0; s < 6; s++) {
			uint64_t val = ~0ULL;
			enum vgic_mmio_result r =
				acc(off, sizes[s], false, &val);

			if (r == VGIC_MMIO_UNKNOWN)
				assert_int_equal(val, 0);
			if (r == VGIC_MMIO_OK)
				assert_true(val == 0 ||
					    (val >= 0x1000 && val < 0x1100));
			acc(off, sizes[s], true, &val);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v3_lr_encoding),
		cmocka_unit_test(test_v2_lr_encoding),
		cmocka_unit_test_setup(test_fill_by_priority, setup_v3),
		cmocka_unit_test_setup(test_fill_only_enabled_and_routed,
				       setup_v3),
		cmocka_unit_test_setup(test_distributor_off, setup_v3),
		cmocka_unit_test_setup(test_evicts_lower_priority, setup_v3),
		cmocka_unit_test_setup(test_active_never_evicted, setup_v3),
		cmocka_unit_test_setup(test_retrigger_merges, setup_v3),
		cmocka_unit_test_setup(test_level_line, setup_v3),
		cmocka_unit_test_setup(test_edge_not_repended, setup_v3),
		cmocka_unit_test_setup(test_disable_and_clear_withdraw,
				       setup_v3),
		cmocka_unit_test_setup(test_forwarded_spi, setup_v3),
		cmocka_unit_test_setup(test_v2_sgi_sources, setup_v2),
		cmocka_unit_test_setup(test_deliverable, setup_v3),
		cmocka_unit_test_setup(test_idle, setup_v3),
		cmocka_unit_test_setup(test_spi_bank_summary, setup_v3),
		cmocka_unit_test_setup(test_random_traffic, setup_v3),
		cmocka_unit_test_setup(test_random_traffic, setup_v2),
		cmocka_unit_test_setup(test_fill_one_single, setup_v3),
		cmocka_unit_test_setup(test_fill_one_declines, setup_v3),
		cmocka_unit_test_setup(test_fill_one_v2_sgi_sources, setup_v2),
		cmocka_unit_test_setup(test_fill_one_matches_fill, setup_v3),
		cmocka_unit_test_setup(test_fill_one_matches_fill, setup_v2),
		cmocka_unit_test_setup(test_refill_one_matches_fill, setup_v3),
		cmocka_unit_test_setup(test_refill_one_matches_fill, setup_v2),
		cmocka_unit_test_setup(test_priority_bytes, setup_v3),
		cmocka_unit_test_setup(test_icfgr, setup_v3),
		cmocka_unit_test(test_sgi1r_decode),
		cmocka_unit_test(test_sgi1r_self_matches_decode),
		cmocka_unit_test(test_mmio_dispatch),
		cmocka_unit_test(test_mmio_exhaustive),
		cmocka_unit_test(test_mmio_scaled),
	};

	return cmocka_run_group_tests_name("vgic", tests, NULL, NULL);
}
