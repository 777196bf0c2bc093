/* SPDX-License-Identifier: MIT */
/*
 * Grant tables (Xen 4.17 xen/include/public/grant_table.h): the shared
 * v1 entry format, the grant_table_op sub-ops and their argument
 * structures, and the per-operation GNTST_* status codes. Written for
 * Orchid from the ABI's facts; the layouts are the arm64 ones and are
 * checked below. Arm has no grant-table v2 (GNTTAB_MAX_VERSION 1), so its
 * entry format is left out.
 */
#ifndef XEN_PUBLIC_GRANT_TABLE_H
#define XEN_PUBLIC_GRANT_TABLE_H

#include <public/xen.h>

typedef uint32_t grant_ref_t;
typedef uint32_t grant_handle_t;
typedef uint16_t grant_status_t;

/* One v1 grant: written by the granting guest, read by Xen. */
struct grant_entry_v1 {
	uint16_t flags; /* GTF_* */
	domid_t domid;	/* the domain granted access */
	uint32_t frame; /* the granted GFN */
};

/* Entries the toolstack fills in before the guest boots. */
#define GNTTAB_NR_RESERVED_ENTRIES 8
#define GNTTAB_RESERVED_CONSOLE	   0
#define GNTTAB_RESERVED_XENSTORE   1

/* Type of a grant, flags bits 0-1. */
#define GTF_invalid	    (0U << 0)
#define GTF_permit_access   (1U << 0)
#define GTF_accept_transfer (2U << 0)
#define GTF_transitive	    (3U << 0)
#define GTF_type_mask	    (3U << 0)

/* GTF_permit_access sub-flags. */
#define _GTF_readonly 2
#define GTF_readonly  (1U << _GTF_readonly)
#define _GTF_reading  3
#define GTF_reading   (1U << _GTF_reading)
#define _GTF_writing  4
#define GTF_writing   (1U << _GTF_writing)
#define _GTF_PWT      5
#define GTF_PWT	      (1U << _GTF_PWT)
#define _GTF_PCD      6
#define GTF_PCD	      (1U << _GTF_PCD)
#define _GTF_PAT      7
#define GTF_PAT	      (1U << _GTF_PAT)
#define _GTF_sub_page 8
#define GTF_sub_page  (1U << _GTF_sub_page)

/* GTF_accept_transfer sub-flags. */
#define _GTF_transfer_committed 2
#define GTF_transfer_committed	(1U << _GTF_transfer_committed)
#define _GTF_transfer_completed 3
#define GTF_transfer_completed	(1U << _GTF_transfer_completed)

#define GNTTABOP_map_grant_ref	   0
#define GNTTABOP_unmap_grant_ref   1
#define GNTTABOP_setup_table	   2
#define GNTTABOP_dump_table	   3
#define GNTTABOP_transfer	   4
#define GNTTABOP_copy		   5
#define GNTTABOP_query_size	   6
#define GNTTABOP_unmap_and_replace 7
#define GNTTABOP_set_version	   8
#define GNTTABOP_get_status_frames 9
#define GNTTABOP_get_version	   10
#define GNTTABOP_swap_grant_ref	   11
#define GNTTABOP_cache_flush	   12

/* GNTTABOP_map_grant_ref flags. */
#define _GNTMAP_device_map	0
#define GNTMAP_device_map	(1U << _GNTMAP_device_map)
#define _GNTMAP_host_map	1
#define GNTMAP_host_map		(1U << _GNTMAP_host_map)
#define _GNTMAP_readonly	2
#define GNTMAP_readonly		(1U << _GNTMAP_readonly)
#define _GNTMAP_application_map 3
#define GNTMAP_application_map	(1U << _GNTMAP_application_map)
#define _GNTMAP_contains_pte	4
#define GNTMAP_contains_pte	(1U << _GNTMAP_contains_pte)
#define _GNTMAP_guest_avail0	16
#define GNTMAP_guest_avail_mask ((uint32_t)~0U << _GNTMAP_guest_avail0)

struct gnttab_map_grant_ref {
	uint64_t host_addr;    /* IN */
	uint32_t flags;	       /* IN: GNTMAP_* */
	grant_ref_t ref;       /* IN */
	domid_t dom;	       /* IN */
	int16_t status;	       /* OUT: GNTST_* */
	grant_handle_t handle; /* OUT */
	uint64_t dev_bus_addr; /* OUT */
};

struct gnttab_unmap_grant_ref {
	uint64_t host_addr;    /* IN */
	uint64_t dev_bus_addr; /* IN */
	grant_handle_t handle; /* IN */
	int16_t status;	       /* OUT: GNTST_* */
};

struct gnttab_setup_table {
	domid_t dom;				/* IN */
	uint32_t nr_frames;			/* IN */
	int16_t status;				/* OUT: GNTST_* */
	XEN_GUEST_HANDLE(xen_pfn_t) frame_list; /* OUT: nr_frames GFNs */
};

