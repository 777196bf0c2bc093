/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor command line: the DTB's /chosen "xen,xen-bootargs", in
 * Xen's syntax, so a command line written for Xen on Arm boots Orchid.
 */
#ifndef ORCHID_CMDLINE_H
#define ORCHID_CMDLINE_H

#include <orchid/printk.h>
#include <orchid/types.h>
#include <orchid/xsm.h>

/* Xen's xen_commandline_t, which XENVER_commandline copies to guests. */
#define CMDLINE_SIZE 1024

/*
 * loglvl=<level>[/<level>] and guest_loglvl=: the first level is always
 * printed; Xen prints up to the second one rate-limited. Xen's "none" is
 * stored as LOG_ERR: Orchid never hides its errors.
 */
struct cmdline_loglvl {
	bool set;
	enum log_level lower;
	enum log_level upper; /* >= lower; kept, Orchid does not rate-limit */
};

/* bootscrub=<bool>|idle. Zero is Xen's default, "idle". */
enum boot_scrub {
	BOOTSCRUB_IDLE = 0,
	BOOTSCRUB_OFF,
	BOOTSCRUB_ON,
};

/*
 * dom0_mem=<size> as Xen on Arm takes it, and also Xen x86's list form
 * "<size>,max:<size>", so copied command lines work. @size is what Dom0
 * gets, already capped by max:; with only max:, Dom0 gets the max.
 */
struct cmdline_mem {
	bool set;
	u64 size; /* bytes */
	u64 max;  /* bytes; 0 when no max: was given */
};

struct boot_options {
	/* The whole command line, truncated to fit like Xen's copy. */
	char cmdline[CMDLINE_SIZE];

	/* console=, e.g. "dtuart" or "dtuart,vga". */
	char console[32];
	/* dtuart=<DT path or alias>[:<options>], e.g. "/pl011@9000000". */
	char dtuart[256];
	/* loglvl= (also spelled loglevel=) and guest_loglvl=. */
	struct cmdline_loglvl loglvl;
	struct cmdline_loglvl guest_loglvl;
	struct cmdline_mem dom0_mem;
	/* 0: unset. */
	unsigned int dom0_max_vcpus;
	/* selftest=<name>, Orchid's own; "": none. */
	char selftest[32];

	/*
	 * Standard Xen options. Acted on: sched=credit2|null|rtds,
	 * dom0_vcpus_pin, vwfi=trap|native, sched_ratelimit_us,
	 * sched_credit_tslice_ms, noreboot (a Dom0 crash halts instead of
	 * resetting) and bootscrub=0 (boot-time DomUs get their RAM
	 * unscrubbed; idle and 1 scrub it as they are built). Recognised
	 * and stored but not acted on yet: conring_size= (bytes, 0: not
	 * given), sync_console, maxcpus= (0: unset), hmp-unsafe.
	 */
	char sched[16];
	bool dom0_vcpus_pin; /* Dom0's vCPU n pinned to pCPU n */
	bool noreboot;
	enum boot_scrub bootscrub;
	u64 conring_size;
	bool sync_console;
	unsigned int maxcpus;
	bool hmp_unsafe;
	char vwfi[8];
	/*
	 * Xen's scheduler rate limit and credit1 time slice for the pools
	 * made from now on (defaults 1000 us and 30 ms, Xen's); checked by
	 * sched_set_boot_params.
	 */
	unsigned int sched_ratelimit_us;
	unsigned int sched_credit_tslice_ms;
	/* console_timestamps=: Xen's; only "raw" (the counter in hex at
	 * each line's start) is acted on, anything else means none. */
	char console_timestamps[8];
	/* tbuf_size=<pages a pCPU>, tevt_mask=<events>: trace from boot. */
	unsigned int tbuf_size;
	unsigned int tevt_mask;

	/* xsm=dummy|silo; XSM_POLICY_DEFAULT when not given. */
	enum xsm_policy xsm;
};

/*
 * Fill @opts from @cmdline: defaults first, then every option found. A
 * NULL or empty line leaves the defaults. Unknown options and malformed
 * values are logged with pr_warn and skipped; nothing here is fatal.
 */
void cmdline_parse(const char *cmdline, struct boot_options *opts);

/*
 * The options as parameters, for hypfs's /params/ (which
 * `xl set-parameters` writes). Aliases (loglevel=) are left out; runtime
 * options (loglvl, guest_loglvl, as in Xen 4.17 on Arm) may be set after
 * boot and take effect at once.
 */
enum cmdline_param_type {
	CMDLINE_PARAM_BOOL, /* 1 byte */
	CMDLINE_PARAM_UINT, /* its field's size: 4 or 8 bytes */
	CMDLINE_PARAM_TEXT, /* a NUL-terminated string */
};

struct cmdline_param {
	const char *name;
	enum cmdline_param_type type;
	bool runtime;
};

/* The @i-th parameter; false past the last. */
bool cmdline_param(unsigned int i, struct cmdline_param *p);

/*
 * The @i-th parameter's value in @opts, written to @buf (@n bytes):
 * returns its length (a string's counts its NUL), 0 when it does not fit.
 */
size_t cmdline_param_value(unsigned int i, const struct boot_options *opts,
			   char *buf, size_t n);

/* Set runtime parameter @i from the @len bytes of @value: 0 or -errno. */
int cmdline_param_set(unsigned int i, const char *value, size_t len,
		      struct boot_options *opts);

#endif /* ORCHID_CMDLINE_H */
