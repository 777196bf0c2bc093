// SPDX-License-Identifier: MIT
/*
 * Unit tests of common/trace.c: XEN_SYSCTL_tbuf_op as xentrace drives it
 * (Xen 4.17's errnos), the records as xentrace reads them out of the
 * shared pages (header bits, cycles, extra words, the T_INFO lists), a
 * full buffer losing records and saying so, the event and CPU masks, and
 * a consumer index the control domain corrupted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include <orchid/domain.h>
#include <orchid/domain_mem.h>
#include <orchid/errno.h>
#include <orchid/event.h>
#include <orchid/guest_access.h>
#include <orchid/smp.h>
#include <orchid/timer.h>
#include <orchid/trace.h>
#include <public/sysctl.h>

/* ---- what trace.c uses, faked -------------------------------------------- */

extern uint64_t fake_now_ns;
struct domain *hardware_domain;
unsigned int nr_cpu_ids = 2;
static unsigned int virqs, allocs, fail_alloc_after = ~0U;
static struct timer *armed;
static struct domain dom0 = {.domain_id = 0};
static struct vcpu vcpu0 = {.domain = &dom0, .vcpu_id = 0};

bool cpu_is_online(unsigned int cpu)
{
	return cpu < nr_cpu_ids;
}

struct vcpu *current_vcpu(void)
{
	return &vcpu0;
}

void evtchn_send_global_virq(struct domain *d, unsigned int virq)
{
	assert_ptr_equal(d, &dom0);
	assert_int_equal(virq, VIRQ_TBUF);
	virqs++;
}

