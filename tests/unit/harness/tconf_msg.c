// SPDX-License-Identifier: MIT
/* TST_TEST_TCONF(): the test only reports TCONF, exit 32 */
#include "tst_test.h"

TST_TEST_TCONF("compiled out here");
