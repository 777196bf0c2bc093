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
}

int arch_livepatch_quiesce(void (*work)(void *ctx), void *ctx,
			   uint64_t timeout_ns, struct lp_hold *hold)
{
	if (quiesce_rc)
		return quiesce_rc;
	work(ctx);
	*hold = (struct lp_hold){1000, 100, 4};
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_checked),
		cmocka_unit_test(list_protocol),
		cmocka_unit_test(apply_revert_states),
		cmocka_unit_test(rendezvous_timeout_keeps_checked),
		cmocka_unit_test(stacking_and_replace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
