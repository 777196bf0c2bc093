// SPDX-License-Identifier: MIT
/*
 * XEN_SYSCTL_livepatch_op (common/livepatch/sysctl.c) as Debian's
 * xen-livepatch drives it: names, the LIST protocol (sizes first with
 * nr = 0, then batches), each action's states and errnos, and a
 * rendezvous that times out. The loader and the architecture are fakes
 * here (test_livepatch.c tests the loader); guest addresses are host
 * pointers.
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
#include <public/sysctl.h>

/* ---- fakes ---------------------------------------------------------------- */

static const uint8_t hv_id[4] = {1, 2, 3, 4};
static int quiesce_rc;	     /* what the next rendezvous answers */
static unsigned int patched; /* functions now branching away */
static unsigned int live_payloads;
static bool in_rendezvous;	   /* inside the fake rendezvous's work */
static struct lp_hooks next_hooks; /* the next upload's hooks */

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

int copy_from_guest(void *dst, uint64_t va, size_t len)
{
	if (!va)
		return -EFAULT;
	memcpy(dst, (const void *)(uintptr_t)va, len);
	return 0;
}

int copy_to_guest(uint64_t va, const void *src, size_t len)
{
	if (!va)
		return -EFAULT;
	memcpy((void *)(uintptr_t)va, src, len);
	return 0;
}

bool xen_build_id(const uint8_t **id, uint32_t *len)
{
	*id = hv_id;
	*len = sizeof(hv_id);
	return true;
}

/* The "file" is the build-id it depends on, then its own, 4 bytes each. */
int lp_payload_load(struct lp_payload *p, const void *raw, size_t len)
{
	if (len != 8)
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	memcpy(p->dep.id, raw, 4);
	p->dep.len = 4;
	memcpy(p->id.id, (const uint8_t *)raw + 4, 4);
	p->id.len = 4;
	p->npatch = 1;
	p->hooks = next_hooks;
	live_payloads++;
	return 0;
}

void lp_payload_free(struct lp_payload *p)
{
	live_payloads--;
}

int arch_livepatch_prepare(const struct lp_patch *p)
{
	return 0;
}

void arch_livepatch_release(void)
{
}

void arch_livepatch_patch(struct lp_patch *p, bool apply)
{
	if (apply)
		patched++;
	else
		patched--;
	p->applied = apply;
}

int arch_livepatch_quiesce(void (*work)(void *ctx), void *ctx,
			   uint64_t timeout_ns, struct lp_hold *hold)
{
	if (quiesce_rc)
		return quiesce_rc;
	in_rendezvous = true;
	work(ctx);
	in_rendezvous = false;
	*hold = (struct lp_hold){1000, 100, 4, {0}};
	return 0;
}

/* ---- helpers: the calls xen-livepatch makes -------------------------------- */

static struct xen_livepatch_name name_of(const char *n)
{
	return (struct xen_livepatch_name){.name.p = (uintptr_t)n,
					   .size = (uint16_t)(strlen(n) + 1)};
}

static long upload(const char *name, const uint8_t dep[4], const uint8_t own[4])
{
	static uint8_t file[8];
	struct xen_sysctl_livepatch_op op = {
		.cmd = XEN_SYSCTL_LIVEPATCH_UPLOAD};

	memcpy(file, dep, 4);
	memcpy(file + 4, own, 4);
	op.u.upload.name = name_of(name);
	op.u.upload.size = sizeof(file);
	op.u.upload.payload.p = (uintptr_t)file;
	return livepatch_op(&op);
}

static long action(const char *name, uint32_t cmd, uint32_t flags)
{
	struct xen_sysctl_livepatch_op op = {
		.cmd = XEN_SYSCTL_LIVEPATCH_ACTION};

	op.u.action.name = name_of(name);
	op.u.action.cmd = cmd;
	op.u.action.flags = flags;
	return livepatch_op(&op);
}

static struct xen_livepatch_status get(const char *name, long *rc)
{
	struct xen_sysctl_livepatch_op op = {.cmd = XEN_SYSCTL_LIVEPATCH_GET};

	op.u.get.name = name_of(name);
	*rc = livepatch_op(&op);
	return op.u.get.status;
}

