// SPDX-License-Identifier: MIT
/*
 * The live-patch loader (common/livepatch/) as a control domain gone bad
 * would exercise it: a payload built here section by section the way
 * `make livepatch` lays one out, then damaged — cut short at every
 * length, bytes flipped, a relocation sent out of range, a build-id
 * changed. Each must be refused with Xen's errno, and AddressSanitizer
 * (the unit tests' build) proves nothing was read outside the file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <orchid/errno.h>
#include <orchid/livepatch.h>

/* ---- fakes: Orchid's text, heap, pool and build-id ------------------------ */

#define TEXT_SIZE (1u << 20)
#define POOL_SIZE (64u << 10)
static uint8_t orchid_text[TEXT_SIZE];
static uint8_t pool[POOL_SIZE] __attribute__((aligned(4096)));
static bool pool_busy, pool_exhausted;
static const uint8_t hv_id[20] = {0xde, 0xad, 0xbe, 0xef, 1,  2, 3,
				  4,	5,    6,    7,	  8,  9, 10,
				  11,	12,   13,   14,	  15, 16};
static const uint8_t payload_id[20] = {0xaa, 0xbb, 0xcc};

#define OLD_FN_OFF    0x200
#define ORCHID_FN_OFF 0x100

void *xmalloc(size_t size)
{
	return malloc(size);
}

void *xzalloc(size_t size)
{
	return calloc(1, size);
}

void xfree(void *p)
{
	free(p);
}

void *alloc_pages(unsigned int order)
{
	return aligned_alloc(4096, 4096ul << order);
}

void free_pages(void *va, unsigned int order)
{
	free(va);
}

bool xen_build_id(const uint8_t **id, uint32_t *len)
{
	*id = hv_id;
	*len = sizeof(hv_id);
	return true;
}

uint64_t arch_livepatch_text_alloc(size_t size)
{
	if (pool_busy || pool_exhausted || size > POOL_SIZE)
		return 0;
	pool_busy = true;
	return (uintptr_t)pool;
}

void arch_livepatch_text_free(uint64_t addr, size_t size)
{
	assert_int_equal(addr, (uintptr_t)pool);
	pool_busy = false;
}

void arch_livepatch_text_write(uint64_t addr, const void *src, size_t len)
{
	assert_true(addr >= (uintptr_t)pool &&
		    addr + len <= (uintptr_t)pool + POOL_SIZE);
	memcpy((void *)(uintptr_t)addr, src, len);
}

bool arch_livepatch_in_text(uint64_t addr, uint64_t size)
{
	uint64_t start = (uintptr_t)orchid_text;

	return addr >= start && addr < start + TEXT_SIZE &&
	       size <= start + TEXT_SIZE - addr;
}

bool arch_livepatch_branch_ok(uint64_t from, uint64_t to)
{
	int64_t off = (int64_t)(to - from);

	return off >= -(128 << 20) && off < (128 << 20);
}

uint64_t arch_livepatch_symbol(const char *name)
{
	if (!strcmp(name, "orchid_fn"))
		return (uintptr_t)orchid_text + ORCHID_FN_OFF;
	if (!strcmp(name, "version_extraversion"))
		return (uintptr_t)orchid_text + OLD_FN_OFF;
	return 0;
}

/* ---- a payload, built the way `make livepatch` lays one out --------------- */

enum {
	S_NULL,
	S_TEXT,
	S_RELA_TEXT,
	S_RODATA,
	S_FUNCS,
	S_RELA_FUNCS,
	S_NOTE,
	S_DEPENDS,
	S_XEN_DEPENDS,
	S_HLOAD,
	S_RELA_HLOAD,
	S_HAPPLY,
	S_RELA_HAPPLY,
	S_SYMTAB,
	S_STRTAB,
	S_SHSTRTAB,
	NSEC
};

struct image {
	uint8_t b[8192];
	size_t len;
	size_t sh_off[NSEC]; /* where each section's bytes are */
	Elf64_Shdr *shdr;
};

static size_t put(struct image *im, const void *p, size_t n, size_t align)
{
	size_t off = (im->len + align - 1) & ~(align - 1);

	memcpy(im->b + off, p, n);
	im->len = off + n;
	return off;
}

