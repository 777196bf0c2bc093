// SPDX-License-Identifier: MIT
/*
 * hypfs_op: Xen 4.17's hypervisor file system (xen/common/hypfs.c), read
 * by `xenhypfs ls/cat/tree` and written by `xenhypfs write`. Only the
 * control domain may call it (-EPERM, Xen's XSM_PRIV). The errors follow
 * Xen's order: a path longer than XEN_HYPFS_MAX_PATHLEN or not ending in
 * its only NUL is -EINVAL, an unreadable one -EFAULT, a path naming
 * nothing -ENOENT, then the sub-op's own checks.
 */
#include <orchid/domain.h>
#include <orchid/domctl.h>
#include <orchid/errno.h>
#include <orchid/guest_access.h>
#include <orchid/hypercalls.h>
#include <orchid/hypfs.h>
#include <orchid/string.h>
#include <public/hypfs.h>

/* Xen's MAX_PARAM_SIZE: the longest value written to a parameter. */
#define HYPFS_WRITE_MAX 128

#define DIRENTRY_NAME_OFF offsetof(struct xen_hypfs_dirlistentry, name)

static spinlock_t hypfs_lock = SPINLOCK_INIT;
/* Both under hypfs_lock. */
static char hypfs_path[XEN_HYPFS_MAX_PATHLEN];
static char hypfs_scratch[HYPFS_SCRATCH];

/* Whether the @len bytes at @s end in their only NUL. */
static bool nul_is_last(const char *s, uint64_t len)
{
	for (uint64_t i = 0; i < len; i++) {
		if (!s[i])
			return i == len - 1;
	}
	return false;
}

/* A directory entry's bytes: header, name, NUL, padded to 4 as Xen does. */
static uint32_t dirent_size(const char *name)
{
	return DIRENTRY_NAME_OFF + align_up(strlen(name) + 1, 4);
}

static uint32_t node_size(const struct hypfs_node *n)
{
	uint32_t size = 0;

	if (n->type != XEN_HYPFS_TYPE_DIR)
		return n->read(n, hypfs_scratch).len;
	for (unsigned int i = 0; i < n->nr_children; i++)
		size += dirent_size(n->children[i].name);
	return size;
}

static const struct hypfs_node *child_named(const struct hypfs_node *dir,
					    const char *name, size_t len)
{
	for (unsigned int i = 0; i < dir->nr_children; i++) {
		const struct hypfs_node *c = &dir->children[i];

		if (strlen(c->name) == len && !strncmp(c->name, name, len))
			return &dir->children[i];
	}
	return NULL;
}

/*
 * As Xen's hypfs_get_entry: "/" is the root, a trailing '/' is allowed
 * after a directory only, an empty component ("//") names nothing.
 */
const struct hypfs_node *hypfs_lookup(const char *path)
{
	const struct hypfs_node *n = hypfs_root();

	if (path[0] != '/')
		return NULL;
	path++;
	for (;;) {
		const char *end;

		if (n->type != XEN_HYPFS_TYPE_DIR)
			return NULL;
		if (!*path)
			return n;
		end = path;
		while (*end && *end != '/')
			end++;
		n = child_named(n, path, (size_t)(end - path));
		if (!n || !*end)
			return n;
		path = end + 1;
	}
}

static int path_from_guest(uint64_t addr, uint64_t len)
{
	if (len > XEN_HYPFS_MAX_PATHLEN)
		return -EINVAL;
	if (copy_from_guest(hypfs_path, addr, len))
		return -EFAULT;
	if (!nul_is_last(hypfs_path, len))
		return -EINVAL;
	/* Xen 4.17 refuses a relative path here, before the lookup. */
	return hypfs_path[0] == '/' ? 0 : -EINVAL;
}

static int read_dir(const struct hypfs_node *dir, uint64_t buf)
{
	for (unsigned int i = 0; i < dir->nr_children; i++) {
		const struct hypfs_node *c = &dir->children[i];
		uint32_t size = dirent_size(c->name);
		struct xen_hypfs_dirlistentry de = {
			.e.type = c->type,
			.e.encoding = XEN_HYPFS_ENC_PLAIN,
			.e.content_len = node_size(c),
			.e.max_write_len = c->write ? c->max_write : 0,
			.off_next = i + 1 < dir->nr_children ? size : 0,
		};

		if (copy_to_guest(buf, &de, DIRENTRY_NAME_OFF) ||
		    copy_to_guest(buf + DIRENTRY_NAME_OFF, c->name,
				  strlen(c->name) + 1))
			return -EFAULT;
		buf += size;
	}
	return 0;
}

/* Xen's hypfs_read: the header whenever it fits, the content after it. */
static int hypfs_read(const struct hypfs_node *n, uint64_t buf, uint64_t len)
{
	struct xen_hypfs_direntry e = {
		.type = n->type,
		.encoding = XEN_HYPFS_ENC_PLAIN,
		.content_len = node_size(n),
		.max_write_len = n->write ? n->max_write : 0,
	};
	struct hypfs_content c;

	if (len < sizeof(e))
		return -EINVAL;
	if (copy_to_guest(buf, &e, sizeof(e)))
		return -EFAULT;
	if (len < (uint64_t)e.content_len + sizeof(e))
		return -ENOBUFS;
	if (n->type == XEN_HYPFS_TYPE_DIR)
		return read_dir(n, buf + sizeof(e));
	c = n->read(n, hypfs_scratch);
	return copy_to_guest(buf + sizeof(e), c.p, c.len) ? -EFAULT : 0;
}

/*
 * Xen's hypfs_write with hypfs_write_custom: every writable leaf is one.
 * As on Xen 4.17, a custom parameter takes values up to MAX_PARAM_SIZE
 * whatever max_write_len its entry reports (loglvl's 16).
 */
static int hypfs_write(const struct hypfs_node *n, uint64_t buf, uint64_t len)
{
	char value[HYPFS_WRITE_MAX];

	if (!n->write)
		return -EACCES;
	if (len > sizeof(value))
		return -ENOSPC;
	if (copy_from_guest(value, buf, len))
		return -EFAULT;
	if (!nul_is_last(value, len))
		return -EDOM;
	return n->write(n, value, (uint32_t)len);
}

static long hypfs_op_path(unsigned int cmd, const uint64_t a[5])
{
	const struct hypfs_node *n;
	int rc = path_from_guest(a[1], a[2]);

	if (rc)
		return rc;
	n = hypfs_lookup(hypfs_path);
	if (!n)
		return -ENOENT;
	switch (cmd) {
	case XEN_HYPFS_OP_read: return hypfs_read(n, a[3], a[4]);
	case XEN_HYPFS_OP_write_contents: return hypfs_write(n, a[3], a[4]);
	default: return -EOPNOTSUPP;
	}
}

long hc_hypfs_op(const uint64_t a[5])
{
	unsigned int cmd = (unsigned int)a[0];
	long rc;

	if (!current_domain()->is_privileged)
		return -EPERM;
	if (cmd == XEN_HYPFS_OP_get_version) {
		if (a[1] || a[2] || a[3] || a[4])
			return -EINVAL;
		return XEN_HYPFS_VERSION;
	}
	toolstack_lock(&hypfs_lock);
	rc = hypfs_op_path(cmd, a);
	spin_unlock(&hypfs_lock);
	return rc;
}
