// SPDX-License-Identifier: MIT
/*
 * Orchid's EL2 stage-1 page tables. All of Orchid's view of memory is a 1:1
 * map (VA == PA): the image with W^X permissions, RAM read-write and never
 * executable, devices as Device-nGnRE. Tables come from a static pool so
 * that they exist before the page allocator does.
 *
 * Mappings are only ever added into empty slots, never changed, which is
 * why no break-before-make sequence is needed: an existing page keeps its
 * attributes and a later, larger mapping only fills the holes around it.
 *
 * mmu_early_init and mmu_prepare_cpu run with the MMU off, where every data
 * access is Device memory: this file is built with -mstrict-align like the
 * rest of Orchid, and touches no global written by another CPU.
 */
#include <asm/mmu.h>
#include <orchid/grant_table.h>
#include <orchid/mm.h>
#include <asm/sysreg.h>
#include <orchid/arch.h>
#include <orchid/panic.h>
#include <orchid/spinlock.h>
#include <orchid/string.h>

#define PTES_PER_TABLE 512
#define LEVEL_SHIFT(l) (39 - 9 * (l)) /* L0 = 39 ... L3 = 12 */
#define VA_BITS	       48

/* Descriptor bits for the EL2 translation regime (one privilege level). */
#define PTE_VALID     (1UL << 0)
#define PTE_TABLE     (1UL << 1) /* table at L0-L2, page at L3 */
#define PTE_ATTR(i)   ((uint64_t)(i) << 2)
#define PTE_AP_RO     (1UL << 7)
#define PTE_AP_RES1   (1UL << 6)
#define PTE_SH_INNER  (3UL << 8)
#define PTE_AF	      (1UL << 10)
#define PTE_XN	      (1UL << 54)
#define PTE_ADDR_MASK 0x0000fffffffff000UL

/* MAIR_EL2 slots. */
#define MAIR_IDX_NORMAL 0
#define MAIR_IDX_DEVICE 1
#define MAIR_VALUE                                                             \
	((0xffUL << (8 * MAIR_IDX_NORMAL)) | (0x04UL << (8 * MAIR_IDX_DEVICE)))

#define PT_POOL_SIZE 64
typedef uint64_t pt_table[PTES_PER_TABLE];
static pt_table pt_pool[PT_POOL_SIZE] __aligned(PAGE_SIZE);
static unsigned int pt_pool_used;
static spinlock_t pt_lock = SPINLOCK_INIT;

extern char _start[], _etext[], _erodata[], _end[];
extern char __livepatch_pool_start[], __livepatch_pool_end[];

static uint64_t attr_bits(enum mmu_attr attr)
{
	uint64_t normal =
		PTE_AF | PTE_SH_INNER | PTE_AP_RES1 | PTE_ATTR(MAIR_IDX_NORMAL);

	switch (attr) {
	case MMU_RAM_RO: return normal | PTE_AP_RO | PTE_XN;
	case MMU_RAM_RX: return normal | PTE_AP_RO;
	case MMU_DEVICE:
		return PTE_AF | PTE_AP_RES1 | PTE_ATTR(MAIR_IDX_DEVICE) |
		       PTE_XN;
	case MMU_RAM_RW:
	default: return normal | PTE_XN;
	}
}

static uint64_t *pt_alloc(void)
{
	uint64_t *t;

	if (pt_pool_used == PT_POOL_SIZE)
		panic("MMU: out of boot page tables");
	t = pt_pool[pt_pool_used++];
	for (unsigned int i = 0; i < PTES_PER_TABLE; i++)
		t[i] = 0;
	return t;
}

static uint64_t *pt_root(void)
{
	return pt_pool[0];
}

static bool pte_is_table(uint64_t pte, unsigned int level)
{
	return level < 3 &&
	       (pte & (PTE_VALID | PTE_TABLE)) == (PTE_VALID | PTE_TABLE);
}

/*
 * Fill the empty slots of [va, end) in @table at @level. Blocks are used
 * where a whole empty aligned block fits; existing entries are kept and
 * descended into.
 */
