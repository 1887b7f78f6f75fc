// SPDX-License-Identifier: MIT
/* /dev/kvm: open with the API version check, capabilities, supported CPUID. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include "internal.h"

/* The leaf count KVM_GET_SUPPORTED_CPUID may ask for before we give up */
#define KVMKIT_CPUID_MAX_ENTRIES	4096

static void open_error(char *errbuf, size_t errlen, const char *path, int err)
{
	const char *hint = "";

	if (!errbuf || !errlen)
		return;
	/* Tell the user what to fix, not only what failed */
	if (err == EACCES || err == EPERM)
		hint = " (need read-write access, e.g. membership of group kvm)";
	snprintf(errbuf, errlen, "open %s: %s%s", path, strerror(err), hint);
}

int kvmkit_kvm_open(struct kvmkit_kvm **kvmp, const char *path,
		    char *errbuf, size_t errlen)
{
	struct kvmkit_kvm *kvm;
	int fd, ret, err;

	*kvmp = NULL;
	if (!path)
		path = "/dev/kvm";
	if (errbuf && errlen)
		errbuf[0] = '\0';

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		open_error(errbuf, errlen, path, err);
		return -err;
	}

	ret = ioctl(fd, KVM_GET_API_VERSION, 0);
	if (ret < 0) {
		err = errno;
		if (errbuf && errlen)
			snprintf(errbuf, errlen, "KVM_GET_API_VERSION on %s: %s",
				 path, strerror(err));
		goto fail;
	}
	if (ret != KVM_API_VERSION) {
		err = ENOTSUP;
		if (errbuf && errlen)
			snprintf(errbuf, errlen,
				 "KVM_GET_API_VERSION on %s: version %d, kvmkit needs %d",
				 path, ret, KVM_API_VERSION);
		goto fail;
	}

	ret = ioctl(fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (ret < 0 || (size_t)ret < sizeof(struct kvm_run)) {
		err = ret < 0 ? errno : EPROTO;
		if (errbuf && errlen)
			snprintf(errbuf, errlen, "KVM_GET_VCPU_MMAP_SIZE on %s: %s",
				 path, strerror(err));
		goto fail;
	}

	kvm = calloc(1, sizeof(*kvm));
	if (!kvm) {
		err = ENOMEM;
		if (errbuf && errlen)
			snprintf(errbuf, errlen, "kvmkit_kvm_open: %s",
				 strerror(err));
		goto fail;
	}
	kvm->fd = fd;
	kvm->vcpu_mmap_size = ret;
	*kvmp = kvm;
	return 0;

fail:
	close(fd);
	errno = err;
	return -err;
}

void kvmkit_kvm_close(struct kvmkit_kvm *kvm)
{
	int saved = errno;

	if (!kvm)
		return;
	close(kvm->fd);
	free(kvm);
	errno = saved;
}

int kvmkit_kvm_fd(const struct kvmkit_kvm *kvm)
{
	return kvm->fd;
}

const char *kvmkit_kvm_error(const struct kvmkit_kvm *kvm)
{
	return kvm->err;
}

int kvmkit_kvm_check_extension(struct kvmkit_kvm *kvm, long cap)
{
	int ret = ioctl(kvm->fd, KVM_CHECK_EXTENSION, cap);

	if (ret < 0)
		return kvmkit_set_error(kvm->err, errno,
					"KVM_CHECK_EXTENSION: %s (cap %ld)",
					strerror(errno), cap);
	return ret;
}

int kvmkit_kvm_supported_cpuid(struct kvmkit_kvm *kvm,
			       struct kvm_cpuid2 **cpuidp)
{
	struct kvm_cpuid2 *cpuid = NULL, *bigger;
	uint32_t nent;
	int err = E2BIG;

	*cpuidp = NULL;
	/* Start where current CPUs end up and double on E2BIG */
	for (nent = 128; nent <= KVMKIT_CPUID_MAX_ENTRIES; nent *= 2) {
		bigger = realloc(cpuid, sizeof(*cpuid) +
				 nent * sizeof(cpuid->entries[0]));
		if (!bigger) {
			err = ENOMEM;
			goto fail;
		}
		cpuid = bigger;
		memset(cpuid, 0, sizeof(*cpuid));
		cpuid->nent = nent;
		if (kvmkit_ioctl(kvm->fd, KVM_GET_SUPPORTED_CPUID, cpuid) == 0) {
			*cpuidp = cpuid;
			return 0;
		}
		err = errno;
		if (err != E2BIG)
			goto fail;
	}
fail:
	free(cpuid);
	return kvmkit_set_error(kvm->err, err, "KVM_GET_SUPPORTED_CPUID: %s",
				strerror(err));
}

const struct kvm_cpuid_entry2 *kvmkit_cpuid_find(const struct kvm_cpuid2 *cpuid,
						 uint32_t function,
						 uint32_t index)
{
	uint32_t i;

	if (!cpuid)
		return NULL;
	for (i = 0; i < cpuid->nent; i++) {
		const struct kvm_cpuid_entry2 *e = &cpuid->entries[i];

		if (e->function != function)
			continue;
		/* index only distinguishes leaves that KVM marks as indexed */
		if ((e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) &&
		    e->index != index)
			continue;
		return e;
	}
	return NULL;
}
