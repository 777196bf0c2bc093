// SPDX-License-Identifier: MIT
/*
 * arm64 stage-2 descriptors and geometry (see p2m_pte.h): which bits a p2m
 * type becomes, how deep the tree is for a given IPA size, and VTCR_EL2.
 */
#include "p2m_pte.h"

/*
 * Where the stage-2 walk starts for each IPA size, 4 KiB granule (Arm ARM
 * D8.2, "Concatenated translation tables" and VTCR_EL2.SL0): an IPA space
 * one level can not cover in one page concatenates up to 16 root pages
 * rather than adding a level.
 */
struct s2_geometry {
	unsigned int ipa_bits;
	unsigned int first_level;
	unsigned int root_pages;
};

static const struct s2_geometry s2_geometries[] = {
	{32, 1, 1}, /* 4 entries */
	{36, 1, 1}, /* 64 entries */
	{40, 1, 2}, /* 2 x 512 entries */
	{42, 1, 8}, /* 8 x 512 entries */
	{44, 0, 1}, /* 32 entries */
	{48, 0, 1}, /* 512 entries */
};

/* PARange encodings 0-5; see p2m_parange_ps for the larger ones. */
static const unsigned int parange_bits[] = {32, 36, 40, 42, 44, 48};

/* The type lives in the four software bits of every leaf. */
_Static_assert(p2m_xen_page < 16, "p2m types must fit in 4 bits");

static const struct s2_geometry *s2_geometry(unsigned int ipa_bits)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(s2_geometries); i++) {
		if (s2_geometries[i].ipa_bits == ipa_bits)
			return &s2_geometries[i];
	}
	return NULL;
}

unsigned int p2m_parange_ps(unsigned int parange)
{
	/*
	 * 52 bits needs LPA2 with 4 KiB pages, which Orchid does not use:
	 * that and any future encoding is used as 48 bits.
	 */
	return parange < 5 ? parange : 5;
}

unsigned int p2m_parange_bits(unsigned int parange)
{
	return parange_bits[p2m_parange_ps(parange)];
}

unsigned int p2m_choose_ipa_bits(unsigned int parange)
{
	/* The IPA size may not exceed the PA size (level 0 fault otherwise). */
	unsigned int bits = p2m_parange_bits(parange);

	return bits < P2M_IPA_BITS_MAX ? bits : P2M_IPA_BITS_MAX;
}

bool p2m_pte_desc(unsigned int ipa_bits, struct pt_desc *desc)
{
	const struct s2_geometry *g = s2_geometry(ipa_bits);

	if (!g)
		return false;
	*desc = (struct pt_desc){
		.first_level = g->first_level,
		.nr_levels = 4 - g->first_level,
		.bits_per_level = 9,
		.ia_bits = ipa_bits,
		.root_pages = g->root_pages,
		/* Level 0 blocks need 52-bit addresses (LPA2). */
		.block_levels = (1U << 1) | (1U << 2),
		.type_mask = S2_TYPE_MASK,
		.type_table = S2_TYPE_TABLE,
		.type_block = S2_TYPE_BLOCK,
		.type_page = S2_TYPE_PAGE,
		.addr_mask = S2_ADDR_MASK,
	};
	return true;
}

uint64_t p2m_vtcr(unsigned int ipa_bits, unsigned int parange)
{
	const struct s2_geometry *g = s2_geometry(ipa_bits);

	if (!g)
		return 0;
	/* SL0 with 4 KiB pages: 0 starts at level 2, 1 at 1, 2 at 0. */
	return (64 - ipa_bits) |
	       ((uint64_t)(2 - g->first_level) << VTCR_SL0_SHIFT) |
	       VTCR_IRGN0_WBWA | VTCR_ORGN0_WBWA | VTCR_SH0_INNER |
	       VTCR_TG0_4K |
	       ((uint64_t)p2m_parange_ps(parange) << VTCR_PS_SHIFT) | VTCR_RES1;
}

static uint64_t s2_memattr(uint64_t attr)
{
	return attr << S2_MEMATTR_SHIFT;
}

/*
 * Memory type and permissions of each p2m type (Xen's choices): the
 * domain's RAM is Normal write-back and executable; everything else is
 * never executable, devices are Device-nGnRE, read-only types lose S2AP's
 * write bit.
 */
static uint64_t s2_type_bits(enum p2m_type type)
{
	const uint64_t normal = s2_memattr(S2_MEMATTR_NORMAL_WB) | S2_SH_INNER;
	const uint64_t rw = S2_AP_READ | S2_AP_WRITE;

	switch (type) {
	case p2m_ram_rw: return normal | rw;
	case p2m_ram_ro: return normal | S2_AP_READ;
	case p2m_mmio_direct_dev:
		return s2_memattr(S2_MEMATTR_DEVICE_nGnRE) | S2_SH_OUTER | rw |
		       S2_XN;
	case p2m_mmio_direct_c:
		/* Shared with other bus masters: outer shareable. */
		return s2_memattr(S2_MEMATTR_NORMAL_WB) | S2_SH_OUTER | rw |
		       S2_XN;
	case p2m_map_foreign_rw:
	case p2m_grant_map_rw:
	case p2m_xen_page: return normal | rw | S2_XN;
	case p2m_grant_map_ro: return normal | S2_AP_READ | S2_XN;
	case p2m_invalid:
	default: return 0;
	}
}

uint64_t p2m_pte_attrs(enum p2m_type type)
{
	uint64_t bits = s2_type_bits(type);

	if (!bits)
		return 0;
	/* The access flag is set: Orchid takes no access-flag faults. */
	return bits | S2_AF | ((uint64_t)type << S2_SW_SHIFT);
}

enum p2m_type p2m_pte_type(uint64_t pte)
{
	uint64_t type = (pte & S2_SW_MASK) >> S2_SW_SHIFT;

	return type <= p2m_xen_page ? (enum p2m_type)type : p2m_invalid;
}
