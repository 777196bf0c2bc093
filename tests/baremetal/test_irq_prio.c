// SPDX-License-Identifier: MIT
/*
 * Several interrupts pending at once, more than the list registers hold
 * (4 on QEMU's GIC): six SGIs to self, each at its own priority, sent
 * with interrupts masked, arrive highest priority first once unmasked,
 * each once. The hypervisor must keep the best ones in its list
 * registers, evict pending ones for better ones, and refill on the
 * underflow maintenance interrupt. Then, one at a time, each arrives
 * alone (the single-interrupt path) and the SGI used last still comes
 * after a priority change.
 */
#include "gic.h"
#include "guest.h"

#define WAIT_MS	 5000
#define FIRST	 8 /* SGIs 8..13: not used by test_irq */
#define NR_SGIS	 6
#define MAX_SEEN 16

/* Distinct in the top five bits: GICv2 list registers keep only those. */
static const uint8_t prio[NR_SGIS] = {0xa0, 0x20, 0x80, 0x40, 0x60, 0x30};
static volatile unsigned int seen;
static unsigned int order[MAX_SEEN];

/* A check whose detail explains a failure only. */
static void check_ok(const char *name, int ok, const char *why)
{
	check_true(name, ok, ok ? "" : why);
}

static void order_hook(unsigned int cpu, unsigned int intid)
{
	if (seen < MAX_SEEN)
		order[seen] = intid;
	seen++;
}

static int all_seen(void)
{
	return seen >= NR_SGIS;
}

static int all_seen_one(void)
{
	return seen >= 1;
}

/* The SGI of the @n-th best priority. */
static unsigned int nth_best(unsigned int n)
{
	unsigned int best[NR_SGIS];

	for (unsigned int i = 0; i < NR_SGIS; i++)
		best[i] = i;
	for (unsigned int i = 0; i < NR_SGIS; i++)
		for (unsigned int j = i + 1; j < NR_SGIS; j++)
			if (prio[best[j]] < prio[best[i]]) {
				unsigned int t = best[i];

				best[i] = best[j];
				best[j] = t;
			}
	return FIRST + best[n];
}

static void many_pending(void)
{
	char detail[96];
	int ok;

	seen = 0;
	irq_off();
	for (unsigned int i = 0; i < NR_SGIS; i++)
		gic_send_sgi(1u << 0, FIRST + i);
	irq_on();
	ok = irq_wait(all_seen, WAIT_MS);
	delay_ms(20); /* any duplicate too */
	irq_off();
	check_ok("prio-all-arrive", ok, "not all six arrived");
	snprintf(detail, sizeof(detail), "%u arrivals: %u %u %u %u %u %u", seen,
		 order[0], order[1], order[2], order[3], order[4], order[5]);
	ok = seen == NR_SGIS;
	for (unsigned int i = 0; ok && i < NR_SGIS; i++)
		ok = order[i] == nth_best(i);
	check_ok("prio-highest-first-each-once", ok, detail);
}

static void one_at_a_time(void)
{
	int ok = 1;

	for (unsigned int round = 0; ok && round < 3 * NR_SGIS; round++) {
		seen = 0;
		gic_send_sgi(1u << 0, FIRST + round % NR_SGIS);
		irq_on();
		ok = irq_wait(all_seen_one, WAIT_MS) &&
		     order[0] == FIRST + round % NR_SGIS;
		irq_off();
	}
	check_ok("prio-one-at-a-time", ok, "an SGI alone did not arrive");
}

void test_irq_prio(void)
{
	if (!gic.version) {
		skip("all", "no GIC in the DTB");
		return;
	}
	/* Whatever earlier cases left pending arrives before the counts. */
	irq_on();
	delay_ms(5);
	irq_off();
	for (unsigned int i = 0; i < NR_SGIS; i++) {
		gic_irq_priority(0, FIRST + i, prio[i]);
		gic_irq_hook(FIRST + i, order_hook);
		gic_irq_enable(0, FIRST + i, 1);
	}
	many_pending();
	one_at_a_time();
	/* The best one made the worst: it now comes last. */
	gic_irq_priority(0, nth_best(0), 0xe0);
	seen = 0;
	irq_off();
	for (unsigned int i = 0; i < NR_SGIS; i++)
		gic_send_sgi(1u << 0, FIRST + i);
	irq_on();
	irq_wait(all_seen, WAIT_MS);
	delay_ms(20);
	irq_off();
	check_ok("prio-changed-comes-last",
		 seen == NR_SGIS && order[NR_SGIS - 1] == FIRST + 1,
		 "the re-prioritised SGI was not last");
	gic_irq_priority(0, FIRST + 1, prio[1]);
}
