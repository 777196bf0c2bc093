/* SPDX-License-Identifier: MIT */
/* The fake world of tests/unit/fake_guest.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <asm/guest_va.h>
#include <orchid/arch.h>
#include <orchid/bootmem.h>
#include <orchid/domain_mem.h>
#include <orchid/errno.h>
#include <orchid/event.h>
#include <orchid/grant_table.h>
#include <orchid/guest_access.h>
#include <orchid/printk.h>
#include <orchid/sched.h>
#include <orchid/setup.h>
#include <orchid/string.h>

#include "fake_guest.h"
#include "fake_p2m.h"

struct fake_record fake_rec;
struct fake_controls fake_ctl;

/* What common/domain.c and arch/arm64/setup.c would define. */
struct domain *hardware_domain;
struct boot_options boot_options;

static struct fake_guest *guests[FAKE_MAX_DOMAINS];
static struct vcpu *current;

/* Snapshots of each guest slot's RAM and shared_info. */
static uint8_t snap_ram[FAKE_MAX_DOMAINS][FAKE_RAM_PAGES * PAGE_SIZE];
static uint8_t snap_shared[FAKE_MAX_DOMAINS][PAGE_SIZE];

void fake_reset(void)
{
	memset(&fake_rec, 0, sizeof(fake_rec));
	fake_ctl = (struct fake_controls){
		.ipa_bits = 40,
		.max_pfn = 0x8ffff,
		.gnttab_unmap_ret = -ENOENT,
		.get_page_ret = -EINVAL,
		.valid_ports = 1024,
	};
	fake_guest_va_reset();
	fake_guest_va_fault(fake_va(FAKE_PAGE_S1_FAULT, 0), false);
	fake_guest_va_fault(fake_va(FAKE_PAGE_S1_RO, 0), true);
	hardware_domain = NULL;
	current = NULL;
	memset(&boot_options, 0, sizeof(boot_options));
}

/* ---- the fake stage 2 -------------------------------------------------- */

struct p2m_entry {
	struct domain *d;
	uint64_t ipa; /* page aligned */
	uint64_t pa;
	enum p2m_type type;
};

#define P2M_ENTRIES 64
static struct p2m_entry p2m[P2M_ENTRIES];

static struct p2m_entry *p2m_find(const struct domain *d, uint64_t ipa)
{
	for (unsigned int i = 0; i < P2M_ENTRIES; i++)
		if (p2m[i].d == d && p2m[i].ipa == ipa)
			return &p2m[i];
	return NULL;
}

static void p2m_set(struct domain *d, uint64_t ipa, uint64_t pa,
		    enum p2m_type type)
{
	struct p2m_entry *e = p2m_find(d, ipa);

	if (!e)
		e = p2m_find(NULL, 0);
	if (!e)
		fail_msg("fake p2m full");
	*e = (struct p2m_entry){d, ipa, pa, type};
}

int p2m_map(struct domain *d, ipaddr_t ipa, paddr_t pa, uint64_t nr,
	    enum p2m_type type)
{
	fake_rec.p2m_maps++;
	fake_rec.p2m_d = d;
	fake_rec.p2m_ipa = ipa_addr(ipa);
	fake_rec.p2m_pa = pa_addr(pa);
	fake_rec.p2m_nr = nr;
	fake_rec.p2m_type = type;
	if (fake_p2m_locked)
		fail_msg("p2m_map under the p2m lock");
	if (fake_ctl.p2m_map_ret)
		return fake_ctl.p2m_map_ret;
	if (ipa_addr(ipa) >> fake_ctl.ipa_bits)
		return -EINVAL;
	for (uint64_t i = 0; i < nr; i++)
		p2m_set(d, ipa_addr(ipa) + i * PAGE_SIZE,
			pa_addr(pa) + i * PAGE_SIZE, type);
	return 0;
}

int p2m_unmap(struct domain *d, ipaddr_t ipa, uint64_t nr)
{
	fake_rec.p2m_unmaps++;
	fake_rec.p2m_d = d;
	fake_rec.p2m_ipa = ipa_addr(ipa);
	fake_rec.p2m_nr = nr;
	for (uint64_t i = 0; i < nr; i++) {
		struct p2m_entry *e =
			p2m_find(d, ipa_addr(ipa) + i * PAGE_SIZE);

		if (e)
			memset(e, 0, sizeof(*e));
	}
	return 0;
}

bool p2m_lookup_locked(struct domain *d, ipaddr_t ipa, paddr_t *pa,
		       enum p2m_type *type)
{
	struct p2m_entry *e;

