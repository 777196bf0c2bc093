/* SPDX-License-Identifier: MIT */
/*
 * Intrusive doubly-linked circular lists. The node lives inside the object it
 * links, so putting an object on a list never allocates and removal is O(1).
 * A list is a struct list_head that points to itself when empty; a node that
 * is on no list also points to itself (list_init, list_del), so list_empty
 * on a node tells whether it is linked.
 */
#ifndef ORCHID_LIST_H
#define ORCHID_LIST_H

#include <orchid/types.h>

struct list_head {
	struct list_head *next;
	struct list_head *prev;
};

/*
 * The object that contains @ptr as its @member. A macro because it needs a
 * type and a member name; the typed temporary rejects a @ptr that does not
 * match the member.
 */
#ifndef container_of
#define container_of(ptr, type, member)                                        \
	({                                                                     \
		const __typeof__(((type *)0)->member) *mptr__ = (ptr);         \
		(type *)(void *)((char *)mptr__ - offsetof(type, member));     \
	})
#endif

static inline void list_init(struct list_head *head)
{
	head->next = head;
	head->prev = head;
}

/* True when @head is an empty list, or when node @head is on no list. */
static inline bool list_empty(const struct list_head *head)
{
	return head->next == head;
}

static inline void list_insert_between(struct list_head *node,
				       struct list_head *prev,
				       struct list_head *next)
{
	node->prev = prev;
	node->next = next;
	prev->next = node;
	next->prev = node;
}

/* Insert @node right after @pos: at the front when @pos is the list head. */
static inline void list_add(struct list_head *node, struct list_head *pos)
{
	list_insert_between(node, pos, pos->next);
}

/* Insert @node right before @pos: at the back when @pos is the list head. */
static inline void list_add_tail(struct list_head *node, struct list_head *pos)
{
	list_insert_between(node, pos->prev, pos);
}

/*
 * Unlink @node and leave it pointing to itself, so that list_empty(node) is
 * true afterwards and a second list_del is harmless.
 */
static inline void list_del(struct list_head *node)
{
	node->prev->next = node->next;
	node->next->prev = node->prev;
	list_init(node);
}

static inline bool list_is_first(const struct list_head *node,
				 const struct list_head *head)
{
	return head->next == node;
}

static inline bool list_is_last(const struct list_head *node,
				const struct list_head *head)
{
	return head->prev == node;
}

/* The first node of @head, or NULL when the list is empty. */
static inline struct list_head *list_first(const struct list_head *head)
{
	return list_empty(head) ? NULL : head->next;
}

/* The last node of @head, or NULL when the list is empty. */
static inline struct list_head *list_last(const struct list_head *head)
{
	return list_empty(head) ? NULL : head->prev;
}

/* The walkers below need a type or a loop header, so they are macros. */
#define list_entry(ptr, type, member) container_of(ptr, type, member)

/* The first object on a non-empty list. */
#define list_first_entry(head, type, member)                                   \
	list_entry((head)->next, type, member)

/* The last object on a non-empty list. */
#define list_last_entry(head, type, member)                                    \
	list_entry((head)->prev, type, member)

/* The first object on @head, or NULL when it is empty. */
#define list_first_entry_or_null(head, type, member)                           \
	({                                                                     \
		struct list_head *first__ = list_first(head);                  \
		first__ ? list_entry(first__, type, member) : NULL;            \
	})

#define list_next_entry(pos, member)                                           \
	list_entry((pos)->member.next, __typeof__(*(pos)), member)

#define list_prev_entry(pos, member)                                           \
	list_entry((pos)->member.prev, __typeof__(*(pos)), member)

#define list_for_each(pos, head)                                               \
	for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

#define list_for_each_entry(pos, head, member)                                 \
	for ((pos) = list_first_entry(head, __typeof__(*(pos)), member);       \
	     &(pos)->member != (head); (pos) = list_next_entry(pos, member))

/* As list_for_each_entry, but the body may list_del (or free) @pos. */
#define list_for_each_entry_safe(pos, tmp, head, member)                       \
	for ((pos) = list_first_entry(head, __typeof__(*(pos)), member),       \
	    (tmp) = list_next_entry(pos, member);                              \
	     &(pos)->member != (head);                                         \
	     (pos) = (tmp), (tmp) = list_next_entry(tmp, member))

#endif /* ORCHID_LIST_H */
