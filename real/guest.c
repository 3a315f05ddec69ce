// SPDX-License-Identifier: GPL-2.0
/*
 * The guest program, assembled with the harness (no toolchain at run time)
 * and copied into guest memory at REAL_CODE_GPA; position-independent, so
 * the copy runs where it lands. dirty_log_test's guest, in a few lines:
 *
 *   rdi  vCPU id            rsi  working set's base     rdx  page mask
 *   r8   random state       r9   shared page            r10  writes per
 *                                                            iteration
 *   for (;;) {
 *           i = *(u64 *)r9;                 the host's iteration number
 *           for (n = r10; n; n--) {
 *                   r8 = xorshift64(r8);
 *                   p = rsi + ((r8 & rdx) << 12);
 *                   ((u64 *)p)[rdi] = i << 16 | rdi;   its own word
 *                   if (((u64 *)p)[rdi] != (i << 16 | rdi))
 *                           outb(REAL_PORT_MISMATCH);
 *           }
 *           outb(REAL_PORT_SYNC);
 *   }
 *
 * Each vCPU writes its own word of a page, so no two vCPUs' values race
 * in one word and a page read back says which iteration wrote it last.
 */
#include "guest.h"

__asm__(".pushsection .rodata\n"
	".globl real_guest_code_start\n"
	".globl real_guest_code_end\n"
	".code64\n"
	"real_guest_code_start:\n"
	"1:	mov (%r9), %r11\n"
	"	mov %r10, %rcx\n"
	"2:	mov %r8, %rax\n"
	"	shl $13, %rax\n"
	"	xor %rax, %r8\n"
	"	mov %r8, %rax\n"
	"	shr $7, %rax\n"
	"	xor %rax, %r8\n"
	"	mov %r8, %rax\n"
	"	shl $17, %rax\n"
	"	xor %rax, %r8\n"
	"	mov %r8, %rax\n"
	"	and %rdx, %rax\n"
	"	shl $12, %rax\n"
	"	add %rsi, %rax\n"
	"	mov %r11, %rbx\n"
	"	shl $16, %rbx\n"
	"	or %rdi, %rbx\n"
	"	mov %rbx, (%rax,%rdi,8)\n"
	"	cmp (%rax,%rdi,8), %rbx\n"
	"	jne 3f\n"
	"	dec %rcx\n"
	"	jnz 2b\n"
	"	outb %al, $0xe0\n"
	"	jmp 1b\n"
	"3:	outb %al, $0xe1\n"
	"	jmp 1b\n"
	"real_guest_code_end:\n"
	".popsection\n");
