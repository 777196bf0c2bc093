/* SPDX-License-Identifier: MIT */
/*
 * The services every architecture provides to common code. arch/arm64
 * implements them on the hardware; arch/fake implements them on the host so
 * that common code is unit-tested there. Common code includes this header,
 * never an architecture's internals.
 */
#ifndef ORCHID_ARCH_H
#define ORCHID_ARCH_H

#include <orchid/types.h>

/* Index (0..nr_cpus-1) of the CPU running this code. */
unsigned int arch_cpu_id(void);

/* Mask interrupts on this CPU and return the previous state. */
unsigned long arch_irq_save(void);
void arch_irq_restore(unsigned long flags);
void arch_irq_enable(void);
void arch_irq_disable(void);
/*
 * Is an interrupt waiting for this CPU, though masked? Long hypercalls ask
 * it to decide whether to stop and continue later (hypercall_preempt_check).
 */
bool arch_irq_pending(void);

/* Monotonic time since boot, in nanoseconds. */
uint64_t arch_now_ns(void);
/* The CPU's cycle counter as Xen's get_cycles has it (trace records):
 * on Arm the generic timer's physical count. */
uint64_t arch_cycles(void);

/* Arm this CPU's hypervisor timer to fire at @deadline_ns; 0 disarms it. */
void arch_timer_program(uint64_t deadline_ns);

/*
 * Zero @len bytes of whole pages at @va (page-aligned), the fastest way the
 * CPU has (DC ZVA); with @to_poc, also write the zeros to the point of
 * coherency, for a guest that reads them with its caches off.
 */
void arch_zero_pages(void *va, size_t len, bool to_poc);

/*
 * Orchid maps all RAM 1:1; these are the only places that rely on it.
 * Inline: every level of every p2m walk turns a table's address into a
 * pointer (bench-micro's grant rows walk several times a page, ~90
 * instructions a map+unmap as calls).
 */
static inline void *arch_pa_to_va(paddr_t pa)
{
	return (void *)(uintptr_t)pa_addr(pa);
}

static inline paddr_t arch_va_to_pa(const void *va)
{
	return pa_init((uintptr_t)va);
}

/* Spin-wait hint. */
void arch_cpu_relax(void);

/*
 * Sleep until an interrupt is pending, take it, and return with
 * interrupts masked again (the idle loop).
 */
void arch_cpu_wait(void);

struct vcpu;
/* Leave the hypervisor and run @v on this pCPU. */
void arch_vcpu_enter(struct vcpu *v) __noreturn;

/* Power the machine off / reset it (PSCI). */
void arch_system_off(void) __noreturn;
void arch_system_reset(void) __noreturn;

/* Architecture parts of domains and vCPUs (asm/vcpu.h has the details). */
struct domain;
struct xen_arch_domainconfig;
int arch_domain_init(struct domain *d, const struct xen_arch_domainconfig *cfg);
int arch_vcpu_init(struct vcpu *v);
/* Put @v at its reset state, starting at @pc with x0 = @x0. */
void arch_vcpu_reset(struct vcpu *v, uint64_t pc, uint64_t x0);
/* Make @v this pCPU's current vCPU without running it (idle at boot). */
void arch_set_current(struct vcpu *v);
/* Does @v have an interrupt or event it should wake up for? */
bool arch_vcpu_has_work(struct vcpu *v);
/*
 * Migration (common/sched/sched.c). Unload: make sure no pCPU's hardware
 * holds @v's state (a cross-call to the pCPU that may). Save here: the
 * same, from the pCPU that just stopped running @v. Migrated: @v is now
 * on v->processor; move what followed its pCPU (soft timers, forwarded
 * SPIs' targets).
 */
void arch_vcpu_unload(struct vcpu *v);
void arch_vcpu_save_here(struct vcpu *v);
void arch_vcpu_migrated(struct vcpu *v);

/* Free what arch_vcpu_init / arch_domain_init set up (even if they failed). */
void arch_vcpu_destroy(struct vcpu *v);
void arch_domain_destroy(struct domain *d);

/*
 * @d is being destroyed: every vCPU of it has VPF_DYING and it is out of
 * the domain list. Return once no pCPU runs one of its vCPUs, no pCPU
 * holds its vCPU state or its stage 2 (VTTBR_EL2) loaded, and every other
 * online pCPU has passed through a point where it held no domain pointer
 * it found earlier (hypervisor code runs with interrupts masked, so taking
 * a cross-call IPI is such a point). Called with no lock held.
 */
void arch_domain_quiesce(struct domain *d);

/*
 * The toolstack's view of a vCPU's registers (XEN_DOMCTL_setvcpucontext,
 * getvcpucontext; public/arch-arm.h). @v is paused and on no pCPU. Set
 * loads user_regs (x0-x30, pc64, cpsr, sp_el0, sp_el1, elr_el1, spsr_el1),
 * sctlr, ttbcr, ttbr0 and ttbr1 into @v, the rest of its state as at reset;
 * arch_vcpu_context_ok (arch_domain.h) has passed @c. Get fills the same
 * fields of @c from @v.
 */
struct vcpu_guest_context;
void arch_set_vcpu_context(struct vcpu *v, const struct vcpu_guest_context *c);
void arch_get_vcpu_context(struct vcpu *v, struct vcpu_guest_context *c);

/* The generic timer's frequency in kHz: what Xen reports as cpu_khz. */
uint32_t arch_cpu_khz(void);

/*
 * The boot DTB's architecture devices (bootinfo_parse calls it): fill
 * @bi's interrupt controller, timer and firmware fields; panic when the
 * interrupt controller Orchid cannot run without is missing.
 */
struct bootinfo;
struct fdt;
void arch_bootinfo_parse(struct bootinfo *bi, const struct fdt *fdt);
/*
 * The interrupt number of @node's @idx-th "interrupts" specifier in the
 * architecture's encoding, or 0 when absent or not one Orchid handles.
 */
unsigned int arch_dt_irq(const struct fdt *fdt, int node, unsigned int idx);

/*
 * Serial input switched to @d (Ctrl-a three times): hand @c to its
 * emulated UART. False when @d has none (Arm: the vpl011).
 */
bool arch_vuart_rx_char(struct domain *d, char c);
/*
 * XEN_DOMCTL_vuart_op's init for @d, once domctl checked the rest (Xen's
 * domain_vpl011_init): an emulated UART of @type whose ring is @d's RAM
 * page at @gfn, served by domain @backend through the event channel
 * *@port of @d. 0; -EOPNOTSUPP for a type the architecture lacks;
 * -EINVAL when @d has one already, @gfn is no RAM of @d or the UART's
 * interrupt is not free; -ENOMEM or -ENOSPC (no port).
 */
int arch_vuart_init(struct domain *d, uint32_t type, uint64_t gfn,
		    uint16_t backend, unsigned int *port);

/* Print the caller's call chain (panic, BUG_ON). */
void arch_show_backtrace(void);

/* Stop every other CPU, then this one, for good. */
void arch_halt_system(void) __noreturn;

#endif /* ORCHID_ARCH_H */
