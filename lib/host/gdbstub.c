// SPDX-License-Identifier: MIT
/*
 * A GDB remote stub for one vCPU (kvmkit_gdb_serve()): gdb connects over
 * TCP on 127.0.0.1 before the guest's first instruction, and from then on
 * every debug exit is gdb's.  Built on KVM_SET_GUEST_DEBUG (debug.c):
 * software breakpoints are INT3 bytes the stub writes into guest memory
 * with KVM_GUESTDBG_USE_SW_BP, so they exit instead of reaching the guest;
 * hardware breakpoints and watchpoints are DR0-3 owned by the host.
 * Memory is addressed as gdb sees it, by guest-virtual address, and goes
 * through the guest's page tables and the bounded slot copies: gdb is a
 * peer we serve, not one we trust.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include "gdbstub.h"

#define MAX_SW_BREAKPOINTS	64
/* gdb reads memory in chunks of its own choosing: cap one reply */
#define MAX_MEM		((KVMKIT_GDB_PACKET_MAX - 8) / 2)

enum gdb_state { WAITING, STOPPED, RUNNING, DETACHED };
enum action { REPLY, RESUME, DETACH, KILL };

struct sw_breakpoint {
	uint64_t gva, gpa;
	uint8_t orig;
	int used;
};

/*
 * A breakpoint or watchpoint this KVM does not deliver (caps), checked
 * after each single-stepped instruction instead: a PC compared for
 * breakpoints, the watched bytes compared for watchpoints (so an access
 * watchpoint stops on writes that change the value only).
 */
struct emu_point {
	uint64_t addr, len;
	int type;		/* gdb's Z type: 0, 1, 2 or 4 */
	uint8_t last[8];	/* a watchpoint's bytes as last seen */
	int used;
};

struct kvmkit_gdb {
	int listen_fd, fd;
	enum gdb_state state;
	int step;
	struct kvmkit_gdb_caps caps;
	struct sw_breakpoint sw[MAX_SW_BREAKPOINTS];
	struct emu_point emu[MAX_SW_BREAKPOINTS];
	struct kvmkit_debug hw;		/* hw[] and n_hw only */
	struct kvmkit_gdb_rx rx;
	size_t reply_len;
	char reply[KVMKIT_GDB_PACKET_MAX + 1];
	size_t out_len;			/* the last frame, for a '-' */
	char out[2 * KVMKIT_GDB_PACKET_MAX + 8];
	uint8_t bytes[KVMKIT_GDB_PACKET_MAX];
};

/* ---- the connection ----------------------------------------------------- */

