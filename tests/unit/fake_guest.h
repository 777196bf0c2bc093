/* SPDX-License-Identifier: MIT */
/*
 * A fake world for the hypercall handler tests (tests/unit/test_hc_*.c),
 * under the real common/mm/guest_access.c and arch/fake/guest_va.c: domains
 * with vCPUs, shared_info pages and a few pages of guest RAM behind a fake
 * stage 2, a current vCPU, and recorders for everything the handlers call
 * outside their own files (scheduler, event channels, grant tables, the
 * console, domain shutdown).
 *
 * Every domain's RAM has the same layout at the same IPAs, and a guest
 * virtual address is its IPA (arch/fake/guest_va.c with no offset), except
 * where the guest's stage 1 is made to fault:
 *
 *   page 0-4  RAM, writable
 *   page 5    RAM, read-only in stage 2 (p2m_ram_ro)
 *   page 6    a hole: nothing mapped in stage 2
 *   page 7    RAM, writable
 *   page 8    RAM, but its virtual address faults (not in stage 1)
 *   page 9    RAM, but its virtual address faults on writes (stage 1 RO)
 *
 * Below page 0 and above page 9 nothing is mapped either.
 */
#ifndef TESTS_UNIT_FAKE_GUEST_H
#define TESTS_UNIT_FAKE_GUEST_H

#include <orchid/domain.h>
#include <orchid/p2m.h>

#define FAKE_RAM_IPA	   0x40000000ULL
#define FAKE_RAM_PAGES	   10
#define FAKE_PAGE_RO	   5
#define FAKE_PAGE_HOLE	   6
#define FAKE_PAGE_S1_FAULT 8
#define FAKE_PAGE_S1_RO	   9

#define FAKE_MAX_VCPUS	 4
#define FAKE_MAX_DOMAINS 4

struct fake_guest {
	struct domain d;
	struct vcpu vcpu[FAKE_MAX_VCPUS];
	struct vcpu *vcpus[FAKE_MAX_VCPUS];
	uint8_t *ram; /* FAKE_RAM_PAGES pages, filled with a pattern */
};

/* Call a hypercall handler with the guest's x0-x4. */
#define HC(fn, ...) fn((const uint64_t[5]){__VA_ARGS__})

/*
 * Forget every record, restore every control, reset the guest's stage 1
 * (pages 8 and 9 fault again). Call before creating the test's guests.
 */
void fake_reset(void);

/*
 * Make @g domain @domid with @nr_vcpus vCPUs (vCPU 0 up, the others down,
 * vCPU 0's vcpu_info in shared_info, the others' their dummy), a zeroed
 * shared_info page and its RAM; domain_lookup and domain_for_each find it.
 */
void fake_guest_create(struct fake_guest *g, domid_t domid, bool privileged,
		       unsigned int nr_vcpus);
/* Undo fake_guest_create, stage-2 mappings made since included. */
void fake_guest_destroy(struct fake_guest *g);
/* current_vcpu() is vCPU @vcpu of @g from now on. */
void fake_run_as(struct fake_guest *g, unsigned int vcpu);

/* The guest virtual address (== IPA) @off bytes into RAM page @page. */
static inline uint64_t fake_va(unsigned int page, unsigned int off)
{
	return FAKE_RAM_IPA + (uint64_t)page * PAGE_SIZE + off;
}

/* The host address of @g's RAM at @va, which must be inside its RAM. */
void *fake_host(struct fake_guest *g, uint64_t va);
/* Write/read the current guest's RAM directly, as the guest would. */
void fake_poke(uint64_t va, const void *src, size_t len);
void fake_peek(uint64_t va, void *dst, size_t len);

/*
 * Addresses where @len bytes (at least 2) cannot be read: NULL, the hole,
 * straddles into the hole, below and above RAM, the stage-1 fault, a range
 * that wraps. Returns how many it put in @va (FAKE_BAD_MAX at most).
 */
#define FAKE_BAD_MAX 10
unsigned int fake_bad_read(size_t len, uint64_t va[FAKE_BAD_MAX]);
/* Addresses where @len bytes can be read but not written. */
unsigned int fake_bad_write(size_t len, uint64_t va[FAKE_BAD_MAX]);

/*
 * Snapshot every guest's RAM and shared_info page; fake_unchanged()
 * fails the test, naming the first changed byte, if any changed since.
 */
void fake_snapshot(void);
void fake_unchanged(void);

/* The test's guests must leave the stage 2 unlocked. */
void fake_check_unlocked(void);

/* What the handlers asked of the rest of Orchid since fake_reset. */
struct fake_record {
	unsigned int yields, blocks, wakes;
	unsigned int timer_sets;
	struct vcpu *yield_v, *block_v;

	unsigned int shutdowns;
	struct domain *shutdown_d;
	unsigned int shutdown_reason;

	unsigned int upcalls; /* arch_vcpu_mark_events_pending */
	struct vcpu *upcall_v;

	unsigned int global_virqs; /* evtchn_send_global_virq */
	struct domain *virq_d;
	unsigned int virq;

	unsigned int pending_checks; /* evtchn_port_poll */
	struct domain *pending_d;

	unsigned int gnttab_maps, gnttab_unmaps; /* ..._shared_frame */
	struct domain *gnttab_d;
	unsigned long gnttab_idx;
	xen_pfn_t gnttab_gfn;

	unsigned int evtchn_ops, gnttab_ops; /* do_*_op */
	unsigned int op_cmd, op_count;
	uint64_t op_arg;

	unsigned int p2m_maps, p2m_unmaps;
	struct domain *p2m_d;
	uint64_t p2m_ipa, p2m_pa, p2m_nr;
	enum p2m_type p2m_type;

	unsigned int page_gets, page_puts; /* domain_mem_get/put_page */
	uint64_t page_pa;		   /* the last page named */

	unsigned int console_writes; /* console_write_guest */
	size_t console_len;	     /* bytes written in all */
	char console[4096];	     /* the first of them */
};
extern struct fake_record fake_rec;

/* How the fakes answer; fake_reset restores the defaults in brackets. */
struct fake_controls {
	unsigned int ipa_bits;	/* p2m_ipa_bits() [40] */
	uint64_t max_pfn;	/* bootmem_max_pfn() [0x8ffff] */
	int p2m_map_ret;	/* p2m_map fails with it if non-zero [0] */
	int gnttab_map_ret;	/* gnttab_map_shared_frame [0] */
	int gnttab_unmap_ret;	/* gnttab_unmap_shared_frame [-ENOENT] */
	uint64_t pending_ports; /* bit n: port n is pending [0] */
	unsigned int
		valid_ports; /* evtchn_port_poll: -EINVAL at and past [1024] */
	bool has_work;	     /* vcpu_block wakes at once [false] */
	long evtchn_op_ret;  /* do_event_channel_op [0] */
	long gnttab_op_ret;  /* do_grant_table_op [0] */
	int get_page_ret;    /* domain_mem_get_page fails with it [-EINVAL] */
};
extern struct fake_controls fake_ctl;

#endif /* TESTS_UNIT_FAKE_GUEST_H */
