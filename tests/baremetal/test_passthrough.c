// SPDX-License-Identifier: MIT
/*
 * The passthrough domctls as a hostile or careless control domain sends
 * them (the guest as Dom0, on itself): what it was never given (host RAM,
 * the GIC, the console UART and its SPI) and what is taken (an SPI already
 * routed to it) are refused with Xen 4.17's errnos; malformed requests get
 * Xen's argument errors first. A DomU's calls are test_isolation's.
 */
#include "guest.h"
#include "xen.h"

#define PT_IRQ_TYPE_SPI 4
#define GUEST_RAM_MFN	0x40000 /* QEMU virt's RAM: never a device */
#define GICR_MFN	0x80a0	/* a GICv3 redistributor frame */
#define UART_MFN	0x9000	/* the hypervisor's console PL011 */
#define UART_SPI	33
#define VIRTIO_SPI	79 /* the last virtio-mmio transport's: Dom0's */

static struct xen_versioned_op op;

/* A domctl on Dom0 with the union's first words @a, @b, @c. */
static long domctl(uint32_t cmd, uint64_t a, uint64_t b, uint64_t c)
{
	const uint64_t args[3] = {a, b, c};

	memset(&op, 0, sizeof(op));
	op.cmd = cmd;
	op.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	memcpy(op.rest + 8, args, sizeof(args)); /* the union, at 16 */
	return HC1(__HYPERVISOR_domctl, &op);
}

static long mapping(uint64_t gfn, uint64_t mfn, uint64_t nr)
{
	/* first_gfn, first_mfn, nr_mfns; add_mapping in the next word. */
	memset(&op, 0, sizeof(op));
	op.cmd = XEN_DOMCTL_memory_mapping;
	op.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	memcpy(op.rest + 8, &gfn, 8);
	memcpy(op.rest + 16, &mfn, 8);
	memcpy(op.rest + 24, &nr, 8);
	op.rest[32] = 1;
	return HC1(__HYPERVISOR_domctl, &op);
}

static long bind(uint32_t cmd, uint32_t machine, uint32_t type, uint16_t spi)
{
	return domctl(cmd, machine | (uint64_t)type << 32, spi, 0);
}

/* A device-tree device assignment @cmd to or from @domid (no path: with
 * no IOMMU the hypervisor never reads it). */
static long assign(uint32_t cmd, uint16_t domid)
{
	const uint32_t dev = XEN_DOMCTL_DEV_DT;

	memset(&op, 0, sizeof(op));
	op.cmd = cmd;
	op.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	memcpy(op.rest, &domid, sizeof(domid)); /* xen_domctl.domain, at 8 */
	memcpy(op.rest + 8, &dev, sizeof(dev));
	return HC1(__HYPERVISOR_domctl, &op);
}

/*
 * QEMU virt has no IOMMU: Xen 4.17 refuses every device assignment with
 * -EOPNOTSUPP once the target domain resolves, -ESRCH when it does not
 * (xl's dtdev= never gets this far: libxl sees no directio capability).
 */
static void device_assignment(void)
{
	check_eq("assign_device-no-iommu", assign(XEN_DOMCTL_assign_device, 0),
		 -XEN_EOPNOTSUPP);
	check_eq("assign_device-dom-io",
		 assign(XEN_DOMCTL_assign_device, DOMID_IO), -XEN_EOPNOTSUPP);
	check_eq("assign_device-domid-invalid",
		 assign(XEN_DOMCTL_assign_device, DOMID_INVALID), -XEN_ESRCH);
	check_eq("test_assign_device-any-domain",
		 assign(XEN_DOMCTL_test_assign_device, DOMID_INVALID),
		 -XEN_EOPNOTSUPP);
	check_eq("test_assign_device-dom-io",
		 assign(XEN_DOMCTL_test_assign_device, DOMID_IO), -XEN_ESRCH);
	check_eq("deassign_device-absent-domain",
		 assign(XEN_DOMCTL_deassign_device, 0x7000), -XEN_ESRCH);
}

void test_passthrough(void)
{
	if (guest_is_domu) {
		skip("all", "Dom0's checks: a DomU's are isolation's");
		return;
	}
	/* Xen's argument checks. */
	check_eq("memory_mapping-wrap", mapping(0, ~0ULL, 2), -XEN_EINVAL);
	check_eq("memory_mapping-past-paddr-bits", mapping(0, 1ULL << 36, 1),
		 -XEN_EINVAL);
	check_eq("memory_mapping-65-pages", mapping(0x9030, 0x9030, 65),
		 -XEN_E2BIG);
	check_eq("irq_permission-pirq-1024",
		 domctl(XEN_DOMCTL_irq_permission, 1024 | 1ULL << 32, 0, 0),
		 -XEN_EINVAL);
	check_eq("bind_pt_irq-not-spi", bind(XEN_DOMCTL_bind_pt_irq, 40, 1, 40),
		 -XEN_EOPNOTSUPP);
	check_eq("bind_pt_irq-not-1to1",
		 bind(XEN_DOMCTL_bind_pt_irq, 40, PT_IRQ_TYPE_SPI, 41),
		 -XEN_EINVAL);
	/* What the control domain was never given. */
	check_eq("memory_mapping-host-ram",
		 mapping(GUEST_RAM_MFN, GUEST_RAM_MFN, 1), -XEN_EPERM);
	check_eq("memory_mapping-gicr", mapping(GICR_MFN, GICR_MFN, 1),
		 -XEN_EPERM);
	check_eq("iomem_permission-uart",
		 domctl(XEN_DOMCTL_iomem_permission, UART_MFN, 1, 1),
		 -XEN_EPERM);
	check_eq("irq_permission-uart-spi",
		 domctl(XEN_DOMCTL_irq_permission, UART_SPI | 1ULL << 32, 0, 0),
		 -XEN_EPERM);
	check_eq("bind_pt_irq-uart-spi",
		 bind(XEN_DOMCTL_bind_pt_irq, UART_SPI, PT_IRQ_TYPE_SPI,
		      UART_SPI),
		 -XEN_EPERM);
	/* An SPI already routed (to Dom0 itself): Xen's vgic_reserve_virq. */
	check_eq("bind_pt_irq-already-routed",
		 bind(XEN_DOMCTL_bind_pt_irq, VIRTIO_SPI, PT_IRQ_TYPE_SPI,
		      VIRTIO_SPI),
		 -XEN_EBUSY);
	/* Xen's release_guest_irq: not while the domain runs. */
	check_eq("unbind_pt_irq-live-domain",
		 bind(XEN_DOMCTL_unbind_pt_irq, VIRTIO_SPI, PT_IRQ_TYPE_SPI,
		      VIRTIO_SPI),
		 -XEN_EBUSY);
	device_assignment();
}
