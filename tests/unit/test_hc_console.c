/* SPDX-License-Identifier: MIT */
/*
 * console_io (common/console.c): the hardware domain writes to Orchid's
 * console and reads what arrived on the UART; input is queued and
 * announced with VIRQ_CONSOLE; no other domain may use it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <asm/fake.h>

#include <orchid/console.h>
#include <orchid/errno.h>
#include <orchid/hypercall.h>
#include <orchid/hypercalls.h>

#include "fake_guest.h"
#include "test_hypercalls.h"

#define RX_RING_SIZE 1024 /* common/console.c's */
#define CHUNK	     128  /* its copy size */

static struct fake_guest dom0, domu;

static long console(uint64_t cmd, uint64_t count, uint64_t buf)
{
	return HC(hc_console_io, cmd, count, buf);
}

/* Empty the input ring, which outlives the tests; Dom0's vCPU 0 runs. */
static void drain(void)
{
	fake_run_as(&dom0, 0);
	while (console(CONSOLEIO_read, PAGE_SIZE, fake_va(0, 0)) > 0)
		;
}

static int setup(void **state)
{
	fake_reset();
	fake_guest_create(&dom0, 0, true, 2);
	fake_guest_create(&domu, 1, false, 1);
	hardware_domain = &dom0.d;
	/* As at the end of boot: serial input goes to Dom0. */
	console_endboot();
	drain();
	return 0;
}

static int teardown(void **state)
{
	fake_check_unlocked();
	fake_guest_destroy(&domu);
	fake_guest_destroy(&dom0);
	return 0;
}

static void rx(const char *s)
{
	while (*s)
		console_rx_char(*s++);
}

static void test_write(void **state)
{
	const char msg[] = "hello, hvc0\n";
	uint64_t va = fake_va(1, 0x10);

	fake_poke(va, msg, sizeof(msg) - 1);
	assert_int_equal(console(CONSOLEIO_write, sizeof(msg) - 1, va), 0);
	assert_int_equal(fake_rec.console_len, sizeof(msg) - 1);
	assert_memory_equal(fake_rec.console, msg, sizeof(msg) - 1);
	/* Nothing to write is fine, wherever it points. */
	assert_int_equal(console(CONSOLEIO_write, 0, 0), 0);
	assert_int_equal(console(CONSOLEIO_write, 0, ~0ULL), 0);
	assert_int_equal(fake_rec.console_len, sizeof(msg) - 1);
	/* Any vCPU of the hardware domain. */
	fake_run_as(&dom0, 1);
	assert_int_equal(console(CONSOLEIO_write, 5, va), 0);
	assert_int_equal(fake_rec.console_len, sizeof(msg) - 1 + 5);
}

static void test_write_long(void **state)
{
	uint8_t text[3 * PAGE_SIZE];
	/* Pages 2-4 are RAM; the read-only page 5 is readable too. */
	uint64_t va = fake_va(2, 100);
	size_t len = 3 * PAGE_SIZE;

	for (size_t i = 0; i < len; i++)
		text[i] = (uint8_t)('a' + i % 26);
	fake_poke(va, text, len);
	assert_int_equal(console(CONSOLEIO_write, len, va), 0);
	assert_int_equal(fake_rec.console_len, len);
	assert_int_equal(fake_rec.console_writes, (len + CHUNK - 1) / CHUNK);
	assert_memory_equal(fake_rec.console, text, sizeof(fake_rec.console));
	/* A read-only page can be written from. */
	assert_int_equal(console(CONSOLEIO_write, 10, fake_va(FAKE_PAGE_RO, 0)),
			 0);
}

static void test_write_bad_buffers(void **state)
{
	uint64_t bad[FAKE_BAD_MAX];
	unsigned int n = fake_bad_read(16, bad);

	fake_snapshot();
	for (unsigned int i = 0; i < n; i++)
		assert_int_equal(console(CONSOLEIO_write, 16, bad[i]), -EFAULT);
	assert_int_equal(fake_rec.console_len, 0);
	/*
	 * Written in chunks, like Xen: the chunks before the one that
	 * faults are out already.
	 */
	assert_int_equal(console(CONSOLEIO_write, CHUNK + 10,
				 fake_va(FAKE_PAGE_HOLE, 0) - CHUNK),
			 -EFAULT);
	assert_int_equal(fake_rec.console_len, CHUNK);
	fake_unchanged();
}

/*
 * Xen's count is 32-bit and has no cap: a huge write goes on until it
 * faults (at the hole after page 5 here); from NULL it fails at once.
 */
