// SPDX-License-Identifier: MIT
/*
 * The GDB remote serial protocol's framing: "$body#cs", '}' escapes,
 * '+'/'-' acknowledgements and ^C.  A pure byte-at-a-time state machine,
 * so that malformed input (bad checksums, overlong packets, stray bytes)
 * is tested without a socket; gdb is a peer we accept, not trust.
 */
#include <string.h>
#include "gdbstub.h"

enum { RX_IDLE, RX_BODY, RX_ESCAPE, RX_SUM1, RX_SUM2 };

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void kvmkit_gdb_rx_init(struct kvmkit_gdb_rx *rx)
{
	rx->state = RX_IDLE;
	rx->len = 0;
	rx->sum = 0;
	rx->overflow = 0;
	rx->buf[0] = '\0';
}

static void put(struct kvmkit_gdb_rx *rx, unsigned char c)
{
	if (rx->len < KVMKIT_GDB_PACKET_MAX)
		rx->buf[rx->len++] = (char)c;
	else
		rx->overflow = 1;
}

static enum kvmkit_gdb_rx_event idle(struct kvmkit_gdb_rx *rx, unsigned char c)
{
	switch (c) {
	case '$':
		rx->state = RX_BODY;
		rx->len = 0;
		rx->sum = 0;
		rx->overflow = 0;
		return KVMKIT_GDB_RX_MORE;
	case '+':
		return KVMKIT_GDB_RX_ACK;
	case '-':
		return KVMKIT_GDB_RX_NAK;
	case 0x03:
		return KVMKIT_GDB_RX_INTERRUPT;
	}
	return KVMKIT_GDB_RX_MORE;	/* line noise between packets */
}

enum kvmkit_gdb_rx_event kvmkit_gdb_rx_byte(struct kvmkit_gdb_rx *rx,
					    unsigned char c)
{
	int v;

	switch (rx->state) {
	case RX_IDLE:
		return idle(rx, c);
	case RX_BODY:
		if (c == '#') {
			rx->state = RX_SUM1;
			return KVMKIT_GDB_RX_MORE;
		}
		/* a '$' inside a body: the rest was lost, start over */
		if (c == '$')
			return idle(rx, c);
		rx->sum += c;
		if (c == '}')
			rx->state = RX_ESCAPE;
		else
			put(rx, c);
		return KVMKIT_GDB_RX_MORE;
	case RX_ESCAPE:
		rx->sum += c;
		put(rx, c ^ 0x20);
		rx->state = RX_BODY;
		return KVMKIT_GDB_RX_MORE;
	case RX_SUM1:
		v = hexval(c);
		rx->got = v < 0 ? 0x100 : (unsigned int)v << 4;
		rx->state = RX_SUM2;
		return KVMKIT_GDB_RX_MORE;
	default:	/* RX_SUM2 */
		rx->state = RX_IDLE;
		v = hexval(c);
		rx->buf[rx->len] = '\0';
		if (rx->overflow)
			return KVMKIT_GDB_RX_TOO_LONG;
		if (v < 0 || rx->got > 0xff ||
		    (rx->got | (unsigned int)v) != (rx->sum & 0xff))
			return KVMKIT_GDB_RX_BAD_CHECKSUM;
		return KVMKIT_GDB_RX_PACKET;
	}
}

size_t kvmkit_gdb_frame(const char *body, size_t len, char *out,
			size_t outlen)
{
	static const char digits[] = "0123456789abcdef";
	unsigned int sum = 0;
	size_t i, o = 0;

	if (outlen < 5)
		return 0;
	out[o++] = '$';
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)body[i];

		/* room for this byte escaped, then "#cs" and the NUL */
		if (o + 2 + 4 > outlen)
			return 0;
		if (c == '$' || c == '#' || c == '}' || c == '*') {
			out[o++] = '}';
			sum += '}';
			c ^= 0x20;
		}
		out[o++] = (char)c;
		sum += c;
	}
	out[o++] = '#';
	out[o++] = digits[(sum >> 4) & 0xf];
	out[o++] = digits[sum & 0xf];
	out[o] = '\0';
	return o;
}

int kvmkit_gdb_unhex(const char *s, size_t n, uint8_t *out)
{
	size_t i;

	if (n % 2)
		return -EINVAL;
	for (i = 0; i < n; i += 2) {
		int hi = hexval((unsigned char)s[i]);
		int lo = hexval((unsigned char)s[i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

void kvmkit_gdb_hex(const uint8_t *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0xf];
	}
	out[2 * len] = '\0';
}

int kvmkit_gdb_parse_hex(const char **p, uint64_t *v)
{
	const char *s = *p;
	uint64_t x = 0;
	int n = 0, d;

	while ((d = hexval((unsigned char)*s)) >= 0) {
		if (++n > 16)
			return -EINVAL;
		x = x << 4 | (unsigned int)d;
		s++;
	}
	if (!n)
		return -EINVAL;
	*v = x;
	*p = s;
	return 0;
}
