/* SPDX-License-Identifier: MIT */
/*
 * Private to lib/host: the GDB remote serial protocol's framing and
 * parsing (gdbstub_packet.c, pure, unit-tested), the stub object
 * (gdbstub.c) and what the stub asks of the architecture.  The peer is
 * untrusted input like the guest: every length is bounded, every hex
 * digit checked.
 */
#ifndef KVMKIT_HOST_GDBSTUB_H
#define KVMKIT_HOST_GDBSTUB_H

#include "internal.h"

/* The largest packet body accepted or sent (qSupported's PacketSize) */
#define KVMKIT_GDB_PACKET_MAX	4096

/* What one received byte completed */
enum kvmkit_gdb_rx_event {
	KVMKIT_GDB_RX_MORE,		/* nothing yet */
	KVMKIT_GDB_RX_PACKET,		/* a packet: rx->buf[0..rx->len), NUL-terminated */
	KVMKIT_GDB_RX_BAD_CHECKSUM,	/* answer '-': gdb resends */
	KVMKIT_GDB_RX_TOO_LONG,		/* body over KVMKIT_GDB_PACKET_MAX: '-' too */
	KVMKIT_GDB_RX_INTERRUPT,	/* ^C (0x03) between packets */
	KVMKIT_GDB_RX_ACK,		/* '+' */
	KVMKIT_GDB_RX_NAK,		/* '-': resend the last reply */
};

struct kvmkit_gdb_rx {
	int state;
	size_t len;
	unsigned int sum;	/* of the body's raw bytes, mod 256 */
	unsigned int got;	/* the checksum's first digit */
	int overflow;
	char buf[KVMKIT_GDB_PACKET_MAX + 1];
};

void kvmkit_gdb_rx_init(struct kvmkit_gdb_rx *rx);
enum kvmkit_gdb_rx_event kvmkit_gdb_rx_byte(struct kvmkit_gdb_rx *rx,
					    unsigned char c);
/*
 * "$body#cs" into out with '$', '#', '}' and '*' escaped; the framed
 * length, or 0 when it does not fit in outlen (nothing is cut)
 */
size_t kvmkit_gdb_frame(const char *body, size_t len, char *out,
			size_t outlen);
/* n hex digits (n even) into n / 2 bytes; -EINVAL for a bad digit or odd n */
int kvmkit_gdb_unhex(const char *s, size_t n, uint8_t *out);
/* len bytes as 2 * len lower-case hex digits, NUL-terminated */
void kvmkit_gdb_hex(const uint8_t *in, size_t len, char *out);
/*
 * A hex number of 1..16 digits at *p, which moves past it; -EINVAL for
 * none, too many or a bad digit.
 */
int kvmkit_gdb_parse_hex(const char **p, uint64_t *v);

/*
 * The architecture's 'g' block: gdb's register numbers in order, as many
 * as fit in len (x86-64: the 24 general and segment registers, then x87
 * and SSE).  Returns the bytes, or -errno (message on the vCPU).
 */
long kvmkit_arch_gdb_read_regs(struct kvmkit_vcpu *vcpu, uint8_t *buf,
			       size_t len);
/* Write back the first len bytes of a 'g' block (registers gdb changed) */
int kvmkit_arch_gdb_write_regs(struct kvmkit_vcpu *vcpu, const uint8_t *buf,
			       size_t len);
/* Register n's offset and size in the block; -EINVAL past the last */
int kvmkit_arch_gdb_reg_slot(unsigned int n, size_t *offset, size_t *size);
/* The breakpoint instruction written for a 'Z0' (x86: INT3) */
#define KVMKIT_ARCH_SW_BREAKPOINT	0xcc
/* Set the PC (gdb's 'c ADDR' and 's ADDR') */
int kvmkit_arch_gdb_set_pc(struct kvmkit_vcpu *vcpu, uint64_t pc);

/* The debug exits this KVM delivers (the rest the stub emulates) */
struct kvmkit_gdb_caps {
	int sw_breakpoints;	/* INT3 exits with KVM_GUESTDBG_USE_SW_BP */
	int hw_breakpoints;	/* DR0-3 instruction breakpoints exit */
	int hw_watchpoints;	/* DR0-3 data breakpoints exit */
};
void kvmkit_arch_gdb_probe(struct kvmkit_kvm *kvm, struct kvmkit_gdb_caps *caps);

/* kvmkit_vcpu_run() of a vCPU that a stub serves (gdbstub.c) */
int kvmkit_gdb_run(struct kvmkit_vcpu *vcpu, struct kvmkit_exit *exit);
/* At vCPU destruction: tell gdb the program exited, close the sockets */
void kvmkit_gdb_release(struct kvmkit_vcpu *vcpu);

#endif /* KVMKIT_HOST_GDBSTUB_H */