static void note(uint8_t out[36], const uint8_t id[20])
{
	Elf64_Nhdr n = {4, 20, NT_GNU_BUILD_ID};

	memcpy(out, &n, sizeof(n));
	memcpy(out + 12, "GNU", 4);
	memcpy(out + 16, id, 20);
}

static const char shnames[] =
	"\0.text\0.rela.text\0.rodata\0.livepatch.funcs\0"
	".rela.livepatch.funcs\0.note.gnu.build-id\0.livepatch.depends\0"
	".livepatch.xen_depends\0.livepatch.hooks.load\0"
	".rela.livepatch.hooks.load\0.livepatch.hooks.apply\0"
	".rela.livepatch.hooks.apply\0.symtab\0.strtab\0.shstrtab";
static const char symnames[] = "\0new_fn\0orchid_fn";

static uint32_t shname(const char *n)
{
	for (size_t i = 0; i < sizeof(shnames); i += strlen(shnames + i) + 1)
		if (!strcmp(shnames + i, n))
			return (uint32_t)i;
	fail_msg("no section name %s", n);
	return 0;
}

static void add_sec(struct image *im, Elf64_Shdr *sh, unsigned int i,
		    const char *name, uint32_t type, uint64_t flags,
		    const void *p, size_t n, size_t align)
{
	sh[i] = (Elf64_Shdr){.sh_name = shname(name),
			     .sh_type = type,
			     .sh_flags = flags,
			     .sh_size = n,
			     .sh_addralign = align};
	sh[i].sh_offset = im->sh_off[i] = put(im, p, n, align);
}

