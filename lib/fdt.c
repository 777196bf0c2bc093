// SPDX-License-Identifier: MIT
/*
 * Read-only flattened device tree parser.
 *
 * Layout (Devicetree Specification v0.4, chapter 5): a 40-byte header of
 * big-endian u32 fields, then the memory reservation map (16-byte
 * address/size pairs ended by a zero pair), the structure block (a stream of
 * 4-byte aligned tokens) and the strings block (property names). Only
 * version 16 and later are accepted, which dropped the older path-named
 * nodes and 8-byte aligned property values.
 */
#include <orchid/fdt.h>
#include <orchid/string.h>

enum {
	FDT_BEGIN_NODE = 1,
	FDT_END_NODE = 2,
	FDT_PROP = 3,
	FDT_NOP = 4,
	FDT_END = 9,
};

/* Byte offsets of the header fields. */
enum {
	HDR_MAGIC = 0,
	HDR_TOTALSIZE = 4,
	HDR_OFF_STRUCT = 8,
	HDR_OFF_STRINGS = 12,
	HDR_OFF_RSVMAP = 16,
	HDR_VERSION = 20,
	HDR_LAST_COMP = 24,
	HDR_SIZE_STRINGS = 32,
	HDR_SIZE_STRUCT = 36, /* version 17 only */
	HDR_SIZE = 40,
};

enum {
	FDT_FIRST_VERSION = 16,
	FDT_LAST_COMP_VERSION = 17,
	FDT_RSV_ENTRY_SIZE = 16,
	FDT_PROP_HDR_SIZE = 12, /* token, length, name offset */
	FDT_MAX_CELLS = 4,
};

static const uint32_t fdt_magic = 0xd00dfeed;

/* The blob need not be aligned in memory: read it a byte at a time. */
static inline uint32_t fdt_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static inline uint64_t fdt_be64(const uint8_t *p)
{
	return (uint64_t)fdt_be32(p) << 32 | fdt_be32(p + 4);
}

static inline uint32_t fdt_align4(uint32_t v)
{
	return (v + 3) & ~3u;
}

static inline const uint8_t *fdt_struct_ptr(const struct fdt *fdt, int off)
{
	return fdt->blob + fdt->off_struct + (uint32_t)off;
}

static const char *const fdt_errors[] = {
	[0] = "success",
	[-FDT_ERR_NOTFOUND] = "not found",
	[-FDT_ERR_BADOFFSET] = "offset is not a node or property",
	[-FDT_ERR_BADPATH] = "malformed path",
	[-FDT_ERR_NOSPACE] = "buffer too small",
	[-FDT_ERR_BADCELLS] = "#address-cells or #size-cells unsupported",
	[-FDT_ERR_BADREG] = "reg length not a multiple of its entry size",
	[-FDT_ERR_TRUNCATED] = "truncated: buffer smaller than the header",
	[-FDT_ERR_BADMAGIC] = "bad magic",
	[-FDT_ERR_BADVERSION] = "unsupported version",
	[-FDT_ERR_BADTOTALSIZE] = "bad header: totalsize out of range",
	[-FDT_ERR_PASTBUFFER] =
		"truncated: totalsize past the end of the buffer",
	[-FDT_ERR_ALIGNMENT] = "misaligned block offset or size",
	[-FDT_ERR_STRUCTRANGE] = "truncated: structure block past totalsize",
	[-FDT_ERR_STRINGSRANGE] = "truncated: strings block past totalsize",
	[-FDT_ERR_RSVMAPRANGE] = "truncated: memory reservation map not "
				 "terminated inside totalsize",
	[-FDT_ERR_OVERLAP] = "blocks overlap each other or the header",
	[-FDT_ERR_BADTOKEN] = "bad token in structure block",
	[-FDT_ERR_BADNAME] = "node name empty, with '/', or not terminated "
			     "inside the structure block",
	[-FDT_ERR_BADPROP] =
		"property value past the end of the structure block",
	[-FDT_ERR_BADSTROFF] = "property name offset outside the strings block",
	[-FDT_ERR_BADSTRING] =
		"property name not terminated inside the strings block",
	[-FDT_ERR_DEPTH] = "nodes nested too deeply",
	[-FDT_ERR_UNBALANCED] = "unbalanced FDT_BEGIN_NODE/FDT_END_NODE",
	[-FDT_ERR_NOROOT] = "no root node",
	[-FDT_ERR_MULTIROOT] = "more than one root node",
	[-FDT_ERR_NOEND] = "truncated: no FDT_END in the structure block",
	[-FDT_ERR_PROPORDER] = "property outside a node or after a subnode",
};

