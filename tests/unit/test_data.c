// SPDX-License-Identifier: MIT
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