struct gnttab_dump_table {
	domid_t dom;	/* IN */
	int16_t status; /* OUT */
};

struct gnttab_transfer {
	xen_pfn_t mfn;	 /* IN */
	domid_t domid;	 /* IN */
	grant_ref_t ref; /* IN */
	int16_t status;	 /* OUT */
};

#define _GNTCOPY_source_gref 0
#define GNTCOPY_source_gref  (1U << _GNTCOPY_source_gref)
#define _GNTCOPY_dest_gref   1
#define GNTCOPY_dest_gref    (1U << _GNTCOPY_dest_gref)

struct gnttab_copy_ptr {
	union {
		grant_ref_t ref;
		xen_pfn_t gmfn;
	} u;
	domid_t domid;
	uint16_t offset;
};

struct gnttab_copy {
	struct gnttab_copy_ptr source, dest; /* IN */
	uint16_t len;			     /* IN */
	uint16_t flags;			     /* IN: GNTCOPY_* */
	int16_t status;			     /* OUT */
};

struct gnttab_query_size {
	domid_t dom;		/* IN */
	uint32_t nr_frames;	/* OUT */
	uint32_t max_nr_frames; /* OUT */
	int16_t status;		/* OUT: GNTST_* */
};

struct gnttab_unmap_and_replace {
	uint64_t host_addr;    /* IN */
	uint64_t new_addr;     /* IN */
	grant_handle_t handle; /* IN */
	int16_t status;	       /* OUT */
};

struct gnttab_set_version {
	uint32_t version; /* IN: wanted; OUT: in force */
};

struct gnttab_get_status_frames {
	uint32_t nr_frames;		       /* IN */
	domid_t dom;			       /* IN */
	int16_t status;			       /* OUT */
	XEN_GUEST_HANDLE(uint64_t) frame_list; /* OUT */
};

struct gnttab_get_version {
	domid_t dom; /* IN */
	uint16_t pad;
	uint32_t version; /* OUT */
};

struct gnttab_swap_grant_ref {
	grant_ref_t ref_a; /* IN */
	grant_ref_t ref_b; /* IN */
	int16_t status;	   /* OUT */
};

#define GNTTAB_CACHE_CLEAN	 (1U << 0)
#define GNTTAB_CACHE_INVAL	 (1U << 1)
#define GNTTAB_CACHE_SOURCE_GREF (1U << 31)

/* Clean and/or invalidate part of one page, by its machine address. */
struct gnttab_cache_flush {
	union {
		uint64_t dev_bus_addr;
		grant_ref_t ref;
	} a;
	uint16_t offset; /* within the page */
	uint16_t length; /* from @offset, within the page */
	uint32_t op;	 /* GNTTAB_CACHE_* */
};

#define GNTST_okay		0
#define GNTST_general_error	(-1)
#define GNTST_bad_domain	(-2)
#define GNTST_bad_gntref	(-3)
#define GNTST_bad_handle	(-4)
#define GNTST_bad_virt_addr	(-5)
#define GNTST_bad_dev_addr	(-6)
#define GNTST_no_device_space	(-7)
#define GNTST_permission_denied (-8)
#define GNTST_bad_page		(-9)
#define GNTST_bad_copy_arg	(-10)
#define GNTST_address_too_big	(-11)
#define GNTST_eagain		(-12)
#define GNTST_no_space		(-13)

_Static_assert(sizeof(struct grant_entry_v1) == 8, "grant_entry_v1");
_Static_assert(sizeof(struct gnttab_map_grant_ref) == 32, "map_grant_ref");
_Static_assert(offsetof(struct gnttab_map_grant_ref, status) == 18,
	       "map_grant_ref.status");
_Static_assert(sizeof(struct gnttab_unmap_grant_ref) == 24, "unmap_grant_ref");
_Static_assert(sizeof(struct gnttab_setup_table) == 24, "setup_table");
_Static_assert(offsetof(struct gnttab_setup_table, status) == 8,
	       "setup_table.status");
_Static_assert(sizeof(struct gnttab_transfer) == 24, "transfer");
_Static_assert(sizeof(struct gnttab_copy) == 40, "copy");
_Static_assert(offsetof(struct gnttab_copy, status) == 36, "copy.status");
_Static_assert(sizeof(struct gnttab_query_size) == 16, "query_size");
_Static_assert(sizeof(struct gnttab_unmap_and_replace) == 24,
	       "unmap_and_replace");
_Static_assert(sizeof(struct gnttab_get_status_frames) == 16,
	       "get_status_frames");
_Static_assert(sizeof(struct gnttab_get_version) == 8, "get_version");
_Static_assert(sizeof(struct gnttab_swap_grant_ref) == 12, "swap_grant_ref");
_Static_assert(sizeof(struct gnttab_cache_flush) == 16, "cache_flush");

#endif /* XEN_PUBLIC_GRANT_TABLE_H */