const char *fdt_strerror(int err)
{
	if (err > 0 || err < FDT_ERR_LAST || !fdt_errors[-err])
		return "unknown error";
	return fdt_errors[-err];
}

size_t fdt_total_size(const void *blob)
{
	const uint8_t *p = blob;

	if (fdt_be32(p + HDR_MAGIC) != fdt_magic)
		return 0;
	return fdt_be32(p + HDR_TOTALSIZE);
}

/* Bytes a node's name and padding take, or an error; @avail bytes remain. */
static int fdt_name_size(const uint8_t *name, uint32_t avail)
{
	uint32_t len = strnlen((const char *)name, avail);

	if (len == avail || fdt_align4(len + 1) > avail)
		return FDT_ERR_BADNAME;
	return (int)fdt_align4(len + 1);
}

/* Bytes a property's length, name offset, value and padding take. */
static int fdt_prop_size(const uint8_t *hdr, uint32_t avail)
{
	uint32_t len;

	if (avail < FDT_PROP_HDR_SIZE - 4)
		return FDT_ERR_BADPROP;
	len = fdt_be32(hdr);
	avail -= FDT_PROP_HDR_SIZE - 4;
	if (len > avail || fdt_align4(len) > avail)
		return FDT_ERR_BADPROP;
	return FDT_PROP_HDR_SIZE - 4 + (int)fdt_align4(len);
}

/*
 * The tag at @off and, in *@next, the offset of the tag after it. Every byte
 * the tag covers (a node's name and padding, a property's header, value and
 * padding) must lie inside the structure block. This is the one place that
 * reads the structure block, so every walk stays inside it whatever offset
 * a caller passes; @next is always beyond @off, so every walk ends.
 */
static int fdt_next_tag(const struct fdt *fdt, int off, int *next)
{
	const uint8_t *p;
	uint32_t avail, tag;
	int body;

	if (off < 0 || (off & 3) || fdt->size_struct < 4 ||
	    (uint32_t)off > fdt->size_struct - 4)
		return FDT_ERR_BADOFFSET;
	p = fdt_struct_ptr(fdt, off);
	avail = fdt->size_struct - (uint32_t)off - 4; /* bytes after the tag */
	tag = fdt_be32(p);

	if (tag == FDT_BEGIN_NODE)
		body = fdt_name_size(p + 4, avail);
	else if (tag == FDT_PROP)
		body = fdt_prop_size(p + 4, avail);
	else if (tag == FDT_END_NODE || tag == FDT_NOP || tag == FDT_END)
		body = 0;
	else
		body = FDT_ERR_BADTOKEN;
	if (body < 0)
		return body;
	*next = off + 4 + body;
	return (int)tag;
}

/* The first tag at or after @off that is not a NOP: its offset, or an error. */
static int fdt_skip_nops(const struct fdt *fdt, int off, int *tag)
{
	int next;

	for (;;) {
		*tag = fdt_next_tag(fdt, off, &next);
		if (*tag < 0)
			return *tag;
		if (*tag != FDT_NOP)
			return off;
		off = next;
	}
}

/* Check that @node is a FDT_BEGIN_NODE; *@body is the offset after it. */
static int fdt_check_node(const struct fdt *fdt, int node, int *body)
{
	if (fdt_next_tag(fdt, node, body) != FDT_BEGIN_NODE)
		return FDT_ERR_BADOFFSET;
	return 0;
}

/* A name in the strings block, or NULL if it is not one. */
static const char *fdt_string(const struct fdt *fdt, uint32_t nameoff)
{
	const char *s;
	uint32_t avail;

	if (nameoff >= fdt->size_strings)
		return NULL;
	s = (const char *)fdt->blob + fdt->off_strings + nameoff;
	avail = fdt->size_strings - nameoff;
	if (strnlen(s, avail) == avail)
		return NULL;
	return s;
}

/* ---- validation ----------------------------------------------------------- */

