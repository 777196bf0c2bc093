# SPDX-License-Identifier: MIT
UNIT_TESTS += evtchn
evtchn_SRCS := tests/unit/test_evtchn.c common/evtchn.c common/xsm.c \
	       common/preempt.c tests/unit/fake_domain.c tests/unit/fake_p2m.c \
	       tests/unit/printk_stub.c
evtchn_DEPS := tests/unit/fake_p2m.h tests/unit/fake_domain.h tests/unit/printk_stub.h \
	       $(wildcard include/public/*.h)
