// SPDX-License-Identifier: MIT
/*
 * vcpu_op: where each vCPU's vcpu_info and runstate live in guest memory.
 * Arm guests register a vcpu_info for every vCPU (vCPU 0 included) and a
 * runstate area that Orchid keeps current.
 */
#include <orchid/domain.h>
#include <orchid/domain_mem.h>
#include <orchid/errno.h>
#include <orchid/event.h>
#include <orchid/guest_access.h>
#include <orchid/hypercall.h>
#include <orchid/hypercalls.h>
#include <orchid/string.h>
#include <orchid/vcpu_op.h>
#include <public/vcpu.h>

static long vcpu_info_register(struct vcpu *v, uint64_t arg)
{
	struct vcpu_register_vcpu_info info;
	struct vcpu_info *new_info;
	paddr_t pa;
	uint8_t *page;

	if (copy_from_guest(&info, arg, sizeof(info)))
		return -EFAULT;
	if (info.offset > PAGE_SIZE - sizeof(struct vcpu_info) ||
	    info.offset % _Alignof(struct vcpu_info))
		return -ENXIO;
	if (v->vcpu_info_page.pa)
		return -EINVAL;
	if (v != current_vcpu() && !(v->pause_flags & VPF_DOWN))
		return -EINVAL;
	if (info.mfn > (UINT64_MAX >> PAGE_SHIFT))
		return -EINVAL;
	page = guest_ram_page(v->domain, ipa_init(info.mfn << PAGE_SHIFT), &pa);
	if (!page)
		return -EINVAL;
	/*
	 * Orchid writes to this page for as long as the vCPU lives: hold a
	 * reference, so a guest that gives the page back cannot make Orchid
	 * write into it after reuse (guest-safety item 2; Xen's get_page).
	 */
	if (domain_mem_get_page(v->domain, pa, DM_GET_RAM))
		return -EINVAL;
	new_info = (struct vcpu_info *)(page + info.offset);
	memcpy(new_info, v->vcpu_info, sizeof(*new_info));
	__atomic_store_n(&v->vcpu_info, new_info, __ATOMIC_RELEASE);
	v->vcpu_info_page = pa;
	/* Like Xen: mark everything pending so no event is lost on the move. */
	__atomic_store_n(&new_info->evtchn_pending_sel, ~0UL, __ATOMIC_RELEASE);
	new_info->evtchn_upcall_pending = 1;
	arch_vcpu_mark_events_pending(v);
	return 0;
}

void vcpu_info_release(struct vcpu *v)
{
	if (!pa_addr(v->vcpu_info_page))
		return;
	__atomic_store_n(&v->vcpu_info, &v->dummy_vcpu_info, __ATOMIC_RELEASE);
	domain_mem_put_page(v->vcpu_info_page);
	v->vcpu_info_page = pa_init(0);
}

/*
 * Copy @v's runstate to its registered area. Only for the vCPU whose
 * address space is live on this pCPU (the area is a guest virtual address).
 */
void runstate_update_guest(struct vcpu *v)
{
	struct vcpu_runstate_info r;
	bool flag =
		v->domain->vm_assist & (1U << VMASST_TYPE_runstate_update_flag);
	uint64_t va = v->runstate_guest_va;
	/*
	 * The flag's byte alone, as Xen's update_runstate_area writes it: the
	 * top byte of state_entry_time (little-endian). Writing all 8 bytes
	 * would differ from Xen where the area is only partly mapped: those
	 * bytes land on whatever the guest keeps there (the fuzzer's seed 401
	 * registered an area across an unmapped page's end).
	 */
	uint64_t flag_va =
		va + offsetof(struct vcpu_runstate_info, state_entry_time) +
		sizeof(uint64_t) - 1;
	uint8_t top;

	if (!va || v != current_vcpu())
		return;
	r = v->runstate;
	if (flag) {
		top = (uint8_t)((r.state_entry_time | XEN_RUNSTATE_UPDATE) >>
				56);
		copy_to_guest(flag_va, &top, 1);
		__atomic_thread_fence(__ATOMIC_RELEASE);
	}
	copy_to_guest(va, &r, sizeof(r));
	if (flag) {
		__atomic_thread_fence(__ATOMIC_RELEASE);
		top = (uint8_t)(r.state_entry_time >> 56);
		copy_to_guest(flag_va, &top, 1);
	}
}

static long runstate_register(struct vcpu *v, uint64_t arg)
{
	struct vcpu_register_runstate_memory_area area;

	if (copy_from_guest(&area, arg, sizeof(area)))
		return -EFAULT;
	v->runstate_guest_va = area.addr;
	runstate_update_guest(v);
	return 0;
}

long hc_vcpu_op(const uint64_t a[5])
{
	unsigned int cmd = (unsigned int)a[0];
	/* An unsigned int in Xen's do_arm_vcpu_op: x1's upper half is lost. */
	unsigned int vcpuid = (unsigned int)a[1];
	struct domain *d = current_domain();
	struct vcpu *v;

	/*
	 * Xen on Arm looks the vCPU up first (-ENOENT), then accepts only the
	 * two registrations; the rest is -EINVAL.
	 */
	if (vcpuid >= d->max_vcpus)
		return -ENOENT;
	v = d->vcpus[vcpuid];
	if (!v)
		return -ENOENT;
	if (cmd != VCPUOP_register_vcpu_info &&
	    cmd != VCPUOP_register_runstate_memory_area)
		return -EINVAL;
	switch (cmd) {
	case VCPUOP_register_vcpu_info: {
		unsigned long flags = spin_lock_irqsave(&d->lock);
		long ret = vcpu_info_register(v, a[2]);

		spin_unlock_irqrestore(&d->lock, flags);
		return ret;
	}
	default: return runstate_register(v, a[2]);
	}
}
