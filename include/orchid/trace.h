/* SPDX-License-Identifier: MIT */
/*
 * Trace buffers (common/trace.c), Xen's xentrace interface: trace points
 * write Xen-format records (public/trace.h) into the running pCPU's
 * buffer, which the control domain maps read-write through
 * XENMEM_add_to_physmap_batch of DOMID_XEN frames. With
 * CONFIG_TRACEBUFFER off every trace point compiles to nothing.
 */
#ifndef ORCHID_TRACE_H
#define ORCHID_TRACE_H

#include <orchid/types.h>
#include <public/trace.h>

struct xen_sysctl_tbuf_op;
struct domain;
struct vcpu;

#ifdef CONFIG_TRACEBUFFER

/* Set by XEN_SYSCTL_TBUFOP_enable; read on every trace point. */
extern volatile bool trace_enabled;

/* The boot options tbuf_size= and tevt_mask= (after the heap is up). */
void trace_init(unsigned int pages, uint32_t evt_mask);

/* XEN_SYSCTL_tbuf_op: 0 or -errno, as Xen's tb_control. */
long trace_control(struct xen_sysctl_tbuf_op *op);

/* Write @event with @nr (<= 7) extra words and a cycle count. */
void trace_record(uint32_t event, unsigned int nr, const uint32_t *extra);

/* Is @pa one of the pages the control domain may map (DOMID_XEN)?
 * @writable: a CPU's buffer, not T_INFO. */
bool trace_page_shared(paddr_t pa, bool *writable);

static inline bool trace_on(void)
{
	return trace_enabled;
}

#else

static inline bool trace_on(void)
{
	return false;
}

static inline void trace_record(uint32_t event, unsigned int nr,
				const uint32_t *extra)
{
	(void)event;
	(void)nr;
	(void)extra;
}

static inline void trace_init(unsigned int pages, uint32_t evt_mask)
{
	(void)pages;
	(void)evt_mask;
}

static inline bool trace_page_shared(paddr_t pa, bool *writable)
{
	(void)pa;
	(void)writable;
	return false;
}

#endif

static inline void trace_var(uint32_t event, unsigned int nr,
			     const uint32_t *extra)
{
	if (trace_on())
		trace_record(event, nr, extra);
}

/* The trace points, each with Xen's record layout for its event. */
static inline void trace_2d(uint32_t event, uint32_t a, uint32_t b)
{
	const uint32_t d[2] = {a, b};

	trace_var(event, 2, d);
}

static inline void trace_4d(uint32_t event, uint32_t a, uint32_t b, uint32_t c,
			    uint32_t e)
{
	const uint32_t d[4] = {a, b, c, e};

	trace_var(event, 4, d);
}

/* Xen packs a vCPU as domain id << 16 | vCPU id in one word. */
static inline uint32_t trace_dv(uint16_t domid, uint32_t vcpu_id)
{
	return (uint32_t)domid << 16 | (vcpu_id & 0xffff);
}

#endif /* ORCHID_TRACE_H */
