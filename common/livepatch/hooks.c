// SPDX-License-Identifier: MIT
/*
 * A payload's hooks (Xen 4.17's .livepatch.hooks.* sections): arrays of
 * function pointers the payload's relocations filled in. They come from
 * the control domain like the rest of the file, so before Orchid ever
 * calls one it checks what Xen checks (each section there once, not
 * empty, a whole number of pointers, exactly one for the apply/revert
 * hooks) and what Xen does not: every pointer is an instruction of the
 * payload's own code, so a damaged file cannot make Orchid jump into its
 * data or into the hypervisor.
 */
#include <orchid/errno.h>
#include <orchid/livepatch.h>
#include <orchid/printk.h>
#include <orchid/string.h>

#define LP "livepatch: "

/* Xen's check_patching_sections list: funcs first, then the hooks. */
static const char *const patching[] = {
	".livepatch.funcs",
	".livepatch.hooks.load",
	".livepatch.hooks.unload",
	".livepatch.hooks.preapply",
	".livepatch.hooks.apply",
	".livepatch.hooks.postapply",
	".livepatch.hooks.prerevert",
	".livepatch.hooks.revert",
	".livepatch.hooks.postrevert",
};

/* -EINVAL when section @name is repeated, empty or not loaded; sets
 * @present when it is there. */
static int check_one(const struct lp_elf *e, const char *name, bool *present)
{
	const struct lp_sec *found = NULL;

	for (unsigned int i = 0; i < e->nsec; i++) {
		if (strcmp(e->sec[i].name, name))
			continue;
		if (found) {
			pr_err(LP "%s was seen more than once\n", name);
			return -EINVAL;
		}
		found = &e->sec[i];
	}
	*present = found;
	if (!found)
		return 0;
	if (!found->sh->sh_size) {
		pr_err(LP "%s is empty\n", name);
		return -EINVAL;
	}
	if (!(found->sh->sh_flags & SHF_ALLOC)) {
		pr_err(LP "%s is not loaded (no SHF_ALLOC)\n", name);
		return -EINVAL;
	}
	return 0;
}

int lp_check_patching_sections(const struct lp_elf *e)
{
	bool any = false, present;
	int rc;

	for (unsigned int i = 0; i < sizeof(patching) / sizeof(*patching);
	     i++) {
		rc = check_one(e, patching[i], &present);
		if (rc)
			return rc;
		any |= present;
	}
	if (!any) {
		pr_err(LP "nothing to patch\n");
		return -EINVAL;
	}
	return 0;
}

/* @addr starts an instruction in one of the payload's code sections. */
static bool in_payload_code(const struct lp_elf *e, uint64_t addr)
{
	if (addr & (LIVEPATCH_INSN_SIZE - 1))
		return false;
	for (unsigned int i = 0; i < e->nsec; i++) {
		const struct lp_sec *s = &e->sec[i];

		if (!s->stage || !(s->sh->sh_flags & SHF_EXECINSTR))
			continue;
		if (addr >= s->addr && addr - s->addr < s->sh->sh_size)
			return true;
	}
	return false;
}

/* The pointers of section @name into @out (at most @max of them); how
 * many in @n. A missing section is no hook. */
static int read_ptrs(const struct lp_elf *e, const char *name, uint64_t *out,
		     unsigned int max, unsigned int *n)
{
	const struct lp_sec *s = lp_elf_sec_by_name(e, name);
	uint64_t size;

	*n = 0;
	if (!s)
		return 0;
	size = s->sh->sh_size;
	if (size % sizeof(uint64_t)) {
		pr_err(LP "wrong size %lu of %s (must be multiple of %zu)\n",
		       (unsigned long)size, name, sizeof(uint64_t));
		return -EINVAL;
	}
	if (size / sizeof(uint64_t) > max) {
		pr_err(LP "%s: %lu hooks, at most %u\n", name,
		       (unsigned long)(size / sizeof(uint64_t)), max);
		return -EINVAL;
	}
	for (unsigned int i = 0; i < size / sizeof(uint64_t); i++) {
		/* The section may sit at any byte: copy, never cast. */
		memcpy(&out[i], s->stage + i * sizeof(uint64_t),
		       sizeof(uint64_t));
		if (!in_payload_code(e, out[i])) {
			pr_err(LP "%s: hook %u (%#lx) is not payload code\n",
			       name, i, (unsigned long)out[i]);
			return -EINVAL;
		}
	}
	*n = (unsigned int)(size / sizeof(uint64_t));
	return 0;
}

static int read_many(const struct lp_elf *e, const char *name,
		     lp_loadcall_t **out, unsigned int *n)
{
	uint64_t addr[LIVEPATCH_MAX_HOOKS];
	int rc = read_ptrs(e, name, addr, LIVEPATCH_MAX_HOOKS, n);

	for (unsigned int i = 0; !rc && i < *n; i++)
		out[i] = (lp_loadcall_t *)(uintptr_t)addr[i];
	return rc;
}

/* An apply/revert hook section holds exactly one pointer (Xen). */
static int read_one(const struct lp_elf *e, const char *name, uint64_t *out)
{
	const struct lp_sec *s = lp_elf_sec_by_name(e, name);
	unsigned int n;

	*out = 0;
	if (s && s->sh->sh_size != sizeof(uint64_t)) {
		pr_err(LP "wrong size %lu of %s (must be %zu)\n",
		       (unsigned long)s->sh->sh_size, name, sizeof(uint64_t));
		return -EINVAL;
	}
	return read_ptrs(e, name, out, 1, &n);
}

static int read_action(const struct lp_elf *e, const char *name,
		       lp_actioncall_t **out)
{
	uint64_t a;
	int rc = read_one(e, name, &a);

	*out = rc ? NULL : (lp_actioncall_t *)(uintptr_t)a;
	return rc;
}

static int read_post(const struct lp_elf *e, const char *name,
		     lp_postcall_t **out)
{
	uint64_t a;
	int rc = read_one(e, name, &a);

	*out = rc ? NULL : (lp_postcall_t *)(uintptr_t)a;
	return rc;
}

int lp_read_hooks(const struct lp_elf *e, struct lp_payload *p)
{
	struct lp_hooks *h = &p->hooks;
	int rc;

	memset(h, 0, sizeof(*h));
	rc = read_many(e, ".livepatch.hooks.load", h->load, &h->nload);
	if (!rc)
		rc = read_many(e, ".livepatch.hooks.unload", h->unload,
			       &h->nunload);
	if (!rc)
		rc = read_action(e, ".livepatch.hooks.preapply", &h->apply.pre);
	if (!rc)
		rc = read_action(e, ".livepatch.hooks.apply", &h->apply.action);
	if (!rc)
		rc = read_post(e, ".livepatch.hooks.postapply", &h->apply.post);
	if (!rc)
		rc = read_action(e, ".livepatch.hooks.prerevert",
				 &h->revert.pre);
	if (!rc)
		rc = read_action(e, ".livepatch.hooks.revert",
				 &h->revert.action);
	if (!rc)
		rc = read_post(e, ".livepatch.hooks.postrevert",
			       &h->revert.post);
	return rc;
}
