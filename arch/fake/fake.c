// SPDX-License-Identifier: MIT
/* The host fake architecture: just enough of arch.h for unit tests. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <asm/fake.h>
#include <orchid/arch.h>
#include <orchid/grant_table.h>
#include <orchid/panic.h>

uint64_t fake_now_ns;
uint64_t fake_timer_deadline;
unsigned int fake_cpu_id;
bool fake_irq_pending;
int fake_irq_pending_after = -1;
unsigned int fake_irq_checks;
char fake_panic_msg[256];
jmp_buf *fake_panic_jmp;

unsigned int arch_cpu_id(void)
{
	return fake_cpu_id;
}

unsigned long arch_irq_save(void)
{
	return 0;
}

void arch_irq_restore(unsigned long flags)
{
	(void)flags;
}

void arch_irq_enable(void)
{
}

void arch_irq_disable(void)
{
}

bool arch_irq_pending(void)
{
	fake_irq_checks++;
	if (fake_irq_pending_after > 0)
		fake_irq_pending_after--;
	return fake_irq_pending || fake_irq_pending_after == 0;
}

uint64_t arch_now_ns(void)
{
	return fake_now_ns;
}

uint64_t arch_cycles(void)
{
	return fake_now_ns;
}

void arch_timer_program(uint64_t deadline_ns)
{
	fake_timer_deadline = deadline_ns;
}

/* Fakes that record cache maintenance (fake_domain.c) replace this one. */
__attribute__((weak)) void arch_flush_dcache_range(void *va, size_t len,
						   bool clean, bool invalidate)
{
	(void)va;
	(void)len;
	(void)clean;
	(void)invalidate;
}

/* The zeroing is real; the write to the PoC is a flush, as the fakes see. */
void arch_zero_pages(void *va, size_t len, bool to_poc)
{
	memset(va, 0, len);
	if (to_poc)
		arch_flush_dcache_range(va, len, true, true);
}

void arch_cpu_relax(void)
{
}

void arch_show_backtrace(void)
{
}

/* Weak: a test of arm64's vpl011.c links the real one. */
__attribute__((weak)) bool arch_vuart_rx_char(struct domain *d, char c)
{
	(void)d;
	(void)c;
	return false;
}

void arch_halt_system(void)
{
	abort();
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fake_panic_msg, sizeof(fake_panic_msg), fmt, ap);
	va_end(ap);
	if (fake_panic_jmp)
		longjmp(*fake_panic_jmp, 1);
	fprintf(stderr, "unexpected panic: %s\n", fake_panic_msg);
	abort();
}
