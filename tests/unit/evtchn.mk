# SPDX-License-Identifier: MIT
UNIT_TESTS += evtchn
evtchn_SRCS := common/preempt.c tests/unit/test_evtchn.c common/evtchn.c tests/unit/fake_domain.c
evtchn_DEPS := tests/unit/fake_domain.h $(wildcard include/public/*.h)
