// SPDX-License-Identifier: MIT
/*
 * Fuzzer hypercalls: the number and sub-op weighted toward what Xen 4.17
 * and Orchid implement, arguments built as structure-shaped data whose
 * fields are drawn from the value palettes of fuzz.c (plausible domids,
 * ports, grant refs, GFNs of the victim pages, counts, pointers good and
 * bad). The few sub-ops that would kill or hang the guest itself are
 * left out or bounded here; the list is at the top of fuzz.c.
 */
#include "fuzz.h"
#include "xen.h"

#define HC_kexec_op 37
#define HC_argo_op  39
#define HC_dm_op    41
#define HC_hypfs_op 42

/* Field writers for structures built in fz_scratch / fz_array. */
static void put16(void *s, size_t off, uint64_t v)
{
	uint16_t x = (uint16_t)v;

	memcpy((char *)s + off, &x, 2);
}

static void put32(void *s, size_t off, uint64_t v)
{
	uint32_t x = (uint32_t)v;

	memcpy((char *)s + off, &x, 4);
}

static void put64(void *s, size_t off, uint64_t v)
{
	memcpy((char *)s + off, &v, 8);
}

/* A pointer to an array of @n extents of 2^order pages, or a bad one. */
static uint64_t gfn_list(struct rng *r, uint64_t n, unsigned int order)
{
	uint64_t *a;

	if (chance(r, 1, 8))
		return fz_fault_ptr(r);
	if (n > 64)
		n = 64;
	a = fz_array(r, n * 8);
	if (fz_no_room(a))
		return (uintptr_t)a;
	for (uint64_t i = 0; i < n; i++)
		a[i] = fz_gfn_order(r, order);
	return (uintptr_t)a;
}

/* An output buffer of @size bytes ending at the unmapped page, or bad. */
static uint64_t out_buf(struct rng *r, size_t size)
{
	if (chance(r, 1, 8))
		return fz_bad_ptr(r);
	return (uintptr_t)fz_array(r, size);
}

/* A structure whose 8-byte words are garbage, small values, domids or
 * output buffers: the shape of an unknown sub-op's argument. */
static void *garbage_struct(struct rng *r, size_t size)
{
	char *s = fz_struct(r, size);

	for (size_t off = 0; off + 8 <= size; off += 8) {
		switch (below(r, 5)) {
		case 0: put64(s, off, fz_any(r)); break;
		case 1: put64(s, off, fz_domid(r)); break;
		case 2: put64(s, off, out_buf(r, 256)); break;
		case 3: put64(s, off, fz_gfn(r)); break;
		default: break;
		}
	}
	return s;
}

static uint64_t pick(struct rng *r, const uint32_t *set, size_t n)
{
	if (chance(r, 1, 10))
		return chance(r, 1, 2) ? below(r, 64) : fz_any(r);
	return set[below(r, n)];
}
#define PICK(r, set) pick(r, set, sizeof(set) / sizeof(set[0]))

static void gen_version(struct rng *r, uint64_t a[5])
{
	a[0] = chance(r, 9, 10) ? below(r, 12) : fz_any(r);
	if (a[0] == XENVER_get_features) {
		uint32_t *f = fz_struct(r, 8);

		f[0] = (uint32_t)(chance(r, 3, 4) ? below(r, 3) : fz_any(r));
		a[1] = fz_arg(r, f);
		return;
	}
	a[1] = chance(r, 1, 4) ? fz_bad_ptr(r) : out_buf(r, 1024);
}

static void gen_console(struct rng *r, uint64_t a[5])
{
	static const char text[] = "<fz>";

	a[0] = chance(r, 9, 10) ? below(r, 2) : fz_any(r);
	if (a[0] == CONSOLEIO_write) {
		/* Never the guest's own memory: it holds the result line. */
		if (chance(r, 1, 2)) {
			a[1] = below(r, sizeof(text));
			a[2] = (uintptr_t)text;
		} else {
			a[1] = fz_count(r);
			a[2] = (uintptr_t)NOMAP_PAGE + below(r, 64);
			if (chance(r, 1, 2))
				a[2] = chance(r, 1, 2) ? 0 : WRAPPING;
		}
		return;
	}
	a[1] = fz_count(r);
	a[2] = out_buf(r, 512);
}

static void reservation(struct rng *r, void *s, uint32_t cmd)
{
	static const uint32_t orders[] = {1, 2, 6, 9, 18, 19, 63};
	uint64_t n = chance(r, 3, 4) ? 1 + below(r, 8) : fz_count(r);
	uint32_t order = chance(r, 3, 4) ? 0 : (uint32_t)PICK(r, orders);

	put64(s, 0, gfn_list(r, n, order));
	put64(s, 8, n);
	put32(s, 16, order);
	put32(s, 20, chance(r, 3, 4) ? 0 : fz_any(r));
	put16(s, 24, fz_domid(r));
	if (cmd == XENMEM_increase_reservation) {
		/* Bounded: a translated domain's new pages cannot be given
		 * back, and the sanity pass needs the heap. */
		put64(s, 8, below(r, 4));
		put32(s, 16, chance(r, 1, 2) ? 0 : 40);
	}
}

