// SPDX-License-Identifier: MIT
/*
 * Per-domain emulated MMIO ranges (the vGIC, later the vPL011), and the
 * decoding of the data aborts that reach them.
 */
#include <asm/mmio.h>
#include <asm/traps.h>
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/mm.h>
#include <orchid/printk.h>

/* Data abort ISS fields (ESR_EL2, EC 0x24). */
#define DABT_ISV       (1U << 24)
#define DABT_SAS_SHIFT 22
#define DABT_SSE       (1U << 21)
#define DABT_SRT_SHIFT 16
#define DABT_SF	       (1U << 15)
#define DABT_S1PTW     (1U << 7)
#define DABT_WNR       (1U << 6)

int mmio_register(struct domain *d, uint64_t base, uint64_t size,
		  const struct mmio_ops *ops, void *priv)
{
	struct mmio_handler *h;

	if (size == 0 || range_overflows(base, size))
		return -EINVAL;
	/* One handler per address: dispatch takes the first that matches. */
	for (unsigned int i = 0; i < d->arch.nr_mmio; i++) {
		h = d->arch.mmio[i];
		if (base <= h->base + (h->size - 1) &&
		    h->base <= base + (size - 1))
			return -EEXIST;
	}
	if (d->arch.nr_mmio == MMIO_HANDLERS_MAX)
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

const struct mmio_handler *mmio_find(const struct domain *d, uint64_t ipa)
{
	for (unsigned int i = 0; i < d->arch.nr_mmio; i++) {
		const struct mmio_handler *h = d->arch.mmio[i];

		if (ipa >= h->base && ipa - h->base < h->size)
			return h;
	}
	return NULL;
}

bool mmio_claims(const struct domain *d, uint64_t ipa)
{
	return mmio_find(d, ipa) != NULL;
}

/* Inline: on the path of every emulated access (bench-micro's gicd_* rows). */
static inline __attribute__((always_inline)) bool
mmio_run(struct vcpu *v, const struct mmio_handler *h, uint64_t ipa, bool write,
	 unsigned int size, uint64_t *val)
{
	uint64_t off = ipa - h->base;

	if (off + size > h->size)
		return false;
	return write ? h->ops->write(v, off, size, *val, h->priv)
		     : h->ops->read(v, off, size, val, h->priv);
}

bool mmio_dispatch(struct vcpu *v, uint64_t ipa, bool write, unsigned int size,
		   uint64_t *val)
{
	const struct mmio_handler *h = mmio_find(v->domain, ipa);

	return h && mmio_run(v, h, ipa, write, size, val);
}

/* Put what a load read into its register: sign- and zero-extended. */
static void mmio_complete_read(struct vcpu *v, uint32_t iss, unsigned int size,
			       uint64_t val)
{
	unsigned int rt = (iss >> DABT_SRT_SHIFT) & 0x1f;
	unsigned int bits = size * 8;

	if (bits < 64)
		val &= (1UL << bits) - 1;
	if ((iss & DABT_SSE) && bits < 64 && (val >> (bits - 1)) & 1)
		val |= ~0UL << bits;
	if (!(iss & DABT_SF))
		val &= 0xffffffffUL;
	guest_reg_set(v, rt, val);
}

void mmio_emulate_dabt(struct vcpu *v, uint32_t iss, uint64_t ipa,
		       const struct mmio_handler *h)
{
	unsigned int size = 1U << ((iss >> DABT_SAS_SHIFT) & 3);
	bool write = iss & DABT_WNR;
	uint64_t val = 0;

	/* Without a valid syndrome the access cannot be emulated. */
	if (!h || !(iss & DABT_ISV) || (iss & DABT_S1PTW))
		goto bad;
	if (write) {
		val = guest_reg(v, (iss >> DABT_SRT_SHIFT) & 0x1f);
		/* A store of @size bytes carries only the register's low ones. */
		if (size < 8)
			val &= (1UL << (size * 8)) - 1;
	}
	if (!mmio_run(v, h, ipa, write, size, &val))
		goto bad;
	if (!write)
		mmio_complete_read(v, iss, size, val);
	advance_pc(v);
	return;
bad:
	if (printk_ratelimit())
		pr_debug("d%uv%u: unhandled data abort at IPA %#lx (ISS %#x, "
			 "PC %#lx)\n",
			 v->domain->domain_id, v->vcpu_id, ipa, iss,
			 v->arch.regs.pc);
	inject_dabt(v, v->arch.regs.far);
}

void mmio_handle_dabt(struct vcpu *v, uint32_t iss, uint64_t ipa)
{
	mmio_emulate_dabt(v, iss, ipa, mmio_find(v->domain, ipa));
}
