// SPDX-License-Identifier: MIT
/*
 * hypfs_op and XEN_SYSCTL_set_parameter with hostile arguments: the
 * control domain gets Xen 4.17's errno for each bad path, buffer and
 * value; a DomU gets -EPERM before any argument is looked at.
 */
#include "guest.h"
#include "xen.h"

static char buf[512];

static long hypfs(unsigned int cmd, const void *path, unsigned long len,
		  const void *out, unsigned long out_len)
{
	return hypercall(__HYPERVISOR_hypfs_op, cmd, (unsigned long)path, len,
			 (unsigned long)out, out_len);
}

/* A read of the NUL-terminated @path into buf. */
static long hypfs_read(const char *path, unsigned long len)
{
	return hypfs(XEN_HYPFS_OP_read, path, strlen(path) + 1, buf, len);
}

static long hypfs_write(const char *path, const char *v, unsigned long len)
{
	return hypfs(XEN_HYPFS_OP_write_contents, path, strlen(path) + 1, v,
		     len);
}

static int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static const struct xen_hypfs_direntry *entry(void)
{
	return (const struct xen_hypfs_direntry *)buf;
}

static void path_checks(void)
{
	static const char root[] = "/";

	check_eq("hypfs-version", hypfs(XEN_HYPFS_OP_get_version, 0, 0, 0, 0),
		 1);
	check_eq("hypfs-version-with-args",
		 hypfs(XEN_HYPFS_OP_get_version, root, 2, 0, 0), -XEN_EINVAL);
	check_eq("hypfs-path-len-0", hypfs(XEN_HYPFS_OP_read, root, 0, buf, 64),
		 -XEN_EINVAL);
	check_eq("hypfs-path-no-nul",
		 hypfs(XEN_HYPFS_OP_read, "/buildinfo", 3, buf, 64),
		 -XEN_EINVAL);
	check_eq("hypfs-path-nul-inside",
		 hypfs(XEN_HYPFS_OP_read, "/\0x", 4, buf, 64), -XEN_EINVAL);
	check_eq("hypfs-path-1025",
		 hypfs(XEN_HYPFS_OP_read, RW_PAGE, 1025, buf, 64), -XEN_EINVAL);
	check_eq("hypfs-path-huge",
		 hypfs(XEN_HYPFS_OP_read, RW_PAGE, ~0ul, buf, 64), -XEN_EINVAL);
	check_eq("hypfs-path-unmapped",
		 hypfs(XEN_HYPFS_OP_read, NOMAP_PAGE, 2, buf, 64), -XEN_EFAULT);
	check_eq("hypfs-path-missing", hypfs_read("/nonexistent", 64),
		 -XEN_ENOENT);
	check_eq("hypfs-path-relative", hypfs_read("buildinfo", 64),
		 -XEN_EINVAL);
	check_eq("hypfs-path-empty-component",
		 hypfs_read("/buildinfo//version", 64), -XEN_ENOENT);
	check_eq("hypfs-path-leaf-slash",
		 hypfs_read("/buildinfo/version/major/", 64), -XEN_ENOENT);
	check_eq("hypfs-dir-slash",
		 hypfs_read("/buildinfo/version/", sizeof(buf)), 0);
	check_eq("hypfs-unknown-cmd", hypfs(3, root, 2, buf, 64),
		 -XEN_EOPNOTSUPP);
	check_eq("hypfs-unknown-cmd-bad-path", hypfs(3, root, 0, buf, 64),
		 -XEN_EINVAL);
}

static void read_checks(void)
{
	const char *major = "/buildinfo/version/major";

	check_eq("hypfs-root", hypfs_read("/", sizeof(buf)), 0);
	check_eq("hypfs-root-type", entry()->type, XEN_HYPFS_TYPE_DIR);
	/* The first entry: header, off_next, then its name. */
	check_true("hypfs-root-first-buildinfo",
		   str_eq(buf + sizeof(struct xen_hypfs_direntry) + 14,
			  "buildinfo"),
		   buf + sizeof(struct xen_hypfs_direntry) + 14);
	check_eq("hypfs-read-len-11", hypfs_read(major, 11), -XEN_EINVAL);
	memset(buf, 0x55, sizeof(buf));
	check_eq("hypfs-read-len-12", hypfs_read(major, 12), -XEN_ENOBUFS);
	check_eq("hypfs-read-len-12-header", entry()->content_len, 4);
	check_eq("hypfs-read-len-12-type", entry()->type, XEN_HYPFS_TYPE_UINT);
	check_eq("hypfs-read-major", hypfs_read(major, 16), 0);
	check_eq("hypfs-read-major-value", *(uint32_t *)(buf + 12), 4);
	check_eq(
		"hypfs-read-major-ro",
		hypfs(XEN_HYPFS_OP_read, major, strlen(major) + 1, RO_PAGE, 16),
		-XEN_EFAULT);
	check_eq("hypfs-read-major-unmapped",
		 hypfs(XEN_HYPFS_OP_read, major, strlen(major) + 1, NOMAP_PAGE,
		       16),
		 -XEN_EFAULT);
	check_eq("hypfs-write-read-only", hypfs_write(major, "\4\0\0\0", 4),
		 -XEN_EACCES);
	check_eq("hypfs-write-dir", hypfs_write("/buildinfo", "x", 2),
		 -XEN_EACCES);
}

