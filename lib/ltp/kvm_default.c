// SPDX-License-Identifier: MIT
/* The default test functions: a fresh VM for every iteration */
#define TST_NO_DEFAULT_MAIN
#include "kvm_private.h"

static struct tst_kvm_instance test_vm = { .vm_fd = -1, .vcpu_fd = -1 };

void tst_kvm_setup(void)
{
}

void tst_kvm_run(void)
{
	tst_kvm_create_instance(&test_vm, DEFAULT_RAM_SIZE);
	tst_kvm_run_instance(&test_vm, 0);
	tst_kvm_destroy_instance(&test_vm);
	tst_free_all();
}

void tst_kvm_cleanup(void)
{
	tst_kvm_destroy_instance(&test_vm);
}
