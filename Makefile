# SPDX-License-Identifier: MIT
# Orchid: a Xen-compatible type-1 hypervisor for Arm64.
#
#   make run        install what is missing, build, boot Orchid + Dom0 +
#                   Xen's toolstack in QEMU, at Dom0's shell
#   make run-bare   the same for Orchid alone
#   make check      every test: format check, host unit tests, QEMU system tests
#   make            build build/orchid (ELF) and build/orchid.bin (Image)
#   make defconfig | menuconfig | olddefconfig | savedefconfig
#   make unit | coverage | systest | format | format-check | clean | distclean
#   make run-dom0 | dom0-xen | toolstack-xen | toolstack-orchid |
#        bench-dom0 | bench-toolstack | bench-preempt | bench-livepatch |
#        bench-sched | bench-pvio | guest | guest-toolstack | guest-tests |
#        fuzz (see below)

ARCH          ?= arm64
CROSS_COMPILE ?= aarch64-linux-gnu-
BUILD         ?= build
DEFCONFIG     ?= qemu_virt_defconfig
# Another configuration beside .config: `make fuzz COV=1` builds Orchid
# with hypercall coverage in $(BUILD)/hccov from a copy of it.
KCONFIG_CONFIG ?= .config
V             ?= 0

CC      := $(CROSS_COMPILE)gcc
LD      := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy
NM      := $(CROSS_COMPILE)nm
HOSTCC  ?= gcc
PYTHON  ?= python3

Q := $(if $(filter 1,$(V)),,@)

# ---- configuration (Kconfig through kconfig-frontends) ---------------------
KCONFIG_CONF  ?= kconfig-conf
KCONFIG_MCONF ?= kconfig-mconf
AUTOCONF      := $(BUILD)/include/generated/autoconf.h

CONFIG_TARGETS := defconfig menuconfig olddefconfig savedefconfig
NO_CONFIG_TARGETS := $(CONFIG_TARGETS) clean distclean deps unit format \
		     format-check help
ifeq ($(filter-out $(NO_CONFIG_TARGETS),$(or $(MAKECMDGOALS),all)),)
else
  ifeq ($(wildcard .config),)
    $(shell $(MAKE) --no-print-directory defconfig >&2)
  endif
  include $(KCONFIG_CONFIG)
endif

