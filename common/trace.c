// SPDX-License-Identifier: MIT
/*
 * Trace buffers, as Xen 4.17's xen/common/trace.c defines them for
 * xentrace: XEN_SYSCTL_tbuf_op sizes, masks, enables and disables them;
 * each online pCPU gets a buffer of Xen-format records (public/trace.h)
 * which the control domain maps by MFN as DOMID_XEN's pages and drains.
 *
 * Who owns what: the buffers and the T_INFO pages are Orchid's, allocated
 * once (set_size or tbuf_size=) and never freed, so a mapping xentrace
 * holds can never outlive them; the frame table marks them DOMID_XEN's,
 * which is what lets XENMEM_add_to_physmap_batch map them and nothing
 * else of Orchid's. The control domain may write anything into them, so
 * Orchid keeps its own copy of every pointer and producer index and only
 * reads the consumer index, checked (a bad one stops tracing, as Xen's
 * "bogus" check does), never the T_INFO lists.
 */
#include <orchid/arch.h>
#include <orchid/domain.h>
#include <orchid/domain_mem.h>
#include <orchid/errno.h>
#include <orchid/event.h>
#include <orchid/guest_access.h>
#include <orchid/printk.h>
#include <orchid/smp.h>
#include <orchid/spinlock.h>
#include <orchid/string.h>
#include <orchid/timer.h>
#include <orchid/trace.h>
#include <public/sysctl.h>
#include <public/xen.h>

/* Orchid's bound on a pCPU's buffer (Xen's is what fits its t_info
 * offsets): 4 MiB, one contiguous block, so a record is one copy. */
#define TRACE_MAX_ORDER 10
/* How often xentrace is told (VIRQ_TBUF) that a buffer is half full. */
#define TRACE_NOTIFY_NS 10000000ULL

struct trace_cpu {
	spinlock_t lock;
	struct t_buf *buf; /* shared: xentrace writes cons */
	uint8_t *data;	   /* the records, after buf */
	uint32_t prod;	   /* Orchid's; published to buf->prod */
	uint32_t lost;	   /* records dropped since the last one written */
	uint64_t lost_first;
};

static struct trace_cpu tcpu[CONFIG_NR_CPUS];
static spinlock_t control_lock = SPINLOCK_INIT;
static struct t_info *t_info;
static unsigned int t_info_pages;
static unsigned int tbuf_pages; /* a pCPU's, as T_INFO says */
static uint32_t data_size;	/* bytes of records a pCPU */
static uint64_t cpu_mask = ~0ULL;
static uint32_t evt_mask = TRC_ALL;
static struct timer notify_timer;
static bool bogus_logged;
volatile bool trace_enabled;

_Static_assert(CONFIG_NR_CPUS <= 64, "cpu_mask is one word");

/* ---- the records ------------------------------------------------------ */

/* Xen's rule: the event's bits, its class and its subclass all match. */
static bool event_wanted(uint32_t event)
{
	uint32_t m = evt_mask;

	if (!(m & event))
		return false;
	if (!((m >> TRC_CLS_SHIFT) & (event >> TRC_CLS_SHIFT)))
		return false;
	return ((m >> TRC_SUBCLS_SHIFT) & (event >> TRC_SUBCLS_SHIFT) & 0xf);
}

static uint32_t ring_add(uint32_t pos, uint32_t n)
{
	pos += n;
	return pos >= 2 * data_size ? pos - 2 * data_size : pos;
}

/* Bytes written and not yet consumed; UINT32_MAX when xentrace left a
 * consumer index no producer could have made. */
static uint32_t ring_used_locked(const struct trace_cpu *tc)
{
	uint32_t cons = __atomic_load_n(&tc->buf->cons, __ATOMIC_ACQUIRE);
	uint32_t used;

	if ((cons & 3) || cons >= 2 * data_size)
		return UINT32_MAX;
	used = tc->prod >= cons ? tc->prod - cons
				: tc->prod + 2 * data_size - cons;
	return used <= data_size ? used : UINT32_MAX;
}

static void ring_copy_locked(struct trace_cpu *tc, const void *src, uint32_t n)
{
	uint32_t off = tc->prod % data_size;
	uint32_t first = n < data_size - off ? n : data_size - off;

	memcpy(tc->data + off, src, first);
	memcpy(tc->data, (const uint8_t *)src + first, n - first);
	tc->prod = ring_add(tc->prod, n);
}

/* One record: header, cycle count, @nr extra words. */
static void put_record_locked(struct trace_cpu *tc, uint32_t event,
			      unsigned int nr, const uint32_t *extra,
			      uint64_t cycles)
{
	uint32_t rec[3 + TRACE_EXTRA_MAX];

	rec[0] = (event & 0x0fffffffU) | (uint32_t)nr << TRACE_EXTRA_SHIFT |
		 TRACE_CYCLES_FLAG;
	rec[1] = (uint32_t)cycles;
	rec[2] = (uint32_t)(cycles >> 32);
	memcpy(&rec[3], extra, nr * sizeof(uint32_t));
	ring_copy_locked(tc, rec, (3 + nr) * sizeof(uint32_t));
}

