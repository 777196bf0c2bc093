// SPDX-License-Identifier: MIT
/*
 * A dead DomU's memory must reach the next one as zeros (issue 13: Orchid
 * scrubs freed domain memory in idle time or on allocation, not in the
 * destroy hypercall). Two programs of the DomU test guest, run one after
 * the other by Dom0 (tests/guest/init-dom0-toolstack.sh,
 * check_baremetal_scrub), each over all of its RAM (GUEST_RAM0_BASE,
 * `mib=` MiB) but its own image and the DTB the toolstack put there:
 *
 *   mode=scrub-fill    writes SCRUB_PATTERN everywhere, says so, waits
 *                      for `xl destroy`;
 *   mode=scrub-check   counts the pages that are not all zeros, and those
 *                      that still hold the pattern, and powers off.
 *
 * Xen 4.17 gives a DomU zeroed RAM (populate_physmap's pages are scrubbed);
 * the same is expected of Orchid.
 *
 * With `dt=1`, mode=scrub-check counts over the DTB's memory banks
 * instead: Dom0's RAM is direct-mapped wherever the hypervisor found it
 * (dom0less.py, dom0-boot-scrub: Xen 4.17 scrubs it as boot memory).
 */
#include "gic.h"
#include "guest.h"

#define RAM_BASE      0x40000000ul /* GUEST_RAM0_BASE */
#define SCRUB_PATTERN 0xd5c3b2a1f00dcafeul
#define PAGE	      4096ul

extern char _start[], _end[];

/* The DTB's size from its header (big-endian totalsize). */
static unsigned long dtb_size(const void *dtb)
{
	const unsigned char *h = dtb;

	return (unsigned long)h[4] << 24 | h[5] << 16 | h[6] << 8 | h[7];
}

static int in_range(unsigned long a, unsigned long lo, unsigned long hi)
{
	return a + PAGE > lo && a < hi;
}

/* Is the page at @a one we must leave alone (our image, the DTB)? */
static int page_is_ours(unsigned long a, const void *dtb)
{
	unsigned long d = (unsigned long)dtb;

	return in_range(a, (unsigned long)_start, (unsigned long)_end) ||
	       in_range(a, d, d + dtb_size(dtb));
}

static unsigned long ram_end(void)
{
	return RAM_BASE + (bootarg_ulong("mib", 32) << 20);
}

static void __attribute__((noreturn)) scrub_fill(const void *dtb)
{
	unsigned long pages = 0;

	for (unsigned long a = RAM_BASE; a < ram_end(); a += PAGE) {
		uint64_t *w = (uint64_t *)a;

		if (page_is_ours(a, dtb))
			continue;
		for (unsigned long i = 0; i < PAGE / 8; i++)
			w[i] = SCRUB_PATTERN;
		pages++;
	}
	__asm__ volatile("dsb sy" ::: "memory");
	printf("SCRUB-FILLED pages=%lu\n", pages);
	for (;;)
		__asm__ volatile("wfi");
}

struct scrub_count {
	unsigned long pages, nonzero, pattern, first;
};

/* Counts the pages of [@base, @end) but ours. */
static void scrub_count_range(struct scrub_count *c, unsigned long base,
			      unsigned long end, const void *dtb)
{
	for (unsigned long a = base; a < end; a += PAGE) {
		const uint64_t *w = (const uint64_t *)a;
		int dirty = 0, old = 0;

		if (page_is_ours(a, dtb))
			continue;
		for (unsigned long i = 0; i < PAGE / 8; i++) {
			dirty |= w[i] != 0;
			old |= w[i] == SCRUB_PATTERN;
		}
		c->pages++;
		if (dirty && !c->nonzero)
			c->first = a;
		c->nonzero += dirty;
		c->pattern += old;
	}
}

static void __attribute__((noreturn)) scrub_check(const void *dtb)
{
	struct scrub_count c = {0};

	if (bootarg_ulong("dt", 0) == 1) {
		gic_dt_find(dtb);
		for (unsigned int i = 0; i < dt_layout.nr_ram; i++)
			scrub_count_range(&c, dt_layout.ram_base[i],
					  dt_layout.ram_base[i] +
						  dt_layout.ram_size[i],
					  dtb);
	} else {
		scrub_count_range(&c, RAM_BASE, ram_end(), dtb);
	}
	printf("SCRUB-CHECK pages=%lu nonzero=%lu pattern=%lu first=%lx\n",
	       c.pages, c.nonzero, c.pattern, c.first);
	poweroff();
}

void scrub_main(const void *dtb, int fill)
{
	if (fill)
		scrub_fill(dtb);
	scrub_check(dtb);
}
