/* SPDX-License-Identifier: MIT */
/*
 * LTP's names for the guest-host ABI, shared by both compilation passes.
 * The values live in <kvmkit/abi.h>; this header only renames them.
 */
#ifndef KVM_COMMON_H_
#define KVM_COMMON_H_

#include <kvmkit/abi.h>

#define KVM_TNONE		KVMKIT_TNONE
#define KVM_TSYNC		KVMKIT_TSYNC
#define KVM_TEXIT		KVMKIT_TEXIT
#define KVM_RESULT_BASEADDR	KVMKIT_RESULT_BASE
#define KVM_RESULT_SIZE		KVMKIT_RESULT_SIZE

#endif /* KVM_COMMON_H_ */
