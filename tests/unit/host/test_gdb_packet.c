// SPDX-License-Identifier: MIT
/*
 * The GDB stub's packet layer on hostile input (pure, no KVM): framing
 * with checksums, escapes, acknowledgements and ^C; bad checksums,
 * overlong bodies, stray bytes and a packet restarted mid-way; hex
 * digits and numbers that are not; replies that do not fit.  gdb is a
 * peer over a socket: nothing it sends may make the stub read or write
 * out of bounds.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include "gdbstub.h"
#include "unit.h"

/* Feed s; the last event and how many packets completed */
static enum kvmkit_gdb_rx_event feed(struct kvmkit_gdb_rx *rx, const char *s,
				     size_t n, unsigned int *packets)
{
	enum kvmkit_gdb_rx_event ev = KVMKIT_GDB_RX_MORE;
	size_t i;

	*packets = 0;
	for (i = 0; i < n; i++) {
		ev = kvmkit_gdb_rx_byte(rx, (unsigned char)s[i]);
		*packets += ev == KVMKIT_GDB_RX_PACKET;
	}
	return ev;
}

#define FEED(rx, s, p)	feed((rx), (s), sizeof(s) - 1, (p))

static void test_framing(void)
{
	static struct kvmkit_gdb_rx rx;
	unsigned int p;

	kvmkit_gdb_rx_init(&rx);
	CHECK_EQ(FEED(&rx, "$g#67", &p), KVMKIT_GDB_RX_PACKET, "$g#67: a packet");
	CHECK_STR(rx.buf, "g", "its body");
	CHECK_EQ(FEED(&rx, "$?#3F", &p), KVMKIT_GDB_RX_PACKET,
		 "upper-case checksum digits");
	CHECK_EQ(FEED(&rx, "$g#68", &p), KVMKIT_GDB_RX_BAD_CHECKSUM,
		 "a wrong checksum: refused ('-')");
	CHECK_EQ(FEED(&rx, "$g#6x", &p), KVMKIT_GDB_RX_BAD_CHECKSUM,
		 "a checksum that is no hex: refused");
	CHECK_EQ(FEED(&rx, "$g#x7", &p), KVMKIT_GDB_RX_BAD_CHECKSUM,
		 "a first checksum digit that is no hex: refused");
	CHECK_EQ(FEED(&rx, "+", &p), KVMKIT_GDB_RX_ACK, "'+': an ack");
	CHECK_EQ(FEED(&rx, "-", &p), KVMKIT_GDB_RX_NAK, "'-': resend");
	CHECK_EQ(FEED(&rx, "\x03", &p), KVMKIT_GDB_RX_INTERRUPT, "^C");
	CHECK_EQ(FEED(&rx, "garbage\x01\xff", &p), KVMKIT_GDB_RX_MORE,
		 "noise between packets: ignored");
	CHECK_EQ(FEED(&rx, "$m1000,4#8e", &p), KVMKIT_GDB_RX_PACKET,
		 "a packet after the noise");
	CHECK_STR(rx.buf, "m1000,4", "its body intact");
	CHECK_EQ(FEED(&rx, "$mxx$g#67", &p), KVMKIT_GDB_RX_PACKET,
		 "a '$' inside a body restarts the packet");
	CHECK_STR(rx.buf, "g", "only the second packet remains");
	/* "}]" is an escaped '}' (0x5d ^ 0x20 = 0x7d): checksum over raw bytes */
	CHECK_EQ(FEED(&rx, "$X}]#32", &p), KVMKIT_GDB_RX_PACKET,
		 "an escape: checksum over the bytes sent");
	CHECK(rx.len == 2 && rx.buf[0] == 'X' && rx.buf[1] == '}',
	      "an escape: the byte unescaped");
	CHECK_EQ(FEED(&rx, "$#00", &p), KVMKIT_GDB_RX_PACKET, "an empty packet");
	CHECK_EQ(rx.len, 0, "of length 0");
	CHECK_EQ(FEED(&rx, "$g#67$?#3f", &p), KVMKIT_GDB_RX_PACKET,
		 "two packets in one read");
	CHECK_EQ(p, 2, "both seen");
}