	if (!fake_p2m_locked)
		fail_msg("p2m_lookup_locked without the lock");
	e = p2m_find(d, align_down(ipa_addr(ipa), PAGE_SIZE));
	if (!d || !e)
		return false;
	if (pa)
		*pa = pa_init(e->pa + (ipa_addr(ipa) & ~PAGE_MASK));
	if (type)
		*type = e->type;
	return true;
}

/*
 * The frame table's answer for guest_access.c's MMU path: @pa is @d's own
 * RAM (mapped as such by @d) and no grant or foreign mapping of it exists
 * (any other mapping stands for the reference it would hold).
 */
bool domain_mem_mapped_ram_of(const struct domain *d, paddr_t pa)
{
	uint64_t page = align_down(pa_addr(pa), PAGE_SIZE);
	bool ram = false;

	if (!fake_p2m_locked)
		fail_msg("domain_mem_mapped_ram_of without the p2m lock");
	for (unsigned int i = 0; i < P2M_ENTRIES; i++) {
		if (!p2m[i].d || p2m[i].pa != page)
			continue;
		if (!p2m_is_ram(p2m[i].type))
			return false;
		ram |= p2m[i].d == d;
	}
	return ram;
}

unsigned int p2m_ipa_bits(void)
{
	return fake_ctl.ipa_bits;
}

void fake_check_unlocked(void)
{
	assert_int_equal(fake_p2m_locked, 0);
}

/* ---- domains and vCPUs ------------------------------------------------- */

static const enum p2m_type ram_type[FAKE_RAM_PAGES] = {
	p2m_ram_rw, p2m_ram_rw,	 p2m_ram_rw, p2m_ram_rw, p2m_ram_rw,
	p2m_ram_ro, p2m_invalid, p2m_ram_rw, p2m_ram_rw, p2m_ram_rw,
};

void fake_guest_create(struct fake_guest *g, domid_t domid, bool privileged,
		       unsigned int nr_vcpus)
{
	unsigned int slot;

	memset(g, 0, sizeof(*g));
	g->d.domain_id = domid;
	g->d.is_privileged = privileged;
	g->d.max_vcpus = nr_vcpus;
	g->d.vcpus = g->vcpus;
	spin_lock_init(&g->d.lock);
	g->d.shared_info = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	g->ram = aligned_alloc(PAGE_SIZE, FAKE_RAM_PAGES * PAGE_SIZE);
	assert_non_null(g->d.shared_info);
	assert_non_null(g->ram);
	memset(g->d.shared_info, 0, PAGE_SIZE);
	g->d.shared_info_gfn = DOMAIN_MEM_NO_GFN;
	for (size_t i = 0; i < FAKE_RAM_PAGES * PAGE_SIZE; i++)
		g->ram[i] = (uint8_t)(i * 7 + domid * 31 + 1);
	for (unsigned int i = 0; i < nr_vcpus; i++) {
		struct vcpu *v = &g->vcpu[i];

		v->vcpu_id = i;
		v->domain = &g->d;
		v->processor = i;
		v->pause_flags = i ? VPF_DOWN : 0;
		v->vcpu_info = i < XEN_LEGACY_MAX_VCPUS
				       ? &g->d.shared_info->vcpu_info[i]
				       : &v->dummy_vcpu_info;
		g->vcpus[i] = v;
	}
	for (unsigned int i = 0; i < FAKE_RAM_PAGES; i++)
		if (ram_type[i] != p2m_invalid)
			p2m_set(&g->d, fake_va(i, 0),
				pa_addr(arch_va_to_pa(g->ram + i * PAGE_SIZE)),
				ram_type[i]);
	for (slot = 0; slot < FAKE_MAX_DOMAINS && guests[slot]; slot++)
		;
	if (slot == FAKE_MAX_DOMAINS)
		fail_msg("too many fake guests");
	guests[slot] = g;
}

void fake_guest_destroy(struct fake_guest *g)
{
	for (unsigned int i = 0; i < FAKE_MAX_DOMAINS; i++)
		if (guests[i] == g)
			guests[i] = NULL;
	for (unsigned int i = 0; i < P2M_ENTRIES; i++)
		if (p2m[i].d == &g->d)
			memset(&p2m[i], 0, sizeof(p2m[i]));
	if (hardware_domain == &g->d)
		hardware_domain = NULL;
	if (current && current->domain == &g->d)
		current = NULL;
	free(g->d.shared_info);
	free(g->ram);
	g->d.shared_info = NULL;
	g->ram = NULL;
}

