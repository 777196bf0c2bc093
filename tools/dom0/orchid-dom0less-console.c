/* SPDX-License-Identifier: MIT */
/*
 * orchid-dom0less-console: give a dom0less "xen,enhanced" DomU's PV
 * console its xenstore nodes, so that the unmodified xenconsoled serves it
 * and `xl console` attaches. Run in Dom0 after init-dom0less.
 *
 * Xen 4.17's init-dom0less writes no console/ nodes (and Xen builds no
 * console page), so xl console fails there. Orchid builds the console as
 * libxl would (a page at gfn 0x39000, grant entry 0, an unbound event
 * channel for Dom0, HVM_PARAM_CONSOLE_PFN/_EVTCHN); what is left is what
 * libxl__device_console_add writes for a primary console, which this
 * writes in one transaction. xenconsoled already watches
 * /local/domain/N/console for every domain it knows: once the nodes exist
 * it maps the ring, binds the port and publishes console/tty.
 *
 * Usage: orchid-dom0less-console [DOMID...]   (default: every domain > 0)
 * Prints one line a domain: "Domain N: PV console at gfn 0x..., port P",
 * or why it was skipped (no PV console: Xen 4.17; not in xenstore;
 * already has a console). Exit 0 unless something failed.
 *
 * Static, no Xen library: the hypercalls go through /dev/xen/privcmd
 * (tests/guest/privcmd_dev.h), xenstore is spoken on its socket.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "privcmd_dev.h"

/* Xen 4.17's public ABI (hvm/params.h, io/xs_wire.h; domctl.h's in
 * privcmd_dev.h). */
#define HYPERVISOR_hvm_op	 34
#define HVMOP_get_param		 1
#define HVM_PARAM_CONSOLE_PFN	 17
#define HVM_PARAM_CONSOLE_EVTCHN 18
#define DOMID_FIRST_RESERVED	 0x7ff0u
#define XENCONSOLE_LIMIT	 "1048576" /* libxl's LIBXL_XENCONSOLE_LIMIT */

enum xs_type {
	XS_READ = 2,
	XS_TRANSACTION_START = 6,
	XS_TRANSACTION_END = 7,
	XS_WRITE = 11,
	XS_MKDIR = 12,
	XS_SET_PERMS = 14,
	XS_ERROR = 16,
};
#define XS_PAYLOAD_MAX 4096

struct xsd_sockmsg {
	uint32_t type, req_id, tx_id, len;
};

struct xen_hvm_param {
	uint16_t domid;
	uint16_t pad;
	uint32_t index;
	uint64_t value;
};

static int privcmd = -1, xs = -1;
static void *arg_page; /* every hypercall argument, locked (privcmd_dev.h) */
static uint32_t req_id;
static char reply[XS_PAYLOAD_MAX + 1];

/* The next domain with an ID >= @id (Xen's getdomaininfo walks so), or -1
 * when there is none. */
static long next_domain(unsigned int id, uint32_t *flags)
{
	struct domctl *dc = arg_page;

	if (privcmd_getdomaininfo(privcmd, dc, id) < 0)
		return -1;
	*flags = dc->u.getdomaininfo.flags;
	return dc->u.getdomaininfo.domain;
}

static int hvm_param(unsigned int domid, uint32_t index, uint64_t *value)
{
	struct xen_hvm_param *p = arg_page;

	memset(p, 0, sizeof(*p));
	p->domid = (uint16_t)domid;
	p->index = index;
	if (privcmd_call(privcmd, HYPERVISOR_hvm_op, HVMOP_get_param,
			 (uint64_t)(uintptr_t)p, 0) < 0)
		return -1;
	*value = p->value;
	return 0;
}

static int xs_open(void)
{
	static const char *const sockets[] = {"/run/xenstored/socket",
					      "/var/run/xenstored/socket"};
	struct sockaddr_un sa = {.sun_family = AF_UNIX};

	for (size_t i = 0; i < sizeof(sockets) / sizeof(sockets[0]); i++) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (fd < 0)
			return -1;
		strcpy(sa.sun_path, sockets[i]);
		if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			return fd;
		close(fd);
	}
	/* No local xenstored (a xenstore stub domain): Linux's xenbus
	 * device speaks the same protocol. */
	return open("/dev/xen/xenbus", O_RDWR | O_CLOEXEC);
}