static uint32_t record_bytes(unsigned int nr)
{
	return (3 + nr) * sizeof(uint32_t);
}

/* Xen's TRC_LOST_RECORDS: how many, the vCPU running, since when. */
static void put_lost_locked(struct trace_cpu *tc, uint64_t now)
{
	const struct vcpu *v = current_vcpu();
	uint32_t d[4] = {tc->lost, 0, (uint32_t)tc->lost_first,
			 (uint32_t)(tc->lost_first >> 32)};

	if (v)
		d[1] = (uint32_t)v->domain->domain_id | (uint32_t)v->vcpu_id
								<< 16;
	put_record_locked(tc, TRC_LOST_RECORDS, 4, d, now);
	tc->lost = 0;
}

static void stop_bogus(unsigned int cpu)
{
	trace_enabled = false;
	if (!bogus_logged)
		printk("trace: pCPU %u: the consumer index is bogus; tracing "
		       "stopped\n",
		       cpu);
	bogus_logged = true;
}

void trace_record(uint32_t event, unsigned int nr, const uint32_t *extra)
{
	unsigned int cpu = arch_cpu_id();
	struct trace_cpu *tc = &tcpu[cpu];
	uint32_t used, need;
	unsigned long flags;
	uint64_t now;

	if (nr > TRACE_EXTRA_MAX || !event_wanted(event) ||
	    !(cpu_mask >> cpu & 1) ||
	    !__atomic_load_n(&tc->buf, __ATOMIC_ACQUIRE))
		return;
	now = arch_cycles();
	flags = spin_lock_irqsave(&tc->lock);
	used = ring_used_locked(tc);
	if (used == UINT32_MAX) {
		spin_unlock_irqrestore(&tc->lock, flags);
		stop_bogus(cpu);
		return;
	}
	need = record_bytes(nr) + (tc->lost ? record_bytes(4) : 0);
	if (used + need > data_size) {
		if (!tc->lost++)
			tc->lost_first = now;
	} else {
		if (tc->lost)
			put_lost_locked(tc, now);
		put_record_locked(tc, event, nr, extra, now);
		/* The records before the index that says they are there. */
		__atomic_store_n(&tc->buf->prod, tc->prod, __ATOMIC_RELEASE);
	}
	spin_unlock_irqrestore(&tc->lock, flags);
}

/* ---- telling xentrace -------------------------------------------------- */

static bool any_half_full(void)
{
	for (unsigned int cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		struct trace_cpu *tc = &tcpu[cpu];
		unsigned long flags;
		uint32_t used;

		if (!tc->buf)
			continue;
		flags = spin_lock_irqsave(&tc->lock);
		used = ring_used_locked(tc);
		spin_unlock_irqrestore(&tc->lock, flags);
		if (used != UINT32_MAX && used >= data_size / 2)
			return true;
	}
	return false;
}

/*
 * Xen raises VIRQ_TBUF from the writer at its high-water mark; Orchid's
 * trace points run under scheduler and event locks, so a timer checks
 * instead, only while tracing is on. xentrace also polls on its own.
 */
static void notify_fired(void *data)
{
	(void)data;
	if (!trace_enabled)
		return;
	if (any_half_full() && hardware_domain)
		evtchn_send_global_virq(hardware_domain, VIRQ_TBUF);
	timer_set(&notify_timer, arch_now_ns() + TRACE_NOTIFY_NS);
}

static void set_enabled(bool on)
{
	trace_enabled = on;
	if (on)
		timer_set(&notify_timer, arch_now_ns() + TRACE_NOTIFY_NS);
}

/* ---- the buffers --------------------------------------------------------- */

/* Words before the first MFN list: the header and NR_CPUS offsets. */
static unsigned int t_info_first_word(void)
{
	size_t bytes =
		sizeof(struct t_info) + CONFIG_NR_CPUS * sizeof(uint16_t);

	return (unsigned int)((bytes + 3) / 4);
}

static unsigned int order_of(unsigned int pages)
{
	unsigned int order = 0;

	while ((1U << order) < pages)
		order++;
	return order;
}

