// SPDX-License-Identifier: MIT
/*
 * Function names for backtraces. The table (tools/gen-symbols.sh) is
 * sorted by address and stores offsets from _start, so it reads the same
 * wherever the image was loaded.
 */
#include <asm/symbols.h>
#include <orchid/string.h>

struct symtab_entry {
	uint64_t offset;
	uint64_t name;
};

extern const struct symtab_entry orchid_symtab[];
extern const uint64_t orchid_symtab_count;
extern const char orchid_symstr[];
extern char _start[], _etext[];

const char *symbol_lookup(uintptr_t addr, uintptr_t *offset, uintptr_t *size)
{
	uintptr_t start = (uintptr_t)_start;
	uint64_t lo = 0, hi = orchid_symtab_count;
	uint64_t rel;

	if (addr < start || addr >= (uintptr_t)_etext || hi == 0)
		return NULL;
	rel = addr - start;
	/* Find the last entry whose offset is <= rel. */
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (orchid_symtab[mid].offset <= rel)
			lo = mid;
		else
			hi = mid;
	}
	if (orchid_symtab[lo].offset > rel)
		return NULL;
	*offset = rel - orchid_symtab[lo].offset;
	*size = (lo + 1 < orchid_symtab_count ? orchid_symtab[lo + 1].offset
					      : (uintptr_t)(_etext - _start)) -
		orchid_symtab[lo].offset;
	return &orchid_symstr[orchid_symtab[lo].name];
}

#ifdef CONFIG_LIVEPATCH
/* Live patching resolves a payload's undefined symbols by name. */
uintptr_t symbol_address(const char *name)
{
	uintptr_t found = 0;

	for (uint64_t i = 0; i < orchid_symtab_count; i++) {
		if (strcmp(&orchid_symstr[orchid_symtab[i].name], name))
			continue;
		if (found)
			return 0; /* two static functions share the name */
		found = (uintptr_t)_start + orchid_symtab[i].offset;
	}
	return found;
}
#endif
