// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <orchid/arch.h>
#include <orchid/panic.h>
#include <orchid/printk.h>
#include <orchid/string.h>

static volatile int panicking = -1;

void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	unsigned int cpu = arch_cpu_id();

	arch_irq_disable();
	/* A panic inside the panic path only halts. */
	if (__atomic_exchange_n(&panicking, (int)cpu, __ATOMIC_SEQ_CST) != -1)
		arch_halt_system();

	va_start(ap, fmt);
	fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	printk("\n****************************************\n");
	printk("Panic on CPU %u:\n%s\n", cpu, msg);
	printk("****************************************\n");
	arch_show_backtrace();
	printk("System halted.\n");
	arch_halt_system();
}
