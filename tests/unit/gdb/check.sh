#!/bin/sh
# The GDB remote stub driven by real gdb in batch mode (issue 7 item 8):
# a kvmkit-cc test binary run with --gdb 0 (or KVMKIT_GDB=0) waits for
# gdb; gdb, with the payload's symbols from BINARY.payload.elf, sets a
# software breakpoint, a hardware breakpoint and a watchpoint, reads and
# writes registers and guest memory, single-steps and continues, and what
# gdb printed and what the guest then reported are checked.  TAP output;
# exit 77 without gdb or /dev/kvm.  Runs on the host KVM and, through
# bin/kvmkit-vm, in the VM: `bin/kvmkit-vm -- sh tests/unit/gdb/check.sh`.
#   O=build sh tests/unit/gdb/check.sh
# KVMKIT_CC_FLAGS: host flags for kvmkit-cc, e.g. a sanitizer build:
#   KVMKIT_CC_FLAGS="-fsanitize=address,undefined" O=build-asan sh tests/unit/gdb/check.sh
set -u
O=${O:-build}
root=$(cd "$(dirname "$0")/../../.." && pwd)
out=$O/tests/unit/gdb
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvmkit-gdb.XXXXXX") || exit 1
[ -n "${KEEP_TMP:-}" ] || trap 'rm -rf "$tmp"' EXIT INT TERM
n=0 failed=0

ok() {	# ok CONDITION-EXIT-STATUS WHAT
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}
# has FILE TEXT WHAT: FILE holds the fixed string TEXT
has() {
	grep -qF -- "$2" "$1"
	st=$?
	ok $st "$3"
	[ "$st" = 0 ] || echo "#   no \"$2\" in $(basename "$1")"
}
# show FILE: a log, as TAP comments (after a failure)
show() {
	sed 's/^/#   /' "$1"
}

command -v gdb >/dev/null 2>&1 || { echo "1..0 # SKIP no gdb"; exit 77; }
[ -w /dev/kvm ] || { echo "1..0 # SKIP no usable /dev/kvm"; exit 77; }
mkdir -p "$out" || exit 1
# kvmkit-vm's guest boots with its loopback interface down (gdb then says
# "Network is unreachable"); up already on a host, and harmless there
ip link set lo up 2>/dev/null || :
bin=$out/gdb_target
CC=${CC:-cc} KVMKIT_BUILD=${KVMKIT_BUILD:-$root/$O} KVMKIT_WERROR=1 \
	"$root/bin/kvmkit-cc" "$root/tests/unit/gdb/gdb_target.c" -o "$bin" \
	${KVMKIT_CC_FLAGS:-} ||
	{ echo "Bail out! kvmkit-cc cannot build the gdb target"; exit 1; }
ok $? "kvmkit-cc builds gdb_target"
[ -f "$bin.payload.elf" ] && [ ! -x "$bin.payload.elf" ]
ok $? "kvmkit-cc keeps the payload's ELF beside the binary, not executable"

