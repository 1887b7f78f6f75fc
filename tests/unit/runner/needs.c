// SPDX-License-Identifier: MIT
/*
 * A test that declares needs (struct tst_kvmkit_needs), built by
 * tests/unit/runner/run.sh once per -DNEED_* to check that the test
 * skips itself with the reasons and that kvmkit-run --info says the same;
 * -DNEED_TIMEOUT: a declared timeout that kvmkit-run must use.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	tst_res(TPASS, "needs met");
}

#else /* COMPILE_PAYLOAD */

static const struct tst_kvmkit_needs needs = {
#ifdef NEED_VCPUS	/* more than any KVM allows (KVM_MAX_VCPUS is 4096) */
	.vcpus = 1000000,
#endif
#ifdef NEED_MEM		/* a petabyte of guest memory */
	.mem_mb = 1UL << 30,
#endif
#ifdef NEED_NESTED	/* met only with kvm_intel/kvm_amd nested=1 */
	.nested = 1,
#endif
#ifdef NEED_BADNAME	/* a misspelt need is the test's bug: TBROK */
	.cpu_features = (const char *const[]){ "no_such_feature", NULL },
#endif
#ifdef NEED_CAP		/* met everywhere KVM is */
	.kvm_caps = (const char *const[]){ "KVM_CAP_USER_MEMORY", NULL },
	.cpu_features = (const char *const[]){ "lm", NULL },
#endif
};

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.kvmkit_desc = "declares needs",
#ifdef NEED_TIMEOUT	/* watchdog 30 + 100, guest 100: --meta overall_s 230 */
	.timeout = 100,
#endif
	.kvmkit_needs = &needs,
};

#endif /* COMPILE_PAYLOAD */