void *domain_mem_alloc_xen_shared(unsigned int order)
{
	void *p;

	if (allocs++ >= fail_alloc_after)
		return NULL;
	/* Below 4 GiB, as T_INFO's MFN lists are 32 bits (the host's
	 * addresses are its "physical" ones in the fake arch). */
	p = mmap(NULL, (size_t)PAGE_SIZE << order, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	assert_true(p != MAP_FAILED);
	return p; /* never freed, as trace.c never frees them */
}

int copy_from_guest(void *dst, uint64_t guest_va, size_t len)
{
	if (!guest_va)
		return -EFAULT;
	memcpy(dst, (const void *)(uintptr_t)guest_va, len);
	return 0;
}

void timer_init(struct timer *t, timer_fn_t fn, void *data, unsigned int cpu)
{
	t->fn = fn;
	t->data = data;
	t->cpu = cpu;
}

void timer_set(struct timer *t, uint64_t expires_ns)
{
	t->expires = expires_ns;
	armed = t;
}

/* ---- helpers --------------------------------------------------------------- */

static long tbuf(uint32_t cmd, uint32_t arg)
{
	struct xen_sysctl_tbuf_op op = {.cmd = cmd};

	op.size = arg;
	op.evt_mask = arg;
	return trace_control(&op);
}

static struct xen_sysctl_tbuf_op info(void)
{
	struct xen_sysctl_tbuf_op op = {.cmd = XEN_SYSCTL_TBUFOP_get_info};

	assert_int_equal(trace_control(&op), 0);
	return op;
}

/* CPU @cpu's buffer as xentrace finds it: through T_INFO's MFN list. */
static struct t_buf *cpu_buf(unsigned int cpu)
{
	struct xen_sysctl_tbuf_op op = info();
	const struct t_info *ti =
		arch_pa_to_va(pa_init(op.buffer_mfn << PAGE_SHIFT));
	const uint32_t *words = (const void *)ti;

	if (!ti->mfn_offset[cpu])
		return NULL;
	return arch_pa_to_va(
		pa_init((uint64_t)words[ti->mfn_offset[cpu]] << PAGE_SHIFT));
}

static uint32_t data_bytes(void)
{
	struct xen_sysctl_tbuf_op op = info();
	const struct t_info *ti =
		arch_pa_to_va(pa_init(op.buffer_mfn << PAGE_SHIFT));

	return ti->tbuf_size * PAGE_SIZE - sizeof(struct t_buf);
}

/* The next record xentrace would read from @b, consuming it. */
static const uint32_t *consume(struct t_buf *b, uint32_t *event,
			       unsigned int *nr)
{
	const uint32_t *rec = (const uint32_t *)(b + 1) + b->cons / 4;

	assert_true(b->cons != b->prod);
	*event = rec[0] & 0x0fffffff;
	*nr = rec[0] >> TRACE_EXTRA_SHIFT & 7;
	assert_true(rec[0] & TRACE_CYCLES_FLAG);
	b->cons += (3 + *nr) * 4;
	return rec;
}

/* Order matters: buffers, once made, stay for the process (as on Xen). */

static void test_control_before_buffers(void **state)
{
	struct xen_sysctl_tbuf_op op;

	trace_init(0, 0);
	op = info();
	assert_int_equal(op.buffer_mfn, 0);
	assert_int_equal(op.size, 0);
	assert_int_equal(op.evt_mask, TRC_ALL);
	/* Xen: enable without buffers, size 0 and unknown commands. */
	assert_int_equal(tbuf(XEN_SYSCTL_TBUFOP_enable, 0), -EINVAL);
	assert_int_equal(tbuf(XEN_SYSCTL_TBUFOP_set_size, 0), -EINVAL);
	assert_int_equal(tbuf(6, 0), -EINVAL);
	assert_int_equal(tbuf(0xffffffff, 0), -EINVAL);
	assert_false(trace_on());
	/* A record with tracing off goes nowhere (and does not crash). */
	trace_2d(TRC_SCHED_WAKE, 1, 2);
}

static void test_failed_allocation(void **state)
{
	fail_alloc_after = allocs; /* T_INFO itself */
	assert_int_equal(tbuf(XEN_SYSCTL_TBUFOP_set_size, 2), -ENOMEM);
	fail_alloc_after = ~0U;
	assert_int_equal(info().buffer_mfn, 0);
}

static void test_records(void **state)
{
	struct xen_sysctl_tbuf_op op;
	unsigned int nr;
	uint32_t event;
	const uint32_t *r;
	struct t_buf *b;

	assert_int_equal(tbuf(XEN_SYSCTL_TBUFOP_set_size, 2), 0);
	/* Once made, another size is refused, the same one is -EBUSY (which
	 * xc_tbuf_enable ignores). */
	assert_int_equal(tbuf(XEN_SYSCTL_TBUFOP_set_size, 3), -EINVAL);
	assert_int_equal(tbuf(XEN_SYSCTL_TBUFOP_set_size, 2), -EBUSY);
	op = info();
	assert_int_not_equal(op.buffer_mfn, 0);
	assert_int_equal(op.size, PAGE_SIZE);
	b = cpu_buf(0);
	assert_non_null(b);
	assert_non_null(cpu_buf(1));
	assert_ptr_not_equal(cpu_buf(0), cpu_buf(1));
	assert_null(cpu_buf(2)); /* not online: no buffer, offset 0 */

	trace_2d(TRC_SCHED_WAKE, 1, 2); /* not enabled yet */
	assert_int_equal(b->prod, 0);
	assert_int_equal(tbuf(XEN_SYSCTL_TBUFOP_enable, 0), 0);
	assert_true(trace_on());
	fake_now_ns = 0x123456789aULL;
	trace_2d(TRC_SCHED_WAKE, 7, 1);
	trace_4d(TRC_SCHED_SWITCH, 1, 0, 0x7fff, 0);
	assert_int_equal(b->prod, (3 + 2) * 4 + (3 + 4) * 4);

	r = consume(b, &event, &nr);
	assert_int_equal(event, TRC_SCHED_WAKE);
	assert_int_equal(nr, 2);
	assert_int_equal(r[1], 0x3456789a);
	assert_int_equal(r[2], 0x12);
	assert_int_equal(r[3], 7);
	assert_int_equal(r[4], 1);
	r = consume(b, &event, &nr);
	assert_int_equal(event, TRC_SCHED_SWITCH);
	assert_int_equal(nr, 4);
	assert_int_equal(r[5], 0x7fff);
	assert_int_equal(b->cons, b->prod);
}

static void test_masks(void **state)
{
	struct xen_sysctl_tbuf_op op = {.cmd = XEN_SYSCTL_TBUFOP_set_cpu_mask};
	struct t_buf *b = cpu_buf(0);
	uint8_t none = 0, cpu0 = 1;
	uint32_t prod = b->prod;

	/* Events of another class, then of another subclass, are left out. */
	assert_int_equal(tbuf(XEN_SYSCTL_TBUFOP_set_evt_mask, TRC_PV), 0);
	assert_int_equal(info().evt_mask, TRC_PV);
	trace_2d(TRC_SCHED_WAKE, 1, 2);
	assert_int_equal(b->prod, prod);
	assert_int_equal(tbuf(XEN_SYSCTL_TBUFOP_set_evt_mask, TRC_SCHED_MIN),
			 0);
	trace_2d(TRC_SCHED_WAKE, 1, 2); /* verbose subclass */
	assert_int_equal(b->prod, prod);
	trace_2d(TRC_SCHED_RUNSTATE_CHANGE, 1, 2);
	assert_int_not_equal(b->prod, prod);
	b->cons = b->prod;

	/* No CPU in the mask: nothing; a bitmap the guest cannot give. */
	op.cpu_mask.bitmap.p = (uintptr_t)&none;
	op.cpu_mask.nr_bits = 8;
	assert_int_equal(trace_control(&op), 0);
	prod = b->prod;
	trace_2d(TRC_SCHED_RUNSTATE_CHANGE, 1, 2);
	assert_int_equal(b->prod, prod);
	op.cpu_mask.bitmap.p = 0;
	assert_int_equal(trace_control(&op), -EFAULT);
	op.cpu_mask.bitmap.p = (uintptr_t)&cpu0;
	op.cpu_mask.nr_bits = 1;
	assert_int_equal(trace_control(&op), 0);
	trace_2d(TRC_SCHED_RUNSTATE_CHANGE, 1, 2);
	assert_int_not_equal(b->prod, prod);
	b->cons = b->prod;
	assert_int_equal(tbuf(XEN_SYSCTL_TBUFOP_set_evt_mask, TRC_ALL), 0);
}

/* A full buffer drops records, counts them, and says so once room is
 * back; records wrap around the end of the data area intact. */
static void test_full_and_lost(void **state)
{
	struct t_buf *b = cpu_buf(0);
	uint32_t size = data_bytes(), event, written = 0;
	unsigned int nr, lost = 0, wakes = 0;

	while (written + 20 <= size) {
		trace_2d(TRC_SCHED_WAKE, 3, 4);
		written += 20;
	}
	for (unsigned int i = 0; i < 5; i++)
		trace_2d(TRC_SCHED_WAKE, 3, 4); /* no room */
	assert_true((b->prod + 2 * size - b->cons) % (2 * size) <= size);
	/* The half-full check tells xentrace, from its timer. */
	hardware_domain = &dom0;
	assert_non_null(armed);
	armed->fn(armed->data);
	assert_int_equal(virqs, 1);

	/* xentrace drains it all; the next record comes after a lost one. */
	b->cons = b->prod;
	trace_2d(TRC_SCHED_WAKE, 5, 6);
	while (b->cons != b->prod) {
		uint32_t at = b->cons % size;

		/* Records may straddle the end: read them as xentrace's
		 * file does, as one stream. */
		uint32_t rec[10];
		const uint8_t *data = (const uint8_t *)(b + 1);

		for (unsigned int i = 0; i < 10 * 4; i++)
			((uint8_t *)rec)[i] = data[(at + i) % size];
		event = rec[0] & 0x0fffffff;
		nr = rec[0] >> TRACE_EXTRA_SHIFT & 7;
		if (event == TRC_LOST_RECORDS) {
			assert_int_equal(rec[3], 5);
			assert_int_equal(rec[4], 0); /* d0v0 */
			lost++;
		} else {
			assert_int_equal(event, TRC_SCHED_WAKE);
			assert_int_equal(rec[3], 5);
			wakes++;
		}
		b->cons = (b->cons + (3 + nr) * 4) % (2 * size);
	}
	assert_int_equal(lost, 1);
	assert_int_equal(wakes, 1);
}

/* The control domain may write anything into the shared pages: a bad
 * consumer index stops tracing, it never makes Orchid write elsewhere. */
static void test_bogus_consumer(void **state)
{
	struct t_buf *b = cpu_buf(0);
	uint32_t prod = b->prod;

	b->cons = 0xfffffff0;
	trace_2d(TRC_SCHED_WAKE, 1, 1);
	assert_false(trace_on());
	assert_int_equal(b->prod, prod);
	b->prod = 12345; /* ignored: Orchid keeps its own */
	b->cons = prod;
	assert_int_equal(tbuf(XEN_SYSCTL_TBUFOP_enable, 0), 0);
	trace_2d(TRC_SCHED_WAKE, 1, 1);
	assert_int_equal(b->prod, (prod + 20) % (2 * data_bytes()));
	assert_int_equal(tbuf(XEN_SYSCTL_TBUFOP_disable, 0), 0);
	assert_false(trace_on());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_control_before_buffers),
		cmocka_unit_test(test_failed_allocation),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_masks),
		cmocka_unit_test(test_full_and_lost),
		cmocka_unit_test(test_bogus_consumer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
