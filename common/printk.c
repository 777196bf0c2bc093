// SPDX-License-Identifier: MIT
/*
 * printk and the console ring, behaving as Xen's console does: every line
 * starts with "(XEN) " (people grep Xen logs for it), and a message at or
 * below the threshold (loglvl=, changed at run time by `xl set-parameters`)
 * goes both to the ring that `xl dmesg` reads (CONFIG_CONSOLE_RING) and to
 * the console drivers;
 * one above it goes nowhere, as in Xen, unless debug keys are being
 * handled (printk_log_everything: their output is always wanted).
 *
 * One lock covers formatting, the ring and the drivers, so lines printed
 * by several CPUs never interleave. It is taken with interrupts masked so
 * that an interrupt handler on the same CPU can print too. Nothing here
 * translates "\n" to "\r\n": that is the UART driver's business.
 */
#include <orchid/arch.h>
#include <orchid/printk.h>
#include <orchid/spinlock.h>
#include <orchid/string.h>

enum {
	/* One message; Xen formats into a buffer of the same size. */
	PRINTK_BUF_SIZE = 1024,
};

static const char printk_prefix[] = "(XEN) ";

static spinlock_t console_lock = SPINLOCK_INIT;

/* All below are protected by console_lock. */
static enum log_level printk_threshold = LOG_INFO;
static unsigned int log_everything;
static struct console *console_list;
static char printk_buf[PRINTK_BUF_SIZE];

static bool console_at_line_start = true;
/* console_timestamps=raw's clock, or NULL. */
static uint64_t (*stamp_clock)(void);

#ifdef CONFIG_CONSOLE_RING
enum { CONSOLE_RING_SIZE = 1 << CONFIG_LOG_BUF_SHIFT };

/*
 * The ring holds the bytes [ring_tail, ring_head) of everything ever
 * logged; both count up forever and are reduced modulo the size (a power
 * of two) only to index. Keeping counts rather than indices makes "full"
 * and "empty" distinct without wasting a byte.
 */
static char console_ring[CONSOLE_RING_SIZE];
static u64 ring_head;
static u64 ring_tail;

/*
 * Whether the next byte starts a line, kept apart for the ring and the
 * consoles: a message below the threshold reaches only the ring, and must
 * not make the consoles' next line lose its prefix.
 */
static bool ring_at_line_start = true;

static size_t ring_index(u64 pos)
{
	return (size_t)(pos & (CONSOLE_RING_SIZE - 1));
}

static size_t ring_used(void)
{
	return (size_t)(ring_head - ring_tail);
}

/* Append to the ring; the oldest bytes make room for the newest. */
static void ring_write(const char *s, size_t len)
{
	size_t at, first;

	if (len > CONSOLE_RING_SIZE) {
		/* Only the last CONSOLE_RING_SIZE bytes can survive. */
		ring_head += len - CONSOLE_RING_SIZE;
		s += len - CONSOLE_RING_SIZE;
		len = CONSOLE_RING_SIZE;
	}
	at = ring_index(ring_head);
	first = CONSOLE_RING_SIZE - at;
	if (first > len)
		first = len;
	memcpy(console_ring + at, s, first);
	memcpy(console_ring, s + first, len - first);
	ring_head += len;
	if (ring_used() > CONSOLE_RING_SIZE)
		ring_tail = ring_head - CONSOLE_RING_SIZE;
}

/* Copy out @len held bytes starting at absolute position @pos. */
static void ring_copy_out(char *buf, u64 pos, size_t len)
{
	size_t at = ring_index(pos);
	size_t first = CONSOLE_RING_SIZE - at;

	if (first > len)
		first = len;
	memcpy(buf, console_ring + at, first);
	memcpy(buf + first, console_ring, len - first);
}
#define RING_AT_LINE_START ring_at_line_start
#else
#define RING_AT_LINE_START false
#endif /* CONFIG_CONSOLE_RING */

/* Length of the first line of @s, its '\n' included if there is one. */
static size_t line_len(const char *s, size_t len)
{
	size_t n;

	for (n = 0; n < len; n++) {
		if (s[n] == '\n')
			return n + 1;
	}
	return len;
}

/*
 * Send @s to @sink line by line, with the prefix in front of each line
 * that starts here. @at_line_start carries across calls, so a line built
 * by several printk calls gets one prefix.
 */
static void printk_emit(void (*sink)(const char *s, size_t len),
			bool *at_line_start, const char *stamp, const char *s,
			size_t n)
{
	if (*at_line_start) {
		sink(printk_prefix, sizeof(printk_prefix) - 1);
		sink(stamp, strlen(stamp));
	}
	sink(s, n);
	*at_line_start = s[n - 1] == '\n';
}

void printk_set_stamp_clock(uint64_t (*clock)(void))
{
	unsigned long flags = spin_lock_irqsave(&console_lock);

	stamp_clock = clock;
	spin_unlock_irqrestore(&console_lock, flags);
}

/* The stamp of a line starting now: read once for the ring and consoles. */
static void printk_stamp(char *buf, size_t size)
{
	buf[0] = '\0';
	if (stamp_clock)
		fmt_snprintf(buf, size, "[%016llx] ",
			     (unsigned long long)stamp_clock());
}

/* Each line to the ring and the consoles, each with its own line state. */
static void printk_lines(const char *s, size_t len)
{
	char stamp[24];

	while (len) {
		size_t n = line_len(s, len);

		stamp[0] = '\0';
		if (console_at_line_start || RING_AT_LINE_START)
			printk_stamp(stamp, sizeof(stamp));
#ifdef CONFIG_CONSOLE_RING
		printk_emit(ring_write, &ring_at_line_start, stamp, s, n);
#endif
		printk_emit(console_write, &console_at_line_start, stamp, s, n);
		s += n;
		len -= n;
	}
}

