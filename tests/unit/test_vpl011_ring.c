/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the vpl011 with its ring backend (arch/arm64/vpl011.c and
 * vpl011_ring.c), as the guest and xenconsoled see it: output lands in
 * the ring's "out" and signals the backend, input from "in" reaches the
 * data register, the flags and the interrupt follow the ring's levels as
 * on Xen 4.17, and XEN_DOMCTL_vuart_op's errors. Then what a hostile
 * guest or backend can do: any register access, any index values; the
 * ring is a heap block of exactly its size, so AddressSanitizer fails
 * the test on any access outside it. The page reference is balanced.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <asm/mmio.h>
#include <asm/sbsa_uart.h>
#include <asm/vgic.h>
#include <asm/vpl011.h>
#include <orchid/arch.h>
#include <orchid/domain.h>
#include <orchid/domain_mem.h>
#include <orchid/errno.h>
#include <orchid/event.h>
#include <orchid/guest_access.h>
#include <orchid/mm.h>
#include <orchid/printk.h>
#include <orchid/setup.h>
#include <public/arch-arm.h>
#include <public/domctl.h>
#include <public/io/console.h>

#define RING_GFN 0x39003ULL
#define RING_PA	 0x80123000ULL
#define PORT	 5
#define IN_SIZE	 1024U
#define OUT_SIZE 2048U

/* ---- fakes ------------------------------------------------------------- */

static struct {
	uint64_t base, size;
	const struct mmio_ops *ops;
	void *priv;
} reg;
static int level = -1; /* the SPI's last level */
static bool spi_free = true;
static struct xencons_interface *ring;
static int page_refs; /* references on RING_PA */
static bool page_get_fails;
static int ports; /* allocated and not freed */
static int alloc_port_ret = PORT;
static unsigned int kicks;
static evtchn_xen_fn backend_fn;
static domid_t backend_remote;

/* Only a direct-mapped DomU's vpl011 reads them; xl's DomUs are not. */
struct bootinfo bootinfo;

void pr_err(const char *fmt, ...)
{
	(void)fmt;
}

int mmio_register(struct domain *d, uint64_t base, uint64_t size,
		  const struct mmio_ops *ops, void *priv)
{
	(void)d;
	reg.base = base;
	reg.size = size;
	reg.ops = ops;
	reg.priv = priv;
	return 0;
}

void vgic_set_level(struct vcpu *v, unsigned int virq, bool lvl)
{
	assert_non_null(v);
	assert_int_equal(virq, GUEST_VPL011_SPI);
	level = lvl;
}

bool vgic_virq_available(struct domain *d, unsigned int irq)
{
	(void)d;
	assert_int_equal(irq, GUEST_VPL011_SPI);
	return spi_free;
}

void *guest_ram_page(struct domain *d, ipaddr_t ipa, paddr_t *pa)
{
	(void)d;
	if (ipa_addr(ipa) != RING_GFN << PAGE_SHIFT)
		return NULL;
	*pa = pa_init(RING_PA);
	return ring;
}

int domain_mem_get_page(const struct domain *owner, paddr_t pa,
			unsigned int kinds)
{
	(void)owner;
	assert_int_equal(pa_addr(pa), RING_PA);
	assert_int_equal(kinds, DM_GET_RAM);
	if (page_get_fails)
		return -EINVAL;
	page_refs++;
	return 0;
}

void domain_mem_put_page(paddr_t pa)
{
	assert_int_equal(pa_addr(pa), RING_PA);
	assert_true(page_refs > 0);
	page_refs--;
}

int evtchn_alloc_xen_unbound(struct domain *d, domid_t remote, evtchn_xen_fn fn)
{
	(void)d;
	if (alloc_port_ret < 0)
		return alloc_port_ret;
	backend_fn = fn;
	backend_remote = remote;
	ports++;
	return alloc_port_ret;
}

void evtchn_free_xen(struct domain *d, unsigned int port)
{
	(void)d;
	assert_int_equal(port, PORT);
	ports--;
}

