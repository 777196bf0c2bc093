// SPDX-License-Identifier: MIT
/*
 * The first look at a live-patch payload: it comes from the control
 * domain, but a wrong or damaged file must never make Orchid read outside
 * it. Every offset, size, index and name is checked here once, so the
 * loader after it can trust the section table, the symbol table and the
 * relocation records. The checks follow Xen 4.17's livepatch_elf.c: what
 * Xen refuses with -EINVAL or -EOPNOTSUPP, Orchid refuses the same way.
 */
#include <orchid/errno.h>
#include <orchid/livepatch.h>
#include <orchid/printk.h>
#include <orchid/string.h>

#define LP "livepatch: "

/* [off, off + size) lies within the file. */
static bool in_file(const struct lp_elf *e, uint64_t off, uint64_t size)
{
	return off <= e->len && size <= e->len - off;
}

static int check_header(struct lp_elf *e)
{
	const Elf64_Ehdr *h = e->hdr;

	if (e->len < sizeof(*h) || memcmp(h->e_ident, "\177ELF", 4)) {
		pr_err(LP "not an ELF file (%zu bytes)\n", e->len);
		return -EINVAL;
	}
	if (h->e_ident[EI_CLASS] != ELFCLASS64 ||
	    h->e_ident[EI_DATA] != ELFDATA2LSB ||
	    h->e_ident[EI_VERSION] != EV_CURRENT || h->e_type != ET_REL ||
	    h->e_machine != EM_AARCH64) {
		pr_err(LP "not an AArch64 ELF64 relocatable object\n");
		return -EOPNOTSUPP;
	}
	if (h->e_phoff || h->e_phnum) {
		pr_err(LP "a relocatable object has no program headers\n");
		return -EOPNOTSUPP;
	}
	if (h->e_shentsize != sizeof(Elf64_Shdr) || h->e_shnum < 2 ||
	    h->e_shnum > LIVEPATCH_MAX_SECTIONS ||
	    h->e_shstrndx >= h->e_shnum) {
		pr_err(LP "bad section header table (%u entries)\n",
		       h->e_shnum);
		return -EINVAL;
	}
	/* The buffer is 8-byte aligned; so must every table read in it be. */
	if (!is_aligned(h->e_shoff, 8) ||
	    !in_file(e, h->e_shoff,
		     (uint64_t)h->e_shnum * sizeof(Elf64_Shdr))) {
		pr_err(LP "section headers outside the file\n");
		return -EINVAL;
	}
	return 0;
}

/* The string table @sh holds only strings ending inside it. */
static bool strtab_ok(const struct lp_elf *e, const Elf64_Shdr *sh)
{
	return sh->sh_type == SHT_STRTAB && sh->sh_size &&
	       e->raw[sh->sh_offset + sh->sh_size - 1] == '\0';
}

static int check_one_section(const struct lp_elf *e, const Elf64_Shdr *sh,
			     unsigned int i)
{
	uint64_t align = sh->sh_addralign;

	if (sh->sh_type != SHT_NOBITS &&
	    !in_file(e, sh->sh_offset, sh->sh_size)) {
		pr_err(LP "section %u outside the file\n", i);
		return -EINVAL;
	}
	if (align > 1 && ((align & (align - 1)) || align > 4096)) {
		pr_err(LP "section %u alignment %#lx\n", i,
		       (unsigned long)align);
		return -EINVAL;
	}
	if (sh->sh_type == SHT_REL) {
		pr_err(LP "section %u: REL relocations are not AArch64's\n", i);
		return -EOPNOTSUPP;
	}
	if (sh->sh_type == SHT_RELA || sh->sh_type == SHT_SYMTAB) {
		uint64_t ent = sh->sh_type == SHT_RELA ? sizeof(Elf64_Rela)
						       : sizeof(Elf64_Sym);

		if (sh->sh_entsize != ent || sh->sh_size % ent ||
		    !is_aligned(sh->sh_offset, 8)) {
			pr_err(LP "section %u: bad table entries\n", i);
			return -EINVAL;
		}
	}
	return 0;
}

static int check_sections(struct lp_elf *e)
{
	const Elf64_Shdr *shdr = (const void *)(e->raw + e->hdr->e_shoff);
	const Elf64_Shdr *names = &shdr[e->hdr->e_shstrndx];
	int rc;

	e->nsec = e->hdr->e_shnum;
	for (unsigned int i = 0; i < e->nsec; i++) {
		rc = check_one_section(e, &shdr[i], i);
		if (rc)
			return rc;
		e->sec[i].sh = &shdr[i];
	}
	if (!strtab_ok(e, names)) {
		pr_err(LP "section names are not a string table\n");
		return -EINVAL;
	}
	for (unsigned int i = 0; i < e->nsec; i++) {
		if (shdr[i].sh_name >= names->sh_size) {
			pr_err(LP "section %u: name outside the table\n", i);
			return -EINVAL;
		}
		e->sec[i].name = (const char *)e->raw + names->sh_offset +
				 shdr[i].sh_name;
	}
	return 0;
}

