// SPDX-License-Identifier: MIT
/* What the guest reports: validation and printing */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kvmkit/lines.h>

#define TST_NO_DEFAULT_MAIN
#include "kvm_private.h"

/* From kvmkit-cc; weak so that payloads built otherwise still link */
extern const char kvm_payload_lines_start[] __attribute__((weak));
extern const char kvm_payload_lines_end[] __attribute__((weak));

void tst_kvm_validate_result(int value)
{
	static const int valid[] = { TPASS, TFAIL, TBROK, TWARN, TINFO, TCONF };
	size_t i;

	if (value == KVM_TNONE)
		tst_brk(TBROK, "KVM test did not return any result");
	for (i = 0; i < ARRAY_SIZE(valid); i++) {
		if (TTYPE_RESULT(value) == valid[i])
			return;
	}
	tst_brk(TBROK, "KVM test returned invalid result value %d", value);
}

void tst_kvm_print_report(const struct kvmkit_report *rep)
{
	const char *cut = rep->message_truncated ? " [message truncated]" :
			  rep->format_error ? " [bad format or argument]" : "";
	char badfile[64];
	const char *file = rep->file;
	int ttype;

	tst_kvm_validate_result(rep->result);
	/* errno flags mean nothing for a guest: only the type goes on */
	ttype = TTYPE_RESULT(rep->result);
	if (!rep->file_ok) {
		snprintf(badfile, sizeof(badfile), "<bad file address 0x%llx>",
			 (unsigned long long)rep->file_addr);
		file = badfile;
	}
	if (ttype == TBROK)
		tst_brk_(file, rep->lineno, ttype, "%s%s", rep->message, cut);
	else
		tst_res_(file, rep->lineno, ttype, "%s%s", rep->message, cut);
}

void tst_kvm_print_result(const struct tst_kvm_instance *inst)
{
	struct kvmkit_report *rep;

	if (!inst->kvmkit_vcpu) {
		tst_brk(TBROK, "KVM instance was not created by tst_kvm_create_instance()");
		return;
	}
	rep = SAFE_MALLOC(sizeof(*rep));	/* 4 KiB: off the stack */
	if (kvmkit_report_read(inst->kvmkit_vcpu, rep))
		tst_brk(TBROK, "Cannot read the result page: %s",
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