static void gen_memory(struct rng *r, uint64_t a[5])
{
	static const uint32_t cmds[] = {0,  1,	2,  3,	4,  6,	7,  7,	7,  11,
					14, 15, 15, 23, 24, 26, 28, 28, 18, 19};
	uint32_t cmd = (uint32_t)PICK(r, cmds);
	char *s;

	a[0] = cmd;
	if (chance(r, 1, 16))
		a[0] |= below(r, 16) << 6; /* a continuation's start_extent */
	switch (cmd) {
	case XENMEM_increase_reservation:
	case XENMEM_decrease_reservation:
	case XENMEM_populate_physmap:
	case 24: /* claim_pages */
		s = fz_struct(r, 40);
		reservation(r, s, cmd);
		break;
	case 11: /* exchange: in, out, nr_exchanged */
		s = fz_struct(r, 88);
		reservation(r, s, XENMEM_decrease_reservation);
		reservation(r, s + 40, XENMEM_populate_physmap);
		put64(s, 80, chance(r, 3, 4) ? 0 : fz_count(r));
		break;
	case XENMEM_add_to_physmap:
		s = fz_struct(r, 24);
		put16(s, 0, fz_domid(r));
		put32(s, 4, chance(r, 7, 8) ? below(r, 6) : fz_any(r));
		/* gmfn_range may not run off the victim pages. */
		put16(s, 2, below(r, 4));
		put64(s, 8, chance(r, 1, 2) ? below(r, 4) : fz_gfn(r));
		if (chance(r, 1, 4))
			put64(s, 8, (1ul << 31) | below(r, 2)); /* status */
		if (*(uint32_t *)(s + 4) == 3)
			put64(s, 8,
			      ((uint64_t)(uintptr_t)fz_victim >> 12) +
				      below(r, FZ_VICTIM_PAGES - 4));
		put64(s, 16, fz_gfn(r));
		break;
	case 15: /* remove_from_physmap */
		s = fz_struct(r, 16);
		put16(s, 0, fz_domid(r));
		put64(s, 8, fz_gfn(r));
		break;
	case 23: { /* add_to_physmap_batch */
		uint64_t n = chance(r, 3, 4) ? 1 + below(r, 4) : fz_count(r);
		uint64_t foreign;

		s = fz_struct(r, 32);
		put16(s, 0, fz_domid(r));
		put16(s, 2, below(r, 6));
		put16(s, 4, n);
		foreign = fz_domid(r);
		/* Xen 4.17 panics mapping "foreign" pages of DOMID_IO/XEN
		 * for Dom0 (fuzz.c): not there. */
		if (fz.xen_quirks && (foreign == 0x7ff1 || foreign == 0x7ff2))
			foreign = DOMID_INVALID;
		put16(s, 6, foreign);
		put64(s, 8, gfn_list(r, n, 0));
		put64(s, 16, gfn_list(r, n, 0));
		put64(s, 24, out_buf(r, n > 64 ? 256 : n * 4));
		break;
	}
	case 28: { /* acquire_resource */
		uint64_t n = chance(r, 3, 4) ? below(r, 4) : fz_count(r);

		s = fz_struct(r, 32);
		put16(s, 0, fz_domid(r));
		put16(s, 2, below(r, 5));
		put32(s, 4, chance(r, 3, 4) ? below(r, 2) : fz_any(r));
		put32(s, 8, n);
		put32(s, 12, chance(r, 3, 4) ? 0 : fz_any(r));
		put64(s, 16, chance(r, 3, 4) ? below(r, 4) : fz_any(r));
		put64(s, 24, gfn_list(r, n, 0));
		break;
	}
	case 3:
	case 4:
	case 14: /* reservation queries, maximum_gpfn: a domid */
		s = fz_struct(r, 8);
		put16(s, 0, fz_domid(r));
		break;
	default: s = garbage_struct(r, 64); break;
	}
	a[1] = fz_arg(r, s);
}

/* Remember the port an event channel sub-op returned. */
static void evtchn_result(uint64_t cmd, const char *s)
{
	uint32_t port;

	switch (cmd) {
	case EVTCHNOP_bind_interdomain:
	case EVTCHNOP_bind_virq: memcpy(&port, s + 8, 4); break;
	case EVTCHNOP_alloc_unbound:
	case EVTCHNOP_bind_ipi: memcpy(&port, s + 4, 4); break;
	default: return;
	}
	fz_add_port(port);
}

