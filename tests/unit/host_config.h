/* SPDX-License-Identifier: MIT */
/* The configuration host unit tests are built with. */
#define CONFIG_NR_CPUS		8
#define CONFIG_GICV2		1
#define CONFIG_GICV3		1
#define CONFIG_DEBUG		1
#define CONFIG_LOG_BUF_SHIFT	14
#define CONFIG_MAX_MEM_BANKS	16
#define CONFIG_MAX_BOOT_MODULES 8
#define CONFIG_DOM0LESS		1
#define CONFIG_VPL011		1
#define CONFIG_SCHED_CREDIT	1
#define CONFIG_SCHED_ARINC653	1
#define CONFIG_SCHED_NULL	1
#define CONFIG_SCHED_RTDS	1
#define CONFIG_GRANT_TABLE	1
#define CONFIG_TOOLSTACK	1
#define CONFIG_CONSOLE_RING	1
#define CONFIG_STATIC_MEMORY	1
