/* SPDX-License-Identifier: MIT */
/*
 * The register map of the SBSA generic UART (a PL011 subset, Arm's Server
 * Base System Architecture, appendix B) that the vpl011 emulates: one
 * definition for the emulation (vpl011.c) and its host unit tests.
 */
#ifndef ASM_SBSA_UART_H
#define ASM_SBSA_UART_H

/* Register offsets. */
#define UARTDR	 0x00
#define UARTRSR	 0x04
#define UARTFR	 0x18
#define UARTIMSC 0x38
#define UARTRIS	 0x3c
#define UARTMIS	 0x40
#define UARTICR	 0x44

/* UARTFR bits. */
#define FR_BUSY (1U << 3)
#define FR_RXFE (1U << 4)
#define FR_TXFF (1U << 5)
#define FR_RXFF (1U << 6)
#define FR_TXFE (1U << 7)

/* Interrupt bits (RIS, IMSC, MIS, ICR). */
#define INT_RX	 (1U << 4)
#define INT_TX	 (1U << 5)
#define INT_RT	 (1U << 6)
#define INT_MASK 0x7ffU

#endif