static void build(struct image *im)
{
	static const uint32_t text[2] = {0x94000000, 0xd65f03c0}; /* bl; ret */
	static const char rodata[] = "version_extraversion";
	struct livepatch_func f = {.version = LIVEPATCH_PAYLOAD_VERSION,
				   .new_size = 8,
				   .old_size = 16};
	Elf64_Rela rt[1] = {{0, (3ul << 32) | R_AARCH64_CALL26, 0}};
	Elf64_Rela rf[2] = {{0, (1ul << 32) | R_AARCH64_ABS64, 0},
			    {8, (2ul << 32) | R_AARCH64_ABS64, 0}};
	/* Two load hooks and the apply hook, all new_fn (symbol 2). */
	Elf64_Rela rh[2] = {{0, (2ul << 32) | R_AARCH64_ABS64, 0},
			    {8, (2ul << 32) | R_AARCH64_ABS64, 4}};
	Elf64_Rela ra[1] = {{0, (2ul << 32) | R_AARCH64_ABS64, 0}};
	static const uint64_t zero[2];
	Elf64_Sym sym[4] = {
		{0},
		{.st_info = STT_SECTION, .st_shndx = S_RODATA},
		{.st_name = 1,
		 .st_info = 0x12,
		 .st_shndx = S_TEXT,
		 .st_size = 8},
		{.st_name = 8, .st_info = 0x10, .st_shndx = SHN_UNDEF},
	};
	uint8_t own[36], hv[36];
	Elf64_Shdr sh[NSEC] = {{0}};
	Elf64_Ehdr h = {.e_ident = {0x7f, 'E', 'L', 'F', ELFCLASS64,
				    ELFDATA2LSB, EV_CURRENT},
			.e_type = ET_REL,
			.e_machine = EM_AARCH64,
			.e_version = EV_CURRENT,
			.e_ehsize = sizeof(Elf64_Ehdr),
			.e_shentsize = sizeof(Elf64_Shdr),
			.e_shnum = NSEC,
			.e_shstrndx = S_SHSTRTAB};

	memset(im, 0, sizeof(*im));
	note(own, payload_id);
	note(hv, hv_id);
	im->len = sizeof(h);
	add_sec(im, sh, S_TEXT, ".text", SHT_PROGBITS,
		SHF_ALLOC | SHF_EXECINSTR, text, sizeof(text), 4);
	add_sec(im, sh, S_RELA_TEXT, ".rela.text", SHT_RELA, 0, rt, sizeof(rt),
		8);
	add_sec(im, sh, S_RODATA, ".rodata", SHT_PROGBITS, SHF_ALLOC, rodata,
		sizeof(rodata), 1);
	add_sec(im, sh, S_FUNCS, ".livepatch.funcs", SHT_PROGBITS,
		SHF_ALLOC | SHF_WRITE, &f, sizeof(f), 8);
	add_sec(im, sh, S_RELA_FUNCS, ".rela.livepatch.funcs", SHT_RELA, 0, rf,
		sizeof(rf), 8);
	add_sec(im, sh, S_NOTE, ".note.gnu.build-id", SHT_NOTE, SHF_ALLOC, own,
		sizeof(own), 4);
	add_sec(im, sh, S_DEPENDS, ".livepatch.depends", SHT_PROGBITS,
		SHF_ALLOC, hv, sizeof(hv), 4);
	add_sec(im, sh, S_XEN_DEPENDS, ".livepatch.xen_depends", SHT_PROGBITS,
		SHF_ALLOC, hv, sizeof(hv), 4);
	add_sec(im, sh, S_HLOAD, ".livepatch.hooks.load", SHT_PROGBITS,
		SHF_ALLOC, zero, sizeof(zero), 8);
	add_sec(im, sh, S_RELA_HLOAD, ".rela.livepatch.hooks.load", SHT_RELA, 0,
		rh, sizeof(rh), 8);
	add_sec(im, sh, S_HAPPLY, ".livepatch.hooks.apply", SHT_PROGBITS,
		SHF_ALLOC, zero, sizeof(uint64_t), 8);
	add_sec(im, sh, S_RELA_HAPPLY, ".rela.livepatch.hooks.apply", SHT_RELA,
		0, ra, sizeof(ra), 8);
	add_sec(im, sh, S_SYMTAB, ".symtab", SHT_SYMTAB, 0, sym, sizeof(sym),
		8);
	add_sec(im, sh, S_STRTAB, ".strtab", SHT_STRTAB, 0, symnames,
		sizeof(symnames), 1);
	add_sec(im, sh, S_SHSTRTAB, ".shstrtab", SHT_STRTAB, 0, shnames,
		sizeof(shnames), 1);
	for (unsigned int i = 0; i < NSEC; i++)
		if (sh[i].sh_type == SHT_RELA) {
			sh[i].sh_link = S_SYMTAB;
			sh[i].sh_info = i - 1; /* each follows its target */
			sh[i].sh_entsize = sizeof(Elf64_Rela);
		}
	sh[S_SYMTAB].sh_link = S_STRTAB;
	sh[S_SYMTAB].sh_info = 2;
	sh[S_SYMTAB].sh_entsize = sizeof(Elf64_Sym);
	h.e_shoff = put(im, sh, sizeof(sh), 8);
	memcpy(im->b, &h, sizeof(h));
	im->shdr = (Elf64_Shdr *)(im->b + h.e_shoff);
}

static void *at(struct image *im, unsigned int sec, size_t off)
{
	return im->b + im->sh_off[sec] + off;
}

/* Loads @len bytes of @im from a buffer exactly that long (ASan sees any
 * read past it); the payload's memory is given back after. */
static int load_len(const struct image *im, size_t len, struct lp_payload *out)
{
	struct lp_payload p;
	void *raw = aligned_alloc(8, len ? (len + 7) & ~7ul : 8);
	int rc;

	memcpy(raw, im->b, len);
	rc = lp_payload_load(&p, raw, len);
	free(raw);
	if (out)
		*out = p;
	if (!rc)
		lp_payload_free(&p);
	assert_false(pool_busy);
	return rc;
}

static int load(const struct image *im)
{
	return load_len(im, im->len, NULL);
}

/* ---- tests ---------------------------------------------------------------- */

