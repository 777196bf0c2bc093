// SPDX-License-Identifier: MIT
/*
 * Sequential flattened device tree writer.
 *
 * While the blob is written, the buffer holds, from the bottom: room for the
 * 40-byte header, the memory reservation map, then the structure block as
 * it grows; the property names grow down from the top of the buffer. A
 * property's name offset is first stored as the distance from the top of
 * the buffer to its name, because the final strings block size is not known
 * yet; fdt_write_finish moves the names down behind the structure block and
 * rewrites those offsets. The structure block never moves, so a value's
 * position stays valid in the finished blob.
 */
#include <orchid/errno.h>
#include <orchid/fdt.h>
#include <orchid/fdt_write.h>
#include <orchid/string.h>

enum {
	FDTW_BEGIN_NODE = 1,
	FDTW_END_NODE = 2,
	FDTW_PROP = 3,
	FDTW_END = 9,
};

enum {
	FDTW_HDR_SIZE = 40,
	FDTW_RSV_SIZE = 16,
	FDTW_PROP_HDR = 12, /* token, value length, name offset */
	FDTW_VERSION = 17,
	FDTW_LAST_COMP = 16,
	FDTW_MAX_SIZE = 0x7fffffff,
};

static const uint32_t fdtw_magic = 0xd00dfeed;

static inline void fdtw_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline uint32_t fdtw_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static inline uint32_t fdtw_align4(uint32_t v)
{
	return (v + 3) & ~3u;
}

void *fdt_put_cells(void *p, unsigned int cells, uint64_t v)
{
	uint8_t *b = p;

	if (cells == 2) {
		fdtw_put32(b, (uint32_t)(v >> 32));
		b += 4;
	}
	fdtw_put32(b, (uint32_t)v);
	return b + 4;
}

/* Record the first error; every later call returns it. */
static int fdtw_fail(struct fdt_writer *w, int err)
{
	if (!w->err)
		w->err = err;
	return w->err;
}

/*
 * The sticky error, or -EINVAL for a call after fdt_write_finish: nothing
 * may follow a finished blob.
 */
static int fdtw_state(struct fdt_writer *w)
{
	if (!w->err && w->totalsize)
		fdtw_fail(w, -EINVAL);
	return w->err;
}

/* Bytes still free between the structure block and the names. */
static uint32_t fdtw_free(const struct fdt_writer *w)
{
	return w->size - w->strings - w->end;
}

/* Claim @len bytes at the end of the structure block, zeroed. */
static uint8_t *fdtw_claim(struct fdt_writer *w, uint32_t len)
{
	uint8_t *p;

	if (len > fdtw_free(w)) {
		fdtw_fail(w, -ENOSPC);
		return NULL;
	}
	p = w->buf + w->end;
	memset(p, 0, len);
	w->end += len;
	return p;
}

int fdt_write_init(struct fdt_writer *w, void *buf, size_t size)
{
	memset(w, 0, sizeof(*w));
	w->buf = buf;
	w->size = (uint32_t)min_u64(size, FDTW_MAX_SIZE);
	if (!buf || w->size < FDTW_HDR_SIZE)
		return fdtw_fail(w, -ENOSPC);
	w->end = FDTW_HDR_SIZE;
	return 0;
}

int fdt_write_add_mem_rsv(struct fdt_writer *w, uint64_t addr, uint64_t size)
{
	uint8_t *e;

	if (fdtw_state(w))
		return w->err;
	if (w->off_struct)
		return fdtw_fail(w, -EINVAL);
	/* A zero entry would end the map early. */
	if (size == 0)
		return fdtw_fail(w, -EINVAL);
	e = fdtw_claim(w, FDTW_RSV_SIZE);
	if (!e)
		return w->err;
	fdt_put_cells(e, 2, addr);
	fdt_put_cells(e + 8, 2, size);
	w->nr_rsv++;
	return 0;
}

/* The terminating zero entry, then the structure block starts. */
static int fdtw_start_struct(struct fdt_writer *w)
{
	if (!fdtw_claim(w, FDTW_RSV_SIZE))
		return w->err;
	w->off_struct = w->end;
	return 0;
}

static bool fdtw_name_ok(const struct fdt_writer *w, const char *name)
{
	if (!name)
		return false;
	if (w->depth == 0)
		return name[0] == '\0' && !w->root_done;
	return name[0] != '\0' && !strchr(name, '/');
}