static int fdt_check_header(struct fdt *fdt, const uint8_t *p, size_t max_size)
{
	uint32_t version, last_comp, totalsize;

	if (!p || max_size < 4)
		return FDT_ERR_TRUNCATED;
	if (fdt_be32(p + HDR_MAGIC) != fdt_magic)
		return FDT_ERR_BADMAGIC;
	if (max_size < HDR_SIZE)
		return FDT_ERR_TRUNCATED;

	version = fdt_be32(p + HDR_VERSION);
	last_comp = fdt_be32(p + HDR_LAST_COMP);
	if (version < FDT_FIRST_VERSION || last_comp > FDT_LAST_COMP_VERSION ||
	    last_comp > version)
		return FDT_ERR_BADVERSION;

	/* Offsets are ints, so a blob must stay below 2 GiB. */
	totalsize = fdt_be32(p + HDR_TOTALSIZE);
	if (totalsize < HDR_SIZE || totalsize > INT32_MAX)
		return FDT_ERR_BADTOTALSIZE;
	if (totalsize > max_size)
		return FDT_ERR_PASTBUFFER;

	fdt->blob = p;
	fdt->size = totalsize;
	fdt->off_struct = fdt_be32(p + HDR_OFF_STRUCT);
	fdt->off_strings = fdt_be32(p + HDR_OFF_STRINGS);
	fdt->size_strings = fdt_be32(p + HDR_SIZE_STRINGS);
	fdt->off_rsvmap = fdt_be32(p + HDR_OFF_RSVMAP);
	return 0;
}

static bool fdt_block_fits(const struct fdt *fdt, uint32_t off, uint32_t size)
{
	return off <= fdt->size && size <= fdt->size - off;
}

/*
 * Bounds and alignment of the structure and strings blocks. Version 16 has
 * no size_dt_struct: the block runs to totalsize until the walk finds its
 * FDT_END.
 */
static int fdt_check_blocks(struct fdt *fdt, uint32_t version)
{
	const uint8_t *p = fdt->blob;

	if ((fdt->off_struct & 3) || (fdt->off_rsvmap & 7))
		return FDT_ERR_ALIGNMENT;
	if (!fdt_block_fits(fdt, fdt->off_struct, 0))
		return FDT_ERR_STRUCTRANGE;
	if (version >= 17)
		fdt->size_struct = fdt_be32(p + HDR_SIZE_STRUCT);
	else
		fdt->size_struct = (fdt->size - fdt->off_struct) & ~3u;
	if (fdt->size_struct & 3)
		return FDT_ERR_ALIGNMENT;
	if (!fdt_block_fits(fdt, fdt->off_struct, fdt->size_struct))
		return FDT_ERR_STRUCTRANGE;
	if (!fdt_block_fits(fdt, fdt->off_strings, fdt->size_strings))
		return FDT_ERR_STRINGSRANGE;
	return 0;
}

/* The reservation map has no size field: it must end inside the blob. */
static int fdt_check_rsvmap(struct fdt *fdt)
{
	uint32_t off = fdt->off_rsvmap;
	uint32_t n = 0;

	for (;;) {
		const uint8_t *e = fdt->blob + off;

		if (!fdt_block_fits(fdt, off, FDT_RSV_ENTRY_SIZE))
			return FDT_ERR_RSVMAPRANGE;
		if (fdt_be64(e) == 0 && fdt_be64(e + 8) == 0)
			break;
		off += FDT_RSV_ENTRY_SIZE;
		n++;
	}
	fdt->nr_rsv = n;
	return 0;
}

static bool fdt_ranges_overlap(uint32_t a, uint32_t a_size, uint32_t b,
			       uint32_t b_size)
{
	if (!a_size || !b_size)
		return false;
	return (uint64_t)a < (uint64_t)b + b_size &&
	       (uint64_t)b < (uint64_t)a + a_size;
}

static int fdt_check_overlaps(const struct fdt *fdt)
{
	uint32_t rsv_size = (fdt->nr_rsv + 1) * FDT_RSV_ENTRY_SIZE;
	uint32_t start[4] = {0, fdt->off_rsvmap, fdt->off_struct,
			     fdt->off_strings};
	uint32_t size[4] = {HDR_SIZE, rsv_size, fdt->size_struct,
			    fdt->size_strings};
	unsigned int i, j;

	for (i = 0; i < 4; i++)
		for (j = i + 1; j < 4; j++)
			if (fdt_ranges_overlap(start[i], size[i], start[j],
					       size[j]))
				return FDT_ERR_OVERLAP;
	return 0;
}

/* Where the structure walk stands. */
struct fdt_walk {
	int depth;
	bool have_root;
	bool after_child; /* the open node already had a subnode */
};