static int full_io(int write_it, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = write_it ? write(xs, p, len) : read(xs, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0) /* xenstored went away mid-message */
			errno = EIO;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * One request: "path\0" then @val (XS_WRITE's value has no NUL of its
 * own, XS_SET_PERMS's list brings its NULs). The reply's payload, NUL
 * added, is left in reply[]. -1 with errno: the transport failed or
 * xenstored answered XS_ERROR (its errno name mapped back, else EIO).
 */
static int xs_req(enum xs_type type, uint32_t tx, const char *path,
		  const char *val, size_t val_len)
{
	struct xsd_sockmsg m = {type, ++req_id, tx, 0};
	char msg[sizeof(m) + XS_PAYLOAD_MAX];
	size_t plen = strlen(path) + 1;

	if (plen + val_len > XS_PAYLOAD_MAX)
		return errno = E2BIG, -1;
	m.len = (uint32_t)(plen + val_len);
	memcpy(msg, &m, sizeof(m));
	memcpy(msg + sizeof(m), path, plen);
	memcpy(msg + sizeof(m) + plen, val, val_len);
	/* One write: /dev/xen/xenbus wants a whole message at once. */
	if (full_io(1, msg, sizeof(m) + m.len) || full_io(0, &m, sizeof(m)))
		return -1;
	if (m.len > XS_PAYLOAD_MAX || m.req_id != req_id)
		return errno = EPROTO, -1;
	if (full_io(0, reply, m.len))
		return -1;
	reply[m.len] = '\0';
	if (m.type == XS_ERROR) {
		errno = !strcmp(reply, "EAGAIN")   ? EAGAIN
			: !strcmp(reply, "ENOENT") ? ENOENT
			: !strcmp(reply, "EACCES") ? EACCES
						   : EIO;
		return -1;
	}
	return m.type == type ? 0 : (errno = EPROTO, -1);
}

/* Does @path exist (inside transaction @tx)? 1, 0, or -1 on an error. */
static int xs_exists(uint32_t tx, const char *path)
{
	if (!xs_req(XS_READ, tx, path, "", 0))
		return 1;
	return errno == ENOENT ? 0 : -1;
}

/* libxl's ro_frontend_perms: Dom0 owns the node, no one else but the
 * domain may read it (the primary console's nodes are not the guest's to
 * change: hvc_xen only reads its parameters). */
static int xs_perms(uint32_t tx, const char *path, unsigned int domid)
{
	char perms[32];
	int n = snprintf(perms, sizeof(perms), "n0%cr%u", '\0', domid);

	return xs_req(XS_SET_PERMS, tx, path, perms, (size_t)n + 1);
}

/* The console nodes, in transaction @tx. 0, 1 when there already was a
 * console or no domain entry, -1 on an error. */
static int write_nodes(uint32_t tx, unsigned int domid, uint64_t pfn,
		       uint64_t port, const char **why)
{
	char dir[64], path[96], ring[24], portv[24];
	const char *nodes[][2] = {
		{"ring-ref", ring},	     {"port", portv},
		{"limit", XENCONSOLE_LIMIT}, {"type", "xenconsoled"},
		{"output", "pty"},	     {"tty", ""}};
	int r;

	snprintf(dir, sizeof(dir), "/local/domain/%u", domid);
	snprintf(path, sizeof(path), "%s/name", dir);
	if ((r = xs_exists(tx, path)) != 1)
		return *why = "not in xenstore", r < 0 ? -1 : 1;
	snprintf(path, sizeof(path), "%s/console/ring-ref", dir);
	if ((r = xs_exists(tx, path)) != 0)
		return *why = "already has a console", r < 0 ? -1 : 1;
	snprintf(ring, sizeof(ring), "%" PRIu64, pfn);
	snprintf(portv, sizeof(portv), "%" PRIu64, port);
	snprintf(path, sizeof(path), "%s/console", dir);
	if (xs_req(XS_MKDIR, tx, path, "", 0) || xs_perms(tx, path, domid))
		return -1;
	for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		snprintf(path, sizeof(path), "%s/console/%s", dir, nodes[i][0]);
		if (xs_req(XS_WRITE, tx, path, nodes[i][1],
			   strlen(nodes[i][1])) ||
		    xs_perms(tx, path, domid))
			return -1;
	}
	return 0;
}

/* Write the nodes in one transaction, again while xenstored says another
 * one got in between (EAGAIN). 0 written, 1 skipped, -1 failed. */
static int publish(unsigned int domid, uint64_t pfn, uint64_t port,
		   const char **why)
{
	int r;

	for (int tries = 0; tries < 100; tries++) {
		unsigned long tx;
		char *end;

		if (xs_req(XS_TRANSACTION_START, 0, "", "", 0))
			return -1;
		tx = strtoul(reply, &end, 10);
		if (end == reply || *end || tx == 0 || tx > UINT32_MAX)
			return errno = EPROTO, -1;
		r = write_nodes((uint32_t)tx, domid, pfn, port, why);
		/* Commit only what was written; a skip ends it unchanged. */
		if (xs_req(XS_TRANSACTION_END, (uint32_t)tx, r ? "F" : "T", "",
			   0)) {
			if (errno == EAGAIN && r >= 0)
				continue;
			return -1;
		}
		return r;
	}
	return errno = EAGAIN, -1;
}

/* One domain: 0 done or skipped, -1 on an error (reported). */
static int one_domain(unsigned int domid)
{
	uint64_t port, pfn;
	const char *why = NULL;
	int r;

	if (hvm_param(domid, HVM_PARAM_CONSOLE_EVTCHN, &port) ||
	    hvm_param(domid, HVM_PARAM_CONSOLE_PFN, &pfn)) {
		printf("Domain %u: reading its console parameters: %s\n", domid,
		       strerror(errno));
		return -1;
	}
	if (!port) /* Xen 4.17's dom0less domains, Orchid's without one */
		return printf("Domain %u: no PV console\n", domid), 0;
	r = publish(domid, pfn, port, &why);
	if (r < 0) {
		printf("Domain %u: writing xenstore: %s\n", domid,
		       strerror(errno));
		return -1;
	}
	if (r > 0)
		printf("Domain %u: %s\n", domid, why);
	else
		printf("Domain %u: PV console at gfn %#" PRIx64
		       ", port %" PRIu64 "\n",
		       domid, pfn, port);
	return 0;
}

/* Every domain but Dom0 and the dying, as getdomaininfo walks them. */
static int all_domains(void)
{
	unsigned int id = 1;
	uint32_t flags;
	long found;
	int rc = 0;

	while ((found = next_domain(id, &flags)) > 0 &&
	       found < DOMID_FIRST_RESERVED) {
		if (!(flags & PRIVCMD_DOMINF_dying) &&
		    one_domain((unsigned)found))
			rc = 1;
		id = (unsigned int)found + 1;
	}
	if (found < 0 && errno != ESRCH) {
		printf("getdomaininfo(%u): %s\n", id, strerror(errno));
		return 1;
	}
	return rc;
}

static int fail(const char *what)
{
	fprintf(stderr, "orchid-dom0less-console: %s: %s\n", what,
		strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	int rc = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if ((privcmd = privcmd_open()) < 0)
		return fail("/dev/xen/privcmd");
	if (!(arg_page = privcmd_arg_page()))
		return fail("mmap");
	if ((xs = xs_open()) < 0)
		return fail("xenstore");
	if (argc < 2)
		return all_domains();
	for (int i = 1; i < argc; i++) {
		char *end;
		unsigned long id = strtoul(argv[i], &end, 10);

		if (!*argv[i] || *end || id == 0 ||
		    id >= DOMID_FIRST_RESERVED) {
			fprintf(stderr, "usage: %s [DOMID...] (1..%u)\n",
				argv[0], DOMID_FIRST_RESERVED - 1);
			return 2;
		}
		if (one_domain((unsigned int)id))
			rc = 1;
	}
	return rc;
}
