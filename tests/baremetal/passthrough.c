// SPDX-License-Identifier: MIT
/*
 * A passed-through device as the guest sees it (dom0less.py's passthrough
 * case): QEMU virt's PL061 GPIO. `pt=ADDR` names its frame: the guest
 * reads its PrimeCell ID (0xb105f00d, peripheral ID 0x00041061) and
 * prints PT-MMIO; with `pt_irq=INTID` it makes pin 0 a level interrupt
 * that is asserted now (IEV = the pin's level), waits for the SPI and
 * prints PT-IRQ. `pt_absent=ADDR` is the other side: a domain that must
 * not have the device (Dom0, its node "xen,passthrough") prints whether
 * a load there is a data abort (PT-ABSENT).
 */
#include "gic.h"
#include "guest.h"

#define PL061_DATA_ALL 0x3fc /* address bits [9:2] select all pins */
#define PL061_IS       0x404 /* 1: level sensitive */
#define PL061_IEV      0x40c /* 1: high level / rising edge */
#define PL061_IE       0x410 /* interrupt mask: 1 lets it through */
#define PL061_PERIPHID 0xfe0 /* four registers, a byte each */
#define PL061_CELLID   0xff0

static uint64_t pt_base;

/* A PrimeCell ID: the low byte of four words, least significant first. */
static uint32_t primecell_id(uint64_t at)
{
	uint32_t id = 0;

	for (unsigned int i = 0; i < 4; i++)
		id |= (mmio_read32(at + 4 * i) & 0xff) << (8 * i);
	return id;
}

/* The level stays asserted until the pin is masked: mask it, then EOI. */
static void pt_hook(unsigned int cpu, unsigned int intid)
{
	(void)cpu;
	(void)intid;
	mmio_write32(pt_base + PL061_IE, 0);
}

static unsigned int pt_intid;

static int pt_irq_seen(void)
{
	return irq_count(0, pt_intid) > 0;
}

static void pt_irq(unsigned int intid)
{
	uint32_t level;

	if (intid >= NR_TRACKED_IRQS) {
		printf("PT-IRQ intid=%u not tracked\n", intid);
		return;
	}
	pt_intid = intid;
	gic_irq_hook(intid, pt_hook);
	gic_irq_enable(0, intid, 1);
	level = mmio_read32(pt_base + PL061_DATA_ALL) & 1;
	mmio_write32(pt_base + PL061_IS, 1);
	mmio_write32(pt_base + PL061_IEV, level);
	mmio_write32(pt_base + PL061_IE, 1);
	irq_wait(pt_irq_seen, 2000);
	printf("PT-IRQ intid=%u count=%u\n", intid, irq_count(0, intid));
}

static void pt_absent(uint64_t addr)
{
	struct fault f;

	fault_expect();
	probe_load(addr + PL061_CELLID);
	f = fault_result();
	printf("PT-ABSENT addr=%lx abort=%d esr=%x\n", (unsigned long)addr,
	       f.taken && (f.esr >> 26) == 0x25, f.esr);
}

void passthrough_main(void)
{
	struct fault f;
	uint32_t cell;

	if (bootarg_ulong("pt_absent", 0))
		pt_absent(bootarg_ulong("pt_absent", 0));
	pt_base = bootarg_ulong("pt", 0);
	if (!pt_base)
		return;
	fault_expect();
	probe_load(pt_base + PL061_CELLID);
	f = fault_result();
	if (f.taken) {
		printf("PT-MMIO addr=%lx abort esr=%x\n",
		       (unsigned long)pt_base, f.esr);
		return;
	}
	cell = primecell_id(pt_base + PL061_CELLID);
	printf("PT-MMIO addr=%lx cell=%x periph=%x\n", (unsigned long)pt_base,
	       cell, primecell_id(pt_base + PL061_PERIPHID));
	if (bootarg_ulong("pt_irq", 0))
		pt_irq((unsigned int)bootarg_ulong("pt_irq", 0));
}
