// SPDX-License-Identifier: MIT
/* Per-domain emulated MMIO ranges (the vGIC, later the vPL011). */
#include <asm/mmio.h>
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/mm.h>

int mmio_register(struct domain *d, uint64_t base, uint64_t size,
		  const struct mmio_ops *ops, void *priv)
{
	struct mmio_handler *h;

	if (d->arch.nr_mmio == MMIO_HANDLERS_MAX || size == 0 ||
	    range_overflows(base, size))
		return -ENOSPC;
	h = xzalloc(sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->base = base;
	h->size = size;
	h->ops = ops;
	h->priv = priv;
	d->arch.mmio[d->arch.nr_mmio++] = h;
	return 0;
}

void mmio_unregister_all(struct domain *d)
{
	for (unsigned int i = 0; i < d->arch.nr_mmio; i++)
		xfree(d->arch.mmio[i]);
	d->arch.nr_mmio = 0;
}

bool mmio_dispatch(struct vcpu *v, uint64_t ipa, bool write, unsigned int size,
		   uint64_t *val)
{
	struct domain *d = v->domain;

	for (unsigned int i = 0; i < d->arch.nr_mmio; i++) {
		const struct mmio_handler *h = d->arch.mmio[i];
		uint64_t off = ipa - h->base;

		if (ipa < h->base || off >= h->size)
			continue;
		if (off + size > h->size)
			return false;
		return write ? h->ops->write(v, off, size, *val, h->priv)
			     : h->ops->read(v, off, size, val, h->priv);
	}
	return false;
}
