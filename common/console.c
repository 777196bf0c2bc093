// SPDX-License-Identifier: MIT
/*
 * console_io: the hardware domain's hvc0. Output goes to the UART as is;
 * input from the UART is queued here and announced with VIRQ_CONSOLE.
 *
 * Serial input goes to one place at a time, as in Xen 4.17's
 * drivers/char/console.c: Orchid, Dom0, or a boot-time (dom0less) DomU's
 * emulated UART. Ctrl-a pressed three times moves it on, Orchid -> DOM0
 * -> each boot-time DomU in turn -> Orchid; a Ctrl-a not followed by two
 * more is passed on. Boot ends with input at DOM0. Input to Orchid is a
 * debug key (keyhandler.c).
 */
#include <orchid/arch.h>
#include <orchid/console.h>
#include <orchid/domain.h>
#include <orchid/errno.h>
#include <orchid/event.h>
#include <orchid/guest_access.h>
#include <orchid/hypercall.h>
#include <orchid/hypercalls.h>
#include <orchid/keyhandler.h>
#include <orchid/printk.h>
#include <orchid/spinlock.h>
#include <orchid/string.h>

#define CONSOLE_CHUNK 128
#define RX_RING_SIZE  1024 /* a power of two */

#define SWITCH_CODE	  0x01 /* Ctrl-a, Xen's default conswitch */
#define SWITCH_CODE_COUNT 3

static spinlock_t rx_lock = SPINLOCK_INIT;
static char rx_ring[RX_RING_SIZE];
static uint32_t rx_head, rx_tail; /* free-running; head - tail = used */

/* Where input goes: 0 Orchid, 1 Dom0, n + 1 domain n (Xen's console_rx). */
static unsigned int rx_target;
static unsigned int max_init_domid;
static unsigned int switch_count; /* Ctrl-a's in a row, not yet passed on */

void console_set_max_init_domid(unsigned int domid)
{
	if (domid > max_init_domid)
		max_init_domid = domid;
}

static void console_switch_input(void)
{
	/* One printk a line: another pCPU's line must not cut into it. */
	if (rx_target == max_init_domid + 1U) {
		rx_target = 0;
		printk("*** Serial input to Orchid (type 'CTRL-a' three times "
		       "to switch input)\n");
		return;
	}
	rx_target++;
	printk("*** Serial input to DOM%u (type 'CTRL-a' three times to "
	       "switch input)\n",
	       rx_target - 1);
}

int console_input_domid(void)
{
	return (int)rx_target - 1;
}

void console_endboot(void)
{
	rx_target = 0;
	switch_count = 0;
	console_switch_input();
}

static void console_rx_dom0(char c)
{
	unsigned long flags = spin_lock_irqsave(&rx_lock);

	if (rx_head - rx_tail < RX_RING_SIZE)
		rx_ring[rx_head++ % RX_RING_SIZE] = c;
	spin_unlock_irqrestore(&rx_lock, flags);
	if (hardware_domain)
		evtchn_send_global_virq(hardware_domain, VIRQ_CONSOLE);
}

static bool console_rx_vuart(struct domain *d, void *arg)
{
	return arch_vuart_rx_char(d, *(const char *)arg);
}

static void console_rx_deliver(char c)
{
	switch (rx_target) {
	case 0: /* Orchid: a debug key, as Xen's serial_rx */
#ifdef CONFIG_DEBUG_KEYS
		keyhandler_press((unsigned char)c);
#endif
		return;
	case 1: console_rx_dom0(c); return;
	default:
		if (!domain_call((domid_t)(rx_target - 1), console_rx_vuart,
				 &c))
			printk("Cannot send chars to Dom%u: no UART "
			       "available\n",
			       rx_target - 1);
	}
}

void console_rx_char(char c)
{
	if (c == SWITCH_CODE) {
		if (++switch_count == SWITCH_CODE_COUNT) {
			console_switch_input();
			switch_count = 0;
		}
		return;
	}
	for (; switch_count; switch_count--)
		console_rx_deliver(SWITCH_CODE);
	console_rx_deliver(c);
}

/*
 * As Xen's guest_console_write: the count is 32-bit, any length is
 * written chunk by chunk until a chunk faults (-EFAULT, the chunks before
 * it are out), and a long write is preemptible (one unit per chunk): it
 * continues with the buffer advanced and the count reduced.
 */
/*
 * A boot-time DomU's console_io output: one "(d<id>) " line per line
 * written (a partial line is ended), as Xen tags a guest's lines; Xen 4.17
 * prints them at guest debug level, hidden by default, Orchid shows them
 * as it shows Dom0's.
 */
static void console_write_domu(const struct domain *d, const char *s, size_t n)
{
	char line[CONSOLE_CHUNK + 16];

	while (n) {
		size_t len = 0;
		int head;

		while (len < n && s[len] != '\n')
			len++;
		head = fmt_snprintf(line, sizeof(line), "(d%u) ", d->domain_id);
		memcpy(line + head, s, len);
		line[head + len] = '\n';
		console_write_guest(line, (size_t)head + len + 1);
		if (len < n)
			len++; /* the newline */
		s += len;
		n -= len;
	}
}

static long console_write_op(uint32_t count, uint64_t buf)
{
	char chunk[CONSOLE_CHUNK];
	uint32_t done = 0;

	while (done < count) {
		size_t n = count - done < sizeof(chunk) ? count - done
							: sizeof(chunk);

		if (done && hypercall_preempt_due(1))
			return hypercall_create_continuation(
				3,
				(const uint64_t[]){CONSOLEIO_write,
						   count - done, buf + done});
		if (copy_from_guest(chunk, buf + done, n))
			return -EFAULT;
		if (current_domain()->is_privileged)
			console_write_guest(chunk, n);
		else
			console_write_domu(current_domain(), chunk, n);
		done += n;
	}
	return 0;
}

static long console_read_op(uint64_t count, uint64_t buf)
{
	char chunk[CONSOLE_CHUNK];
	long total = 0;

	while ((uint64_t)total < count) {
		unsigned long flags = spin_lock_irqsave(&rx_lock);
		size_t n = 0;

		while (n < sizeof(chunk) && (uint64_t)total + n < count &&
		       rx_tail != rx_head)
			chunk[n++] = rx_ring[rx_tail++ % RX_RING_SIZE];
		spin_unlock_irqrestore(&rx_lock, flags);
		if (n == 0)
			break;
		if (copy_to_guest(buf + (uint64_t)total, chunk, n))
			return -EFAULT;
		total += (long)n;
	}
	return total;
}

long hc_console_io(const uint64_t a[5])
{
	unsigned int cmd = (unsigned int)a[0];
	const struct domain *d = current_domain();

	/*
	 * The hardware domain owns the physical console; boot-time DomUs may
	 * write to it (Xen's is_console). Their input is their vpl011's.
	 */
	if (!d->is_privileged && !d->is_console)
		return -EPERM;
	switch (cmd) {
	case CONSOLEIO_write: return console_write_op((uint32_t)a[1], a[2]);
	case CONSOLEIO_read:
		if (!d->is_privileged)
			return 0;
		return console_read_op(a[1] > INT32_MAX ? INT32_MAX : a[1],
				       a[2]);
	default: return -ENOSYS;
	}
}
