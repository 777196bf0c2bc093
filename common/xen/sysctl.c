// SPDX-License-Identifier: MIT
/*
 * sysctl: what the toolstack asks about the host (`xl info`, `xl list`,
 * `xl dmesg`, cpupools, NUMA placement). Meaning, checks and error numbers
 * follow Xen 4.17 (xen/common/xen/sysctl.c, sched/cpupool.c, arch/arm/sysctl.c,
 * drivers/char/console.c); the values are what Orchid has: one NUMA node,
 * one cpupool with every online pCPU, credit2's ID for its scheduler.
 */
#include <orchid/arch.h>
#include <orchid/domain.h>
#include <orchid/domctl.h>
#include <orchid/errno.h>
#include <orchid/guest_access.h>
#include <orchid/hypercall.h>
#include <orchid/hypercalls.h>
#include <orchid/keyhandler.h>
#include <orchid/livepatch.h>
#include <orchid/mm.h>
#include <orchid/printk.h>
#include <orchid/sched.h>
#include <orchid/setup.h>
#include <orchid/smp.h>
#include <orchid/string.h>
#include <orchid/trace.h>
#include <public/sysctl.h>

/* Xen's LOCAL_DISTANCE: the one node is at distance 10 from itself. */
#define NODE_LOCAL_DISTANCE 10
/* Bytes readconsole moves per step through its bounce buffer. */
#define READCONSOLE_CHUNK 256

static spinlock_t sysctl_lock = SPINLOCK_INIT;

/* RAM as the DTB has it: Xen's total_pages, max_page, first_valid_mfn. */
static void ram_extent(uint64_t *total_pages, uint64_t *first_pfn,
		       uint64_t *end_pfn)
{
	*total_pages = 0;
	*first_pfn = ~0ULL;
	*end_pfn = 0;
	for (unsigned int i = 0; i < bootinfo.nr_mem; i++) {
		const struct mem_region *r = &bootinfo.mem[i];
		uint64_t start = pa_addr(r->base) >> PAGE_SHIFT;
		uint64_t end = pa_addr(mem_region_end(r)) >> PAGE_SHIFT;

		*total_pages += r->size >> PAGE_SHIFT;
		*first_pfn = min_u64(*first_pfn, start);
		*end_pfn = max_u64(*end_pfn, end);
	}
	if (*end_pfn == 0)
		*first_pfn = 0;
}

#ifdef CONFIG_CONSOLE_RING
/*
 * Xen's read_console_ring: @index is a position in the ring's byte stream
 * (32 bits, wrapping); an incremental read starts there if it is still
 * held, else at the oldest byte. Clearing forgets what was read.
 */
static long sysctl_readconsole(struct xen_sysctl_readconsole *rc)
{
	char buf[READCONSOLE_CHUNK];
	uint64_t first, end, pos;
	uint32_t max = rc->count, sofar = 0;

	console_ring_span(&first, &end);
	pos = first;
	if (rc->incremental) {
		uint32_t ahead = rc->index - (uint32_t)first;

		if (ahead > 0 && ahead <= end - first)
			pos = first + ahead;
	}
	while (pos < end && sofar < max) {
		size_t want =
			min_u64(min_u64(sizeof(buf), max - sofar), end - pos);
		size_t n = console_ring_read_at(buf, want, pos);

		if (!n) {
			/* New text pushed ours out meanwhile: skip to it. */
			console_ring_span(&first, &end);
			if (pos >= first)
				break;
			pos = first;
			continue;
		}
		if (copy_to_guest(rc->buffer.p + sofar, buf, n))
			return -EFAULT;
		sofar += (uint32_t)n;
		pos += n;
	}
	if (rc->clear)
		console_ring_clear_to(pos);
	rc->count = sofar;
	rc->index = (uint32_t)pos;
	return 0;
}
#endif