static uint32_t state_of(const char *name)
{
	long rc;
	struct xen_livepatch_status st = get(name, &rc);

	assert_int_equal(rc, 0);
	return st.state;
}

static void unload_all(void)
{
	const char *names[] = {"a", "b", "bb", "c"};

	for (int round = 0; round < 4; round++)
		for (unsigned int i = 0; i < 4; i++) {
			action(names[i], LIVEPATCH_ACTION_REVERT, 0);
			action(names[i], LIVEPATCH_ACTION_UNLOAD, 0);
		}
	assert_int_equal(live_payloads, 0);
	assert_int_equal(patched, 0);
	quiesce_rc = 0;
}

static const uint8_t id_a[4] = {0xa}, id_b[4] = {0xb}, id_c[4] = {0xc};

/* ---- tests ---------------------------------------------------------------- */

static void names_checked(void **state)
{
	struct xen_sysctl_livepatch_op op = {
		.cmd = XEN_SYSCTL_LIVEPATCH_UPLOAD};
	char unterminated[3] = {'a', 'b', 'c'};

	assert_int_equal(upload("a", hv_id, id_a), 0);
	assert_int_equal(upload("a", hv_id, id_b), -EEXIST);
	op.u.upload.name = name_of("x");
	op.u.upload.name.size = 0;
	assert_int_equal(livepatch_op(&op), -EINVAL);
	op.u.upload.name = name_of("x");
	op.u.upload.name.size = XEN_LIVEPATCH_NAME_SIZE + 1;
	assert_int_equal(livepatch_op(&op), -EINVAL);
	op.u.upload.name = name_of("x");
	op.u.upload.name.pad[1] = 1;
	assert_int_equal(livepatch_op(&op), -EINVAL);
	op.u.upload.name = name_of("x");
	op.u.upload.name.name.p = (uintptr_t)unterminated;
	op.u.upload.name.size = 3;
	assert_int_equal(livepatch_op(&op), -EINVAL);
	op.u.upload.name = name_of("x");
	op.u.upload.size = LIVEPATCH_MAX_SIZE + 1;
	assert_int_equal(livepatch_op(&op), -EINVAL);
	op.pad = 1;
	assert_int_equal(livepatch_op(&op), -EINVAL);
	assert_int_equal(action("nope", LIVEPATCH_ACTION_APPLY, 0), -ENOENT);
	assert_int_equal(action("a", 99, 0), -EOPNOTSUPP);
	unload_all();
}

/* xc_livepatch_list_get_sizes, then xc_livepatch_list in batches. */
static void list_protocol(void **state)
{
	struct xen_sysctl_livepatch_op op = {.cmd = XEN_SYSCTL_LIVEPATCH_LIST};
	struct xen_livepatch_status st[3];
	char names[16];
	uint32_t len[3], mlen[3];

	assert_int_equal(upload("a", hv_id, id_a), 0);
	assert_int_equal(upload("bb", hv_id, id_b), 0);
	assert_int_equal(upload("c", hv_id, id_c), 0);
	assert_int_equal(livepatch_op(&op), 0);
	assert_int_equal(op.u.list.nr, 3);
	assert_int_equal(op.u.list.name_total_size, 2 + 3 + 2);
	assert_int_equal(op.u.list.metadata_total_size, 0);
	assert_int_not_equal(op.u.list.version, 0);

	/* A batch of two from index 0: two written, one left. */
	op.u.list.nr = 2;
	op.u.list.idx = 0;
	op.u.list.status.p = (uintptr_t)st;
	op.u.list.name.p = (uintptr_t)names;
	op.u.list.len.p = (uintptr_t)len;
	op.u.list.metadata.p = (uintptr_t)names;
	op.u.list.metadata_len.p = (uintptr_t)mlen;
	assert_int_equal(livepatch_op(&op), 2);
	assert_int_equal(op.u.list.nr, 1);
	assert_int_equal(op.u.list.name_total_size, 5);
	assert_memory_equal(names, "a\0bb", 5);
	assert_int_equal(len[1], 3);
	assert_int_equal(st[0].state, LIVEPATCH_STATE_CHECKED);
	/* The rest from index 2. */
	op.u.list.nr = 2;
	op.u.list.idx = 2;
	assert_int_equal(livepatch_op(&op), 1);
	assert_int_equal(op.u.list.nr, 0);
	assert_string_equal(names, "c");
	/* Past the end, too many at once, padding. */
	op.u.list.idx = 3;
	assert_int_equal(livepatch_op(&op), -EINVAL);
	op.u.list.idx = 0;
	op.u.list.nr = 1025;
	assert_int_equal(livepatch_op(&op), -E2BIG);
	unload_all();
}