void evtchn_notify_xen(struct domain *d, unsigned int port)
{
	(void)d;
	assert_int_equal(port, PORT);
	kicks++;
}

void *xzalloc(size_t size)
{
	return calloc(1, size);
}

void xfree(void *p)
{
	free(p);
}

/* ---- helpers ------------------------------------------------------------ */

static struct domain dom;
static struct vcpu vcpu0;
static struct vcpu *vcpus[1] = {&vcpu0};

static void reset_fakes(void)
{
	memset(&reg, 0, sizeof(reg));
	memset(&dom, 0, sizeof(dom));
	dom.domain_id = 4;
	dom.vcpus = vcpus;
	vcpu0.domain = &dom;
	level = -1;
	spi_free = true;
	page_refs = 0;
	page_get_fails = false;
	ports = 0;
	alloc_port_ret = PORT;
	kicks = 0;
	backend_fn = NULL;
	ring = calloc(1, sizeof(*ring));
}

static int setup(void **state)
{
	unsigned int port = 0;

	(void)state;
	reset_fakes();
	assert_int_equal(arch_vuart_init(&dom, XEN_DOMCTL_VUART_TYPE_VPL011,
					 RING_GFN, 0, &port),
			 0);
	assert_int_equal(port, PORT);
	assert_int_equal(reg.base, GUEST_PL011_BASE);
	assert_int_equal(page_refs, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	vpl011_destroy(&dom);
	assert_null(dom.arch.vpl011);
	assert_int_equal(page_refs, 0);
	free(ring);
	return 0;
}

static uint64_t rd(uint64_t off)
{
	uint64_t v = ~0ULL;

	assert_true(reg.ops->read(&vcpu0, off, 4, &v, reg.priv));
	return v;
}

static void wr(uint64_t off, uint64_t val)
{
	assert_true(reg.ops->write(&vcpu0, off, 4, val, reg.priv));
}

/* xenconsoled: put @s in "in", signal. */
static void backend_give(const char *s)
{
	while (*s)
		ring->in[ring->in_prod++ % IN_SIZE] = *s++;
	backend_fn(&dom, PORT);
}

/* xenconsoled: take everything from "out", signal. */
static size_t backend_take(char *buf, size_t len)
{
	size_t n = 0;

	while (ring->out_cons != ring->out_prod && n < len)
		buf[n++] = ring->out[ring->out_cons++ % OUT_SIZE];
	backend_fn(&dom, PORT);
	return n;
}

/* ---- XEN_DOMCTL_vuart_op's errors ------------------------------------- */

static void test_init_errors(void **state)
{
	unsigned int port = 0;

	(void)state;
	reset_fakes();
	/* A type Arm lacks. */
	assert_int_equal(arch_vuart_init(&dom, 1, RING_GFN, 0, &port),
			 -EOPNOTSUPP);
	/* No RAM there, a GFN past any IPA, a page that cannot be held. */
	assert_int_equal(arch_vuart_init(&dom, 0, RING_GFN + 1, 0, &port),
			 -EINVAL);
	assert_int_equal(arch_vuart_init(&dom, 0, ~0ULL, 0, &port), -EINVAL);
	page_get_fails = true;
	assert_int_equal(arch_vuart_init(&dom, 0, RING_GFN, 0, &port), -EINVAL);
	page_get_fails = false;
	/* No port left, or the SPI taken: nothing kept. */
	alloc_port_ret = -ENOSPC;
	assert_int_equal(arch_vuart_init(&dom, 0, RING_GFN, 0, &port), -ENOSPC);
	alloc_port_ret = PORT;
	spi_free = false;
	assert_int_equal(arch_vuart_init(&dom, 0, RING_GFN, 0, &port), -EINVAL);
	assert_int_equal(page_refs, 0);
	assert_int_equal(ports, 0);
	assert_null(dom.arch.vpl011);
	assert_int_equal(port, 0);
	spi_free = true;
	/* The backend named is the one that may bind. */
	assert_int_equal(arch_vuart_init(&dom, 0, RING_GFN, 7, &port), 0);
	assert_int_equal(backend_remote, 7);
	/* A second one (Xen: re-init) is refused, the first stays. */
	assert_int_equal(arch_vuart_init(&dom, 0, RING_GFN, 0, &port), -EINVAL);
	assert_int_equal(page_refs, 1);
	assert_int_equal(ports, 1);
	vpl011_destroy(&dom);
	assert_int_equal(page_refs, 0);
	free(ring);
}

/* ---- the guest and xenconsoled ---------------------------------------- */

static void test_idle(void **state)
{
	(void)state;
	assert_int_equal(rd(UARTFR), FR_TXFE | FR_RXFE);
	assert_int_equal(rd(UARTRIS), INT_TX);
	/* Nothing received: 0, and the backend is not bothered. */
	assert_int_equal(rd(UARTDR), 0);
	assert_int_equal(kicks, 0);
}

static void test_output(void **state)
{
	char buf[16];

	(void)state;
	wr(UARTDR, 'o');
	wr(UARTDR, 0x100 | 'k'); /* only the low byte is data */
	assert_int_equal(ring->out_prod, 2);
	assert_int_equal(kicks, 2);
	assert_int_equal(rd(UARTFR), FR_RXFE); /* TX FIFO not empty */
	assert_int_equal(backend_take(buf, sizeof(buf)), 2);
	assert_memory_equal(buf, "ok", 2);
	assert_int_equal(rd(UARTFR), FR_TXFE | FR_RXFE);
}

/* A full "out": TXFF and BUSY, TXI low, further bytes dropped. */
static void test_output_full(void **state)
{
	char buf[OUT_SIZE];

	(void)state;
	wr(UARTIMSC, INT_TX);
	assert_int_equal(level, 1);
	for (unsigned int i = 0; i < OUT_SIZE - 16; i++)
		wr(UARTDR, 'a' + i % 26);
	assert_int_equal(level, 1); /* room for 16 more: TXI still high */
	wr(UARTDR, 'x');
	assert_int_equal(level, 0);
	for (unsigned int i = 0; i < 15; i++)
		wr(UARTDR, 'y');
	assert_int_equal(rd(UARTFR), FR_TXFF | FR_BUSY | FR_RXFE);
	kicks = 0;
	wr(UARTDR, 'z');
	assert_int_equal(ring->out_prod, OUT_SIZE);
	assert_int_equal(kicks, 0);
	/* The backend drains it: its event raises TXI again. */
	assert_int_equal(backend_take(buf, sizeof(buf)), OUT_SIZE);
	assert_int_equal(buf[OUT_SIZE - 1], 'y');
	assert_int_equal(level, 1);
	assert_int_equal(rd(UARTFR), FR_TXFE | FR_RXFE);
}

static void test_input(void **state)
{
	(void)state;
	wr(UARTIMSC, INT_RT | INT_RX);
	assert_int_equal(level, 0);
	backend_give("hi\n");
	/* The backend's event raises the line: RTI, not RXI (Xen's). */
	assert_int_equal(level, 1);
	assert_int_equal(rd(UARTMIS), INT_RT);
	assert_int_equal(rd(UARTFR) & (FR_RXFE | FR_RXFF), 0);
	assert_int_equal(rd(UARTDR), 'h');
	assert_int_equal(rd(UARTDR), 'i');
	assert_int_equal(level, 1);
	assert_int_equal(rd(UARTDR), '\n');
	assert_int_equal(level, 0);
	assert_int_equal(ring->in_cons, 3);
	assert_int_equal(kicks, 3); /* each byte taken frees room */
	assert_int_equal(rd(UARTFR), FR_TXFE | FR_RXFE);
}

/* Input across the index wrap (2^32) and the array's end. */
static void test_input_wrap(void **state)
{
	(void)state;
	ring->in_cons = ring->in_prod = 0xfffffffeU;
	backend_give("abcd");
	assert_int_equal(ring->in_prod, 2);
	for (const char *p = "abcd"; *p; p++)
		assert_int_equal(rd(UARTDR), *p);
	assert_int_equal(ring->in_cons, 2);
	assert_true(rd(UARTFR) & FR_RXFE);
}

static void test_input_full(void **state)
{
	char buf[IN_SIZE + 1];

	(void)state;
	wr(UARTIMSC, INT_RX);
	memset(buf, 'q', IN_SIZE);
	buf[IN_SIZE] = '\0';
	buf[IN_SIZE - 17] = '\0';
	backend_give(buf); /* 1007 bytes: short of RXI's 1008 */
	assert_int_equal(level, 0);
	backend_give("q");
	assert_int_equal(level, 1);
	buf[IN_SIZE - 17] = 'q';
	buf[16] = '\0';
	backend_give(buf);
	assert_int_equal(rd(UARTFR), FR_TXFE | FR_RXFF);
	/* RXI holds down to 1008 bytes, as Xen clears it only below. */
	for (int i = 0; i < 16; i++)
		assert_int_equal(rd(UARTDR), 'q');
	assert_int_equal(level, 1);
	assert_int_equal(rd(UARTDR), 'q');
	assert_int_equal(level, 0);
}

/* ---- hostile ------------------------------------------------------------ */

/* Every offset of the page, every width: no crash, 64-bit refused. */
static void test_any_access(void **state)
{
	uint64_t v;

	(void)state;
	for (uint64_t off = 0; off < GUEST_PL011_SIZE; off++) {
		for (unsigned int size = 1; size <= 8; size *= 2) {
			bool ok = size <= 4;

			assert_int_equal(
				reg.ops->read(&vcpu0, off, size, &v, reg.priv),
				ok);
			assert_int_equal(reg.ops->write(&vcpu0, off, size,
							~0ULL, reg.priv),
					 ok);
		}
	}
	/* ICR and the read-only registers change nothing lasting. */
	wr(UARTICR, 0x7ff);
	wr(UARTFR, 0);
	assert_int_equal(rd(UARTRIS) & INT_TX, INT_TX);
}

static uint32_t rand32(void)
{
	return ((uint32_t)rand() << 16) ^ (uint32_t)rand();
}

/*
 * Indices written by the guest (the page is its RAM) or the backend:
 * whatever they say, every byte Orchid reads or writes is inside the
 * ring (ASan), and the flags stay consistent with a level in range.
 */
static void test_corrupt_indices(void **state)
{
	(void)state;
	srand(11);
	wr(UARTIMSC, 0x7ff);
	for (int i = 0; i < 20000; i++) {
		uint32_t fr, ris;

		switch (i % 4) {
		case 0: ring->in_prod = rand32(); break;
		case 1: ring->in_cons = rand32(); break;
		case 2: ring->out_prod = rand32(); break;
		default: ring->out_cons = rand32(); break;
		}
		if (i % 7 == 0)
			backend_fn(&dom, PORT);
		rd(UARTDR);
		wr(UARTDR, 'x');
		fr = (uint32_t)rd(UARTFR);
		ris = (uint32_t)rd(UARTRIS);
		/* Never both empty and full. */
		assert_false((fr & FR_RXFE) && (fr & FR_RXFF));
		assert_false((fr & FR_TXFE) && (fr & FR_TXFF));
		/* Something to read: RTI; nothing: none. */
		assert_int_equal(!(fr & FR_RXFE), !!(ris & INT_RT));
		assert_int_equal(level, (ris & 0x7ff) != 0);
	}
	/* Indices far apart: a full ring, read inside it. */
	ring->in_cons = 5;
	ring->in_prod = 5 + 0x80000000U;
	ring->in[5] = 'Z';
	assert_true(rd(UARTFR) & FR_RXFF);
	assert_int_equal(rd(UARTDR), 'Z');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_errors),
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_idle),
		T(test_output),
		T(test_output_full),
		T(test_input),
		T(test_input_wrap),
		T(test_input_full),
		T(test_any_access),
		T(test_corrupt_indices),
	};

	return cmocka_run_group_tests_name("vpl011_ring", tests, NULL, NULL);
}
