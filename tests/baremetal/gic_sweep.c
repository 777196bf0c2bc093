// SPDX-License-Identifier: MIT
/*
 * Sweeping a GIC frame offset by offset. Each access goes through
 * mmio_probe_* (smp_entry.S) with fault_expect() armed, so a data abort
 * the hypervisor injects is recorded and skipped, not fatal. Results are
 * folded per rule: one check line names the rule and, on failure, the
 * first offset that differs and how.
 */
#include "gic_sweep.h"
#include "guest.h"

int sweep_read(uint64_t addr, uint32_t *val)
{
	struct fault f;

	fault_expect();
	*val = mmio_probe_read32(addr);
	f = fault_result();
	if (f.taken)
		*val = 0;
	return f.taken;
}

int sweep_read64(uint64_t addr, uint64_t *val)
{
	struct fault f;

	fault_expect();
	*val = mmio_probe_read64(addr);
	f = fault_result();
	if (f.taken)
		*val = 0;
	return f.taken;
}

int sweep_write(uint64_t addr, uint32_t val)
{
	fault_expect();
	mmio_probe_write32(addr, val);
	return fault_result().taken;
}

/* Runs of equal results: "dump GICD 80-fc: ffffffff". */
void sweep_dump(const char *frame, uint64_t base, uint32_t size)
{
	uint32_t start = 0, prev = 0;
	int prev_fault = 0;

	for (uint32_t off = 0; off <= size; off += 4) {
		uint32_t v = 0;
		int fault = off < size ? sweep_read(base + off, &v) : -1;

		if (off && (fault != prev_fault || v != prev)) {
			if (prev_fault || prev)
				printf("dump %s %x-%x: %s%x\n", frame, start,
				       off - 4, prev_fault ? "FAULT " : "",
				       prev);
			start = off;
		}
		prev = v;
		prev_fault = fault;
	}
}

void sweep_dump_writes(const char *frame, uint64_t base, uint32_t size,
		       uint32_t garbage)
{
	uint32_t start = 0;
	int prev = 0;

	for (uint32_t off = 0; off <= size; off += 4) {
		int fault = off < size ? sweep_write(base + off, garbage) : -1;

		if (off && fault != prev) {
			if (prev == 1)
				printf("dumpw %s %x-%x: FAULT\n", frame, start,
				       off - 4);
			start = off;
		}
		prev = fault;
	}
}

static const struct sweep_rule raz_rule = {
	.name = "reserved-raz-wi",
	.kind = SW_VAL,
};

static const struct sweep_rule *rule_at(const struct sweep_frame *f,
					uint32_t off)
{
	for (unsigned int i = 0; i < f->nr_rules; i++)
		if (off >= f->rules[i].start && off <= f->rules[i].end)
			return &f->rules[i];
	return &raz_rule;
}

struct sweep_result {
	int bad;
	uint32_t off, got;
	int fault;
};

static int read_ok(const struct sweep_rule *r, int fault, uint32_t v,
		   int after_writes)
{
	uint32_t mask = r->mask ? r->mask : 0xffffffffu;

	switch (r->kind) {
	case SW_LAX: return 1;
	case SW_FAULT: return fault;
	case SW_ANY: return !fault;
	case SW_VAL:
		if (fault)
			return 0;
		return (after_writes && (r->flags & SW_RW)) ||
		       (v & mask) == (r->val & mask);
	}
	return 0;
}

static void report(const struct sweep_frame *f, const struct sweep_rule *r,
		   const struct sweep_result *res, int after_writes)
{
	char name[64], detail[96], want[16];

	if (r->kind == SW_FAULT)
		snprintf(want, sizeof(want), "fault");
	else
		snprintf(want, sizeof(want), "%x", r->val);
	snprintf(name, sizeof(name), "%s-%s%s", f->name, r->name,
		 after_writes ? "-after-garbage" : "");
	detail[0] = '\0';
	if (res->bad)
		snprintf(detail, sizeof(detail), "offset %x: %s%x, want %s",
			 res->off, res->fault ? "fault " : "", res->got, want);
	check_true(name, !res->bad, detail);
}

/* The offsets no rule covers: RAZ, in one pass over the frame. */
static void check_unruled(const struct sweep_frame *f, int after_writes)
{
	struct sweep_result res = {0};

	for (uint32_t off = 0; off < f->size; off += 4) {
		uint32_t v;
		int fault;

		if (rule_at(f, off) != &raz_rule)
			continue;
		fault = sweep_read(f->base + off, &v);
		if (!res.bad && (fault || v))
			res = (struct sweep_result){1, off, v, fault};
	}
	report(f, &raz_rule, &res, after_writes);
}

void sweep_check_reads(const struct sweep_frame *f, int after_writes)
{
	for (unsigned int i = 0; i < f->nr_rules; i++) {
		const struct sweep_rule *r = &f->rules[i];
		struct sweep_result res = {0};

		if (r->kind == SW_LAX ||
		    (after_writes && (r->flags & SW_RW) && r->kind != SW_FAULT))
			continue;
		for (uint32_t off = r->start; off <= r->end && off < f->size;
		     off += 4) {
			uint32_t v;
			int fault = sweep_read(f->base + off, &v);

			if (!res.bad && !read_ok(r, fault, v, after_writes))
				res = (struct sweep_result){1, off, v, fault};
		}
		report(f, r, &res, after_writes);
	}
	check_unruled(f, after_writes);
}

void sweep_check_writes(const struct sweep_frame *f, uint32_t garbage)
{
	struct sweep_result res = {0};
	char name[64], detail[96];

	for (uint32_t off = 0; off < f->size; off += 4) {
		const struct sweep_rule *r = rule_at(f, off);
		int fault = sweep_write(f->base + off, garbage);
		int want = !!(r->flags & SW_WFAULT);

		if (!res.bad && !(r->flags & SW_WLAX) && fault != want)
			res = (struct sweep_result){1, off, 0, fault};
	}
	snprintf(name, sizeof(name), "%s-garbage-writes", f->name);
	detail[0] = '\0';
	if (res.bad)
		snprintf(detail, sizeof(detail),
			 "offset %x (%s): write %s, Xen's %s", res.off,
			 rule_at(f, res.off)->name,
			 res.fault ? "faults" : "does not fault",
			 res.fault ? "does not" : "does");
	check_true(name, !res.bad, detail);
}
