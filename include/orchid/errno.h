/* SPDX-License-Identifier: MIT */
/*
 * Orchid's error numbers are the Xen ABI's, so a handler's negative return
 * goes to the guest as is.
 */
#ifndef ORCHID_ERRNO_H
#define ORCHID_ERRNO_H

#include <public/errno.h>

enum {
	EPERM = XEN_EPERM,
	ENOENT = XEN_ENOENT,
	ESRCH = XEN_ESRCH,
	EINTR = XEN_EINTR,
	EIO = XEN_EIO,
	E2BIG = XEN_E2BIG,
	EBADF = XEN_EBADF,
	EAGAIN = XEN_EAGAIN,
	ENOMEM = XEN_ENOMEM,
	EACCES = XEN_EACCES,
	EFAULT = XEN_EFAULT,
	EBUSY = XEN_EBUSY,
	EEXIST = XEN_EEXIST,
	ENODEV = XEN_ENODEV,
	EINVAL = XEN_EINVAL,
	ENOSPC = XEN_ENOSPC,
	ERANGE = XEN_ERANGE,
	ENOSYS = XEN_ENOSYS,
	EOPNOTSUPP = XEN_EOPNOTSUPP,
	ERESTART = XEN_ERESTART,
};

#endif /* ORCHID_ERRNO_H */