# A .config older than a Kconfig file gets the new options' defaults (as
# Linux's syncconfig), so a .config written before an option existed
# keeps building what the defaults say rather than silently leaving it out.
.DEFAULT_GOAL := all
KCONFIG_FILES := Kconfig $(wildcard */Kconfig arch/*/Kconfig)
ifneq ($(filter-out $(NO_CONFIG_TARGETS),$(or $(MAKECMDGOALS),all)),)
$(KCONFIG_CONFIG): $(KCONFIG_FILES)
	$(Q)KCONFIG_CONFIG=$@ $(KCONFIG_CONF) --olddefconfig Kconfig >/dev/null
	@echo "  CONFIG  $@ brought up to date with Kconfig"
endif

.PHONY: all defconfig menuconfig olddefconfig savedefconfig
all: $(BUILD)/orchid.bin

defconfig:
	$(Q)$(KCONFIG_CONF) --defconfig=configs/$(DEFCONFIG) Kconfig >/dev/null
	@echo "  CONFIG  .config from configs/$(DEFCONFIG)"
menuconfig:
	$(Q)$(KCONFIG_MCONF) Kconfig
olddefconfig:
	$(Q)$(KCONFIG_CONF) --olddefconfig Kconfig >/dev/null
savedefconfig:
	$(Q)$(KCONFIG_CONF) --savedefconfig=configs/$(DEFCONFIG) Kconfig

# The C view of .config, regenerated whenever .config changes.
$(AUTOCONF): $(KCONFIG_CONFIG) tools/gen-autoconf.sh
	@mkdir -p $(dir $@)
	$(Q)sh tools/gen-autoconf.sh $(KCONFIG_CONFIG) > $@.tmp && mv $@.tmp $@

# ---- objects: every folder lists its own in build.mk -----------------------
SRC_DIRS := arch/$(ARCH) common drivers lib
all-objs :=
define include_dir
obj-y :=
include $(1)/build.mk
all-objs += $$(addprefix $(BUILD)/$(1)/,$$(obj-y))
endef
ifneq ($(wildcard $(KCONFIG_CONFIG)),)
$(foreach d,$(SRC_DIRS),$(eval $(call include_dir,$(d))))
endif

VERSION := $(shell git describe --always --dirty --tags 2>/dev/null || echo unknown)

WARNINGS := -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes \
	    -Wstrict-prototypes -Wno-unused-parameter
CFLAGS := -std=gnu11 -ffreestanding -fno-builtin -nostdinc \
	  -isystem $(shell $(CC) -print-file-name=include) \
	  -mgeneral-regs-only -mstrict-align -mno-outline-atomics -fpie -fno-plt \
	  -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
	  -fno-optimize-sibling-calls \
	  -fno-stack-protector -fno-common -ffunction-sections \
	  -O2 -g $(WARNINGS) \
	  -Iinclude -Iarch/$(ARCH)/include -I$(BUILD)/include \
	  -include $(AUTOCONF) \
	  -DORCHID_VERSION='"$(VERSION)"' -MMD -MP
ASFLAGS := $(filter-out -std=gnu11,$(CFLAGS)) -D__ASSEMBLY__
CFLAGS += -include include/orchid/visibility.h
LDFLAGS := -nostdlib -pie --no-dynamic-linker -z notext -z norelro \
	   --no-undefined -z max-page-size=4096 --gc-sections \
	   --hash-style=sysv --build-id=sha1

# Assembly offsets are generated from C, never typed by hand.
ASM_OFFSETS := $(BUILD)/include/generated/asm-offsets.h
$(BUILD)/arch/$(ARCH)/asm-offsets.s: arch/$(ARCH)/asm-offsets.c $(AUTOCONF)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -S -o $@ $<
$(ASM_OFFSETS): $(BUILD)/arch/$(ARCH)/asm-offsets.s
	$(Q)sh tools/gen-asm-offsets.sh $< > $@.tmp && mv $@.tmp $@

$(BUILD)/%.o: %.c $(AUTOCONF) $(ASM_OFFSETS) Makefile
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<
$(BUILD)/%.o: %.S $(AUTOCONF) $(ASM_OFFSETS) Makefile
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(ASFLAGS) -c -o $@ $<

# hypfs's /buildinfo/config embeds the .config itself.
$(BUILD)/common/xen/hypfs_config.o: ASFLAGS += \
	-DORCHID_KCONFIG='"$(abspath $(KCONFIG_CONFIG))"'
$(BUILD)/common/xen/hypfs_config.o: $(KCONFIG_CONFIG)

LDS := $(BUILD)/orchid.lds
$(LDS): arch/$(ARCH)/orchid.lds.S $(AUTOCONF)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ASFLAGS) -P -E -o $@ -x assembler-with-cpp $<

# Two links: the first finds the functions' addresses, the second embeds
# their names for backtraces. The table sits after all code, so its size
# cannot move a function.
$(BUILD)/orchid.pass1: $(all-objs) $(LDS) $(BUILD)/syms-empty.o
	$(Q)$(LD) $(LDFLAGS) -T $(LDS) -o $@ $(all-objs) $(BUILD)/syms-empty.o
$(BUILD)/syms-empty.S:
	@mkdir -p $(dir $@)
	$(Q)sh tools/gen-symbols.sh /dev/null > $@
$(BUILD)/syms.S: $(BUILD)/orchid.pass1 tools/gen-symbols.sh
	$(Q)$(NM) -n $< | sh tools/gen-symbols.sh - > $@
$(BUILD)/syms.o $(BUILD)/syms-empty.o: $(BUILD)/%.o: $(BUILD)/%.S
	$(Q)$(CC) $(ASFLAGS) -c -o $@ $<
$(BUILD)/orchid: $(all-objs) $(LDS) $(BUILD)/syms.o
	@echo "  LD      $@"
	$(Q)$(LD) $(LDFLAGS) -T $(LDS) -o $@ $(all-objs) $(BUILD)/syms.o
	$(Q)printf '%s\n' $(all-objs) > $(BUILD)/objs.list # size-report's C lines
	$(Q)$(NM) -n $(BUILD)/orchid.pass1 | grep -i ' t ' > $(BUILD)/pass1.txt
	$(Q)$(NM) -n $@ | grep -i ' t ' > $(BUILD)/pass2.txt
	$(Q)cmp -s $(BUILD)/pass1.txt $(BUILD)/pass2.txt || \
		{ echo "symbol table moved code between links" >&2; exit 1; }
$(BUILD)/orchid.bin: $(BUILD)/orchid
	@echo "  OBJCOPY $@"
	$(Q)$(OBJCOPY) -O binary $< $@

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# ---- live patching: a payload from a C file, against this very image ------
#   make livepatch PATCH=file.c [DEPENDS=base.livepatch]
# builds BUILD/livepatch/<file>.livepatch: file.c compiled as Orchid is
# (twice: the second time with the functions' sizes, tools/livepatch/
# sizes.sh), .livepatch.xen_depends = this image's build-id,
# .livepatch.depends = the same (or DEPENDS's, to stack on that payload),
# linked relocatable with a build-id of its own. Upload it with Debian's
# xen-livepatch; docs/ARCHITECTURE.md, "Live patching".
LP_NAME = $(basename $(notdir $(PATCH)))
LP_TMP = $(BUILD)/livepatch/$(LP_NAME).tmp
LP_CFLAGS = $(filter-out -MMD -MP,$(CFLAGS))
LP_NOTE_FLAGS = $(foreach s,.livepatch.xen_depends .livepatch.depends,\
	--set-section-flags $(s)=alloc,readonly,contents \
	--set-section-alignment $(s)=4)
.PHONY: livepatch
livepatch: $(BUILD)/orchid.bin
	@test -n "$(PATCH)" || { echo "usage: make livepatch PATCH=file.c" \
		"[DEPENDS=base.livepatch]" >&2; exit 2; }
	@mkdir -p $(LP_TMP)
	$(Q)$(CC) $(LP_CFLAGS) -c $(PATCH) -o $(LP_TMP)/pass1.o
	$(Q)sh tools/livepatch/sizes.sh $(NM) $(BUILD)/orchid $(LP_TMP)/pass1.o \
		> $(LP_TMP)/sizes.h
	$(Q)$(CC) $(LP_CFLAGS) -DLIVEPATCH_SIZES -include $(LP_TMP)/sizes.h \
		-c $(PATCH) -o $(LP_TMP)/pass2.o
	$(Q)$(PYTHON) tools/livepatch/build-id-note.py $(BUILD)/orchid \
		$(LP_TMP)/xen.note
	$(Q)$(PYTHON) tools/livepatch/build-id-note.py \
		$(or $(DEPENDS),$(BUILD)/orchid) $(LP_TMP)/dep.note
	$(Q)$(OBJCOPY) --add-section .livepatch.xen_depends=$(LP_TMP)/xen.note \
		--add-section .livepatch.depends=$(LP_TMP)/dep.note \
		$(LP_NOTE_FLAGS) $(LP_TMP)/pass2.o $(LP_TMP)/notes.o
	$(Q)$(LD) -r --build-id=sha1 -o $(BUILD)/livepatch/$(LP_NAME).livepatch \
		$(LP_TMP)/notes.o
	@echo "  LIVEPATCH $(BUILD)/livepatch/$(LP_NAME).livepatch"

# ---- running and testing ----------------------------------------------------
.PHONY: run run-bare deps check unit systest
deps:
	$(Q)sh tools/install-deps.sh

QEMU_SMP ?= 4
QEMU_GIC ?= 3
QEMU_CPU ?= cortex-a57
# Orchid with Debian's Linux as Dom0 and Xen's toolstack running, at
# Dom0's shell on hvc0, ready to `xl create` the demo DomU.
run: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)bash tools/fetch-guest.sh --build $(BUILD) --toolstack
	$(Q)BUILD=$(BUILD) SMP=$(QEMU_SMP) GIC=$(QEMU_GIC) sh tools/run-dom0.sh --toolstack

# Orchid alone: its banner, then idle.
run-bare: deps
	$(Q)$(MAKE) --no-print-directory all
	@echo "Booting Orchid in QEMU ($(QEMU_SMP) CPUs, GICv$(QEMU_GIC)); Ctrl-A x quits."
	$(Q)qemu-system-aarch64 -machine virt,virtualization=on,gic-version=$(QEMU_GIC) \
		-cpu $(QEMU_CPU) -smp $(QEMU_SMP) -m 2048 -nographic -nic none \
		-kernel $(BUILD)/orchid.bin -append "$(ORCHID_ARGS)"

# Orchid with two boot-time (dom0less) DomUs of the bare-metal test guest,
# no Dom0 (tests/system/dom0less.py's demo): Ctrl-a three times switches
# the serial input; DOM1 echoes a line, crashes and is rebuilt by its
# orchid,on-crash = "restart" policy; DOM2 ticks throughout.
.PHONY: run-dom0less
run-dom0less: deps
	$(Q)$(MAKE) --no-print-directory all baremetal
	$(Q)$(PYTHON) tests/system/dom0less.py --build $(BUILD) --interactive

check: format-check unit kconfig-check systest

# The Dom0 cases download Debian's arm64 kernel once (tools/fetch-guest.sh);
# ORCHID_DOM0_TESTS=0 skips them.
export ORCHID_DOM0_TESTS ?= 1
# The toolstack case (xl create/pause/destroy DomUs) likewise; 0 skips it.
export ORCHID_TOOLSTACK_TESTS ?= 1
# Two lanes: the toolstack scenario beside the other cases (run.py --jobs);
# ORCHID_TEST_JOBS=1 runs them one after the other.
export ORCHID_TEST_JOBS ?= 2
systest: all baremetal minimal-image $(BUILD)/tests/boot_shim_dtb.bin $(BUILD)/tests/boot_shim_nodtb.bin
	$(Q)$(PYTHON) tests/system/run.py --build $(BUILD) $(SYSTEST_ARGS)

# ---- Kconfig removes code ---------------------------------------------------
# kconfig-check  builds BUILD/kconfig-min from .config with CONFIG_HYPFS,
#                CONFIG_DEBUG_KEYS, CONFIG_TRACEBUFFER, CONFIG_DOM0LESS,
#                CONFIG_STATIC_MEMORY, CONFIG_VPL011, the extra schedulers, CONFIG_GRANT_TABLE,
#                CONFIG_TOOLSTACK, CONFIG_CONSOLE_RING and CONFIG_LIVEPATCH
#                off and fails if any of their functions is in
#                that image (their hypercalls then answer -ENOSYS); then
#                every configs/*_defconfig and RANDCONFIG_SEEDS random
#                configurations must build (configs-check).
# size-report    image bytes and compiled C lines of each configuration
#                configs-check built, beside Xen 4.17's arm64 image.
KMIN := $(BUILD)/kconfig-min
KMIN_SYMS := hc_hypfs_op|hypfs_[a-z_]*|keyhandler_[a-z_]*|sched_dump_runq|evtchn_dump|gnttab_dump|arch_vcpu_dump_regs|sysctl_debug_keys|trace_record|trace_control|domain_mem_alloc_xen_shared|vpl011_init|vpl011_init_ring|vpl011_attach|vpl011_read_reg|dom0less_build_one|dom0less_parse|dom0less_policy_parse|dom0less_policy_attach|dom0less_hwdom_policy|sched_null|sched_rtds|do_grant_table_op|gnttab_[a-z_]*|hc_domctl|hc_sysctl|domctl_passthrough|cpupool_op|sched_dom_cntl|sched_sys_cntl|console_ring_[a-z_]*|sysctl_readconsole|sched_credit|sched_arinc653|livepatch_op|lp_[a-z_]*|arch_livepatch_[a-z_]*|mmu_alias_[a-z]*|smp_call_function_async|symbol_address|static_mem_parse|static_mem_mark|smem_[a-z_]*
.PHONY: kconfig-check
kconfig-check: all
	@mkdir -p $(KMIN)
	$(Q){ grep -vE '^(# )?CONFIG_(HYPFS|DEBUG_KEYS|TRACEBUFFER|DOM0LESS|STATIC_MEMORY|VPL011|SCHED_NULL|SCHED_RTDS|GRANT_TABLE|TOOLSTACK|CONSOLE_RING|SCHED_CREDIT|SCHED_ARINC653|LIVEPATCH)[= ]' $(KCONFIG_CONFIG); \
	  for o in HYPFS DEBUG_KEYS TRACEBUFFER DOM0LESS STATIC_MEMORY VPL011 SCHED_NULL SCHED_RTDS GRANT_TABLE TOOLSTACK CONSOLE_RING SCHED_CREDIT SCHED_ARINC653 LIVEPATCH; do \
	    echo "# CONFIG_$$o is not set"; done; } > $(KMIN)/config.new
	$(Q)cmp -s $(KMIN)/config.new $(KMIN)/.config || \
		mv $(KMIN)/config.new $(KMIN)/.config
	$(Q)$(MAKE) --no-print-directory KCONFIG_CONFIG=$(KMIN)/.config \
		BUILD=$(KMIN)/build $(KMIN)/build/orchid.bin
	$(Q)if $(NM) $(KMIN)/build/orchid | grep -wE '$(KMIN_SYMS)'; then \
		echo "kconfig-check: code of a configured-out feature is linked" >&2; \
		exit 1; fi
	$(Q)$(NM) $(BUILD)/orchid | grep -qw hc_hypfs_op || \
		{ echo "kconfig-check: the full build lacks hypfs" >&2; exit 1; }
	$(Q)$(NM) $(BUILD)/orchid | grep -qw trace_record || \
		{ echo "kconfig-check: the full build lacks trace buffers" >&2; exit 1; }
	$(Q)$(NM) $(BUILD)/orchid | grep -qw do_grant_table_op || \
		{ echo "kconfig-check: the full build lacks grant tables" >&2; exit 1; }
	$(Q)$(NM) $(BUILD)/orchid | grep -qw hc_domctl || \
		{ echo "kconfig-check: the full build lacks domctl" >&2; exit 1; }
	$(Q)$(NM) $(BUILD)/orchid | grep -qw livepatch_op || \
		{ echo "kconfig-check: the full build lacks live patching" >&2; exit 1; }
	@echo "  KCONFIG hypfs, debug keys, trace buffers, dom0less, static memory, vpl011, null, RTDS, credit, ARINC 653, grant tables, toolstack, console ring, livepatch off: none of their code in $(KMIN)/build/orchid"
	$(Q)$(MAKE) --no-print-directory configs-check
	$(Q)if $(NM) $(CFG)/minimal/build/orchid | grep -qw sched_credit2; then \
		echo "kconfig-check: credit2 is linked in the minimal build" >&2; \
		exit 1; fi

# Each configuration in CFG/<name>/: its .config and its own build. Random
# ones come from kconfig-conf --randconfig with a fixed KCONFIG_SEED, so a
# failure replays: make configs-check RANDCONFIG_SEEDS=<seed>.
CFG := $(BUILD)/configs
DEFCONFIGS := $(patsubst configs/%_defconfig,%,$(wildcard configs/*_defconfig))
RANDCONFIG_SEEDS ?= 1 2 3
CFG_NAMES = $(DEFCONFIGS) $(addprefix rand,$(RANDCONFIG_SEEDS))
$(CFG)/%/.config: configs/%_defconfig $(KCONFIG_FILES)
	@mkdir -p $(dir $@)
	$(Q)KCONFIG_CONFIG=$@ $(KCONFIG_CONF) --defconfig=$< Kconfig >/dev/null
$(CFG)/rand%/.config: $(KCONFIG_FILES)
	@mkdir -p $(dir $@)
	$(Q)KCONFIG_SEED=$* KCONFIG_CONFIG=$@ $(KCONFIG_CONF) --randconfig Kconfig >/dev/null
.PHONY: configs-check size-report minimal-image
# The static-partitioning image the dom0less-two-domus-minimal case boots.
minimal-image: $(CFG)/minimal/.config
	$(Q)$(MAKE) --no-print-directory KCONFIG_CONFIG=$(CFG)/minimal/.config \
		BUILD=$(CFG)/minimal/build $(CFG)/minimal/build/orchid.bin
configs-check: $(foreach c,$(CFG_NAMES),$(CFG)/$(c)/.config)
	$(Q)for c in $(CFG_NAMES); do \
		$(MAKE) --no-print-directory KCONFIG_CONFIG=$(CFG)/$$c/.config \
			BUILD=$(CFG)/$$c/build $(CFG)/$$c/build/orchid.bin \
			> $(CFG)/$$c/build.log 2>&1 || \
		{ echo "configs-check: $$c does not build (log: $(CFG)/$$c/build.log)" >&2; \
		  tail -n 20 $(CFG)/$$c/build.log >&2; exit 1; }; \
		echo "  CONFIG  $$c builds"; \
	done
XEN_IMAGE = $(firstword $(wildcard $(or $(ORCHID_CACHE),cache)/unpacked/xen-hypervisor-4.17-arm64_*/boot/xen-4.17-arm64))
size-report: configs-check
	$(Q)$(PYTHON) tools/size-report.py --configs $(CFG) $(CFG_NAMES) \
		$(if $(XEN_IMAGE),--xen $(XEN_IMAGE))

