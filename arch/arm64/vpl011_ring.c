// SPDX-License-Identifier: MIT
/*
 * The vpl011 backend in a domain (Xen's backend_in_domain), for a DomU
 * that `xl` creates with vuart = "sbsa_uart": XEN_DOMCTL_vuart_op names a
 * page of the guest's RAM (the toolstack's magic page) that becomes a
 * struct xencons_interface, and the backend domain (xenconsoled in
 * Dom0) gets an event channel to Orchid's end. Guest output goes to
 * "out", input comes from "in"; each byte moved signals the backend, and
 * the backend's events re-evaluate the UART's interrupt.
 *
 * The page stays the guest's and the backend maps it too: both may write
 * any index at any time. Every index is therefore read once per
 * operation and only ever used masked to its array, and a level is
 * always within [0, size], whatever the indices say (Xen's
 * xencons_queued). Orchid holds a reference on the page from the domctl
 * until the domain is destroyed, so a guest that gives the page back
 * cannot make Orchid write into memory reused elsewhere.
 */
#include <asm/vgic.h>
#include <asm/vpl011.h>
#include <orchid/domain.h>
#include <orchid/domain_mem.h>
#include <orchid/errno.h>
#include <orchid/arch.h>
#include <orchid/event.h>
#include <orchid/guest_access.h>
#include <orchid/mm.h>
#include <public/arch-arm.h>
#include <public/domctl.h>
#include <public/io/console.h>

#include "vpl011_backend.h"

struct vpl011_ring {
	struct xencons_interface *intf;
	paddr_t page; /* referenced until vpl011_ring_destroy */
	unsigned int port;
};

static uint32_t vpl011_ring_load(const XENCONS_RING_IDX *idx)
{
	return __atomic_load_n(idx, __ATOMIC_ACQUIRE);
}

static void vpl011_ring_store(XENCONS_RING_IDX *idx, uint32_t val)
{
	__atomic_store_n(idx, val, __ATOMIC_RELEASE);
}

/* Bytes between @cons and @prod in a ring of @size (a power of two). */
static uint32_t vpl011_ring_queued(uint32_t prod, uint32_t cons, uint32_t size)
{
	uint32_t n;

	if (prod == cons)
		return 0;
	n = (prod - cons) & (size - 1);
	/* Unequal indices a multiple of the size apart: a full ring. */
	return n ? n : size;
}

static void vpl011_ring_levels(void *be, struct vpl011_levels *l)
{
	struct xencons_interface *r = ((struct vpl011_ring *)be)->intf;

	l->in_size = sizeof(r->in);
	l->in = vpl011_ring_queued(vpl011_ring_load(&r->in_prod),
				   vpl011_ring_load(&r->in_cons), l->in_size);
	l->out_size = sizeof(r->out);
	l->out =
		vpl011_ring_queued(vpl011_ring_load(&r->out_prod),
				   vpl011_ring_load(&r->out_cons), l->out_size);
}

static bool vpl011_ring_put(struct domain *d, void *be, uint8_t c)
{
	struct xencons_interface *r = ((struct vpl011_ring *)be)->intf;
	uint32_t prod = vpl011_ring_load(&r->out_prod);
	uint32_t cons = vpl011_ring_load(&r->out_cons);

	(void)d;
	if (vpl011_ring_queued(prod, cons, sizeof(r->out)) == sizeof(r->out))
		return false;
	r->out[prod & (sizeof(r->out) - 1)] = (char)c;
	/* The byte is in place before the backend can see the index move. */
	vpl011_ring_store(&r->out_prod, prod + 1);
	return true;
}

static bool vpl011_ring_get(void *be, uint8_t *c)
{
	struct xencons_interface *r = ((struct vpl011_ring *)be)->intf;
	uint32_t cons = vpl011_ring_load(&r->in_cons);
	uint32_t prod = vpl011_ring_load(&r->in_prod);

	if (!vpl011_ring_queued(prod, cons, sizeof(r->in)))
		return false;
	*c = (uint8_t)r->in[cons & (sizeof(r->in) - 1)];
	vpl011_ring_store(&r->in_cons, cons + 1);
	return true;
}

static void vpl011_ring_kick(struct domain *d, void *be)
{
	evtchn_notify_xen(d, ((struct vpl011_ring *)be)->port);
}

/*
 * Teardown: the event channel went with the domain's (or was never
 * bound); the page reference goes now.
 */
static void vpl011_ring_destroy(struct domain *d, void *be)
{
	struct vpl011_ring *ring = be;

	(void)d;
	domain_mem_put_page(ring->page);
	xfree(ring);
}

static const struct vpl011_backend_ops vpl011_ring_ops = {
	.levels = vpl011_ring_levels,
	.put = vpl011_ring_put,
	.get = vpl011_ring_get,
	.kick = vpl011_ring_kick,
	.destroy = vpl011_ring_destroy,
};

/* The backend sent an event: it took output or gave input. */
static void vpl011_ring_event(struct domain *d, unsigned int port)
{
	(void)port;
	vpl011_backend_update(d, &vpl011_ring_ops, NULL, NULL);
}

/* The page at @gfn, referenced: 0, or -EINVAL when it is no RAM of @d. */
static int vpl011_ring_map(struct domain *d, uint64_t gfn,
			   struct vpl011_ring *ring)
{
	if (gfn > (UINT64_MAX >> PAGE_SHIFT))
		return -EINVAL;
	ring->intf =
		guest_ram_page(d, ipa_init(gfn << PAGE_SHIFT), &ring->page);
	if (!ring->intf)
		return -EINVAL;
	return domain_mem_get_page(d, ring->page, DM_GET_RAM) ? -EINVAL : 0;
}

int vpl011_init_ring(struct domain *d, uint64_t gfn, domid_t backend,
		     unsigned int *port)
{
	struct vpl011_ring *ring;
	int ret;

	/* Xen's order: a second vpl011, then the page, the channel, the SPI. */
	if (d->arch.vpl011)
		return -EINVAL;
	ring = xzalloc(sizeof(*ring));
	if (!ring)
		return -ENOMEM;
	ret = vpl011_ring_map(d, gfn, ring);
	if (ret) {
		xfree(ring);
		return ret;
	}
	ret = evtchn_alloc_xen_unbound(d, backend, vpl011_ring_event);
	if (ret < 0)
		goto out_page;
	ring->port = (unsigned int)ret;
	ret = vgic_virq_available(d, GUEST_VPL011_SPI) ? 0 : -EINVAL;
	if (!ret)
		ret = vpl011_attach(d, &vpl011_ring_ops, ring);
	if (ret)
		goto out_port;
	*port = ring->port;
	return 0;

out_port:
	evtchn_free_xen(d, ring->port);
out_page:
	domain_mem_put_page(ring->page);
	xfree(ring);
	return ret;
}

/* Arm's only type is Xen's: the vpl011. */
int arch_vuart_init(struct domain *d, uint32_t type, uint64_t gfn,
		    uint16_t backend, unsigned int *port)
{
	if (type != XEN_DOMCTL_VUART_TYPE_VPL011)
		return -EOPNOTSUPP;
	return vpl011_init_ring(d, gfn, backend, port);
}
