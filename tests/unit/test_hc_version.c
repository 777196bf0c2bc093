/* SPDX-License-Identifier: MIT */
/*
 * xen_version (common/xen/version.c): every sub-op for the privileged Dom0
 * (direct-mapped) and an unprivileged DomU, what a DomU is denied, and
 * bad argument pointers, which must leave guest memory untouched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <orchid/errno.h>
#include <orchid/hypercalls.h>
#include <orchid/setup.h>
#include <orchid/version.h>
#include <public/version.h>

#include "fake_guest.h"
#include "test_hypercalls.h"

/*
 * The GNU build-ID note Orchid's linker script brackets with these symbols,
 * made by hand (name "GNU", type 3, a 20-byte ID) and writable, so that a
 * test can spoil it.
 */
#define BUILD_ID_LEN 20
__asm__(".pushsection .data.test_build_id, \"aw\"\n"
	".balign 4\n"
	".globl __build_id_start\n"
	"__build_id_start:\n"
	".long 4, 20, 3\n"
	".asciz \"GNU\"\n"
	".byte 0xb1,0x1d,0x00,0x01,0x02,0x03,0x04,0x05,0x06,0x07\n"
	".byte 0x08,0x09,0x0a,0x0b,0x0c,0x0d,0x0e,0x0f,0x10,0xff\n"
	".globl __build_id_end\n"
	"__build_id_end:\n"
	".popsection\n");
extern char __build_id_start[], __build_id_end[];

static const uint8_t build_id[BUILD_ID_LEN] = {
	0xb1, 0x1d, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0xff,
};

static struct fake_guest dom0, domu;

static int setup(void **state)
{
	fake_reset();
	fake_guest_create(&dom0, 0, true, 2);
	fake_guest_create(&domu, 1, false, 2);
	dom0.d.direct_mapped = true;
	hardware_domain = &dom0.d;
	memset(domu.d.handle, 0x5a, sizeof(domu.d.handle));
	domu.d.handle[15] = 0x01;
	strcpy(boot_options.cmdline, "console=dtuart dom0_mem=1G");
	fake_run_as(&domu, 0);
	return 0;
}

static int teardown(void **state)
{
	fake_check_unlocked();
	fake_guest_destroy(&domu);
	fake_guest_destroy(&dom0);
	return 0;
}

static long version(unsigned int cmd, uint64_t arg)
{
	return HC(hc_xen_version, cmd, arg);
}

/*
 * Sub-op @cmd copies out @size bytes: at every address where they cannot
 * be written it fails with -EFAULT and writes nothing.
 */
static void expect_bad_output(unsigned int cmd, size_t size)
{
	uint64_t bad[FAKE_BAD_MAX];
	unsigned int n;

	fake_snapshot();
	n = fake_bad_read(size, bad);
	for (unsigned int i = 0; i < n; i++)
		assert_int_equal(version(cmd, bad[i]), -EFAULT);
	n = fake_bad_write(size, bad);
	for (unsigned int i = 0; i < n; i++)
		assert_int_equal(version(cmd, bad[i]), -EFAULT);
	fake_unchanged();
}

/* A string sub-op: @want, zero-padded to the whole @size, and nothing else. */
static void expect_text(unsigned int cmd, const char *want, size_t size)
{
	uint64_t va = fake_va(1, 0x20);
	char buf[1024 + 2];

	assert_true(size + 2 <= sizeof(buf));
	memset(buf, 0xee, sizeof(buf));
	fake_poke(va - 1, buf, size + 2);
	assert_int_equal(version(cmd, va), 0);
	fake_peek(va - 1, buf, size + 2);
	assert_int_equal((uint8_t)buf[0], 0xee);
	assert_string_equal(buf + 1, want);
	for (size_t i = strlen(want); i < size; i++)
		assert_int_equal(buf[1 + i], 0);
	assert_int_equal((uint8_t)buf[size + 1], 0xee);
	expect_bad_output(cmd, size);
}