static void good_payload_loads(void **state)
{
	struct image im;
	struct lp_payload p;
	uint32_t bl;
	int64_t off;

	build(&im);
	assert_int_equal(load_len(&im, im.len, &p), 0);
	assert_int_equal(p.npatch, 1);
	assert_int_equal(p.patch[0].old_addr,
			 (uintptr_t)orchid_text + OLD_FN_OFF);
	assert_int_equal(p.patch[0].new_addr, (uintptr_t)pool);
	assert_int_equal(p.dep.len, 20);
	assert_memory_equal(p.dep.id, hv_id, 20);
	assert_memory_equal(p.id.id, payload_id, 20);
	/* The hooks, relocated to where the payload's code runs. */
	assert_int_equal(p.hooks.nload, 2);
	assert_int_equal((uintptr_t)p.hooks.load[0], (uintptr_t)pool);
	assert_int_equal((uintptr_t)p.hooks.load[1], (uintptr_t)pool + 4);
	assert_int_equal((uintptr_t)p.hooks.apply.action, (uintptr_t)pool);
	assert_int_equal(p.hooks.nunload, 0);
	assert_true(!p.hooks.apply.pre && !p.hooks.revert.action);
	/* The bl now reaches orchid_fn from where the code runs. */
	memcpy(&bl, pool, 4);
	off = (int64_t)((uintptr_t)orchid_text + ORCHID_FN_OFF -
			(uintptr_t)pool);
	assert_int_equal(bl, 0x94000000u | ((uint32_t)(off >> 2) & 0x3ffffff));
}

static void every_truncation_refused(void **state)
{
	struct image im;

	build(&im);
	for (size_t len = 0; len < im.len; len++)
		assert_int_not_equal(load_len(&im, len, NULL), 0);
}

static void not_aarch64_refused(void **state)
{
	struct image im;

	build(&im);
	im.b[0] = 0;
	assert_int_equal(load(&im), -EINVAL);
	build(&im);
	((Elf64_Ehdr *)im.b)->e_machine = 62; /* x86-64 */
	assert_int_equal(load(&im), -EOPNOTSUPP);
	build(&im);
	((Elf64_Ehdr *)im.b)->e_type = 2; /* an executable */
	assert_int_equal(load(&im), -EOPNOTSUPP);
}

static void other_build_id_refused(void **state)
{
	struct image im;

	build(&im);
	*(uint8_t *)at(&im, S_XEN_DEPENDS, 16) ^= 1;
	assert_int_equal(load(&im), -EINVAL);
}

static void missing_depends_refused(void **state)
{
	struct image im;

	build(&im);
	/* .livepatch.xen_depends renamed .livepatch.depends: one missing,
	 * one twice. */
	im.shdr[S_XEN_DEPENDS].sh_name = im.shdr[S_DEPENDS].sh_name;
	assert_int_equal(load(&im), -EINVAL);
}

static void call_out_of_range_refused(void **state)
{
	struct image im;

	build(&im);
	((Elf64_Rela *)at(&im, S_RELA_TEXT, 0))->r_addend = 256 << 20;
	assert_int_equal(load(&im), -EOVERFLOW);
}

static void unknown_relocation_refused(void **state)
{
	struct image im;

	build(&im);
	((Elf64_Rela *)at(&im, S_RELA_TEXT, 0))->r_info =
		(3ul << 32) | 1024; /* a type AArch64 does not define */
	assert_int_equal(load(&im), -EOPNOTSUPP);
}

static void relocation_past_section_refused(void **state)
{
	struct image im;

	build(&im);
	((Elf64_Rela *)at(&im, S_RELA_TEXT, 0))->r_offset = 6; /* 4 of 8 */
	assert_int_equal(load(&im), -EINVAL);
	build(&im);
	((Elf64_Rela *)at(&im, S_RELA_TEXT, 0))->r_info =
		(99ul << 32) | R_AARCH64_CALL26; /* no symbol 99 */
	assert_int_equal(load(&im), -EINVAL);
}

static void unknown_symbol_refused(void **state)
{
	struct image im;

	build(&im);
	memcpy(at(&im, S_STRTAB, 8), "orchid_fx", 9);
	assert_int_equal(load(&im), -ENOENT);
}

static void bad_tables_refused(void **state)
{
	struct image im;

	build(&im);
	((Elf64_Sym *)at(&im, S_SYMTAB, 2 * sizeof(Elf64_Sym)))->st_name = 4096;
	assert_int_equal(load(&im), -EINVAL);
	build(&im);
	im.shdr[S_TEXT].sh_offset = 1ul << 62;
	assert_int_equal(load(&im), -EINVAL);
	build(&im);
	im.shdr[S_TEXT].sh_addralign = 3;
	assert_int_equal(load(&im), -EINVAL);
	build(&im);
	im.shdr[S_SHSTRTAB].sh_size--; /* its last name loses its NUL */
	assert_int_equal(load(&im), -EINVAL);
	build(&im);
	im.shdr[S_RELA_TEXT].sh_info = NSEC;
	assert_int_equal(load(&im), -EINVAL);
}

