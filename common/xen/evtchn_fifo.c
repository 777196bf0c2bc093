// SPDX-License-Identifier: MIT
/*
 * The FIFO event-channel ABI: EVTCHNOP_init_control and
 * EVTCHNOP_expand_array (EVTCHNOP_set_priority is evtchn.c's: it is about
 * a port).
 *
 * Orchid delivers events through the 2-level ABI only. Xen 4.17 on Arm
 * implements FIFO, and a guest whose init_control succeeds switches to it
 * for good (Linux then never looks at the 2-level bitmaps again), so
 * Orchid may not say yes. It answers as Xen 4.17 does up to the point
 * where Xen would set up the queues: the same checks in the same order
 * with the same errnos, so that a bad request fails alike on both. A good
 * request then gets -EOPNOTSUPP, what Xen itself answers when built
 * without FIFO (CONFIG_EVTCHN_FIFO=n, Xen 4.21 and later); Linux treats
 * any failure of its first init_control as "no FIFO" and stays with
 * 2-level ("xen:events: Using 2-level ABI").
 */
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/event.h>
#include <orchid/p2m.h>
#include <public/event_channel.h>

/* The highest offset at which a control block still fits in its page. */
#define FIFO_CONTROL_MAX_OFFSET                                                \
	(PAGE_SIZE - sizeof(struct evtchn_fifo_control_block))

/*
 * Xen's map_guest_page: the GFN must name a page of the domain's own
 * memory (its RAM, a foreign page it mapped, or a page Orchid shares with
 * it such as shared_info). Holes, MMIO and granted pages are -EINVAL.
 */
static bool fifo_gfn_is_guest_page(struct domain *d, uint64_t gfn)
{
	enum p2m_type type;

	if (gfn >= (1ULL << (p2m_ipa_bits() - PAGE_SHIFT)))
		return false;
	if (!p2m_lookup(d, ipa_init(gfn << PAGE_SHIFT), NULL, &type))
		return false;
	return p2m_is_ram(type) || type == p2m_map_foreign_rw ||
	       type == p2m_xen_page;
}

int evtchn_fifo_init_control(struct domain *d,
			     const struct evtchn_init_control *op)
{
	if (!domain_vcpu(d, op->vcpu))
		return -ENOENT;
	/* The control block may not cross into the next page. */
	if (op->offset > FIFO_CONTROL_MAX_OFFSET)
		return -EINVAL;
	if (op->offset & 7)
		return -EINVAL;
	if (!fifo_gfn_is_guest_page(d, op->control_gfn))
		return -EINVAL;
	return -EOPNOTSUPP;
}

/* Xen: adding event-array pages needs FIFO set up first. */
int evtchn_fifo_expand_array(struct domain *d,
			     const struct evtchn_expand_array *op)
{
	(void)d;
	(void)op;
	return -EOPNOTSUPP;
}
