/* SPDX-License-Identifier: MIT */
/*
 * QEMU 7.2 TCG plugin for bench/el2_profile.py: counts the instructions
 * executed inside one virtual address range (the hypervisor's text at EL2)
 * and in total, and writes both counters at every store the range makes to
 * an I/O register at offset 0 of its region (the PL011 data register: one
 * console byte), so the caller can cut the run at console lines. At a
 * store more than gap instructions after the previous dump (default 4M)
 * it also writes each in-range TB's executions since that dump
 * (per-function attribution; a smaller gap sharpens short windows such as
 * bench/toolstack.py's xl destroy), and at the first in-range store after every 1M
 * instructions a sample of both counters (a time series: under -icount
 * shift=0 without idle, 1 instruction is 1 ns of guest time).
 *
 * Declarations of the 7.2 plugin ABI (QEMU_PLUGIN_VERSION 1) are written
 * out here since Debian ships no qemu-plugin.h.
 *
 * Args: lo=HEX,hi=HEX,out=PATH[,gap=N]
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
typedef uint32_t qemu_plugin_meminfo_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
struct qemu_plugin_hwaddr;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS };
enum qemu_plugin_mem_rw { QEMU_PLUGIN_MEM_R = 1, QEMU_PLUGIN_MEM_W = 2 };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*tb_trans_cb)(qemu_plugin_id_t, struct qemu_plugin_tb *);
typedef void (*mem_cb)(unsigned int, qemu_plugin_meminfo_t, uint64_t, void *);
typedef void (*atexit_cb)(qemu_plugin_id_t, void *);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t, tb_trans_cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *,
						 size_t);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *,
					      enum qemu_plugin_op, void *,
					      uint64_t);
void qemu_plugin_register_vcpu_mem_cb(struct qemu_plugin_insn *, mem_cb,
				      enum qemu_plugin_cb_flags,
				      enum qemu_plugin_mem_rw, void *);
struct qemu_plugin_hwaddr *qemu_plugin_get_hwaddr(qemu_plugin_meminfo_t,
						  uint64_t);
bool qemu_plugin_hwaddr_is_io(const struct qemu_plugin_hwaddr *);
uint64_t qemu_plugin_hwaddr_phys_addr(const struct qemu_plugin_hwaddr *);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t, atexit_cb, void *);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

struct tb_count {
	uint64_t vaddr, n, count, dumped;
};

static uint64_t lo, hi, total, inside, last_dump, last_sample;
static uint64_t gap = 4000000;
static FILE *out;
static struct tb_count **tbs;
static size_t ntbs, cap;

static void dump_tbs(void)
{
	fprintf(out, "D %" PRIu64 " %" PRIu64 "\n", total, inside);
	for (size_t i = 0; i < ntbs; i++) {
		struct tb_count *t = tbs[i];
		if (t->count == t->dumped)
			continue;
		fprintf(out, "T %" PRIx64 " %" PRIu64 " %" PRIu64 "\n",
			t->vaddr, t->n, t->count - t->dumped);
		t->dumped = t->count;
	}
}

static void on_store(unsigned int cpu, qemu_plugin_meminfo_t info,
		     uint64_t vaddr, void *udata)
{
	struct qemu_plugin_hwaddr *hw = qemu_plugin_get_hwaddr(info, vaddr);
	(void)cpu;
	(void)udata;
	if (total - last_sample >= 1000000) {
		fprintf(out, "P %" PRIu64 " %" PRIu64 "\n", total, inside);
		last_sample = total;
	}
	if (!hw || !qemu_plugin_hwaddr_is_io(hw) ||
	    (qemu_plugin_hwaddr_phys_addr(hw) & 0xfff) != 0)
		return;
	if (total - last_dump > gap) {
		dump_tbs();
		last_dump = total;
	}
	fprintf(out, "S %" PRIx64 " %" PRIu64 " %" PRIu64 "\n", vaddr, total,
		inside);
}

static void on_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	uint64_t pc = qemu_plugin_tb_vaddr(tb);
	size_t n = qemu_plugin_tb_n_insns(tb);
	(void)id;
	qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
						 &total, n);
	if (pc < lo || pc >= hi)
		return;
	qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
						 &inside, n);
	if (ntbs == cap) {
		cap = cap ? cap * 2 : 4096;
		tbs = realloc(tbs, cap * sizeof(*tbs));
	}
	struct tb_count *t = calloc(1, sizeof(*t));
	t->vaddr = pc;
	t->n = n;
	tbs[ntbs++] = t;
	qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
						 &t->count, 1);
	for (size_t i = 0; i < n; i++)
		qemu_plugin_register_vcpu_mem_cb(
			qemu_plugin_tb_get_insn(tb, i), on_store,
			QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_MEM_W, NULL);
}

static void on_quit(qemu_plugin_id_t id, void *p)
{
	(void)id;
	(void)p;
	dump_tbs();
	fclose(out);
}

__attribute__((visibility("default"))) int
qemu_plugin_install(qemu_plugin_id_t id, const void *info, int argc,
		    char **argv)
{
	const char *path = "/tmp/el2count.txt";
	(void)info;
	for (int i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "lo=", 3))
			lo = strtoull(argv[i] + 3, NULL, 16);
		else if (!strncmp(argv[i], "hi=", 3))
			hi = strtoull(argv[i] + 3, NULL, 16);
		else if (!strncmp(argv[i], "out=", 4))
			path = argv[i] + 4;
		else if (!strncmp(argv[i], "gap=", 4))
			gap = strtoull(argv[i] + 4, NULL, 10);
	}
	out = fopen(path, "w");
	if (!out)
		return -1;
	setvbuf(out, NULL, _IOFBF, 1 << 20);
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_trans);
	qemu_plugin_register_atexit_cb(id, on_quit, NULL);
	return 0;
}
