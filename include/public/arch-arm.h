/* SPDX-License-Identifier: MIT */
/*
 * The Arm part of the Xen ABI (Xen 4.17 xen/include/public/arch-arm.h):
 * guest handles, the register file of vcpu_guest_context and the fixed
 * guest memory layout. Written for Orchid from the ABI's facts.
 */
#ifndef XEN_PUBLIC_ARCH_ARM_H
#define XEN_PUBLIC_ARCH_ARM_H

#include <orchid/types.h>

/* HVC immediate of a Xen hypercall; the number goes in x16. */
#define XEN_HYPERCALL_TAG 0xEA1

/*
 * A guest handle is a guest virtual address, always 8 bytes and 8-byte
 * aligned in structures, whatever the guest's pointer size.
 */
typedef struct {
	uint64_t p;
} __aligned(8) xen_guest_handle_t;
#define XEN_GUEST_HANDLE(type) xen_guest_handle_t

typedef uint64_t xen_pfn_t;
typedef uint64_t xen_ulong_t;
#define PRI_xen_pfn "lx"

#define XEN_LEGACY_MAX_VCPUS 1

struct vcpu_guest_core_regs {
	uint64_t x[31];	   /* x0-x30 (AArch32 banked registers alias them) */
	uint64_t pc64;	   /* ELR_EL2 */
	uint64_t cpsr;	   /* SPSR_EL2 */
	uint64_t spsr_el1; /* AArch32: spsr_svc in the low half */
	uint32_t spsr_fiq, spsr_irq, spsr_und, spsr_abt;
	uint64_t sp_el0;
	uint64_t sp_el1, elr_el1;
};

#define _VGCF_online 0
#define VGCF_online  (1U << _VGCF_online)

struct vcpu_guest_context {
	uint32_t flags; /* VGCF_* */
	struct vcpu_guest_core_regs user_regs;
	uint64_t sctlr;
	uint64_t ttbcr, ttbr0, ttbr1;
};

#define XEN_DOMCTL_CONFIG_GIC_NATIVE 0
#define XEN_DOMCTL_CONFIG_GIC_V2     1
#define XEN_DOMCTL_CONFIG_GIC_V3     2

#define XEN_DOMCTL_CONFIG_TEE_NONE  0
#define XEN_DOMCTL_CONFIG_TEE_OPTEE 1

struct xen_arch_domainconfig {
	uint8_t gic_version;	  /* IN/OUT */
	uint16_t tee_type;	  /* IN */
	uint32_t nr_spis;	  /* IN */
	uint32_t clock_frequency; /* OUT: the DT timer's clock-frequency or 0 */
};

struct arch_vcpu_info {
};

struct arch_shared_info {
};

/* PSR values for a guest's initial state. */
#define PSR_MODE_EL1h 0x05
#define PSR_ABT_MASK  (1U << 8)
#define PSR_FIQ_MASK  (1U << 6)
#define PSR_IRQ_MASK  (1U << 7)
#define PSR_DBG_MASK  (1U << 9)
#define PSR_GUEST64_INIT                                                       \
	(PSR_ABT_MASK | PSR_FIQ_MASK | PSR_IRQ_MASK | PSR_MODE_EL1h)

/* The guest physical memory map of non-direct-mapped guests. */
#define GUEST_GICD_BASE		  0x03001000ULL
#define GUEST_GICD_SIZE		  0x00001000ULL
#define GUEST_GICC_BASE		  0x03002000ULL
#define GUEST_GICC_SIZE		  0x00002000ULL
#define GUEST_GICV3_GICD_BASE	  0x03001000ULL
#define GUEST_GICV3_GICD_SIZE	  0x00010000ULL
#define GUEST_GICV3_RDIST_REGIONS 1
#define GUEST_GICV3_GICR0_BASE	  0x03020000ULL
#define GUEST_GICV3_GICR0_SIZE	  0x01000000ULL
#define GUEST_PL011_BASE	  0x22000000ULL
#define GUEST_PL011_SIZE	  0x00001000ULL
#define GUEST_GNTTAB_BASE	  0x38000000ULL
#define GUEST_GNTTAB_SIZE	  0x01000000ULL
#define GUEST_MAGIC_BASE	  0x39000000ULL
#define GUEST_MAGIC_SIZE	  0x01000000ULL
#define GUEST_RAM_BANKS		  2
#define GUEST_RAM0_BASE		  0x40000000ULL
#define GUEST_RAM0_SIZE		  0xc0000000ULL
#define GUEST_RAM1_BASE		  0x0200000000ULL
#define GUEST_RAM1_SIZE		  0xfe00000000ULL
#define GUEST_MAX_VCPUS		  128

#define GUEST_TIMER_VIRT_PPI	27
#define GUEST_TIMER_PHYS_S_PPI	29
#define GUEST_TIMER_PHYS_NS_PPI 30
#define GUEST_EVTCHN_PPI	31
#define GUEST_VPL011_SPI	32

#endif /* XEN_PUBLIC_ARCH_ARM_H */
