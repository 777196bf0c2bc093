// SPDX-License-Identifier: MIT
/* System registers as named cells, for tests/unit/arm64/asm/host_sysreg.h. */
#include <assert.h>
#include <string.h>

#include <asm/sysreg.h>

#define FAKE_SYSREGS 64

static struct {
	char name[32];
	uint64_t val;
	unsigned int writes;
} regs[FAKE_SYSREGS];
static unsigned int nr_regs;

struct fake_tlbi fake_tlbi_log[FAKE_TLBI_MAX];
unsigned int fake_tlbi_count;

static unsigned int find(const char *name)
{
	unsigned int i;

	for (i = 0; i < nr_regs; i++)
		if (!strcmp(regs[i].name, name))
			return i;
	assert(nr_regs < FAKE_SYSREGS && strlen(name) < sizeof(regs[0].name));
	strcpy(regs[nr_regs].name, name);
	return nr_regs++;
}

uint64_t *fake_sysreg(const char *name)
{
	return &regs[find(name)].val;
}

uint64_t fake_sysreg_read(const char *name)
{
	return *fake_sysreg(name);
}

void fake_sysreg_write(const char *name, uint64_t val)
{
	unsigned int i = find(name);

	regs[i].val = val;
	regs[i].writes++;
}

unsigned int fake_sysreg_writes(const char *name)
{
	return regs[find(name)].writes;
}

void fake_tlbi(const char *op, uint64_t arg)
{
	if (fake_tlbi_count < FAKE_TLBI_MAX)
		fake_tlbi_log[fake_tlbi_count] = (struct fake_tlbi){
			op, arg, fake_sysreg_read("vttbr_el2")};
	fake_tlbi_count++;
}

void fake_sysreg_reset(void)
{
	memset(regs, 0, sizeof(regs));
	nr_regs = 0;
	fake_tlbi_count = 0;
}