static int check_symbol(const struct lp_elf *e, const Elf64_Sym *s,
			unsigned int i)
{
	if (s->st_name >= e->strtab_len) {
		pr_err(LP "symbol %u: name outside the string table\n", i);
		return -EINVAL;
	}
	if (s->st_shndx == SHN_COMMON) {
		pr_err(LP "symbol %s: common symbols are not supported\n",
		       lp_elf_sym_name(e, s));
		return -EOPNOTSUPP;
	}
	if (s->st_shndx != SHN_UNDEF && s->st_shndx != SHN_ABS &&
	    s->st_shndx >= e->nsec) {
		pr_err(LP "symbol %s: section %u does not exist\n",
		       lp_elf_sym_name(e, s), s->st_shndx);
		return -EINVAL;
	}
	if (s->st_shndx != SHN_UNDEF && s->st_shndx < e->nsec &&
	    ELF64_ST_TYPE(s->st_info) != STT_SECTION &&
	    s->st_value > e->sec[s->st_shndx].sh->sh_size) {
		pr_err(LP "symbol %s: beyond its section\n",
		       lp_elf_sym_name(e, s));
		return -EINVAL;
	}
	return 0;
}

static int check_symtab(struct lp_elf *e)
{
	const Elf64_Shdr *sym = NULL, *str;
	int rc;

	for (unsigned int i = 0; i < e->nsec; i++) {
		if (e->sec[i].sh->sh_type != SHT_SYMTAB)
			continue;
		if (sym) {
			pr_err(LP "more than one symbol table\n");
			return -EOPNOTSUPP;
		}
		sym = e->sec[i].sh;
		e->symtab_idx = i;
	}
	if (!sym || sym->sh_link >= e->nsec || !sym->sh_size) {
		pr_err(LP "no usable symbol table\n");
		return -EINVAL;
	}
	str = e->sec[sym->sh_link].sh;
	if (!strtab_ok(e, str)) {
		pr_err(LP "symbol names are not a string table\n");
		return -EINVAL;
	}
	e->sym = (const void *)(e->raw + sym->sh_offset);
	e->nsym = sym->sh_size / sizeof(Elf64_Sym);
	e->strtab = (const char *)e->raw + str->sh_offset;
	e->strtab_len = str->sh_size;
	for (unsigned int i = 1; i < e->nsym; i++) {
		rc = check_symbol(e, &e->sym[i], i);
		if (rc)
			return rc;
	}
	return 0;
}

/* Each record names a symbol that exists and patches inside its target. */
static int check_rela(const struct lp_elf *e, const Elf64_Shdr *sh)
{
	const Elf64_Rela *r = (const void *)(e->raw + sh->sh_offset);
	const Elf64_Shdr *target;

	if (sh->sh_link != e->symtab_idx || sh->sh_info >= e->nsec) {
		pr_err(LP "relocations with a bad symbol or target section\n");
		return -EINVAL;
	}
	target = e->sec[sh->sh_info].sh;
	if (!(target->sh_flags & SHF_ALLOC))
		return 0; /* debug information: never loaded nor applied */
	if (target->sh_type == SHT_NOBITS) {
		pr_err(LP "relocations against a section without bytes\n");
		return -EINVAL;
	}
	for (uint64_t i = 0; i < sh->sh_size / sizeof(*r); i++) {
		if (ELF64_R_SYM(r[i].r_info) >= e->nsym ||
		    r[i].r_offset >= target->sh_size) {
			pr_err(LP "relocation %lu of section %u out of range\n",
			       (unsigned long)i, sh->sh_info);
			return -EINVAL;
		}
	}
	return 0;
}

int lp_elf_check(struct lp_elf *e, const void *raw, size_t len)
{
	int rc;

	memset(e, 0, sizeof(*e));
	e->raw = raw;
	e->len = len;
	e->hdr = raw;
	rc = check_header(e);
	if (!rc)
		rc = check_sections(e);
	if (!rc)
		rc = check_symtab(e);
	for (unsigned int i = 0; !rc && i < e->nsec; i++)
		if (e->sec[i].sh->sh_type == SHT_RELA)
			rc = check_rela(e, e->sec[i].sh);
	return rc;
}

const struct lp_sec *lp_elf_sec_by_name(const struct lp_elf *e,
					const char *name)
{
	for (unsigned int i = 0; i < e->nsec; i++)
		if (!strcmp(e->sec[i].name, name))
			return &e->sec[i];
	return NULL;
}

const char *lp_elf_sym_name(const struct lp_elf *e, const Elf64_Sym *s)
{
	return e->strtab + s->st_name;
}

bool lp_note_build_id(const struct lp_sec *sec, const uint8_t **id,
		      uint32_t *len)
{
	uint64_t size = sec->sh->sh_size;
	Elf64_Nhdr n;

	/* The section may sit at any byte (objcopy aligns it to 1). */
	if (!sec->stage || size < sizeof(n) + 4)
		return false;
	memcpy(&n, sec->stage, sizeof(n));
	if (n.n_type != NT_GNU_BUILD_ID || n.n_namesz != 4 ||
	    memcmp(sec->stage + sizeof(n), "GNU", 4) || !n.n_descsz ||
	    n.n_descsz > size - sizeof(n) - 4)
		return false;
	*id = sec->stage + sizeof(n) + 4;
	*len = n.n_descsz;
	return true;
}
