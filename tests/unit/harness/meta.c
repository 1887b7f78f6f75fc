// SPDX-License-Identifier: MIT
/* --meta: the test describes itself and runs nothing (not even setup) */
#include "tst_test.h"

static void setup(void)
{
	tst_res(TINFO, "setup ran");
}

static void run(void)
{
	tst_res(TPASS, "ran");
}

static struct tst_test test = {
	.setup = setup,
	.test_all = run,
	.needs_root = 1,
	.min_cpus = 2,
	.timeout = 20,
	.needs_kconfigs = (const char *const[]){ "CONFIG_KVM", NULL },
	.tags = (const struct tst_tag[]){
		{ "linux-git", "6f0a8c3e2b1d" },
		{ "CVE", "2021-22543" },
		{}
	},
	.kvmkit_desc = "says \"hello\" \\ in\tone line",
	.kvmkit_needs = &(const struct tst_kvmkit_needs){
		.cpu_features = (const char *const[]){ "vmx", NULL },
		.kvm_caps = (const char *const[]){ "KVM_CAP_NESTED_STATE", NULL },
		.vcpus = 2,
		.mem_mb = 64,
		.nested = 1,
	},
};
