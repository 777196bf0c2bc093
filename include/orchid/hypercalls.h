/* SPDX-License-Identifier: MIT */
/*
 * The handlers of the hypercall table, each taking the guest's x0-x4.
 * They live with their subsystems (version.c, memory.c, evtchn.c, ...).
 */
#ifndef ORCHID_HYPERCALLS_H
#define ORCHID_HYPERCALLS_H

#include <orchid/types.h>
#include <public/xen.h>

long hc_platform_op(const uint64_t a[5]);
long hc_memory_op(const uint64_t a[5]);
long hc_xen_version(const uint64_t a[5]);
long hc_console_io(const uint64_t a[5]);
long hc_vm_assist(const uint64_t a[5]);
long hc_vcpu_op(const uint64_t a[5]);
long hc_sched_op(const uint64_t a[5]);
long hc_physdev_op(const uint64_t a[5]);
long hc_hvm_op(const uint64_t a[5]);
long hc_sysctl(const uint64_t a[5]);
long hc_domctl(const uint64_t a[5]);
long hc_hypfs_op(const uint64_t a[5]);

/* For log lines: the calling domain's id. */
unsigned int current_domain_id(void);

#endif /* ORCHID_HYPERCALLS_H */
