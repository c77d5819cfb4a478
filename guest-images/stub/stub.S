/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A stand-in guest kernel for scenarios that check what seavmm does around
 * a guest rather than in it (start-up, the ledger, the terminal, resets): a
 * Linux boot costs about 13 s in the emulated host, this costs nothing. It
 * has the arm64 Image header seavmm loads by, prints its line to the 16550
 * at VM_UART_BASE (MMU off: a device access), with the device tree's
 * address (x0 at entry, "dtb=0x" and 16 hex digits: a page seavmm wrote and
 * the stub never reads, for scenarios that need one), and then, by STUB_MODE:
 *   0  powers off (PSCI SYSTEM_OFF)
 *   1  resets (PSCI SYSTEM_RESET)
 *   2  idles for ever (WFI), for the terminal and signal checks
 *   3  reads a command byte from the UART (RX interrupt enabled, which
 *      seavmm's UART waits for, but polled: the stub unmasks nothing):
 *      'r' resets, 'p' powers off, each said first; others are ignored
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
	mov	x19, x0			/* the device tree's address */
	ldr	x2, =UART_BASE
	adr	x1, msg
	bl	puts
	adr	x1, dtb
	bl	puts
	mov	x4, #60			/* shift of the top nibble */
1:	lsr	x3, x19, x4
	and	x3, x3, #0xf
	cmp	x3, #10
	add	x5, x3, #'0'
	add	x6, x3, #('a' - 10)
	csel	x3, x5, x6, lo
	strb	w3, [x2]
	subs	x4, x4, #4
	b.pl	1b
	adr	x1, crlf
	bl	puts
	b	2f

/* puts: the NUL-terminated string at x1 to the UART at x2 (clobbers x1, w3). */
puts:
	ldrb	w3, [x1], #1
	cbz	w3, 1f
	strb	w3, [x2]
	b	puts
1:	ret

2:
#if STUB_MODE == 2
3:	wfi
	b	3b
#elif STUB_MODE == 3
	/* IER.RDI: seavmm's UART takes input only once the guest listens. */
	mov	w3, #1
	strb	w3, [x2, #1]
5:	ldrb	w3, [x2, #5]		/* LSR */
	tbz	w3, #0, 5b		/* DR: a byte waits */
	ldrb	w3, [x2]		/* RBR */
	cmp	w3, #'r'
	b.eq	6f
	cmp	w3, #'p'
	b.ne	5b
	adr	x1, said_off
	bl	puts
	ldr	w0, =PSCI_SYSTEM_OFF
	b	7f
6:	adr	x1, said_reset
	bl	puts
	ldr	w0, =PSCI_SYSTEM_RESET
7:	hvc	#0
8:	wfi
	b	8b
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
	.asciz	"STUB-GUEST: reset"
#elif STUB_MODE == 2
	.asciz	"STUB-GUEST: idle"
#elif STUB_MODE == 3
	.asciz	"STUB-GUEST: command?"
said_reset:
	.asciz	"STUB-GUEST: reset\r\n"
said_off:
	.asciz	"STUB-GUEST: power off\r\n"
#else
	.asciz	"STUB-GUEST: power off"
#endif
dtb:
	.asciz	" dtb=0x"
crlf:
	.asciz	"\r\n"
	.balign	8
image_end:
