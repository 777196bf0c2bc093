/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of arch/arm64/vpl011.c, a DomU's SBSA UART with Orchid as the
 * backend: the flags a driver polls, the interrupt line as RIS & IMSC,
 * input through the FIFO (and its overrun), 64-bit accesses refused, and
 * output printed as Xen 4.17 prints it: whole "DOMn: " lines while input
 * is elsewhere, byte by byte while the domain has it.
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
#include <asm/vpl011.h>
#include <orchid/arch.h>
#include <orchid/bootinfo.h>
#include <orchid/console.h>
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/mm.h>
#include <orchid/printk.h>
#include <public/arch-arm.h>

/* ---- fakes ------------------------------------------------------------- */

static struct {
	uint64_t base, size;
	const struct mmio_ops *ops;
	void *priv;
} reg;
static int level = -1; /* the SPI's last level */
static unsigned int want_virq = GUEST_VPL011_SPI;
struct bootinfo bootinfo; /* its console UART: a direct-mapped DomU's */
static char err[256];
static int input_domid = -1;
static char out[8192];
static size_t out_len;

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
	assert_int_equal(virq, want_virq);
	level = lvl;
}

int console_input_domid(void)
{
	return input_domid;
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	out_len += (size_t)vsnprintf(out + out_len, sizeof(out) - out_len, fmt,
				     ap);
	va_end(ap);
	assert_true(out_len < sizeof(out));
}

void pr_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, sizeof(err), fmt, ap);
	va_end(ap);
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

static int setup(void **state)
{
	(void)state;
	memset(&reg, 0, sizeof(reg));
	memset(&dom, 0, sizeof(dom));
	dom.domain_id = 3;
	dom.vcpus = vcpus;
	vcpu0.domain = &dom;
	level = -1;
	want_virq = GUEST_VPL011_SPI;
	input_domid = -1;
	out_len = 0;
	out[0] = '\0';
	assert_int_equal(vpl011_init(&dom), 0);
	assert_int_equal(reg.base, GUEST_PL011_BASE);
	assert_int_equal(reg.size, GUEST_PL011_SIZE);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	vpl011_destroy(&dom);
	assert_null(dom.arch.vpl011);
	return 0;
}

static uint64_t rd(uint64_t off, unsigned int size)
{
	uint64_t v = ~0ULL;

	assert_true(reg.ops->read(&vcpu0, off, size, &v, reg.priv));
	return v;
}

static void wr(uint64_t off, uint64_t val)
{
	assert_true(reg.ops->write(&vcpu0, off, 4, val, reg.priv));
}

static void say(const char *s)
{
	while (*s)
		wr(UARTDR, (uint8_t)*s++);
}

/* ---- tests -------------------------------------------------------------- */

static void test_idle_flags(void **state)
{
	(void)state;
	assert_int_equal(rd(UARTFR, 4), FR_TXFE | FR_RXFE);
	assert_int_equal(rd(UARTRIS, 4), INT_TX);
	assert_int_equal(rd(UARTMIS, 4), 0);
	/* Reading DR with nothing received gives 0, as Xen's. */
	assert_int_equal(rd(UARTDR, 4), 0);
	/* Byte and halfword reads of FR see the same bits. */
	assert_int_equal(rd(UARTFR, 1), FR_TXFE | FR_RXFE);
	assert_int_equal(rd(UARTFR, 2), FR_TXFE | FR_RXFE);
}

static void test_tx_interrupt(void **state)
{
	(void)state;
	/* TX is always ready: unmasking it raises the line at once. */
	wr(UARTIMSC, INT_TX);
	assert_int_equal(level, 1);
	assert_int_equal(rd(UARTMIS, 4), INT_TX);
	wr(UARTIMSC, 0);
	assert_int_equal(level, 0);
}

static void test_rx(void **state)
{
	(void)state;
	wr(UARTIMSC, INT_RX | INT_RT);
	assert_int_equal(level, 0);
	assert_true(arch_vuart_rx_char(&dom, 'h'));
	assert_true(arch_vuart_rx_char(&dom, 'i'));
	assert_int_equal(level, 1);
	assert_int_equal(rd(UARTFR, 4) & FR_RXFE, 0);
	/* As Xen: RXI only from half the 32-byte FIFO on; RTI from 1 byte. */
	assert_int_equal(rd(UARTMIS, 4), INT_RT);
	assert_int_equal(rd(UARTDR, 4), 'h');
	assert_int_equal(level, 1);
	assert_int_equal(rd(UARTDR, 4), 'i');
	assert_int_equal(level, 0);
	assert_int_equal(rd(UARTFR, 4), FR_TXFE | FR_RXFE);
}

