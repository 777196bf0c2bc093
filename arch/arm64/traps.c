// SPDX-License-Identifier: MIT
/*
 * Exceptions taken by Orchid itself. Any synchronous exception at EL2 is a
 * hypervisor bug: print everything needed to find it, then halt cleanly.
 */
#include <asm/gic.h>
#include <asm/mmu.h>
#include <asm/percpu.h>
#include <asm/regs.h>
#include <asm/symbols.h>
#include <asm/sysreg.h>
#include <orchid/arch.h>
#include <orchid/panic.h>
#include <orchid/printk.h>

#define BACKTRACE_MAX_DEPTH 32

static const char *const vector_names[] = {
	"sync (SP_EL0)",    "IRQ (SP_EL0)",   "FIQ (SP_EL0)",
	"SError (SP_EL0)",  "sync (EL2)",     "IRQ (EL2)",
	"FIQ (EL2)",	    "SError (EL2)",   "sync (lower EL)",
	"IRQ (lower EL)",   "FIQ (lower EL)", "SError (lower EL)",
	"sync (AArch32)",   "IRQ (AArch32)",  "FIQ (AArch32)",
	"SError (AArch32)",
};

static const char *esr_class_name(unsigned int ec)
{
	switch (ec) {
	case ESR_EC_UNKNOWN: return "unknown/undefined instruction";
	case ESR_EC_WFX: return "WFI/WFE";
	case ESR_EC_HVC64: return "HVC";
	case ESR_EC_SMC64: return "SMC";
	case ESR_EC_SYSREG: return "system register access";
	case ESR_EC_IABT_LOW: return "instruction abort (lower EL)";
	case ESR_EC_IABT_CUR: return "instruction abort (EL2)";
	case ESR_EC_PC_ALIGN: return "PC alignment fault";
	case ESR_EC_DABT_LOW: return "data abort (lower EL)";
	case ESR_EC_DABT_CUR: return "data abort (EL2)";
	case ESR_EC_SP_ALIGN: return "SP alignment fault";
	case ESR_EC_SERROR: return "SError";
	case ESR_EC_BRK64: return "BRK instruction";
	default: return "other";
	}
}

static void print_symbol(const char *prefix, uint64_t addr)
{
	uintptr_t off, size;
	const char *name = symbol_lookup(addr, &off, &size);

	if (name)
		printk("%s[<%016lx>] %s+%#lx/%#lx\n", prefix, addr, name, off,
		       size);
	else
		printk("%s[<%016lx>] ?\n", prefix, addr);
}

void show_registers(const struct cpu_regs *regs)
{
	unsigned int ec = regs->esr >> ESR_EC_SHIFT;

	printk("ESR_EL2: %016lx (EC %#x: %s, ISS %#lx)\n", regs->esr, ec,
	       esr_class_name(ec), regs->esr & 0x1ffffff);
	printk("FAR_EL2: %016lx\n", regs->far);
	print_symbol("ELR_EL2: ", regs->pc);
	printk("SPSR_EL2: %016lx  SP: %016lx\n", regs->pstate, regs->sp);
	for (unsigned int i = 0; i < 30; i += 3)
		printk("x%-2u: %016lx  x%-2u: %016lx  x%-2u: %016lx\n", i,
		       regs->x[i], i + 1, regs->x[i + 1], i + 2,
		       regs->x[i + 2]);
	print_symbol("x30 (LR): ", regs->x[30]);
}

/* A frame record is only followed while it lies inside this CPU's stack. */
static bool frame_ok(uint64_t fp, uint64_t lo, uint64_t hi)
{
	return fp >= lo && fp + 16 <= hi && is_aligned(fp, 8) &&
	       mmu_is_mapped(fp, false);
}

void show_backtrace(uint64_t pc, uint64_t fp)
{
	struct cpu_data *cpu = this_cpu();
	uint64_t hi = cpu ? cpu->stack_top : 0;
	uint64_t lo = hi - CPU_STACK_SIZE;

	printk("Backtrace:\n");
	if (pc)
		print_symbol("  ", pc);
	for (unsigned int depth = 0; depth < BACKTRACE_MAX_DEPTH; depth++) {
		const uint64_t *frame;

		if (!cpu || !frame_ok(fp, lo, hi))
			break;
		frame = (const uint64_t *)(uintptr_t)fp;
		if (frame[1] == 0)
			break;
		/* The return address points after the call. */
		print_symbol("  ", frame[1] - 4);
		if (frame[0] <= fp)
			break;
		fp = frame[0];
	}
}

void arch_show_backtrace(void)
{
	show_backtrace(0, (uint64_t)__builtin_frame_address(0));
}

static void __noreturn fatal_exception(struct cpu_regs *regs,
				       unsigned long vector)
{
	arch_irq_disable();
	printk("\n----[ Orchid fatal exception on CPU%u: %s ]----\n",
	       arch_cpu_id(),
	       vector < ARRAY_SIZE(vector_names) ? vector_names[vector] : "?");
	show_registers(regs);
	show_backtrace(regs->pc, regs->x[29]);
	panic("fatal exception in hypervisor context");
}

void trap_sync(struct cpu_regs *regs)
{
	fatal_exception(regs, VEC_SYNC_SPX);
}

void trap_irq(struct cpu_regs *regs)
{
	gic_handle_irq();
}

void trap_unexpected(struct cpu_regs *regs, unsigned long vector)
{
	fatal_exception(regs, vector);
}
