// SPDX-License-Identifier: MIT
/*
 * Host tests of boot-time cpupools (common/sched/boot_cpupool.c) against
 * Xen 4.17's docs/misc/arm/device-tree/cpupools.txt and boot-cpupool.c:
 * pools numbered in node order, the unnamed pCPUs in one more pool,
 * pCPU 0's pool traded to ID 0 with its scheduler, a DomU's
 * domain-cpupool resolved after the trade, and each description Xen
 * panics on refused with a reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <orchid/errno.h>
#include <orchid/fdt.h>
#include <orchid/sched.h>

#include "../../common/sched/boot_cpupool.h"
#include "../../common/sched/sched_priv.h"
#include "fake_sched.h"
#include "printk_stub.h"
#include "test_data.h"

#define NR 4

/* Four pCPUs, MPIDRs 0x0, 0x1, 0x100, 0x101 (two clusters, as Xen's doc). */
static const uint64_t hwid[NR] = {0x0, 0x1, 0x100, 0x101};
static bool up_cpus[NR] = {true, true, true, true};

/* What the boot glue hands cpupool.c, and the MPIDRs it reads. */
uint64_t cpu_mpidr[CONFIG_NR_CPUS] = {0x0, 0x1, 0x100, 0x101};
static const struct boot_cpupools *applied;

void cpupool_boot_apply(const struct boot_cpupools *bp)
{
	applied = bp;
}

/*
 * The host tree: /cpus with c0..c3 (plus a cpu node without "reg" and
 * one whose MPIDR no pCPU has), then @chosen inside /chosen.
 */
static const char *tree_head =
	"/dts-v1/;\n/ {\n#address-cells = <2>;\n#size-cells = <2>;\n"
	"cpus {\n#address-cells = <1>;\n#size-cells = <0>;\n"
	"c0: cpu@0 { device_type = \"cpu\"; reg = <0x0>; };\n"
	"c1: cpu@1 { device_type = \"cpu\"; reg = <0x1>; };\n"
	"c2: cpu@100 { device_type = \"cpu\"; reg = <0x100>; };\n"
	"c3: cpu@101 { device_type = \"cpu\"; reg = <0x101>; };\n"
	"noreg: cpu@200 { device_type = \"cpu\"; };\n"
	"absent: cpu@300 { device_type = \"cpu\"; reg = <0x300>; };\n"
	"};\nchosen {\n";

struct tree {
	uint8_t *blob;
	struct fdt fdt;
	struct boot_cpupools bp;
	int ret;
};

/* Compile the tree with @chosen and parse its pools into @t. */
static void parse(struct tree *t, const char *chosen)
{
	size_t size;

	t->blob = test_data_dtc(&size, "%s%s};\n};\n", tree_head, chosen);
	assert_int_equal(fdt_init(&t->fdt, t->blob, size), 0);
	printk_stub_last[0] = '\0';
	t->ret = boot_cpupools_parse(&t->fdt, hwid, NR, up_cpus, &t->bp);
}

/* The pool of pCPUs 0..3 as four digits, e.g. 0011. */
static unsigned int layout(const struct tree *t)
{
	unsigned int v = 0;

	for (unsigned int cpu = 0; cpu < NR; cpu++)
		v = v * 10 + t->bp.cpu_pool[cpu];
	return v;
}

static int node(const struct tree *t, const char *path)
{
	int n = fdt_path_offset(&t->fdt, path);

	assert_true(n >= 0);
	return n;
}

static void test_none(void **state)
{
	struct tree t;

	(void)state;
	parse(&t, "domU1 { compatible = \"xen,domain\"; };\n");
	assert_int_equal(t.ret, 0);
	assert_int_equal(t.bp.nr_pools, 0);
	/* No pools: a domain-cpupool cannot name one. */
	assert_int_equal(
		boot_cpupools_pool_of(&t.fdt, &t.bp, node(&t, "/chosen/domU1")),
		-EINVAL);
	free(t.blob);
}