static int fdt_walk_begin(struct fdt *fdt, struct fdt_walk *w, int off)
{
	const char *name = (const char *)fdt_struct_ptr(fdt, off + 4);

	if (w->depth == 0) {
		if (w->have_root)
			return FDT_ERR_MULTIROOT;
		w->have_root = true;
		fdt->root = off;
	} else if (name[0] == '\0' || strchr(name, '/')) {
		/* A path could not name it. */
		return FDT_ERR_BADNAME;
	}
	if (++w->depth > FDT_MAX_DEPTH)
		return FDT_ERR_DEPTH;
	w->after_child = false;
	return 0;
}

/* Properties precede subnodes, so lookups can stop at the first subnode. */
static int fdt_walk_prop(const struct fdt *fdt, const struct fdt_walk *w,
			 int off)
{
	uint32_t nameoff = fdt_be32(fdt_struct_ptr(fdt, off + 8));

	if (w->depth == 0 || w->after_child)
		return FDT_ERR_PROPORDER;
	if (nameoff >= fdt->size_strings)
		return FDT_ERR_BADSTROFF;
	if (!fdt_string(fdt, nameoff))
		return FDT_ERR_BADSTRING;
	return 0;
}

/*
 * Walk every token once. Returns the offset just past FDT_END, which for
 * version 16 is the real size of the structure block.
 */
static int fdt_check_structure(struct fdt *fdt)
{
	struct fdt_walk w = {0};
	int off = 0, next, tag, err = 0;

	for (;; off = next) {
		tag = fdt_next_tag(fdt, off, &next);
		switch (tag) {
		case FDT_BEGIN_NODE: err = fdt_walk_begin(fdt, &w, off); break;
		case FDT_PROP: err = fdt_walk_prop(fdt, &w, off); break;
		case FDT_END_NODE:
			if (w.depth == 0)
				return FDT_ERR_UNBALANCED;
			w.depth--;
			w.after_child = true;
			break;
		case FDT_NOP: break;
		case FDT_END:
			if (w.depth)
				return FDT_ERR_UNBALANCED;
			return w.have_root ? next : FDT_ERR_NOROOT;
		case FDT_ERR_BADOFFSET:
			/* No room left for a token. */
			return FDT_ERR_NOEND;
		default: return tag;
		}
		if (err)
			return err;
	}
}

static int fdt_check(struct fdt *fdt, const void *blob, size_t max_size)
{
	uint32_t version;
	int err, end;

	err = fdt_check_header(fdt, blob, max_size);
	if (err)
		return err;
	version = fdt_be32(fdt->blob + HDR_VERSION);
	err = fdt_check_blocks(fdt, version);
	if (err)
		return err;
	err = fdt_check_rsvmap(fdt);
	if (err)
		return err;
	if (version >= 17) {
		err = fdt_check_overlaps(fdt);
		if (err)
			return err;
	}
	end = fdt_check_structure(fdt);
	if (end < 0)
		return end;
	if (version < 17) {
		fdt->size_struct = (uint32_t)end;
		return fdt_check_overlaps(fdt);
	}
	return 0;
}

int fdt_init(struct fdt *fdt, const void *blob, size_t max_size)
{
	int err;

	memset(fdt, 0, sizeof(*fdt));
	err = fdt_check(fdt, blob, max_size);
	/* A rejected blob leaves an empty tree: every accessor fails. */
	if (err)
		memset(fdt, 0, sizeof(*fdt));
	return err;
}

/* ---- navigation ------------------------------------------------------------ */

int fdt_root(const struct fdt *fdt)
{
	int body;

	if (fdt_check_node(fdt, fdt->root, &body))
		return FDT_ERR_BADOFFSET;
	return fdt->root;
}

int fdt_first_child(const struct fdt *fdt, int node)
{
	int off, tag, next;

	if (fdt_check_node(fdt, node, &off))
		return FDT_ERR_BADOFFSET;
	for (;;) {
		off = fdt_skip_nops(fdt, off, &tag);
		if (tag == FDT_BEGIN_NODE)
			return off;
		if (tag != FDT_PROP)
			return tag < 0 ? tag : FDT_ERR_NOTFOUND;
		fdt_next_tag(fdt, off, &next);
		off = next;
	}
}

