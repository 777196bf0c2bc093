/* SPDX-License-Identifier: MIT */
/*
 * The guest-side fuzzer (mode=fuzz): fixed guest code, the program is data
 * drawn from a seed. What its files share: the per-operation PRNG, the
 * value palettes (domids, ports, GFNs, pointers) and the memory it is
 * allowed to hand to the hypervisor.
 *
 * The guest protects itself: the hypervisor may only be given, as a place
 * to write or to map over, memory the guest never relies on:
 *  - fz_scratch: single argument structures, rebuilt for every operation;
 *  - the tail of test_pages[2] (vCPU 1's: of test_pages[4]): arrays and
 *    output buffers, placed so that they end where the unmapped
 *    test_pages[3] (test_pages[5]) begins, so a huge count
 *    faults instead of running over the guest's own data;
 *  - fz_victim: GFNs the fuzzer may unmap, remap, populate, grant or map
 *    grants over; the guest touches them only through fault-tolerant
 *    probes.
 * Everything else (code, stack, page tables, the fuzzer's state) is never
 * named by any operation.
 */
#ifndef GUEST_FUZZ_H
#define GUEST_FUZZ_H

#include "guest.h"

struct rng {
	uint64_t s;
};

uint64_t rnd(struct rng *r);
/* Uniform in [0, n); n > 0. */
uint64_t below(struct rng *r, uint64_t n);
/* True with probability num/den. */
int chance(struct rng *r, unsigned int num, unsigned int den);

#define FZ_VICTIM_PAGES 64
extern char fz_victim[FZ_VICTIM_PAGES + 1][4096]; /* + an unmapped guard */
#define FZ_SCRATCH_SIZE 4096
/* Per vCPU: vCPU 1 runs the racer (racer=1) with its own. */
#define FZ_CPUS 2
extern char fz_scratch[FZ_CPUS][FZ_SCRATCH_SIZE];

/* The state operations build on: what earlier operations got back. */
#define FZ_PORTS   16
#define FZ_DOMAINS 8
struct fz_world {
	uint32_t ports[FZ_PORTS];
	uint16_t domains[FZ_DOMAINS]; /* created by domctl createdomain */
	uint32_t nr_ports, nr_domains;
	uint64_t shared_info_gfn; /* where the last map of it went */
	unsigned long index;	  /* the operation running */
	int trace;		  /* print each operation before it runs */
	int xen_quirks;		  /* avoid what crashes Xen 4.17 (fuzz.c) */
};
extern struct fz_world fz;

void fz_add_port(uint32_t port);
void fz_add_domain(uint16_t domid);

/* Values of each kind: mostly plausible, sometimes garbage. */
uint64_t fz_domid(struct rng *r);
uint64_t fz_domid_other(struct rng *r); /* never Dom0 itself or SELF */
uint64_t fz_port(struct rng *r);
uint64_t fz_gref(struct rng *r);
uint64_t fz_gfn(struct rng *r); /* a victim page, a hole or garbage */
/* The first GFN of an extent of 2^order pages that stays in the victim
 * pages or out of RAM altogether. */
uint64_t fz_gfn_order(struct rng *r, unsigned int order);
uint64_t fz_ipa(struct rng *r);	  /* the same, as an address */
uint64_t fz_count(struct rng *r); /* 0, 1, small, huge */
uint64_t fz_vcpu(struct rng *r);
uint64_t fz_any(struct rng *r);
/* A pointer the hypervisor must not be able to use: NULL, read-only,
 * unmapped, straddling into the unmapped page, wrapping, kernel half. */
uint64_t fz_bad_ptr(struct rng *r);
/* One whose first access faults (NULL, unmapped, wrapping, ...). */
uint64_t fz_fault_ptr(struct rng *r);

/* Per operation allocators (reset by fz_reset_buffers). */
void fz_reset_buffers(void);
/* A fresh structure of @size bytes in fz_scratch, random bytes. */
void *fz_struct(struct rng *r, size_t size);
/* An array of @size bytes ending at the unmapped page (or below the
 * previous one), random bytes; the unmapped page itself when there is no
 * room left (fz_no_room). */
void *fz_array(struct rng *r, size_t size);
/* 1 when @array of @size bytes ends where the unmapped page begins. */
int fz_array_at_top(const void *array, size_t size);
static inline int fz_no_room(const void *array)
{
	return array == NOMAP_PAGE || array == NOMAP_PAGE1;
}
/* A pointer for a structure argument: mostly @good, else a bad one. */
uint64_t fz_arg(struct rng *r, void *good);

/* Fault-tolerant accesses: 1 when the access faulted. */
int fz_store64(uint64_t addr, uint64_t value);

/* fuzz_hc.c: one hypercall (or a multicall of several). */
void fz_op_hypercall(struct rng *r);
void fz_op_hypercall_quiet(struct rng *r);
/* The racer's call in flight (or last made): what a stuck racer was in. */
struct fz_call {
	uint64_t nr, a[5];
};
extern volatile struct fz_call fz_racer_call;
/* Build one hypercall's number and arguments, already filtered for
 * safety; used for plain calls and for multicall entries. */
void fz_gen_call(struct rng *r, uint64_t *nr, uint64_t args[5], int nested);
void fz_note_result(uint64_t nr, const uint64_t args[5], long ret);

/* fuzz_arch.c: MMIO, system registers, SMC/HVC, WFE. */
void fz_arch_init(void);
void fz_op_mmio(struct rng *r);
void fz_op_sysreg(struct rng *r);
void fz_op_smccc(struct rng *r);
void fz_op_wfe(struct rng *r);
void fz_op_grant_entry(struct rng *r);

/* fuzz_sanity.c: is the hypervisor still healthy? 0 when so. */
int fz_sanity(void);
void fz_sanity_begin(void); /* before the run: what to compare with */

/* fuzz.c */
void fuzz_main(void);

#endif
