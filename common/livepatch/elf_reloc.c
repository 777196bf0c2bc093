// SPDX-License-Identifier: MIT
/*
 * Symbols and relocations of a checked payload (lp_elf_check ran first).
 * Undefined symbols are looked up in Orchid's own symbol table; each
 * relocation is computed for the address the section will run at and
 * written into its staged copy. Types and range checks follow "ELF for the
 * Arm 64-bit Architecture" and what Xen 4.17's arm64 loader accepts; a
 * value that does not fit its field is -EOVERFLOW, never truncated.
 */
#include <orchid/errno.h>
#include <orchid/livepatch.h>
#include <orchid/printk.h>
#include <orchid/string.h>

#define LP "livepatch: "

int lp_elf_resolve(const struct lp_elf *e, Elf64_Sym *syms,
		   lp_resolver_t resolve)
{
	for (unsigned int i = 1; i < e->nsym; i++) {
		Elf64_Sym *s = &syms[i];
		const char *name = lp_elf_sym_name(e, s);

		if (ELF64_ST_TYPE(s->st_info) == STT_FILE)
			continue;
		if (s->st_shndx == SHN_UNDEF) {
			s->st_value = resolve(name);
			if (!s->st_value) {
				pr_err(LP "unknown symbol %s\n", name);
				return -ENOENT;
			}
		} else if (s->st_shndx < e->nsec) {
			const struct lp_sec *sec = &e->sec[s->st_shndx];

			/* A symbol in a section that is not loaded stays 0. */
			if (sec->addr)
				s->st_value += sec->addr;
		}
	}
	return 0;
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void wr32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* @v fits a signed field of @bits bits. */
static bool fits_signed(int64_t v, unsigned int bits)
{
	int64_t lim = (int64_t)1 << (bits - 1);

	return v >= -lim && v < lim;
}

/* A data word of @size bytes; @sgn: may it also be a negative value. */
static int put_data(uint8_t *p, uint64_t v, unsigned int size, bool sgn)
{
	if (size < 8) {
		int64_t s = (int64_t)v;
		bool ok = (v >> (size * 8)) == 0 ||
			  (sgn && fits_signed(s, size * 8));

		if (!ok)
			return -EOVERFLOW;
	}
	memcpy(p, &v, size);
	return 0;
}

/* A branch: offset @off in words in a field of @bits at bit @lsb. */
static int put_branch(uint8_t *p, int64_t off, unsigned int bits,
		      unsigned int lsb)
{
	uint32_t mask = ((1u << bits) - 1) << lsb;

	if (off & 3 || !fits_signed(off >> 2, bits))
		return -EOVERFLOW;
	wr32(p, (rd32(p) & ~mask) | (((uint32_t)(off >> 2) << lsb) & mask));
	return 0;
}

/* ADR/ADRP: immlo at bits 30:29, immhi at bits 23:5. */
static void put_adr_imm(uint8_t *p, uint64_t imm)
{
	uint32_t insn = rd32(p) & ~((3u << 29) | (0x7ffffu << 5));

	insn |= ((uint32_t)imm & 3) << 29;
	insn |= ((uint32_t)(imm >> 2) & 0x7ffff) << 5;
	wr32(p, insn);
}

/* The 12-bit unsigned immediate at bits 21:10, scaled by 1 << @shift. */
static int put_lo12(uint8_t *p, uint64_t v, unsigned int shift)
{
	uint64_t lo = v & 0xfff;

	if (lo & ((1u << shift) - 1))
		return -EOVERFLOW; /* misaligned for the access size */
	wr32(p, (rd32(p) & ~(0xfffu << 10)) | (uint32_t)(lo >> shift) << 10);
	return 0;
}

static int put_adrp(uint8_t *p, uint64_t place, uint64_t val, bool check)
{
	int64_t pages = (int64_t)((val & ~0xfffUL) - (place & ~0xfffUL)) >> 12;

	if (check && !fits_signed(pages, 21))
		return -EOVERFLOW;
	put_adr_imm(p, (uint64_t)pages);
	return 0;
}

int lp_reloc_one(uint32_t type, uint8_t *p, uint64_t place, uint64_t val)
{
	int64_t rel = (int64_t)(val - place);

	switch (type) {
	case R_AARCH64_NONE: return 0;
	case R_AARCH64_ABS64: return put_data(p, val, 8, false);
	case R_AARCH64_ABS32: return put_data(p, val, 4, true);
	case R_AARCH64_ABS16: return put_data(p, val, 2, true);
	case R_AARCH64_PREL64: return put_data(p, (uint64_t)rel, 8, true);
	case R_AARCH64_PREL32: return put_data(p, (uint64_t)rel, 4, true);
	case R_AARCH64_PREL16: return put_data(p, (uint64_t)rel, 2, true);
	case R_AARCH64_JUMP26:
	case R_AARCH64_CALL26: return put_branch(p, rel, 26, 0);
	case R_AARCH64_CONDBR19: return put_branch(p, rel, 19, 5);
	case R_AARCH64_TSTBR14: return put_branch(p, rel, 14, 5);
	case R_AARCH64_ADR_PREL_LO21:
		if (!fits_signed(rel, 21))
			return -EOVERFLOW;
		put_adr_imm(p, (uint64_t)rel);
		return 0;
	case R_AARCH64_ADR_PREL_PG_HI21: return put_adrp(p, place, val, true);
	case R_AARCH64_ADR_PREL_PG_HI21_NC:
		return put_adrp(p, place, val, false);
	case R_AARCH64_ADD_ABS_LO12_NC:
	case R_AARCH64_LDST8_ABS_LO12_NC: return put_lo12(p, val, 0);
	case R_AARCH64_LDST16_ABS_LO12_NC: return put_lo12(p, val, 1);
	case R_AARCH64_LDST32_ABS_LO12_NC: return put_lo12(p, val, 2);
	case R_AARCH64_LDST64_ABS_LO12_NC: return put_lo12(p, val, 3);
	case R_AARCH64_LDST128_ABS_LO12_NC: return put_lo12(p, val, 4);
	default: return -EOPNOTSUPP;
	}
}

/* Bytes a relocation of @type writes (0: a type Orchid does not know). */
static unsigned int reloc_width(uint32_t type)
{
	switch (type) {
	case R_AARCH64_NONE: return 0;
	case R_AARCH64_ABS64:
	case R_AARCH64_PREL64: return 8;
	case R_AARCH64_ABS16:
	case R_AARCH64_PREL16: return 2;
	default: return 4;
	}
}

static int relocate_section(const struct lp_elf *e, const Elf64_Shdr *sh,
			    const Elf64_Sym *syms)
{
	const Elf64_Rela *r = (const void *)(e->raw + sh->sh_offset);
	const struct lp_sec *t = &e->sec[sh->sh_info];
	int rc;

	for (uint64_t i = 0; i < sh->sh_size / sizeof(*r); i++) {
		uint32_t type = ELF64_R_TYPE(r[i].r_info);
		const Elf64_Sym *s = &syms[ELF64_R_SYM(r[i].r_info)];
		uint64_t off = r[i].r_offset;

		if (reloc_width(type) > t->sh->sh_size - off) {
			pr_err(LP "relocation %lu in %s past its end\n",
			       (unsigned long)i, t->name);
			return -EINVAL;
		}
		if (type != R_AARCH64_NONE && s->st_shndx != SHN_ABS &&
		    s->st_shndx != SHN_UNDEF && !e->sec[s->st_shndx].addr) {
			pr_err(LP "relocation %lu in %s to unloaded %s\n",
			       (unsigned long)i, t->name,
			       e->sec[s->st_shndx].name);
			return -EINVAL;
		}
		rc = lp_reloc_one(type, t->stage + off, t->addr + off,
				  s->st_value + (uint64_t)r[i].r_addend);
		if (rc == -EOPNOTSUPP)
			pr_err(LP "relocation type %u not supported\n", type);
		else if (rc)
			pr_err(LP "relocation %lu in %s to %s out of range\n",
			       (unsigned long)i, t->name,
			       lp_elf_sym_name(e, s));
		if (rc)
			return rc;
	}
	return 0;
}

int lp_elf_relocate(const struct lp_elf *e, const Elf64_Sym *syms)
{
	int rc;

	for (unsigned int i = 0; i < e->nsec; i++) {
		const Elf64_Shdr *sh = e->sec[i].sh;

		if (sh->sh_type != SHT_RELA ||
		    !(e->sec[sh->sh_info].sh->sh_flags & SHF_ALLOC))
			continue;
		rc = relocate_section(e, sh, syms);
		if (rc)
			return rc;
	}
	return 0;
}
