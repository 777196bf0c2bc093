/* SPDX-License-Identifier: MIT */
/*
 * Linux's /dev/xen/evtchn (xen-evtchn.ko) from user space, for the guest
 * programs that use it (tests/guest/evtchn_selftest.c,
 * bench/evtchn_pingpong.c): the ioctl ABI as Linux 6.1
 * include/uapi/xen/evtchn.h defines it (type 'E', no direction bits,
 * size = the argument struct), and thin wrappers that return -1 with
 * errno set, leaving each program to report a failure its own way.
 */
#ifndef GUEST_EVTCHN_DEV_H
#define GUEST_EVTCHN_DEV_H

#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <unistd.h>

struct evtchn_bind_interdomain_arg {
	unsigned int remote_domain;
	unsigned int remote_port;
};

struct evtchn_bind_unbound_port_arg {
	unsigned int remote_domain;
};

struct evtchn_port_arg {
	unsigned int port;
};

#define EVTCHN_IOCTL(nr, type) _IOC(_IOC_NONE, 'E', (nr), sizeof(type))
#define IOCTL_EVTCHN_BIND_INTERDOMAIN                                          \
	EVTCHN_IOCTL(1, struct evtchn_bind_interdomain_arg)
#define IOCTL_EVTCHN_BIND_UNBOUND_PORT                                         \
	EVTCHN_IOCTL(2, struct evtchn_bind_unbound_port_arg)
#define IOCTL_EVTCHN_UNBIND EVTCHN_IOCTL(3, struct evtchn_port_arg)
#define IOCTL_EVTCHN_NOTIFY EVTCHN_IOCTL(4, struct evtchn_port_arg)

/* Read from the descriptor: an array of these, one per pending port. */
typedef uint32_t evtchn_port_t;

static inline int evtchn_dev_open(void)
{
	return open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);
}

/* A new local port that @remote_domain may bind to (alloc_unbound). */
static inline int evtchn_dev_bind_unbound(int fd, unsigned int remote_domain)
{
	struct evtchn_bind_unbound_port_arg arg = {
		.remote_domain = remote_domain,
	};

	return ioctl(fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &arg);
}

/* A new local port bound to @remote_port of @remote_domain. */
static inline int evtchn_dev_bind_interdomain(int fd,
					      unsigned int remote_domain,
					      unsigned int remote_port)
{
	struct evtchn_bind_interdomain_arg arg = {
		.remote_domain = remote_domain,
		.remote_port = remote_port,
	};

	return ioctl(fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &arg);
}

static inline int evtchn_dev_unbind(int fd, unsigned int port)
{
	struct evtchn_port_arg arg = {.port = port};

	return ioctl(fd, IOCTL_EVTCHN_UNBIND, &arg) < 0 ? -1 : 0;
}

static inline int evtchn_dev_notify(int fd, unsigned int port)
{
	struct evtchn_port_arg arg = {.port = port};

	return ioctl(fd, IOCTL_EVTCHN_NOTIFY, &arg) < 0 ? -1 : 0;
}

/* A port read from the descriptor is masked until it is written back. */
static inline int evtchn_dev_unmask(int fd, evtchn_port_t port)
{
	return write(fd, &port, sizeof(port)) == sizeof(port) ? 0 : -1;
}

/*
 * Wait up to @timeout_ms (-1: for ever) for an event and read one pending
 * port into *@port. 1: it came; 0: nothing came; -1: the call *@what names
 * ("poll" or "read") failed.
 */
static inline int evtchn_dev_wait(int fd, int timeout_ms, evtchn_port_t *port,
				  const char **what)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	int r = poll(&pfd, 1, timeout_ms);

	if (r <= 0) {
		*what = "poll";
		return r < 0 ? -1 : 0;
	}
	if (read(fd, port, sizeof(*port)) != sizeof(*port)) {
		*what = "read";
		return -1;
	}
	return 1;
}

#endif /* GUEST_EVTCHN_DEV_H */