static void pt_fill(uint64_t *table, unsigned int level, uint64_t va,
		    uint64_t end, uint64_t bits)
{
	uint64_t block = 1UL << LEVEL_SHIFT(level);

	while (va < end) {
		unsigned int idx = (va >> LEVEL_SHIFT(level)) & 511;
		uint64_t next = align_down(va, block) + block;
		uint64_t *pte = &table[idx];
		uint64_t stop = next < end ? next : end;

		if (level == 3) {
			if (!(*pte & PTE_VALID))
				*pte = va | bits | PTE_VALID | PTE_TABLE;
		} else if (!(*pte & PTE_VALID) && level >= 1 &&
			   is_aligned(va, block) && stop == next) {
			*pte = va | bits | PTE_VALID; /* block */
		} else if (pte_is_table(*pte, level)) {
			pt_fill((uint64_t *)(uintptr_t)(*pte & PTE_ADDR_MASK),
				level + 1, va, stop, bits);
		} else if (!(*pte & PTE_VALID)) {
			uint64_t *sub = pt_alloc();

			pt_fill(sub, level + 1, va, stop, bits);
			dsb_ishst();
			*pte = (uintptr_t)sub | PTE_VALID | PTE_TABLE;
		}
		/* else: a block is already there; keep it. */
		va = next;
	}
}

static void map_locked(uint64_t start, uint64_t end, enum mmu_attr attr)
{
	if (end <= start)
		return;
	if (end > (1UL << VA_BITS))
		panic("MMU: range %#lx-%#lx beyond the %d-bit address space",
		      start, end, VA_BITS);
	pt_fill(pt_root(), 0, align_down(start, PAGE_SIZE),
		align_up(end, PAGE_SIZE), attr_bits(attr));
	dsb_ishst();
	isb();
}

void mmu_map(paddr_t pa, uint64_t size, enum mmu_attr attr)
{
	unsigned long flags = spin_lock_irqsave(&pt_lock);

	if (range_overflows(pa_addr(pa), size))
		panic("MMU: range %#lx+%#lx wraps", pa_addr(pa), size);
	map_locked(pa_addr(pa), pa_addr(pa) + size, attr);
	spin_unlock_irqrestore(&pt_lock, flags);
}

void mmu_early_init(void)
{
	pt_pool_used = 0;
	pt_alloc(); /* the root */
	map_locked((uintptr_t)_start, (uintptr_t)_etext, MMU_RAM_RX);
	map_locked((uintptr_t)_etext, (uintptr_t)_erodata, MMU_RAM_RO);
#ifdef CONFIG_LIVEPATCH
	/* Before the RW data around it, so it keeps being executable. */
	map_locked((uintptr_t)__livepatch_pool_start,
		   (uintptr_t)__livepatch_pool_end, MMU_RAM_RX);
#endif
	map_locked((uintptr_t)_erodata, (uintptr_t)_end, MMU_RAM_RW);
#ifdef CONFIG_EARLY_PRINTK
	map_locked(CONFIG_EARLY_UART_BASE, CONFIG_EARLY_UART_BASE + PAGE_SIZE,
		   MMU_DEVICE);
#endif
}

/* The physical address size to program, from what the CPU implements. */
static uint64_t tcr_ps(void)
{
	uint64_t parange = READ_SYSREG(id_aa64mmfr0_el1) & 0xf;

	/* 4 KiB granule without LPA2: at most 48 bits (PS = 5). */
	return parange > 5 ? 5 : parange;
}

void mmu_prepare_cpu(void)
{
	uint64_t tcr = (64 - VA_BITS) |		  /* T0SZ */
		       (1UL << 8) |		  /* IRGN0: WB WA */
		       (1UL << 10) |		  /* ORGN0: WB WA */
		       (3UL << 12) |		  /* SH0: inner shareable */
		       (0UL << 14) |		  /* TG0: 4 KiB */
		       (tcr_ps() << 16) |	  /* PS */
		       (1UL << 23) | (1UL << 31); /* RES1 */

	WRITE_SYSREG(mair_el2, MAIR_VALUE);
	WRITE_SYSREG(tcr_el2, tcr);
	WRITE_SYSREG(ttbr0_el2, (uintptr_t)pt_root());
	isb();
}

static uint64_t walk_pte(uintptr_t va, unsigned int *level_out)
{
	uint64_t *table = pt_root();

	for (unsigned int level = 0; level <= 3; level++) {
		uint64_t pte = table[(va >> LEVEL_SHIFT(level)) & 511];

		if (!(pte & PTE_VALID))
			return 0;
		if (!pte_is_table(pte, level)) {
			*level_out = level;
			return pte;
		}
		table = (uint64_t *)(uintptr_t)(pte & PTE_ADDR_MASK);
	}
	return 0;
}

