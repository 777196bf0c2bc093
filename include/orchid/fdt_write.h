/* SPDX-License-Identifier: MIT */
/*
 * A sequential flattened device tree (DTB) writer into a caller's buffer.
 *
 * Nodes and properties are written in order, as they appear in the blob:
 * begin a node, write its properties, then its subnodes, end it. Memory
 * reservation entries come before the root node. fdt_write_finish writes
 * the header and puts the strings block, whose names are shared between
 * properties, after the structure block.
 *
 * Every write checks the space left and never touches a byte past the
 * buffer. The first error sticks: every later call returns it, so a caller
 * may check each call or only the last. The output is a version 17 DTB
 * (last compatible version 16) that fdt_init accepts.
 */
#ifndef ORCHID_FDT_WRITE_H
#define ORCHID_FDT_WRITE_H

#include <orchid/types.h>

/* State of one blob being written; opaque to callers. */
struct fdt_writer {
	uint8_t *buf;
	uint32_t size;	     /* usable bytes of buf */
	uint32_t off_struct; /* 0 until the root node begins */
	uint32_t end;	     /* first free byte after header/rsvmap/struct */
	uint32_t strings;    /* bytes of names, kept at the top of buf */
	uint32_t node_props; /* first property of the open node */
	uint32_t nr_rsv;
	uint32_t totalsize; /* set by fdt_write_finish */
	int depth;	    /* open nodes */
	int err;	    /* first error, 0 while all went well */
	bool root_done;
	bool had_child; /* the open node already has a subnode */
};

/*
 * Start a blob in @buf[0..@size). Sizes above 2 GiB are clamped: DTB
 * offsets are 32-bit and Orchid's parser takes blobs below 2 GiB.
 */
int fdt_write_init(struct fdt_writer *w, void *buf, size_t size);

/* A /memreserve/ entry; only before the root node begins. */
int fdt_write_add_mem_rsv(struct fdt_writer *w, uint64_t addr, uint64_t size);

/* The root is named ""; any other name is non-empty and has no '/'. */
int fdt_write_begin_node(struct fdt_writer *w, const char *name);
int fdt_write_end_node(struct fdt_writer *w);

/*
 * Properties of the open node, before its first subnode; a name already
 * written in this node is refused (-EEXIST).
 */
int fdt_write_prop(struct fdt_writer *w, const char *name, const void *val,
		   uint32_t len);
/*
 * Reserve a zeroed value of @len bytes and return where it lies in *@val,
 * for the caller to fill. It stays at the same place once the blob is
 * finished, so it may also be patched later.
 */
int fdt_write_prop_space(struct fdt_writer *w, const char *name, uint32_t len,
			 void **val);
int fdt_write_prop_empty(struct fdt_writer *w, const char *name);
int fdt_write_prop_u32(struct fdt_writer *w, const char *name, uint32_t v);
int fdt_write_prop_u64(struct fdt_writer *w, const char *name, uint64_t v);
int fdt_write_prop_cells(struct fdt_writer *w, const char *name,
			 const uint32_t *cells, unsigned int n);
int fdt_write_prop_string(struct fdt_writer *w, const char *name,
			  const char *s);
/* A string list: each string with its NUL, one after the other. */
int fdt_write_prop_strings(struct fdt_writer *w, const char *name,
			   const char *const *list, unsigned int n);

/*
 * Close the blob: FDT_END, the strings block, the header. The root node
 * must have been ended. Returns 0 or the sticky error.
 */
int fdt_write_finish(struct fdt_writer *w);

/* Bytes of the finished blob (its totalsize); 0 before finishing. */
static inline size_t fdt_write_size(const struct fdt_writer *w)
{
	return w->totalsize;
}

/*
 * Store @v as @cells big-endian cells (1 or 2; 1 keeps the low 32 bits)
 * at @p, which need not be aligned; returns the byte after them.
 */
void *fdt_put_cells(void *p, unsigned int cells, uint64_t v);

#endif /* ORCHID_FDT_WRITE_H */