/* Xen's first example: two pools covering every pCPU, node order. */
static void test_two_pools(void **state)
{
	struct tree t;

	(void)state;
	parse(&t, "a { compatible = \"xen,cpupool\";"
		  " cpupool-cpus = <&c0 &c1>; };\n"
		  "b { compatible = \"xen,cpupool\";"
		  " cpupool-cpus = <&c2 &c3>; cpupool-sched = \"null\"; };\n");
	assert_int_equal(t.ret, 0);
	assert_int_equal(t.bp.nr_pools, 2);
	assert_int_equal(layout(&t), 11);
	assert_null(t.bp.ops[0]);
	assert_ptr_equal(t.bp.ops[1], &sched_null);
	assert_int_equal(
		boot_cpupools_pool_of(&t.fdt, &t.bp, node(&t, "/chosen/b")), 1);
	assert_int_equal(
		boot_cpupools_pool_of(&t.fdt, &t.bp, node(&t, "/chosen/a")), 0);
	free(t.blob);
}

/* Xen's second example: the pCPUs no node names form one more pool. */
static void test_extra_pool(void **state)
{
	struct tree t;

	(void)state;
	parse(&t, "a { compatible = \"xen,cpupool\"; cpupool-cpus = <&c0>; };\n"
		  "b { compatible = \"xen,cpupool\"; cpupool-cpus = <&c2>;"
		  " cpupool-sched = \"rtds\"; };\n");
	assert_int_equal(t.ret, 0);
	assert_int_equal(t.bp.nr_pools, 3);
	assert_int_equal(layout(&t), 212);
	assert_ptr_equal(t.bp.ops[1], &sched_rtds);
	assert_null(t.bp.ops[2]); /* the default scheduler */
	free(t.blob);
}

/* The pool holding pCPU 0 becomes Pool-0, its scheduler with it. */
static void test_cpu0_swapped_to_pool0(void **state)
{
	struct tree t;

	(void)state;
	parse(&t,
	      "a { compatible = \"xen,cpupool\"; cpupool-cpus = <&c3>;"
	      " cpupool-sched = \"null\"; };\n"
	      "b { compatible = \"xen,cpupool\"; cpupool-cpus = <&c1 &c0>;"
	      " cpupool-sched = \"rtds\"; };\n"
	      "d { compatible = \"xen,domain\"; domain-cpupool = <&pa>; };\n"
	      "pa: x { compatible = \"xen,cpupool\"; cpupool-cpus = <&c2>;"
	      " };\n");
	assert_int_equal(t.ret, 0);
	assert_int_equal(t.bp.nr_pools, 3);
	/* a was 0, b 1: b holds pCPU 0 and trades with a. */
	assert_int_equal(layout(&t), 21);
	assert_ptr_equal(t.bp.ops[0], &sched_rtds);
	assert_ptr_equal(t.bp.ops[1], &sched_null);
	assert_int_equal(
		boot_cpupools_pool_of(&t.fdt, &t.bp, node(&t, "/chosen/a")), 1);
	assert_int_equal(
		boot_cpupools_pool_of(&t.fdt, &t.bp, node(&t, "/chosen/b")), 0);
	assert_int_equal(
		boot_cpupools_pool_of(&t.fdt, &t.bp, node(&t, "/chosen/x")), 2);
	/* A DomU node is no pool. */
	assert_int_equal(
		boot_cpupools_pool_of(&t.fdt, &t.bp, node(&t, "/chosen/d")),
		-EINVAL);
	free(t.blob);
}

/* pCPU 0 in no node: the extra pool is Pool-0, the first node Pool-1. */
static void test_cpu0_unnamed(void **state)
{
	struct tree t;

	(void)state;
	parse(&t, "a { compatible = \"xen,cpupool\"; cpupool-cpus = <&c2 &c3>;"
		  " cpupool-sched = \"null\"; };\n");
	assert_int_equal(t.ret, 0);
	assert_int_equal(t.bp.nr_pools, 2);
	assert_int_equal(layout(&t), 11);
	assert_null(t.bp.ops[0]);
	assert_ptr_equal(t.bp.ops[1], &sched_null);
	free(t.blob);
}

/*
 * "linux,phandle" names a cpu as "phandle" does; a cpu node's "reg" has
 * its parent's #address-cells (here the default, 2).
 */
static void test_linux_phandle(void **state)
{
	struct tree t;

	(void)state;
	parse(&t,
	      "a { compatible = \"xen,cpupool\"; cpupool-cpus = <0x77>; };\n"
	      "b { compatible = \"xen,cpupool\"; cpupool-cpus = <&c0>; };\n"
	      "lcpu { device_type = \"cpu\"; reg = <0x0 0x101>;"
	      " linux,phandle = <0x77>; };\n");
	assert_int_equal(t.ret, 0);
	/* a (pCPU 3) was 0, b (pCPU 0) 1: traded; pCPUs 1, 2 are extra. */
	assert_int_equal(layout(&t), 221);
	free(t.blob);
}