bool mmu_is_mapped(uintptr_t va, bool write)
{
	unsigned int level;
	uint64_t pte;

	if (va >= (1UL << VA_BITS))
		return false;
	pte = walk_pte(va, &level);
	if (!pte)
		return false;
	return !write || !(pte & PTE_AP_RO);
}

void *ioremap(paddr_t pa, uint64_t size)
{
	mmu_map(pa, size, MMU_DEVICE);
	return arch_pa_to_va(pa);
}

static uint64_t dcache_line(void)
{
	return 4UL << ((READ_SYSREG(ctr_el0) >> 16) & 0xf);
}

/* Write back [va, va + len) to the point of coherency (for a guest that
 * starts with its caches off and must see what Orchid wrote). */
void dcache_clean_range(const void *va, size_t len)
{
	arch_flush_dcache_range((void *)va, len, true, false);
}

/*
 * One data-cache instruction per line over [p, end), both line-aligned:
 * four lines a round (2.5 instructions a line, where a round per line
 * costs 4), then one at a time. @op is a DC operation by VA.
 */
#define DC_LINES(op, p, end, line)                                             \
	__asm__ volatile("	b 2f\n"                                             \
			 "1:	dc " op ", %[a]\n"                             \
			 "	add %[a], %[a], %[l]\n"                             \
			 "	dc " op ", %[a]\n"                             \
			 "	add %[a], %[a], %[l]\n"                             \
			 "	dc " op ", %[a]\n"                             \
			 "	add %[a], %[a], %[l]\n"                             \
			 "	dc " op ", %[a]\n"                             \
			 "	add %[a], %[a], %[l]\n"                             \
			 "2:	sub %[t], %[e], %[a]\n"                           \
			 "	cmp %[t], %[l], lsl #2\n"                           \
			 "	b.hs 1b\n"                                          \
			 "	b 4f\n"                                             \
			 "3:	dc " op ", %[a]\n"                             \
			 "	add %[a], %[a], %[l]\n"                             \
			 "4:	cmp %[a], %[e]\n"                                 \
			 "	b.lo 3b\n"                                          \
			 : [a] "+r"(p), [t] "=&r"(tmp)                         \
			 : [e] "r"(end), [l] "r"(line)                         \
			 : "cc", "memory")

/*
 * Data-cache maintenance to the point of coherency. Invalidating alone
 * would drop dirty bytes that share a line with the range's edges, so
 * partial lines at either end are cleaned and invalidated instead. The
 * loops are tight because XEN_DOMCTL_cacheflush runs one over every page
 * of a new DomU's kernel (bench/results/toolstack.md, "xl create -c").
 */
void arch_flush_dcache_range(void *va, size_t len, bool clean, bool invalidate)
{
	uint64_t line = dcache_line(), tmp;
	uintptr_t start = (uintptr_t)va, stop = start + len;
	uintptr_t p = align_down(start, line), end = align_up(stop, line);

	if (len == 0)
		return;
	dsb_sy();
	if (invalidate && !clean) {
		/* The partial lines at either end: clean and invalidate. */
		if (p < start) {
			__asm__ volatile("dc civac, %0" : : "r"(p) : "memory");
			p += line;
		}
		if (end > stop && end - line >= p) {
			end -= line;
			__asm__ volatile("dc civac, %0"
					 :
					 : "r"(end)
					 : "memory");
		}
		DC_LINES("ivac", p, end, line);
	} else if (invalidate) {
		DC_LINES("civac", p, end, line);
	} else if (clean) {
		DC_LINES("cvac", p, end, line);
	}
	dsb_sy();
}

/*
 * DC ZVA's block in bytes, or 0 when it may not be used here: prohibited
 * (DCZID_EL0.DZP), larger than an eighth of a page (zero_lines' rounds), or
 * not the cache line (zero_lines cleans the line it just zeroed).
 */
static uint64_t zva_block(void)
{
	uint64_t dczid = READ_SYSREG(dczid_el0);
	uint64_t block = 4UL << (dczid & 0xf);

	if (dczid & (1UL << 4) || 8 * block > PAGE_SIZE ||
	    block != dcache_line())
		return 0;
	return block;
}

/*
 * Zero [p, end), whole rounds of eight lines of @line bytes, with DC ZVA;
 * with @to_poc also clean and invalidate each line once zeroed (a guest
 * with its caches off must read the zeros, not what memory held before).
 * 3.25 instructions a 64-byte line (2.25 without @to_poc), where memset
 * and a separate flush took about 16: XENMEM_populate_physmap zeroes and
 * flushes every page it gives a DomU (bench/results/toolstack.md, "xl
 * create to the DomU's first instruction"), and a boot-time DomU's RAM is
 * scrubbed so (bench/results/dom0less-boot.md, first instruction).
 */
