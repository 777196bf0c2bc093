/* SPDX-License-Identifier: MIT */
/* What the pieces of a bare-metal test guest share. */
#ifndef GUEST_GUEST_H
#define GUEST_GUEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* hypercall.S */
long hypercall(unsigned long nr, unsigned long a0, unsigned long a1,
	       unsigned long a2, unsigned long a3, unsigned long a4);
void hvc_bad_imm(void);
extern const char hvc_bad_imm_insn[];
uint64_t probe_load(uint64_t addr);
long smccc_hvc(unsigned long fid, unsigned long a1, unsigned long a2,
	       unsigned long a3);
long smccc_smc(unsigned long fid, unsigned long a1, unsigned long a2,
	       unsigned long a3);

#define HC1(nr, a) hypercall(nr, (unsigned long)(a), 0, 0, 0, 0)
#define HC2(nr, a, b)                                                          \
	hypercall(nr, (unsigned long)(a), (unsigned long)(b), 0, 0, 0)
#define HC3(nr, a, b, c)                                                       \
	hypercall(nr, (unsigned long)(a), (unsigned long)(b),                  \
		  (unsigned long)(c), 0, 0)

/* lib.c: the little libc a freestanding guest needs. */
void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void console_write(const char *s, size_t len);
void __attribute__((noreturn)) poweroff(void);

/* vpl011.c: a dom0less DomU's SBSA UART, polled. */
void vpl011_enable(const void *dtb); /* finds it in the DTB */
int vpl011_ready(void);
void vpl011_write(const char *s, size_t len);
char vpl011_getc(void);

/* pvcons.c: a DomU's PV console ring. */
long pvcons_init(void);
int pvcons_ready(void);
void pvcons_write(const char *s, size_t len);
void pvcons_drain(void);
uint32_t pvcons_port(void);
int pvcons_intact(void);
/* The state pvcons_intact compares with: as it is now (pvcons_init). */
void pvcons_guard_init(void);
int pvcons_port_check(void);

/* main.c: booted as a DomU (`mode=domu` on the command line). */
extern int guest_is_domu;
/* What Xen gives Dom0, or a DomU where that differs. */
#define DOM0_DOMU(dom0, domu) (guest_is_domu ? (domu) : (dom0))
/* A boot-time DomU may use console_io as Dom0 does (Xen's is_console). */
extern int guest_is_dom0less;
#define CONSOLE_IO(dom0, domu)                                                 \
	(guest_is_domu && !guest_is_dom0less ? (domu) : (dom0))
/* A domain ID that names no domain: Dom0 is alone, a DomU is not. */
#define ABSENT_DOMID ((uint16_t)DOM0_DOMU(1, 0x7000))

/* bootargs.c: /chosen/bootargs of the entry DTB, as key=value words. */
void bootargs_init(const void *dtb);
const char *bootargs(void);
const char *bootarg(const char *key, char *buf, size_t size);
unsigned long bootarg_ulong(const char *key, unsigned long fallback);

/* traps.c: "this instruction must fault". */
struct fault {
	int taken;
	uint32_t esr;
	uint64_t far;
	uint64_t elr; /* where the exception was taken */
};
void fault_expect(void);
struct fault fault_result(void);

/* lib.c: 1 on Orchid, 0 on Xen (for checks of intended differences). */
int on_orchid(void);

/* main.c: one check of one test case prints one line. */
void check_eq(const char *name, long got, long want);
void check_true(const char *name, int ok, const char *detail);
void skip(const char *name, const char *why);
/* Prints the `Test result:` line of the checks so far, powers off. */
void __attribute__((noreturn)) test_result(void);

/* mmu.c: VA == IPA; test_pages[0], [2] and [4] RW, [1] read-only, [3]
 * and [5] not mapped ([4] and [5]: the fuzzer's second vCPU's arrays). */
void mmu_enable(void);

/* head.S: the virtual counter at the guest's first instructions. */
extern uint64_t entry_cntvct;
/* CNTPCT at entry: from reset (both hypervisors let EL1 read it). */
extern uint64_t entry_cntpct;

