# SPDX-License-Identifier: MIT
UNIT_TESTS += evtchn_fifo
evtchn_fifo_SRCS := tests/unit/test_evtchn_fifo.c common/xen/evtchn.c \
		    common/xen/evtchn_fifo.c common/xen/xsm.c \
		    common/xen/preempt.c tests/unit/fake_domain.c \
		    tests/unit/fake_p2m.c tests/unit/printk_stub.c
evtchn_fifo_DEPS := tests/unit/fake_domain.h tests/unit/printk_stub.h \
		    $(wildcard include/public/*.h)
