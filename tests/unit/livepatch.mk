# SPDX-License-Identifier: MIT
# The live-patch payload checker and loader against hostile ELF files.
UNIT_TESTS += livepatch
livepatch_SRCS := tests/unit/test_livepatch.c common/livepatch/elf_check.c \
		  common/livepatch/elf_reloc.c common/livepatch/load.c \
		  common/livepatch/hooks.c \
		  common/printk.c lib/vsprintf.c
livepatch_CFLAGS := -DCONFIG_LIVEPATCH=1
livepatch_DEPS := include/orchid/elf.h include/orchid/livepatch.h
