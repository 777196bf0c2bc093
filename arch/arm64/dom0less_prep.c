// SPDX-License-Identifier: MIT
/*
 * A deferred dom0less build's RAM, allocated and scrubbed ahead of the
 * build a bounded piece at a time, so that the pCPU doing it (pCPU 0, where
 * DomUs already run) is given back between pieces.
 *
 * Orchid runs tasklets with interrupts masked: a DomU's scrub in one go
 * (3.4 ms per 64 MiB under -icount shift=0) delayed the timer interrupt of
 * every vCPU on pCPU 0 by as long (dom0less-build-latency: 12.5 ms with a
 * 128 MiB DomU's restart, 0.68 ms now). Here each tasklet run scrubs
 * 256 KiB pieces and stops at the first one after which work is pending
 * (an interrupt, a reschedule), or,
 * when a vCPU was interrupted for it, once its slice is spent; a timer
 * then queues it again: at once from the idle loop, after a gap from a
 * vCPU, whose next trap (that timer's interrupt at the latest) runs it, so
 * a busy DomU cannot starve the build nor the build the DomU.
 *
 * The blocks are no domain's until dom0less_build_one takes them
 * (dom0less_prep_take); a domain therefore never exists, let alone runs,
 * before all of its RAM is scrubbed.
 */
#include <asm/domain_build.h>
#include <orchid/arch.h>
#include <orchid/cmdline.h>
#include <orchid/domain.h>
#include <orchid/domain_mem.h>
#include <orchid/errno.h>
#include <orchid/hypercall.h>
#include <orchid/mm.h>
#include <orchid/setup.h>
#include <orchid/string.h>

#include "dom0less.h"

/* pCPU 0 is always online; the builds that take the RAM run there. */
#define PREP_CPU 0
/*
 * A scrub step: 256 KiB is ~13 us of DC ZVA under -icount shift=0, how
 * late pending work is noticed (dom0less-build-latency).
 */
#define PREP_PIECE (256UL << 10)
/*
 * After a slice from a vCPU's trap end, it runs this long before the next:
 * the build has 2/3 of a busy pCPU (bench-dom0less "second (d2)": 11.54
 * ms built in one go, 12.99 now). 50 us (4/5: 12.14 ms) let a 100 us job
 * of dom0less-build-latency's task lose two slices: 0.89 of its 1 ms.
 */
#define PREP_GAP_NS 100000ULL

bool dom0less_slice_begin(void)
{
	bool idle = current_vcpu()->is_idle;

	preempt_deadline_set(idle ? 0 : arch_now_ns() + DOM0LESS_SLICE_NS);
	return idle;
}

void dom0less_slice_end(void)
{
	preempt_deadline_set(0);
}

static void prep_later(struct dom0less_prep *p, uint64_t delay_ns)
{
	timer_set(&p->timer, arch_now_ns() + delay_ns);
}

/* A bank is one block from kinfo_alloc_block: 2^order pages. */
static unsigned int prep_order(const struct mem_region *b)
{
	return (unsigned int)__builtin_ctzll(b->size >> PAGE_SHIFT);
}

static void prep_free(struct dom0less_prep *p)
{
	for (unsigned int i = 0; i < p->k.nr_banks; i++)
		free_pages(arch_pa_to_va(p->k.banks[i].base),
			   prep_order(&p->k.banks[i]));
	p->k.nr_banks = 0;
}

/* One bounded step; false once the RAM is ready (or none is left). */
static bool prep_step(struct dom0less_prep *p)
{
	struct mem_region piece;
	uint64_t got;

	if (p->stage == PREP_ALLOC) {
		got = kinfo_alloc_block(&p->k, p->left, 0);
		p->left -= got;
		if (got && p->left)
			return true;
		region_walk_init(&p->walk);
		p->stage = PREP_SCRUB;
		return true;
	}
	if (p->stage == PREP_SCRUB &&
	    region_walk_next(&p->walk, p->k.banks, p->k.nr_banks, PREP_PIECE,
			     &piece)) {
		kinfo_scrub_piece(&piece);
		return true;
	}
	p->stage = PREP_READY;
	return false;
}

static void prep_work(void *data)
{
	struct dom0less_prep *p = data;
	bool idle;

	timer_stop(&p->timer);
	if (p->stage != PREP_ALLOC && p->stage != PREP_SCRUB)
		return;
	idle = dom0less_slice_begin();
	while (prep_step(p))
		if (hypercall_preempt_check()) {
			dom0less_slice_end();
			/* From idle: on as soon as the pending work is done. */
			prep_later(p, idle ? 0 : PREP_GAP_NS);
			return;
		}
	dom0less_slice_end();
	p->done(p->data);
}

/*
 * Queues the work, and again every gap until it runs: a vCPU that never
 * traps is interrupted by this timer, whose trap runs the work.
 */
static void prep_timer(void *data)
{
	struct dom0less_prep *p = data;

	tasklet_schedule(&p->tasklet);
	prep_later(p, PREP_GAP_NS);
}

void dom0less_prep_init(struct dom0less_prep *p, void (*done)(void *data),
			void *data)
{
	memset(p, 0, sizeof(*p));
	p->done = done;
	p->data = data;
	timer_init(&p->timer, prep_timer, p, PREP_CPU);
	tasklet_init(&p->tasklet, prep_work, p, PREP_CPU);
}

void dom0less_prep_start(struct dom0less_prep *p, unsigned int index)
{
	dom0less_prep_drop(p);
	p->index = index;
	/* bootscrub=0: nothing to do ahead, the build allocates its RAM. */
	p->size = boot_options.bootscrub == BOOTSCRUB_OFF
			  ? 0
			  : dom0less_heap_ram(index);
	p->left = p->size;
	p->stage = PREP_ALLOC;
	prep_later(p, 0);
}

int dom0less_prep_take(struct dom0less_prep *p, unsigned int index,
		       uint64_t size, struct domain *d, struct kernel_info *k)
{
	if (p->stage != PREP_READY || p->index != index || p->size != size ||
	    !p->k.nr_banks) {
		dom0less_prep_drop(p);
		return -ENOENT;
	}
	p->stage = PREP_IDLE;
	for (unsigned int i = 0; i < p->k.nr_banks; i++) {
		const struct mem_region *b = &p->k.banks[i];

		if (domain_mem_assign(d, arch_pa_to_va(b->base),
				      prep_order(b))) {
			/* The rest back; the first @i are @d's now. */
			memmove(&p->k.banks[0], b,
				(p->k.nr_banks - i) * sizeof(*b));
			p->k.nr_banks -= i;
			prep_free(p);
			break;
		}
		k->banks[k->nr_banks++] = *b;
	}
	p->k.nr_banks = 0;
	return 0;
}

void dom0less_prep_drop(struct dom0less_prep *p)
{
	timer_stop(&p->timer);
	prep_free(p);
	p->stage = PREP_IDLE;
}