static void gen_evtchn(struct rng *r, uint64_t a[5])
{
	static const uint32_t cmds[] = {0, 0, 1, 1, 2, 3, 3,  4,  4,  5,  6,
					6, 6, 7, 7, 8, 9, 10, 11, 12, 13, 14};
	uint32_t cmd = (uint32_t)PICK(r, cmds);
	char *s = fz_struct(r, 24);

	a[0] = cmd;
	switch (cmd) {
	case EVTCHNOP_bind_interdomain:
		put16(s, 0, fz_domid(r));
		put32(s, 4, fz_port(r));
		break;
	case EVTCHNOP_bind_virq:
		put32(s, 0, chance(r, 3, 4) ? below(r, 16) : fz_any(r));
		put32(s, 4, fz_vcpu(r));
		break;
	case 2: /* bind_pirq */
		put32(s, 0, fz_any(r));
		put32(s, 4, below(r, 2));
		break;
	case EVTCHNOP_status:
		put16(s, 0, fz_domid(r));
		put32(s, 4, fz_port(r));
		break;
	case EVTCHNOP_alloc_unbound:
		put16(s, 0, fz_domid(r));
		put16(s, 2, fz_domid(r));
		break;
	case EVTCHNOP_bind_ipi: put32(s, 0, fz_vcpu(r)); break;
	case EVTCHNOP_bind_vcpu:
		put32(s, 0, fz_port(r));
		put32(s, 4, fz_vcpu(r));
		break;
	case EVTCHNOP_reset:
	case 14: /* reset_cont */
		/* A DomU resetting its own would close its console's port;
		 * Dom0's channels (-EPERM) are fair game. */
		put16(s, 0, guest_is_domu ? 0 : fz_domid(r));
		break;
	case 11: /* init_control: control_gfn, offset, vcpu */
		put64(s, 0, fz_gfn(r));
		put32(s, 8, chance(r, 3, 4) ? below(r, 4096) : fz_any(r));
		put32(s, 12, fz_vcpu(r));
		break;
	case 12: /* expand_array */ put64(s, 0, fz_gfn(r)); break;
	case 13: /* set_priority */
		put32(s, 0, fz_port(r));
		put32(s, 4, chance(r, 3, 4) ? below(r, 16) : fz_any(r));
		break;
	default: /* close, send, unmask: a port */
		put32(s, 0, fz_port(r));
		break;
	}
	a[1] = fz_arg(r, s);
	/* fz_arg's stray pointers may land in the guest's own memory, where
	 * a DOMID_SELF or the console's port is likely: a DomU's close or
	 * reset from there silenced it (seed 1, op 77699). Even NULL may be
	 * memory by then (populate_physmap at GFN 0: seed 4, op 36279): only
	 * the unmapped page is sure to fault. */
	if (guest_is_domu && a[1] != (uintptr_t)s &&
	    (cmd == EVTCHNOP_close || cmd == EVTCHNOP_reset || cmd == 14))
		a[1] = (uintptr_t)NOMAP_PAGE + below(r, 4096);
}

/* One grant table operation of @cmd at @s (its size is op_size). */
static void gnttab_one(struct rng *r, uint32_t cmd, char *s)
{
	switch (cmd) {
	case GNTTABOP_map_grant_ref:
		put64(s, 0, fz_ipa(r));
		put32(s, 8,
		      chance(r, 3, 4) ? GNTMAP_host_map | (below(r, 2) << 2)
				      : fz_any(r));
		put32(s, 12, fz_gref(r));
		put16(s, 16, fz_domid(r));
		break;
	case GNTTABOP_unmap_grant_ref:
	case 7: /* unmap_and_replace */
		put64(s, 0, fz_ipa(r));
		put64(s, 8, chance(r, 1, 2) ? 0 : fz_ipa(r));
		put32(s, 16, chance(r, 3, 4) ? below(r, 8) : fz_any(r));
		break;
	case GNTTABOP_setup_table:
	case GNTTABOP_get_status_frames: {
		uint64_t n = chance(r, 3, 4) ? below(r, 4) : fz_count(r);
		size_t dom = cmd == GNTTABOP_setup_table ? 0 : 4;

		put16(s, dom, fz_domid(r));
		put32(s, cmd == GNTTABOP_setup_table ? 4 : 0, n);
		put64(s, cmd == GNTTABOP_setup_table ? 16 : 8,
		      out_buf(r, n > 64 ? 512 : n * 8));
		break;
	}
	case 4: /* transfer: mfn, domid, ref */
		put64(s, 0, fz_gfn(r));
		put16(s, 8, fz_domid(r));
		put32(s, 12, fz_gref(r));
		break;
	case GNTTABOP_copy:
		for (size_t side = 0; side < 32; side += 16) {
			put64(s, side,
			      chance(r, 1, 2) ? fz_gfn(r) : fz_gref(r));
			put16(s, side + 8, fz_domid(r));
			put16(s, side + 10,
			      chance(r, 3, 4) ? below(r, 4096) : fz_any(r));
		}
		put16(s, 32, chance(r, 3, 4) ? below(r, 4097) : fz_any(r));
		put16(s, 34, chance(r, 3, 4) ? below(r, 4) : fz_any(r));
		break;
	case GNTTABOP_set_version:
		put32(s, 0, chance(r, 3, 4) ? below(r, 3) : fz_any(r));
		break;
	case GNTTABOP_cache_flush:
		put64(s, 0, chance(r, 1, 2) ? fz_ipa(r) : fz_gref(r));
		put16(s, 8, below(r, 4096));
		put16(s, 10, chance(r, 3, 4) ? below(r, 4097) : fz_any(r));
		put32(s, 12, chance(r, 3, 4) ? below(r, 8) : fz_any(r));
		break;
	case 11: /* swap_grant_ref */
		put32(s, 0, fz_gref(r));
		put32(s, 4, fz_gref(r));
		break;
	default: /* query_size, get_version, dump_table: a domid first */
		put16(s, 0, fz_domid(r));
		break;
	}
}