static void zero_lines(uintptr_t p, uintptr_t end, uint64_t line, bool to_poc)
{
	if (to_poc) {
		__asm__ volatile("1:\n"
				 ".rept 8\n"
				 "	dc zva, %[a]\n"
				 "	dc civac, %[a]\n"
				 "	add %[a], %[a], %[l]\n"
				 ".endr\n"
				 "	cmp %[a], %[e]\n"
				 "	b.lo 1b\n"
				 : [a] "+r"(p)
				 : [e] "r"(end), [l] "r"(line)
				 : "cc", "memory");
		return;
	}
	__asm__ volatile("1:\n"
			 ".rept 8\n"
			 "	dc zva, %[a]\n"
			 "	add %[a], %[a], %[l]\n"
			 ".endr\n"
			 "	cmp %[a], %[e]\n"
			 "	b.lo 1b\n"
			 : [a] "+r"(p)
			 : [e] "r"(end), [l] "r"(line)
			 : "cc", "memory");
}

void arch_zero_pages(void *va, size_t len, bool to_poc)
{
	uintptr_t p = (uintptr_t)va;
	uint64_t block = zva_block();

	if (len == 0)
		return;
	if (!block || !is_aligned(p, PAGE_SIZE) ||
	    !is_aligned(len, PAGE_SIZE)) {
		memset(va, 0, len);
		if (to_poc)
			arch_flush_dcache_range(va, len, true, true);
		return;
	}
	/* Our earlier stores to these pages (a free-list node) come first. */
	dsb_sy();
	zero_lines(p, p + len, block, to_poc);
	dsb_sy();
}

#ifdef CONFIG_LIVEPATCH
/*
 * The writable windows onto executable memory (live patching): pages
 * mapped from MMU_ALIAS_VA on, read-write and never executable, only while
 * a payload or a patch is written, so W^X holds for every mapping outside
 * those moments. All slots share one level-3 table. The 1:1 map never
 * reaches these VAs (no RAM or device sits that high).
 */
#define MMU_ALIAS_VA 0x0000ff0000000000UL
static uint64_t *alias_table;

static uint64_t alias_va(unsigned int slot)
{
	return MMU_ALIAS_VA + (uint64_t)slot * PAGE_SIZE;
}

static uint64_t *alias_level3(void)
{
	uint64_t *table = pt_root();

	for (unsigned int level = 0; level < 3; level++)
		table = (uint64_t *)(uintptr_t)(table[(MMU_ALIAS_VA >>
						       LEVEL_SHIFT(level)) &
						      511] &
						PTE_ADDR_MASK);
	return table;
}

static void alias_set(unsigned int slot, uint64_t pte)
{
	uint64_t va = alias_va(slot);

	alias_table[(va >> PAGE_SHIFT) & 511] = pte;
	dsb_ishst();
	__asm__ volatile("tlbi vae2is, %0" : : "r"(va >> 12) : "memory");
	dsb_ish();
	isb();
}

void *mmu_alias_map(unsigned int slot, paddr_t pa)
{
	unsigned long flags = spin_lock_irqsave(&pt_lock);

	BUG_ON(slot >= MMU_ALIAS_SLOTS);
	if (!alias_table) {
		/* Builds the tables down to level 3; the pages are then
		 * unmapped before anything could touch them. */
		pt_fill(pt_root(), 0, MMU_ALIAS_VA, alias_va(MMU_ALIAS_SLOTS),
			attr_bits(MMU_RAM_RW));
		alias_table = alias_level3();
		for (unsigned int i = 0; i < MMU_ALIAS_SLOTS; i++)
			alias_set(i, 0);
	}
	alias_set(slot, align_down(pa_addr(pa), PAGE_SIZE) |
				attr_bits(MMU_RAM_RW) | PTE_VALID | PTE_TABLE);
	spin_unlock_irqrestore(&pt_lock, flags);
	return (void *)(alias_va(slot) + (pa_addr(pa) & (PAGE_SIZE - 1)));
}

void mmu_alias_unmap(unsigned int slot)
{
	unsigned long flags = spin_lock_irqsave(&pt_lock);

	alias_set(slot, 0);
	spin_unlock_irqrestore(&pt_lock, flags);
}
#endif
