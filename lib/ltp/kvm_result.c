// SPDX-License-Identifier: MIT
/* What the guest reports: validation and printing */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kvmkit/lines.h>

#define TST_NO_DEFAULT_MAIN
#include "kvm_private.h"

/* From kvmkit-cc; weak so that payloads built otherwise still link */
extern const char kvm_payload_lines_start[] __attribute__((weak));
extern const char kvm_payload_lines_end[] __attribute__((weak));

/* NULL when value is one of LTP's results, else why it is not */
static const char *invalid_result(int value, char *buf, size_t len)
{
	static const int valid[] = { TPASS, TFAIL, TBROK, TWARN, TINFO, TCONF };
	size_t i;

	if (value == KVM_TNONE)
		return "KVM test did not return any result";
	for (i = 0; i < ARRAY_SIZE(valid); i++) {
		if (TTYPE_RESULT(value) == valid[i])
			return NULL;
	}
	snprintf(buf, len, "KVM test returned invalid result value %d", value);
	return buf;
}

void tst_kvm_validate_result(int value)
{
	char buf[64];
	const char *why = invalid_result(value, buf, sizeof(buf));

	if (why)
		tst_brk(TBROK, "%s", why);
}

/*
 * A report whose format or an argument was bad is no clean result,
 * whatever the guest claimed: a TWARN at the guest's line puts LTP's
 * warning bit in the exit status, so a TPASS with garbage is not a pass.
 */
static void warn_bad_format(const struct kvmkit_report *rep, const char *file,
			    const char *where)
{
	if (rep->format_error)
		tst_res_(file, rep->lineno, TWARN,
			 "the guest's report %s had a bad format or argument",
			 where);
}

/*
 * Everything goes out at the guest's file:line (or the placeholder for
 * a name that cannot be read), a broken result value included: the TBROK
 * then carries the guest's message, which is what says where it broke.
 */
void tst_kvm_print_report(const struct kvmkit_report *rep)
{
	const char *cut = rep->message_truncated ? " [message truncated]" :
			  rep->format_error ? " [bad format or argument]" : "";
	char file[sizeof(rep->file) + 8], why_buf[64];
	const char *why;
	int ttype;

	if (!rep->file_ok)
		snprintf(file, sizeof(file), "<bad file address 0x%llx>",
			 (unsigned long long)rep->file_addr);
	else
		snprintf(file, sizeof(file), "%s%s", rep->file,
			 rep->file_truncated ? "..." : "");

	why = invalid_result(rep->result, why_buf, sizeof(why_buf));
	/* errno flags mean nothing for a guest: only the type goes on */
	ttype = why ? TBROK : TTYPE_RESULT(rep->result);
	if (ttype == TBROK) {
		/* tst_brk_() does not come back: the warning goes first */
		warn_bad_format(rep, file, "below");
		if (why)
			tst_brk_(file, rep->lineno, TBROK, "%s: %s%s", why,
				 rep->message, cut);
		else
			tst_brk_(file, rep->lineno, TBROK, "%s%s",
				 rep->message, cut);
		return;
	}
	tst_res_(file, rep->lineno, ttype, "%s%s", rep->message, cut);
	warn_bad_format(rep, file, "above");
}

/*
 * LTP's tests call this after a doorbell exit in their own run loops: the
 * report is in the registers for tst_res_()/tst_brk_() (KVMKIT_HC_PRINTF)
 * and in the result page otherwise; the library tells which.  Such a loop
 * may have run KVM_RUN on vcpu_fd itself, so the exit is decoded from
 * kvm_run here rather than taken from the library's last run.
 */
void tst_kvm_print_result(const struct tst_kvm_instance *inst)
{
	struct kvmkit_hypercall hc;
	struct kvmkit_report *rep;
	struct kvmkit_exit e;
	int ret;

	if (!inst->kvmkit_vcpu) {
		tst_brk(TBROK, "KVM instance was not created by tst_kvm_create_instance()");
		return;
	}
	rep = SAFE_MALLOC(sizeof(*rep));	/* 4 KiB: off the stack */
	/* not a call at all: the result page, as LTP's own tests expect */
	ret = kvmkit_exit_decode(inst->vcpu_info, inst->vcpu_info_size, 0, 0, &e) ?
	      -ENOENT : kvmkit_vcpu_hypercall(inst->kvmkit_vcpu, &e, &hc);
	if ((ret && ret != -ENOENT && ret != -EPROTO) ||
	    kvmkit_report_from_hypercall(inst->kvmkit_vcpu, ret ? NULL : &hc, rep))
		tst_brk(TBROK, "Cannot read the guest's report: %s",
			kvmkit_vcpu_error(inst->kvmkit_vcpu));
	else
		tst_kvm_print_report(rep);
	free(rep);
}

int tst_kvm_guest_line(uint64_t rip, char *file, size_t len,
		       unsigned int *line)
{
	const char *slash;

	const char *start = kvm_payload_lines_start;
	const char *end = kvm_payload_lines_end;

	if (!start || !end || end <= start)
		return -1;
	if (kvmkit_lines_lookup(start, end - start, rip, file, len, line))
		return -1;
	slash = strrchr(file, '/');
	if (slash)
		memmove(file, slash + 1, strlen(slash + 1) + 1);
	return 0;
}
