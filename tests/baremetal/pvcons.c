// SPDX-License-Identifier: MIT
/*
 * A DomU's console: the PV console ring Xen's toolstack gives it (the
 * page of HVM_PARAM_CONSOLE_PFN, in Xen's magic range at 0x39000000,
 * announced on HVM_PARAM_CONSOLE_EVTCHN), read by xenconsoled in Dom0.
 * Release Xen refuses console_io to a DomU (-EPERM), so this is the only
 * way out. Called once the MMU is on: the ring is shared with Dom0's
 * cacheable mapping, so it must be Normal cacheable here too (mmu.c).
 */
#include "guest.h"
#include "xen.h"

#define HVM_PARAM_CONSOLE_PFN	 17
#define HVM_PARAM_CONSOLE_EVTCHN 18

/* xen/include/public/io/console.h */
struct xencons_interface {
	char in[1024];
	char out[2048];
	uint32_t in_cons, in_prod;
	uint32_t out_cons, out_prod;
};
#define OUT_SIZE 2048u

static volatile struct xencons_interface *ring;
static uint32_t ring_port;
/* xenconsoled's end of the console's channel (pvcons_port_check). */
static uint16_t peer_dom = DOMID_INVALID;
static uint32_t peer_port;

static uint64_t hvm_param(uint32_t index, long *err)
{
	struct xen_hvm_param p = {.domid = DOMID_SELF, .index = index};

	*err = HC2(__HYPERVISOR_hvm_op, HVMOP_get_param, &p);
	return p.value;
}

/*
 * The fuzzer's guard: a hypercall writing where it was not asked to
 * could land on this state (it is data, not code or page tables). A copy
 * in .data tells, and puts it back so that the report can be printed.
 */
static struct {
	volatile struct xencons_interface *ring;
	uint32_t port;
} saved = {(void *)1, 1};

void pvcons_guard_init(void)
{
	saved.ring = ring;
	saved.port = ring_port;
}

int pvcons_intact(void)
{
	volatile struct xencons_interface *bad_ring = ring;
	uint32_t bad_port = ring_port;
	int ok = ring == saved.ring && ring_port == saved.port;

	ring = saved.ring;
	ring_port = saved.port;
	if (!ok) /* what it became says what wrote it */
		printf("pvcons: ring %lx port %x, were %lx %x\n",
		       (unsigned long)(uintptr_t)bad_ring, bad_port,
		       (unsigned long)(uintptr_t)saved.ring, saved.port);
	return ok;
}

/* The port xenconsoled listens on, 0 (never valid) before pvcons_init. */
uint32_t pvcons_port(void)
{
	return ring_port;
}

/* The remote end of @port when it is interdomain: 0, else nonzero. */
static int port_peer(uint32_t port, uint16_t *dom, uint32_t *remote)
{
	struct evtchn_status st = {.dom = DOMID_SELF, .port = port};

	if (HC2(__HYPERVISOR_event_channel_op, EVTCHNOP_status, &st) ||
	    st.status != EVTCHNSTAT_interdomain)
		return 1;
	*dom = st.u.interdomain.dom;
	*remote = st.u.interdomain.port;
	return 0;
}

/* 0, or why there is no ring (the caller has no console to say it on). */
long pvcons_init(void)
{
	long err;
	uint64_t pfn = hvm_param(HVM_PARAM_CONSOLE_PFN, &err);

	if (err)
		return err;
	if (!pfn)
		return -XEN_ENOENT;
	ring_port = (uint32_t)hvm_param(HVM_PARAM_CONSOLE_EVTCHN, &err);
	if (err)
		return err;
	ring = (volatile struct xencons_interface *)(uintptr_t)(pfn << 12);
	saved.ring = ring;
	saved.port = ring_port;
	if (port_peer(ring_port, &peer_dom, &peer_port))
		peer_dom = DOMID_INVALID; /* no way back if it is closed */
	return 0;
}

/*
 * 1 while the console's port is still bound to xenconsoled's. A guest may
 * close it or reset its own channels (Xen and Orchid let it); then the
 * peer's end is unbound for this domain again, and binding to it gives
 * the console a new port, so the guest can still say what happened.
 */
int pvcons_port_check(void)
{
	struct evtchn_bind_interdomain bind = {.remote_dom = peer_dom,
					       .remote_port = peer_port};
	uint16_t dom;
	uint32_t port;

	if (!ring || peer_dom == DOMID_INVALID)
		return 1;
	if (!port_peer(ring_port, &dom, &port) && dom == peer_dom &&
	    port == peer_port)
		return 1;
	if (!HC2(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_interdomain,
		 &bind))
		saved.port = ring_port = bind.local_port;
	return 0;
}

int pvcons_ready(void)
{
	return ring != NULL;
}

static void notify(void)
{
	struct evtchn_send send = {.port = ring_port};

	HC2(__HYPERVISOR_event_channel_op, EVTCHNOP_send, &send);
}

static uint64_t counter(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v)::"memory");
	return v;
}

static uint64_t counter_hz(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

/*
 * Until xenconsoled has made room: it notifies us when it has read, but
 * this guest takes no interrupts, so it looks every millisecond, kicking
 * it again every 100 ms. Not a hypercall storm: a flood of sends makes
 * Dom0's side slower, not faster. After 10 s the output is dropped (0):
 * a test guest must end, with or without a console.
 */
static int wait_for_room(uint32_t prod, uint32_t *cons)
{
	uint64_t ms = counter_hz() / 1000, start = counter(), next = start;

	for (unsigned int n = 0;; n++) {
		*cons = ring->out_cons;
		/* The consumer's index before our reuse of the slots it freed. */
		__asm__ volatile("dmb ish" ::: "memory");
		if (prod - *cons < OUT_SIZE)
			return 1;
		if (counter() - start > 10000 * ms)
			return 0;
		if (n % 100 == 0)
			notify();
		next += ms;
		while (counter() < next)
			;
	}
}

void pvcons_write(const char *s, size_t len)
{
	uint32_t prod = ring->out_prod, cons;

	while (len) {
		if (!wait_for_room(prod, &cons))
			return;
		while (len && prod - cons < OUT_SIZE) {
			ring->out[prod % OUT_SIZE] = *s++;
			prod++;
			len--;
		}
		/* The bytes before the index that publishes them. */
		__asm__ volatile("dmb ishst" ::: "memory");
		ring->out_prod = prod;
		notify();
	}
}

/* Before powering off: let xenconsoled take what is left (bounded, it
 * may be gone), else the last lines die with the domain. */
void pvcons_drain(void)
{
	uint32_t cons;

	if (ring)
		wait_for_room(ring->out_prod + OUT_SIZE - 1,
			      &cons); /* all read */
}