static void test_version(void **state)
{
	/* No argument is read: any pointer will do. */
	assert_int_equal(version(XENVER_version, 0), (4 << 16) | 17);
	assert_int_equal(version(XENVER_version, fake_va(FAKE_PAGE_HOLE, 0)),
			 0x40011);
	fake_run_as(&dom0, 0);
	assert_int_equal(version(XENVER_version, ~0ULL), 0x40011);
	/* The sub-op is an int: the upper half of x0 is ignored. */
	assert_int_equal(HC(hc_xen_version, (1ULL << 32) | XENVER_version, 0),
			 0x40011);
}

static void test_strings(void **state)
{
	expect_text(XENVER_extraversion, XEN_EXTRAVERSION,
		    sizeof(xen_extraversion_t));
	expect_text(XENVER_capabilities, "xen-3.0-aarch64 ",
		    sizeof(xen_capabilities_info_t));
	expect_text(XENVER_changeset, "Orchid " ORCHID_VERSION,
		    sizeof(xen_changeset_info_t));
	/* Dom0 sees the same. */
	fake_run_as(&dom0, 1);
	expect_text(XENVER_extraversion, XEN_EXTRAVERSION,
		    sizeof(xen_extraversion_t));
	expect_text(XENVER_capabilities, "xen-3.0-aarch64 ",
		    sizeof(xen_capabilities_info_t));
}

static void test_commandline_denied(void **state)
{
	/* Denied, only the string itself is written, as Xen does. */
	expect_text(XENVER_commandline, "<denied>", sizeof("<denied>"));
	fake_run_as(&dom0, 0);
	expect_text(XENVER_commandline, "console=dtuart dom0_mem=1G",
		    sizeof(xen_commandline_t));
	/* A full command line keeps its terminator. */
	memset(boot_options.cmdline, 'x', sizeof(boot_options.cmdline) - 1);
	boot_options.cmdline[sizeof(boot_options.cmdline) - 1] = '\0';
	expect_text(XENVER_commandline, boot_options.cmdline,
		    sizeof(xen_commandline_t));
}

static void test_compile_info(void **state)
{
	struct xen_compile_info info;
	uint64_t va = fake_va(2, 0x100);

	memset(&info, 0xee, sizeof(info));
	fake_poke(va, &info, sizeof(info));
	assert_int_equal(version(XENVER_compile_info, va), 0);
	fake_peek(va, &info, sizeof(info));
	assert_memory_equal(info.compiler, "gcc ", 4);
	assert_string_equal(info.compile_by, "orchid");
	assert_string_equal(info.compile_domain, "orchid");
	assert_true(strlen(info.compile_date) > 0);
	/* Every field is terminated and zero-padded. */
	assert_int_equal(info.compiler[sizeof(info.compiler) - 1], 0);
	assert_int_equal(info.compile_by[sizeof(info.compile_by) - 1], 0);
	assert_int_equal(info.compile_date[sizeof(info.compile_date) - 1], 0);
	expect_bad_output(XENVER_compile_info, sizeof(info));
}

static void test_platform_parameters(void **state)
{
	struct xen_platform_parameters p = {.virt_start = 1};
	uint64_t va = fake_va(0, 8);

	fake_poke(va, &p, sizeof(p));
	assert_int_equal(version(XENVER_platform_parameters, va), 0);
	fake_peek(va, &p, sizeof(p));
	assert_int_equal(p.virt_start, 0x200000);
	expect_bad_output(XENVER_platform_parameters, sizeof(p));
}

static uint32_t get_features(unsigned int idx, long *rc)
{
	struct xen_feature_info fi = {.submap_idx = idx, .submap = 0xdead};
	uint64_t va = fake_va(3, 0x40);

	fake_poke(va, &fi, sizeof(fi));
	*rc = version(XENVER_get_features, va);
	fake_peek(va, &fi, sizeof(fi));
	assert_int_equal(fi.submap_idx, idx);
	return fi.submap;
}

