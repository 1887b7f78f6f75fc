// SPDX-License-Identifier: MIT
/*
 * Event injection into a nested guest: VMRUN with EVENTINJ valid
 * (bit 31) delivers the event through the guest's IDT before its first
 * instruction, as if it had occurred there: an exception (TYPE 3) with
 * an error code (EV, bits 63:32) is delivered with that error code and
 * the saved RIP is the VMCB's RIP; an exception without EV pushes no
 * error code.  The guest then runs on from the saved RIP to its HLT, and EVENTINJ is not
 * delivered twice (the next VMRUN, with EVENTINJ cleared by the host or
 * not, runs the guest without it).
 *
 * Where it is written: AMD APM Vol. 2 15.20 "Event Injection" (Figure
 * "EVENTINJ Field": VECTOR 7:0, TYPE 10:8 (0 INTR, 2 NMI, 3 exception,
 * 4 software interrupt), EV 11, V 31, ERRORCODE 63:32; "the processor
 * ... injects the event ... after guest state is loaded, as if the event
 * had occurred in the guest").
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86_svm.h"

#define EVENTINJ_V	(1ULL << 31)
#define EVENTINJ_EV	(1ULL << 11)
#define TYPE_EXCP	(3ULL << 8)

volatile int seen_vector = -1, seen_count;
volatile unsigned long seen_err;
volatile uintptr_t seen_rip;

/* Runs in the nested guest: note the event, resume */
static int l2_event(void *userdata, struct kvm_interrupt_frame *ifrm,
		    unsigned long errcode)
{
	if (!seen_count++) {
		seen_vector = (int)(uintptr_t)userdata;
		seen_err = errcode;
		seen_rip = ifrm->rip;
	}
	return 1;
}

static int l2_main(void)
{
	return 0x44;
}

static void inject(const char *what, uint64_t eventinj, int vector,
		   unsigned long err)
{
	struct kvm_svm_vcpu *cpu = kvm_create_svm_vcpu(l2_main, 1);
	struct kvm_vmcb *v = cpu->vmcb;
	uintptr_t entry = v->rip;

	seen_vector = -1;
	seen_count = 0;
	seen_err = ~0UL;
	tst_set_interrupt_callback(vector, l2_event, (void *)(uintptr_t)vector);
	v->event_injection = eventinj;
	kvm_svm_vmrun(cpu);
	tst_set_interrupt_callback(vector, NULL, NULL);
	if (v->exitcode != SVM_EXIT_HLT || (uint32_t)v->rax != 0x44) {
		tst_res(TFAIL, "%s: #VMEXIT 0x%llx at RIP 0x%llx, expected the guest's HLT",
			what, (unsigned long long)v->exitcode,
			(unsigned long long)v->rip);
		return;
	}
	if (seen_count == 1 && seen_vector == vector && seen_err == err &&
	    seen_rip == entry)
		tst_res(TPASS, "%s: delivered once, vector %d, error code 0x%lx, saved RIP = the VMCB's",
			what, vector, err);
	else
		tst_res(TFAIL, "%s: %d deliveries, vector %d, error code 0x%lx, saved RIP 0x%lx; expected 1, %d, 0x%lx, 0x%lx",
			what, seen_count, seen_vector, seen_err,
			(unsigned long)seen_rip, vector, err, (unsigned long)entry);

	/* The event is not injected again */
	seen_count = 0;
	tst_set_interrupt_callback(vector, l2_event, (void *)(uintptr_t)vector);
	v->rip = entry;
	v->rax = (uintptr_t)l2_main;
	kvm_svm_vmrun(cpu);
	tst_set_interrupt_callback(vector, NULL, NULL);
	if (v->exitcode == SVM_EXIT_HLT && !seen_count)
		tst_res(TPASS, "%s: the next VMRUN does not inject it again", what);
	else
		tst_res(TFAIL, "%s: the next VMRUN: #VMEXIT 0x%llx, %d deliveries; expected HLT, none",
			what, (unsigned long long)v->exitcode, seen_count);
}

void main(void)
{
	kvm_init_svm();
	inject("EVENTINJ #GP with error code 0x1234",
	       EVENTINJ_V | EVENTINJ_EV | TYPE_EXCP | INTR_GPF | 0x1234ULL << 32,
	       INTR_GPF, 0x1234);
	inject("EVENTINJ #UD (no error code)",
	       EVENTINJ_V | TYPE_EXCP | INTR_BAD_OPCODE, INTR_BAD_OPCODE, 0);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "Event injection into a nested guest",
	.kvmkit_needs = &(const struct tst_kvmkit_needs){ .cpu_features = (const char *const[]){ "svm", NULL } },
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "svm,nested,exceptions" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
