/* SPDX-License-Identifier: MIT */
/* Unit tests of include/orchid/list.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <orchid/list.h>

struct item {
	int value;
	struct list_head node;
};

/* The values on @head, front to back, as digits. */
static void expect_values(struct list_head *head, const char *want)
{
	char got[16];
	struct item *it;
	size_t n = 0;

	list_for_each_entry(it, head, node)
	{
		assert_true(n < sizeof(got) - 1);
		got[n++] = (char)('0' + it->value);
	}
	got[n] = '\0';
	assert_string_equal(got, want);
}

static void test_add_and_del(void **state)
{
	struct item it[4] = {
		{.value = 0}, {.value = 1}, {.value = 2}, {.value = 3}};
	struct list_head head;

	list_init(&head);
	assert_true(list_empty(&head));
	assert_null(list_first_entry_or_null(&head, struct item, node));
	assert_null(list_last(&head));

	list_add_tail(&it[1].node, &head);
	list_add(&it[0].node, &head);
	list_add_tail(&it[3].node, &head);
	list_add_tail(&it[2].node, &it[3].node); /* before 3 */
	expect_values(&head, "0123");
	assert_false(list_empty(&head));
	assert_ptr_equal(list_first_entry(&head, struct item, node), &it[0]);
	assert_ptr_equal(list_last_entry(&head, struct item, node), &it[3]);
	assert_true(list_is_first(&it[0].node, &head));
	assert_true(list_is_last(&it[3].node, &head));
	assert_ptr_equal(list_next_entry(&it[1], node), &it[2]);
	assert_ptr_equal(list_prev_entry(&it[1], node), &it[0]);

	list_del(&it[2].node);
	assert_true(list_empty(&it[2].node)); /* unlinked nodes say so */
	list_del(&it[2].node);		      /* and a second del is harmless */
	expect_values(&head, "013");
	list_del(&it[0].node);
	list_del(&it[3].node);
	expect_values(&head, "1");
	list_del(&it[1].node);
	assert_true(list_empty(&head));
}

static void test_safe_walk(void **state)
{
	struct item it[6];
	struct list_head head, *pos;
	struct item *cur, *tmp;
	int i, count = 0;

	list_init(&head);
	for (i = 0; i < 6; i++) {
		it[i].value = i;
		list_add_tail(&it[i].node, &head);
	}
	list_for_each(pos, &head) count++;
	assert_int_equal(count, 6);

	list_for_each_entry_safe(cur, tmp, &head, node)
	{
		if (cur->value % 2)
			list_del(&cur->node);
	}
	expect_values(&head, "024");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_and_del),
		cmocka_unit_test(test_safe_walk),
	};

	return cmocka_run_group_tests_name("list", tests, NULL, NULL);
}