static void gen_gnttab(struct rng *r, uint64_t a[5])
{
	static const uint32_t cmds[] = {0, 0, 0, 1, 1, 2, 3,  4,  5,  5,
					5, 6, 6, 7, 8, 9, 10, 11, 12, 12};
	uint32_t cmd = (uint32_t)PICK(r, cmds);
	uint64_t n = chance(r, 3, 4) ? 1 + below(r, 4) : fz_count(r);
	uint64_t built = n > 8 ? 8 : n;
	char *ops = fz_array(r, built * 40);

	if (!fz_no_room(ops))
		for (uint64_t i = 0; i < built; i++)
			gnttab_one(r, cmd, ops + i * 40);
	a[0] = cmd;
	/* Each op's size differs, 40 is the largest: a list of 40-byte
	 * records read with a smaller stride is more garbage, on purpose. */
	a[1] = chance(r, 7, 8) ? (uintptr_t)ops : fz_fault_ptr(r);
	/* A count past the records built runs on over the memory above
	 * them: the unmapped page if this list came first, else this
	 * operation's other lists, whose pointers make host addresses in
	 * the guest's own RAM (seed 311, op 26179: a multicall's 990 maps
	 * mapped a grant read-only over the guest's array page). */
	if (n > built && !fz_array_at_top(ops, built * 40))
		a[1] = fz_fault_ptr(r);
	a[2] = n;
}

/* The sched_op sub-ops that cannot stop or hang the guest (fuzz.c). */
static void gen_sched(struct rng *r, uint64_t a[5])
{
	static const uint32_t cmds[] = {0, 0, 3, 3, 4, 5, 6, 7, 8, 99};
	uint32_t cmd = (uint32_t)PICK(r, cmds);
	char *s = fz_struct(r, 24), *ports;
	uint64_t n;

	if (cmd == SCHEDOP_shutdown || cmd == 1 /* block */)
		cmd = SCHEDOP_yield;
	a[0] = cmd;
	switch (cmd) {
	case SCHEDOP_poll:
		/* Timeouts are absolute system time: 1 ns .. 1 ms is past. */
		n = chance(r, 3, 4) ? below(r, 4) : fz_count(r);
		ports = fz_array(r, (n > 64 ? 64 : n) * 4);
		put64(s, 0, (uintptr_t)ports);
		for (uint64_t i = 0; i < n && i < 64 && !fz_no_room(ports); i++)
			put32(ports, i * 4, fz_port(r));
		put32(s, 8, n);
		put64(s, 16, 1 + below(r, 1000000));
		/* Only pointers that fault or this structure: a readable
		 * garbage one may mean "no ports, no timeout". */
		a[1] = chance(r, 7, 8) ? (uintptr_t)s : (uintptr_t)NOMAP_PAGE;
		return;
	case 4: /* remote_shutdown: never Dom0 itself */
		put16(s, 0, fz_domid_other(r));
		put32(s, 4, below(r, 6));
		a[1] = (uintptr_t)s;
		return;
	case 6: /* watchdog: id 0 would arm a new one */
		put32(s, 0, 1 + below(r, 0xffffffffu - 1));
		put32(s, 4, below(r, 2) ? 0 : fz_any(r));
		a[1] = (uintptr_t)s;
		return;
	case 5: /* shutdown_code: Dom0's final poweroff would take it */
		put32(s, 0, SHUTDOWN_poweroff);
		a[1] = chance(r, 7, 8) ? (uintptr_t)s : fz_fault_ptr(r);
		return;
	case 7: /* pin_override */
		put32(s, 0, chance(r, 1, 2) ? (uint32_t)-1 : below(r, 4));
		a[1] = fz_arg(r, s);
		return;
	default: a[1] = fz_arg(r, s); return;
	}
}

/*
 * Where the hypervisor will write @size bytes again and again (the
 * runstate area, at every switch to the vCPU): a bad pointer, but never
 * one whose area runs past an unmapped page's end into the page after it,
 * which holds the guest's own state (seed 401: the area at vCPU 1's
 * unmapped page + 4088 had its state_entry_time written over the PV
 * console's ring pointer, the page after).
 */
static uint64_t area_ptr(struct rng *r, size_t size)
{
	uint64_t p = fz_bad_ptr(r);

	for (unsigned int i = 0; i < 2; i++) {
		uint64_t nomap = (uintptr_t)(i ? NOMAP_PAGE1 : NOMAP_PAGE);

		if (p >= nomap && p < nomap + 4096 && p + size > nomap + 4096)
			return nomap + 4096 - size;
	}
	return p;
}

