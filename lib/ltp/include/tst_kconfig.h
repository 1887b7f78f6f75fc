/* SPDX-License-Identifier: MIT */
/*
 * Kernel config checks.  The config is read from $KCONFIG_PATH, else
 * /boot/config-$(uname -r), else /proc/config.gz.  With none readable the
 * checks pass with a TINFO (the test may still TCONF on its own).
 */
#ifndef TST_KCONFIG_H__
#define TST_KCONFIG_H__

/*
 * Each string is "CONFIG_FOO" (y or m), "CONFIG_FOO=value", or
 * alternatives joined by '|'.  Reports every unmet one (TINFO) and returns
 * non-zero if any is unmet.
 */
int tst_kconfig_check(const char *const kconfigs[]);

/* 'y', 'm', 'n' (not set) or 0 when there is no config to read */
char tst_kconfig_get(const char *confname);

#endif /* TST_KCONFIG_H__ */
