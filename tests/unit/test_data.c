// SPDX-License-Identifier: MIT
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "test_data.h"

static char data_dir[512];

void test_data_set_dir(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');
	int n = slash ? (int)(slash - argv0) : 1;

	snprintf(data_dir, sizeof(data_dir), "%.*s/data", n,
		 slash ? argv0 : ".");
}

uint8_t *test_data_load_path(const char *path, size_t *size)
{
	uint8_t *buf;
	FILE *f = fopen(path, "rb");
	long len;

	if (!f)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(len ? (size_t)len : 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	*size = (size_t)len;
	return buf;
}

uint8_t *test_data_load(const char *name, size_t *size)
{
	char path[600];

	snprintf(path, sizeof(path), "%s/%s", data_dir, name);
	return test_data_load_path(path, size);
}

/* The source @fmt builds, in a heap string. */
static char *format_source(const char *fmt, va_list ap)
{
	va_list again;
	int len;
	char *src;

	va_copy(again, ap);
	len = vsnprintf(NULL, 0, fmt, again);
	va_end(again);
	assert_true(len >= 0);
	src = malloc((size_t)len + 1);
	assert_non_null(src);
	vsnprintf(src, (size_t)len + 1, fmt, ap);
	return src;
}

uint8_t *test_data_dtc(size_t *size, const char *fmt, ...)
{
	char in[] = "/tmp/orchid-dts-XXXXXX";
	char out[64], cmd[256];
	int fd = mkstemp(in);
	uint8_t *blob;
	va_list ap;
	char *src;

	assert_true(fd >= 0);
	va_start(ap, fmt);
	src = format_source(fmt, ap);
	va_end(ap);
	assert_int_equal(write(fd, src, strlen(src)), (ssize_t)strlen(src));
	close(fd);
	snprintf(out, sizeof(out), "%s.dtb", in);
	snprintf(cmd, sizeof(cmd), "dtc -q -I dts -O dtb -o %s %s", out, in);
	if (system(cmd) != 0)
		fail_msg("dtc rejected:\n%s", src);
	blob = test_data_load_path(out, size);
	unlink(in);
	unlink(out);
	free(src);
	return blob;
}