int fdt_write_begin_node(struct fdt_writer *w, const char *name)
{
	uint32_t len;
	uint8_t *p;

	if (fdtw_state(w))
		return w->err;
	if (!fdtw_name_ok(w, name) || w->depth >= FDT_MAX_DEPTH)
		return fdtw_fail(w, -EINVAL);
	if (!w->off_struct && fdtw_start_struct(w))
		return w->err;

	len = (uint32_t)strnlen(name, FDTW_MAX_SIZE - 8);
	if (len >= fdtw_free(w))
		return fdtw_fail(w, -ENOSPC);
	p = fdtw_claim(w, 4 + fdtw_align4(len + 1));
	if (!p)
		return w->err;
	fdtw_put32(p, FDTW_BEGIN_NODE);
	memcpy(p + 4, name, len);

	w->depth++;
	w->had_child = false;
	w->node_props = w->end;
	return 0;
}

int fdt_write_end_node(struct fdt_writer *w)
{
	uint8_t *p;

	if (fdtw_state(w))
		return w->err;
	if (w->depth == 0)
		return fdtw_fail(w, -EINVAL);
	p = fdtw_claim(w, 4);
	if (!p)
		return w->err;
	fdtw_put32(p, FDTW_END_NODE);
	if (--w->depth == 0)
		w->root_done = true;
	/* The parent now has a subnode: no more properties for it. */
	w->had_child = true;
	return 0;
}

/*
 * The distance from the top of the buffer to @name[0..@len] (with its NUL)
 * among the names written so far, or 0. The search runs from the top, the
 * oldest names, so a name keeps the offset it got first even after a
 * longer name ending with it is added; properties of one node can then be
 * compared by offset.
 */
static uint32_t fdtw_find_string(const struct fdt_writer *w, const char *name,
				 uint32_t len)
{
	const uint8_t *block = w->buf + w->size - w->strings;
	uint32_t i;

	if (len + 1 > w->strings)
		return 0;
	for (i = w->strings - (len + 1) + 1; i-- > 0;)
		if (memcmp(block + i, name, len + 1) == 0)
			return w->strings - i;
	return 0;
}

/* The placeholder name offset of @name, adding it if it is new; 0: error. */
static uint32_t fdtw_add_string(struct fdt_writer *w, const char *name)
{
	uint32_t len = (uint32_t)strnlen(name, FDTW_MAX_SIZE - 8);
	uint32_t k = fdtw_find_string(w, name, len);

	if (k)
		return k;
	if (len + 1 > fdtw_free(w)) {
		fdtw_fail(w, -ENOSPC);
		return 0;
	}
	w->strings += len + 1;
	memcpy(w->buf + w->size - w->strings, name, len + 1);
	return w->strings;
}

/* True when the open node already has a property named by placeholder @k. */
static bool fdtw_has_prop(const struct fdt_writer *w, uint32_t k)
{
	uint32_t off = w->node_props;

	while (off < w->end) {
		const uint8_t *p = w->buf + off;

		if (fdtw_get32(p + 8) == k)
			return true;
		off += FDTW_PROP_HDR + fdtw_align4(fdtw_get32(p + 4));
	}
	return false;
}

int fdt_write_prop_space(struct fdt_writer *w, const char *name, uint32_t len,
			 void **val)
{
	uint32_t k;
	uint8_t *p;

	*val = NULL;
	if (fdtw_state(w))
		return w->err;
	if (!name || !name[0] || w->depth == 0 || w->had_child)
		return fdtw_fail(w, -EINVAL);
	/* Bound @len before aligning it, so that the sum cannot wrap. */
	if (len > fdtw_free(w))
		return fdtw_fail(w, -ENOSPC);
	k = fdtw_add_string(w, name);
	if (!k)
		return w->err;
	if (fdtw_has_prop(w, k))
		return fdtw_fail(w, -EEXIST);
	p = fdtw_claim(w, FDTW_PROP_HDR + fdtw_align4(len));
	if (!p)
		return w->err;
	fdtw_put32(p, FDTW_PROP);
	fdtw_put32(p + 4, len);
	fdtw_put32(p + 8, k);
	*val = p + FDTW_PROP_HDR;
	return 0;
}

int fdt_write_prop(struct fdt_writer *w, const char *name, const void *val,
		   uint32_t len)
{
	void *p;
	int err;

	if (len && !val)
		return fdtw_fail(w, -EINVAL);
	err = fdt_write_prop_space(w, name, len, &p);
	if (err)
		return err;
	if (len)
		memcpy(p, val, len);
	return 0;
}

