/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A stand-in guest kernel for scenarios that check what seavmm does around
 * a guest rather than in it (start-up, the ledger, the terminal, resets): a
 * Linux boot costs about 13 s in the emulated host, this costs nothing. It
 * has the arm64 Image header seavmm loads by, prints its line to the 16550
 * at VM_UART_BASE (MMU off: a device access) and then, by STUB_MODE:
 *   0  powers off (PSCI SYSTEM_OFF)
 *   1  resets (PSCI SYSTEM_RESET)
 *   2  idles for ever (WFI), for the terminal and signal checks
 * Built by the Makefile with the cross assembler; never committed.
 */
#ifndef STUB_MODE
#define STUB_MODE 0
#endif
#define UART_BASE	 0x09000000
#define PSCI_SYSTEM_OFF	 0x84000008
#define PSCI_SYSTEM_RESET 0x84000009

	.text
	.globl _start
_start:
	/* Image header (Documentation/arch/arm64/booting.rst) */
	b	entry			/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset */
	.quad	image_end - _start	/* image_size */
	.quad	0			/* flags: little-endian, any page size */
	.quad	0, 0, 0			/* res2-res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 */

entry:
	adr	x1, msg
	ldr	x2, =UART_BASE
1:	ldrb	w3, [x1], #1
	cbz	w3, 2f
	strb	w3, [x2]
	b	1b
2:
#if STUB_MODE == 2
3:	wfi
	b	3b
#else
#if STUB_MODE == 1
	ldr	w0, =PSCI_SYSTEM_RESET
#else
	ldr	w0, =PSCI_SYSTEM_OFF
#endif
	hvc	#0
4:	wfi
	b	4b
#endif
	.ltorg
msg:
#if STUB_MODE == 1
	.asciz	"STUB-GUEST: reset\r\n"
#elif STUB_MODE == 2
	.asciz	"STUB-GUEST: idle\r\n"
#else
	.asciz	"STUB-GUEST: power off\r\n"
#endif
	.balign	8
image_end:
