/* SPDX-License-Identifier: MIT */
/*
 * Sets of physical ranges, used at boot to compute "RAM minus everything
 * reserved". The set stays sorted, disjoint and never holds two adjacent
 * ranges (they are merged), so there is exactly one way to write a set.
 *
 * Internally a range is handled as [first, last] with an inclusive last
 * byte, so a range that ends at the very top of the address space
 * (base + size == 2^64) is handled without overflow.
 */
#include <orchid/mm.h>

struct span {
	uint64_t first;
	uint64_t last;
};

static struct span range_set_span(const struct range_set *set, unsigned int i)
{
	uint64_t base = pa_addr(set->r[i].base);

	return (struct span){base, base + set->r[i].size - 1};
}

/*
 * Store @s as entry @i. A span covering all 2^64 bytes has no size that fits
 * in 64 bits; callers reject it before getting here.
 */
static void range_set_store(struct range_set *set, unsigned int i,
			    struct span s)
{
	set->r[i].base = pa_init(s.first);
	set->r[i].size = s.last - s.first + 1;
}

/* True when the spans overlap or touch, so that they must merge. */
static bool span_touches(struct span a, struct span b)
{
	bool a_reaches_b = a.last >= b.first || a.last + 1 == b.first;
	bool b_reaches_a = b.last >= a.first || b.last + 1 == a.first;

	return a_reaches_b && b_reaches_a;
}

static bool span_overlaps(struct span a, struct span b)
{
	return a.first <= b.last && b.first <= a.last;
}

/* Make room for one entry at @i; the caller checked that there is a slot. */
static void range_set_open(struct range_set *set, unsigned int i)
{
	unsigned int j;

	for (j = set->n; j > i; j--)
		set->r[j] = set->r[j - 1];
	set->n++;
}

/* Drop @count entries starting at @i. */
static void range_set_close(struct range_set *set, unsigned int i,
			    unsigned int count)
{
	unsigned int j;

	for (j = i; j + count < set->n; j++)
		set->r[j] = set->r[j + count];
	set->n -= count;
}

bool range_set_add(struct range_set *set, paddr_t base, uint64_t size)
{
	struct span s = {pa_addr(base), pa_addr(base) + size - 1};
	unsigned int i, j;

	if (size == 0)
		return true;
	if (range_overflows(pa_addr(base), size))
		return false;

	/* Skip ranges wholly below @s; the ones that touch it follow. */
	for (i = 0; i < set->n; i++) {
		struct span r = range_set_span(set, i);

		if (span_touches(r, s) || r.first > s.last)
			break;
	}
	for (j = i; j < set->n; j++) {
		struct span r = range_set_span(set, j);

		if (!span_touches(r, s))
			break;
		s.first = min_u64(s.first, r.first);
		s.last = max_u64(s.last, r.last);
	}

	/* The whole 64-bit space cannot be stored as one size. */
	if (s.first == 0 && s.last == UINT64_MAX)
		return false;

	if (i == j) {
		if (set->n == RANGE_SET_MAX)
			return false;
		range_set_open(set, i);
	} else if (j - i > 1) {
		range_set_close(set, i + 1, j - i - 1);
	}
	range_set_store(set, i, s);
	return true;
}

/*
 * Cut @s out of entry @i, which overlaps it. Returns how many entries remain
 * in its place (0, 1 or 2), or -1 when a split needs a slot the set lacks.
 */
static int range_set_cut(struct range_set *set, unsigned int i, struct span s)
{
	struct span r = range_set_span(set, i);
	bool keep_low = r.first < s.first;
	bool keep_high = r.last > s.last;

	if (keep_low && keep_high) {
		if (set->n == RANGE_SET_MAX)
			return -1;
		range_set_open(set, i + 1);
		range_set_store(set, i, (struct span){r.first, s.first - 1});
		range_set_store(set, i + 1, (struct span){s.last + 1, r.last});
		return 2;
	}
	if (keep_low) {
		range_set_store(set, i, (struct span){r.first, s.first - 1});
		return 1;
	}
	if (keep_high) {
		range_set_store(set, i, (struct span){s.last + 1, r.last});
		return 1;
	}
	range_set_close(set, i, 1);
	return 0;
}

bool range_set_remove(struct range_set *set, paddr_t base, uint64_t size)
{
	struct span s = {pa_addr(base), pa_addr(base) + size - 1};
	unsigned int i = 0;

	if (size == 0)
		return true;
	if (range_overflows(pa_addr(base), size))
		return false;

	/*
	 * Only a range that strictly contains @s needs a new slot, and then it
	 * is the only range touched, so failing leaves the set unchanged.
	 */
	while (i < set->n) {
		struct span r = range_set_span(set, i);
		int kept;

		if (r.first > s.last)
			break;
		if (!span_overlaps(r, s)) {
			i++;
			continue;
		}
		kept = range_set_cut(set, i, s);
		if (kept < 0)
			return false;
		i += kept;
	}
	return true;
}

/*
 * A range that wraps around the address space is not a range; report it as
 * overlapping so that a caller checking for conflicts rejects it.
 */
bool range_set_overlaps(const struct range_set *set, paddr_t base,
			uint64_t size)
{
	struct span s = {pa_addr(base), pa_addr(base) + size - 1};
	unsigned int i;

	if (size == 0)
		return false;
	if (range_overflows(pa_addr(base), size))
		return true;

	for (i = 0; i < set->n; i++) {
		if (span_overlaps(range_set_span(set, i), s))
			return true;
	}
	return false;
}
