/* SPDX-License-Identifier: MIT */
/*
 * The .config this image was built with, for hypfs's /buildinfo/config:
 * its text and a NUL. ORCHID_KCONFIG is its path (the Makefile sets it).
 */
	.section .rodata.hypfs_config, "a"
	.global hypfs_config_text
	.global hypfs_config_end
hypfs_config_text:
	.incbin ORCHID_KCONFIG
	.byte 0
hypfs_config_end:
