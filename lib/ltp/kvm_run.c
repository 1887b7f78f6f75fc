// SPDX-License-Identifier: MIT
/*
 * The LTP face's run loop: kvmkit_vcpu_run_loop() with a hypercall
 * callback, so the library decodes every exit once and recognises the
 * doorbell; what it hands back here is what the test did not ask for.
 * A guest report costs its one port-I/O exit; anything unexpected ends
 * the test with TBROK and enough state (registers, the guest's source
 * line when the line table has it) to debug it from the log alone.
 */
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <kvmkit/x86.h>

#define TST_NO_DEFAULT_MAIN
#include "kvm_private.h"

enum step { RESUME, DONE, FAILED_ERRNO };

struct run_ctx {
	struct tst_kvm_instance *inst;
	struct kvmkit_vcpu *vcpu;
	struct tst_kvm_smp *smp;	/* NULL: one CPU */
	unsigned int cpu;
	int exp_errno;
	enum step step;		/* what the last hypercall decided */
	char prefix[16];	/* "CPU n: " with several CPUs, else "" */
	struct kvmkit_report rep;
};

static int is_ap(const struct run_ctx *c)
{
	return c->cpu != 0;
}

/*
 * This CPU's result page (abi.h): LTP's for CPU 0, the one in the CPU's
 * area for an AP; a page that is gone reads as a dummy that says nothing.
 */
static struct tst_kvm_result *result_page(struct run_ctx *c)
{
	static struct tst_kvm_result gone = { .result = KVM_TNONE };
	struct tst_kvm_result *page;
	uint64_t gpa;

	if (!is_ap(c))
		return c->inst->result;
	if (kvmkit_payload_result_gpa(c->inst->kvmkit_vm, c->cpu, &gpa))
		return &gone;
	page = kvmkit_gpa_to_hva(c->inst->kvmkit_vm, gpa, KVM_RESULT_SIZE);
	return page ? page : &gone;
}

/* An AP is done for: tell CPU 0's thread, which ends the run */
static void ap_ends_test(struct run_ctx *c)
{
	tst_kvm_smp_end_test(c->smp);
}

/*
 * Before CPU 0's thread ends the test (tst_brk() runs cleanup(), which
 * destroys the VM), no AP may still run: stop them all first.
 */
static void stop_others(struct run_ctx *c)
{
	if (c->smp && !is_ap(c))
		tst_kvm_smp_stop(c->smp);
}

/* TBROK, or no result LTP knows: tst_kvm_print_report() would tst_brk() */
static int fatal_result(const struct kvmkit_report *rep)
{
	int ttype = TTYPE_RESULT(rep->result);

	return rep->result == KVM_TNONE ||
	       (ttype != TPASS && ttype != TFAIL && ttype != TWARN &&
		ttype != TINFO && ttype != TCONF);
}

/* CPU n's report, whole, prefixed: at most one CPU prints at a time */
static void print_report(struct run_ctx *c)
{
	struct kvmkit_report *rep = &c->rep;
	int ttype = TTYPE_RESULT(rep->result);
	size_t plen = strlen(c->prefix), mlen;

	if (plen) {
		mlen = strnlen(rep->message, sizeof(rep->message) - 1);
		if (mlen + plen >= sizeof(rep->message)) {
			mlen = sizeof(rep->message) - plen - 1;
			rep->message_truncated = 1;
		}
		memmove(rep->message + plen, rep->message, mlen);
		memcpy(rep->message, c->prefix, plen);
		rep->message[plen + mlen] = '\0';
	}
	if (!c->smp) {
		tst_kvm_print_report(rep);
		return;
	}
	if (fatal_result(rep)) {
		if (!is_ap(c)) {
			/* tst_kvm_print_report() ends the test: APs first */
			stop_others(c);
			tst_kvm_print_report(rep);
			return;
		}
		/* an AP's is counted and printed, never a tst_brk() */
		pthread_mutex_lock(&c->smp->lock);
		tst_res_(rep->file_ok ? rep->file : "<bad file address>",
			 rep->lineno, TBROK, "%s%s%s",
			 ttype == TBROK ? "" : "invalid result: ", rep->message,
			 rep->message_truncated ? " [message truncated]" : "");
		pthread_mutex_unlock(&c->smp->lock);
		ap_ends_test(c);
		return;
	}
	pthread_mutex_lock(&c->smp->lock);
	tst_kvm_print_report(rep);
	pthread_mutex_unlock(&c->smp->lock);
}