static void gen_vcpu(struct rng *r, uint64_t a[5])
{
	static const uint32_t cmds[] = {0, 1, 2,  3,  4,  5,  5,  6, 7,
					8, 9, 10, 10, 11, 12, 13, 14};
	uint32_t cmd = (uint32_t)PICK(r, cmds);
	char *s = fz_struct(r, 16);

	a[0] = cmd;
	a[1] = fz_vcpu(r);
	switch (cmd) {
	case 0: /* initialise: Arm has none; only pointers that fault */
		a[2] = (uintptr_t)NOMAP_PAGE;
		return;
	case 2: /* down: never this vCPU */
		if (a[1] == 0)
			a[1] = 1;
		break;
	case 4: /* get_runstate_info */ a[2] = out_buf(r, 48); return;
	case 5:
	case 14: /* register_runstate / time memory area: a guest VA */
		put64(s, 0, chance(r, 3, 4) ? fz_ipa(r) : area_ptr(r, 48));
		break;
	case 6: /* set_periodic_timer: period_ns */
		put64(s, 0,
		      chance(r, 3, 4) ? 1000000 * (1 + below(r, 100))
				      : fz_any(r));
		break;
	case 8: /* set_singleshot_timer: timeout_abs_ns, flags */
		put64(s, 0, fz_any(r));
		put32(s, 8, below(r, 2));
		break;
	case VCPUOP_register_vcpu_info:
		put64(s, 0, fz_gfn(r));
		put32(s, 8, chance(r, 3, 4) ? below(r, 4096) : fz_any(r));
		put32(s, 12, chance(r, 7, 8) ? 0 : fz_any(r));
		break;
	default: break;
	}
	a[2] = fz_arg(r, s);
}

static void gen_hvm(struct rng *r, uint64_t a[5])
{
	char *s = fz_struct(r, 16);

	a[0] = chance(r, 3, 4) ? below(r, 2) : fz_any(r);
	put16(s, 0, fz_domid(r));
	put32(s, 4, chance(r, 3, 4) ? below(r, 40) : fz_any(r));
	put64(s, 8, chance(r, 1, 2) ? fz_gfn(r) : fz_any(r));
	a[1] = fz_arg(r, s);
}

/* platform_op, sysctl and domctl: cmd, interface_version, then data. */
static char *versioned(struct rng *r, uint32_t cmd, uint32_t version,
		       size_t head)
{
	char *s = garbage_struct(r, head + 128);

	put32(s, 0, cmd);
	put32(s, 4, chance(r, 15, 16) ? version : fz_any(r));
	return s;
}

static void gen_platform(struct rng *r, uint64_t a[5])
{
	static const uint32_t cmds[] = {62, 62, 17, 1, 32, 48, 53, 61};
	char *s = versioned(r, (uint32_t)PICK(r, cmds), XENPF_INTERFACE_VERSION,
			    8);

	if (*(uint32_t *)s == 62) { /* settime64: secs, nsecs, mbz */
		put64(s, 8,
		      chance(r, 3, 4) ? 1700000000 + below(r, 1000)
				      : fz_any(r));
		put32(s, 16,
		      chance(r, 3, 4) ? below(r, 1000000000) : fz_any(r));
		put32(s, 20, chance(r, 7, 8) ? 0 : fz_any(r));
	}
	a[0] = fz_arg(r, s);
}

static void gen_sysctl(struct rng *r, uint64_t a[5])
{
	static const uint32_t cmds[] = {1, 2,  3,  3,  4,  6,  6,  7,  8,
					9, 16, 17, 18, 18, 18, 19, 22, 27};
	uint32_t cmd = (uint32_t)PICK(r, cmds);
	char *s, *u;

	if (cmd == 14) /* page_offline_op: takes host RAM away, by design */
		cmd = 3;
	if (cmd == 2 && fz.xen_quirks) /* tbuf_op: see fuzz.c */
		cmd = 3;
	s = versioned(r, cmd, XEN_SYSCTL_INTERFACE_VERSION, 8);
	u = s + 8;
	switch (cmd) {
	case 1: /* readconsole: clear, incremental, index, buffer, count */
		put32(u, 0, below(r, 4));
		put64(u, 8, out_buf(r, 512));
		put32(u, 16, chance(r, 3, 4) ? below(r, 513) : fz_any(r));
		break;
	case 6: /* getdomaininfolist: first, max, buffer */
		put16(u, 0, fz_domid(r));
		put32(u, 4, fz_count(r));
		put64(u, 8, out_buf(r, 2048));
		break;
	case 7: { /* debug_keys: only keys no hypervisor binds */
		char *k = fz_array(r, 4);

		if (!fz_no_room(k))
			memcpy(k, "\x01\x02\x03\x04", 4);
		put64(u, 0, (uintptr_t)k);
		put32(u, 8, below(r, 5));
		break;
	}
	case 8: /* getcpuinfo: max_cpus, info */
		put32(u, 0, chance(r, 3, 4) ? below(r, 5) : fz_any(r));
		put64(u, 8, out_buf(r, 64));
		break;
	case 9: /* availheap: min and max bitwidth, node */
		put32(u, 0, chance(r, 3, 4) ? 0 : fz_any(r));
		put32(u, 4, chance(r, 3, 4) ? 0 : fz_any(r));
		put32(u, 8,
		      chance(r, 3, 4) ? (uint32_t)-1 + below(r, 2) : fz_any(r));
		break;
	case 19: /* scheduler_op: pool, scheduler, get/put, ratelimit */
		put32(u, 0, chance(r, 3, 4) ? 0 : fz_any(r));
		put32(u, 4, below(r, 10));
		put32(u, 8, below(r, 2));
		put32(u, 16,
		      chance(r, 1, 2) ? 1000 * below(r, 100) : fz_any(r));
		break;
	case 18: /* cpupool_op: op, pool, sched, domid, cpu, n_dom, bitmap */
		put32(u, 0, chance(r, 7, 8) ? 1 + below(r, 7) : fz_any(r));
		put32(u, 4, chance(r, 3, 4) ? below(r, 3) : fz_any(r));
		put32(u, 12, fz_domid_other(r));
		put32(u, 16, chance(r, 3, 4) ? below(r, 3) : fz_any(r));
		put64(u, 24, out_buf(r, 8));
		put32(u, 32, chance(r, 3, 4) ? below(r, 65) : fz_any(r));
		break;
	default: /* the rest: counts and buffers at the usual places */
		put32(u, 0, fz_count(r));
		put64(u, 8, out_buf(r, 512));
		break;
	}
	a[0] = fz_arg(r, s);
}