static void test_get_features(void **state)
{
	const uint32_t common = (1U << XENFEAT_writable_page_tables) |
				(1U << XENFEAT_auto_translated_physmap) |
				(1U << XENFEAT_memory_op_vnode_supported) |
				(1U << XENFEAT_ARM_SMCCC_supported);
	uint64_t bad[FAKE_BAD_MAX];
	unsigned int n;
	long rc;

	assert_int_equal(get_features(0, &rc),
			 common | (1U << XENFEAT_not_direct_mapped));
	assert_int_equal(rc, 0);
	fake_run_as(&dom0, 1);
	assert_int_equal(get_features(0, &rc),
			 common | (1U << XENFEAT_dom0) |
				 (1U << XENFEAT_direct_mapped));
	assert_int_equal(rc, 0);
	/* Only submap 0 exists: the others fail and write nothing. */
	assert_int_equal(get_features(1, &rc), 0xdead);
	assert_int_equal(rc, -EINVAL);
	assert_int_equal(get_features(~0U, &rc), 0xdead);
	assert_int_equal(rc, -EINVAL);
	/* Read, then written: both must work, or nothing is written. */
	fake_snapshot();
	n = fake_bad_read(sizeof(struct xen_feature_info), bad);
	for (unsigned int i = 0; i < n; i++)
		assert_int_equal(version(XENVER_get_features, bad[i]), -EFAULT);
	fake_unchanged();
	n = fake_bad_write(sizeof(struct xen_feature_info), bad);
	for (unsigned int i = 0; i < n; i++) {
		struct xen_feature_info fi = {.submap_idx = 0, .submap = 7};

		fake_poke(bad[i], &fi, sizeof(fi));
		fake_snapshot();
		assert_int_equal(version(XENVER_get_features, bad[i]), -EFAULT);
		fake_unchanged();
	}
}

static void test_pagesize(void **state)
{
	assert_int_equal(version(XENVER_pagesize, 0), 4096);
	assert_int_equal(version(XENVER_pagesize, fake_va(0, 0)), -EINVAL);
	assert_int_equal(version(XENVER_pagesize, 1), -EINVAL);
	fake_run_as(&dom0, 0);
	assert_int_equal(version(XENVER_pagesize, 0), 4096);
}

static void test_guest_handle(void **state)
{
	uint8_t h[18];
	uint64_t va = fake_va(4, 0x300);

	memset(h, 0xee, sizeof(h));
	fake_poke(va - 1, h, sizeof(h));
	assert_int_equal(version(XENVER_guest_handle, va), 0);
	fake_peek(va - 1, h, sizeof(h));
	assert_int_equal(h[0], 0xee);
	assert_memory_equal(h + 1, domu.d.handle, 16);
	assert_int_equal(h[17], 0xee);
	expect_bad_output(XENVER_guest_handle, 16);
}

/* build_id with a buffer of @len bytes at @va; its header is kept. */
static long build_id_call(uint64_t va, uint32_t len)
{
	fake_poke(va, &len, sizeof(len));
	return version(XENVER_build_id, va);
}

static void test_build_id(void **state)
{
	uint64_t va = fake_va(2, 0x800);
	uint8_t buf[4 + 64];
	uint32_t len;

	/* Privileged only, even to ask the size. */
	assert_int_equal(version(XENVER_build_id, 0), -EPERM);
	assert_int_equal(build_id_call(va, 64), -EPERM);
	fake_run_as(&dom0, 0);
	/* A NULL buffer asks for the size. */
	assert_int_equal(version(XENVER_build_id, 0), BUILD_ID_LEN);

	memset(buf, 0xee, sizeof(buf));
	fake_poke(va, buf, sizeof(buf));
	assert_int_equal(build_id_call(va, 64), BUILD_ID_LEN);
	fake_peek(va, buf, sizeof(buf));
	memcpy(&len, buf, sizeof(len));
	assert_int_equal(len, 64); /* not written back */
	assert_memory_equal(buf + 4, build_id, BUILD_ID_LEN);
	assert_int_equal(buf[4 + BUILD_ID_LEN], 0xee);
	/* Exactly enough room. */
	assert_int_equal(build_id_call(va, BUILD_ID_LEN), BUILD_ID_LEN);

	/* len 0 and too little room write nothing. */
	build_id_call(va, 0);
	fake_snapshot();
	assert_int_equal(version(XENVER_build_id, va), -EINVAL);
	fake_unchanged();
	build_id_call(va, BUILD_ID_LEN - 1);
	fake_snapshot();
	assert_int_equal(version(XENVER_build_id, va), -ENOBUFS);
	fake_unchanged();
}

