/* SPDX-License-Identifier: MIT */
/*
 * Live patching: payloads in Xen 4.17's format (an ELF64 relocatable
 * object with .livepatch.funcs and build-id dependencies) replace Orchid
 * functions while it runs. See docs/ARCHITECTURE.md, "Live patching".
 */
#ifndef ORCHID_LIVEPATCH_H
#define ORCHID_LIVEPATCH_H

#include <orchid/elf.h>
#include <orchid/types.h>
#include <orchid/version.h>

struct xen_sysctl_livepatch_op;

/* Xen's bounds: a payload of at most 2 MiB, names with their NUL. */
#define LIVEPATCH_MAX_SIZE	  (2u << 20)
#define LIVEPATCH_MAX_SECTIONS	  64
#define LIVEPATCH_MAX_FUNCS	  64
#define LIVEPATCH_INSN_SIZE	  4
#define LIVEPATCH_PAYLOAD_VERSION 2
#define LIVEPATCH_OPAQUE_SIZE	  31

/* One entry of .livepatch.funcs, as Xen 4.17 lays it out (104 bytes). */
struct livepatch_func {
	uint64_t name; /* const char *: the function replaced */
	uint64_t new_addr;
	uint64_t old_addr; /* 0: found by name in Orchid's symbols */
	uint32_t new_size;
	uint32_t old_size;
	uint8_t version; /* LIVEPATCH_PAYLOAD_VERSION */
	uint8_t opaque[39];
	uint8_t expect[32]; /* Xen's expectation: unused, must be disabled */
};
_Static_assert(sizeof(struct livepatch_func) == 104, "livepatch_func");

/* A section of the payload: where its bytes are staged and will run. */
struct lp_sec {
	const Elf64_Shdr *sh;
	const char *name;
	uint8_t *stage; /* writable copy relocations are applied to */
	uint64_t addr;	/* address it has once installed (0: not loaded) */
};

/* A payload file being checked and loaded; points into the raw bytes. */
struct lp_elf {
	const uint8_t *raw;
	size_t len;
	const Elf64_Ehdr *hdr;
	struct lp_sec sec[LIVEPATCH_MAX_SECTIONS];
	unsigned int nsec;
	const Elf64_Sym *sym;
	unsigned int nsym;
	const char *strtab;
	size_t strtab_len;
	unsigned int symtab_idx;
};

/* The ELF file is well-formed (header, sections, symbols, relocations)
 * and fits @len bytes; -EINVAL or -EOPNOTSUPP otherwise, with a log line. */
int lp_elf_check(struct lp_elf *e, const void *raw, size_t len);
const struct lp_sec *lp_elf_sec_by_name(const struct lp_elf *e,
					const char *name);
const char *lp_elf_sym_name(const struct lp_elf *e, const Elf64_Sym *s);

/* Orchid's own text functions by name (0: none); tests supply their own. */
typedef uint64_t (*lp_resolver_t)(const char *name);

/* Gives every symbol its run-time address in st_value (a private copy of
 * the symbol table in @syms); -ENOENT for an unknown undefined symbol. */
int lp_elf_resolve(const struct lp_elf *e, Elf64_Sym *syms,
		   lp_resolver_t resolve);
/* Applies every SHT_RELA section to the staged copies; -EOPNOTSUPP for a
 * type Orchid does not handle, -EOVERFLOW for a target out of range. */
int lp_elf_relocate(const struct lp_elf *e, const Elf64_Sym *syms);
/* One relocation of @type at @stage (which runs at @place) to @val. */
int lp_reloc_one(uint32_t type, uint8_t *stage, uint64_t place, uint64_t val);

/* The GNU build-id note's descriptor in @sec (a .note section). */
bool lp_note_build_id(const struct lp_sec *sec, const uint8_t **id,
		      uint32_t *len);

#define LIVEPATCH_BUILD_ID_MAX 64

/* One function a payload replaces. */
struct lp_patch {
	uint64_t old_addr; /* Orchid's function: its first insn becomes a B */
	uint64_t new_addr; /* the payload's replacement */
	uint32_t saved;	   /* the instruction the B overwrote */
	bool applied;	   /* the B is in place (Xen's livepatch_fstate) */
};

struct lp_payload;

/* Xen 4.17's hook types (xen/include/xen/livepatch_payload.h): load and
 * unload hooks take nothing; pre and action hooks may veto with -errno;
 * post hooks only look. Orchid's payloads are built against one Orchid
 * image, so the argument is Orchid's own payload. */
