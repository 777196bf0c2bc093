/* SPDX-License-Identifier: MIT */
/*
 * Between the one vpl011 emulation (vpl011.c: registers, flags, the
 * interrupt line) and its two backends, as Xen 4.17 has them:
 *   vpl011_console.c  Orchid is the backend: output to Orchid's console,
 *                     input from the physical UART (dom0less DomUs);
 *   vpl011_ring.c     a backend domain is (xenconsoled in Dom0): a
 *                     struct xencons_interface page in the guest's RAM
 *                     plus an event channel (XEN_DOMCTL_vuart_op).
 * A backend only moves bytes and says how full its two FIFOs are; what
 * the guest sees of that (FR, RIS, the SPI) is decided in vpl011.c alone.
 */
#ifndef ARM64_VPL011_BACKEND_H
#define ARM64_VPL011_BACKEND_H

#include <orchid/types.h>

struct domain;

/* How full the FIFOs are: "in" to the guest, "out" from it. */
struct vpl011_levels {
	uint32_t in, in_size;	/* 0 <= in <= in_size */
	uint32_t out, out_size; /* 0 <= out <= out_size */
};

/*
 * Every call but kick runs under the emulation's lock, which therefore
 * also guards the backend's own state.
 */
struct vpl011_backend_ops {
	void (*levels)(void *be, struct vpl011_levels *l);
	/* A byte the guest wrote: false (dropped) when "out" is full. */
	bool (*put)(struct domain *d, void *be, uint8_t c);
	/* The next byte for the guest: false when "in" is empty. */
	bool (*get)(void *be, uint8_t *c);
	/* After put or get moved a byte, unlocked: tell the backend. */
	void (*kick)(struct domain *d, void *be);
	/* Domain teardown, or an init that failed after attaching. */
	void (*destroy)(struct domain *d, void *be);
};

/*
 * Emulate the SBSA UART at GUEST_PL011_BASE for @d with @ops and @be.
 * 0; -EINVAL when @d already has one (Xen's re-init error); -ENOMEM;
 * the errors of mmio_register. On error @be is the caller's still.
 */
int vpl011_attach(struct domain *d, const struct vpl011_backend_ops *ops,
		  void *be);
/*
 * The backend's side changed (bytes arrived or were taken): run @fn on
 * the backend's state under the emulation's lock, when not NULL, then
 * re-evaluate the interrupt. False (nothing done) when @d has no vpl011
 * or another kind of backend than @ops.
 */
bool vpl011_backend_update(struct domain *d,
			   const struct vpl011_backend_ops *ops,
			   void (*fn)(void *be, void *arg), void *arg);

#endif /* ARM64_VPL011_BACKEND_H */