/* The offset just past @node's FDT_END_NODE. */
static int fdt_skip_subtree(const struct fdt *fdt, int node)
{
	int off = node, next, tag, depth = 0;

	for (;; off = next) {
		tag = fdt_next_tag(fdt, off, &next);
		if (tag < 0)
			return tag;
		if (tag == FDT_BEGIN_NODE) {
			depth++;
		} else if (tag == FDT_END_NODE) {
			if (--depth == 0)
				return next;
		} else if (tag == FDT_END) {
			return FDT_ERR_BADOFFSET;
		}
	}
}

int fdt_next_sibling(const struct fdt *fdt, int node)
{
	int off, tag;

	if (fdt_check_node(fdt, node, &off))
		return FDT_ERR_BADOFFSET;
	off = fdt_skip_subtree(fdt, node);
	if (off < 0)
		return off;
	off = fdt_skip_nops(fdt, off, &tag);
	if (tag == FDT_BEGIN_NODE)
		return off;
	return tag < 0 ? tag : FDT_ERR_NOTFOUND;
}

int fdt_next_node(const struct fdt *fdt, int node, int *depth)
{
	int off, next, tag;

	if (node < 0) {
		node = fdt_root(fdt);
		if (node >= 0 && depth)
			(*depth)++;
		return node;
	}
	if (fdt_check_node(fdt, node, &off))
		return FDT_ERR_BADOFFSET;
	for (;; off = next) {
		tag = fdt_next_tag(fdt, off, &next);
		if (tag < 0)
			return tag;
		if (tag == FDT_BEGIN_NODE) {
			if (depth)
				(*depth)++;
			return off;
		}
		if (tag == FDT_END_NODE && depth)
			(*depth)--;
		if (tag == FDT_END)
			return FDT_ERR_NOTFOUND;
	}
}

/*
 * Depth of @node (the root is 0), with the offsets of its ancestors in
 * @stack[0..depth). Found by walking from the root: nodes do not record
 * their parent.
 */
static int fdt_ancestors(const struct fdt *fdt, int node,
			 int stack[FDT_MAX_DEPTH])
{
	int off, next, tag, depth = 0;

	if (fdt_check_node(fdt, node, &off))
		return FDT_ERR_BADOFFSET;
	for (off = fdt->root; off <= node; off = next) {
		tag = fdt_next_tag(fdt, off, &next);
		if (tag < 0)
			return tag;
		if (tag == FDT_BEGIN_NODE) {
			if (off == node)
				return depth;
			if (depth >= FDT_MAX_DEPTH)
				return FDT_ERR_DEPTH;
			stack[depth++] = off;
		} else if (tag == FDT_END_NODE) {
			if (depth == 0)
				return FDT_ERR_BADOFFSET;
			depth--;
		} else if (tag == FDT_END) {
			break;
		}
	}
	/* @node lies inside a property or name, or before the root. */
	return FDT_ERR_BADOFFSET;
}

int fdt_parent(const struct fdt *fdt, int node)
{
	int stack[FDT_MAX_DEPTH];
	int depth = fdt_ancestors(fdt, node, stack);

	if (depth < 0)
		return depth;
	if (depth == 0)
		return FDT_ERR_NOTFOUND;
	return stack[depth - 1];
}

const char *fdt_get_name(const struct fdt *fdt, int node, size_t *base_len)
{
	const char *name;
	size_t i;
	int body;

	if (fdt_check_node(fdt, node, &body))
		return NULL;
	name = (const char *)fdt_struct_ptr(fdt, node + 4);
	if (base_len) {
		for (i = 0; name[i] && name[i] != '@'; i++)
			;
		*base_len = i;
	}
	return name;
}

static bool fdt_has_at(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] == '@')
			return true;
	return false;
}

enum fdt_name_match {
	FDT_NAME_DIFFERS,
	FDT_NAME_BASE, /* "name" against "name@unit" */
	FDT_NAME_EXACT,
};

static enum fdt_name_match fdt_name_match(const char *node_name,
					  const char *name, size_t len)
{
	if (strnlen(node_name, len + 1) < len)
		return FDT_NAME_DIFFERS;
	if (memcmp(node_name, name, len) != 0)
		return FDT_NAME_DIFFERS;
	if (node_name[len] == '\0')
		return FDT_NAME_EXACT;
	if (node_name[len] == '@' && !fdt_has_at(name, len))
		return FDT_NAME_BASE;
	return FDT_NAME_DIFFERS;
}

/*
 * An exact name wins; otherwise the first child whose name without unit
 * address matches, so "/cpus/cpu" finds cpu@0 yet "/a/foo" still finds
 * "foo" after a "foo@1".
 */