static void bad_funcs_refused(void **state)
{
	struct image im;
	struct livepatch_func *f;

	build(&im);
	f = at(&im, S_FUNCS, 0);
	f->old_size = 2; /* smaller than the branch */
	assert_int_equal(load(&im), -EINVAL);
	build(&im);
	f = at(&im, S_FUNCS, 0);
	f->version = 1;
	assert_int_equal(load(&im), -EINVAL);
	build(&im);
	f = at(&im, S_FUNCS, 0);
	f->old_addr = 0x1000; /* not in Orchid's text */
	assert_int_equal(load(&im), -EINVAL);
	build(&im);
	f = at(&im, S_FUNCS, 0);
	f->new_size = 4096; /* past the payload's code */
	assert_int_equal(load(&im), -EINVAL);
	build(&im);
	memcpy(at(&im, S_RODATA, 0), "no_such_function", 17);
	assert_int_equal(load(&im), -EINVAL);
}

static void pool_exhausted_is_enomem(void **state)
{
	struct image im;

	build(&im);
	pool_exhausted = true;
	assert_int_equal(load(&im), -ENOMEM);
	pool_exhausted = false;
}

/* Random damage to the header, section table and symbols: an errno or a
 * clean load, never a read outside the file. */
static void random_damage_is_contained(void **state)
{
	struct image im, good;
	uint32_t seed = 12345;

	build(&good);
	for (unsigned int i = 0; i < 20000; i++) {
		size_t pos;

		im = good;
		im.shdr =
			(Elf64_Shdr *)(im.b + ((uint8_t *)good.shdr - good.b));
		for (unsigned int k = 0; k < 3; k++) {
			seed = seed * 1103515245 + 12345;
			pos = (seed >> 8) % im.len;
			im.b[pos] ^= (uint8_t)(1u << (seed & 7));
		}
		(void)load(&im);
	}
}

static void relocation_encodings(void **state)
{
	uint8_t b[8];
	uint32_t insn;

	/* ADRP x0 reaching two pages up; ADD's low 12 bits. */
	memcpy(b, &(uint32_t){0x90000000}, 4);
	assert_int_equal(
		lp_reloc_one(R_AARCH64_ADR_PREL_PG_HI21, b, 0x10000, 0x12345),
		0);
	memcpy(&insn, b, 4);
	assert_int_equal(insn, 0x90000000u | (2u << 29));
	memcpy(b, &(uint32_t){0x91000000}, 4);
	assert_int_equal(lp_reloc_one(R_AARCH64_ADD_ABS_LO12_NC, b, 0, 0x12345),
			 0);
	memcpy(&insn, b, 4);
	assert_int_equal(insn, 0x91000000u | (0x345u << 10));
	/* A misaligned 64-bit load offset, a 32-bit value too wide. */
	assert_int_equal(lp_reloc_one(R_AARCH64_LDST64_ABS_LO12_NC, b, 0, 4),
			 -EOVERFLOW);
	assert_int_equal(lp_reloc_one(R_AARCH64_ABS32, b, 0, 1ul << 33),
			 -EOVERFLOW);
	assert_int_equal(lp_reloc_one(R_AARCH64_PREL32, b, 1ul << 40, 0),
			 -EOVERFLOW);
	assert_int_equal(lp_reloc_one(R_AARCH64_CONDBR19, b, 0, 1 << 20),
			 -EOVERFLOW);
}

/* Hook sections as Xen 4.17 checks them: a whole number of pointers
 * (exactly one for an apply/revert hook), not empty, there once. */
