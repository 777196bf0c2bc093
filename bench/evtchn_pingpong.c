/* SPDX-License-Identifier: MIT */
/*
 * evtchn_pingpong: event-channel round trips between Dom0 and a DomU, from
 * user space on both sides through Linux's /dev/xen/evtchn.
 *
 * In the DomU:  evtchn_pingpong echo [KEY]
 *   allocates a port for Dom0 (IOCTL_EVTCHN_BIND_UNBOUND_PORT, remote 0:
 *   EVTCHNOP_alloc_unbound), publishes its number in xenstore at KEY
 *   (default "data/pingpong-port", relative to the DomU's home
 *   /local/domain/<domid>, where a guest may write) by talking the
 *   xenstore wire protocol to /dev/xen/xenbus, prints
 *   "PINGPONG-ECHO port=P", then answers every event with one back,
 *   forever.
 *
 * In Dom0:      evtchn_pingpong ping DOMID PORT [N]
 *   binds to the DomU's port (IOCTL_EVTCHN_BIND_INTERDOMAIN), then times
 *   N round trips (default 2000): notify (EVTCHNOP_send), poll() until the
 *   DomU's answer arrives, read and unmask it. Prints
 *   "PINGPONG n=N ns_per_round_trip=X round_trips_per_s=Y" (exit 0) or
 *   "PINGPONG FAIL <why>" (exit 1).
 *
 * Build: aarch64-linux-gnu-gcc -O2 -static -o evtchn_pingpong evtchn_pingpong.c
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../tests/guest/evtchn_dev.h"

/* Xen's xenstore wire protocol (io/xs_wire.h): a header, then the body. */
struct xsd_sockmsg {
	uint32_t type;
	uint32_t req_id;
	uint32_t tx_id;
	uint32_t len;
};
#define XS_WRITE 11
#define XS_ERROR 16

#define PING_TIMEOUT_MS 5000

static int fail(const char *what)
{
	printf("PINGPONG FAIL %s: %s\n", what, strerror(errno));
	return 1;
}

static uint64_t clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Wait for one event on `port`, then unmask it. 0, or 1 after a FAIL. */
static int evtchn_wait(int fd, unsigned int port, int timeout_ms)
{
	evtchn_port_t got;
	const char *what;
	int r;

	r = evtchn_dev_wait(fd, timeout_ms, &got, &what);
	if (r < 0)
		return fail(what);
	if (r == 0) {
		printf("PINGPONG FAIL no event on port %u within %d ms\n", port,
		       timeout_ms);
		return 1;
	}
	if (got != port) {
		printf("PINGPONG FAIL event on port %u, expected %u\n", got,
		       port);
		return 1;
	}
	if (evtchn_dev_unmask(fd, got))
		return fail("write (unmask)");
	return 0;
}

static int evtchn_notify(int fd, unsigned int port)
{
	return evtchn_dev_notify(fd, port) ? fail("notify") : 0;
}

/* XS_WRITE key=value through /dev/xen/xenbus. 0, or 1 after a FAIL. */
static int xenstore_write(const char *key, const char *value)
{
	char buf[512];
	struct xsd_sockmsg *msg = (struct xsd_sockmsg *)buf;
	size_t klen = strlen(key) + 1, vlen = strlen(value);
	ssize_t n;
	int fd;

	if (sizeof(*msg) + klen + vlen > sizeof(buf)) {
		printf("PINGPONG FAIL xenstore key too long\n");
		return 1;
	}
	fd = open("/dev/xen/xenbus", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return fail("open /dev/xen/xenbus");
	*msg = (struct xsd_sockmsg){
		.type = XS_WRITE, .req_id = 1, .len = (uint32_t)(klen + vlen)};
	memcpy(buf + sizeof(*msg), key, klen);
	memcpy(buf + sizeof(*msg) + klen, value, vlen);
	if (write(fd, buf, sizeof(*msg) + klen + vlen) < 0)
		return fail("xenstore write");
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < (ssize_t)sizeof(*msg))
		return fail("xenstore reply");
	buf[n] = 0;
	if (msg->type == XS_ERROR) {
		printf("PINGPONG FAIL xenstore write %s: %s\n", key,
		       buf + sizeof(*msg));
		return 1;
	}
	return 0;
}

static int echo(const char *key)
{
	char num[16];
	int fd, port;

	fd = evtchn_dev_open();
	if (fd < 0)
		return fail("open /dev/xen/evtchn");
	port = evtchn_dev_bind_unbound(fd, 0);
	if (port < 0)
		return fail("IOCTL_EVTCHN_BIND_UNBOUND_PORT");
	snprintf(num, sizeof(num), "%d", port);
	if (xenstore_write(key, num))
		return 1;
	printf("PINGPONG-ECHO port=%d key=%s\n", port, key);
	for (;;) {
		if (evtchn_wait(fd, (unsigned int)port, -1) ||
		    evtchn_notify(fd, (unsigned int)port))
			return 1;
	}
}

static int ping(unsigned int domid, unsigned int remote_port, long n)
{
	evtchn_port_t got;
	const char *what;
	uint64_t t0, t1;
	int fd, port;
	long i;

	fd = evtchn_dev_open();
	if (fd < 0)
		return fail("open /dev/xen/evtchn");
	port = evtchn_dev_bind_interdomain(fd, domid, remote_port);
	if (port < 0)
		return fail("IOCTL_EVTCHN_BIND_INTERDOMAIN");
	/* Xen raises the new local port once on bind: drain it if it came. */
	if (evtchn_dev_wait(fd, 200, &got, &what) == 1 &&
	    evtchn_dev_unmask(fd, got))
		return fail("write (unmask)");
	/* One warm-up round trip, untimed. */
	if (evtchn_notify(fd, (unsigned int)port) ||
	    evtchn_wait(fd, (unsigned int)port, PING_TIMEOUT_MS))
		return 1;
	t0 = clock_ns();
	for (i = 0; i < n; i++)
		if (evtchn_notify(fd, (unsigned int)port) ||
		    evtchn_wait(fd, (unsigned int)port, PING_TIMEOUT_MS))
			return 1;
	t1 = clock_ns();
	printf("PINGPONG n=%ld local_port=%d remote=%u:%u "
	       "ns_per_round_trip=%.1f round_trips_per_s=%.1f\n",
	       n, port, domid, remote_port, (double)(t1 - t0) / n,
	       n * 1e9 / (double)(t1 - t0));
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 2 && !strcmp(argv[1], "echo"))
		return echo(argc > 2 ? argv[2] : "data/pingpong-port");
	if (argc >= 4 && !strcmp(argv[1], "ping")) {
		long n = argc > 4 ? atol(argv[4]) : 2000;

		return ping((unsigned int)atoi(argv[2]),
			    (unsigned int)atoi(argv[3]), n > 0 ? n : 1);
	}
	fprintf(stderr, "usage: %s echo [KEY] | ping DOMID PORT [N]\n",
		argv[0]);
	return 2;
}
