/* SPDX-License-Identifier: MIT */
/*
 * The one header a single-source KVM test includes first.  It picks the
 * guest runtime in the payload pass (-DCOMPILE_PAYLOAD) and the LTP test
 * harness plus the KVM host helpers in the controller pass.
 */
#ifndef KVM_TEST_H_
#define KVM_TEST_H_

#ifdef COMPILE_PAYLOAD
# include "kvm_guest.h"
# include "kvm_common.h"
#else
# include "tst_test.h"
# include "kvm_host.h"
#endif

#endif /* KVM_TEST_H_ */