void fake_run_as(struct fake_guest *g, unsigned int vcpu)
{
	current = g->vcpus[vcpu];
}

struct vcpu *current_vcpu(void)
{
	return current;
}

struct domain *domain_lookup(domid_t domid)
{
	for (unsigned int i = 0; i < FAKE_MAX_DOMAINS; i++)
		if (guests[i] && guests[i]->d.domain_id == domid)
			return &guests[i]->d;
	return NULL;
}

bool domain_call(domid_t domid, bool (*fn)(struct domain *d, void *arg),
		 void *arg)
{
	struct domain *d = domain_lookup(domid);

	return d ? fn(d, arg) : false;
}

void domain_for_each(void (*fn)(struct domain *d))
{
	for (unsigned int i = 0; i < FAKE_MAX_DOMAINS; i++)
		if (guests[i])
			fn(&guests[i]->d);
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
	fake_rec.shutdowns++;
	fake_rec.shutdown_d = d;
	fake_rec.shutdown_reason = reason;
}

/* ---- guest memory, as the test sees it --------------------------------- */

void *fake_host(struct fake_guest *g, uint64_t va)
{
	if (va < FAKE_RAM_IPA ||
	    va - FAKE_RAM_IPA >= FAKE_RAM_PAGES * PAGE_SIZE)
		fail_msg("%#llx is not guest RAM", (unsigned long long)va);
	return g->ram + (va - FAKE_RAM_IPA);
}

static struct fake_guest *current_guest(void)
{
	for (unsigned int i = 0; i < FAKE_MAX_DOMAINS; i++)
		if (guests[i] && current && current->domain == &guests[i]->d)
			return guests[i];
	fail_msg("no current guest");
	return NULL;
}

void fake_poke(uint64_t va, const void *src, size_t len)
{
	struct fake_guest *g = current_guest();

	fake_host(g, va + len - 1);
	memcpy(fake_host(g, va), src, len);
}

void fake_peek(uint64_t va, void *dst, size_t len)
{
	struct fake_guest *g = current_guest();

	fake_host(g, va + len - 1);
	memcpy(dst, fake_host(g, va), len);
}

unsigned int fake_bad_read(size_t len, uint64_t va[FAKE_BAD_MAX])
{
	uint64_t half = len / 2;
	unsigned int n = 0;

	va[n++] = 0;
	va[n++] = fake_va(FAKE_PAGE_HOLE, 0);
	va[n++] = fake_va(FAKE_PAGE_HOLE, 0) - half; /* RO page -> hole */
	va[n++] = FAKE_RAM_IPA - half;		     /* below RAM */
	va[n++] = fake_va(FAKE_RAM_PAGES, 0) - half; /* above RAM */
	va[n++] = fake_va(FAKE_PAGE_S1_FAULT, 0x10);
	va[n++] = fake_va(FAKE_PAGE_S1_FAULT, 0) - half; /* into the fault */
	va[n++] = UINT64_MAX - half;			 /* wraps */
	va[n++] = 0xffff800000000000ULL;		 /* a kernel address */
	return n;
}

unsigned int fake_bad_write(size_t len, uint64_t va[FAKE_BAD_MAX])
{
	uint64_t half = len / 2;
	unsigned int n = 0;

	va[n++] = fake_va(FAKE_PAGE_RO, 0x10);
	va[n++] = fake_va(FAKE_PAGE_RO, 0) - half; /* RW page -> RO page */
	va[n++] = fake_va(FAKE_PAGE_S1_RO, 0x10);
	va[n++] = fake_va(FAKE_PAGE_S1_RO, PAGE_SIZE - len);
	return n;
}

void fake_snapshot(void)
{
	for (unsigned int i = 0; i < FAKE_MAX_DOMAINS; i++) {
		if (!guests[i])
			continue;
		memcpy(snap_ram[i], guests[i]->ram, sizeof(snap_ram[i]));
		if (guests[i]->d.shared_info)
			memcpy(snap_shared[i], guests[i]->d.shared_info,
			       PAGE_SIZE);
	}
}

static void compare(const uint8_t *now, const uint8_t *then, size_t len,
		    const char *what, domid_t domid)
{
	for (size_t i = 0; i < len; i++)
		if (now[i] != then[i])
			fail_msg("d%u %s byte %#zx changed: %#x -> %#x", domid,
				 what, i, then[i], now[i]);
}

