// SPDX-License-Identifier: MIT
/*
 * What hypfs shows, laid out as Xen 4.17 lays it out (docs/misc/
 * hypfs-paths.pandoc):
 *
 *   /buildinfo/changeset                  the source revision
 *   /buildinfo/compileinfo/{compile_by,compile_date,compile_domain,compiler}
 *   /buildinfo/config                     the .config the image was built
 *                                         with (plain text; Xen gzips it)
 *   /buildinfo/version/{extra,major,minor}
 *   /params/<name>                        each command line option
 *
 * Xen lists only its runtime parameters under /params/; Orchid lists every
 * option it parses, read-only, and the runtime ones (loglvl, guest_loglvl,
 * Xen's two on Arm) writable, as Xen's are: a write takes effect at once.
 * Xen's /cpupool/ is not there: Orchid has one pool and no pool tunables.
 */
#include <orchid/cmdline.h>
#include <orchid/hypfs.h>
#include <orchid/setup.h>
#include <orchid/string.h>
#include <orchid/version.h>
#include <public/hypfs.h>

/* Options that are parameters; cmdline.c has fewer than this. */
#define HYPFS_PARAMS_MAX 32
/* What Xen 4.17 reports as loglvl's max_write_len (LOGLVL_VAL_SZ). */
#define HYPFS_PARAM_WRITE_MAX 16

/* The .config text and a NUL (hypfs_config.S). */
extern const char hypfs_config_text[], hypfs_config_end[];

static const unsigned int version_major = XEN_VERSION_MAJOR;
static const unsigned int version_minor = XEN_VERSION_MINOR;

static struct hypfs_content read_string(const struct hypfs_node *n,
					char *scratch)
{
	const char *s = n->data;

	return (struct hypfs_content){s, (uint32_t)strlen(s) + 1};
}

static struct hypfs_content read_uint(const struct hypfs_node *n, char *scratch)
{
	return (struct hypfs_content){n->data, sizeof(unsigned int)};
}

static struct hypfs_content read_config(const struct hypfs_node *n,
					char *scratch)
{
	return (struct hypfs_content){
		hypfs_config_text,
		(uint32_t)(hypfs_config_end - hypfs_config_text)};
}

#define DIR(name_, children_)                                                  \
	{                                                                      \
		.name = (name_), .type = XEN_HYPFS_TYPE_DIR,                   \
		.children = (children_), .nr_children = ARRAY_SIZE(children_), \
	}
#define STRING(name_, text_)                                                   \
	{                                                                      \
		.name = (name_), .type = XEN_HYPFS_TYPE_STRING,                \
		.read = read_string, .data = (text_),                          \
	}
#define UINT(name_, var_)                                                      \
	{                                                                      \
		.name = (name_), .type = XEN_HYPFS_TYPE_UINT,                  \
		.read = read_uint, .data = &(var_),                            \
	}

/* Each directory's children sorted by name, as Xen's add_entry keeps them. */
static const struct hypfs_node compileinfo[] = {
	STRING("compile_by", "orchid"),
	STRING("compile_date", ORCHID_BUILD_DATE),
	STRING("compile_domain", "orchid"),
	STRING("compiler", ORCHID_COMPILER),
};

static const struct hypfs_node version[] = {
	STRING("extra", XEN_EXTRAVERSION),
	UINT("major", version_major),
	UINT("minor", version_minor),
};

static const struct hypfs_node buildinfo[] = {
	STRING("changeset", "Orchid " ORCHID_VERSION),
	DIR("compileinfo", compileinfo),
	{.name = "config", .type = XEN_HYPFS_TYPE_STRING, .read = read_config},
	DIR("version", version),
};

/* ---- /params/ ------------------------------------------------------------ */

static struct hypfs_node params[HYPFS_PARAMS_MAX];

static struct hypfs_content read_param(const struct hypfs_node *n,
				       char *scratch)
{
	size_t len = cmdline_param_value(n->index, &boot_options, scratch,
					 HYPFS_SCRATCH);

	return (struct hypfs_content){scratch, (uint32_t)len};
}

static int write_param(const struct hypfs_node *n, const char *s, uint32_t len)
{
	/* @len counts the NUL, the value does not. */
	return cmdline_param_set(n->index, s, len - 1, &boot_options);
}

static uint8_t param_type(enum cmdline_param_type t)
{
	switch (t) {
	case CMDLINE_PARAM_BOOL: return XEN_HYPFS_TYPE_BOOL;
	case CMDLINE_PARAM_UINT: return XEN_HYPFS_TYPE_UINT;
	default: return XEN_HYPFS_TYPE_STRING;
	}
}

/* Insert @n keeping params[0..@count) sorted by name. */
static void params_insert(const struct hypfs_node *n, unsigned int count)
{
	unsigned int at = count;

	while (at > 0 && strcmp(params[at - 1].name, n->name) > 0) {
		params[at] = params[at - 1];
		at--;
	}
	params[at] = *n;
}

static unsigned int params_build(void)
{
	struct cmdline_param p;
	unsigned int i;

	for (i = 0; i < HYPFS_PARAMS_MAX && cmdline_param(i, &p); i++) {
		struct hypfs_node n = {
			.name = p.name,
			.type = param_type(p.type),
			.read = read_param,
			.write = p.runtime ? write_param : NULL,
			.max_write = p.runtime ? HYPFS_PARAM_WRITE_MAX : 0,
			.index = i,
		};

		params_insert(&n, i);
	}
	return i;
}

static struct hypfs_node root_children[] = {
	DIR("buildinfo", buildinfo),
	{.name = "params", .type = XEN_HYPFS_TYPE_DIR, .children = params},
};

static const struct hypfs_node root = DIR("", root_children);

/* Built on the first hypfs_op, under its lock. */
const struct hypfs_node *hypfs_root(void)
{
	struct hypfs_node *p = &root_children[1];

	if (!p->nr_children)
		p->nr_children = params_build();
	return &root;
}
