/* SPDX-License-Identifier: MIT */
/* The p2m lock and p2m_lookup of tests/unit/fake_p2m.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <orchid/p2m.h>
#include "fake_p2m.h"

int fake_p2m_locked;

/* Code under test never nests the lock: a second take is a bug. */
void p2m_lock(struct domain *d)
{
	assert_int_equal(fake_p2m_locked, 0);
	fake_p2m_locked++;
}

void p2m_unlock(struct domain *d)
{
	assert_int_equal(fake_p2m_locked, 1);
	fake_p2m_locked--;
}

bool p2m_lookup(struct domain *d, ipaddr_t ipa, paddr_t *pa,
		enum p2m_type *type)
{
	bool found;

	p2m_lock(d);
	found = p2m_lookup_locked(d, ipa, pa, type);
	p2m_unlock(d);
	return found;
}