static void apply_revert_states(void **state)
{
	long rc;

	assert_int_equal(upload("a", hv_id, id_a), 0);
	assert_int_equal(action("a", LIVEPATCH_ACTION_REVERT, 0),
			 0); /* no-op */
	assert_int_equal(state_of("a"), LIVEPATCH_STATE_CHECKED);
	assert_int_equal(action("a", LIVEPATCH_ACTION_APPLY, 0), 0);
	assert_int_equal(state_of("a"), LIVEPATCH_STATE_APPLIED);
	assert_int_equal(patched, 1);
	assert_int_equal(action("a", LIVEPATCH_ACTION_UNLOAD, 0), -EINVAL);
	assert_int_equal(action("a", LIVEPATCH_ACTION_REVERT, 0), 0);
	assert_int_equal(state_of("a"), LIVEPATCH_STATE_CHECKED);
	assert_int_equal(get("a", &rc).rc, 0);
	assert_int_equal(patched, 0);
	assert_int_equal(action("a", LIVEPATCH_ACTION_UNLOAD, 0), 0);
	get("a", &rc);
	assert_int_equal(rc, -ENOENT);
	unload_all();
}

/* The pCPUs do not gather: nothing patched, CHECKED, rc -EBUSY. */
static void rendezvous_timeout_keeps_checked(void **state)
{
	long rc;

	assert_int_equal(upload("a", hv_id, id_a), 0);
	quiesce_rc = -EBUSY;
	assert_int_equal(action("a", LIVEPATCH_ACTION_APPLY, 0), 0);
	assert_int_equal(state_of("a"), LIVEPATCH_STATE_CHECKED);
	assert_int_equal(get("a", &rc).rc, -EBUSY);
	assert_int_equal(patched, 0);
	quiesce_rc = 0;
	assert_int_equal(action("a", LIVEPATCH_ACTION_APPLY, 0), 0);
	assert_int_equal(get("a", &rc).rc, 0);
	assert_int_equal(state_of("a"), LIVEPATCH_STATE_APPLIED);
	unload_all();
}

/* A second payload stacks on the first's build-id; only the newest may
 * be reverted; replace takes them all back. */
static void stacking_and_replace(void **state)
{
	assert_int_equal(upload("a", hv_id, id_a), 0);
	assert_int_equal(upload("b", id_a, id_b), 0);
	assert_int_equal(upload("c", hv_id, id_c), 0);
	assert_int_equal(action("b", LIVEPATCH_ACTION_APPLY, 0), -EINVAL);
	assert_int_equal(action("a", LIVEPATCH_ACTION_APPLY, 0), 0);
	assert_int_equal(action("c", LIVEPATCH_ACTION_APPLY, 0), -EINVAL);
	assert_int_equal(action("b", LIVEPATCH_ACTION_APPLY, 0), 0);
	assert_int_equal(action("a", LIVEPATCH_ACTION_REVERT, 0), -EBUSY);
	assert_int_equal(patched, 2);
	assert_int_equal(action("c", LIVEPATCH_ACTION_REPLACE, 0), 0);
	assert_int_equal(state_of("a"), LIVEPATCH_STATE_CHECKED);
	assert_int_equal(state_of("b"), LIVEPATCH_STATE_CHECKED);
	assert_int_equal(state_of("c"), LIVEPATCH_STATE_APPLIED);
	assert_int_equal(patched, 1);
	/* --nodeps applies on top whatever the build-id. */
	assert_int_equal(action("a", LIVEPATCH_ACTION_APPLY,
				LIVEPATCH_ACTION_APPLY_NODEPS),
			 0);
	assert_int_equal(patched, 2);
	unload_all();
}

