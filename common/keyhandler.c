// SPDX-License-Identifier: MIT
/*
 * Debug keys: one character, one dump, as Xen's keyhandler.c has them
 * (same keys, same descriptions, the same first line of each dump, so
 * people who grep Xen's logs find what they expect). Handlers run with
 * every log level let through (Xen's console_start_log_everything): what
 * a key prints is wanted even when loglvl would hide it.
 */
#include <orchid/arch.h>
#include <orchid/domain.h>
#include <orchid/keyhandler.h>
#include <orchid/mm.h>
#include <orchid/printk.h>
#include <orchid/string.h>

struct keyhandler {
	unsigned char key;
	void (*fn)(unsigned char key);
	const char *desc;
};

static void show_handlers(unsigned char key);

/* Each live domain in ID order, without the domain list lock held. */
static void dump_each_domain(void (*dump)(struct domain *d))
{
	domid_t next = 0;
	struct domain *d;

	while ((d = domain_lookup_next(next))) {
		next = d->domain_id + 1;
		dump(d);
	}
}

static void dump_domain(struct domain *d)
{
	printk("General information for domain %u:\n", d->domain_id);
	printk("    dying=%d shut_down=%d pause_count=%u\n", d->is_dying,
	       d->is_shut_down, d->pause_count);
	printk("    nr_pages=%llu max_pages=%llu\n",
	       (unsigned long long)d->tot_pages,
	       (unsigned long long)d->max_pages);
	printk("VCPU information and callbacks for domain %u:\n", d->domain_id);
	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		const struct vcpu *v = d->vcpus[i];

		if (!v)
			continue;
		printk("    VCPU%u: CPU%u [has=%c] poll=%d "
		       "upcall_pend=%02x upcall_mask=%02x\n",
		       v->vcpu_id, v->processor, v->is_running ? 'T' : 'F',
		       v->polling,
		       v->vcpu_info ? v->vcpu_info->evtchn_upcall_pending : 0,
		       v->vcpu_info ? v->vcpu_info->evtchn_upcall_mask : 0);
	}
}

static void dump_domains(unsigned char key)
{
	printk("'%c' pressed -> dumping domain info (now = %llu)\n", key,
	       (unsigned long long)arch_now_ns());
	dump_each_domain(dump_domain);
}

/* Xen's dump_runq prints no "pressed" line either: NOW= comes first. */
static void dump_runq(unsigned char key)
{
	sched_dump_runq();
}

static void dump_evtchn(unsigned char key)
{
	printk("'%c' pressed -> dumping event-channel info\n", key);
	dump_each_domain(evtchn_dump);
}

#ifdef CONFIG_GRANT_TABLE
static void dump_gnttab(unsigned char key)
{
	printk("gnttab_usage_print_all [ key '%c' pressed\n", key);
	dump_each_domain(gnttab_dump);
	printk("gnttab_usage_print_all ] done\n");
}
#endif

static void dump_memory(unsigned char key)
{
	printk("'%c' pressed -> dumping memory info\n", key);
	printk("Physical memory information:\n");
	printk("    Total: %llukB\n",
	       (unsigned long long)(page_alloc_total_bytes() >> 10));
	printk("    Dom heap: %llukB free\n",
	       (unsigned long long)(page_alloc_free_bytes() >> 10));
}

static void dump_dom0_registers(unsigned char key)
{
	const struct domain *d = hardware_domain;

	printk("'%c' pressed -> dumping Dom0's registers\n", key);
	if (!d)
		return;
	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		if (!d->vcpus[i])
			continue;
		printk("*** Dumping Dom0 vcpu#%u state: ***\n", i);
		arch_vcpu_dump_regs(d->vcpus[i]);
	}
}

static void reboot_machine(unsigned char key)
{
	printk("'%c' pressed -> rebooting machine\n", key);
	arch_system_reset();
}

/* Sorted by key, as `h` lists them. */
static const struct keyhandler key_table[] = {
	{'0', dump_dom0_registers, "dump Dom0 registers"},
	{'R', reboot_machine, "reboot machine"},
	{'e', dump_evtchn, "dump evtchn info"},
#ifdef CONFIG_GRANT_TABLE
	{'g', dump_gnttab, "print grant table usage"},
#endif
	{'h', show_handlers, "show this message"},
	{'m', dump_memory, "memory info"},
	{'q', dump_domains, "dump domain (and guest debug) info"},
	{'r', dump_runq, "dump run queues"},
};

static void show_handlers(unsigned char key)
{
	printk("'%c' pressed -> showing installed handlers\n", key);
	for (size_t i = 0; i < ARRAY_SIZE(key_table); i++)
		printk(" key '%c' (ascii '%02x') => %s\n", key_table[i].key,
		       key_table[i].key, key_table[i].desc);
}

void keyhandler_press(unsigned char key)
{
	for (size_t i = 0; i < ARRAY_SIZE(key_table); i++) {
		if (key_table[i].key != key)
			continue;
		printk_log_everything(true);
		key_table[i].fn(key);
		printk_log_everything(false);
		return;
	}
}