static void sysctl_physinfo(struct xen_sysctl_physinfo *pi)
{
	uint64_t total, first, end;

	ram_extent(&total, &first, &end);
	memset(pi, 0, sizeof(*pi));
	pi->threads_per_core = 1;
	pi->nr_cpus = cpus_online();
	/* Xen 4.17 on Arm: CPU 0's core mask holds CPU 0 only. */
	pi->cores_per_socket = 1;
	pi->max_cpu_id = nr_cpu_ids - 1;
	pi->nr_nodes = 1;
	pi->max_node_id = 0;
	pi->cpu_khz = arch_cpu_khz();
	/* What Xen 4.17 reports on the same machine: hvm hap vpmu gnttab-v1. */
	pi->capabilities = XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap |
			   XEN_SYSCTL_PHYSCAP_vpmu;
#ifdef CONFIG_GRANT_TABLE
	pi->capabilities |= XEN_SYSCTL_PHYSCAP_gnttab_v1;
#endif
	pi->total_pages = total;
	pi->free_pages = page_alloc_free_bytes() >> PAGE_SHIFT;
	pi->max_mfn = end ? end - 1 : 0;
}

static long sysctl_getdomaininfolist(struct xen_sysctl_getdomaininfolist *gl)
{
	struct xen_domctl_getdomaininfo info;
	uint32_t num = 0;
	domid_t next = gl->first_domain;
	struct domain *d;

	while (num < gl->max_domains && (d = domain_lookup_next_listed(next))) {
		domain_getinfo(d, &info);
		if (copy_to_guest(gl->buffer.p + (uint64_t)num * sizeof(info),
				  &info, sizeof(info)))
			return -EFAULT;
		num++;
		next = d->domain_id + 1;
	}
	gl->num_domains = num;
	return 0;
}

/*
 * Xen 4.17 on Arm knows no topology: cpu_to_core() and cpu_to_socket()
 * are 0, so every online pCPU is core 0 of socket 0, node 0 (what
 * `xenpm get-cpu-topology` prints there).
 */
static long sysctl_cputopoinfo(struct xen_sysctl_cputopoinfo *ti)
{
	unsigned int i, num = nr_cpu_ids;

	if (ti->cputopo.p) {
		num = num < ti->num_cpus ? num : ti->num_cpus;
		for (i = 0; i < num; i++) {
			struct xen_sysctl_cputopo t = {
				.core = 0, .socket = 0, .node = 0};

			if (!cpu_is_online(i))
				t = (struct xen_sysctl_cputopo){
					XEN_INVALID_CORE_ID,
					XEN_INVALID_SOCKET_ID,
					XEN_INVALID_NODE_ID};
			if (copy_to_guest(ti->cputopo.p + i * sizeof(t), &t,
					  sizeof(t)))
				return -EFAULT;
		}
	}
	ti->num_cpus = num;
	return 0;
}

static long sysctl_numainfo(struct xen_sysctl_numainfo *ni)
{
	unsigned int num = 1;

	if (ni->meminfo.p || ni->distance.p) {
		uint64_t total, first, end;
		struct xen_sysctl_meminfo mi;
		uint32_t distance = NODE_LOCAL_DISTANCE;

		num = ni->num_nodes < num ? ni->num_nodes : num;
		ram_extent(&total, &first, &end);
		/* Xen: node_spanned_pages, avail_node_heap_pages. */
		mi.memsize = (end - first) << PAGE_SHIFT;
		mi.memfree = page_alloc_free_bytes();
		if (num && ni->meminfo.p &&
		    copy_to_guest(ni->meminfo.p, &mi, sizeof(mi)))
			return -EFAULT;
		if (num && ni->distance.p &&
		    copy_to_guest(ni->distance.p, &distance, sizeof(distance)))
			return -EFAULT;
	}
	ni->num_nodes = num;
	return 0;
}

/* Xen's sched_adjust_global: the pool's scheduler answers. */
static long sysctl_scheduler_op(struct xen_sysctl_scheduler_op *so)
{
	if (so->cmd != XEN_SYSCTL_SCHEDOP_putinfo &&
	    so->cmd != XEN_SYSCTL_SCHEDOP_getinfo)
		return -EINVAL;
	return sched_sys_cntl(so);
}

