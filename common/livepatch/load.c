// SPDX-License-Identifier: MIT
/*
 * Loading a checked payload: its allocated sections are laid out in two
 * regions Orchid owns until the payload is unloaded — code and read-only
 * data in the architecture's executable pool, writable data in heap pages
 * (never executable) — relocated for those addresses, and its special
 * sections (Xen 4.17's format) read: the functions to replace and the
 * build-ids it depends on. Anything wrong: -errno, a log line, and every
 * byte taken given back.
 */
#include <orchid/errno.h>
#include <orchid/livepatch.h>
#include <orchid/mm.h>
#include <orchid/printk.h>
#include <orchid/string.h>

#define LP "livepatch: "
/* Writable data (.data, .bss) a payload may ask for. */
#define LP_RW_MAX (1u << 20)

struct lp_layout {
	uint64_t text_size, rw_size;
	uint8_t *text_stage;
};

static bool sec_loaded(const Elf64_Shdr *sh)
{
	return (sh->sh_flags & SHF_ALLOC) && sh->sh_size;
}

/* Offsets of every allocated section within its region. */
static int layout(struct lp_elf *e, struct lp_layout *l)
{
	for (unsigned int i = 0; i < e->nsec; i++) {
		const Elf64_Shdr *sh = e->sec[i].sh;
		uint64_t *size =
			sh->sh_flags & SHF_WRITE ? &l->rw_size : &l->text_size;
		uint64_t align = sh->sh_addralign ? sh->sh_addralign : 1;

		if (!sec_loaded(sh))
			continue;
		*size = align_up(*size, align);
		e->sec[i].addr = *size; /* an offset until the regions exist */
		*size += sh->sh_size;
		if (*size > LP_RW_MAX) {
			pr_err(LP "sections too large (%s)\n", e->sec[i].name);
			return -EINVAL;
		}
	}
	if (!l->text_size) {
		pr_err(LP "no code to load\n");
		return -EINVAL;
	}
	return 0;
}

