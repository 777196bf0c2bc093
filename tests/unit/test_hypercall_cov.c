/* SPDX-License-Identifier: MIT */
/*
 * Hypercall coverage (common/xen/hypercall_cov.c): each call lands in the
 * (hypercall, sub-op, result class) it was, the sub-op of the versioned
 * interfaces is read from the guest's structure, and the table printed
 * at shutdown names every sub-op reached and no other.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <orchid/errno.h>
#include <orchid/guest_access.h>
#include <orchid/hypercall_cov.h>
#include <orchid/hypercalls.h>
#include <orchid/printk.h>

static char out[8192];
static size_t out_len;

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	out_len += (size_t)vsnprintf(out + out_len, sizeof(out) - out_len, fmt,
				     ap);
	va_end(ap);
}

const char *hypercall_name(unsigned long nr)
{
	return nr == __HYPERVISOR_memory_op ? "memory_op"
	       : nr == __HYPERVISOR_domctl  ? "domctl"
					    : "-";
}

/* The guest's memory: one word at address 0x1000 (a domctl's cmd). */
static uint32_t guest_cmd;

int copy_from_guest(void *dst, uint64_t guest_va, size_t len)
{
	if (guest_va != 0x1000 || len != sizeof(guest_cmd))
		return -EFAULT;
	memcpy(dst, &guest_cmd, len);
	return 0;
}

static void call(unsigned long nr, uint64_t a0, long ret)
{
	uint64_t args[5] = {a0, 0, 0, 0, 0};

	hypercall_cov_count(nr, hypercall_cov_subop(nr, args), ret);
}

static void test_table(void **state)
{
	(void)state;
	/* add_to_physmap with a continuation's start_extent bits: sub-op 7. */
	call(__HYPERVISOR_memory_op, 7 | (5 << 6), 0);
	call(__HYPERVISOR_memory_op, 7, -EINVAL);
	call(__HYPERVISOR_memory_op, 99, -ENOSYS); /* 99 & 63: sub-op 35 */
	guest_cmd = 86;
	call(__HYPERVISOR_domctl, 0x1000, 0);
	guest_cmd = 1000; /* past 126: sub-op 127 */
	call(__HYPERVISOR_domctl, 0x1000, -EINVAL);
	call(__HYPERVISOR_domctl, 0x2000, -EFAULT); /* unreadable: 127 too */
	call(100, 0, -ENOSYS);			    /* past the table */
	hypercall_cov_dump();
	assert_non_null(strstr(out, "numbers past 64: 1 calls"));
	assert_non_null(
		strstr(out, "hccov: 12 memory_op 7 ok 1 enosys 0 err 1\n"));
	assert_non_null(
		strstr(out, "hccov: 12 memory_op 35 ok 0 enosys 1 err 0\n"));
	assert_non_null(
		strstr(out, "hccov: 36 domctl 86 ok 1 enosys 0 err 0\n"));
	assert_non_null(
		strstr(out, "hccov: 36 domctl 127 ok 0 enosys 0 err 2\n"));
	/* Nothing else was reached: four sub-op lines, a head, an end. */
	assert_int_equal(strlen(out) - strlen(strstr(out, "hccov: end\n")),
			 strlen(out) - strlen("hccov: end\n"));
	{
		unsigned int lines = 0;

		for (const char *p = out; (p = strchr(p, '\n')); p++)
			lines++;
		assert_int_equal(lines, 6);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_table)};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