/* 32 bytes fit (RXFF); more are dropped, as a real UART overruns. */
static void test_rx_overrun(void **state)
{
	(void)state;
	for (int i = 0; i < 40; i++)
		arch_vuart_rx_char(&dom, (char)('a' + i % 26));
	assert_true(rd(UARTFR, 4) & FR_RXFF);
	for (int i = 0; i < 32; i++)
		assert_int_equal(rd(UARTDR, 4), 'a' + i % 26);
	assert_true(rd(UARTFR, 4) & FR_RXFE);
}

/* No vpl011: the console says so to the user. */
static void test_rx_without_uart(void **state)
{
	struct domain other;

	(void)state;
	memset(&other, 0, sizeof(other));
	assert_false(arch_vuart_rx_char(&other, 'x'));
}

static void test_bad_accesses(void **state)
{
	uint64_t v;

	(void)state;
	/* 64-bit accesses abort, as on Xen. */
	assert_false(reg.ops->read(&vcpu0, UARTFR, 8, &v, reg.priv));
	assert_false(reg.ops->write(&vcpu0, UARTDR, 8, 'x', reg.priv));
	/* Read-only registers ignore writes; unknown ones read as zero. */
	wr(UARTFR, 0);
	wr(UARTRIS, 0);
	assert_int_equal(rd(UARTFR, 4), FR_TXFE | FR_RXFE);
	assert_int_equal(rd(0xfe0, 4), 0);
	/* ICR cannot clear TXI for good: the FIFO is still empty. */
	wr(UARTICR, 0x7ff);
	assert_int_equal(rd(UARTRIS, 4), INT_TX);
	/* Bits past the mask's 11 are not kept. */
	wr(UARTIMSC, 0xffffffff);
	assert_int_equal(rd(UARTIMSC, 4), 0x7ff);
	assert_int_equal(out_len, 0);
}

static void test_output_lines(void **state)
{
	(void)state;
	say("hello");
	assert_int_equal(out_len, 0); /* a line goes out whole */
	say(" world\n");
	assert_string_equal(out, "DOM3: hello world\n");
}

/* A line longer than the buffer is cut, never overflows. */
static void test_output_long(void **state)
{
	char line[301];

	(void)state;
	memset(line, 'x', 300);
	line[300] = '\0';
	say(line);
	say("\n");
	assert_true(strncmp(out, "DOM3: xxx", 9) == 0);
	assert_int_equal(strlen(out), 6 + 128 + 1 + 6 + 128 + 1 + 6 + 44 + 1);
}

/* With the input, each byte at once: a prompt shows without a newline. */
static void test_output_input_domain(void **state)
{
	(void)state;
	input_domid = 3;
	say("login: ");
	assert_string_equal(out, "login: ");
}

/*
 * A direct-mapped DomU's is at the host UART's frame and SPI (Xen 4.17's
 * domain_vpl011_init); refused when that region is under a page or the
 * host has no UART interrupt.
 */
static void test_direct_mapped(void **state)
{
	struct domain d = {.domain_id = 4, .direct_mapped = true};
	struct vcpu v = {.domain = &d};
	struct vcpu *vs[1] = {&v};

	(void)state;
	d.vcpus = vs;
	bootinfo.uart.region.base = pa_init(0x9000000);
	bootinfo.uart.region.size = 0x1000;
	bootinfo.uart.irq = 33;
	want_virq = 33;
	assert_int_equal(vpl011_init(&d), 0);
	assert_int_equal(reg.base, 0x9000000);
	assert_int_equal(vpl011_base(&d), 0x9000000);
	assert_int_equal(vpl011_intid(&d), 33);
	reg.ops->write(&v, UARTIMSC, 4, INT_TX, reg.priv);
	assert_int_equal(level, 1);
	vpl011_destroy(&d);

	bootinfo.uart.region.size = 0x200;
	assert_int_equal(vpl011_init(&d), -EINVAL);
	assert_non_null(strstr(err, "under a page"));
	assert_null(d.arch.vpl011);
	bootinfo.uart.region.size = 0x1000;
	bootinfo.uart.irq = 0;
	assert_int_equal(vpl011_init(&d), -EINVAL);
	assert_null(d.arch.vpl011);
	memset(&bootinfo, 0, sizeof(bootinfo));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_idle_flags, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tx_interrupt, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rx, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rx_overrun, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rx_without_uart, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_accesses, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_output_lines, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_output_long, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_direct_mapped, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_output_input_domain, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("vpl011", tests, NULL, NULL);
}