/* scrub.c: mode=scrub-fill (@fill) and mode=scrub-check; never return. */
void scrub_main(const void *dtb, int fill) __attribute__((noreturn));
extern char test_pages[6][4096];
#define RW_PAGE	    (test_pages[0])
#define RO_PAGE	    (test_pages[1])
#define NOMAP_PAGE  (test_pages[3])
#define NOMAP_PAGE1 (test_pages[5])
/* What the read-only page holds, written before the MMU is on. */
#define RO_TEXT	 "(read-only page)\n"
#define RO_QUERY 256  /* a struct gnttab_query_size of DOMID_SELF */
#define RO_ALLOC 512  /* a struct evtchn_alloc_unbound SELF/SELF */
#define RO_MULTI 1024 /* a struct multicall_entry: xen_version */

/* The test cases, one per file. */
/* passthrough.c: pt=, pt_irq=, pt_absent= (dom0less.py). */
void passthrough_main(void);
/* lifecycle.c: a dom0less DomU's end (then=), never returns. */
void __attribute__((noreturn)) dom0less_then(const char *name);
/* lifecycle.c: SCHEDOP_shutdown(crash) now (mode=first crash=1). */
void __attribute__((noreturn)) dom0less_then_crash(void);
void test_version(void);
void test_console(void);
void test_evtchn(void);
void test_gnttab(void);
void test_memory(void);
void test_hypercall(void);
void test_traps(void);
void test_guest_memory(void);
void test_other_ops(void);
void test_hypfs(void);
void test_watchdog(void);
void test_evtchn_loop(void);
void test_gnttab_copy(void);
void test_smccc(void);
void test_gnttab_version(void);
void test_vcpu_info(void);
void test_vcpu_info_give_back(void);
void test_isolation(void);
void test_passthrough(void);
void test_guest_safety(void);
/* test_isolation.c: this domain's ID, DOMID_INVALID if not found. */
uint16_t guest_domid(void);
void test_evtchn_vcpu(void);
void test_evtchn_fifo(void);
void test_sysregs(void);
/* mode=cntvct: one virtual counter per domain (test_cntvct.c); powers
 * off. */
void __attribute__((noreturn)) cntvct_main(void);
/* cntvct_latency.c: `latency=1`, with @nr vCPUs up (prints only). */
void cntvct_latency_probe(unsigned int nr);
/* mode=vwfi: does WFI block the vCPU (test_vwfi.c)? Powers off. */
void __attribute__((noreturn)) vwfi_main(void);
/* mode=upcall-remote: vCPU 0 sets up vCPU 1's upcall (test_upcall_remote.c). */
void __attribute__((noreturn)) upcall_remote_main(void);

/* test_rt_periodic.c: mode=rt-periodic (powers off) and mode=hog. */
void __attribute__((noreturn)) rt_periodic_main(void);
/* Its loop: wake every @period (ticks), compute @work; the misses. */
unsigned long rt_periodic_run(uint64_t period, uint64_t work,
			      unsigned long periods, uint64_t *max_late);
void __attribute__((noreturn)) hog_main(void);
/* bench_sched.c: issue 10's scheduler benchmark (bench/sched.py). */
void __attribute__((noreturn)) sched_bench_main(void);
void __attribute__((noreturn)) sched_peer_main(void);

/* test_vcpu_info.c registers vCPU 1's vcpu_info here. */
extern char vcpu_info_page[4096];
#define VCPU1_INFO_OFFSET 64
/* VCPUOP_register_vcpu_info of vCPU 1 at vcpu_info_page + 64: its result. */
long vcpu1_info_register(void);

/*
 * An upcall on vCPU 1 taken: its vcpu_info's upcall_pending (+0) and
 * 2-level selector (+8) cleared, or the next event raises nothing. Inline:
 * it runs inside bench-micro's remote rows.
 */
static inline void vcpu1_events_ack(void)
{
	volatile uint8_t *vi =
		(volatile uint8_t *)vcpu_info_page + VCPU1_INFO_OFFSET;

	vi[0] = 0;
	__atomic_store_n((uint64_t *)(vi + 8), 0, __ATOMIC_SEQ_CST);
}

/* An IPA with nothing behind it on QEMU virt: between the PL061 and the
 * platform bus, mapped by neither hypervisor. */
#define IPA_HOLE 0x09800000ul
/* A guest address whose range wraps around the top of the address space. */
#define WRAPPING 0xfffffffffffffff8ul

#endif