static void disarm(struct run_ctx *c)
{
	kvmkit_vcpu_set_timeout(c->vcpu, 0);
}

/* " (at test.c:12)" for the guest's current RIP, or "" */
static void where(struct run_ctx *c, char *buf, size_t len)
{
	struct kvm_regs regs;
	char file[128];
	unsigned int line;

	buf[0] = '\0';
	if (!kvmkit_vcpu_get_regs(c->vcpu, &regs) &&
	    !tst_kvm_guest_line(regs.rip, file, sizeof(file), &line))
		snprintf(buf, len, " (at %s:%u)", file, line);
}

/*
 * After a shutdown, KVM on SVM has already reinitialised the VMCB: the
 * vCPU reads as if just reset (CS 0xf000, RIP 0xfff0, protection off),
 * which a guest that kvmkit started in long mode cannot reach by itself.
 */
static int vcpu_was_reset(struct run_ctx *c)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	if (kvmkit_vcpu_get_regs(c->vcpu, &regs) ||
	    kvmkit_vcpu_get_sregs(c->vcpu, &sregs))
		return 0;
	return regs.rip == 0xfff0 && sregs.cs.selector == 0xf000 &&
	       !(sregs.cr0 & 1) && !(sregs.efer & (1u << 10));
}

static const char *exception_mnemonic(uint64_t vector)
{
#define MNEMONIC(v, mnemonic, name, has_error_code) case v: return mnemonic;
	switch (vector) {
	KVMKIT_X86_EXCEPTIONS(MNEMONIC)
	}
#undef MNEMONIC
	return "interrupt";
}

/*
 * What the runtime's dispatcher last saw (abi.h: kvmkit_exception_log),
 * found through the payload header; both are guest memory, so every read
 * is bounded and a wild pointer just means "not known".
 */
/* The payload header's guest_mode (0, 64-bit, if unreadable) */
static uint64_t guest_mode(struct run_ctx *c)
{
	uint64_t mode = KVMKIT_GUEST_MODE_64;

	kvmkit_vm_read(c->inst->kvmkit_vm, KVMKIT_PAYLOAD_BASE +
		       offsetof(struct kvmkit_payload_header, guest_mode),
		       &mode, sizeof(mode));
	return mode;
}

static void last_exception(struct run_ctx *c, char *buf, size_t len)
{
	const struct kvmkit_payload_header *hdr;
	const struct kvmkit_exception_log *log = NULL;
	struct kvmkit_exception_log copy;
	char file[128], at[160] = "";
	unsigned int line;

	hdr = kvmkit_gpa_to_hva(c->inst->kvmkit_vm, KVMKIT_PAYLOAD_BASE, sizeof(*hdr));
	if (hdr && hdr->header_size >= sizeof(*hdr))
		log = kvmkit_gpa_to_hva(c->inst->kvmkit_vm, hdr->exception_log,
					sizeof(*log));
	if (!log) {
		snprintf(buf, len, "the runtime's exception record is unreadable");
		return;
	}
	memcpy(&copy, log, sizeof(copy));
	if (!copy.count) {
		snprintf(buf, len, "the runtime's dispatcher saw no exception before it");
		return;
	}
	if (!tst_kvm_guest_line(copy.rip, file, sizeof(file), &line))
		snprintf(at, sizeof(at), " (%s:%u)", file, line);
	snprintf(buf, len,
		 "the last exception the runtime's dispatcher saw (of %llu): %s (vector %llu), error code 0x%llx, RIP 0x%llx%s%s",
		 (unsigned long long)copy.count, exception_mnemonic(copy.vector),
		 (unsigned long long)copy.vector,
		 (unsigned long long)copy.error_code,
		 (unsigned long long)copy.rip, at,
		 copy.vector == 14 ? ", CR2 " : "");
	if (copy.vector == 14) {
		size_t n = strlen(buf);

		snprintf(buf + n, len - n, "0x%llx", (unsigned long long)copy.cr2);
	}
}

