/* SPDX-License-Identifier: MIT */
/* HVM parameters (Xen 4.17 xen/include/public/hvm/params.h), Arm subset. */
#ifndef XEN_PUBLIC_HVM_PARAMS_H
#define XEN_PUBLIC_HVM_PARAMS_H

#define HVM_PARAM_CALLBACK_IRQ			   0
#define HVM_PARAM_CALLBACK_TYPE_PPI		   2
#define HVM_PARAM_CALLBACK_TYPE_PPI_FLAG_MASK	   0xFF00
#define HVM_PARAM_CALLBACK_TYPE_PPI_FLAG_LOW_LEVEL 2
#define HVM_PARAM_STORE_PFN			   1
#define HVM_PARAM_STORE_EVTCHN			   2
#define HVM_PARAM_CONSOLE_PFN			   17
#define HVM_PARAM_CONSOLE_EVTCHN		   18
#define HVM_PARAM_MONITOR_RING_PFN		   28
#define HVM_NR_PARAMS				   39

#define HVMOP_set_param 0
#define HVMOP_get_param 1

struct xen_hvm_param {
	uint16_t domid;
	uint16_t pad;
	uint32_t index;
	uint64_t value;
};

#endif /* XEN_PUBLIC_HVM_PARAMS_H */
