// SPDX-License-Identifier: MIT
/*
 * Error messages: every failure leaves one line naming what failed,
 * readable later through kvmkit_*_error().  The buffers live in the
 * objects, so nothing here is global and vCPU threads never share one.
 */
#include <stdio.h>
#include <string.h>
#include "internal.h"

/*
 * fmt formats the whole message (callers put strerror() where they want
 * it); err only becomes the return value.  A zero or negative err would
 * turn a failure into success for the caller, so it is reported as EIO.
 * errno is preserved because callers unwind after recording the error.
 */
int kvmkit_set_error(char *buf, int err, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	if (err <= 0)
		err = EIO;
	if (buf) {
		va_start(ap, fmt);
		vsnprintf(buf, KVMKIT_ERR_MAX, fmt, ap);
		va_end(ap);
	}
	errno = saved;
	return -err;
}

int kvmkit_vcpu_fail(struct kvmkit_vcpu *vcpu, int err, const char *what)
{
	if (err <= 0)
		err = EIO;
	return kvmkit_set_error(vcpu->err, err, "%s: %s (vcpu %u)", what,
				strerror(err), vcpu->id);
}