/* Every AP's registers after CPU 0's own, for a TBROK of CPU 0 */
static void others_regs(struct run_ctx *c, char *buf, size_t len)
{
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	if (!c->smp || is_ap(c))
		return;
	for (i = 1; i < c->smp->ncpus && n + 1 < len; i++) {
		n += snprintf(buf + n, len - n, "\nCPU %u:\n", i);
		if (n + 1 >= len ||
		    kvmkit_vcpu_dump(c->smp->vcpu[i], buf + n, len - n))
			break;
		n += strlen(buf + n);
		if (n && buf[n - 1] == '\n')
			buf[--n] = '\0';
	}
}

/*
 * TBROK with the guest's registers.  CPU 0: stops the APs, adds their
 * registers and never returns unless in cleanup.  An AP: prints it and
 * has CPU 0 end the run.
 */
static void __attribute__((format(printf, 3, 4)))
guest_broke(struct run_ctx *c, int lineno, const char *fmt, ...)
{
	char msg[512], at[160], regs[4096], exits[2560], *others = NULL;
	va_list va;

	disarm(c);
	va_start(va, fmt);
	vsnprintf(msg, sizeof(msg), fmt, va);
	va_end(va);
	where(c, at, sizeof(at));
	if (kvmkit_vcpu_dump(c->vcpu, regs, sizeof(regs)))
		snprintf(regs, sizeof(regs), "(registers unavailable: %s)",
			 kvmkit_vcpu_error(c->vcpu));
	else if (regs[0] && regs[strlen(regs) - 1] == '\n')
		regs[strlen(regs) - 1] = '\0';
	if (c->smp && is_ap(c)) {
		pthread_mutex_lock(&c->smp->lock);
		tst_kvm_last_exits(c->vcpu, exits, sizeof(exits));
		tst_res_(__FILE__, lineno, TBROK, "%s%s%s\n%s%s", c->prefix, msg,
			 at, regs, exits);
		pthread_mutex_unlock(&c->smp->lock);
		ap_ends_test(c);
		return;
	}
	stop_others(c);
	if (c->smp) {
		others = malloc(c->smp->ncpus * 1024);
		if (others)
			others_regs(c, others, c->smp->ncpus * 1024);
	}
	tst_kvm_last_exits(c->vcpu, exits, sizeof(exits));
	tst_brk_(__FILE__, lineno, TBROK, "%s%s%s\n%s%s%s", c->prefix, msg, at,
		 regs, exits, others ? others : "");
	free(others);
}

static enum step on_report(struct run_ctx *c, const struct kvmkit_hypercall *hc)
{
	if (kvmkit_report_from_hypercall(c->vcpu, hc, &c->rep)) {
		guest_broke(c, __LINE__, "Cannot read the result page: %s",
			    kvmkit_vcpu_error(c->vcpu));
		return DONE;
	}
	if (TTYPE_RESULT(c->rep.result) == TBROK && c->rep.result != KVM_TNONE)
		disarm(c);
	print_report(c);
	/* consumed: a stale value must not look like a new signal or result */
	__atomic_store_n(&result_page(c)->result, KVM_TNONE, __ATOMIC_RELEASE);
	if (c->smp && is_ap(c) && __atomic_load_n(&c->smp->fatal, __ATOMIC_SEQ_CST))
		return DONE;
	return RESUME;
}

/*
 * tst_res_()/tst_brk_() by registers: the host formats the message from
 * the guest's format string, so the guest's side is one OUT.  A brk ends
 * the iteration; the result page then reads KVM_TEXIT as after
 * kvm_exit(), for tst_kvm_wait_guest() in another thread.
 */
static enum step on_printf(struct run_ctx *c, const struct kvmkit_hypercall *hc,
			   int then_exit)
{
	if (kvmkit_report_from_hypercall(c->vcpu, hc, &c->rep)) {
		guest_broke(c, __LINE__, "Cannot read the guest's report: %s",
			    kvmkit_vcpu_error(c->vcpu));
		return DONE;
	}
	if (then_exit || TTYPE_RESULT(c->rep.result) == TBROK) {
		disarm(c);
		__atomic_store_n(&c->inst->result->result, KVM_TEXIT,
				 __ATOMIC_RELEASE);
	}
	print_report(c);
	if (c->smp && is_ap(c) && then_exit)
		ap_ends_test(c);	/* tst_brk() on any CPU ends the test */
	if (c->smp && is_ap(c) && __atomic_load_n(&c->smp->fatal, __ATOMIC_SEQ_CST))
		return DONE;
	return then_exit ? DONE : RESUME;
}