static void gen_createdomain(struct rng *r, char *u)
{
	put32(u, 20, chance(r, 3, 4) ? 3 : fz_any(r)); /* hvm | hap */
	put32(u, 24, 0);
	put32(u, 28, chance(r, 3, 4) ? 1 + below(r, 2) : fz_any(r));
	put32(u, 32, chance(r, 3, 4) ? 1023 : fz_any(r));
	put32(u, 36, chance(r, 3, 4) ? 1 + below(r, 64) : fz_any(r));
	put32(u, 40, chance(r, 3, 4) ? below(r, 1025) : fz_any(r));
	put32(u, 44, chance(r, 3, 4) ? 1 : fz_any(r));
	put32(u, 48, 0);
	put32(u, 52, chance(r, 7, 8) ? 0 : fz_any(r));
	u[56] = (char)(chance(r, 3, 4) ? 0 : below(r, 4)); /* gic_version */
	put16(u, 58, 0);
	put32(u, 60, chance(r, 3, 4) ? below(r, 64) : fz_any(r));
	put32(u, 64, 0);
}

static void gen_domctl(struct rng *r, uint64_t a[5])
{
	static const uint32_t cmds[] = {1,  1,	2,  2,	3,  4,	5,  5,	9,  11,
					12, 13, 14, 15, 15, 16, 17, 19, 20, 24,
					25, 27, 35, 68, 69, 71, 85, 86};
	uint32_t cmd = (uint32_t)PICK(r, cmds);
	char *s = versioned(r, cmd, XEN_DOMCTL_INTERFACE_VERSION, 16);
	char *u = s + 16;

	put16(s, 8, fz_domid_other(r));
	put16(s, 10, 0);
	switch (cmd) {
	case 1:
		if (chance(r, 1, 2))
			put16(s, 8, 0); /* "any free domid" */
		gen_createdomain(r, u);
		break;
	case 11: /* max_mem, kB */
		put64(u, 0, chance(r, 3, 4) ? 1024 * below(r, 256) : fz_any(r));
		break;
	case 12:
	case 13: /* set/getvcpucontext: vcpu, context */
		put32(u, 0, fz_vcpu(r));
		put64(u, 8, out_buf(r, 2048));
		break;
	case 9:
	case 25: /* set/getvcpuaffinity: vcpu, flags, hard and soft maps */
		put32(u, 0, fz_vcpu(r));
		put32(u, 4, chance(r, 3, 4) ? 1 + below(r, 3) : fz_any(r));
		put64(u, 8, out_buf(r, 8));
		put32(u, 16, chance(r, 3, 4) ? 64 : fz_any(r));
		put64(u, 24, out_buf(r, 8));
		put32(u, 32, chance(r, 3, 4) ? 64 : fz_any(r));
		break;
	case 35: /* set_address_size */
		put32(u, 0, chance(r, 3, 4) ? 32ul << below(r, 2) : fz_any(r));
		break;
	case 15: /* max_vcpus */
		put32(u, 0, chance(r, 3, 4) ? below(r, 4) : fz_any(r));
		break;
	case 86: /* set_paging_mempool_size, bytes */
		put64(u, 0, chance(r, 3, 4) ? (below(r, 8) << 20) : fz_any(r));
		break;
	default: break;
	}
	a[0] = fz_arg(r, s);
}