# ---- host unit tests (cmocka), common code against the fake arch ------------
UNIT_TESTS :=
# Tests of arch/arm64 files: Arm's struct arch_vcpu (tests/unit/arm64/asm/
# domain.h) and headers, the fake's locks and system registers.
UNIT_ARM64_CFLAGS := -Itests/unit/arm64 -idirafter arch/arm64/include
include $(wildcard tests/unit/*.mk)
HOST_CFLAGS := -std=gnu11 -g -O1 $(WARNINGS) -Wno-missing-prototypes \
	       -fsanitize=address,undefined -fno-sanitize-recover=all \
	       -Iinclude -Iarch/fake/include -include tests/unit/host_config.h \
	       -DHOST_TEST
UNIT_BIN := $(BUILD)/unit
# <name>_DEPS: extra prerequisites, e.g. test data built by the .mk file.
# <name>_CFLAGS: flags placed first, e.g. $(UNIT_ARM64_CFLAGS).
define unit_rule
$(UNIT_BIN)/$(1): $$($(1)_SRCS) $$($(1)_DEPS) arch/fake/fake.c $$(wildcard include/orchid/*.h) \
		$$(wildcard arch/fake/include/asm/*.h) tests/unit/$(1).mk
	@mkdir -p $$(dir $$@)
	@echo "  HOSTCC  $$@"
	$(Q)$(HOSTCC) $$($(1)_CFLAGS) $(HOST_CFLAGS) -o $$@ $$($(1)_SRCS) \
		arch/fake/fake.c -lcmocka
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_rule,$(t))))

unit: $(addprefix $(UNIT_BIN)/,$(UNIT_TESTS))
	$(Q)fail=0; for t in $(UNIT_TESTS); do \
		$(UNIT_BIN)/$$t || fail=1; \
	done; exit $$fail

# ---- coverage: line coverage of common/ and arch/arm64/ by the unit tests -----
# coverage   every unit test again with --coverage (-O0, no sanitizers) in
#            BUILD/coverage/unit, run there; every C file of common/ and
#            arch/$(ARCH)/ in the image compiled again with --coverage
#            (BUILD/coverage/image: which lines are executable); then
#            tools/coverage.py sums gcov's counts into
#            bench/results/coverage.md. Not part of `make check`.
.PHONY: coverage
COV_DIR := $(BUILD)/coverage
COV_HOST_CFLAGS := $(filter-out -O1 -fsanitize=% -fno-sanitize-recover=%,\
		   $(HOST_CFLAGS)) -O0 --coverage
COV_IMAGE_SRCS := $(wildcard $(patsubst $(BUILD)/%.o,%.c,$(filter \
		  $(BUILD)/common/% $(BUILD)/arch/$(ARCH)/%,$(all-objs))))
define cov_unit_rule
$(COV_DIR)/unit/$(1): $$($(1)_SRCS) $$($(1)_DEPS) arch/fake/fake.c \
		$$(wildcard include/orchid/*.h) tests/unit/$(1).mk
	@mkdir -p $$(dir $$@)
	@echo "  HOSTCC  $$@ (--coverage)"
	$(Q)$(HOSTCC) $$($(1)_CFLAGS) $(COV_HOST_CFLAGS) -o $$@ \
		$$($(1)_SRCS) arch/fake/fake.c -lcmocka
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call cov_unit_rule,$(t))))
$(COV_DIR)/image/%.o: %.c $(AUTOCONF) $(ASM_OFFSETS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -O0 --coverage -c -o $@ $<
coverage: $(addprefix $(COV_DIR)/unit/,$(UNIT_TESTS)) \
	  $(patsubst %.c,$(COV_DIR)/image/%.o,$(COV_IMAGE_SRCS))
	$(Q)rm -f $(COV_DIR)/unit/*.gcda
	$(Q)ln -sfn $(abspath $(FDT_TEST_DATA)) $(COV_DIR)/unit/data # test DTBs
	$(Q)fail=0; for t in $(UNIT_TESTS); do \
		$(COV_DIR)/unit/$$t > $(COV_DIR)/unit/$$t.log 2>&1 || \
		{ echo "coverage: unit test $$t failed" \
		  "($(COV_DIR)/unit/$$t.log)"; fail=1; }; \
	done; \
	$(PYTHON) tools/coverage.py --unit $(COV_DIR)/unit \
		--image $(COV_DIR)/image --out bench/results/coverage.md && \
	exit $$fail

# ---- style -------------------------------------------------------------------
FORMAT_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
.PHONY: format format-check clean distclean
format:
	$(Q)clang-format -i $(FORMAT_FILES)
format-check:
	$(Q)clang-format --dry-run --Werror $(FORMAT_FILES)

clean:
	rm -rf $(BUILD)
distclean: clean
	rm -f .config .config.old

# ---- system test assets -------------------------------------------------------
SHIM_DTB    := 0x49000000
SHIM_TARGET := 0x41000000
$(BUILD)/tests/boot_shim_%.bin: tests/system/boot_shim.S
	@mkdir -p $(dir $@)
	$(Q)$(CC) -nostdlib -static -Wl,-Ttext=0 -Wl,--build-id=none \
		-DSHIM_DTB=$(if $(filter nodtb,$*),0,$(SHIM_DTB)) \
		-DSHIM_TARGET=$(SHIM_TARGET) -o $(basename $@).elf $<
	$(Q)$(OBJCOPY) -O binary $(basename $@).elf $@

# ---- Dom0: Debian's arm64 Linux on the hypervisor -------------------------------
# guest       download/build the Dom0 material (tools/fetch-guest.sh, cached)
# dom0-xen    the Dom0 system tests on Debian's Xen 4.17 (the reference)
# run-dom0    boot Orchid (HV_IMAGE=... for another image) to Dom0's shell
# bench-dom0  Dom0 boot + hypercall benchmark, Orchid vs Xen 4.17
# The Dom0 cases join `make systest` / `make check` with ORCHID_DOM0_TESTS=1.
.PHONY: guest dom0-xen run-dom0 bench-dom0
guest:
	$(Q)bash tools/fetch-guest.sh --build $(BUILD)
dom0-xen: guest
	$(Q)$(PYTHON) tests/system/run.py --build $(BUILD) \
		--hv $(BUILD)/guest/xen --only 'dom0-*'
run-dom0: deps all
	$(Q)BUILD=$(BUILD) sh tools/run-dom0.sh
bench-dom0: all guest
	$(Q)$(PYTHON) bench/dom0-boot.py --build $(BUILD)

# ---- Xen's toolstack in Dom0: xl creates, runs and destroys DomUs ---------------
# guest-toolstack   the toolstack initramfs (tools/fetch-guest.sh --toolstack:
#                   Debian's xl, xenstored, xenconsoled + a DomU, cached)
# toolstack-xen     the toolstack system test on Debian's Xen 4.17 (reference)
# toolstack-orchid  the same on Orchid
# bench-toolstack   xl create/destroy, event channels: Orchid vs Xen 4.17
# `make check` runs the toolstack case (ORCHID_TOOLSTACK_TESTS ?= 1 above);
# ORCHID_TOOLSTACK_TESTS=0 reports it as skipped, even with --only.
.PHONY: guest-toolstack toolstack-xen toolstack-orchid bench-toolstack
guest-toolstack:
	$(Q)bash tools/fetch-guest.sh --build $(BUILD) --toolstack
toolstack-xen: guest-toolstack
	$(Q)ORCHID_TOOLSTACK_TESTS=1 $(PYTHON) tests/system/run.py --build $(BUILD) \
		--hv $(BUILD)/guest/xen --only 'toolstack-*'
toolstack-orchid: all guest-toolstack
	$(Q)ORCHID_TOOLSTACK_TESTS=1 $(PYTHON) tests/system/run.py --build $(BUILD) \
		--only 'toolstack-*'
bench-toolstack: all guest-toolstack
	$(Q)$(PYTHON) bench/toolstack.py --build $(BUILD)

# How long each pCPU is held while a live patch is applied, reverted,
# replaced (bench/livepatch.py, -smp 2 -icount shift=0, Orchid only: Xen
# 4.17 on Debian arm64 has no live patching): bench/results/livepatch.md.
.PHONY: bench-livepatch
bench-livepatch: all guest-toolstack
	$(Q)$(PYTHON) bench/livepatch.py --build $(BUILD)

# PV disk and network throughput through Dom0's Linux backends (issue 13;
# bench/pvio.py, -icount shift=0): results in bench/results/pvio.md.
.PHONY: bench-pvio
bench-pvio: all guest-toolstack
	$(Q)$(PYTHON) bench/pvio.py --build $(BUILD)

# How long a hostile DomU's hypercalls hold a pCPU, Orchid vs Xen 4.17
# (bench/preempt.py, -icount shift=0): results in bench/results/preempt.md.
.PHONY: bench-preempt
bench-preempt: all guest-toolstack
	$(Q)$(PYTHON) bench/preempt.py --build $(BUILD)

# Hypervisor microbenchmarks (issue 13): the test guest's mode=bench as Dom0
# of Orchid and of Xen 4.17 under -icount shift=0, instructions per
# operation side by side in bench/results/micro.md (bench/micro.py).
# BENCH_N repetitions a row.
.PHONY: bench-micro bench-release
BENCH_N ?= 2000
# The headline Orchid column is a release build (CONFIG_DEBUG off, as
# Debian's Xen 4.17 is), made in BUILD/bench-release from a copy of
# .config, which stays as it is; the tree's own build is the debug column.
BREL := $(BUILD)/bench-release
bench-release: all
	@mkdir -p $(BREL)
	$(Q){ grep -vE '^(# )?CONFIG_DEBUG[= ]' $(KCONFIG_CONFIG); \
	  echo '# CONFIG_DEBUG is not set'; } > $(BREL)/config.new
	$(Q)cmp -s $(BREL)/config.new $(BREL)/.config || \
		mv $(BREL)/config.new $(BREL)/.config
	$(Q)$(MAKE) --no-print-directory KCONFIG_CONFIG=$(BREL)/.config \
		BUILD=$(BREL)/build $(BREL)/build/orchid.bin
# bench-dom0less  reset to three boot-time DomUs' first instructions (with
#                 and without bootscrub) and to Linux DomUs' user space,
#                 Orchid (release) vs Xen 4.17, and Orchid's restart of a
#                 crashed DomU (bench/results/dom0less-boot.md)
.PHONY: bench-dom0less
bench-dom0less: all baremetal bench-release
	$(Q)$(PYTHON) bench/dom0less_boot.py --build $(BUILD)
bench-micro: all baremetal bench-release
	$(Q)$(PYTHON) bench/micro.py --build $(BUILD) --n $(BENCH_N) \
		--release $(BREL)/build/orchid.bin
# bench-sched   schedulers (issue 10): context switch, wake-up latency and
#               weight/budget accuracy per scheduler, Orchid (release) vs
#               Xen 4.17 under -icount (bench/sched.py, bench/results/sched.md)
.PHONY: bench-sched
bench-sched: all baremetal bench-release
	$(Q)$(PYTHON) bench/sched.py --build $(BUILD) --n $(BENCH_N)

# ---- bare-metal test guests (tests/baremetal, issue 9) ------------------------
# baremetal     build/baremetal/guest.Image: a freestanding EL1 guest (an arm64
#               Image) that checks hypercalls and traps and prints XTF's
#               "Test result:" line; booted as Dom0 by tests/system/guest_tests.py
#               and as a DomU by Debian's xl (tests/system/guest_domu.py)
# guest-tests   run it as Dom0 (GICv3 and GICv2; GIC=3|2 for one) and as a
#               DomU (GICv3): HV=orchid (default), HV=xen (Debian's Xen 4.17,
#               tools/fetch-guest.sh --toolstack), HV=both also writes
#               bench/results/guest-tests.md
.PHONY: baremetal guest-tests
BM_DIR    := $(BUILD)/baremetal
BM_SRCS   := $(wildcard tests/baremetal/*.c tests/baremetal/*.S)
BM_OBJS   := $(patsubst tests/baremetal/%,$(BM_DIR)/%.o,$(BM_SRCS))
BM_CFLAGS := -std=c11 -ffreestanding -fno-builtin -nostdinc \
	     -isystem $(shell $(CC) -print-file-name=include) \
	     -mgeneral-regs-only -mstrict-align -mno-outline-atomics \
	     -fpie -fno-plt -fno-stack-protector -fno-common -O2 -g \
	     $(WARNINGS) -MMD -MP
$(filter %.c.o,$(BM_OBJS)): $(BM_DIR)/%.c.o: tests/baremetal/%.c Makefile
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(BM_CFLAGS) -c -o $@ $<
$(filter %.S.o,$(BM_OBJS)): $(BM_DIR)/%.S.o: tests/baremetal/%.S Makefile
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(BM_CFLAGS) -D__ASSEMBLY__ -c -o $@ $<
$(BM_DIR)/guest.elf: $(BM_OBJS) tests/baremetal/guest.lds
	@echo "  LD      $@"
	$(Q)$(LD) -nostdlib -pie --no-dynamic-linker -z notext -z norelro \
		--no-undefined -z max-page-size=4096 --hash-style=sysv \
		--no-warn-rwx-segments \
		-T tests/baremetal/guest.lds -o $@ $(BM_OBJS)
$(BM_DIR)/guest.Image: $(BM_DIR)/guest.elf
	@echo "  OBJCOPY $@"
	$(Q)$(OBJCOPY) -O binary $< $@
baremetal: $(BM_DIR)/guest.Image

# fuzz          the guest-side fuzzer (tests/baremetal/fuzz*.c, issue 9) as
#               Dom0: make fuzz SEED=s N=n [START=i] [HV=orchid|xen] [COV=1];
#               DOMU=1: as a DomU that xl creates in Debian's Linux Dom0;
#               RACER=1: vCPU 1 races vCPU 0 with hypercalls of its own;
#               COV=1 boots an Orchid built with CONFIG_HYPERCALL_COVERAGE
#               (in $(BUILD)/hccov) and prints which handlers were reached
.PHONY: fuzz fuzz-cov-build
SEED ?= 1
N    ?= 100000
FUZZ_IMAGE = $(if $(filter xen,$(HV)),,$(if $(COV),$(BUILD)/hccov/orchid.bin,))
fuzz: baremetal $(if $(filter xen,$(HV)),,$(if $(COV),fuzz-cov-build,all))
	$(Q)$(PYTHON) tests/system/fuzz.py --build $(BUILD) --hv $(HV) \
		--seed $(SEED) --n $(N) $(if $(START),--start $(START)) \
		$(if $(FUZZ_IMAGE),--image $(FUZZ_IMAGE) --coverage) \
		$(if $(filter 1,$(DOMU)),--domu) $(if $(filter 1,$(RACER)),--racer)
fuzz-cov-build:
	@mkdir -p $(BUILD)/hccov
	$(Q)sed '/CONFIG_HYPERCALL_COVERAGE/d' $(KCONFIG_CONFIG) > $(BUILD)/hccov/config.new
	$(Q)echo CONFIG_HYPERCALL_COVERAGE=y >> $(BUILD)/hccov/config.new
	$(Q)cmp -s $(BUILD)/hccov/config.new $(BUILD)/hccov/config || \
		mv $(BUILD)/hccov/config.new $(BUILD)/hccov/config
	$(Q)$(MAKE) --no-print-directory BUILD=$(BUILD)/hccov \
		KCONFIG_CONFIG=$(BUILD)/hccov/config all

HV ?= orchid
GIC ?= both
guest-tests: baremetal $(if $(filter xen,$(HV)),,all)
	$(Q)$(PYTHON) tests/system/guest_tests.py --build $(BUILD) --hv $(HV) \
		--gic $(GIC)