/* /params/loglvl: a runtime parameter, written and restored. */
static void write_checks(void)
{
	const char *lvl = "/params/loglvl";
	char old[64];

	if (hypfs_read(lvl, sizeof(buf)) != 0) {
		check_eq("hypfs-loglvl", hypfs_read(lvl, sizeof(buf)), 0);
		return;
	}
	check_eq("hypfs-loglvl-type", entry()->type, XEN_HYPFS_TYPE_STRING);
	snprintf(old, sizeof(old), "max_write_len %u content_len %u",
		 (unsigned int)entry()->max_write_len,
		 (unsigned int)entry()->content_len);
	check_true("hypfs-loglvl-writable", entry()->max_write_len > 0, old);
	snprintf(old, sizeof(old), "%s", buf + 12);
	/* Xen 4.17 checks a custom parameter's value against MAX_PARAM_SIZE
	 * (128), not the max_write_len it reports (16 for loglvl). */
	memset(RW_PAGE, 'x', 129);
	check_eq("hypfs-loglvl-17", hypfs_write(lvl, RW_PAGE, 17), -XEN_EDOM);
	check_eq("hypfs-loglvl-128", hypfs_write(lvl, RW_PAGE, 128), -XEN_EDOM);
	check_eq("hypfs-loglvl-129", hypfs_write(lvl, RW_PAGE, 129),
		 -XEN_ENOSPC);
	check_eq("hypfs-loglvl-4096", hypfs_write(lvl, RW_PAGE, 4096),
		 -XEN_ENOSPC);
	check_eq("hypfs-loglvl-no-nul", hypfs_write(lvl, "info", 4), -XEN_EDOM);
	check_eq("hypfs-loglvl-unmapped", hypfs_write(lvl, NOMAP_PAGE, 5),
		 -XEN_EFAULT);
	check_eq("hypfs-loglvl-bogus", hypfs_write(lvl, "bogus", 6),
		 -XEN_EINVAL);
	check_eq("hypfs-loglvl-info", hypfs_write(lvl, "info", 5), 0);
	hypfs_read(lvl, sizeof(buf));
	check_true("hypfs-loglvl-reads-info/info",
		   str_eq(buf + 12, "info/info"), buf + 12);
	check_eq("hypfs-loglvl-restore", hypfs_write(lvl, old, strlen(old) + 1),
		 0);
}

static long set_parameter(const char *text, unsigned long size, uint16_t pad)
{
	static struct xen_sysctl_set_parameter_op op;

	memset(&op, 0, sizeof(op));
	op.cmd = XEN_SYSCTL_set_parameter;
	op.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	op.params = (unsigned long)text;
	op.size = (uint16_t)size;
	op.pad[1] = pad;
	return HC1(__HYPERVISOR_sysctl, &op);
}

/*
 * XEN_SYSCTL_set_parameter (28) is gone from Xen 4.17 (xl set-parameters
 * writes hypfs instead): -ENOSYS for the control domain, whatever the
 * arguments; a DomU is refused (-EPERM) before the command is looked at.
 */
static void set_parameter_checks(void)
{
	check_eq("set_parameter-gone", set_parameter("loglvl=info", 11, 0),
		 DOM0_DOMU(-XEN_ENOSYS, -XEN_EPERM));
	check_eq("set_parameter-gone-bad-args",
		 set_parameter(NOMAP_PAGE, 1024, 1),
		 DOM0_DOMU(-XEN_ENOSYS, -XEN_EPERM));
}

void test_hypfs(void)
{
	set_parameter_checks();
	if (guest_is_domu) {
		/* Refused before the path is looked at. */
		check_eq("hypfs-domu-version",
			 hypfs(XEN_HYPFS_OP_get_version, 0, 0, 0, 0),
			 -XEN_EPERM);
		check_eq("hypfs-domu-read", hypfs_read("/", sizeof(buf)),
			 -XEN_EPERM);
		check_eq("hypfs-domu-bad-path",
			 hypfs(XEN_HYPFS_OP_read, NOMAP_PAGE, ~0ul, buf, 1),
			 -XEN_EPERM);
		return;
	}
	path_checks();
	read_checks();
	write_checks();
}