int fdt_subnode(const struct fdt *fdt, int parent, const char *name, size_t len)
{
	int child, base = FDT_ERR_NOTFOUND;
	enum fdt_name_match m;

	for (child = fdt_first_child(fdt, parent); child >= 0;
	     child = fdt_next_sibling(fdt, child)) {
		m = fdt_name_match(fdt_get_name(fdt, child, NULL), name, len);
		if (m == FDT_NAME_EXACT)
			return child;
		if (m == FDT_NAME_BASE && base < 0)
			base = child;
	}
	return child == FDT_ERR_NOTFOUND ? base : child;
}

/* Follow the components of @path[0..@len) down from @node. */
static int fdt_walk_path(const struct fdt *fdt, int node, const char *path,
			 size_t len)
{
	size_t i = 0, start;

	while (i < len && node >= 0) {
		if (path[i] == '/') {
			i++;
			continue;
		}
		for (start = i; i < len && path[i] != '/'; i++)
			;
		node = fdt_subnode(fdt, node, path + start, i - start);
	}
	return node;
}

static const void *fdt_getprop_namelen(const struct fdt *fdt, int node,
				       const char *name, size_t name_len,
				       uint32_t *len)
{
	const char *pname;
	const void *val;
	int prop;

	for (prop = fdt_first_prop(fdt, node); prop >= 0;
	     prop = fdt_next_prop(fdt, prop)) {
		val = fdt_prop_value(fdt, prop, &pname, len);
		if (val && strlen(pname) == name_len &&
		    memcmp(pname, name, name_len) == 0)
			return val;
	}
	return NULL;
}

/* An alias names an absolute path; aliases of aliases are not followed. */
static int fdt_resolve_alias(const struct fdt *fdt, const char *name,
			     size_t len)
{
	const char *target;
	uint32_t tlen;
	int aliases;

	aliases = fdt_subnode(fdt, fdt_root(fdt), "aliases", 7);
	if (aliases < 0)
		return aliases;
	target = fdt_getprop_namelen(fdt, aliases, name, len, &tlen);
	if (!target)
		return FDT_ERR_NOTFOUND;
	if (tlen < 2 || target[tlen - 1] != '\0' || target[0] != '/')
		return FDT_ERR_BADPATH;
	return fdt_walk_path(fdt, fdt_root(fdt), target, strlen(target));
}

int fdt_path_offset_len(const struct fdt *fdt, const char *path, size_t len)
{
	size_t alias_len;
	int node;

	if (!path || len == 0)
		return FDT_ERR_BADPATH;
	if (path[0] == '/')
		return fdt_walk_path(fdt, fdt_root(fdt), path, len);

	for (alias_len = 0; alias_len < len && path[alias_len] != '/';
	     alias_len++)
		;
	node = fdt_resolve_alias(fdt, path, alias_len);
	if (node < 0)
		return node;
	return fdt_walk_path(fdt, node, path + alias_len, len - alias_len);
}

int fdt_path_offset(const struct fdt *fdt, const char *path)
{
	if (!path)
		return FDT_ERR_BADPATH;
	return fdt_path_offset_len(fdt, path, strlen(path));
}

static bool fdt_append(char *buf, size_t size, size_t *pos, const char *s,
		       size_t len)
{
	if (len >= size - *pos)
		return false;
	memcpy(buf + *pos, s, len);
	*pos += len;
	buf[*pos] = '\0';
	return true;
}

int fdt_get_path(const struct fdt *fdt, int node, char *buf, size_t size)
{
	int stack[FDT_MAX_DEPTH];
	int depth, i, n;
	size_t pos = 0;
	const char *name;

	if (!buf || size == 0)
		return FDT_ERR_NOSPACE;
	buf[0] = '\0';
	depth = fdt_ancestors(fdt, node, stack);
	if (depth < 0)
		return depth;
	if (depth == 0)
		return fdt_append(buf, size, &pos, "/", 1) ? 0
							   : FDT_ERR_NOSPACE;

	/* stack[0] is the root, which adds no name of its own. */
	for (i = 1; i <= depth; i++) {
		n = i == depth ? node : stack[i];
		name = fdt_get_name(fdt, n, NULL);
		if (!fdt_append(buf, size, &pos, "/", 1) ||
		    !fdt_append(buf, size, &pos, name, strlen(name))) {
			buf[0] = '\0';
			return FDT_ERR_NOSPACE;
		}
	}
	return 0;
}

