/* SPDX-License-Identifier: MIT */
/*
 * A read-only flattened device tree (DTB) parser.
 *
 * fdt_init validates the whole blob once: header, block bounds, the memory
 * reservation map and every token of the structure block. The accessors
 * then rely on that, yet still bound every read by the blob, so a bad node
 * or property offset from a caller yields an error rather than a stray read.
 *
 * Nodes and properties are named by their byte offset in the structure
 * block (an int); a negative value is "none" or an error (enum fdt_error).
 * There is no heap, no global state and no unbounded recursion.
 */
#ifndef ORCHID_FDT_H
#define ORCHID_FDT_H

#include <orchid/types.h>

enum {
	/* Deepest nesting accepted, root at depth 1. */
	FDT_MAX_DEPTH = 32,
};

enum fdt_error {
	FDT_ERR_NOTFOUND = -1,
	FDT_ERR_BADOFFSET = -2,
	FDT_ERR_BADPATH = -3,
	FDT_ERR_NOSPACE = -4,
	FDT_ERR_BADCELLS = -5,
	FDT_ERR_BADREG = -6,
	/* Errors fdt_init reports for a malformed blob. */
	FDT_ERR_TRUNCATED = -7,
	FDT_ERR_BADMAGIC = -8,
	FDT_ERR_BADVERSION = -9,
	FDT_ERR_BADTOTALSIZE = -10,
	FDT_ERR_PASTBUFFER = -11,
	FDT_ERR_ALIGNMENT = -12,
	FDT_ERR_STRUCTRANGE = -13,
	FDT_ERR_STRINGSRANGE = -14,
	FDT_ERR_RSVMAPRANGE = -15,
	FDT_ERR_OVERLAP = -16,
	FDT_ERR_BADTOKEN = -17,
	FDT_ERR_BADNAME = -18,
	FDT_ERR_BADPROP = -19,
	FDT_ERR_BADSTROFF = -20,
	FDT_ERR_BADSTRING = -21,
	FDT_ERR_DEPTH = -22,
	FDT_ERR_UNBALANCED = -23,
	FDT_ERR_NOROOT = -24,
	FDT_ERR_MULTIROOT = -25,
	FDT_ERR_NOEND = -26,
	FDT_ERR_PROPORDER = -27,
	FDT_ERR_LAST = FDT_ERR_PROPORDER,
};

/* A validated device tree; filled by fdt_init, read-only afterwards. */
struct fdt {
	const uint8_t *blob;
	uint32_t size; /* header totalsize */
	uint32_t off_struct;
	uint32_t size_struct;
	uint32_t off_strings;
	uint32_t size_strings;
	uint32_t off_rsvmap;
	uint32_t nr_rsv; /* entries before the terminator */
	int root;	 /* offset of the root node */
};

/*
 * The header's totalsize if @blob starts with the FDT magic, else 0. Reads
 * only the first 8 bytes: early boot uses it to know how much to map.
 */
size_t fdt_total_size(const void *blob);

/* Validate @blob (at most @max_size bytes readable); 0 or an fdt_error. */
int fdt_init(struct fdt *fdt, const void *blob, size_t max_size);

/* A message for an fdt_error (or 0). */
const char *fdt_strerror(int err);

/* Navigation; every function returns a node offset or an fdt_error. */
int fdt_root(const struct fdt *fdt);
int fdt_first_child(const struct fdt *fdt, int node);
int fdt_next_sibling(const struct fdt *fdt, int node);
/* Computed by walking from the root; FDT_ERR_NOTFOUND for the root. */
int fdt_parent(const struct fdt *fdt, int node);
/*
 * The node after @node in depth-first order (@node < 0: the root). When
 * @depth is given it is moved by the levels entered and left, so a caller
 * walking a subtree stops once it drops to 0 or below.
 */
int fdt_next_node(const struct fdt *fdt, int node, int *depth);
/*
 * The child of @parent named by @name[0..@len): the one with exactly that
 * name, else, when @name has no '@', the first whose name without the unit
 * address matches ("cpu" finds "cpu@0").
 */
