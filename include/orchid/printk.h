/* SPDX-License-Identifier: MIT */
#ifndef ORCHID_PRINTK_H
#define ORCHID_PRINTK_H

#include <stdarg.h>
#include <orchid/types.h>

/* Xen's log levels, most severe first; loglevel= picks the threshold. */
enum log_level {
	LOG_ERR = 0,
	LOG_WARN = 1,
	LOG_INFO = 2,
	LOG_DEBUG = 3,
};

void vprintk(enum log_level level, const char *fmt, va_list ap);
void printk(const char *fmt, ...) __printf(1, 2); /* LOG_INFO */
void pr_err(const char *fmt, ...) __printf(1, 2);
void pr_warn(const char *fmt, ...) __printf(1, 2);
void pr_info(const char *fmt, ...) __printf(1, 2);
void pr_debug(const char *fmt, ...) __printf(1, 2);

/* True for the first few calls each second (guest-triggered messages). */
bool printk_ratelimit(void);

/* Messages above @level are dropped: neither the ring nor consoles get them. */
void printk_set_level(enum log_level level);

/* Xen's console_timestamps=raw: each line starts "(XEN) [<@clock() in 16
 * hex digits>] "; NULL: no stamps (the default). */
void printk_set_stamp_clock(uint64_t (*clock)(void));

/* Between on and off, every level is printed (Xen's log_everything). */
void printk_log_everything(bool on);

/* A console driver: receives every line written to the console. */
struct console {
	void (*write)(const char *s, size_t len);
	struct console *next;
};

void console_register(struct console *con);

/* Write raw text to every console, bypassing the ring (panic path). */
void console_write(const char *s, size_t len);

/* Guest console output (console_io from the hardware domain). */
void console_write_guest(const char *s, size_t len);

/*
 * The console ring keeps the newest log text for `xl dmesg`.
 * console_ring_read copies up to @len bytes starting @offset bytes into what
 * is currently held and returns how many were copied.
 */
size_t console_ring_size(void);
size_t console_ring_read(char *buf, size_t len, size_t offset);
void console_ring_clear(void);

/*
 * The same ring by absolute position, counting every byte ever written,
 * so a reader can go on where it stopped while old text falls out
 * (XEN_SYSCTL_readconsole's index). [*@first, *@end) is held now;
 * console_ring_read_at copies up to @len bytes from @pos on if @pos is
 * held (0 otherwise); console_ring_clear_to forgets what comes before @pos.
 */
void console_ring_span(u64 *first, u64 *end);
size_t console_ring_read_at(char *buf, size_t len, u64 pos);
void console_ring_clear_to(u64 pos);

#endif /* ORCHID_PRINTK_H */