static void bad_hook_sections_refused(void **state)
{
	struct image im;

	build(&im);
	im.shdr[S_HLOAD].sh_size = 12; /* not a multiple of a pointer */
	assert_int_equal(load(&im), -EINVAL);
	build(&im);
	im.shdr[S_HAPPLY].sh_size = 16; /* two apply hooks */
	assert_int_equal(load(&im), -EINVAL);
	build(&im);
	im.shdr[S_HAPPLY].sh_size = 4;
	assert_int_equal(load(&im), -EINVAL);
	build(&im);
	im.shdr[S_HLOAD].sh_size = 0;
	assert_int_equal(load(&im), -EINVAL);
	build(&im);
	im.shdr[S_HLOAD].sh_flags = 0; /* never loaded, so never read */
	assert_int_equal(load(&im), -EINVAL);
	build(&im);
	im.shdr[S_HLOAD].sh_size = (LIVEPATCH_MAX_HOOKS + 1) * 8;
	assert_int_equal(load(&im), -EINVAL);
}

static void duplicated_patching_sections_refused(void **state)
{
	struct image im;

	build(&im);
	im.shdr[S_HAPPLY].sh_name = im.shdr[S_HLOAD].sh_name;
	assert_int_equal(load(&im), -EINVAL);
	build(&im);
	im.shdr[S_HLOAD].sh_name = im.shdr[S_FUNCS].sh_name;
	assert_int_equal(load(&im), -EINVAL);
}

/* Each pointer must start an instruction of the payload's own code: not
 * past it, not in its data, not in Orchid, not misaligned. */
static void hook_outside_payload_code_refused(void **state)
{
	static const int64_t addend[] = {8, 2, 4096, -4};
	struct image im;
	Elf64_Rela *r;

	for (unsigned int i = 0; i < 4; i++) {
		build(&im);
		r = at(&im, S_RELA_HLOAD, sizeof(*r)); /* the second hook */
		r->r_addend = addend[i];
		assert_int_equal(load(&im), -EINVAL);
	}
	build(&im);
	r = at(&im, S_RELA_HAPPLY, 0);
	r->r_info = (3ul << 32) | R_AARCH64_ABS64; /* orchid_fn */
	assert_int_equal(load(&im), -EINVAL);
	build(&im);
	r = at(&im, S_RELA_HAPPLY, 0);
	r->r_info = (1ul << 32) | R_AARCH64_ABS64; /* .rodata */
	assert_int_equal(load(&im), -EINVAL);
	build(&im);
	im.shdr[S_RELA_HAPPLY].sh_size = 0; /* left unrelocated: NULL */
	assert_int_equal(load(&im), -EINVAL);
}

/* .livepatch.funcs is optional when a hook is there (Xen); with no
 * patching section at all there is nothing to do. */
static void hooks_only_payload_loads(void **state)
{
	struct image im;
	struct lp_payload p;

	build(&im);
	im.shdr[S_FUNCS].sh_name = im.shdr[S_RODATA].sh_name;
	assert_int_equal(load_len(&im, im.len, &p), 0);
	assert_int_equal(p.npatch, 0);
	assert_int_equal(p.hooks.nload, 2);
	im.shdr[S_HLOAD].sh_name = im.shdr[S_RODATA].sh_name;
	im.shdr[S_HAPPLY].sh_name = im.shdr[S_RODATA].sh_name;
	assert_int_equal(load(&im), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_payload_loads),
		cmocka_unit_test(every_truncation_refused),
		cmocka_unit_test(not_aarch64_refused),
		cmocka_unit_test(other_build_id_refused),
		cmocka_unit_test(missing_depends_refused),
		cmocka_unit_test(call_out_of_range_refused),
		cmocka_unit_test(unknown_relocation_refused),
		cmocka_unit_test(relocation_past_section_refused),
		cmocka_unit_test(unknown_symbol_refused),
		cmocka_unit_test(bad_tables_refused),
		cmocka_unit_test(bad_funcs_refused),
		cmocka_unit_test(pool_exhausted_is_enomem),
		cmocka_unit_test(random_damage_is_contained),
		cmocka_unit_test(relocation_encodings),
		cmocka_unit_test(bad_hook_sections_refused),
		cmocka_unit_test(duplicated_patching_sections_refused),
		cmocka_unit_test(hook_outside_payload_code_refused),
		cmocka_unit_test(hooks_only_payload_loads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
