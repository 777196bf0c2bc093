/* SPDX-License-Identifier: MIT */
/*
 * Orchid is one position-independent image: every symbol is local to it, so
 * the compiler reaches globals PC-relative instead of through a GOT.
 */
#pragma GCC visibility push(hidden)