int fdt_subnode(const struct fdt *fdt, int parent, const char *name,
		size_t len);
/*
 * The node at an absolute @path ("/chosen"), or at an alias ("serial0",
 * "serial0/child") resolved through /aliases when @path has no leading '/'.
 */
int fdt_path_offset(const struct fdt *fdt, const char *path);
int fdt_path_offset_len(const struct fdt *fdt, const char *path, size_t len);

/*
 * The node's name with its unit address ("memory@40000000"; "" for the
 * root), or NULL for a bad offset. *@base_len, if given, receives the
 * length of the name without the unit address.
 */
const char *fdt_get_name(const struct fdt *fdt, int node, size_t *base_len);
/* The full path of @node into @buf, always terminated; 0 or an error. */
int fdt_get_path(const struct fdt *fdt, int node, char *buf, size_t size);

/* Properties: a pointer into the blob and the value's length, or NULL. */
const void *fdt_getprop(const struct fdt *fdt, int node, const char *name,
			uint32_t *len);
/* Property iteration by offset: first of @node, then the next one. */
int fdt_first_prop(const struct fdt *fdt, int node);
int fdt_next_prop(const struct fdt *fdt, int prop);
const void *fdt_prop_value(const struct fdt *fdt, int prop, const char **name,
			   uint32_t *len);
/* The value if it is a NUL-terminated string, else NULL. */
const char *fdt_getprop_string(const struct fdt *fdt, int node,
			       const char *name);
/* True, with *@val set, if the property is exactly one cell. */
bool fdt_getprop_u32(const struct fdt *fdt, int node, const char *name,
		     uint32_t *val);
/* The @idx-th string of a string-list property, or NULL. */
const char *fdt_stringlist_get(const struct fdt *fdt, int node,
			       const char *name, unsigned int idx);
bool fdt_stringlist_contains(const char *list, uint32_t len, const char *str);
bool fdt_node_is_compatible(const struct fdt *fdt, int node,
			    const char *compat);
/* The first node after @from (< 0: from the start) compatible with @compat. */
int fdt_find_compatible(const struct fdt *fdt, int from, const char *compat);
/* The node whose "phandle" (else "linux,phandle") is @phandle. */
int fdt_node_by_phandle(const struct fdt *fdt, uint32_t phandle);
/* No "status", or "okay"/"ok". */
bool fdt_node_is_available(const struct fdt *fdt, int node);

/* Big-endian cells at @p (any alignment): @cells is 0, 1 or 2. */
uint64_t fdt_read_cells(const void *p, unsigned int cells);

/*
 * #address-cells and #size-cells that @node gives its children (2 and 1
 * when absent); FDT_ERR_BADCELLS when malformed or above 4.
 */
int fdt_address_cells(const struct fdt *fdt, int node);
int fdt_size_cells(const struct fdt *fdt, int node);
/* The cells that apply to @node's own "reg": those of its parent. */
int fdt_reg_cells(const struct fdt *fdt, int node, unsigned int *addr_cells,
		  unsigned int *size_cells);
/*
 * Number of (address, size) entries in @node's "reg"; FDT_ERR_NOTFOUND
 * without one, FDT_ERR_BADREG when its length is not a whole number of
 * entries, FDT_ERR_BADCELLS when the cells are not 1-2 and 0-2.
 */
int fdt_reg_count(const struct fdt *fdt, int node);
/* The @idx-th entry of @node's "reg"; 0 or an error as above. */
int fdt_get_reg(const struct fdt *fdt, int node, unsigned int idx,
		uint64_t *addr, uint64_t *size);

/* The memory reservation map (/memreserve/), without its terminator. */
unsigned int fdt_num_mem_rsv(const struct fdt *fdt);
int fdt_get_mem_rsv(const struct fdt *fdt, unsigned int idx, uint64_t *addr,
		    uint64_t *size);

#endif /* ORCHID_FDT_H */
