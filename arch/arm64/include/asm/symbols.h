/* SPDX-License-Identifier: MIT */
#ifndef ASM_SYMBOLS_H
#define ASM_SYMBOLS_H

#include <orchid/types.h>

/* Name of the function containing @addr, or NULL; sets offset and size. */
const char *symbol_lookup(uintptr_t addr, uintptr_t *offset, uintptr_t *size);

/* Address of the one text symbol called @name; 0 if none or several. */
uintptr_t symbol_address(const char *name);

#endif