static void gen_multicall(struct rng *r, uint64_t a[5], int nested)
{
	uint64_t n = chance(r, 7, 8) ? 1 + below(r, 6) : fz_count(r);
	uint64_t built = n > 6 ? 6 : n;
	struct multicall_entry *e = fz_array(r, built * sizeof(*e));

	if (fz_no_room(e))
		built = 0;
	for (uint64_t i = 0; i < built; i++) {
		e[i].result = (int64_t)rnd(r);
		/* A nested list (which the hypervisor must refuse) holds
		 * only harmless calls, in case one does not. */
		if (nested) {
			memset(&e[i], 0, sizeof(e[i]));
			e[i].op = __HYPERVISOR_xen_version;
			continue;
		}
		fz_gen_call(r, &e[i].op, e[i].args, 1);
		e[i].args[5] = 0;
	}
	/* Never a readable list but this one: the hypervisor would run
	 * whatever it holds, as calls. */
	a[0] = chance(r, 7, 8) ? (uintptr_t)e : fz_fault_ptr(r);
	a[1] = n;
}

/* A number no hypercall the fuzzer bounds above could answer to. */
static uint64_t unknown_number(struct rng *r)
{
	static const uint32_t known[] = {__HYPERVISOR_platform_op,
					 __HYPERVISOR_memory_op,
					 __HYPERVISOR_multicall,
					 __HYPERVISOR_xen_version,
					 __HYPERVISOR_console_io,
					 __HYPERVISOR_grant_table_op,
					 __HYPERVISOR_vm_assist,
					 __HYPERVISOR_vcpu_op,
					 __HYPERVISOR_sched_op,
					 __HYPERVISOR_event_channel_op,
					 __HYPERVISOR_physdev_op,
					 __HYPERVISOR_hvm_op,
					 __HYPERVISOR_sysctl,
					 __HYPERVISOR_domctl,
					 HC_kexec_op};
	uint64_t nr = below(r, 64);

	if (chance(r, 1, 4))
		return (rnd(r) & ~0xfful) | (64 + below(r, 192));
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (nr == known[i])
			return 63;
	return nr;
}

void fz_gen_call(struct rng *r, uint64_t *nr, uint64_t a[5], int nested)
{
	static const struct {
		uint8_t nr, weight;
	} table[] = {
		{__HYPERVISOR_xen_version, 6},
		{__HYPERVISOR_console_io, 3},
		{__HYPERVISOR_memory_op, 12},
		{__HYPERVISOR_event_channel_op, 14},
		{__HYPERVISOR_grant_table_op, 12},
		{__HYPERVISOR_sched_op, 5},
		{__HYPERVISOR_vcpu_op, 6},
		{__HYPERVISOR_hvm_op, 5},
		{__HYPERVISOR_multicall, 5},
		{__HYPERVISOR_physdev_op, 2},
		{__HYPERVISOR_platform_op, 3},
		{__HYPERVISOR_sysctl, 6},
		{__HYPERVISOR_domctl, 8},
		{__HYPERVISOR_vm_assist, 2},
		{__HYPERVISOR_xsm_op, 1},
		{HC_argo_op, 1},
		{HC_dm_op, 1},
		{HC_hypfs_op, 1},
		{0xff, 6}, /* an unknown number */
	};
	unsigned int total = 0, w;
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		total += table[i].weight;
	w = (unsigned int)below(r, total);
	for (i = 0; w >= table[i].weight; i++)
		w -= table[i].weight;
	*nr = table[i].nr;
	for (unsigned int j = 0; j < 5; j++)
		a[j] = 0;
	switch (*nr) {
	case __HYPERVISOR_xen_version: gen_version(r, a); break;
	case __HYPERVISOR_console_io: gen_console(r, a); break;
	case __HYPERVISOR_memory_op: gen_memory(r, a); break;
	case __HYPERVISOR_event_channel_op: gen_evtchn(r, a); break;
	case __HYPERVISOR_grant_table_op: gen_gnttab(r, a); break;
	case __HYPERVISOR_sched_op: gen_sched(r, a); break;
	case __HYPERVISOR_vcpu_op: gen_vcpu(r, a); break;
	case __HYPERVISOR_hvm_op: gen_hvm(r, a); break;
	case __HYPERVISOR_multicall: gen_multicall(r, a, nested); break;
	case __HYPERVISOR_platform_op: gen_platform(r, a); break;
	case __HYPERVISOR_sysctl: gen_sysctl(r, a); break;
	case __HYPERVISOR_domctl: gen_domctl(r, a); break;
	case __HYPERVISOR_vm_assist:
		a[0] = chance(r, 3, 4) ? below(r, 2) : fz_any(r);
		a[1] = chance(r, 3, 4) ? below(r, 8) : fz_any(r);
		break;
	case 0xff:
		*nr = unknown_number(r);
		__attribute__((fallthrough)); /* garbage arguments */
	default:
		a[0] = chance(r, 1, 2) ? below(r, 32) : fz_any(r);
		a[1] = fz_arg(r, garbage_struct(r, 64));
		a[2] = fz_count(r);
		a[3] = fz_any(r);
		a[4] = fz_any(r);
		break;
	}
}

/* XEN_DOMCTL_max_vcpus for a domain just created, as many as its
 * configuration asked for. */
static void give_vcpus(uint16_t domid, uint32_t max)
{
	static struct xen_versioned_op op;

	memset(&op, 0, sizeof(op));
	op.cmd = 15;
	op.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	memcpy(op.rest, &domid, sizeof(domid)); /* domain, at offset 8 */
	memcpy(op.rest + 8, &max, sizeof(max)); /* u.max_vcpus.max, at 16 */
	HC1(__HYPERVISOR_domctl, &op);
}

