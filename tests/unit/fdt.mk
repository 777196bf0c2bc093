# SPDX-License-Identifier: MIT
# Device-tree parser tests, and the DTBs they and the bootinfo tests read:
# QEMU's own virt DTBs (GICv3 and GICv2), the anchor DTB (QEMU's plus Xen's
# /chosen additions, as tests/anchors' boot-xen.sh builds it) and the
# hand-written edge cases in tests/unit/data/. All land in build/unit/data/,
# next to the test binaries, which find them from their own path.
UNIT_TESTS += fdt
fdt_SRCS := tests/unit/test_fdt.c tests/unit/test_data.c lib/fdt.c

FDT_TEST_DATA := $(BUILD)/unit/data
FDT_TEST_DTS := $(wildcard tests/unit/data/*.dts)
FDT_TEST_DTBS := $(FDT_TEST_DATA)/virt-gic3.dtb $(FDT_TEST_DATA)/virt-gic2.dtb \
		 $(FDT_TEST_DATA)/anchor-gic3.dtb \
		 $(patsubst tests/unit/data/%.dts,$(FDT_TEST_DATA)/%.dtb,$(FDT_TEST_DTS))
fdt_DEPS := $(FDT_TEST_DTBS)

# The machine Orchid runs on (see `make run`), with the DTB dumped instead
# of booted. QEMU exits by itself once the file is written.
$(FDT_TEST_DATA)/virt-gic%.dtb: tests/unit/fdt.mk
	@mkdir -p $(dir $@)
	@echo "  QEMU    $@"
	$(Q)timeout 60 qemu-system-aarch64 \
		-machine virt,virtualization=on,gic-version=$*,dumpdtb=$@.tmp \
		-cpu cortex-a57 -smp 4 -m 2048 -nographic -nic none \
		>$@.log 2>&1 || { cat $@.log >&2; exit 1; }
	$(Q)mv $@.tmp $@

$(FDT_TEST_DATA)/anchor-gic3.dtb: $(FDT_TEST_DATA)/virt-gic3.dtb \
				  tests/unit/data/anchor-chosen.dtsi
	@echo "  DTC     $@"
	$(Q)dtc -q -I dtb -O dts -o $@.dts $<
	$(Q)cat tests/unit/data/anchor-chosen.dtsi >> $@.dts
	$(Q)dtc -q -I dts -O dtb -o $@ $@.dts

$(FDT_TEST_DATA)/%.dtb: tests/unit/data/%.dts $(wildcard tests/unit/data/*.dtsi)
	@mkdir -p $(dir $@)
	@echo "  DTC     $@"
	$(Q)dtc -q -I dts -O dtb -o $@ $<
