/* SPDX-License-Identifier: MIT */
/*
 * Orchid's image: linked at 0 as a position-independent executable and
 * relocated by head.S to wherever the loader put it. Text, read-only data
 * and writable data each start on a page so the MMU can keep W^X.
 */
OUTPUT_FORMAT("elf64-littleaarch64")
OUTPUT_ARCH(aarch64)
ENTRY(_start)

SECTIONS
{
	. = 0;
	_start = .;
	.text : {
		KEEP(*(.text.head))
		*(.text.entry)
		*(.text .text.*)
	}
	. = ALIGN(4096);
	_etext = .;

	.rodata : {
		*(.rodata .rodata.* .srodata .srodata.*)
		. = ALIGN(4);
		__build_id_start = .;
		*(.note.gnu.build-id)
		__build_id_end = .;
	}
	/* Last of the read-only data: its size differs between the links. */
	.symtab_orchid : {
		KEEP(*(.orchid_symtab))
	}
	.rela.dyn : {
		__rela_start = .;
		*(.rela .rela.*)
		__rela_end = .;
	}
	.dynsym : { *(.dynsym) }
	.dynstr : { *(.dynstr) }
	.hash : { *(.hash) }
	.gnu.hash : { *(.gnu.hash) }
	. = ALIGN(4096);
	_erodata = .;

	.data : {
		*(.data .data.*)
	}
	.dynamic : { *(.dynamic) }
	.got : { *(.got .got.*) }
	.got.plt : { *(.got.plt) }
	. = ALIGN(16);
	_edata = .;

	.bss (NOLOAD) : {
		__bss_start = .;
		*(.bss .bss.*)
		*(COMMON)
		. = ALIGN(16);
		__bss_end = .;
	}
	/* Live-patch payload code: mapped executable, never zeroed at boot
	 * (each payload is written whole through the W^X window). */
	. = ALIGN(4096);
	.livepatch_pool (NOLOAD) : {
		__livepatch_pool_start = .;
		*(.livepatch_pool)
		. = ALIGN(4096);
		__livepatch_pool_end = .;
	}
	. = ALIGN(4096);
	_end = .;
	_image_size = ABSOLUTE(_end - _start);

	/DISCARD/ : {
		*(.interp) *(.note*) *(.comment) *(.eh_frame*) *(.gnu.version*)
	}
}

ASSERT(SIZEOF(.got.plt) <= 0x18, "unexpected PLT entries")
