/* SPDX-License-Identifier: MIT */
/*
 * For a live-patch payload's C file (`make livepatch PATCH=file.c`):
 *
 *   static long new_fn(uint64_t arg, bool deny) { ... }
 *   LIVEPATCH_REPLACE(version_extraversion, new_fn);
 *
 * puts one entry in .livepatch.funcs (Xen 4.17's struct livepatch_func):
 * Orchid's function found by name, replaced by new_fn. The sizes come from
 * the build (tools/livepatch/sizes.sh): the first compile leaves them 0.
 *
 *   LIVEPATCH_LOAD_HOOK(fn);    void fn(void), each apply, before patching
 *   LIVEPATCH_UNLOAD_HOOK(fn);  void fn(void), each revert, after it
 *   LIVEPATCH_PREAPPLY_HOOK(fn) ... LIVEPATCH_POSTREVERT_HOOK(fn)
 *
 * put a pointer in Xen 4.17's .livepatch.hooks.* sections; see
 * docs/ARCHITECTURE.md, "Live patching", for when each runs.
 */
#ifndef ORCHID_LIVEPATCH_PAYLOAD_H
#define ORCHID_LIVEPATCH_PAYLOAD_H

#include <orchid/livepatch.h>

/* struct livepatch_func with pointers, so the compiler emits relocations. */
struct livepatch_func_entry {
	const char *name;
	const void *new_addr;
	const void *old_addr;
	uint32_t new_size;
	uint32_t old_size;
	uint8_t version;
	uint8_t opaque[39];
	uint8_t expect[32];
};
_Static_assert(sizeof(struct livepatch_func_entry) ==
		       sizeof(struct livepatch_func),
	       "livepatch_func_entry");

#ifdef LIVEPATCH_SIZES
#define LP_SIZE_OF(kind, sym) LP_##kind##_SIZE_##sym
#else
#define LP_SIZE_OF(kind, sym) 0
#endif

#define LIVEPATCH_REPLACE(old, new)                                            \
	__attribute__((                                                        \
		section(".livepatch.funcs"),                                   \
		used)) struct livepatch_func_entry livepatch_func_##old = {    \
		.name = #old,                                                  \
		.new_addr = new,                                               \
		.new_size = LP_SIZE_OF(NEW, new),                              \
		.old_size = LP_SIZE_OF(OLD, old),                              \
		.version = LIVEPATCH_PAYLOAD_VERSION,                          \
	}

/* One pointer in hook section @sec; load/unload sections may hold many. */
#define LIVEPATCH_HOOK_(sec, type, fn)                                         \
	__attribute__((section(".livepatch.hooks." #sec), used))               \
	type *const livepatch_##sec##_hook_##fn = fn

#define LIVEPATCH_LOAD_HOOK(fn)	  LIVEPATCH_HOOK_(load, lp_loadcall_t, fn)
#define LIVEPATCH_UNLOAD_HOOK(fn) LIVEPATCH_HOOK_(unload, lp_loadcall_t, fn)
#define LIVEPATCH_PREAPPLY_HOOK(fn)                                            \
	LIVEPATCH_HOOK_(preapply, lp_actioncall_t, fn)
#define LIVEPATCH_APPLY_HOOK(fn) LIVEPATCH_HOOK_(apply, lp_actioncall_t, fn)
#define LIVEPATCH_POSTAPPLY_HOOK(fn)                                           \
	LIVEPATCH_HOOK_(postapply, lp_postcall_t, fn)
#define LIVEPATCH_PREREVERT_HOOK(fn)                                           \
	LIVEPATCH_HOOK_(prerevert, lp_actioncall_t, fn)
#define LIVEPATCH_REVERT_HOOK(fn) LIVEPATCH_HOOK_(revert, lp_actioncall_t, fn)
#define LIVEPATCH_POSTREVERT_HOOK(fn)                                          \
	LIVEPATCH_HOOK_(postrevert, lp_postcall_t, fn)

#endif /* ORCHID_LIVEPATCH_PAYLOAD_H */
