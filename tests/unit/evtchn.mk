# SPDX-License-Identifier: MIT
UNIT_TESTS += evtchn
evtchn_SRCS := tests/unit/test_evtchn.c common/xen/evtchn.c \
	       common/xen/evtchn_fifo.c common/xen/xsm.c \
	       common/xen/preempt.c tests/unit/fake_domain.c \
	       tests/unit/printk_stub.c
evtchn_DEPS := tests/unit/fake_domain.h tests/unit/printk_stub.h \
	       $(wildcard include/public/*.h)
evtchn_SRCS += tests/unit/fake_p2m.c
