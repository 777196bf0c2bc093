/* SPDX-License-Identifier: MIT */
/*
 * Emulated MMIO: a domain registers handlers for IPA ranges; a stage-2
 * data abort in such a range is decoded once (ESR ISV/SAS/SRT/SSE) and
 * handed to the handler.
 */
#ifndef ASM_MMIO_H
#define ASM_MMIO_H

#include <orchid/types.h>

struct domain;
struct vcpu;

struct mmio_ops {
	/* @offset from the range's base; @size 1, 2, 4 or 8. Return true when
	 * handled; false makes Orchid inject a data abort into the guest. */
	bool (*read)(struct vcpu *v, uint64_t offset, unsigned int size,
		     uint64_t *val, void *priv);
	bool (*write)(struct vcpu *v, uint64_t offset, unsigned int size,
		      uint64_t val, void *priv);
};

struct mmio_handler {
	uint64_t base, size;
	const struct mmio_ops *ops;
	void *priv;
};

/*
 * Emulate [@base, @base + @size) of @d with @ops. -EINVAL for an empty or
 * wrapping range, -EEXIST if it overlaps one @d has, -ENOSPC past
 * MMIO_HANDLERS_MAX ranges.
 */
int mmio_register(struct domain *d, uint64_t base, uint64_t size,
		  const struct mmio_ops *ops, void *priv);
void mmio_unregister_all(struct domain *d);
/* The handler of @d that covers @ipa, or NULL. */
const struct mmio_handler *mmio_find(const struct domain *d, uint64_t ipa);
/* Whether a handler of @d covers @ipa. */
bool mmio_claims(const struct domain *d, uint64_t ipa);
/* Find and run the handler for @ipa; false when there is none. */
bool mmio_dispatch(struct vcpu *v, uint64_t ipa, bool write, unsigned int size,
		   uint64_t *val);
/*
 * A stage-2 data abort of @v at @ipa with syndrome @iss (ESR_EL2.ISS):
 * emulate the access and step over it, or inject a data abort at FAR when
 * the syndrome is not valid or no handler takes the access.
 */
void mmio_handle_dabt(struct vcpu *v, uint32_t iss, uint64_t ipa);
/* The same with the handler already found (@h NULL: none takes it). */
void mmio_emulate_dabt(struct vcpu *v, uint32_t iss, uint64_t ipa,
		       const struct mmio_handler *h);

#endif /* ASM_MMIO_H */