static void test_write_huge_counts(void **state)
{
	static const uint64_t faulting[] = {
		(1U << 20) + 1, INT32_MAX, UINT32_MAX, INT64_MAX, UINT64_MAX,
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(faulting); i++) {
		assert_int_equal(console(CONSOLEIO_write, faulting[i], 0),
				 -EFAULT);
		assert_int_equal(fake_rec.console_len, 0);
		assert_int_equal(
			console(CONSOLEIO_write, faulting[i], fake_va(0, 0)),
			-EFAULT);
		assert_int_equal(fake_rec.console_len,
				 FAKE_PAGE_HOLE * PAGE_SIZE);
		fake_rec.console_len = 0;
	}
	/* The upper half of the count is not looked at. */
	assert_int_equal(console(CONSOLEIO_write, 1ULL << 32, 0), 0);
	assert_int_equal(
		console(CONSOLEIO_write, (1ULL << 32) + 5, fake_va(0, 0)), 0);
	assert_int_equal(fake_rec.console_len, 5);
}

/*
 * A long write with work pending stops after HYPERCALL_PREEMPT_UNITS
 * chunks and continues, as Xen's, with the buffer advanced and the count
 * reduced; re-issued until done, it writes every byte once.
 */
static void test_write_preempted(void **state)
{
	uint64_t args[5] = {CONSOLEIO_write, 4 * PAGE_SIZE, fake_va(0, 0)};
	unsigned int rounds = 0;
	long ret;

	current_vcpu()->hcall.work = 0;
	fake_irq_pending = true;
	do {
		uint64_t before = args[2];

		ret = hypercall_dispatch(__HYPERVISOR_console_io, args);
		rounds++;
		if (hypercall_preempted(current_vcpu())) {
			assert_int_equal(args[0], CONSOLEIO_write);
			assert_int_equal(args[2] - before,
					 HYPERCALL_PREEMPT_UNITS * CHUNK);
			assert_int_equal(args[1] + args[2] - fake_va(0, 0),
					 4 * PAGE_SIZE);
			continue;
		}
		break;
	} while (rounds < 100);
	fake_irq_pending = false;
	assert_int_equal(ret, 0);
	assert_int_equal(rounds, 2);
	assert_int_equal(fake_rec.console_len, 4 * PAGE_SIZE);
}

static void test_read(void **state)
{
	uint64_t va = fake_va(3, 0x200);
	char buf[8];

	memset(buf, '.', sizeof(buf));
	fake_poke(va, buf, sizeof(buf));
	rx("abc");
	assert_int_equal(console(CONSOLEIO_read, 2, va), 2);
	assert_int_equal(console(CONSOLEIO_read, 0, va + 2), 0);
	assert_int_equal(console(CONSOLEIO_read, 8, va + 2), 1);
	fake_peek(va, buf, sizeof(buf));
	assert_memory_equal(buf, "abc.....", 8);
	/* Empty: nothing read, nothing written, wherever it points. */
	fake_snapshot();
	assert_int_equal(console(CONSOLEIO_read, 8, va), 0);
	assert_int_equal(console(CONSOLEIO_read, 8, 0), 0);
	assert_int_equal(console(CONSOLEIO_read, UINT64_MAX, ~0ULL), 0);
	fake_unchanged();
}

static void test_read_huge_counts(void **state)
{
	uint64_t va = fake_va(0, 0);
	char buf[3];

	/* More than an int asks for everything queued. */
	rx("xyz");
	assert_int_equal(console(CONSOLEIO_read, 1ULL << 32, va), 3);
	rx("xyz");
	assert_int_equal(console(CONSOLEIO_read, UINT64_MAX, va + 3), 3);
	fake_peek(va, buf, 3);
	assert_memory_equal(buf, "xyz", 3);
}

static void test_read_ring_full(void **state)
{
	char want[RX_RING_SIZE], got[RX_RING_SIZE];
	uint64_t va = fake_va(0, 100);

	/* The ring keeps the oldest RX_RING_SIZE characters. */
	for (unsigned int i = 0; i < RX_RING_SIZE + 100; i++) {
		if (i < RX_RING_SIZE)
			want[i] = (char)('A' + i % 23);
		console_rx_char((char)('A' + i % 23));
	}
	assert_int_equal(console(CONSOLEIO_read, 5 * PAGE_SIZE, va),
			 RX_RING_SIZE);
	fake_peek(va, got, sizeof(got));
	assert_memory_equal(got, want, RX_RING_SIZE);
	assert_int_equal(console(CONSOLEIO_read, 10, va), 0);
	/* Reads across the ring's end come out in order. */
	for (unsigned int round = 0; round < 3; round++) {
		for (unsigned int i = 0; i < 700; i++) {
			want[i] = (char)('0' + (i + round) % 10);
			console_rx_char(want[i]);
		}
		assert_int_equal(console(CONSOLEIO_read, 700, va), 700);
		fake_peek(va, got, 700);
		assert_memory_equal(got, want, 700);
	}
}

static void test_read_bad_buffers(void **state)
{
	uint64_t bad[FAKE_BAD_MAX];
	unsigned int n;

	/*
	 * Only the guest's memory is checked: what a failed read took from
	 * the ring is lost (Xen leaves it queued); drain() empties the rest.
	 */
	fake_snapshot();
	n = fake_bad_read(16, bad);
	for (unsigned int i = 0; i < n; i++) {
		rx("0123456789abcdef");
		assert_int_equal(console(CONSOLEIO_read, 16, bad[i]), -EFAULT);
		drain();
	}
	n = fake_bad_write(16, bad);
	for (unsigned int i = 0; i < n; i++) {
		rx("0123456789abcdef");
		assert_int_equal(console(CONSOLEIO_read, 16, bad[i]), -EFAULT);
		drain();
	}
	fake_unchanged();
}

