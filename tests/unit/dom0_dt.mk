# SPDX-License-Identifier: MIT
# Dom0 device-tree tests: QEMU's virt DTBs and the anchor DTBs (QEMU's plus
# Xen's boot modules in /chosen, as the anchor's boot-xen.sh builds them;
# tests/unit/fdt.mk makes the GICv3 one, this file the GICv2 one), small
# trees the test compiles with dtc, and the DTs real Xen 4.17 gave Dom0 on
# the same machine (tests/unit/data/dom0_dt-xen-gic*.dts.golden).
UNIT_TESTS += dom0_dt
dom0_dt_SRCS := tests/unit/test_dom0_dt.c tests/unit/test_data.c arch/arm64/dom0_dt.c \
		arch/arm64/dom0_dt_gic.c arch/arm64/dt_lookup.c common/mm/range_set.c \
		lib/fdt_write.c lib/fdt.c
# This file is read before fdt.mk: name the data folder here too.
DOM0_DT_DATA := $(BUILD)/unit/data
DOM0_DT_GOLDEN := $(patsubst tests/unit/data/%,$(DOM0_DT_DATA)/%, \
		  $(wildcard tests/unit/data/dom0_dt-*.golden))
dom0_dt_DEPS = $(FDT_TEST_DTBS) $(DOM0_DT_DATA)/anchor-gic2.dtb \
	       $(DOM0_DT_GOLDEN) arch/arm64/dt_lookup.h arch/arm64/dom0_dt_priv.h \
	       arch/arm64/dom0_dt.h

$(DOM0_DT_DATA)/anchor-gic2.dtb: $(DOM0_DT_DATA)/virt-gic2.dtb \
				 tests/unit/data/anchor-chosen.dtsi
	@echo "  DTC     $@"
	$(Q)dtc -q -I dtb -O dts -o $@.dts $<
	$(Q)cat tests/unit/data/anchor-chosen.dtsi >> $@.dts
	$(Q)dtc -q -I dts -O dtb -o $@ $@.dts

$(DOM0_DT_DATA)/dom0_dt-%.golden: tests/unit/data/dom0_dt-%.golden
	@mkdir -p $(dir $@)
	$(Q)cp $< $@