static void test_overlong(void)
{
	static struct kvmkit_gdb_rx rx;
	static char big[KVMKIT_GDB_PACKET_MAX + 100];
	unsigned int sum = 0, p;
	char tail[8];
	size_t i;

	kvmkit_gdb_rx_init(&rx);
	big[0] = '$';
	for (i = 1; i < sizeof(big) - 3; i++) {
		big[i] = 'a';
		sum += 'a';
	}
	snprintf(tail, sizeof(tail), "#%02x", sum & 0xff);
	memcpy(big + sizeof(big) - 3, tail, 3);
	CHECK_EQ(feed(&rx, big, sizeof(big), &p), KVMKIT_GDB_RX_TOO_LONG,
		 "a body longer than the packet size: refused, right checksum or not");
	CHECK(rx.len == KVMKIT_GDB_PACKET_MAX, "nothing stored past the buffer");
	CHECK_EQ(FEED(&rx, "$g#67", &p), KVMKIT_GDB_RX_PACKET,
		 "the next packet is read normally");
	/* exactly the maximum is fine */
	for (sum = 0, i = 1; i <= KVMKIT_GDB_PACKET_MAX; i++)
		sum += 'a';
	snprintf(tail, sizeof(tail), "#%02x", sum & 0xff);
	memcpy(big + 1 + KVMKIT_GDB_PACKET_MAX, tail, 3);
	CHECK_EQ(feed(&rx, big, KVMKIT_GDB_PACKET_MAX + 4, &p),
		 KVMKIT_GDB_RX_PACKET, "a body of exactly the packet size: taken");
}

static void test_hex(void)
{
	uint8_t out[4] = { 0 };
	const char *s;
	char hex[9];
	uint64_t v;

	CHECK(!kvmkit_gdb_unhex("0aFf", 4, out) && out[0] == 0x0a &&
	      out[1] == 0xff, "unhex: 0aFf");
	CHECK_EQ(kvmkit_gdb_unhex("0g", 2, out), -EINVAL, "unhex: a bad digit");
	CHECK_EQ(kvmkit_gdb_unhex("abc", 3, out), -EINVAL, "unhex: odd length");
	CHECK_EQ(kvmkit_gdb_unhex(" 1", 2, out), -EINVAL, "unhex: a space");
	kvmkit_gdb_hex((const uint8_t *)"\x01\xab\x00\xff", 4, hex);
	CHECK_STR(hex, "01ab00ff", "hex");

	s = "1000,4";
	CHECK(!kvmkit_gdb_parse_hex(&s, &v) && v == 0x1000 && *s == ',',
	      "number: 1000, stops at the comma");
	s = ",4";
	CHECK_EQ(kvmkit_gdb_parse_hex(&s, &v), -EINVAL, "number: none");
	s = "ffffffffffffffff";
	CHECK(!kvmkit_gdb_parse_hex(&s, &v) && v == UINT64_MAX,
	      "number: 16 digits");
	s = "10000000000000000";
	CHECK_EQ(kvmkit_gdb_parse_hex(&s, &v), -EINVAL,
		 "number: 17 digits would overflow: refused");
	s = "00000000000000001";
	CHECK_EQ(kvmkit_gdb_parse_hex(&s, &v), -EINVAL,
		 "number: 17 digits even with leading zeros: refused");
}

static void test_frame(void)
{
	char out[32];

	CHECK_EQ(kvmkit_gdb_frame("OK", 2, out, sizeof(out)), 6, "frame: OK");
	CHECK_STR(out, "$OK#9a", "frame: OK's checksum");
	CHECK_EQ(kvmkit_gdb_frame("a#b$c}d*", 8, out, sizeof(out)), 16,
		 "frame: four bytes escaped");
	CHECK_STR(out, "$a}\x03" "b}\x04" "c}]d}\x0a#ec", "frame: escapes");
	CHECK_EQ(kvmkit_gdb_frame("0123456789", 10, out, 12), 0,
		 "frame: does not fit, nothing cut");
	CHECK_EQ(kvmkit_gdb_frame("", 0, out, 4), 0, "frame: no room at all");
	CHECK_EQ(kvmkit_gdb_frame("", 0, out, 5), 4, "frame: empty reply");
	CHECK_STR(out, "$#00", "frame: $#00");
}

int main(void)
{
	test_framing();
	test_overlong();
	test_hex();
	test_frame();
	return unit_done();
}
