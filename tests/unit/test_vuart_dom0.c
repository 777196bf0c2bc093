/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of arch/arm64/vuart_dom0.c, Xen 4.17's stand-in for its
 * console UART: the range registered, every register reading 0 at any
 * size, UARTDR bytes reaching the console one whole line at a time, and
 * what a hostile Dom0 may write (control characters, the bytes above
 * 0x7f, other registers, upper bits, lines longer than the buffer)
 * printing only what Xen's vuart would.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <asm/mmio.h>
#include <asm/vuart_dom0.h>
#include <orchid/printk.h>

/* ---- fakes ------------------------------------------------------------- */

static struct {
	struct domain *d;
	uint64_t base, size;
	const struct mmio_ops *ops;
	void *priv;
} reg;

int mmio_register(struct domain *d, uint64_t base, uint64_t size,
		  const struct mmio_ops *ops, void *priv)
{
	reg.d = d;
	reg.base = base;
	reg.size = size;
	reg.ops = ops;
	reg.priv = priv;
	return 0;
}

static char out[4096];
static size_t out_len;
static unsigned int out_calls;

void console_write_guest(const char *s, size_t len)
{
	assert_true(out_len + len < sizeof(out));
	memcpy(out + out_len, s, len);
	out_len += len;
	out[out_len] = '\0';
	out_calls++;
}

/* ---- helpers ------------------------------------------------------------ */

static struct domain *const dom0 = (struct domain *)0x1000;

static void put(uint64_t offset, uint64_t val)
{
	assert_true(reg.ops->write(NULL, offset, 4, val, reg.priv));
}

static void puts_dr(const char *s)
{
	while (*s)
		put(0, (uint8_t)*s++);
}

static int setup(void **state)
{
	memset(&reg, 0, sizeof(reg));
	out_len = 0;
	out_calls = 0;
	out[0] = '\0';
	assert_int_equal(vuart_dom0_init(dom0, 0x09000000, 0x1000), 0);
	return 0;
}

/* ---- tests -------------------------------------------------------------- */

static void test_registers_the_uart_range(void **state)
{
	assert_ptr_equal(reg.d, dom0);
	assert_int_equal(reg.base, 0x09000000);
	assert_int_equal(reg.size, 0x1000);
	assert_non_null(reg.ops->read);
	assert_non_null(reg.ops->write);
}

/* UARTFR 0: TXFF and BUSY clear, so a polling driver never waits. */
static void test_every_register_reads_zero(void **state)
{
	for (uint64_t off = 0; off < 0x1000; off += 4) {
		for (unsigned int size = 1; size <= 8; size *= 2) {
			uint64_t val = ~0ULL;

			assert_true(
				reg.ops->read(NULL, off, size, &val, reg.priv));
			assert_int_equal(val, 0);
		}
	}
}

static void test_lines_reach_the_console(void **state)
{
	puts_dr("hello");
	assert_int_equal(out_calls, 0); /* held until the line ends */
	puts_dr(" dom0\n");
	assert_string_equal(out, "hello dom0\n");
	assert_int_equal(out_calls, 1);
	puts_dr("\tsecond\n");
	assert_string_equal(out, "hello dom0\n\tsecond\n");
}

/* Only UARTDR prints, only its low byte, only what Xen's vuart keeps. */
static void test_hostile_writes(void **state)
{
	put(0x18, 'F'); /* UARTFR */
	put(0x24, 'I'); /* UARTIBRD */
	put(0xffc, 'X');
	put(0, 0xffffff00 | 'a'); /* upper bits ignored */
	put(0, 0x1b);		  /* ESC */
	put(0, '\r');
	put(0, 0x7f);
	put(0, 0x80);
	put(0, 0xff);
	put(0, 0);
	put(0, '\n');
	assert_string_equal(out, "a\n");
}

/* A line longer than the buffer comes out in pieces, each ended. */
static void test_long_line(void **state)
{
	char want[400];

	for (unsigned int i = 0; i < 300; i++)
		put(0, 'x');
	assert_int_equal(out_calls, 2);
	put(0, '\n');
	memset(want, 'x', 127);
	want[127] = '\n';
	memset(want + 128, 'x', 127);
	want[255] = '\n';
	memset(want + 256, 'x', 46);
	want[302] = '\n';
	want[303] = '\0';
	assert_string_equal(out, want);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_registers_the_uart_range),
		T(test_every_register_reads_zero),
		T(test_lines_reach_the_console),
		T(test_hostile_writes),
		T(test_long_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