/* Xen's alloc_trace_bufs; its -EBUSY once buffers exist. */
static int alloc_buffers(unsigned int pages)
{
	unsigned int first = t_info_first_word(), order, words;
	uint32_t *mfns;

	if (t_info)
		return -EBUSY;
	if (pages == 0)
		return -EINVAL;
	if (pages > 1U << TRACE_MAX_ORDER) {
		printk("trace: %u pages a pCPU reduced to %u\n", pages,
		       1U << TRACE_MAX_ORDER);
		pages = 1U << TRACE_MAX_ORDER;
	}
	order = order_of(pages);
	words = first + nr_cpu_ids * pages;
	t_info_pages = (words * 4 + PAGE_SIZE - 1) / PAGE_SIZE;
	t_info = domain_mem_alloc_xen_shared(order_of(t_info_pages));
	if (!t_info)
		return -ENOMEM;
	mfns = (uint32_t *)t_info;
	t_info->tbuf_size = (uint16_t)pages;
	data_size = pages * PAGE_SIZE - sizeof(struct t_buf);
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct trace_cpu *tc = &tcpu[cpu];
		uint8_t *va;
		uint32_t pfn;

		if (!cpu_is_online(cpu))
			continue;
		/* Never freed: a failure leaves that pCPU without one. */
		va = domain_mem_alloc_xen_shared(order);
		if (!va) {
			printk("trace: no buffer for pCPU %u\n", cpu);
			continue;
		}
		/* T_INFO's lists are 32-bit MFNs (Xen allocates below 2^44). */
		if ((pa_addr(arch_va_to_pa(va)) >> PAGE_SHIFT) + pages >
		    UINT32_MAX) {
			printk("trace: pCPU %u's buffer is above 2^44\n", cpu);
			continue;
		}
		pfn = (uint32_t)(pa_addr(arch_va_to_pa(va)) >> PAGE_SHIFT);
		t_info->mfn_offset[cpu] = (uint16_t)(first + cpu * pages);
		for (unsigned int i = 0; i < pages; i++)
			mfns[first + cpu * pages + i] = pfn + i;
		tc->data = va + sizeof(struct t_buf);
		tc->prod = 0;
		__atomic_store_n(&tc->buf, (struct t_buf *)va,
				 __ATOMIC_RELEASE);
	}
	tbuf_pages = pages;
	printk("trace: %u pages a pCPU, T_INFO %u pages\n", pages,
	       t_info_pages);
	return 0;
}

void trace_init(unsigned int pages, uint32_t mask)
{
	for (unsigned int cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		spin_lock_init(&tcpu[cpu].lock);
	timer_init(&notify_timer, notify_fired, NULL, 0);
	if (!pages)
		return;
	if (alloc_buffers(pages)) {
		printk("trace: tbuf_size=%u: no buffers\n", pages);
		return;
	}
	if (mask) {
		evt_mask = mask;
		set_enabled(true);
	}
}

/* ---- XEN_SYSCTL_tbuf_op -------------------------------------------------- */

static long set_cpu_mask(const struct xenctl_bitmap *b)
{
	uint8_t bytes[CONFIG_NR_CPUS / 8 + 1] = {0};
	uint32_t bits = b->nr_bits < nr_cpu_ids ? b->nr_bits : nr_cpu_ids;
	uint64_t mask = 0;

	if (copy_from_guest(bytes, b->bitmap.p, (bits + 7) / 8))
		return -EFAULT;
	for (uint32_t i = 0; i < bits; i++)
		if (bytes[i / 8] >> (i % 8) & 1)
			mask |= 1ULL << i;
	cpu_mask = mask;
	return 0;
}

static void disable(void)
{
	set_enabled(false);
	/* No phantom lost records at the next start. */
	for (unsigned int cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		unsigned long flags = spin_lock_irqsave(&tcpu[cpu].lock);

		tcpu[cpu].lost = 0;
		spin_unlock_irqrestore(&tcpu[cpu].lock, flags);
	}
}

static long set_size(uint32_t pages)
{
	/* One size for the life of the host, as Xen: set once, kept. */
	if (tbuf_pages && pages != tbuf_pages)
		return -EINVAL;
	return alloc_buffers(pages);
}

long trace_control(struct xen_sysctl_tbuf_op *op)
{
	long rc = 0;

	spin_lock(&control_lock);
	switch (op->cmd) {
	case XEN_SYSCTL_TBUFOP_get_info:
		op->evt_mask = evt_mask;
		op->buffer_mfn =
			t_info ? pa_addr(arch_va_to_pa(t_info)) >> PAGE_SHIFT
			       : 0;
		op->size = t_info_pages * PAGE_SIZE;
		break;
	case XEN_SYSCTL_TBUFOP_set_cpu_mask:
		rc = set_cpu_mask(&op->cpu_mask);
		break;
	case XEN_SYSCTL_TBUFOP_set_evt_mask: evt_mask = op->evt_mask; break;
	case XEN_SYSCTL_TBUFOP_set_size: rc = set_size(op->size); break;
	case XEN_SYSCTL_TBUFOP_enable:
		if (!tbuf_pages)
			rc = -EINVAL;
		else
			set_enabled(true);
		break;
	case XEN_SYSCTL_TBUFOP_disable: disable(); break;
	default: rc = -EINVAL; break;
	}
	spin_unlock(&control_lock);
	return rc;
}