/* ---- hooks (Xen 4.17's .livepatch.hooks.*) -------------------------------- */

/* What the hooks saw, in the order they ran. */
static char trace[64];
static int pre_rc, action_rc, post_rc_seen;

static void note_hook(char c)
{
	size_t n = strlen(trace);

	assert_true(n + 1 < sizeof(trace));
	trace[n] = c;
}

static void load_hook(void)
{
	assert_true(in_rendezvous);
	note_hook(patched ? 'L' : 'l'); /* l: before the functions change */
}

static void unload_hook(void)
{
	assert_true(in_rendezvous);
	note_hook(patched ? 'U' : 'u'); /* u: after they are back */
}

static int pre_hook(struct lp_payload *p)
{
	assert_false(in_rendezvous);
	note_hook('p');
	return pre_rc;
}

static void post_hook(struct lp_payload *p)
{
	long rc;

	assert_false(in_rendezvous);
	note_hook('P');
	post_rc_seen = (int)get("a", &rc).rc;
}

/* An apply action hook that patches nothing itself. */
static int action_hook(struct lp_payload *p)
{
	assert_true(in_rendezvous);
	note_hook('A');
	return action_rc;
}

/* One that does Xen's work itself, as a payload may. */
static int patching_action_hook(struct lp_payload *p)
{
	note_hook('A');
	arch_livepatch_patch(&p->patch[0], !p->patch[0].applied);
	return 0;
}

static void reset_hooks(void)
{
	memset(&next_hooks, 0, sizeof(next_hooks));
	memset(trace, 0, sizeof(trace));
	pre_rc = action_rc = post_rc_seen = 0;
}

/* Load hooks run inside the rendezvous before the functions change,
 * unload hooks after they are back: Xen's apply_payload/revert_payload. */
static void load_unload_hooks_in_rendezvous(void **state)
{
	reset_hooks();
	next_hooks.load[0] = next_hooks.load[1] = load_hook;
	next_hooks.nload = 2;
	next_hooks.unload[0] = unload_hook;
	next_hooks.nunload = 1;
	assert_int_equal(upload("a", hv_id, id_a), 0);
	assert_string_equal(trace, ""); /* upload runs none */
	assert_int_equal(action("a", LIVEPATCH_ACTION_APPLY, 0), 0);
	assert_string_equal(trace, "ll");
	assert_int_equal(patched, 1);
	assert_int_equal(action("a", LIVEPATCH_ACTION_REVERT, 0), 0);
	assert_string_equal(trace, "llu");
	assert_int_equal(action("a", LIVEPATCH_ACTION_UNLOAD, 0), 0);
	assert_string_equal(trace, "llu");
	reset_hooks();
	unload_all();
}

/* A pre hook's error vetoes: the call and GET answer it, nothing runs. */
static void pre_hook_vetoes(void **state)
{
	long rc;

	reset_hooks();
	next_hooks.apply.pre = pre_hook;
	next_hooks.apply.post = post_hook;
	next_hooks.load[0] = load_hook;
	next_hooks.nload = 1;
	assert_int_equal(upload("a", hv_id, id_a), 0);
	pre_rc = -EPERM;
	assert_int_equal(action("a", LIVEPATCH_ACTION_APPLY, 0), -EPERM);
	assert_string_equal(trace, "p");
	assert_int_equal(get("a", &rc).rc, -EPERM);
	assert_int_equal(state_of("a"), LIVEPATCH_STATE_CHECKED);
	assert_int_equal(patched, 0);
	pre_rc = 0;
	assert_int_equal(action("a", LIVEPATCH_ACTION_APPLY, 0), 0);
	assert_string_equal(trace, "pplP");
	assert_int_equal(post_rc_seen, 0);
	assert_int_equal(state_of("a"), LIVEPATCH_STATE_APPLIED);
	reset_hooks();
	unload_all();
}

/* An action hook replaces load hooks and patching; its error is the
 * payload's rc, and a post hook still runs (Xen: once the rendezvous
 * happened, whatever rc). */