#ifdef CONFIG_DEBUG_KEYS
/* Xen's XEN_SYSCTL_debug_keys: each key as if typed on the serial console. */
static long sysctl_debug_keys(const struct xen_sysctl_debug_keys *dk)
{
	char keys[64];

	for (uint32_t done = 0; done < dk->nr_keys;) {
		uint32_t n = min_u64(sizeof(keys), dk->nr_keys - done);

		if (copy_from_guest(keys, dk->keys.p + done, n))
			return -EFAULT;
		for (uint32_t i = 0; i < n; i++)
			keyhandler_press((unsigned char)keys[i]);
		done += n;
	}
	return 0;
}
#endif

static const char *sysctl_name(uint32_t cmd)
{
	switch (cmd) {
	case XEN_SYSCTL_tbuf_op: return "sysctl tbuf_op";
	case XEN_SYSCTL_debug_keys: return "sysctl debug_keys";
	case XEN_SYSCTL_getcpuinfo: return "sysctl getcpuinfo";
	case XEN_SYSCTL_availheap: return "sysctl availheap";
	case XEN_SYSCTL_pcitopoinfo: return "sysctl pcitopoinfo";
	case XEN_SYSCTL_livepatch_op: return "sysctl livepatch_op";
	default: return "sysctl";
	}
}

long hc_sysctl(const uint64_t a[5])
{
	struct xen_sysctl op;
	bool copyback = false;
	long ret;

	if (copy_from_guest(&op, a[0], sizeof(op)))
		return -EFAULT;
	if (op.interface_version != XEN_SYSCTL_INTERFACE_VERSION)
		return -EACCES;
	if (!current_domain()->is_privileged)
		return -EPERM;

	toolstack_lock(&sysctl_lock);
	switch (op.cmd) {
#ifdef CONFIG_CONSOLE_RING
	case XEN_SYSCTL_readconsole:
		ret = sysctl_readconsole(&op.u.readconsole);
		break;
#endif
	case XEN_SYSCTL_physinfo:
		sysctl_physinfo(&op.u.physinfo);
		ret = 0;
		break;
	case XEN_SYSCTL_sched_id:
		op.u.sched_id.sched_id = sched_id();
		ret = 0;
		break;
	case XEN_SYSCTL_getdomaininfolist:
		ret = sysctl_getdomaininfolist(&op.u.getdomaininfolist);
		break;
	case XEN_SYSCTL_cpupool_op: ret = cpupool_op(&op.u.cpupool_op); break;
	case XEN_SYSCTL_cputopoinfo:
		ret = sysctl_cputopoinfo(&op.u.cputopoinfo);
		break;
	case XEN_SYSCTL_numainfo: ret = sysctl_numainfo(&op.u.numainfo); break;
	case XEN_SYSCTL_scheduler_op:
		ret = sysctl_scheduler_op(&op.u.scheduler_op);
		break;
#ifdef CONFIG_TRACEBUFFER
	case XEN_SYSCTL_tbuf_op: ret = trace_control(&op.u.tbuf_op); break;
#endif
#ifdef CONFIG_DEBUG_KEYS
	case XEN_SYSCTL_debug_keys:
		ret = sysctl_debug_keys(&op.u.debug_keys);
		break;
#endif
#ifdef CONFIG_LIVEPATCH
	case XEN_SYSCTL_livepatch_op:
		ret = livepatch_op(&op.u.livepatch);
		/* Xen copies livepatch answers back even on error, and LIST
		 * returns how many entries it wrote. */
		copyback = ret != -ENOSYS && ret != -EOPNOTSUPP;
		break;
#endif
	default:
		ret = hypercall_unimplemented(sysctl_name(op.cmd), op.cmd);
		break;
	}
	spin_unlock(&sysctl_lock);

	/* Xen copies the answer back only when the command succeeded. */
	if ((!ret || copyback) && copy_to_guest(a[0], &op, sizeof(op)))
		ret = -EFAULT;
	return ret;
}