void fake_unchanged(void)
{
	for (unsigned int i = 0; i < FAKE_MAX_DOMAINS; i++) {
		if (!guests[i])
			continue;
		compare(guests[i]->ram, snap_ram[i], sizeof(snap_ram[i]), "RAM",
			guests[i]->d.domain_id);
		if (guests[i]->d.shared_info)
			compare((const uint8_t *)guests[i]->d.shared_info,
				snap_shared[i], PAGE_SIZE, "shared_info",
				guests[i]->d.domain_id);
	}
}

/* ---- the rest of Orchid, recorded -------------------------------------- */

void vcpu_yield(struct vcpu *v)
{
	fake_rec.yields++;
	fake_rec.yield_v = v;
}

/* Blocks, unless fake_ctl.has_work (then woken at once, as the real one). */
void vcpu_block(struct vcpu *v)
{
	fake_rec.blocks++;
	fake_rec.block_v = v;
	if (!fake_ctl.has_work)
		v->pause_flags |= VPF_BLOCKED;
}

void vcpu_wake(struct vcpu *v)
{
	if (!(v->pause_flags & VPF_BLOCKED))
		return;
	fake_rec.wakes++;
	v->pause_flags &= ~VPF_BLOCKED;
}

/* Timers: one recorded deadline each; tests fire them by hand. */
void timer_init(struct timer *t, timer_fn_t fn, void *data, unsigned int cpu)
{
	*t = (struct timer){.fn = fn, .data = data, .cpu = cpu};
}

void timer_set(struct timer *t, uint64_t expires_ns)
{
	fake_rec.timer_sets++;
	t->expires = expires_ns;
	t->state = TIMER_QUEUED;
}

void timer_stop(struct timer *t)
{
	t->state = TIMER_INACTIVE;
}

void timer_kill(struct timer *t)
{
	t->state = TIMER_KILLED;
}

/* common/sched/sched.c's: tests preempt through arch_irq_pending (asm/fake.h). */
bool sched_resched_pending(void)
{
	return false;
}

bool sched_resched_pending_on(unsigned int cpu)
{
	return false;
}

void arch_vcpu_mark_events_pending(struct vcpu *v)
{
	fake_rec.upcalls++;
	fake_rec.upcall_v = v;
}

void evtchn_send_global_virq(struct domain *d, unsigned int virq)
{
	fake_rec.global_virqs++;
	fake_rec.virq_d = d;
	fake_rec.virq = virq;
}

int evtchn_port_poll(struct domain *d, unsigned int port)
{
	fake_rec.pending_checks++;
	fake_rec.pending_d = d;
	if (port >= fake_ctl.valid_ports)
		return -EINVAL;
	return port < 64 && (fake_ctl.pending_ports >> port) & 1;
}

long do_event_channel_op(unsigned int cmd, uint64_t arg)
{
	fake_rec.evtchn_ops++;
	fake_rec.op_cmd = cmd;
	fake_rec.op_arg = arg;
	return fake_ctl.evtchn_op_ret;
}

long do_grant_table_op(unsigned int cmd, uint64_t uop, unsigned int count)
{
	fake_rec.gnttab_ops++;
	fake_rec.op_cmd = cmd;
	fake_rec.op_arg = uop;
	fake_rec.op_count = count;
	return fake_ctl.gnttab_op_ret;
}

int gnttab_map_shared_frame(struct domain *d, unsigned long idx, xen_pfn_t gfn)
{
	fake_rec.gnttab_maps++;
	fake_rec.gnttab_d = d;
	fake_rec.gnttab_idx = idx;
	fake_rec.gnttab_gfn = gfn;
	return fake_ctl.gnttab_map_ret;
}

int gnttab_unmap_shared_frame(struct domain *d, xen_pfn_t gfn)
{
	fake_rec.gnttab_unmaps++;
	fake_rec.gnttab_d = d;
	fake_rec.gnttab_gfn = gfn;
	return fake_ctl.gnttab_unmap_ret;
}

void console_write_guest(const char *s, size_t len)
{
	size_t room = sizeof(fake_rec.console) - fake_rec.console_len;

	if (fake_rec.console_len < sizeof(fake_rec.console))
		memcpy(fake_rec.console + fake_rec.console_len, s,
		       len < room ? len : room);
	fake_rec.console_writes++;
	fake_rec.console_len += len;
}

uint64_t bootmem_max_pfn(void)
{
	return fake_ctl.max_pfn;
}

/* lib/string.c's, which the host's C library (glibc < 2.38) lacks. */
size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

/* domctl/sysctl have their own tests (test_domctl.c, test_sysctl.c). */
long hc_sysctl(const uint64_t a[5])
{
	(void)a;
	return 0;
}

long hc_domctl(const uint64_t a[5])
{
	(void)a;
	return 0;
}
