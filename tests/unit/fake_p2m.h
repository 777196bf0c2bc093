/* SPDX-License-Identifier: MIT */
/*
 * The p2m lock and p2m_lookup shared by every fake stage 2 of the unit
 * tests (fake_domain.c, fake_guest.c, test_guest_access.c). Each fake keeps
 * its own table and its own p2m_lookup_locked; what they share is the
 * contract of include/orchid/p2m.h: one p2m lock at a time, lookups inside
 * it, and p2m_lookup as a locked p2m_lookup_locked, as arch/arm64/p2m.c.
 */
#ifndef FAKE_P2M_H
#define FAKE_P2M_H

/* p2m_lock depth: 0 between calls, 1 inside p2m_lock ... p2m_unlock. */
extern int fake_p2m_locked;

#endif /* FAKE_P2M_H */