typedef void lp_loadcall_t(void);
typedef int lp_actioncall_t(struct lp_payload *p);
typedef void lp_postcall_t(struct lp_payload *p);

/* Load/unload hooks a payload may list (Orchid's bound; Xen has none). */
#define LIVEPATCH_MAX_HOOKS 16

/* The hooks of .livepatch.hooks.*: each one checked to point at the start
 * of an instruction in the payload's own code; NULL when absent. */
struct lp_hooks {
	lp_loadcall_t *load[LIVEPATCH_MAX_HOOKS];
	lp_loadcall_t *unload[LIVEPATCH_MAX_HOOKS];
	unsigned int nload, nunload;
	struct {
		lp_actioncall_t *pre;
		lp_actioncall_t *action; /* replaces load hooks + patching */
		lp_postcall_t *post;
	} apply, revert;
};

struct lp_build_id {
	uint8_t id[LIVEPATCH_BUILD_ID_MAX];
	uint32_t len;
};

/* A loaded payload: memory Orchid owns from upload until unload. */
struct lp_payload {
	uint64_t text_addr; /* read-only and executable part (arch pool) */
	size_t text_size;
	uint8_t *rw; /* writable part (heap pages), or NULL */
	unsigned int rw_order;
	struct lp_patch patch[LIVEPATCH_MAX_FUNCS];
	unsigned int npatch;
	struct lp_build_id id;	/* its own .note.gnu.build-id */
	struct lp_build_id dep; /* .livepatch.depends: what it applies on */
	struct lp_hooks hooks;
};

/* The patching sections (.livepatch.funcs and the eight hook sections):
 * each present one non-empty, loaded and there once, and at least one of
 * them present; -EINVAL and a log line otherwise (Xen's checks). */
int lp_check_patching_sections(const struct lp_elf *e);
/* Reads the hook sections of a relocated payload into @p->hooks: sizes a
 * multiple of a pointer (exactly one for apply/revert hooks), every
 * pointer inside the payload's code; -EINVAL and a log line otherwise. */
int lp_read_hooks(const struct lp_elf *e, struct lp_payload *p);

/* Checks, lays out, relocates and installs @raw; -errno and a log line. */
int lp_payload_load(struct lp_payload *p, const void *raw, size_t len);
void lp_payload_free(struct lp_payload *p);

/* What the architecture provides (arch/arm64/livepatch.c). */
uint64_t arch_livepatch_text_alloc(size_t size); /* 0: pool exhausted */
void arch_livepatch_text_free(uint64_t addr, size_t size);
/* Writes @len bytes to executable memory at @addr and makes the
 * instruction fetches see them (the W^X window of one page at a time). */
void arch_livepatch_text_write(uint64_t addr, const void *src, size_t len);
/* @addr..+@size is inside Orchid's own text. */
bool arch_livepatch_in_text(uint64_t addr, uint64_t size);
/* A B at @from reaches @to. */
bool arch_livepatch_branch_ok(uint64_t from, uint64_t to);
uint64_t arch_livepatch_symbol(const char *name);
/* How long a rendezvous held the pCPUs (arch_now_ns nanoseconds). */
struct lp_hold {
	uint64_t held_ns;   /* first pCPU parked .. all released */
	uint64_t window_ns; /* all parked .. released: the patching itself */
	unsigned int cpus;
	/* Each pCPU's own hold: from its entry into the rendezvous (the
	 * caller: the call; the others: their park) to the moment it left;
	 * 0 for pCPUs that took no part. */
	uint64_t cpu_ns[CONFIG_NR_CPUS];
};

/* Runs @work with every other pCPU parked with interrupts masked, each
 * resynchronising its instruction fetch when released; -EBUSY (and @work
 * not run) when they did not all gather within @timeout_ns. */
int arch_livepatch_quiesce(void (*work)(void *ctx), void *ctx,
			   uint64_t timeout_ns, struct lp_hold *hold);
/* Before a rendezvous: @p's page of Orchid's text gets a writable alias
 * (-ENOMEM past 255 pages); after it, arch_livepatch_release drops them
 * all. */
int arch_livepatch_prepare(const struct lp_patch *p);
void arch_livepatch_release(void);
/* Inside @work: the first instruction of @p's old function becomes a B to
 * the new one (@apply; the original saved), or gets the original back. */
void arch_livepatch_patch(struct lp_patch *p, bool apply);

long livepatch_op(struct xen_sysctl_livepatch_op *op);

#endif /* ORCHID_LIVEPATCH_H */
