// SPDX-License-Identifier: MIT
/*
 * console_io: the hardware domain's hvc0. Output goes to the UART as is;
 * input from the UART is queued here and announced with VIRQ_CONSOLE.
 */
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

#define CONSOLE_CHUNK 128
#define RX_RING_SIZE  1024 /* a power of two */

static spinlock_t rx_lock = SPINLOCK_INIT;
static char rx_ring[RX_RING_SIZE];
static uint32_t rx_head, rx_tail; /* free-running; head - tail = used */

static void console_rx_queue(char c)
{
	unsigned long flags = spin_lock_irqsave(&rx_lock);

	if (rx_head - rx_tail < RX_RING_SIZE)
		rx_ring[rx_head++ % RX_RING_SIZE] = c;
	spin_unlock_irqrestore(&rx_lock, flags);
}

/* Serial input: debug keys first (Ctrl-a x3 switches), then Dom0's. */
void console_rx_char(char c)
{
#ifdef CONFIG_DEBUG_KEYS
	unsigned int replay;

	if (keyhandler_serial_rx(c, &replay))
		return;
	while (replay--)
		console_rx_queue(KEYHANDLER_SWITCH_CODE);
#endif
	console_rx_queue(c);
	if (hardware_domain)
		evtchn_send_global_virq(hardware_domain, VIRQ_CONSOLE);
}

/*
 * As Xen's guest_console_write: the count is 32-bit, any length is
 * written chunk by chunk until a chunk faults (-EFAULT, the chunks before
 * it are out), and a long write is preemptible (one unit per chunk): it
 * continues with the buffer advanced and the count reduced.
 */
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
		console_write_guest(chunk, n);
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

	/* Only the hardware domain owns the physical console. */
	if (!d->is_privileged)
		return -EPERM;
	switch (cmd) {
	case CONSOLEIO_write: return console_write_op((uint32_t)a[1], a[2]);
	case CONSOLEIO_read:
		return console_read_op(a[1] > INT32_MAX ? INT32_MAX : a[1],
				       a[2]);
	default: return -ENOSYS;
	}
}