static void test_build_id_bad_buffers(void **state)
{
	/*
	 * The header is readable, but the ID's bytes land on a read-only
	 * page, or a page the guest's stage 1 maps read-only.
	 */
	const uint64_t unwritable[] = {
		fake_va(FAKE_PAGE_RO, 0) - 8,
		fake_va(FAKE_PAGE_S1_RO, 0x100),
	};
	const uint32_t len = 64;
	uint64_t bad[FAKE_BAD_MAX];
	unsigned int n;

	fake_run_as(&dom0, 0);
	n = fake_bad_read(sizeof(uint32_t), bad);
	fake_snapshot();
	/* bad[0], NULL, asks for the size. */
	assert_int_equal(bad[0], 0);
	for (unsigned int i = 1; i < n; i++)
		assert_int_equal(version(XENVER_build_id, bad[i]), -EFAULT);
	fake_unchanged();
	for (unsigned int i = 0; i < ARRAY_SIZE(unwritable); i++) {
		fake_poke(unwritable[i], &len, sizeof(len));
		fake_snapshot();
		assert_int_equal(version(XENVER_build_id, unwritable[i]),
				 -EFAULT);
		fake_unchanged();
	}
}

static void test_build_id_missing_note(void **state)
{
	uint32_t note[3];

	fake_run_as(&dom0, 0);
	memcpy(note, __build_id_start, sizeof(note));
	/* Not a GNU build-ID note: no ID. */
	__build_id_start[8] = 1;
	assert_int_equal(version(XENVER_build_id, 0), -ENODATA);
	assert_int_equal(build_id_call(fake_va(0, 0), 64), -ENODATA);
	memcpy(__build_id_start, note, sizeof(note));
	/* A name that is not 4 bytes long. */
	__build_id_start[0] = 5;
	assert_int_equal(version(XENVER_build_id, 0), -ENODATA);
	memcpy(__build_id_start, note, sizeof(note));
	/* An ID longer than the note. */
	__build_id_start[4] = 21;
	assert_int_equal(version(XENVER_build_id, 0), -ENODATA);
	memset(__build_id_start + 4, 0xff, 4);
	assert_int_equal(version(XENVER_build_id, 0), -ENODATA);
	memcpy(__build_id_start, note, sizeof(note));
	assert_int_equal(version(XENVER_build_id, 0), BUILD_ID_LEN);
	assert_int_equal(__build_id_end - __build_id_start, 16 + BUILD_ID_LEN);
}

static void test_unknown(void **state)
{
	static const unsigned int cmds[] = {11, 12, 13, 0x80000000U, ~0U};

	fake_snapshot();
	for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++) {
		fake_run_as(&domu, 0);
		assert_int_equal(version(cmds[i], fake_va(0, 0)), -ENOSYS);
		fake_run_as(&dom0, 0);
		assert_int_equal(version(cmds[i], fake_va(0, 0)), -ENOSYS);
	}
	fake_unchanged();
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int test_hc_version(void)
{
	const struct CMUnitTest tests[] = {
		T(test_version),
		T(test_strings),
		T(test_commandline_denied),
		T(test_compile_info),
		T(test_platform_parameters),
		T(test_get_features),
		T(test_pagesize),
		T(test_guest_handle),
		T(test_build_id),
		T(test_build_id_bad_buffers),
		T(test_build_id_missing_note),
		T(test_unknown),
	};

	return cmocka_run_group_tests_name("xen_version", tests, NULL, NULL);
}
