// SPDX-License-Identifier: MIT
/*
 * /dev/kvm before setup(): a host without usable KVM is a TCONF with one
 * reason, not a TBROK from deep inside tst_kvm_create_instance().
 * Every test including kvm_host.h references this file, which is how the
 * harness (weak reference) finds it.
 */
#include <fcntl.h>

#define TST_NO_DEFAULT_MAIN
#include "kvm_private.h"

void tst_kvm_precheck(void)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

	if (fd >= 0) {
		close(fd);
		return;
	}
	switch (errno) {
	case ENOENT:
	case ENODEV:
	case ENXIO:
		tst_brk(TCONF | TERRNO, "/dev/kvm is not available (is the kvm module loaded?)");
		break;
	case EACCES:
	case EPERM:
		tst_brk(TCONF | TERRNO, "/dev/kvm is not accessible (add the user to the kvm group or run as root)");
		break;
	default:
		tst_brk(TCONF | TERRNO, "Cannot open /dev/kvm");
	}
}
