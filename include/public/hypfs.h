/* SPDX-License-Identifier: MIT */
/*
 * hypfs_op (Xen 4.17 xen/include/public/hypfs.h): a small read-mostly file
 * system of the hypervisor's build and parameters, read by `xenhypfs`.
 *
 *   hypfs_op(cmd, path, path_len, buffer, buffer_len)
 *
 * path is a NUL-terminated absolute path, path_len counts the NUL. A read
 * fills the buffer with a struct xen_hypfs_direntry followed by the
 * content; a directory's content is a list of xen_hypfs_dirlistentry.
 */
#ifndef XEN_PUBLIC_HYPFS_H
#define XEN_PUBLIC_HYPFS_H

#include <public/xen.h>

#define XEN_HYPFS_VERSION 1

#define XEN_HYPFS_OP_get_version    0
#define XEN_HYPFS_OP_read	    1
#define XEN_HYPFS_OP_write_contents 2

#define XEN_HYPFS_MAX_PATHLEN 1024

struct xen_hypfs_direntry {
	uint8_t type;
#define XEN_HYPFS_TYPE_DIR    0
#define XEN_HYPFS_TYPE_BLOB   1
#define XEN_HYPFS_TYPE_STRING 2
#define XEN_HYPFS_TYPE_UINT   3
#define XEN_HYPFS_TYPE_INT    4
#define XEN_HYPFS_TYPE_BOOL   5
	uint8_t encoding;
#define XEN_HYPFS_ENC_PLAIN 0
#define XEN_HYPFS_ENC_GZIP  1
	uint16_t pad;		/* 0 */
	uint32_t content_len;	/* bytes of content now */
	uint32_t max_write_len; /* 0: read-only */
};

struct xen_hypfs_dirlistentry {
	struct xen_hypfs_direntry e;
	/* Bytes from this entry to the next one; 0 for the last. */
	uint16_t off_next;
	/* NUL-terminated, padded to the direntry's alignment. */
	char name[];
};

_Static_assert(sizeof(struct xen_hypfs_direntry) == 12, "hypfs direntry");
_Static_assert(__builtin_offsetof(struct xen_hypfs_dirlistentry, name) == 14,
	       "hypfs dirlistentry.name");

#endif /* XEN_PUBLIC_HYPFS_H */
