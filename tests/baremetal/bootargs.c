// SPDX-License-Identifier: MIT
/*
 * The guest's command line: /chosen/bootargs of the DTB it was entered
 * with (xen,dom0-bootargs for Dom0, `extra=` of an xl config for a DomU).
 * It selects what a run does (`mode=fuzz seed=7 n=100000`, ...), so one
 * image serves every runner. A small, trusting FDT walk: the DTB comes
 * from the hypervisor under test, and a malformed one ends in no match.
 */
#include "guest.h"

#define FDT_MAGIC      0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE   2u
#define FDT_PROP       3u
#define FDT_NOP	       4u

static char cmdline[512];

static uint32_t be32(const void *p)
{
	const unsigned char *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static size_t align4(size_t off)
{
	return (off + 3) & ~(size_t)3;
}

/* Copies /chosen/bootargs into cmdline[]; leaves it empty if none. */
static void find_bootargs(const unsigned char *fdt)
{
	const unsigned char *structs, *strings;
	size_t off = 0, size;
	int depth = 0, in_chosen = 0;

	if (!fdt || be32(fdt) != FDT_MAGIC)
		return;
	structs = fdt + be32(fdt + 8);
	strings = fdt + be32(fdt + 12);
	size = be32(fdt + 36);
	while (off + 4 <= size) {
		uint32_t tag = be32(structs + off);
		const char *name;

		off += 4;
		if (tag == FDT_BEGIN_NODE) {
			name = (const char *)structs + off;
			depth++;
			in_chosen = depth == 2 && streq(name, "chosen");
			off = align4(off + strlen(name) + 1);
		} else if (tag == FDT_END_NODE) {
			depth--;
			in_chosen = 0;
		} else if (tag == FDT_PROP) {
			uint32_t len = be32(structs + off);

			name = (const char *)strings + be32(structs + off + 4);
			off += 8;
			if (in_chosen && streq(name, "bootargs") &&
			    len < sizeof(cmdline)) {
				memcpy(cmdline, structs + off, len);
				cmdline[len] = '\0';
				return;
			}
			off = align4(off + len);
		} else if (tag != FDT_NOP) {
			return;
		}
	}
}

void bootargs_init(const void *dtb)
{
	cmdline[0] = '\0';
	find_bootargs(dtb);
}

const char *bootargs(void)
{
	return cmdline;
}

/* The value of `key=value` (up to the next space) in buf, or NULL. */
const char *bootarg(const char *key, char *buf, size_t size)
{
	size_t klen = strlen(key);
	const char *p = cmdline;

	while (*p) {
		size_t n = 0;

		while (*p == ' ')
			p++;
		while (p[n] && p[n] != ' ')
			n++;
		if (n > klen && p[klen] == '=' && !memcmp(p, key, klen)) {
			size_t vlen = n - klen - 1;

			if (vlen >= size)
				vlen = size - 1;
			memcpy(buf, p + klen + 1, vlen);
			buf[vlen] = '\0';
			return buf;
		}
		p += n;
	}
	return NULL;
}

unsigned long bootarg_ulong(const char *key, unsigned long fallback)
{
	char buf[24];
	unsigned long v = 0;
	const char *s = bootarg(key, buf, sizeof(buf));

	if (!s || !*s)
		return fallback;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return fallback;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	return v;
}