static void test_rx_raises_virq(void **state)
{
	rx("ab");
	assert_int_equal(fake_rec.global_virqs, 2);
	assert_ptr_equal(fake_rec.virq_d, &dom0.d);
	assert_int_equal(fake_rec.virq, VIRQ_CONSOLE);
	/* Before the hardware domain exists input is queued, not announced. */
	hardware_domain = NULL;
	rx("c");
	assert_int_equal(fake_rec.global_virqs, 2);
	hardware_domain = &dom0.d;
	assert_int_equal(console(CONSOLEIO_read, 8, fake_va(0, 0)), 3);
	/* A full ring still announces (the guest should drain it). */
	for (unsigned int i = 0; i < RX_RING_SIZE + 1; i++)
		console_rx_char('z');
	assert_int_equal(fake_rec.global_virqs, 2 + RX_RING_SIZE + 1);
}

static void test_unprivileged(void **state)
{
	uint64_t va = fake_va(0, 0);

	fake_run_as(&domu, 0);
	rx("q");
	fake_poke(va, "hi", 2);
	fake_snapshot();
	assert_int_equal(console(CONSOLEIO_write, 2, va), -EPERM);
	assert_int_equal(console(CONSOLEIO_read, 2, va), -EPERM);
	assert_int_equal(console(CONSOLEIO_write, UINT64_MAX, 0), -EPERM);
	assert_int_equal(console(2, 0, 0), -EPERM);
	fake_unchanged();
	assert_int_equal(fake_rec.console_len, 0);
	/* The input is still there for the hardware domain. */
	fake_run_as(&dom0, 0);
	assert_int_equal(console(CONSOLEIO_read, 2, va), 1);
}

/*
 * A boot-time DomU (Xen's is_console) may write: each line tagged with
 * its domain; it reads nothing, Dom0's input stays Dom0's.
 */
static void test_is_console(void **state)
{
	static const char want[] = "(d1) hi\n(d1) yo\n";
	uint64_t va = fake_va(0, 0);

	domu.d.is_console = true;
	fake_run_as(&domu, 0);
	rx("q");
	fake_poke(va, "hi\nyo", 5);
	assert_int_equal(console(CONSOLEIO_write, 5, va), 0);
	assert_int_equal(fake_rec.console_len, sizeof(want) - 1);
	assert_memory_equal(fake_rec.console, want, sizeof(want) - 1);
	assert_int_equal(console(CONSOLEIO_read, 2, va), 0);
	assert_int_equal(console(CONSOLEIO_write, 16, 0), -EFAULT);
	fake_run_as(&dom0, 0);
	assert_int_equal(console(CONSOLEIO_read, 2, va), 1);
	domu.d.is_console = false;
}

static void test_unknown(void **state)
{
	assert_int_equal(console(2, 1, fake_va(0, 0)), -ENOSYS);
	assert_int_equal(console(~0U, 1, fake_va(0, 0)), -ENOSYS);
	/* The command is an int: the upper half of x0 is ignored. */
	fake_poke(fake_va(0, 0), "k", 1);
	assert_int_equal(
		console((1ULL << 32) | CONSOLEIO_write, 1, fake_va(0, 0)), 0);
	assert_int_equal(fake_rec.console_len, 1);
}

/*
 * Ctrl-a three times moves input on: with no boot-time DomU, DOM0 ->
 * Orchid (which drops it: no debug keys) -> DOM0. Fewer than three are
 * passed on, as Xen does.
 */
static void test_rx_switch(void **state)
{
	uint64_t va = fake_va(3, 0x200);
	char buf[4];

	rx("\x01\x01\x01x");
	assert_int_equal(console_input_domid(), -1);
	assert_int_equal(console(CONSOLEIO_read, 4, va), 0);
	rx("\x01\x01\x01y\x01z");
	assert_int_equal(console_input_domid(), 0);
	assert_int_equal(console(CONSOLEIO_read, 4, va), 3);
	fake_peek(va, buf, 3);
	assert_memory_equal(buf, "y\x01z", 3);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int test_hc_console(void)
{
	const struct CMUnitTest tests[] = {
		T(test_write),
		T(test_write_long),
		T(test_write_bad_buffers),
		T(test_write_huge_counts),
		T(test_write_preempted),
		T(test_read),
		T(test_read_huge_counts),
		T(test_read_ring_full),
		T(test_read_bad_buffers),
		T(test_rx_raises_virq),
		T(test_rx_switch),
		T(test_unprivileged),
		T(test_is_console),
		T(test_unknown),
	};

	return cmocka_run_group_tests_name("console_io", tests, NULL, NULL);
}