void vprintk(enum log_level level, const char *fmt, va_list ap)
{
	unsigned long flags = spin_lock_irqsave(&console_lock);
	int n = fmt_vsnprintf(printk_buf, sizeof(printk_buf), fmt, ap);
	size_t len;

	/* A message longer than the buffer is cut; the bytes kept are sent. */
	if (n < 0)
		len = 0;
	else if ((size_t)n >= sizeof(printk_buf))
		len = sizeof(printk_buf) - 1;
	else
		len = (size_t)n;

	if (level <= printk_threshold || log_everything)
		printk_lines(printk_buf, len);
	spin_unlock_irqrestore(&console_lock, flags);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(LOG_INFO, fmt, ap);
	va_end(ap);
}

void pr_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(LOG_ERR, fmt, ap);
	va_end(ap);
}

void pr_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(LOG_WARN, fmt, ap);
	va_end(ap);
}

void pr_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(LOG_INFO, fmt, ap);
	va_end(ap);
}

void pr_debug(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

void printk_set_level(enum log_level level)
{
	unsigned long flags = spin_lock_irqsave(&console_lock);

	printk_threshold = level;
	spin_unlock_irqrestore(&console_lock, flags);
}

void printk_log_everything(bool on)
{
	unsigned long flags = spin_lock_irqsave(&console_lock);

	if (on)
		log_everything++;
	else if (log_everything)
		log_everything--;
	spin_unlock_irqrestore(&console_lock, flags);
}

static bool console_registered(const struct console *con)
{
	const struct console *c;

	for (c = console_list; c; c = c->next) {
		if (c == con)
			return true;
	}
	return false;
}

/* Registering a console twice is harmless; it would otherwise loop. */
void console_register(struct console *con)
{
	unsigned long flags = spin_lock_irqsave(&console_lock);

	if (!console_registered(con)) {
		con->next = console_list;
		/* Publish @con only once its next pointer is visible. */
		__atomic_store_n(&console_list, con, __ATOMIC_RELEASE);
	}
	spin_unlock_irqrestore(&console_lock, flags);
}

/*
 * No lock: the panic path calls this while another CPU may hold the lock
 * forever. The list only ever grows at its head, so a reader walking it
 * without the lock sees a consistent list.
 */
void console_write(const char *s, size_t len)
{
	const struct console *c;

	c = __atomic_load_n(&console_list, __ATOMIC_ACQUIRE);
	for (; c; c = c->next)
		c->write(s, len);
}

/*
 * The hardware domain's console output: straight to the consoles, not to
 * the ring (as Xen does: it may be interactive), under the console lock so
 * it never splits one of Orchid's lines.
 */
void console_write_guest(const char *s, size_t len)
{
	unsigned long flags = spin_lock_irqsave(&console_lock);

	console_write(s, len);
	spin_unlock_irqrestore(&console_lock, flags);
}

#ifdef CONFIG_CONSOLE_RING
/* The number of bytes the ring holds now, which is at most its capacity. */
size_t console_ring_size(void)
{
	unsigned long flags = spin_lock_irqsave(&console_lock);
	size_t used = ring_used();

	spin_unlock_irqrestore(&console_lock, flags);
	return used;
}

size_t console_ring_read(char *buf, size_t len, size_t offset)
{
	unsigned long flags = spin_lock_irqsave(&console_lock);
	size_t used = ring_used();
	size_t n = 0;

	if (offset < used) {
		n = used - offset;
		if (n > len)
			n = len;
		ring_copy_out(buf, ring_tail + offset, n);
	}
	spin_unlock_irqrestore(&console_lock, flags);
	return n;
}

void console_ring_clear(void)
{
	unsigned long flags = spin_lock_irqsave(&console_lock);

	ring_tail = ring_head;
	spin_unlock_irqrestore(&console_lock, flags);
}

void console_ring_span(u64 *first, u64 *end)
{
	unsigned long flags = spin_lock_irqsave(&console_lock);

	*first = ring_tail;
	*end = ring_head;
	spin_unlock_irqrestore(&console_lock, flags);
}

size_t console_ring_read_at(char *buf, size_t len, u64 pos)
{
	unsigned long flags = spin_lock_irqsave(&console_lock);
	size_t n = 0;

	if (pos >= ring_tail && pos < ring_head) {
		n = (size_t)(ring_head - pos);
		if (n > len)
			n = len;
		ring_copy_out(buf, pos, n);
	}
	spin_unlock_irqrestore(&console_lock, flags);
	return n;
}

void console_ring_clear_to(u64 pos)
{
	unsigned long flags = spin_lock_irqsave(&console_lock);

	if (pos > ring_head)
		pos = ring_head;
	if (pos > ring_tail)
		ring_tail = pos;
	spin_unlock_irqrestore(&console_lock, flags);
}
#endif /* CONFIG_CONSOLE_RING */

/*
 * At most PRINTK_BURST messages per second pass; the rest are dropped.
 * For messages a guest can cause at will, so no guest floods the log.
 */
#define PRINTK_BURST	10
#define NSEC_PER_SEC_RL 1000000000ULL

bool printk_ratelimit(void)
{
	static spinlock_t rl_lock = SPINLOCK_INIT;
	static uint64_t window_start;
	static unsigned int in_window;
	uint64_t now = arch_now_ns();
	unsigned long flags = spin_lock_irqsave(&rl_lock);
	bool ok;

	if (now - window_start >= NSEC_PER_SEC_RL) {
		window_start = now;
		in_window = 0;
	}
	ok = in_window < PRINTK_BURST;
	if (ok)
		in_window++;
	spin_unlock_irqrestore(&rl_lock, flags);
	return ok;
}