/* ---- properties -------------------------------------------------------------- */

int fdt_first_prop(const struct fdt *fdt, int node)
{
	int off, tag;

	if (fdt_check_node(fdt, node, &off))
		return FDT_ERR_BADOFFSET;
	off = fdt_skip_nops(fdt, off, &tag);
	if (tag == FDT_PROP)
		return off;
	return tag < 0 ? tag : FDT_ERR_NOTFOUND;
}

int fdt_next_prop(const struct fdt *fdt, int prop)
{
	int off, tag;

	if (fdt_next_tag(fdt, prop, &off) != FDT_PROP)
		return FDT_ERR_BADOFFSET;
	off = fdt_skip_nops(fdt, off, &tag);
	if (tag == FDT_PROP)
		return off;
	return tag < 0 ? tag : FDT_ERR_NOTFOUND;
}

const void *fdt_prop_value(const struct fdt *fdt, int prop, const char **name,
			   uint32_t *len)
{
	const uint8_t *p;
	const char *pname;
	int next;

	if (fdt_next_tag(fdt, prop, &next) != FDT_PROP)
		return NULL;
	p = fdt_struct_ptr(fdt, prop);
	pname = fdt_string(fdt, fdt_be32(p + 8));
	if (!pname)
		return NULL;
	if (name)
		*name = pname;
	if (len)
		*len = fdt_be32(p + 4);
	return p + FDT_PROP_HDR_SIZE;
}

const void *fdt_getprop(const struct fdt *fdt, int node, const char *name,
			uint32_t *len)
{
	uint32_t plen;
	const void *val;

	if (!name)
		return NULL;
	val = fdt_getprop_namelen(fdt, node, name, strlen(name), &plen);
	if (val && len)
		*len = plen;
	return val;
}

const char *fdt_getprop_string(const struct fdt *fdt, int node,
			       const char *name)
{
	const char *s;
	uint32_t len;

	s = fdt_getprop(fdt, node, name, &len);
	if (!s || len == 0 || s[len - 1] != '\0')
		return NULL;
	return s;
}

bool fdt_getprop_u32(const struct fdt *fdt, int node, const char *name,
		     uint32_t *val)
{
	const void *p;
	uint32_t len;

	p = fdt_getprop(fdt, node, name, &len);
	if (!p || len != 4)
		return false;
	*val = (uint32_t)fdt_read_cells(p, 1);
	return true;
}

/* The @idx-th string of @list[0..@len), or NULL; unterminated ones end it. */
static const char *fdt_stringlist_at(const char *list, uint32_t len,
				     unsigned int idx)
{
	size_t l;

	while (len > 0) {
		l = strnlen(list, len);
		if (l == len)
			return NULL;
		if (idx-- == 0)
			return list;
		list += l + 1;
		len -= (uint32_t)l + 1;
	}
	return NULL;
}

const char *fdt_stringlist_get(const struct fdt *fdt, int node,
			       const char *name, unsigned int idx)
{
	const char *list;
	uint32_t len;

	list = fdt_getprop(fdt, node, name, &len);
	if (!list)
		return NULL;
	return fdt_stringlist_at(list, len, idx);
}

bool fdt_stringlist_contains(const char *list, uint32_t len, const char *str)
{
	const char *s;
	unsigned int i;

	if (!list || !str)
		return false;
	for (i = 0; (s = fdt_stringlist_at(list, len, i)); i++)
		if (strcmp(s, str) == 0)
			return true;
	return false;
}

bool fdt_node_is_compatible(const struct fdt *fdt, int node, const char *compat)
{
	const char *list;
	uint32_t len;

	list = fdt_getprop(fdt, node, "compatible", &len);
	return list && fdt_stringlist_contains(list, len, compat);
}

int fdt_find_compatible(const struct fdt *fdt, int from, const char *compat)
{
	int node;

	for (node = fdt_next_node(fdt, from, NULL); node >= 0;
	     node = fdt_next_node(fdt, node, NULL))
		if (fdt_node_is_compatible(fdt, node, compat))
			return node;
	return node;
}

bool fdt_node_is_available(const struct fdt *fdt, int node)
{
	const char *status = fdt_getprop_string(fdt, node, "status");

	return !status || strcmp(status, "okay") == 0 ||
	       strcmp(status, "ok") == 0;
}

/* ---- addresses ----------------------------------------------------------------- */