static enum step on_exception(struct run_ctx *c,
			      const struct kvmkit_hypercall *hc)
{
	struct kvmkit_exception_frame frame;
	char text[2048], file[128], badfile[64], exits[2560];
	const char *fname = __FILE__;
	unsigned int line = __LINE__;
	size_t len;

	disarm(c);
	if (kvmkit_report_from_hypercall(c->vcpu, hc, &c->rep)) {
		guest_broke(c, __LINE__, "Cannot read the result page: %s",
			    kvmkit_vcpu_error(c->vcpu));
		return DONE;
	}
	/* the frame is binary and the guest's: use the host's copy only */
	memcpy(&frame, c->rep.message, sizeof(frame));
	len = kvmkit_x86_format_exception_mode(&frame, guest_mode(c), text,
					       sizeof(text));
	while (len && text[len - 1] == '\n')
		text[--len] = '\0';

	if (c->smp && is_ap(c)) {
		pthread_mutex_lock(&c->smp->lock);
		tst_res_(__FILE__, __LINE__, TBROK, "%sUnhandled exception: %s",
			 c->prefix, text);
		pthread_mutex_unlock(&c->smp->lock);
		ap_ends_test(c);
		return DONE;
	}
	stop_others(c);

	/* Name the faulting line of the test when the line table knows it */
	if (!tst_kvm_guest_line(frame.rip, file, sizeof(file), &line)) {
		fname = file;
	} else if (c->rep.lineno > 0) {
		line = c->rep.lineno;
		if (c->rep.file_ok) {
			fname = c->rep.file;
		} else {
			snprintf(badfile, sizeof(badfile), "<bad file address 0x%llx>",
				 (unsigned long long)c->rep.file_addr);
			fname = badfile;
		}
	}
	tst_kvm_last_exits(c->vcpu, exits, sizeof(exits));
	tst_brk_(fname, line, TBROK, "%sUnhandled exception: %s%s", c->prefix,
		 text, exits);
	return DONE;
}

/*
 * The runtime's kvm_exit() writes KVM_TEXIT before the EXIT call; a guest
 * that stops without it faulted while reporting (its result page gone,
 * say), and whatever it meant to report is lost: that is no pass.
 */
static enum step on_guest_exit(struct run_ctx *c)
{
	int32_t res = __atomic_load_n(&result_page(c)->result,
				      __ATOMIC_ACQUIRE);

	disarm(c);
	if (res != KVM_TEXIT) {
		guest_broke(c, __LINE__, "guest stopped without kvm_exit() (result page reads %d): it faulted while reporting, or its result page is unmapped",
			    res);
		return DONE;
	}
	if (c->smp && is_ap(c)) {
		/* LTP's page too, for a host thread in tst_kvm_wait_guest() */
		__atomic_store_n(&c->inst->result->result, KVM_TEXIT,
				 __ATOMIC_RELEASE);
		ap_ends_test(c);
	}
	return DONE;
}

static enum step on_call(struct run_ctx *c, const struct kvmkit_hypercall *hc)
{
	switch (hc->nr) {
	case KVMKIT_HC_PRINTF:
		return on_printf(c, hc, 0);
	case KVMKIT_HC_PRINTF_EXIT:
		return on_printf(c, hc, 1);
	case KVMKIT_HC_REPORT:
		return on_report(c, hc);
	case KVMKIT_HC_EXIT:
		return on_guest_exit(c);
	case KVMKIT_HC_EXCEPTION:
		return on_exception(c, hc);
	case KVMKIT_HC_YIELD:
		sched_yield();
		return RESUME;
	}
	guest_broke(c, __LINE__, "unexpected port I/O: unknown hypercall 0x%x (%u) on the doorbell",
		    hc->nr, hc->nr);
	return DONE;
}

/* kvmkit_vcpu_run_loop()'s hypercall callback */
static int on_hypercall(struct kvmkit_vcpu *vcpu,
			const struct kvmkit_hypercall *hc, void *opaque)
{
	struct run_ctx *c = opaque;

	(void)vcpu;
	/* a CPU that hypercalls without pause stops here as soon as it should */
	if (c->smp && is_ap(c) &&
	    __atomic_load_n(&c->smp->stopping, __ATOMIC_SEQ_CST)) {
		c->step = DONE;
		return KVMKIT_STOP;
	}
	if (c->smp && !is_ap(c) &&
	    __atomic_load_n(&c->smp->fatal, __ATOMIC_SEQ_CST)) {
		/* an AP ended the test and said why */
		disarm(c);
		stop_others(c);
		c->step = DONE;
		return KVMKIT_STOP;
	}
	c->step = on_call(c, hc);
	return c->step == RESUME ? KVMKIT_RESUME : KVMKIT_STOP;
}

