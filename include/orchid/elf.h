/* SPDX-License-Identifier: MIT */
/*
 * The parts of the ELF64 format (System V gABI, AArch64 ELF ABI) the
 * live-patch loader reads: relocatable objects for AArch64, little-endian.
 */
#ifndef ORCHID_ELF_H
#define ORCHID_ELF_H

#include <orchid/types.h>

#define EI_NIDENT   16
#define EI_CLASS    4
#define EI_DATA	    5
#define EI_VERSION  6
#define ELFCLASS64  2
#define ELFDATA2LSB 1
#define EV_CURRENT  1
#define ET_REL	    1
#define EM_AARCH64  183

#define SHT_NULL     0
#define SHT_PROGBITS 1
#define SHT_SYMTAB   2
#define SHT_STRTAB   3
#define SHT_RELA     4
#define SHT_NOTE     7
#define SHT_NOBITS   8
#define SHT_REL	     9

#define SHF_WRITE     0x1
#define SHF_ALLOC     0x2
#define SHF_EXECINSTR 0x4

#define SHN_UNDEF     0
#define SHN_LORESERVE 0xff00
#define SHN_ABS	      0xfff1
#define SHN_COMMON    0xfff2

#define STT_SECTION 3
#define STT_FILE    4

#define NT_GNU_BUILD_ID 3

typedef struct {
	uint8_t e_ident[EI_NIDENT];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
} Elf64_Ehdr;

typedef struct {
	uint32_t sh_name;
	uint32_t sh_type;
	uint64_t sh_flags;
	uint64_t sh_addr;
	uint64_t sh_offset;
	uint64_t sh_size;
	uint32_t sh_link;
	uint32_t sh_info;
	uint64_t sh_addralign;
	uint64_t sh_entsize;
} Elf64_Shdr;

typedef struct {
	uint32_t st_name;
	uint8_t st_info;
	uint8_t st_other;
	uint16_t st_shndx;
	uint64_t st_value;
	uint64_t st_size;
} Elf64_Sym;

typedef struct {
	uint64_t r_offset;
	uint64_t r_info;
	int64_t r_addend;
} Elf64_Rela;

typedef struct {
	uint32_t n_namesz;
	uint32_t n_descsz;
	uint32_t n_type;
} Elf64_Nhdr;

#define ELF64_R_SYM(i)	 ((uint32_t)((i) >> 32))
#define ELF64_R_TYPE(i)	 ((uint32_t)(i))
#define ELF64_ST_TYPE(i) ((i)&0xf)

/* AArch64 relocation types the loader applies (ELF for the Arm 64-bit
 * Architecture, "Static AArch64 relocations"). */
#define R_AARCH64_NONE		      0
#define R_AARCH64_ABS64		      257
#define R_AARCH64_ABS32		      258
#define R_AARCH64_ABS16		      259
#define R_AARCH64_PREL64	      260
#define R_AARCH64_PREL32	      261
#define R_AARCH64_PREL16	      262
#define R_AARCH64_ADR_PREL_LO21	      274
#define R_AARCH64_ADR_PREL_PG_HI21    275
#define R_AARCH64_ADR_PREL_PG_HI21_NC 276
#define R_AARCH64_ADD_ABS_LO12_NC     277
#define R_AARCH64_LDST8_ABS_LO12_NC   278
#define R_AARCH64_TSTBR14	      279
#define R_AARCH64_CONDBR19	      280
#define R_AARCH64_JUMP26	      282
#define R_AARCH64_CALL26	      283
#define R_AARCH64_LDST16_ABS_LO12_NC  284
#define R_AARCH64_LDST32_ABS_LO12_NC  285
#define R_AARCH64_LDST64_ABS_LO12_NC  286
#define R_AARCH64_LDST128_ABS_LO12_NC 299

#endif /* ORCHID_ELF_H */