uint64_t fdt_read_cells(const void *p, unsigned int cells)
{
	if (cells == 1)
		return fdt_be32(p);
	if (cells == 2)
		return fdt_be64(p);
	return 0;
}

static int fdt_cells(const struct fdt *fdt, int node, const char *name,
		     int dflt)
{
	uint32_t val;
	int body;

	if (fdt_check_node(fdt, node, &body))
		return FDT_ERR_BADOFFSET;
	if (!fdt_getprop(fdt, node, name, NULL))
		return dflt;
	if (!fdt_getprop_u32(fdt, node, name, &val) || val > FDT_MAX_CELLS)
		return FDT_ERR_BADCELLS;
	return (int)val;
}

int fdt_address_cells(const struct fdt *fdt, int node)
{
	return fdt_cells(fdt, node, "#address-cells", 2);
}

int fdt_size_cells(const struct fdt *fdt, int node)
{
	return fdt_cells(fdt, node, "#size-cells", 1);
}

int fdt_reg_cells(const struct fdt *fdt, int node, unsigned int *addr_cells,
		  unsigned int *size_cells)
{
	int parent = fdt_parent(fdt, node);
	int ac, sc;

	if (parent < 0)
		return parent;
	ac = fdt_address_cells(fdt, parent);
	if (ac < 0)
		return ac;
	sc = fdt_size_cells(fdt, parent);
	if (sc < 0)
		return sc;
	*addr_cells = (unsigned int)ac;
	*size_cells = (unsigned int)sc;
	return 0;
}

/* @node's "reg", its cells and its number of entries. */
struct fdt_reg {
	const uint8_t *val;
	unsigned int ac, sc;
	uint32_t count;
};

static int fdt_reg_lookup(const struct fdt *fdt, int node, struct fdt_reg *r)
{
	uint32_t len, stride;
	int err;

	err = fdt_reg_cells(fdt, node, &r->ac, &r->sc);
	if (err)
		return err;
	if (r->ac < 1 || r->ac > 2 || r->sc > 2)
		return FDT_ERR_BADCELLS;
	r->val = fdt_getprop(fdt, node, "reg", &len);
	if (!r->val)
		return FDT_ERR_NOTFOUND;
	stride = (r->ac + r->sc) * 4;
	if (len % stride)
		return FDT_ERR_BADREG;
	r->count = len / stride;
	return 0;
}

int fdt_reg_count(const struct fdt *fdt, int node)
{
	struct fdt_reg r;
	int err = fdt_reg_lookup(fdt, node, &r);

	return err ? err : (int)r.count;
}

int fdt_get_reg(const struct fdt *fdt, int node, unsigned int idx,
		uint64_t *addr, uint64_t *size)
{
	const uint8_t *e;
	struct fdt_reg r;
	int err;

	err = fdt_reg_lookup(fdt, node, &r);
	if (err)
		return err;
	if (idx >= r.count)
		return FDT_ERR_NOTFOUND;
	e = r.val + idx * (r.ac + r.sc) * 4;
	if (addr)
		*addr = fdt_read_cells(e, r.ac);
	if (size)
		*size = fdt_read_cells(e + r.ac * 4, r.sc);
	return 0;
}

/* ---- memory reservation map ------------------------------------------------- */

unsigned int fdt_num_mem_rsv(const struct fdt *fdt)
{
	return fdt->nr_rsv;
}

int fdt_get_mem_rsv(const struct fdt *fdt, unsigned int idx, uint64_t *addr,
		    uint64_t *size)
{
	const uint8_t *e;

	if (idx >= fdt->nr_rsv)
		return FDT_ERR_NOTFOUND;
	e = fdt->blob + fdt->off_rsvmap + idx * FDT_RSV_ENTRY_SIZE;
	if (addr)
		*addr = fdt_be64(e);
	if (size)
		*size = fdt_be64(e + 8);
	return 0;
}

int fdt_node_by_phandle(const struct fdt *fdt, uint32_t phandle)
{
	uint32_t v;

	if (phandle == 0 || phandle == ~0U)
		return FDT_ERR_NOTFOUND;
	for (int n = fdt_next_node(fdt, -1, NULL); n >= 0;
	     n = fdt_next_node(fdt, n, NULL))
		if ((fdt_getprop_u32(fdt, n, "phandle", &v) ||
		     fdt_getprop_u32(fdt, n, "linux,phandle", &v)) &&
		    v == phandle)
			return n;
	return FDT_ERR_NOTFOUND;
}
