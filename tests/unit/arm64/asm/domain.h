/* SPDX-License-Identifier: MIT */
/*
 * Host tests of arch/arm64 files take Arm's struct arch_domain and struct
 * arch_vcpu (registers, timers, MMIO ranges), not the fake arch's. Only
 * this header is redirected: the other asm/ headers come from arch/fake
 * first (locks), then arch/arm64 (UNIT_ARM64_CFLAGS).
 */
#include "../../../../arch/arm64/include/asm/domain.h"
