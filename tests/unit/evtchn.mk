#SPDX - License - Identifier : MIT
UNIT_TESTS += evtchn
evtchn_SRCS := tests/unit/test_evtchn.c common/evtchn.c tests/unit/fake_domain.c
evtchn_DEPS := tests/unit/fake_domain.h $(wildcard include/public/*.h)
# <orchid/domain.h> needs <asm/domain.h>, which only arm64 has: its plain
# struct definitions compile on the host, found after the fake arch's
# headers (CPATH directories come after every -I).
$(BUILD)/unit/evtchn: export CPATH := $(CURDIR)/arch/arm64/include