static void expect_refused(const char *chosen, const char *why)
{
	struct tree t;

	parse(&t, chosen);
	assert_int_equal(t.ret, -EINVAL);
	if (!strstr(printk_stub_last, why))
		fail_msg("said \"%s\", not \"%s\"", printk_stub_last, why);
	free(t.blob);
}

/* Each description Xen 4.17 panics on. */
static void test_refused(void **state)
{
	(void)state;
	expect_refused("a { compatible = \"xen,cpupool\";"
		       " cpupool-cpus = <&c0 &c1>; };\n"
		       "b { compatible = \"xen,cpupool\";"
		       " cpupool-cpus = <&c1>; };\n",
		       "CPU1 is already in a cpupool");
	expect_refused("a { compatible = \"xen,cpupool\"; cpupool-cpus = <&c0>;"
		       " cpupool-sched = \"sedf\"; };\n",
		       "no scheduler \"sedf\"");
	expect_refused("a { compatible = \"xen,cpupool\"; };\n",
		       "missing or empty cpupool-cpus");
	expect_refused("a { compatible = \"xen,cpupool\"; cpupool-cpus; };\n",
		       "missing or empty cpupool-cpus");
	expect_refused("a { compatible = \"xen,cpupool\";"
		       " cpupool-cpus = <0x4242>; };\n",
		       "missing or empty cpupool-cpus");
	expect_refused("a { compatible = \"xen,cpupool\";"
		       " cpupool-cpus = <&c0 &noreg>; };\n",
		       "cpu node cpu@200 names no pCPU");
	expect_refused("a { compatible = \"xen,cpupool\";"
		       " cpupool-cpus = <&absent>; };\n",
		       "cpu node cpu@300 names no pCPU");
}

/* A pCPU that did not come up may not be in a pool (Xen stops). */
static void test_offline_cpu(void **state)
{
	(void)state;
	up_cpus[3] = false;
	expect_refused("a { compatible = \"xen,cpupool\";"
		       " cpupool-cpus = <&c3>; };\n",
		       "CPU3 is not online");
	up_cpus[3] = true;
}

/* Only the pool's first pCPU matters to a domain, as Xen's lookup. */
static void test_unresolved_phandle_ends_list(void **state)
{
	struct tree t;

	(void)state;
	parse(&t, "a { compatible = \"xen,cpupool\";"
		  " cpupool-cpus = <&c0 0x4242 &c1>; };\n");
	assert_int_equal(t.ret, 0);
	/* c1 is past the list's end: it lands in the extra pool. */
	assert_int_equal(layout(&t), 111);
	free(t.blob);
}

/*
 * At boot: a good layout goes to cpupool.c and domain-cpupool resolves; a
 * bad one is dropped whole (every pCPU stays in Pool-0, no DomU joins a
 * pool) where Xen would panic.
 */
static void test_boot_glue(void **state)
{
	struct tree t;

	setup(state);
	parse(&t,
	      "a { compatible = \"xen,cpupool\"; cpupool-cpus = <&c0>; };\n"
	      "b { compatible = \"xen,cpupool\"; cpupool-cpus = <&c1>; };\n");
	applied = NULL;
	cpupool_boot_init(&t.fdt);
	assert_non_null(applied);
	assert_int_equal(applied->nr_pools, 3);
	assert_int_equal(
		cpupool_boot_domain_pool(&t.fdt, node(&t, "/chosen/b")), 1);
	free(t.blob);

	parse(&t,
	      "a { compatible = \"xen,cpupool\"; cpupool-cpus = <&c0>; };\n"
	      "b { compatible = \"xen,cpupool\"; cpupool-cpus = <&c0>; };\n");
	applied = NULL;
	cpupool_boot_init(&t.fdt);
	assert_null(applied);
	assert_non_null(strstr(printk_stub_last, "cpupools ignored"));
	assert_int_equal(
		cpupool_boot_domain_pool(&t.fdt, node(&t, "/chosen/a")),
		-EINVAL);
	free(t.blob);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_two_pools),
		cmocka_unit_test(test_extra_pool),
		cmocka_unit_test(test_cpu0_swapped_to_pool0),
		cmocka_unit_test(test_cpu0_unnamed),
		cmocka_unit_test(test_linux_phandle),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_offline_cpu),
		cmocka_unit_test(test_unresolved_phandle_ends_list),
		cmocka_unit_test(test_boot_glue),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