# start_test LOG ARGS...: the test binary in the background, waiting for
# gdb; sets $port from its TINFO line and $pid
start_test() {
	log=$1
	shift
	: >"$log"
	"$@" >"$log" 2>&1 &
	pid=$!
	port=
	i=0
	while [ $i -lt 200 ] && [ -z "$port" ]; do
		port=$(sed -n 's/.*waiting for gdb on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log")
		[ -n "$port" ] || sleep 0.05
		i=$((i + 1))
	done
	[ -n "$port" ]
}

# finish_test: the test's exit status (it must end within 60 s)
finish_test() {
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -0 "$pid" 2>/dev/null && { kill "$pid"; echo "# test hung"; }
	wait "$pid"
}

gdb_batch() {	# gdb_batch LOG GDB-ARGS...
	log=$1
	shift
	timeout 120 gdb -batch -nx -ex "set confirm off" \
		-ex "target remote 127.0.0.1:$port" "$@" "$bin.payload.elf" \
		>"$log" 2>&1
}

# 1. The whole tour, with --gdb 0
start_test "$tmp/t1" "$bin" --gdb 0
ok $? "--gdb 0: the test waits for gdb and names its port"
gdb_batch "$tmp/g1" \
	-ex 'break gdb_break_here' -ex c \
	-ex 'info registers rip' -ex 'print gdb_counter' \
	-ex c -ex 'print $rdi' -ex 'print gdb_counter' \
	-ex 'set var gdb_poked = 42' -ex 'set var $rdi = 5' \
	-ex 'print/x $rdi' -ex 'x/2xb gdb_break_here' \
	-ex delete -ex 'hbreak gdb_hw_here' -ex c \
	-ex 'info registers rip' -ex stepi -ex 'info registers rip' \
	-ex 'watch gdb_watched' -ex c -ex delete \
	-ex 'print 1' -ex c
st=$?
ok $st "gdb -batch ends"
[ "$st" = 0 ] || { echo "#   gdb exit status $st:"; show "$tmp/g1"; }
has "$tmp/g1" "Breakpoint 1, gdb_break_here (n=n@entry=1) at" \
	"software breakpoint: stops at gdb_break_here with its argument, symbols from the payload's ELF"
has "$tmp/g1" "<gdb_break_here>" "info registers rip: the breakpoint's address"
has "$tmp/g1" '$1 = 0' "memory read: gdb_counter is 0 before the first call"
has "$tmp/g1" "Breakpoint 1, gdb_break_here (n=n@entry=2) at" \
	"continue: the breakpoint hits again on the second call"
has "$tmp/g1" '$2 = 2' "register read: RDI holds the argument 2"
has "$tmp/g1" '$3 = 1' "memory read: gdb_counter is 1 after one call"
has "$tmp/g1" '$4 = 0x5' "register write: RDI reads back 5"
has "$tmp/g1" "<gdb_break_here>:	0x" "memory read by address: the function's first bytes"
grep -q "<gdb_break_here>:	0xcc" "$tmp/g1"
ok $((!$?)) "the software breakpoint's INT3 is not shown to gdb"
has "$tmp/g1" "Hardware assisted breakpoint 2 at" "hbreak accepted"
has "$tmp/g1" ", gdb_hw_here () at" "hardware breakpoint: stops at gdb_hw_here"
has "$tmp/g1" "Hardware watchpoint 3: gdb_watched" "watch accepted"
has "$tmp/g1" "Old value = 0" "watchpoint: stops on the write, old value"
has "$tmp/g1" "New value = 7" "watchpoint: new value"
has "$tmp/g1" "exited normally" "continue to the end: gdb sees the program exit"
grep -q "^rip .*<gdb_hw_here+[0-9]*>" "$tmp/g1"
ok $? "stepi: RIP moves on within gdb_hw_here"
finish_test
ok $? "the test passes: it ends with exit status 0"
has "$tmp/t1" "TPASS: gdb wrote gdb_poked: 42, counter 10" \
	"gdb's memory write (42) and register write (RDI 5: 1 + 5 + 3 + 1) reached the guest"

# 2. KVMKIT_GDB=0, and gdb detaching at once: the guest runs on, unchanged
start_test "$tmp/t2" env KVMKIT_GDB=0 "$bin"
ok $? "KVMKIT_GDB=0: the test waits for gdb"
gdb_batch "$tmp/g2" -ex 'break gdb_break_here' -ex detach
finish_test
ok $((1 - $?)) "after detach the guest runs on to its own result (TFAIL: exit 1)"
has "$tmp/t2" "TFAIL: gdb_poked is 0, not 42 (counter 7)" \
	"detach removed the breakpoint: the guest ran undisturbed"

# 2b. gdb holds the guest longer than its timeout (-T 1), then detaches:
#     the timeout was off from the start, so the guest runs on to its end
start_test "$tmp/t6" "$bin" -T 1 --gdb 0
gdb_batch "$tmp/g6" -ex 'shell sleep 2' -ex detach
finish_test
ok $((1 - $?)) "held past its 1 s timeout, then detached: the guest ends on its own result (exit 1), no timeout"
has "$tmp/t6" "TFAIL: gdb_poked is 0, not 42 (counter 7)" \
	"held past its timeout: the guest ran to its end"

# 3. A hostile peer: malformed packets straight to the stub's socket.
#    Each gets a refusal ('-' or an error reply), none a crash, and the
#    stub still serves the next one; detaching then lets the guest run on.
peer() {
	python3 - "$port" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=30)
buf = b""
def frame(b):
    return b"$" + b + b"#" + ("%02x" % (sum(b) & 0xff)).encode()
def reply():
    global buf
    while True:
        i = buf.find(b"$")
        j = buf.find(b"#", i + 1) if i >= 0 else -1
        if i >= 0 and j >= 0 and len(buf) >= j + 3:
            body, buf = buf[i + 1:j], buf[j + 3:]
            return body
        d = s.recv(65536)
        if not d:
            raise SystemExit("FAIL the stub closed the connection")
        buf += d
def ask(body):
    s.sendall(frame(body))
    return reply()
def first_byte(data):
    global buf
    s.sendall(data)
    while not buf:
        buf += s.recv(65536)
    b, buf = buf[:1], buf[1:]
    return b
def check(ok, what):
    print(("PASS " if ok else "FAIL ") + what, flush=True)
check(first_byte(b"$g#00") == b"-", "a bad checksum: '-'")
check(first_byte(b"$" + b"a" * 5000 + b"#00") == b"-", "a 5000-byte packet: '-'")
check(first_byte(b"$g#zz") == b"-", "a checksum that is no hex: '-'")
check(ask(b"m0,zz") == b"E16", "m with a bad length: E16 (EINVAL)")
check(ask(b"mffffffffffff0000,10") == b"E0e", "m of an unmapped address: E0e (EFAULT)")
check(ask(b"m1000,100000") == b"E16", "m of 1 MiB: E16, no overlong reply")
check(ask(b"m11111111111111111,1") == b"E16", "m with a 17-digit address: E16")
check(ask(b"M1000,2:zz") == b"E16", "M with bad hex: E16")
check(ask(b"M1000,2:aabbcc") == b"E16", "M whose data is longer than its length: E16")
check(ask(b"p999") == b"E16", "p of a register that does not exist: E16")
check(ask(b"P0=12") == b"E16", "P with a value of the wrong size: E16")
check(ask(b"G123") == b"E16", "G with odd hex: E16")
check(ask(b"G" + b"00" * 600) == b"E16", "G longer than the register block: E16")
check(ask(b"Z3,1000,1") == b"", "Z3 (read watchpoint, no x86 equivalent): unsupported")
check(ask(b"Zq") == b"E16", "Z with garbage: E16")
check(ask(b"X1000,1:a") == b"", "X (binary write): unsupported, gdb falls back to M")
check(ask(b"c1x") == b"E16", "c with a bad address: E16")
check(b"PacketSize=" in ask(b"qSupported:xmlRegisters=i386"), "still serving: qSupported")
check(len(ask(b"g")) == 2 * 536, "g: the 536-byte x86-64 block")
check(ask(b"D") == b"OK", "D: detached")
PY
}
start_test "$tmp/t5" "$bin" --gdb 0
peer >"$tmp/p5" 2>&1
while read -r verdict what; do
	[ "$verdict" = PASS ]
	ok $? "hostile peer: $what"
done <"$tmp/p5"
grep -q "^PASS D: detached" "$tmp/p5" || { ok 1 "hostile peer: the session ran to its end"; show "$tmp/p5"; }
finish_test
ok $((1 - $?)) "hostile peer: the guest runs on after it to its own result (TFAIL: exit 1)"

# 4. Bad ports are usage errors
"$bin" --gdb 70000 >"$tmp/t3" 2>&1
ok $((2 - $?)) "--gdb 70000: exit 2 (TBROK)"
has "$tmp/t3" "Invalid --gdb port (0 to 65535) '70000'" "--gdb 70000: one line naming it"
KVMKIT_GDB=x "$bin" >"$tmp/t4" 2>&1
ok $((2 - $?)) "KVMKIT_GDB=x: exit 2 (TBROK)"
has "$tmp/t4" "Invalid KVMKIT_GDB 'x': must be a TCP port" "KVMKIT_GDB=x: one line naming it"

echo "1..$n"
if [ "$failed" != 0 ]; then
	for f in g1 t1 g2 t2 g6 t6 p5 t5; do
		echo "# --- $f"
		show "$tmp/$f"
	done
	echo "# $failed of $n checks failed"
	exit 1
fi
