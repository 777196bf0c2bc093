// SPDX-License-Identifier: MIT
/*
 * xen_version: who the guest runs on. Orchid answers as Xen 4.17 so that
 * guests and tools that check the version keep working.
 */
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/guest_access.h>
#include <orchid/hypercalls.h>
#include <orchid/setup.h>
#include <orchid/string.h>
#include <orchid/version.h>
#include <public/version.h>

/* Xen 4.17 on arm64 places itself at 2 MiB (XEN_VIRT_START). */
#define XEN_VIRT_START 0x00200000UL
#define DENIED	       "<denied>"

extern const char __build_id_start[], __build_id_end[];

/* Sub-ops any guest may use; the rest are for privileged domains only. */
static bool version_op_allowed(unsigned int cmd, const struct domain *d)
{
	switch (cmd) {
	case XENVER_version:
	case XENVER_platform_parameters:
	case XENVER_get_features:
	case XENVER_extraversion:
	case XENVER_compile_info:
	case XENVER_capabilities:
	case XENVER_changeset:
	case XENVER_pagesize:
	case XENVER_guest_handle: return true;
	default: return d->is_privileged;
	}
}

static uint32_t version_features(const struct domain *d)
{
	uint32_t f = (1U << XENFEAT_memory_op_vnode_supported) |
		     (1U << XENFEAT_writable_page_tables) |
		     (1U << XENFEAT_auto_translated_physmap) |
		     (1U << XENFEAT_ARM_SMCCC_supported);

	if (d->is_privileged)
		f |= 1U << XENFEAT_dom0;
	f |= 1U << (d->direct_mapped ? XENFEAT_direct_mapped
				     : XENFEAT_not_direct_mapped);
	return f;
}

static long copy_string(uint64_t arg, const char *s, size_t size)
{
	char buf[1024];

	if (size > sizeof(buf))
		size = sizeof(buf);
	memset(buf, 0, size);
	strlcpy(buf, s, size);
	return copy_to_guest(arg, buf, size) ? -EFAULT : 0;
}

static long version_features_op(const struct domain *d, uint64_t arg)
{
	struct xen_feature_info fi;

	if (copy_from_guest(&fi, arg, sizeof(fi)))
		return -EFAULT;
	if (fi.submap_idx != 0)
		return -EINVAL;
	fi.submap = version_features(d);
	return copy_to_guest(arg, &fi, sizeof(fi)) ? -EFAULT : 0;
}

/*
 * XENVER_extraversion, a function of its own (never inlined) so that the
 * live-patch example can replace it: `xl info` shows it as xen_extra.
 */
__attribute__((noinline)) long version_extraversion(uint64_t arg, bool deny)
{
	return copy_string(arg, deny ? DENIED : XEN_EXTRAVERSION,
			   sizeof(xen_extraversion_t));
}

/* The GNU build ID note's descriptor: type 3, name "GNU". */
bool xen_build_id(const uint8_t **id, uint32_t *len)
{
	const uint32_t *note = (const void *)__build_id_start;
	size_t size = (size_t)(__build_id_end - __build_id_start);
	uint32_t namesz, descsz;

	if (size < 16)
		return false;
	namesz = note[0];
	descsz = note[1];
	if (note[2] != 3 || namesz != 4 || 12 + 4 + (size_t)descsz > size)
		return false;
	*id = (const uint8_t *)(note + 4);
	*len = descsz;
	return true;
}

static long version_build_id(uint64_t arg)
{
	struct xen_build_id hdr;
	const uint8_t *id;
	uint32_t len;

	if (!xen_build_id(&id, &len))
		return -ENODATA;
	if (arg == 0)
		return len;
	if (copy_from_guest(&hdr, arg, sizeof(hdr)))
		return -EFAULT;
	if (hdr.len == 0)
		return -EINVAL;
	if (len > hdr.len)
		return -ENOBUFS;
	if (copy_to_guest(arg + sizeof(hdr), id, len))
		return -EFAULT;
	return len;
}

static long version_compile_info(uint64_t arg)
{
	struct xen_compile_info info;

	memset(&info, 0, sizeof(info));
	strlcpy(info.compiler, ORCHID_COMPILER, sizeof(info.compiler));
	strlcpy(info.compile_by, "orchid", sizeof(info.compile_by));
	strlcpy(info.compile_domain, "orchid", sizeof(info.compile_domain));
	strlcpy(info.compile_date, ORCHID_BUILD_DATE,
		sizeof(info.compile_date));
	return copy_to_guest(arg, &info, sizeof(info)) ? -EFAULT : 0;
}

long hc_xen_version(const uint64_t a[5])
{
	unsigned int cmd = (unsigned int)a[0];
	uint64_t arg = a[1];
	const struct domain *d;
	bool deny;

	/* Allowed to all, needs no domain: bench-micro's null hypercall. */
	if (cmd == XENVER_version)
		return (XEN_VERSION_MAJOR << 16) | XEN_VERSION_MINOR;
	d = current_domain();
	deny = !version_op_allowed(cmd, d);

	switch (cmd) {
	case XENVER_version:
		return (XEN_VERSION_MAJOR << 16) | XEN_VERSION_MINOR;
	case XENVER_extraversion: return version_extraversion(arg, deny);
	case XENVER_compile_info: return version_compile_info(arg);
	case XENVER_capabilities:
		return copy_string(arg, "xen-3.0-aarch64 ",
				   sizeof(xen_capabilities_info_t));
	case XENVER_changeset:
		return copy_string(arg, "Orchid " ORCHID_VERSION,
				   sizeof(xen_changeset_info_t));
	case XENVER_platform_parameters: {
		struct xen_platform_parameters p = {.virt_start =
							    XEN_VIRT_START};

		return copy_to_guest(arg, &p, sizeof(p)) ? -EFAULT : 0;
	}
	case XENVER_get_features: return version_features_op(d, arg);
	case XENVER_pagesize: return arg ? -EINVAL : (long)PAGE_SIZE;
	case XENVER_guest_handle:
		return copy_to_guest(arg, d->handle, sizeof(d->handle))
			       ? -EFAULT
			       : 0;
	case XENVER_commandline:
		/* Denied, Xen writes just its "<denied>" string. */
		return copy_string(arg, deny ? DENIED : boot_options.cmdline,
				   deny ? sizeof(DENIED)
					: sizeof(xen_commandline_t));
	case XENVER_build_id: return deny ? -EPERM : version_build_id(arg);
	default: return -ENOSYS;
	}
}