static void action_hook_replaces_default(void **state)
{
	long rc;

	reset_hooks();
	next_hooks.apply.action = action_hook;
	next_hooks.apply.post = post_hook;
	next_hooks.load[0] = load_hook;
	next_hooks.nload = 1;
	assert_int_equal(upload("a", hv_id, id_a), 0);
	action_rc = -EIO;
	assert_int_equal(action("a", LIVEPATCH_ACTION_APPLY, 0), 0);
	assert_string_equal(trace, "AP");
	assert_int_equal(post_rc_seen, -EIO);
	assert_int_equal(get("a", &rc).rc, -EIO);
	assert_int_equal(state_of("a"), LIVEPATCH_STATE_CHECKED);
	assert_int_equal(patched, 0);
	reset_hooks();
	unload_all();
}

/* A hook that says 0 but left the functions alone: Xen panics; Orchid
 * restores every function and fails the action with -EINVAL. */
static void inconsistent_action_hook_restored(void **state)
{
	long rc;

	reset_hooks();
	next_hooks.apply.action = action_hook;
	assert_int_equal(upload("a", hv_id, id_a), 0);
	assert_int_equal(action("a", LIVEPATCH_ACTION_APPLY, 0), 0);
	assert_int_equal(get("a", &rc).rc, -EINVAL);
	assert_int_equal(state_of("a"), LIVEPATCH_STATE_CHECKED);
	assert_int_equal(patched, 0);
	/* One that patches as Xen's default would is consistent. */
	reset_hooks();
	next_hooks.apply.action = patching_action_hook;
	next_hooks.revert.action = patching_action_hook;
	assert_int_equal(upload("b", hv_id, id_b), 0);
	assert_int_equal(action("b", LIVEPATCH_ACTION_APPLY, 0), 0);
	assert_int_equal(state_of("b"), LIVEPATCH_STATE_APPLIED);
	assert_int_equal(patched, 1);
	assert_int_equal(action("b", LIVEPATCH_ACTION_REVERT, 0), 0);
	assert_int_equal(state_of("b"), LIVEPATCH_STATE_CHECKED);
	assert_int_equal(patched, 0);
	reset_hooks();
	unload_all();
}

/* Xen refuses replace when the new or an applied payload has pre/post
 * hooks (vetoing hooks); action hooks do not veto. */
static void replace_refused_with_vetoing_hooks(void **state)
{
	reset_hooks();
	next_hooks.revert.post = post_hook;
	assert_int_equal(upload("a", hv_id, id_a), 0);
	reset_hooks();
	assert_int_equal(upload("c", hv_id, id_c), 0);
	assert_int_equal(action("a", LIVEPATCH_ACTION_APPLY, 0), 0);
	assert_int_equal(action("c", LIVEPATCH_ACTION_REPLACE, 0), -EOPNOTSUPP);
	assert_int_equal(state_of("a"), LIVEPATCH_STATE_APPLIED);
	assert_int_equal(state_of("c"), LIVEPATCH_STATE_CHECKED);
	assert_int_equal(action("a", LIVEPATCH_ACTION_REVERT, 0), 0);
	assert_string_equal(trace, "P");
	next_hooks.unload[0] = unload_hook;
	next_hooks.nunload = 1;
	assert_int_equal(upload("b", hv_id, id_b), 0);
	assert_int_equal(action("b", LIVEPATCH_ACTION_APPLY, 0), 0);
	assert_int_equal(action("c", LIVEPATCH_ACTION_REPLACE, 0), 0);
	assert_string_equal(trace, "Pu"); /* b's unload hook ran */
	assert_int_equal(state_of("b"), LIVEPATCH_STATE_CHECKED);
	reset_hooks();
	unload_all();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_checked),
		cmocka_unit_test(list_protocol),
		cmocka_unit_test(apply_revert_states),
		cmocka_unit_test(rendezvous_timeout_keeps_checked),
		cmocka_unit_test(stacking_and_replace),
		cmocka_unit_test(load_unload_hooks_in_rendezvous),
		cmocka_unit_test(pre_hook_vetoes),
		cmocka_unit_test(action_hook_replaces_default),
		cmocka_unit_test(inconsistent_action_hook_restored),
		cmocka_unit_test(replace_refused_with_vetoing_hooks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