static int in_scratch(uint64_t p, size_t size)
{
	uintptr_t s = (uintptr_t)fz_scratch;

	return p >= s && p <= s + sizeof(fz_scratch) - size; /* no overflow */
}

void fz_note_result(uint64_t nr, const uint64_t a[5], long ret)
{
	if (ret != 0)
		return;
	if (nr == __HYPERVISOR_event_channel_op && in_scratch(a[1], 24))
		evtchn_result(a[0], (const char *)(uintptr_t)a[1]);
	if (nr == __HYPERVISOR_memory_op &&
	    (a[0] & 0x3f) == XENMEM_add_to_physmap && /* cmd without its
							 * start_extent */
	    in_scratch(a[1], 24) &&
	    *(const uint32_t *)(uintptr_t)(a[1] + 4) == XENMAPSPACE_shared_info)
		fz.shared_info_gfn = *(const uint64_t *)(uintptr_t)(a[1] + 16);
	if (nr == __HYPERVISOR_domctl && in_scratch(a[0], 24) &&
	    *(const uint32_t *)(uintptr_t)a[0] == 1) {
		uint16_t domid = *(const uint16_t *)(uintptr_t)(a[0] + 8);

		fz_add_domain(domid);
		/* Elsewhere half of them get vCPUs (their vCPU domctls then
		 * have something to act on), half stay without. */
		if (fz.xen_quirks || domid % 2)
			give_vcpus(
				domid,
				*(const uint32_t *)(uintptr_t)(a[0] + 16 + 28));
	}
}

/* The results a multicall wrote back into its own list. */
static void multicall_results(const uint64_t a[5])
{
	uintptr_t lo = (uintptr_t)test_pages[2], hi = (uintptr_t)NOMAP_PAGE;
	const struct multicall_entry *e = (const void *)(uintptr_t)a[0];

	if (a[1] > 6 || a[0] < lo || a[0] > hi - a[1] * sizeof(*e))
		return;
	for (uint64_t i = 0; i < a[1]; i++)
		fz_note_result(e[i].op, e[i].args, (long)e[i].result);
}

/* trace=1: a multicall's entries as built (the ones in the array page). */
static void trace_multicall(const uint64_t a[5])
{
	uintptr_t lo = (uintptr_t)test_pages[2], hi = (uintptr_t)NOMAP_PAGE;
	const struct multicall_entry *e = (const void *)(uintptr_t)a[0];

	if (a[1] > 6 || a[0] < lo || a[0] > hi - a[1] * sizeof(*e))
		return;
	for (uint64_t i = 0; i < a[1]; i++)
		printf("fuzz:   entry %lu: %lx (%lx, %lx, %lx, %lx, %lx)\n",
		       (unsigned long)i, (unsigned long)e[i].op,
		       (unsigned long)e[i].args[0], (unsigned long)e[i].args[1],
		       (unsigned long)e[i].args[2], (unsigned long)e[i].args[3],
		       (unsigned long)e[i].args[4]);
}

/* The racer's (fuzz.c): no printing, no bookkeeping of what it built. */
volatile struct fz_call fz_racer_call;

void fz_op_hypercall_quiet(struct rng *r)
{
	uint64_t nr, a[5];

	fz_gen_call(r, &nr, a, 0);
	fz_racer_call.nr = nr;
	for (unsigned int i = 0; i < 5; i++)
		fz_racer_call.a[i] = a[i];
	hypercall(nr, a[0], a[1], a[2], a[3], a[4]);
}

void fz_op_hypercall(struct rng *r)
{
	uint64_t nr, a[5];
	long ret;

	fz_gen_call(r, &nr, a, 0);
	if (fz.trace)
		printf("fuzz: hypercall %lx (%lx, %lx, %lx, %lx, %lx)\n",
		       (unsigned long)nr, (unsigned long)a[0],
		       (unsigned long)a[1], (unsigned long)a[2],
		       (unsigned long)a[3], (unsigned long)a[4]);
	if (fz.trace)
		for (unsigned int i = 0; i < 2; i++)
			if (in_scratch(a[i], 48)) {
				const uint64_t *w =
					(const void *)(uintptr_t)a[i];

				printf("fuzz:   arg %u: %lx %lx %lx %lx %lx "
				       "%lx\n",
				       i, (unsigned long)w[0],
				       (unsigned long)w[1], (unsigned long)w[2],
				       (unsigned long)w[3], (unsigned long)w[4],
				       (unsigned long)w[5]);
			}
	if (fz.trace && nr == __HYPERVISOR_multicall)
		trace_multicall(a);
	ret = hypercall(nr, a[0], a[1], a[2], a[3], a[4]);
	if (fz.trace)
		printf("fuzz:   = %ld\n", ret);
	fz_note_result(nr, a, ret);
	if (nr == __HYPERVISOR_multicall && ret == 0)
		multicall_results(a);
}