static void on_exit_seen(struct kvmkit_vcpu *vcpu, const struct kvmkit_exit *e,
			 void *opaque)
{
	(void)opaque;
	tst_kvm_trace_exit(vcpu, e);
}

static enum step dispatch(struct run_ctx *c, const struct kvmkit_exit *e)
{
	uint32_t value = 0;
	char desc[256];

	switch (e->type) {
	case KVMKIT_EXIT_IO_OUT:
		/* a port the test serves never gets here: the library ran it */
		if (e->io.size <= 4)
			memcpy(&value, e->io.data, e->io.size);
		guest_broke(c, __LINE__, "unexpected port I/O: OUT of 0x%x to port 0x%x (%u), size %u, count %u",
			    value, e->io.port, e->io.port, e->io.size, e->io.count);
		return DONE;
	case KVMKIT_EXIT_IO_IN:
		guest_broke(c, __LINE__, "unexpected port I/O: IN from port 0x%x (%u), size %u, count %u",
			    e->io.port, e->io.port, e->io.size, e->io.count);
		return DONE;
	case KVMKIT_EXIT_HLT:
		/* hlt with interrupts on waits for one: resume, never a result */
		if (kvmkit_vcpu_exit_if_flag(c->vcpu))
			return RESUME;
		guest_broke(c, __LINE__, "guest halted with interrupts disabled");
		return DONE;
	case KVMKIT_EXIT_SHUTDOWN: {
		char last[256];

		last_exception(c, last, sizeof(last));
		if (vcpu_was_reset(c))
			guest_broke(c, __LINE__, "guest triple fault (KVM_EXIT_SHUTDOWN); %s; this KVM reset the vCPU on the shutdown (SVM reinitialises the VMCB), so the guest's registers are lost: those below are the reset state, not the guest's",
				    last);
		else
			guest_broke(c, __LINE__, "guest triple fault (KVM_EXIT_SHUTDOWN); %s",
				    last);
		return DONE;
	}
	case KVMKIT_EXIT_TIMEOUT: {
		uint64_t ns = tst_kvmkit_guest_timeout_ns();

		guest_broke(c, __LINE__, "guest timed out: did not finish within %llu.%03llu s (see -T)",
			    (unsigned long long)(ns / 1000000000),
			    (unsigned long long)(ns % 1000000000 / 1000000));
		return DONE;
	}
	case KVMKIT_EXIT_INTERRUPTED:
		if (c->smp && is_ap(c) &&
		    __atomic_load_n(&c->smp->stopping, __ATOMIC_SEQ_CST)) {
			disarm(c);
			return DONE;
		}
		if (c->smp && !is_ap(c) &&
		    __atomic_load_n(&c->smp->fatal, __ATOMIC_SEQ_CST)) {
			/* an AP ended the test and said why */
			disarm(c);
			stop_others(c);
			return DONE;
		}
		if (c->exp_errno != EINTR)
			return RESUME;
		disarm(c);
		errno = EINTR;
		return FAILED_ERRNO;
	case KVMKIT_EXIT_ERROR:
		if (c->exp_errno && e->error == c->exp_errno) {
			disarm(c);
			errno = c->exp_errno;
			return FAILED_ERRNO;
		}
		disarm(c);
		if (c->smp && is_ap(c)) {
			pthread_mutex_lock(&c->smp->lock);
			tst_res_(__FILE__, __LINE__, TBROK, "%sioctl(KVM_RUN) failed: %s", c->prefix,
				strerror(e->error));
			pthread_mutex_unlock(&c->smp->lock);
			ap_ends_test(c);
			return DONE;
		}
		stop_others(c);
		errno = e->error;
		tst_brk(TBROK | TERRNO, "ioctl(KVM_RUN) failed");
		return DONE;
	default:
		kvmkit_exit_describe(e, desc, sizeof(desc));
		guest_broke(c, __LINE__, "unexpected VM exit: %s", desc);
		return DONE;
	}
}