static int send_all(struct kvmkit_gdb *g, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(g->fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -EPIPE;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int send_packet(struct kvmkit_gdb *g, const char *body, size_t len)
{
	g->out_len = kvmkit_gdb_frame(body, len, g->out, sizeof(g->out));
	if (!g->out_len)	/* cannot happen: bodies are bounded */
		g->out_len = kvmkit_gdb_frame("E01", 3, g->out, sizeof(g->out));
	return send_all(g, g->out, g->out_len);
}

static int send_str(struct kvmkit_gdb *g, const char *s)
{
	return send_packet(g, s, strlen(s));
}

static void set_reply(struct kvmkit_gdb *g, const char *s)
{
	g->reply_len = strlen(s);
	memcpy(g->reply, s, g->reply_len + 1);
}

static int error_reply(struct kvmkit_gdb *g, int err)
{
	snprintf(g->reply, sizeof(g->reply), "E%02x", err & 0xff);
	g->reply_len = 3;
	return REPLY;
}

/* ---- guest memory, by virtual address ----------------------------------- */

/* gdb's view of memory: virtual, whole or not at all (guest_copy.c) */
static int guest_mem(struct kvmkit_vcpu *vcpu, uint64_t gva, uint8_t *buf,
		     size_t len, int write)
{
	return write ? kvmkit_vcpu_copy_to_guest(vcpu, gva, buf, len) :
		       kvmkit_vcpu_copy_from_guest(vcpu, gva, buf, len);
}

/* "ADDR,LEN" with LEN at most max; the pointer moves past it */
static int addr_len(const char **p, uint64_t *addr, uint64_t *len, size_t max)
{
	if (kvmkit_gdb_parse_hex(p, addr) || **p != ',')
		return -EINVAL;
	(*p)++;
	if (kvmkit_gdb_parse_hex(p, len) || *len > max)
		return -EINVAL;
	return 0;
}

static int read_mem(struct kvmkit_vcpu *vcpu, struct kvmkit_gdb *g,
		    const char *p)
{
	uint64_t addr, len;

	if (addr_len(&p, &addr, &len, MAX_MEM) || *p)
		return error_reply(g, EINVAL);
	if (guest_mem(vcpu, addr, g->bytes, len, 0))
		return error_reply(g, EFAULT);
	kvmkit_gdb_hex(g->bytes, len, g->reply);
	g->reply_len = 2 * len;
	return REPLY;
}

static int write_mem(struct kvmkit_vcpu *vcpu, struct kvmkit_gdb *g,
		     const char *p)
{
	uint64_t addr, len;

	if (addr_len(&p, &addr, &len, MAX_MEM) || *p++ != ':' ||
	    strlen(p) != 2 * len || kvmkit_gdb_unhex(p, 2 * len, g->bytes))
		return error_reply(g, EINVAL);
	if (guest_mem(vcpu, addr, g->bytes, len, 1))
		return error_reply(g, EFAULT);
	set_reply(g, "OK");
	return REPLY;
}

/* ---- registers ---------------------------------------------------------- */

static int read_regs(struct kvmkit_vcpu *vcpu, struct kvmkit_gdb *g)
{
	long n = kvmkit_arch_gdb_read_regs(vcpu, g->bytes, sizeof(g->bytes));

	if (n < 0)
		return error_reply(g, (int)-n);
	kvmkit_gdb_hex(g->bytes, (size_t)n, g->reply);
	g->reply_len = 2 * (size_t)n;
	return REPLY;
}

/* G: the block gdb sends, at most as long as ours */
static int write_regs(struct kvmkit_vcpu *vcpu, struct kvmkit_gdb *g,
		      const char *p)
{
	size_t n = strlen(p);
	long have = kvmkit_arch_gdb_read_regs(vcpu, g->bytes, sizeof(g->bytes));

	if (have < 0)
		return error_reply(g, (int)-have);
	if (n % 2 || n / 2 > (size_t)have ||
	    kvmkit_gdb_unhex(p, n, g->bytes))
		return error_reply(g, EINVAL);
	if (kvmkit_arch_gdb_write_regs(vcpu, g->bytes, n / 2))
		return error_reply(g, EIO);
	set_reply(g, "OK");
	return REPLY;
}

/* p N and P N=VALUE: one register, through the whole block */
static int one_reg(struct kvmkit_vcpu *vcpu, struct kvmkit_gdb *g,
		   const char *p, int write)
{
	size_t off, size;
	uint64_t n;
	long have;

	if (kvmkit_gdb_parse_hex(&p, &n) || n > 0xffff ||
	    (write ? *p++ != '=' : *p != '\0'))
		return error_reply(g, EINVAL);
	if (kvmkit_arch_gdb_reg_slot((unsigned int)n, &off, &size))
		return error_reply(g, EINVAL);
	have = kvmkit_arch_gdb_read_regs(vcpu, g->bytes, sizeof(g->bytes));
	if (have < 0)
		return error_reply(g, (int)-have);
	if (off + size > (size_t)have)
		return error_reply(g, EINVAL);
	if (!write) {
		kvmkit_gdb_hex(g->bytes + off, size, g->reply);
		g->reply_len = 2 * size;
		return REPLY;
	}
	if (strlen(p) != 2 * size || kvmkit_gdb_unhex(p, 2 * size, g->bytes + off))
		return error_reply(g, EINVAL);
	if (kvmkit_arch_gdb_write_regs(vcpu, g->bytes, (size_t)have))
		return error_reply(g, EIO);
	set_reply(g, "OK");
	return REPLY;
}

/* ---- breakpoints -------------------------------------------------------- */

static struct sw_breakpoint *find_sw(struct kvmkit_gdb *g, uint64_t gva)
{
	unsigned int i;

	for (i = 0; i < MAX_SW_BREAKPOINTS; i++)
		if (g->sw[i].used && g->sw[i].gva == gva)
			return &g->sw[i];
	return NULL;
}

static int insert_sw(struct kvmkit_vcpu *vcpu, struct kvmkit_gdb *g,
		     uint64_t gva)
{
	static const uint8_t bp = KVMKIT_ARCH_SW_BREAKPOINT;
	struct sw_breakpoint *b = find_sw(g, gva);
	unsigned int i;

	if (b)
		return 0;
	for (i = 0; i < MAX_SW_BREAKPOINTS && g->sw[i].used; i++)
		;
	if (i == MAX_SW_BREAKPOINTS)
		return -ENOSPC;
	b = &g->sw[i];
	if (kvmkit_vcpu_gva_to_gpa(vcpu, gva, &b->gpa) ||
	    kvmkit_vm_read(vcpu->vm, b->gpa, &b->orig, 1) ||
	    kvmkit_vm_write(vcpu->vm, b->gpa, &bp, 1))
		return -EFAULT;
	b->gva = gva;
	b->used = 1;
	return 0;
}

/* Put the guest's byte back, unless the guest rewrote it meanwhile */
static void remove_sw(struct kvmkit_vcpu *vcpu, struct sw_breakpoint *b)
{
	uint8_t now;

	if (!kvmkit_vm_read(vcpu->vm, b->gpa, &now, 1) &&
	    now == KVMKIT_ARCH_SW_BREAKPOINT)
		kvmkit_vm_write(vcpu->vm, b->gpa, &b->orig, 1);
	b->used = 0;
}

/* gdb's Z types 1, 2, 4 to DR7's; 3 (read) has no x86 equivalent */
static int hw_type(uint64_t z, enum kvmkit_hw_type *t)
{
	switch (z) {
	case 1: *t = KVMKIT_HW_EXEC; return 0;
	case 2: *t = KVMKIT_HW_WRITE; return 0;
	case 4: *t = KVMKIT_HW_ACCESS; return 0;
	}
	return -EOPNOTSUPP;
}

static int insert_hw(struct kvmkit_gdb *g, enum kvmkit_hw_type t,
		     uint64_t addr, uint64_t len)
{
	struct kvmkit_hw_breakpoint *b;

	if (g->hw.n_hw == 4)
		return -ENOSPC;
	if (t != KVMKIT_HW_EXEC && (len != 1 && len != 2 && len != 4 && len != 8))
		return -EINVAL;
	if (t != KVMKIT_HW_EXEC && addr & (len - 1))
		return -EINVAL;
	b = &g->hw.hw[g->hw.n_hw++];
	b->addr = addr;
	b->type = t;
	b->len = t == KVMKIT_HW_EXEC ? 1 : (unsigned int)len;
	return 0;
}

static int remove_hw(struct kvmkit_gdb *g, enum kvmkit_hw_type t, uint64_t addr)
{
	unsigned int i;

	for (i = 0; i < g->hw.n_hw; i++) {
		if (g->hw.hw[i].addr != addr || g->hw.hw[i].type != t)
			continue;
		memmove(&g->hw.hw[i], &g->hw.hw[i + 1],
			(g->hw.n_hw - i - 1) * sizeof(g->hw.hw[0]));
		g->hw.n_hw--;
		return 0;
	}
	return -ENOENT;
}

static int emulated(const struct kvmkit_gdb *g, uint64_t type)
{
	if (type == 0)
		return !g->caps.sw_breakpoints;
	if (type == 1)
		return !g->caps.hw_breakpoints;
	return !g->caps.hw_watchpoints;
}

static struct emu_point *find_emu(struct kvmkit_gdb *g, uint64_t type,
				  uint64_t addr)
{
	unsigned int i;

	for (i = 0; i < MAX_SW_BREAKPOINTS; i++)
		if (g->emu[i].used && g->emu[i].type == (int)type &&
		    g->emu[i].addr == addr)
			return &g->emu[i];
	return NULL;
}

static int insert_emu(struct kvmkit_vcpu *vcpu, struct kvmkit_gdb *g,
		      uint64_t type, uint64_t addr, uint64_t len)
{
	struct emu_point *p = find_emu(g, type, addr);
	unsigned int i;

	if (p)
		return 0;
	for (i = 0; i < MAX_SW_BREAKPOINTS && g->emu[i].used; i++)
		;
	if (i == MAX_SW_BREAKPOINTS)
		return -ENOSPC;
	p = &g->emu[i];
	if (type >= 2 && (!len || len > sizeof(p->last) ||
			  guest_mem(vcpu, addr, p->last, len, 0)))
		return -EINVAL;
	p->addr = addr;
	p->len = len;
	p->type = (int)type;
	p->used = 1;
	return 0;
}

static int any_emu(const struct kvmkit_gdb *g)
{
	unsigned int i;

	for (i = 0; i < MAX_SW_BREAKPOINTS; i++)
		if (g->emu[i].used)
			return 1;
	return 0;
}

/*
 * After a single step gdb did not ask for: the stop reply of the first
 * emulated point that hit at pc, or 0 to step on
 */
static int emu_hit(struct kvmkit_vcpu *vcpu, struct kvmkit_gdb *g,
		   uint64_t pc, char *reply, size_t len)
{
	uint8_t now[8];
	unsigned int i;

	for (i = 0; i < MAX_SW_BREAKPOINTS; i++) {
		struct emu_point *p = &g->emu[i];

		if (!p->used)
			continue;
		if (p->type < 2 && p->addr == pc) {
			snprintf(reply, len, "T05%s:;", p->type ? "hwbreak" : "swbreak");
			return 1;
		}
		if (p->type >= 2 && !guest_mem(vcpu, p->addr, now, p->len, 0) &&
		    memcmp(now, p->last, p->len)) {
			memcpy(p->last, now, p->len);
			snprintf(reply, len, "T05%s:%" PRIx64 ";",
				 p->type == 2 ? "watch" : "awatch", p->addr);
			return 1;
		}
	}
	return 0;
}

/* Z/z TYPE,ADDR,KIND */
static int breakpoint(struct kvmkit_vcpu *vcpu, struct kvmkit_gdb *g,
		      const char *p, int insert)
{
	enum kvmkit_hw_type t;
	uint64_t type, addr, kind;
	struct sw_breakpoint *b;
	int ret;

	if (kvmkit_gdb_parse_hex(&p, &type) || *p++ != ',' ||
	    addr_len(&p, &addr, &kind, 8))
		return error_reply(g, EINVAL);
	if (type <= 4 && type != 3 && emulated(g, type)) {
		struct emu_point *e = find_emu(g, type, addr);

		ret = insert ? insert_emu(vcpu, g, type, addr, kind) :
		      e ? 0 : -ENOENT;
		if (!insert && e)
			e->used = 0;
	} else if (type == 0) {
		b = find_sw(g, addr);
		ret = insert ? insert_sw(vcpu, g, addr) : b ? 0 : -ENOENT;
		if (!insert && b)
			remove_sw(vcpu, b);
	} else if (hw_type(type, &t)) {
		set_reply(g, "");	/* unsupported: gdb falls back */
		return REPLY;
	} else {
		ret = insert ? insert_hw(g, t, addr, kind) : remove_hw(g, t, addr);
	}
	if (ret)
		return error_reply(g, -ret);
	set_reply(g, "OK");
	return REPLY;
}

/* ---- commands ----------------------------------------------------------- */

static int resume(struct kvmkit_vcpu *vcpu, struct kvmkit_gdb *g,
		  const char *p, int step)
{
	uint64_t pc;

	if (*p && (kvmkit_gdb_parse_hex(&p, &pc) || *p ||
		   kvmkit_arch_gdb_set_pc(vcpu, pc)))
		return error_reply(g, EINVAL);
	g->step = step;
	return RESUME;
}

static int query(struct kvmkit_gdb *g, const char *p)
{
	if (!strncmp(p, "qSupported", 10))
		snprintf(g->reply, sizeof(g->reply),
			 "PacketSize=%x;swbreak+;hwbreak+", KVMKIT_GDB_PACKET_MAX);
	else if (!strcmp(p, "qAttached"))
		strcpy(g->reply, "1");
	else if (!strcmp(p, "qC"))
		strcpy(g->reply, "QC1");
	else if (!strcmp(p, "qfThreadInfo"))
		strcpy(g->reply, "m1");
	else if (!strcmp(p, "qsThreadInfo"))
		strcpy(g->reply, "l");
	else
		g->reply[0] = '\0';	/* not supported */
	g->reply_len = strlen(g->reply);
	return REPLY;
}

static int handle(struct kvmkit_vcpu *vcpu, struct kvmkit_gdb *g,
		  const char *p)
{
	switch (p[0]) {
	case '?':
		set_reply(g, "S05");
		return REPLY;
	case 'g':
		return p[1] ? error_reply(g, EINVAL) : read_regs(vcpu, g);
	case 'G':
		return write_regs(vcpu, g, p + 1);
	case 'p':
		return one_reg(vcpu, g, p + 1, 0);
	case 'P':
		return one_reg(vcpu, g, p + 1, 1);
	case 'm':
		return read_mem(vcpu, g, p + 1);
	case 'M':
		return write_mem(vcpu, g, p + 1);
	case 'c':
		return resume(vcpu, g, p + 1, 0);
	case 's':
		return resume(vcpu, g, p + 1, 1);
	case 'Z':
		return breakpoint(vcpu, g, p + 1, 1);
	case 'z':
		return breakpoint(vcpu, g, p + 1, 0);
	case 'H':
	case 'T':
		set_reply(g, "OK");	/* one thread: the vCPU */
		return REPLY;
	case 'q':
		return query(g, p);
	case 'D':
		set_reply(g, "OK");
		return DETACH;
	case 'k':
		return KILL;
	case 'v':
		if (!strncmp(p, "vKill", 5)) {
			set_reply(g, "OK");
			return DETACH;
		}
		break;
	}
	set_reply(g, "");	/* unsupported: the protocol's empty reply */
	return REPLY;
}

/* ---- the stub's life ---------------------------------------------------- */

/* Breakpoints out of guest memory, debugging off, the guest runs on */
static void detach(struct kvmkit_vcpu *vcpu, struct kvmkit_gdb *g)
{
	struct kvmkit_debug none = { 0 };
	unsigned int i;

	for (i = 0; i < MAX_SW_BREAKPOINTS; i++)
		if (g->sw[i].used)
			remove_sw(vcpu, &g->sw[i]);
	memset(g->emu, 0, sizeof(g->emu));
	kvmkit_vcpu_set_debug(vcpu, &none);
	if (g->fd >= 0)
		close(g->fd);
	g->fd = -1;
	g->state = DETACHED;
}

static int apply_debug(struct kvmkit_vcpu *vcpu, struct kvmkit_gdb *g)
{
	struct kvmkit_debug d = g->hw;

	d.single_step = g->step || any_emu(g);
	d.sw_breakpoints = 1;
	return kvmkit_vcpu_set_debug(vcpu, &d);
}

/*
 * Commands until gdb resumes the guest (0), detaches or goes away (0,
 * state DETACHED), or setting up the debug registers failed (-errno).
 */
static int serve(struct kvmkit_vcpu *vcpu, struct kvmkit_gdb *g)
{
	unsigned char buf[1024];
	ssize_t n, i;
	int act;

	for (;;) {
		n = read(g->fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			detach(vcpu, g);
			return 0;
		}
		for (i = 0; i < n; i++) {
			switch (kvmkit_gdb_rx_byte(&g->rx, buf[i])) {
			case KVMKIT_GDB_RX_PACKET:
				send_all(g, "+", 1);
				act = handle(vcpu, g, g->rx.buf);
				if (act == KILL) {
					detach(vcpu, g);
					return 0;
				}
				if (act != RESUME &&
				    send_packet(g, g->reply, g->reply_len)) {
					detach(vcpu, g);
					return 0;
				}
				if (act == DETACH) {
					detach(vcpu, g);
					return 0;
				}
				if (act == RESUME) {
					g->state = RUNNING;
					return apply_debug(vcpu, g);
				}
				break;
			case KVMKIT_GDB_RX_BAD_CHECKSUM:
			case KVMKIT_GDB_RX_TOO_LONG:
				send_all(g, "-", 1);
				break;
			case KVMKIT_GDB_RX_NAK:
				if (g->out_len)
					send_all(g, g->out, g->out_len);
				break;
			default:
				break;
			}
		}
	}
}

/* T05 with what stopped the guest, for gdb's "Breakpoint 1, ..." */
static void stop_reply(struct kvmkit_gdb *g, const struct kvmkit_exit *e)
{
	int cause = kvmkit_debug_cause(e);
	char s[64] = "T05";

	if (cause == KVMKIT_DEBUG_SW_BREAKPOINT)
		strcpy(s, "T05swbreak:;");
	else if (cause >= 0 && cause < (int)g->hw.n_hw &&
		 g->hw.hw[cause].type == KVMKIT_HW_EXEC)
		strcpy(s, "T05hwbreak:;");
	else if (cause >= 0 && cause < (int)g->hw.n_hw)
		snprintf(s, sizeof(s), "T05%s:%" PRIx64 ";",
			 g->hw.hw[cause].type == KVMKIT_HW_WRITE ? "watch" : "awatch",
			 g->hw.hw[cause].addr);
	send_str(g, s);
}

static int accept_gdb(struct kvmkit_vcpu *vcpu, struct kvmkit_gdb *g)
{
	int one = 1;

	do
		g->fd = accept4(g->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	while (g->fd < 0 && errno == EINTR);
	if (g->fd < 0)
		return kvmkit_vcpu_fail(vcpu, errno, "gdb stub: accept");
	/* one small packet per round trip: do not let Nagle sit on them */
	setsockopt(g->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	close(g->listen_fd);
	g->listen_fd = -1;
	g->state = STOPPED;
	return 0;
}

/* A failure of the stub's own, as kvmkit_vcpu_run() reports one */
static int stub_failed(struct kvmkit_exit *exit, int ret)
{
	memset(exit, 0, sizeof(*exit));
	exit->type = KVMKIT_EXIT_ERROR;
	exit->reason = KVMKIT_EXIT_NO_REASON;
	exit->error = -ret;
	errno = -ret;
	return ret;
}

int kvmkit_gdb_run(struct kvmkit_vcpu *vcpu, struct kvmkit_exit *exit)
{
	struct kvmkit_gdb *g = vcpu->gdb;
	int ret;

	for (;;) {
		/*
		 * A human is at the wheel: no timeout from the moment gdb is
		 * awaited, and none after it detaches either (the deadline
		 * armed before would have passed while gdb held the guest)
		 */
		if (vcpu->timer_armed && g->state != DETACHED)
			kvmkit_vcpu_set_timeout(vcpu, 0);
		if (g->state == WAITING && (ret = accept_gdb(vcpu, g)))
			return stub_failed(exit, ret);
		if (g->state == STOPPED && (ret = serve(vcpu, g)))
			return stub_failed(exit, ret);
		ret = kvmkit_vcpu_run_plain(vcpu, exit);
		if (ret || g->state == DETACHED || exit->type != KVMKIT_EXIT_DEBUG)
			return ret;
		if (!g->step && kvmkit_debug_cause(exit) == KVMKIT_DEBUG_STEP) {
			char s[64];

			/* a step of our own, for the emulated points */
			if (!emu_hit(vcpu, g, exit->debug.pc, s, sizeof(s)))
				continue;
			g->state = STOPPED;
			send_str(g, s);
			continue;
		}
		g->state = STOPPED;
		stop_reply(g, exit);
	}
}

int kvmkit_gdb_serve(struct kvmkit_vcpu *vcpu, uint16_t port)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	socklen_t sl = sizeof(sa);
	struct kvmkit_gdb *g;
	int one = 1, err;

	if (vcpu->gdb)
		return kvmkit_set_error(vcpu->err, EBUSY,
					"gdb stub: vcpu %u has one already", vcpu->id);
	g = calloc(1, sizeof(*g));
	if (!g)
		return kvmkit_vcpu_fail(vcpu, ENOMEM, "gdb stub");
	g->fd = -1;
	kvmkit_gdb_rx_init(&g->rx);
	kvmkit_arch_gdb_probe(vcpu->vm->kvm, &g->caps);
	g->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (g->listen_fd < 0) {
		err = kvmkit_vcpu_fail(vcpu, errno, "gdb stub: socket");
		goto free;
	}
	setsockopt(g->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(g->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(g->listen_fd, 1) ||
	    getsockname(g->listen_fd, (struct sockaddr *)&sa, &sl)) {
		err = kvmkit_set_error(vcpu->err, errno,
				       "gdb stub: listening on 127.0.0.1:%u: %s (vcpu %u)",
				       port, strerror(errno), vcpu->id);
		close(g->listen_fd);
		goto free;
	}
	g->state = WAITING;
	vcpu->gdb = g;
	return ntohs(sa.sin_port);
free:
	free(g);
	return err;
}

void kvmkit_gdb_release(struct kvmkit_vcpu *vcpu)
{
	struct kvmkit_gdb *g = vcpu->gdb;

	if (!g)
		return;
	/* gdb waits for a stop reply: the program is gone */
	if (g->state == RUNNING)
		send_str(g, "W00");
	if (g->fd >= 0)
		close(g->fd);
	if (g->listen_fd >= 0)
		close(g->listen_fd);
	free(g);
	vcpu->gdb = NULL;
}
