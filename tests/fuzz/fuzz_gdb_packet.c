// SPDX-License-Identifier: MIT
/*
 * libFuzzer: the GDB stub's packet layer (lib/host/gdbstub_packet.c) on
 * whatever a hostile peer could send.  Every byte goes through the
 * receiver; each packet it accepts must be bounded and terminated, its
 * body must survive the hex and number parsers, and framing it again
 * (into a buffer of a fuzzed size) must give either nothing or a frame
 * the receiver reads back as the same body.
 *
 * Input: u16 frame buffer size, then the byte stream.
 */
#include "fuzz.h"
#include "gdbstub.h"

static struct kvmkit_gdb_rx rx, back;
static char frame[2 * KVMKIT_GDB_PACKET_MAX + 8];
static uint8_t bytes[KVMKIT_GDB_PACKET_MAX / 2 + 1];

static void reframe(size_t outlen)
{
	size_t n = kvmkit_gdb_frame(rx.buf, rx.len, frame, outlen), i;
	enum kvmkit_gdb_rx_event ev = KVMKIT_GDB_RX_MORE;

	FUZZ_ASSERT(n < outlen || n == 0);
	if (!n)
		return;
	FUZZ_ASSERT(frame[n] == '\0');
	kvmkit_gdb_rx_init(&back);
	for (i = 0; i < n; i++) {
		FUZZ_ASSERT(ev == KVMKIT_GDB_RX_MORE);
		ev = kvmkit_gdb_rx_byte(&back, (unsigned char)frame[i]);
	}
	FUZZ_ASSERT(ev == KVMKIT_GDB_RX_PACKET);
	FUZZ_ASSERT(back.len == rx.len && !memcmp(back.buf, rx.buf, rx.len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	size_t outlen = fuzz_bytes(&in, 2) % sizeof(frame), i;

	kvmkit_gdb_rx_init(&rx);
	for (i = 0; i < in.n; i++) {
		const char *p;
		uint64_t v;

		if (kvmkit_gdb_rx_byte(&rx, in.p[i]) != KVMKIT_GDB_RX_PACKET)
			continue;
		FUZZ_ASSERT(rx.len <= KVMKIT_GDB_PACKET_MAX);
		FUZZ_ASSERT(rx.buf[rx.len] == '\0');
		p = rx.buf;
		if (!kvmkit_gdb_parse_hex(&p, &v))
			FUZZ_ASSERT(p > rx.buf && p <= rx.buf + rx.len);
		else
			FUZZ_ASSERT(p == rx.buf);
		if (rx.len % 2 == 0)
			(void)kvmkit_gdb_unhex(rx.buf, rx.len, bytes);
		reframe(outlen);
	}
	return 0;
}