/* One vCPU's loop until the run is over for it */
static enum step run_vcpu(struct run_ctx *c)
{
	struct kvmkit_run_ops ops = {
		.hypercall = on_hypercall, .observe = on_exit_seen, .opaque = c,
	};
	struct kvmkit_exit e;
	enum step step = RESUME;
	int ret;

	while (step == RESUME) {
		ret = kvmkit_vcpu_run_loop(c->vcpu, &ops, &e);
		if (ret == KVMKIT_STOP) {
			step = c->step;
		} else if (ret < 0 && e.type != KVMKIT_EXIT_ERROR) {
			/* the registers of a report could not be read */
			guest_broke(c, __LINE__, "Cannot read the guest's report: %s",
				    kvmkit_vcpu_error(c->vcpu));
			step = DONE;
		} else {
			step = dispatch(c, &e);
		}
	}
	disarm(c);
	return step;
}

static struct run_ctx *new_ctx(struct tst_kvm_instance *inst,
			       struct kvmkit_vcpu *vcpu, unsigned int cpu)
{
	struct run_ctx *c = malloc(sizeof(*c));	/* the report copy is 4 KiB */

	if (!c)
		return NULL;
	c->inst = inst;
	c->vcpu = vcpu;
	c->smp = inst->kvmkit_smp;
	c->cpu = cpu;
	c->exp_errno = 0;
	c->step = RESUME;
	c->prefix[0] = '\0';
	if (c->smp)
		snprintf(c->prefix, sizeof(c->prefix), "CPU %u: ", cpu);
	return c;
}

/* An AP's thread: its own timeout, its own loop */
static void *ap_thread(void *arg)
{
	struct run_ctx *c = arg;

	if (kvmkit_vcpu_set_timeout(c->vcpu, tst_kvmkit_guest_timeout_ns())) {
		pthread_mutex_lock(&c->smp->lock);
		tst_res_(__FILE__, __LINE__, TBROK, "%sCannot arm the guest timeout: %s", c->prefix,
			kvmkit_vcpu_error(c->vcpu));
		pthread_mutex_unlock(&c->smp->lock);
		ap_ends_test(c);
		return NULL;
	}
	if (!__atomic_load_n(&c->smp->stopping, __ATOMIC_SEQ_CST))
		run_vcpu(c);
	return NULL;
}

/* A run state and a thread for every AP; 0, or -1 with what failed said */
static int start_aps(struct tst_kvm_instance *inst)
{
	struct tst_kvm_smp *smp = inst->kvmkit_smp;
	unsigned int i;

	for (i = 1; i < smp->ncpus; i++) {
		smp->ctx[i] = new_ctx(inst, smp->vcpu[i], i);
		if (!smp->ctx[i]) {
			tst_res_(__FILE__, __LINE__, TBROK,
				 "no memory for CPU %u's run state", i);
			return -1;
		}
	}
	return tst_kvm_smp_start(smp, ap_thread);
}

int tst_kvm_run_instance(struct tst_kvm_instance *inst, int exp_errno)
{
	struct run_ctx *c;
	enum step step;

	if (!inst->kvmkit_vcpu || !inst->result) {
		tst_brk(TBROK, "KVM instance was not created by tst_kvm_create_instance()");
		return -1;
	}
	c = new_ctx(inst, inst->kvmkit_vcpu, 0);
	if (!c) {
		tst_brk(TBROK | TERRNO, "no memory for the run state");
		return -1;
	}
	c->exp_errno = exp_errno;

	/* armed in this thread: the timer interrupts the thread that runs */
	if (kvmkit_vcpu_set_timeout(c->vcpu, tst_kvmkit_guest_timeout_ns())) {
		free(c);
		tst_brk(TBROK, "Cannot arm the guest timeout: %s",
			kvmkit_vcpu_error(inst->kvmkit_vcpu));
		return -1;
	}
	tst_kvm_gdb_attach(c->vcpu);	/* --gdb PORT: waits for gdb */
	if (c->smp && start_aps(inst)) {
		tst_kvm_smp_stop(c->smp);
		disarm(c);
		free(c);
		tst_brk(TBROK, "Cannot start the other CPUs");
		return -1;
	}
	step = run_vcpu(c);
	/* CPU 0 is done: whatever the others do, they stop now */
	stop_others(c);
	free(c);
	return step == FAILED_ERRNO ? -1 : 0;
}
