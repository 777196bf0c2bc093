/* SPDX-License-Identifier: MIT */
/* The Xen version Orchid implements the ABI of. */
#ifndef ORCHID_VERSION_H
#define ORCHID_VERSION_H

#define XEN_VERSION_MAJOR  4
#define XEN_VERSION_MINOR  17
#define XEN_EXTRAVERSION   ".0-orchid"
#define XEN_VERSION_STRING "4.17"

#ifndef ORCHID_VERSION
#define ORCHID_VERSION "unknown"
#ifndef __ASSEMBLY__
#include <orchid/types.h>
/* This image's GNU build-id (XENVER_build_id, live-patch dependencies). */
bool xen_build_id(const uint8_t **id, uint32_t *len);
long version_extraversion(uint64_t arg, bool deny);
#endif

#endif
#define ORCHID_COMPILER	  "gcc " __VERSION__
#define ORCHID_BUILD_DATE __DATE__ " " __TIME__

#ifndef __ASSEMBLY__
#include <orchid/types.h>
/* This image's GNU build-id (XENVER_build_id, live-patch dependencies). */
bool xen_build_id(const uint8_t **id, uint32_t *len);
long version_extraversion(uint64_t arg, bool deny);
#endif

#endif