int fdt_write_prop_empty(struct fdt_writer *w, const char *name)
{
	return fdt_write_prop(w, name, NULL, 0);
}

int fdt_write_prop_u32(struct fdt_writer *w, const char *name, uint32_t v)
{
	void *p;
	int err = fdt_write_prop_space(w, name, 4, &p);

	if (err)
		return err;
	fdt_put_cells(p, 1, v);
	return 0;
}

int fdt_write_prop_u64(struct fdt_writer *w, const char *name, uint64_t v)
{
	void *p;
	int err = fdt_write_prop_space(w, name, 8, &p);

	if (err)
		return err;
	fdt_put_cells(p, 2, v);
	return 0;
}

int fdt_write_prop_cells(struct fdt_writer *w, const char *name,
			 const uint32_t *cells, unsigned int n)
{
	unsigned int i;
	uint8_t *p;
	void *val;
	int err;

	if (n > FDTW_MAX_SIZE / 4)
		return fdtw_fail(w, -ENOSPC);
	err = fdt_write_prop_space(w, name, n * 4, &val);
	if (err)
		return err;
	p = val;
	for (i = 0; i < n; i++)
		p = fdt_put_cells(p, 1, cells[i]);
	return 0;
}

int fdt_write_prop_string(struct fdt_writer *w, const char *name, const char *s)
{
	if (!s)
		return fdtw_fail(w, -EINVAL);
	return fdt_write_prop(w, name, s,
			      (uint32_t)strnlen(s, FDTW_MAX_SIZE - 1) + 1);
}

int fdt_write_prop_strings(struct fdt_writer *w, const char *name,
			   const char *const *list, unsigned int n)
{
	uint64_t total = 0;
	unsigned int i;
	uint8_t *p;
	void *val;
	int err;

	for (i = 0; i < n; i++) {
		if (!list[i])
			return fdtw_fail(w, -EINVAL);
		total += strnlen(list[i], FDTW_MAX_SIZE) + 1;
	}
	if (total > FDTW_MAX_SIZE)
		return fdtw_fail(w, -ENOSPC);
	err = fdt_write_prop_space(w, name, (uint32_t)total, &val);
	if (err)
		return err;
	p = val;
	for (i = 0; i < n; i++) {
		size_t len = strlen(list[i]) + 1;

		memcpy(p, list[i], len);
		p += len;
	}
	return 0;
}

/*
 * Turn every placeholder name offset into an offset in the final strings
 * block of @strings bytes. The structure block is our own, so the walk
 * trusts its tokens.
 */
static void fdtw_fix_names(struct fdt_writer *w)
{
	uint32_t off = w->off_struct;

	for (;;) {
		uint8_t *p = w->buf + off;
		uint32_t tag = fdtw_get32(p);

		if (tag == FDTW_END)
			return;
		if (tag == FDTW_BEGIN_NODE) {
			off += 4 + fdtw_align4(strlen((char *)p + 4) + 1);
		} else if (tag == FDTW_PROP) {
			fdtw_put32(p + 8, w->strings - fdtw_get32(p + 8));
			off += FDTW_PROP_HDR + fdtw_align4(fdtw_get32(p + 4));
		} else {
			off += 4;
		}
	}
}

static void fdtw_write_header(struct fdt_writer *w)
{
	uint8_t *h = w->buf;
	uint32_t off_strings = w->end;

	fdtw_put32(h + 0, fdtw_magic);
	fdtw_put32(h + 4, w->totalsize);
	fdtw_put32(h + 8, w->off_struct);
	fdtw_put32(h + 12, off_strings);
	fdtw_put32(h + 16, FDTW_HDR_SIZE);
	fdtw_put32(h + 20, FDTW_VERSION);
	fdtw_put32(h + 24, FDTW_LAST_COMP);
	fdtw_put32(h + 28, 0); /* boot_cpuid_phys */
	fdtw_put32(h + 32, w->strings);
	fdtw_put32(h + 36, w->end - w->off_struct);
}

int fdt_write_finish(struct fdt_writer *w)
{
	uint8_t *p;

	if (fdtw_state(w))
		return w->err;
	if (!w->root_done || w->depth)
		return fdtw_fail(w, -EINVAL);
	p = fdtw_claim(w, 4);
	if (!p)
		return w->err;
	fdtw_put32(p, FDTW_END);
	fdtw_fix_names(w);

	memmove(w->buf + w->end, w->buf + w->size - w->strings, w->strings);
	w->totalsize = w->end + w->strings;
	fdtw_write_header(w);
	return 0;
}