static unsigned int order_of(uint64_t size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

static int alloc_regions(struct lp_payload *p, struct lp_layout *l)
{
	p->text_size = l->text_size;
	p->text_addr = arch_livepatch_text_alloc(l->text_size);
	l->text_stage = xzalloc(l->text_size);
	if (l->rw_size) {
		p->rw_order = order_of(l->rw_size);
		p->rw = alloc_pages(p->rw_order);
	}
	if (!p->text_addr || !l->text_stage || (l->rw_size && !p->rw)) {
		pr_err(LP "out of memory for %lu+%lu bytes\n",
		       (unsigned long)l->text_size, (unsigned long)l->rw_size);
		return -ENOMEM;
	}
	if (p->rw)
		memset(p->rw, 0, PAGE_SIZE << p->rw_order);
	return 0;
}

/* Staged copies of every allocated section, at their run-time addresses. */
static void place_sections(struct lp_elf *e, struct lp_payload *p,
			   struct lp_layout *l)
{
	for (unsigned int i = 0; i < e->nsec; i++) {
		struct lp_sec *s = &e->sec[i];
		bool rw = s->sh->sh_flags & SHF_WRITE;

		if (!sec_loaded(s->sh))
			continue;
		s->stage = (rw ? p->rw : l->text_stage) + s->addr;
		s->addr += rw ? (uint64_t)(uintptr_t)p->rw : p->text_addr;
		if (s->sh->sh_type != SHT_NOBITS)
			memcpy(s->stage, e->raw + s->sh->sh_offset,
			       s->sh->sh_size);
	}
}

/* The one non-empty section called @name, or NULL with a log line. */
static const struct lp_sec *special(const struct lp_elf *e, const char *name)
{
	const struct lp_sec *found = NULL;

	for (unsigned int i = 0; i < e->nsec; i++) {
		if (strcmp(e->sec[i].name, name))
			continue;
		if (found || !e->sec[i].stage) {
			pr_err(LP "%s is repeated or not loaded\n", name);
			return NULL;
		}
		found = &e->sec[i];
	}
	if (!found)
		pr_err(LP "%s is missing\n", name);
	return found;
}

static int read_build_id(const struct lp_elf *e, const char *name,
			 struct lp_build_id *out)
{
	const struct lp_sec *s = special(e, name);
	const uint8_t *id;
	uint32_t len;

	if (!s)
		return -EINVAL;
	if (!lp_note_build_id(s, &id, &len) || len > sizeof(out->id)) {
		pr_err(LP "%s is not a GNU build-id note\n", name);
		return -EINVAL;
	}
	memcpy(out->id, id, len);
	out->len = len;
	return 0;
}

/* Xen's xen_build_id_dep: built against exactly this Orchid image. */
static int check_xen_depends(const struct lp_elf *e)
{
	struct lp_build_id dep;
	const uint8_t *id;
	uint32_t len;
	int rc = read_build_id(e, ".livepatch.xen_depends", &dep);

	if (rc)
		return rc;
	if (!xen_build_id(&id, &len) || len != dep.len ||
	    memcmp(id, dep.id, len)) {
		pr_err(LP "check against hypervisor build-id failed\n");
		return -EINVAL;
	}
	return 0;
}

/* The address inside a loaded section that holds a NUL-terminated string. */
static const char *payload_string(const struct lp_elf *e, uint64_t addr)
{
	for (unsigned int i = 0; i < e->nsec; i++) {
		const struct lp_sec *s = &e->sec[i];
		uint64_t off = addr - s->addr, left;

		if (!s->stage || addr < s->addr || off >= s->sh->sh_size)
			continue;
		left = s->sh->sh_size - off;
		if (strnlen((const char *)s->stage + off, left) == left)
			return NULL;
		return (const char *)s->stage + off;
	}
	return NULL;
}

static int check_func(const struct lp_elf *e, const struct lp_payload *p,
		      const struct livepatch_func *f, struct lp_patch *out)
{
	const char *name = payload_string(e, f->name);
	uint64_t old = f->old_addr;

	if (!name || f->version != LIVEPATCH_PAYLOAD_VERSION || f->expect[0]) {
		pr_err(LP "a function entry has a bad name or version\n");
		return -EINVAL;
	}
	if (!old)
		old = arch_livepatch_symbol(name);
	if (!f->new_addr || !f->new_size) {
		pr_err(LP "%s: removing a function is not supported\n", name);
		return -EOPNOTSUPP;
	}
	if (f->old_size < LIVEPATCH_INSN_SIZE || old & 3 ||
	    !arch_livepatch_in_text(old, f->old_size)) {
		pr_err(LP "%s: not a function of this Orchid\n", name);
		return -EINVAL;
	}
	if (f->new_addr < p->text_addr || f->new_addr & 3 ||
	    f->new_size > p->text_addr + p->text_size - f->new_addr) {
		pr_err(LP "%s: new code outside the payload\n", name);
		return -EINVAL;
	}
	if (!arch_livepatch_branch_ok(old, f->new_addr)) {
		pr_err(LP "%s: new code out of branch range\n", name);
		return -EOVERFLOW;
	}
	out->old_addr = old;
	out->new_addr = f->new_addr;
	return 0;
}

/* .livepatch.funcs is optional (a payload may only run hooks), but
 * lp_check_patching_sections made sure it is there at most once. */
static int read_funcs(const struct lp_elf *e, struct lp_payload *p)
{
	const struct lp_sec *s = lp_elf_sec_by_name(e, ".livepatch.funcs");
	uint64_t n;
	int rc;

	if (!s)
		return 0;
	n = s->sh->sh_size / sizeof(struct livepatch_func);
	if (s->sh->sh_size % sizeof(struct livepatch_func) || !n ||
	    n > LIVEPATCH_MAX_FUNCS || !is_aligned((uintptr_t)s->stage, 8)) {
		pr_err(LP ".livepatch.funcs has a bad size or alignment\n");
		return -EINVAL;
	}
	for (unsigned int i = 0; i < n; i++) {
		const struct livepatch_func *f =
			(const void *)(s->stage + i * sizeof(*f));

		rc = check_func(e, p, f, &p->patch[i]);
		if (rc)
			return rc;
		for (unsigned int j = 0; j < i; j++)
			if (p->patch[j].old_addr == p->patch[i].old_addr) {
				pr_err(LP "a function is patched twice\n");
				return -EINVAL;
			}
	}
	p->npatch = n;
	return 0;
}

static int relocate(const struct lp_elf *e)
{
	Elf64_Sym *syms = xmalloc((size_t)e->nsym * sizeof(*syms));
	int rc;

	if (!syms)
		return -ENOMEM;
	memcpy(syms, e->sym, (size_t)e->nsym * sizeof(*syms));
	rc = lp_elf_resolve(e, syms, arch_livepatch_symbol);
	if (!rc)
		rc = lp_elf_relocate(e, syms);
	xfree(syms);
	return rc;
}

void lp_payload_free(struct lp_payload *p)
{
	if (p->text_addr)
		arch_livepatch_text_free(p->text_addr, p->text_size);
	if (p->rw)
		free_pages(p->rw, p->rw_order);
	memset(p, 0, sizeof(*p));
}

int lp_payload_load(struct lp_payload *p, const void *raw, size_t len)
{
	struct lp_elf *e = xzalloc(sizeof(*e));
	struct lp_layout l = {0};
	int rc = e ? lp_elf_check(e, raw, len) : -ENOMEM;

	memset(p, 0, sizeof(*p));
	if (!rc)
		rc = lp_check_patching_sections(e);
	if (!rc)
		rc = layout(e, &l);
	if (!rc)
		rc = alloc_regions(p, &l);
	if (!rc) {
		place_sections(e, p, &l);
		rc = relocate(e);
	}
	if (!rc)
		rc = check_xen_depends(e);
	if (!rc)
		rc = read_build_id(e, ".livepatch.depends", &p->dep);
	if (!rc)
		rc = read_build_id(e, ".note.gnu.build-id", &p->id);
	if (!rc)
		rc = read_funcs(e, p);
	if (!rc)
		rc = lp_read_hooks(e, p);
	if (!rc)
		arch_livepatch_text_write(p->text_addr, l.text_stage,
					  l.text_size);
	xfree(l.text_stage);
	xfree(e);
	if (rc)
		lp_payload_free(p);
	return rc;
}
