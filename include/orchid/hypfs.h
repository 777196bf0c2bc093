/* SPDX-License-Identifier: MIT */
/*
 * hypfs: the tree XEN_HYPERCALL_hypfs_op serves (common/xen/hypfs.c walks
 * it, common/xen/hypfs_tree.c holds it). Nodes are static: a directory
 * lists its children sorted by name, as Xen keeps them; a leaf produces
 * its content when read and may take a write.
 */
#ifndef ORCHID_HYPFS_H
#define ORCHID_HYPFS_H

#include <orchid/types.h>

/* Bytes a leaf may format its content into (hypfs's lock held). */
#define HYPFS_SCRATCH 256

struct hypfs_node;

/* A leaf's content now: @len bytes at @p; a string's count its NUL. */
struct hypfs_content {
	const void *p;
	uint32_t len;
};

struct hypfs_node {
	const char *name;
	uint8_t type; /* XEN_HYPFS_TYPE_* */
	/* Directories. */
	const struct hypfs_node *children;
	unsigned int nr_children;
	/* Leaves: the content, formatted into @scratch when need be. */
	struct hypfs_content (*read)(const struct hypfs_node *n, char *scratch);
	/*
	 * Writable leaves: at most @max_write bytes, a NUL-terminated string
	 * (checked before the call, as Xen's hypfs_write_custom does).
	 */
	int (*write)(const struct hypfs_node *n, const char *s, uint32_t len);
	uint32_t max_write;
	/* For @read and @write: which value the node shows. */
	const void *data;
	unsigned int index;
};

/* The root directory "/" (hypfs_tree.c); built on first use. */
const struct hypfs_node *hypfs_root(void);

/* Exposed for the host unit test: the node @path names, or NULL. */
const struct hypfs_node *hypfs_lookup(const char *path);

#endif /* ORCHID_HYPFS_H */
