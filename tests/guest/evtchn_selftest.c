/* SPDX-License-Identifier: MIT */
/*
 * evtchn_selftest: Dom0 user space proves that event channels work end to
 * end, through Linux's /dev/xen/evtchn (xen-evtchn.ko) and the hypervisor.
 *
 * One descriptor gets both ends of a loopback channel:
 *   port a = BIND_UNBOUND_PORT(remote_domain 0)    EVTCHNOP_alloc_unbound
 *   port b = BIND_INTERDOMAIN(domain 0, port a)    EVTCHNOP_bind_interdomain
 * Xen marks the new local port b pending when it binds it (a notification
 * sent to the unbound port before the bind would otherwise be lost), so
 * that first event is read and acknowledged. Then, in both directions:
 * NOTIFY one end (EVTCHNOP_send), poll() the descriptor and read() the
 * port that fired, which must be the other end; writing the port back
 * re-enables (unmasks) it. Both ends are unbound at the end
 * (EVTCHNOP_close).
 *
 * Prints "EVTCHN-SELFTEST PASS ..." and exits 0, or prints
 * "EVTCHN-SELFTEST FAIL <why>" and exits 1.
 *
 * Build: aarch64-linux-gnu-gcc -O2 -static -o evtchn_selftest evtchn_selftest.c
 * Usage: evtchn_selftest [timeout_ms]   (default 5000 per notification)
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evtchn_dev.h"

#define SELF_DOMID 0 /* Dom0 talks to itself */

static int fail(const char *what)
{
	printf("EVTCHN-SELFTEST FAIL %s: %s\n", what, strerror(errno));
	return 1;
}

/*
 * Notify port `from` and expect exactly port `to` to come out of `fd`
 * within timeout_ms; then write it back so the channel is unmasked.
 */
static int evtchn_ping(int fd, unsigned int from, unsigned int to,
		       int timeout_ms)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	evtchn_port_t got[8];
	ssize_t n;
	int r;

	if (evtchn_dev_notify(fd, from))
		return fail("IOCTL_EVTCHN_NOTIFY");
	r = poll(&pfd, 1, timeout_ms);
	if (r < 0)
		return fail("poll");
	if (r == 0) {
		printf("EVTCHN-SELFTEST FAIL no event on port %u within %d ms "
		       "after notifying port %u\n",
		       to, timeout_ms, from);
		return 1;
	}
	n = read(fd, got, sizeof(got));
	if (n < 0)
		return fail("read");
	if (n != sizeof(evtchn_port_t) || got[0] != to) {
		printf("EVTCHN-SELFTEST FAIL read %zd bytes, first port %u, "
		       "expected port %u\n",
		       n, n >= 4 ? got[0] : 0, to);
		return 1;
	}
	if (evtchn_dev_unmask(fd, got[0]))
		return fail("write (unmask)");
	printf("evtchn: notify %u -> event on %u\n", from, to);
	return 0;
}

/*
 * The event bind_interdomain raises on the local port: read it if it comes
 * within timeout_ms. Returns 0 when it came, 1 when nothing came, -1 (after
 * printing FAIL) on an error or an event on another port.
 */
static int evtchn_drain_bind_event(int fd, unsigned int port, int timeout_ms)
{
	evtchn_port_t got;
	const char *what;
	int r;

	r = evtchn_dev_wait(fd, timeout_ms, &got, &what);
	if (r < 0)
		return -fail(what);
	if (r == 0)
		return 1;
	if (got != port) {
		printf("EVTCHN-SELFTEST FAIL event on port %u right after "
		       "binding port %u\n",
		       got, port);
		return -1;
	}
	if (evtchn_dev_unmask(fd, got))
		return -fail("write (unmask)");
	return 0;
}

int main(int argc, char **argv)
{
	int timeout_ms = argc > 1 ? atoi(argv[1]) : 5000;
	int fd, a, b, bind_event;

	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = evtchn_dev_open();
	if (fd < 0)
		return fail("open /dev/xen/evtchn");

	a = evtchn_dev_bind_unbound(fd, SELF_DOMID);
	if (a < 0)
		return fail("IOCTL_EVTCHN_BIND_UNBOUND_PORT");
	b = evtchn_dev_bind_interdomain(fd, SELF_DOMID, (unsigned int)a);
	if (b < 0)
		return fail("IOCTL_EVTCHN_BIND_INTERDOMAIN");
	bind_event = evtchn_drain_bind_event(fd, b, 1000);
	if (bind_event < 0)
		return 1;
	printf("evtchn: unbound port %d bound interdomain to local port %d "
	       "(%s)\n",
	       a, b,
	       bind_event
		       ? "no event on bind"
		       : "bind raised an event on the local port, as on Xen");

	if (evtchn_ping(fd, a, b, timeout_ms) ||
	    evtchn_ping(fd, b, a, timeout_ms))
		return 1;

	if (evtchn_dev_unbind(fd, (unsigned int)b) ||
	    evtchn_dev_unbind(fd, (unsigned int)a))
		return fail("IOCTL_EVTCHN_UNBIND");
	close(fd);
	printf("EVTCHN-SELFTEST PASS ports %d<->%d\n", a, b);
	return 0;
}
