/* SPDX-License-Identifier: MIT */
/* Test data files (DTBs) for host unit tests, from build/unit/data. */
#ifndef TEST_DATA_H
#define TEST_DATA_H

#include <stddef.h>
#include <stdint.h>

/* The data live in data/ next to the test binary named by @argv0. */
void test_data_set_dir(const char *argv0);
/* A file in an exactly sized heap buffer, so ASan sees any read past it. */
uint8_t *test_data_load_path(const char *path, size_t *size);
/* The same for a file of the data directory. */
uint8_t *test_data_load(const char *name, size_t *size);
/*
 * The DTB dtc makes of the source printf(@fmt, ...) builds, loaded as
 * above; the test fails with the source when dtc rejects it.
 */
uint8_t *test_data_dtc(size_t *size, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
